/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The writer's compression workers: a task queue whose threads compress closed pages
 * while the writing thread builds the next ones, each thread with its own compression
 * context, and the page buffers those tasks hold. The buffers are few and reused, so
 * pages waiting for a worker take bounded memory: a writer that finds none free helps
 * compress until one is given back.
 */
#include <pthread.h>

#include "parquet/pq_writer_internal.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/task_queue.h"

void pqw_worker_init(struct pqw_worker *wk, struct ice_mem_budget *budget,
                     struct codec_ctx *codec) {
  pqw_shred_init(&wk->shred);
  pqw_values_init(&wk->values);
  pqw_page_scratch_init(&wk->scratch, budget);
  struct ice_buf *bufs[] = {&wk->shred.def, &wk->shred.rep, &wk->shred.idx,
                            &wk->values.fixed, &wk->values.bytes};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
    ice_buf_set_budget(bufs[i], budget);
  }
  codec_ctx_init(&wk->own_codec);
  wk->codec = codec != NULL ? codec : &wk->own_codec;
}

void pqw_worker_reset(struct pqw_worker *wk) {
  pqw_shred_reset(&wk->shred);
  pqw_values_reset(&wk->values);
  pqw_page_scratch_reset(&wk->scratch);
  codec_ctx_reset(&wk->own_codec);
}

/* Pages in flight per thread: enough that a worker finishing one finds the next
 * queued while the writer builds another. Pages close in bursts (a slice fills several
 * columns' pages at once): at 2 per thread the writer helped compress so often that the
 * 20M-row load ran at 1.6x on 2 threads, at 4 it runs at 1.9x (bench/RESULTS.md). */
#define PQW_BUFS_PER_THREAD 4

struct pq_workers {
  struct ice_task_queue *queue;
  struct codec_ctx *codecs; /* one per worker thread */
  int threads;              /* as asked: threads - 1 workers + the writing thread */
  struct ice_mem_budget *budget;
  pthread_mutex_t mu; /* guards both pools */
  /* encoded pages: at most max_bufs exist, so a writer ahead of the workers waits */
  struct ice_buf **free_bufs;
  size_t n_free, n_made, max_bufs;
  /* compressed pages until collected: made as needed, at most max_bufs kept for reuse
   * (a page-sized buffer per page would be allocated on one thread and freed on
   * another, a malloc pattern that costs system time) */
  struct ice_buf **free_comp;
  size_t n_free_comp;
};

