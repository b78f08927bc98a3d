/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thrift compact protocol: hand-written wire vectors (from the protocol spec's rules),
 * writer/reader round trips, skipping of unknown nested fields, and hostile inputs
 * (truncation at every byte, oversized counts and strings, nesting depth).
 */
#include "harness/ice_test.h"
#include "thrift/thrift_compact.h"
#include "util/buf.h"
#include "util/limits.h"

static void test_uvarint_vectors(void) {
  struct thrift_reader r;
  struct ice_error err;
  uint64_t v = 0;
  const uint8_t a[] = {0xdf, 0x89, 0x03}; /* 50399 */
  thrift_reader_init(&r, a, sizeof a);
  CHECK_OK(thrift_read_uvarint(&r, &v, &err), &err);
  CHECK_EQ_INT(v, 50399);
  CHECK_EQ_INT(thrift_reader_offset(&r), 3);

  const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  thrift_reader_init(&r, max, sizeof max);
  CHECK_OK(thrift_read_uvarint(&r, &v, &err), &err);
  CHECK(v == UINT64_MAX);

  const uint8_t too_long[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  thrift_reader_init(&r, too_long, sizeof too_long);
  CHECK_EQ_INT(thrift_read_uvarint(&r, &v, &err), ICE_ECORRUPT);

  const uint8_t cut[] = {0x80, 0x80};
  thrift_reader_init(&r, cut, sizeof cut);
  CHECK_EQ_INT(thrift_read_uvarint(&r, &v, &err), ICE_ECORRUPT);
  CHECK(strstr(err.message, "truncated") != NULL);
}

static void test_zigzag(void) {
  CHECK_EQ_INT(thrift_zigzag_encode(0), 0);
  CHECK_EQ_INT(thrift_zigzag_encode(-1), 1);
  CHECK_EQ_INT(thrift_zigzag_encode(1), 2);
  CHECK_EQ_INT(thrift_zigzag_encode(-2), 3);
  CHECK(thrift_zigzag_encode(INT64_MIN) == UINT64_MAX);
  CHECK(thrift_zigzag_decode(UINT64_MAX) == INT64_MIN);
  CHECK(thrift_zigzag_decode(thrift_zigzag_encode(INT64_MAX)) == INT64_MAX);
  CHECK_EQ_INT(thrift_zigzag_decode(3), -2);
}

/* FileMetaData.version = 1 -> 15 02; then field 4 as string "a" via long form. */
static void test_field_headers(void) {
  const uint8_t bytes[] = {
      0x15, 0x02,             /* id 1, i32, zigzag(1) */
      0x08, 0x28, 0x01, 0x61, /* long form: type 8, id zigzag(20)=0x28, "a" */
      0x11,                   /* id 21, bool true */
      0x12,                   /* id 22, bool false */
      0x06, 0x01, 0x03,       /* long form id -1 (zigzag 1), i64 -2 */
      0x00};
  struct thrift_reader r;
  struct ice_error err;
  thrift_reader_init(&r, bytes, sizeof bytes);
  int16_t saved, id;
  uint8_t t;
  int64_t v;
  CHECK_OK(thrift_read_struct_begin(&r, &saved, &err), &err);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(t, THRIFT_I32);
  CHECK_EQ_INT(id, 1);
  CHECK_OK(thrift_read_int(&r, t, &v, &err), &err);
  CHECK_EQ_INT(v, 1);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(t, THRIFT_BINARY);
  CHECK_EQ_INT(id, 20);
  const uint8_t *s;
  size_t n;
  CHECK_OK(thrift_read_binary(&r, &s, &n, &err), &err);
  CHECK_EQ_INT(n, 1);
  CHECK(s[0] == 'a');
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, 21);
  CHECK(thrift_field_bool(&r));
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, 22);
  CHECK(!thrift_field_bool(&r));
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, -1);
  CHECK_OK(thrift_read_int(&r, t, &v, &err), &err);
  CHECK_EQ_INT(v, -2);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(t, THRIFT_STOP);
  thrift_read_struct_end(&r, saved);
  CHECK_EQ_INT(thrift_reader_remaining(&r), 0);
}

