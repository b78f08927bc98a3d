/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory budget under several threads (exact totals, peak never above the limit,
 * refusals when full) and the thread pool (every task once, the lowest failing task's
 * error, early stop, reuse). Also run under ThreadSanitizer (scripts/check.sh).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "harness/ice_test.h"
#include "util/mem_budget.h"
#include "util/thread_pool.h"

#define HAMMER_THREADS 4
#define HAMMER_ROUNDS 20000

struct hammer {
  struct ice_mem_budget *b;
  pthread_barrier_t *start;
  int seed;
  int64_t refused; /* charges the budget turned down */
  int64_t kept;    /* bytes still charged by this thread at the end */
  int bad_code;    /* a refusal with another code than ICE_ELIMIT */
};

static void *hammer_main(void *arg) {
  struct hammer *h = arg;
  uint32_t x = (uint32_t)h->seed * 2654435761u + 1;
  int64_t held[8] = {0};
  pthread_barrier_wait(h->start); /* all at once, not one after the other */
  for (int r = 0; r < HAMMER_ROUNDS; r++) {
    x = x * 1103515245u + 12345u;
    int slot = (int)((x >> 8) & 7);
    int64_t n = 1 + (int64_t)((x >> 12) % 700);
    if (held[slot] > 0) {
      ice_mem_release(h->b, held[slot]);
      held[slot] = 0;
      continue;
    }
    struct ice_error err;
    int rc = ice_mem_charge(h->b, n, &err);
    if (rc == ICE_OK) {
      held[slot] = n;
    } else {
      h->refused++;
      if (rc != ICE_ELIMIT) h->bad_code = rc;
    }
  }
  /* Half of what is left stays charged, as a hold, so totals must add up exactly. */
  for (int s = 0; s < 8; s++) {
    if (s % 2 == 0) {
      ice_mem_release(h->b, held[s]);
    } else {
      h->kept += held[s];
    }
  }
  ice_mem_hold(h->b, 5);
  h->kept += 5;
  return NULL;
}

static void test_budget_many_threads(void) {
  struct ice_mem_budget b;
  /* Small enough that the threads together often hit it (each holds ~4 x 350 bytes on
   * average, up to 8 x 700). */
  ice_mem_budget_init(&b, 3000);
  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, HAMMER_THREADS);
  pthread_t t[HAMMER_THREADS];
  struct hammer h[HAMMER_THREADS];
  for (int i = 0; i < HAMMER_THREADS; i++) {
    h[i] = (struct hammer){&b, &start, i + 1, 0, 0, 0};
    CHECK_EQ_INT(pthread_create(&t[i], NULL, hammer_main, &h[i]), 0);
  }
  int64_t kept = 0, refused = 0;
  for (int i = 0; i < HAMMER_THREADS; i++) {
    pthread_join(t[i], NULL);
    kept += h[i].kept;
    refused += h[i].refused;
    CHECK_EQ_INT(h[i].bad_code, 0);
  }
  pthread_barrier_destroy(&start);
  CHECK_EQ_INT(ice_mem_used(&b), kept); /* no charge or release lost */
  CHECK(ice_mem_peak(&b) <= b.limit);   /* charges never passed the limit together */
  CHECK(ice_mem_peak(&b) > b.limit / 2);
  CHECK(refused > 0); /* the limit was reached and refused */
  ice_mem_release(&b, kept);
  CHECK_EQ_INT(ice_mem_used(&b), 0);
  CHECK_EQ_INT(ice_mem_available(&b), 3000);
}

static void test_budget_refuses_when_full(void) {
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 1000);
  struct ice_error err;
  CHECK_OK(ice_mem_charge(&b, 1000, &err), &err);
  CHECK_EQ_INT(ice_mem_charge(&b, 1, &err), ICE_ELIMIT);
  CHECK(strstr(err.message, "memory limit") != NULL);
  CHECK_EQ_INT(ice_mem_available(&b), 0);
  ice_mem_release(&b, 5000); /* never below zero */
  CHECK_EQ_INT(ice_mem_used(&b), 0);
  CHECK_EQ_INT(ice_mem_peak(&b), 1000);
}

/* ---------------------------------------------------------------- pool */

#define POOL_TASKS 1000

struct count_ctx {
  _Atomic int runs[POOL_TASKS];
  _Atomic int by_worker[8];
  size_t fail_from; /* tasks >= this fail (SIZE_MAX: none) */
  size_t fail_also; /* ... and this one (SIZE_MAX: none) */
  size_t slow_fail; /* this one fails after 30 ms (SIZE_MAX: none) */
};

