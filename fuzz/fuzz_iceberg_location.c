/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes location -> local path mapping (locations come from metadata files, catalog
 * rows and command lines, and decide where files are written). The input is either a
 * whole location or, after a leading '+', a name appended to a table location under a
 * fixed root. Checked: no crash; a mapped path is absolute and normalised (idempotent,
 * no '.', '..' or empty component); whatever io_path_is_under accepts really lies below
 * the root component by component; escapes are kept literally ('%' survives); and a
 * name without '.'/'..' components never lands outside the table.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "iceberg/ib_location.h"
#include "io/io_path.h"
#include "util/alloc.h"

#define ROOT "/wh"
#define TABLE "file:/wh/ns/t"

static bool normalised(const char *p) {
  if (p[0] != '/') return false;
  if (strcmp(p, "/") == 0) return true;
  for (const char *c = p; *c != '\0';) {
    const char *s = ++c; /* after a '/' */
    while (*c != '\0' && *c != '/') c++;
    size_t n = (size_t)(c - s);
    if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
      return false;
  }
  return true;
}

static size_t count_char(const char *s, char ch) {
  size_t n = 0;
  for (; *s != '\0'; s++) n += *s == ch;
  return n;
}

/* Does rel have a component that is '.' or '..'? */
static bool has_dot_component(const char *rel) {
  for (const char *c = rel;;) {
    const char *s = c;
    while (*c != '\0' && *c != '/') c++;
    size_t n = (size_t)(c - s);
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) return true;
    if (*c == '\0') return false;
    c++;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 8192) return 0;
  char *in = ice_strndup((const char *)data, size);
  if (in == NULL) return 0;
  if (strlen(in) != size) { /* embedded NUL: not a C string location */
    ice_free(in);
    return 0;
  }
  bool appended = in[0] == '+';
  char *uri = NULL, *path = NULL;
  struct ice_error err;
  int rc = appended                 ? ib_location_data_file(TABLE, in + 1, &uri, &err)
           : (uri = ice_strdup(in)) ? ICE_OK
                                    : ICE_ENOMEM;
  if (rc == ICE_OK) rc = ib_location_to_normalized_path(uri, &path, &err);
  if (rc == ICE_OK) {
    if (!normalised(path)) abort();
    char *again = NULL;
    if (io_path_normalize(path, &again, &err) != ICE_OK || strcmp(again, path) != 0)
      abort();
    ice_free(again);
    /* Literal mapping: no '%' appears, and a local part already normalised comes back
     * byte for byte (nothing decoded). */
    if (count_char(path, '%') > count_char(uri, '%')) abort();
    char *local = NULL;
    if (ib_location_to_local_path(uri, &local, &err) != ICE_OK) abort();
    if (normalised(local) && strcmp(local, path) != 0) abort();
    if (strncmp(uri, "file:/", 6) == 0 && uri[6] != '/' && strcmp(local, uri + 5) != 0)
      abort();
    ice_free(local);
    if (io_path_is_under(path, ROOT)) {
      size_t rl = strlen(ROOT);
      if (strncmp(path, ROOT, rl) != 0 || (path[rl] != '\0' && path[rl] != '/')) abort();
    }
    const char *rel = in + 1;
    while (*rel == '/') rel++;
    if (appended && !has_dot_component(rel) && !io_path_is_under(path, "/wh/ns/t/data"))
      abort();
  }
  ice_free(path);
  ice_free(uri);
  ice_free(in);
  return 0;
}
