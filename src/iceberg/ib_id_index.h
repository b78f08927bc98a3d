/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hash map from a 64-bit id to a position (open addressing, linear probing), so the
 * metadata builder finds snapshots in O(1) however long the history and however many
 * snapshot updates a list from the network carries.
 */
#ifndef ICE_ICEBERG_IB_ID_INDEX_H
#define ICE_ICEBERG_IB_ID_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct ib_id_index {
  int64_t *ids;
  size_t *pos; /* SIZE_MAX: empty slot */
  size_t cap;  /* a power of two, or 0 */
  size_t n;
};

void ib_id_index_init(struct ib_id_index *x);
void ib_id_index_reset(struct ib_id_index *x); /* idempotent; leaves it empty */
/* Maps id to pos (replacing an earlier pos). ICE_ENOMEM. */
int ib_id_index_put(struct ib_id_index *x, int64_t id, size_t pos,
                    struct ice_error *err) ICE_NODISCARD;
/* true and *pos when id is there. */
bool ib_id_index_get(const struct ib_id_index *x, int64_t id, size_t *pos);

#endif
