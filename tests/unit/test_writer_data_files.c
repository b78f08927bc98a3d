/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Iceberg data-file writer: rolling by on-disk size (files within 10% of the
 * target except the last), DataFile metrics (counts, NaN counts, bounds in Iceberg's
 * single-value form, string truncation with an incremented upper bound, decimal
 * bounds as minimal big-endian), metrics modes, split offsets, and abort on bad data.
 */
#include <math.h>
#include <sys/stat.h>

#include "harness/ice_test.h"
#include "test_parquet_write_arrow.h"
#include "writer/wr_data_writer.h"

struct sink {
  struct ib_data_file files[64];
  int n;
  char paths[64][512];
};

static int open_cb(void *ctx, int64_t index, struct ice_output **out, char **location,
                   struct ice_error *err) {
  struct sink *s = ctx;
  char name[64];
  snprintf(name, sizeof name, "data-%lld.parquet", (long long)index);
  tw_tmp_path(s->paths[index], sizeof s->paths[index], name);
  *location = ice_strdup(s->paths[index]);
  return io_local_create(s->paths[index], out, err);
}

static int done_cb(void *ctx, const struct ib_data_file *df, struct ice_error *err) {
  struct sink *s = ctx;
  if (s->n >= 64) return ice_error_set(err, ICE_ELIMIT, "too many files");
  ib_data_file_init(&s->files[s->n]);
  int rc = ib_data_file_copy(&s->files[s->n], df, err);
  if (rc == ICE_OK) s->n++;
  return rc;
}

static void sink_reset(struct sink *s) {
  for (int i = 0; i < s->n; i++) ib_data_file_reset(&s->files[i]);
  s->n = 0;
}

/* id long (1), name string (2), price decimal(20,2) (3), x double (4). */
static void make_schema(struct ArrowSchema *s) {
  tw_field(s, "+s", "", 0, -1, 4);
  tw_field(s->children[0], "l", "id", 0, 1, 0);
  tw_field(s->children[1], "u", "name", 1, 2, 0);
  tw_field(s->children[2], "d:20,2", "price", 1, 3, 0);
  tw_field(s->children[3], "g", "x", 1, 4, 0);
}

static void make_batch(struct ArrowArray *a, int64_t n, int64_t start) {
  int64_t *ids = ice_malloc((size_t)n * 8);
  const char **names = ice_malloc((size_t)n * sizeof(char *));
  char *text = ice_malloc((size_t)n * 32);
  int64_t *dec = ice_malloc((size_t)n * 16);
  double *x = ice_malloc((size_t)n * 8);
  for (int64_t i = 0; i < n; i++) {
    int64_t v = start + i;
    ids[i] = v;
    /* pseudo-random text so the data does not compress to nothing */
    uint64_t h = (uint64_t)v * 0x9E3779B97F4A7C15ull;
    snprintf(text + i * 32, 32, "name-%016llx", (unsigned long long)h);
    names[i] = (v % 10 == 3) ? NULL : text + i * 32;
    int64_t unscaled = (v % 2 ? -1 : 1) * v * 101;
    dec[2 * i] = unscaled;
    dec[2 * i + 1] = unscaled < 0 ? -1 : 0;
    x[i] = (v % 7 == 0) ? NAN : (double)(h >> 11) / 9007199254740992.0;
  }
  tw_struct(a, n, 4, NULL);
  tw_prim(a->children[0], n, ids, 8, NULL);
  tw_str(a->children[1], n, names, NULL);
  tw_prim(a->children[2], n, dec, 16, NULL);
  tw_prim(a->children[3], n, x, 8, NULL);
  ice_free(ids);
  ice_free(names);
  ice_free(text);
  ice_free(dec);
  ice_free(x);
}

static int64_t le64(const uint8_t *p) {
  uint64_t u = 0;
  for (int i = 0; i < 8; i++) u |= (uint64_t)p[i] << (8 * i);
  return (int64_t)u;
}

