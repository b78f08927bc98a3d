/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests of the `icestream cat` renderers on hand-built Arrow C Data arrays: every scalar
 * text form (shortest floats, decimals, dates, times, timestamps, INT96, UUID, base64,
 * UTF-8 repair and JSON escaping), nested values, sliced arrays (non-zero offsets), CSV
 * quoting, and rejection of inconsistent arrays. The CLI is a program, not a library
 * module, so its sources are compiled into this test directly.
 */
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli_arrow_view.c"
#include "cli/cli_error.c"
#include "cli/cli_out.c"
#include "cli/render_csv.c"
#include "cli/render_jsonl.c"
#include "cli/render_scalar.c"
#include "cli/render_value.c"
#include "harness/ice_test.h"

/* ---------------------------------------------------------------- output capture */
static struct cli_out test_out;
static char captured[1 << 16];
static FILE *capture_file;

static void capture_begin(void) {
  capture_file = tmpfile();
  cli_out_init(&test_out, fileno(capture_file));
}

static const char *capture_end(void) {
  cli_out_drain(&test_out);
  fflush(capture_file);
  rewind(capture_file);
  size_t n = fread(captured, 1, sizeof captured - 1, capture_file);
  captured[n] = '\0';
  fclose(capture_file);
  return captured;
}

/* ---------------------------------------------------------------- scalar forms */
#define SCALAR(expr, want)             \
  do {                                 \
    capture_begin();                   \
    expr;                              \
    CHECK_EQ_STR(capture_end(), want); \
  } while (0)

static void test_floats(void) {
  struct cli_out *o = &test_out;
  SCALAR(render_f64(o, 0.1, true), "0.1");
  SCALAR(render_f64(o, 1.0 / 3.0, true), "0.3333333333333333");
  SCALAR(render_f64(o, 1e21, true), "1e+21");
  SCALAR(render_f64(o, 123456789.0, true), "123456789");
  SCALAR(render_f64(o, -0.0, true), "-0");
  SCALAR(render_f64(o, 5e-324, true), "5e-324");
  SCALAR(render_f64(o, 1.7976931348623157e308, true), "1.7976931348623157e+308");
  SCALAR(render_f64(o, NAN, true), "\"NaN\"");
  SCALAR(render_f64(o, INFINITY, true), "\"Infinity\"");
  SCALAR(render_f64(o, -INFINITY, false), "-Infinity");
  SCALAR(render_f32(o, 0.1f, true), "0.1");
  SCALAR(render_f32(o, 1.0f / 3.0f, true), "0.33333334");
  SCALAR(render_f32(o, 3.4028235e38f, true), "3.4028235e+38");
  SCALAR(render_f32(o, 16777216.0f, true), "16777216");
  SCALAR(render_f16(o, 0x3C00, true), "1");
  SCALAR(render_f16(o, 0xC000, true), "-2");
  SCALAR(render_f16(o, 0x3555, true), "0.33325195");
  SCALAR(render_f16(o, 0x0001, true), "5.9604645e-08");
  SCALAR(render_f16(o, 0x7C00, true), "\"Infinity\"");
  SCALAR(render_f16(o, 0x7E00, true), "\"NaN\"");
}

/* The linear definition of the float forms: the first %.{p}g that reads back. */
static int linear_shortest(char *buf, size_t cap, double v, int max, bool single) {
  int n = 0;
  for (int p = 1; p <= max; p++) {
    n = snprintf(buf, cap, "%.*g", p, v);
    if (single ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v) break;
  }
  return n;
}

/* The fast search must give exactly the linear scan's text, for random bit patterns
 * (all exponents, subnormals included), powers of two and short decimals. */
