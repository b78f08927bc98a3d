/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The load job. Order matters for "all or nothing": every input's footer and schema is
 * checked before any byte is written; data files and the one new manifest are written
 * next (entries streamed as files close, so memory does not grow with the file count);
 * the snapshot is published by op_commit. Files of a load that failed for sure are
 * deleted; after an unknown commit outcome nothing is.
 */
#include "ops/op_load.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "ice/ice_parquet.h"
#include "iceberg/ib_arrow_schema.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_manifest.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_summary.h"
#include "iceberg/ib_write_paths.h"
#include "io/io.h"
#include "ops/op_cleanup.h"
#include "ops/op_input.h"
#include "ops/op_load_id.h"
#include "ops/op_load_internal.h"
#include "ops/op_location.h"
#include "ops/op_merge_keys.h"
#include "ops/op_reconcile.h"
#include "ops/op_retry.h"
#include "ops/op_table_props.h"
#include "parquet/pq_reader.h"
#include "util/alloc.h"
#include "util/killpoint.h"
#include "util/mem_budget.h"
#include "util/thread_pool.h"
#include "writer/wr_data_writer.h"
#include "writer/wr_pos_delete_writer.h"

/* Monotonic, so a clock step during a load cannot distort the commit cost it reports. */
static double mono_seconds(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0.0;
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void load_report(struct load_ctx *c) {
  const struct load_params *p = c->params;
  if (p->progress == NULL) return;
  int64_t read = c->input_bytes_done;
  if (c->current.rows > 0)
    read += (int64_t)((double)c->current.size *
                      ((double)c->current.rows_read / (double)c->current.rows));
  struct op_progress pr = {c->rows,        c->bytes,       read, p->input_bytes_total,
                           c->inputs_done, p->inputs_total};
  p->progress(p->progress_user, &pr);
}

/* A cancelled load stops at the next batch; only before the commit starts, because
 * files of a commit in flight may already be referenced. */
int load_check_cancel(const struct load_ctx *c, struct ice_error *err) {
  if (c->params->cancel != NULL && *c->params->cancel)
    ICE_FAIL(err, ICE_ECANCELED, "load interrupted; nothing was committed");
  return ICE_OK;
}

/* The file of kind and index in folder dir (NULL: the data folder itself). */
static int open_file_in(struct load_ctx *c, const char *dir, const char *kind,
                        int64_t index, struct ice_output **out, char **location,
                        struct ice_error *err) {
  char *uri = NULL, *name = NULL;
  size_t cap = (dir ? strlen(dir) : 0) + 128;
  name = ice_malloc(cap);
  if (name == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  snprintf(name, cap, "%s%s%s%s-%05lld.parquet", dir ? dir : "", dir ? "/" : "", c->uuid,
           kind, (long long)index);
  int rc = ib_write_paths_data_file(&c->t->md, name, &uri, err);
  ice_free(name);
  /* Tracked before it exists so a crash-free failure path always removes it. */
  if (rc == ICE_OK) rc = op_written_create(&c->written, uri, out, err);
  if (rc != ICE_OK) {
    ice_free(uri);
    return rc;
  }
  *location = uri;
  return ICE_OK;
}

int load_open_file(struct load_ctx *c, const char *kind, int64_t index,
                   struct ice_output **out, char **location, struct ice_error *err) {
  return open_file_in(c, NULL, kind, index, out, location, err);
}

int load_open_file_in(struct load_ctx *c, const char *dir, const char *kind,
                      int64_t index, struct ice_output **out, char **location,
                      struct ice_error *err) {
  return open_file_in(c, dir, kind, index, out, location, err);
}

/* A data file of a partition, under its Hive-style folder (as Spark and Java). */
static int open_partition_file(void *ctx, const char *dir, int64_t index,
                               struct ice_output **out, char **location,
                               struct ice_error *err) {
  return open_file_in(ctx, dir, "", index, out, location, err);
}

int load_write_rows(struct load_ctx *c, struct wr_data_writer *w,
                    const struct ArrowArray *batch, struct ice_error *err) {
  if (c->parts != NULL) return op_part_writer_write(c->parts, batch, err);
  return wr_data_writer_write(w, batch, err);
}

static int open_data_file(void *ctx, int64_t index, struct ice_output **out,
                          char **location, struct ice_error *err) {
  return load_open_file(ctx, "", index, out, location, err);
}

static int start_manifest(struct load_ctx *c, int kind, struct ice_error *err) {
  struct new_manifest *nm = &c->manifests[kind];
  const struct ib_partition_spec *spec = ib_table_metadata_default_spec(&c->t->md);
  if (spec == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no default partition spec");
  const char *codec = NULL;
  ICE_TRY(op_manifest_codec(&c->t->md, &codec, err));
  char *uri = NULL;
  int rc = ib_write_paths_manifest(&c->t->md, c->uuid, kind, &uri, err);
  if (rc == ICE_OK) rc = op_written_create(&c->written, uri, &nm->out, err);
  if (rc == ICE_OK)
    rc = ib_manifest_writer_new(nm->out, uri, c->schema, spec,
                                kind ? IB_MANIFEST_DELETES : IB_MANIFEST_DATA,
                                c->snapshot_id, codec, &nm->w, err);
  ice_free(uri);
  return rc;
}

int load_data_file_done(void *ctx, const struct ib_data_file *df, struct ice_error *err) {
  struct load_ctx *c = ctx;
  double started = mono_seconds();
  int kind = df->content == IB_CONTENT_DATA ? 0 : 1;
  if (c->manifests[kind].w == NULL) ICE_TRY(start_manifest(c, kind, err));
  ICE_TRY(ib_manifest_writer_add(c->manifests[kind].w, df, err));
  ICE_TRY(ib_summary_add_file(&c->added, df, err));
  double took = mono_seconds() - started;
  if (took > 0) c->manifest_add_seconds += took;
  if (kind == 1) {
    c->delete_files++;
    return ICE_OK;
  }
  if (c->overwrite != NULL) ICE_TRY(op_overwrite_partitions_add_file(c->overwrite, df, err));
  c->files++;
  c->bytes += df->file_size_in_bytes;
  if (c->files == 1) ice_killpoint("data-file");
  load_report(c);
  return ICE_OK;
}

/* Writer options from the table's write properties plus the load's memory budget
 * (the writer sizes its pages, dictionaries and row groups to fit it). */
static int writer_options(const struct op_table *t, const struct ib_schema *schema,
                          struct ice_mem_budget *budget, struct wr_options *o,
                          struct ice_error *err) {
  wr_options_init(o);
  ICE_TRY(op_table_props_writer_options(&t->md.properties, o, err));
  o->parquet.budget = budget;
  char *json = NULL;
  ICE_TRY(ib_schema_to_string(schema, &json, err));
  int rc = wr_options_set_schema_json(o, json, err);
  ice_free(json);
  return rc;
}

/* Writes every batch of one input (closed on return). */
static int write_input(struct load_ctx *c, struct wr_data_writer *w, struct op_input *in,
                       struct ice_error *err) {
  int rc = ICE_OK;
  c->current = (struct input_share){in->size, in->rows, 0};
  while (rc == ICE_OK) {
    struct ArrowArray out = {0};
    bool eof = false;
    if ((rc = load_check_cancel(c, err)) != ICE_OK) break;
    rc = op_input_next(in, &out, &eof, err);
    if (rc != ICE_OK || eof) break;
    int64_t n = out.length;
    rc = load_write_rows(c, w, &out, err);
    arrow_array_release(&out);
    c->rows += n;
    c->current.rows_read += n;
    if (rc == ICE_OK) load_report(c);
  }
  c->input_bytes_done += c->current.size;
  c->current = (struct input_share){0, 0, 0};
  op_input_close(in);
  return rc;
}

static int write_file(struct load_ctx *c, struct wr_data_writer *w, const char *path,
                      int64_t batch_rows, struct ice_error *err) {
  struct op_input in;
  ICE_TRY(op_input_open_file(&in, path, &c->table_arrow, batch_rows, &c->budget,
                               c->threads, err));
  return write_input(c, w, &in, err);
}

static void ctx_release(struct load_ctx *c) {
  for (int k = 0; k < 2; k++) {
    struct new_manifest *nm = &c->manifests[k];
    ib_manifest_writer_free(nm->w);
    nm->w = NULL;
    ice_output_close(nm->out);
    nm->out = NULL;
    if (nm->have) ib_manifest_file_reset(&nm->done);
    nm->have = 0;
  }
  wr_pos_delete_writer_free(c->pdw);
  c->pdw = NULL;
  op_merge_free(c->merge);
  c->merge = NULL;
  op_overwrite_partitions_free(c->overwrite);
  c->overwrite = NULL;
  op_part_writer_free(c->parts);
  c->parts = NULL;
  ib_partition_binding_reset(&c->binding);
  arrow_schema_release(&c->table_arrow);
}

/* Finishes the manifests that got entries; *list their records, *n how many. */
static int finish_manifests(struct load_ctx *c, struct ib_manifest_file *list, size_t *n,
                            struct ice_error *err) {
  *n = 0;
  for (int k = 0; k < 2; k++) {
    struct new_manifest *nm = &c->manifests[k];
    if (nm->w == NULL) continue;
    ib_manifest_file_init(&nm->done);
    nm->have = 1;
    ICE_TRY(ib_manifest_writer_finish(nm->w, &nm->done, err));
    list[(*n)++] = nm->done;
  }
  return ICE_OK;
}

/* The router a partitioned table's rows go through: the default spec bound to the
 * current schema, write.partition.max-open-files writers at most. */
static int start_router(struct load_ctx *c, const struct ib_partition_spec *spec,
                        const struct wr_options *wo, struct ice_error *err) {
  int64_t max_open = 0, out_buffer = 0;
  ICE_TRY(op_table_props_max_open_files(&c->t->md.properties, &max_open, err));
  /* Every open data file holds its storage's buffer (an S3 part) in the budget too;
   * the data folder (write.data.path) says which storage. */
  char *where = NULL;
  ICE_TRY(ib_write_paths_data_file(&c->t->md, "x.parquet", &where, err));
  int rc = io_fileio_output_buffer_bytes(c->t->cat->io, where, &out_buffer, err);
  ice_free(where);
  ICE_TRY(rc);
  ICE_TRY(ib_partition_binding_init(&c->binding, spec, c->schema, err));
  struct op_part_writer_config cfg = {&c->table_arrow, &c->binding,
                                      wo,              &c->budget,
                                      max_open,        0,
                                      out_buffer,      open_partition_file,
                                      load_data_file_done, c,
                                      c->pool};
  return op_part_writer_new(&cfg, &c->parts, err);
}

static int finish_router(struct load_ctx *c, struct ice_error *err) {
  ICE_TRY(op_part_writer_close(c->parts, err));
  struct op_part_writer_stats st;
  op_part_writer_get_stats(c->parts, &st);
  c->added.changed_partitions = st.partitions;
  c->partitions = st.partitions;
  c->spilled_rows = st.spilled_rows;
  c->spilled_bytes = st.spilled_bytes;
  return ICE_OK;
}

/* A load whose id the table already holds commits nothing and writes nothing. */
static int already_loaded(const struct op_table *t, const struct load_params *params,
                          struct op_load_result *res) {
  if (params->load_id == NULL || t->metadata_location == NULL) return 0;
  int64_t found = op_load_id_find(&t->md, params->load_id);
  if (found < 0) return 0;
  res->already_loaded_snapshot_id = found;
  snprintf(res->metadata_location, sizeof res->metadata_location, "%s",
           t->metadata_location);
  return 1;
}

/* Writes the data and commits; the table state is t. `feed` writes the rows. */

int load_into(struct op_table *t, const struct load_params *params, feed_fn feed,
              void *arg, struct op_load_result *res, struct ice_error *err) {
  struct load_ctx c;
  memset(&c, 0, sizeof c);
  c.t = t;
  c.params = params;
  int64_t limit =
      params->memory_limit > 0 ? params->memory_limit : OP_DEFAULT_MEMORY_LIMIT;
  ice_mem_budget_init(&c.budget, limit);
  op_written_init(&c.written, t->cat->io);
  op_written_set_budget(&c.written, &c.budget);
  ib_summary_builder_init(&c.added);
  res->already_loaded_snapshot_id = -1;
  if (already_loaded(t, params, res)) return ICE_OK;
  const struct ib_snapshot *head = ib_table_metadata_current_snapshot(&t->md);
  int64_t planned = head ? head->snapshot_id : -1;
  ICE_TRY(ib_table_metadata_check_writable(&t->md, err));
  ICE_TRY(op_check_location_writable(t->cat, &t->id, t->md.location, err));
  /* Where the files go is settled before the first byte is written. */
  ICE_TRY(ib_write_paths_validate(t->md.location, &t->md.properties, err));
  /* The write schema: the table's, or the one the load grows it to (the files carry
   * its field ids; the commit adds it). */
  c.schema = params->schema != NULL ? &params->schema->schema
                                    : ib_table_metadata_current_schema(&t->md);
  const struct ib_partition_spec *spec = ib_table_metadata_default_spec(&t->md);
  if (c.schema == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no current schema");
  bool partitioned = spec != NULL && spec->n_fields > 0;
  struct wr_options wo;
  struct wr_data_writer *w = NULL;
  int rc = writer_options(t, c.schema, &c.budget, &wo, err);
  /* One set of encoding workers for every writer of the load (data, partition, run
   * and delete writers), all driven from this thread. */
  struct pq_workers *workers = NULL;
  int threads = params->threads > 0 ? params->threads : ice_thread_pool_online_cpus();
  c.threads = threads;
  if (rc == ICE_OK && threads > 1) rc = pq_workers_new(threads, &c.budget, &workers, err);
  /* A partitioned load also writes a batch's partitions side by side, and a merge
   * decodes the stored files it reads on these threads. */
  if (rc == ICE_OK && threads > 1) rc = ice_thread_pool_new(threads, &c.pool, err);
  wo.parquet.shared_workers = workers;
  if (rc == ICE_OK) rc = ib_uuid4(c.uuid, err);
  if (rc == ICE_OK) rc = ib_table_metadata_new_snapshot_id(&t->md, &c.snapshot_id, err);
  if (rc == ICE_OK) rc = ib_schema_to_arrow(c.schema, &c.table_arrow, err);
  if (rc == ICE_OK)
    rc = wr_data_writer_new(&c.table_arrow, &wo, open_data_file, load_data_file_done, &c,
                            &w, err);
  c.wo = &wo;
  if (rc == ICE_OK && partitioned) rc = start_router(&c, spec, &wo, err);
  if (rc == ICE_OK && params->mode == OP_MODE_OVERWRITE_PARTITIONS) {
    rc = op_overwrite_partitions_new(&t->md, planned, &c.budget, &c.overwrite, err);
    c.added.replace_partitions = true; /* Java's summary flag of a dynamic overwrite */
  }
  if (rc == ICE_OK) rc = feed(&c, w, arg, err);
  if (rc == ICE_OK && c.parts != NULL) rc = finish_router(&c, err);
  if (rc == ICE_OK) rc = wr_data_writer_close(w, err);
  if (rc == ICE_OK && c.pdw != NULL) rc = wr_pos_delete_writer_close(c.pdw, err);
  double data_done = mono_seconds(); /* the last data file is closed */
  wr_data_writer_free(w);
  wr_options_reset(&wo);
  c.wo = NULL;
  struct ib_manifest_file manifests[2];
  size_t n_manifests = 0;
  if (rc == ICE_OK) rc = finish_manifests(&c, manifests, &n_manifests, err);
  if (rc == ICE_OK) rc = load_check_cancel(&c, err);
  if (rc == ICE_OK) ice_killpoint("data-written");
  struct op_commit_result cr;
  memset(&cr, 0, sizeof cr);
  struct op_load_id_guard guard;
  guard.found = -1;
  if (rc == ICE_OK) {
    const struct op_change *change = c.change;
    if (change == NULL && params->mode == OP_MODE_REPLACE)
      change = &op_change_replace_all;
    if (change == NULL && c.overwrite != NULL)
      change = op_overwrite_partitions_change(c.overwrite);
    if (params->load_id != NULL)
      change = op_load_id_guard_init(&guard, change, params->load_id, planned);
    struct op_commit_request req = {change,      c.snapshot_id, c.uuid,         manifests,
                                    n_manifests, &c.added,      params->load_id,
                                    params->schema};
    rc = op_commit(t, &req, &cr, err);
    /* Another load with this id landed while this one ran: nothing to commit. */
    if (rc == ICE_ECONFLICT && guard.found >= 0) {
      rc = ICE_OK;
      res->already_loaded_snapshot_id = guard.found;
    }
  }
  double commit_done = mono_seconds();
  if (c.merge != NULL) {
    op_merge_get_counts(c.merge, &res->merge);
    res->merge.delete_files_added = c.delete_files;
  }
  ctx_release(&c);
  ice_thread_pool_free(c.pool); /* after the router and merge that used it */
  pq_workers_free(workers);     /* after every writer that used it */
  if (rc == ICE_ECOMMIT_UNKNOWN) {
    op_written_reset(&c.written); /* the catalog may already reference them */
    return ice_error_prefix(err,
                            "the commit's outcome is unknown, so the files this load "
                            "wrote are kept (check the table's snapshots before "
                            "loading again)");
  }
  if (rc != ICE_OK || !cr.committed) {
    op_written_delete_all(&c.written);
  } else {
    op_written_reset(&c.written);
  }
  if (rc != ICE_OK) return rc;
  if (res->already_loaded_snapshot_id >= 0) { /* its files are gone again */
    res->attempts = cr.attempts;
    snprintf(res->metadata_location, sizeof res->metadata_location, "%s",
             t->metadata_location ? t->metadata_location : "");
    return ICE_OK;
  }
  res->committed = cr.committed;
  res->table_created = cr.created;
  res->snapshot_id = cr.committed ? cr.snapshot_id : -1;
  snprintf(res->operation, sizeof res->operation, "%s", cr.committed ? cr.operation : "");
  res->rows = c.rows;
  res->files_added = c.files;
  res->files_removed = cr.data_files_removed;
  res->bytes = c.bytes;
  res->attempts = cr.attempts;
  res->commit_seconds = commit_done > data_done ? commit_done - data_done : 0.0;
  res->manifest_add_seconds = c.manifest_add_seconds;
  res->memory_limit = c.budget.limit;
  res->memory_peak = ice_mem_peak(&c.budget);
  res->partitions = c.partitions;
  res->spilled_rows = c.spilled_rows;
  res->spilled_bytes = c.spilled_bytes;
  snprintf(res->metadata_location, sizeof res->metadata_location, "%s",
           t->metadata_location ? t->metadata_location : "");
  return ICE_OK;
}

static int feed_files(struct load_ctx *c, struct wr_data_writer *w, void *arg,
                      struct ice_error *err) {
  const struct op_load_request *req = ((struct files_arg *)arg)->req;
  for (size_t i = 0; i < req->n_inputs; i++) {
    ICE_TRY(load_check_cancel(c, err));
    ICE_TRY(write_file(c, w, req->inputs[i], req->batch_rows, err));
    c->inputs_done++;
    load_report(c);
  }
  return ICE_OK;
}

static int feed_stream(struct load_ctx *c, struct wr_data_writer *w, void *arg,
                       struct ice_error *err) {
  struct op_input in;
  ICE_TRY(op_input_open_stream(&in, arg, &c->table_arrow, err));
  return write_input(c, w, &in, err);
}

/* What the inputs' footers say about their size. */
struct input_totals {
  int64_t bytes, rows;
};

static int validate_inputs(const struct op_load_request *req,
                           const struct ib_schema *table, struct input_totals *tot,
                           struct ice_error *err) {
  struct ArrowSchema table_arrow = {0};
  *tot = (struct input_totals){0, 0};
  ICE_TRY(ib_schema_to_arrow(table, &table_arrow, err));
  int rc = ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < req->n_inputs; i++) {
    const char *path = req->inputs[i];
    ice_parquet_file *pf = NULL;
    struct ArrowSchema s = {0};
    struct op_reconcile *r = NULL;
    rc = ice_parquet_open(path, &pf, err);
    if (rc == ICE_OK) rc = ice_parquet_schema(pf, &s, err);
    if (rc == ICE_OK) rc = op_reconcile_new(&s, &table_arrow, path, &r, err);
    if (rc == ICE_OK) {
      tot->bytes += ice_parquet_file_size(pf);
      tot->rows += ice_parquet_num_rows(pf);
    }
    op_reconcile_free(r);
    arrow_schema_release(&s);
    ice_parquet_close(pf);
    if (rc != ICE_OK && strstr(err ? err->message : "", path) == NULL)
      ice_error_prefix_path(err, "input", path);
  }
  arrow_schema_release(&table_arrow);
  return rc;
}

/* The table schema a missing table gets: the first input's schema, fresh field ids. */
static int schema_from_first_input(const struct op_load_request *req, int format_version,
                                   struct ib_schema *out, struct ice_error *err) {
  const char *path = req->inputs[0];
  ice_parquet_file *pf = NULL;
  struct ArrowSchema s = {0};
  struct ib_arrow_import_options o = {format_version};
  int rc = ice_parquet_open(path, &pf, err);
  if (rc == ICE_OK) rc = ice_parquet_schema(pf, &s, err);
  if (rc == ICE_OK) rc = ib_schema_from_arrow(&s, &o, out, err);
  arrow_schema_release(&s);
  ice_parquet_close(pf);
  if (rc != ICE_OK && strstr(err ? err->message : "", path) == NULL)
    ice_error_prefix_path(err, "input", path);
  return rc;
}

/* A missing table gets the first input's schema; every input must fit it before the
 * table is prepared. It is created by the commit itself, so a failed load leaves no
 * table behind. */
static int prepare_new_table(struct cat_catalog *cat, const char *ident,
                             const struct op_load_request *req, struct op_table *t,
                             struct input_totals *tot, struct ice_error *err) {
  struct ib_str_map props;
  ib_str_map_init(&props);
  struct ib_schema schema;
  ib_schema_init(&schema, 0);
  int rc = req->create_props ? ib_str_map_copy(&props, req->create_props, err) : ICE_OK;
  int version = 2;
  if (rc == ICE_OK) rc = op_take_format_version(&props, &version, err);
  if (rc == ICE_OK) rc = op_table_props_validate(&props, err);
  if (rc == ICE_OK) rc = schema_from_first_input(req, version, &schema, err);
  /* Later inputs may add columns (or be refused) as they would on an existing table. */
  if (rc == ICE_OK && req->n_inputs > 1)
    rc = op_schema_grow_by_files(&schema, req->schema_evolution, version, req->inputs + 1,
                                 req->n_inputs - 1, err);
  /* A table a merge creates gets its key columns as identifier fields. */
  if (rc == ICE_OK && req->mode == OP_MODE_MERGE)
    rc = op_merge_keys_apply_to_new_schema(&schema, req->merge->keys, req->merge->n_keys,
                                           err);
  if (rc == ICE_OK) rc = validate_inputs(req, &schema, tot, err);
  if (rc == ICE_OK)
    rc = op_table_prepare_new(cat, ident, &schema, req->partition_by, &props, t, err);
  ib_schema_reset(&schema);
  ib_str_map_reset(&props);
  return rc;
}

/* --partition-by of a table that exists: what its default spec already is, or an
 * error (changing the spec is `alter --partition-by`). */
static int check_same_spec(const struct op_table *t, const struct ib_schema *schema,
                           const char *partition_by, struct ice_error *err) {
  struct ib_partition_spec want;
  ICE_TRY(ib_partition_spec_parse(partition_by, schema, &t->md, &want, err));
  const struct ib_partition_spec *have = ib_table_metadata_default_spec(&t->md);
  bool same = have != NULL ? ib_partition_spec_same_fields(have, &want) : want.n_fields == 0;
  ib_partition_spec_reset(&want);
  if (!same)
    ICE_FAIL(err, ICE_EINVAL,
             "table %s.%s exists with another partition spec than --partition-by '%.200s' "
             "(change it with `icestream alter --partition-by`)",
             t->id.ns, t->id.name, partition_by);
  return ICE_OK;
}

int op_load_files(struct cat_catalog *cat, const char *ident,
                  const struct op_load_request *req, struct op_load_result *res,
                  struct ice_error *err) {
  memset(res, 0, sizeof *res);
  res->snapshot_id = -1;
  res->already_loaded_snapshot_id = -1;
  if (req->n_inputs == 0)
    ICE_FAIL(err, ICE_EINVAL,
             "a load needs at least one input (an empty Parquet file empties a table in "
             "replace mode)");
  if (req->n_inputs > INT32_MAX) ICE_FAIL(err, ICE_ELIMIT, "too many inputs");
  struct input_totals tot = {0, 0};
  struct op_table t;
  op_table_init(&t);
  int new_table = 0;
  struct op_schema_target target;
  op_schema_target_init(&target, req->schema_evolution);
  int rc = op_table_load(cat, ident, &t, err);
  if (rc == ICE_ENOTFOUND) {
    op_table_reset(&t);
    rc = prepare_new_table(cat, ident, req, &t, &tot, err);
    if (rc == ICE_OK) new_table = 1;
  }
  /* An existing table's schema grows by the inputs first (add-schema in the commit);
   * then every input must fit the schema the files will be written with. */
  if (rc == ICE_OK && !new_table)
    rc = op_schema_target_from_files(&target, &t.md, req->inputs, req->n_inputs, err);
  if (rc == ICE_OK && !new_table) rc = validate_inputs(req, &target.schema, &tot, err);
  if (rc == ICE_OK && !new_table && req->partition_by != NULL)
    rc = check_same_spec(&t, &target.schema, req->partition_by, err);
  if (rc == ICE_OK) ice_killpoint("validated");
  if (rc == ICE_OK) {
    struct files_arg fa = {req};
    struct load_params params = {
        req->mode, req->merge, req->load_id,  req->memory_limit,  (int32_t)req->n_inputs,
        tot.bytes, tot.rows,   req->progress, req->progress_user, req->cancel,
        new_table ? NULL : &target, req->threads};
    rc = load_into(&t, &params, req->mode == OP_MODE_MERGE ? load_feed_merge : feed_files,
                   &fa, res, err);
  }
  if (rc == ICE_OK && !res->committed && t.metadata_location != NULL)
    snprintf(res->metadata_location, sizeof res->metadata_location, "%s",
             t.metadata_location);
  op_schema_target_reset(&target);
  op_table_reset(&t);
  return rc;
}

int op_load_stream(struct op_table *t, struct ArrowArrayStream *stream, enum op_mode mode,
                   struct op_load_result *res, struct ice_error *err) {
  memset(res, 0, sizeof *res);
  res->snapshot_id = -1;
  res->already_loaded_snapshot_id = -1;
  struct load_params params = {mode, NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0};
  int rc = load_into(t, &params, feed_stream, stream, res, err);
  if (stream->release != NULL) stream->release(stream);
  return rc;
}
