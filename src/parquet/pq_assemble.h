/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Record assembly: turns the definition/repetition levels and dense values that each
 * leaf column contributed to a batch into Arrow arrays (struct validity, list/map
 * offsets and validity, leaf validity and values), as docs/internals/ARROW.md lays
 * them out.
 */
#ifndef ICE_PARQUET_PQ_ASSEMBLE_H
#define ICE_PARQUET_PQ_ASSEMBLE_H

#include <stdint.h>

#include "ice/ice_arrow.h"
#include "parquet/pq_column_reader.h"
#include "parquet/pq_schema.h"

/* Builds the "+s" batch array of `root` (a projected tree) holding `rows` rows from
 * batches[0 .. root->n_leaves). Buffers may be taken from the batches (they are left
 * empty). Errors: ICE_ECORRUPT when columns disagree on the structure, ICE_ELIMIT when
 * list offsets overflow int32, ICE_ENOMEM. On failure `out` is left released. */
int pq_assemble_batch(const struct pq_node *root, struct pq_leaf_batch *batches,
                      int64_t rows, struct ArrowArray *out, struct ice_error *err)
    ICE_NODISCARD;

#endif
