/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for PLAIN (all physical types), BYTE_STREAM_SPLIT, dictionary gathers and
 * the writer's dictionary builder: round trips, hand-made byte vectors, truncated
 * inputs and limits. */
#include <math.h>
#include <stdint.h>

#include "harness/ice_test.h"
#include "parquet/pq_dict_builder.h"
#include "parquet/pq_encoding.h"
#include "util/alloc.h"
#include "util/buf.h"

static uint64_t rng_state = 0x853c49e6748fea9bull;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static void test_plain_fixed(void) {
  struct ice_error err;
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  int64_t v[5] = {INT64_MIN, -1, 0, 1, INT64_MAX}, got[5];
  CHECK_OK(pq_plain_encode_fixed(v, 8, 5, &b, &err), &err);
  CHECK_EQ_INT(b.len, 40);
  CHECK(b.data[0] == 0 && b.data[7] == 0x80); /* little-endian INT64_MIN */
  size_t pos = 0;
  CHECK_OK(pq_plain_decode_fixed(b.data, b.len, &pos, 8, 2, got, &err), &err);
  CHECK_OK(pq_plain_decode_fixed(b.data, b.len, &pos, 8, 3, got + 2, &err), &err);
  CHECK_EQ_INT(pos, 40);
  CHECK(memcmp(v, got, sizeof v) == 0);
  CHECK_EQ_INT(pq_plain_decode_fixed(b.data, b.len, &pos, 8, 1, got, &err), ICE_ECORRUPT);
  /* INT96 (12 bytes) and FLBA(3). */
  uint8_t i96[24], i96got[24];
  for (int i = 0; i < 24; i++) i96[i] = (uint8_t)(i * 11);
  ice_buf_clear(&b);
  CHECK_OK(pq_plain_encode_fixed(i96, 12, 2, &b, &err), &err);
  pos = 0;
  CHECK_OK(pq_plain_decode_fixed(b.data, b.len, &pos, 12, 2, i96got, &err), &err);
  CHECK(memcmp(i96, i96got, 24) == 0);
  pos = 0;
  CHECK_EQ_INT(pq_plain_decode_fixed(b.data, 23, &pos, 12, 2, i96got, &err), ICE_ECORRUPT);
  pos = 0;
  CHECK_OK(pq_plain_decode_fixed(b.data, 24, &pos, 3, 8, i96got, &err), &err);
  /* Float/double bits survive, NaN and -0.0 included. */
  double d[3] = {-0.0, NAN, 1e308}, dgot[3];
  ice_buf_clear(&b);
  CHECK_OK(pq_plain_encode_fixed(d, 8, 3, &b, &err), &err);
  pos = 0;
  CHECK_OK(pq_plain_decode_fixed(b.data, b.len, &pos, 8, 3, dgot, &err), &err);
  CHECK(memcmp(d, dgot, sizeof d) == 0);
  /* Zero values from an empty section. */
  pos = 0;
  CHECK_OK(pq_plain_decode_fixed(NULL, 0, &pos, 4, 0, got, &err), &err);
  ice_buf_reset(&b);
}

