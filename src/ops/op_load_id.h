/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exactly-once loads (`load --load-id ID`): a load whose id is already in the summary
 * (icestream.load-id) of a snapshot in the main branch's history commits nothing. The
 * load checks before it writes anything; the guard below checks again on every commit
 * attempt made on a head the load did not start from, so two racing loads with one id
 * land once, and a retry after an unknown commit outcome never loads twice. Snapshots
 * removed by expiry no longer remember their ids.
 */
#ifndef ICE_OPS_OP_LOAD_ID_H
#define ICE_OPS_OP_LOAD_ID_H

#include <stdint.h>

#include "iceberg/ib_table_metadata.h"
#include "ops/op_change.h"

/* The snapshot on main (the current one, then its ancestors) whose summary holds
 * icestream.load-id = id; -1 when there is none. */
int64_t op_load_id_find(const struct ib_table_metadata *md, const char *id);

/* Wraps a load's change (NULL = an append) so that its re-validation also looks for
 * the load id on the new head. A conflict it reports for that reason sets `found`. */
struct op_load_id_guard {
  struct op_change change; /* what the commit gets */
  const struct op_change *inner;
  const char *load_id; /* borrowed */
  int64_t found;       /* the snapshot holding the id, -1 while none */
};

/* Fills g and returns &g->change. planned_snapshot_id: the head the load checked
 * before writing (-1: none). */
const struct op_change *op_load_id_guard_init(struct op_load_id_guard *g,
                                              const struct op_change *inner,
                                              const char *load_id,
                                              int64_t planned_snapshot_id);

#endif