static void test_rolls_near_target(void) {
  struct ice_error err;
  struct ArrowSchema s;
  make_schema(&s);
  struct wr_options o;
  wr_options_init(&o);
  const char *props[] = {"write.target-file-size-bytes",
                         "200000",
                         "write.parquet.row-group-size-bytes",
                         "60000",
                         "write.parquet.page-size-bytes",
                         "8192",
                         "write.metadata.metrics.column.name",
                         "truncate(4)",
                         NULL};
  CHECK_OK(wr_options_apply(&o, props, &err), &err);
  struct sink sk = {0};
  struct wr_data_writer *w;
  CHECK_OK(wr_data_writer_new(&s, &o, open_cb, done_cb, &sk, &w, &err), &err);
  int64_t total = 0;
  for (int b = 0; b < 10; b++) {
    struct ArrowArray a;
    make_batch(&a, 10000, total);
    CHECK_OK(wr_data_writer_write(w, &a, &err), &err);
    total += 10000;
    arrow_array_release(&a);
  }
  CHECK_OK(wr_data_writer_close(w, &err), &err);
  CHECK(sk.n >= 3);
  int64_t rows = 0;
  for (int i = 0; i < sk.n; i++) {
    const struct ib_data_file *df = &sk.files[i];
    rows += df->record_count;
    struct stat st;
    CHECK(stat(sk.paths[i], &st) == 0 && st.st_size == df->file_size_in_bytes);
    if (i + 1 < sk.n) {
      /* within 10% of the target */
      CHECK(df->file_size_in_bytes >= 180000 && df->file_size_in_bytes <= 220000);
      if (df->file_size_in_bytes < 180000 || df->file_size_in_bytes > 220000) {
        fprintf(stderr, "  file %d: %lld bytes\n", i, (long long)df->file_size_in_bytes);
      }
    }
    CHECK(df->n_split_offsets >= 1 && df->split_offsets[0] == 4);
    const struct ib_metric_count *vc = ib_metric_counts_get(&df->value_counts, 1);
    CHECK(vc != NULL && vc->value == df->record_count);
    CHECK(ib_metric_counts_get(&df->column_sizes, 2) != NULL);
    const struct ib_metric_bound *lo = ib_metric_bounds_get(&df->lower_bounds, 2);
    const struct ib_metric_bound *hi = ib_metric_bounds_get(&df->upper_bounds, 2);
    CHECK(lo != NULL && lo->len == 4 && memcmp(lo->data, "name", 4) == 0);
    CHECK(hi != NULL && hi->len == 4 && memcmp(hi->data, "namf", 4) == 0);
    CHECK(ib_metric_counts_get(&df->nan_value_counts, 4) != NULL);
    CHECK(ib_metric_counts_get(&df->nan_value_counts, 4)->value > 0);
    CHECK(ib_metric_counts_get(&df->null_value_counts, 2)->value > 0);
  }
  CHECK_EQ_INT(rows, total);
  /* First file: ids start at 0 -> lower bound of long 0 (8 LE bytes). */
  const struct ib_metric_bound *id_lo =
      ib_metric_bounds_get(&sk.files[0].lower_bounds, 1);
  CHECK(id_lo != NULL && id_lo->len == 8 && le64(id_lo->data) == 0);
  const struct ib_metric_bound *id_hi =
      ib_metric_bounds_get(&sk.files[sk.n - 1].upper_bounds, 1);
  CHECK(id_hi != NULL && le64(id_hi->data) == total - 1);
  /* decimal: unscaled values of file 0 include -101*1 .. ; minimal big-endian bytes */
  const struct ib_metric_bound *d_lo = ib_metric_bounds_get(&sk.files[0].lower_bounds, 3);
  CHECK(d_lo != NULL && d_lo->len <= 9 && (d_lo->data[0] & 0x80));
  sink_reset(&sk);
  wr_data_writer_free(w);
  wr_options_reset(&o);
  arrow_schema_release(&s);
}

static void test_metrics_modes(void) {
  struct ice_error err;
  struct ArrowSchema s;
  make_schema(&s);
  struct wr_options o;
  wr_options_init(&o);
  const char *props[] = {"write.metadata.metrics.default",
                         "counts",
                         "write.metadata.metrics.column.id",
                         "full",
                         "write.metadata.metrics.column.x",
                         "none",
                         NULL};
  CHECK_OK(wr_options_apply(&o, props, &err), &err);
  const char *bad[] = {"write.metadata.metrics.default", "truncate(0)", NULL};
  CHECK_EQ_INT(wr_options_apply(&o, bad, &err), ICE_EINVAL);
  const char *unknown[] = {"write.wat", "1", NULL};
  CHECK_EQ_INT(wr_options_apply(&o, unknown, &err), ICE_EINVAL);
  struct sink sk = {0};
  struct wr_data_writer *w;
  CHECK_OK(wr_data_writer_new(&s, &o, open_cb, done_cb, &sk, &w, &err), &err);
  struct ArrowArray a;
  make_batch(&a, 100, 1000);
  CHECK_OK(wr_data_writer_write(w, &a, &err), &err);
  arrow_array_release(&a);
  CHECK_OK(wr_data_writer_close(w, &err), &err);
  CHECK_EQ_INT(sk.n, 1);
  const struct ib_data_file *df = &sk.files[0];
  CHECK_EQ_INT(df->record_count, 100);
  CHECK(ib_metric_bounds_get(&df->lower_bounds, 1) != NULL); /* full */
  CHECK(ib_metric_bounds_get(&df->lower_bounds, 2) == NULL); /* counts */
  CHECK(ib_metric_counts_get(&df->value_counts, 2) != NULL);
  CHECK(ib_metric_counts_get(&df->value_counts, 4) == NULL); /* none */
  CHECK(ib_metric_counts_get(&df->column_sizes, 4) == NULL);
  sink_reset(&sk);
  wr_data_writer_free(w);
  wr_options_reset(&o);
  arrow_schema_release(&s);
}

