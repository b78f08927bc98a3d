/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One memory budget shared by everything a job buffers (a load: the reader's pages and
 * batches, the writer's pages, dictionaries and open row group). Buffers charge their
 * capacity as they grow and give it back when freed, so `used` is the memory held and
 * `peak` its high-water mark: deterministic for a given input, unlike RSS. A charge
 * that would pass the limit fails with ICE_ELIMIT instead of growing silently; the
 * parts that buffer read `limit` to size themselves so that they stay under it.
 *
 * Thread-safe: the writer's encoding workers charge one budget at once, so `used` and
 * `peak` are atomics (a charge is a compare-and-swap loop, so two charges never pass
 * the limit together). `limit` is set once by ice_mem_budget_init and only read.
 */
#ifndef ICE_UTIL_MEM_BUDGET_H
#define ICE_UTIL_MEM_BUDGET_H

#include <stdatomic.h>
#include <stdint.h>

#include "util/error.h"

struct ice_mem_budget {
  int64_t limit;        /* bytes; not changed after init */
  _Atomic int64_t used; /* bytes charged now */
  _Atomic int64_t peak; /* highest `used` so far */
};

void ice_mem_budget_init(struct ice_mem_budget *b, int64_t limit);
/* Charges n bytes; ICE_ELIMIT (message: the limit, what is held, what was asked) when
 * that would pass the limit. NULL budget: always fine. */
int ice_mem_charge(struct ice_mem_budget *b, int64_t n,
                   struct ice_error *err) ICE_NODISCARD;
/* Charges n bytes that are already held (no limit check: they exist either way). */
void ice_mem_hold(struct ice_mem_budget *b, int64_t n);
/* Gives back n bytes charged before. NULL budget: nothing. */
void ice_mem_release(struct ice_mem_budget *b, int64_t n);
/* Bytes still free under the limit (0 when none). */
int64_t ice_mem_available(const struct ice_mem_budget *b);
/* Bytes charged now, and the most ever charged (0 for a NULL budget). */
int64_t ice_mem_used(const struct ice_mem_budget *b);
int64_t ice_mem_peak(const struct ice_mem_budget *b);

#endif
