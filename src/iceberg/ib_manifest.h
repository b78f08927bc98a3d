/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Manifests and manifest lists (spec "Manifests", "Manifest Lists"; reference/iceberg.md
 * §3): streaming writers with the exact v2 Avro schemas and header metadata, and
 * readers for v1 and v2 files that resolve columns by name, tolerate extra fields and
 * materialize inherited snapshot ids and sequence numbers (§3.7).
 */
#ifndef ICE_ICEBERG_IB_MANIFEST_H
#define ICE_ICEBERG_IB_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "avro/avro_ocf.h"
#include "iceberg/ib_data_file.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_types.h"
#include "io/io.h"
#include "util/error.h"

enum ib_entry_status {
  IB_STATUS_EXISTING = 0,
  IB_STATUS_ADDED = 1,
  IB_STATUS_DELETED = 2
};

enum ib_manifest_content { IB_MANIFEST_DATA = 0, IB_MANIFEST_DELETES = 1 };

/* Placeholder for sequence numbers the manifest-list writer assigns at commit. */
#define IB_SEQ_UNASSIGNED (-1)

struct ib_manifest_entry {
  enum ib_entry_status status;
  bool has_snapshot_id;
  int64_t snapshot_id;
  bool has_sequence_number; /* data sequence number */
  int64_t sequence_number;
  bool has_file_sequence_number;
  int64_t file_sequence_number;
  struct ib_data_file file;
};

void ib_manifest_entry_init(struct ib_manifest_entry *e);
void ib_manifest_entry_reset(struct ib_manifest_entry *e);

/* manifest_list r508: summary of one partition field over a manifest's entries. */
struct ib_field_summary {
  bool contains_null;
  bool has_contains_nan;
  bool contains_nan;
  uint8_t *lower_bound; /* owned §4 bytes; NULL when absent */
  size_t lower_len;
  uint8_t *upper_bound; /* owned; NULL when absent */
  size_t upper_len;
};

/* One manifest_file record of a manifest list. */
struct ib_manifest_file {
  char *manifest_path; /* owned */
  int64_t manifest_length;
  int32_t partition_spec_id;
  enum ib_manifest_content content;
  int64_t sequence_number;     /* IB_SEQ_UNASSIGNED for a manifest not yet committed */
  int64_t min_sequence_number; /* likewise */
  int64_t added_snapshot_id;
  int32_t added_files_count;
  int32_t existing_files_count;
  int32_t deleted_files_count;
  int64_t added_rows_count;
  int64_t existing_rows_count;
  int64_t deleted_rows_count;
  bool has_partitions;
  struct ib_field_summary *partitions; /* owned, one per partition field */
  size_t n_partitions;
  uint8_t *key_metadata; /* owned; NULL when absent */
  size_t key_metadata_len;
};

void ib_manifest_file_init(struct ib_manifest_file *mf);
void ib_manifest_file_reset(struct ib_manifest_file *mf);
int ib_manifest_file_copy(struct ib_manifest_file *dst,
                          const struct ib_manifest_file *src,
                          struct ice_error *err) ICE_NODISCARD;

/* ---- manifest writer (v2) ---- */

struct ib_manifest_writer;

/* The Avro codec of manifests and manifest lists from a codec name or the value of
 * write.manifest.compression-codec: gzip/deflate (Java's default; NULL too) or
 * none/uncompressed/null. Anything else is ICE_EUNSUPPORTED. */
int ib_manifest_codec_parse(const char *codec, enum avro_codec *out,
                            struct ice_error *err) ICE_NODISCARD;

/* Starts a v2 manifest on out (borrowed; the caller closes it after finish/abort).
 * path is the manifest's absolute location recorded in the manifest_file result.
 * schema/spec describe the data files (header keys schema, schema-id, partition-spec,
 * partition-spec-id, format-version "2", content). snapshot_id is the snapshot that
 * will add this manifest. codec: "null" or "deflate" (Java's default; NULL = deflate).
 * Nothing beyond one Avro block is held in memory. On failure nothing is owned: the
 * caller aborts out. Once created, ib_manifest_writer_free aborts out unless finish
 * succeeded. */
int ib_manifest_writer_new(struct ice_output *out, const char *path,
                           const struct ib_schema *schema,
                           const struct ib_partition_spec *spec,
                           enum ib_manifest_content content, int64_t snapshot_id,
                           const char *codec, struct ib_manifest_writer **w,
                           struct ice_error *err) ICE_NODISCARD;
