/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deletes that apply to one data file of a scan plan, loaded for the executor
 * (reference/iceberg.md §7.1-7.3):
 *   - position deletes: the `pos` of every row of the applicable position delete files
 *     whose `file_path` is the data file's path byte for byte, sorted and distinct;
 *   - equality deletes: per distinct list of equality field ids, the set of key values
 *     of the applicable equality delete files (op_key_set.h).
 * Everything held is charged to the scan's memory budget: a delete set that does not
 * fit is ICE_ELIMIT naming the data file and the limit.
 */
#ifndef ICE_OPS_OP_SCAN_DELETES_H
#define ICE_OPS_OP_SCAN_DELETES_H

#include <stddef.h>
#include <stdint.h>

#include "io/io_fileio.h"
#include "ops/op_key_set.h"
#include "ops/op_scan_plan.h"
#include "util/buf.h"
#include "util/mem_budget.h"

/* Deleted row positions of one data file, ascending, distinct. */
struct op_pos_deletes {
  struct ice_buf buf; /* int64_t positions */
  size_t n;
};

/* One key shape of equality deletes: the field ids and the keys deleted. */
struct op_eq_group {
  int32_t *ids; /* owned, in equality_ids order */
  size_t n_ids;
  struct op_key_set keys;
};

struct op_eq_deletes {
  struct op_eq_group *groups; /* owned */
  size_t n_groups;
  size_t *files; /* owned: the plan's delete indexes the groups were built from */
  size_t n_files;
};

void op_pos_deletes_init(struct op_pos_deletes *d, struct ice_mem_budget *budget);
void op_pos_deletes_reset(struct op_pos_deletes *d);
/* Loads the position deletes of task t (d is cleared first); files are read through
 * io. */
int op_pos_deletes_load(const struct io_fileio *io, const struct op_scan_plan *p,
                        const struct op_scan_task *t, struct op_pos_deletes *d,
                        struct ice_mem_budget *budget,
                        struct ice_error *err) ICE_NODISCARD;
static inline const int64_t *op_pos_deletes_items(const struct op_pos_deletes *d) {
  return (const int64_t *)(const void *)d->buf.data;
}

void op_eq_deletes_init(struct op_eq_deletes *d);
void op_eq_deletes_reset(struct op_eq_deletes *d);
/* Makes d hold the equality deletes of task t; kept as is when it already holds those
 * of the same delete files (consecutive data files usually share them). */
int op_eq_deletes_load(const struct io_fileio *io, const struct op_scan_plan *p,
                       const struct op_scan_task *t, struct op_eq_deletes *d,
                       struct ice_mem_budget *budget,
                       struct ice_error *err) ICE_NODISCARD;

#endif
