/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Parquet writer's file level: "PAR1", row groups (each leaf's chunk written in
 * schema order when the row group is flushed), the footer (schema with field ids,
 * column chunk metadata and statistics, TYPE_ORDER column orders, created_by) and the
 * output's finish/abort. Batches are cut into slices of rows so pages and row groups
 * close near their targets and the per-slice scratch stays small.
 */
#include <string.h>

#include "arrow/arrow_schema.h"
#include "arrow/arrow_view.h"
#include "parquet/pq_dict_builder.h"
#include "parquet/pq_encoding.h"
#include "parquet/pq_writer_internal.h"
#include "util/alloc.h"
#include "util/limits.h"

/* Rows shredded at a time per leaf: small enough that a page overshoots its byte
 * target by little, large enough to amortise the per-slice work. */
#define PQW_SLICE_ROWS 2048
#define PQW_SLICE_MIN_ROWS 1
/* The first slice is small: nothing is known yet about the size of a row. */
#define PQW_SLICE_FIRST_ROWS 64

/* A chunk uses at most PLAIN, RLE, RLE_DICTIONARY and one DELTA_* encoding. */
#define PQW_MAX_CHUNK_ENCODINGS 8

enum pqw_state { PQW_OPEN, PQW_FAILED, PQW_CLOSED };

struct pqw_row_group {
  int64_t offset;
  int64_t num_rows;
  int64_t total_byte_size;
  int64_t total_compressed;
  struct pqw_chunk_meta *chunks; /* one per leaf */
};

struct pq_writer {
  struct pq_writer_options opts;
  char *created_by;
  struct ArrowSchema arrow_schema; /* private copy, to validate batches */
  struct pqw_schema schema;
  struct pqw_column **cols;
  struct pq_writer_leaf *leaves;
  const char ***leaf_paths; /* path_in_schema per leaf (names borrowed from nodes) */
  size_t *leaf_path_len;
  struct ice_output *out;
  struct pqw_worker serial; /* scratch and codec (opts.shared_codec or its own) of the
                             * calling thread's encoding */
  struct pq_workers *own_workers;
  struct pq_workers *workers; /* threads > 1: own_workers or opts.shared_workers */
  struct pqw_row_group *rgs;
  size_t n_rgs, cap_rgs;
  int64_t rg_rows;
  int64_t num_rows;
  int64_t slice_rows;      /* rows per slice, adapted to the widest column */
  struct pq_writer_kv *kv; /* owned strings */
  size_t n_kv;
  enum pqw_state state;
  int64_t file_size;
  int64_t footer_charged; /* closed chunks' facts kept until close, charged */
  struct pqw_behind behind; /* the last row group's chunks, until written */
};

static int fail(struct pq_writer *w, int rc) {
  if (rc != ICE_OK) w->state = PQW_FAILED;
  return rc;
}

static int build_leaf_paths(struct pq_writer *w, struct ice_error *err) {
  int32_t nl = w->schema.n_leaves;
  w->leaf_paths = ice_calloc(nl ? (size_t)nl : 1, sizeof *w->leaf_paths);
  w->leaf_path_len = ice_calloc(nl ? (size_t)nl : 1, sizeof *w->leaf_path_len);
  if (w->leaf_paths == NULL || w->leaf_path_len == NULL) {
    ICE_FAIL(err, ICE_ENOMEM, "out of memory (leaf paths)");
  }
  for (int32_t l = 0; l < nl; l++) {
    int32_t chain[ICE_LIMIT_NESTING + 2];
    int depth = 0;
    for (int32_t x = w->schema.leaf_nodes[l]; x >= 0 && depth < ICE_LIMIT_NESTING + 2;
         x = w->schema.nodes[x].parent) {
      chain[depth++] = x;
    }
    const char **p = ice_calloc((size_t)depth * 2, sizeof *p);
    if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (leaf paths)");
    size_t k = 0;
    for (int d = depth - 1; d >= 0; d--) {
      const struct pqw_node *n = &w->schema.nodes[chain[d]];
      p[k++] = n->name;
      if (n->kind == PQW_LIST) p[k++] = "list";
      if (n->kind == PQW_MAP) p[k++] = "key_value";
    }
    w->leaf_paths[l] = p;
    w->leaf_path_len[l] = k;
  }
  return ICE_OK;
}

static void init_leaf(struct pq_writer_leaf *lf, const struct pqw_node *n) {
  memset(lf, 0, sizeof *lf);
  lf->path = n->path;
  lf->has_field_id = n->has_field_id;
  lf->field_id = n->field_id;
  lf->repeated = n->max_rep > 0;
  lf->type = n->ptype;
  lf->type_length = n->type_length;
  lf->is_string = n->has_logical && (n->logical.kind == PQ_LOGICAL_STRING ||
                                     n->logical.kind == PQ_LOGICAL_JSON);
  lf->is_decimal = n->has_logical && n->logical.kind == PQ_LOGICAL_DECIMAL;
  lf->precision = n->logical.decimal_precision;
  lf->scale = n->logical.decimal_scale;
  lf->is_float = n->ptype == PQ_TYPE_FLOAT || n->ptype == PQ_TYPE_DOUBLE;
  pq_stats_init(&lf->stats, n->order);
}

/* Smallest page and dictionary targets a budget shrinks to: below this, page headers
 * and per-page statistics outweigh the values. */
#define PQW_BUDGET_MIN_PAGE_BYTES 512

