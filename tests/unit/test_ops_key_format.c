/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_key_format over keys encoded by op_key_append itself: every key type (ints, bool,
 * strings with quotes, controls, UTF-8, bad bytes and truncation, dates, times and
 * timestamps in each unit, decimals with their scale, binary and fixed as hex, floats,
 * nulls), text appended after what the buffer held; malformed keys (short, trailing
 * bytes, wrong tag, bad length, bad bool) are ICE_ECORRUPT and leave the buffer as it
 * was; a type keys never have is ICE_EUNSUPPORTED.
 */
#include <stdint.h>
#include <string.h>

#include "arrow/arrow_type.h"
#include "harness/ice_test.h"
#include "ops/op_key_format.h"
#include "ops/op_key_set.h"
#include "test_arrow_builders.h"

#define MAX_COLS 4

/* One key column: its format, name and a one-row array (released by the helper). */
struct col {
  const char *fmt;
  const char *name;
  struct ArrowArray a;
};

static void encode(struct col *cols, size_t n, struct arrow_type *types,
                   struct ice_buf *key) {
  struct ice_error err;
  ice_buf_init(key, 1 << 20);
  for (size_t i = 0; i < n; i++) {
    CHECK_OK(arrow_type_parse(cols[i].fmt, &types[i], &err), &err);
    CHECK_OK(op_key_append(&types[i], &cols[i].a, 0, key, &err), &err);
    cols[i].a.release(&cols[i].a);
  }
}

/* Formats the key of cols into `text` (NUL-terminated copy), returning the code. */
static int format_cols(struct col *cols, size_t n, char *text, size_t cap) {
  struct arrow_type types[MAX_COLS];
  const struct arrow_type *tp[MAX_COLS];
  const char *names[MAX_COLS];
  struct ice_buf key, out;
  encode(cols, n, types, &key);
  for (size_t i = 0; i < n; i++) {
    tp[i] = &types[i];
    names[i] = cols[i].name;
  }
  ice_buf_init(&out, 4096);
  struct ice_error err;
  int rc = op_key_format(tp, names, n, key.data, key.len, &out, &err);
  if (rc == ICE_OK) {
    CHECK(out.data[out.len] == '\0');
    CHECK_EQ_INT(strlen((const char *)out.data), out.len);
    snprintf(text, cap, "%s", (const char *)out.data);
  } else {
    snprintf(text, cap, "error: %.400s", err.message);
  }
  ice_buf_reset(&key);
  ice_buf_reset(&out);
  return rc;
}

/* A one-column key of a fixed-width value. */
static void check_one(const char *fmt, const void *v, size_t width, const char *want) {
  struct col c = {fmt, "k", {0}};
  prim(&c.a, v, width, 1, NULL);
  char text[512];
  CHECK_OK(format_cols(&c, 1, text, sizeof text), NULL);
  if (strcmp(text + 2, want) != 0) fprintf(stderr, "  %s: got %s\n", fmt, text);
  CHECK(strncmp(text, "k=", 2) == 0 && strcmp(text + 2, want) == 0);
}

static void check_str(const char *fmt, const char *v, const char *want) {
  struct col c = {fmt, "s", {0}};
  const char *vals[] = {v};
  strs(&c.a, vals, 1, 0);
  char text[512];
  CHECK_OK(format_cols(&c, 1, text, sizeof text), NULL);
  if (strcmp(text + 2, want) != 0) fprintf(stderr, "  %s: got %s\n", fmt, text);
  CHECK(strcmp(text + 2, want) == 0);
}

static void test_several_columns(void) {
  struct col c[4] = {
      {"i", "id", {0}}, {"u", "name", {0}}, {"b", "ok", {0}}, {"l", "missing", {0}}};
  const int32_t id = 5;
  prim(&c[0].a, &id, 4, 1, NULL);
  const char *nm[] = {"x"};
  strs(&c[1].a, nm, 1, 0);
  const uint8_t t = 1;
  prim(&c[2].a, &t, 1, 1, NULL); /* bit 0 set: true */
  const int64_t z = 9;
  prim(&c[3].a, &z, 8, 1, "0");
  char text[256];
  CHECK_OK(format_cols(c, 4, text, sizeof text), NULL);
  CHECK_EQ_STR(text, "id=5, name='x', ok=true, missing=NULL");
}