static void test_plain_bool(void) {
  struct ice_error err;
  /* 10 values 1,0,1,1,0,0,0,1,1,0 -> 0x8D 0x01 (LSB first). */
  const uint8_t vals[10] = {1, 0, 1, 1, 0, 0, 0, 1, 1, 0};
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  CHECK_OK(pq_plain_encode_bool(vals, 10, &b, &err), &err);
  CHECK(b.len == 2 && b.data[0] == 0x8D && b.data[1] == 0x01);
  uint8_t got[10];
  uint64_t bp = 0;
  CHECK_OK(pq_plain_decode_bool(b.data, b.len, &bp, 3, got, &err), &err);
  CHECK_OK(pq_plain_decode_bool(b.data, b.len, &bp, 7, got + 3, &err), &err);
  CHECK(memcmp(vals, got, 10) == 0);
  /* 16 bits available, 10 used: 6 more fit, a 7th does not. */
  CHECK_EQ_INT(pq_plain_decode_bool(b.data, b.len, &bp, 6, got, &err), ICE_OK);
  CHECK_EQ_INT(pq_plain_decode_bool(b.data, b.len, &bp, 1, got, &err), ICE_ECORRUPT);
  /* Bitmap output at an odd offset preserves the surrounding bits. */
  uint8_t bits[4] = {0xFF, 0xFF, 0xFF, 0xFF};
  bp = 0;
  CHECK_OK(pq_plain_decode_bool_bits(b.data, b.len, &bp, 10, bits, 3, &err), &err);
  for (int i = 0; i < 32; i++) {
    int bit = (bits[i / 8] >> (i % 8)) & 1;
    int want = (i >= 3 && i < 13) ? vals[i - 3] : 1;
    CHECK_EQ_INT(bit, want);
  }
  /* Aligned fast path and encode from a bitmap at an offset. */
  uint8_t many[100], mgot[100];
  for (int i = 0; i < 100; i++) many[i] = (uint8_t)(rnd() & 1);
  ice_buf_clear(&b);
  CHECK_OK(pq_plain_encode_bool(many, 100, &b, &err), &err);
  uint8_t bm[16] = {0};
  bp = 0;
  CHECK_OK(pq_plain_decode_bool_bits(b.data, b.len, &bp, 100, bm, 0, &err), &err);
  struct ice_buf b2;
  ice_buf_init(&b2, 1 << 20);
  CHECK_OK(pq_plain_encode_bool_bits(bm, 0, 100, &b2, &err), &err);
  CHECK(b2.len == b.len && memcmp(b2.data, b.data, b.len) == 0);
  ice_buf_clear(&b2);
  CHECK_OK(pq_plain_encode_bool_bits(bm, 5, 90, &b2, &err), &err);
  bp = 0;
  CHECK_OK(pq_plain_decode_bool(b2.data, b2.len, &bp, 90, mgot, &err), &err);
  CHECK(memcmp(many + 5, mgot, 90) == 0);
  ice_buf_reset(&b2);
  ice_buf_reset(&b);
}

static void test_plain_byte_array(void) {
  struct ice_error err;
  const uint8_t enc[] = {3, 0, 0, 0, 'a', 'b', 'c', 0, 0, 0, 0, 2, 0, 0, 0, 'x', 'y'};
  int32_t off[4];
  struct ice_buf vals;
  ice_buf_init(&vals, 1 << 20);
  size_t pos = 0;
  CHECK_OK(pq_plain_decode_byte_array(enc, sizeof enc, &pos, 3, off, &vals, &err), &err);
  CHECK_EQ_INT(pos, sizeof enc);
  CHECK(off[0] == 0 && off[1] == 3 && off[2] == 3 && off[3] == 5);
  CHECK(vals.len == 5 && memcmp(vals.data, "abcxy", 5) == 0);
  /* Re-encode gives the same bytes. */
  struct pq_enc_bytes in[3] = {{vals.data, 3}, {vals.data, 0}, {vals.data + 3, 2}};
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  CHECK_OK(pq_plain_encode_byte_array(in, 3, &b, &err), &err);
  CHECK(b.len == sizeof enc && memcmp(b.data, enc, sizeof enc) == 0);
  /* Truncated length, length past the end, and the output cap. */
  pos = 0;
  CHECK_EQ_INT(pq_plain_decode_byte_array(enc, 2, &pos, 1, off, &vals, &err), ICE_ECORRUPT);
  pos = 0;
  CHECK_EQ_INT(pq_plain_decode_byte_array(enc, 6, &pos, 1, off, &vals, &err), ICE_ECORRUPT);
  const uint8_t huge[] = {0xff, 0xff, 0xff, 0x7f, 'a'};
  pos = 0;
  CHECK_EQ_INT(pq_plain_decode_byte_array(huge, sizeof huge, &pos, 1, off, &vals, &err),
               ICE_ECORRUPT);
  struct ice_buf tiny;
  ice_buf_init(&tiny, 2);
  pos = 0;
  CHECK_EQ_INT(pq_plain_decode_byte_array(enc, sizeof enc, &pos, 3, off, &tiny, &err),
               ICE_ELIMIT);
  CHECK_EQ_INT(pos, 0); /* out-params untouched on failure */
  /* A long string (1 MiB) round trips. */
  size_t big = 1 << 20;
  uint8_t *s = ice_malloc(big);
  for (size_t i = 0; i < big; i++) s[i] = (uint8_t)rnd();
  struct pq_enc_bytes one = {s, (uint32_t)big};
  ice_buf_reset(&b);
  ice_buf_init(&b, 1 << 22);
  ice_buf_reset(&vals);
  ice_buf_init(&vals, 1 << 22);
  CHECK_OK(pq_plain_encode_byte_array(&one, 1, &b, &err), &err);
  pos = 0;
  CHECK_OK(pq_plain_decode_byte_array(b.data, b.len, &pos, 1, off, &vals, &err), &err);
  CHECK(vals.len == big && memcmp(vals.data, s, big) == 0);
  ice_free(s);
  ice_buf_reset(&tiny);
  ice_buf_reset(&b);
  ice_buf_reset(&vals);
}