static void test_floats_match_linear_scan(void) {
  uint64_t state = 0x9E3779B97F4A7C15ull;
  char want[40], got[40];
  int mismatches = 0;
  for (int i = 0; i < 40000; i++) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    double d;
    uint64_t bits = state;
    if (i % 4 == 1) bits &= 0x800FFFFFFFFFFFFFull; /* subnormal */
    if (i % 4 == 2) bits &= 0xFFF0000000000000ull; /* power of two */
    memcpy(&d, &bits, sizeof d);
    if (i % 4 == 3) d = (double)(int64_t)(state % 2000001) / 1000.0 - 1000.0;
    if (isnan(d) || isinf(d)) continue;
    linear_shortest(want, sizeof want, d, 17, false);
    shortest_g(got, sizeof got, d, 15, 17, false);
    if (strcmp(want, got) != 0 && mismatches++ < 5) {
      fprintf(stderr, "  double %a: linear %s, fast %s\n", d, want, got);
    }
    float f;
    uint32_t fbits = (uint32_t)(state >> 32);
    if (i % 4 == 1) fbits &= 0x807FFFFFu;
    if (i % 4 == 2) fbits &= 0xFF800000u;
    memcpy(&f, &fbits, sizeof f);
    if (i % 4 == 3) f = (float)d;
    if (isnan(f) || isinf(f)) continue;
    linear_shortest(want, sizeof want, (double)f, 9, true);
    shortest_g(got, sizeof got, (double)f, 6, 9, true);
    if (strcmp(want, got) != 0 && mismatches++ < 5) {
      fprintf(stderr, "  float %a: linear %s, fast %s\n", (double)f, want, got);
    }
  }
  CHECK_EQ_INT(mismatches, 0);
}

static void le_bytes(uint8_t *out, int n, int64_t hi_fill, uint64_t lo) {
  for (int i = 0; i < n; i++)
    out[i] = (uint8_t)(i < 8 ? lo >> (8 * i) : (uint64_t)hi_fill);
}

static void test_decimals(void) {
  struct cli_out *o = &test_out;
  uint8_t b[32];
  le_bytes(b, 16, 0xff, (uint64_t)-1230);
  SCALAR(render_decimal(o, b, 16, 2), "-12.30");
  le_bytes(b, 16, 0, 5);
  SCALAR(render_decimal(o, b, 16, 3), "0.005");
  le_bytes(b, 16, 0, 0);
  SCALAR(render_decimal(o, b, 16, 2), "0.00");
  SCALAR(render_decimal(o, b, 16, 0), "0");
  le_bytes(b, 4, 0, 12345);
  SCALAR(render_decimal(o, b, 4, 0), "12345");
  le_bytes(b, 8, 0, (uint64_t)-7);
  SCALAR(render_decimal(o, b, 8, 1), "-0.7");
  le_bytes(b, 16, 0, 42);
  SCALAR(render_decimal(o, b, 16, -2), "4200");
  /* 10^38 - 1 = 0x4B3B4CA85A86C47A098A223FFFFFFFFF, the largest DECIMAL(38) */
  const uint8_t max38[16] = {0xff, 0xff, 0xff, 0xff, 0x3f, 0x22, 0x8a, 0x09,
                             0x7a, 0xc4, 0x86, 0x5a, 0xa8, 0x4c, 0x3b, 0x4b};
  SCALAR(render_decimal(o, max38, 16, 10), "9999999999999999999999999999.9999999999");
  /* -(2^255) as a 256-bit decimal */
  uint8_t min256[32] = {0};
  min256[31] = 0x80;
  SCALAR(
      render_decimal(o, min256, 32, 0),
      "-57896044618658097711785492504343953926634992332820282019728792003956564819968");
  /* 10^9 exactly: a chunk boundary inside the base-10^9 conversion */
  le_bytes(b, 16, 0, 1000000000u);
  SCALAR(render_decimal(o, b, 16, 0), "1000000000");
  le_bytes(b, 16, 0, 1000000000000000000ull);
  SCALAR(render_decimal(o, b, 16, 3), "1000000000000000.000");
}

