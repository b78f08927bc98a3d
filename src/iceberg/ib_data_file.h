/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The DataFile struct manifests carry (spec "Manifests" data_file r2;
 * reference/iceberg.md §3.4). The data-file writer fills one per closed file; the
 * manifest writer consumes it. Metrics are (field id -> value) arrays keyed by leaf field
 * ids of the table schema; bounds hold the §4 single-value serialization (see
 * ib_value.h).
 */
#ifndef ICE_ICEBERG_IB_DATA_FILE_H
#define ICE_ICEBERG_IB_DATA_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_types.h"
#include "iceberg/ib_value.h"
#include "util/error.h"

enum ib_content {
  IB_CONTENT_DATA = 0,
  IB_CONTENT_POSITION_DELETES = 1,
  IB_CONTENT_EQUALITY_DELETES = 2
};

enum ib_file_format {
  IB_FORMAT_PARQUET = 0,
  IB_FORMAT_AVRO = 1,
  IB_FORMAT_ORC = 2,
  IB_FORMAT_PUFFIN = 3
};

/* One partition field's value in a data file's partition tuple. The struct field id in
 * the manifest's r102 record is the partition field id (1000, 1001, ...). type is the
 * transform's result type (identity: source type; bucket/year/month/hour: int; day:
 * date). Variable-length values (string, binary, fixed, uuid, decimal) are owned bytes
 * in bytes/len; fixed-width values live in value.u. */
struct ib_partition_value {
  int32_t field_id;
  bool is_null;
  struct ib_value value; /* value.bytes is owned here (freed by ib_data_file_reset) */
};

struct ib_partition_tuple {
  struct ib_partition_value *values; /* in partition spec order; n = 0 unpartitioned */
  size_t n;
};

struct ib_metric_count {
  int32_t field_id;
  int64_t value;
};

struct ib_metric_bound {
  int32_t field_id;
  uint8_t *data; /* owned, §4 serialization */
  size_t len;
};

struct ib_metric_counts {
  struct ib_metric_count *items;
  size_t n, cap;
};

struct ib_metric_bounds {
  struct ib_metric_bound *items;
  size_t n, cap;
};

struct ib_data_file {
  enum ib_content content;
  char *file_path; /* owned; absolute URI with scheme (file:/..., s3://...) */
  enum ib_file_format file_format;
  struct ib_partition_tuple partition;
  int64_t record_count;
  int64_t file_size_in_bytes;
  struct ib_metric_counts column_sizes;
  struct ib_metric_counts value_counts;
  struct ib_metric_counts null_value_counts;
  struct ib_metric_counts nan_value_counts;
  struct ib_metric_bounds lower_bounds;
  struct ib_metric_bounds upper_bounds;
  uint8_t *key_metadata; /* owned, NULL when absent */
  size_t key_metadata_len;
  int64_t *split_offsets; /* owned, ascending row-group start offsets */
  size_t n_split_offsets;
  int32_t *equality_ids; /* owned; only for equality deletes */
  size_t n_equality_ids;
  bool has_sort_order_id;
  int32_t sort_order_id;
  char *referenced_data_file; /* owned, NULL when absent (position deletes only) */
};

/* Zeroes f (content DATA, format PARQUET); reset frees everything and re-inits. */
void ib_data_file_init(struct ib_data_file *f);
void ib_data_file_reset(struct ib_data_file *f);
/* Deep copy into an initialized-or-zeroed dst (dst's old contents are NOT freed). */
int ib_data_file_copy(struct ib_data_file *dst, const struct ib_data_file *src,
                      struct ice_error *err) ICE_NODISCARD;

/* Copies path into f->file_path (replacing any previous one). */
int ib_data_file_set_path(struct ib_data_file *f, const char *path,
                          struct ice_error *err) ICE_NODISCARD;

/* Appends one (field id, value); a field id already present has its value replaced. */
int ib_metric_counts_put(struct ib_metric_counts *m, int32_t field_id, int64_t value,
                         struct ice_error *err) ICE_NODISCARD;
/* Appends one (field id, copy of p[0..n)); replaces an existing entry for field_id. */
int ib_metric_bounds_put(struct ib_metric_bounds *m, int32_t field_id, const uint8_t *p,
                         size_t n, struct ice_error *err) ICE_NODISCARD;
/* Appends without looking for an existing entry (O(1); for readers and copies, whose
 * source holds each field id once). */
int ib_metric_counts_append(struct ib_metric_counts *m, int32_t field_id, int64_t value,
                            struct ice_error *err) ICE_NODISCARD;
int ib_metric_bounds_append(struct ib_metric_bounds *m, int32_t field_id,
                            const uint8_t *p, size_t n,
                            struct ice_error *err) ICE_NODISCARD;
/* Lookups; NULL when absent. */
const struct ib_metric_count *ib_metric_counts_get(const struct ib_metric_counts *m,
                                                   int32_t field_id);
const struct ib_metric_bound *ib_metric_bounds_get(const struct ib_metric_bounds *m,
                                                   int32_t field_id);

int ib_data_file_add_split_offset(struct ib_data_file *f, int64_t offset,
                                  struct ice_error *err) ICE_NODISCARD;
int ib_data_file_add_equality_id(struct ib_data_file *f, int32_t field_id,
                                 struct ice_error *err) ICE_NODISCARD;

/* Sets the partition tuple to n values, all null, with the given field ids (copied). */
int ib_data_file_set_partition_fields(struct ib_data_file *f, const int32_t *field_ids,
                                      size_t n, struct ice_error *err) ICE_NODISCARD;
/* Sets partition value i to a copy of v (bytes copied); v == NULL sets null. */
int ib_data_file_set_partition_value(struct ib_data_file *f, size_t i,
                                     const struct ib_value *v,
                                     struct ice_error *err) ICE_NODISCARD;

/* "PARQUET" etc.: upper case as Java and pyiceberg write it (pyiceberg's reader looks
 * the name up in upper case; the spec spells it lower case). parse is case-insensitive.
 */
const char *ib_file_format_name(enum ib_file_format f);
int ib_file_format_parse(const char *s, enum ib_file_format *out,
                         struct ice_error *err) ICE_NODISCARD;

#endif
