/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An upsert's matches resolved after the probe (op_merge.h, end of pass 2): is the
 * incoming row equal to the stored row it replaces? First column by column: the
 * cheapest few non-key columns (fixed width before strings before nested) each get a
 * 32-bit hash of every incoming value at ingest, and a pass reads one such column of
 * the files still holding undecided matches; a stored value whose hash differs proves
 * the row changed, so a typical update is decided after reading one column, not all.
 * The rows left (equal in every compared column, or all of them when the hashes did not
 * fit the budget) are read whole and compared by their row fingerprints: only that
 * decides "unchanged".
 */
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "arrow/arrow_take.h"
#include "ops/op_merge_internal.h"
#include "ops/op_task_read.h"
#include "util/alloc.h"

/* The column hashes may take this share of the budget; past it they are dropped. */
#define COLH_SHARE 16
#define PENDING_DONE UINT64_MAX

static int cost_rank(const struct arrow_type *t) {
  if (t->id >= ARROW_TYPE_STRUCT) return 2;
  if (t->id >= ARROW_TYPE_BINARY && t->id <= ARROW_TYPE_LARGE_STRING) return 1;
  return 0;
}

static bool is_key_col(const struct op_merge *m, size_t col) {
  for (size_t k = 0; k < m->n_keys; k++)
    if (m->keys[k].col == col) return true;
  return false;
}

int merge_colh_init(struct op_merge *m, struct ice_error *err) {
  struct merge_colh *c = &m->colh;
  ice_buf_init(&c->in, (size_t)INT64_MAX);
  ice_buf_set_budget(&c->in, m->budget);
  ice_buf_init(&c->pending, (size_t)INT64_MAX);
  ice_buf_set_budget(&c->pending, m->budget);
  c->on = m->o.strategy == OP_MERGE_UPSERT;
  const struct ArrowSchema *s = m->table_arrow;
  for (int rank = 0; c->on && rank <= 2; rank++) {
    for (int64_t i = 0; i < s->n_children && c->n < MERGE_COLH_MAX; i++) {
      struct arrow_type t;
      if (is_key_col(m, (size_t)i) ||
          arrow_type_parse(s->children[i]->format, &t, NULL) != ICE_OK ||
          cost_rank(&t) != rank)
        continue;
      bool has = false;
      struct merge_colh_col *cc = &c->cols[c->n];
      ICE_TRY(arrow_field_id(s->children[i], &has, &cc->id, err));
      ICE_TRY(arrow_schema_init(&cc->schema, "+s", "", 0, 1, err));
      c->n++; /* its schema is released by merge_colh_reset from here on */
      ICE_TRY(arrow_schema_copy(s->children[i], cc->schema.children[0], err));
      cc->col = (size_t)i;
    }
  }
  if (c->n == 0) c->on = false;
  return ICE_OK;
}

static void colh_free_buffers(struct merge_colh *c) {
  ice_buf_reset(&c->in);
  ice_buf_reset(&c->pending);
  ice_free(c->idx);
  c->idx = NULL;
  c->idx_cap = 0;
}

void merge_colh_off(struct op_merge *m) {
  m->colh.on = false;
  colh_free_buffers(&m->colh);
}

void merge_colh_reset(struct op_merge *m) {
  colh_free_buffers(&m->colh);
  for (size_t j = 0; j < m->colh.n; j++) arrow_schema_release(&m->colh.cols[j].schema);
  m->colh.n = 0;
  m->colh.on = false;
}

/* A view borrows its child: releasing it frees nothing. */
static void release_view(struct ArrowArray *a) {
  a->release = NULL;
}

int merge_colh_ingest(struct op_merge *m, const struct ArrowArray *batch,
                      struct ice_error *err) {
  struct merge_colh *c = &m->colh;
  if (!c->on) return ICE_OK;
  if (m->spilling) {
    merge_colh_off(m); /* a spilling merge resolves with the spilled fingerprints */
    return ICE_OK;
  }
  size_t n = (size_t)batch->length, k = c->n;
  size_t need = c->in.len + n * k * sizeof(uint32_t);
  if (c->in.len != (size_t)m->ingested * k * sizeof(uint32_t) ||
      (m->budget != NULL && m->budget->limit > 0 &&
       need > (size_t)(m->budget->limit / COLH_SHARE))) {
    merge_colh_off(m);
    return ICE_OK;
  }
  size_t at = c->in.len;
  int rc = ice_buf_resize(&c->in, need, err);
  if (rc == ICE_ELIMIT) {
    merge_colh_off(m);
    return ICE_OK;
  }
  ICE_TRY(rc);
  uint32_t *out = (uint32_t *)(c->in.data + at);
  for (size_t j = 0; j < k; j++) {
    /* The column alone, as a struct of one child: hashed as the stored side is. */
    const void *no_validity[1] = {NULL};
    struct ArrowArray *child = batch->children[c->cols[j].col];
    struct ArrowArray view = {.length = batch->length,
                              .offset = batch->offset,
                              .n_buffers = 1,
                              .n_children = 1,
                              .buffers = no_validity,
                              .children = &child,
                              .release = release_view};
    ICE_TRY(op_row_hash_batch(&c->cols[j].schema, &view, m->hashes, err));
    for (size_t r = 0; r < n; r++) out[r * k + j] = (uint32_t)m->hashes[r].lo;
  }
  return ICE_OK;
}

