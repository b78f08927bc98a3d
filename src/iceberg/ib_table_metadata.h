/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table metadata (spec "Table Metadata"; reference/iceberg.md §1, §2): parse v1/v2 JSON
 * with the v1 defaults of §1.4, validate, write v2 JSON in Java's key order, and the two
 * builders a load needs (new table, add snapshot to main). Everything icestream does not
 * model (statistics, partition-statistics, refs other than main, unknown keys) is kept
 * from the parsed document and written back unchanged.
 */
#ifndef ICE_ICEBERG_IB_TABLE_METADATA_H
#define ICE_ICEBERG_IB_TABLE_METADATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_str_map.h"
#include "iceberg/ib_types.h"
#include "io/io.h"
#include "util/error.h"

struct json_t; /* jansson */

struct ib_partition_field {
  int32_t source_id;
  int32_t field_id; /* 1000, 1001, ... */
  char *name;       /* owned */
  char *transform;  /* owned: "identity", "bucket[16]", "day", ... */
};

struct ib_partition_spec {
  int32_t spec_id;
  struct ib_partition_field *fields; /* owned */
  size_t n_fields;
};

struct ib_sort_field {
  char *transform; /* owned */
  int32_t source_id;
  bool descending;
  bool nulls_first;
};

struct ib_sort_order {
  int32_t order_id;
  struct ib_sort_field *fields; /* owned */
  size_t n_fields;
};

struct ib_snapshot {
  int64_t snapshot_id;
  bool has_parent;
  int64_t parent_snapshot_id;
  int64_t sequence_number; /* 0 for v1 snapshots */
  int64_t timestamp_ms;
  char *manifest_list; /* owned; NULL for v1 snapshots that list `manifests` */
  char **manifests;    /* owned; v1 alternative to a manifest list */
  size_t n_manifests;
  struct ib_str_map summary; /* includes "operation" */
  bool has_schema_id;
  int32_t schema_id;
};

struct ib_snapshot_log_entry {
  int64_t timestamp_ms;
  int64_t snapshot_id;
};

struct ib_metadata_log_entry {
  int64_t timestamp_ms;
  char *metadata_file; /* owned */
};

struct ib_table_metadata {
  int format_version; /* 1 or 2 when read; always written as 2 */
  char *table_uuid;   /* owned; generated for v1 tables that lack one */
  char *location;     /* owned */
  int64_t last_sequence_number;
  int64_t last_updated_ms;
  int32_t last_column_id;
  struct ib_schema *schemas;
  size_t n_schemas;
  int32_t current_schema_id;
  struct ib_partition_spec *specs;
  size_t n_specs;
  int32_t default_spec_id;
  int32_t last_partition_id;
  struct ib_sort_order *sort_orders;
  size_t n_sort_orders;
  int32_t default_sort_order_id;
  struct ib_str_map properties;
  bool has_current_snapshot; /* false: none (-1/null/absent on input) */
  int64_t current_snapshot_id;
  struct ib_snapshot *snapshots;
  size_t n_snapshots;
  struct ib_snapshot_log_entry *snapshot_log;
  size_t n_snapshot_log;
  struct ib_metadata_log_entry *metadata_log;
  size_t n_metadata_log;
  /* The parsed document (or an empty object for a new table): source of every key not
   * modelled above (refs other than main and their retention fields, statistics,
   * partition-statistics, unknown keys), re-emitted on write. Owned reference. */
  struct json_t *raw;
};

void ib_table_metadata_init(struct ib_table_metadata *md);
void ib_table_metadata_reset(struct ib_table_metadata *md); /* idempotent */

/* Parses and validates table metadata JSON (v1 or v2; v3 and above are
 * ICE_EUNSUPPORTED). Invalid documents fail with ICE_ECORRUPT and a message naming the
 * problem ("table metadata: current-schema-id 2 not found in schemas"). len is capped by
 * ICE_LIMIT_METADATA_JSON_BYTES. md must be initialized; it is filled only on success. */
int ib_table_metadata_parse(const char *json, size_t len, struct ib_table_metadata *md,
                            struct ice_error *err) ICE_NODISCARD;
/* Reads the whole file and parses it; gzip-compressed files (Java's
 * *.gz.metadata.json) are recognised by their magic bytes and decompressed. */
int ib_table_metadata_read(struct ice_input *in, struct ib_table_metadata *md,
                           struct ice_error *err) ICE_NODISCARD;

/* Semantic checks shared by parse and the builders (schema/spec/order ids resolve,
 * current snapshot exists, last-column-id covers every schema, sequence numbers). */
int ib_table_metadata_validate(const struct ib_table_metadata *md,
                               struct ice_error *err) ICE_NODISCARD;

