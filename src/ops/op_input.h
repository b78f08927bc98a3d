/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One input of a load as the table reads it: a Parquet file (or an Arrow stream)
 * decoded batch by batch, each batch reconciled to the table's Arrow schema
 * (op_reconcile.h). Reader buffers are charged to the load's budget. Errors about the
 * input name it. With threads > 1 a file is read one batch ahead on a background
 * thread (arrow/arrow_read_ahead.h), and that thread decodes each batch's columns on a pool
 * of `threads` threads the input owns: the same batches, in the same order.
 */
#ifndef ICE_OPS_OP_INPUT_H
#define ICE_OPS_OP_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "ice/ice_parquet.h"
#include "arrow/arrow_read_ahead.h"
#include "ops/op_reconcile.h"
#include "util/error.h"
#include "util/mem_budget.h"

struct ice_thread_pool;

struct op_input {
  const char *name; /* the path, or "arrow stream" (borrowed) */
  ice_parquet_file *pf;
  struct ArrowArrayStream s;
  struct ArrowSchema in_schema;
  struct op_reconcile *r;
  int64_t size, rows;           /* of a file; 0 for a stream */
  struct arrow_read_ahead *ahead;    /* the read-ahead thread, or NULL (threads <= 1) */
  struct ice_thread_pool *pool; /* decodes its columns, or NULL (threads <= 1) */
};

/* Opens Parquet file `path` to read as `table` (borrowed, kept alive by the caller).
 * threads > 1 (the load's thread count) reads ahead on a background thread, which
 * holds `in`: it must stay where it is until op_input_close; it decodes the columns on
 * a pool of `threads` threads (ICE_ENOMEM / ICE_EIO when they cannot start). */
int op_input_open_file(struct op_input *in, const char *path,
                       const struct ArrowSchema *table, int64_t batch_rows,
                       struct ice_mem_budget *budget, int threads,
                       struct ice_error *err) ICE_NODISCARD;
/* Takes over `stream` (moved; released by op_input_close). */
int op_input_open_stream(struct op_input *in, struct ArrowArrayStream *stream,
                         const struct ArrowSchema *table,
                         struct ice_error *err) ICE_NODISCARD;
/* The next reconciled batch into *out; *eof at the end (out untouched). */
int op_input_next(struct op_input *in, struct ArrowArray *out, bool *eof,
                  struct ice_error *err) ICE_NODISCARD;
/* Closes; safe on a zeroed or closed input. */
void op_input_close(struct op_input *in);

#endif
