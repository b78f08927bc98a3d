/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY: the
 * spec's examples byte for byte, random round trips with 32/64-bit extremes, the
 * padding/garbage-width rules of the last block, and corrupt streams. */
#include <stdint.h>

#include "harness/ice_test.h"
#include "parquet/pq_encoding.h"
#include "util/alloc.h"
#include "util/buf.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static void test_spec_example_1(void) {
  /* 1,2,3,4,5: constant delta 1, width 0, no miniblock bytes. */
  const uint8_t expect[] = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00};
  int32_t v[5] = {1, 2, 3, 4, 5}, got[5];
  struct ice_error err;
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  CHECK_OK(pq_delta_encode_i32(v, 5, &b, &err), &err);
  CHECK(b.len == sizeof expect && memcmp(b.data, expect, sizeof expect) == 0);
  struct pq_delta_decoder d;
  CHECK_OK(pq_delta_decoder_init(&d, expect, sizeof expect, 32, &err), &err);
  CHECK_EQ_INT(pq_delta_decoder_total(&d), 5);
  CHECK_OK(pq_delta_decoder_next_i32(&d, got, 5, &err), &err);
  CHECK(memcmp(v, got, sizeof v) == 0);
  size_t consumed = 0;
  CHECK_OK(pq_delta_decoder_finish(&d, &consumed, &err), &err);
  CHECK_EQ_INT(consumed, sizeof expect);
  ice_buf_reset(&b);
}

static void test_spec_example_2(void) {
  /* 7,5,3,1,2,3,4,5: min delta -2, width 2, relative 0,0,0,3,3,3,3. */
  const uint8_t expect[] = {0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00, 0x00,
                            0xC0, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  int64_t v[8] = {7, 5, 3, 1, 2, 3, 4, 5}, got[8];
  struct ice_error err;
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  CHECK_OK(pq_delta_encode_i64(v, 8, &b, &err), &err);
  CHECK(b.len == sizeof expect && memcmp(b.data, expect, sizeof expect) == 0);
  struct pq_delta_decoder d;
  CHECK_OK(pq_delta_decoder_init(&d, expect, sizeof expect, 64, &err), &err);
  CHECK_OK(pq_delta_decoder_next_i64(&d, got, 3, &err), &err);
  CHECK_OK(pq_delta_decoder_next_i64(&d, got + 3, 5, &err), &err);
  CHECK(memcmp(v, got, sizeof v) == 0);
  CHECK_EQ_INT(pq_delta_decoder_next_i64(&d, got, 1, &err), ICE_ECORRUPT);
  ice_buf_reset(&b);
}

static void roundtrip_i64(const int64_t *v, size_t n) {
  struct ice_error err;
  struct ice_buf b;
  ice_buf_init(&b, 1u << 28);
  CHECK_OK(pq_delta_encode_i64(v, n, &b, &err), &err);
  int64_t *got = ice_malloc((n + 1) * sizeof *got);
  struct pq_delta_decoder d;
  CHECK_OK(pq_delta_decoder_init(&d, b.data, b.len, 64, &err), &err);
  CHECK_EQ_INT(pq_delta_decoder_total(&d), n);
  size_t at = 0;
  while (at < n) {
    size_t k = 1 + rnd() % 300;
    if (k > n - at) k = n - at;
    CHECK_OK(pq_delta_decoder_next_i64(&d, got + at, k, &err), &err);
    at += k;
  }
  CHECK(n == 0 || memcmp(v, got, n * sizeof *v) == 0);
  /* finish() lands exactly at the end of the encoded stream. */
  struct pq_delta_decoder d2;
  size_t consumed = 0;
  CHECK_OK(pq_delta_decoder_init(&d2, b.data, b.len, 64, &err), &err);
  CHECK_OK(pq_delta_decoder_finish(&d2, &consumed, &err), &err);
  CHECK_EQ_INT(consumed, b.len);
  ice_free(got);
  ice_buf_reset(&b);
}

static void roundtrip_i32(const int32_t *v, size_t n) {
  struct ice_error err;
  struct ice_buf b;
  ice_buf_init(&b, 1u << 28);
  CHECK_OK(pq_delta_encode_i32(v, n, &b, &err), &err);
  int32_t *got = ice_malloc((n + 1) * sizeof *got);
  struct pq_delta_decoder d;
  CHECK_OK(pq_delta_decoder_init(&d, b.data, b.len, 32, &err), &err);
  CHECK_OK(pq_delta_decoder_next_i32(&d, got, n, &err), &err);
  CHECK(n == 0 || memcmp(v, got, n * sizeof *v) == 0);
  ice_free(got);
  ice_buf_reset(&b);
}

static void test_roundtrip_random_and_extremes(void) {
  enum { N = 5000 };
  int64_t *v = ice_malloc(N * sizeof *v);
  int32_t *w = ice_malloc(N * sizeof *w);
  static const size_t sizes[] = {0, 1, 2, 31, 32, 33, 127, 128, 129, 130, 1000, N};
  for (int pattern = 0; pattern < 6; pattern++) {
    for (size_t i = 0; i < N; i++) {
      switch (pattern) {
        case 0: v[i] = (int64_t)rnd(); break;                        /* full range */
        case 1: v[i] = (int64_t)(i * 3); break;                      /* constant delta */
        case 2: v[i] = 42; break;                                    /* all same */
        case 3: v[i] = (i % 2) ? INT64_MAX : INT64_MIN; break;       /* max deltas */
        case 4: v[i] = (int64_t)(rnd() % 1000) - 500; break;         /* small */
        default: v[i] = (i % 3 == 0) ? INT64_MIN : (int64_t)(rnd() % 7); break;
      }
      w[i] = (int32_t)(uint32_t)(uint64_t)v[i];
      if (pattern == 3) w[i] = (i % 2) ? INT32_MAX : INT32_MIN;
    }
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
      roundtrip_i64(v, sizes[s]);
      roundtrip_i32(w, sizes[s]);
    }
  }
  ice_free(v);
  ice_free(w);
}

