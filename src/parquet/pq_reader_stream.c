/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ArrowArrayStream over a Parquet file: batches of `batch_rows` rows that may span
 * pages and row groups (rows are never split), one column reader per projected leaf,
 * assembled into "+s" arrays. Errors are sticky and reported errno-style with a
 * message naming file, row group, column and page (get_last_error).
 *
 * With a thread pool the columns of each step (rows read from one row group, or the
 * check at its end) are decoded in parallel, one task per column: columns share no
 * decoder state, each thread has its own codec context, and the pool reports the
 * lowest failing column, the one a serial loop stops at. So batches and errors are
 * the same at any thread count.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "parquet/pq_assemble.h"
#include "parquet/pq_column_reader.h"
#include "parquet/pq_reader.h"
#include "util/alloc.h"
#include "util/thread_pool.h"

struct pq_stream {
  ice_parquet_file *file;
  struct pq_node root; /* projected tree */
  size_t n_leaves;
  const struct pq_node **leaves; /* by projected leaf index */
  struct pq_column_reader *cols;
  struct pq_leaf_batch *batches;
  bool cols_live;
  int32_t *row_groups;
  size_t n_row_groups;
  size_t next_rg;    /* position in row_groups */
  int32_t cur_rg;    /* -1: none open */
  int64_t rows_left; /* in the current row group */
  int64_t batch_rows;
  struct codec_ctx *codecs; /* one per pool worker (one without a pool) */
  size_t n_codecs;
  struct ice_thread_pool *pool; /* NULL = serial (borrowed, or owned_pool) */
  struct ice_thread_pool *owned_pool; /* made for options.threads without a pool */
  struct ice_input *in;         /* what the columns read: the file's input, or `locked` */
  struct io_locked_input locked; /* with a pool, over an input not safe to share */
  struct ice_mem_budget *budget; /* NULL = none (borrowed) */
  size_t read_ahead;             /* per column, with a budget */
  int64_t batch_charge;          /* bytes of the batch handed out last */
  int64_t fixed_charge;          /* column state and footer, charged for the stream */
  int error_code;                /* errno value once failed */
  int ice_code;                  /* the enum ice_code behind error_code */
  char message[sizeof(((struct ice_error *)0)->message) + 64];
};

static void collect_leaves(const struct pq_node *n, const struct pq_node **leaves) {
  if (n->kind == PQ_NODE_LEAF) {
    leaves[n->first_leaf] = n;
    return;
  }
  for (size_t i = 0; i < n->n_children; i++) collect_leaves(&n->children[i], leaves);
}

static void close_columns(struct pq_stream *s) {
  if (!s->cols_live) return;
  for (size_t i = 0; i < s->n_leaves; i++) pq_column_reader_reset(&s->cols[i]);
  s->cols_live = false;
}

/* Locates a leaf's chunk and checks it lies inside the data area of the file. */
static int chunk_range(const ice_parquet_file *f, const struct pq_row_group *rg,
                       const struct pq_node *leaf, int64_t *start, int64_t *end,
                       int32_t *codec, struct ice_error *err) {
  const struct pq_column_chunk *cc = &rg->columns[leaf->column];
  if (cc->has_crypto_metadata || cc->has_encrypted_column_metadata) {
    ICE_FAIL(err, ICE_EUNSUPPORTED, "encrypted column chunks are not supported");
  }
  if (cc->file_path != NULL) {
    ICE_FAIL(err, ICE_EUNSUPPORTED, "column chunk stored in another file ('%s')",
             cc->file_path);
  }
  ICE_CHECK_DATA(cc->has_meta_data, err, "column chunk without metadata");
  const struct pq_column_meta *md = &cc->meta_data;
  ICE_CHECK_DATA(md->type == leaf->physical, err,
                 "chunk type %s differs from the schema's %s", pq_type_name(md->type),
                 pq_type_name(leaf->physical));
  int64_t s = md->data_page_offset;
  /* dictionary_page_offset is only trusted when it points before the data pages:
   * parquet-mr 1.8 forks wrote 0 (reference/parquet.md 15.1). A chunk holding only a
   * dictionary page may have data_page_offset 0 (column_chunk_key_value_metadata). */
  if (md->has_dictionary_page_offset && md->dictionary_page_offset >= 4 &&
      (md->dictionary_page_offset < s || s < 4)) {
    s = md->dictionary_page_offset;
  }
  ICE_CHECK_DATA(s >= 4 && md->total_compressed_size >= 0 &&
                     md->total_compressed_size <= f->footer_offset - s,
                 err, "column chunk [%lld, +%lld) lies outside the data area",
                 (long long)s, (long long)md->total_compressed_size);
  *start = s;
  *end = s + md->total_compressed_size;
  *codec = md->codec;
  return ICE_OK;
}

