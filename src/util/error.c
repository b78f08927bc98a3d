/* SPDX-License-Identifier: Apache-2.0 */
/* Error code names and message formatting. */
#include "util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ice_code_name(int code) {
  switch (code) {
    case ICE_OK: return "ICE_OK";
    case ICE_EINVAL: return "ICE_EINVAL";
    case ICE_ENOMEM: return "ICE_ENOMEM";
    case ICE_EIO: return "ICE_EIO";
    case ICE_ECORRUPT: return "ICE_ECORRUPT";
    case ICE_EUNSUPPORTED: return "ICE_EUNSUPPORTED";
    case ICE_ENOTFOUND: return "ICE_ENOTFOUND";
    case ICE_EEXISTS: return "ICE_EEXISTS";
    case ICE_ECONFLICT: return "ICE_ECONFLICT";
    case ICE_ECOMMIT_UNKNOWN: return "ICE_ECOMMIT_UNKNOWN";
    case ICE_EAUTH: return "ICE_EAUTH";
    case ICE_ELIMIT: return "ICE_ELIMIT";
    case ICE_ECANCELED: return "ICE_ECANCELED";
    case ICE_EINTERNAL: return "ICE_EINTERNAL";
    case ICE_ESCHEMA: return "ICE_ESCHEMA";
    default: return "ICE_EUNKNOWN";
  }
}

void ice_error_clear(struct ice_error *err) {
  if (err == NULL) return;
  err->code = ICE_OK;
  err->detail = 0;
  err->message[0] = '\0';
}

int ice_error_set(struct ice_error *err, int code, const char *fmt, ...) {
  if (err == NULL) return code;
  err->code = code;
  err->detail = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return code;
}

int ice_error_prefix(struct ice_error *err, const char *fmt, ...) {
  if (err == NULL) return ICE_EINTERNAL;
  char prefix[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  /* Truncation is fine here: the message is for humans and the code carries meaning. */
  char old[sizeof err->message];
  memcpy(old, err->message, sizeof old);
  size_t plen = strlen(prefix);
  if (plen > sizeof err->message - 3) plen = sizeof err->message - 3;
  memcpy(err->message, prefix, plen);
  err->message[plen] = ':';
  err->message[plen + 1] = ' ';
  size_t room = sizeof err->message - plen - 2;
  size_t olen = strnlen(old, sizeof old);
  if (olen > room - 1) olen = room - 1;
  memcpy(err->message + plen + 2, old, olen);
  err->message[plen + 2 + olen] = '\0';
  return err->code != ICE_OK ? err->code : ICE_EINTERNAL;
}

int ice_error_errno(int code) {
  switch (code) {
    case ICE_ENOMEM:
      return ENOMEM;
    case ICE_EINVAL:
      return EINVAL;
    case ICE_EUNSUPPORTED:
      return ENOTSUP;
    default:
      return EIO;
  }
}