static void test_integers_and_floats(void) {
  const int8_t i8 = -7;
  const int16_t i16 = 300;
  const int64_t i64 = INT64_MIN;
  const double dv = 1.5, nan_like = -0.0;
  const float fv = 0.1f;
  check_one("c", &i8, 1, "-7");
  check_one("s", &i16, 2, "300");
  check_one("l", &i64, 8, "-9223372036854775808");
  check_one("g", &dv, 8, "1.5");
  check_one("g", &nan_like, 8, "-0");
  check_one("f", &fv, 4, "0.100000001");
  const uint8_t f = 0;
  check_one("b", &f, 1, "false");
}

static void test_strings(void) {
  check_str("u", "it's", "'it\\'s'");
  check_str("u", "a\\b\n\t\r\x01\x7f", "'a\\\\b\\n\\t\\r\\x01\\x7f'");
  check_str("u", "h\xc3\xa9llo \xe2\x82\xac", "'h\xc3\xa9llo \xe2\x82\xac'");
  check_str("u", "bad \xff \xc3 \xed\xa0\x80 \xc2\x85", /* stray bytes, surrogate, C1 */
            "'bad \\xff \\xc3 \\xed\\xa0\\x80 \\xc2\\x85'");
  check_str("u", "", "''");
  char long_s[101], want[80];
  memset(long_s, 'a', 100);
  long_s[100] = '\0';
  snprintf(want, sizeof want, "'%.64s'...", long_s);
  check_str("u", long_s, want);
  /* 63 bytes then a 2-byte character: kept whole, nothing left, no "..." */
  char edge[70];
  memset(edge, 'b', 63);
  memcpy(edge + 63, "\xc3\xa9", 3);
  snprintf(want, sizeof want, "'%s'", edge);
  check_str("u", edge, want);
  /* binary as hex, truncated after 32 bytes */
  check_str("z", "\x01\xab", "0x01ab");
  char bin[41];
  memset(bin, 0x11, 40);
  bin[40] = '\0';
  check_str("z", bin,
            "0x1111111111111111111111111111111111111111111111111111111111111111...");
}

static void test_dates_and_times(void) {
  const int32_t days[] = {0, 19000, -1, -719162, 2932896};
  check_one("tdD", &days[0], 4, "1970-01-01");
  check_one("tdD", &days[1], 4, "2022-01-08");
  check_one("tdD", &days[2], 4, "1969-12-31");
  check_one("tdD", &days[3], 4, "0001-01-01");
  check_one("tdD", &days[4], 4, "9999-12-31");
  const int32_t too_early = -719163;
  check_one("tdD", &too_early, 4, "0000-12-31");
  const int32_t bc = -800000;
  check_one("tdD", &bc, 4, "-0221-09-04");
  const int64_t us = INT64_C(1700000000123456), neg_ms = -1, s = 1234567890;
  const int64_t ns_min = INT64_MIN, ns = INT64_C(1700000000000000007);
  check_one("tsu:UTC", &us, 8, "2023-11-14T22:13:20.123456Z");
  check_one("tsu:", &us, 8, "2023-11-14T22:13:20.123456");
  check_one("tsm:", &neg_ms, 8, "1969-12-31T23:59:59.999");
  check_one("tss:", &s, 8, "2009-02-13T23:31:30");
  check_one("tsn:UTC", &ns_min, 8, "1677-09-21T00:12:43.145224192Z");
  check_one("tsn:", &ns, 8, "2023-11-14T22:13:20.000000007");
  const int64_t tu = INT64_C(3723000001), tn = INT64_C(86399999999999);
  const int32_t ts = 3723, tm = 3723004, bad_t = -5;
  check_one("ttu", &tu, 8, "01:02:03.000001");
  check_one("ttn", &tn, 8, "23:59:59.999999999");
  check_one("tts", &ts, 4, "01:02:03");
  check_one("ttm", &tm, 4, "01:02:03.004");
  check_one("tts", &bad_t, 4, "-5"); /* not a time of day: the raw count */
}

static void dec_le(uint8_t out[16], int64_t v) {
  for (int i = 0; i < 16; i++)
    out[i] = (uint8_t)(i < 8 ? (uint64_t)v >> (8 * i) : v < 0 ? 0xff : 0);
}

static void test_decimals_and_fixed(void) {
  uint8_t d[16];
  dec_le(d, 12345);
  check_one("d:10,2", d, 16, "123.45");
  dec_le(d, -5);
  check_one("d:10,3", d, 16, "-0.005");
  dec_le(d, 0);
  check_one("d:10,2", d, 16, "0.00");
  dec_le(d, -42);
  check_one("d:10,0", d, 16, "-42");
  /* 10^38 - 1 and -2^127 */
  const uint8_t max38[16] = {0xff, 0xff, 0xff, 0xff, 0x3f, 0x22, 0x8a, 0x09,
                             0x7a, 0xc4, 0x86, 0x5a, 0xa8, 0x4c, 0x3b, 0x4b};
  check_one("d:38,0", max38, 16, "99999999999999999999999999999999999999");
  check_one("d:38,38", max38, 16, "0.99999999999999999999999999999999999999");
  uint8_t min[16] = {0};
  min[15] = 0x80;
  check_one("d:38,1", min, 16, "-17014118346046923173168730371588410572.8");
  const uint8_t fx[4] = {0xde, 0xad, 0xbe, 0xef};
  check_one("w:4", fx, 4, "0xdeadbeef");
}