static void test_bss(void) {
  struct ice_error err;
  /* Two floats 1.0f (00 00 80 3F) and 2.0f (00 00 00 40). */
  const float f[2] = {1.0f, 2.0f};
  const uint8_t expect[8] = {0, 0, 0, 0, 0x80, 0, 0x3F, 0x40};
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  CHECK_OK(pq_bss_encode(f, 4, 2, &b, &err), &err);
  CHECK(b.len == 8 && memcmp(b.data, expect, 8) == 0);
  float fg[2];
  CHECK_OK(pq_bss_decode(expect, 8, 4, 2, 0, 2, fg, &err), &err);
  CHECK(fg[0] == 1.0f && fg[1] == 2.0f);
  CHECK_EQ_INT(pq_bss_decode(expect, 7, 4, 2, 0, 2, fg, &err), ICE_ECORRUPT);
  CHECK_EQ_INT(pq_bss_decode(expect, 8, 4, 2, 1, 2, fg, &err), ICE_ECORRUPT);
  /* Widths 2, 8, 16 and 5 with a partial window. */
  static const size_t widths[] = {2, 4, 8, 16, 5};
  for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
    size_t width = widths[w], n = 333;
    uint8_t *v = ice_malloc(width * n), *g = ice_malloc(width * n);
    for (size_t i = 0; i < width * n; i++) v[i] = (uint8_t)rnd();
    ice_buf_clear(&b);
    CHECK_OK(pq_bss_encode(v, width, n, &b, &err), &err);
    CHECK_OK(pq_bss_decode(b.data, b.len, width, n, 0, 100, g, &err), &err);
    CHECK_OK(pq_bss_decode(b.data, b.len, width, n, 100, n - 100, g + 100 * width, &err),
             &err);
    CHECK(memcmp(v, g, width * n) == 0);
    ice_free(v);
    ice_free(g);
  }
  ice_buf_reset(&b);
}

static void test_dict_gather(void) {
  struct ice_error err;
  const int32_t dict[3] = {10, 20, 30};
  const uint32_t idx[5] = {2, 0, 1, 1, 2};
  int32_t out[5];
  CHECK_OK(pq_dict_gather_fixed((const uint8_t *)dict, 4, 3, idx, 5, out, &err), &err);
  CHECK(out[0] == 30 && out[1] == 10 && out[2] == 20 && out[4] == 30);
  CHECK_EQ_INT(pq_dict_gather_fixed((const uint8_t *)dict, 4, 2, idx, 5, out, &err),
               ICE_ECORRUPT);
  const uint8_t dict12[36] = {1, [12] = 2, [24] = 3};
  uint8_t out12[60];
  CHECK_OK(pq_dict_gather_fixed(dict12, 12, 3, idx, 5, out12, &err), &err);
  CHECK(out12[0] == 3 && out12[12] == 1 && out12[24] == 2);
  const int32_t doff[4] = {0, 2, 2, 5};
  const uint8_t ddata[] = "hiabc";
  int32_t off[6];
  struct ice_buf vals;
  ice_buf_init(&vals, 1 << 20);
  CHECK_OK(ice_buf_append(&vals, "zz", 2, &err), &err); /* appends after existing data */
  CHECK_OK(pq_dict_gather_byte_array(doff, ddata, 3, idx, 5, off, &vals, &err), &err);
  CHECK(off[0] == 2 && off[1] == 5 && off[2] == 7 && off[3] == 7 && off[5] == 10);
  CHECK(vals.len == 10 && memcmp(vals.data, "zzabchiabc", 10) == 0);
  ice_buf_reset(&vals);
}

