/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The position-delete writer (src/writer/wr_pos_delete_writer.h), its files read back
 * with our Parquet reader: exactly the two required columns with the reserved field
 * ids and the footer "iceberg.schema" and "delete-type" byte for byte as Java's; rows in
 * (file_path, pos) order across batch boundaries; DataFile metrics (counts, sizes, full
 * untruncated file_path bounds, pos bounds) equal to what the rows say;
 * referenced_data_file set exactly for files whose rows name one data file, also when
 * files roll; the partition tuple it is given on every file; out-of-order, repeated,
 * negative and malformed input refused without changing what is written; failures while
 * writing; and memory that stays the same when the positions quadruple.
 */
#include <jansson.h>
#include <sys/stat.h>

#include "harness/ice_test.h"
#include "ice/ice_parquet.h"
#include "iceberg/ib_pos_delete_schema.h"
#include "test_parquet_write_arrow.h"
#include "writer/wr_pos_delete_writer.h"

#define MAX_FILES 256

struct sink {
  struct ib_data_file files[MAX_FILES];
  char paths[MAX_FILES][512];
  int n;
  int opened;
  const char *tag;
  int fail_open; /* 1: open_cb fails */
};

static int open_cb(void *ctx, int64_t index, struct ice_output **out, char **location,
                   struct ice_error *err) {
  struct sink *s = ctx;
  if (s->fail_open) return ice_error_set(err, ICE_EIO, "injected: cannot create");
  if (index >= MAX_FILES) return ice_error_set(err, ICE_ELIMIT, "too many files");
  char name[96];
  snprintf(name, sizeof name, "pos-%s-%lld.parquet", s->tag, (long long)index);
  tw_tmp_path(s->paths[index], sizeof s->paths[index], name);
  *location = ice_strdup(s->paths[index]);
  s->opened++;
  return io_local_create(s->paths[index], out, err);
}

static int done_cb(void *ctx, const struct ib_data_file *df, struct ice_error *err) {
  struct sink *s = ctx;
  if (s->n >= MAX_FILES) return ice_error_set(err, ICE_ELIMIT, "too many files");
  ib_data_file_init(&s->files[s->n]);
  int rc = ib_data_file_copy(&s->files[s->n], df, err);
  if (rc == ICE_OK) s->n++;
  return rc;
}

static void sink_reset(struct sink *s) {
  for (int i = 0; i < s->n; i++) ib_data_file_reset(&s->files[i]);
  s->n = 0;
}

static struct wr_pos_delete_writer *new_writer(const char *const *props,
                                               struct ice_mem_budget *budget,
                                               struct sink *s, const char *tag) {
  struct ice_error err;
  struct wr_options o;
  wr_options_init(&o);
  CHECK_OK(wr_options_apply(&o, props, &err), &err);
  o.parquet.budget = budget;
  memset(s, 0, sizeof *s);
  s->tag = tag;
  struct wr_pos_delete_writer *w = NULL;
  CHECK_OK(wr_pos_delete_writer_new(&o, open_cb, done_cb, s, &w, &err), &err);
  wr_options_reset(&o);
  return w;
}

/* One row read back. */
struct row {
  char path[600];
  int64_t pos;
};

/* Reads every row of a delete file into rows (at most cap); checks its schema and
 * footer schema on the way. Returns the row count. */