/* A valid three-column key (int, string, date), then broken copies of it. */
static void test_malformed_keys(void) {
  struct col c[3] = {{"l", "a", {0}}, {"u", "b", {0}}, {"tdD", "c", {0}}};
  const int64_t v = 7;
  prim(&c[0].a, &v, 8, 1, NULL);
  const char *sv[] = {"hello"};
  strs(&c[1].a, sv, 1, 0);
  const int32_t day = 3;
  prim(&c[2].a, &day, 4, 1, NULL);
  struct arrow_type types[3];
  const struct arrow_type *tp[3] = {&types[0], &types[1], &types[2]};
  const char *names[3] = {"a", "b", "c"};
  struct ice_buf key, out;
  encode(c, 3, types, &key);
  ice_buf_init(&out, 4096);
  struct ice_error err;
  CHECK_OK(ice_buf_append(&out, "dup: ", 5, &err), &err);
  CHECK_OK(op_key_format(tp, names, 3, key.data, key.len, &out, &err), &err);
  CHECK_EQ_STR((const char *)out.data, "dup: a=7, b='hello', c=1970-01-04");
  const size_t good_len = out.len;
  /* every strict prefix is short */
  int all_corrupt = 1;
  for (size_t cut = 0; cut < key.len; cut++) {
    int rc = op_key_format(tp, names, 3, key.data, cut, &out, &err);
    all_corrupt &= rc == ICE_ECORRUPT && out.len == good_len &&
                   strlen((const char *)out.data) == good_len;
  }
  CHECK(all_corrupt);
  /* trailing bytes */
  uint8_t longer[64];
  memcpy(longer, key.data, key.len);
  longer[key.len] = 0;
  CHECK_EQ_INT(op_key_format(tp, names, 3, longer, key.len + 1, &out, &err),
               ICE_ECORRUPT);
  CHECK(strstr(err.message, "1 bytes left") != NULL);
  /* the string's tag where the int is expected: names the column */
  const struct arrow_type *swapped[3] = {&types[1], &types[0], &types[2]};
  CHECK_EQ_INT(op_key_format(swapped, names, 3, key.data, key.len, &out, &err),
               ICE_ECORRUPT);
  CHECK(strstr(err.message, "key column 'a'") != NULL);
  /* a string length past the end */
  memcpy(longer, key.data, key.len);
  longer[10] = 0xff; /* the string's u32 length, after the 9-byte int */
  CHECK_EQ_INT(op_key_format(tp, names, 3, longer, key.len, &out, &err), ICE_ECORRUPT);
  CHECK(strstr(err.message, "'b'") != NULL);
  CHECK_EQ_INT(out.len, good_len);
  /* a boolean byte that is neither 0 nor 1 */
  struct arrow_type bt;
  CHECK_OK(arrow_type_parse("b", &bt, &err), &err);
  const struct arrow_type *btp = &bt;
  const uint8_t badbool[] = {1, 2};
  CHECK_EQ_INT(op_key_format(&btp, names, 1, badbool, 2, &out, &err), ICE_ECORRUPT);
  /* a type keys never hold */
  struct arrow_type ut;
  CHECK_OK(arrow_type_parse("I", &ut, &err), &err);
  const struct arrow_type *utp = &ut;
  CHECK_EQ_INT(op_key_format(&utp, names, 1, key.data, key.len, &out, &err),
               ICE_EUNSUPPORTED);
  CHECK(strstr(err.message, "uint32") != NULL);
  CHECK_EQ_STR((const char *)out.data, "dup: a=7, b='hello', c=1970-01-04");
  ice_buf_reset(&key);
  ice_buf_reset(&out);
}

int main(void) {
  ICE_RUN(test_several_columns);
  ICE_RUN(test_integers_and_floats);
  ICE_RUN(test_strings);
  ICE_RUN(test_dates_and_times);
  ICE_RUN(test_decimals_and_fixed);
  ICE_RUN(test_malformed_keys);
  ICE_TEST_EXIT();
}