/* Refuses metadata that a commit would make worse (ICE_ECORRUPT naming the field):
 * last-column-id or last-partition-id below an id already assigned, a
 * last-sequence-number that cannot be advanced. Run before anything is written. */
int ib_table_metadata_check_writable(const struct ib_table_metadata *md,
                                     struct ice_error *err) ICE_NODISCARD;

/* Serializes as format-version 2 JSON (Java's key order, 2-space indent). *out is
 * NUL-terminated, free with ice_free. */
int ib_table_metadata_to_json(const struct ib_table_metadata *md, char **out, size_t *len,
                              struct ice_error *err) ICE_NODISCARD;
/* Serializes and writes to out, then finishes it (the caller closes out). */
int ib_table_metadata_write(const struct ib_table_metadata *md, struct ice_output *out,
                            struct ice_error *err) ICE_NODISCARD;

/* One snapshot object <-> JSON: the shape of a `snapshots[]` entry and of the REST
 * add-snapshot update's "snapshot". from_json checks every member (ICE_ECORRUPT naming
 * it) and fills *out only on success; to_json returns a new reference. */
int ib_snapshot_from_json(const struct json_t *j, struct ib_snapshot *out,
                          struct ice_error *err) ICE_NODISCARD;
int ib_snapshot_to_json(const struct ib_snapshot *s, struct json_t **out,
                        struct ice_error *err) ICE_NODISCARD;
void ib_snapshot_reset(struct ib_snapshot *s);

/* Deep copies (dst is overwritten, not freed; on failure dst holds nothing). The
 * metadata copy includes a private copy of the preserved document (raw). */
int ib_snapshot_copy(struct ib_snapshot *dst, const struct ib_snapshot *src,
                     struct ice_error *err) ICE_NODISCARD;
int ib_partition_spec_copy(struct ib_partition_spec *dst,
                           const struct ib_partition_spec *src,
                           struct ice_error *err) ICE_NODISCARD;
int ib_sort_order_copy(struct ib_sort_order *dst, const struct ib_sort_order *src,
                       struct ice_error *err) ICE_NODISCARD;
int ib_table_metadata_copy(struct ib_table_metadata *dst,
                           const struct ib_table_metadata *src,
                           struct ice_error *err) ICE_NODISCARD;

/* Borrowed lookups; NULL when absent. */
const struct ib_schema *ib_table_metadata_current_schema(
    const struct ib_table_metadata *md);
const struct ib_schema *ib_table_metadata_schema_by_id(const struct ib_table_metadata *md,
                                                       int32_t schema_id);
const struct ib_partition_spec *ib_table_metadata_default_spec(
    const struct ib_table_metadata *md);
const struct ib_partition_spec *ib_table_metadata_spec_by_id(
    const struct ib_table_metadata *md, int32_t spec_id);
const struct ib_snapshot *ib_table_metadata_current_snapshot(
    const struct ib_table_metadata *md);
/* Whether a spec leaves the table one partition: no fields, or only void ones (as Java's
 * PartitionSpec.isUnpartitioned, so a v1 table "unpartitioned" by voiding counts). */
bool ib_partition_spec_is_unpartitioned(const struct ib_partition_spec *spec);
const struct ib_snapshot *ib_table_metadata_snapshot_by_id(
    const struct ib_table_metadata *md, int64_t snapshot_id);
/* Table property with default. */
const char *ib_table_metadata_property(const struct ib_table_metadata *md,
                                       const char *key, const char *dflt);

/* ---- commit helpers (the builder itself: ib_update.h) ---- */

/* Sequence number for the next snapshot: last-sequence-number + 1. */
int64_t ib_table_metadata_next_sequence_number(const struct ib_table_metadata *md);
/* A random positive 63-bit snapshot id not used by md (UUIDv4 halves XORed, as Java). */
int ib_table_metadata_new_snapshot_id(const struct ib_table_metadata *md, int64_t *out,
                                      struct ice_error *err) ICE_NODISCARD;

/* What a commit on a branch adds (ib_commit_add_snapshot). */
struct ib_snapshot_add {
  int64_t snapshot_id;     /* from ib_table_metadata_new_snapshot_id */
  int64_t sequence_number; /* must be ib_table_metadata_next_sequence_number(md) */
  int64_t timestamp_ms;
  const char *manifest_list;
  const struct ib_str_map *summary; /* must contain "operation" */
};

/* Records that md (as loaded from previous_metadata_file) is being superseded: appends
 * {md->last_updated_ms, previous_metadata_file} to metadata-log and trims it to the
 * newest max(1, write.metadata.previous-versions-max) entries (default 100). Call once
 * per new metadata file, before other changes. */
int ib_table_metadata_push_previous(struct ib_table_metadata *md,
                                    const char *previous_metadata_file,
                                    struct ice_error *err) ICE_NODISCARD;

#endif
