/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Iceberg bounds in the single-value serialization, checked against the vectors of
 * reference/iceberg.md §4 (int, long, double, float, date, time, timestamp, string,
 * uuid, decimals as minimal big-endian), written through the real data-file writer;
 * plus the float zero rule (-0.0 lower, +0.0 upper), NaN-only columns (no bounds),
 * binary upper bounds that cannot be incremented (dropped) and the memory budget.
 */
#include <math.h>

#include "harness/ice_test.h"
#include "test_parquet_write_arrow.h"
#include "writer/wr_data_writer.h"

struct one_file {
  struct ib_data_file df;
  int n;
  char path[512];
};

static int open_cb(void *ctx, int64_t index, struct ice_output **out, char **location,
                   struct ice_error *err) {
  struct one_file *f = ctx;
  char name[64];
  snprintf(name, sizeof name, "bounds-%lld-%d.parquet", (long long)index, f->n);
  tw_tmp_path(f->path, sizeof f->path, name);
  *location = ice_strdup(f->path);
  return io_local_create(f->path, out, err);
}

static int done_cb(void *ctx, const struct ib_data_file *df, struct ice_error *err) {
  struct one_file *f = ctx;
  f->n++;
  ib_data_file_reset(&f->df);
  return ib_data_file_copy(&f->df, df, err);
}

static void write_one(struct ArrowSchema *s, struct ArrowArray *a,
                      const char *const *props, struct one_file *f) {
  struct ice_error err;
  struct wr_options o;
  wr_options_init(&o);
  CHECK_OK(wr_options_apply(&o, props, &err), &err);
  struct wr_data_writer *w;
  ib_data_file_init(&f->df);
  CHECK_OK(wr_data_writer_new(s, &o, open_cb, done_cb, f, &w, &err), &err);
  CHECK_OK(wr_data_writer_write(w, a, &err), &err);
  CHECK_OK(wr_data_writer_close(w, &err), &err);
  wr_data_writer_free(w);
  wr_options_reset(&o);
}

static int bound_is(const struct ib_metric_bounds *b, int32_t id, const char *hex) {
  const struct ib_metric_bound *x = ib_metric_bounds_get(b, id);
  char got[128] = "";
  if (x != NULL) {
    for (size_t i = 0; i < x->len && i < 60; i++)
      snprintf(got + 2 * i, 3, "%02x", x->data[i]);
  }
  if (x == NULL ? hex == NULL : (hex != NULL && strcmp(got, hex) == 0)) return 1;
  fprintf(stderr, "  field %d: bound %s, want %s\n", id, x ? got : "(none)",
          hex ? hex : "(none)");
  return 0;
}