static void test_dates_times(void) {
  struct cli_out *o = &test_out;
  SCALAR(render_date(o, 0), "1970-01-01");
  SCALAR(render_date(o, -1), "1969-12-31");
  SCALAR(render_date(o, 19723), "2024-01-01");
  SCALAR(render_date(o, 11016), "2000-02-29");
  SCALAR(render_date(o, 2932896), "9999-12-31");
  SCALAR(render_date(o, 2932897), "+10000-01-01");
  SCALAR(render_date(o, -719528), "0000-01-01");
  SCALAR(render_date(o, -719529), "-0001-12-31");
  SCALAR(render_time(o, 3723000001LL, CLI_UNIT_US), "01:02:03.000001");
  SCALAR(render_time(o, 1, CLI_UNIT_MS), "00:00:00.001000");
  SCALAR(render_time(o, 86399999999999LL, CLI_UNIT_NS), "23:59:59.999999999");
  SCALAR(render_time(o, 5, CLI_UNIT_S), "00:00:05.000000");
  SCALAR(render_timestamp(o, 0, CLI_UNIT_US, true), "1970-01-01T00:00:00.000000Z");
  SCALAR(render_timestamp(o, -1, CLI_UNIT_US, false), "1969-12-31T23:59:59.999999");
  SCALAR(render_timestamp(o, 1704067200123LL, CLI_UNIT_MS, false),
         "2024-01-01T00:00:00.123000");
  SCALAR(render_timestamp(o, 1704067200123456789LL, CLI_UNIT_NS, true),
         "2024-01-01T00:00:00.123456789Z");
  SCALAR(render_timestamp(o, INT64_MIN, CLI_UNIT_US, false),
         "-290308-12-21T19:59:05.224192");
  SCALAR(render_timestamp(o, INT64_MAX, CLI_UNIT_NS, false),
         "2262-04-11T23:47:16.854775807");
  /* INT96: nanoseconds of day then Julian day, little-endian */
  uint8_t i96[12] = {0};
  uint64_t nanos = 3723000000123ULL;
  uint32_t jd = 2440588;
  for (int i = 0; i < 8; i++) i96[i] = (uint8_t)(nanos >> (8 * i));
  for (int i = 0; i < 4; i++) i96[8 + i] = (uint8_t)(jd >> (8 * i));
  SCALAR(render_int96(o, i96), "1970-01-01T01:02:03.000000123");
  jd = 1721426; /* 0001-01-01: outside the int64-nanosecond range */
  for (int i = 0; i < 4; i++) i96[8 + i] = (uint8_t)(jd >> (8 * i));
  SCALAR(render_int96(o, i96), "0001-01-01T01:02:03.000000123");
  jd = 0xffffffffu; /* Julian day -1 (signed) */
  for (int i = 0; i < 4; i++) i96[8 + i] = (uint8_t)(jd >> (8 * i));
  memset(i96, 0xff, 8); /* nanos = -1: one nanosecond before the day */
  SCALAR(render_int96(o, i96), "-4713-11-22T23:59:59.999999999");
  /* Spark 3.4 writes 290000-12-30T23:00:00Z as day -105862232, nanos -32509551616000
   * (int64 microsecond overflow); parquet-testing int96_from_spark.md documents the
   * value. */
  int64_t spark_nanos = -32509551616000LL;
  int32_t spark_day = -105862232;
  for (int i = 0; i < 8; i++) i96[i] = (uint8_t)((uint64_t)spark_nanos >> (8 * i));
  for (int i = 0; i < 4; i++) i96[8 + i] = (uint8_t)((uint32_t)spark_day >> (8 * i));
  SCALAR(render_int96(o, i96), "+290000-12-30T23:00:00.000000000");
  /* nanos = INT64_MIN on the epoch day: the sub-microsecond part must not overflow
   * (fuzz_cli_render finding); the instant is int64 nanoseconds' own minimum. */
  for (int i = 0; i < 8; i++) i96[i] = (uint8_t)((uint64_t)INT64_MIN >> (8 * i));
  jd = 2440588;
  for (int i = 0; i < 4; i++) i96[8 + i] = (uint8_t)(jd >> (8 * i));
  SCALAR(render_int96(o, i96), "1677-09-21T00:12:43.145224192");
}