static void test_garbage_widths_in_last_block(void) {
  /* 3 values (2 deltas of +1): only miniblock 0 carries data; widths of the
   * unused miniblocks are garbage (200) and must be ignored. */
  const uint8_t s[] = {0x80, 0x01, 0x04, 0x03, 0x02, 0x02, 0x00, 0xC8, 0xC8, 0xC8};
  struct pq_delta_decoder d;
  struct ice_error err;
  int64_t got[3];
  CHECK_OK(pq_delta_decoder_init(&d, s, sizeof s, 64, &err), &err);
  CHECK_OK(pq_delta_decoder_next_i64(&d, got, 3, &err), &err);
  CHECK(got[0] == 1 && got[1] == 2 && got[2] == 3);
  /* DuckDB-style block of 2048 with 8 miniblocks works too. */
  const uint8_t duck[] = {0x80, 0x10, 0x08, 0x02, 0x00, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0};
  CHECK_OK(pq_delta_decoder_init(&d, duck, sizeof duck, 32, &err), &err);
  int32_t g32[2];
  CHECK_OK(pq_delta_decoder_next_i32(&d, g32, 2, &err), &err);
  CHECK(g32[0] == 0 && g32[1] == 1);
}

static void test_duckdb_uint32_first_value(void) {
  /* first_value fe ff ff ff 1f = zigzag(4294967295) as 64 bits: read as UINT_32 -1. */
  const uint8_t s[] = {0x80, 0x01, 0x04, 0x01, 0xFE, 0xFF, 0xFF, 0xFF, 0x1F};
  struct pq_delta_decoder d;
  struct ice_error err;
  int32_t got;
  CHECK_OK(pq_delta_decoder_init(&d, s, sizeof s, 32, &err), &err);
  CHECK_OK(pq_delta_decoder_next_i32(&d, &got, 1, &err), &err);
  CHECK_EQ_INT(got, -1);
}