/* With a budget, each column's open page and dictionary get an equal share of an
 * eighth of it, and the row group is flushed at a quarter: n columns never hold n
 * full-size pages. */
static void fit_budget(struct pq_writer_options *o, int32_t n_leaves) {
  if (o->budget == NULL) return;
  int64_t limit = o->budget->limit;
  int64_t share = limit / 8 / (n_leaves > 0 ? n_leaves : 1);
  if (share < PQW_BUDGET_MIN_PAGE_BYTES) share = PQW_BUDGET_MIN_PAGE_BYTES;
  if (o->page_bytes > share) o->page_bytes = share;
  if (o->dict_bytes > share) o->dict_bytes = share;
  if (o->memory_budget <= 0 || o->memory_budget > limit / 4) o->memory_budget = limit / 4;
  if (o->row_group_bytes > limit / 4) o->row_group_bytes = limit / 4;
}

/* threads > 1: the borrowed workers or a set of the writer's own. */
static int setup_workers(struct pq_writer *w, struct ice_error *err) {
  if (w->opts.shared_workers == NULL && w->opts.threads <= 1) return ICE_OK;
  if (w->opts.shared_workers != NULL) {
    w->workers = w->opts.shared_workers;
    return ICE_OK;
  }
  ICE_TRY(pq_workers_new(w->opts.threads, w->opts.budget, &w->own_workers, err));
  w->workers = w->own_workers;
  return ICE_OK;
}

