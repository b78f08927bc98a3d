/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small builders of Arrow arrays and schemas for unit tests: primitives, strings, lists
 * and struct shells with chosen validity, so a test can lay out the same values in
 * different ways (offsets, garbage under nulls).
 */
#ifndef ICE_TEST_ARROW_BUILDERS_H
#define ICE_TEST_ARROW_BUILDERS_H

#include <stdint.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "harness/ice_test.h"
#include "util/alloc.h"

/* ---- builders: each fills a released ArrowArray; "valid" is one char per row, '0'
 * for null (NULL = no bitmap). Values under nulls are whatever the caller passes. */

static inline void *copy_of(const void *p, size_t n) {
  void *q = ice_malloc(n > 0 ? n : 1);
  if (n > 0) memcpy(q, p, n);
  return q;
}

static inline void set_validity(struct ArrowArray *a, const char *valid, int64_t n) {
  if (valid == NULL) return;
  uint8_t *bits = ice_calloc((size_t)(n + 7) / 8 + 1, 1);
  for (int64_t i = 0; i < n; i++) {
    if (valid[i] != '0')
      bits[i / 8] = (uint8_t)(bits[i / 8] | (1u << (i % 8)));
    else
      a->null_count++;
  }
  arrow_array_set_buffer(a, 0, bits);
}

static inline void prim(struct ArrowArray *a, const void *vals, size_t width, int64_t n,
                        const char *valid) {
  struct ice_error err;
  CHECK_OK(arrow_array_init(a, 2, 0, &err), &err);
  a->length = n;
  set_validity(a, valid, n);
  arrow_array_set_buffer(a, 1, copy_of(vals, width * (size_t)n));
}

/* Strings; a NULL entry is a null row (no bytes). */
static inline void strs(struct ArrowArray *a, const char *const *v, int64_t n,
                        int large) {
  struct ice_error err;
  CHECK_OK(arrow_array_init(a, 3, 0, &err), &err);
  a->length = n;
  char valid[64];
  size_t total = 0;
  for (int64_t i = 0; i < n; i++) {
    valid[i] = v[i] ? '1' : '0';
    total += v[i] ? strlen(v[i]) : 0;
  }
  set_validity(a, valid, n);
  char *data = ice_malloc(total + 1);
  int64_t *o64 = ice_calloc((size_t)n + 1, 8);
  int32_t *o32 = ice_calloc((size_t)n + 1, 4);
  size_t at = 0;
  for (int64_t i = 0; i < n; i++) {
    size_t l = v[i] ? strlen(v[i]) : 0;
    memcpy(data + at, v[i] ? v[i] : "", l);
    at += l;
    o64[i + 1] = (int64_t)at;
    o32[i + 1] = (int32_t)at;
  }
  if (large) {
    arrow_array_set_buffer(a, 1, o64);
    ice_free(o32);
  } else {
    arrow_array_set_buffer(a, 1, o32);
    ice_free(o64);
  }
  arrow_array_set_buffer(a, 2, data);
}

/* A list-like (+l, +m) over `child` (moved in), with n + 1 int32 offsets. */
static inline void list(struct ArrowArray *a, const int32_t *offs, int64_t n,
                        const char *valid, struct ArrowArray *child) {
  struct ice_error err;
  CHECK_OK(arrow_array_init(a, 2, 1, &err), &err);
  a->length = n;
  set_validity(a, valid, n);
  arrow_array_set_buffer(a, 1, copy_of(offs, sizeof *offs * (size_t)(n + 1)));
  arrow_array_move(child, a->children[0]);
}

/* A struct (or fixed-size list) shell of n rows and k children to fill. */
static inline void shell(struct ArrowArray *a, int64_t n, const char *valid, int64_t k) {
  struct ice_error err;
  CHECK_OK(arrow_array_init(a, 1, k, &err), &err);
  a->length = n;
  set_validity(a, valid, n);
}

static inline void sch(struct ArrowSchema *s, const char *fmt, const char *name,
                       int64_t k) {
  struct ice_error err;
  CHECK_OK(arrow_schema_init(s, fmt, name, 2, k, &err), &err);
}

/* One-column batches: schema "+s"{col}, array of n rows whose only child is `col`. */
static inline void one_col(struct ArrowSchema *s, struct ArrowArray *a, const char *fmt,
                           int64_t n, struct ArrowArray *col) {
  sch(s, "+s", "", 1);
  sch(s->children[0], fmt, "c", 0);
  shell(a, n, NULL, 1);
  arrow_array_move(col, a->children[0]);
}

#endif