static void test_delta_corrupt(void) {
  struct pq_delta_decoder d;
  struct ice_error err;
  int64_t got[40];
  int32_t g32[40];
  /* Truncated header. */
  const uint8_t t1[] = {0x80, 0x01, 0x04};
  CHECK_EQ_INT(pq_delta_decoder_init(&d, t1, sizeof t1, 64, &err), ICE_ECORRUPT);
  /* Miniblock count not dividing the block; values per miniblock not multiple of 8. */
  const uint8_t t2[] = {0x80, 0x01, 0x03, 0x01, 0x00};
  CHECK_EQ_INT(pq_delta_decoder_init(&d, t2, sizeof t2, 64, &err), ICE_ECORRUPT);
  const uint8_t t3[] = {0x80, 0x01, 0x20, 0x01, 0x00};
  CHECK_EQ_INT(pq_delta_decoder_init(&d, t3, sizeof t3, 64, &err), ICE_ECORRUPT);
  const uint8_t t4[] = {0x00, 0x01, 0x01, 0x00};
  CHECK_EQ_INT(pq_delta_decoder_init(&d, t4, sizeof t4, 64, &err), ICE_ECORRUPT);
  /* Width 33 for INT32, 65 for INT64. */
  const uint8_t t5[] = {0x80, 0x01, 0x04, 0x03, 0x00, 0x00, 0x21, 0, 0, 0};
  CHECK_OK(pq_delta_decoder_init(&d, t5, sizeof t5, 32, &err), &err);
  CHECK_EQ_INT(pq_delta_decoder_next_i32(&d, g32, 3, &err), ICE_ECORRUPT);
  const uint8_t t6[] = {0x80, 0x01, 0x04, 0x03, 0x00, 0x00, 0x41, 0, 0, 0};
  CHECK_OK(pq_delta_decoder_init(&d, t6, sizeof t6, 64, &err), &err);
  CHECK_EQ_INT(pq_delta_decoder_next_i64(&d, got, 3, &err), ICE_ECORRUPT);
  /* Miniblock of width 8 needs 32 bytes; only 3 present. */
  const uint8_t t7[] = {0x80, 0x01, 0x04, 0x03, 0x00, 0x00, 0x08, 0, 0, 0, 1, 2, 3};
  CHECK_OK(pq_delta_decoder_init(&d, t7, sizeof t7, 64, &err), &err);
  CHECK_EQ_INT(pq_delta_decoder_next_i64(&d, got, 3, &err), ICE_ECORRUPT);
  size_t consumed;
  CHECK_OK(pq_delta_decoder_init(&d, t7, sizeof t7, 64, &err), &err);
  CHECK_EQ_INT(pq_delta_decoder_finish(&d, &consumed, &err), ICE_ECORRUPT);
  /* Huge declared count with no blocks: asking for values fails, no allocation. */
  const uint8_t t8[] = {0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00};
  CHECK_OK(pq_delta_decoder_init(&d, t8, sizeof t8, 64, &err), &err);
  CHECK_EQ_INT(pq_delta_decoder_next_i64(&d, got, 40, &err), ICE_ECORRUPT);
  /* Zero values: valid, and finish reports the header size. */
  const uint8_t t9[] = {0x80, 0x01, 0x04, 0x00, 0x00};
  CHECK_OK(pq_delta_decoder_init(&d, t9, sizeof t9, 64, &err), &err);
  CHECK_EQ_INT(pq_delta_decoder_total(&d), 0);
  CHECK_OK(pq_delta_decoder_next_i64(&d, got, 0, &err), &err);
  CHECK_OK(pq_delta_decoder_finish(&d, &consumed, &err), &err);
  CHECK_EQ_INT(consumed, 5);
}

static struct pq_enc_bytes bs(const char *s) {
  struct pq_enc_bytes b = {(const uint8_t *)s, (uint32_t)strlen(s)};
  return b;
}

