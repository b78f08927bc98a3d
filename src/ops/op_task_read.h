/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading one task of a scan plan (a data file and the deletes that apply to it) as
 * the table reads it: batches of the file's live rows, columns matched to the table
 * schema by field id, each row with its position in the file (what a position delete
 * or a copy-on-write rewrite names). The scan stream is a sequence of these; a merge
 * reads the files it touches with one.
 */
#ifndef ICE_OPS_OP_TASK_READ_H
#define ICE_OPS_OP_TASK_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arrow/arrow_type.h"
#include "ice/ice_arrow.h"
#include "io/io_fileio.h"
#include "ops/op_scan_adapt.h"
#include "ops/op_scan_deletes.h"
#include "ops/op_scan_plan.h"
#include "ops/op_scan_read.h"
#include "util/buf.h"
#include "util/mem_budget.h"

struct ice_thread_pool;

/* What every task of one read shares: the output columns and the delete state, which
 * is kept from one file to the next when the delete files are the same. */
struct op_task_columns {
  const struct ArrowSchema *schema; /* "+s" of the output columns (borrowed) */
  const int32_t *field_ids;         /* per output column (borrowed) */
  size_t n_cols;
  int64_t batch_rows; /* <= 0: reader default */
};

struct op_task_reader {
  const struct op_task_columns *cols;
  const struct op_scan_task *task;
  struct op_scan_reader reader; /* wanted ids: the columns, then every group's key ids */
  int32_t *want;
  size_t n_want;
  struct arrow_type *want_type; /* per wanted id present in the file */
  struct op_adapt adapt;        /* the file's columns -> the table's */
  int64_t row_base;             /* file position of the next batch's first row */
  struct op_pos_deletes pos;
  size_t pos_at;
  struct op_eq_deletes eq;
  struct ice_buf key;
  int64_t *keep; /* rows of the batch kept, then their file positions */
  size_t keep_cap;
  struct ice_mem_budget *budget;
  /* Decodes a data file's columns in parallel (borrowed; NULL after init = serial).
   * Delete files are small and read serially. */
  struct ice_thread_pool *pool;
};

/* Charges what the reader holds to budget (borrowed). */
void op_task_reader_init(struct op_task_reader *r, const struct op_task_columns *cols,
                         struct ice_mem_budget *budget);
/* Frees everything, including the delete state kept between files. */
void op_task_reader_reset(struct op_task_reader *r);

/* Starts reading task t of plan p (closing the previous file). */
int op_task_reader_open(struct op_task_reader *r, const struct io_fileio *io,
                        const struct op_scan_plan *p, const struct op_scan_task *t,
                        struct ice_error *err) ICE_NODISCARD;
/* The next batch of live rows into *out (a "+s" array of cols->schema) and, when
 * positions is not NULL, the file position of each of its rows (valid until the next
 * call). *eof at the end of the file (out untouched). A batch may have 0 rows. */
int op_task_reader_next(struct op_task_reader *r, struct ArrowArray *out,
                        const int64_t **positions, bool *eof,
                        struct ice_error *err) ICE_NODISCARD;
/* Closes the current file; the delete state is kept for the next. */
void op_task_reader_close(struct op_task_reader *r);
/* The location of the file being read (for messages), or "". */
const char *op_task_reader_path(const struct op_task_reader *r);

#endif
