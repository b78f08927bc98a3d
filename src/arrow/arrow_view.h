/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small read-side helpers over ArrowArrays for consumers (writer, renderers, loader):
 * validity bits, offsets, children, all honouring ArrowArray.offset. Plus a
 * structural validator for arrays received from outside (buffer counts, offsets in
 * bounds), so consumers can trust the views afterwards.
 */
#ifndef ICE_ARROW_VIEW_H
#define ICE_ARROW_VIEW_H

#include <stdint.h>

#include "ice/ice_arrow.h"
#include "util/error.h"

static inline int arrow_bit_get(const uint8_t *bits, int64_t i) {
  return (bits[i >> 3] >> (i & 7)) & 1;
}
static inline void arrow_bit_set(uint8_t *bits, int64_t i) {
  bits[i >> 3] = (uint8_t)(bits[i >> 3] | (1u << (i & 7)));
}
static inline void arrow_bit_clear(uint8_t *bits, int64_t i) {
  bits[i >> 3] = (uint8_t)(bits[i >> 3] & ~(1u << (i & 7)));
}
static inline int64_t arrow_bitmap_bytes(int64_t n_bits) {
  return (n_bits + 7) / 8;
}

/* Whether slot i (0-based, before applying a->offset) is non-null. Arrays of type null
 * ("n") have no buffers: pass is_null_type = 1 and every slot is null. */
static inline int arrow_array_valid(const struct ArrowArray *a, int64_t i) {
  if (a->n_buffers == 0) return 0;
  const uint8_t *v = (const uint8_t *)a->buffers[0];
  return v == NULL || arrow_bit_get(v, a->offset + i);
}

/* int32 offsets of a string/binary/list/map array, already shifted by a->offset. */
static inline const int32_t *arrow_array_offsets32(const struct ArrowArray *a) {
  return (const int32_t *)a->buffers[1] + a->offset;
}
static inline const int64_t *arrow_array_offsets64(const struct ArrowArray *a) {
  return (const int64_t *)a->buffers[1] + a->offset;
}
/* Value bytes of a string/binary array (index with offsets32). */
static inline const uint8_t *arrow_array_bytes(const struct ArrowArray *a) {
  return (const uint8_t *)a->buffers[2];
}
/* Fixed-width values, shifted by a->offset (width in bytes). */
static inline const uint8_t *arrow_array_fixed(const struct ArrowArray *a,
                                               int32_t width) {
  return (const uint8_t *)a->buffers[1] + a->offset * (int64_t)width;
}
/* Boolean value of slot i. */
static inline int arrow_array_bool(const struct ArrowArray *a, int64_t i) {
  return arrow_bit_get((const uint8_t *)a->buffers[1], a->offset + i);
}

/* Child access. A struct's row i is row (a->offset + i) of each child; a list/map's
 * row i spans child rows [*start, *end) (int32 offsets). */
static inline const struct ArrowArray *arrow_array_child(const struct ArrowArray *a,
                                                         int64_t k) {
  return a->children[k];
}
static inline int64_t arrow_struct_child_row(const struct ArrowArray *a, int64_t i) {
  return a->offset + i;
}
static inline void arrow_list_range(const struct ArrowArray *a, int64_t i, int64_t *start,
                                    int64_t *end) {
  const int32_t *o = arrow_array_offsets32(a);
  *start = o[i];
  *end = o[i + 1];
}
/* The same for either offset width: `large` for 64-bit offsets (large string, large
 * binary, large list), else 32-bit; also the byte range of a string/binary value. */
static inline void arrow_offsets_range(const struct ArrowArray *a, int large, int64_t i,
                                       int64_t *start, int64_t *end) {
  if (large) {
    const int64_t *o = arrow_array_offsets64(a);
    *start = o[i];
    *end = o[i + 1];
  } else {
    arrow_list_range(a, i, start, end);
  }
}

/* Checks that `a` is a structurally valid array of schema `s`: live, buffer and child
 * counts match the format, required buffers present, offsets non-decreasing and
 * within the child/data lengths, recursively. ICE_EINVAL on violations (the array
 * comes from a caller, not a file). */
int arrow_array_validate(const struct ArrowSchema *s, const struct ArrowArray *a,
                         struct ice_error *err) ICE_NODISCARD;

#endif
