/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DELTA_LENGTH_BYTE_ARRAY (spec 7.6) and DELTA_BYTE_ARRAY (spec 7.7) encoders.
 * Lengths go through the DELTA_BINARY_PACKED encoder; the prefix of each value is
 * its common prefix with the previous value of the same call (state never crosses
 * pages: one call per page).
 */
#include <string.h>

#include "parquet/pq_encoding.h"
#include "util/alloc.h"

static int alloc_lengths(size_t n, int32_t **out, struct ice_error *err) {
  *out = ice_calloc(n ? n : 1, sizeof **out);
  if (*out == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (%zu lengths)", n);
  return ICE_OK;
}

static int check_len(uint32_t len, struct ice_error *err) {
  if (len > INT32_MAX) ICE_FAIL(err, ICE_ELIMIT, "byte array value exceeds 2 GiB");
  return ICE_OK;
}

int pq_dlba_encode(const struct pq_enc_bytes *values, size_t n, struct ice_buf *out,
                   struct ice_error *err) {
  int32_t *lens;
  ICE_TRY(alloc_lengths(n, &lens, err));
  int rc = ICE_OK;
  for (size_t i = 0; i < n && rc == ICE_OK; i++) {
    rc = check_len(values[i].len, err);
    lens[i] = (int32_t)values[i].len;
  }
  if (rc == ICE_OK) rc = pq_delta_encode_i32(lens, n, out, err);
  for (size_t i = 0; i < n && rc == ICE_OK; i++) {
    rc = ice_buf_append(out, values[i].ptr, values[i].len, err);
  }
  ice_free(lens);
  return rc;
}

static size_t common_prefix(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
  size_t m = alen < blen ? alen : blen;
  size_t i = 0;
  while (i < m && a[i] == b[i]) i++;
  return i;
}

/* Shared by the BYTE_ARRAY and FLBA forms: value i is (ptr(i), len(i)). */
static int dba_encode(const struct pq_enc_bytes *values, const uint8_t *fixed, size_t width,
                      size_t n, struct ice_buf *out, struct ice_error *err) {
  int32_t *pre = NULL, *suf = NULL;
  int rc = alloc_lengths(n, &pre, err);
  if (rc == ICE_OK) rc = alloc_lengths(n, &suf, err);
  const uint8_t *prev = NULL;
  size_t prev_len = 0;
  for (size_t i = 0; i < n && rc == ICE_OK; i++) {
    const uint8_t *p = values ? values[i].ptr : fixed + i * width;
    uint32_t l = values ? values[i].len : (uint32_t)width;
    rc = check_len(l, err);
    size_t c = i == 0 ? 0 : common_prefix(prev, prev_len, p, l);
    pre[i] = (int32_t)c;
    suf[i] = (int32_t)(l - c);
    prev = p;
    prev_len = l;
  }
  if (rc == ICE_OK) rc = pq_delta_encode_i32(pre, n, out, err);
  if (rc == ICE_OK) rc = pq_delta_encode_i32(suf, n, out, err);
  for (size_t i = 0; i < n && rc == ICE_OK; i++) {
    const uint8_t *p = values ? values[i].ptr : fixed + i * width;
    rc = ice_buf_append(out, p + pre[i], (size_t)suf[i], err);
  }
  ice_free(pre);
  ice_free(suf);
  return rc;
}

int pq_dba_encode(const struct pq_enc_bytes *values, size_t n, struct ice_buf *out,
                  struct ice_error *err) {
  return dba_encode(values, NULL, 0, n, out, err);
}

int pq_dba_encode_fixed(const uint8_t *values, size_t width, size_t n,
                        struct ice_buf *out, struct ice_error *err) {
  if (width > INT32_MAX) ICE_FAIL(err, ICE_EINVAL, "delta byte array: width %zu", width);
  return dba_encode(NULL, values, width, n, out, err);
}
