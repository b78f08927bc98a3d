/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for generic datum decoding/encoding: a record with every Avro type is encoded
 * field by field with avro_put_*, decoded into values, checked, and re-encoded to the
 * same bytes; hostile inputs end in clean errors. */
#include "avro/avro_value.h"
#include "harness/ice_test.h"
#include "util/alloc.h"
#include "util/limits.h"

static const char *all_types_schema =
    "{\"type\":\"record\",\"name\":\"all\",\"fields\":["
    "{\"name\":\"n\",\"type\":\"null\"},"
    "{\"name\":\"b\",\"type\":\"boolean\"},"
    "{\"name\":\"i\",\"type\":\"int\"},"
    "{\"name\":\"l\",\"type\":\"long\"},"
    "{\"name\":\"f\",\"type\":\"float\"},"
    "{\"name\":\"d\",\"type\":\"double\"},"
    "{\"name\":\"by\",\"type\":\"bytes\"},"
    "{\"name\":\"s\",\"type\":\"string\"},"
    "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"suit\",\"symbols\":[\"S\",\"H\",\"D\"]}},"
    "{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"f3\",\"size\":3}},"
    "{\"name\":\"arr\",\"type\":{\"type\":\"array\",\"items\":\"long\"}},"
    "{\"name\":\"mp\",\"type\":{\"type\":\"map\",\"values\":\"int\"}},"
    "{\"name\":\"opt\",\"type\":[\"null\",\"string\"]},"
    "{\"name\":\"opt2\",\"type\":[\"null\",\"string\"]},"
    "{\"name\":\"sub\",\"type\":{\"type\":\"record\",\"name\":\"kv\",\"fields\":["
    "{\"name\":\"key\",\"type\":\"int\"},{\"name\":\"value\",\"type\":[\"null\",\"bytes\"]}]}},"
    "{\"name\":\"kvs\",\"type\":{\"type\":\"array\",\"items\":\"kv\"}}"
    "]}";

static struct avro_schema *parse(const char *json) {
  struct avro_schema *s = NULL;
  struct ice_error err;
  CHECK_OK(avro_schema_parse(json, strlen(json), &s, &err), &err);
  return s;
}

/* Encodes one datum of all_types_schema in field order, as a fast writer would. */
static int put_all_types(struct ice_buf *b, struct ice_error *err) {
  ICE_TRY(avro_put_null(b, err));
  ICE_TRY(avro_put_boolean(b, true, err));
  ICE_TRY(avro_put_int(b, -123456, err));
  ICE_TRY(avro_put_long(b, 9007199254740993LL, err));
  ICE_TRY(avro_put_float(b, 2.25f, err));
  ICE_TRY(avro_put_double(b, -1e300, err));
  ICE_TRY(avro_put_bytes(b, "\0\1\2", 3, err));
  ICE_TRY(avro_put_cstring(b, "hello", err));
  ICE_TRY(avro_put_enum(b, 2, err));
  ICE_TRY(avro_put_fixed(b, "xyz", 3, err));
  /* array in two blocks: 2 items, then a negative-count block of 1 item */
  ICE_TRY(avro_put_block_count(b, 2, err));
  ICE_TRY(avro_put_long(b, 1, err));
  ICE_TRY(avro_put_long(b, -2, err));
  ICE_TRY(avro_put_long(b, -1, err));
  ICE_TRY(avro_put_long(b, 1, err)); /* one byte follows */
  ICE_TRY(avro_put_long(b, 3, err));
  ICE_TRY(avro_put_block_count(b, 0, err));
  ICE_TRY(avro_put_block_count(b, 2, err));
  ICE_TRY(avro_put_cstring(b, "a", err));
  ICE_TRY(avro_put_int(b, 10, err));
  ICE_TRY(avro_put_cstring(b, "bb", err));
  ICE_TRY(avro_put_int(b, 20, err));
  ICE_TRY(avro_put_block_count(b, 0, err));
  ICE_TRY(avro_put_union(b, 0, err)); /* opt = null */
  ICE_TRY(avro_put_union(b, 1, err)); /* opt2 = "x" */
  ICE_TRY(avro_put_cstring(b, "x", err));
  ICE_TRY(avro_put_int(b, 5, err)); /* sub.key */
  ICE_TRY(avro_put_union(b, 1, err));
  ICE_TRY(avro_put_bytes(b, "v", 1, err));
  ICE_TRY(avro_put_block_count(b, 1, err)); /* kvs: one kv */
  ICE_TRY(avro_put_int(b, 6, err));
  ICE_TRY(avro_put_union(b, 0, err));
  return avro_put_block_count(b, 0, err);
}