static void test_dlba_spec_example(void) {
  struct pq_enc_bytes in[4] = {bs("Hello"), bs("World"), bs("Foobar"), bs("ABCDEF")};
  struct ice_error err;
  struct ice_buf enc, vals;
  ice_buf_init(&enc, 1 << 20);
  ice_buf_init(&vals, 1 << 20);
  CHECK_OK(pq_dlba_encode(in, 4, &enc, &err), &err);
  const char *tail = "HelloWorldFoobarABCDEF";
  CHECK(enc.len > 22 && memcmp(enc.data + enc.len - 22, tail, 22) == 0);
  struct pq_dlba_decoder d;
  CHECK_OK(pq_dlba_decoder_init(&d, enc.data, enc.len, &err), &err);
  CHECK_EQ_INT(pq_dlba_decoder_total(&d), 4);
  int32_t off[5];
  CHECK_OK(pq_dlba_decoder_next(&d, 1, off, &vals, &err), &err);
  CHECK_OK(pq_dlba_decoder_next(&d, 3, off + 1, &vals, &err), &err);
  CHECK(off[0] == 0 && off[1] == 5 && off[2] == 10 && off[3] == 16 && off[4] == 22);
  CHECK(vals.len == 22 && memcmp(vals.data, tail, 22) == 0);
  /* Lengths that point past the bytes: cut the stream short. */
  CHECK_OK(pq_dlba_decoder_init(&d, enc.data, enc.len - 1, &err), &err);
  ice_buf_clear(&vals);
  CHECK_EQ_INT(pq_dlba_decoder_next(&d, 4, off, &vals, &err), ICE_ECORRUPT);
  ice_buf_reset(&enc);
  ice_buf_reset(&vals);
}

static void test_dba_spec_example(void) {
  struct pq_enc_bytes in[4] = {bs("axis"), bs("axle"), bs("babble"), bs("babyhood")};
  struct ice_error err;
  struct ice_buf enc, vals;
  ice_buf_init(&enc, 1 << 20);
  ice_buf_init(&vals, 1 << 20);
  CHECK_OK(pq_dba_encode(in, 4, &enc, &err), &err);
  /* Suffixes: axis le babble yhood */
  CHECK(enc.len > 17 && memcmp(enc.data + enc.len - 17, "axislebabbleyhood", 17) == 0);
  struct pq_dba_decoder d;
  CHECK_OK(pq_dba_decoder_init(&d, enc.data, enc.len, &err), &err);
  int32_t off[5];
  CHECK_OK(pq_dba_decoder_next(&d, 2, off, &vals, &err), &err);
  /* The caller may reuse its output between batches: state is kept inside. */
  ice_buf_clear(&vals);
  CHECK_OK(pq_dba_decoder_next(&d, 2, off + 2, &vals, &err), &err);
  CHECK(vals.len == 14 && memcmp(vals.data, "babblebabyhood", 14) == 0);
  CHECK(off[2] == 0 && off[3] == 6 && off[4] == 14);
  pq_dba_decoder_reset(&d);
  pq_dba_decoder_reset(&d);
  ice_buf_reset(&enc);
  ice_buf_reset(&vals);
}

