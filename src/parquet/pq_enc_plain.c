/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PLAIN encoding (spec 7.3): fixed-width values appended as is, booleans packed
 * LSB-first with a zero-padded last byte, BYTE_ARRAY as u32 LE length + bytes.
 */
#include <string.h>

#include "parquet/pq_encoding.h"

int pq_plain_encode_fixed(const void *values, size_t width, size_t n,
                          struct ice_buf *out, struct ice_error *err) {
  if (width != 0 && n > SIZE_MAX / width) {
    ICE_FAIL(err, ICE_ELIMIT, "plain encode: size overflow");
  }
  return ice_buf_append(out, values, n * width, err);
}

int pq_plain_encode_bool(const uint8_t *values, size_t n, struct ice_buf *out,
                         struct ice_error *err) {
  if (n == 0) return ICE_OK; /* an empty buffer may have no memory yet */
  size_t bytes = (n + 7) / 8;
  ICE_TRY(ice_buf_reserve(out, bytes, err));
  uint8_t *dst = out->data + out->len;
  memset(dst, 0, bytes);
  for (size_t i = 0; i < n; i++) {
    dst[i >> 3] = (uint8_t)(dst[i >> 3] | (values[i] != 0) << (i & 7));
  }
  out->len += bytes;
  return ICE_OK;
}

int pq_plain_encode_bool_bits(const uint8_t *bits, uint64_t bit_offset, size_t n,
                              struct ice_buf *out, struct ice_error *err) {
  if (n == 0) return ICE_OK;
  size_t bytes = (n + 7) / 8;
  ICE_TRY(ice_buf_reserve(out, bytes, err));
  uint8_t *dst = out->data + out->len;
  if ((bit_offset & 7) == 0) {
    memcpy(dst, bits + (bit_offset >> 3), bytes);
    if (n & 7) dst[bytes - 1] = (uint8_t)(dst[bytes - 1] & ((1u << (n & 7)) - 1));
  } else {
    memset(dst, 0, bytes);
    for (size_t i = 0; i < n; i++) {
      uint64_t b = bit_offset + i;
      uint32_t bit = (bits[b >> 3] >> (b & 7)) & 1u;
      dst[i >> 3] = (uint8_t)(dst[i >> 3] | bit << (i & 7));
    }
  }
  out->len += bytes;
  return ICE_OK;
}

int pq_plain_encode_byte_array(const struct pq_enc_bytes *values, size_t n,
                               struct ice_buf *out, struct ice_error *err) {
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) total += 4 + (uint64_t)values[i].len;
  if (total > SIZE_MAX) ICE_FAIL(err, ICE_ELIMIT, "plain encode: size overflow");
  if (total == 0) return ICE_OK;
  ICE_TRY(ice_buf_reserve(out, (size_t)total, err));
  uint8_t *dst = out->data + out->len;
  for (size_t i = 0; i < n; i++) {
    uint32_t l = values[i].len;
    dst[0] = (uint8_t)l;
    dst[1] = (uint8_t)(l >> 8);
    dst[2] = (uint8_t)(l >> 16);
    dst[3] = (uint8_t)(l >> 24);
    if (l) memcpy(dst + 4, values[i].ptr, l);
    dst += 4 + (size_t)l;
  }
  out->len += (size_t)total;
  return ICE_OK;
}
