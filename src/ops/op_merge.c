/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A merge's setup, its first pass (the index of incoming keys) and the last (which
 * input rows are written). The probe is op_merge_probe.c, the stored side
 * op_merge_write.c, the commit's change op_merge_change.c.
 */
#include "ops/op_merge.h"

#include <stdio.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "arrow/arrow_take.h"
#include "arrow/arrow_view.h"
#include "ops/op_key_format.h"
#include "ops/op_merge_internal.h"
#include "ops/op_merge_keys.h"
#include "ops/op_threads.h"
#include "ops/op_task_read.h"
#include "util/alloc.h"
#include "util/thread_pool.h"

static int find_column(const struct ArrowSchema *table, int32_t id, size_t *col,
                       struct ice_error *err) {
  for (int64_t i = 0; i < table->n_children; i++) {
    bool has = false;
    int32_t got = 0;
    ICE_TRY(arrow_field_id(table->children[i], &has, &got, err));
    if (has && got == id) {
      *col = (size_t)i;
      return ICE_OK;
    }
  }
  ICE_FAIL(err, ICE_EINTERNAL, "field id %d is not a column of the table", (int)id);
}

static int resolve_keys(struct op_merge *m, const struct ib_schema *s,
                        struct ice_error *err) {
  int32_t *ids = NULL;
  size_t n = 0;
  ICE_TRY(op_merge_keys_resolve(s, m->o.keys, m->o.n_keys, &ids, &n, err));
  m->keys = ice_calloc(n, sizeof *m->keys);
  int rc = m->keys ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; rc == ICE_OK && i < n; i++) {
    struct merge_key *k = &m->keys[i];
    const struct ib_field *f = ib_schema_find_by_id(s, ids[i]);
    if (f == NULL) {
      rc = ice_error_set(err, ICE_EINTERNAL, "key field %d vanished", (int)ids[i]);
      break;
    }
    k->id = ids[i];
    k->ib_type = f->type; /* primitive (op_merge_keys_resolve checked): a flat copy */
    k->name = ice_strdup(f->name);
    m->n_keys = i + 1;
    if (k->name == NULL) {
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
      break;
    }
    rc = find_column(m->table_arrow, k->id, &k->col, err);
    if (rc == ICE_OK)
      rc = arrow_type_parse(m->table_arrow->children[k->col]->format, &k->type, err);
    if (rc == ICE_OK) merge_range_init(&k->range, &k->type);
  }
  ice_free(ids);
  return rc;
}

static int resolve_hard_delete(struct op_merge *m, struct ice_error *err) {
  m->hard_col = -1;
  if (m->o.hard_delete == NULL) return ICE_OK;
  if (m->o.strategy == OP_MERGE_INSERT_ONLY)
    ICE_FAIL(err, ICE_EINVAL,
             "--hard-delete works with the upsert and delete-insert strategies, not "
             "insert-only");
  for (int64_t i = 0; i < m->table_arrow->n_children; i++) {
    const struct ArrowSchema *c = m->table_arrow->children[i];
    if (strcmp(c->name, m->o.hard_delete) != 0) continue;
    if (strcmp(c->format, "b") != 0)
      ICE_FAIL(err, ICE_EINVAL, "--hard-delete column '%s' is not a boolean column",
               m->o.hard_delete);
    for (size_t k = 0; k < m->n_keys; k++)
      if (m->keys[k].col == (size_t)i)
        ICE_FAIL(err, ICE_EINVAL, "--hard-delete column '%s' is a merge key column",
                 m->o.hard_delete);
    m->hard_col = i;
    return ICE_OK;
  }
  ICE_FAIL(err, ICE_EINVAL, "--hard-delete column '%s' is not in the table",
           m->o.hard_delete);
}

