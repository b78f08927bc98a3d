/* SPDX-License-Identifier: Apache-2.0 */
/* Partition transforms against the spec's Appendix B vectors and pyiceberg's results
 * (reference/iceberg.md §5). */
#include <string.h>

#include "harness/ice_test.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_transform.h"

static struct ib_value v_int(enum ib_type_id t, int32_t x) {
  struct ib_value v;
  memset(&v, 0, sizeof(v));
  v.type = t;
  v.u.i32 = x;
  return v;
}

static struct ib_value v_long(enum ib_type_id t, int64_t x) {
  struct ib_value v;
  memset(&v, 0, sizeof(v));
  v.type = t;
  v.u.i64 = x;
  return v;
}

static struct ib_value v_bytes(enum ib_type_id t, const void *p, size_t n) {
  struct ib_value v;
  memset(&v, 0, sizeof(v));
  v.type = t;
  v.bytes = p;
  v.len = n;
  return v;
}

static int32_t hash_of(struct ib_value v) {
  int32_t h = 0;
  struct ice_error err;
  CHECK_OK(ib_bucket_hash(&v, &h, &err), &err);
  return h;
}

static void test_hash_vectors(void) {
  CHECK_EQ_INT(hash_of(v_int(IB_TYPE_INT, 34)), 2017239379);
  CHECK_EQ_INT(hash_of(v_long(IB_TYPE_LONG, 34)), 2017239379);
  const uint8_t dec[2] = {0x05, 0x8c}; /* 14.20 */
  CHECK_EQ_INT(hash_of(v_bytes(IB_TYPE_DECIMAL, dec, 2)), -500754589);
  const uint8_t dec_wide[4] = {0x00, 0x00, 0x05, 0x8c}; /* same value, not minimal */
  CHECK_EQ_INT(hash_of(v_bytes(IB_TYPE_DECIMAL, dec_wide, 4)), -500754589);
  CHECK_EQ_INT(hash_of(v_int(IB_TYPE_DATE, 17486)), -653330422);
  CHECK_EQ_INT(hash_of(v_long(IB_TYPE_TIME, 81068000000)), -662762989);
  CHECK_EQ_INT(hash_of(v_long(IB_TYPE_TIMESTAMP, 1510871468000000)), -2047944441);
  CHECK_EQ_INT(hash_of(v_long(IB_TYPE_TIMESTAMP, 1510871468000001)), -1207196810);
  CHECK_EQ_INT(hash_of(v_long(IB_TYPE_TIMESTAMPTZ, 1510871468000000)), -2047944441);
  CHECK_EQ_INT(hash_of(v_long(IB_TYPE_TIMESTAMP_NS, 1510871468000000999)), -2047944441);
  CHECK_EQ_INT(hash_of(v_bytes(IB_TYPE_STRING, "iceberg", 7)), 1210000089);
  CHECK_EQ_INT(hash_of(v_bytes(IB_TYPE_STRING, "34", 2)), -427558391);
  uint8_t u[16];
  struct ice_error err;
  CHECK_OK(ib_uuid_parse("f79c3e09-677c-4bbd-a479-3f349cb785e7", u, &err), &err);
  CHECK_EQ_INT(hash_of(v_bytes(IB_TYPE_UUID, u, 16)), 1488055340);
  const uint8_t b[4] = {0, 1, 2, 3};
  CHECK_EQ_INT(hash_of(v_bytes(IB_TYPE_BINARY, b, 4)), -188683207);
  CHECK_EQ_INT(hash_of(v_bytes(IB_TYPE_FIXED, b, 4)), -188683207);
  CHECK_EQ_INT(hash_of(v_long(IB_TYPE_LONG, 0)), 1669671676);
  CHECK_EQ_INT(hash_of(v_int(IB_TYPE_INT, -1)), 1651860712);
  CHECK_EQ_INT(ib_murmur3_32(NULL, 0), 0);
}

static int32_t apply_int(const char *transform, enum ib_type_id src, struct ib_value in) {
  struct ib_transform t;
  struct ib_type st;
  struct ice_error err;
  uint8_t scratch[16];
  struct ib_value out;
  memset(&st, 0, sizeof(st));
  st.id = src;
  if (src == IB_TYPE_DECIMAL) {
    st.precision = 9;
    st.scale = 2;
  }
  if (src == IB_TYPE_FIXED) st.length = (int32_t)in.len;
  CHECK_OK(ib_transform_parse(transform, &t, &err), &err);
  memset(&out, 0, sizeof(out));
  CHECK_OK(ib_transform_apply(&t, &st, &in, scratch, &out, &err), &err);
  return out.u.i32;
}