static void test_all_types_round_trip(void) {
  struct avro_schema *s = parse(all_types_schema);
  if (s == NULL) return;
  struct ice_buf b, again;
  struct ice_error err;
  struct ice_arena arena;
  ice_buf_init(&b, 4096);
  ice_buf_init(&again, 4096);
  ice_arena_init(&arena, 1 << 20);
  CHECK_OK(put_all_types(&b, &err), &err);
  struct avro_cursor c;
  avro_cursor_init(&c, b.data, b.len);
  struct avro_value v;
  CHECK_OK(avro_value_decode(s, &c, &arena, &v, &err), &err);
  CHECK_EQ_INT(avro_cursor_left(&c), 0);

  bool bo = false;
  int32_t i = 0;
  int64_t l = 0;
  double d = 0;
  const char *str = NULL;
  const uint8_t *p = NULL;
  size_t n = 0;
  CHECK(avro_value_is_null(avro_value_field(&v, "n")));
  CHECK(avro_value_as_bool(avro_value_field(&v, "b"), &bo) && bo);
  CHECK(avro_value_as_int(avro_value_field(&v, "i"), &i));
  CHECK_EQ_INT(i, -123456);
  CHECK(avro_value_as_long(avro_value_field(&v, "i"), &l)); /* int promotes */
  CHECK_EQ_INT(l, -123456);
  CHECK(avro_value_as_long(avro_value_field(&v, "l"), &l));
  CHECK_EQ_INT(l, 9007199254740993LL);
  CHECK(!avro_value_as_int(avro_value_field(&v, "l"), &i));
  CHECK(avro_value_as_double(avro_value_field(&v, "f"), &d) && d == 2.25);
  CHECK(avro_value_as_double(avro_value_field(&v, "d"), &d) && d == -1e300);
  CHECK(avro_value_as_bytes(avro_value_field(&v, "by"), &p, &n));
  CHECK(n == 3 && memcmp(p, "\0\1\2", 3) == 0);
  CHECK(avro_value_as_string(avro_value_field(&v, "s"), &str, &n));
  CHECK_EQ_STR(str, "hello");
  const struct avro_value *e = avro_value_field(&v, "e");
  CHECK(e != NULL && e->u.enum_index == 2);
  CHECK_EQ_STR(e->schema->symbols[e->u.enum_index], "D");
  CHECK(avro_value_as_bytes(avro_value_field(&v, "fx"), &p, &n));
  CHECK(n == 3 && memcmp(p, "xyz", 3) == 0);
  const struct avro_value *arr = avro_value_field(&v, "arr");
  CHECK(arr != NULL && arr->u.array.n == 3);
  if (arr != NULL && arr->u.array.n == 3) {
    CHECK_EQ_INT(arr->u.array.items[0].u.i64, 1);
    CHECK_EQ_INT(arr->u.array.items[1].u.i64, -2);
    CHECK_EQ_INT(arr->u.array.items[2].u.i64, 3);
  }
  const struct avro_value *mp = avro_value_field(&v, "mp");
  CHECK(avro_value_as_int(avro_value_map_get(mp, "bb"), &i));
  CHECK_EQ_INT(i, 20);
  CHECK(avro_value_map_get(mp, "zz") == NULL);
  const struct avro_value *opt = avro_value_field(&v, "opt");
  CHECK(avro_value_is_null(opt));
  CHECK_EQ_INT(opt->branch, 0);
  const struct avro_value *opt2 = avro_value_field(&v, "opt2");
  CHECK(avro_value_as_string(opt2, &str, NULL));
  CHECK_EQ_STR(str, "x");
  CHECK_EQ_INT(opt2->branch, 1);
  const struct avro_value *sub = avro_value_field(&v, "sub");
  CHECK(avro_value_as_int(avro_value_field(sub, "key"), &i));
  CHECK_EQ_INT(i, 5);
  CHECK(avro_value_as_bytes(avro_value_field(sub, "value"), &p, &n) && n == 1);
  const struct avro_value *kvs = avro_value_field(&v, "kvs");
  CHECK(kvs != NULL && kvs->u.array.n == 1);
  if (kvs != NULL && kvs->u.array.n == 1) {
    CHECK(avro_value_is_null(avro_value_field(&kvs->u.array.items[0], "value")));
  }
  CHECK(avro_value_field(&v, "missing") == NULL);
  CHECK(avro_value_field(arr, "x") == NULL);

  /* re-encoding writes canonical blocks, so compare decode(encode(v)) instead of
   * the bytes (the input used a negative-count block) */
  CHECK_OK(avro_value_encode(s, &v, &again, &err), &err);
  CHECK(again.len == b.len - 2); /* the negative block's size varint and the extra
                                    block header collapse into one block */
  struct avro_cursor c2;
  avro_cursor_init(&c2, again.data, again.len);
  struct avro_value v2;
  CHECK_OK(avro_value_decode(s, &c2, &arena, &v2, &err), &err);
  struct ice_buf third;
  ice_buf_init(&third, 4096);
  CHECK_OK(avro_value_encode(s, &v2, &third, &err), &err);
  CHECK(third.len == again.len && memcmp(third.data, again.data, again.len) == 0);

  /* skip consumes exactly one datum */
  avro_cursor_init(&c, b.data, b.len);
  CHECK_OK(avro_value_skip(s, &c, &err), &err);
  CHECK_EQ_INT(avro_cursor_left(&c), 0);

  ice_buf_reset(&third);
  ice_buf_reset(&again);
  ice_buf_reset(&b);
  ice_arena_reset(&arena);
  avro_schema_free(s);
}

