/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro binary encoding primitives (Avro 1.11 "Binary Encoding"): zigzag varints,
 * little-endian IEEE floats, length-prefixed bytes/strings, union indexes and
 * array/map block headers. Writers reserve once and encode in place; readers check
 * every length against the cursor's end before touching bytes.
 */
#include "avro/avro_binary.h"

#include <string.h>

size_t avro_encode_long(uint8_t *dst, int64_t v) {
  /* zigzag maps small magnitudes of either sign to small unsigned numbers */
  uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
  size_t n = 0;
  while (z >= 0x80) {
    dst[n++] = (uint8_t)(z | 0x80);
    z >>= 7;
  }
  dst[n++] = (uint8_t)z;
  return n;
}

int avro_put_null(struct ice_buf *b, struct ice_error *err) {
  (void)b;
  (void)err;
  return ICE_OK;
}

int avro_put_boolean(struct ice_buf *b, bool v, struct ice_error *err) {
  return ice_buf_append_byte(b, v ? 1 : 0, err);
}

int avro_put_long(struct ice_buf *b, int64_t v, struct ice_error *err) {
  if (b->cap - b->len >= AVRO_MAX_VARINT_BYTES) { /* the common case: encode in place */
    b->len += avro_encode_long(b->data + b->len, v);
    return ICE_OK;
  }
  uint8_t tmp[AVRO_MAX_VARINT_BYTES];
  return ice_buf_append(b, tmp, avro_encode_long(tmp, v), err);
}

int avro_put_int(struct ice_buf *b, int32_t v, struct ice_error *err) {
  return avro_put_long(b, v, err);
}

int avro_put_float(struct ice_buf *b, float v, struct ice_error *err) {
  uint32_t bits;
  memcpy(&bits, &v, 4);
  uint8_t le[4];
  for (int i = 0; i < 4; i++) le[i] = (uint8_t)(bits >> (8 * i));
  return ice_buf_append(b, le, 4, err);
}

int avro_put_double(struct ice_buf *b, double v, struct ice_error *err) {
  uint64_t bits;
  memcpy(&bits, &v, 8);
  uint8_t le[8];
  for (int i = 0; i < 8; i++) le[i] = (uint8_t)(bits >> (8 * i));
  return ice_buf_append(b, le, 8, err);
}

int avro_put_bytes(struct ice_buf *b, const void *p, size_t n, struct ice_error *err) {
  if (n > (size_t)INT64_MAX) {
    return ice_error_set(err, ICE_ELIMIT, "avro: bytes value too long (%zu)", n);
  }
  uint8_t head[AVRO_MAX_VARINT_BYTES];
  size_t hn = avro_encode_long(head, (int64_t)n);
  ICE_TRY(ice_buf_reserve(b, hn + n, err));
  memcpy(b->data + b->len, head, hn);
  b->len += hn;
  if (n > 0) memcpy(b->data + b->len, p, n);
  b->len += n;
  return ICE_OK;
}

int avro_put_string(struct ice_buf *b, const char *s, size_t n, struct ice_error *err) {
  return avro_put_bytes(b, s, n, err);
}

int avro_put_cstring(struct ice_buf *b, const char *s, struct ice_error *err) {
  return avro_put_bytes(b, s, strlen(s), err);
}

int avro_put_fixed(struct ice_buf *b, const void *p, size_t n, struct ice_error *err) {
  return ice_buf_append(b, p, n, err);
}

int avro_put_union(struct ice_buf *b, uint32_t branch, struct ice_error *err) {
  return avro_put_long(b, (int64_t)branch, err);
}

int avro_put_enum(struct ice_buf *b, uint32_t index, struct ice_error *err) {
  return avro_put_long(b, (int64_t)index, err);
}

int avro_put_block_count(struct ice_buf *b, size_t n, struct ice_error *err) {
  if (n > (size_t)INT64_MAX) {
    return ice_error_set(err, ICE_ELIMIT, "avro: block of %zu items is too large", n);
  }
  return avro_put_long(b, (int64_t)n, err);
}

/* ---------------------------------------------------------------- reading */

