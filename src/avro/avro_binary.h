/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro binary encoding primitives (Avro 1.11 specification, "Binary Encoding").
 *
 * Writing: avro_put_* append to a bounded struct ice_buf; they are meant to be called
 * field by field in schema order, e.g. for {"id":long, "name":["null","string"]}:
 *     ICE_TRY(avro_put_long(b, id, err));
 *     ICE_TRY(avro_put_union(b, name ? 1 : 0, err));
 *     if (name) ICE_TRY(avro_put_string(b, name, strlen(name), err));
 * Arrays/maps: avro_put_block_count(b, n) then n items (map: key string + value), and
 * after the last block avro_put_block_count(b, 0).
 *
 * Reading: struct avro_cursor walks a byte range; avro_get_* check every length and
 * fail with ICE_ECORRUPT on truncation, varint overflow or out-of-range values.
 */
#ifndef ICE_AVRO_BINARY_H
#define ICE_AVRO_BINARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

/* Longest zigzag varint of a 64-bit value. */
#define AVRO_MAX_VARINT_BYTES 10

/* ---------------------------------------------------------------- writing */
int avro_put_null(struct ice_buf *b, struct ice_error *err) ICE_NODISCARD; /* no bytes */
int avro_put_boolean(struct ice_buf *b, bool v, struct ice_error *err) ICE_NODISCARD;
int avro_put_int(struct ice_buf *b, int32_t v, struct ice_error *err) ICE_NODISCARD;
int avro_put_long(struct ice_buf *b, int64_t v, struct ice_error *err) ICE_NODISCARD;
int avro_put_float(struct ice_buf *b, float v, struct ice_error *err) ICE_NODISCARD;
int avro_put_double(struct ice_buf *b, double v, struct ice_error *err) ICE_NODISCARD;
/* bytes and string: long length then the bytes. */
int avro_put_bytes(struct ice_buf *b, const void *p, size_t n, struct ice_error *err)
    ICE_NODISCARD;
int avro_put_string(struct ice_buf *b, const char *s, size_t n, struct ice_error *err)
    ICE_NODISCARD;
/* NUL-terminated convenience form of avro_put_string. */
int avro_put_cstring(struct ice_buf *b, const char *s, struct ice_error *err) ICE_NODISCARD;
/* fixed: the bytes only (the size is in the schema). */
int avro_put_fixed(struct ice_buf *b, const void *p, size_t n, struct ice_error *err)
    ICE_NODISCARD;
/* Union branch index (zero-based position in the union). */
int avro_put_union(struct ice_buf *b, uint32_t branch, struct ice_error *err) ICE_NODISCARD;
/* Enum symbol index. */
int avro_put_enum(struct ice_buf *b, uint32_t index, struct ice_error *err) ICE_NODISCARD;
/* Array/map block header with n items; n == 0 terminates the array/map. */
int avro_put_block_count(struct ice_buf *b, size_t n, struct ice_error *err) ICE_NODISCARD;

/* Raw zigzag varint into dst (at least AVRO_MAX_VARINT_BYTES); returns bytes used. */
size_t avro_encode_long(uint8_t *dst, int64_t v);

/* ---------------------------------------------------------------- reading */
struct avro_cursor {
  const uint8_t *p;
  const uint8_t *end;
};

static inline void avro_cursor_init(struct avro_cursor *c, const void *p, size_t n) {
  c->p = (const uint8_t *)p;
  c->end = n > 0 ? c->p + n : c->p; /* p may be NULL when n is 0 */
}
static inline size_t avro_cursor_left(const struct avro_cursor *c) {
  return (size_t)(c->end - c->p);
}

int avro_get_boolean(struct avro_cursor *c, bool *out, struct ice_error *err) ICE_NODISCARD;
/* Fails if the value does not fit in 32 bits. */
int avro_get_int(struct avro_cursor *c, int32_t *out, struct ice_error *err) ICE_NODISCARD;
/* Fails on more than 10 bytes or bits beyond 64. */
int avro_get_long(struct avro_cursor *c, int64_t *out, struct ice_error *err) ICE_NODISCARD;
int avro_get_float(struct avro_cursor *c, float *out, struct ice_error *err) ICE_NODISCARD;
int avro_get_double(struct avro_cursor *c, double *out, struct ice_error *err) ICE_NODISCARD;
/* bytes/string: *p points into the cursor's range (no copy), length checked. */
int avro_get_bytes(struct avro_cursor *c, const uint8_t **p, size_t *n,
                   struct ice_error *err) ICE_NODISCARD;
int avro_get_fixed(struct avro_cursor *c, size_t n, const uint8_t **p,
                   struct ice_error *err) ICE_NODISCARD;
/* Union branch index, checked against n_branches. */
int avro_get_union(struct avro_cursor *c, size_t n_branches, size_t *branch,
                   struct ice_error *err) ICE_NODISCARD;
/* Array/map block header. A negative count (followed by the block's byte size) is
 * normalised: *count = |count|, *byte_size = size (or -1 when not given). *count == 0
 * ends the array/map. Counts above max_count fail with ICE_ECORRUPT. */
int avro_get_block_count(struct avro_cursor *c, size_t max_count, size_t *count,
                         int64_t *byte_size, struct ice_error *err) ICE_NODISCARD;

#endif
