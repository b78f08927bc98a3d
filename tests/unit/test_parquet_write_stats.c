/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writer statistics: the batch min/max for byte strings (pq_stats_update_byte_array,
 * pq_stats_update_fixed_bytes) against the one-value-at-a-time path, on random data
 * with shared prefixes, empty strings, equal first bytes, and signed decimals, fed
 * in batches of varying size so bounds carry over between batches.
 */
#include <string.h>

#include "harness/ice_test.h"
#include "parquet/pq_encoding.h"
#include "parquet/pq_stats.h"

static uint64_t rng_state = 0x243F6A8885A308D3ull;
static uint32_t rnd(void) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng_state >> 33);
}

static bool bounds_equal(const struct pq_stats *a, const struct pq_stats *b) {
  uint8_t sa[8], sb[8];
  const uint8_t *pa, *pb;
  size_t na, nb;
  bool ha = pq_stats_min_view(a, sa, &pa, &na), hb = pq_stats_min_view(b, sb, &pb, &nb);
  if (ha != hb) return false;
  if (ha && (na != nb || (na && memcmp(pa, pb, na) != 0))) return false;
  ha = pq_stats_max_view(a, sa, &pa, &na);
  hb = pq_stats_max_view(b, sb, &pb, &nb);
  if (ha != hb) return false;
  return !ha || (na == nb && (na == 0 || memcmp(pa, pb, na) == 0));
}

#define N_VALUES 4000
#define MAX_LEN 12

static void test_byte_array_batch_matches_single(void) {
  static uint8_t data[N_VALUES][MAX_LEN];
  static struct pq_enc_bytes v[N_VALUES];
  for (int round = 0; round < 20; round++) {
    /* Small alphabets make equal first bytes and prefixes common. */
    uint32_t alphabet = round % 4 == 3 ? 2 : 1 + (uint32_t)round % 4;
    for (size_t i = 0; i < N_VALUES; i++) {
      /* Empty strings only in even rounds: an empty min disables the first-byte skip. */
      /* Every fourth round all values are >= 8 bytes: bounds share 8-byte prefixes
       * with many values, so ties on the prefix must go to a full comparison. */
      uint32_t len = round % 4 == 3 ? 8 + rnd() % (MAX_LEN - 7)
                     : round % 2    ? 1 + rnd() % MAX_LEN
                                    : rnd() % (MAX_LEN + 1);
      for (uint32_t k = 0; k < len; k++) data[i][k] = (uint8_t)(0x7e + rnd() % alphabet);
      v[i].ptr = data[i];
      v[i].len = len;
    }
    struct ice_error err = {0};
    struct pq_stats one, batch;
    pq_stats_init(&one, PQ_SORT_BYTES);
    pq_stats_init(&batch, PQ_SORT_BYTES);
    size_t at = 0;
    while (at < N_VALUES) {
      size_t n = 1 + rnd() % 300;
      if (n > N_VALUES - at) n = N_VALUES - at;
      for (size_t k = at; k < at + n; k++) {
        CHECK_OK(pq_stats_update_bytes(&one, v[k].ptr, v[k].len, &err), &err);
      }
      CHECK_OK(pq_stats_update_byte_array(&batch, v + at, n, &err), &err);
      CHECK(bounds_equal(&one, &batch));
      at += n;
    }
    pq_stats_reset(&one);
    pq_stats_reset(&batch);
  }
}

static void test_fixed_decimal_batch_matches_single(void) {
  enum { W = 3 };
  static uint8_t data[N_VALUES * W];
  for (int round = 0; round < 10; round++) {
    for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)rnd();
    /* Same sign byte for a stretch so the unsigned tail decides. */
    for (size_t i = 0; i < N_VALUES / 2; i++) data[i * W] = (uint8_t)(round * 25);
    struct ice_error err = {0};
    struct pq_stats one, batch;
    pq_stats_init(&one, PQ_SORT_DECIMAL_BE);
    pq_stats_init(&batch, PQ_SORT_DECIMAL_BE);
    size_t at = 0;
    while (at < N_VALUES) {
      size_t n = 1 + rnd() % 500;
      if (n > N_VALUES - at) n = N_VALUES - at;
      for (size_t k = at; k < at + n; k++) {
        CHECK_OK(pq_stats_update_bytes(&one, data + k * W, W, &err), &err);
      }
      CHECK_OK(pq_stats_update_fixed_bytes(&batch, data + at * W, W, n, &err), &err);
      CHECK(bounds_equal(&one, &batch));
      at += n;
    }
    pq_stats_reset(&one);
    pq_stats_reset(&batch);
  }
}

static void test_empty_batch_and_no_order(void) {
  struct ice_error err = {0};
  struct pq_stats s;
  pq_stats_init(&s, PQ_SORT_BYTES);
  CHECK_OK(pq_stats_update_byte_array(&s, NULL, 0, &err), &err);
  CHECK(!s.has_minmax);
  struct pq_enc_bytes one = {(const uint8_t *)"", 0};
  CHECK_OK(pq_stats_update_byte_array(&s, &one, 1, &err), &err);
  CHECK(s.has_minmax);
  CHECK_EQ_INT(s.min_bytes.len, 0);
  CHECK_EQ_INT(s.max_bytes.len, 0);
  pq_stats_reset(&s);
  pq_stats_init(&s, PQ_SORT_NONE);
  CHECK_OK(pq_stats_update_byte_array(&s, &one, 1, &err), &err);
  CHECK(!s.has_minmax);
  pq_stats_reset(&s);
}

int main(void) {
  ICE_RUN(test_byte_array_batch_matches_single);
  ICE_RUN(test_fixed_decimal_batch_matches_single);
  ICE_RUN(test_empty_batch_and_no_order);
  ICE_TEST_EXIT();
}
