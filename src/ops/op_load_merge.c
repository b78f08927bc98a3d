/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The merge as a load (op_merge.h): the load's data and position-delete writers as the
 * merge's sink, its passes over the inputs, and ice_table_merge's Arrow stream, first
 * spooled to a local Parquet file because a merge reads its input twice.
 */
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "iceberg/ib_partition_row.h"
#include "iceberg/ib_write_paths.h"
#include "ops/op_input.h"
#include "ops/op_load_internal.h"
#include "ops/op_merge.h"
#include "ops/op_spill.h"
#include "ops/op_table_props.h"
#include "parquet/pq_writer.h"
#include "util/alloc.h"
#include "util/killpoint.h"

/* ---- merge: the load's writers as the merge's sink ---- */

struct merge_arg {
  const struct op_load_request *req;
  struct wr_data_writer *w;
  struct load_ctx *c;
  /* Position delete files: one writer per partition, numbered across them all, under
   * the partition's folder. */
  int64_t del_base, del_next;
  struct ice_buf del_dir;
};

/* Merged input rows and copy-on-write survivors alike: through the partition router
 * when the table is partitioned (a row whose partition column changed lands in its
 * new partition). */
static int merge_write_rows(void *ctx, const struct ArrowArray *batch,
                            struct ice_error *err) {
  struct merge_arg *a = ctx;
  ICE_TRY(load_write_rows(a->c, a->w, batch, err));
  a->c->rows += batch->length;
  load_report(a->c);
  return ICE_OK;
}

static int open_delete_file(void *ctx, int64_t index, struct ice_output **out,
                            char **location, struct ice_error *err) {
  struct merge_arg *a = ctx;
  int64_t n = a->del_base + index;
  if (n + 1 > a->del_next) a->del_next = n + 1;
  const char *dir = a->del_dir.len > 0 ? (const char *)a->del_dir.data : NULL;
  return load_open_file_in(a->c, dir, "-deletes", n, out, location, err);
}

static int delete_file_done(void *ctx, const struct ib_data_file *df,
                            struct ice_error *err) {
  return load_data_file_done(((struct merge_arg *)ctx)->c, df, err);
}

/* Closes the current delete writer: its last file reaches the manifest. */
static int close_deletes(struct load_ctx *c, struct ice_error *err) {
  if (c->pdw == NULL) return ICE_OK;
  int rc = wr_pos_delete_writer_close(c->pdw, err);
  wr_pos_delete_writer_free(c->pdw);
  c->pdw = NULL;
  return rc;
}

/* Closes the writer of the previous partition (its last file reaches the manifest)
 * and starts one whose files carry tuple p. */
static int merge_delete_partition(void *ctx, const struct ib_partition_tuple *p,
                                  struct ice_error *err) {
  struct merge_arg *a = ctx;
  struct load_ctx *c = a->c;
  ICE_TRY(close_deletes(c, err));
  a->del_base = a->del_next;
  ice_buf_clear(&a->del_dir);
  /* The folder is cosmetic: a tuple the spec cannot render (an int read from before a
   * promotion to long, say) leaves its files in the data folder. */
  struct ice_error ignored;
  if (c->parts != NULL && p->n > 0 &&
      (ib_partition_path(&c->binding, p->values, p->n, &a->del_dir, &ignored) != ICE_OK ||
       ice_buf_append_byte(&a->del_dir, 0, &ignored) != ICE_OK))
    ice_buf_clear(&a->del_dir);
  /* Delete files have their own target size and Parquet settings (write.delete.*). */
  struct wr_options o;
  wr_options_init(&o);
  int rc = op_table_props_delete_writer_options(&c->t->md.properties, &o, err);
  o.parquet.budget = c->wo->parquet.budget;
  o.parquet.shared_workers = c->wo->parquet.shared_workers;
  if (rc == ICE_OK)
    rc =
        wr_pos_delete_writer_new(&o, open_delete_file, delete_file_done, a, &c->pdw, err);
  wr_options_reset(&o);
  if (rc == ICE_OK) rc = wr_pos_delete_writer_set_partition(c->pdw, p, err);
  return rc;
}