static void test_every_truncation_fails_cleanly(void) {
  struct avro_schema *s = parse(all_types_schema);
  if (s == NULL) return;
  struct ice_buf b;
  struct ice_error err;
  struct ice_arena arena;
  ice_buf_init(&b, 4096);
  CHECK_OK(put_all_types(&b, &err), &err);
  for (size_t len = 0; len < b.len; len++) {
    ice_arena_init(&arena, 1 << 20);
    struct avro_cursor c;
    avro_cursor_init(&c, b.data, len);
    struct avro_value v;
    CHECK_EQ_INT(avro_value_decode(s, &c, &arena, &v, &err), ICE_ECORRUPT);
    avro_cursor_init(&c, b.data, len);
    CHECK_EQ_INT(avro_value_skip(s, &c, &err), ICE_ECORRUPT);
    ice_arena_reset(&arena);
  }
  ice_buf_reset(&b);
  avro_schema_free(s);
}

static void test_hostile_counts(void) {
  struct ice_error err;
  struct ice_arena arena;
  struct avro_value v;
  struct avro_cursor c;
  /* an array of longs claiming 2^40 items in 3 bytes */
  struct avro_schema *longs = parse("{\"type\":\"array\",\"items\":\"long\"}");
  uint8_t buf[16];
  size_t n = avro_encode_long(buf, 1LL << 40);
  buf[n++] = 0;
  ice_arena_init(&arena, 1 << 20);
  avro_cursor_init(&c, buf, n);
  if (longs) CHECK_EQ_INT(avro_value_decode(longs, &c, &arena, &v, &err), ICE_ECORRUPT);
  avro_cursor_init(&c, buf, n);
  if (longs) CHECK_EQ_INT(avro_value_skip(longs, &c, &err), ICE_ECORRUPT);
  /* an array of nulls claiming 2^40 items: bounded by the arena cap, skip is free */
  struct avro_schema *nulls = parse("{\"type\":\"array\",\"items\":\"null\"}");
  avro_cursor_init(&c, buf, n);
  if (nulls) {
    int rc = avro_value_decode(nulls, &c, &arena, &v, &err);
    CHECK(rc == ICE_ELIMIT || rc == ICE_ECORRUPT);
    avro_cursor_init(&c, buf, n);
    CHECK_OK(avro_value_skip(nulls, &c, &err), &err);
  }
  /* a negative block size disagreeing with the items */
  uint8_t bad[8] = {0x03 /* -2 */, 0x02 /* 1 byte */, 0x02, 0x04, 0x00};
  avro_cursor_init(&c, bad, 5);
  if (longs) CHECK_EQ_INT(avro_value_decode(longs, &c, &arena, &v, &err), ICE_ECORRUPT);
  ice_arena_reset(&arena);
  avro_schema_free(longs);
  avro_schema_free(nulls);
}