static int64_t read_file(const char *path, struct row *rows, int64_t cap) {
  struct ice_error err;
  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(path, &f, &err), &err);
  if (f == NULL) return -1;
  struct ArrowSchema s;
  CHECK_OK(ice_parquet_schema(f, &s, &err), &err);
  CHECK_EQ_INT(s.n_children, 2);
  if (s.n_children == 2) {
    static const char *const names[] = {"file_path", "pos"}, *const formats[] = {"u",
                                                                                 "l"};
    static const int32_t ids[] = {2147483546, 2147483545};
    for (int k = 0; k < 2; k++) {
      const struct ArrowSchema *c = s.children[k];
      CHECK_EQ_STR(c->name, names[k]);
      CHECK_EQ_STR(c->format, formats[k]);
      CHECK((c->flags & ARROW_FLAG_NULLABLE) == 0); /* required */
      bool has = false;
      int32_t id = 0;
      CHECK_OK(arrow_field_id(c, &has, &id, &err), &err);
      CHECK(has);
      CHECK_EQ_INT(id, ids[k]);
    }
  }
  s.release(&s);
  /* The footer schema is the two-field delete schema (as Java writes it). */
  int found = 0;
  for (size_t i = 0; i < ice_parquet_num_metadata(f); i++) {
    const char *k = NULL, *v = NULL;
    CHECK_OK(ice_parquet_metadata(f, i, &k, &v), NULL);
    if (k == NULL || strcmp(k, "iceberg.schema") != 0 || v == NULL) continue;
    found++;
    /* Read as JSON: our schema parser refuses the reserved ids in table schemas. */
    json_t *j = json_loads(v, 0, NULL);
    json_t *fields = json_object_get(j, "fields");
    CHECK_EQ_STR(json_string_value(json_object_get(j, "type")), "struct");
    CHECK_EQ_INT(json_array_size(fields), 2);
    static const char *const fnames[] = {"file_path", "pos"}, *const types[] = {"string",
                                                                                "long"};
    for (size_t fi = 0; fi < json_array_size(fields) && fi < 2; fi++) {
      json_t *fk = json_array_get(fields, fi);
      CHECK_EQ_INT(json_integer_value(json_object_get(fk, "id")),
                   fi == 0 ? IB_POS_DELETE_FILE_PATH_ID : IB_POS_DELETE_POS_ID);
      CHECK_EQ_STR(json_string_value(json_object_get(fk, "name")), fnames[fi]);
      CHECK_EQ_STR(json_string_value(json_object_get(fk, "type")), types[fi]);
      CHECK(json_is_true(json_object_get(fk, "required")));
    }
    json_decref(j);
  }
  CHECK_EQ_INT(found, 1);
  struct ice_parquet_read_options ro;
  ice_parquet_read_options_init(&ro);
  struct ArrowArrayStream st;
  CHECK_OK(ice_parquet_stream(f, &ro, &st, &err), &err);
  int64_t n = 0;
  for (;;) {
    struct ArrowArray b;
    memset(&b, 0, sizeof b);
    CHECK_EQ_INT(st.get_next(&st, &b), 0);
    if (b.release == NULL) break;
    const struct ArrowArray *p = b.children[0], *q = b.children[1];
    const int32_t *off = (const int32_t *)p->buffers[1] + p->offset;
    const char *bytes = p->buffers[2];
    const int64_t *v = (const int64_t *)q->buffers[1] + q->offset;
    for (int64_t i = 0; i < b.length; i++, n++) {
      if (n >= cap) continue;
      int len = off[i + 1] - off[i];
      snprintf(rows[n].path, sizeof rows[n].path, "%.*s", len, bytes + off[i]);
      rows[n].pos = v[i];
    }
    b.release(&b);
  }
  st.release(&st);
  ice_parquet_close(f);
  return n;
}

static int64_t le64(const uint8_t *p) {
  uint64_t u = 0;
  for (int i = 0; i < 8; i++) u |= (uint64_t)p[i] << (8 * i);
  return (int64_t)u;
}

static int bound_is_str(const struct ib_metric_bounds *b, int32_t id, const char *s) {
  const struct ib_metric_bound *x = ib_metric_bounds_get(b, id);
  return x != NULL && x->len == strlen(s) && memcmp(x->data, s, x->len) == 0;
}

static int bound_is_long(const struct ib_metric_bounds *b, int32_t id, int64_t v) {
  const struct ib_metric_bound *x = ib_metric_bounds_get(b, id);
  return x != NULL && x->len == 8 && le64(x->data) == v;
}

static int64_t count_of(const struct ib_metric_counts *m, int32_t id) {
  const struct ib_metric_count *c = ib_metric_counts_get(m, id);
  return c ? c->value : -1;
}

