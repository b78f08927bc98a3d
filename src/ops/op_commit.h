/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The snapshot producer and commit loop (reference/iceberg.md §8.1). Data files and the
 * manifests listing them are written once, before this is called; each attempt builds
 * only what depends on the table's current head: the manifests of the base that lose
 * files to the change (op_change.h), rewritten with those files DELETED and the rest
 * EXISTING, then the manifest list and the summary, and commits
 * requirements (main still where it was read) + updates (add-snapshot,
 * set-snapshot-ref main) through the catalog, which writes the metadata. A lost race
 * re-reads the table and tries again with backoff (commit.retry.*): an append re-bases
 * on the new head, a replace re-plans its delete set against it, a merge re-validates.
 */
#ifndef ICE_OPS_OP_COMMIT_H
#define ICE_OPS_OP_COMMIT_H

#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_manifest.h"
#include "iceberg/ib_summary.h"
#include "ops/op_change.h"
#include "ops/op_schema_evolve.h"
#include "ops/op_table.h"
#include "util/error.h"

struct op_commit_request {
  const struct op_change *change; /* what it removes; NULL = an append */
  int64_t snapshot_id;     /* chosen before the manifests were written (they record it) */
  const char *commit_uuid; /* names this load's manifests and manifest lists */
  const struct ib_manifest_file *new_manifests; /* written with snapshot_id */
  size_t n_new_manifests;
  const struct ib_summary_builder *added; /* the files those manifests add */
  const char *load_id;                    /* summary icestream.load-id; NULL = none */
  /* The schema the files were written with (op_schema_evolve.h), stated on every
   * attempt's head; NULL = the head's current schema as it is. */
  const struct op_schema_target *schema;
};

struct op_commit_result {
  int committed; /* 0 when there was nothing to commit */
  int created;   /* the table did not exist and this commit created it */
  int64_t snapshot_id;
  char operation[16];
  int64_t data_files_removed;
  int64_t delete_files_removed;
  int32_t attempts;
};

/* Avro codec for manifests and manifest lists from write.manifest.compression-codec
 * (Java's default gzip = Avro "deflate"; "none"/"uncompressed" = "null"). Unknown values
 * are ICE_EINVAL naming the property. */
int op_manifest_codec(const struct ib_table_metadata *md, const char **codec,
                      struct ice_error *err) ICE_NODISCARD;
/* The same rule for a property value (checking a new table's properties). */
int op_manifest_codec_named(const char *value, const char **codec,
                            struct ice_error *err) ICE_NODISCARD;

/* Commits the request against t, refreshing t on conflicts. A t whose
 * metadata_location is NULL (op_table_prepare_new) is created by the commit: its create
 * lists, then the snapshot when there is something to add, in one catalog commit; losing
 * that race re-reads the other table and, if its schema is identical, commits into it. On
 * success t holds the committed metadata. Errors: ICE_ECONFLICT (retries exhausted; the
 * attempt's own files are already deleted), ICE_ECOMMIT_UNKNOWN (nothing deleted), and
 * I/O or metadata errors before the swap (attempt files deleted; t re-read from its
 * location). The caller owns cleanup of the data files and new manifests: delete them on
 * any error except ICE_ECOMMIT_UNKNOWN. */
int op_commit(struct op_table *t, const struct op_commit_request *req,
              struct op_commit_result *res, struct ice_error *err) ICE_NODISCARD;

#endif