static void test_bad_value_aborts_file(void) {
  struct ice_error err;
  struct ArrowSchema s;
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "u", "s", 1, 1, 0);
  struct wr_options o;
  wr_options_init(&o);
  struct sink sk = {0};
  struct wr_data_writer *w;
  CHECK_OK(wr_data_writer_new(&s, &o, open_cb, done_cb, &sk, &w, &err), &err);
  const char *vals[2] = {"fine", "\xff"};
  struct ArrowArray a;
  tw_struct(&a, 2, 1, NULL);
  tw_str(a.children[0], 2, vals, NULL);
  CHECK_EQ_INT(wr_data_writer_write(w, &a, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "column 's'") != NULL);
  arrow_array_release(&a);
  wr_data_writer_free(w);
  CHECK_EQ_INT(sk.n, 0);
  CHECK(access(sk.paths[0], F_OK) != 0); /* the partial file was removed */
  wr_options_reset(&o);
  arrow_schema_release(&s);
}

static void test_max_inferred_columns(void) {
  struct ice_error err;
  struct ArrowSchema s;
  make_schema(&s);
  struct wr_options o;
  wr_options_init(&o);
  const char *props[] = {"write.metadata.metrics.max-inferred-column-defaults", "2",
                         "write.metadata.metrics.column.x", "counts", NULL};
  CHECK_OK(wr_options_apply(&o, props, &err), &err);
  struct sink sk = {0};
  struct wr_data_writer *w;
  CHECK_OK(wr_data_writer_new(&s, &o, open_cb, done_cb, &sk, &w, &err), &err);
  struct ArrowArray a;
  make_batch(&a, 50, 0);
  CHECK_OK(wr_data_writer_write(w, &a, &err), &err);
  arrow_array_release(&a);
  CHECK_OK(wr_data_writer_close(w, &err), &err);
  const struct ib_data_file *df = &sk.files[0];
  CHECK(ib_metric_bounds_get(&df->lower_bounds, 1) != NULL); /* first two: default */
  CHECK(ib_metric_bounds_get(&df->lower_bounds, 2) != NULL);
  CHECK(ib_metric_counts_get(&df->value_counts, 3) == NULL); /* beyond: none */
  CHECK(ib_metric_counts_get(&df->value_counts, 4) != NULL); /* explicit column mode */
  CHECK(ib_metric_bounds_get(&df->lower_bounds, 4) == NULL);
  sink_reset(&sk);
  wr_data_writer_free(w);
  wr_options_reset(&o);
  arrow_schema_release(&s);
}

/* Allocation failure anywhere in open/write/metrics/close: a clean error, no leak. */
static void test_allocation_failures(void) {
  struct ArrowSchema s;
  make_schema(&s);
  struct ArrowArray a;
  make_batch(&a, 300, 0);
  int ok_seen = 0;
  for (long k = 1; k < 3000 && !ok_seen; k++) {
    struct ice_error err;
    struct wr_options o;
    wr_options_init(&o);
    struct sink sk = {0};
    struct wr_data_writer *w = NULL;
    ice_alloc_fail_after(k);
    int rc = wr_data_writer_new(&s, &o, open_cb, done_cb, &sk, &w, &err);
    if (rc == ICE_OK) rc = wr_data_writer_write(w, &a, &err);
    if (rc == ICE_OK) rc = wr_data_writer_close(w, &err);
    ice_alloc_fail_after(0);
    if (rc == ICE_OK) {
      ok_seen = 1;
      CHECK_EQ_INT(sk.n, 1);
    } else {
      CHECK(rc == ICE_ENOMEM || rc == ICE_EIO || rc == ICE_ELIMIT);
    }
    wr_data_writer_free(w);
    sink_reset(&sk);
    wr_options_reset(&o);
  }
  CHECK(ok_seen);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_duplicate_field_ids_refused(void) {
  struct ice_error err;
  struct ArrowSchema s;
  tw_field(&s, "+s", "", 0, -1, 2);
  tw_field(s.children[0], "i", "a", 0, 7, 0);
  tw_field(s.children[1], "+l", "b", 1, 8, 1);
  tw_field(s.children[1]->children[0], "i", "element", 1, 7, 0);
  struct wr_options o;
  wr_options_init(&o);
  struct sink sk = {0};
  struct wr_data_writer *w = NULL;
  CHECK_EQ_INT(wr_data_writer_new(&s, &o, open_cb, done_cb, &sk, &w, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "field id 7") != NULL);
  CHECK(w == NULL);
  wr_options_reset(&o);
  arrow_schema_release(&s);
}

int main(void) {
  ICE_RUN(test_duplicate_field_ids_refused);
  ICE_RUN(test_allocation_failures);
  ICE_RUN(test_max_inferred_columns);
  ICE_RUN(test_rolls_near_target);
  ICE_RUN(test_metrics_modes);
  ICE_RUN(test_bad_value_aborts_file);
  ICE_TEST_EXIT();
}
