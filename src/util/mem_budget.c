/* SPDX-License-Identifier: Apache-2.0 */
/* Memory budget accounting (see mem_budget.h). */
#include "util/mem_budget.h"

#include <stddef.h>

void ice_mem_budget_init(struct ice_mem_budget *b, int64_t limit) {
  b->limit = limit;
  atomic_init(&b->used, 0);
  atomic_init(&b->peak, 0);
}

static double mib(int64_t n) {
  return (double)n / (1024.0 * 1024.0);
}

/* Raises peak to at least `now` (another thread may raise it further meanwhile). */
static void raise_peak(struct ice_mem_budget *b, int64_t now) {
  int64_t p = atomic_load_explicit(&b->peak, memory_order_relaxed);
  while (now > p && !atomic_compare_exchange_weak_explicit(
                        &b->peak, &p, now, memory_order_relaxed, memory_order_relaxed)) {
  }
}

int ice_mem_charge(struct ice_mem_budget *b, int64_t n, struct ice_error *err) {
  if (b == NULL || n <= 0) return ICE_OK;
  int64_t u = atomic_load_explicit(&b->used, memory_order_relaxed);
  do {
    if (n > b->limit - u) {
      ICE_FAIL(err, ICE_ELIMIT,
               "memory limit of %.1f MiB reached: %.2f MiB more needed, %.2f MiB held "
               "(raise --memory-limit)",
               mib(b->limit), mib(n), mib(u));
    }
  } while (!atomic_compare_exchange_weak_explicit(
      &b->used, &u, u + n, memory_order_relaxed, memory_order_relaxed));
  raise_peak(b, u + n);
  return ICE_OK;
}

void ice_mem_hold(struct ice_mem_budget *b, int64_t n) {
  if (b == NULL || n <= 0) return;
  int64_t now = atomic_fetch_add_explicit(&b->used, n, memory_order_relaxed) + n;
  raise_peak(b, now);
}

void ice_mem_release(struct ice_mem_budget *b, int64_t n) {
  if (b == NULL || n <= 0) return;
  /* Never below zero, as before: a double release must not open room that is not. */
  int64_t u = atomic_load_explicit(&b->used, memory_order_relaxed);
  while (!atomic_compare_exchange_weak_explicit(
      &b->used, &u, n > u ? 0 : u - n, memory_order_relaxed, memory_order_relaxed)) {
  }
}

int64_t ice_mem_available(const struct ice_mem_budget *b) {
  if (b == NULL) return INT64_MAX;
  int64_t u = atomic_load_explicit(&b->used, memory_order_relaxed);
  return u < b->limit ? b->limit - u : 0;
}

int64_t ice_mem_used(const struct ice_mem_budget *b) {
  return b == NULL ? 0 : atomic_load_explicit(&b->used, memory_order_relaxed);
}

int64_t ice_mem_peak(const struct ice_mem_budget *b) {
  return b == NULL ? 0 : atomic_load_explicit(&b->peak, memory_order_relaxed);
}
