/* SPDX-License-Identifier: Apache-2.0 */
/* Single-value serialization vectors (reference/iceberg.md §4), type names, lookups. */
#include <string.h>

#include "harness/ice_test.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_value.h"
#include "util/alloc.h"

static void check_bytes(const struct ib_value *v, const char *hex) {
  struct ice_buf b;
  struct ice_error err;
  ice_buf_init(&b, 1024);
  CHECK_OK(ib_value_serialize(v, &b, &err), &err);
  char got[256] = {0};
  for (size_t i = 0; i < b.len && i < 100; i++)
    snprintf(got + 2 * i, 3, "%02x", b.data[i]);
  CHECK_EQ_STR(got, hex);
  ice_buf_reset(&b);
}

static void test_vectors(void) {
  struct ib_value v;
  memset(&v, 0, sizeof(v));
  v.type = IB_TYPE_INT;
  v.u.i32 = 1234;
  check_bytes(&v, "d2040000");
  v.type = IB_TYPE_LONG;
  v.u.i64 = 1234;
  check_bytes(&v, "d204000000000000");
  v.type = IB_TYPE_DOUBLE;
  v.u.f64 = 1.2345;
  check_bytes(&v, "8d976e1283c0f33f");
  v.u.f64 = 6.0;
  check_bytes(&v, "0000000000001840");
  v.type = IB_TYPE_FLOAT;
  v.u.f32 = -4.5f;
  check_bytes(&v, "000090c0");
  v.type = IB_TYPE_DATE;
  v.u.i32 = 1000;
  check_bytes(&v, "e8030000");
  v.type = IB_TYPE_TIME;
  v.u.i64 = 10000;
  check_bytes(&v, "1027000000000000");
  v.type = IB_TYPE_TIMESTAMP;
  v.u.i64 = 400000;
  check_bytes(&v, "801a060000000000");
  v.type = IB_TYPE_STRING;
  v.bytes = (const uint8_t *)"ABC";
  v.len = 3;
  check_bytes(&v, "414243");
  v.type = IB_TYPE_BOOLEAN;
  v.u.b = true;
  check_bytes(&v, "01");
  uint8_t uuid[16];
  struct ice_error err;
  CHECK_OK(ib_uuid_parse("f79c3e09-677c-4bbd-a479-3f349cb785e7", uuid, &err), &err);
  v.type = IB_TYPE_UUID;
  v.bytes = uuid;
  v.len = 16;
  check_bytes(&v, "f79c3e09677c4bbda4793f349cb785e7");
  /* decimals: minimal big-endian two's complement */
  uint8_t d[8];
  v.type = IB_TYPE_DECIMAL;
  v.bytes = d;
  v.len = ib_decimal_from_int64(12345, d);
  check_bytes(&v, "3039");
  v.len = ib_decimal_from_int64(1234567, d);
  check_bytes(&v, "12d687");
  v.len = ib_decimal_from_int64(-1234567, d);
  check_bytes(&v, "ed2979");
  v.len = ib_decimal_from_int64(11, d);
  check_bytes(&v, "0b");
  v.len = ib_decimal_from_int64(345, d);
  check_bytes(&v, "0159");
  v.len = ib_decimal_from_int64(0, d);
  check_bytes(&v, "00");
  v.len = ib_decimal_from_int64(-128, d);
  check_bytes(&v, "80");
  v.len = ib_decimal_from_int64(128, d);
  check_bytes(&v, "0080");
  /* non-minimal input is minimized */
  uint8_t wide[4] = {0xff, 0xff, 0xff, 0x80};
  v.bytes = wide;
  v.len = 4;
  check_bytes(&v, "80");
  v.type = IB_TYPE_UUID;
  v.len = 3;
  struct ice_buf b;
  ice_buf_init(&b, 64);
  CHECK_EQ_INT(ib_value_serialize(&v, &b, &err), ICE_EINVAL);
  ice_buf_reset(&b);
}

