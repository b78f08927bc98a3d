/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_error_prefix_path: adds a file's path as context without naming it twice. Lower
 * layers already start their messages with the path they failed on ("X: cannot open"),
 * so a caller that prefixes "manifest X" would print "manifest X: X: cannot open".
 */
#include <stdbool.h>
#include <string.h>

#include "util/error.h"

/* Where the message names PATH as a context element: at the start or after a space
   ("X: ...", "parquet: X: ...", "manifest X: ..."), followed by ':'. NULL if nowhere. */
static const char *named_at(const char *msg, const char *path, size_t n) {
  for (const char *p = strstr(msg, path); p != NULL; p = strstr(p + 1, path)) {
    bool starts = p == msg || p[-1] == ' ';
    if (starts && p[n] == ':') return p;
  }
  return NULL;
}

int ice_error_prefix_path(struct ice_error *err, const char *what, const char *path) {
  if (err == NULL) return ICE_EINTERNAL;
  int code = err->code != ICE_OK ? err->code : ICE_EINTERNAL;
  bool has_what = what != NULL && what[0] != '\0';
  size_t n = path != NULL ? strlen(path) : 0;
  if (n == 0) return has_what ? ice_error_prefix(err, "%s", what) : code;
  const char *at = named_at(err->message, path, n);
  if (at == NULL) {
    return has_what ? ice_error_prefix(err, "%s %s", what, path)
                    : ice_error_prefix(err, "%s", path);
  }
  if (at == err->message && has_what) {
    /* Truncation is fine: the message is for humans and the code carries meaning. */
    size_t cap = sizeof err->message - 1;
    size_t wl = strnlen(what, cap - 1);
    size_t ol = strnlen(err->message, cap);
    if (ol > cap - wl - 1) ol = cap - wl - 1;
    memmove(err->message + wl + 1, err->message, ol);
    memcpy(err->message, what, wl);
    err->message[wl] = ' ';
    err->message[wl + 1 + ol] = '\0';
  }
  return code;
}
