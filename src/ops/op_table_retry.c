/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The retry loop of metadata-only changes (op_table_retry.h).
 */
#include "ops/op_table_retry.h"

#include "ops/op_retry.h"

int op_table_commit_with_retries(struct op_table *t, op_table_attempt_fn attempt,
                                 void *ctx, struct ice_error *err) {
  struct op_retry_policy policy;
  ICE_TRY(op_retry_policy_from_props(&t->md.properties, &policy, err));
  uint64_t rng = op_retry_seed();
  int64_t started = op_now_ms();
  for (int number = 1;; number++) {
    int rc = attempt(t, ctx, err);
    if (rc != ICE_ECONFLICT) return rc;
    struct ice_error rerr;
    if (op_table_refresh(t, &rerr) != ICE_OK) {
      if (err != NULL) *err = rerr;
      return ice_error_prefix(err, "re-reading table after a conflicting commit");
    }
    if (number > policy.num_retries || op_now_ms() - started >= policy.total_timeout_ms)
      return ice_error_prefix(err, "commit failed after %d attempts", number);
    op_sleep_ms(op_retry_backoff_ms(&policy, number, &rng));
  }
}
