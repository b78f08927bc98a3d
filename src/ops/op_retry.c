/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Retry policy parsing and backoff. Jitter matters: two loaders that lose the same race
 * and wait the same time would collide again on every attempt.
 */
#include "ops/op_retry.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* An append's retry only rewrites a manifest list and a metadata file, so it is cheap
 * to retry often: many attempts bounded by time (Java's 30 minutes), waits that start
 * at 20 ms and stop growing at 2 s instead of Java's 4 retries up to 60 s, which made
 * 8 concurrent appenders fail one load in five. */
void op_retry_policy_default(struct op_retry_policy *p) {
  p->num_retries = 1000;
  p->min_wait_ms = 20;
  p->max_wait_ms = 2000;
  p->total_timeout_ms = 1800000;
}

static int parse_nonneg(const struct ib_str_map *props, const char *key, int64_t max,
                        int64_t *out, struct ice_error *err) {
  const char *v = ib_str_map_get(props, key);
  if (v == NULL) return ICE_OK;
  char *end = NULL;
  errno = 0;
  long long x = strtoll(v, &end, 10);
  if (v[0] == '\0' || *end != '\0' || errno != 0 || x < 0 || x > max)
    ICE_FAIL(err, ICE_EINVAL, "table property %s=%s: expected an integer in 0..%lld", key,
             v, (long long)max);
  *out = (int64_t)x;
  return ICE_OK;
}

int op_retry_policy_from_props(const struct ib_str_map *props, struct op_retry_policy *p,
                               struct ice_error *err) {
  struct op_retry_policy r;
  op_retry_policy_default(&r);
  if (props != NULL) {
    int64_t n = r.num_retries;
    /* More than 1000 retries is a typo, not a policy. */
    ICE_TRY(parse_nonneg(props, "commit.retry.num-retries", 1000, &n, err));
    r.num_retries = (int32_t)n;
    ICE_TRY(
        parse_nonneg(props, "commit.retry.min-wait-ms", INT32_MAX, &r.min_wait_ms, err));
    ICE_TRY(
        parse_nonneg(props, "commit.retry.max-wait-ms", INT32_MAX, &r.max_wait_ms, err));
    ICE_TRY(parse_nonneg(props, "commit.retry.total-timeout-ms", INT64_MAX / 2,
                         &r.total_timeout_ms, err));
  }
  if (r.min_wait_ms > r.max_wait_ms)
    ICE_FAIL(
        err, ICE_EINVAL,
        "table properties: commit.retry.min-wait-ms (%lld) exceeds max-wait-ms (%lld)",
        (long long)r.min_wait_ms, (long long)r.max_wait_ms);
  *p = r;
  return ICE_OK;
}

static uint64_t xorshift(uint64_t *s) {
  uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ull;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *s = x;
  return x;
}

int64_t op_retry_backoff_ms(const struct op_retry_policy *p, int retry, uint64_t *rng) {
  if (retry < 1) retry = 1;
  int64_t wait = p->min_wait_ms;
  for (int i = 1; i < retry && wait < p->max_wait_ms; i++) wait *= 2;
  if (wait > p->max_wait_ms) wait = p->max_wait_ms;
  if (wait <= 1) return wait;
  int64_t half = wait / 2;
  return half + (int64_t)(xorshift(rng) % (uint64_t)(wait - half + 1));
}

uint64_t op_retry_seed(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t s = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
               ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)&ts;
  return s ? s : 1;
}

void op_sleep_ms(int64_t ms) {
  if (ms <= 0) return;
  struct timespec req = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  struct timespec rem;
  while (nanosleep(&req, &rem) != 0 && errno == EINTR) req = rem;
}

int64_t op_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