int op_merge_new(const struct op_table *t, const struct ArrowSchema *table_arrow,
                 const struct op_merge_options *o, struct ice_mem_budget *budget,
                 struct op_merge **out, struct ice_error *err) {
  const struct ib_schema *s = ib_table_metadata_current_schema(&t->md);
  if (s == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no current schema");
  struct op_merge *m = ice_calloc(1, sizeof *m);
  if (m == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  m->t = t;
  m->table_arrow = table_arrow;
  m->o = *o;
  m->budget = budget;
  m->planned_snapshot = -1;
  op_key_map_init(&m->index, sizeof(struct merge_entry), budget);
  ice_bitmap_init(&m->skip, budget);
  ice_buf_init(&m->key, (size_t)INT64_MAX);
  op_scan_plan_init(&m->plan);
  op_key_set_init(&m->removed, budget);
  op_key_set_init(&m->rewritten, budget);
  op_key_set_init(&m->manifests, budget);
  const struct ib_partition_spec *spec = ib_table_metadata_default_spec(&t->md);
  m->default_spec = spec ? spec->spec_id : 0;
  ice_bloom_init(&m->bloom, 0, 0, budget);
  ice_buf_init(&m->first_values, (size_t)INT64_MAX);
  ice_buf_set_budget(&m->first_values, budget);
  int rc = resolve_keys(m, s, err);
  m->first_ok = rc == ICE_OK && m->keys[0].range.kind == RANGE_INT;
  if (rc == ICE_OK) rc = resolve_hard_delete(m, err);
  if (rc == ICE_OK) rc = merge_colh_init(m, err);
  if (rc != ICE_OK) {
    op_merge_free(m);
    return rc;
  }
  *out = m;
  return ICE_OK;
}

void op_merge_expect_rows(struct op_merge *m, int64_t rows) {
  m->expected_rows = rows;
  /* The filter takes at most a sixteenth of the budget. */
  size_t cap = m->budget ? (size_t)(m->budget->limit / 16) : (size_t)64 << 20;
  ice_bloom_reset(&m->bloom);
  ice_bloom_init(&m->bloom, rows, cap, m->budget);
}

int op_merge_use_threads(struct op_merge *m, struct ice_thread_pool *pool,
                         struct ice_error *err) {
  int threads = pool != NULL ? ice_thread_pool_workers(pool) : 1;
  m->pool = op_side_by_side(m->budget) ? pool : NULL;
  /* Not under a small budget: the batch read ahead would be one more held. */
  m->read_ahead = threads > 1 && m->pool != NULL;
  /* Reading ahead, half the threads decode (as a load's input, op_input.c). */
  if (m->read_ahead && threads >= 4)
    return ice_thread_pool_new(threads / 2, &m->read_pool, err);
  return ICE_OK;
}

void op_merge_free(struct op_merge *m) {
  if (m == NULL) return;
  ice_thread_pool_free(m->read_pool);
  op_spill_close(&m->in_spill);
  op_spill_close(&m->st_spill);
  for (size_t i = 0; i < m->n_keys; i++) {
    merge_range_reset(&m->keys[i].range);
    ice_free(m->keys[i].name);
  }
  ice_free(m->keys);
  merge_colh_reset(m);
  op_key_map_reset(&m->index);
  ice_bitmap_reset(&m->skip);
  ice_buf_reset(&m->key);
  ice_free(m->hashes);
  ice_free(m->take);
  if (m->deleted != NULL)
    for (size_t i = 0; i < m->plan.n_tasks; i++) ice_bitmap_reset(&m->deleted[i]);
  ice_free(m->deleted);
  if (m->matched != NULL)
    for (size_t i = 0; i < m->plan.n_tasks; i++) ice_bitmap_reset(&m->matched[i]);
  ice_free(m->matched);
  ice_bloom_reset(&m->bloom);
  ice_buf_reset(&m->first_values);
  ice_free(m->affected);
  op_scan_plan_reset(&m->plan);
  op_key_set_reset(&m->removed);
  op_key_set_reset(&m->rewritten);
  op_key_set_reset(&m->manifests);
  merge_parts_reset(m);
  ice_free(m);
}

int merge_grow_scratch(struct op_merge *m, int64_t n, struct ice_error *err) {
  if ((size_t)n > m->hashes_cap) {
    struct op_row_hash *h = ice_realloc(m->hashes, (size_t)n * sizeof *h);
    if (h == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    m->hashes = h;
    m->hashes_cap = (size_t)n;
  }
  if ((size_t)n > m->take_cap) {
    int64_t *t = ice_realloc(m->take, (size_t)n * sizeof *t);
    if (t == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    m->take = t;
    m->take_cap = (size_t)n;
  }
  return ICE_OK;
}

int merge_table_ids(const struct op_merge *m, int32_t **out, struct ice_error *err) {
  size_t n = (size_t)m->table_arrow->n_children;
  int32_t *ids = ice_calloc(n ? n : 1, sizeof *ids);
  if (ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    bool has = false;
    int rc = arrow_field_id(m->table_arrow->children[i], &has, &ids[i], err);
    if (rc != ICE_OK) {
      ice_free(ids);
      return rc;
    }
  }
  *out = ids;
  return ICE_OK;
}

int merge_each_batch(struct op_merge *m, const struct io_fileio *io,
                     struct op_task_reader *tr, size_t task,
                     const struct op_merge_sink *sink, merge_batch_fn fn, const void *ctx,
                     struct ice_error *err) {
  if (m->read_ahead) return merge_each_batch_ahead(m, io, tr, task, sink, fn, ctx, err);
  ICE_TRY(op_task_reader_open(tr, io, &m->plan, &m->plan.tasks[task], err));
  int rc = ICE_OK;
  while (rc == ICE_OK) {
    if (sink->check_cancel != NULL && (rc = sink->check_cancel(sink->ctx, err)) != ICE_OK)
      break;
    struct ArrowArray b = {0};
    const int64_t *pos = NULL;
    bool eof = false;
    rc = op_task_reader_next(tr, &b, &pos, &eof, err);
    if (rc != ICE_OK || eof) break;
    rc = fn(m, ctx, task, &b, pos, err);
    arrow_array_release(&b);
  }
  op_task_reader_close(tr);
  return rc;
}

int merge_key_of(struct op_merge *m, const struct ArrowArray *batch, const size_t *cols,
                 int64_t row, struct ice_error *err) {
  ice_buf_clear(&m->key);
  for (size_t k = 0; k < m->n_keys; k++)
    ICE_TRY(op_key_append(&m->keys[k].type, batch->children[cols[k]], row, &m->key, err));
  return ICE_OK;
}

int merge_format_key(const struct op_merge *m, const uint8_t *key, size_t len,
                     struct ice_buf *out) {
  const struct arrow_type *types[16];
  const char *names[16];
  size_t n = m->n_keys < 16 ? m->n_keys : 16;
  for (size_t i = 0; i < n; i++) {
    types[i] = &m->keys[i].type;
    names[i] = m->keys[i].name;
  }
  struct ice_error e;
  ice_buf_clear(out);
  int rc =
      n == m->n_keys ? op_key_format(types, names, n, key, len, out, &e) : ICE_EINVAL;
  if (rc != ICE_OK) {
    ice_buf_clear(out);
    static const char what[] = "(a key of many columns)";
    if (ice_buf_append(out, what, sizeof what, &e) != ICE_OK) return ICE_ENOMEM;
  }
  return ICE_OK;
}

/* The key of `row` must have no nulls: a null never matches in a merge. */
static int check_not_null(const struct op_merge *m, const struct ArrowArray *batch,
                          int64_t row, const char *input, int64_t first_row,
                          struct ice_error *err) {
  for (size_t k = 0; k < m->n_keys; k++) {
    const struct ArrowArray *c = batch->children[m->keys[k].col];
    if (!arrow_array_valid(c, row))
      ICE_FAIL(err, ICE_EINVAL, "%s: row %lld: merge key column '%s' is null", input,
               (long long)(first_row + row), m->keys[k].name);
  }
  return ICE_OK;
}

static int duplicate_error(struct op_merge *m, const struct merge_entry *e, int64_t ord,
                           const char *input, int64_t row, struct ice_error *err) {
  struct ice_buf text;
  ice_buf_init(&text, 4096);
  (void)merge_format_key(m, m->key.data, m->key.len, &text);
  const char *k = text.len ? (const char *)text.data : "?";
  int rc;
  if (input != NULL) {
    rc = ice_error_set(err, ICE_EINVAL,
                       "duplicate key %s in the input: input row %lld and %s row %lld "
                       "(input row %lld); nothing was committed (--dedup first|last "
                       "keeps one)",
                       k, (long long)e->ord + 1, input, (long long)row,
                       (long long)ord + 1);
  } else {
    rc =
        ice_error_set(err, ICE_EINVAL,
                      "duplicate key %s in the input: input rows %lld and %lld (counting "
                      "from 1 across the inputs in order); nothing was committed "
                      "(--dedup first|last keeps one)",
                      k, (long long)e->ord + 1, (long long)ord + 1);
  }
  ice_buf_reset(&text);
  return rc;
}

static int index_full(const struct op_merge *m, struct ice_error *err) {
  return ice_error_set(
      err, ICE_ELIMIT,
      "the merge's index of incoming keys (%zu keys so far) does not fit "
      "--memory-limit %lld MiB; raise --memory-limit",
      m->index.n, (long long)(m->budget->limit >> 20));
}

int merge_index_key(struct op_merge *m, int64_t ord, struct op_row_hash h, bool hard,
                    const char *input, int64_t row, struct ice_error *err) {
  uint64_t at = 0;
  bool found = false;
  int rc = op_key_map_upsert(&m->index, m->key.data, m->key.len, &at, &found, err);
  if (rc == ICE_ELIMIT) return index_full(m, err);
  ICE_TRY(rc);
  struct merge_entry e;
  memcpy(&e, op_key_map_value(&m->index, at), sizeof e);
  if (!found) {
    e = (struct merge_entry){h, ord, 0, hard, 0};
  } else if (m->o.strategy == OP_MERGE_DELETE_INSERT) {
    e.repeated = 1; /* every row of the key is inserted */
  } else if (m->o.dedup == OP_DEDUP_ERROR) {
    return duplicate_error(m, &e, ord, input, row, err);
  } else if (m->o.dedup == OP_DEDUP_FIRST) {
    ICE_TRY(ice_bitmap_set(&m->skip, ord, err));
  } else {
    ICE_TRY(ice_bitmap_set(&m->skip, e.ord, err));
    e.ord = ord;
    e.h = h;
    e.hard = hard;
  }
  memcpy(op_key_map_value(&m->index, at), &e, sizeof e);
  return ICE_OK;
}

/* One input row: checked, its key ranges noted, then indexed (or spilled). */
static int ingest_row(struct op_merge *m, const struct ArrowArray *batch, int64_t r,
                      const size_t *cols, const char *input, int64_t first_row,
                      struct ice_error *err) {
  int64_t ord = m->ingested + r;
  ICE_TRY(check_not_null(m, batch, r, input, first_row, err));
  ICE_TRY(merge_parts_ingest(m, batch, r, err));
  ICE_TRY(merge_key_of(m, batch, cols, r, err));
  for (size_t k = 0; k < m->n_keys; k++)
    ICE_TRY(merge_range_add(&m->keys[k].range, batch->children[m->keys[k].col], r, err));
  merge_first_add(m, batch->children[m->keys[0].col], r);
  bool hard = false;
  if (m->hard_col >= 0) {
    const struct ArrowArray *c = batch->children[m->hard_col];
    hard = arrow_array_valid(c, r) && arrow_array_bool(c, r);
  }
  if (hard) {
    m->hard_rows++;
    ICE_TRY(ice_bitmap_set(&m->skip, ord, err)); /* never inserted */
  }
  struct op_row_hash h =
      m->o.strategy == OP_MERGE_UPSERT ? m->hashes[r] : (struct op_row_hash){0, 0};
  if (m->spilling) {
    struct in_record rec = {ord, h, hard};
    return merge_spill_put_incoming(m, m->key.data, m->key.len, &rec, err);
  }
  int rc = merge_index_key(m, ord, h, hard, input, first_row + r, err);
  if (rc == ICE_ELIMIT && !m->spilling) {
    /* The index could not grow: it goes to spill files, this row after it. */
    ICE_TRY(merge_spill_maybe(m, true, err));
    struct in_record rec = {ord, h, hard};
    return merge_spill_put_incoming(m, m->key.data, m->key.len, &rec, err);
  }
  ICE_TRY(rc);
  return merge_spill_maybe(m, false, err);
}

int op_merge_ingest(struct op_merge *m, const struct ArrowArray *batch, const char *input,
                    int64_t first_row, struct ice_error *err) {
  int64_t n = batch->length;
  if (n == 0) return ICE_OK;
  ICE_TRY(merge_grow_scratch(m, n, err));
  ICE_TRY(merge_colh_ingest(m, batch, err)); /* before the row hashes: same scratch */
  if (m->o.strategy == OP_MERGE_UPSERT)
    ICE_TRY(op_row_hash_batch(m->table_arrow, batch, m->hashes, err));
  size_t cols[64];
  if (m->n_keys > 64) ICE_FAIL(err, ICE_ELIMIT, "a merge key of more than 64 columns");
  for (size_t k = 0; k < m->n_keys; k++) cols[k] = m->keys[k].col;
  for (int64_t r = 0; r < n; r++)
    ICE_TRY(ingest_row(m, batch, r, cols, input, first_row, err));
  m->ingested += n;
  return ICE_OK;
}

int op_merge_filter(struct op_merge *m, struct ArrowArray *batch, struct ArrowArray *out,
                    struct ice_error *err) {
  int64_t n = batch->length;
  int rc = merge_grow_scratch(m, n, err);
  int64_t kept = 0;
  for (int64_t r = 0; rc == ICE_OK && r < n; r++)
    if (!ice_bitmap_get(&m->skip, m->filtered + r)) m->take[kept++] = r;
  m->filtered += n;
  if (rc == ICE_OK && kept == n) {
    *out = *batch; /* every row is written: moved */
    memset(batch, 0, sizeof *batch);
    m->written += n;
    return ICE_OK;
  }
  if (rc == ICE_OK) rc = arrow_array_take(m->table_arrow, batch, m->take, kept, out, err);
  if (rc == ICE_OK) m->written += kept;
  arrow_array_release(batch);
  return rc;
}

bool op_merge_on_read(const struct op_merge *m) {
  return m->mor;
}

void op_merge_get_counts(const struct op_merge *m, struct op_merge_counts *out) {
  *out = m->counts;
  out->rows_inserted = m->written - m->counts.rows_updated;
}