static int merge_delete_positions(void *ctx, const char *path, const int64_t *pos,
                                  size_t n, struct ice_error *err) {
  struct load_ctx *c = ((struct merge_arg *)ctx)->c;
  if (c->pdw == NULL)
    ICE_FAIL(err, ICE_EINTERNAL, "merge deletes positions before naming a partition");
  return wr_pos_delete_writer_add(c->pdw, path, pos, n, err);
}

static int merge_check_cancel(void *ctx, struct ice_error *err) {
  return load_check_cancel(((struct merge_arg *)ctx)->c, err);
}

/* Pass 1 over one input: its rows into the merge's index. */
static int ingest_input(struct load_ctx *c, const char *path, int64_t batch_rows,
                        struct ice_error *err) {
  struct op_input in;
  ICE_TRY(op_input_open_file(&in, path, &c->table_arrow, batch_rows, &c->budget,
                               c->threads, err));
  int rc = ICE_OK;
  int64_t row = 0;
  c->current = (struct input_share){in.size, in.rows, 0};
  while (rc == ICE_OK && (rc = load_check_cancel(c, err)) == ICE_OK) {
    struct ArrowArray b = {0};
    bool eof = false;
    rc = op_input_next(&in, &b, &eof, err);
    if (rc != ICE_OK || eof) break;
    rc = op_merge_ingest(c->merge, &b, path, row, err);
    row += b.length;
    c->current.rows_read += b.length;
    arrow_array_release(&b);
    if (rc == ICE_OK) load_report(c);
  }
  c->input_bytes_done += c->current.size;
  c->current = (struct input_share){0, 0, 0};
  op_input_close(&in);
  return rc;
}

/* Pass 3 over one input: the rows the merge keeps, written. */
static int write_merged_input(struct load_ctx *c, struct merge_arg *a, const char *path,
                              int64_t batch_rows, struct ice_error *err) {
  struct op_input in;
  ICE_TRY(op_input_open_file(&in, path, &c->table_arrow, batch_rows, &c->budget,
                               c->threads, err));
  int rc = ICE_OK;
  while (rc == ICE_OK && (rc = load_check_cancel(c, err)) == ICE_OK) {
    struct ArrowArray b = {0}, keep = {0};
    bool eof = false;
    rc = op_input_next(&in, &b, &eof, err);
    if (rc != ICE_OK || eof) break;
    rc = op_merge_filter(c->merge, &b, &keep, err);
    if (rc == ICE_OK && keep.length > 0) rc = merge_write_rows(a, &keep, err);
    arrow_array_release(&keep);
  }
  op_input_close(&in);
  return rc;
}

static int merge_passes(struct load_ctx *c, struct merge_arg *a, struct ice_error *err) {
  const struct op_load_request *req = a->req;
  struct op_merge_sink sink = {merge_write_rows, merge_delete_partition,
                               merge_delete_positions, merge_check_cancel, a};
  const struct io_fileio *io = c->t->cat->io;
  ICE_TRY(op_merge_new(c->t, &c->table_arrow, req->merge, &c->budget, &c->merge, err));
  ICE_TRY(op_merge_use_partitions(c->merge, c->schema, err));
  ICE_TRY(op_merge_use_threads(c->merge, c->pool, err));
  op_merge_expect_rows(c->merge, c->params->input_rows_total);
  for (size_t i = 0; i < req->n_inputs; i++) {
    ICE_TRY(ingest_input(c, req->inputs[i], req->batch_rows, err));
    c->inputs_done++;
  }
  ice_killpoint("merge-indexed");
  ICE_TRY(op_merge_probe(c->merge, io, &sink, err));
  ice_killpoint("merge-probed");
  ICE_TRY(op_merge_write_stored(c->merge, io, &sink, err));
  ICE_TRY(close_deletes(c, err)); /* its callbacks' context ends with this feed */
  ice_killpoint("merge-stored");
  for (size_t i = 0; i < req->n_inputs; i++)
    ICE_TRY(write_merged_input(c, a, req->inputs[i], req->batch_rows, err));
  c->change = op_merge_change(c->merge);
  return ICE_OK;
}