static void test_dict_builder_fixed(void) {
  struct ice_error err;
  struct pq_dict_builder *db;
  CHECK_OK(pq_dict_builder_new(8, &db, &err), &err);
  enum { N = 20000 };
  int64_t *v = ice_malloc(N * sizeof *v);
  uint32_t *idx = ice_malloc(N * sizeof *idx);
  for (size_t i = 0; i < N; i++) v[i] = (int64_t)(rnd() % 3000) - 1500;
  v[0] = INT64_MIN;
  v[1] = INT64_MAX;
  CHECK_OK(pq_dict_builder_put_fixed(db, v, N, idx, &err), &err);
  uint32_t count = pq_dict_builder_count(db);
  CHECK(count > 2000 && count <= 3002);
  CHECK_EQ_INT(pq_dict_builder_encoded_size(db), (uint64_t)count * 8);
  CHECK_EQ_INT(pq_dict_builder_index_bit_width(db), pq_bit_width(count - 1));
  /* Dictionary page + indices decode back to the input. */
  struct ice_buf page, ind;
  ice_buf_init(&page, 1 << 24);
  ice_buf_init(&ind, 1 << 24);
  CHECK_OK(pq_dict_builder_write_page(db, &page, &err), &err);
  CHECK_OK(pq_dict_indices_encode(idx, N, count, &ind, &err), &err);
  struct pq_rle_decoder d;
  uint32_t *idx2 = ice_malloc(N * sizeof *idx2);
  int64_t *back = ice_malloc(N * sizeof *back);
  CHECK_OK(pq_rle_decoder_init_dict(&d, ind.data, ind.len, N, count, &err), &err);
  CHECK_OK(pq_rle_decoder_next_batch(&d, idx2, N, &err), &err);
  CHECK_OK(pq_dict_gather_fixed(page.data, 8, count, idx2, N, back, &err), &err);
  CHECK(memcmp(v, back, N * sizeof *v) == 0);
  /* -0.0 and 0.0 (and two NaN payloads) are distinct entries. */
  struct pq_dict_builder *fd;
  CHECK_OK(pq_dict_builder_new(8, &fd, &err), &err);
  double dv[4] = {0.0, -0.0, NAN, 0.0};
  uint32_t di[4];
  CHECK_OK(pq_dict_builder_put_fixed(fd, dv, 4, di, &err), &err);
  CHECK(di[0] == 0 && di[1] == 1 && di[2] == 2 && di[3] == 0);
  pq_dict_builder_clear(fd);
  CHECK_EQ_INT(pq_dict_builder_count(fd), 0);
  CHECK_OK(pq_dict_builder_put_fixed(fd, dv + 2, 1, di, &err), &err);
  CHECK_EQ_INT(di[0], 0);
  /* Wrong kind of put. */
  struct pq_enc_bytes x = {(const uint8_t *)"a", 1};
  CHECK_EQ_INT(pq_dict_builder_put_bytes(fd, &x, 1, di, &err), ICE_EINVAL);
  pq_dict_builder_free(fd);
  pq_dict_builder_free(NULL);
  ice_free(v);
  ice_free(idx);
  ice_free(idx2);
  ice_free(back);
  ice_buf_reset(&page);
  ice_buf_reset(&ind);
  pq_dict_builder_free(db);
}

