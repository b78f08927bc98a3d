/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading Parquet files into a table (the `icestream load` job): validate every input
 * first, create the table if missing, stream all rows through reconciliation into
 * rolling data files, stream their entries into one manifest, commit one snapshot.
 * Also the same for one Arrow stream (ice_table_append / ice_table_replace).
 */
#ifndef ICE_OPS_OP_LOAD_H
#define ICE_OPS_OP_LOAD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cat_catalog.h"
#include "ice/ice_arrow.h"
#include "iceberg/ib_str_map.h"
#include "ops/op_commit.h"
#include "ops/op_merge.h"
#include "ops/op_schema_evolve.h"
#include "ops/op_table.h"
#include "util/error.h"

/* --memory-limit: the default, and the least a load can run in (one small page per
 * column and one batch). */
#define OP_DEFAULT_MEMORY_LIMIT (256ll * 1024 * 1024)
#define OP_MIN_MEMORY_LIMIT (1ll * 1024 * 1024)

/* What a running load has done so far. Input bytes read are estimated from the rows
 * read of each file (its size times the share of its rows), so they move with every
 * batch rather than with every flushed row group. */
struct op_progress {
  int64_t rows;
  int64_t bytes_written;
  int64_t input_bytes_read;
  int64_t input_bytes_total; /* 0 for an Arrow stream, whose size is unknown */
  int32_t inputs_done;
  int32_t inputs_total;
};
typedef void (*op_progress_fn)(void *user, const struct op_progress *p);

/* APPEND adds, REPLACE makes the input the whole table, MERGE merges by key,
 * OVERWRITE_PARTITIONS replaces the partitions the input writes
 * (op_overwrite_partitions.h). */
enum op_mode {
  OP_MODE_APPEND = 0,
  OP_MODE_REPLACE = 1,
  OP_MODE_MERGE = 2,
  OP_MODE_OVERWRITE_PARTITIONS = 3
};

struct op_load_request {
  const char *const *inputs; /* Parquet paths */
  size_t n_inputs;
  enum op_mode mode;
  const struct ib_str_map *create_props; /* table properties if the table is created */
  const char *load_id;
  int64_t batch_rows;   /* <= 0: reader default */
  int64_t memory_limit; /* <= 0: 256 MiB; else at least OP_MIN_MEMORY_LIMIT */
  op_progress_fn progress;
  void *progress_user;
  /* Set (by a signal handler, say) to stop the load before it commits; NULL = never. */
  const volatile sig_atomic_t *cancel;
  const struct op_merge_options *merge; /* OP_MODE_MERGE; NULL otherwise */
  enum ib_schema_evolution schema_evolution; /* op_schema_evolve.h */
  /* The partition spec (text, ib_partition_spec_parse) of a table the load creates;
   * a table that exists must have it as its default spec. NULL = unpartitioned / any. */
  const char *partition_by;
  /* Encoding threads of the writers (pq_writer_options.threads): 0 = one per online
   * CPU, 1 = none beyond the caller's. */
  int threads;
};

struct op_load_result {
  int committed;
  /* The load id was already in this snapshot of the table's history, so nothing was
   * committed (and nothing the load wrote kept); -1 otherwise. */
  int64_t already_loaded_snapshot_id;
  int table_created;
  int64_t snapshot_id;
  char operation[16];
  int64_t rows;
  int64_t files_added;
  int64_t files_removed;
  int64_t bytes;
  int32_t attempts;
  /* Monotonic seconds from the last data file closed to the commit done: finishing the
   * new manifest, then every commit attempt (manifest list, metadata JSON, catalog swap,
   * retries with their backoff). What a load costs beyond writing data. */
  double commit_seconds;
  /* Monotonic seconds spent adding entries to the new manifest while data was still
   * being written (one per data file; not part of commit_seconds). */
  double manifest_add_seconds;
  char metadata_location[1024];
  /* The load's memory budget: its limit and the most it held (reader and writer
   * buffers, decoded batches), a deterministic measure unlike RSS. */
  int64_t memory_limit;
  int64_t memory_peak;
  /* OP_MODE_MERGE: what the merge did (delete_files_added counts position delete
   * files written). */
  struct op_merge_counts merge;
  /* A partitioned table: partitions written, rows and bytes that went through
   * temporary runs because more partitions arrived than writers could be open. */
  int64_t partitions, spilled_rows, spilled_bytes;
};

int op_load_files(struct cat_catalog *cat, const char *ident,
                  const struct op_load_request *req, struct op_load_result *res,
                  struct ice_error *err) ICE_NODISCARD;

/* Writes the rows of `stream` (consumed) into t as one snapshot (append, replace or
 * overwrite-partitions). */
int op_load_stream(struct op_table *t, struct ArrowArrayStream *stream, enum op_mode mode,
                   struct op_load_result *res, struct ice_error *err) ICE_NODISCARD;

/* Merges the rows of `stream` (consumed) into t as one snapshot. The stream is first
 * written to a local temporary Parquet file (a merge reads its input twice). */
int op_merge_stream(struct op_table *t, struct ArrowArrayStream *stream,
                    const struct op_merge_options *o, struct op_load_result *res,
                    struct ice_error *err) ICE_NODISCARD;

#endif