static int open_row_group(struct pq_stream *s, int32_t rg_index, struct ice_error *err) {
  const ice_parquet_file *f = s->file;
  const struct pq_row_group *rg = &f->meta.row_groups[rg_index];
  s->cur_rg = rg_index;
  s->rows_left = rg->num_rows;
  for (size_t i = 0; i < s->n_leaves; i++) {
    int64_t start = 0, end = 0;
    int32_t codec = 0;
    int rc = chunk_range(f, rg, s->leaves[i], &start, &end, &codec, err);
    if (rc != ICE_OK) {
      return ice_error_prefix(err, "column '%s'", s->leaves[i]->path);
    }
    pq_column_reader_init(&s->cols[i], s->leaves[i], s->in, start, end, f->footer_offset,
                          codec, &s->codecs[0]);
    if (s->budget != NULL) {
      pq_column_reader_set_budget(&s->cols[i], s->budget, s->read_ahead);
    }
  }
  s->cols_live = true;
  return ICE_OK;
}

/* What every column does in one step: read `rows` rows, or (rows < 0) check that its
 * chunk ends with the row group. */
struct column_step {
  struct pq_stream *s;
  int64_t rows;
};

static int step_column(struct pq_stream *s, size_t i, int64_t rows,
                       struct ice_error *err) {
  struct pq_column_reader *c = &s->cols[i];
  int rc = rows < 0 ? pq_column_reader_finish(c, err)
                    : pq_column_reader_read_rows(c, rows, &s->batches[i], err);
  if (rc != ICE_OK) {
    return ice_error_prefix(err, "column '%s': page %lld", s->leaves[i]->path,
                            (long long)pq_column_reader_page_no(c));
  }
  return ICE_OK;
}

static int step_task(void *ctx, size_t task, int worker, struct ice_error *err) {
  struct column_step *st = ctx;
  pq_page_reader_set_codec_ctx(&st->s->cols[task].pages, &st->s->codecs[worker]);
  return step_column(st->s, task, st->rows, err);
}

/* One step over every column, in column order or on the pool: either way the error is
 * the lowest failing column's. */
static int step_columns(struct pq_stream *s, int64_t rows, struct ice_error *err) {
  if (s->pool == NULL) {
    for (size_t i = 0; i < s->n_leaves; i++) ICE_TRY(step_column(s, i, rows, err));
    return ICE_OK;
  }
  struct column_step st = {s, rows};
  return ice_thread_pool_run(s->pool, s->n_leaves, step_task, &st, err);
}

static int finish_row_group(struct pq_stream *s, struct ice_error *err) {
  ICE_TRY(step_columns(s, -1, err));
  close_columns(s);
  s->cur_rg = -1;
  return ICE_OK;
}

static int fill_batch(struct pq_stream *s, int64_t *filled, struct ice_error *err) {
  *filled = 0;
  while (*filled < s->batch_rows) {
    if (s->cur_rg >= 0 && s->rows_left == 0) ICE_TRY(finish_row_group(s, err));
    if (s->cur_rg < 0) {
      if (s->next_rg == s->n_row_groups) break;
      ICE_TRY(open_row_group(s, s->row_groups[s->next_rg++], err));
      continue;
    }
    int64_t take = s->batch_rows - *filled;
    if (take > s->rows_left) take = s->rows_left;
    ICE_TRY(step_columns(s, take, err));
    *filled += take;
    s->rows_left -= take;
  }
  return ICE_OK;
}

static void fail(struct pq_stream *s, struct ice_error *err) {
  if (s->cur_rg >= 0) ice_error_prefix(err, "row group %d", (int)s->cur_rg);
  snprintf(s->message, sizeof s->message, "parquet: %s: %s", s->file->in->name,
           err->message);
  s->error_code = ice_error_errno(err->code);
  s->ice_code = err->code;
}

