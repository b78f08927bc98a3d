/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan planning (spec "Scan Planning"; reference/iceberg.md §7.3): one walk over a
 * snapshot's manifest list and manifests (ib_snapshot_for_each_live_entry) gives its
 * live data files, each with the delete files that apply to it:
 *   - a position delete file P applies to data file D iff seq(D) <= seq(P), both are
 *     in the same partition (spec id and partition tuple) and P's referenced_data_file
 *     is absent or D's path (when absent, P's file_path bounds must admit D's path, as
 *     Java's planner prunes);
 *   - an equality delete file E applies iff seq(D) < seq(E) (strict: a commit's own
 *     equality deletes never hide its own rows) and E is in D's partition or E's spec
 *     is unpartitioned (a global delete).
 * seq() is the data sequence number, inherited per §3.7 by the manifest reader. v1
 * tables have no delete files, so every data file plans with none.
 */
#ifndef ICE_OPS_OP_SCAN_PLAN_H
#define ICE_OPS_OP_SCAN_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_data_file.h"
#include "iceberg/ib_snapshot_files.h"
#include "iceberg/ib_table_metadata.h"
#include "util/error.h"

/* Reserved field id of a position delete file's file_path column. */
#define OP_POS_FILE_PATH_ID 2147483546

/* One live file of the snapshot (data or delete). */
struct op_scan_file {
  struct ib_data_file file; /* owned copy of the manifest's data_file record, without
                               its column metrics (but a position delete's file_path
                               bounds) */
  int32_t spec_id;          /* partition spec of the manifest that listed it */
  size_t manifest;          /* index into op_scan_plan.manifests */
  int64_t seq;              /* data sequence number */
};

/* A data file and the delete files that apply to it (indexes into plan.deletes). */
struct op_scan_task {
  struct op_scan_file data;
  size_t *deletes; /* owned; ascending indexes into op_scan_plan.deletes */
  size_t n_deletes;
};

struct op_scan_plan {
  struct op_scan_task *tasks; /* owned, in manifest order */
  size_t n_tasks;
  struct op_scan_file *deletes; /* owned: every live delete file of the snapshot */
  size_t n_deletes;
  char **manifests; /* owned: paths of the manifests that listed the files */
  size_t n_manifests;
};

/* What a planner's caller needs beyond the scan: the lower/upper bounds of these
 * columns kept on data files (a merge prunes by its key columns' bounds). */
struct op_scan_plan_options {
  const int32_t *bound_ids;
  size_t n_bound_ids;
};

void op_scan_plan_init(struct op_scan_plan *p);
void op_scan_plan_reset(struct op_scan_plan *p);

/* Plans a scan of snap (of table md, borrowed for the call). Manifests and the manifest
 * list are opened through open/open_ctx. On failure *out is left empty. Errors: those
 * of the manifest readers (ICE_ECORRUPT, ICE_EIO, ICE_ENOTFOUND), ICE_EUNSUPPORTED for
 * a deletion vector (Puffin) file, ICE_ENOMEM. */
int op_scan_plan_build(const struct ib_table_metadata *md, const struct ib_snapshot *snap,
                       ib_open_input_fn open, void *open_ctx, struct op_scan_plan *out,
                       struct ice_error *err) ICE_NODISCARD;
/* The same, with options (NULL = none). */
int op_scan_plan_build_with(const struct ib_table_metadata *md,
                            const struct ib_snapshot *snap, ib_open_input_fn open,
                            void *open_ctx, const struct op_scan_plan_options *o,
                            struct op_scan_plan *out,
                            struct ice_error *err) ICE_NODISCARD;

/* Whether delete file del applies to data file data (the rules above). md resolves
 * the delete's partition spec (an unknown spec id counts as partitioned). */
bool op_scan_delete_applies(const struct ib_table_metadata *md,
                            const struct op_scan_file *data,
                            const struct op_scan_file *del);

/* Opener for op_scan_plan_build: ctx is the table's io_fileio (location map, then
 * storage by scheme). */
int op_scan_open_input(void *ctx, const char *uri, struct ice_input **in,
                       struct ice_error *err) ICE_NODISCARD;

#endif
