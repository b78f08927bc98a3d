/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads ahead of a batch consumer: one background pthread calls `read` for the next
 * batch while the caller works on the current one. One slot: at most one batch is
 * decoded ahead, so a load holds at most two (charged to its budget by the reader).
 * Batches come out in the order read, and the first error or the end is handed over
 * with the code and message `read` gave. While the thread runs only it calls `read`.
 */
#ifndef ICE_OPS_OP_INPUT_PREFETCH_H
#define ICE_OPS_OP_INPUT_PREFETCH_H

#include <stdbool.h>

#include "ice/ice_arrow.h"
#include "util/error.h"

/* The next batch into *out, or *eof; the same contract as op_input_next. */
typedef int (*op_prefetch_read_fn)(void *ctx, struct ArrowArray *out, bool *eof,
                                   struct ice_error *err);

struct op_prefetch;

/* Starts the thread reading from fn(ctx) (ctx borrowed until op_prefetch_stop).
 * ICE_ENOMEM / ICE_EIO when the thread cannot start. */
int op_prefetch_start(op_prefetch_read_fn fn, void *ctx, struct op_prefetch **out,
                      struct ice_error *err) ICE_NODISCARD;
/* Waits for the batch read ahead and lets the thread read the next one. After the end
 * or an error, every call returns that end or error again. */
int op_prefetch_next(struct op_prefetch *p, struct ArrowArray *out, bool *eof,
                     struct ice_error *err) ICE_NODISCARD;
/* Stops and joins the thread (it finishes a read under way first) and releases a batch
 * read ahead. NULL is fine. */
void op_prefetch_stop(struct op_prefetch *p);

#endif