static void test_dict_builder_bytes(void) {
  struct ice_error err;
  struct pq_dict_builder *db;
  CHECK_OK(pq_dict_builder_new(0, &db, &err), &err);
  enum { N = 5000 };
  static char text[N][24];
  struct pq_enc_bytes *in = ice_malloc(N * sizeof *in);
  uint32_t *idx = ice_malloc(N * sizeof *idx);
  for (size_t i = 0; i < N; i++) {
    int len = snprintf(text[i], sizeof text[i], "key-%u", (unsigned)(rnd() % 700));
    in[i].ptr = (const uint8_t *)text[i];
    in[i].len = i % 101 == 0 ? 0 : (uint32_t)len; /* some empty strings */
  }
  CHECK_OK(pq_dict_builder_put_bytes(db, in, N, idx, &err), &err);
  uint32_t count = pq_dict_builder_count(db);
  uint64_t expect_size = 0;
  for (uint32_t i = 0; i < count; i++) expect_size += 4 + pq_dict_builder_entry(db, i).len;
  CHECK_EQ_INT(pq_dict_builder_encoded_size(db), expect_size);
  struct ice_buf page, vals;
  ice_buf_init(&page, 1 << 24);
  ice_buf_init(&vals, 1 << 24);
  CHECK_OK(pq_dict_builder_write_page(db, &page, &err), &err);
  CHECK_EQ_INT(page.len, expect_size);
  /* Decode the page as PLAIN, gather, compare. */
  int32_t *doff = ice_malloc((count + 1) * sizeof *doff);
  size_t pos = 0;
  CHECK_OK(pq_plain_decode_byte_array(page.data, page.len, &pos, count, doff, &vals, &err),
           &err);
  struct ice_buf out;
  ice_buf_init(&out, 1 << 24);
  int32_t *off = ice_malloc((N + 1) * sizeof *off);
  CHECK_OK(pq_dict_gather_byte_array(doff, vals.data, count, idx, N, off, &out, &err), &err);
  int ok = 1;
  for (size_t i = 0; i < N; i++) {
    if ((uint32_t)(off[i + 1] - off[i]) != in[i].len ||
        (in[i].len && memcmp(out.data + off[i], in[i].ptr, in[i].len) != 0)) {
      ok = 0;
    }
  }
  CHECK(ok);
  ice_free(doff);
  ice_free(off);
  ice_free(in);
  ice_free(idx);
  ice_buf_reset(&page);
  ice_buf_reset(&vals);
  ice_buf_reset(&out);
  pq_dict_builder_free(db);
}

static void test_dict_builder_alloc_failure(void) {
  struct ice_error err;
  struct pq_dict_builder *db = NULL;
  ice_alloc_fail_after(1);
  CHECK_EQ_INT(pq_dict_builder_new(4, &db, &err), ICE_ENOMEM);
  ice_alloc_fail_after(2);
  CHECK_EQ_INT(pq_dict_builder_new(4, &db, &err), ICE_ENOMEM);
  ice_alloc_fail_after(0);
  CHECK_OK(pq_dict_builder_new(4, &db, &err), &err);
  int32_t v[3000];
  uint32_t idx[3000];
  for (int i = 0; i < 3000; i++) v[i] = i;
  ice_alloc_fail_after(3);
  int rc = pq_dict_builder_put_fixed(db, v, 3000, idx, &err);
  CHECK_EQ_INT(rc, ICE_ENOMEM);
  /* Keep failing every slot growth: puts fail cleanly, the table never fills up. */
  for (int k = 0; k < 8; k++) {
    ice_alloc_fail_after(1);
    rc = pq_dict_builder_put_fixed(db, v, 3000, idx, &err);
    CHECK(rc == ICE_ENOMEM || rc == ICE_OK);
  }
  ice_alloc_fail_after(0);
  CHECK_OK(pq_dict_builder_put_fixed(db, v, 3000, idx, &err), &err);
  CHECK_EQ_INT(pq_dict_builder_count(db), 3000);
  CHECK(idx[2999] == 2999);
  pq_dict_builder_free(db);
}

/* Zero values into a fresh (unallocated) buffer: nothing written, no error. */
static void test_empty_encodes(void) {
  struct ice_error err;
  struct ice_buf b;
  ice_buf_init(&b, 1 << 10);
  CHECK_OK(pq_plain_encode_fixed(NULL, 8, 0, &b, &err), &err);
  CHECK_OK(pq_plain_encode_bool(NULL, 0, &b, &err), &err);
  CHECK_OK(pq_plain_encode_bool_bits(NULL, 0, 0, &b, &err), &err);
  CHECK_OK(pq_plain_encode_byte_array(NULL, 0, &b, &err), &err);
  CHECK_OK(pq_bss_encode(NULL, 4, 0, &b, &err), &err);
  CHECK_EQ_INT(b.len, 0);
  CHECK_OK(pq_delta_encode_i64(NULL, 0, &b, &err), &err);
  CHECK_EQ_INT(b.len, 5); /* header only: 128, 4, 0 values, first 0 */
  ice_buf_reset(&b);
}

