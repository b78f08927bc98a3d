/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A merge load (upsert, insert-only, delete-insert, hard deletes) against one table,
 * in passes that each stream:
 *   1. ingest: every input row's key goes into an index (key -> the input row kept for
 *      it and a fingerprint of that row); duplicates are found here, however far apart;
 *   2. probe: the data files whose key bounds admit an incoming key are read (others
 *      are never opened); a stored row whose key is in the index is marked deleted in
 *      its file's bitmap, or, when it equals the incoming row, the incoming row is
 *      marked unchanged and skipped;
 *   3. write: copy-on-write rewrites each file that lost rows without them (or, for
 *      merge-on-read, its positions go to position delete files), then the inputs are
 *      read again and the rows not skipped are written.
 * On a partitioned table the sink routes written rows to their partitions; the probe
 * also prunes by partition fields a key decides, merge-on-read deletes are grouped by
 * partition, and files of an older spec are rewritten rather than position-deleted
 * (op_merge_parts.c, op_merge_write.c).
 * Everything it holds (index, bitmaps, reader buffers) is charged to the load's budget.
 * The commit is one snapshot whose change (op_change.h) removes the rewritten files
 * and re-validates against concurrent commits (reference/iceberg.md §8.5).
 */
#ifndef ICE_OPS_OP_MERGE_H
#define ICE_OPS_OP_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "io/io_fileio.h"
#include "ops/op_change.h"
#include "ops/op_table.h"
#include "util/error.h"
#include "util/mem_budget.h"

enum op_merge_strategy {
  OP_MERGE_UPSERT = 0,
  OP_MERGE_INSERT_ONLY = 1,
  OP_MERGE_DELETE_INSERT = 2
};
enum op_merge_dedup { OP_DEDUP_ERROR = 0, OP_DEDUP_FIRST = 1, OP_DEDUP_LAST = 2 };

struct op_merge_options {
  const char *const *keys; /* --merge-key columns; n_keys = 0: identifier fields */
  size_t n_keys;
  enum op_merge_strategy strategy;
  const char *hard_delete; /* a boolean column; NULL = none */
  enum op_merge_dedup dedup;
};

struct op_merge_counts {
  int64_t rows_inserted, rows_updated, rows_deleted, rows_unchanged;
  int64_t files_scanned, files_rewritten, delete_files_added;
};

/* Where the merge's output goes (the load's writers). */
struct op_merge_sink {
  /* Rows to write to new data files (borrowed). */
  int (*write_rows)(void *ctx, const struct ArrowArray *batch, struct ice_error *err);
  /* The positions that follow delete rows of data files of partition tuple p
   * (borrowed) of the table's default spec: they go to delete files of their own. */
  int (*delete_partition)(void *ctx, const struct ib_partition_tuple *p,
                          struct ice_error *err);
  /* Positions to delete from data file path, ascending; calls ascend by path within a
   * partition. */
  int (*delete_positions)(void *ctx, const char *path, const int64_t *pos, size_t n,
                          struct ice_error *err);
  /* ICE_ECANCELED when the load was interrupted. */
  int (*check_cancel)(void *ctx, struct ice_error *err);
  void *ctx;
};

struct op_merge;
struct ice_thread_pool;

/* Starts a merge into t (borrowed, as read when planning) whose rows are laid out as
 * table_arrow (borrowed). Resolves and checks the key and hard-delete columns. */
int op_merge_new(const struct op_table *t, const struct ArrowSchema *table_arrow,
                 const struct op_merge_options *o, struct ice_mem_budget *budget,
                 struct op_merge **out, struct ice_error *err) ICE_NODISCARD;
void op_merge_free(struct op_merge *m);
/* Stored files are read with their columns decoded on pool (borrowed; used from the
 * calling thread) when the budget is not small (op_threads.h); with a pool of 2 or
 * more, the next batch is read ahead on a thread of its own, which decodes on a pool
 * of half as many threads (from 4 up) made here. */
int op_merge_use_threads(struct op_merge *m, struct ice_thread_pool *pool,
                         struct ice_error *err) ICE_NODISCARD;
/* Prunes the probe (and the re-validation) by partition values too: the fields of the
 * table's specs that are identity, bucket or truncate of a key column, bound to schema
 * (the one the batches are laid out as). Before the first ingest. */
int op_merge_use_partitions(struct op_merge *m, const struct ib_schema *schema,
                            struct ice_error *err) ICE_NODISCARD;

/* The number of input rows to come (from the inputs' footers), so a merge that must
 * spill its index can size its parts; 0 = unknown. */
void op_merge_expect_rows(struct op_merge *m, int64_t rows);
/* Pass 1, per input batch in input order. `input` names the batch's input and
 * first_row is the batch's first row within it (for messages). */
int op_merge_ingest(struct op_merge *m, const struct ArrowArray *batch, const char *input,
                    int64_t first_row, struct ice_error *err) ICE_NODISCARD;
/* Pass 2. */
int op_merge_probe(struct op_merge *m, const struct io_fileio *io,
                   const struct op_merge_sink *sink, struct ice_error *err) ICE_NODISCARD;
/* Pass 3: the stored side (rewrites or position deletes). */
int op_merge_write_stored(struct op_merge *m, const struct io_fileio *io,
                          const struct op_merge_sink *sink,
                          struct ice_error *err) ICE_NODISCARD;
/* Pass 3: the inputs again, batch by batch in the order of pass 1: *out gets the rows
 * of `batch` (consumed) to write. */
int op_merge_filter(struct op_merge *m, struct ArrowArray *batch, struct ArrowArray *out,
                    struct ice_error *err) ICE_NODISCARD;

/* Whether stored rows are removed by position deletes (merge-on-read) rather than by
 * rewriting their files; known after the probe. */
bool op_merge_on_read(const struct op_merge *m);
/* The change the snapshot commits (valid while m lives). */
const struct op_change *op_merge_change(struct op_merge *m);
void op_merge_get_counts(const struct op_merge *m, struct op_merge_counts *out);

#endif
