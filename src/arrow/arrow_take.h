/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Selecting rows of an ArrowArray into a new array (Arrow's "take"): every type the
 * reader produces, nested ones included (structs, lists, maps, fixed-size lists), so a
 * scan can drop deleted rows from a batch without knowing its shape.
 */
#ifndef ICE_ARROW_ARROW_TAKE_H
#define ICE_ARROW_ARROW_TAKE_H

#include <stdint.h>

#include "ice/ice_arrow.h"
#include "util/error.h"

/* Fills `out` (released on entry) with rows idx[0..n) of `in` (laid out as `schema`;
 * both borrowed). Indexes are logical rows, 0 <= idx[i] < in->length (before
 * in->offset); ICE_EINVAL otherwise. The result owns copies of the selected values
 * (offset 0). ICE_EUNSUPPORTED for types the library never produces (unions, views,
 * dictionaries), ICE_ENOMEM. */
int arrow_array_take(const struct ArrowSchema *schema, const struct ArrowArray *in,
                     const int64_t *idx, int64_t n, struct ArrowArray *out,
                     struct ice_error *err) ICE_NODISCARD;

#endif
