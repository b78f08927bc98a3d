/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the Avro binary primitives: known encodings from the spec, limits,
 * overflow and truncation handling. */
#include <math.h>

#include "avro/avro_binary.h"
#include "harness/ice_test.h"
#include "util/alloc.h"

static void test_zigzag_matches_spec_examples(void) {
  /* Avro 1.11 "Binary Encoding" table */
  static const struct {
    int64_t v;
    uint8_t bytes[3];
    size_t n;
  } cases[] = {{0, {0x00}, 1},  {-1, {0x01}, 1},      {1, {0x02}, 1},        {-2, {0x03}, 1},
               {2, {0x04}, 1},  {-64, {0x7f}, 1},     {64, {0x80, 0x01}, 2}, {-65, {0x81, 0x01}, 2},
               {8192, {0x80, 0x80, 0x01}, 3}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t out[AVRO_MAX_VARINT_BYTES];
    size_t n = avro_encode_long(out, cases[i].v);
    CHECK_EQ_INT(n, cases[i].n);
    CHECK(memcmp(out, cases[i].bytes, n) == 0);
    struct avro_cursor c;
    avro_cursor_init(&c, cases[i].bytes, cases[i].n);
    int64_t back = 99;
    CHECK_OK(avro_get_long(&c, &back, NULL), NULL);
    CHECK_EQ_INT(back, cases[i].v);
    CHECK_EQ_INT(avro_cursor_left(&c), 0);
  }
}

static void test_long_extremes_round_trip(void) {
  const int64_t values[] = {INT64_MIN, INT64_MIN + 1, -4294967296LL, INT32_MIN, -1, 0,
                            1, INT32_MAX, 4294967296LL, INT64_MAX - 1, INT64_MAX};
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 1024);
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    CHECK_OK(avro_put_long(&b, values[i], &err), &err);
  }
  /* the extremes take the full 10 bytes */
  CHECK_EQ_INT(avro_encode_long((uint8_t[10]){0}, INT64_MIN), 10);
  CHECK_EQ_INT(avro_encode_long((uint8_t[10]){0}, INT64_MAX), 10);
  struct avro_cursor c;
  avro_cursor_init(&c, b.data, b.len);
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    int64_t v = 0;
    CHECK_OK(avro_get_long(&c, &v, &err), &err);
    CHECK_EQ_INT(v, values[i]);
  }
  CHECK_EQ_INT(avro_cursor_left(&c), 0);
  ice_buf_reset(&b);
}

static void test_varint_overflow_and_truncation(void) {
  struct ice_error err;
  int64_t v;
  struct avro_cursor c;
  /* 11 bytes of continuation */
  const uint8_t too_long[11] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  avro_cursor_init(&c, too_long, sizeof too_long);
  CHECK_EQ_INT(avro_get_long(&c, &v, &err), ICE_ECORRUPT);
  /* 10th byte carrying bits beyond 64 */
  const uint8_t overflow[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  avro_cursor_init(&c, overflow, sizeof overflow);
  CHECK_EQ_INT(avro_get_long(&c, &v, &err), ICE_ECORRUPT);
  /* the largest legal 10th byte */
  const uint8_t max[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  avro_cursor_init(&c, max, sizeof max);
  CHECK_OK(avro_get_long(&c, &v, &err), &err);
  CHECK_EQ_INT(v, INT64_MIN);
  /* truncated in the middle */
  const uint8_t cut[2] = {0x80, 0x80};
  avro_cursor_init(&c, cut, sizeof cut);
  CHECK_EQ_INT(avro_get_long(&c, &v, &err), ICE_ECORRUPT);
  avro_cursor_init(&c, cut, 0);
  CHECK_EQ_INT(avro_get_long(&c, &v, &err), ICE_ECORRUPT);
}

static void test_int_range_checked(void) {
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 64);
  CHECK_OK(avro_put_long(&b, (int64_t)INT32_MAX + 1, &err), &err);
  CHECK_OK(avro_put_int(&b, INT32_MIN, &err), &err);
  struct avro_cursor c;
  avro_cursor_init(&c, b.data, b.len);
  int32_t i = 7;
  CHECK_EQ_INT(avro_get_int(&c, &i, &err), ICE_ECORRUPT);
  CHECK_EQ_INT(i, 7); /* untouched on failure */
  CHECK_OK(avro_get_int(&c, &i, &err), &err);
  CHECK_EQ_INT(i, INT32_MIN);
  ice_buf_reset(&b);
}

static void test_floats_bools_bytes(void) {
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 256);
  CHECK_OK(avro_put_float(&b, 1.5f, &err), &err);
  CHECK_OK(avro_put_double(&b, -0.0, &err), &err);
  CHECK_OK(avro_put_double(&b, NAN, &err), &err);
  CHECK_OK(avro_put_boolean(&b, true, &err), &err);
  CHECK_OK(avro_put_cstring(&b, "héllo", &err), &err);
  CHECK_OK(avro_put_bytes(&b, "", 0, &err), &err);
  CHECK_OK(avro_put_fixed(&b, "abcd", 4, &err), &err);
  CHECK_OK(avro_put_null(&b, &err), &err);
  /* 1.5f little-endian is 00 00 c0 3f */
  CHECK(b.data[0] == 0x00 && b.data[1] == 0x00 && b.data[2] == 0xc0 && b.data[3] == 0x3f);
  struct avro_cursor c;
  avro_cursor_init(&c, b.data, b.len);
  float f;
  double d;
  bool bo;
  const uint8_t *p;
  size_t n;
  CHECK_OK(avro_get_float(&c, &f, &err), &err);
  CHECK(f == 1.5f);
  CHECK_OK(avro_get_double(&c, &d, &err), &err);
  CHECK(d == 0.0 && signbit(d));
  CHECK_OK(avro_get_double(&c, &d, &err), &err);
  CHECK(isnan(d));
  CHECK_OK(avro_get_boolean(&c, &bo, &err), &err);
  CHECK(bo);
  CHECK_OK(avro_get_bytes(&c, &p, &n, &err), &err);
  CHECK_EQ_INT(n, 6);
  CHECK(memcmp(p, "héllo", 6) == 0);
  CHECK_OK(avro_get_bytes(&c, &p, &n, &err), &err);
  CHECK_EQ_INT(n, 0);
  CHECK_OK(avro_get_fixed(&c, 4, &p, &err), &err);
  CHECK(memcmp(p, "abcd", 4) == 0);
  CHECK_EQ_INT(avro_cursor_left(&c), 0);
  CHECK_EQ_INT(avro_get_boolean(&c, &bo, &err), ICE_ECORRUPT);
  ice_buf_reset(&b);

  /* invalid boolean byte, negative and oversized lengths */
  const uint8_t two[1] = {2};
  avro_cursor_init(&c, two, 1);
  CHECK_EQ_INT(avro_get_boolean(&c, &bo, &err), ICE_ECORRUPT);
  const uint8_t neg[2] = {0x01, 'x'}; /* length -1 */
  avro_cursor_init(&c, neg, 2);
  CHECK_EQ_INT(avro_get_bytes(&c, &p, &n, &err), ICE_ECORRUPT);
  const uint8_t big[2] = {0x04, 'x'}; /* length 2, one byte left */
  avro_cursor_init(&c, big, 2);
  CHECK_EQ_INT(avro_get_bytes(&c, &p, &n, &err), ICE_ECORRUPT);
  avro_cursor_init(&c, big, 2);
  CHECK_EQ_INT(avro_get_fixed(&c, 3, &p, &err), ICE_ECORRUPT);
}