/* What one closed file's DataFile must say, given the rows read back from it. */
static void check_metrics(const struct ib_data_file *df, const char *path,
                          const struct row *rows, int64_t n) {
  const int32_t P = IB_POS_DELETE_FILE_PATH_ID, Q = IB_POS_DELETE_POS_ID;
  CHECK_EQ_INT(df->content, IB_CONTENT_POSITION_DELETES);
  CHECK_EQ_INT(df->record_count, n);
  struct stat st;
  CHECK(stat(path, &st) == 0 && st.st_size == df->file_size_in_bytes);
  CHECK_EQ_INT(count_of(&df->value_counts, P), n);
  CHECK_EQ_INT(count_of(&df->value_counts, Q), n);
  CHECK_EQ_INT(count_of(&df->null_value_counts, P), 0);
  CHECK_EQ_INT(count_of(&df->null_value_counts, Q), 0);
  CHECK(count_of(&df->column_sizes, P) > 0 && count_of(&df->column_sizes, Q) > 0);
  CHECK(!df->has_sort_order_id);
  CHECK_EQ_INT(df->partition.n, 0);
  if (n == 0) return;
  int64_t lo = rows[0].pos, hi = rows[0].pos;
  int single = 1;
  for (int64_t i = 1; i < n; i++) {
    if (rows[i].pos < lo) lo = rows[i].pos;
    if (rows[i].pos > hi) hi = rows[i].pos;
    single &= strcmp(rows[i].path, rows[0].path) == 0;
  }
  CHECK(bound_is_str(&df->lower_bounds, P, rows[0].path));
  CHECK(bound_is_str(&df->upper_bounds, P, rows[n - 1].path));
  CHECK(bound_is_long(&df->lower_bounds, Q, lo));
  CHECK(bound_is_long(&df->upper_bounds, Q, hi));
  if (single) {
    CHECK(df->referenced_data_file != NULL &&
          strcmp(df->referenced_data_file, rows[0].path) == 0);
  } else {
    CHECK(df->referenced_data_file == NULL);
  }
}

/* The footer value of key in a Parquet file (copied into out; "" when absent). */
static void footer_value(const char *path, const char *key, char *out, size_t cap) {
  struct ice_error err;
  ice_parquet_file *f = NULL;
  out[0] = '\0';
  CHECK_OK(ice_parquet_open(path, &f, &err), &err);
  for (size_t i = 0; f != NULL && i < ice_parquet_num_metadata(f); i++) {
    const char *k = NULL, *v = NULL;
    CHECK_OK(ice_parquet_metadata(f, i, &k, &v), NULL);
    if (k != NULL && v != NULL && strcmp(k, key) == 0) snprintf(out, cap, "%s", v);
  }
  ice_parquet_close(f);
}

/* The footer says what Java's says, to the byte: the position delete file Java's
 * writer made for the bunnies table (tests/data/iceberg-tables/java/bunnies). */
static void test_footer_as_java(void) {
  struct ice_error err;
  struct sink s;
  struct wr_pos_delete_writer *w = new_writer(NULL, NULL, &s, "java");
  const int64_t p[] = {0};
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/a.parquet", p, 1, &err), &err);
  CHECK_OK(wr_pos_delete_writer_close(w, &err), &err);
  wr_pos_delete_writer_free(w);
  CHECK_EQ_INT(s.n, 1);
  char java[512];
  snprintf(java, sizeof java,
           "%s/iceberg-tables/java/bunnies/data/bunnies-pos-deletes.parquet",
           ice_test_data_dir());
  static const char *const keys[] = {"iceberg.schema", "delete-type"};
  for (int i = 0; i < 2; i++) {
    char want[1024], got[1024];
    footer_value(java, keys[i], want, sizeof want);
    footer_value(s.paths[0], keys[i], got, sizeof got);
    CHECK(want[0] != '\0');
    CHECK_EQ_STR(got, want);
  }
  sink_reset(&s);
}

/* Every file gets the partition tuple the writer was given (a copy: the caller's may
 * go away), and it can only be given before the first position. */
