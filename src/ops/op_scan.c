/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scan stream (op_scan.h). Per data file: load its position deletes (sorted
 * positions, walked with a cursor as rows go by) and equality delete keys (kept for the
 * next file when it has the same delete files), open the file with the projected and
 * key columns, then per batch select the surviving rows. A batch that loses no row has
 * its columns moved, not copied.
 */
#include "ops/op_scan.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "arrow/arrow_take.h"
#include "iceberg/ib_arrow_schema.h"
#include "ops/op_key_set.h"
#include "ops/op_scan_adapt.h"
#include "ops/op_scan_deletes.h"
#include "ops/op_scan_plan.h"
#include "ops/op_scan_read.h"
#include "util/alloc.h"
#include "util/mem_budget.h"

struct scan_state {
  struct ArrowSchema schema; /* projected table schema */
  int32_t *field_ids;        /* per output column */
  size_t n_cols;
  int64_t batch_rows;
  const struct ib_table_metadata *md;
  const struct io_fileio *io;
  struct op_scan_plan plan;
  size_t next_task;
  struct ice_mem_budget budget;
  /* current data file */
  const struct op_scan_task *task;
  struct op_scan_reader reader; /* wanted ids: field_ids, then every group's key ids */
  int32_t *want;
  size_t n_want;
  struct arrow_type *want_type; /* per wanted id present in the file */
  struct op_adapt adapt;        /* the file's columns -> the table's */
  int64_t row_base;             /* file position of the next batch's first row */
  struct op_pos_deletes pos;
  size_t pos_at;
  struct op_eq_deletes eq;
  struct ice_buf key;
  int64_t *keep;
  size_t keep_cap;
  int last_code;
  char last_error[600];
};

/* A column named twice is projected once, at its first place (as `icestream cat` does):
 * two output children cannot share one reader column. */
static int named_before(const struct op_scan_request *o, size_t i) {
  for (size_t j = 0; j < i; j++)
    if (strcmp(o->columns[j], o->columns[i]) == 0) return 1;
  return 0;
}