static void test_deserialize_and_promotion(void) {
  struct ice_error err;
  struct ib_type t;
  struct ib_value v;
  memset(&t, 0, sizeof(t));
  const uint8_t four[4] = {0xff, 0xff, 0xff, 0xff};
  t.id = IB_TYPE_LONG;
  CHECK_OK(ib_value_deserialize(&t, four, 4, &v, &err), &err);
  CHECK_EQ_INT(v.u.i64, -1);
  t.id = IB_TYPE_TIMESTAMP;
  const uint8_t day1[4] = {1, 0, 0, 0};
  CHECK_OK(ib_value_deserialize(&t, day1, 4, &v, &err), &err);
  CHECK_EQ_INT(v.u.i64, 86400000000LL);
  t.id = IB_TYPE_DOUBLE;
  const uint8_t f[4] = {0x00, 0x00, 0x90, 0xc0};
  CHECK_OK(ib_value_deserialize(&t, f, 4, &v, &err), &err);
  CHECK(v.u.f64 == -4.5);
  t.id = IB_TYPE_INT;
  CHECK_EQ_INT(ib_value_deserialize(&t, f, 3, &v, &err), ICE_ECORRUPT);
  t.id = IB_TYPE_FIXED;
  t.length = 2;
  CHECK_EQ_INT(ib_value_deserialize(&t, f, 3, &v, &err), ICE_ECORRUPT);
  t.id = IB_TYPE_STRUCT;
  CHECK_EQ_INT(ib_value_deserialize(&t, f, 3, &v, &err), ICE_EINVAL);
}

static void test_decimal_helpers(void) {
  static const int want[39] = {0,  1,  1,  2,  2,  3,  3,  4,  4,  4,  5,  5,  6,
                               6,  6,  7,  7,  8,  8,  9,  9,  9,  10, 10, 11, 11,
                               11, 12, 12, 13, 13, 13, 14, 14, 15, 15, 16, 16, 16};
  for (int p = 0; p <= 38; p++) CHECK_EQ_INT(ib_decimal_bytes_for_precision(p), want[p]);
  CHECK_EQ_INT(ib_decimal_bytes_for_precision(39), 0);
  struct ice_error err;
  uint8_t out[4];
  const uint8_t neg[1] = {0x80};
  CHECK_OK(ib_decimal_sign_extend(neg, 1, out, 4, &err), &err);
  CHECK(out[0] == 0xff && out[1] == 0xff && out[2] == 0xff && out[3] == 0x80);
  const uint8_t big[3] = {0x01, 0x00, 0x00};
  CHECK_EQ_INT(ib_decimal_sign_extend(big, 3, out, 2, &err), ICE_ELIMIT);
}

static void test_compare(void) {
  struct ib_value a, b;
  memset(&a, 0, sizeof(a));
  memset(&b, 0, sizeof(b));
  a.type = b.type = IB_TYPE_DOUBLE;
  a.u.f64 = -0.0;
  b.u.f64 = 0.0;
  CHECK(ib_value_compare(&a, &b) < 0);
  a.type = b.type = IB_TYPE_DECIMAL;
  uint8_t x[1] = {0x80}, y[2] = {0x00, 0x7f};
  a.bytes = x;
  a.len = 1;
  b.bytes = y;
  b.len = 2;
  CHECK(ib_value_compare(&a, &b) < 0);
  CHECK(ib_value_compare(&b, &a) > 0);
  a.type = b.type = IB_TYPE_STRING;
  a.bytes = (const uint8_t *)"ab";
  a.len = 2;
  b.bytes = (const uint8_t *)"abc";
  b.len = 3;
  CHECK(ib_value_compare(&a, &b) < 0);
  a.bytes = (const uint8_t *)"\xc3\xa9";
  CHECK(ib_value_compare(&a, &b) > 0); /* unsigned byte order */
}

