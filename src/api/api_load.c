/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_load_files / ice_table_append / ice_table_replace / ice_table_overwrite_partitions /
 * ice_table_merge: argument
 * checks and the translation between the public request/result structs and the ops
 * layer.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "ops/op_load.h"

void ice_load_request_init(struct ice_load_request *req) {
  memset(req, 0, sizeof *req);
  req->mode = ICE_MODE_APPEND;
  ice_merge_options_init(&req->merge);
}

void ice_merge_options_init(struct ice_merge_options *o) {
  memset(o, 0, sizeof *o);
  o->strategy = ICE_MERGE_UPSERT;
  o->dedup = ICE_DEDUP_ERROR;
}

static int merge_options(const struct ice_merge_options *in, struct op_merge_options *out,
                         struct ice_error *err) {
  if (in->n_keys > 0 && in->keys == NULL) ICE_FAIL(err, ICE_EINVAL, "merge keys is NULL");
  if ((unsigned)in->strategy > ICE_MERGE_DELETE_INSERT)
    ICE_FAIL(err, ICE_EINVAL, "unknown merge strategy %d", (int)in->strategy);
  if ((unsigned)in->dedup > ICE_DEDUP_LAST)
    ICE_FAIL(err, ICE_EINVAL, "unknown dedup rule %d", (int)in->dedup);
  for (size_t i = 0; i < in->n_keys; i++)
    if (in->keys[i] == NULL) ICE_FAIL(err, ICE_EINVAL, "merge key %zu is NULL", i);
  *out = (struct op_merge_options){in->keys, in->n_keys,
                                   (enum op_merge_strategy)in->strategy, in->hard_delete,
                                   (enum op_merge_dedup)in->dedup};
  return ICE_OK;
}

int64_t ice_load_min_memory_limit(void) {
  return OP_MIN_MEMORY_LIMIT;
}

static void fill_info(const struct op_load_result *r, struct ice_commit_info *info) {
  if (info == NULL) return;
  memset(info, 0, sizeof *info);
  info->committed = r->committed;
  info->already_loaded_snapshot_id = r->already_loaded_snapshot_id;
  info->snapshot_id = r->snapshot_id;
  snprintf(info->operation, sizeof info->operation, "%s", r->operation);
  info->rows_written = r->rows;
  info->data_files_added = r->files_added;
  info->data_files_removed = r->files_removed;
  info->bytes_written = r->bytes;
  info->attempts = r->attempts;
  info->table_created = r->table_created;
  info->commit_seconds = r->commit_seconds;
  info->manifest_add_seconds = r->manifest_add_seconds;
  info->memory_limit_bytes = r->memory_limit;
  info->memory_peak_bytes = r->memory_peak;
  info->rows_inserted = r->merge.rows_inserted;
  info->rows_updated = r->merge.rows_updated;
  info->rows_deleted = r->merge.rows_deleted;
  info->rows_unchanged = r->merge.rows_unchanged;
  info->files_scanned = r->merge.files_scanned;
  info->files_rewritten = r->merge.files_rewritten;
  info->delete_files_added = r->merge.delete_files_added;
  info->partitions_written = r->partitions;
  info->rows_spilled = r->spilled_rows;
  info->bytes_spilled = r->spilled_bytes;
  snprintf(info->metadata_location, sizeof info->metadata_location, "%s",
           r->metadata_location);
}

struct progress_bridge {
  ice_progress_fn fn;
  void *user;
};

static void bridge(void *user, const struct op_progress *op) {
  const struct progress_bridge *b = user;
  struct ice_load_progress p = {
      op->rows,         op->bytes_written,    op->inputs_done,
      op->inputs_total, op->input_bytes_read, op->input_bytes_total};
  b->fn(b->user, &p);
}

