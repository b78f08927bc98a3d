/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the masking of PostgreSQL catalog URIs (what every catalog message shows): no
 * crash or overrun whatever the URI, and no value of a password= parameter survives;
 * scrubbing a message of the URI's passwords never makes it longer.
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
  char *shown = NULL;
  if (cat_pg_uri_redact(s, &shown, &err) == ICE_OK) {
    /* After "?password=" or "&password=" comes the mask, then the end or '&'/'#'. */
    for (const char *p = shown; (p = strstr(p, "password=")) != NULL; p += 9) {
      if (p == shown || (p[-1] != '?' && p[-1] != '&')) continue;
      if (strncmp(p + 9, "***", 3) != 0) abort();
      char next = p[12];
      if (next != '\0' && next != '&' && next != '#') abort();
    }
    ice_free(shown);
  }
  /* Scrubbing a message (here the input itself) never grows it or overruns. */
  char *text = ice_strndup((const char *)data, size);
  if (text != NULL) {
    size_t before = strlen(text);
    cat_pg_uri_scrub(s, text);
    if (strlen(text) > before) abort();
    ice_free(text);
  }
  ice_free(s);
  return 0;
}
