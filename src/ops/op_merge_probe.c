/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The merge's probe (op_merge.h, pass 2): the table's live data files, pruned by key
 * bounds, are read with their deletes applied, key columns only; a stored key the
 * Bloom filter rules out costs nothing more, the others are looked up in the index and
 * resolved per the strategy. An upsert's matches wait for their fingerprints: the files
 * holding them are resolved afterwards (op_merge_resolve.c: column by column, then
 * whole rows for those left; an equal row is unchanged, not rewritten). A spilling merge
 * reads whole rows at once (its matches are only known part by part) and fingerprints the
 * rows that pass the filter.
 */
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "ops/op_merge_internal.h"
#include "ops/op_task_read.h"
#include "util/alloc.h"

/* What the probe reads: every column (upsert) or the key columns. */
struct probe_cols {
  struct ArrowSchema schema; /* projection of the key columns (unused for upsert) */
  int32_t *ids;
  size_t *key_cols; /* key k's child in the batches */
  struct op_task_columns cols;
};

static int probe_cols_init(struct op_merge *m, struct probe_cols *p, int64_t batch_rows,
                           struct ice_error *err) {
  memset(p, 0, sizeof *p);
  bool whole = m->o.strategy == OP_MERGE_UPSERT && m->spilling;
  size_t n = whole ? (size_t)m->table_arrow->n_children : m->n_keys;
  p->key_cols = ice_calloc(m->n_keys ? m->n_keys : 1, sizeof *p->key_cols);
  if (p->key_cols == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  if (whole) {
    ICE_TRY(merge_table_ids(m, &p->ids, err));
  } else {
    p->ids = ice_calloc(n ? n : 1, sizeof *p->ids);
    if (p->ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  const struct ArrowSchema *schema = m->table_arrow;
  if (whole) {
    for (size_t k = 0; k < m->n_keys; k++) p->key_cols[k] = m->keys[k].col;
  } else {
    ICE_TRY(arrow_schema_init(&p->schema, "+s", "", 0, (int64_t)n, err));
    for (size_t k = 0; k < n; k++) {
      ICE_TRY(arrow_schema_copy(schema->children[m->keys[k].col], p->schema.children[k],
                                err));
      p->ids[k] = m->keys[k].id;
      p->key_cols[k] = k;
    }
    schema = &p->schema;
  }
  p->cols = (struct op_task_columns){schema, p->ids, n, batch_rows};
  return ICE_OK;
}

static void probe_cols_reset(struct probe_cols *p) {
  arrow_schema_release(&p->schema);
  ice_free(p->ids);
  ice_free(p->key_cols);
}

static int stored_duplicate(struct op_merge *m, const struct merge_entry *e, size_t task,
                            struct ice_error *err) {
  struct ice_buf text;
  ice_buf_init(&text, 4096);
  (void)merge_format_key(m, m->key.data, m->key.len, &text);
  const char *a = m->plan.tasks[e->match_task - 1].data.file.file_path;
  const char *b = m->plan.tasks[task].data.file.file_path;
  int rc =
      ice_error_set(err, ICE_EINVAL,
                    "key %s is stored more than once in table %s.%s (in %s%s%s); an "
                    "upsert needs unique "
                    "keys (--strategy delete-insert replaces every row of a key); "
                    "nothing was committed",
                    text.len ? (const char *)text.data : "?", m->t->id.ns, m->t->id.name,
                    a, strcmp(a, b) == 0 ? "" : " and ", strcmp(a, b) == 0 ? "" : b);
  ice_buf_reset(&text);
  return rc;
}

int merge_resolve_match(struct op_merge *m, size_t task, int64_t pos, uint64_t at,
                        const struct op_row_hash *stored, struct ice_error *err) {
  struct merge_entry e;
  memcpy(&e, op_key_map_value(&m->index, at), sizeof e);
  struct ice_bitmap *del = &m->deleted[task];
  switch (m->o.strategy) {
    case OP_MERGE_UPSERT:
      if (e.match_task != 0) return stored_duplicate(m, &e, task, err);
      if (e.hard) {
        ICE_TRY(ice_bitmap_set(del, pos, err));
        m->counts.rows_deleted++;
      } else if (stored == NULL) {
        ICE_TRY(ice_bitmap_set(&m->matched[task], pos, err)); /* resolved later */
        ICE_TRY(merge_colh_pending_add(m, task, pos, at, err));
      } else if (op_row_hash_equal(e.h, *stored)) {
        ICE_TRY(ice_bitmap_set(&m->skip, e.ord, err));
        m->counts.rows_unchanged++;
      } else {
        ICE_TRY(ice_bitmap_set(del, pos, err));
        m->counts.rows_updated++;
      }
      break;
    case OP_MERGE_INSERT_ONLY:
      ICE_TRY(ice_bitmap_set(&m->skip, e.ord, err));
      break;
    case OP_MERGE_DELETE_INSERT:
      ICE_TRY(ice_bitmap_set(del, pos, err));
      m->counts.rows_deleted++;
      break;
  }
  e.match_task = (uint32_t)task + 1;
  memcpy(op_key_map_value(&m->index, at), &e, sizeof e);
  return ICE_OK;
}

/* The index's keys into the Bloom filter, before its first use. */
static void fill_bloom(struct op_merge *m) {
  m->bloom_filled = true;
  if (m->spilling) return; /* its keys entered as they were spilled */
  uint64_t at = 0, entry;
  while (op_key_map_next(&m->index, &entry, &at)) {
    size_t len;
    const uint8_t *k = op_key_map_key(&m->index, entry, &len);
    ice_bloom_add(&m->bloom, k, len);
  }
}

static int probe_batch(struct op_merge *m, const struct probe_cols *p, size_t task,
                       const struct ArrowArray *b, const int64_t *pos,
                       struct ice_error *err) {
  ICE_TRY(merge_grow_scratch(m, b->length, err));
  bool hashed = m->spilling && m->o.strategy == OP_MERGE_UPSERT;
  if (hashed) ICE_TRY(op_row_hash_batch(m->table_arrow, b, m->hashes, err));
  /* A one-column key found by the walk is incoming for sure: no filter needed. */
  int64_t hits = merge_first_hits(m, b->children[p->key_cols[0]], b->length, m->take);
  bool exact = hits >= 0 && m->n_keys == 1;
  int64_t n = hits >= 0 ? hits : b->length;
  if (!exact && !m->bloom_filled) fill_bloom(m);
  for (int64_t i = 0; i < n; i++) {
    int64_t r = hits >= 0 ? m->take[i] : i;
    ICE_TRY(merge_key_of(m, b, p->key_cols, r, err));
    if (!exact && !ice_bloom_may_contain(&m->bloom, m->key.data, m->key.len)) continue;
    if (m->spilling) {
      struct st_record rec = {(int64_t)task, pos[r], {0, 0}};
      if (hashed) rec.h = m->hashes[r];
      ICE_TRY(op_spill_put(&m->st_spill, m->key.data, m->key.len, &rec, err));
      continue;
    }
    uint64_t at;
    if (!op_key_map_find(&m->index, m->key.data, m->key.len, &at)) continue;
    ICE_TRY(merge_resolve_match(m, task, pos[r], at, NULL, err));
  }
  return ICE_OK;
}

static int probe_batch_fn(struct op_merge *m, const void *ctx, size_t task,
                          const struct ArrowArray *b, const int64_t *pos,
                          struct ice_error *err) {
  return probe_batch(m, ctx, task, b, pos, err);
}

struct by_path {
  const struct op_scan_file *f;
  size_t task;
};

static int cmp_by_path(const void *a, const void *b) {
  const struct op_scan_file *x = ((const struct by_path *)a)->f;
  const struct op_scan_file *y = ((const struct by_path *)b)->f;
  int c =
      merge_tuple_order(x->spec_id, &x->file.partition, y->spec_id, &y->file.partition);
  return c != 0 ? c : strcmp(x->file.file_path, y->file.file_path);
}

/* Affected files by partition, then path: each partition's position deletes go to
 * files of their own, sorted by path. */
static int sort_affected(struct op_merge *m, struct ice_error *err) {
  if (m->n_affected < 2) return ICE_OK;
  struct by_path *v = ice_calloc(m->n_affected, sizeof *v);
  if (v == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < m->n_affected; i++)
    v[i] = (struct by_path){&m->plan.tasks[m->affected[i]].data, m->affected[i]};
  qsort(v, m->n_affected, sizeof *v, cmp_by_path);
  for (size_t i = 0; i < m->n_affected; i++) m->affected[i] = v[i].task;
  ice_free(v);
  return ICE_OK;
}

/* Copy-on-write or merge-on-read, from the table property for this kind of change:
 * write.delete.mode when it only deletes, write.update.mode when it only updates (each
 * when set), else write.merge.mode (Java's and Spark's properties; default
 * copy-on-write). */
static int choose_mode(struct op_merge *m, struct ice_error *err) {
  int64_t to_write = m->ingested - m->skip.n_set;
  const char *prop = "write.merge.mode";
  if (to_write == 0 && m->counts.rows_deleted > 0) {
    prop = "write.delete.mode";
  } else if (m->counts.rows_deleted == 0 && to_write == m->counts.rows_updated &&
             to_write > 0) {
    prop = "write.update.mode";
  }
  /* A table that names only the merge mode means it for every merge. */
  if (ib_table_metadata_property(&m->t->md, prop, NULL) == NULL)
    prop = "write.merge.mode";
  const char *v = ib_table_metadata_property(&m->t->md, prop, "copy-on-write");
  if (strcmp(v, "copy-on-write") == 0) {
    m->mor = false;
  } else if (strcmp(v, "merge-on-read") == 0) {
    m->mor = true;
  } else {
    ICE_FAIL(err, ICE_EINVAL,
             "table property %s=%s: expected copy-on-write or merge-on-read", prop, v);
  }
  if (m->mor && m->t->md.format_version < 2)
    ICE_FAIL(err, ICE_EUNSUPPORTED,
             "table property %s=merge-on-read needs a format-version 2 table (v1 has no "
             "delete files)",
             prop);
  return ICE_OK;
}

int op_merge_probe(struct op_merge *m, const struct io_fileio *io,
                   const struct op_merge_sink *sink, struct ice_error *err) {
  const struct ib_snapshot *snap = ib_table_metadata_current_snapshot(&m->t->md);
  m->planned_snapshot = snap ? snap->snapshot_id : -1;
  int32_t ids[64];
  for (size_t k = 0; k < m->n_keys; k++) ids[k] = m->keys[k].id;
  struct op_scan_plan_options po = {ids, m->n_keys};
  if (snap != NULL && m->ingested > 0)
    ICE_TRY(op_scan_plan_build_with(&m->t->md, snap, op_scan_open_input,
                                    (void *)(uintptr_t)io, &po, &m->plan, err));
  m->planned = true;
  if (m->plan.n_tasks >= UINT32_MAX)
    ICE_FAIL(err, ICE_ELIMIT, "a merge into a table of %zu data files", m->plan.n_tasks);
  if (m->spilling) {
    ICE_TRY(op_spill_finish(&m->in_spill, err));
    ICE_TRY(op_spill_open(&m->st_spill, m->in_spill.n_parts, sizeof(struct st_record),
                          m->budget, err));
  }
  size_t n_tasks = m->plan.n_tasks ? m->plan.n_tasks : 1;
  m->deleted = ice_calloc(n_tasks, sizeof *m->deleted);
  m->matched = ice_calloc(n_tasks, sizeof *m->matched);
  m->affected = ice_calloc(n_tasks, sizeof *m->affected);
  if (m->deleted == NULL || m->matched == NULL || m->affected == NULL)
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < m->plan.n_tasks; i++) {
    ice_bitmap_init(&m->deleted[i], m->budget);
    ice_bitmap_init(&m->matched[i], m->budget);
  }
  merge_first_sort(m);
  struct probe_cols p;
  struct op_task_reader tr;
  int rc = probe_cols_init(m, &p, 0, err);
  op_task_reader_init(&tr, &p.cols, m->budget);
  tr.pool = m->pool;
  for (size_t i = 0; rc == ICE_OK && i < m->plan.n_tasks; i++) {
    const struct op_scan_file *f = &m->plan.tasks[i].data;
    if (!merge_file_may_match(m, f->spec_id, &f->file)) continue;
    m->counts.files_scanned++;
    rc = merge_each_batch(m, io, &tr, i, sink, probe_batch_fn, &p, err);
  }
  op_task_reader_reset(&tr);
  probe_cols_reset(&p);
  if (rc == ICE_OK && m->spilling) rc = merge_spill_join(m, err);
  if (rc == ICE_OK && !m->spilling && m->o.strategy == OP_MERGE_UPSERT)
    rc = merge_resolve_matches(m, io, sink, err);
  if (rc != ICE_OK) return rc;
  for (size_t i = 0; i < m->plan.n_tasks; i++)
    if (m->deleted[i].n_set > 0) m->affected[m->n_affected++] = i;
  /* The index and filter are done with: the writes of pass 3 get their memory. */
  op_key_map_reset(&m->index);
  ice_bloom_reset(&m->bloom);
  ICE_TRY(sort_affected(m, err));
  return choose_mode(m, err);
}
