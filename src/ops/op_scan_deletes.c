/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading delete files for one data file (op_scan_deletes.h). Delete files are read
 * through op_scan_reader like data files; their columns are found by the reserved field
 * ids (file_path 2147483546, pos 2147483545) or, for writers that omit ids, by name.
 */
#include "ops/op_scan_deletes.h"

#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_view.h"
#include "ops/op_scan_read.h"
#include "util/alloc.h"

#define POS_POS_ID 2147483545

/* No cap of its own: the budget is the bound. */
#define DELETES_BUF_MAX ((size_t)INT64_MAX)

void op_pos_deletes_init(struct op_pos_deletes *d, struct ice_mem_budget *budget) {
  ice_buf_init(&d->buf, DELETES_BUF_MAX);
  ice_buf_set_budget(&d->buf, budget);
  d->n = 0;
}

void op_pos_deletes_reset(struct op_pos_deletes *d) {
  ice_buf_reset(&d->buf);
  d->n = 0;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Appends the positions of rows naming `target` in one batch. */
static int collect_batch(const struct op_scan_reader *r, const struct ArrowArray *b,
                         const char *target, struct op_pos_deletes *d,
                         struct ice_error *err) {
  const struct ArrowArray *paths = b->children[r->col[0]];
  const struct ArrowArray *pos = b->children[r->col[1]];
  const int32_t *off = arrow_array_offsets32(paths);
  const uint8_t *bytes = arrow_array_bytes(paths);
  const int64_t *p = (const int64_t *)(const void *)arrow_array_fixed(pos, 8);
  size_t tlen = strlen(target);
  for (int64_t i = 0; i < b->length; i++) {
    if (!arrow_array_valid(paths, i) || !arrow_array_valid(pos, i))
      ICE_FAIL(err, ICE_ECORRUPT,
               "%s: position delete row %lld has a null file_path or pos", r->path,
               (long long)i);
    size_t len = (size_t)(off[i + 1] - off[i]);
    if (len != tlen || memcmp(bytes + off[i], target, len) != 0) continue;
    if (p[i] < 0)
      ICE_FAIL(err, ICE_ECORRUPT, "%s: negative position %lld", r->path, (long long)p[i]);
    ICE_TRY(ice_buf_append(&d->buf, &p[i], sizeof p[i], err));
    d->n++;
  }
  return ICE_OK;
}

static int load_pos_file(const struct io_fileio *io, const struct op_scan_file *del,
                         const char *target, struct op_pos_deletes *d,
                         struct ice_mem_budget *budget, struct ice_error *err) {
  static const int32_t ids[] = {OP_POS_FILE_PATH_ID, POS_POS_ID};
  static const char *const names[] = {"file_path", "pos"};
  struct op_scan_reader r;
  ICE_TRY(op_scan_reader_open(io, del->file.file_path, ids, names, 2, 0, budget, NULL,
                              &r, err));
  int rc = ICE_OK;
  if (r.col[0] < 0 || r.col[1] < 0) {
    rc = ice_error_set(err, ICE_ECORRUPT, "%s: position delete file lacks %s", r.path,
                       r.col[0] < 0 ? "file_path" : "pos");
  } else if (strcmp(r.schema.children[r.col[0]]->format, "u") != 0 ||
             strcmp(r.schema.children[r.col[1]]->format, "l") != 0) {
    rc = ice_error_set(err, ICE_ECORRUPT,
                       "%s: position delete columns must be string file_path and long "
                       "pos (found Arrow '%s' and '%s')",
                       r.path, r.schema.children[r.col[0]]->format,
                       r.schema.children[r.col[1]]->format);
  }
  while (rc == ICE_OK) {
    struct ArrowArray b;
    bool eof = false;
    rc = op_scan_reader_next(&r, &b, &eof, err);
    if (rc != ICE_OK || eof) break;
    rc = collect_batch(&r, &b, target, d, err);
    b.release(&b);
  }
  op_scan_reader_close(&r);
  return rc;
}

int op_pos_deletes_load(const struct io_fileio *io, const struct op_scan_plan *p,
                        const struct op_scan_task *t, struct op_pos_deletes *d,
                        struct ice_mem_budget *budget, struct ice_error *err) {
  ice_buf_clear(&d->buf);
  d->n = 0;
  for (size_t i = 0; i < t->n_deletes; i++) {
    const struct op_scan_file *del = &p->deletes[t->deletes[i]];
    if (del->file.content != IB_CONTENT_POSITION_DELETES) continue;
    int rc = load_pos_file(io, del, t->data.file.file_path, d, budget, err);
    if (rc != ICE_OK)
      return ice_error_prefix(err, "position deletes for %s", t->data.file.file_path);
  }
  int64_t *items = (int64_t *)(void *)d->buf.data;
  if (d->n > 1) qsort(items, d->n, sizeof *items, cmp_i64);
  size_t out = 0;
  for (size_t i = 0; i < d->n; i++)
    if (out == 0 || items[out - 1] != items[i]) items[out++] = items[i];
  d->n = out;
  d->buf.len = out * sizeof *items;
  return ICE_OK;
}

void op_eq_deletes_init(struct op_eq_deletes *d) {
  memset(d, 0, sizeof *d);
}

void op_eq_deletes_reset(struct op_eq_deletes *d) {
  for (size_t i = 0; i < d->n_groups; i++) {
    ice_free(d->groups[i].ids);
    op_key_set_reset(&d->groups[i].keys);
  }
  ice_free(d->groups);
  ice_free(d->files);
  op_eq_deletes_init(d);
}

static bool is_eq(const struct op_scan_plan *p, size_t k) {
  return p->deletes[k].file.content == IB_CONTENT_EQUALITY_DELETES;
}

static bool same_files(const struct op_scan_plan *p, const struct op_scan_task *t,
                       const struct op_eq_deletes *d) {
  size_t n = 0;
  for (size_t i = 0; i < t->n_deletes; i++) {
    if (!is_eq(p, t->deletes[i])) continue;
    if (n >= d->n_files || d->files[n] != t->deletes[i]) return false;
    n++;
  }
  return n == d->n_files;
}

static int group_for(struct op_eq_deletes *d, const struct ib_data_file *f,
                     struct ice_mem_budget *budget, struct op_eq_group **out,
                     struct ice_error *err) {
  for (size_t i = 0; i < d->n_groups; i++) {
    struct op_eq_group *g = &d->groups[i];
    if (g->n_ids == f->n_equality_ids &&
        memcmp(g->ids, f->equality_ids, g->n_ids * sizeof *g->ids) == 0) {
      *out = g;
      return ICE_OK;
    }
  }
  struct op_eq_group *grown = ice_realloc(d->groups, (d->n_groups + 1) * sizeof *grown);
  if (grown == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  d->groups = grown;
  struct op_eq_group *g = &d->groups[d->n_groups];
  g->ids = ice_calloc(f->n_equality_ids, sizeof *g->ids);
  if (g->ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  memcpy(g->ids, f->equality_ids, f->n_equality_ids * sizeof *g->ids);
  g->n_ids = f->n_equality_ids;
  op_key_set_init(&g->keys, budget);
  d->n_groups++;
  *out = g;
  return ICE_OK;
}

/* Adds every row of one batch of an equality delete file to g. */
static int add_batch(const struct op_scan_reader *r, const struct arrow_type *types,
                     const struct ArrowArray *b, struct op_eq_group *g,
                     struct ice_buf *key, struct ice_error *err) {
  for (int64_t row = 0; row < b->length; row++) {
    ice_buf_clear(key);
    for (size_t i = 0; i < g->n_ids; i++)
      ICE_TRY(op_key_append(&types[i], b->children[r->col[i]], row, key, err));
    ICE_TRY(op_key_set_add(&g->keys, key->data, key->len, err));
  }
  return ICE_OK;
}

static int load_eq_file(const struct io_fileio *io, const struct op_scan_file *del,
                        struct op_eq_group *g, struct ice_mem_budget *budget,
                        struct ice_error *err) {
  struct op_scan_reader r;
  ICE_TRY(op_scan_reader_open(io, del->file.file_path, g->ids, NULL, g->n_ids, 0, budget,
                              NULL, &r, err));
  struct arrow_type *types = ice_calloc(g->n_ids, sizeof *types);
  int rc = types ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; rc == ICE_OK && i < g->n_ids; i++) {
    if (r.col[i] < 0)
      rc = ice_error_set(err, ICE_ECORRUPT,
                         "%s: equality delete file has no top-level column with its key "
                         "field id %d (keys inside structs are not read yet)",
                         r.path, (int)g->ids[i]);
    else
      rc = arrow_type_parse(r.schema.children[r.col[i]]->format, &types[i], err);
  }
  struct ice_buf key;
  ice_buf_init(&key, DELETES_BUF_MAX);
  while (rc == ICE_OK) {
    struct ArrowArray b;
    bool eof = false;
    rc = op_scan_reader_next(&r, &b, &eof, err);
    if (rc != ICE_OK || eof) break;
    rc = add_batch(&r, types, &b, g, &key, err);
    b.release(&b);
  }
  ice_buf_reset(&key);
  ice_free(types);
  op_scan_reader_close(&r);
  return rc;
}

int op_eq_deletes_load(const struct io_fileio *io, const struct op_scan_plan *p,
                       const struct op_scan_task *t, struct op_eq_deletes *d,
                       struct ice_mem_budget *budget, struct ice_error *err) {
  if (same_files(p, t, d)) return ICE_OK;
  op_eq_deletes_reset(d);
  d->files = ice_calloc(t->n_deletes ? t->n_deletes : 1, sizeof *d->files);
  if (d->files == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < t->n_deletes; i++) {
    if (!is_eq(p, t->deletes[i])) continue;
    const struct op_scan_file *del = &p->deletes[t->deletes[i]];
    struct op_eq_group *g = NULL;
    if (del->file.n_equality_ids == 0)
      rc = ice_error_set(err, ICE_ECORRUPT, "equality delete file %s has no equality_ids",
                         del->file.file_path);
    if (rc == ICE_OK) rc = group_for(d, &del->file, budget, &g, err);
    if (rc == ICE_OK) rc = load_eq_file(io, del, g, budget, err);
    if (rc == ICE_OK) d->files[d->n_files++] = t->deletes[i];
  }
  if (rc != ICE_OK) {
    op_eq_deletes_reset(d);
    return ice_error_prefix(err, "equality deletes for %s", t->data.file.file_path);
  }
  return ICE_OK;
}
