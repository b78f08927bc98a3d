/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scan stream (op_scan.h): the plan's tasks one after the other, each read by
 * op_task_read.h (live rows as the table reads them), empty batches skipped.
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
#include "ops/op_task_read.h"
#include "util/alloc.h"
#include "util/mem_budget.h"
#include "util/thread_pool.h"

struct scan_state {
  struct ArrowSchema schema; /* projected table schema */
  int32_t *field_ids;        /* per output column */
  size_t n_cols;
  const struct ib_table_metadata *md;
  const struct io_fileio *io;
  struct op_scan_plan plan;
  size_t next_task;
  struct ice_mem_budget budget;
  struct op_task_columns cols;
  struct op_task_reader tr;     /* the current data file */
  struct ice_thread_pool *pool; /* NULL: decode on the caller's thread */
  bool open;
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

static int open_next(struct scan_state *st, struct ice_error *err) {
  const struct op_scan_task *t = &st->plan.tasks[st->next_task++];
  st->open = true;
  int rc = op_task_reader_open(&st->tr, st->io, &st->plan, t, err);
  if (rc != ICE_OK) st->open = false;
  return rc;
}

static int scan_next(struct scan_state *st, struct ArrowArray *out,
                     struct ice_error *err) {
  for (;;) {
    if (!st->open) {
      if (st->next_task >= st->plan.n_tasks) {
        memset(out, 0, sizeof *out); /* end of stream */
        return ICE_OK;
      }
      ICE_TRY(open_next(st, err));
    }
    bool eof = false;
    int rc = op_task_reader_next(&st->tr, out, NULL, &eof, err);
    if (rc != ICE_OK || eof) {
      op_task_reader_close(&st->tr);
      st->open = false;
      if (rc != ICE_OK) return rc;
      continue;
    }
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
  op_task_reader_reset(&st->tr);
  ice_thread_pool_free(st->pool); /* after the reader that used it */
  op_scan_plan_reset(&st->plan);
  arrow_schema_release(&st->schema);
  ice_free(st->field_ids);
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
  return ice_mem_peak(&st->budget);
}

int op_scan_open(const struct op_scan_request *req, struct ArrowArrayStream *out,
                 struct ice_error *err) {
  struct scan_state *st = ice_calloc(1, sizeof *st);
  if (st == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  st->md = req->md;
  st->io = req->io;
  ice_mem_budget_init(&st->budget, req->memory_limit > 0 ? req->memory_limit
                                                         : OP_SCAN_DEFAULT_MEMORY_LIMIT);
  op_scan_plan_init(&st->plan);
  op_task_reader_init(&st->tr, &st->cols, &st->budget);
  int rc = project_schema(req, st, err);
  int threads = req->threads > 0 ? req->threads : ice_thread_pool_online_cpus();
  if (rc == ICE_OK && threads > 1) rc = ice_thread_pool_new(threads, &st->pool, err);
  st->tr.pool = st->pool;
  st->cols =
      (struct op_task_columns){&st->schema, st->field_ids, st->n_cols, req->batch_rows};
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
