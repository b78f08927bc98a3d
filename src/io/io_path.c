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

bool io_path_overlaps(const char *a, const char *b) {
  return io_path_is_under(a, b) || io_path_is_under(b, a);
}

size_t io_path_scheme_len(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) return 0;
  for (const char *p = s + 1; *p != '\0'; p++) {
    if (*p == ':') return (size_t)(p - s);
    int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
             (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.';
    if (!ok) return 0;
  }
  return 0;
}

int io_path_from_location(const char *uri, char **out, struct ice_error *err) {
  const char *p;
  if (strncmp(uri, "file://", 7) == 0) {
    p = uri + 7;
    if (strncmp(p, "localhost/", 10) == 0) p += 9;
    if (*p != '/')
      ICE_FAIL(err, ICE_EINVAL, "file URI with a host is not a local path: '%.200s'",
               uri);
  } else if (strncmp(uri, "file:", 5) == 0) {
    p = uri + 5;
    if (*p != '/') ICE_FAIL(err, ICE_EINVAL, "relative file URI '%.200s'", uri);
  } else if (uri[0] == '/') {
    p = uri;
  } else {
    ICE_FAIL(err, ICE_EUNSUPPORTED, "not a local path: '%.200s'", uri);
  }
  size_t n = strlen(p);
  if (n >= ICE_LIMIT_LOCATION_BYTES) ICE_FAIL(err, ICE_ELIMIT, "path too long");
  char *s = ice_strdup(p);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *out = s;
  return ICE_OK;
}