static void test_type_names(void) {
  static const char *names[] = {
      "boolean", "int",       "long",         "float",        "double",         "date",
      "time",    "timestamp", "timestamptz",  "timestamp_ns", "timestamptz_ns", "string",
      "uuid",    "binary",    "decimal(9,2)", "fixed[16]"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    struct ib_type t;
    struct ice_error err;
    char buf[48];
    CHECK_OK(ib_type_parse_primitive(names[i], &t, &err), &err);
    CHECK_EQ_STR(ib_type_name(&t, buf, sizeof(buf)), names[i]);
  }
  struct ib_type t;
  struct ice_error err;
  CHECK_OK(ib_type_parse_primitive("decimal(38, 10)", &t, &err), &err);
  CHECK_EQ_INT(t.precision, 38);
  CHECK_EQ_INT(t.scale, 10);
  static const char *bad[] = {"decimal(39,1)", "decimal(5,6)",          "fixed[0]",
                              "fixed[x]",      "decimal(1,)",           "varchar",
                              "struct",        "decimal(99999999999,1)"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    CHECK_EQ_INT(ib_type_parse_primitive(bad[i], &t, &err), ICE_ECORRUPT);
}

static void test_schema_validation(void) {
  /* JSON with single quotes, turned into double quotes below, keeps these readable. */
  static const char *bad[] = {
      /* duplicate id */
      "{'type':'struct','fields':[{'id':1,'name':'a','required':true,'type':'int'},"
      " {'id':1,'name':'b','required':true,'type':'int'}]}",
      /* duplicate name */
      "{'type':'struct','fields':[{'id':1,'name':'a','required':true,'type':'int'},"
      " {'id':2,'name':'a','required':true,'type':'int'}]}",
      /* identifier field optional */
      "{'type':'struct','identifier-field-ids':[1],"
      " 'fields':[{'id':1,'name':'a','required':false,'type':'int'}]}",
      /* list without element-required */
      "{'type':'struct','fields':[{'id':1,'name':'a','required':true,"
      " 'type':{'type':'list','element-id':2,'element':'int'}}]}",
      /* identifier field inside an optional struct */
      "{'type':'struct','identifier-field-ids':[2],'fields':[{'id':1,'name':'s',"
      " 'required':false,'type':{'type':'struct','fields':[{'id':2,'name':'k',"
      " 'required':true,'type':'long'}]}}]}",
      /* reserved id range */
      "{'type':'struct','fields':[{'id':2147483600,'name':'a','required':true,"
      " 'type':'int'}]}",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char json[512];
    snprintf(json, sizeof(json), "%s", bad[i]);
    for (char *q = json; *q; q++) {
      if (*q == '\'') *q = '"';
    }
    struct ib_schema s;
    struct ice_error err;
    CHECK_EQ_INT(ib_schema_parse(json, strlen(json), &s, &err), ICE_ECORRUPT);
  }
  const char *ok =
      "{\"type\":\"struct\",\"schema-id\":3,\"identifier-field-ids\":[1],\"fields\":["
      "{\"id\":1,\"name\":\"a.b\",\"required\":true,\"type\":\"long\",\"doc\":\"dotted\"}"
      ","
      "{\"id\":2,\"name\":\"m\",\"required\":false,\"type\":{\"type\":\"map\",\"key-id\":"
      "3,"
      "\"key\":\"string\",\"value-id\":4,\"value-required\":false,\"value\":{\"type\":"
      "\"struct\","
      "\"fields\":[{\"id\":5,\"name\":\"z\",\"required\":false,\"type\":\"fixed[3]\"}]}}}"
      "]}";
  struct ib_schema s, c;
  struct ice_error err;
  const char *nested_ok =
      "{\"type\":\"struct\",\"identifier-field-ids\":[2],\"fields\":[{\"id\":1,"
      "\"name\":\"s\",\"required\":true,\"type\":{\"type\":\"struct\",\"fields\":"
      "[{\"id\":2,\"name\":\"k\",\"required\":true,\"type\":\"long\"}]}}]}";
  CHECK_OK(ib_schema_parse(nested_ok, strlen(nested_ok), &s, &err), &err);
  ib_schema_reset(&s);
  CHECK_OK(ib_schema_parse(ok, strlen(ok), &s, &err), &err);
  CHECK_EQ_INT(s.schema_id, 3);
  CHECK_EQ_INT(ib_schema_find_by_name(&s, "a.b")->id, 1);
  CHECK_EQ_INT(ib_schema_find_by_name(&s, "m.value.z")->id, 5);
  CHECK_EQ_INT(ib_schema_find_by_name(&s, "m.key")->id, 3);
  CHECK(ib_schema_find_by_name(&s, "m.nope") == NULL);
  CHECK_OK(ib_schema_copy(&c, &s, &err), &err);
  CHECK(ib_type_equal(&c.root, &s.root));
  CHECK_EQ_INT(c.n_identifier_field_ids, 1);
  char *json = NULL;
  CHECK_OK(ib_schema_to_string(&c, &json, &err), &err);
  CHECK(json != NULL && strstr(json, "\"identifier-field-ids\":[1]") != NULL);
  ice_free(json);
  ib_schema_reset(&c);
  ib_schema_reset(&s);
}

int main(void) {
  ICE_RUN(test_vectors);
  ICE_RUN(test_deserialize_and_promotion);
  ICE_RUN(test_decimal_helpers);
  ICE_RUN(test_compare);
  ICE_RUN(test_type_names);
  ICE_RUN(test_schema_validation);
  ICE_TEST_EXIT();
}