static int project_schema(const struct op_scan_request *o, struct scan_state *st,
                          struct ice_error *err) {
  struct ArrowSchema full = {0};
  ICE_TRY(ib_schema_to_arrow(o->schema, &full, err));
  size_t n = (size_t)full.n_children;
  if (o->columns != NULL) {
    n = 0;
    for (size_t i = 0; i < o->n_columns; i++) n += !named_before(o, i);
  }
  int rc = arrow_schema_init(&st->schema, "+s", "", 0, (int64_t)n, err);
  if (rc == ICE_OK) {
    st->field_ids = ice_calloc(n ? n : 1, sizeof *st->field_ids);
    if (st->field_ids == NULL) rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  size_t out = 0;
  for (size_t i = 0; rc == ICE_OK && out < n; i++) {
    const struct ArrowSchema *child = NULL;
    if (o->columns == NULL) {
      child = full.children[i];
    } else {
      if (named_before(o, i)) continue;
      for (int64_t k = 0; k < full.n_children && child == NULL; k++)
        if (strcmp(full.children[k]->name, o->columns[i]) == 0) child = full.children[k];
      if (child == NULL)
        rc = ice_error_set(err, ICE_ENOTFOUND, "column '%s' is not in the table schema",
                           o->columns[i]);
    }
    if (rc != ICE_OK || child == NULL) {
      if (rc == ICE_OK) rc = ice_error_set(err, ICE_EINTERNAL, "schema has a NULL child");
      break;
    }
    bool has = false;
    rc = arrow_field_id(child, &has, &st->field_ids[out], err);
    if (rc == ICE_OK && !has)
      rc = ice_error_set(err, ICE_EINTERNAL, "column '%s' lacks a field id", child->name);
    if (rc == ICE_OK) rc = arrow_schema_copy(child, st->schema.children[out], err);
    out++;
  }
  st->n_cols = n;
  arrow_schema_release(&full);
  return rc;
}

static void close_file(struct scan_state *st) {
  op_adapt_reset(&st->adapt);
  op_scan_reader_close(&st->reader);
  ice_free(st->want);
  ice_free(st->want_type);
  st->want = NULL;
  st->want_type = NULL;
  st->n_want = 0;
  st->task = NULL;
}

/* The ids to read from the current file: the output columns, then the key columns. */
static int wanted_ids(struct scan_state *st, struct ice_error *err) {
  size_t n = st->n_cols;
  for (size_t g = 0; g < st->eq.n_groups; g++) n += st->eq.groups[g].n_ids;
  st->want = ice_calloc(n ? n : 1, sizeof *st->want);
  st->want_type = ice_calloc(n ? n : 1, sizeof *st->want_type);
  if (st->want == NULL || st->want_type == NULL)
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  memcpy(st->want, st->field_ids, st->n_cols * sizeof *st->want);
  size_t at = st->n_cols;
  for (size_t g = 0; g < st->eq.n_groups; g++) {
    memcpy(st->want + at, st->eq.groups[g].ids,
           st->eq.groups[g].n_ids * sizeof *st->want);
    at += st->eq.groups[g].n_ids;
  }
  st->n_want = n;
  return ICE_OK;
}

/* Key column types, and how the file's columns read as the table's (by field id at
 * every depth; op_scan_adapt.h). */
static int plan_columns(struct scan_state *st, struct ice_error *err) {
  const struct op_scan_reader *r = &st->reader;
  for (size_t i = st->n_cols; i < st->n_want; i++)
    if (r->col[i] >= 0)
      ICE_TRY(arrow_type_parse(r->schema.children[r->col[i]]->format, &st->want_type[i],
                               err));
  return op_adapt_plan(&r->schema, &st->schema, r->path, &st->adapt, err);
}

static int open_next(struct scan_state *st, struct ice_error *err) {
  const struct op_scan_task *t = &st->plan.tasks[st->next_task++];
  st->task = t;
  st->row_base = 0;
  st->pos_at = 0;
  int rc = op_pos_deletes_load(st->io, &st->plan, t, &st->pos, &st->budget, err);
  if (rc == ICE_OK)
    rc = op_eq_deletes_load(st->io, &st->plan, t, &st->eq, &st->budget, err);
  if (rc == ICE_OK) rc = wanted_ids(st, err);
  if (rc == ICE_OK)
    rc = op_scan_reader_open(st->io, t->data.file.file_path, st->want, NULL, st->n_want,
                             st->batch_rows, &st->budget, &st->reader, err);
  if (rc == ICE_OK) rc = plan_columns(st, err);
  if (rc != ICE_OK) close_file(st);
  return rc;
}

static bool key_deleted(struct scan_state *st, const struct ArrowArray *in, int64_t row,
                        struct ice_error *err, int *rc) {
  size_t at = st->n_cols;
  for (size_t g = 0; g < st->eq.n_groups; g++) {
    const struct op_eq_group *grp = &st->eq.groups[g];
    ice_buf_clear(&st->key);
    for (size_t j = 0; j < grp->n_ids && *rc == ICE_OK; j++) {
      int64_t c = st->reader.col[at + j];
      *rc = op_key_append(&st->want_type[at + j], c >= 0 ? in->children[c] : NULL, row,
                          &st->key, err);
    }
    at += grp->n_ids;
    if (*rc != ICE_OK) return false;
    if (op_key_set_contains(&grp->keys, st->key.data, st->key.len)) return true;
  }
  return false;
}

/* Rows of `in` that survive the deletes, into st->keep; *n_keep their count. */
static int select_rows(struct scan_state *st, const struct ArrowArray *in,
                       int64_t *n_keep, struct ice_error *err) {
  if ((size_t)in->length > st->keep_cap) {
    int64_t *k = ice_realloc(st->keep, (size_t)in->length * sizeof *k);
    if (k == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    st->keep = k;
    st->keep_cap = (size_t)in->length;
  }
  const int64_t *pos = op_pos_deletes_items(&st->pos);
  int64_t n = 0;
  int rc = ICE_OK;
  for (int64_t r = 0; r < in->length && rc == ICE_OK; r++) {
    int64_t at = st->row_base + r;
    while (st->pos_at < st->pos.n && pos[st->pos_at] < at) st->pos_at++;
    if (st->pos_at < st->pos.n && pos[st->pos_at] == at) continue;
    if (st->eq.n_groups > 0 && key_deleted(st, in, r, err, &rc)) continue;
    st->keep[n++] = r;
  }
  *n_keep = n;
  return rc;
}

/* The output batch of `in` (consumed): surviving rows, as the table reads them. */
static int make_batch(struct scan_state *st, struct ArrowArray *in,
                      struct ArrowArray *out, struct ice_error *err) {
  int64_t n_keep = in->length;
  int rc = ICE_OK;
  if (st->pos.n > 0 || st->eq.n_groups > 0) rc = select_rows(st, in, &n_keep, err);
  st->row_base += in->length;
  if (rc == ICE_OK && n_keep != in->length) {
    struct ArrowArray kept;
    rc = arrow_array_take(&st->reader.schema, in, st->keep, n_keep, &kept, err);
    in->release(in);
    if (rc != ICE_OK) return rc;
    *in = kept;
  }
  if (rc != ICE_OK) {
    in->release(in);
    return rc;
  }
  return op_adapt_array(&st->adapt, in, out, st->reader.path, err);
}

static int scan_next(struct scan_state *st, struct ArrowArray *out,
                     struct ice_error *err) {
  for (;;) {
    if (st->task == NULL) {
      if (st->next_task >= st->plan.n_tasks) {
        memset(out, 0, sizeof *out); /* end of stream */
        return ICE_OK;
      }
      ICE_TRY(open_next(st, err));
    }
    struct ArrowArray in;
    bool eof = false;
    int rc = op_scan_reader_next(&st->reader, &in, &eof, err);
    if (rc != ICE_OK) {
      close_file(st);
      return rc;
    }
    if (eof) {
      close_file(st);
      continue;
    }
    ICE_TRY(make_batch(st, &in, out, err));
    if (out->length > 0) return ICE_OK;
    out->release(out);
  }
}

static int stream_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
  struct scan_state *st = s->private_data;
  struct ice_error err;
  if (arrow_schema_copy(&st->schema, out, &err) != ICE_OK) {
    snprintf(st->last_error, sizeof st->last_error, "%s", err.message);
    return ENOMEM;
  }
  return 0;
}

static int stream_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
  struct scan_state *st = s->private_data;
  struct ice_error err;
  ice_error_clear(&err);
  if (st->last_code != ICE_OK)
    return ice_error_errno(st->last_code); /* errors are sticky */
  int rc = scan_next(st, out, &err);
  if (rc != ICE_OK) {
    st->last_code = rc;
    snprintf(st->last_error, sizeof st->last_error, "%s", err.message);
    return ice_error_errno(rc);
  }
  return 0;
}