static int count_task(void *ctx, size_t task, int worker, struct ice_error *err) {
  struct count_ctx *c = ctx;
  atomic_fetch_add(&c->runs[task], 1);
  if (worker >= 0 && worker < 8) atomic_fetch_add(&c->by_worker[worker], 1);
  /* Some work, so that several workers take part; tasks past a failure are slow, so
   * that the stop is seen long before they could all run, even on a loaded machine. */
  volatile uint64_t x = task;
  for (int i = 0; i < 2000; i++) x = x * 31 + 7;
  if (c->fail_also != SIZE_MAX && task > c->fail_also) {
    struct timespec ts = {0, 200 * 1000};
    nanosleep(&ts, NULL);
  }
  if (task == c->slow_fail) {
    struct timespec ts = {0, 30 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  if (task >= c->fail_from || task == c->fail_also || task == c->slow_fail) {
    return ice_error_set(err, ICE_EINVAL, "task %zu failed", task);
  }
  return ICE_OK;
}

static void reset_ctx(struct count_ctx *c) {
  for (size_t i = 0; i < POOL_TASKS; i++) atomic_store(&c->runs[i], 0);
  for (int i = 0; i < 8; i++) atomic_store(&c->by_worker[i], 0);
  c->fail_from = SIZE_MAX;
  c->fail_also = SIZE_MAX;
  c->slow_fail = SIZE_MAX;
}

static void test_pool_runs_every_task_once(void) {
  struct ice_thread_pool *p = NULL;
  struct ice_error err;
  CHECK_OK(ice_thread_pool_new(4, &p, &err), &err);
  if (p == NULL) return;
  CHECK_EQ_INT(ice_thread_pool_workers(p), 4);
  static struct count_ctx c;
  for (int round = 0; round < 50; round++) { /* reuse: batch after batch */
    reset_ctx(&c);
    CHECK_OK(ice_thread_pool_run(p, POOL_TASKS, count_task, &c, &err), &err);
    int wrong = 0, total = 0;
    for (size_t i = 0; i < POOL_TASKS; i++) wrong += atomic_load(&c.runs[i]) != 1;
    for (int w = 0; w < 8; w++) total += atomic_load(&c.by_worker[w]);
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(total, POOL_TASKS);
    for (int w = 4; w < 8; w++) CHECK_EQ_INT(atomic_load(&c.by_worker[w]), 0);
  }
  CHECK_OK(ice_thread_pool_run(p, 0, count_task, &c, &err), &err); /* nothing */
  ice_thread_pool_free(p);
}

static void test_pool_lowest_failure_wins(void) {
  struct ice_thread_pool *p = NULL;
  struct ice_error err;
  CHECK_OK(ice_thread_pool_new(4, &p, &err), &err);
  if (p == NULL) return;
  static struct count_ctx c;
  for (int round = 0; round < 50; round++) {
    reset_ctx(&c);
    c.fail_from = 700;
    c.fail_also = 300;
    int rc = ice_thread_pool_run(p, POOL_TASKS, count_task, &c, &err);
    CHECK_EQ_INT(rc, ICE_EINVAL);
    CHECK_EQ_STR(err.message, "task 300 failed");
    /* Every task below the failure ran (as a serial loop would have); most after it
     * were skipped: only those already claimed when 300 failed ran (one or two per
     * worker; 350 would take the failing worker 20 ms off the CPU). */
    int below = 0, after = 0;
    for (size_t i = 0; i < 300; i++) below += atomic_load(&c.runs[i]) == 1;
    for (size_t i = 301; i < POOL_TASKS; i++) after += atomic_load(&c.runs[i]);
    CHECK_EQ_INT(below, 300);
    CHECK(after < 350);
  }
  /* The pool is usable after a failed batch. */
  reset_ctx(&c);
  CHECK_OK(ice_thread_pool_run(p, POOL_TASKS, count_task, &c, &err), &err);
  ice_thread_pool_free(p);
}

/* A lower task that fails last still wins over higher ones that failed first. */
static void test_pool_lowest_failure_wins_late(void) {
  struct ice_thread_pool *p = NULL;
  struct ice_error err;
  CHECK_OK(ice_thread_pool_new(4, &p, &err), &err);
  if (p == NULL) return;
  static struct count_ctx c;
  reset_ctx(&c);
  c.slow_fail = 10;
  c.fail_from = 20;
  CHECK_EQ_INT(ice_thread_pool_run(p, POOL_TASKS, count_task, &c, &err), ICE_EINVAL);
  CHECK_EQ_STR(err.message, "task 10 failed");
  int below = 0;
  for (size_t i = 0; i < 10; i++) below += atomic_load(&c.runs[i]);
  CHECK_EQ_INT(below, 10);
  ice_thread_pool_free(p);
}

static void test_pool_one_worker_is_serial(void) {
  struct ice_thread_pool *p = NULL;
  struct ice_error err;
  CHECK_EQ_INT(ice_thread_pool_new(0, &p, &err), ICE_EINVAL);
  CHECK_OK(ice_thread_pool_new(1, &p, &err), &err);
  if (p == NULL) return;
  static struct count_ctx c;
  reset_ctx(&c);
  c.fail_from = 10;
  CHECK_EQ_INT(ice_thread_pool_run(p, POOL_TASKS, count_task, &c, &err), ICE_EINVAL);
  CHECK_EQ_STR(err.message, "task 10 failed");
  int ran = 0;
  for (size_t i = 0; i < POOL_TASKS; i++) ran += atomic_load(&c.runs[i]);
  CHECK_EQ_INT(ran, 11); /* stopped at the failure, like a loop */
  CHECK_EQ_INT(atomic_load(&c.by_worker[0]), 11);
  ice_thread_pool_free(p);
  ice_thread_pool_free(NULL);
}

int main(void) {
  ICE_RUN(test_budget_many_threads);
  ICE_RUN(test_budget_refuses_when_full);
  ICE_RUN(test_pool_runs_every_task_once);
  ICE_RUN(test_pool_lowest_failure_wins);
  ICE_RUN(test_pool_lowest_failure_wins_late);
  ICE_RUN(test_pool_one_worker_is_serial);
  ICE_TEST_EXIT();
}
