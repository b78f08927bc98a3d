/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between pq_assemble*.c only. */
#ifndef ICE_PARQUET_PQ_ASSEMBLE_INTERNAL_H
#define ICE_PARQUET_PQ_ASSEMBLE_INTERNAL_H

#include "parquet/pq_assemble.h"

/* Fills a leaf array (already initialised with its buffer count) from dense values:
 * `valid` is the slot validity bitmap (NULL = all valid), n_slots its length. Takes or
 * frees buffers of b. */
int pq_assemble_leaf_values(const struct pq_node *leaf, struct pq_leaf_batch *b,
                            const uint8_t *valid, int64_t n_slots, struct ArrowArray *out,
                            struct ice_error *err) ICE_NODISCARD;

#endif