int merge_colh_pending_add(struct op_merge *m, size_t task, int64_t pos, uint64_t at,
                           struct ice_error *err) {
  if (!m->colh.on) return ICE_OK;
  struct merge_pending p = {at, pos, (uint32_t)task};
  int rc = ice_buf_append(&m->colh.pending, &p, sizeof p, err);
  if (rc == ICE_ELIMIT) merge_colh_off(m); /* the matched bitmaps still hold them all */
  return rc == ICE_ELIMIT ? ICE_OK : rc;
}

/* ---- the column passes ---- */

static struct merge_pending *pending_at(const struct op_merge *m, size_t *n) {
  *n = m->colh.pending.len / sizeof(struct merge_pending);
  return (struct merge_pending *)(void *)m->colh.pending.data;
}

/* One batch of column j of task `task`: each pending match in it compared. */
static int colh_batch(struct op_merge *m, const void *ctx, size_t task,
                      const struct ArrowArray *b, const int64_t *pos,
                      struct ice_error *err) {
  (void)ctx;
  struct merge_colh *c = &m->colh;
  size_t n_pend;
  struct merge_pending *pend = pending_at(m, &n_pend);
  ICE_TRY(merge_grow_scratch(m, b->length, err));
  if ((size_t)b->length > c->idx_cap) {
    size_t *v = ice_realloc(c->idx, (size_t)b->length * sizeof *v);
    if (v == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    c->idx = v;
    c->idx_cap = (size_t)b->length;
  }
  /* Both in position order: one walk pairs the pending rows with the batch's. */
  int64_t n = 0, r = 0;
  size_t i = c->cursor;
  while (i < n_pend && pend[i].task == task && r < b->length) {
    if (pend[i].pos < pos[r]) {
      i++; /* not a live row of the file: the full read decides it */
    } else if (pend[i].pos > pos[r]) {
      r++;
    } else {
      m->take[n] = r++;
      c->idx[n++] = i++;
    }
  }
  c->cursor = i;
  if (n == 0) return ICE_OK;
  const struct merge_colh_col *cc = &c->cols[c->pass];
  struct ArrowArray sub;
  ICE_TRY(arrow_array_take(&cc->schema, b, m->take, n, &sub, err));
  int rc = op_row_hash_batch(&cc->schema, &sub, m->hashes, err);
  arrow_array_release(&sub);
  ICE_TRY(rc);
  const uint32_t *in = (const uint32_t *)(const void *)c->in.data;
  for (int64_t k = 0; k < n; k++) {
    struct merge_pending *p = &pend[c->idx[k]];
    struct merge_entry e;
    memcpy(&e, op_key_map_value(&m->index, p->at), sizeof e);
    if ((uint32_t)m->hashes[k].lo == in[(size_t)e.ord * c->n + c->pass]) continue;
    ICE_TRY(ice_bitmap_set(&m->deleted[task], p->pos, err));
    ice_bitmap_clear(&m->matched[task], p->pos);
    m->counts.rows_updated++;
    p->at = PENDING_DONE;
  }
  return ICE_OK;
}

/* Drops the decided rows from the pending list; returns how many are left. */
static size_t compact_pending(struct op_merge *m) {
  size_t n, kept = 0;
  struct merge_pending *pend = pending_at(m, &n);
  for (size_t i = 0; i < n; i++)
    if (pend[i].at != PENDING_DONE) pend[kept++] = pend[i];
  m->colh.pending.len = kept * sizeof *pend;
  return kept;
}

/* Column j of every file with pending rows. */
static int colh_pass(struct op_merge *m, const struct io_fileio *io,
                     const struct op_merge_sink *sink, size_t j, struct ice_error *err) {
  struct merge_colh *c = &m->colh;
  struct merge_colh_col *cc = &c->cols[j];
  struct op_task_columns cols = {&cc->schema, &cc->id, 1, 0};
  struct op_task_reader tr;
  op_task_reader_init(&tr, &cols, m->budget);
  tr.pool = m->pool;
  c->pass = j;
  size_t n;
  const struct merge_pending *pend = pending_at(m, &n); /* fixed during a pass */
  int rc = ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < n;) {
    size_t task = pend[i].task;
    c->cursor = i;
    rc = merge_each_batch(m, io, &tr, task, sink, colh_batch, NULL, err);
    while (i < n && pend[i].task == task) i++;
  }
  op_task_reader_reset(&tr);
  return rc;
}