static int stream_get_next(struct ArrowArrayStream *st, struct ArrowArray *out) {
  struct pq_stream *s = st->private_data;
  if (s->error_code != 0) return s->error_code;
  struct ice_error err;
  ice_error_clear(&err);
  /* The caller released the previous batch before asking for the next one. */
  ice_mem_release(s->budget, s->batch_charge);
  s->batch_charge = 0;
  int64_t filled = 0;
  int rc = fill_batch(s, &filled, &err);
  int64_t batch_bytes = 0;
  for (size_t i = 0; i < s->n_leaves; i++) {
    batch_bytes += pq_leaf_batch_bytes(&s->batches[i]);
  }
  if (rc == ICE_OK && filled > 0) {
    rc = pq_assemble_batch(&s->root, s->batches, filled, out, &err);
    /* The batch's buffers left the leaf batches (no longer charged there) for `out`. */
    if (rc == ICE_OK) {
      ice_mem_hold(s->budget, batch_bytes);
      s->batch_charge = batch_bytes;
    }
  }
  for (size_t i = 0; i < s->n_leaves; i++) pq_leaf_batch_clear(&s->batches[i]);
  if (rc != ICE_OK) {
    fail(s, &err);
    return s->error_code;
  }
  if (filled == 0) {
    memset(out, 0, sizeof *out);
    out->release = NULL; /* end of stream */
  }
  return 0;
}

static int stream_get_schema(struct ArrowArrayStream *st, struct ArrowSchema *out) {
  struct pq_stream *s = st->private_data;
  struct ice_error err;
  int rc = pq_node_to_arrow(&s->root, out, &err);
  if (rc != ICE_OK) {
    snprintf(s->message, sizeof s->message, "parquet: %s: %s", s->file->in->name,
             err.message);
    return ice_error_errno(rc);
  }
  return 0;
}

int pq_reader_stream_error_code(const struct ArrowArrayStream *st) {
  if (st == NULL || st->get_next != stream_get_next || st->private_data == NULL)
    return ICE_EIO;
  const struct pq_stream *s = st->private_data;
  return s->ice_code != ICE_OK ? s->ice_code : ICE_EIO;
}

static const char *stream_last_error(struct ArrowArrayStream *st) {
  struct pq_stream *s = st->private_data;
  return s->message[0] ? s->message : NULL;
}

static void stream_free(struct pq_stream *s) {
  if (s == NULL) return;
  close_columns(s);
  for (size_t i = 0; s->batches != NULL && i < s->n_leaves; i++) {
    pq_leaf_batch_reset(&s->batches[i]);
  }
  ice_mem_release(s->budget, s->batch_charge);
  ice_mem_release(s->budget, s->fixed_charge);
  ice_free(s->batches);
  ice_free(s->cols);
  ice_free(s->leaves);
  ice_free(s->row_groups);
  pq_node_free_tree(&s->root);
  for (size_t i = 0; s->codecs != NULL && i < s->n_codecs; i++)
    codec_ctx_reset(&s->codecs[i]);
  ice_free(s->codecs);
  io_locked_input_destroy(&s->locked);
  ice_thread_pool_free(s->owned_pool);
  ice_free(s);
}

static void stream_release(struct ArrowArrayStream *st) {
  if (st == NULL || st->release == NULL) return;
  stream_free(st->private_data);
  st->release = NULL;
  st->private_data = NULL;
}

/* Per-column read-ahead and batch rows that keep a stream inside its budget: columns
 * share an eighth of it for read-ahead, a batch gets a sixteenth (rows estimated
 * from the row groups' uncompressed bytes per row; at least one row). */
#define BUDGET_MIN_READ_AHEAD ((size_t)4096)
static void fit_budget(struct pq_stream *s) {
  int64_t limit = s->budget->limit;
  size_t n = s->n_leaves ? s->n_leaves : 1;
  size_t ra = (size_t)(limit / 8) / n;
  s->read_ahead = ra < BUDGET_MIN_READ_AHEAD ? BUDGET_MIN_READ_AHEAD : ra;
  double per_row = 0;
  for (size_t i = 0; i < s->n_row_groups; i++) {
    const struct pq_row_group *rg = &s->file->meta.row_groups[s->row_groups[i]];
    if (rg->num_rows <= 0) continue;
    double b = (double)rg->total_byte_size / (double)rg->num_rows;
    if (b > per_row) per_row = b;
  }
  /* Decoded values take at least 8 bytes a column (offsets, levels): wide rows of
   * small values are not cheaper than that. */
  if (per_row < 8.0 * (double)n) per_row = 8.0 * (double)n;
  double rows = (double)(limit / 16) / per_row;
  int64_t fit = rows < 1                       ? 1
                : rows > (double)INT64_MAX / 2 ? INT64_MAX / 2
                                               : (int64_t)rows;
  if (s->batch_rows > fit) s->batch_rows = fit;
}

