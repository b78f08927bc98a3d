/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One value of an Arrow array, in the text form of render_scalar.h: as JSON (strings
 * quoted, null as `null`, nested values as arrays and objects) or as plain text for CSV
 * (scalars unquoted, null empty, nested values still as their JSON text).
 */
#ifndef ICE_CLI_RENDER_VALUE_H
#define ICE_CLI_RENDER_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli_arrow_view.h"
#include "cli_out.h"

/* Renders slot `slot` (logical index; the array's own offset is applied inside) of `a`,
 * described by field `f` of schema `s`. `json` selects JSON text; otherwise scalars are
 * written bare. Fails with ICE_ECORRUPT when offsets or child lengths are inconsistent.
 */
int render_value(struct cli_out *o, const struct cli_schema *s, const struct cli_field *f,
                 const struct ArrowArray *a, int64_t slot, bool json, int depth,
                 struct ice_error *err);

/* Renders the struct array `a` (field `f`) slot as a JSON object, keys in field order. */
int render_struct_object(struct cli_out *o, const struct cli_schema *s,
                         const struct cli_field *f, const struct ArrowArray *a,
                         int64_t slot, int depth, struct ice_error *err);

#endif /* ICE_CLI_RENDER_VALUE_H */
