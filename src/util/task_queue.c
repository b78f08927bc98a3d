/* SPDX-License-Identifier: Apache-2.0 */
/* The task queue (see task_queue.h). */
#include "util/task_queue.h"

#include <pthread.h>
#include <stddef.h>

#include "util/alloc.h"

enum { TASK_QUEUED = 1, TASK_RUNNING, TASK_DONE };

struct ice_task_queue {
  pthread_mutex_t mu;
  pthread_cond_t work;     /* a task was queued, or quit */
  pthread_cond_t finished; /* a task finished */
  struct ice_task *head, *tail;
  int running;
  uint64_t n_finished;
  bool quit;
  pthread_t *threads;
  int started;
  struct worker_arg *args;
};

struct worker_arg {
  struct ice_task_queue *q;
  void *ctx;
};

/* Under mu: unlinks and returns the oldest queued task, or NULL. */
static struct ice_task *pop(struct ice_task_queue *q) {
  struct ice_task *t = q->head;
  if (t == NULL) return NULL;
  q->head = t->next;
  if (q->head == NULL) q->tail = NULL;
  t->next = NULL;
  t->state = TASK_RUNNING;
  q->running++;
  return t;
}

/* Under mu: unlinks t, which is queued. */
static void take(struct ice_task_queue *q, struct ice_task *t) {
  struct ice_task *prev = NULL;
  for (struct ice_task *x = q->head; x != t; x = x->next) prev = x;
  if (prev == NULL) {
    q->head = t->next;
  } else {
    prev->next = t->next;
  }
  if (q->tail == t) q->tail = prev;
  t->next = NULL;
  t->state = TASK_RUNNING;
  q->running++;
}

/* Called with mu held; runs t unlocked and returns with mu held again. */
static void run_unlocked(struct ice_task_queue *q, struct ice_task *t, void *ctx) {
  pthread_mutex_unlock(&q->mu);
  t->run(t, ctx);
  pthread_mutex_lock(&q->mu);
  t->state = TASK_DONE;
  q->running--;
  q->n_finished++;
  pthread_cond_broadcast(&q->finished);
}

static void *worker_main(void *arg) {
  struct worker_arg *a = arg;
  struct ice_task_queue *q = a->q;
  pthread_mutex_lock(&q->mu);
  for (;;) {
    struct ice_task *t = pop(q);
    if (t != NULL) {
      run_unlocked(q, t, a->ctx);
      continue;
    }
    if (q->quit) break;
    pthread_cond_wait(&q->work, &q->mu);
  }
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

int ice_task_queue_new(int threads, void *const *worker_ctx, struct ice_task_queue **out,
                       struct ice_error *err) {
  if (threads < 0 || threads > ICE_TASK_QUEUE_MAX_THREADS)
    ICE_FAIL(err, ICE_EINVAL, "task queue of %d threads (0 to %d)", threads,
             ICE_TASK_QUEUE_MAX_THREADS);
  struct ice_task_queue *q = ice_calloc(1, sizeof *q);
  if (q == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (task queue)");
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->work, NULL);
  pthread_cond_init(&q->finished, NULL);
  q->threads = ice_calloc(threads ? (size_t)threads : 1, sizeof *q->threads);
  q->args = ice_calloc(threads ? (size_t)threads : 1, sizeof *q->args);
  if (q->threads == NULL || q->args == NULL) {
    ice_task_queue_free(q);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory (task queue)");
  }
  for (int i = 0; i < threads; i++) {
    q->args[i].q = q;
    q->args[i].ctx = worker_ctx != NULL ? worker_ctx[i] : NULL;
    if (pthread_create(&q->threads[i], NULL, worker_main, &q->args[i]) != 0) {
      ice_task_queue_free(q);
      ICE_FAIL(err, ICE_EIO, "cannot start worker thread %d of %d", i + 1, threads);
    }
    q->started++;
  }
  *out = q;
  return ICE_OK;
}

void ice_task_queue_submit(struct ice_task_queue *q, struct ice_task *t,
                           void (*run)(struct ice_task *, void *)) {
  t->run = run;
  t->next = NULL;
  pthread_mutex_lock(&q->mu);
  t->state = TASK_QUEUED;
  if (q->tail == NULL) {
    q->head = t;
  } else {
    q->tail->next = t;
  }
  q->tail = t;
  pthread_cond_signal(&q->work);
  pthread_mutex_unlock(&q->mu);
}

bool ice_task_queue_done(struct ice_task_queue *q, const struct ice_task *t) {
  pthread_mutex_lock(&q->mu);
  bool done = t->state == TASK_DONE;
  pthread_mutex_unlock(&q->mu);
  return done;
}

void ice_task_queue_wait(struct ice_task_queue *q, struct ice_task *t, void *thread_ctx) {
  pthread_mutex_lock(&q->mu);
  if (t->state == TASK_QUEUED) {
    take(q, t);
    run_unlocked(q, t, thread_ctx);
  }
  while (t->state != TASK_DONE) {
    struct ice_task *other = pop(q);
    if (other != NULL) {
      run_unlocked(q, other, thread_ctx);
    } else {
      pthread_cond_wait(&q->finished, &q->mu);
    }
  }
  pthread_mutex_unlock(&q->mu);
}

uint64_t ice_task_queue_finished(struct ice_task_queue *q) {
  pthread_mutex_lock(&q->mu);
  uint64_t n = q->n_finished;
  pthread_mutex_unlock(&q->mu);
  return n;
}

bool ice_task_queue_help(struct ice_task_queue *q, uint64_t finished_seen,
                         void *thread_ctx) {
  pthread_mutex_lock(&q->mu);
  bool progress = true;
  struct ice_task *t = pop(q);
  if (t != NULL) {
    run_unlocked(q, t, thread_ctx);
  } else if (q->n_finished == finished_seen) {
    if (q->running == 0) {
      progress = false;
    } else {
      while (q->n_finished == finished_seen) pthread_cond_wait(&q->finished, &q->mu);
    }
  }
  pthread_mutex_unlock(&q->mu);
  return progress;
}

void ice_task_queue_free(struct ice_task_queue *q) {
  if (q == NULL) return;
  pthread_mutex_lock(&q->mu);
  q->quit = true;
  pthread_cond_broadcast(&q->work);
  pthread_mutex_unlock(&q->mu);
  for (int i = 0; i < q->started; i++) pthread_join(q->threads[i], NULL);
  pthread_cond_destroy(&q->work);
  pthread_cond_destroy(&q->finished);
  pthread_mutex_destroy(&q->mu);
  ice_free(q->threads);
  ice_free(q->args);
  ice_free(q);
}