static void test_dba_roundtrip_and_corrupt(void) {
  enum { N = 2000 };
  static char pool[N][40];
  struct pq_enc_bytes in[N];
  for (size_t i = 0; i < N; i++) {
    size_t len = i % 97 == 0 ? 0 : 1 + rnd() % 39; /* some empty strings */
    for (size_t k = 0; k < len; k++) pool[i][k] = (char)('a' + (k < 5 ? (i / 50) % 3 : rnd() % 26));
    in[i].ptr = (const uint8_t *)pool[i];
    in[i].len = (uint32_t)len;
  }
  struct ice_error err;
  struct ice_buf enc, vals;
  ice_buf_init(&enc, 1 << 24);
  ice_buf_init(&vals, 1 << 24);
  for (int kind = 0; kind < 2; kind++) {
    ice_buf_clear(&enc);
    ice_buf_clear(&vals);
    if (kind == 0) CHECK_OK(pq_dba_encode(in, N, &enc, &err), &err);
    else CHECK_OK(pq_dlba_encode(in, N, &enc, &err), &err);
    int32_t *off = ice_malloc((N + 1) * sizeof *off);
    struct pq_dba_decoder d;
    struct pq_dlba_decoder dl;
    size_t at = 0;
    if (kind == 0) CHECK_OK(pq_dba_decoder_init(&d, enc.data, enc.len, &err), &err);
    else CHECK_OK(pq_dlba_decoder_init(&dl, enc.data, enc.len, &err), &err);
    while (at < N) {
      size_t k = 1 + rnd() % 700;
      if (k > N - at) k = N - at;
      if (kind == 0) CHECK_OK(pq_dba_decoder_next(&d, k, off + at, &vals, &err), &err);
      else CHECK_OK(pq_dlba_decoder_next(&dl, k, off + at, &vals, &err), &err);
      at += k;
    }
    int ok = 1;
    for (size_t i = 0; i < N; i++) {
      if ((uint32_t)(off[i + 1] - off[i]) != in[i].len ||
          (in[i].len && memcmp(vals.data + off[i], in[i].ptr, in[i].len) != 0)) {
        ok = 0;
      }
    }
    CHECK(ok);
    if (kind == 0) pq_dba_decoder_reset(&d);
    ice_free(off);
  }
  /* FLBA: 16-byte values through the fixed entry points. */
  uint8_t fl[64 * 16], fl_got[64 * 16];
  for (size_t i = 0; i < sizeof fl; i++) fl[i] = (uint8_t)(i < 8 * 16 ? 7 : rnd());
  ice_buf_clear(&enc);
  CHECK_OK(pq_dba_encode_fixed(fl, 16, 64, &enc, &err), &err);
  struct pq_dba_decoder d;
  CHECK_OK(pq_dba_decoder_init(&d, enc.data, enc.len, &err), &err);
  CHECK_OK(pq_dba_decoder_next_fixed(&d, 10, 16, fl_got, &err), &err);
  CHECK_OK(pq_dba_decoder_next_fixed(&d, 54, 16, fl_got + 160, &err), &err);
  CHECK(memcmp(fl, fl_got, sizeof fl) == 0);
  pq_dba_decoder_reset(&d);
  /* Wrong width is corrupt. */
  CHECK_OK(pq_dba_decoder_init(&d, enc.data, enc.len, &err), &err);
  CHECK_EQ_INT(pq_dba_decoder_next_fixed(&d, 1, 12, fl_got, &err), ICE_ECORRUPT);
  pq_dba_decoder_reset(&d);

  /* Hand-made: prefix 3 on the first value (longer than the empty previous). */
  ice_buf_clear(&enc);
  int32_t pre[2] = {3, 0}, suf[2] = {1, 1};
  CHECK_OK(pq_delta_encode_i32(pre, 2, &enc, &err), &err);
  CHECK_OK(pq_delta_encode_i32(suf, 2, &enc, &err), &err);
  CHECK_OK(ice_buf_append(&enc, "ab", 2, &err), &err);
  CHECK_OK(pq_dba_decoder_init(&d, enc.data, enc.len, &err), &err);
  int32_t off2[3];
  ice_buf_clear(&vals);
  CHECK_EQ_INT(pq_dba_decoder_next(&d, 2, off2, &vals, &err), ICE_ECORRUPT);
  pq_dba_decoder_reset(&d);
  /* Negative suffix length. */
  ice_buf_clear(&enc);
  int32_t pre0[2] = {0, 0}, sufneg[2] = {1, -1};
  CHECK_OK(pq_delta_encode_i32(pre0, 2, &enc, &err), &err);
  CHECK_OK(pq_delta_encode_i32(sufneg, 2, &enc, &err), &err);
  CHECK_OK(ice_buf_append(&enc, "ab", 2, &err), &err);
  CHECK_OK(pq_dba_decoder_init(&d, enc.data, enc.len, &err), &err);
  CHECK_EQ_INT(pq_dba_decoder_next(&d, 2, off2, &vals, &err), ICE_ECORRUPT);
  pq_dba_decoder_reset(&d);
  /* Prefix and suffix counts that disagree. */
  ice_buf_clear(&enc);
  CHECK_OK(pq_delta_encode_i32(pre0, 2, &enc, &err), &err);
  CHECK_OK(pq_delta_encode_i32(suf, 1, &enc, &err), &err);
  CHECK_OK(ice_buf_append(&enc, "a", 1, &err), &err);
  CHECK_EQ_INT(pq_dba_decoder_init(&d, enc.data, enc.len, &err), ICE_ECORRUPT);
  pq_dba_decoder_reset(&d);
  /* The output cap is honoured: ICE_ELIMIT, not a crash. */
  ice_buf_clear(&enc);
  CHECK_OK(pq_dba_encode(in, N, &enc, &err), &err);
  struct ice_buf small;
  ice_buf_init(&small, 100);
  int32_t *off3 = ice_malloc((N + 1) * sizeof *off3);
  CHECK_OK(pq_dba_decoder_init(&d, enc.data, enc.len, &err), &err);
  CHECK_EQ_INT(pq_dba_decoder_next(&d, N, off3, &small, &err), ICE_ELIMIT);
  CHECK_EQ_INT(small.len, 0); /* no partial append */
  pq_dba_decoder_reset(&d);
  ice_free(off3);
  ice_buf_reset(&small);
  ice_buf_reset(&enc);
  ice_buf_reset(&vals);
}

