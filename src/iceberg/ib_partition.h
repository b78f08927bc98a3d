/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition specs (spec "Partitioning", "Partition Transforms"; reference/iceberg.md
 * §1.3, §5): the result type of each transform, a total order on primitive values for
 * partition-summary bounds, and specs written as text (`--partition-by`) bound to a
 * schema.
 */
#ifndef ICE_ICEBERG_IB_PARTITION_H
#define ICE_ICEBERG_IB_PARTITION_H

#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_types.h"
#include "iceberg/ib_value.h"
#include "util/error.h"

/* Result type of partition field f over schema (identity/truncate: source type;
 * bucket/year/month/hour: int; day: date; void: source type). ICE_EUNSUPPORTED for an
 * unknown transform, ICE_ECORRUPT when the source id is not a primitive in schema. */
int ib_partition_result_type(const struct ib_partition_field *f,
                             const struct ib_schema *schema, struct ib_type *out,
                             struct ice_error *err) ICE_NODISCARD;

/* Orders two non-null values of the same primitive type: <0, 0, >0. Floats order -0.0
 * before +0.0 (NaN must be excluded by the caller); strings, binary, fixed and uuid
 * compare as unsigned bytes; decimals numerically. */
int ib_value_compare(const struct ib_value *a, const struct ib_value *b);

/* True for a float/double NaN. */
bool ib_value_is_nan(const struct ib_value *v);

/* True when a and b have the same fields in the same order (source id, field id, name
 * and transform): Java's test for a spec that already exists (spec ids aside). */
bool ib_partition_spec_same_fields(const struct ib_partition_spec *a,
                                   const struct ib_partition_spec *b);

/* Parses a partition spec written as text and binds it to schema. text is a comma list
 * of fields, each `col` or `identity(col)`, `bucket(N, col)`, `truncate(W, col)`,
 * `year(col)`, `month(col)`, `day(col)`, `hour(col)` (also `years`..`hours`, as Spark
 * spells them), `void(col)`, optionally followed by `AS name`; transform names and AS
 * are case-insensitive. A column is a dotted path through structs (`a.b`); a name with
 * special characters is written in backquotes (`` `my col` ``, a backquote doubled).
 * Blank text is the unpartitioned spec (no fields).
 *
 * Names default as Java names them: col, col_bucket, col_trunc, col_year, col_month,
 * col_day, col_hour, col_null (col being the dotted path). Field ids: from 1000 for a
 * new table (base NULL); otherwise a field with the same source, transform and name as
 * a field of one of base's specs keeps that field's id (so an identical spec is
 * recognised as existing), the others get last-partition-id + 1, + 2, ...
 *
 * Checks (ICE_EINVAL, the message quoting the field at fault): syntax, unknown column,
 * a source that is not a primitive or lies inside a list or map, a transform that does
 * not fit the source type, a bucket count or width that is not 1..2147483647, a name
 * used twice, a name that is another column of the schema (only identity(col) may be
 * named col), redundant fields (the same transform twice on one source, or two of
 * year/month/day/hour on one source, as Java refuses them). ICE_ELIMIT past
 * ICE_LIMIT_PARTITION_FIELDS fields. out->spec_id is 0 (the metadata builder assigns the
 * real one); *out is filled only on success and freed with ib_partition_spec_reset. */
int ib_partition_spec_parse(const char *text, const struct ib_schema *schema,
                            const struct ib_table_metadata *base,
                            struct ib_partition_spec *out,
                            struct ice_error *err) ICE_NODISCARD;

#endif
