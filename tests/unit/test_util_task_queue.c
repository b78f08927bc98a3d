/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The task queue: every task runs exactly once, on the thread context it was given
 * (a worker's or the helping caller's); a queue without threads runs tasks only when
 * helped or waited on, oldest first; waiting on a queued task runs it at once; help
 * says when nothing is in flight; the finished counter counts. Also run under
 * ThreadSanitizer (scripts/check.sh).
 */
#include <stdatomic.h>
#include <stdint.h>

#include "harness/ice_test.h"
#include "util/task_queue.h"

#define MANY 5000

struct job {
  struct ice_task task; /* first: the task is the job */
  int id;
  int runs;       /* written by the running thread, read after done */
  void *ran_with; /* the thread context it ran with */
  _Atomic int *order_next;
  int order; /* position in which it ran */
};

static void run_job(struct ice_task *t, void *ctx) {
  struct job *j = (struct job *)(void *)t;
  j->runs++;
  j->ran_with = ctx;
  j->order = atomic_fetch_add(j->order_next, 1);
  /* a little work, so tasks overlap on the threads */
  volatile uint64_t x = (uint64_t)j->id;
  for (int i = 0; i < 200; i++) x = x * 6364136223846793005u + 1;
}

static void test_every_task_once_on_threads(void) {
  struct ice_error err;
  int ctx[3];
  void *ctxs[3] = {&ctx[0], &ctx[1], &ctx[2]};
  struct ice_task_queue *q = NULL;
  CHECK_OK(ice_task_queue_new(3, ctxs, &q, &err), &err);
  if (q == NULL) return;
  static struct job jobs[MANY];
  _Atomic int next = 0;
  int caller;
  for (int i = 0; i < MANY; i++) {
    jobs[i] = (struct job){.id = i, .order_next = &next};
    ice_task_queue_submit(q, &jobs[i].task, run_job);
  }
  for (int i = 0; i < MANY; i++) ice_task_queue_wait(q, &jobs[i].task, &caller);
  int bad_runs = 0, bad_ctx = 0;
  for (int i = 0; i < MANY; i++) {
    CHECK(ice_task_queue_done(q, &jobs[i].task));
    bad_runs += jobs[i].runs != 1;
    void *c = jobs[i].ran_with;
    bad_ctx += c != &caller && c != ctxs[0] && c != ctxs[1] && c != ctxs[2];
  }
  CHECK_EQ_INT(bad_runs, 0);
  CHECK_EQ_INT(bad_ctx, 0);
  CHECK_EQ_INT(ice_task_queue_finished(q), MANY);
  ice_task_queue_free(q);
}

/* No threads: nothing runs until the caller helps (oldest first) or waits. */
static void test_no_threads_runs_on_help_and_wait(void) {
  struct ice_error err;
  struct ice_task_queue *q = NULL;
  CHECK_OK(ice_task_queue_new(0, NULL, &q, &err), &err);
  if (q == NULL) return;
  _Atomic int next = 0;
  int caller;
  struct job j[3];
  for (int i = 0; i < 3; i++) {
    j[i] = (struct job){.id = i, .order_next = &next};
    ice_task_queue_submit(q, &j[i].task, run_job);
  }
  CHECK(!ice_task_queue_done(q, &j[0].task));
  /* Waiting on the last runs it first, without running the others. */
  ice_task_queue_wait(q, &j[2].task, &caller);
  CHECK_EQ_INT(j[2].runs, 1);
  CHECK_EQ_INT(j[2].order, 0);
  CHECK_EQ_INT(j[0].runs + j[1].runs, 0);
  CHECK(j[2].ran_with == &caller);
  /* Help runs the oldest queued one. */
  uint64_t seen = ice_task_queue_finished(q);
  CHECK_EQ_INT(seen, 1);
  CHECK(ice_task_queue_help(q, seen, &caller));
  CHECK_EQ_INT(j[0].runs, 1);
  CHECK_EQ_INT(j[1].runs, 0);
  CHECK(ice_task_queue_help(q, ice_task_queue_finished(q), &caller));
  CHECK_EQ_INT(j[1].runs, 1);
  CHECK_EQ_INT(j[1].order, 2);
  /* Nothing queued or running: help cannot make progress and says so. */
  CHECK(!ice_task_queue_help(q, ice_task_queue_finished(q), &caller));
  /* A stale count: something finished since, so help returns at once. */
  CHECK(ice_task_queue_help(q, 0, &caller));
  ice_task_queue_free(q);
}

static void test_bad_thread_count(void) {
  struct ice_error err;
  struct ice_task_queue *q = NULL;
  CHECK_EQ_INT(ice_task_queue_new(-1, NULL, &q, &err), ICE_EINVAL);
  CHECK_EQ_INT(ice_task_queue_new(ICE_TASK_QUEUE_MAX_THREADS + 1, NULL, &q, &err),
               ICE_EINVAL);
  CHECK(q == NULL);
  ice_task_queue_free(NULL);
}

int main(void) {
  ICE_RUN(test_every_task_once_on_threads);
  ICE_RUN(test_no_threads_runs_on_help_and_wait);
  ICE_RUN(test_bad_thread_count);
  ICE_TEST_EXIT();
}
