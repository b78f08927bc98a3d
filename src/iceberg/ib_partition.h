/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition transforms as far as manifests need them (spec "Partition Transforms",
 * reference/iceberg.md §5): the result type of each transform, and a total order on
 * primitive values for partition-summary bounds.
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

#endif