static void test_partition_stamped(void) {
  struct ice_error err;
  struct sink s;
  const char *props[] = {"write.target-file-size-bytes", "20000", NULL};
  struct wr_pos_delete_writer *w = new_writer(props, NULL, &s, "part");
  struct ib_data_file src;
  ib_data_file_init(&src);
  const int32_t ids[] = {1000, 1001, 1002};
  CHECK_OK(ib_data_file_set_partition_fields(&src, ids, 3, &err), &err);
  struct ib_value day = {.type = IB_TYPE_INT, .u.i32 = 20426};
  struct ib_value region = {
      .type = IB_TYPE_STRING, .bytes = (const uint8_t *)"eu", .len = 2};
  CHECK_OK(ib_data_file_set_partition_value(&src, 0, &day, &err), &err);
  CHECK_OK(ib_data_file_set_partition_value(&src, 1, &region, &err), &err);
  CHECK_OK(wr_pos_delete_writer_set_partition(w, &src.partition, &err), &err);
  ib_data_file_reset(&src); /* the writer holds its own copy */
  enum { N = 20000 };
  int64_t *pos = ice_malloc(N * sizeof *pos);
  for (int64_t i = 0; i < N; i++) pos[i] = i * 7 + (i * 7919) % 7;
  CHECK_OK(
      wr_pos_delete_writer_add(w, "file:/t/day=20426/region=eu/a.parquet", pos, N, &err),
      &err);
  CHECK_EQ_INT(wr_pos_delete_writer_set_partition(w, &src.partition, &err), ICE_EINVAL);
  CHECK_OK(wr_pos_delete_writer_close(w, &err), &err);
  wr_pos_delete_writer_free(w);
  CHECK(s.n >= 2); /* rolled: every file, not just the first */
  for (int i = 0; i < s.n; i++) {
    const struct ib_partition_tuple *t = &s.files[i].partition;
    CHECK_EQ_INT(t->n, 3);
    if (t->n != 3) continue;
    CHECK(t->values[0].field_id == 1000 && !t->values[0].is_null &&
          t->values[0].value.u.i32 == 20426);
    CHECK(t->values[1].field_id == 1001 && !t->values[1].is_null &&
          t->values[1].value.len == 2 && memcmp(t->values[1].value.bytes, "eu", 2) == 0);
    CHECK(t->values[2].field_id == 1002 && t->values[2].is_null);
  }
  ice_free(pos);
  sink_reset(&s);
}

/* Rows must ascend by (path bytewise, pos), strictly. */
static void check_sorted(const struct row *rows, int64_t n) {
  for (int64_t i = 1; i < n; i++) {
    int c = strcmp(rows[i - 1].path, rows[i].path);
    CHECK(c < 0 || (c == 0 && rows[i - 1].pos < rows[i].pos));
    if (!(c < 0 || (c == 0 && rows[i - 1].pos < rows[i].pos))) return;
  }
}

/* Longer than both the 16-byte default truncation and Parquet's 64-byte statistics. */
#define LONG_DIR "file:/warehouse/db/events/data/part-00000-0d6b1e3c-4a8f-4c43-9d2e-7f1a"

