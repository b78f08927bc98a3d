/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The writer's encoding workers: a thread pool and, per worker, the scratch one slice
 * of one leaf needs (shred, converted values, page buffers, a compression context), so
 * that workers share nothing but the memory budget while they encode different
 * columns.
 */
#include "parquet/pq_writer_internal.h"
#include "util/alloc.h"
#include "util/thread_pool.h"

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

int pq_workers_new(int threads, struct ice_mem_budget *budget, struct pq_workers **out,
                   struct ice_error *err) {
  if (threads < 1) ICE_FAIL(err, ICE_EINVAL, "%d encoding threads (at least 1)", threads);
  struct pq_workers *ws = ice_calloc(1, sizeof *ws);
  if (ws == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (encoding workers)");
  ws->w = ice_calloc((size_t)threads, sizeof *ws->w);
  if (ws->w == NULL) {
    ice_free(ws);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory (encoding workers)");
  }
  ws->n = threads;
  for (int i = 0; i < threads; i++) pqw_worker_init(&ws->w[i], budget, NULL);
  int rc = ice_thread_pool_new(threads, &ws->pool, err);
  if (rc != ICE_OK) {
    pq_workers_free(ws);
    return rc;
  }
  *out = ws;
  return ICE_OK;
}

int pq_workers_threads(const struct pq_workers *ws) {
  return ws->n;
}

void pq_workers_free(struct pq_workers *ws) {
  if (ws == NULL) return;
  ice_thread_pool_free(ws->pool);
  for (int i = 0; i < ws->n; i++) pqw_worker_reset(&ws->w[i]);
  ice_free(ws->w);
  ice_free(ws);
}