static int writer_setup(struct pq_writer *w, const struct ArrowSchema *schema,
                        struct ice_error *err) {
  if (w->opts.codec == PQ_CODEC_LZ4 || w->opts.codec == PQ_CODEC_LZO ||
      (unsigned)w->opts.codec > PQ_CODEC_LZ4_RAW) {
    ICE_FAIL(err, ICE_EINVAL, "codec %s is not written (use lz4 = LZ4_RAW)",
             pq_codec_name((int32_t)w->opts.codec));
  }
  /* Levels the codec would refuse at the first page are refused now. */
  int lvl = w->opts.codec_level;
  if (lvl != 0 && ((w->opts.codec == PQ_CODEC_GZIP && (lvl < 1 || lvl > 9)) ||
                   (w->opts.codec == PQ_CODEC_BROTLI && (lvl < 0 || lvl > 11)))) {
    ICE_FAIL(err, ICE_EINVAL, "compression level %d is out of range for %s", lvl,
             pq_codec_name((int32_t)w->opts.codec));
  }
  if (w->opts.page_version != 1 && w->opts.page_version != 2) {
    ICE_FAIL(err, ICE_EINVAL, "page version %d (1 or 2)", w->opts.page_version);
  }
  if (w->opts.row_group_bytes <= 0 || w->opts.page_bytes <= 0 || w->opts.page_rows <= 0 ||
      w->opts.dict_bytes < 0) {
    ICE_FAIL(err, ICE_EINVAL, "writer sizes must be positive");
  }
  w->created_by =
      ice_strdup(w->opts.created_by ? w->opts.created_by : pq_writer_created_by());
  if (w->created_by == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  w->opts.created_by = w->created_by;
  ICE_TRY(arrow_schema_copy(schema, &w->arrow_schema, err));
  ICE_TRY(pqw_schema_build(schema, &w->schema, err));
  int32_t nl = w->schema.n_leaves;
  fit_budget(&w->opts, nl);
  ICE_TRY(setup_workers(w, err));
  ICE_TRY(pqw_behind_init(&w->behind, nl, w->opts.budget, err));
  w->cols = ice_calloc(nl ? (size_t)nl : 1, sizeof *w->cols);
  w->leaves = ice_calloc(nl ? (size_t)nl : 1, sizeof *w->leaves);
  if (w->cols == NULL || w->leaves == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (int32_t l = 0; l < nl; l++) {
    const struct pqw_node *n = &w->schema.nodes[w->schema.leaf_nodes[l]];
    init_leaf(&w->leaves[l], n);
    int rc = pqw_column_new(n, &w->opts, &w->serial.scratch, w->workers, w->serial.codec,
                            &w->cols[l], err);
    if (rc != ICE_OK) return ice_error_prefix(err, "column '%s'", n->path);
  }
  ICE_TRY(build_leaf_paths(w, err));
  return ice_output_write(w->out, "PAR1", 4, err);
}

int pq_writer_new(const struct ArrowSchema *schema, const struct pq_writer_options *opts,
                  struct ice_output *out, struct pq_writer **wp, struct ice_error *err) {
  struct pq_writer *w = ice_calloc(1, sizeof *w);
  if (w == NULL) {
    ice_output_abort(out);
    ice_output_close(out);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory (writer)");
  }
  if (opts != NULL) {
    w->opts = *opts;
  } else {
    pq_writer_options_init(&w->opts);
  }
  w->out = out;
  w->slice_rows = PQW_SLICE_FIRST_ROWS;
  pqw_worker_init(&w->serial, w->opts.budget, w->opts.shared_codec);
  int rc = writer_setup(w, schema, err);
  if (rc != ICE_OK) {
    pq_writer_free(w);
    return rc;
  }
  *wp = w;
  return ICE_OK;
}

int pq_writer_add_metadata(struct pq_writer *w, const char *key, const char *value,
                           struct ice_error *err) {
  if (key == NULL) ICE_FAIL(err, ICE_EINVAL, "metadata key is NULL");
  struct pq_writer_kv *p = ice_realloc(w->kv, (w->n_kv + 1) * sizeof *p);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  w->kv = p;
  char *k = ice_strdup(key);
  char *v = value ? ice_strdup(value) : NULL;
  if (k == NULL || (value != NULL && v == NULL)) {
    ice_free(k);
    ice_free(v);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  w->kv[w->n_kv].key = k;
  w->kv[w->n_kv].value = v;
  w->n_kv++;
  return ICE_OK;
}

/* ---------------------------------------------------------------- rows */

/* Bytes the open row group would take if written now: exact when no page is being
 * compressed, else the range it will be in once they are. */
static void buffered(const struct pq_writer *w, int64_t *lo, int64_t *hi) {
  *lo = *hi = 0;
  for (int32_t l = 0; l < w->schema.n_leaves; l++) {
    int64_t a, b;
    pqw_column_buffered(w->cols[l], &a, &b);
    *lo += a;
    *hi += b;
  }
}

/* Waits for the last row group's write: then the output and the columns' buffers are
 * the writer's again. Its error (a failed write) is the writer's. */
static int drain(struct pq_writer *w, struct ice_error *err) {
  int rc = ICE_OK;
  if (w->behind.queued) {
    rc = pqw_behind_wait(&w->behind, w->workers, w->serial.codec, err);
    /* As the same write at once would be named (flush_rg). */
    if (rc != ICE_OK) {
      ice_error_prefix(err, "row group %zu: column '%s'", w->n_rgs - 1,
                       w->leaves[w->behind.failed].path);
    }
  }
  for (int32_t l = 0; l < w->behind.n; l++) {
    pqw_column_written(w->cols[l], &w->behind.chunks[l]);
  }
  w->behind.n = 0;
  return rc;
}

/* Waits for every page of the open row group to be compressed and collected. */
static int settle(struct pq_writer *w, struct ice_error *err) {
  ICE_TRY(drain(w, err));
  for (int32_t l = 0; l < w->schema.n_leaves; l++) {
    int rc = pqw_column_settle(w->cols[l], err);
    if (rc != ICE_OK) return ice_error_prefix(err, "column '%s'", w->leaves[l].path);
  }
  return ICE_OK;
}

/* The shared budget is five-eighths used (by anyone): flushing the row group is the
 * writer's way to give memory back before a buffer hits the limit. */
static bool budget_pressed(const struct pq_writer *w) {
  const struct ice_mem_budget *b = w->opts.budget;
  return b != NULL && w->rg_rows > 0 && ice_mem_used(b) >= b->limit / 8 * 5;
}

/* After a flush under pressure: the chunk buffers' capacity goes back to the budget
 * (otherwise it stays charged while empty). */
static void release_pages(struct pq_writer *w) {
  for (int32_t l = 0; l < w->schema.n_leaves; l++) pqw_column_release_pages(w->cols[l]);
}

int pq_writer_size_bounds(const struct pq_writer *w, int64_t *lo, int64_t *hi) {
  buffered(w, lo, hi);
  int64_t written = pq_writer_bytes_written(w);
  *lo += written;
  *hi += written;
  return *lo == *hi;
}

void pq_writer_use_codec(struct pq_writer *w, struct codec_ctx *codec) {
  w->serial.codec = codec != NULL ? codec : &w->serial.own_codec;
  for (int32_t l = 0; l < w->schema.n_leaves; l++) {
    pqw_column_set_helper(w->cols[l], w->serial.codec);
  }
}

int64_t pq_writer_raw_bytes(const struct pq_writer *w) {
  int64_t n = 0;
  for (size_t g = 0; g < w->n_rgs; g++) n += w->rgs[g].total_byte_size;
  for (int32_t l = 0; l < w->schema.n_leaves; l++) n += pqw_column_raw_bytes(w->cols[l]);
  return n;
}

int pq_writer_size(struct pq_writer *w, int64_t *size, struct ice_error *err) {
  if (w->state == PQW_OPEN) {
    int rc = settle(w, err);
    if (rc != ICE_OK) return fail(w, rc);
  }
  int64_t hi;
  pq_writer_size_bounds(w, size, &hi);
  return ICE_OK;
}

/* A closed chunk's footer facts and page index stay in memory until the file closes:
 * they are charged, and the rolling data writer closes a file before they take much. */
static int64_t chunk_meta_bytes(const struct pqw_chunk_meta *m) {
  return (int64_t)sizeof *m + pqw_alloc_bytes(m->min, m->min_len) +
         pqw_alloc_bytes(m->max, m->max_len) +
         pqw_alloc_bytes(m->column_index, m->column_index_len) +
         pqw_alloc_bytes(m->offset_index, m->offset_index_len);
}

/* Charged, so the limit holds even at its edge: a row group written behind the writer
 * gives its chunk buffers back only once written, after its facts are charged. */
static int charge_chunk_meta(struct pq_writer *w, const struct pqw_chunk_meta *m,
                             struct ice_error *err) {
  int64_t n = chunk_meta_bytes(m);
  ICE_TRY(ice_mem_charge(w->opts.budget, n, err));
  w->footer_charged += n;
  return ICE_OK;
}

/* The open chunks' page records: many small pages make them outweigh the pages. */
static int64_t page_index_held(const struct pq_writer *w) {
  int64_t n = 0;
  for (int32_t l = 0; l < w->schema.n_leaves; l++)
    n += pqw_column_page_index_held(w->cols[l]);
  return n;
}

int64_t pq_writer_footer_bytes(const struct pq_writer *w) {
  return w->footer_charged + page_index_held(w);
}

/* With workers, the last page and dictionary page of the columns up to `upto` are
 * queued before the first of them is written, so they compress side by side; a few
 * columns ahead only (as many as pages may be in flight), or a wide schema would hold
 * every column's last pages at once. *closed: columns queued so far. */
static int close_ahead(struct pq_writer *w, int32_t upto, int32_t *closed,
                       struct ice_error *err) {
  if (w->workers == NULL) return ICE_OK;
  int32_t end = upto < w->schema.n_leaves ? upto : w->schema.n_leaves;
  for (; *closed < end; (*closed)++) {
    int32_t l = *closed;
    int rc = pqw_column_close_chunk(w->cols[l], w->serial.codec, err);
    if (rc != ICE_OK) {
      return ice_error_prefix(err, "row group %zu: column '%s'", w->n_rgs - 1,
                              w->leaves[l].path);
    }
  }
  return ICE_OK;
}

/* Whether row groups are written by a worker behind the writer: with workers, when the
 * pages are compressed (uncompressed pages, as spill runs write, are built in the
 * writer's scratch and collected at once, so they cannot wait for a write). */
static bool writes_behind(const struct pq_writer *w) {
  return w->workers != NULL && pqw_codec_id(w->opts.codec) != CODEC_NONE;
}

/* Writes the flushed column's chunk now, or leaves it for the row group's write behind
 * the writer. */
static int chunk_out(struct pq_writer *w, int32_t l, struct ice_error *err) {
  if (writes_behind(w)) {
    w->behind.n = l + 1;
    return ICE_OK;
  }
  int rc = pqw_chunk_bytes_write(&w->behind.chunks[l], w->out, err);
  pqw_column_written(w->cols[l], &w->behind.chunks[l]);
  /* Under pressure the chunk's buffer goes back now, before the next column's. */
  if (budget_pressed(w)) pqw_column_release_pages(w->cols[l]);
  return rc;
}

static int flush_rg(struct pq_writer *w, struct ice_error *err) {
  if (w->rg_rows == 0) return ICE_OK;
  ICE_TRY(drain(w, err));
  if (w->n_rgs == w->cap_rgs) {
    size_t nc = w->cap_rgs ? w->cap_rgs * 2 : 8;
    struct pqw_row_group *p = ice_realloc(w->rgs, nc * sizeof *p);
    if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (row groups)");
    w->rgs = p;
    w->cap_rgs = nc;
  }
  struct pqw_row_group *rg = &w->rgs[w->n_rgs];
  memset(rg, 0, sizeof *rg);
  int32_t nl = w->schema.n_leaves;
  rg->chunks = ice_calloc(nl ? (size_t)nl : 1, sizeof *rg->chunks);
  if (rg->chunks == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (row group)");
  w->n_rgs++; /* counted now so its chunks are freed on any path */
  rg->offset = w->out->written;
  rg->num_rows = w->rg_rows;
  int64_t pos = rg->offset;
  int32_t closed = 0, ahead = w->workers ? pqw_workers_pages_in_flight(w->workers) : 0;
  for (int32_t l = 0; l < nl; l++) {
    ICE_TRY(close_ahead(w, l + 1 + ahead, &closed, err));
    struct pqw_chunk_meta *m = &rg->chunks[l];
    int rc = pqw_column_flush(w->cols[l], w->serial.codec, pos, writes_behind(w),
                              &w->behind.chunks[l], m, &w->leaves[l].stats, err);
    if (rc == ICE_OK) rc = chunk_out(w, l, err);
    if (rc == ICE_OK) rc = charge_chunk_meta(w, m, err);
    if (rc != ICE_OK) {
      return ice_error_prefix(err, "row group %zu: column '%s'", w->n_rgs - 1,
                              w->leaves[l].path);
    }
    pos += m->compressed;
    w->leaves[l].num_values += m->num_values;
    w->leaves[l].compressed_bytes += m->compressed;
    rg->total_byte_size += m->uncompressed;
    rg->total_compressed += m->compressed;
  }
  bool pressed = budget_pressed(w);
  w->rg_rows = 0;
  if (!writes_behind(w)) return ICE_OK;
  pqw_behind_start(&w->behind, w->workers, w->out, pos);
  if (!pressed) return ICE_OK;
  /* Under pressure the writer waits for the write, and the buffers go back. */
  ICE_TRY(drain(w, err));
  release_pages(w);
  return ICE_OK;
}

int pq_writer_flush_row_group(struct pq_writer *w, struct ice_error *err) {
  if (w->state != PQW_OPEN) ICE_FAIL(err, ICE_EINVAL, "writer is not open");
  return fail(w, flush_rg(w, err));
}

/* A nested value was rejected at leaf slot `slot`: shred the rows one by one to name the
 * row that holds it (error path only). */
static int name_bad_row(const struct pq_writer *w, struct pqw_worker *wk, int32_t l,
                        const struct ArrowArray *batch, int64_t row0, int64_t n,
                        struct ice_error *err) {
  const struct pqw_node *leaf = &w->schema.nodes[w->schema.leaf_nodes[l]];
  int64_t slot = wk->values.bad_slot;
  struct ice_error scratch;
  for (int64_t r = row0; r < row0 + n; r++) {
    if (pqw_shred_leaf(&w->schema, l, batch, r, 1, w->num_rows - row0, &wk->shred,
                       &scratch) != ICE_OK) {
      break;
    }
    const int64_t *ix = (const int64_t *)(const void *)wk->shred.idx.data;
    for (int64_t k = 0; k < wk->shred.n_values; k++) {
      if (ix[k] == slot) {
        ICE_FAIL(err, ICE_EINVAL, "column '%s': row %lld: %s", leaf->path,
                 (long long)(w->num_rows + (r - row0)), wk->values.bad_what);
      }
    }
  }
  return ICE_EINVAL; /* keep the message that names the first row of the slice */
}

/* Raw bytes one leaf's values of a slice occupy (PLAIN size). */
static uint64_t values_bytes(const struct pqw_node *leaf, const struct pqw_values *v) {
  if (leaf->ptype != PQ_TYPE_BYTE_ARRAY) return (uint64_t)v->n * pqw_value_width(leaf);
  const struct pq_enc_bytes *b = (const struct pq_enc_bytes *)(const void *)v->bytes.data;
  uint64_t s = 0;
  for (size_t k = 0; k < v->n; k++) s += 4 + (uint64_t)b[k].len;
  return s;
}

/* Rows [row0, row0 + n) of leaf l: shred, convert, append to the column's pages
 * (closing and compressing those that fill), with wk's scratch. *vb: the values' bytes.
 * Touches nothing shared but the budget, so leaves can run on different threads. */
static int slice_leaf(const struct pq_writer *w, struct pqw_worker *wk, int32_t l,
                      const struct ArrowArray *batch, int64_t row0, int64_t n,
                      uint64_t *vb, struct ice_error *err) {
  const struct pqw_node *leaf = &w->schema.nodes[w->schema.leaf_nodes[l]];
  int rc =
      pqw_shred_leaf(&w->schema, l, batch, row0, n, w->num_rows - row0, &wk->shred, err);
  if (rc == ICE_ELIMIT) return ice_error_prefix(err, "column '%s'", leaf->path);
  ICE_TRY(rc);
  rc = pqw_values_gather(leaf, &wk->shred, &wk->values, err);
  if (rc == ICE_EINVAL && wk->values.bad_slot >= 0)
    return name_bad_row(w, wk, l, batch, row0, n, err);
  if (rc == ICE_ELIMIT) return ice_error_prefix(err, "column '%s'", leaf->path);
  ICE_TRY(rc);
  *vb = values_bytes(leaf, &wk->values);
  rc = pqw_column_append(w->cols[l], wk->codec, &wk->shred, &wk->values, err);
  /* Only a budget refuses memory this way: say which column and how big a slice. */
  if (rc == ICE_ELIMIT)
    return ice_error_prefix(err, "column '%s': %lld rows of %llu value bytes", leaf->path,
                            (long long)n, (unsigned long long)*vb);
  return rc;
}

/* The widest leaf's value bytes of the slice. */
static int slice_leaves(struct pq_writer *w, const struct ArrowArray *batch, int64_t row0,
                        int64_t n, uint64_t *widest, struct ice_error *err) {
  *widest = 0;
  for (int32_t l = 0; l < w->schema.n_leaves; l++) {
    uint64_t vb = 0;
    ICE_TRY(slice_leaf(w, &w->serial, l, batch, row0, n, &vb, err));
    if (vb > *widest) *widest = vb;
  }
  return ICE_OK;
}

static int write_slice(struct pq_writer *w, const struct ArrowArray *batch, int64_t row0,
                       int64_t n, struct ice_error *err) {
  uint64_t widest = 0;
  ICE_TRY(slice_leaves(w, batch, row0, n, &widest, err));
  /* Next slice: about a quarter page of the widest column, so a page overshoots its
   * byte target by little and huge values do not pile up in one slice. */
  int64_t rows = PQW_SLICE_ROWS;
  if (widest > 0 && n > 0) {
    double per_row = (double)widest / (double)n;
    double want = (double)w->opts.page_bytes / 4.0 / per_row;
    rows = want < PQW_SLICE_MIN_ROWS ? PQW_SLICE_MIN_ROWS
           : want > PQW_SLICE_ROWS   ? PQW_SLICE_ROWS
                                     : (int64_t)want;
  }
  w->slice_rows = rows;
  return ICE_OK;
}

/* With workers: every column's pages compressed so far go into their chunks now (once
 * the last row group is written, which is also when its write error shows). */
static int collect_all(struct pq_writer *w, struct ice_error *err) {
  if (w->workers == NULL) return ICE_OK;
  if (w->behind.queued && !pqw_behind_done(&w->behind, w->workers)) return ICE_OK;
  ICE_TRY(drain(w, err));
  for (int32_t l = 0; l < w->schema.n_leaves; l++) {
    int rc = pqw_column_collect(w->cols[l], err);
    if (rc != ICE_OK) return ice_error_prefix(err, "column '%s'", w->leaves[l].path);
  }
  return ICE_OK;
}

static bool over_size(const struct pq_writer *w, int64_t held) {
  return held >= w->opts.row_group_bytes ||
         (w->opts.memory_budget > 0 && held >= w->opts.memory_budget);
}

/* Whether the open row group has reached its size. Decided on the exact size, so the
 * answer (and the file) is the same whatever the threads: pages still compressing are
 * waited for only when the answer depends on them. */
static int group_full(struct pq_writer *w, bool *full, struct ice_error *err) {
  int64_t lo, hi, index = page_index_held(w);
  buffered(w, &lo, &hi);
  *full = over_size(w, lo + index);
  if (*full || !over_size(w, hi + index)) return ICE_OK;
  ICE_TRY(settle(w, err));
  buffered(w, &lo, &hi);
  *full = over_size(w, lo + index);
  return ICE_OK;
}

int pq_writer_check_batch(const struct pq_writer *w, const struct ArrowArray *batch,
                          struct ice_error *err) {
  if (batch == NULL || batch->release == NULL)
    ICE_FAIL(err, ICE_EINVAL, "batch is released");
  int rc = arrow_array_validate(&w->arrow_schema, batch, err);
  if (rc != ICE_OK) return ice_error_prefix(err, "batch");
  return ICE_OK;
}

int pq_writer_write_rows(struct pq_writer *w, const struct ArrowArray *batch,
                         int64_t first, int64_t n, struct ice_error *err) {
  if (w->state != PQW_OPEN)
    ICE_FAIL(err, ICE_EINVAL, "writer is not open (an earlier error?)");
  if (batch == NULL || batch->release == NULL)
    ICE_FAIL(err, ICE_EINVAL, "batch is released");
  int rc;
  if (first < 0 || n < 0 || first > batch->length || n > batch->length - first) {
    ICE_FAIL(err, ICE_EINVAL, "rows [%lld, +%lld) outside the batch of %lld",
             (long long)first, (long long)n, (long long)batch->length);
  }
  for (int64_t r = first; r < first + n;) {
    int64_t m = first + n - r;
    if (m > w->slice_rows) m = w->slice_rows;
    if (w->opts.row_group_rows > 0 && m > w->opts.row_group_rows - w->rg_rows) {
      m = w->opts.row_group_rows -
          w->rg_rows; /* >= 1: the group was flushed at the limit */
    }
    /* file row of batch row r is w->num_rows, so batch row 0 is num_rows - r */
    rc = write_slice(w, batch, r, m, err);
    if (rc == ICE_OK) rc = collect_all(w, err);
    if (rc != ICE_OK) return fail(w, rc);
    w->rg_rows += m;
    w->num_rows += m;
    r += m;
    bool full = (w->opts.row_group_rows > 0 && w->rg_rows >= w->opts.row_group_rows) ||
                budget_pressed(w);
    if (!full) {
      rc = group_full(w, &full, err);
      if (rc != ICE_OK) return fail(w, rc);
    }
    if (full) {
      rc = flush_rg(w, err); /* under pressure it gives the buffers back itself */
      if (rc != ICE_OK) return fail(w, rc);
    }
  }
  return ICE_OK;
}

int pq_writer_write(struct pq_writer *w, const struct ArrowArray *batch,
                    struct ice_error *err) {
  if (w->state != PQW_OPEN)
    ICE_FAIL(err, ICE_EINVAL, "writer is not open (an earlier error?)");
  int rc = pq_writer_check_batch(w, batch, err);
  if (rc != ICE_OK) return fail(w, rc);
  return pq_writer_write_rows(w, batch, 0, batch->length, err);
}

/* ---------------------------------------------------------------- footer */

static void fill_stats(const struct pqw_chunk_meta *m, struct pq_statistics *s) {
  memset(s, 0, sizeof *s);
  s->has_null_count = true;
  s->null_count = m->null_count;
  if (m->has_nan_count) {
    s->has_nan_count = true;
    s->nan_count = m->nan_count;
  }
  if (m->has_min && m->has_max) {
    s->has_min_value = s->has_max_value = true;
    s->min_value.data = m->min;
    s->min_value.len = m->min_len;
    s->max_value.data = m->max;
    s->max_value.len = m->max_len;
    s->has_is_min_value_exact = s->has_is_max_value_exact = true;
    s->is_min_value_exact = m->min_exact;
    s->is_max_value_exact = m->max_exact;
    if (m->signed_legacy) {
      s->has_min = s->has_max = true;
      s->min = s->min_value;
      s->max = s->max_value;
    }
  }
}

static int fill_chunk(const struct pq_writer *w, int32_t l,
                      const struct pqw_chunk_meta *m, struct pq_column_chunk *cc,
                      int32_t *enc_buf, struct pq_page_encoding_stats *es) {
  memset(cc, 0, sizeof *cc);
  cc->file_offset = m->offset; /* readers that locate chunks by it (§15.2) find it */
  cc->has_meta_data = true;
  struct pq_column_meta *md = &cc->meta_data;
  md->type = w->leaves[l].type;
  size_t ne = 0;
  for (int32_t e = 0; e < 32 && ne < PQW_MAX_CHUNK_ENCODINGS; e++) {
    if (m->encodings & (1u << e)) enc_buf[ne++] = e;
  }
  md->encodings = enc_buf;
  md->n_encodings = ne;
  md->path_in_schema = w->leaf_paths[l];
  md->n_path_in_schema = w->leaf_path_len[l];
  md->codec = (int32_t)w->opts.codec;
  md->num_values = m->num_values;
  md->total_uncompressed_size = m->uncompressed;
  md->total_compressed_size = m->compressed;
  md->data_page_offset = m->data_page_offset;
  if (m->has_dict) {
    md->has_dictionary_page_offset = true;
    md->dictionary_page_offset = m->offset;
  }
  md->has_statistics = true;
  fill_stats(m, &md->statistics);
  size_t k = 0;
  if (m->n_dict_pages)
    es[k++] = (struct pq_page_encoding_stats){PQ_PAGE_DICTIONARY, PQ_ENCODING_PLAIN,
                                              m->n_dict_pages};
  int32_t dt = w->opts.page_version == 2 ? PQ_PAGE_DATA_V2 : PQ_PAGE_DATA;
  if (m->n_dict_data_pages)
    es[k++] = (struct pq_page_encoding_stats){dt, PQ_ENCODING_RLE_DICTIONARY,
                                              m->n_dict_data_pages};
  if (m->n_plain_pages)
    es[k++] = (struct pq_page_encoding_stats){dt, PQ_ENCODING_PLAIN, m->n_plain_pages};
  if (m->n_delta_pages)
    es[k++] = (struct pq_page_encoding_stats){dt, m->delta_encoding, m->n_delta_pages};
  if (m->column_index != NULL) {
    cc->has_column_index_offset = cc->has_column_index_length = true;
    cc->column_index_offset = m->column_index_offset;
    cc->column_index_length = (int32_t)m->column_index_len;
  }
  if (m->offset_index != NULL) {
    cc->has_offset_index_offset = cc->has_offset_index_length = true;
    cc->offset_index_offset = m->offset_index_offset;
    cc->offset_index_length = (int32_t)m->offset_index_len;
  }
  md->has_encoding_stats = true;
  md->encoding_stats = es;
  md->n_encoding_stats = k;
  return ICE_OK;
}

static int write_footer(struct pq_writer *w, struct ice_error *err) {
  int32_t nl = w->schema.n_leaves;
  size_t nchunks = w->n_rgs * (size_t)nl;
  struct pq_file_meta fm;
  memset(&fm, 0, sizeof fm);
  struct ice_buf buf;
  ice_buf_init(&buf, ICE_LIMIT_FOOTER_BYTES);
  struct pq_column_chunk *ccs = ice_calloc(nchunks ? nchunks : 1, sizeof *ccs);
  int32_t *encs =
      ice_calloc(nchunks ? nchunks * PQW_MAX_CHUNK_ENCODINGS : 1, sizeof *encs);
  struct pq_page_encoding_stats *es = ice_calloc(nchunks ? nchunks * 4 : 1, sizeof *es);
  struct pq_row_group *rgs = ice_calloc(w->n_rgs ? w->n_rgs : 1, sizeof *rgs);
  struct pq_column_order *orders = ice_calloc(nl ? (size_t)nl : 1, sizeof *orders);
  struct pq_key_value *kvs = ice_calloc(w->n_kv ? w->n_kv : 1, sizeof *kvs);
  int rc = ICE_OK;
  if (ccs == NULL || encs == NULL || es == NULL || rgs == NULL || orders == NULL ||
      kvs == NULL) {
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory (footer)");
    goto done;
  }
  rc = pqw_schema_elements(&w->schema, &fm.schema, &fm.n_schema, err);
  if (rc != ICE_OK) goto done;
  fm.version = 1;
  fm.num_rows = w->num_rows;
  for (size_t g = 0; g < w->n_rgs; g++) {
    struct pq_row_group *rg = &rgs[g];
    rg->columns = ccs + g * (size_t)nl;
    rg->n_columns = (size_t)nl;
    for (int32_t l = 0; l < nl; l++) {
      size_t at = g * (size_t)nl + (size_t)l;
      fill_chunk(w, l, &w->rgs[g].chunks[l], &rg->columns[l],
                 encs + at * PQW_MAX_CHUNK_ENCODINGS, es + at * 4);
    }
    rg->total_byte_size = w->rgs[g].total_byte_size;
    rg->num_rows = w->rgs[g].num_rows;
    rg->has_file_offset = true;
    rg->file_offset = w->rgs[g].offset;
    rg->has_total_compressed_size = true;
    rg->total_compressed_size = w->rgs[g].total_compressed;
    if (g <= INT16_MAX) {
      rg->has_ordinal = true;
      rg->ordinal = (int16_t)g;
    }
  }
  fm.row_groups = rgs;
  fm.n_row_groups = w->n_rgs;
  for (size_t i = 0; i < w->n_kv; i++) {
    kvs[i].key = w->kv[i].key;
    kvs[i].value = w->kv[i].value;
    kvs[i].value_len = w->kv[i].value ? strlen(w->kv[i].value) : 0;
  }
  if (w->n_kv) {
    fm.has_key_value_metadata = true;
    fm.key_value_metadata = kvs;
    fm.n_key_value_metadata = w->n_kv;
  }
  fm.created_by = w->created_by;
  for (int32_t l = 0; l < nl; l++) orders[l].kind = PQ_ORDER_TYPE_DEFINED;
  fm.has_column_orders = true;
  fm.column_orders = orders;
  fm.n_column_orders = (size_t)nl;
  rc = pq_meta_write_footer(&fm, &buf, err);
  if (rc == ICE_OK) rc = ice_output_write(w->out, buf.data, buf.len, err);
done:
  ice_free(fm.schema);
  ice_free(ccs);
  ice_free(encs);
  ice_free(es);
  ice_free(rgs);
  ice_free(orders);
  ice_free(kvs);
  ice_buf_reset(&buf);
  return rc;
}

/* All ColumnIndex blobs, then all OffsetIndex blobs, between the last row group and
 * the footer (where parquet-java and arrow put them). */
static int write_page_indexes(struct pq_writer *w, struct ice_error *err) {
  for (int pass = 0; pass < 2; pass++) {
    for (size_t g = 0; g < w->n_rgs; g++) {
      for (int32_t l = 0; l < w->schema.n_leaves; l++) {
        struct pqw_chunk_meta *m = &w->rgs[g].chunks[l];
        const uint8_t *blob = pass == 0 ? m->column_index : m->offset_index;
        size_t len = pass == 0 ? m->column_index_len : m->offset_index_len;
        if (blob == NULL) continue;
        if (len > INT32_MAX) ICE_FAIL(err, ICE_ELIMIT, "page index over 2 GiB");
        if (pass == 0) {
          m->column_index_offset = w->out->written;
        } else {
          m->offset_index_offset = w->out->written;
        }
        ICE_TRY(ice_output_write(w->out, blob, len, err));
      }
    }
  }
  return ICE_OK;
}

int pq_writer_close(struct pq_writer *w, struct ice_error *err) {
  if (w->state != PQW_OPEN)
    ICE_FAIL(err, ICE_EINVAL, "writer is not open (an earlier error?)");
  int rc = flush_rg(w, err);
  if (rc == ICE_OK) rc = drain(w, err);
  if (rc == ICE_OK) rc = write_page_indexes(w, err);
  if (rc == ICE_OK) rc = write_footer(w, err);
  if (rc == ICE_OK) rc = ice_output_finish(w->out, err);
  if (rc != ICE_OK) {
    w->state = PQW_FAILED;
    if (w->out && w->out->name) ice_error_prefix_path(err, "parquet:", w->out->name);
    return rc;
  }
  w->file_size = w->out->written;
  ice_output_close(w->out);
  w->out = NULL;
  w->state = PQW_CLOSED;
  return ICE_OK;
}

/* Frees what belongs to one file (row-group footer facts, key/value metadata); the
 * arrays holding them keep their capacity. */
static void clear_file_state(struct pq_writer *w) {
  for (size_t g = 0; g < w->n_rgs; g++) {
    for (int32_t l = 0; l < w->schema.n_leaves && w->rgs[g].chunks; l++) {
      pqw_chunk_meta_reset(&w->rgs[g].chunks[l]);
    }
    ice_free(w->rgs[g].chunks);
  }
  w->n_rgs = 0;
  ice_mem_release(w->opts.budget, w->footer_charged);
  w->footer_charged = 0;
  for (size_t i = 0; i < w->n_kv; i++) {
    ice_free((char *)(uintptr_t)w->kv[i].key);
    ice_free((char *)(uintptr_t)w->kv[i].value);
  }
  w->n_kv = 0;
}

int pq_writer_restart(struct pq_writer *w, struct ice_output *out,
                      struct ice_error *err) {
  if (w->state != PQW_CLOSED) {
    ice_output_abort(out);
    ice_output_close(out);
    ICE_FAIL(err, ICE_EINVAL, "writer restarted without a successful close");
  }
  clear_file_state(w);
  for (int32_t l = 0; l < w->schema.n_leaves; l++) {
    pq_stats_reset(&w->leaves[l].stats);
    init_leaf(&w->leaves[l], &w->schema.nodes[w->schema.leaf_nodes[l]]);
    pqw_column_restart(w->cols[l]);
  }
  w->rg_rows = 0;
  w->num_rows = 0;
  w->file_size = 0;
  w->slice_rows = PQW_SLICE_FIRST_ROWS;
  w->out = out;
  w->state = PQW_OPEN;
  return fail(w, ice_output_write(w->out, "PAR1", 4, err));
}

void pq_writer_free(struct pq_writer *w) {
  if (w == NULL) return;
  (void)drain(w, NULL); /* the write must not run on: its output is aborted below */
  if (w->out != NULL) {
    ice_output_abort(w->out);
    ice_output_close(w->out);
  }
  for (int32_t l = 0; l < w->schema.n_leaves; l++) {
    if (w->cols) pqw_column_free(w->cols[l]);
    if (w->leaves) pq_stats_reset(&w->leaves[l].stats);
    if (w->leaf_paths) ice_free(w->leaf_paths[l]);
  }
  clear_file_state(w);
  pqw_behind_reset(&w->behind, w->schema.n_leaves);
  ice_free(w->kv);
  ice_free(w->rgs);
  ice_free(w->cols);
  ice_free(w->leaves);
  ice_free(w->leaf_paths);
  ice_free(w->leaf_path_len);
  pqw_schema_reset(&w->schema);
  arrow_schema_release(&w->arrow_schema);
  pq_workers_free(w->own_workers);
  pqw_worker_reset(&w->serial);
  ice_free(w->created_by);
  ice_free(w);
}

int64_t pq_writer_bytes_written(const struct pq_writer *w) {
  if (w->behind.queued) return w->behind.end; /* the output's count is the worker's */
  return w->out ? w->out->written : w->file_size;
}
int64_t pq_writer_num_rows(const struct pq_writer *w) {
  return w->num_rows;
}
int64_t pq_writer_file_size(const struct pq_writer *w) {
  return w->file_size;
}
size_t pq_writer_num_leaves(const struct pq_writer *w) {
  return (size_t)w->schema.n_leaves;
}
const struct pq_writer_leaf *pq_writer_leaf_view(const struct pq_writer *w, size_t i) {
  return i < (size_t)w->schema.n_leaves ? &w->leaves[i] : NULL;
}
size_t pq_writer_num_row_groups(const struct pq_writer *w) {
  return w->n_rgs;
}
int pq_writer_threads(const struct pq_writer *w) {
  return w->workers != NULL ? pq_workers_threads(w->workers) : 1;
}
int64_t pq_writer_row_group_offset(const struct pq_writer *w, size_t i) {
  return i < w->n_rgs ? w->rgs[i].offset : -1;
}
