/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads ahead of a batch consumer: one background pthread calls `read` for the next
 * batch while the caller works on the current one (a load's input, a rewrite's
 * stream). One slot: at most one batch is decoded ahead, so a consumer holds at most
 * two (charged to its budget by the reader).
 * Batches come out in the order read, and the first error or the end is handed over
 * with the code and message `read` gave. While the thread runs only it calls `read`.
 */
#ifndef ICE_ARROW_ARROW_READ_AHEAD_H
#define ICE_ARROW_ARROW_READ_AHEAD_H

#include <stdbool.h>

#include "ice/ice_arrow.h"
#include "util/error.h"

/* The next batch into *out, or *eof (out untouched) at the end; an error code and
 * message otherwise. */
typedef int (*arrow_read_fn)(void *ctx, struct ArrowArray *out, bool *eof,
                             struct ice_error *err);

struct arrow_read_ahead;

/* Starts the thread reading from fn(ctx) (ctx borrowed until arrow_read_ahead_stop).
 * ICE_ENOMEM / ICE_EIO when the thread cannot start. */
int arrow_read_ahead_start(arrow_read_fn fn, void *ctx, struct arrow_read_ahead **out,
                           struct ice_error *err) ICE_NODISCARD;
/* Waits for the batch read ahead and lets the thread read the next one. After the end
 * or an error, every call returns that end or error again. */
int arrow_read_ahead_next(struct arrow_read_ahead *p, struct ArrowArray *out, bool *eof,
                          struct ice_error *err) ICE_NODISCARD;
/* Stops and joins the thread (it finishes a read under way first) and releases a batch
 * read ahead. NULL is fine. */
void arrow_read_ahead_stop(struct arrow_read_ahead *p);

#endif