static void test_spec_vectors(void) {
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 12);
  tw_field(s.children[0], "i", "i", 0, 1, 0);
  tw_field(s.children[1], "l", "l", 0, 2, 0);
  tw_field(s.children[2], "g", "d", 0, 3, 0);
  tw_field(s.children[3], "f", "f", 0, 4, 0);
  tw_field(s.children[4], "tdD", "date", 0, 5, 0);
  tw_field(s.children[5], "ttu", "time", 0, 6, 0);
  tw_field(s.children[6], "tsu:", "ts", 0, 7, 0);
  tw_field(s.children[7], "u", "s", 0, 8, 0);
  tw_field_ext(s.children[8], "w:16", "uuid", 0, 9, "arrow.uuid");
  tw_field(s.children[9], "d:5,2", "d52", 0, 10, 0);
  tw_field(s.children[10], "d:7,4", "d74", 0, 11, 0);
  tw_field(s.children[11], "d:22,3", "d223", 0, 12, 0);
  tw_struct(&a, 1, 12, NULL);
  int32_t i = 1234;
  int64_t l = 1234;
  double d = 1.2345;
  float f = -4.5f;
  int32_t date = 1000;
  int64_t time = 10000, ts = 400000;
  const char *str[1] = {"ABC"};
  const uint8_t uuid[16] = {0xf7, 0x9c, 0x3e, 0x09, 0x67, 0x7c, 0x4b, 0xbd,
                            0xa4, 0x79, 0x3f, 0x34, 0x9c, 0xb7, 0x85, 0xe7};
  int64_t d52[2] = {12345, 0}, d74[2] = {-1234567, -1}, d223[2] = {11, 0};
  tw_prim(a.children[0], 1, &i, 4, NULL);
  tw_prim(a.children[1], 1, &l, 8, NULL);
  tw_prim(a.children[2], 1, &d, 8, NULL);
  tw_prim(a.children[3], 1, &f, 4, NULL);
  tw_prim(a.children[4], 1, &date, 4, NULL);
  tw_prim(a.children[5], 1, &time, 8, NULL);
  tw_prim(a.children[6], 1, &ts, 8, NULL);
  tw_str(a.children[7], 1, str, NULL);
  tw_prim(a.children[8], 1, uuid, 16, NULL);
  tw_prim(a.children[9], 1, d52, 16, NULL);
  tw_prim(a.children[10], 1, d74, 16, NULL);
  tw_prim(a.children[11], 1, d223, 16, NULL);
  struct one_file out = {0};
  write_one(&s, &a, NULL, &out);
  const struct ib_metric_bounds *lo = &out.df.lower_bounds, *hi = &out.df.upper_bounds;
  CHECK(bound_is(lo, 1, "d2040000") && bound_is(hi, 1, "d2040000"));
  CHECK(bound_is(lo, 2, "d204000000000000"));
  CHECK(bound_is(lo, 3, "8d976e1283c0f33f"));
  CHECK(bound_is(lo, 4, "000090c0"));
  CHECK(bound_is(lo, 5, "e8030000"));
  CHECK(bound_is(lo, 6, "1027000000000000"));
  CHECK(bound_is(lo, 7, "801a060000000000"));
  CHECK(bound_is(lo, 8, "414243") && bound_is(hi, 8, "414243"));
  CHECK(bound_is(lo, 9, "f79c3e09677c4bbda4793f349cb785e7"));
  CHECK(bound_is(lo, 10, "3039"));
  CHECK(bound_is(lo, 11, "ed2979") && bound_is(hi, 11, "ed2979"));
  CHECK(bound_is(lo, 12, "0b")); /* FLBA decimal shrunk to its minimal form */
  CHECK_EQ_INT(out.df.record_count, 1);
  ib_data_file_reset(&out.df);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_float_zeros_nan_and_binary(void) {
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 4);
  tw_field(s.children[0], "g", "zeros", 1, 1, 0);
  tw_field(s.children[1], "g", "nans", 1, 2, 0);
  tw_field(s.children[2], "z", "bin", 1, 3, 0);
  tw_field(s.children[3], "u", "long", 1, 4, 0);
  tw_struct(&a, 3, 4, NULL);
  double z[3] = {0.0, 0.0, 0.0};
  double n[3] = {NAN, NAN, 0};
  uint8_t nv[3] = {1, 1, 0};
  tw_prim(a.children[0], 3, z, 8, NULL);
  tw_prim(a.children[1], 3, n, 8, nv);
  const char *bins[3] = {
      "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", "\x01",
      NULL};
  size_t lens[3] = {18, 1, 0};
  tw_str(a.children[2], 3, bins, lens);
  const char *longs[3] = {"aaaaaaaaaaaaaaaaaaaa", "b\xf4\x8f\xbf\xbf\xf4\x8f\xbf\xbf",
                          "abc"};
  tw_str(a.children[3], 3, longs, NULL);
  struct one_file out = {0};
  const char *props[] = {"write.metadata.metrics.column.long", "truncate(2)", NULL};
  write_one(&s, &a, props, &out);
  const struct ib_metric_bounds *lo = &out.df.lower_bounds, *hi = &out.df.upper_bounds;
  /* only +0.0 seen: lower -0.0, upper +0.0 */
  CHECK(bound_is(lo, 1, "0000000000000080") && bound_is(hi, 1, "0000000000000000"));
  CHECK(bound_is(lo, 2, NULL) && bound_is(hi, 2, NULL)); /* all NaN: no bounds */
  CHECK_EQ_INT(ib_metric_counts_get(&out.df.nan_value_counts, 2)->value, 2);
  CHECK_EQ_INT(ib_metric_counts_get(&out.df.null_value_counts, 2)->value, 1);
  /* binary max = 16 x 0xff + ...: truncated upper cannot be incremented -> none */
  CHECK(bound_is(lo, 3, "01"));
  CHECK(bound_is(hi, 3, NULL));
  /* strings truncated to 2 code points; max "b" + U+10FFFF..: U+10FFFF cannot grow,
   * "b"->"c" */
  CHECK(bound_is(lo, 4, "6161"));
  CHECK(bound_is(hi, 4, "63"));
  ib_data_file_reset(&out.df);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_memory_budget_flushes_row_groups(void) {
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "l", "v", 0, 1, 0);
  enum { ROWS = 50000 };
  int64_t *v = ice_malloc(ROWS * 8);
  for (int64_t k = 0; k < ROWS; k++) v[k] = k * 2654435761ll;
  tw_struct(&a, ROWS, 1, NULL);
  tw_prim(a.children[0], ROWS, v, 8, NULL);
  ice_free(v);
  struct one_file out = {0};
  const char *props[] = {"write.parquet.memory-budget-bytes", "65536",
                         "write.parquet.page-size-bytes", "8192", NULL};
  write_one(&s, &a, props, &out);
  CHECK(out.df.n_split_offsets >= 4); /* 400 KB of values in <= 64 KiB row groups */
  for (size_t k = 1; k < out.df.n_split_offsets; k++) {
    CHECK(out.df.split_offsets[k] > out.df.split_offsets[k - 1]);
  }
  CHECK_EQ_INT(out.df.record_count, ROWS);
  ib_data_file_reset(&out.df);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

int main(void) {
  ICE_RUN(test_spec_vectors);
  ICE_RUN(test_float_zeros_nan_and_binary);
  ICE_RUN(test_memory_budget_flushes_row_groups);
  ICE_TEST_EXIT();
}
