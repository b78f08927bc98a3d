/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snappy raw blocks (not the framing format) through libsnappy's C API. The block
 * preamble states the uncompressed length, which is checked before decoding.
 */
#include <snappy-c.h>

#include "codec/codec_impl.h"

int codec_snappy_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                            struct ice_error *err) {
  size_t len;
  if (snappy_uncompressed_length((const char *)src, n, &len) != SNAPPY_OK) {
    return ice_error_set(err, ICE_ECORRUPT, "snappy: bad length preamble");
  }
  if (len != dst_len) {
    return ice_error_set(err, ICE_ECORRUPT, "snappy: data decompresses to %zu bytes, %zu expected",
                         len, dst_len);
  }
  size_t got = dst_len;
  if (snappy_uncompress((const char *)src, n, (char *)dst, &got) != SNAPPY_OK || got != dst_len) {
    return ice_error_set(err, ICE_ECORRUPT, "snappy: corrupt data");
  }
  return ICE_OK;
}

int codec_snappy_decompress_buf(const uint8_t *src, size_t n, struct ice_buf *out,
                                struct ice_error *err) {
  size_t len;
  if (snappy_uncompressed_length((const char *)src, n, &len) != SNAPPY_OK) {
    return ice_error_set(err, ICE_ECORRUPT, "snappy: bad length preamble");
  }
  if (len > codec_buf_room(out)) {
    return ice_error_set(err, ICE_ELIMIT, "snappy: data decompresses to %zu bytes, limit %zu",
                         len, out->max);
  }
  ICE_TRY(ice_buf_reserve(out, len, err));
  /* An empty result allocates nothing: no offset on a NULL data pointer. */
  uint8_t none = 0;
  uint8_t *dst = len > 0 ? out->data + out->len : &none;
  ICE_TRY(codec_snappy_decompress(src, n, dst, len, err));
  out->len += len;
  return ICE_OK;
}

int codec_snappy_compress(const uint8_t *src, size_t n, struct ice_buf *out,
                          struct ice_error *err) {
  size_t bound = snappy_max_compressed_length(n);
  ICE_TRY(ice_buf_reserve(out, bound, err));
  size_t got = bound;
  if (snappy_compress((const char *)src, n, (char *)(out->data + out->len), &got) != SNAPPY_OK) {
    return ice_error_set(err, ICE_EINTERNAL, "snappy: compression failed");
  }
  out->len += got;
  return ICE_OK;
}

size_t codec_snappy_bound(size_t n) {
  return snappy_max_compressed_length(n);
}
