/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Input -> table batch reconciliation: moves, widenings (int32->long, uint64->decimal,
 * float->double, ms->us timestamps, INT96), all-null fill for missing optional
 * columns, and the schema errors (extra column, missing required, narrowing).
 */
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "arrow/arrow_view.h"
#include "harness/ice_test.h"
#include "ops/op_reconcile.h"
#include "util/alloc.h"

static void build_schema(struct ArrowSchema *s, const char *const *fmts, const char *const *names,
                         const int64_t *flags, int n) {
  struct ice_error err;
  CHECK_OK(arrow_schema_init(s, "+s", "", 0, n, &err), &err);
  for (int i = 0; i < n; i++)
    CHECK_OK(arrow_schema_init(s->children[i], fmts[i], names[i], flags[i], 0, &err), &err);
}

static void set_int96_ext(struct ArrowSchema *s) {
  struct ice_error err;
  struct arrow_kv kv = {"ARROW:extension:name", "icestream.int96"};
  CHECK_OK(arrow_schema_set_metadata(s, &kv, 1, &err), &err);
}

/* A primitive child with `n` values copied from `vals` (width bytes each), no nulls. */
static void prim(struct ArrowArray *a, const void *vals, int64_t n, size_t width) {
  struct ice_error err;
  CHECK_OK(arrow_array_init(a, 2, 0, &err), &err);
  void *buf = ice_malloc(n * width);
  memcpy(buf, vals, n * width);
  arrow_array_set_buffer(a, 1, buf);
  a->length = n;
}

static void test_conversions(void) {
  struct ice_error err;
  const char *in_f[] = {"i", "L", "f", "tsm:UTC", "w:12", "u"};
  const char *in_n[] = {"a", "b", "c", "d", "e", "f"};
  const int64_t fl[] = {2, 2, 2, 2, 2, 2, 2};
  const char *tb_f[] = {"l", "d:20,0", "g", "tsu:UTC", "tsu:UTC", "u", "i"};
  const char *tb_n[] = {"a", "b", "c", "d", "e", "f", "g"};
  struct ArrowSchema in_s, tb_s;
  build_schema(&in_s, in_f, in_n, fl, 6);
  set_int96_ext(in_s.children[4]);
  build_schema(&tb_s, tb_f, tb_n, fl, 7);
  struct op_reconcile *r = NULL;
  CHECK_OK(op_reconcile_new(&in_s, &tb_s, "in.parquet", &r, &err), &err);
  if (r == NULL) return;

  struct ArrowArray in;
  CHECK_OK(arrow_array_init(&in, 1, 6, &err), &err);
  in.length = 2;
  int32_t a[] = {-5, 7};
  uint64_t b[] = {18446744073709551615ull, 3};
  float c[] = {1.5f, -2.25f};
  int64_t d[] = {1000, -1};
  uint8_t e[24] = {0};
  int64_t nanos = 1500; /* 1.5 us into 1970-01-02 */
  int32_t jd = 2440589;
  memcpy(e, &nanos, 8);
  memcpy(e + 8, &jd, 4);
  memcpy(e + 12, &nanos, 8);
  jd = 2440587; /* 1969-12-31 */
  memcpy(e + 20, &jd, 4);
  prim(in.children[0], a, 2, 4);
  prim(in.children[1], b, 2, 8);
  prim(in.children[2], c, 2, 4);
  prim(in.children[3], d, 2, 8);
  prim(in.children[4], e, 2, 12);
  /* string column: offsets + data */
  CHECK_OK(arrow_array_init(in.children[5], 3, 0, &err), &err);
  int32_t *off = ice_malloc(3 * sizeof *off);
  off[0] = 0, off[1] = 1, off[2] = 3;
  char *data = ice_malloc(3);
  memcpy(data, "xyz", 3);
  arrow_array_set_buffer(in.children[5], 1, off);
  arrow_array_set_buffer(in.children[5], 2, data);
  in.children[5]->length = 2;

  struct ArrowArray out = {0};
  CHECK_OK(op_reconcile_batch(r, &in, &out, &err), &err);
  CHECK(in.release == NULL);
  if (out.release != NULL) {
    CHECK_EQ_INT(out.length, 2);
    CHECK_EQ_INT(out.n_children, 7);
    const int64_t *la = out.children[0]->buffers[1];
    CHECK_EQ_INT(la[0], -5);
    CHECK_EQ_INT(la[1], 7);
    const uint8_t *dec = out.children[1]->buffers[1];
    uint64_t lo, hi;
    memcpy(&lo, dec, 8);
    memcpy(&hi, dec + 8, 8);
    CHECK(lo == 18446744073709551615ull && hi == 0);
    const double *dc = out.children[2]->buffers[1];
    CHECK(dc[0] == 1.5 && dc[1] == -2.25);
    const int64_t *ts = out.children[3]->buffers[1];
    CHECK_EQ_INT(ts[0], 1000000);
    CHECK_EQ_INT(ts[1], -1000);
    const int64_t *i96 = out.children[4]->buffers[1];
    CHECK_EQ_INT(i96[0], 86400000001LL);
    CHECK_EQ_INT(i96[1], -86400000000LL + 1);
    const int32_t *so = out.children[5]->buffers[1];
    CHECK_EQ_INT(so[2], 3); /* moved, not copied */
    CHECK_EQ_INT(out.children[6]->null_count, 2);
    CHECK(!arrow_array_valid(out.children[6], 0) && !arrow_array_valid(out.children[6], 1));
    out.release(&out);
  }
  op_reconcile_free(r);
  in_s.release(&in_s);
  tb_s.release(&tb_s);
}