static void test_several_data_files(void) {
  struct ice_error err;
  struct sink s;
  struct wr_pos_delete_writer *w = new_writer(NULL, NULL, &s, "several");
  const char *paths[] = {LONG_DIR "-a.parquet", LONG_DIR "-b.parquet",
                         LONG_DIR "-c.parquet"};
  /* a: 3 positions in two calls; b: 70000 (past one 64Ki batch); c: one, at a high
   * position. */
  const int64_t a1[] = {0, 7}, a2[] = {9};
  enum { NB = 70000 };
  int64_t *b = ice_malloc(NB * sizeof *b);
  for (int64_t i = 0; i < NB; i++) b[i] = 3 * i + 1;
  const int64_t c[] = {(int64_t)1 << 40};
  CHECK_OK(wr_pos_delete_writer_add(w, paths[0], a1, 2, &err), &err);
  CHECK_OK(wr_pos_delete_writer_add(w, paths[0], a2, 1, &err), &err);
  CHECK_OK(wr_pos_delete_writer_add(w, paths[1], b, NB, &err), &err);
  CHECK_OK(wr_pos_delete_writer_add(w, paths[2], c, 1, &err), &err);
  CHECK_OK(wr_pos_delete_writer_close(w, &err), &err);
  wr_pos_delete_writer_free(w);
  CHECK_EQ_INT(s.n, 1);
  enum { TOTAL = 3 + NB + 1 };
  struct row *rows = ice_calloc(TOTAL + 1, sizeof *rows);
  CHECK_EQ_INT(read_file(s.paths[0], rows, TOTAL + 1), TOTAL);
  /* Exactly the rows added, in order. */
  int64_t k = 0;
  int bad = 0;
  const int64_t a[] = {0, 7, 9};
  for (int i = 0; i < 3; i++, k++)
    bad |= strcmp(rows[k].path, paths[0]) || rows[k].pos != a[i];
  for (int64_t i = 0; i < NB; i++, k++)
    bad |= strcmp(rows[k].path, paths[1]) || rows[k].pos != b[i];
  bad |= strcmp(rows[k].path, paths[2]) || rows[k].pos != c[0];
  CHECK(!bad);
  check_sorted(rows, TOTAL);
  if (s.n == 1) {
    check_metrics(&s.files[0], s.paths[0], rows, TOTAL);
    CHECK(s.files[0].referenced_data_file == NULL);
    CHECK(s.files[0].n_split_offsets >= 1);
  }
  ice_free(rows);
  ice_free(b);
  sink_reset(&s);
}

static void test_one_data_file_is_referenced(void) {
  struct ice_error err;
  struct sink s;
  struct wr_pos_delete_writer *w = new_writer(NULL, NULL, &s, "one");
  const int64_t p[] = {2, 3, 5, 8};
  CHECK_OK(wr_pos_delete_writer_add(w, LONG_DIR "-only.parquet", p, 4, &err), &err);
  CHECK_OK(wr_pos_delete_writer_close(w, &err), &err);
  wr_pos_delete_writer_free(w);
  CHECK_EQ_INT(s.n, 1);
  struct row rows[8];
  CHECK_EQ_INT(read_file(s.paths[0], rows, 8), 4);
  if (s.n == 1) {
    check_metrics(&s.files[0], s.paths[0], rows, 4);
    CHECK_EQ_STR(s.files[0].referenced_data_file, LONG_DIR "-only.parquet");
  }
  sink_reset(&s);
}

/* Files roll near the target; each file's metrics match its own rows, the files
 * together hold every row in order, and referenced_data_file is set exactly on the
 * files whose rows name one data file. */
static void test_rolling(void) {
  struct ice_error err;
  const char *props[] = {"write.target-file-size-bytes",
                         "40000",
                         "write.parquet.page-size-bytes",
                         "4096",
                         "write.parquet.compression-codec",
                         "uncompressed",
                         NULL};
  struct sink s;
  struct wr_pos_delete_writer *w = new_writer(props, NULL, &s, "roll");
  enum { N_PATHS = 5, PER = 6000 };
  int64_t *pos = ice_malloc(PER * sizeof *pos);
  char path[N_PATHS][128];
  for (int p = 0; p < N_PATHS; p++) {
    snprintf(path[p], sizeof path[p], "s3://bucket/t/data/%05d.parquet", p);
    /* Scattered positions, so pos does not compress to nothing. */
    for (int64_t i = 0; i < PER; i++) pos[i] = i * 977 + (i * 7919) % 977;
    CHECK_OK(wr_pos_delete_writer_add(w, path[p], pos, PER, &err), &err);
  }
  CHECK_OK(wr_pos_delete_writer_close(w, &err), &err);
  wr_pos_delete_writer_free(w);
  CHECK(s.n >= 4);
  CHECK_EQ_INT(s.opened, s.n);
  struct row *rows = ice_calloc(N_PATHS * PER, sizeof *rows);
  int64_t total = 0, referenced = 0;
  for (int i = 0; i < s.n; i++) {
    int64_t n = read_file(s.paths[i], rows + total, N_PATHS * PER - total);
    check_metrics(&s.files[i], s.paths[i], rows + total, n);
    referenced += s.files[i].referenced_data_file != NULL;
    /* No tiny files: all but the last within 15% of the target. */
    if (i + 1 < s.n)
      CHECK(s.files[i].file_size_in_bytes >= 34000 &&
            s.files[i].file_size_in_bytes <= 46000);
    fprintf(stderr, "# file %d: %lld rows, %lld bytes%s\n", i, (long long)n,
            (long long)s.files[i].file_size_in_bytes,
            s.files[i].referenced_data_file ? ", one data file" : "");
    total += n;
  }
  CHECK_EQ_INT(total, N_PATHS * PER);
  check_sorted(rows, total);
  CHECK(referenced > 0 && referenced < s.n);
  ice_free(rows);
  ice_free(pos);
  sink_reset(&s);
}