/* Long values (100 KiB) with long shared prefixes, empty strings between. */
static void test_delta_bytes_long_values(void) {
  enum { N = 6, BIG = 100 * 1024 };
  uint8_t *a = ice_malloc(BIG), *b = ice_malloc(BIG);
  for (size_t i = 0; i < BIG; i++) a[i] = (uint8_t)rnd();
  memcpy(b, a, BIG);
  b[BIG - 1] ^= 0xff; /* shares BIG-1 bytes with a */
  struct pq_enc_bytes in[N] = {{a, BIG}, {b, BIG}, {a, 0}, {a, BIG}, {b, 10}, {a, BIG / 2}};
  struct ice_error err;
  struct ice_buf enc, vals;
  ice_buf_init(&enc, 1 << 24);
  ice_buf_init(&vals, 1 << 24);
  int32_t off[N + 1];
  for (int kind = 0; kind < 2; kind++) {
    ice_buf_clear(&enc);
    ice_buf_clear(&vals);
    if (kind == 0) {
      CHECK_OK(pq_dba_encode(in, N, &enc, &err), &err);
      /* Shared prefixes keep the encoding far below the raw size. */
      CHECK(enc.len < (size_t)BIG * 3);
      struct pq_dba_decoder d;
      CHECK_OK(pq_dba_decoder_init(&d, enc.data, enc.len, &err), &err);
      CHECK_OK(pq_dba_decoder_next(&d, N, off, &vals, &err), &err);
      pq_dba_decoder_reset(&d);
    } else {
      CHECK_OK(pq_dlba_encode(in, N, &enc, &err), &err);
      struct pq_dlba_decoder d;
      CHECK_OK(pq_dlba_decoder_init(&d, enc.data, enc.len, &err), &err);
      CHECK_OK(pq_dlba_decoder_next(&d, N, off, &vals, &err), &err);
    }
    int ok = 1;
    for (size_t i = 0; i < N; i++) {
      if ((uint32_t)(off[i + 1] - off[i]) != in[i].len ||
          (in[i].len && memcmp(vals.data + off[i], in[i].ptr, in[i].len) != 0)) {
        ok = 0;
      }
    }
    CHECK(ok);
  }
  ice_free(a);
  ice_free(b);
  ice_buf_reset(&enc);
  ice_buf_reset(&vals);
}

int main(void) {
  ICE_RUN(test_delta_bytes_long_values);
  ICE_RUN(test_spec_example_1);
  ICE_RUN(test_spec_example_2);
  ICE_RUN(test_roundtrip_random_and_extremes);
  ICE_RUN(test_garbage_widths_in_last_block);
  ICE_RUN(test_duckdb_uint32_first_value);
  ICE_RUN(test_delta_corrupt);
  ICE_RUN(test_dlba_spec_example);
  ICE_RUN(test_dba_spec_example);
  ICE_RUN(test_dba_roundtrip_and_corrupt);
  ICE_TEST_EXIT();
}
