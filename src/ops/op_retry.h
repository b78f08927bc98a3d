/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Commit retry policy (table properties commit.retry.num-retries, min-wait-ms,
 * max-wait-ms, total-timeout-ms; our defaults 1000 / 20 / 2000 / 1800000, Java's
 * 4 / 100 / 60000 / 1800000: retries here are cheap and bounded by time) and the
 * exponential backoff with jitter used between attempts after a lost race.
 */
#ifndef ICE_OPS_OP_RETRY_H
#define ICE_OPS_OP_RETRY_H

#include <stdint.h>

#include "iceberg/ib_str_map.h"
#include "util/error.h"

struct op_retry_policy {
  int32_t num_retries; /* attempts = num_retries + 1 */
  int64_t min_wait_ms;
  int64_t max_wait_ms;
  int64_t total_timeout_ms;
};

/* The defaults above. */
void op_retry_policy_default(struct op_retry_policy *p);
/* Reads the commit.retry.* properties (missing ones keep their default); a value that
 * is not a non-negative integer, or min > max, is ICE_EINVAL naming the property. */
int op_retry_policy_from_props(const struct ib_str_map *props, struct op_retry_policy *p,
                               struct ice_error *err) ICE_NODISCARD;
/* Wait before retry number `retry` (1-based): min * 2^(retry-1) capped at max, then
 * "full jitter" in [wait/2, wait] so racing writers spread out. rng is a caller-held
 * xorshift state (any non-zero seed). */
int64_t op_retry_backoff_ms(const struct op_retry_policy *p, int retry, uint64_t *rng);
/* A seed mixed from time, pid and address entropy (never 0). */
uint64_t op_retry_seed(void);
/* Sleeps ms milliseconds (restarts on EINTR). */
void op_sleep_ms(int64_t ms);
/* Wall-clock milliseconds since the epoch. */
int64_t op_now_ms(void);

#endif
