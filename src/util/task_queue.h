/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A first-in first-out queue of tasks that worker threads (pthreads) run as they free
 * up, for work that is produced one piece at a time and collected later (a Parquet
 * page compressed while the next one is being built). A producer that must wait, for
 * a task of its own or for room, runs queued tasks itself meanwhile ("helps"), so on
 * few cores it never sleeps while work is queued. No global state: each queue is its
 * own. Any thread may submit, help and wait.
 */
#ifndef ICE_UTIL_TASK_QUEUE_H
#define ICE_UTIL_TASK_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

struct ice_task_queue;

/* Embedded in the caller's job. `run` gets the context of the thread running it: the
 * worker's (from ice_task_queue_new) or the helping caller's, so per-thread scratch
 * (a compression context) needs no lock. Everything run writes is visible to a thread
 * that saw the task done. */
struct ice_task {
  void (*run)(struct ice_task *t, void *thread_ctx);
  struct ice_task *next; /* the queue's link while queued */
  int state;             /* the queue's (under its lock) */
};

/* `threads` worker threads (0 is allowed: then tasks run only when someone helps or
 * waits), each handed worker_ctx[i]. ICE_EINVAL beyond ICE_TASK_QUEUE_MAX_THREADS,
 * ICE_ENOMEM / ICE_EIO when threads cannot start. */
int ice_task_queue_new(int threads, void *const *worker_ctx, struct ice_task_queue **out,
                       struct ice_error *err) ICE_NODISCARD;
/* Queues t (fn set by the caller); never fails. t must stay alive until it is done. */
void ice_task_queue_submit(struct ice_task_queue *q, struct ice_task *t,
                           void (*run)(struct ice_task *, void *));
/* True when t has run. */
bool ice_task_queue_done(struct ice_task_queue *q, const struct ice_task *t);
/* Returns when t has run. If t is still queued it runs here, else queued tasks run
 * here while a worker finishes t. */
void ice_task_queue_wait(struct ice_task_queue *q, struct ice_task *t, void *thread_ctx);
/* Tasks finished so far (a counter that only grows). */
uint64_t ice_task_queue_finished(struct ice_task_queue *q);
/* Makes progress for a producer waiting for room: runs the oldest queued task here, or
 * sleeps until a task finishes after `finished_seen` (a value of
 * ice_task_queue_finished read before the producer last looked for room). False, at
 * once, when no task is queued or running: nothing would ever free room. */
bool ice_task_queue_help(struct ice_task_queue *q, uint64_t finished_seen,
                         void *thread_ctx);
/* Stops and joins the threads; every submitted task must be done. NULL is fine. */
void ice_task_queue_free(struct ice_task_queue *q);

#define ICE_TASK_QUEUE_MAX_THREADS 256

#endif
