/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the RLE / bit-packing hybrid: spec vectors, round trips over random and
 * edge-case data at every bit width, the run fast path, and corrupt streams. */
#include <stdint.h>

#include "harness/ice_test.h"
#include "parquet/pq_encoding.h"
#include "util/alloc.h"
#include "util/buf.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static void test_spec_bitpacked_example(void) {
  /* Spec 7.2: 0..7 at width 3 packs to 88 C6 FA; one group -> header 0x03. */
  const uint8_t stream[] = {0x03, 0x88, 0xC6, 0xFA};
  struct pq_rle_decoder d;
  struct ice_error err;
  uint32_t out[8];
  CHECK_OK(pq_rle_decoder_init(&d, stream, sizeof stream, 3, 8, &err), &err);
  CHECK_OK(pq_rle_decoder_next_batch(&d, out, 8, &err), &err);
  for (uint32_t i = 0; i < 8; i++) CHECK_EQ_INT(out[i], i);
  CHECK_EQ_INT(pq_rle_decoder_remaining(&d), 0);

  /* The encoder produces exactly those bytes for 0..7 (values differ: bit-packed). */
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  uint32_t in[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  CHECK_OK(pq_rle_encode(in, 8, 3, PQ_RLE_RAW, &b, &err), &err);
  CHECK_EQ_INT(b.len, 4);
  CHECK(b.len == 4 && memcmp(b.data, stream, 4) == 0);
  ice_buf_reset(&b);
}

static void test_rle_run_and_prefix(void) {
  /* Length-prefixed: 4 bytes LE length, then RLE run of 10 x value 1 at width 1. */
  const uint8_t stream[] = {0x02, 0x00, 0x00, 0x00, 0x14, 0x01, 0xEE};
  struct pq_rle_decoder d;
  struct ice_error err;
  size_t consumed = 0;
  CHECK_OK(pq_rle_decoder_init_prefixed(&d, stream, sizeof stream, 1, 10, &consumed, &err),
           &err);
  CHECK_EQ_INT(consumed, 6);
  uint16_t lv[10];
  CHECK_OK(pq_rle_decoder_next_batch_u16(&d, lv, 10, &err), &err);
  for (int i = 0; i < 10; i++) CHECK_EQ_INT(lv[i], 1);
  /* Asking for more than declared is an error. */
  CHECK_EQ_INT(pq_rle_decoder_next_batch_u16(&d, lv, 1, &err), ICE_ECORRUPT);

  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  uint16_t ones[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  CHECK_OK(pq_rle_encode_u16(ones, 10, 1, PQ_RLE_LENGTH_PREFIXED, &b, &err), &err);
  CHECK_EQ_INT(b.len, 6);
  CHECK(b.len == 6 && memcmp(b.data, stream, 6) == 0);
  ice_buf_reset(&b);
}

/* Fills v with a mix of long repeats and random stretches below 2^bw. */
static void fill_values(uint32_t *v, size_t n, uint32_t bw, int pattern) {
  uint64_t mask = bw >= 32 ? 0xffffffffu : ((uint64_t)1 << bw) - 1;
  size_t i = 0;
  while (i < n) {
    size_t len = 1 + rnd() % 40;
    int repeat = pattern == 1 ? 1 : pattern == 2 ? 0 : (int)(rnd() % 2);
    uint32_t val = (uint32_t)(rnd() & mask);
    for (size_t k = 0; k < len && i < n; k++, i++) {
      v[i] = repeat ? val : (uint32_t)(rnd() & mask);
    }
  }
}

static void roundtrip_one(uint32_t bw, size_t n, int pattern, int prefixed) {
  struct ice_error err;
  uint32_t *v = ice_malloc((n + 1) * sizeof *v);
  uint32_t *got = ice_malloc((n + 1) * sizeof *got);
  fill_values(v, n, bw, pattern);
  struct ice_buf b;
  ice_buf_init(&b, 1u << 28);
  enum pq_rle_form form = prefixed ? PQ_RLE_LENGTH_PREFIXED : PQ_RLE_RAW;
  CHECK_OK(pq_rle_encode(v, n, bw, form, &b, &err), &err);
  struct pq_rle_decoder d;
  if (prefixed) {
    size_t consumed = 0;
    CHECK_OK(pq_rle_decoder_init_prefixed(&d, b.data, b.len, bw, n, &consumed, &err), &err);
    CHECK_EQ_INT(consumed, b.len);
  } else {
    CHECK_OK(pq_rle_decoder_init(&d, b.data, b.len, bw, n, &err), &err);
  }
  /* Decode in odd-sized batches to exercise resumption mid-run. */
  size_t at = 0;
  while (at < n) {
    size_t k = 1 + rnd() % 37;
    if (k > n - at) k = n - at;
    CHECK_OK(pq_rle_decoder_next_batch(&d, got + at, k, &err), &err);
    at += k;
  }
  int same = memcmp(v, got, n * sizeof *v) == 0;
  CHECK(same);
  if (!same) fprintf(stderr, "  bw=%u n=%zu pattern=%d\n", bw, n, pattern);
  ice_buf_reset(&b);
  ice_free(v);
  ice_free(got);
}

static void test_roundtrip_all_widths(void) {
  static const size_t sizes[] = {0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 4099};
  for (uint32_t bw = 0; bw <= 32; bw++) {
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
      for (int pattern = 0; pattern < 3; pattern++) {
        roundtrip_one(bw, sizes[s], pattern, (int)(s % 2));
      }
    }
  }
}

