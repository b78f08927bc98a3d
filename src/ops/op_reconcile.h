/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema reconciliation on the write path: turns batches of an input (Parquet file or
 * Arrow stream, its own Arrow schema) into batches of the table's Arrow schema
 * (ib_schema_to_arrow), matching columns by name at every depth (struct fields, list
 * elements, map entries). Columns whose Arrow type already matches are moved (zero
 * copy; a struct whose fields differ is rebuilt over the input's buffers, its fields
 * planned in turn); safe widenings are converted (int8/16/32 and
 * unsigned -> int/long, uint64 -> decimal(20,0), half/float -> float/double, decimal
 * precision up, ms/s timestamps and INT96 -> microseconds, date64 -> date32, time32 ->
 * time64 us); optional columns the input lacks become all-null columns. Anything else
 * (an input column the table lacks included: schema evolution happens before, in
 * op_schema_evolve.h) is ICE_ESCHEMA naming the input and the column's dotted path.
 */
#ifndef ICE_OPS_OP_RECONCILE_H
#define ICE_OPS_OP_RECONCILE_H

#include <stdbool.h>

#include "ice/ice_arrow.h"
#include "util/error.h"

struct op_reconcile;

/* Plans the conversion. `input` and `table` are "+s" schemas (borrowed for the call);
 * `input_name` names the input in messages. */
int op_reconcile_new(const struct ArrowSchema *input, const struct ArrowSchema *table,
                     const char *input_name, struct op_reconcile **out,
                     struct ice_error *err) ICE_NODISCARD;
/* Converts one batch. `in` is consumed (released on every path); `out` receives a
 * struct array of the table schema. A value that cannot be represented (timestamp
 * overflow) is ICE_ESCHEMA naming the column. */
int op_reconcile_batch(struct op_reconcile *r, struct ArrowArray *in,
                       struct ArrowArray *out, struct ice_error *err) ICE_NODISCARD;
void op_reconcile_free(struct op_reconcile *r);

/* One primitive column on its own, for readers that match columns themselves (the scan
 * matches by field id at every depth): whether input field `in` becomes table field `tf`
 * by the widenings above; *move is true when its arrays serve as they are (same type,
 * decimal precision up). ICE_ESCHEMA naming input_name and the column otherwise. */
int op_reconcile_column_plan(const struct ArrowSchema *in, const struct ArrowSchema *tf,
                             const char *input_name, bool *move,
                             struct ice_error *err) ICE_NODISCARD;
/* A converted copy of src (laid out as `in`) as `tf`, for a plan that does not move;
 * src is borrowed. */
int op_reconcile_column_convert(const struct ArrowSchema *in,
                                const struct ArrowSchema *tf, const char *input_name,
                                const struct ArrowArray *src, struct ArrowArray *dst,
                                struct ice_error *err) ICE_NODISCARD;

/* An all-null array of `n` rows laid out for `field` (any type the table schema maps
 * to; nested children are empty or all-null). For columns a data file lacks. */
int op_null_array(const struct ArrowSchema *field, int64_t n, struct ArrowArray *out,
                  struct ice_error *err) ICE_NODISCARD;

#endif
