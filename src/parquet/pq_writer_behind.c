/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing a flushed row group behind the writer: with workers, the row group's chunks
 * are handed to a task that writes them to the output while the writing thread builds
 * the next row group's pages, so the copy into the file (a large share of a load's
 * time on the thread that builds pages) overlaps with encoding and compression. The
 * writer owns the output again once it has waited for the task.
 */
#include <string.h>

#include "parquet/pq_writer_internal.h"
#include "util/alloc.h"
#include "util/task_queue.h"

int pqw_behind_init(struct pqw_behind *b, int32_t n_leaves, struct ice_mem_budget *budget,
                    struct ice_error *err) {
  memset(b, 0, sizeof *b);
  b->chunks = ice_calloc(n_leaves > 0 ? (size_t)n_leaves : 1, sizeof *b->chunks);
  if (b->chunks == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (row group write)");
  for (int32_t l = 0; l < n_leaves; l++) pqw_chunk_bytes_init(&b->chunks[l], budget);
  return ICE_OK;
}

void pqw_behind_reset(struct pqw_behind *b, int32_t n_leaves) {
  if (b->chunks != NULL) {
    for (int32_t l = 0; l < n_leaves; l++) pqw_chunk_bytes_reset(&b->chunks[l]);
  }
  ice_free(b->chunks);
  b->chunks = NULL;
}

static void run_write(struct ice_task *t, void *thread_ctx) {
  (void)thread_ctx;
  struct pqw_behind *b = (struct pqw_behind *)(void *)t;
  b->rc = ICE_OK;
  for (int32_t l = 0; l < b->n && b->rc == ICE_OK; l++) {
    b->rc = pqw_chunk_bytes_write(&b->chunks[l], b->out, &b->err);
    b->failed = l;
  }
}

void pqw_behind_start(struct pqw_behind *b, struct pq_workers *ws, struct ice_output *out,
                      int64_t end) {
  b->out = out;
  b->end = end;
  b->rc = ICE_OK;
  b->queued = true;
  ice_task_queue_submit(pqw_workers_queue(ws), &b->task, run_write);
}

bool pqw_behind_done(const struct pqw_behind *b, struct pq_workers *ws) {
  return !b->queued || ice_task_queue_done(pqw_workers_queue(ws), &b->task);
}

int pqw_behind_wait(struct pqw_behind *b, struct pq_workers *ws, struct codec_ctx *helper,
                    struct ice_error *err) {
  if (!b->queued) return ICE_OK;
  ice_task_queue_wait(pqw_workers_queue(ws), &b->task, helper);
  b->queued = false;
  if (b->rc != ICE_OK && err != NULL) *err = b->err;
  return b->rc;
}