/* Per-column reader state and the decoded footer are held for the whole stream: on
 * thousands of columns they are megabytes, so they are charged first, and a limit
 * that cannot hold them fails before any page is read. */
static int charge_fixed(struct pq_stream *s, struct ice_error *err) {
  size_t per_col = sizeof *s->leaves + sizeof *s->cols + sizeof *s->batches;
  int64_t n = (int64_t)(s->n_leaves * per_col + s->file->meta.arena.total);
  int rc = ice_mem_charge(s->budget, n, err);
  if (rc != ICE_OK)
    return ice_error_prefix(err, "reader state of %zu columns and the footer",
                            s->n_leaves);
  s->fixed_charge = n;
  return ICE_OK;
}

/* The pool (borrowed, or made for o->threads), codec contexts, one per thread, and an
 * input the threads may share. */
static int setup_threads(struct pq_stream *s, struct ice_thread_pool *pool, int threads,
                         struct ice_error *err) {
  s->in = s->file->in;
  if (threads == 0) threads = ice_thread_pool_online_cpus();
  if (pool == NULL && threads > 1) {
    ICE_TRY(ice_thread_pool_new(threads, &s->owned_pool, err));
    pool = s->owned_pool;
  }
  if (pool != NULL && ice_thread_pool_workers(pool) > 1) s->pool = pool;
  s->n_codecs = s->pool ? (size_t)ice_thread_pool_workers(s->pool) : 1;
  s->codecs = ice_calloc(s->n_codecs, sizeof *s->codecs);
  if (s->codecs == NULL) ICE_FAIL(err, ICE_ENOMEM, "parquet: out of memory");
  for (size_t i = 0; i < s->n_codecs; i++) codec_ctx_init(&s->codecs[i]);
  if (s->pool != NULL && !s->in->vt->concurrent_reads) {
    ICE_TRY(io_locked_input_init(&s->locked, s->in, err));
    s->in = &s->locked.base;
  }
  return ICE_OK;
}

int pq_reader_stream_new(ice_parquet_file *file, const struct ice_parquet_read_options *o,
                         struct ice_mem_budget *budget, struct ice_thread_pool *pool,
                         struct ArrowArrayStream *out, struct ice_error *err) {
  struct pq_stream *s = ice_calloc(1, sizeof *s);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "parquet: out of memory");
  s->file = file;
  s->cur_rg = -1;
  s->batch_rows = o->batch_rows;
  s->budget = budget;
  int rc = setup_threads(s, pool, o->threads, err);
  if (rc == ICE_OK)
    rc = pq_schema_project(&file->schema, o->columns, o->n_columns, &s->root, err);
  if (rc == ICE_OK) {
    s->n_leaves = (size_t)s->root.n_leaves;
    size_t n = s->n_leaves ? s->n_leaves : 1;
    s->leaves = ice_calloc(n, sizeof *s->leaves);
    s->cols = ice_calloc(n, sizeof *s->cols);
    s->batches = ice_calloc(n, sizeof *s->batches);
    if (s->leaves == NULL || s->cols == NULL || s->batches == NULL) {
      rc = ice_error_set(err, ICE_ENOMEM, "parquet: out of memory");
    }
  }
  if (rc == ICE_OK) {
    collect_leaves(&s->root, s->leaves);
    for (size_t i = 0; i < s->n_leaves; i++) {
      pq_leaf_batch_init(&s->batches[i]);
      pq_leaf_batch_set_budget(&s->batches[i], budget);
    }
    size_t nrg = o->row_groups ? o->n_row_groups : file->meta.n_row_groups;
    s->row_groups = ice_calloc(nrg ? nrg : 1, sizeof *s->row_groups);
    if (s->row_groups == NULL)
      rc = ice_error_set(err, ICE_ENOMEM, "parquet: out of memory");
    for (size_t i = 0; rc == ICE_OK && i < nrg; i++) {
      s->row_groups[i] = o->row_groups ? o->row_groups[i] : (int32_t)i;
    }
    s->n_row_groups = nrg;
  }
  if (rc == ICE_OK && budget != NULL) rc = charge_fixed(s, err);
  if (rc == ICE_OK && budget != NULL) fit_budget(s);
  if (rc != ICE_OK) {
    stream_free(s);
    return rc;
  }
  out->get_schema = stream_get_schema;
  out->get_next = stream_get_next;
  out->get_last_error = stream_last_error;
  out->release = stream_release;
  out->private_data = s;
  return ICE_OK;
}
