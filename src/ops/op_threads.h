/* SPDX-License-Identifier: Apache-2.0 */
/* When a load's reads of Parquet files decode their columns side by side. */
#ifndef ICE_OPS_OP_THREADS_H
#define ICE_OPS_OP_THREADS_H

#include <stdbool.h>

#include "util/mem_budget.h"

/* Columns decoded side by side each hold their transient buffers at once (a page being
 * decompressed, its codec's state): under a small budget, where a few hundred KiB
 * decide whether a load fits, decoding stays on one thread. */
#define OP_PARALLEL_DECODE_MIN_BUDGET (32ll << 20)

static inline bool op_parallel_decode(const struct ice_mem_budget *budget) {
  return budget == NULL || budget->limit >= OP_PARALLEL_DECODE_MIN_BUDGET;
}

#endif
