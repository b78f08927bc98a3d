/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the load job's files share (op_load.c runs a load, op_load_merge.c feeds a
 * merge through it): the state of one load and the steps every feed uses.
 */
#ifndef ICE_OPS_OP_LOAD_INTERNAL_H
#define ICE_OPS_OP_LOAD_INTERNAL_H

#include "arrow/arrow_schema.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_manifest.h"
#include "iceberg/ib_summary.h"
#include "ops/op_cleanup.h"
#include "ops/op_load.h"
#include "ops/op_overwrite_partitions.h"
#include "ops/op_part_writer.h"
#include "util/mem_budget.h"
#include "writer/wr_data_writer.h"
#include "writer/wr_pos_delete_writer.h"

/* How a load runs, beyond what it writes. */
struct load_params {
  enum op_mode mode;
  const struct op_merge_options *merge;
  const char *load_id;
  int64_t memory_limit;
  int32_t inputs_total;
  int64_t input_bytes_total;
  int64_t input_rows_total;
  op_progress_fn progress; /* NULL = none */
  void *progress_user;
  const volatile sig_atomic_t *cancel; /* NULL = never */
  /* The schema to write with and commit (a load that grows the table schema); NULL:
   * the table's current schema. */
  const struct op_schema_target *schema;
  int threads; /* encoding threads; 0 = one per online CPU */
};

/* The input file being read, for the estimate of input bytes read. */
struct input_share {
  int64_t size, rows, rows_read;
};

/* A manifest this load writes, streamed as files close. */
struct new_manifest {
  struct ice_output *out;
  struct ib_manifest_writer *w;
  struct ib_manifest_file done;
  int have;
};

struct load_ctx {
  struct op_table *t;
  const struct load_params *params;
  const struct ib_schema *schema;
  struct ArrowSchema table_arrow;
  char uuid[IB_UUID_STR_LEN];
  int64_t snapshot_id;
  struct op_written written;
  struct new_manifest manifests[2]; /* data files, then position delete files */
  struct ib_summary_builder added;
  const struct wr_options *wo;      /* the table's write options */
  struct wr_pos_delete_writer *pdw; /* a merge-on-read merge's deletes */
  int64_t delete_files;
  struct op_merge *merge;
  /* OP_MODE_OVERWRITE_PARTITIONS: the partitions of the data files written. */
  struct op_overwrite_partitions *overwrite;
  const struct op_change *change; /* NULL: from the mode */
  int64_t rows, bytes, files;
  double manifest_add_seconds; /* entries streamed into the manifest as files close */
  int32_t inputs_done;
  int64_t input_bytes_done; /* sizes of the inputs finished */
  struct input_share current;
  struct ice_mem_budget budget; /* everything the load buffers */
  int threads;                  /* resolved (>= 1): > 1 also reads inputs ahead */
  struct ice_thread_pool *pool; /* threads > 1: partitions, stored files' columns */
  /* A partitioned table's rows go through the router instead of the one writer. */
  struct ib_partition_binding binding;
  struct op_part_writer *parts;
  int64_t partitions, spilled_rows, spilled_bytes; /* what the router did */
};

struct files_arg {
  const struct op_load_request *req;
};

/* Creates the load's next file of a kind ("" for data, "-deletes", ...) under the
 * table's data path, tracked for cleanup; *location is its URI (ice_malloc'd). */
int load_open_file(struct load_ctx *c, const char *kind, int64_t index,
                   struct ice_output **out, char **location,
                   struct ice_error *err) ICE_NODISCARD;
/* The same under folder dir of the data path (a partition's; NULL: the data path). */
int load_open_file_in(struct load_ctx *c, const char *dir, const char *kind,
                      int64_t index, struct ice_output **out, char **location,
                      struct ice_error *err) ICE_NODISCARD;
/* Writes a batch (borrowed) of table rows: through the partition router when the
 * table is partitioned, else to w. */
int load_write_rows(struct load_ctx *c, struct wr_data_writer *w,
                    const struct ArrowArray *batch, struct ice_error *err) ICE_NODISCARD;
/* Reports progress (when the load asked for it). */
void load_report(struct load_ctx *c);
/* ICE_ECANCELED once the load was interrupted (only before its commit starts). */
int load_check_cancel(const struct load_ctx *c, struct ice_error *err) ICE_NODISCARD;
/* wr_done_fn of every file the load writes (data or delete): into its manifest. */
int load_data_file_done(void *ctx, const struct ib_data_file *df, struct ice_error *err);

/* Writes the rows and commits; the table state is t. `feed` writes the rows. */
typedef int (*feed_fn)(struct load_ctx *c, struct wr_data_writer *w, void *arg,
                       struct ice_error *err);
int load_into(struct op_table *t, const struct load_params *params, feed_fn feed,
              void *arg, struct op_load_result *res, struct ice_error *err) ICE_NODISCARD;

/* op_load_merge.c: the merge feed (arg: struct files_arg). */
int load_feed_merge(struct load_ctx *c, struct wr_data_writer *w, void *arg,
                    struct ice_error *err) ICE_NODISCARD;

#endif