static void test_recursive_datum_depth_capped(void) {
  struct avro_schema *s = parse(
      "{\"type\":\"record\",\"name\":\"node\",\"fields\":["
      "{\"name\":\"next\",\"type\":[\"null\",\"node\"]}]}");
  if (s == NULL) return;
  /* 200 levels of "branch 1" then null */
  uint8_t buf[201];
  memset(buf, 0x02, 200);
  buf[200] = 0x00;
  struct ice_arena arena;
  struct ice_error err;
  ice_arena_init(&arena, 1 << 20);
  struct avro_cursor c;
  struct avro_value v;
  avro_cursor_init(&c, buf, sizeof buf);
  CHECK_EQ_INT(avro_value_decode(s, &c, &arena, &v, &err), ICE_ELIMIT);
  avro_cursor_init(&c, buf, sizeof buf);
  CHECK_EQ_INT(avro_value_skip(s, &c, &err), ICE_ELIMIT);
  /* 10 levels are fine */
  avro_cursor_init(&c, buf + 190, 11);
  CHECK_OK(avro_value_decode(s, &c, &arena, &v, &err), &err);
  ice_arena_reset(&arena);
  avro_schema_free(s);
}

static void test_encode_rejects_mismatch(void) {
  struct avro_schema *s = parse("[\"null\",\"long\"]");
  struct avro_schema *str = parse("\"string\"");
  if (s == NULL || str == NULL) return;
  struct avro_value v = {str, -1, {0}};
  v.u.bytes.data = (const uint8_t *)"x";
  v.u.bytes.len = 1;
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 64);
  CHECK_EQ_INT(avro_value_encode(s, &v, &b, &err), ICE_EINVAL);
  CHECK_EQ_INT(b.len, 0);
  /* a long value picks the long branch */
  struct avro_value lv = {s->branches[1], -1, {0}};
  lv.u.i64 = -3;
  CHECK_OK(avro_value_encode(s, &lv, &b, &err), &err);
  CHECK(b.len == 2 && b.data[0] == 0x02 && b.data[1] == 0x05);
  ice_buf_reset(&b);
  avro_schema_free(s);
  avro_schema_free(str);
}

static void test_no_leaks(void) {
  CHECK_EQ_INT(ice_alloc_live(), 0);
}

int main(void) {
  ICE_RUN(test_all_types_round_trip);
  ICE_RUN(test_every_truncation_fails_cleanly);
  ICE_RUN(test_hostile_counts);
  ICE_RUN(test_recursive_datum_depth_capped);
  ICE_RUN(test_encode_rejects_mismatch);
  ICE_RUN(test_no_leaks);
  ICE_TEST_EXIT();
}
