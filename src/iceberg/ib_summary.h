/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapshot summary builder (reference/iceberg.md §2.3): exact added/removed counters
 * from the data and delete files a commit adds and removes, and totals carried forward
 * from the previous branch head's summary the way Java's SnapshotProducer does.
 */
#ifndef ICE_ICEBERG_IB_SUMMARY_H
#define ICE_ICEBERG_IB_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "iceberg/ib_data_file.h"
#include "iceberg/ib_str_map.h"
#include "util/error.h"

struct ib_summary_builder {
  int64_t added_data_files, deleted_data_files;
  int64_t added_delete_files, removed_delete_files;
  int64_t added_pos_delete_files, removed_pos_delete_files;
  int64_t added_eq_delete_files, removed_eq_delete_files;
  int64_t added_records, deleted_records;
  int64_t added_files_size, removed_files_size;
  int64_t added_pos_deletes, removed_pos_deletes;
  int64_t added_eq_deletes, removed_eq_deletes;
  /* Partitions the commit writes to, as Java's changed-partition-count; set by the
   * writer of a partitioned table's files (0: not written). */
  int64_t changed_partitions;
  /* A dynamic overwrite (Java's ReplacePartitions): replace-partitions=true. */
  bool replace_partitions;
};

void ib_summary_builder_init(struct ib_summary_builder *b);
/* Counts a file added / removed by this snapshot. ICE_EINVAL on negative sizes/counts
 * or counter overflow. */
int ib_summary_add_file(struct ib_summary_builder *b, const struct ib_data_file *f,
                        struct ice_error *err) ICE_NODISCARD;
int ib_summary_remove_file(struct ib_summary_builder *b, const struct ib_data_file *f,
                           struct ice_error *err) ICE_NODISCARD;

/* Builds the summary map: "operation" first, then the non-zero added/deleted/removed
 * counters, then the six totals. previous is the summary of the branch head the snapshot
 * is based on, or NULL when the branch has no head (totals start at 0). A total missing
 * or unparsable in previous is omitted; a total that would go negative is omitted.
 * out must be initialized (entries are appended). */
int ib_summary_build(const struct ib_summary_builder *b, const char *operation,
                     const struct ib_str_map *previous, struct ib_str_map *out,
                     struct ice_error *err) ICE_NODISCARD;

#endif
