/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A Bloom filter over byte strings, its bits charged to a budget: "certainly absent"
 * for most keys a merge's probe meets (stored rows whose key is not incoming) at the
 * cost of a few cache lines, before the key index or a spill file is touched.
 */
#ifndef ICE_UTIL_BLOOM_H
#define ICE_UTIL_BLOOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/mem_budget.h"

struct ice_bloom {
  struct ice_buf bits;
  uint64_t mask; /* bit count - 1 (a power of two); 0 = no filter: everything may be in */
};

/* About 10 bits per expected key (1 % false positives with 4 probes), at most max_bytes.
 * expected <= 0, or a budget that cannot hold the bits, leaves the filter off: it then
 * answers "may contain" for every key. */
void ice_bloom_init(struct ice_bloom *b, int64_t expected, size_t max_bytes,
                    struct ice_mem_budget *budget);
void ice_bloom_reset(struct ice_bloom *b);
void ice_bloom_add(struct ice_bloom *b, const uint8_t *k, size_t len);
bool ice_bloom_may_contain(const struct ice_bloom *b, const uint8_t *k, size_t len);

#endif
