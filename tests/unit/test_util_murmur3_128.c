/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MurmurHash3 x64-128: the published reference values (as other implementations, e.g.
 * Guava's tests, list them) for the empty input and short strings with their seeds,
 * and feeding in pieces of every split giving the one-shot value.
 */
#include <stdint.h>
#include <string.h>

#include "harness/ice_test.h"
#include "util/murmur3_128.h"

static void hash_of(const char *s, uint32_t seed, uint64_t *lo, uint64_t *hi) {
  struct ice_murmur128 m;
  ice_murmur128_init(&m, seed);
  ice_murmur128_update(&m, s, strlen(s));
  ice_murmur128_final(&m, lo, hi);
}

static void test_reference_values(void) {
  static const struct {
    const char *in;
    uint32_t seed;
    uint64_t lo, hi;
  } cases[] = {
      {"", 0, 0, 0},
      {"hell", 0, UINT64_C(0x629942693e10f867), UINT64_C(0x92db0b82baeb5347)},
      {"hello", 1, UINT64_C(0xa78ddff5adae8d10), UINT64_C(0x128900ef20900135)},
      {"hello ", 2, UINT64_C(0x8a486b23f422e826), UINT64_C(0xf962a2c58947765f)},
      {"hello w", 3, UINT64_C(0x2ea59f466f6bed8c), UINT64_C(0xc610990acc428a17)},
      {"hello wo", 4, UINT64_C(0x79f6305a386c572c), UINT64_C(0x46305aed3483b94e)},
      {"hello wor", 5, UINT64_C(0xc2219d213ec1f1b5), UINT64_C(0xa1d8e2e0a52785bd)},
      {"The quick brown fox jumps over the lazy dog", 0, UINT64_C(0xe34bbc7bbc071b6c),
       UINT64_C(0x7a433ca9c49a9347)},
      {"The quick brown fox jumps over the lazy cog", 0, UINT64_C(0x658ca970ff85269a),
       UINT64_C(0x43fee3eaa68e5c3e)},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint64_t lo, hi;
    hash_of(cases[i].in, cases[i].seed, &lo, &hi);
    if (lo != cases[i].lo || hi != cases[i].hi)
      fprintf(stderr, "  case '%s' seed %u: got %016llx %016llx\n", cases[i].in,
              cases[i].seed, (unsigned long long)lo, (unsigned long long)hi);
    CHECK(lo == cases[i].lo && hi == cases[i].hi);
  }
}

/* Every two-way and three-way split of a 40-byte input (so pieces straddle blocks). */
static void test_pieces_equal_one_shot(void) {
  const char *s = "0123456789abcdefghijklmnopqrstuvwxyzABCD";
  const size_t n = strlen(s);
  uint64_t lo, hi;
  hash_of(s, 7, &lo, &hi);
  int mismatches = 0;
  for (size_t i = 0; i <= n; i++) {
    for (size_t j = i; j <= n; j++) {
      struct ice_murmur128 m;
      ice_murmur128_init(&m, 7);
      ice_murmur128_update(&m, s, i);
      ice_murmur128_update(&m, s + i, j - i);
      ice_murmur128_update(&m, s + j, n - j);
      uint64_t l2, h2;
      ice_murmur128_final(&m, &l2, &h2);
      mismatches += l2 != lo || h2 != hi;
    }
  }
  CHECK_EQ_INT(mismatches, 0);
  /* final leaves the state as it was: more bytes may follow */
  struct ice_murmur128 m;
  ice_murmur128_init(&m, 7);
  ice_murmur128_update(&m, s, 10);
  uint64_t l3, h3;
  ice_murmur128_final(&m, &l3, &h3);
  ice_murmur128_update(&m, s + 10, n - 10);
  ice_murmur128_final(&m, &l3, &h3);
  CHECK(l3 == lo && h3 == hi);
}

int main(void) {
  ICE_RUN(test_reference_values);
  ICE_RUN(test_pieces_equal_one_shot);
  ICE_TEST_EXIT();
}
