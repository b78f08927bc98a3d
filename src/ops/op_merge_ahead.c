/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A merge's passes over stored files with the next batch read ahead: above 1 thread,
 * a background thread decodes a file's next batch (its deletes applied) while the
 * main thread probes, resolves or rewrites the current one, as a load's input is read
 * ahead. The main thread's work may use the load's pool (a partitioned sink writes its
 * partitions side by side on it), so the read-ahead thread decodes on a pool of its
 * own (half the threads, from 4 up) or alone.
 */
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_read_ahead.h"
#include "ops/op_merge_internal.h"
#include "ops/op_task_read.h"
#include "util/thread_pool.h"

/* The read-ahead thread's side: batches and their file positions. A consumer holds the
 * batch it works on while the next is read, so two position buffers, used in turn,
 * are enough: batch k's positions are in pos[k % 2]. */
struct ahead_reader {
  struct op_task_reader *tr;
  struct ice_buf pos[2];
  uint64_t read; /* batches read so far */
};

static int read_ahead(void *ctx, struct ArrowArray *out, bool *eof,
                      struct ice_error *err) {
  struct ahead_reader *a = ctx;
  const int64_t *pos = NULL;
  ICE_TRY(op_task_reader_next(a->tr, out, &pos, eof, err));
  if (*eof) return ICE_OK;
  struct ice_buf *b = &a->pos[a->read % 2];
  ice_buf_clear(b);
  int rc = ice_buf_append(b, pos, (size_t)out->length * sizeof *pos, err);
  if (rc != ICE_OK) {
    arrow_array_release(out);
    return rc;
  }
  a->read++;
  return ICE_OK;
}

int merge_each_batch_ahead(struct op_merge *m, const struct io_fileio *io,
                           struct op_task_reader *tr, size_t task,
                           const struct op_merge_sink *sink, merge_batch_fn fn,
                           const void *ctx, struct ice_error *err) {
  struct ice_thread_pool *shared = tr->pool;
  tr->pool = m->read_pool;
  struct ahead_reader a = {tr, {{0}}, 0};
  for (int i = 0; i < 2; i++) {
    ice_buf_init(&a.pos[i], (size_t)INT64_MAX);
    ice_buf_set_budget(&a.pos[i], m->budget);
  }
  struct arrow_read_ahead *ahead = NULL;
  int rc = op_task_reader_open(tr, io, &m->plan, &m->plan.tasks[task], err);
  if (rc == ICE_OK) rc = arrow_read_ahead_start(read_ahead, &a, &ahead, err);
  for (uint64_t k = 0; rc == ICE_OK; k++) {
    if (sink->check_cancel != NULL && (rc = sink->check_cancel(sink->ctx, err)) != ICE_OK)
      break;
    struct ArrowArray b = {0};
    bool eof = false;
    rc = arrow_read_ahead_next(ahead, &b, &eof, err);
    if (rc != ICE_OK || eof) break;
    rc = fn(m, ctx, task, &b, (const int64_t *)(const void *)a.pos[k % 2].data, err);
    arrow_array_release(&b);
  }
  arrow_read_ahead_stop(ahead); /* before the reader it reads from closes */
  op_task_reader_close(tr);
  ice_buf_reset(&a.pos[0]);
  ice_buf_reset(&a.pos[1]);
  tr->pool = shared;
  return rc;
}
