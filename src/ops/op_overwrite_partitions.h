/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `load --mode overwrite-partitions`: the change (op_change.h) of a dynamic overwrite,
 * as Spark's `overwrite-mode=dynamic` and Java's ReplacePartitions commit it. The load
 * tells it the partition tuple of every data file it writes (all under the table's
 * default spec); the snapshot then removes every live file, data or delete, of that
 * spec whose tuple is among them. Files of other specs are kept. A table whose default
 * spec is unpartitioned is one partition: the overwrite replaces the whole table (as
 * Spark does), every spec's files included. Nothing written: nothing removed.
 *
 * Re-validation after a concurrent commit (reference/iceberg.md §8.5, serializable, as
 * BaseReplacePartitions validates): a snapshot committed since the load was planned
 * that added a data or delete file to a replaced partition, or removed a data file
 * from one, is ICE_ECONFLICT naming the partition; otherwise the files to remove are
 * found again on the new head.
 */
#ifndef ICE_OPS_OP_OVERWRITE_PARTITIONS_H
#define ICE_OPS_OP_OVERWRITE_PARTITIONS_H

#include <stdint.h>

#include "iceberg/ib_data_file.h"
#include "iceberg/ib_table_metadata.h"
#include "ops/op_change.h"
#include "util/error.h"
#include "util/mem_budget.h"

struct op_overwrite_partitions;

/* For a load into md (its default spec) planned on snapshot `planned` (-1: none).
 * The tuples it collects are charged to budget (borrowed; NULL = no limit). */
int op_overwrite_partitions_new(const struct ib_table_metadata *md, int64_t planned,
                                struct ice_mem_budget *budget,
                                struct op_overwrite_partitions **out,
                                struct ice_error *err) ICE_NODISCARD;
/* Records the partition of a data file the load wrote (df borrowed). ICE_ELIMIT when
 * the budget cannot hold another tuple. */
int op_overwrite_partitions_add_file(struct op_overwrite_partitions *o,
                                     const struct ib_data_file *df,
                                     struct ice_error *err) ICE_NODISCARD;
/* The change to commit; valid until o is freed. */
const struct op_change *op_overwrite_partitions_change(struct op_overwrite_partitions *o);
/* NULL is fine. */
void op_overwrite_partitions_free(struct op_overwrite_partitions *o);

#endif
