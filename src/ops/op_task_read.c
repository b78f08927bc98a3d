/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One task of a scan plan (op_task_read.h). Per data file: its position deletes
 * (sorted positions, walked with a cursor as rows go by) and equality delete keys (kept
 * for the next file when it has the same delete files), the file opened with the
 * projected and key columns, then per batch the surviving rows. A batch that loses no
 * row has its columns moved, not copied.
 */
#include "ops/op_task_read.h"

#include <string.h>

#include "arrow/arrow_take.h"
#include "ops/op_key_set.h"
#include "util/alloc.h"

void op_task_reader_init(struct op_task_reader *r, const struct op_task_columns *cols,
                         struct ice_mem_budget *budget) {
  memset(r, 0, sizeof *r);
  r->cols = cols;
  r->budget = budget;
  op_pos_deletes_init(&r->pos, budget);
  op_eq_deletes_init(&r->eq);
  ice_buf_init(&r->key, (size_t)INT64_MAX);
}

void op_task_reader_close(struct op_task_reader *r) {
  op_adapt_reset(&r->adapt);
  op_scan_reader_close(&r->reader);
  ice_free(r->want);
  ice_free(r->want_type);
  r->want = NULL;
  r->want_type = NULL;
  r->n_want = 0;
  r->task = NULL;
}

void op_task_reader_reset(struct op_task_reader *r) {
  op_task_reader_close(r);
  op_pos_deletes_reset(&r->pos);
  op_eq_deletes_reset(&r->eq);
  ice_buf_reset(&r->key);
  ice_free(r->keep);
  r->keep = NULL;
  r->keep_cap = 0;
}

const char *op_task_reader_path(const struct op_task_reader *r) {
  return r->task != NULL ? r->task->data.file.file_path : "";
}

/* The ids to read from the current file: the output columns, then the key columns. */
static int wanted_ids(struct op_task_reader *r, struct ice_error *err) {
  size_t n = r->cols->n_cols;
  for (size_t g = 0; g < r->eq.n_groups; g++) n += r->eq.groups[g].n_ids;
  r->want = ice_calloc(n ? n : 1, sizeof *r->want);
  r->want_type = ice_calloc(n ? n : 1, sizeof *r->want_type);
  if (r->want == NULL || r->want_type == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  if (r->cols->n_cols > 0)
    memcpy(r->want, r->cols->field_ids, r->cols->n_cols * sizeof *r->want);
  size_t at = r->cols->n_cols;
  for (size_t g = 0; g < r->eq.n_groups; g++) {
    memcpy(r->want + at, r->eq.groups[g].ids, r->eq.groups[g].n_ids * sizeof *r->want);
    at += r->eq.groups[g].n_ids;
  }
  r->n_want = n;
  return ICE_OK;
}

/* Key column types, and how the file's columns read as the table's (by field id at
 * every depth; op_scan_adapt.h). */
static int plan_columns(struct op_task_reader *r, struct ice_error *err) {
  const struct op_scan_reader *sr = &r->reader;
  for (size_t i = r->cols->n_cols; i < r->n_want; i++)
    if (sr->col[i] >= 0)
      ICE_TRY(arrow_type_parse(sr->schema.children[sr->col[i]]->format, &r->want_type[i],
                               err));
  return op_adapt_plan(&sr->schema, r->cols->schema, sr->path, &r->adapt, err);
}

int op_task_reader_open(struct op_task_reader *r, const struct io_fileio *io,
                        const struct op_scan_plan *p, const struct op_scan_task *t,
                        struct ice_error *err) {
  op_task_reader_close(r);
  r->task = t;
  r->row_base = 0;
  r->pos_at = 0;
  int rc = op_pos_deletes_load(io, p, t, &r->pos, r->budget, err);
  if (rc == ICE_OK) rc = op_eq_deletes_load(io, p, t, &r->eq, r->budget, err);
  if (rc == ICE_OK) rc = wanted_ids(r, err);
  if (rc == ICE_OK)
    rc = op_scan_reader_open(io, t->data.file.file_path, r->want, NULL, r->n_want,
                             r->cols->batch_rows, r->budget, r->pool, &r->reader, err);
  if (rc == ICE_OK) rc = plan_columns(r, err);
  if (rc != ICE_OK) op_task_reader_close(r);
  return rc;
}

static bool key_deleted(struct op_task_reader *r, const struct ArrowArray *in,
                        int64_t row, struct ice_error *err, int *rc) {
  size_t at = r->cols->n_cols;
  for (size_t g = 0; g < r->eq.n_groups; g++) {
    const struct op_eq_group *grp = &r->eq.groups[g];
    ice_buf_clear(&r->key);
    for (size_t j = 0; j < grp->n_ids && *rc == ICE_OK; j++) {
      int64_t c = r->reader.col[at + j];
      *rc = op_key_append(&r->want_type[at + j], c >= 0 ? in->children[c] : NULL, row,
                          &r->key, err);
    }
    at += grp->n_ids;
    if (*rc != ICE_OK) return false;
    if (op_key_set_contains(&grp->keys, r->key.data, r->key.len)) return true;
  }
  return false;
}

static int reserve_keep(struct op_task_reader *r, int64_t n, struct ice_error *err) {
  if ((size_t)n <= r->keep_cap) return ICE_OK;
  int64_t *k = ice_realloc(r->keep, (size_t)n * sizeof *k);
  if (k == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  r->keep = k;
  r->keep_cap = (size_t)n;
  return ICE_OK;
}

/* Rows of `in` that survive the deletes, into r->keep; *n_keep their count. */
static int select_rows(struct op_task_reader *r, const struct ArrowArray *in,
                       int64_t *n_keep, struct ice_error *err) {
  const int64_t *pos = op_pos_deletes_items(&r->pos);
  int64_t n = 0;
  int rc = ICE_OK;
  for (int64_t row = 0; row < in->length && rc == ICE_OK; row++) {
    int64_t at = r->row_base + row;
    while (r->pos_at < r->pos.n && pos[r->pos_at] < at) r->pos_at++;
    if (r->pos_at < r->pos.n && pos[r->pos_at] == at) continue;
    if (r->eq.n_groups > 0 && key_deleted(r, in, row, err, &rc)) continue;
    r->keep[n++] = row;
  }
  *n_keep = n;
  return rc;
}

int op_task_reader_next(struct op_task_reader *r, struct ArrowArray *out,
                        const int64_t **positions, bool *eof, struct ice_error *err) {
  struct ArrowArray in;
  ICE_TRY(op_scan_reader_next(&r->reader, &in, eof, err));
  if (*eof) return ICE_OK;
  int64_t batch_len = in.length, n_keep = in.length;
  bool filtered = r->pos.n > 0 || r->eq.n_groups > 0;
  int rc = ICE_OK;
  if (filtered || positions != NULL) rc = reserve_keep(r, in.length, err);
  if (rc == ICE_OK && filtered) rc = select_rows(r, &in, &n_keep, err);
  if (rc == ICE_OK && n_keep != in.length) {
    struct ArrowArray kept;
    rc = arrow_array_take(&r->reader.schema, &in, r->keep, n_keep, &kept, err);
    in.release(&in);
    if (rc != ICE_OK) return rc;
    in = kept;
  }
  if (rc == ICE_OK && positions != NULL) {
    for (int64_t i = 0; i < n_keep; i++)
      r->keep[i] = r->row_base + (filtered ? r->keep[i] : i);
    *positions = r->keep;
  }
  r->row_base += batch_len;
  if (rc != ICE_OK) {
    in.release(&in);
    return rc;
  }
  return op_adapt_array(&r->adapt, &in, out, r->reader.path, err);
}
