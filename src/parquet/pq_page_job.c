/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A closed page on its way into its chunk: the encoded bytes, how to compress them,
 * and the result. With workers, the compression runs as a task of their queue while
 * the writer goes on; without, it runs at once on the writer's thread. The column
 * collects finished jobs in order (pq_column_writer.c).
 */
#include <string.h>

#include "parquet/pq_writer_internal.h"
#include "util/alloc.h"
#include "util/task_queue.h"

int pqw_page_job_new(struct pq_workers *ws, struct codec_ctx *helper,
                     struct pqw_page_scratch *scr, struct pqw_page_job **out,
                     struct ice_error *err) {
  struct pqw_page_job *j = ice_calloc(1, sizeof *j);
  if (j == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (page job)");
  j->ws = ws;
  j->rec = -1;
  if (ws == NULL) {
    j->payload = &scr->payload;
    j->comp = &scr->comp;
    ice_buf_clear(j->payload);
  } else {
    int rc = pqw_workers_take_comp(ws, &j->comp, err);
    if (rc == ICE_OK) rc = pqw_workers_take_buf(ws, helper, &j->payload, err);
    if (rc != ICE_OK) {
      pqw_workers_give_comp(ws, j->comp);
      ice_free(j);
      return rc;
    }
  }
  *out = j;
  return ICE_OK;
}

static int check_page_size(size_t n, struct ice_error *err) {
  if (n > (size_t)INT32_MAX)
    ICE_FAIL(err, ICE_ELIMIT, "page of %zu bytes exceeds 2 GiB", n);
  return ICE_OK;
}

/* comp = the first raw_prefix bytes as they are, then the rest compressed (or as they
 * are when compress is off). */
static int compress_page(struct pqw_page_job *j, struct codec_ctx *codec,
                         struct ice_error *err) {
  const uint8_t *p = j->payload->data;
  size_t n = j->payload->len;
  ice_buf_clear(j->comp);
  ICE_TRY(ice_buf_append(j->comp, p, j->raw_prefix, err));
  if (j->compress && j->codec != CODEC_NONE) {
    ICE_TRY(codec_compress(codec, j->codec, j->level, p + j->raw_prefix,
                           n - j->raw_prefix, j->comp, err));
  } else {
    ICE_TRY(ice_buf_append(j->comp, p + j->raw_prefix, n - j->raw_prefix, err));
  }
  return check_page_size(j->comp->len, err);
}

static void run_task(struct ice_task *t, void *thread_ctx) {
  struct pqw_page_job *j = (struct pqw_page_job *)(void *)t;
  j->rc = compress_page(j, thread_ctx, &j->err);
  /* The encoded bytes are no longer needed: the next page can use the buffer. */
  pqw_workers_give_buf(j->ws, j->payload);
  j->payload = NULL;
}

int pqw_page_job_start(struct pqw_page_job *j, struct codec_ctx *codec,
                       struct ice_error *err) {
  j->payload_len = j->payload->len;
  ICE_TRY(check_page_size(j->payload_len, err));
  if (j->ws == NULL) {
    j->rc = compress_page(j, codec, &j->err);
    j->inline_done = true;
    return ICE_OK;
  }
  j->started = true;
  ice_task_queue_submit(pqw_workers_queue(j->ws), &j->task, run_task);
  return ICE_OK;
}

bool pqw_page_job_done(struct pqw_page_job *j) {
  if (!j->started) return j->inline_done;
  return ice_task_queue_done(pqw_workers_queue(j->ws), &j->task);
}

void pqw_page_job_wait(struct pqw_page_job *j, struct codec_ctx *helper) {
  if (j->started) ice_task_queue_wait(pqw_workers_queue(j->ws), &j->task, helper);
}

size_t pqw_page_job_bound(const struct pqw_page_job *j) {
  size_t n = j->payload_len - j->raw_prefix;
  size_t b = j->compress ? codec_compress_bound(j->codec, n) : n;
  if (b < n) b = n; /* unknown bound: at least the input */
  return j->raw_prefix + b + PQW_PAGE_HEADER_MAX;
}

void pqw_page_job_free(struct pqw_page_job *j, struct codec_ctx *helper) {
  if (j == NULL) return;
  if (j->started) pqw_page_job_wait(j, helper);
  /* A job that never started still holds its buffer; a started one gave it back. */
  if (j->ws != NULL && !j->started) pqw_workers_give_buf(j->ws, j->payload);
  if (j->ws != NULL) pqw_workers_give_comp(j->ws, j->comp);
  ice_free(j);
}