static const char *stream_last_error(struct ArrowArrayStream *s) {
  struct scan_state *st = s->private_data;
  return st->last_error;
}

static void scan_free(struct scan_state *st) {
  if (st == NULL) return;
  close_file(st);
  op_pos_deletes_reset(&st->pos);
  op_eq_deletes_reset(&st->eq);
  ice_buf_reset(&st->key);
  op_scan_plan_reset(&st->plan);
  arrow_schema_release(&st->schema);
  ice_free(st->field_ids);
  ice_free(st->keep);
  ice_free(st);
}

static void stream_release(struct ArrowArrayStream *s) {
  scan_free(s->private_data);
  s->release = NULL;
  s->private_data = NULL;
}

int op_scan_error_code(const struct ArrowArrayStream *s) {
  if (s == NULL || s->get_next != stream_get_next || s->private_data == NULL)
    return ICE_EIO;
  const struct scan_state *st = s->private_data;
  return st->last_code != ICE_OK ? st->last_code : ICE_EIO;
}

int64_t op_scan_memory_peak(const struct ArrowArrayStream *s) {
  if (s == NULL || s->get_next != stream_get_next || s->private_data == NULL) return 0;
  const struct scan_state *st = s->private_data;
  return st->budget.peak;
}

int op_scan_open(const struct op_scan_request *req, struct ArrowArrayStream *out,
                 struct ice_error *err) {
  struct scan_state *st = ice_calloc(1, sizeof *st);
  if (st == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  st->md = req->md;
  st->io = req->io;
  st->batch_rows = req->batch_rows;
  ice_mem_budget_init(&st->budget, req->memory_limit > 0 ? req->memory_limit
                                                         : OP_SCAN_DEFAULT_MEMORY_LIMIT);
  op_scan_plan_init(&st->plan);
  op_pos_deletes_init(&st->pos, &st->budget);
  op_eq_deletes_init(&st->eq);
  ice_buf_init(&st->key, (size_t)INT64_MAX);
  int rc = project_schema(req, st, err);
  if (rc == ICE_OK && req->snap != NULL)
    rc = op_scan_plan_build(req->md, req->snap, op_scan_open_input,
                            (void *)(uintptr_t)req->io, &st->plan, err);
  if (rc != ICE_OK) {
    scan_free(st);
    return rc;
  }
  out->get_schema = stream_get_schema;
  out->get_next = stream_get_next;
  out->get_last_error = stream_last_error;
  out->release = stream_release;
  out->private_data = st;
  return ICE_OK;
}
