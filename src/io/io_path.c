/* SPDX-License-Identifier: Apache-2.0 */
/* Lexical normalisation and containment of absolute paths (io_path.h). */
#include "io/io_path.h"

#include <string.h>

#include "util/alloc.h"
#include "util/limits.h"

int io_path_normalize(const char *path, char **out, struct ice_error *err) {
  if (path == NULL || path[0] != '/')
    ICE_FAIL(err, ICE_EINVAL, "path '%.200s' is not absolute", path ? path : "");
  size_t n = strlen(path);
  if (n >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, "path longer than %d bytes", (int)ICE_LIMIT_LOCATION_BYTES);
  /* The result is never longer than the input. */
  char *s = ice_malloc(n + 1);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  size_t o = 0; /* s[0..o) holds "/c1/c2..." without a trailing '/' */
  const char *p = path;
  while (*p != '\0') {
    while (*p == '/') p++;
    const char *start = p;
    while (*p != '\0' && *p != '/') p++;
    size_t len = (size_t)(p - start);
    if (len == 0 || (len == 1 && start[0] == '.')) continue;
    if (len == 2 && start[0] == '.' && start[1] == '.') {
      while (o > 0 && s[o - 1] != '/') o--;
      if (o > 0) o--; /* drop the '/' before the removed component */
      continue;
    }
    s[o++] = '/';
    memcpy(s + o, start, len);
    o += len;
  }
  if (o == 0) s[o++] = '/';
  s[o] = '\0';
  *out = s;
  return ICE_OK;
}

bool io_path_is_under(const char *path, const char *root) {
  size_t rl = strlen(root);
  if (rl == 1 && root[0] == '/') return path[0] == '/';
  return strncmp(path, root, rl) == 0 && (path[rl] == '\0' || path[rl] == '/');
}