int pq_workers_new(int threads, struct ice_mem_budget *budget, struct pq_workers **out,
                   struct ice_error *err) {
  if (threads < 1 || threads > ICE_TASK_QUEUE_MAX_THREADS + 1)
    ICE_FAIL(err, ICE_EINVAL, "%d encoding threads (1 to %d)", threads,
             ICE_TASK_QUEUE_MAX_THREADS + 1);
  struct pq_workers *ws = ice_calloc(1, sizeof *ws);
  if (ws == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (encoding workers)");
  pthread_mutex_init(&ws->mu, NULL);
  ws->threads = threads;
  ws->budget = budget;
  ws->max_bufs = (size_t)threads * PQW_BUFS_PER_THREAD;
  int n = threads - 1;
  ws->codecs = ice_calloc(n ? (size_t)n : 1, sizeof *ws->codecs);
  void **ctx = ice_calloc(n ? (size_t)n : 1, sizeof *ctx);
  ws->free_bufs = ice_calloc(ws->max_bufs, sizeof *ws->free_bufs);
  ws->free_comp = ice_calloc(ws->max_bufs, sizeof *ws->free_comp);
  int rc = ICE_OK;
  if (ws->codecs == NULL || ctx == NULL || ws->free_bufs == NULL ||
      ws->free_comp == NULL) {
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory (encoding workers)");
  } else {
    for (int i = 0; i < n; i++) {
      codec_ctx_init(&ws->codecs[i]);
      ctx[i] = &ws->codecs[i];
    }
    rc = ice_task_queue_new(n, ctx, &ws->queue, err);
  }
  ice_free(ctx);
  if (rc != ICE_OK) {
    pq_workers_free(ws);
    return rc;
  }
  *out = ws;
  return ICE_OK;
}

int pq_workers_threads(const struct pq_workers *ws) {
  return ws->threads;
}

int32_t pqw_workers_pages_in_flight(const struct pq_workers *ws) {
  return (int32_t)ws->max_bufs;
}

struct ice_task_queue *pqw_workers_queue(struct pq_workers *ws) {
  return ws->queue;
}

static struct ice_buf *new_buf(struct ice_mem_budget *budget) {
  struct ice_buf *b = ice_malloc(sizeof *b);
  if (b == NULL) return NULL;
  ice_buf_init(b, ICE_LIMIT_PAGE_BYTES);
  ice_buf_set_budget(b, budget);
  return b;
}

static void free_buf(struct ice_buf *b) {
  ice_buf_reset(b);
  ice_free(b);
}

/* The budget is five-eighths used (the writers flush their row groups there too): no
 * more buffers are made than one per thread, and none is kept idle, so pages waiting
 * for a worker do not push a load that fits on one thread over its limit; the writer
 * waits for a buffer instead. */
static bool pressed(const struct ice_mem_budget *b) {
  return b != NULL && ice_mem_used(b) >= b->limit / 8 * 5;
}

/* A free buffer, or a new one while fewer than max_bufs exist (one per thread when the
 * budget is pressed); NULL otherwise. */
static struct ice_buf *try_take(struct pq_workers *ws, struct ice_error *err, int *rc) {
  struct ice_buf *b = NULL;
  *rc = ICE_OK;
  pthread_mutex_lock(&ws->mu);
  if (ws->n_free > 0) {
    b = ws->free_bufs[--ws->n_free];
  } else if (ws->n_made < ws->max_bufs &&
             (ws->n_made < (size_t)ws->threads || !pressed(ws->budget))) {
    b = new_buf(ws->budget);
    if (b == NULL) {
      *rc = ice_error_set(err, ICE_ENOMEM, "out of memory (page buffer)");
    } else {
      ws->n_made++;
    }
  }
  pthread_mutex_unlock(&ws->mu);
  return b;
}

int pqw_workers_take_buf(struct pq_workers *ws, struct codec_ctx *helper,
                         struct ice_buf **out, struct ice_error *err) {
  for (;;) {
    uint64_t seen = ice_task_queue_finished(ws->queue);
    int rc;
    struct ice_buf *b = try_take(ws, err, &rc);
    ICE_TRY(rc);
    if (b != NULL) {
      ice_buf_clear(b);
      *out = b;
      return ICE_OK;
    }
    /* Every buffer is in a queued or running task: compress one here, or wait for a
     * worker to give one back. */
    if (!ice_task_queue_help(ws->queue, seen, helper)) {
      ICE_FAIL(err, ICE_EINVAL, "page buffers are all held outside compression tasks");
    }
  }
}

void pqw_workers_give_buf(struct pq_workers *ws, struct ice_buf *b) {
  if (b == NULL) return;
  pthread_mutex_lock(&ws->mu);
  ws->free_bufs[ws->n_free++] = b; /* n_free < n_made <= max_bufs */
  pthread_mutex_unlock(&ws->mu);
}

int pqw_workers_take_comp(struct pq_workers *ws, struct ice_buf **out,
                          struct ice_error *err) {
  struct ice_buf *b = NULL;
  pthread_mutex_lock(&ws->mu);
  if (ws->n_free_comp > 0) b = ws->free_comp[--ws->n_free_comp];
  pthread_mutex_unlock(&ws->mu);
  if (b == NULL) b = new_buf(ws->budget);
  if (b == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (page buffer)");
  ice_buf_clear(b);
  *out = b;
  return ICE_OK;
}

void pqw_workers_give_comp(struct pq_workers *ws, struct ice_buf *b) {
  if (b == NULL) return;
  pthread_mutex_lock(&ws->mu);
  bool keep = ws->n_free_comp < ws->max_bufs && !pressed(ws->budget);
  if (keep) ws->free_comp[ws->n_free_comp++] = b;
  pthread_mutex_unlock(&ws->mu);
  if (!keep) free_buf(b);
}

void pq_workers_free(struct pq_workers *ws) {
  if (ws == NULL) return;
  ice_task_queue_free(ws->queue);
  for (int i = 0; i + 1 < ws->threads && ws->codecs != NULL; i++) {
    codec_ctx_reset(&ws->codecs[i]);
  }
  for (size_t i = 0; i < ws->n_free; i++) free_buf(ws->free_bufs[i]);
  for (size_t i = 0; i < ws->n_free_comp; i++) free_buf(ws->free_comp[i]);
  pthread_mutex_destroy(&ws->mu);
  ice_free(ws->codecs);
  ice_free(ws->free_bufs);
  ice_free(ws->free_comp);
  ice_free(ws);
}
