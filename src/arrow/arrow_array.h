/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building ArrowArrays whose buffers and children are owned by a private block:
 * release() frees every buffer set with arrow_array_set_buffer (ice_free) and
 * releases every child, so producers hand out arrays without bookkeeping.
 */
#ifndef ICE_ARROW_ARRAY_H
#define ICE_ARROW_ARRAY_H

#include <stdint.h>

#include "ice/ice_arrow.h"
#include "util/error.h"

/* Initialises `a` with length/null_count/offset 0, `n_buffers` NULL buffers and
 * `n_children` children in the released state (release == NULL). release() copes with
 * unfilled children. On failure `a` is left released. */
int arrow_array_init(struct ArrowArray *a, int64_t n_buffers, int64_t n_children,
                     struct ice_error *err) ICE_NODISCARD;

/* Gives buffer i (memory from ice_malloc, or NULL) to the array; a previous buffer in
 * that slot is freed. Must only be used on arrays made by arrow_array_init. */
void arrow_array_set_buffer(struct ArrowArray *a, int64_t i, void *owned);

/* Takes buffer i back from the array (the caller then owns it); NULL if none. */
void *arrow_array_take_buffer(struct ArrowArray *a, int64_t i);

/* Calls release if live; leaves it released. NULL is fine. */
void arrow_array_release(struct ArrowArray *a);

/* Moves a live array into dst (dst must be released); src becomes released. */
void arrow_array_move(struct ArrowArray *src, struct ArrowArray *dst);

#endif
