/* SPDX-License-Identifier: Apache-2.0 */
/* When a load's work runs side by side: decoding a file's columns, writing a batch's
 * partitions. */
#ifndef ICE_OPS_OP_THREADS_H
#define ICE_OPS_OP_THREADS_H

#include <stdbool.h>

#include "util/mem_budget.h"

/* Work done side by side holds each task's transient buffers at once (pages being
 * decompressed or written, codec state): under a small budget, where a few hundred KiB
 * decide whether a load fits, it stays on one thread. */
#define OP_SIDE_BY_SIDE_MIN_BUDGET (32ll << 20)

static inline bool op_side_by_side(const struct ice_mem_budget *budget) {
  return budget == NULL || budget->limit >= OP_SIDE_BY_SIDE_MIN_BUDGET;
}

#endif