/* The fused decode equals next_batch + gather, batch by batch, on mixed runs. */
static void test_dict_decode_fused(void) {
  struct ice_error err;
  enum { N = 5000, DN = 300 };
  static uint32_t idx[N];
  for (size_t i = 0; i < N; i++) idx[i] = (i / 40) % 3 == 0 ? 7 : (uint32_t)(rnd() % DN);
  struct ice_buf ind;
  ice_buf_init(&ind, 1 << 20);
  CHECK_OK(pq_dict_indices_encode(idx, N, DN, &ind, &err), &err);
  /* Fixed width 8. */
  static int64_t dict[DN], want[N], got[N];
  for (size_t i = 0; i < DN; i++) dict[i] = (int64_t)rnd();
  for (size_t i = 0; i < N; i++) want[i] = dict[idx[i]];
  struct pq_rle_decoder d;
  CHECK_OK(pq_rle_decoder_init_dict(&d, ind.data, ind.len, N, DN, &err), &err);
  size_t at = 0;
  while (at < N) {
    size_t k = 1 + rnd() % 900;
    if (k > N - at) k = N - at;
    CHECK_OK(pq_dict_decode_fixed(&d, (const uint8_t *)dict, 8, DN, k, got + at, &err), &err);
    at += k;
  }
  CHECK(memcmp(want, got, sizeof want) == 0);
  CHECK_EQ_INT(pq_dict_decode_fixed(&d, (const uint8_t *)dict, 8, DN, 1, got, &err),
               ICE_ECORRUPT);
  /* A dictionary smaller than the indices: the RLE run of 7s is out of range. */
  CHECK_OK(pq_rle_decoder_init(&d, ind.data + 1, ind.len - 1, ind.data[0], N, &err), &err);
  CHECK_EQ_INT(pq_dict_decode_fixed(&d, (const uint8_t *)dict, 8, 5, N, got, &err),
               ICE_ECORRUPT);
  /* Byte arrays: dictionary of "s<i>" strings (some empty). */
  struct ice_buf dd, vals;
  ice_buf_init(&dd, 1 << 20);
  ice_buf_init(&vals, 1 << 24);
  static int32_t doff[DN + 1], off[N + 1];
  doff[0] = 0;
  for (size_t i = 0; i < DN; i++) {
    char t[16];
    int l = i % 50 == 0 ? 0 : snprintf(t, sizeof t, "s%zu", i * 7919);
    CHECK_OK(ice_buf_append(&dd, t, (size_t)l, &err), &err);
    doff[i + 1] = (int32_t)dd.len;
  }
  CHECK_OK(ice_buf_append(&vals, "xy", 2, &err), &err); /* existing data is kept */
  CHECK_OK(pq_rle_decoder_init_dict(&d, ind.data, ind.len, N, DN, &err), &err);
  at = 0;
  while (at < N) {
    size_t k = 1 + rnd() % 700;
    if (k > N - at) k = N - at;
    CHECK_OK(pq_dict_decode_byte_array(&d, doff, dd.data, DN, k, off + at, &vals, &err), &err);
    at += k;
  }
  int ok = off[0] == 2;
  for (size_t i = 0; i < N && ok; i++) {
    uint32_t e = idx[i];
    int32_t l = doff[e + 1] - doff[e];
    if (off[i + 1] - off[i] != l ||
        (l && memcmp(vals.data + off[i], dd.data + doff[e], (size_t)l) != 0)) {
      ok = 0;
    }
  }
  CHECK(ok);
  CHECK_EQ_INT(off[N], vals.len);
  ice_buf_reset(&dd);
  ice_buf_reset(&vals);
  ice_buf_reset(&ind);
}

int main(void) {
  ICE_RUN(test_dict_decode_fused);
  ICE_RUN(test_empty_encodes);
  ICE_RUN(test_plain_fixed);
  ICE_RUN(test_plain_bool);
  ICE_RUN(test_plain_byte_array);
  ICE_RUN(test_bss);
  ICE_RUN(test_dict_gather);
  ICE_RUN(test_dict_builder_fixed);
  ICE_RUN(test_dict_builder_bytes);
  ICE_RUN(test_dict_builder_alloc_failure);
  ICE_TEST_EXIT();
}