/* A file new in this snapshot: status ADDED, snapshot_id set, sequence numbers null
 * (inherited at commit). */
int ib_manifest_writer_add(struct ib_manifest_writer *w, const struct ib_data_file *f,
                           struct ice_error *err) ICE_NODISCARD;
/* A carried file: status EXISTING keeping e's snapshot id and sequence numbers (which
 * must be materialized, as the reader returns them). */
int ib_manifest_writer_add_existing(struct ib_manifest_writer *w,
                                    const struct ib_manifest_entry *e,
                                    struct ice_error *err) ICE_NODISCARD;
/* A removed file: status DELETED, snapshot_id = the writer's snapshot, e's sequence
 * numbers kept. */
int ib_manifest_writer_add_deleted(struct ib_manifest_writer *w,
                                   const struct ib_manifest_entry *e,
                                   struct ice_error *err) ICE_NODISCARD;
/* Flushes, finishes the output and fills *mf (length, counts, partition summaries,
 * sequence numbers IB_SEQ_UNASSIGNED unless every live entry had one). */
int ib_manifest_writer_finish(struct ib_manifest_writer *w, struct ib_manifest_file *mf,
                              struct ice_error *err) ICE_NODISCARD;
/* Frees the writer; aborts the output if finish did not succeed. NULL is fine. */
void ib_manifest_writer_free(struct ib_manifest_writer *w);

/* ---- manifest list writer (v2) ---- */

struct ib_manifest_list_writer;

/* Header metadata snapshot-id, parent-snapshot-id ("null" when none), sequence-number,
 * format-version "2". */
int ib_manifest_list_writer_new(struct ice_output *out, int64_t snapshot_id,
                                bool has_parent, int64_t parent_snapshot_id,
                                int64_t sequence_number, const char *codec,
                                struct ib_manifest_list_writer **w,
                                struct ice_error *err) ICE_NODISCARD;
/* Adds one manifest. IB_SEQ_UNASSIGNED sequence numbers become the list's sequence
 * number; such manifests must have added_snapshot_id = the list's snapshot (else
 * ICE_EINVAL). */
int ib_manifest_list_writer_add(struct ib_manifest_list_writer *w,
                                const struct ib_manifest_file *mf,
                                struct ice_error *err) ICE_NODISCARD;
int ib_manifest_list_writer_finish(struct ib_manifest_list_writer *w,
                                   struct ice_error *err) ICE_NODISCARD;
void ib_manifest_list_writer_free(struct ib_manifest_list_writer *w);

/* ---- readers (v1 and v2) ---- */

struct ib_manifest_list {
  struct ib_manifest_file *items; /* owned */
  size_t n;
};

/* Reads a whole manifest list (v1 fields default per §1.4: content 0, sequence numbers
 * 0). At most ICE_LIMIT_MANIFESTS_PER_LIST entries. */
int ib_manifest_list_read(struct ice_input *in, struct ib_manifest_list *out,
                          struct ice_error *err) ICE_NODISCARD;
void ib_manifest_list_reset(struct ib_manifest_list *l);

struct ib_manifest_reader;

/* Opens a manifest for streaming. mf (may be NULL) supplies inheritance: entries with a
 * null snapshot_id get mf->added_snapshot_id; ADDED entries with null sequence numbers
 * get mf->sequence_number (v1 manifests: 0). in is borrowed and must outlive r. */
int ib_manifest_reader_open(struct ice_input *in, const struct ib_manifest_file *mf,
                            struct ib_manifest_reader **r,
                            struct ice_error *err) ICE_NODISCARD;
/* Next entry into *e (reset first by the reader; the caller resets the last one).
 * *eof = true and e untouched at the end. */
int ib_manifest_reader_next(struct ib_manifest_reader *r, struct ib_manifest_entry *e,
                            bool *eof, struct ice_error *err) ICE_NODISCARD;
/* Header values (borrowed, NULL when absent): "schema", "partition-spec",
 * "partition-spec-id", "format-version", "content". */
const char *ib_manifest_reader_meta(const struct ib_manifest_reader *r, const char *key);
int ib_manifest_reader_format_version(const struct ib_manifest_reader *r);
void ib_manifest_reader_free(struct ib_manifest_reader *r);

#endif
