/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Value-level equality of two Arrow arrays of the same logical type, slot by slot
 * (honouring offsets on both sides): the round-trip tests and the round-trip fuzz
 * target compare what they wrote with what the reader returns. Floats compare by bit
 * pattern (NaN == NaN, -0.0 != +0.0).
 */
#ifndef ICE_TEST_PARQUET_WRITE_COMPARE_H
#define ICE_TEST_PARQUET_WRITE_COMPARE_H

#include <stdio.h>
#include <string.h>

#include "arrow/arrow_type.h"
#include "arrow/arrow_view.h"

static inline int tw_valid(const struct ArrowArray *a, int64_t i) {
  if (a->n_buffers == 0) return 0;
  if (a->buffers[0] == NULL) return 1;
  return arrow_bit_get((const uint8_t *)a->buffers[0], a->offset + i);
}

static inline void tw_range(const struct arrow_type *t, const struct ArrowArray *a,
                            int64_t i, int64_t *s, int64_t *e) {
  if (t->id == ARROW_TYPE_LARGE_LIST || t->id == ARROW_TYPE_LARGE_STRING ||
      t->id == ARROW_TYPE_LARGE_BINARY) {
    *s = arrow_array_offsets64(a)[i];
    *e = arrow_array_offsets64(a)[i + 1];
  } else {
    *s = arrow_array_offsets32(a)[i];
    *e = arrow_array_offsets32(a)[i + 1];
  }
}

/* Returns 1 when slot ai of a equals slot bi of b; prints the first difference. */
static int tw_slot_equal(const struct ArrowSchema *s, const struct ArrowArray *a,
                         int64_t ai, const struct ArrowArray *b, int64_t bi,
                         const char *path) {
  struct arrow_type t;
  struct ice_error err;
  if (arrow_type_parse(s->format, &t, &err) != ICE_OK) return 0;
  int va = tw_valid(a, ai), vb = tw_valid(b, bi);
  if (va != vb) {
    fprintf(stderr, "  %s: validity %d vs %d (slots %lld/%lld)\n", path, va, vb,
            (long long)ai, (long long)bi);
    return 0;
  }
  if (!va) return 1;
  switch (t.id) {
    case ARROW_TYPE_NA:
      return 1;
    case ARROW_TYPE_BOOL:
      if (arrow_array_bool(a, ai) != arrow_array_bool(b, bi)) {
        fprintf(stderr, "  %s: bool differs\n", path);
        return 0;
      }
      return 1;
    case ARROW_TYPE_STRING:
    case ARROW_TYPE_LARGE_STRING:
    case ARROW_TYPE_BINARY:
    case ARROW_TYPE_LARGE_BINARY: {
      int64_t s1, e1, s2, e2;
      tw_range(&t, a, ai, &s1, &e1);
      tw_range(&t, b, bi, &s2, &e2);
      if (e1 - s1 != e2 - s2 ||
          (e1 > s1 && memcmp(arrow_array_bytes(a) + s1, arrow_array_bytes(b) + s2,
                             (size_t)(e1 - s1)) != 0)) {
        fprintf(stderr, "  %s: bytes differ (len %lld vs %lld)\n", path,
                (long long)(e1 - s1), (long long)(e2 - s2));
        return 0;
      }
      return 1;
    }
    case ARROW_TYPE_STRUCT:
      for (int64_t k = 0; k < s->n_children; k++) {
        if (!tw_slot_equal(s->children[k], a->children[k], ai + a->offset, b->children[k],
                           bi + b->offset, s->children[k]->name)) {
          return 0;
        }
      }
      return 1;
    case ARROW_TYPE_LIST:
    case ARROW_TYPE_LARGE_LIST:
    case ARROW_TYPE_MAP: {
      int64_t s1, e1, s2, e2;
      tw_range(&t, a, ai, &s1, &e1);
      tw_range(&t, b, bi, &s2, &e2);
      if (e1 - s1 != e2 - s2) {
        fprintf(stderr, "  %s: list length %lld vs %lld\n", path, (long long)(e1 - s1),
                (long long)(e2 - s2));
        return 0;
      }
      for (int64_t k = 0; k < e1 - s1; k++) {
        if (!tw_slot_equal(s->children[0], a->children[0], s1 + k, b->children[0], s2 + k,
                           path)) {
          return 0;
        }
      }
      return 1;
    }
    default: {
      int64_t w = t.byte_width;
      if (t.id == ARROW_TYPE_FIXED_BINARY) w = t.fixed_size;
      if (w <= 0) return 0;
      const uint8_t *pa = (const uint8_t *)a->buffers[1] + (a->offset + ai) * w;
      const uint8_t *pb = (const uint8_t *)b->buffers[1] + (b->offset + bi) * w;
      if (memcmp(pa, pb, (size_t)w) != 0) {
        fprintf(stderr, "  %s: %s value differs at slots %lld/%lld\n", path, s->format,
                (long long)ai, (long long)bi);
        return 0;
      }
      return 1;
    }
  }
}

#endif
