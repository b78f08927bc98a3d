/* SPDX-License-Identifier: Apache-2.0 */
/*
 * BYTE_STREAM_SPLIT encoder (spec 7.8): scatters byte j of every value into stream
 * j; the streams are appended back to back with no header.
 */
#include "parquet/pq_encoding.h"

int pq_bss_encode(const void *values, size_t width, size_t n, struct ice_buf *out,
                  struct ice_error *err) {
  if (width == 0) ICE_FAIL(err, ICE_EINVAL, "byte stream split: zero width");
  if (n > SIZE_MAX / width) ICE_FAIL(err, ICE_ELIMIT, "byte stream split: size overflow");
  if (n == 0) return ICE_OK; /* an empty buffer may have no memory yet */
  ICE_TRY(ice_buf_reserve(out, n * width, err));
  const uint8_t *src = values;
  uint8_t *dst = out->data + out->len;
  for (size_t j = 0; j < width; j++) {
    uint8_t *s = dst + j * n;
    for (size_t i = 0; i < n; i++) s[i] = src[i * width + j];
  }
  out->len += n * width;
  return ICE_OK;
}
