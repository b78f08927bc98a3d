/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition router: batches laid out as the table schema are split by partition
 * tuple (ib_partition_row.h), and each partition's rows go to a rolling data writer of
 * its own whose files all carry that tuple, under the partition's Hive-style folder.
 *
 * At most max_open partition writers are open at once, and their buffers share the
 * load's one budget (with their files' storage buffers, and the router's own tables:
 * a slot per partition met). Rows of a partition that arrives when every writer is
 * taken are spilled, by a hash of their tuple, to one of n_runs temporary Parquet runs
 * (in an op_spill folder); a partition never gets a second writer while it has one, so
 * a partition with a writer gets ⌈its bytes / target⌉ files. When the input ends the
 * writers are closed and each run is routed again by a fresh router one level down
 * (another hash, so its partitions spread over new runs if they still do not fit).
 * Temporary runs are deleted as soon as they are routed, and with the folder on every
 * other path; a killed process's folder is removed by the next that spills.
 *
 * Written for load's append and replace; an overwrite of partitions or a merge can
 * route its rows through the same writer (every closed file's DataFile reaches done_fn
 * with its tuple set).
 */
#ifndef ICE_OPS_OP_PART_WRITER_H
#define ICE_OPS_OP_PART_WRITER_H

#include <stdint.h>

#include "ice/ice_arrow.h"
#include "iceberg/ib_partition_row.h"
#include "util/error.h"
#include "util/mem_budget.h"
#include "writer/wr_data_writer.h"

/* Opens data file number `index` (counted over all partitions) of the partition whose
 * Hive-style folder is `dir` ("id_bucket=3/ts_day=2017-11-16"). */
typedef int (*op_part_open_fn)(void *ctx, const char *dir, int64_t index,
                               struct ice_output **out, char **location,
                               struct ice_error *err);

struct op_part_writer_config {
  const struct ArrowSchema *schema;           /* batches' layout (borrowed) */
  const struct ib_partition_binding *binding; /* spec bound to that schema (borrowed) */
  const struct wr_options *wo; /* the table's data writer options (borrowed) */
  struct ice_mem_budget *budget;
  int64_t max_open;   /* partition writers open at once; <= 0: from the budget */
  int64_t batch_rows; /* rows per batch when a run is read back; <= 0: default */
  /* The most one open data file's storage buffers in the budget (an S3 part; 0:
   * little): writers open at once are capped so these take half the budget at most. */
  int64_t output_buffer_bytes;
  op_part_open_fn open_fn;
  wr_done_fn done_fn; /* each closed data file, its partition tuple set */
  void *ctx;
  /* NULL: one thread. Else (borrowed, used from the calling thread) the groups of a
   * batch are written by its workers at once; open_fn and done_fn are then called
   * from them, one at a time. */
  struct ice_thread_pool *pool;
};

/* The writers a budget of `limit` bytes holds when write.partition.max-open-files is
 * not set: half of it in shares of OP_PART_WRITER_SHARE, between 4 and 4096. */
#define OP_PART_WRITER_SHARE (1ll << 20)
int64_t op_part_writer_default_max_open(int64_t limit);

struct op_part_writer;
struct ice_thread_pool;

int op_part_writer_new(const struct op_part_writer_config *cfg,
                       struct op_part_writer **out, struct ice_error *err) ICE_NODISCARD;
/* Routes the rows of batch (borrowed). */
int op_part_writer_write(struct op_part_writer *pw, const struct ArrowArray *batch,
                         struct ice_error *err) ICE_NODISCARD;
/* Closes every writer, then routes the spilled runs; the last files reach done_fn. */
int op_part_writer_close(struct op_part_writer *pw, struct ice_error *err) ICE_NODISCARD;
/* Aborts open files, deletes temporary runs; frees. NULL is fine. */
void op_part_writer_free(struct op_part_writer *pw);

/* What a router did (after close): distinct partitions written, rows and bytes spilled
 * to runs (at every level), the deepest level a run was routed at (0: none). */
struct op_part_writer_stats {
  int64_t partitions;
  int64_t spilled_rows, spilled_bytes;
  int32_t levels;
};
void op_part_writer_get_stats(const struct op_part_writer *pw,
                              struct op_part_writer_stats *out);

#endif