int load_feed_merge(struct load_ctx *c, struct wr_data_writer *w, void *arg,
                    struct ice_error *err) {
  const struct op_load_request *req = ((struct files_arg *)arg)->req;
  struct merge_arg a = {req, w, c, 0, 0, {0}};
  ice_buf_init(&a.del_dir, 4096);
  int rc = merge_passes(c, &a, err);
  wr_pos_delete_writer_free(c->pdw); /* after a failure: its files are aborted */
  c->pdw = NULL;
  ice_buf_reset(&a.del_dir);
  return rc;
}

/* Every input's footer and schema, checked against the table schema before writing. */
/* The stream, written to `out` (owned) as Parquet; *rows counts its rows. */
static int spool(struct ArrowArrayStream *stream, struct ice_output *out, int64_t *rows,
                 struct ice_error *err) {
  struct ArrowSchema schema = {0};
  if (stream->get_schema(stream, &schema) != 0) {
    ice_output_abort(out);
    ice_output_close(out);
    const char *m = stream->get_last_error ? stream->get_last_error(stream) : NULL;
    ICE_FAIL(err, ICE_EIO, "arrow stream: %s", m && m[0] ? m : "get_schema failed");
  }
  /* Fast, light compression: the file lives for the length of the merge. */
  struct ice_mem_budget budget;
  ice_mem_budget_init(&budget, OP_DEFAULT_MEMORY_LIMIT / 4);
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  o.codec_level = 1;
  o.budget = &budget;
  struct pq_writer *w = NULL;
  int rc = pq_writer_new(&schema, &o, out, &w, err);
  while (rc == ICE_OK) {
    struct ArrowArray b = {0};
    if (stream->get_next(stream, &b) != 0) {
      const char *m = stream->get_last_error ? stream->get_last_error(stream) : NULL;
      rc = ice_error_set(err, ICE_EIO, "arrow stream: %s",
                         m && m[0] ? m : "get_next failed");
      break;
    }
    if (b.release == NULL) break;
    *rows += b.length;
    rc = pq_writer_write(w, &b, err);
    arrow_array_release(&b);
  }
  if (rc == ICE_OK) rc = pq_writer_close(w, err);
  pq_writer_free(w);
  arrow_schema_release(&schema);
  return rc;
}

int op_merge_stream(struct op_table *t, struct ArrowArrayStream *stream,
                    const struct op_merge_options *o, struct op_load_result *res,
                    struct ice_error *err) {
  memset(res, 0, sizeof *res);
  res->snapshot_id = -1;
  res->already_loaded_snapshot_id = -1;
  struct op_spill dir;
  struct ice_output *out = NULL;
  char *path = NULL;
  int64_t rows = 0;
  int rc = op_spill_open(&dir, 0, 0, NULL, err);
  if (rc == ICE_OK) rc = op_spill_create_file(&dir, "input.parquet", &out, &path, err);
  if (rc == ICE_OK) rc = spool(stream, out, &rows, err);
  if (stream->release != NULL) stream->release(stream);
  if (rc == ICE_OK) {
    const char *inputs[1] = {path};
    struct op_load_request req;
    memset(&req, 0, sizeof req);
    req.inputs = inputs;
    req.n_inputs = 1;
    req.mode = OP_MODE_MERGE;
    req.merge = o;
    struct files_arg fa = {&req};
    struct load_params params = {OP_MODE_MERGE, o, NULL, 0, 1, 0, rows, NULL, NULL, NULL,
                                 NULL, 0};
    rc = load_into(t, &params, load_feed_merge, &fa, res, err);
  }
  op_spill_close(&dir);
  ice_free(path);
  return rc;
}
