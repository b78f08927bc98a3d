/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Commit retry policy: defaults, property parsing and rejection, and the backoff
 * (exponential, capped, jittered within [wait/2, wait]).
 */
#include "harness/ice_test.h"
#include "iceberg/ib_str_map.h"
#include "ops/op_retry.h"

static void test_defaults_and_props(void) {
  struct ice_error err;
  struct op_retry_policy p;
  CHECK_OK(op_retry_policy_from_props(NULL, &p, &err), &err);
  CHECK_EQ_INT(p.num_retries, 1000);
  CHECK_EQ_INT(p.min_wait_ms, 20);
  CHECK_EQ_INT(p.max_wait_ms, 2000);
  CHECK_EQ_INT(p.total_timeout_ms, 1800000);
  struct ib_str_map m;
  ib_str_map_init(&m);
  CHECK_OK(ib_str_map_set(&m, "commit.retry.num-retries", "9", &err), &err);
  CHECK_OK(ib_str_map_set(&m, "commit.retry.min-wait-ms", "5", &err), &err);
  CHECK_OK(ib_str_map_set(&m, "commit.retry.max-wait-ms", "40", &err), &err);
  CHECK_OK(op_retry_policy_from_props(&m, &p, &err), &err);
  CHECK_EQ_INT(p.num_retries, 9);
  CHECK_EQ_INT(p.min_wait_ms, 5);
  CHECK_EQ_INT(p.max_wait_ms, 40);
  CHECK_OK(ib_str_map_set(&m, "commit.retry.num-retries", "-1", &err), &err);
  CHECK_EQ_INT(op_retry_policy_from_props(&m, &p, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "commit.retry.num-retries") != NULL);
  CHECK_OK(ib_str_map_set(&m, "commit.retry.num-retries", "3x", &err), &err);
  CHECK_EQ_INT(op_retry_policy_from_props(&m, &p, &err), ICE_EINVAL);
  CHECK_OK(ib_str_map_set(&m, "commit.retry.num-retries", "3", &err), &err);
  CHECK_OK(ib_str_map_set(&m, "commit.retry.min-wait-ms", "100", &err), &err);
  CHECK_EQ_INT(op_retry_policy_from_props(&m, &p, &err), ICE_EINVAL); /* min > max */
  ib_str_map_reset(&m);
}

static void test_backoff(void) {
  struct op_retry_policy p = {4, 100, 1000, 100000};
  uint64_t rng = 12345;
  int64_t lo[6] = {50, 100, 200, 400, 500, 500}, hi[6] = {100, 200, 400, 800, 1000, 1000};
  for (int round = 0; round < 200; round++) {
    for (int r = 1; r <= 6; r++) {
      int64_t w = op_retry_backoff_ms(&p, r, &rng);
      CHECK(w >= lo[r - 1] && w <= hi[r - 1]);
    }
  }
  /* Jitter: two writers with different seeds do not wait in lockstep. */
  uint64_t a = 1, b = 2;
  int differ = 0;
  for (int i = 0; i < 20; i++) differ += op_retry_backoff_ms(&p, 3, &a) != op_retry_backoff_ms(&p, 3, &b);
  CHECK(differ > 10);
  CHECK(op_retry_seed() != 0);
  struct op_retry_policy zero = {4, 0, 0, 0};
  CHECK_EQ_INT(op_retry_backoff_ms(&zero, 3, &a), 0);
}

int main(void) {
  ICE_RUN(test_defaults_and_props);
  ICE_RUN(test_backoff);
  ICE_TEST_EXIT();
}
