/* SPDX-License-Identifier: Apache-2.0 */
#include "arrow/arrow_read_ahead.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "util/alloc.h"

struct arrow_read_ahead {
  arrow_read_fn read;
  void *ctx;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv; /* slot filled, slot emptied, or stop asked */
  bool full, stop;
  /* The slot: a batch, or the end (eof) or an error (rc/err), which is kept. */
  struct ArrowArray batch;
  bool eof;
  int rc;
  struct ice_error err;
};

static void *run(void *arg) {
  struct arrow_read_ahead *p = arg;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (p->full && !p->stop) pthread_cond_wait(&p->cv, &p->mu);
    if (p->stop) break;
    pthread_mutex_unlock(&p->mu);
    /* The read runs unlocked: that is the overlap with the consumer. */
    struct ArrowArray a = {0};
    struct ice_error e = {0};
    bool eof = false;
    int rc = p->read(p->ctx, &a, &eof, &e);
    pthread_mutex_lock(&p->mu);
    p->batch = a;
    p->eof = eof;
    p->rc = rc;
    p->err = e;
    p->full = true;
    pthread_cond_broadcast(&p->cv);
    if (rc != ICE_OK || eof) break; /* the end or error stays in the slot */
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

int arrow_read_ahead_start(arrow_read_fn fn, void *ctx, struct arrow_read_ahead **out,
                           struct ice_error *err) {
  *out = NULL;
  struct arrow_read_ahead *p = ice_calloc(1, sizeof *p);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "input reader: out of memory");
  p->read = fn;
  p->ctx = ctx;
  if (pthread_mutex_init(&p->mu, NULL) != 0) {
    ice_free(p);
    ICE_FAIL(err, ICE_EIO, "input reader: cannot create a mutex");
  }
  if (pthread_cond_init(&p->cv, NULL) != 0) {
    pthread_mutex_destroy(&p->mu);
    ice_free(p);
    ICE_FAIL(err, ICE_EIO, "input reader: cannot create a condition variable");
  }
  int e = pthread_create(&p->thread, NULL, run, p);
  if (e != 0) {
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    ice_free(p);
    return ice_error_set(err, e == EAGAIN ? ICE_ENOMEM : ICE_EIO,
                         "input reader: cannot start a thread: %s", strerror(e));
  }
  *out = p;
  return ICE_OK;
}

int arrow_read_ahead_next(struct arrow_read_ahead *p, struct ArrowArray *out, bool *eof,
                          struct ice_error *err) {
  *eof = false;
  pthread_mutex_lock(&p->mu);
  while (!p->full) pthread_cond_wait(&p->cv, &p->mu);
  int rc = p->rc;
  if (rc != ICE_OK) {
    if (err != NULL) *err = p->err;
  } else if (p->eof) {
    *eof = true;
  } else {
    *out = p->batch;
    memset(&p->batch, 0, sizeof p->batch);
    p->full = false;
    pthread_cond_broadcast(&p->cv);
  }
  pthread_mutex_unlock(&p->mu);
  return rc;
}

void arrow_read_ahead_stop(struct arrow_read_ahead *p) {
  if (p == NULL) return;
  pthread_mutex_lock(&p->mu);
  p->stop = true;
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->thread, NULL);
  if (p->full) arrow_array_release(&p->batch);
  pthread_cond_destroy(&p->cv);
  pthread_mutex_destroy(&p->mu);
  ice_free(p);
}