static void test_writer_round_trip(void) {
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 1 << 20);
  struct thrift_writer w;
  thrift_writer_init(&w, &b, &err);
  int16_t s0, s1;
  thrift_write_struct_begin(&w, &s0);
  thrift_write_i32_field(&w, 1, -123456);
  thrift_write_i64_field(&w, 2, INT64_MIN);
  thrift_write_bool_field(&w, 3, true);
  thrift_write_double_field(&w, 4, -1.5);
  thrift_write_string_field(&w, 40, "hello"); /* delta > 15: long form */
  thrift_write_struct_field_begin(&w, 41, &s1);
  thrift_write_i8_field(&w, 1, -7);
  thrift_write_struct_end(&w, s1);
  thrift_write_field_begin(&w, THRIFT_LIST, 42);
  thrift_write_list_begin(&w, THRIFT_I64, 20); /* > 14: long list header */
  for (int i = 0; i < 20; i++) thrift_write_i64(&w, (int64_t)i * -1000);
  thrift_write_field_begin(&w, THRIFT_LIST, 43);
  thrift_write_list_begin(&w, THRIFT_BOOL_TRUE, 3);
  thrift_write_bool_elem(&w, true);
  thrift_write_bool_elem(&w, false);
  thrift_write_bool_elem(&w, true);
  thrift_write_struct_end(&w, s0);
  CHECK_OK(thrift_writer_status(&w), &err);
  /* Spot-check the wire bytes of the first field: 0x15 then zigzag(-123456). */
  CHECK(b.data[0] == 0x15);

  struct thrift_reader r;
  thrift_reader_init(&r, b.data, b.len);
  int16_t saved, id;
  uint8_t t;
  int64_t v;
  int32_t v32;
  CHECK_OK(thrift_read_struct_begin(&r, &saved, &err), &err);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_OK(thrift_read_i32(&r, t, &v32, &err), &err);
  CHECK_EQ_INT(v32, -123456);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_OK(thrift_read_int(&r, t, &v, &err), &err);
  CHECK(v == INT64_MIN);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, 3);
  CHECK(thrift_field_bool(&r));
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  double d = 0;
  CHECK_OK(thrift_read_double(&r, &d, &err), &err);
  CHECK(d == -1.5);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, 40);
  CHECK_OK(thrift_skip(&r, t, &err), &err);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, 41);
  CHECK_OK(thrift_skip(&r, t, &err), &err); /* nested struct skipped */
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, 42);
  uint8_t et;
  uint32_t count;
  CHECK_OK(thrift_read_list_begin(&r, &et, &count, &err), &err);
  CHECK_EQ_INT(et, THRIFT_I64);
  CHECK_EQ_INT(count, 20);
  for (uint32_t i = 0; i < count; i++) {
    CHECK_OK(thrift_read_int(&r, et, &v, &err), &err);
    CHECK_EQ_INT(v, (int64_t)i * -1000);
  }
  thrift_read_container_end(&r);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, 43);
  CHECK_OK(thrift_read_list_begin(&r, &et, &count, &err), &err);
  CHECK_EQ_INT(count, 3);
  bool bv[3];
  for (int i = 0; i < 3; i++) CHECK_OK(thrift_read_bool_elem(&r, &bv[i], &err), &err);
  CHECK(bv[0] && !bv[1] && bv[2]);
  thrift_read_container_end(&r);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(t, THRIFT_STOP);
  thrift_read_struct_end(&r, saved);
  CHECK_EQ_INT(thrift_reader_remaining(&r), 0);
  ice_buf_reset(&b);
}

/* Element type 2 (what newer arrow-rs writes) is a bool list too; bytes other than
 * 0x01 read as false. */