static void test_bytes_and_strings(void) {
  struct cli_out *o = &test_out;
  SCALAR(render_base64(o, (const uint8_t *)"", 0), "");
  SCALAR(render_base64(o, (const uint8_t *)"f", 1), "Zg==");
  SCALAR(render_base64(o, (const uint8_t *)"fo", 2), "Zm8=");
  SCALAR(render_base64(o, (const uint8_t *)"foo", 3), "Zm9v");
  SCALAR(render_base64(o, (const uint8_t *)"\x00\xff\xfe\x01", 4), "AP/+AQ==");
  const uint8_t u[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                         0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
  SCALAR(render_uuid(o, u), "00112233-4455-6677-8899-aabbccddeeff");
#define STR(lit) (const uint8_t *)(lit), sizeof(lit) - 1
  SCALAR(render_json_string(o, STR("a\"b\\c\n\t\x01\x7f")),
         "\"a\\\"b\\\\c\\n\\t\\u0001\x7f\"");
  SCALAR(render_json_string(o, STR("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")),
         "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  SCALAR(render_json_string(o, STR("a\xff"
                                   "b")),
         "\"a\\ufffdb\"");
  SCALAR(render_json_string(o, STR("\xe2\x82")), "\"\\ufffd\""); /* truncated */
  SCALAR(render_json_string(o, STR("\xed\xa0\x80")),
         "\"\\ufffd\\ufffd\\ufffd\"");                                  /* surrogate */
  SCALAR(render_json_string(o, STR("\xc0\xaf")), "\"\\ufffd\\ufffd\""); /* overlong */
  SCALAR(render_json_string(o, STR("\xf4\x90\x80\x80")),
         "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
  SCALAR(render_utf8_text(o, STR("x\xffy")), "x\xef\xbf\xbdy");
  SCALAR(render_i64(o, INT64_MIN), "-9223372036854775808");
  SCALAR(render_u64(o, UINT64_MAX), "18446744073709551615");
}

/* ---------------------------------------------------------------- hand-built arrays */
static void no_release(struct ArrowArray *a) {
  (void)a;
}
static void no_release_schema(struct ArrowSchema *s) {
  (void)s;
}

static struct ArrowArray make_array(int64_t length, int64_t null_count, int64_t offset,
                                    int64_t n_buffers, const void **buffers,
                                    int64_t n_children, struct ArrowArray **children) {
  struct ArrowArray a = {length,  null_count, offset, n_buffers,  n_children,
                         buffers, children,   NULL,   no_release, NULL};
  return a;
}

static struct ArrowSchema make_schema(const char *format, const char *name,
                                      int64_t n_children, struct ArrowSchema **children) {
  struct ArrowSchema s = {format,     name,     NULL, ARROW_FLAG_NULLABLE,
                          n_children, children, NULL, no_release_schema,
                          NULL};
  return s;
}

static struct cli_field test_fields[64];

/* A batch with columns id:int64, s:utf8, li:list<int32>, st:struct<a:int32,b:utf8>,
 * mp:map<utf8,int32>, ts:timestamp[us,UTC], sliced by offset 1 (4 rows visible). */
