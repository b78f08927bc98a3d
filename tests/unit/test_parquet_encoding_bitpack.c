/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the internal bit pack/unpack kernels at every width: round trips through
 * exactly-sized heap buffers (so ASan catches any read past the packed bytes), the
 * spec's bit order, and agreement between the padded and unpadded paths. */
#include <stdint.h>

#include "harness/ice_test.h"
#include "parquet/pq_dec_unpack.h"
#include "parquet/pq_enc_pack.h"
#include "util/alloc.h"

static uint64_t rng_state = 0x1234567887654321ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static void test_pack_unpack32_all_widths(void) {
  enum { GROUPS = 37 };
  uint32_t in[GROUPS * 8], out[GROUPS * 8];
  for (uint32_t bw = 0; bw <= 32; bw++) {
    uint64_t mask = bw == 32 ? 0xffffffffu : ((uint64_t)1 << bw) - 1;
    for (size_t i = 0; i < GROUPS * 8; i++) in[i] = (uint32_t)(rnd() & mask);
    if (bw > 0) in[0] = (uint32_t)mask; /* extremes */
    size_t bytes = (size_t)GROUPS * bw;
    uint8_t *packed = ice_malloc(bytes ? bytes : 1);
    pq_pack32(in, bw, GROUPS, packed);
    /* Tight buffer: only the packed bytes are readable. */
    pq_unpack32(packed, bytes, bw, GROUPS, out);
    CHECK(memcmp(in, out, sizeof in) == 0);
    /* Partial group ranges decode the same values. */
    if (bw > 0) {
      pq_unpack32(packed + 5 * bw, bytes - 5 * bw, bw, 3, out);
      CHECK(memcmp(in + 40, out, 24 * sizeof *out) == 0);
    }
    ice_free(packed);
  }
}

static void test_pack_unpack64_all_widths(void) {
  enum { GROUPS = 21 };
  uint64_t in[GROUPS * 8], out[GROUPS * 8];
  for (uint32_t bw = 0; bw <= 64; bw++) {
    uint64_t mask = bw == 64 ? ~(uint64_t)0 : ((uint64_t)1 << bw) - 1;
    for (size_t i = 0; i < GROUPS * 8; i++) in[i] = rnd() & mask;
    if (bw > 0) in[7] = mask;
    size_t bytes = (size_t)GROUPS * bw;
    uint8_t *packed = ice_malloc(bytes ? bytes : 1);
    pq_pack64(in, bw, GROUPS, packed);
    pq_unpack64(packed, bytes, bw, GROUPS, out);
    int same = memcmp(in, out, sizeof in) == 0;
    CHECK(same);
    if (!same) fprintf(stderr, "  width %u\n", bw);
    /* Values below 2^32 pack identically through both kernels. */
    if (bw <= 32 && bw > 0) {
      uint32_t in32[GROUPS * 8];
      for (size_t i = 0; i < GROUPS * 8; i++) in32[i] = (uint32_t)in[i];
      uint8_t *p32 = ice_malloc(bytes);
      pq_pack32(in32, bw, GROUPS, p32);
      CHECK(memcmp(p32, packed, bytes) == 0);
      ice_free(p32);
    }
    ice_free(packed);
  }
}

static void test_spec_bit_order(void) {
  /* 0..7 at width 3 -> 88 C6 FA (LSB first). */
  uint32_t v[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  uint8_t p[3];
  pq_pack32(v, 3, 1, p);
  CHECK(p[0] == 0x88 && p[1] == 0xC6 && p[2] == 0xFA);
  uint64_t w[8];
  pq_unpack64(p, 3, 3, 1, w);
  for (int i = 0; i < 8; i++) CHECK_EQ_INT(w[i], i);
}

static void test_varints(void) {
  const uint8_t ok[] = {0xE5, 0x8E, 0x26};
  uint64_t v = 0;
  CHECK_EQ_INT(pq_read_uleb64(ok, ok + 3, &v), 3);
  CHECK_EQ_INT(v, 624485);
  CHECK_EQ_INT(pq_read_uleb64(ok, ok + 2, &v), 0); /* truncated */
  const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  CHECK_EQ_INT(pq_read_uleb64(max, max + 10, &v), 10);
  CHECK(v == UINT64_MAX);
  const uint8_t over[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  CHECK_EQ_INT(pq_read_uleb64(over, over + 10, &v), 0);
  CHECK(pq_zigzag_decode(pq_zigzag_encode(INT64_MIN)) == (uint64_t)INT64_MIN);
  CHECK(pq_zigzag_decode(pq_zigzag_encode(INT64_MAX)) == (uint64_t)INT64_MAX);
  CHECK_EQ_INT(pq_zigzag_encode(-1), 1);
  CHECK_EQ_INT(pq_zigzag_encode(1), 2);
}

int main(void) {
  ICE_RUN(test_pack_unpack32_all_widths);
  ICE_RUN(test_pack_unpack64_all_widths);
  ICE_RUN(test_spec_bit_order);
  ICE_RUN(test_varints);
  ICE_TEST_EXIT();
}