static void test_schema_errors(void) {
  struct ice_error err;
  const int64_t fl[] = {2, 2};
  const int64_t req[] = {0, 0};
  struct ArrowSchema in_s, tb_s;
  struct op_reconcile *r = NULL;
  /* extra input column */
  const char *f1[] = {"l", "l"}, *n1[] = {"a", "zz"};
  const char *f2[] = {"l"}, *n2[] = {"a"};
  build_schema(&in_s, f1, n1, fl, 2);
  build_schema(&tb_s, f2, n2, fl, 1);
  CHECK_EQ_INT(op_reconcile_new(&in_s, &tb_s, "x.parquet", &r, &err), ICE_ESCHEMA);
  CHECK(strstr(err.message, "'zz'") && strstr(err.message, "schema evolution"));
  in_s.release(&in_s);
  tb_s.release(&tb_s);
  /* missing required column */
  const char *f3[] = {"l"}, *n3[] = {"a"};
  const char *f4[] = {"l", "u"}, *n4[] = {"a", "name"};
  build_schema(&in_s, f3, n3, fl, 1);
  build_schema(&tb_s, f4, n4, req, 2);
  CHECK_EQ_INT(op_reconcile_new(&in_s, &tb_s, "x.parquet", &r, &err), ICE_ESCHEMA);
  CHECK(strstr(err.message, "'name'") && strstr(err.message, "required"));
  in_s.release(&in_s);
  tb_s.release(&tb_s);
  /* narrowing long -> int, string -> long */
  const char *f5[] = {"l", "u"}, *n5[] = {"a", "b"};
  const char *f6[] = {"i", "l"};
  build_schema(&in_s, f5, n5, fl, 2);
  build_schema(&tb_s, f6, n5, fl, 2);
  CHECK_EQ_INT(op_reconcile_new(&in_s, &tb_s, "x.parquet", &r, &err), ICE_ESCHEMA);
  CHECK(strstr(err.message, "x.parquet") && strstr(err.message, "'a'"));
  in_s.release(&in_s);
  tb_s.release(&tb_s);
}

int main(void) {
  ICE_RUN(test_conversions);
  ICE_RUN(test_schema_errors);
  ICE_TEST_EXIT();
}