static void test_rows_jsonl_and_csv(void) {
  /* id: 5 values, slot 0 is hidden by the offset */
  static const int64_t id_vals[] = {99, 1, 2, 3, 4};
  static const void *id_bufs[] = {NULL, id_vals};
  struct ArrowArray id = make_array(5, 0, 0, 2, id_bufs, 0, NULL);

  /* s: "x", "plain", "with,comma", "" , null (validity bit 4 clear) */
  static const uint8_t s_valid[] = {0x0f};
  static const int32_t s_off[] = {0, 1, 6, 16, 16, 16};
  static const char s_data[] = "xplainwith,comma";
  static const void *s_bufs[] = {s_valid, s_off, s_data};
  struct ArrowArray s = make_array(5, 1, 0, 3, s_bufs, 0, NULL);

  /* li: [7], [], null, [8, null], [9]   (elements 7, 8, null, 9) */
  static const int32_t el_vals[] = {7, 8, 0, 9};
  static const uint8_t el_valid[] = {0x0b};
  static const void *el_bufs[] = {el_valid, el_vals};
  struct ArrowArray el = make_array(4, 1, 0, 2, el_bufs, 0, NULL);
  static const int32_t li_off[] = {0, 1, 1, 1, 3, 4};
  static const uint8_t li_valid[] = {0x1b};
  static const void *li_bufs[] = {li_valid, li_off};
  struct ArrowArray *li_children[] = {&el};
  struct ArrowArray li = make_array(5, 1, 0, 2, li_bufs, 1, li_children);

  /* st: {a, b} with the struct null at slot 2; child b has a null at slot 3 */
  static const int32_t a_vals[] = {0, 10, 20, 30, 40};
  static const void *a_bufs[] = {NULL, a_vals};
  struct ArrowArray sa = make_array(5, 0, 0, 2, a_bufs, 0, NULL);
  static const uint8_t b_valid[] = {0x17};
  static const int32_t b_off[] = {0, 0, 1, 2, 3, 4};
  static const char b_data[] = "pqrs";
  static const void *b_bufs[] = {b_valid, b_off, b_data};
  struct ArrowArray sb = make_array(5, 1, 0, 3, b_bufs, 0, NULL);
  static const uint8_t st_valid[] = {0x1b};
  static const void *st_bufs[] = {st_valid};
  struct ArrowArray *st_children[] = {&sa, &sb};
  struct ArrowArray st = make_array(5, 1, 0, 1, st_bufs, 2, st_children);

  /* mp: entries k1->1, k2->null ; rows: {}, {k1:1,k2:null}, {}, {}, {} */
  static const int32_t k_off[] = {0, 2, 4};
  static const char k_data[] = "k1k2";
  static const void *k_bufs[] = {NULL, k_off, k_data};
  struct ArrowArray mk = make_array(2, 0, 0, 3, k_bufs, 0, NULL);
  static const int32_t v_vals[] = {1, 0};
  static const uint8_t v_valid[] = {0x01};
  static const void *v_bufs[] = {v_valid, v_vals};
  struct ArrowArray mv = make_array(2, 1, 0, 2, v_bufs, 0, NULL);
  static const void *e_bufs[] = {NULL};
  struct ArrowArray *e_children[] = {&mk, &mv};
  struct ArrowArray me = make_array(2, 0, 0, 1, e_bufs, 2, e_children);
  static const int32_t mp_off[] = {0, 0, 2, 2, 2, 2};
  static const void *mp_bufs[] = {NULL, mp_off};
  struct ArrowArray *mp_children[] = {&me};
  struct ArrowArray mp = make_array(5, 0, 0, 2, mp_bufs, 1, mp_children);

  static const int64_t ts_vals[] = {0, 0, 1000000, -1, 1704067200000000LL};
  static const void *ts_bufs[] = {NULL, ts_vals};
  struct ArrowArray ts = make_array(5, 0, 0, 2, ts_bufs, 0, NULL);

  struct ArrowArray *cols[] = {&id, &s, &li, &st, &mp, &ts};
  static const void *root_bufs[] = {NULL};
  struct ArrowArray batch = make_array(4, 0, 1, 1, root_bufs, 6, cols);

  struct ArrowSchema s_id = make_schema("l", "id", 0, NULL);
  struct ArrowSchema s_s = make_schema("u", "s", 0, NULL);
  struct ArrowSchema s_el = make_schema("i", "element", 0, NULL);
  struct ArrowSchema *s_li_ch[] = {&s_el};
  struct ArrowSchema s_li = make_schema("+l", "li", 1, s_li_ch);
  struct ArrowSchema s_a = make_schema("i", "a", 0, NULL);
  struct ArrowSchema s_b = make_schema("u", "b", 0, NULL);
  struct ArrowSchema *s_st_ch[] = {&s_a, &s_b};
  struct ArrowSchema s_st = make_schema("+s", "st", 2, s_st_ch);
  struct ArrowSchema s_k = make_schema("u", "key", 0, NULL);
  struct ArrowSchema s_v = make_schema("i", "value", 0, NULL);
  struct ArrowSchema *s_e_ch[] = {&s_k, &s_v};
  struct ArrowSchema s_e = make_schema("+s", "entries", 2, s_e_ch);
  struct ArrowSchema *s_mp_ch[] = {&s_e};
  struct ArrowSchema s_mp = make_schema("+m", "mp", 1, s_mp_ch);
  struct ArrowSchema s_ts = make_schema("tsu:UTC", "ts", 0, NULL);
  struct ArrowSchema *s_root_ch[] = {&s_id, &s_s, &s_li, &s_st, &s_mp, &s_ts};
  struct ArrowSchema s_root = make_schema("+s", "", 6, s_root_ch);

  struct cli_schema sch = {test_fields, 0, 64};
  struct ice_error err = {0};
  CHECK_OK(cli_schema_parse(&sch, &s_root, &err), &err);
  CHECK_OK(cli_array_check(&sch, &sch.fields[0], &batch, 0, &err), &err);

  capture_begin();
  CHECK_OK(render_jsonl_rows(&test_out, &sch, &batch, 4, &err), &err);
  CHECK_EQ_STR(
      capture_end(),
      "{\"id\":1,\"s\":\"plain\",\"li\":[],\"st\":{\"a\":10,\"b\":\"p\"},"
      "\"mp\":[{\"key\":\"k1\",\"value\":1},{\"key\":\"k2\",\"value\":null}],"
      "\"ts\":\"1970-01-01T00:00:00.000000Z\"}\n"
      "{\"id\":2,\"s\":\"with,comma\",\"li\":null,\"st\":null,\"mp\":[],"
      "\"ts\":\"1970-01-01T00:00:01.000000Z\"}\n"
      "{\"id\":3,\"s\":\"\",\"li\":[8,null],\"st\":{\"a\":30,\"b\":null},\"mp\":[],"
      "\"ts\":\"1969-12-31T23:59:59.999999Z\"}\n"
      "{\"id\":4,\"s\":null,\"li\":[9],\"st\":{\"a\":40,\"b\":\"s\"},\"mp\":[],"
      "\"ts\":\"2024-01-01T00:00:00.000000Z\"}\n");

  capture_begin();
  render_csv_header(&test_out, &sch);
  CHECK_OK(render_csv_rows(&test_out, &sch, &batch, 2, &err), &err);
  CHECK_EQ_STR(capture_end(),
               "id,s,li,st,mp,ts\n"
               "1,plain,\"[]\",\"{\"\"a\"\":10,\"\"b\"\":\"\"p\"\"}\","
               "\"[{\"\"key\"\":\"\"k1\"\",\"\"value\"\":1},{\"\"key\"\":\"\"k2\"\","
               "\"\"value\"\":null}]\","
               "1970-01-01T00:00:00.000000Z\n"
               "2,\"with,comma\",,,\"[]\",1970-01-01T00:00:01.000000Z\n");

  /* Inconsistent arrays are errors, not out-of-bounds reads. */
  static const int32_t bad_off[] = {0, 1, 1, 1, 3, 9}; /* past the 4 list elements */
  static const void *bad_bufs[] = {li_valid, bad_off};
  struct ArrowArray bad_li = make_array(5, 1, 0, 2, bad_bufs, 1, li_children);
  cols[2] = &bad_li;
  capture_begin();
  CHECK(render_jsonl_rows(&test_out, &sch, &batch, 4, &err) == ICE_ECORRUPT);
  capture_end();
  cols[2] = &li;
  struct ArrowArray short_ts = make_array(3, 0, 0, 2, ts_bufs, 0, NULL);
  cols[5] = &short_ts;
  CHECK(cli_array_check(&sch, &sch.fields[0], &batch, 0, &err) == ICE_ECORRUPT);
  cols[5] = &ts;
  batch.n_children = 5;
  CHECK(cli_array_check(&sch, &sch.fields[0], &batch, 0, &err) == ICE_ECORRUPT);
}