static void test_narrow_outputs_and_runs(void) {
  struct ice_error err;
  enum { N = 3000 };
  uint16_t lv[N], got[N];
  for (size_t i = 0; i < N; i++) lv[i] = (uint16_t)((i / 50) % 2 ? 3 : rnd() % 4);
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  CHECK_OK(pq_rle_encode_u16(lv, N, 2, PQ_RLE_RAW, &b, &err), &err);
  struct pq_rle_decoder d;
  CHECK_OK(pq_rle_decoder_init(&d, b.data, b.len, 2, N, &err), &err);
  CHECK_OK(pq_rle_decoder_next_batch_u16(&d, got, N, &err), &err);
  CHECK(memcmp(lv, got, sizeof lv) == 0);

  /* The run API returns the same values, with RLE runs of 50 threes visible. */
  CHECK_OK(pq_rle_decoder_init(&d, b.data, b.len, 2, N, &err), &err);
  size_t at = 0, rle_values = 0;
  uint32_t scratch[64];
  int ok = 1;
  while (at < N && ok) {
    struct pq_rle_run run;
    CHECK_OK(pq_rle_decoder_next_run(&d, 64, scratch, &run, &err), &err);
    if (run.count == 0 || run.count > 64 || at + run.count > N) {
      ok = 0;
      break;
    }
    for (uint32_t k = 0; k < run.count; k++) {
      uint32_t v = run.is_rle ? run.value : scratch[k];
      if (v != lv[at + k]) ok = 0;
    }
    if (run.is_rle) rle_values += run.count;
    at += run.count;
  }
  CHECK(ok);
  CHECK_EQ_INT(at, N);
  CHECK(rle_values >= 1000);

  /* u8 output for RLE booleans. */
  uint8_t bools[N], bgot[N];
  for (size_t i = 0; i < N; i++) bools[i] = (uint8_t)(i % 7 == 0 || (i / 100) % 2);
  ice_buf_clear(&b);
  CHECK_OK(pq_rle_encode_u8(bools, N, 1, PQ_RLE_LENGTH_PREFIXED, &b, &err), &err);
  size_t consumed;
  CHECK_OK(pq_rle_decoder_init_prefixed(&d, b.data, b.len, 1, N, &consumed, &err), &err);
  CHECK_OK(pq_rle_decoder_skip(&d, 5, &err), &err);
  CHECK_OK(pq_rle_decoder_next_batch_u8(&d, bgot, N - 5, &err), &err);
  CHECK(memcmp(bools + 5, bgot, N - 5) == 0);
  /* u8 output refuses wide streams instead of truncating. */
  CHECK_OK(pq_rle_decoder_init(&d, b.data, b.len, 9, 1, &err), &err);
  CHECK_EQ_INT(pq_rle_decoder_next_batch_u8(&d, bgot, 1, &err), ICE_EINVAL);
  ice_buf_reset(&b);
}

static void test_bit_width_zero_has_header(void) {
  struct ice_error err;
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  uint32_t zeros[5] = {0};
  CHECK_OK(pq_rle_encode(zeros, 5, 0, PQ_RLE_RAW, &b, &err), &err);
  CHECK_EQ_INT(b.len, 1);
  CHECK(b.len >= 1 && b.data[0] == 0x0A); /* RLE run of 5, no value bytes */
  ice_buf_reset(&b);
}