int ice_load_files(ice_catalog *cat, const char *ident,
                   const struct ice_load_request *req, struct ice_commit_info *info,
                   struct ice_error *err) {
  if (cat == NULL || req == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog or request is NULL");
  if (req->n_inputs > 0 && req->inputs == NULL)
    ICE_FAIL(err, ICE_EINVAL, "inputs is NULL");
  if (req->mode != ICE_MODE_APPEND && req->mode != ICE_MODE_REPLACE &&
      req->mode != ICE_MODE_MERGE && req->mode != ICE_MODE_OVERWRITE_PARTITIONS)
    ICE_FAIL(err, ICE_EINVAL, "unknown write mode %d", (int)req->mode);
  if (req->schema_evolution != ICE_SCHEMA_EVOLUTION_ADD &&
      req->schema_evolution != ICE_SCHEMA_EVOLUTION_RELAX &&
      req->schema_evolution != ICE_SCHEMA_EVOLUTION_STRICT)
    ICE_FAIL(err, ICE_EINVAL, "unknown schema evolution %d", (int)req->schema_evolution);
  struct op_merge_options merge;
  if (req->mode == ICE_MODE_MERGE) ICE_TRY(merge_options(&req->merge, &merge, err));
  if (req->memory_limit > 0 && req->memory_limit < OP_MIN_MEMORY_LIMIT)
    ICE_FAIL(err, ICE_EINVAL,
             "memory limit of %lld bytes is below the minimum of %lld bytes (1 MiB)",
             (long long)req->memory_limit, (long long)OP_MIN_MEMORY_LIMIT);
  if (req->threads < 0 || req->threads > ICE_LOAD_MAX_THREADS)
    ICE_FAIL(err, ICE_EINVAL, "threads %d (0 = one per CPU, or 1 to %d)", req->threads,
             ICE_LOAD_MAX_THREADS);
  for (size_t i = 0; i < req->n_inputs; i++)
    if (req->inputs[i] == NULL) ICE_FAIL(err, ICE_EINVAL, "input %zu is NULL", i);
  struct ib_str_map props;
  ICE_TRY(api_props_to_map(req->table_props, &props, err));
  struct progress_bridge pb = {req->progress, req->progress_user};
  enum op_mode mode = req->mode == ICE_MODE_REPLACE ? OP_MODE_REPLACE
                      : req->mode == ICE_MODE_MERGE ? OP_MODE_MERGE
                      : req->mode == ICE_MODE_OVERWRITE_PARTITIONS
                          ? OP_MODE_OVERWRITE_PARTITIONS
                          : OP_MODE_APPEND;
  struct op_load_request oreq = {req->inputs,
                                 req->n_inputs,
                                 mode,
                                 &props,
                                 req->load_id,
                                 req->batch_rows,
                                 req->memory_limit,
                                 req->progress ? bridge : NULL,
                                 &pb,
                                 req->cancel,
                                 mode == OP_MODE_MERGE ? &merge : NULL,
                                 req->schema_evolution == ICE_SCHEMA_EVOLUTION_RELAX
                                     ? IB_EVOLVE_RELAX
                                 : req->schema_evolution == ICE_SCHEMA_EVOLUTION_STRICT
                                     ? IB_EVOLVE_STRICT
                                     : IB_EVOLVE_ADD,
                                 req->partition_by,
                                 req->threads};
  struct op_load_result res;
  int rc = op_load_files(cat->cat, ident, &oreq, &res, err);
  ib_str_map_reset(&props);
  if (rc != ICE_OK) return rc;
  fill_info(&res, info);
  return ICE_OK;
}

static int write_stream(ice_table *tbl, struct ArrowArrayStream *stream,
                        enum op_mode mode, struct ice_commit_info *info,
                        struct ice_error *err) {
  if (stream == NULL || stream->release == NULL)
    ICE_FAIL(err, ICE_EINVAL, "stream is not live");
  if (tbl == NULL) {
    stream->release(stream);
    ICE_FAIL(err, ICE_EINVAL, "table is NULL");
  }
  if (tbl->t.cat == NULL) {
    stream->release(stream);
    ICE_FAIL(err, ICE_EINVAL,
             "table %s was opened from its metadata file alone: writing needs a catalog",
             tbl->t.metadata_location);
  }
  struct op_load_result res;
  ICE_TRY(op_load_stream(&tbl->t, stream, mode, &res, err));
  fill_info(&res, info);
  return ICE_OK;
}

int ice_table_append(ice_table *tbl, struct ArrowArrayStream *stream,
                     struct ice_commit_info *info, struct ice_error *err) {
  return write_stream(tbl, stream, OP_MODE_APPEND, info, err);
}

int ice_table_replace(ice_table *tbl, struct ArrowArrayStream *stream,
                      struct ice_commit_info *info, struct ice_error *err) {
  return write_stream(tbl, stream, OP_MODE_REPLACE, info, err);
}

int ice_table_overwrite_partitions(ice_table *tbl, struct ArrowArrayStream *stream,
                                   struct ice_commit_info *info, struct ice_error *err) {
  return write_stream(tbl, stream, OP_MODE_OVERWRITE_PARTITIONS, info, err);
}

int ice_table_merge(ice_table *tbl, struct ArrowArrayStream *stream,
                    const struct ice_merge_options *opts, struct ice_commit_info *info,
                    struct ice_error *err) {
  struct ice_merge_options defaults;
  ice_merge_options_init(&defaults);
  struct op_merge_options mo;
  int rc = ICE_OK;
  if (stream == NULL || stream->release == NULL)
    ICE_FAIL(err, ICE_EINVAL, "stream is not live");
  if (tbl == NULL) rc = ice_error_set(err, ICE_EINVAL, "table is NULL");
  if (rc == ICE_OK && tbl->t.cat == NULL)
    rc =
        ice_error_set(err, ICE_EINVAL,
                      "table %s was opened from its metadata file alone: writing needs a "
                      "catalog",
                      tbl->t.metadata_location);
  if (rc == ICE_OK) rc = merge_options(opts ? opts : &defaults, &mo, err);
  if (rc != ICE_OK) {
    stream->release(stream);
    return rc;
  }
  struct op_load_result res;
  ICE_TRY(op_merge_stream(&tbl->t, stream, &mo, &res, err));
  fill_info(&res, info);
  return ICE_OK;
}