static void test_bucket_results(void) {
  CHECK_EQ_INT(apply_int("bucket[2]", IB_TYPE_INT, v_int(IB_TYPE_INT, 0)), 0);
  CHECK_EQ_INT(apply_int("bucket[100]", IB_TYPE_INT, v_int(IB_TYPE_INT, 34)), 79);
  CHECK_EQ_INT(apply_int("bucket[100]", IB_TYPE_DATE, v_int(IB_TYPE_DATE, 17486)), 26);
  CHECK_EQ_INT(apply_int("bucket[100]", IB_TYPE_TIME, v_long(IB_TYPE_TIME, 81068000000)),
               59);
  CHECK_EQ_INT(apply_int("bucket[100]", IB_TYPE_TIMESTAMP,
                         v_long(IB_TYPE_TIMESTAMP, 1510871468000000)),
               7);
  const uint8_t dec[2] = {0x05, 0x8c};
  CHECK_EQ_INT(
      apply_int("bucket[100]", IB_TYPE_DECIMAL, v_bytes(IB_TYPE_DECIMAL, dec, 2)), 59);
  const uint8_t neg[1] = {0x80}; /* -1.28 */
  CHECK_EQ_INT(apply_int("bucket[16]", IB_TYPE_DECIMAL, v_bytes(IB_TYPE_DECIMAL, neg, 1)),
               13);
  CHECK_EQ_INT(
      apply_int("bucket[100]", IB_TYPE_STRING, v_bytes(IB_TYPE_STRING, "iceberg", 7)),
      89);
  uint8_t u[16];
  struct ice_error err;
  CHECK_OK(ib_uuid_parse("f79c3e09-677c-4bbd-a479-3f349cb785e7", u, &err), &err);
  CHECK_EQ_INT(apply_int("bucket[100]", IB_TYPE_UUID, v_bytes(IB_TYPE_UUID, u, 16)), 40);
  CHECK_EQ_INT(apply_int("bucket[128]", IB_TYPE_FIXED, v_bytes(IB_TYPE_FIXED, "foo", 3)),
               32);
}

static void test_truncate(void) {
  CHECK_EQ_INT(apply_int("truncate[10]", IB_TYPE_INT, v_int(IB_TYPE_INT, 1)), 0);
  CHECK_EQ_INT(apply_int("truncate[10]", IB_TYPE_INT, v_int(IB_TYPE_INT, -1)), -10);
  struct ib_transform t;
  struct ib_type st;
  struct ice_error err;
  uint8_t scratch[16];
  struct ib_value out, in;
  memset(&st, 0, sizeof(st));
  st.id = IB_TYPE_LONG;
  CHECK_OK(ib_transform_parse("truncate[10]", &t, &err), &err);
  in = v_long(IB_TYPE_LONG, -11);
  CHECK_OK(ib_transform_apply(&t, &st, &in, scratch, &out, &err), &err);
  CHECK_EQ_INT(out.u.i64, -20);
  /* decimal 10.65, W=50 (unscaled) -> 10.50 */
  st.id = IB_TYPE_DECIMAL;
  st.precision = 9;
  st.scale = 2;
  CHECK_OK(ib_transform_parse("truncate[50]", &t, &err), &err);
  const uint8_t d1065[2] = {0x04, 0x29}; /* 1065 */
  in = v_bytes(IB_TYPE_DECIMAL, d1065, 2);
  CHECK_OK(ib_transform_apply(&t, &st, &in, scratch, &out, &err), &err);
  CHECK(out.len == 2 && out.bytes[0] == 0x04 && out.bytes[1] == 0x1A); /* 1050 */
  const uint8_t dneg[1] = {0xFF};                                      /* -1 -> -50 */
  in = v_bytes(IB_TYPE_DECIMAL, dneg, 1);
  CHECK_OK(ib_transform_apply(&t, &st, &in, scratch, &out, &err), &err);
  CHECK(out.len == 1 && out.bytes[0] == 0xCE);
  /* 16 bytes from a corrupt file beyond 38 digits (the most negative 128-bit value
   * overflowed on the way): refused; 38 nines still truncate. */
  uint8_t dmin[16] = {0x80};
  in = v_bytes(IB_TYPE_DECIMAL, dmin, 16);
  CHECK_EQ_INT(ib_transform_apply(&t, &st, &in, scratch, &out, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "more than 38 digits") != NULL);
  /* -(10^38 - 1) = 0xB4C4B357A5793B85F675DDC000000001 (two's complement) */
  const uint8_t dnines[16] = {0xB4, 0xC4, 0xB3, 0x57, 0xA5, 0x79, 0x3B, 0x85,
                              0xF6, 0x75, 0xDD, 0xC0, 0x00, 0x00, 0x00, 0x01};
  in = v_bytes(IB_TYPE_DECIMAL, dnines, 16);
  CHECK_OK(ib_transform_apply(&t, &st, &in, scratch, &out, &err), &err);
  /* strings by code points, never splitting UTF-8 */
  st.id = IB_TYPE_STRING;
  CHECK_OK(ib_transform_parse("truncate[3]", &t, &err), &err);
  in = v_bytes(IB_TYPE_STRING, "iceberg", 7);
  CHECK_OK(ib_transform_apply(&t, &st, &in, scratch, &out, &err), &err);
  CHECK(out.len == 3 && memcmp(out.bytes, "ice", 3) == 0);
  in = v_bytes(IB_TYPE_STRING, "\xc3\xa9t\xc3\xa9!", 6); /* "été!" */
  CHECK_OK(ib_transform_apply(&t, &st, &in, scratch, &out, &err), &err);
  CHECK_EQ_INT(out.len, 5);
  st.id = IB_TYPE_BINARY;
  in = v_bytes(IB_TYPE_BINARY, "\x01\x02\x03\x04", 4);
  CHECK_OK(ib_transform_apply(&t, &st, &in, scratch, &out, &err), &err);
  CHECK_EQ_INT(out.len, 3);
}