static void test_bool_list_element_types(void) {
  const uint8_t bytes[] = {0xf2, 0x03, 0x01, 0x02, 0x00};
  struct thrift_reader r;
  struct ice_error err;
  thrift_reader_init(&r, bytes, sizeof bytes);
  uint8_t et;
  uint32_t n;
  CHECK_OK(thrift_read_list_begin(&r, &et, &n, &err), &err);
  CHECK_EQ_INT(et, THRIFT_BOOL_TRUE);
  CHECK_EQ_INT(n, 3);
  bool v[3];
  for (int i = 0; i < 3; i++) CHECK_OK(thrift_read_bool_elem(&r, &v[i], &err), &err);
  CHECK(v[0] && !v[1] && !v[2]);
}

/* Every kind of value is skipped, including a map and a uuid nested in a struct. */
static void test_skip_everything(void) {
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 4096);
  struct thrift_writer w;
  thrift_writer_init(&w, &b, &err);
  int16_t s0, s1;
  thrift_write_struct_begin(&w, &s0);
  thrift_write_struct_field_begin(&w, 7, &s1);
  thrift_write_field_begin(&w, THRIFT_MAP, 1);
  thrift_write_map_begin(&w, THRIFT_BINARY, THRIFT_I32, 2);
  thrift_write_binary(&w, "k1", 2);
  thrift_write_i32(&w, 5);
  thrift_write_binary(&w, "k2", 2);
  thrift_write_i32(&w, 6);
  thrift_write_field_begin(&w, THRIFT_UUID, 2);
  for (int i = 0; i < 16; i++) thrift_write_i8(&w, (int8_t)i);
  thrift_write_field_begin(&w, THRIFT_SET, 3);
  thrift_write_list_begin(&w, THRIFT_STRUCT, 1);
  int16_t s2;
  thrift_write_struct_begin(&w, &s2);
  thrift_write_empty_struct_field(&w, 1); /* a field inside the set's struct element */
  thrift_write_struct_end(&w, s2);
  thrift_write_field_begin(&w, THRIFT_MAP, 4);
  thrift_write_map_begin(&w, 0, 0, 0); /* empty map: one 00 byte */
  thrift_write_bool_field(&w, 5, false);
  thrift_write_double_field(&w, 6, 2.0);
  thrift_write_struct_end(&w, s1);
  thrift_write_i32_field(&w, 8, 99);
  thrift_write_struct_end(&w, s0);
  CHECK_OK(thrift_writer_status(&w), &err);

  struct thrift_reader r;
  thrift_reader_init(&r, b.data, b.len);
  int16_t saved, id;
  uint8_t t;
  int32_t v = 0;
  CHECK_OK(thrift_read_struct_begin(&r, &saved, &err), &err);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, 7);
  CHECK_OK(thrift_skip(&r, t, &err), &err);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, 8);
  CHECK_OK(thrift_read_i32(&r, t, &v, &err), &err);
  CHECK_EQ_INT(v, 99);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(t, THRIFT_STOP);
  CHECK_EQ_INT(r.depth, 1);
  thrift_read_struct_end(&r, saved);

  /* Every strict prefix must fail cleanly (no crash, no success). */
  for (size_t cut = 0; cut < b.len; cut++) {
    thrift_reader_init(&r, b.data, cut);
    CHECK_EQ_INT(thrift_skip(&r, THRIFT_STRUCT, &err), ICE_ECORRUPT);
  }
  ice_buf_reset(&b);
}

