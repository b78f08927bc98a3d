/* SPDX-License-Identifier: Apache-2.0 */
/*
 * First version: integers (and what encodes as them), strings, null and booleans in
 * full, other values as their byte length; every length is checked before a read.
 */
#include "ops/op_key_format.h"

#include <stdio.h>
#include <string.h>

static int put(struct ice_buf *out, const char *s, struct ice_error *err) {
  return ice_buf_append(out, s, strlen(s), err);
}

int op_key_format(const struct arrow_type *const *types, const char *const *names,
                  size_t n, const uint8_t *key, size_t len, struct ice_buf *out,
                  struct ice_error *err) {
  (void)types;
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    char tmp[160];
    if (at >= len) ICE_FAIL(err, ICE_ECORRUPT, "key ends before column %zu", i);
    uint8_t tag = key[at++];
    if (i) ICE_TRY(put(out, ", ", err));
    ICE_TRY(put(out, names[i], err));
    ICE_TRY(put(out, "=", err));
    if (tag == 0) {
      ICE_TRY(put(out, "NULL", err));
    } else if (tag == 1) {
      if (len - at < 1) ICE_FAIL(err, ICE_ECORRUPT, "short key");
      ICE_TRY(put(out, key[at++] ? "true" : "false", err));
    } else if (tag == 2) {
      int64_t v;
      if (len - at < sizeof v) ICE_FAIL(err, ICE_ECORRUPT, "short key");
      memcpy(&v, key + at, sizeof v);
      at += sizeof v;
      snprintf(tmp, sizeof tmp, "%lld", (long long)v);
      ICE_TRY(put(out, tmp, err));
    } else if (tag == 5) {
      uint32_t l;
      if (len - at < sizeof l) ICE_FAIL(err, ICE_ECORRUPT, "short key");
      memcpy(&l, key + at, sizeof l);
      at += sizeof l;
      if (len - at < l) ICE_FAIL(err, ICE_ECORRUPT, "short key");
      snprintf(tmp, sizeof tmp, "'%.*s%s'", l > 64 ? 64 : (int)l, (const char *)key + at,
               l > 64 ? "..." : "");
      at += l;
      ICE_TRY(put(out, tmp, err));
    } else {
      /* The rest of the key is this column's value and those after it. */
      snprintf(tmp, sizeof tmp, "<%zu bytes>", len - at);
      ICE_TRY(put(out, tmp, err));
      return ice_buf_append_byte(out, 0, err);
    }
  }
  if (at != len) ICE_FAIL(err, ICE_ECORRUPT, "%zu bytes after the key", len - at);
  return ice_buf_append_byte(out, 0, err);
}