static void test_union_and_blocks(void) {
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 256);
  CHECK_OK(avro_put_union(&b, 1, &err), &err);
  CHECK_OK(avro_put_union(&b, 2, &err), &err);
  CHECK_OK(avro_put_block_count(&b, 3, &err), &err);
  /* a negative count block: -2 items, 5 bytes */
  CHECK_OK(avro_put_long(&b, -2, &err), &err);
  CHECK_OK(avro_put_long(&b, 5, &err), &err);
  CHECK_OK(avro_put_fixed(&b, "12345", 5, &err), &err);
  CHECK_OK(avro_put_block_count(&b, 0, &err), &err);
  struct avro_cursor c;
  avro_cursor_init(&c, b.data, b.len);
  size_t br, n;
  int64_t size;
  CHECK_OK(avro_get_union(&c, 2, &br, &err), &err);
  CHECK_EQ_INT(br, 1);
  CHECK_EQ_INT(avro_get_union(&c, 2, &br, &err), ICE_ECORRUPT);
  CHECK_OK(avro_get_block_count(&c, 100, &n, &size, &err), &err);
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_INT(size, -1);
  CHECK_OK(avro_get_block_count(&c, 100, &n, &size, &err), &err);
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_INT(size, 5);
  c.p += 5;
  CHECK_OK(avro_get_block_count(&c, 100, &n, &size, &err), &err);
  CHECK_EQ_INT(n, 0);
  /* counts above the caller's maximum and sizes past the end are corrupt */
  avro_cursor_init(&c, b.data + 2, b.len - 2);
  CHECK_EQ_INT(avro_get_block_count(&c, 2, &n, &size, &err), ICE_ECORRUPT);
  const uint8_t past[2] = {0x03, 0x14}; /* -2 items, 10 bytes, nothing left */
  avro_cursor_init(&c, past, 2);
  CHECK_EQ_INT(avro_get_block_count(&c, 100, &n, &size, &err), ICE_ECORRUPT);
  ice_buf_reset(&b);
}

static void test_put_respects_buffer_limit(void) {
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 8);
  CHECK_EQ_INT(avro_put_cstring(&b, "0123456789", &err), ICE_ELIMIT);
  CHECK_EQ_INT(b.len, 0);
  CHECK_OK(avro_put_cstring(&b, "0123456", &err), &err);
  CHECK_EQ_INT(b.len, 8);
  ice_buf_reset(&b);
}

static void test_no_leaks(void) {
  CHECK_EQ_INT(ice_alloc_live(), 0);
}

int main(void) {
  ICE_RUN(test_zigzag_matches_spec_examples);
  ICE_RUN(test_long_extremes_round_trip);
  ICE_RUN(test_varint_overflow_and_truncation);
  ICE_RUN(test_int_range_checked);
  ICE_RUN(test_floats_bools_bytes);
  ICE_RUN(test_union_and_blocks);
  ICE_RUN(test_put_respects_buffer_limit);
  ICE_RUN(test_no_leaks);
  ICE_TEST_EXIT();
}
