/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PLAIN decoding (spec 7.3): fixed-width values by one memcpy, booleans from
 * LSB-first bits (to bytes or into an Arrow bitmap), and BYTE_ARRAY values
 * (u32 LE length + bytes) into Arrow-style int32 offsets plus a data buffer.
 */
#include <string.h>

#include "parquet/pq_encoding.h"

int pq_plain_decode_fixed(const uint8_t *data, size_t len, size_t *pos, size_t width,
                          size_t n, void *out, struct ice_error *err) {
  size_t at = *pos;
  if (at > len) ICE_FAIL(err, ICE_EINVAL, "plain: position %zu beyond %zu bytes", at, len);
  if (width == 0) ICE_FAIL(err, ICE_EINVAL, "plain: zero value width");
  size_t left = len - at;
  ICE_CHECK_DATA(n <= left / width, err,
                 "plain: %zu values of %zu bytes need %zu more bytes than the %zu left", n,
                 width, n * width > left ? n * width - left : 0, left);
  if (n > 0) memcpy(out, data + at, n * width);
  *pos = at + n * width;
  return ICE_OK;
}

static int bool_check(size_t len, uint64_t bit_pos, size_t n, struct ice_error *err) {
  uint64_t bits = (uint64_t)len * 8;
  ICE_CHECK_DATA(bit_pos <= bits && n <= bits - bit_pos, err,
                 "plain: %zu booleans at bit %llu exceed the %zu bytes", n,
                 (unsigned long long)bit_pos, len);
  return ICE_OK;
}

int pq_plain_decode_bool(const uint8_t *data, size_t len, uint64_t *bit_pos, size_t n,
                         uint8_t *out, struct ice_error *err) {
  uint64_t bp = *bit_pos;
  ICE_TRY(bool_check(len, bp, n, err));
  size_t i = 0;
  /* Leading bits up to a byte boundary, then 8 at a time. */
  for (; i < n && (bp & 7) != 0; i++, bp++) out[i] = (data[bp >> 3] >> (bp & 7)) & 1;
  for (; i + 8 <= n; i += 8, bp += 8) {
    uint8_t b = data[bp >> 3];
    for (int k = 0; k < 8; k++) out[i + k] = (uint8_t)((b >> k) & 1);
  }
  for (; i < n; i++, bp++) out[i] = (data[bp >> 3] >> (bp & 7)) & 1;
  *bit_pos = bp;
  return ICE_OK;
}

int pq_plain_decode_bool_bits(const uint8_t *data, size_t len, uint64_t *bit_pos,
                              size_t n, uint8_t *out_bits, uint64_t out_bit,
                              struct ice_error *err) {
  uint64_t bp = *bit_pos;
  ICE_TRY(bool_check(len, bp, n, err));
  if (n == 0) return ICE_OK;
  if ((bp & 7) == 0 && (out_bit & 7) == 0) {
    /* Both byte-aligned: copy whole bytes, then merge the tail bits. */
    size_t whole = n / 8;
    memcpy(out_bits + (out_bit >> 3), data + (bp >> 3), whole);
    bp += (uint64_t)whole * 8;
    out_bit += (uint64_t)whole * 8;
    n -= whole * 8;
  }
  for (size_t i = 0; i < n; i++, bp++, out_bit++) {
    uint8_t bit = (uint8_t)((data[bp >> 3] >> (bp & 7)) & 1);
    uint8_t m = (uint8_t)(1u << (out_bit & 7));
    out_bits[out_bit >> 3] = (uint8_t)(bit ? out_bits[out_bit >> 3] | m
                                           : out_bits[out_bit >> 3] & (uint8_t)~m);
  }
  *bit_pos = bp;
  return ICE_OK;
}

/* Copies l bytes; short values take one fixed 16-byte copy (inlined, no call)
 * when both sides have 16 readable/writable bytes. */
static inline void copy_small(uint8_t *dst, size_t dst_room, const uint8_t *src,
                              size_t src_room, size_t l) {
  if (l <= 16 && dst_room >= 16 && src_room >= 16) {
    memcpy(dst, src, 16);
  } else {
    memcpy(dst, src, l);
  }
}

int pq_plain_decode_byte_array(const uint8_t *data, size_t len, size_t *pos, size_t n,
                               int32_t *offsets, struct ice_buf *values,
                               struct ice_error *err) {
  size_t at = *pos;
  if (at > len) ICE_FAIL(err, ICE_EINVAL, "plain: position %zu beyond %zu bytes", at, len);
  if (values->len > INT32_MAX) {
    ICE_FAIL(err, ICE_ELIMIT, "byte array data exceeds 2 GiB; use a smaller batch size");
  }
  /* One pass: bytes land past values->len and only count once all n are valid. */
  size_t w = values->len;
  offsets[0] = (int32_t)w;
  for (size_t i = 0; i < n; i++) {
    ICE_CHECK_DATA(len - at >= 4, err, "plain: byte array %zu: truncated length", i);
    const uint8_t *p = data + at;
    uint32_t l = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24;
    at += 4;
    ICE_CHECK_DATA(l <= len - at, err,
                   "plain: byte array %zu: length %u exceeds the %zu bytes left", i, l,
                   len - at);
    if (l > (size_t)INT32_MAX - w) {
      ICE_FAIL(err, ICE_ELIMIT, "byte array data exceeds 2 GiB; use a smaller batch size");
    }
    if (l > 0) {
      if (l > values->cap - w) ICE_TRY(ice_buf_reserve(values, w - values->len + l, err));
      copy_small(values->data + w, values->cap - w, data + at, len - at, l);
    }
    at += l;
    w += l;
    offsets[i + 1] = (int32_t)w;
  }
  values->len = w;
  *pos = at;
  return ICE_OK;
}
