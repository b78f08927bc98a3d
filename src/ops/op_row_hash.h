/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Row fingerprints for the merge: a 128-bit hash (MurmurHash3 x64-128) of each row of a
 * struct batch, so "the incoming row equals the stored row, leave it" is one comparison.
 * Each row is fed to the hash as a canonical serialization of its values, which depends
 * only on the values and the schema, not on how the batch is laid out (offsets, slices,
 * chunking, what sits under a null):
 *   null (any type, at any depth)   0x00
 *   a value                         a non-zero type tag, then
 *     bool                          one byte 0/1
 *     fixed width (ints, floats, decimals, dates, times, timestamps, durations, w:N)
 *                                   its bytes as stored (floats bit for bit: NaN == NaN)
 *     string/binary (and large)     u64 length, the bytes
 *     struct                        each child in order
 *     list/large list/map           u64 element count, each element (map: each entry)
 *     fixed-size list               each element
 * Given the schema, this is a prefix code, so distinct rows serialize differently; only a
 * hash collision (odds ~2^-128 per pair) makes them fingerprint alike. Fingerprints
 * compare rows within one process; they are not a persistent or portable format.
 */
#ifndef ICE_OPS_OP_ROW_HASH_H
#define ICE_OPS_OP_ROW_HASH_H

#include <stdbool.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "util/error.h"

struct op_row_hash {
  uint64_t lo, hi;
};

/* Fingerprints rows [0, a->length) of the struct array `a` laid out as `schema` (a "+s"
 * ArrowSchema; both borrowed) into out[0..a->length). Every child at every depth counts.
 * `a` must be a structurally valid array of `schema` (as our reader and op_reconcile
 * produce, or checked by arrow_array_validate); buffer and child counts, row ranges and
 * offsets are still checked on the way (ICE_EINVAL naming the column). A type the hash
 * cannot serialize (dictionary, union, view) is ICE_EUNSUPPORTED naming the column.
 * Allocates once per call (the compiled schema), never per row. out is filled row by
 * row: after a failure its contents mean nothing. */
int op_row_hash_batch(const struct ArrowSchema *schema, const struct ArrowArray *a,
                      struct op_row_hash *out, struct ice_error *err) ICE_NODISCARD;

static inline bool op_row_hash_equal(struct op_row_hash x, struct op_row_hash y) {
  return x.lo == y.lo && x.hi == y.hi;
}

#endif
