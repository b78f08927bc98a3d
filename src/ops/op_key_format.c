/* SHIM: temporary until the rowhash branch lands. */
#include "ops/op_key_format.h"
#include <stdio.h>
#include <string.h>
int op_key_format(const struct arrow_type *const *types, const char *const *names, size_t n,
                  const uint8_t *key, size_t len, struct ice_buf *out, struct ice_error *err) {
  size_t at = 0;
  for (size_t i = 0; i < n && at < len; i++) {
    char tmp[300];
    uint8_t tag = key[at++];
    if (i) ICE_TRY(ice_buf_append(out, ", ", 2, err));
    if (tag == 2) { int64_t v; memcpy(&v, key + at, 8); at += 8; snprintf(tmp, sizeof tmp, "%s=%lld", names[i], (long long)v); }
    else if (tag == 5) { uint32_t l; memcpy(&l, key + at, 4); at += 4; snprintf(tmp, sizeof tmp, "%s='%.*s'", names[i], (int)l, key + at); at += l; }
    else { snprintf(tmp, sizeof tmp, "%s=?", names[i]); at = len; }
    ICE_TRY(ice_buf_append(out, tmp, strlen(tmp), err));
  }
  (void)types;
  return ice_buf_append_byte(out, 0, err);
}