static void test_order_refused(void) {
  struct ice_error err;
  struct sink s;
  struct wr_pos_delete_writer *w = new_writer(NULL, NULL, &s, "order");
  const int64_t b12[] = {1, 2}, b2[] = {2}, b33[] = {3, 3}, b54[] = {5, 4}, neg[] = {-1},
                b3[] = {3}, z0[] = {0}, a5[] = {5};
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/b", b12, 2, &err), &err);
  /* A path before the last one. */
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "file:/t/a", a5, 1, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "file:/t/a") && strstr(err.message, "file:/t/b"));
  fprintf(stderr, "# %s\n", err.message);
  /* ... also when it brings no position. */
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "file:/t/a", NULL, 0, &err), ICE_EINVAL);
  /* Repeated across calls, repeated within one, descending, negative. */
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "file:/t/b", b2, 1, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "position 2 after 2") && strstr(err.message, "file:/t/b"));
  fprintf(stderr, "# %s\n", err.message);
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "file:/t/b", b33, 2, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "position 3 after 3") != NULL);
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "file:/t/b", b54, 2, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "position 4 after 5") != NULL);
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "file:/t/c", neg, 1, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "negative position -1") && strstr(err.message, "file:/t/c"));
  /* Malformed calls. */
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, NULL, b3, 1, &err), ICE_EINVAL);
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "", b3, 1, &err), ICE_EINVAL);
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "file:/t/d", NULL, 1, &err), ICE_EINVAL);
  char *huge = ice_malloc(5001);
  memset(huge, 'z', 5000);
  memcpy(huge, "file:/", 6);
  huge[5000] = '\0';
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, huge, b3, 1, &err), ICE_EINVAL);
  ice_free(huge);
  /* None of that changed anything: the writer goes on from (b, 2). Bytewise order:
   * upper case before lower case, a prefix before its extensions, UTF-8 after ASCII. */
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/b", b3, 1, &err), &err);
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/bZ", z0, 1, &err), &err);
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/bz", z0, 1, &err), &err);
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/bz", NULL, 0, &err), &err);
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/bz/x", z0, 1, &err), &err);
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/\xc3\xa9", z0, 1, &err), &err);
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "file:/t/z", z0, 1, &err), ICE_EINVAL);
  CHECK_OK(wr_pos_delete_writer_close(w, &err), &err);
  /* Closed: nothing more. */
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "file:/zz", z0, 1, &err), ICE_EINVAL);
  CHECK_EQ_INT(wr_pos_delete_writer_close(w, &err), ICE_EINVAL);
  wr_pos_delete_writer_free(w);
  CHECK_EQ_INT(s.n, 1);
  struct row rows[16];
  const struct row want[] = {
      {"file:/t/b", 1},  {"file:/t/b", 2},    {"file:/t/b", 3},       {"file:/t/bZ", 0},
      {"file:/t/bz", 0}, {"file:/t/bz/x", 0}, {"file:/t/\xc3\xa9", 0}};
  CHECK_EQ_INT(read_file(s.paths[0], rows, 16), 7);
  for (int i = 0; i < 7; i++) {
    CHECK_EQ_STR(rows[i].path, want[i].path);
    CHECK_EQ_INT(rows[i].pos, want[i].pos);
  }
  if (s.n == 1) check_metrics(&s.files[0], s.paths[0], rows, 7);
  sink_reset(&s);
}

