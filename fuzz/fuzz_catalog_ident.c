/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes table identifier and namespace parsing (they come from command lines and API
 * callers and end up in SQL parameters and directory names): no crash, and an accepted
 * identifier always splits into a valid namespace and a name without '.', '/', or
 * control characters.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "fuzz.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  char *s = ice_strndup((const char *)data, size);
  if (s == NULL) return 0;
  struct ice_error err;
  struct cat_ident id = {0};
  if (cat_ident_parse(s, &id, &err) == ICE_OK) {
    if (cat_namespace_validate(id.ns, &err) != ICE_OK) abort();
    if (strchr(id.name, '.') != NULL || strchr(id.name, '/') != NULL) abort();
    for (const char *p = id.name; *p; p++)
      if ((unsigned char)*p < 0x20) abort();
    if (strlen(id.ns) + 1 + strlen(id.name) != strlen(s)) abort();
    cat_ident_reset(&id);
  }
  if (cat_namespace_validate(s, &err) == ICE_OK && s[0] == '\0') abort();
  ice_free(s);
  return 0;
}