int avro_get_long(struct avro_cursor *c, int64_t *out, struct ice_error *err) {
  uint64_t z = 0;
  unsigned shift = 0;
  for (;;) {
    ICE_CHECK_DATA(c->p < c->end, err, "avro: truncated varint");
    uint8_t byte = *c->p++;
    /* the 10th byte may only carry the 64th bit */
    ICE_CHECK_DATA(shift < 63 || (byte & 0x7e) == 0, err, "avro: varint overflows 64 bits");
    z |= (uint64_t)(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
    shift += 7;
    ICE_CHECK_DATA(shift < 64, err, "avro: varint longer than 10 bytes");
  }
  *out = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
  return ICE_OK;
}

int avro_get_int(struct avro_cursor *c, int32_t *out, struct ice_error *err) {
  int64_t v;
  ICE_TRY(avro_get_long(c, &v, err));
  ICE_CHECK_DATA(v >= INT32_MIN && v <= INT32_MAX, err,
                 "avro: int value %lld out of 32-bit range", (long long)v);
  *out = (int32_t)v;
  return ICE_OK;
}

int avro_get_boolean(struct avro_cursor *c, bool *out, struct ice_error *err) {
  ICE_CHECK_DATA(c->p < c->end, err, "avro: truncated boolean");
  uint8_t v = *c->p;
  ICE_CHECK_DATA(v <= 1, err, "avro: invalid boolean byte %u", (unsigned)v);
  c->p++;
  *out = v == 1;
  return ICE_OK;
}

int avro_get_float(struct avro_cursor *c, float *out, struct ice_error *err) {
  ICE_CHECK_DATA(avro_cursor_left(c) >= 4, err, "avro: truncated float");
  uint32_t bits = 0;
  for (int i = 0; i < 4; i++) bits |= (uint32_t)c->p[i] << (8 * i);
  c->p += 4;
  memcpy(out, &bits, 4);
  return ICE_OK;
}

int avro_get_double(struct avro_cursor *c, double *out, struct ice_error *err) {
  ICE_CHECK_DATA(avro_cursor_left(c) >= 8, err, "avro: truncated double");
  uint64_t bits = 0;
  for (int i = 0; i < 8; i++) bits |= (uint64_t)c->p[i] << (8 * i);
  c->p += 8;
  memcpy(out, &bits, 8);
  return ICE_OK;
}

int avro_get_bytes(struct avro_cursor *c, const uint8_t **p, size_t *n,
                   struct ice_error *err) {
  int64_t len;
  ICE_TRY(avro_get_long(c, &len, err));
  ICE_CHECK_DATA(len >= 0, err, "avro: negative bytes length %lld", (long long)len);
  ICE_CHECK_DATA((uint64_t)len <= avro_cursor_left(c), err,
                 "avro: bytes length %lld exceeds the %zu bytes left", (long long)len,
                 avro_cursor_left(c));
  *p = c->p;
  *n = (size_t)len;
  c->p += len;
  return ICE_OK;
}

int avro_get_fixed(struct avro_cursor *c, size_t n, const uint8_t **p,
                   struct ice_error *err) {
  ICE_CHECK_DATA(n <= avro_cursor_left(c), err, "avro: truncated fixed(%zu)", n);
  *p = c->p;
  c->p += n;
  return ICE_OK;
}

int avro_get_union(struct avro_cursor *c, size_t n_branches, size_t *branch,
                   struct ice_error *err) {
  int64_t v;
  ICE_TRY(avro_get_long(c, &v, err));
  ICE_CHECK_DATA(v >= 0 && (uint64_t)v < n_branches, err,
                 "avro: union branch %lld out of range (%zu branches)", (long long)v,
                 n_branches);
  *branch = (size_t)v;
  return ICE_OK;
}

int avro_get_block_count(struct avro_cursor *c, size_t max_count, size_t *count,
                         int64_t *byte_size, struct ice_error *err) {
  int64_t n;
  ICE_TRY(avro_get_long(c, &n, err));
  int64_t size = -1;
  if (n < 0) {
    /* negative count: |count| items follow, preceded by the block's size in bytes */
    ICE_CHECK_DATA(n != INT64_MIN, err, "avro: invalid block count");
    n = -n;
    ICE_TRY(avro_get_long(c, &size, err));
    ICE_CHECK_DATA(size >= 0 && (uint64_t)size <= avro_cursor_left(c), err,
                   "avro: block byte size %lld exceeds the %zu bytes left",
                   (long long)size, avro_cursor_left(c));
  }
  ICE_CHECK_DATA((uint64_t)n <= max_count, err,
                 "avro: block count %lld exceeds the possible maximum %zu", (long long)n,
                 max_count);
  *count = (size_t)n;
  *byte_size = size;
  return ICE_OK;
}