/* No positions: no file. A file that cannot be created fails the writer cleanly; a
 * path that is not UTF-8 is refused by the Parquet writer and nothing is completed. */
static void test_nothing_and_failures(void) {
  struct ice_error err;
  struct sink s;
  struct wr_pos_delete_writer *w = new_writer(NULL, NULL, &s, "none");
  CHECK_OK(wr_pos_delete_writer_close(w, &err), &err);
  wr_pos_delete_writer_free(w);
  CHECK_EQ_INT(s.opened, 0);
  CHECK_EQ_INT(s.n, 0);
  /* Freed with rows buffered and never closed: no file, no leak. */
  w = new_writer(NULL, NULL, &s, "abandoned");
  const int64_t p[] = {1};
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/a", p, 1, &err), &err);
  wr_pos_delete_writer_free(w);
  CHECK_EQ_INT(s.n, 0);

  w = new_writer(NULL, NULL, &s, "failopen");
  s.fail_open = 1;
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/a", p, 1, &err), &err);
  CHECK_EQ_INT(wr_pos_delete_writer_close(w, &err), ICE_EIO);
  CHECK(strstr(err.message, "injected") != NULL);
  CHECK_EQ_INT(wr_pos_delete_writer_add(w, "file:/t/b", p, 1, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "failed earlier") != NULL);
  wr_pos_delete_writer_free(w);
  CHECK_EQ_INT(s.n, 0);

  w = new_writer(NULL, NULL, &s, "utf8");
  CHECK_OK(wr_pos_delete_writer_add(w, "file:/t/\xff\xfe", p, 1, &err), &err);
  CHECK_EQ_INT(wr_pos_delete_writer_close(w, &err), ICE_EINVAL);
  fprintf(stderr, "# %s\n", err.message);
  CHECK(strstr(err.message, "file_path") != NULL);
  CHECK(strstr(err.message, "position delete file /") != NULL); /* names the file */
  wr_pos_delete_writer_free(w);
  CHECK_EQ_INT(s.n, 0);
}

/* Peak memory charged while writing n positions over 20 paths with a 4 MiB budget. */
static int64_t peak_for(int64_t n, const char *tag) {
  struct ice_error err;
  struct ice_mem_budget budget;
  ice_mem_budget_init(&budget, 4 * 1024 * 1024);
  const char *props[] = {"write.target-file-size-bytes", "1000000", NULL};
  struct sink s;
  struct wr_pos_delete_writer *w = new_writer(props, &budget, &s, tag);
  enum { CHUNK = 1000 };
  int64_t pos[CHUNK];
  int64_t per_path = n / 20;
  for (int p = 0; p < 20; p++) {
    char path[128];
    snprintf(path, sizeof path, "file:/warehouse/db/t/data/%08d-%s.parquet", p, tag);
    for (int64_t at = 0; at < per_path; at += CHUNK) {
      for (int64_t i = 0; i < CHUNK; i++) pos[i] = 2 * (at + i);
      CHECK_OK(wr_pos_delete_writer_add(w, path, pos, CHUNK, &err), &err);
    }
  }
  CHECK_OK(wr_pos_delete_writer_close(w, &err), &err);
  wr_pos_delete_writer_free(w);
  int64_t rows = 0;
  for (int i = 0; i < s.n; i++) rows += s.files[i].record_count;
  CHECK_EQ_INT(rows, n);
  CHECK_EQ_INT(budget.used, 0); /* everything given back */
  CHECK(budget.peak <= budget.limit);
  fprintf(stderr, "# %lld positions: %d files, peak %lld bytes\n", (long long)n, s.n,
          (long long)budget.peak);
  sink_reset(&s);
  return budget.peak;
}

/* Long paths under a small budget: batches end by path bytes (a few dozen rows each),
 * and every row still arrives, in order. */
