/* SPDX-License-Identifier: Apache-2.0 */
/*
 * BYTE_STREAM_SPLIT decoder (spec 7.8): K byte streams of N bytes, value i byte j
 * at in[j*N + i]. Widths 4 and 8 have unrolled gathers; any FLBA width works.
 */
#include "parquet/pq_encoding.h"

int pq_bss_decode(const uint8_t *data, size_t len, size_t width, size_t total_n,
                  size_t first, size_t n, void *out, struct ice_error *err) {
  if (width == 0) ICE_FAIL(err, ICE_EINVAL, "byte stream split: zero width");
  ICE_CHECK_DATA(total_n <= len / width && total_n * width == len, err,
                 "byte stream split: %zu bytes are not %zu values of %zu bytes", len,
                 total_n, width);
  ICE_CHECK_DATA(first <= total_n && n <= total_n - first, err,
                 "byte stream split: values [%zu, %zu) beyond the %zu present", first,
                 first + n, total_n);
  if (n == 0) return ICE_OK;
  uint8_t *dst = out;
  const uint8_t *src = data + first;
  if (width == 4) {
    const uint8_t *s0 = src, *s1 = src + total_n, *s2 = src + 2 * total_n,
                  *s3 = src + 3 * total_n;
    for (size_t i = 0; i < n; i++) {
      dst[4 * i] = s0[i];
      dst[4 * i + 1] = s1[i];
      dst[4 * i + 2] = s2[i];
      dst[4 * i + 3] = s3[i];
    }
  } else if (width == 8) {
    const uint8_t *s0 = src, *s1 = src + total_n, *s2 = src + 2 * total_n,
                  *s3 = src + 3 * total_n, *s4 = src + 4 * total_n,
                  *s5 = src + 5 * total_n, *s6 = src + 6 * total_n,
                  *s7 = src + 7 * total_n;
    for (size_t i = 0; i < n; i++) {
      uint8_t *o = dst + 8 * i;
      o[0] = s0[i];
      o[1] = s1[i];
      o[2] = s2[i];
      o[3] = s3[i];
      o[4] = s4[i];
      o[5] = s5[i];
      o[6] = s6[i];
      o[7] = s7[i];
    }
  } else {
    for (size_t j = 0; j < width; j++) {
      const uint8_t *s = src + j * total_n;
      for (size_t i = 0; i < n; i++) dst[i * width + j] = s[i];
    }
  }
  return ICE_OK;
}