static void test_dictionary_indices(void) {
  struct ice_error err;
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  uint32_t idx[100];
  for (uint32_t i = 0; i < 100; i++) idx[i] = (i * 7) % 13;
  CHECK_OK(pq_dict_indices_encode(idx, 100, 13, &b, &err), &err);
  CHECK(b.len > 0 && b.data[0] == 4);
  struct pq_rle_decoder d;
  uint32_t got[100];
  CHECK_OK(pq_rle_decoder_init_dict(&d, b.data, b.len, 100, 13, &err), &err);
  CHECK_OK(pq_rle_decoder_next_batch(&d, got, 100, &err), &err);
  CHECK(memcmp(idx, got, sizeof idx) == 0);
  /* Same stream against a smaller dictionary: out-of-range index. */
  CHECK_OK(pq_rle_decoder_init_dict(&d, b.data, b.len, 100, 12, &err), &err);
  CHECK_EQ_INT(pq_rle_decoder_next_batch(&d, got, 100, &err), ICE_ECORRUPT);
  /* Single-entry dictionary: width 0, still a run header. */
  ice_buf_clear(&b);
  uint32_t zero[3] = {0, 0, 0};
  CHECK_OK(pq_dict_indices_encode(zero, 3, 1, &b, &err), &err);
  CHECK_EQ_INT(b.len, 2);
  CHECK_OK(pq_rle_decoder_init_dict(&d, b.data, b.len, 3, 1, &err), &err);
  CHECK_OK(pq_rle_decoder_next_batch(&d, got, 3, &err), &err);
  CHECK(got[0] == 0 && got[2] == 0);
  /* An RLE run with an index outside the dictionary. */
  const uint8_t bad_rle[] = {0x02, 0x06, 0x03};
  CHECK_OK(pq_rle_decoder_init_dict(&d, bad_rle, sizeof bad_rle, 3, 3, &err), &err);
  CHECK_EQ_INT(pq_rle_decoder_next_batch(&d, got, 3, &err), ICE_ECORRUPT);
  ice_buf_reset(&b);
}

