/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition values of rows, for routing rows to data files (reference/iceberg.md §3.4,
 * §5): a spec bound to the table schema evaluates one row of an Arrow "+s" batch laid
 * out as that schema (ib_schema_to_arrow) into its partition key, and renders a key as
 * the Hive-style path segment Java and Spark write data files under
 * ("id_bucket=3/ts_day=2017-11-16").
 */
#ifndef ICE_ICEBERG_IB_PARTITION_ROW_H
#define ICE_ICEBERG_IB_PARTITION_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "iceberg/ib_data_file.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_transform.h"
#include "util/buf.h"
#include "util/error.h"

/* One partition field bound to its source column. */
struct ib_partition_source {
  int32_t field_id;
  char *name; /* owned copy of the partition field name */
  struct ib_transform transform;
  struct ib_type source; /* primitive: no children */
  struct ib_type result;
  size_t *path; /* owned: child index at each struct level, from the top-level batch */
  size_t depth;
};

struct ib_partition_binding {
  struct ib_partition_source *fields; /* owned, in spec order */
  size_t n;
};

/* Binds spec to schema (the schema the batches are laid out as): every source id must
 * be a primitive reachable through structs only, every transform must accept its
 * source (ICE_EINVAL naming the partition field). *out is filled only on success;
 * reset is idempotent. */
int ib_partition_binding_init(struct ib_partition_binding *out,
                              const struct ib_partition_spec *spec,
                              const struct ib_schema *schema,
                              struct ice_error *err) ICE_NODISCARD;
void ib_partition_binding_reset(struct ib_partition_binding *b);

/* One row's partition values, in spec order: values[i].is_null, or values[i].value of
 * the field's result type. Unlike a data file's tuple, byte values are BORROWED: from
 * the batch (identity and truncate of strings and binaries) or from the key's own
 * scratch (decimals, uuids); valid until the next eval or the batch's release. */
struct ib_partition_key {
  struct ib_partition_value *values; /* owned array */
  uint8_t (*scratch)[32];            /* owned: per field, decimal/uuid workspace */
  size_t n;
};

/* Sizes key for b (all values null). reset is idempotent. */
int ib_partition_key_init(struct ib_partition_key *key,
                          const struct ib_partition_binding *b,
                          struct ice_error *err) ICE_NODISCARD;
void ib_partition_key_reset(struct ib_partition_key *key);

/* Evaluates row `row` (0-based, before batch->offset is applied) of batch: per field
 * the source value (null when it or an enclosing struct is null) through
 * ib_transform_apply (null -> null; void -> null). batch must be laid out as the
 * bound schema; a batch whose children, buffers or formats do not match is ICE_EINVAL
 * naming the partition field. */
int ib_partition_key_eval(const struct ib_partition_binding *b,
                          const struct ArrowArray *batch, int64_t row,
                          struct ib_partition_key *key,
                          struct ice_error *err) ICE_NODISCARD;

/* True when a[0..n) and b[0..n) hold the same field ids and values (nulls equal
 * nulls): a key against another key or against a data file's tuple. */
bool ib_partition_values_equal(const struct ib_partition_value *a,
                               const struct ib_partition_value *b, size_t n);
/* The same for two keys of one binding. */
bool ib_partition_key_equal(const struct ib_partition_key *a,
                            const struct ib_partition_key *b);

/* Makes f's partition tuple an owned copy of key (ib_data_file_set_partition_*). */
int ib_partition_key_to_data_file(const struct ib_partition_key *key,
                                  struct ib_data_file *f,
                                  struct ice_error *err) ICE_NODISCARD;

/* Appends the Hive-style path of values[0..n) (a key's or a data file tuple's, in spec
 * order) to out, without a trailing '/': "name=value" per field joined by '/', name and
 * value escaped as Java's URLEncoder does (space -> '+', bytes outside
 * [A-Za-z0-9.*_-] -> %XX), values in Java's human form (Transform.toHumanString):
 * null -> "null"; year "2017", month "2017-11", day and dates "2017-11-16", hour
 * "2017-11-16-22"; times and timestamps ISO-8601 as java.time prints them
 * ("22:31:08", "2017-11-16T22:31:08.000001", timestamptz with "Z"); decimals as
 * BigDecimal.toString; floats and doubles as Java's toString; binary and fixed in
 * base64; uuids in their 8-4-4-4-12 form. ICE_EINVAL when n differs from the binding
 * or a value's type is not the field's result type. */
int ib_partition_path(const struct ib_partition_binding *b,
                      const struct ib_partition_value *values, size_t n,
                      struct ice_buf *out, struct ice_error *err) ICE_NODISCARD;

#endif
