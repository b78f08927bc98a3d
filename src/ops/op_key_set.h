/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Equality-delete keys: the values of a row's key columns encoded as one byte string,
 * and a hash set of such strings whose memory is charged to a budget. The encoding
 * makes the values Iceberg's widenings relate compare equal (int and long both as
 * 64-bit, float as double, every decimal as 128-bit), and null equals null (spec:
 * "null matches null" for equality deletes).
 */
#ifndef ICE_OPS_OP_KEY_SET_H
#define ICE_OPS_OP_KEY_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arrow/arrow_type.h"
#include "ice/ice_arrow.h"
#include "ops/op_key_map.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem_budget.h"

/* Appends the key encoding of row `row` of `a` (of type t; NULL = a column the file
 * lacks, read as null) to out. ICE_EUNSUPPORTED for nested types. */
int op_key_append(const struct arrow_type *t, const struct ArrowArray *a, int64_t row,
                  struct ice_buf *out, struct ice_error *err) ICE_NODISCARD;

/* A set: a key map without values. */
struct op_key_set {
  struct op_key_map map;
};

/* Charges everything the set holds to budget (borrowed; NULL = no limit). */
void op_key_set_init(struct op_key_set *s, struct ice_mem_budget *budget);
void op_key_set_reset(struct op_key_set *s);
/* Adds a copy of k[0..len) (a key already there is kept once). ICE_ELIMIT when the
 * budget cannot hold it. */
int op_key_set_add(struct op_key_set *s, const uint8_t *k, size_t len,
                   struct ice_error *err) ICE_NODISCARD;
bool op_key_set_contains(const struct op_key_set *s, const uint8_t *k, size_t len);
static inline size_t op_key_set_size(const struct op_key_set *s) {
  return s->map.n;
}

#endif
