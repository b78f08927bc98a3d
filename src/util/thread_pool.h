/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fixed set of worker threads (pthreads) that runs batches of numbered tasks: the
 * caller hands over n tasks and a function, takes part as worker 0 and returns when
 * every task has run or the batch stopped at an error. Tasks are claimed in index
 * order; when one fails, tasks not yet claimed are skipped, while those with a lower
 * index (claimed earlier) still run. So the error returned is the one of the
 * lowest-numbered failing task, the same as a serial loop that stops at the first
 * failure, provided tasks do not make each other fail. No global state: each pool is
 * its own. One caller at a time per pool.
 */
#ifndef ICE_UTIL_THREAD_POOL_H
#define ICE_UTIL_THREAD_POOL_H

#include <stddef.h>

#include "util/error.h"

struct ice_thread_pool;

/* Runs task `task` of the batch on worker `worker` (0 .. workers - 1; one task at a
 * time per worker, so per-worker scratch indexed by it needs no lock). */
typedef int (*ice_task_fn)(void *ctx, size_t task, int worker, struct ice_error *err);

/* `workers` threads of work in all, the caller's included (workers - 1 are started);
 * at least 1. ICE_EINVAL for fewer, ICE_ENOMEM / ICE_EIO when threads cannot start. */
int ice_thread_pool_new(int workers, struct ice_thread_pool **out,
                        struct ice_error *err) ICE_NODISCARD;
int ice_thread_pool_workers(const struct ice_thread_pool *p);
/* Runs tasks 0 .. n - 1 of fn(ctx, ...) and waits for them; the lowest-numbered
 * failing task's code and message, or ICE_OK. What the tasks wrote is visible to the
 * caller on return. */
int ice_thread_pool_run(struct ice_thread_pool *p, size_t n, ice_task_fn fn, void *ctx,
                        struct ice_error *err) ICE_NODISCARD;
/* Stops and joins the threads. NULL is fine. */
void ice_thread_pool_free(struct ice_thread_pool *p);

/* Most workers a pool is asked for (ICE_EINVAL beyond). */
#define ICE_THREAD_POOL_MAX_WORKERS 256
/* Online CPUs (sysconf), 1 when unknown, at most ICE_THREAD_POOL_MAX_WORKERS. */
int ice_thread_pool_online_cpus(void);

#endif
