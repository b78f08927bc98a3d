/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A growable bit set over 0..n, its memory charged to a budget (one bit per row: the
 * merge marks input rows it skips and stored rows it deletes this way).
 */
#ifndef ICE_UTIL_BITMAP_H
#define ICE_UTIL_BITMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/mem_budget.h"

struct ice_bitmap {
  struct ice_buf bits;
  int64_t n_set;
};

void ice_bitmap_init(struct ice_bitmap *b, struct ice_mem_budget *budget);
void ice_bitmap_reset(struct ice_bitmap *b);
/* Sets bit i (i >= 0), growing as needed. ICE_ELIMIT past the budget. */
int ice_bitmap_set(struct ice_bitmap *b, int64_t i, struct ice_error *err) ICE_NODISCARD;
/* Clears bit i (a bit never set stays clear). */
void ice_bitmap_clear(struct ice_bitmap *b, int64_t i);
bool ice_bitmap_get(const struct ice_bitmap *b, int64_t i);

#endif