/* CSV tells an empty binary value ("") from null (empty field). */
static void test_csv_empty_binary(void) {
  static const int32_t off[] = {0, 0, 2, 2};
  static const uint8_t valid[] = {0x03};
  static const char data[] = "hi";
  static const void *bufs[] = {valid, off, data};
  struct ArrowArray bin = make_array(3, 1, 0, 3, bufs, 0, NULL);
  struct ArrowArray *cols[] = {&bin};
  static const void *root_bufs[] = {NULL};
  struct ArrowArray batch = make_array(3, 0, 0, 1, root_bufs, 1, cols);
  struct ArrowSchema s_b = make_schema("z", "b", 0, NULL);
  struct ArrowSchema *ch[] = {&s_b};
  struct ArrowSchema root = make_schema("+s", "", 1, ch);
  struct cli_schema sch = {test_fields, 0, 64};
  struct ice_error err = {0};
  CHECK_OK(cli_schema_parse(&sch, &root, &err), &err);
  capture_begin();
  CHECK_OK(render_csv_rows(&test_out, &sch, &batch, 3, &err), &err);
  CHECK_EQ_STR(capture_end(), "\"\"\naGk=\n\n");
}

static void test_schema_formats(void) {
  struct ice_error err = {0};
  const char *ok[] = {
      "n",   "b",   "c",     "C",           "s",      "S",       "i",         "I",
      "l",   "L",   "e",     "f",           "g",      "u",       "U",         "z",
      "Z",   "w:7", "d:9,2", "d:76,10,256", "d:5,-2", "tdD",     "tdm",       "tts",
      "ttm", "ttu", "ttn",   "tss:",        "tsm:",   "tsu:UTC", "tsn:+01:00"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    struct ArrowSchema sc = make_schema(ok[i], "x", 0, NULL);
    struct cli_schema sch = {test_fields, 0, 64};
    int rc = cli_schema_parse(&sch, &sc, &err);
    if (rc != ICE_OK) fprintf(stderr, "  format %s: %s\n", ok[i], err.message);
    CHECK(rc == ICE_OK);
  }
  const char *bad[] = {"",    "x",    "w:", "w:0", "d:9", "d:9,2,100",
                       "tdX", "tsx:", "+q", "vu",  "tDs"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct ArrowSchema sc = make_schema(bad[i], "x", 0, NULL);
    struct cli_schema sch = {test_fields, 0, 64};
    CHECK(cli_schema_parse(&sch, &sc, &err) != ICE_OK);
  }
  /* extension metadata picks the uuid and int96 forms */
  static const char uuid_md[] =
      "\x01\x00\x00\x00\x14\x00\x00\x00"
      "ARROW:extension:name"
      "\x0a\x00\x00\x00"
      "arrow.uuid";
  struct ArrowSchema u = make_schema("w:16", "u", 0, NULL);
  u.metadata = uuid_md;
  struct cli_schema sch = {test_fields, 0, 64};
  CHECK_OK(cli_schema_parse(&sch, &u, &err), &err);
  CHECK(sch.fields[0].kind == CLI_UUID);
  /* a list needs exactly one child; too many fields is ICE_ELIMIT */
  struct ArrowSchema l0 = make_schema("+l", "l", 0, NULL);
  sch.n = 0;
  CHECK(cli_schema_parse(&sch, &l0, &err) == ICE_ECORRUPT);
  struct ArrowSchema leaf = make_schema("i", "a", 0, NULL);
  struct ArrowSchema *many[3] = {&leaf, &leaf, &leaf};
  struct ArrowSchema st = make_schema("+s", "", 3, many);
  struct cli_schema tiny = {test_fields, 0, 3};
  CHECK(cli_schema_parse(&tiny, &st, &err) == ICE_ELIMIT);
}

int main(void) {
  ICE_RUN(test_floats);
  ICE_RUN(test_floats_match_linear_scan);
  ICE_RUN(test_decimals);
  ICE_RUN(test_dates_times);
  ICE_RUN(test_bytes_and_strings);
  ICE_RUN(test_rows_jsonl_and_csv);
  ICE_RUN(test_csv_empty_binary);
  ICE_RUN(test_schema_formats);
  ICE_TEST_EXIT();
}