/* The matched rows of one batch of a whole-row read (at file positions pos): each
 * fingerprinted and resolved against its entry. */
static int resolve_batch(struct op_merge *m, size_t task, const struct ArrowArray *b,
                         const int64_t *pos, struct ice_error *err) {
  ICE_TRY(merge_grow_scratch(m, b->length, err));
  int64_t n = 0;
  for (int64_t r = 0; r < b->length; r++)
    if (ice_bitmap_get(&m->matched[task], pos[r])) m->take[n++] = r;
  if (n == 0) return ICE_OK;
  struct ArrowArray sub;
  ICE_TRY(arrow_array_take(m->table_arrow, b, m->take, n, &sub, err));
  /* take's indexes are reused below: keep the positions of the taken rows aside. */
  int64_t *at_pos = ice_calloc((size_t)n, sizeof *at_pos);
  int rc = at_pos ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (int64_t i = 0; rc == ICE_OK && i < n; i++) at_pos[i] = pos[m->take[i]];
  if (rc == ICE_OK) rc = op_row_hash_batch(m->table_arrow, &sub, m->hashes, err);
  size_t cols[64];
  for (size_t k = 0; k < m->n_keys; k++) cols[k] = m->keys[k].col;
  for (int64_t i = 0; rc == ICE_OK && i < n; i++) {
    rc = merge_key_of(m, &sub, cols, i, err);
    uint64_t at;
    if (rc == ICE_OK && !op_key_map_find(&m->index, m->key.data, m->key.len, &at))
      rc = ice_error_set(err, ICE_EINTERNAL, "a matched key left the index");
    if (rc != ICE_OK) break;
    struct merge_entry e;
    memcpy(&e, op_key_map_value(&m->index, at), sizeof e);
    if (op_row_hash_equal(e.h, m->hashes[i])) {
      rc = ice_bitmap_set(&m->skip, e.ord, err);
      m->counts.rows_unchanged++;
    } else {
      rc = ice_bitmap_set(&m->deleted[task], at_pos[i], err);
      m->counts.rows_updated++;
    }
  }
  ice_free(at_pos);
  arrow_array_release(&sub);
  return rc;
}

static int resolve_batch_fn(struct op_merge *m, const void *ctx, size_t task,
                            const struct ArrowArray *b, const int64_t *pos,
                            struct ice_error *err) {
  (void)ctx;
  return resolve_batch(m, task, b, pos, err);
}

/* The files with matched rows still undecided, read whole. */
static int resolve_whole(struct op_merge *m, const struct io_fileio *io,
                         const struct op_merge_sink *sink, struct ice_error *err) {
  int32_t *ids = NULL;
  ICE_TRY(merge_table_ids(m, &ids, err));
  struct op_task_columns cols = {m->table_arrow, ids, (size_t)m->table_arrow->n_children,
                                 0};
  struct op_task_reader tr;
  op_task_reader_init(&tr, &cols, m->budget);
  tr.pool = m->pool;
  int rc = ICE_OK;
  for (size_t t = 0; rc == ICE_OK && t < m->plan.n_tasks; t++) {
    if (m->matched[t].n_set == 0) continue;
    rc = merge_each_batch(m, io, &tr, t, sink, resolve_batch_fn, NULL, err);
    ice_bitmap_reset(&m->matched[t]);
  }
  op_task_reader_reset(&tr);
  ice_free(ids);
  return rc;
}

int merge_resolve_matches(struct op_merge *m, const struct io_fileio *io,
                          const struct op_merge_sink *sink, struct ice_error *err) {
  if (m->colh.on) {
    size_t left = compact_pending(m);
    for (size_t j = 0; left > 0 && j < m->colh.n; j++) {
      ICE_TRY(colh_pass(m, io, sink, j, err));
      size_t before = left;
      left = compact_pending(m);
      /* A column that tells few rows apart (an identical re-run, or updates of later
       * columns) is not worth the next one: the whole-row read decides the rest. */
      if (left > before / 2) break;
    }
  }
  merge_colh_off(m); /* its memory goes back before the whole-row read and the writes */
  return resolve_whole(m, io, sink, err);
}