static void test_corrupt_streams(void) {
  struct ice_error err;
  struct pq_rle_decoder d;
  uint32_t out[64];
  /* Bit width 254 (bad_data files). */
  const uint8_t w254[] = {254, 0x02, 0x00};
  CHECK_EQ_INT(pq_rle_decoder_init_dict(&d, w254, sizeof w254, 1, 10, &err), ICE_ECORRUPT);
  CHECK_EQ_INT(pq_rle_decoder_init(&d, w254, sizeof w254, 33, 1, &err), ICE_ECORRUPT);
  /* RLE run longer than the remaining values. */
  const uint8_t long_run[] = {0x28, 0x01}; /* 20 x 1 */
  CHECK_OK(pq_rle_decoder_init(&d, long_run, sizeof long_run, 1, 10, &err), &err);
  CHECK_EQ_INT(pq_rle_decoder_next_batch(&d, out, 10, &err), ICE_ECORRUPT);
  /* Bit-packed run of 2 groups (16 values) when only 8 are expected: padding, as
   * DuckDB writes it; the 8 values decode and nothing more can be asked for. */
  const uint8_t bp_long[] = {0x05, 0xff, 0xff};
  CHECK_OK(pq_rle_decoder_init(&d, bp_long, sizeof bp_long, 1, 8, &err), &err);
  CHECK_OK(pq_rle_decoder_next_batch(&d, out, 8, &err), &err);
  CHECK(out[0] == 1 && out[7] == 1);
  CHECK_EQ_INT(pq_rle_decoder_next_batch(&d, out, 1, &err), ICE_ECORRUPT);
  /* ... but its bytes must all be there. */
  CHECK_OK(pq_rle_decoder_init(&d, bp_long, 2, 1, 8, &err), &err);
  CHECK_EQ_INT(pq_rle_decoder_next_batch(&d, out, 8, &err), ICE_ECORRUPT);
  /* Truncated bit-packed payload. */
  const uint8_t bp_trunc[] = {0x03, 0x88, 0xC6};
  CHECK_OK(pq_rle_decoder_init(&d, bp_trunc, sizeof bp_trunc, 3, 8, &err), &err);
  CHECK_EQ_INT(pq_rle_decoder_next_batch(&d, out, 8, &err), ICE_ECORRUPT);
  /* Stream ends before the values do. */
  const uint8_t short_stream[] = {0x04, 0x01};
  CHECK_OK(pq_rle_decoder_init(&d, short_stream, sizeof short_stream, 1, 5, &err), &err);
  CHECK_EQ_INT(pq_rle_decoder_next_batch(&d, out, 5, &err), ICE_ECORRUPT);
  /* Run value wider than the bit width. */
  const uint8_t wide[] = {0x04, 0x05};
  CHECK_OK(pq_rle_decoder_init(&d, wide, sizeof wide, 2, 2, &err), &err);
  CHECK_EQ_INT(pq_rle_decoder_next_batch(&d, out, 2, &err), ICE_ECORRUPT);
  /* Overlong varint header. */
  const uint8_t overlong[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  CHECK_OK(pq_rle_decoder_init(&d, overlong, sizeof overlong, 1, 5, &err), &err);
  CHECK_EQ_INT(pq_rle_decoder_next_batch(&d, out, 5, &err), ICE_ECORRUPT);
  /* Length prefix beyond the buffer. */
  const uint8_t pfx[] = {0x09, 0x00, 0x00, 0x00, 0x02, 0x01};
  size_t consumed;
  CHECK_EQ_INT(pq_rle_decoder_init_prefixed(&d, pfx, sizeof pfx, 1, 1, &consumed, &err),
               ICE_ECORRUPT);
  CHECK_EQ_INT(pq_rle_decoder_init_prefixed(&d, pfx, 3, 1, 1, &consumed, &err),
               ICE_ECORRUPT);
  /* Encoder refuses values wider than the bit width. */
  struct ice_buf b;
  ice_buf_init(&b, 1 << 10);
  uint32_t big[2] = {1, 8};
  CHECK_EQ_INT(pq_rle_encode(big, 2, 3, PQ_RLE_RAW, &b, &err), ICE_EINVAL);
  ice_buf_reset(&b);
}

static void test_legacy_bitpacked(void) {
  /* Spec 6: deprecated BIT_PACKED 0..7 at width 3 is 05 39 77 (MSB first). */
  const uint8_t data[] = {0x05, 0x39, 0x77};
  uint16_t out[8];
  size_t consumed = 0;
  struct ice_error err;
  CHECK_OK(pq_bitpacked_legacy_decode(data, 3, 3, 8, out, &consumed, &err), &err);
  CHECK_EQ_INT(consumed, 3);
  for (int i = 0; i < 8; i++) CHECK_EQ_INT(out[i], i);
  CHECK_EQ_INT(pq_bitpacked_legacy_decode(data, 2, 3, 8, out, &consumed, &err), ICE_ECORRUPT);
}

static void test_bit_width(void) {
  CHECK_EQ_INT(pq_bit_width(0), 0);
  CHECK_EQ_INT(pq_bit_width(1), 1);
  CHECK_EQ_INT(pq_bit_width(2), 2);
  CHECK_EQ_INT(pq_bit_width(3), 2);
  CHECK_EQ_INT(pq_bit_width(4), 3);
  CHECK_EQ_INT(pq_bit_width(UINT32_MAX), 32);
  CHECK_EQ_INT(pq_bit_width(UINT64_MAX), 64);
}

/* Run choice: 16 alternating values -> one bit-packed run of 2 groups; then a
 * repeat of 8 -> one RLE run; a repeat of 7 in the middle stays bit-packed. */
static void test_encoder_run_choice(void) {
  struct ice_error err;
  struct ice_buf b;
  ice_buf_init(&b, 1 << 10);
  uint32_t v[24];
  for (int i = 0; i < 16; i++) v[i] = (uint32_t)(i % 2);
  for (int i = 16; i < 24; i++) v[i] = 1;
  CHECK_OK(pq_rle_encode(v, 24, 1, PQ_RLE_RAW, &b, &err), &err);
  const uint8_t expect[] = {0x05, 0xAA, 0xAA, 0x10, 0x01};
  CHECK(b.len == sizeof expect && memcmp(b.data, expect, sizeof expect) == 0);
  ice_buf_clear(&b);
  uint32_t w[24];
  for (int i = 0; i < 24; i++) w[i] = (i >= 8 && i < 15) ? 3 : (uint32_t)(i % 4);
  w[15] = 0; /* the repeat of 3s is exactly 7 long */
  CHECK_OK(pq_rle_encode(w, 24, 2, PQ_RLE_RAW, &b, &err), &err);
  CHECK(b.len == 7 && b.data[0] == 0x07); /* 3 groups bit-packed, 6 payload bytes */
  ice_buf_reset(&b);
}

int main(void) {
  ICE_RUN(test_encoder_run_choice);
  ICE_RUN(test_spec_bitpacked_example);
  ICE_RUN(test_rle_run_and_prefix);
  ICE_RUN(test_roundtrip_all_widths);
  ICE_RUN(test_narrow_outputs_and_runs);
  ICE_RUN(test_bit_width_zero_has_header);
  ICE_RUN(test_dictionary_indices);
  ICE_RUN(test_corrupt_streams);
  ICE_RUN(test_legacy_bitpacked);
  ICE_RUN(test_bit_width);
  ICE_TEST_EXIT();
}