static void test_hostile_counts(void) {
  struct thrift_reader r;
  struct ice_error err;
  uint8_t et;
  uint32_t n;
  /* list of 2^32-ish i32 with 3 bytes left */
  const uint8_t huge_list[] = {0xf5, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x00, 0x00};
  thrift_reader_init(&r, huge_list, sizeof huge_list);
  CHECK(thrift_read_list_begin(&r, &et, &n, &err) != ICE_OK);
  /* 5 elements announced, 2 bytes left */
  const uint8_t short_list[] = {0x55, 0x02, 0x04};
  thrift_reader_init(&r, short_list, sizeof short_list);
  CHECK_EQ_INT(thrift_read_list_begin(&r, &et, &n, &err), ICE_ECORRUPT);
  /* string longer than the buffer */
  const uint8_t long_str[] = {0x05, 'a', 'b'};
  const uint8_t *p;
  size_t len;
  thrift_reader_init(&r, long_str, sizeof long_str);
  CHECK_EQ_INT(thrift_read_binary(&r, &p, &len, &err), ICE_ECORRUPT);
  /* string over the cap */
  const uint8_t big_str[] = {0x80, 0x80, 0x80, 0x80, 0x01};
  thrift_reader_init(&r, big_str, sizeof big_str);
  CHECK_EQ_INT(thrift_read_binary(&r, &p, &len, &err), ICE_ELIMIT);
  /* bad element type 0 and 14 */
  const uint8_t bad_elem[] = {0x10, 0x1e};
  thrift_reader_init(&r, bad_elem, 1);
  CHECK_EQ_INT(thrift_read_list_begin(&r, &et, &n, &err), ICE_ECORRUPT);
  thrift_reader_init(&r, bad_elem + 1, 1);
  CHECK_EQ_INT(thrift_read_list_begin(&r, &et, &n, &err), ICE_ECORRUPT);
  /* bad field type 14 */
  const uint8_t bad_field[] = {0x1e};
  int16_t id;
  uint8_t t;
  thrift_reader_init(&r, bad_field, 1);
  CHECK_EQ_INT(thrift_read_field_begin(&r, &t, &id, &err), ICE_ECORRUPT);
  /* i32 out of range */
  const uint8_t big_i32[] = {0x80, 0x80, 0x80, 0x80, 0x20};
  int32_t v32;
  thrift_reader_init(&r, big_i32, sizeof big_i32);
  CHECK_EQ_INT(thrift_read_i32(&r, THRIFT_I32, &v32, &err), ICE_ECORRUPT);
  /* field id delta overflowing int16 */
  const uint8_t long_id[] = {0x05, 0xfe, 0xff, 0x03, 0x00, 0xf5};
  thrift_reader_init(&r, long_id, sizeof long_id);
  CHECK_OK(thrift_read_field_begin(&r, &t, &id, &err), &err);
  CHECK_EQ_INT(id, 32767);
  CHECK_OK(thrift_skip(&r, t, &err), &err);
  CHECK_EQ_INT(thrift_read_field_begin(&r, &t, &id, &err), ICE_ECORRUPT);
}

/* Nested structs deeper than the cap are refused, not recursed into. */
static void test_depth_limit(void) {
  uint8_t deep[2 * ICE_LIMIT_THRIFT_DEPTH + 8];
  size_t n = 0;
  for (int i = 0; i < ICE_LIMIT_THRIFT_DEPTH + 2; i++) deep[n++] = 0x1c; /* id+1, struct */
  while (n < sizeof deep) deep[n++] = 0;
  struct thrift_reader r;
  struct ice_error err;
  thrift_reader_init(&r, deep, sizeof deep);
  CHECK_EQ_INT(thrift_skip(&r, THRIFT_STRUCT, &err), ICE_ELIMIT);

  /* Nested lists too. */
  uint8_t lists[ICE_LIMIT_THRIFT_DEPTH + 8];
  for (size_t i = 0; i < sizeof lists; i++) lists[i] = 0x19; /* one-element list of lists */
  thrift_reader_init(&r, lists, sizeof lists);
  CHECK_EQ_INT(thrift_skip(&r, THRIFT_LIST, &err), ICE_ELIMIT);
}

static void test_writer_sticky_limit(void) {
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 8);
  struct thrift_writer w;
  thrift_writer_init(&w, &b, &err);
  thrift_write_string_field(&w, 1, "much longer than eight bytes");
  thrift_write_i32_field(&w, 2, 1);
  CHECK_EQ_INT(thrift_writer_status(&w), ICE_ELIMIT);
  ice_buf_reset(&b);
}

int main(void) {
  ICE_RUN(test_uvarint_vectors);
  ICE_RUN(test_zigzag);
  ICE_RUN(test_field_headers);
  ICE_RUN(test_writer_round_trip);
  ICE_RUN(test_bool_list_element_types);
  ICE_RUN(test_skip_everything);
  ICE_RUN(test_hostile_counts);
  ICE_RUN(test_depth_limit);
  ICE_RUN(test_writer_sticky_limit);
  ICE_TEST_EXIT();
}