static void test_temporal(void) {
  const int64_t ts = 1510871468000000; /* 2017-11-16T22:31:08 */
  CHECK_EQ_INT(apply_int("year", IB_TYPE_TIMESTAMP, v_long(IB_TYPE_TIMESTAMP, ts)), 47);
  CHECK_EQ_INT(apply_int("month", IB_TYPE_TIMESTAMP, v_long(IB_TYPE_TIMESTAMP, ts)),
               47 * 12 + 10);
  CHECK_EQ_INT(apply_int("day", IB_TYPE_TIMESTAMP, v_long(IB_TYPE_TIMESTAMP, ts)), 17486);
  CHECK_EQ_INT(apply_int("hour", IB_TYPE_TIMESTAMP, v_long(IB_TYPE_TIMESTAMP, ts)),
               17486 * 24 + 22);
  CHECK_EQ_INT(apply_int("day", IB_TYPE_DATE, v_int(IB_TYPE_DATE, 17486)), 17486);
  CHECK_EQ_INT(apply_int("month", IB_TYPE_DATE, v_int(IB_TYPE_DATE, 17486)), 574);
  CHECK_EQ_INT(apply_int("year", IB_TYPE_DATE, v_int(IB_TYPE_DATE, 0)), 0);
  /* floor semantics before the epoch */
  CHECK_EQ_INT(apply_int("day", IB_TYPE_TIMESTAMP, v_long(IB_TYPE_TIMESTAMP, -1)), -1);
  CHECK_EQ_INT(apply_int("hour", IB_TYPE_TIMESTAMP, v_long(IB_TYPE_TIMESTAMP, -1)), -1);
  CHECK_EQ_INT(apply_int("month", IB_TYPE_TIMESTAMP, v_long(IB_TYPE_TIMESTAMP, -1)), -1);
  CHECK_EQ_INT(apply_int("year", IB_TYPE_TIMESTAMP, v_long(IB_TYPE_TIMESTAMP, -1)), -1);
  CHECK_EQ_INT(apply_int("year", IB_TYPE_DATE, v_int(IB_TYPE_DATE, -365)), -1);
  CHECK_EQ_INT(apply_int("year", IB_TYPE_DATE, v_int(IB_TYPE_DATE, -366)),
               -2); /* 1968 leap */
  /* 2000-02-29 = day 11016; 2000-03-01 = 11017 */
  CHECK_EQ_INT(apply_int("month", IB_TYPE_DATE, v_int(IB_TYPE_DATE, 11016)), 30 * 12 + 1);
  CHECK_EQ_INT(apply_int("month", IB_TYPE_DATE, v_int(IB_TYPE_DATE, 11017)), 30 * 12 + 2);
  CHECK_EQ_INT(apply_int("day", IB_TYPE_TIMESTAMP_NS,
                         v_long(IB_TYPE_TIMESTAMP_NS, ts * 1000 + 999)),
               17486);
}

static void test_parse_and_types(void) {
  struct ib_transform t;
  struct ice_error err;
  static const char *bad[] = {"bucket[0]",    "bucket[]", "bucket[x]",
                              "truncate[-1]", "zorder",   "bucket[99999999999]",
                              "bucket[4"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    CHECK_EQ_INT(ib_transform_parse(bad[i], &t, &err), ICE_EUNSUPPORTED);
  struct ib_type src, out;
  memset(&src, 0, sizeof(src));
  src.id = IB_TYPE_DATE;
  CHECK_OK(ib_transform_parse("hour", &t, &err), &err);
  CHECK_EQ_INT(ib_transform_result_type(&t, &src, &out, &err), ICE_EINVAL);
  CHECK_OK(ib_transform_parse("day", &t, &err), &err);
  CHECK_OK(ib_transform_result_type(&t, &src, &out, &err), &err);
  CHECK_EQ_INT(out.id, IB_TYPE_DATE);
  src.id = IB_TYPE_DOUBLE;
  CHECK_OK(ib_transform_parse("bucket[4]", &t, &err), &err);
  CHECK_EQ_INT(ib_transform_result_type(&t, &src, &out, &err), ICE_EINVAL);
  CHECK_OK(ib_transform_parse("identity", &t, &err), &err);
  CHECK_OK(ib_transform_result_type(&t, &src, &out, &err), &err);
  CHECK_EQ_INT(out.id, IB_TYPE_DOUBLE);
}

int main(void) {
  ICE_RUN(test_hash_vectors);
  ICE_RUN(test_bucket_results);
  ICE_RUN(test_truncate);
  ICE_RUN(test_temporal);
  ICE_RUN(test_parse_and_types);
  ICE_TEST_EXIT();
}