static void test_long_paths_small_batches(void) {
  struct ice_error err;
  struct ice_mem_budget budget;
  ice_mem_budget_init(&budget, 2 * 1024 * 1024);
  struct sink s;
  struct wr_pos_delete_writer *w = new_writer(NULL, &budget, &s, "longpaths");
  enum { N_PATHS = 3, PER = 500 };
  static char path[N_PATHS][520];
  int64_t pos[PER];
  for (int64_t i = 0; i < PER; i++) pos[i] = 5 * i;
  for (int p = 0; p < N_PATHS; p++) {
    int n = snprintf(path[p], sizeof path[p], "file:/t/%d/", p);
    memset(path[p] + n, 'a' + p, 500); /* about 200 rows fill a batch's path bytes */
    path[p][n + 500] = '\0';
    CHECK_OK(wr_pos_delete_writer_add(w, path[p], pos, PER, &err), &err);
  }
  CHECK_OK(wr_pos_delete_writer_close(w, &err), &err);
  wr_pos_delete_writer_free(w);
  CHECK(budget.peak <= budget.limit);
  CHECK_EQ_INT(s.n, 1);
  struct row *rows = ice_calloc(N_PATHS * PER, sizeof *rows);
  CHECK_EQ_INT(read_file(s.paths[0], rows, N_PATHS * PER), N_PATHS * PER);
  int bad = 0;
  for (int64_t i = 0; i < N_PATHS * PER; i++)
    bad |= strcmp(rows[i].path, path[i / PER]) != 0 || rows[i].pos != pos[i % PER];
  CHECK(!bad);
  if (s.n == 1) check_metrics(&s.files[0], s.paths[0], rows, N_PATHS * PER);
  ice_free(rows);
  sink_reset(&s);
}

static void test_memory_flat(void) {
  int64_t small = peak_for(400000, "m1"), large = peak_for(1600000, "m4");
  CHECK(small > 0);
  CHECK(large <= small + small / 10);
}

#ifdef ICE_TEST_HOOKS
/* Every allocation failing in turn: a clean ICE_ENOMEM (or the error a failed
 * allocation turns into), never a crash or a leak, and in the end a run that works. */
static void test_every_allocation_failure(void) {
  const int64_t p[] = {1, 4, 6}, q[] = {0};
  int ok_seen = 0, failed = 0;
  long live = ice_alloc_live();
  for (long k = 1; k < 20000 && !ok_seen; k++) {
    struct ice_error err;
    struct sink s;
    memset(&s, 0, sizeof s);
    s.tag = "alloc";
    struct wr_options o;
    wr_options_init(&o);
    struct wr_pos_delete_writer *w = NULL;
    ice_alloc_fail_after(k);
    int rc = wr_pos_delete_writer_new(&o, open_cb, done_cb, &s, &w, &err);
    if (rc == ICE_OK) rc = wr_pos_delete_writer_add(w, "file:/t/a", p, 3, &err);
    if (rc == ICE_OK) rc = wr_pos_delete_writer_add(w, "file:/t/b", q, 1, &err);
    if (rc == ICE_OK) rc = wr_pos_delete_writer_close(w, &err);
    ice_alloc_fail_after(0);
    if (rc == ICE_OK) {
      ok_seen = 1;
      CHECK_EQ_INT(s.n, 1);
    } else {
      failed++;
      CHECK(rc == ICE_ENOMEM || rc == ICE_EIO || rc == ICE_ELIMIT);
      CHECK(err.message[0] != '\0');
      CHECK_EQ_INT(s.n, 0);
    }
    wr_pos_delete_writer_free(w);
    wr_options_reset(&o);
    sink_reset(&s);
    CHECK_EQ_INT(ice_alloc_live(), live);
  }
  fprintf(stderr, "# %d runs failed cleanly before one succeeded\n", failed);
  CHECK(ok_seen && failed > 20);
}
#endif

int main(void) {
  ICE_RUN(test_several_data_files);
  ICE_RUN(test_one_data_file_is_referenced);
  ICE_RUN(test_rolling);
  ICE_RUN(test_footer_as_java);
  ICE_RUN(test_partition_stamped);
  ICE_RUN(test_order_refused);
  ICE_RUN(test_nothing_and_failures);
  ICE_RUN(test_long_paths_small_batches);
  ICE_RUN(test_memory_flat);
  ICE_RUN_WITH_HOOKS(test_every_allocation_failure);
  ICE_TEST_EXIT();
}
