/* SPDX-License-Identifier: Apache-2.0 */
/* Memory budget accounting (see mem_budget.h). */
#include "util/mem_budget.h"

#include <stddef.h>

void ice_mem_budget_init(struct ice_mem_budget *b, int64_t limit) {
  b->limit = limit;
  b->used = 0;
  b->peak = 0;
}

static double mib(int64_t n) {
  return (double)n / (1024.0 * 1024.0);
}

int ice_mem_charge(struct ice_mem_budget *b, int64_t n, struct ice_error *err) {
  if (b == NULL || n <= 0) return ICE_OK;
  if (n > b->limit - b->used) {
    ICE_FAIL(err, ICE_ELIMIT,
             "memory limit of %.1f MiB reached: %.2f MiB more needed, %.2f MiB held "
             "(raise --memory-limit)",
             mib(b->limit), mib(n), mib(b->used));
  }
  b->used += n;
  if (b->used > b->peak) b->peak = b->used;
  return ICE_OK;
}

void ice_mem_hold(struct ice_mem_budget *b, int64_t n) {
  if (b == NULL || n <= 0) return;
  b->used += n;
  if (b->used > b->peak) b->peak = b->used;
}

void ice_mem_release(struct ice_mem_budget *b, int64_t n) {
  if (b == NULL || n <= 0) return;
  b->used = n > b->used ? 0 : b->used - n;
}

int64_t ice_mem_available(const struct ice_mem_budget *b) {
  if (b == NULL) return INT64_MAX;
  return b->used < b->limit ? b->limit - b->used : 0;
}
