/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_table_scan: argument checks, the snapshot and schema to read, then the ops-layer
 * scan (src/ops/op_scan.h: planning with delete files, execution, field-id matching).
 */
#include "api/api_internal.h"
#include "ops/op_scan.h"

void ice_scan_options_init(struct ice_scan_options *opts) {
  opts->snapshot_id = -1;
  opts->columns = NULL;
  opts->n_columns = 0;
  opts->batch_rows = 0;
  opts->memory_limit = 0;
  opts->threads = 1;
}

int ice_table_scan(ice_table *tbl, const struct ice_scan_options *opts,
                   struct ArrowArrayStream *out, struct ice_error *err) {
  if (tbl == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "table or output is NULL");
  struct ice_scan_options dflt;
  ice_scan_options_init(&dflt);
  if (opts == NULL) opts = &dflt;
  if (opts->threads < 0 || opts->threads > ICE_SCAN_MAX_THREADS)
    ICE_FAIL(err, ICE_EINVAL, "threads %d (0 = one per CPU, or 1 to %d)", opts->threads,
             ICE_SCAN_MAX_THREADS);
  const struct ib_table_metadata *md = &tbl->t.md;
  const struct ib_snapshot *snap = NULL;
  if (opts->snapshot_id >= 0) {
    snap = ib_table_metadata_snapshot_by_id(md, opts->snapshot_id);
    if (snap == NULL)
      ICE_FAIL(err, ICE_ENOTFOUND, "snapshot %lld does not exist",
               (long long)opts->snapshot_id);
  } else {
    snap = ib_table_metadata_current_snapshot(md);
  }
  /* Read with the schema the snapshot was written with, as Iceberg time travel does. */
  const struct ib_schema *schema = NULL;
  if (snap != NULL && snap->has_schema_id && opts->snapshot_id >= 0)
    schema = ib_table_metadata_schema_by_id(md, snap->schema_id);
  if (schema == NULL) schema = ib_table_metadata_current_schema(md);
  if (schema == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no current schema");
  struct op_scan_request req = {md,
                                api_table_io(tbl),
                                snap,
                                schema,
                                opts->columns,
                                opts->n_columns,
                                opts->batch_rows,
                                opts->memory_limit,
                                opts->threads};
  return op_scan_open(&req, out, err);
}

int ice_scan_error_code(const struct ArrowArrayStream *stream) {
  return op_scan_error_code(stream);
}
