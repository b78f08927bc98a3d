/* SPDX-License-Identifier: Apache-2.0 */
/* The worker pool (see thread_pool.h). */
#include "util/thread_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include "util/alloc.h"

struct ice_thread_pool {
  int workers;
  pthread_t *threads; /* workers - 1 */
  int started;
  pthread_mutex_t mu;
  pthread_cond_t wake; /* a new batch, or quit */
  pthread_cond_t idle; /* the last busy thread finished the batch */
  uint64_t batch;      /* batch number, bumped per run (under mu) */
  int busy;            /* threads still in the current batch (under mu) */
  bool quit;
  /* the current batch: set under mu before the wake-up, read-only while it runs */
  ice_task_fn fn;
  void *ctx;
  size_t n;
  _Atomic size_t next;      /* next task to claim */
  _Atomic size_t failed_at; /* lowest failing task so far; SIZE_MAX = none */
  int rc;                   /* its code and message (under mu) */
  struct ice_error err;
};

struct worker_arg {
  struct ice_thread_pool *p;
  int id;
};

/* Claims and runs tasks until none is left or one below the next has failed. */
static void run_tasks(struct ice_thread_pool *p, int id) {
  struct ice_error e;
  for (;;) {
    size_t t = atomic_fetch_add(&p->next, 1);
    if (t >= p->n || t > atomic_load(&p->failed_at)) return;
    int rc = p->fn(p->ctx, t, id, &e);
    if (rc == ICE_OK) continue;
    pthread_mutex_lock(&p->mu);
    if (t < atomic_load(&p->failed_at)) {
      atomic_store(&p->failed_at, t);
      p->rc = rc;
      p->err = e;
    }
    pthread_mutex_unlock(&p->mu);
  }
}

static void *worker_main(void *arg) {
  struct worker_arg a = *(struct worker_arg *)arg;
  ice_free(arg);
  struct ice_thread_pool *p = a.p;
  uint64_t seen = 0;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->quit && p->batch == seen) pthread_cond_wait(&p->wake, &p->mu);
    if (p->quit) break;
    seen = p->batch;
    pthread_mutex_unlock(&p->mu);
    run_tasks(p, a.id);
    pthread_mutex_lock(&p->mu);
    if (--p->busy == 0) pthread_cond_signal(&p->idle);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

int ice_thread_pool_new(int workers, struct ice_thread_pool **out,
                        struct ice_error *err) {
  if (workers < 1 || workers > ICE_THREAD_POOL_MAX_WORKERS)
    ICE_FAIL(err, ICE_EINVAL, "thread pool of %d workers (1 to %d)", workers,
             ICE_THREAD_POOL_MAX_WORKERS);
  struct ice_thread_pool *p = ice_calloc(1, sizeof *p);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (thread pool)");
  p->workers = workers;
  atomic_init(&p->next, 0);
  atomic_init(&p->failed_at, SIZE_MAX);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->wake, NULL);
  pthread_cond_init(&p->idle, NULL);
  p->threads = ice_calloc((size_t)workers, sizeof *p->threads);
  if (p->threads == NULL) {
    ice_thread_pool_free(p);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory (thread pool)");
  }
  for (int i = 1; i < workers; i++) {
    struct worker_arg *a = ice_malloc(sizeof *a);
    if (a == NULL) {
      ice_thread_pool_free(p);
      ICE_FAIL(err, ICE_ENOMEM, "out of memory (thread pool)");
    }
    a->p = p;
    a->id = i;
    int rc = pthread_create(&p->threads[p->started], NULL, worker_main, a);
    if (rc != 0) {
      ice_free(a);
      ice_thread_pool_free(p);
      ICE_FAIL(err, ICE_EIO, "cannot start worker thread %d of %d (error %d)", i + 1,
               workers, rc);
    }
    p->started++;
  }
  *out = p;
  return ICE_OK;
}

int ice_thread_pool_workers(const struct ice_thread_pool *p) {
  return p->workers;
}

int ice_thread_pool_run(struct ice_thread_pool *p, size_t n, ice_task_fn fn, void *ctx,
                        struct ice_error *err) {
  if (n == 0) return ICE_OK;
  pthread_mutex_lock(&p->mu);
  p->fn = fn;
  p->ctx = ctx;
  p->n = n;
  p->rc = ICE_OK;
  atomic_store(&p->next, 0);
  atomic_store(&p->failed_at, SIZE_MAX);
  /* One task needs no wake-up; the threads then sleep through the batch. */
  p->busy = n > 1 ? p->started : 0;
  if (p->busy > 0) {
    p->batch++;
    pthread_cond_broadcast(&p->wake);
  }
  pthread_mutex_unlock(&p->mu);
  run_tasks(p, 0);
  pthread_mutex_lock(&p->mu);
  while (p->busy > 0) pthread_cond_wait(&p->idle, &p->mu);
  int rc = p->rc;
  if (rc != ICE_OK && err != NULL) *err = p->err;
  pthread_mutex_unlock(&p->mu);
  return rc;
}

int ice_thread_pool_online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) return 1;
  return n > ICE_THREAD_POOL_MAX_WORKERS ? ICE_THREAD_POOL_MAX_WORKERS : (int)n;
}

void ice_thread_pool_free(struct ice_thread_pool *p) {
  if (p == NULL) return;
  pthread_mutex_lock(&p->mu);
  p->quit = true;
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mu);
  for (int i = 0; i < p->started; i++) pthread_join(p->threads[i], NULL);
  pthread_cond_destroy(&p->idle);
  pthread_cond_destroy(&p->wake);
  pthread_mutex_destroy(&p->mu);
  ice_free(p->threads);
  ice_free(p);
}
