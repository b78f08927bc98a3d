/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The writer with encoding threads: the same batches written with threads = 1 and
 * threads = 4 (own workers, shared workers, under a budget, page v1 and v2, zstd and
 * snappy) must give byte-identical files; a bad value in one column must fail the
 * write with the message threads = 1 gives; a budget too small must fail cleanly and
 * give every byte back. Also run under ThreadSanitizer (scripts/check.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "harness/ice_test.h"
#include "io/io.h"
#include "parquet/pq_writer.h"
#include "test_parquet_write_arrow.h"

#define ROWS 6000
#define BATCHES 5
#define N_COLS 11

static uint32_t next_rand(uint32_t *x) {
  *x = *x * 1103515245u + 12345u;
  return *x >> 8;
}

static void make_schema(struct ArrowSchema *s) {
  tw_field(s, "+s", "", 0, -1, N_COLS);
  tw_field(s->children[0], "l", "id", 0, 1, 0);
  tw_field(s->children[1], "i", "small", 1, 2, 0);
  tw_field(s->children[2], "g", "ratio", 1, 3, 0);
  tw_field(s->children[3], "u", "city", 1, 4, 0);    /* few distinct: dictionary */
  tw_field(s->children[4], "u", "comment", 1, 5, 0); /* many: dictionary falls back */
  tw_field(s->children[5], "b", "flag", 1, 6, 0);
  tw_field(s->children[6], "+l", "scores", 1, 7, 1);
  tw_field(s->children[6]->children[0], "i", "element", 1, 8, 0);
  tw_field(s->children[7], "+s", "point", 1, 9, 2);
  tw_field(s->children[7]->children[0], "l", "x", 0, 10, 0);
  tw_field(s->children[7]->children[1], "u", "label", 1, 11, 0);
  tw_field(s->children[8], "z", "blob", 1, 12, 0);
  tw_field(s->children[9], "u", "note", 1, 13, 0);
  tw_field(s->children[10], "+l", "tags", 1, 14, 1);
  tw_field(s->children[10]->children[0], "u", "element", 0, 15, 0);
}

/* Batch b: ROWS rows; bit c of `bad_cols` puts invalid UTF-8 in string column c (3, 4,
 * 9) at row `bad_row`. */
static void make_batch(struct ArrowArray *a, int b, unsigned bad_cols, int64_t bad_row) {
  static const char *cities[] = {"Oslo", "Lima", "Pune", "Kyiv", "Baku", "Doha", NULL};
  uint32_t x = 77u + (uint32_t)b * 1000003u;
  int64_t ids[ROWS], xs[ROWS];
  int32_t small[ROWS];
  double ratio[ROWS];
  uint8_t flag[ROWS], v_small[ROWS], v_ratio[ROWS], v_flag[ROWS], v_list[ROWS],
      v_point[ROWS];
  static char comment_buf[ROWS][64], label_buf[ROWS][16], blob_buf[ROWS][24],
      note_buf[ROWS][24];
  const char *city[ROWS], *comment[ROWS], *label[ROWS], *blob[ROWS], *note[ROWS];
  size_t blob_len[ROWS];
  int32_t list_off[ROWS + 1], tags_off[ROWS + 1];
  static int32_t elems[ROWS * 4];
  static uint8_t v_elems[ROWS * 4];
  static const char *tags[ROWS * 3];
  static char tag_buf[ROWS * 3][12];
  uint8_t v_tags[ROWS];
  int32_t ne = 0, nt = 0;
  list_off[0] = tags_off[0] = 0;
  for (int64_t i = 0; i < ROWS; i++) {
    uint32_t r = next_rand(&x);
    ids[i] = (int64_t)b * ROWS + i;
    small[i] = (int32_t)(r % 100) - 50;
    v_small[i] = r % 11 != 0;
    ratio[i] = (double)(r % 100000) / 7.0;
    v_ratio[i] = r % 13 != 0;
    city[i] = cities[r % 7];
    snprintf(comment_buf[i], sizeof comment_buf[i], "comment %u about row %lld", r,
             (long long)ids[i]);
    comment[i] = r % 17 == 0 ? NULL : comment_buf[i];
    flag[i] = (uint8_t)(r & 1);
    v_flag[i] = r % 5 != 0;
    int32_t k = (int32_t)(r % 5); /* 0..4 elements, some lists null */
    v_list[i] = r % 9 != 0;
    if (v_list[i]) {
      for (int32_t e = 0; e < k; e++) {
        elems[ne] = (int32_t)next_rand(&x) % 1000;
        v_elems[ne] = elems[ne] % 7 != 0;
        ne++;
      }
    }
    list_off[i + 1] = ne;
    xs[i] = (int64_t)(r % 9000) * 3;
    v_point[i] = r % 19 != 0;
    snprintf(label_buf[i], sizeof label_buf[i], "L%u", r % 50);
    label[i] = r % 3 == 0 ? NULL : label_buf[i];
    for (int k2 = 0; k2 < 24; k2++) blob_buf[i][k2] = (char)next_rand(&x);
    blob_len[i] = 1 + r % 24;
    blob[i] = r % 23 == 0 ? NULL : blob_buf[i];
    snprintf(note_buf[i], sizeof note_buf[i], "n%u", r % 3000);
    note[i] = r % 29 == 0 ? NULL : note_buf[i];
    v_tags[i] = r % 4 != 0;
    if (v_tags[i]) {
      for (uint32_t e = 0; e < r % 3; e++) {
        snprintf(tag_buf[nt], sizeof tag_buf[nt], "t%u", next_rand(&x) % 40);
        tags[nt] = tag_buf[nt];
        nt++;
      }
    }
    tags_off[i + 1] = nt;
  }
  static const char bad[] = "bad \xc3\x28 value";
  if (bad_cols & (1u << 3)) city[bad_row] = bad;
  if (bad_cols & (1u << 4)) comment[bad_row] = bad;
  if (bad_cols & (1u << 9)) note[bad_row] = bad;
  tw_struct(a, ROWS, N_COLS, NULL);
  tw_prim(a->children[0], ROWS, ids, 8, NULL);
  tw_prim(a->children[1], ROWS, small, 4, v_small);
  tw_prim(a->children[2], ROWS, ratio, 8, v_ratio);
  tw_str(a->children[3], ROWS, city, NULL);
  tw_str(a->children[4], ROWS, comment, NULL);
  tw_bool(a->children[5], ROWS, flag, v_flag);
  tw_list(a->children[6], ROWS, list_off, v_list);
  tw_prim(a->children[6]->children[0], ne, elems, 4, v_elems);
  tw_struct(a->children[7], ROWS, 2, v_point);
  tw_prim(a->children[7]->children[0], ROWS, xs, 8, NULL);
  tw_str(a->children[7]->children[1], ROWS, label, NULL);
  tw_str(a->children[8], ROWS, blob, blob_len);
  tw_str(a->children[9], ROWS, note, NULL);
  tw_list(a->children[10], ROWS, tags_off, v_tags);
  tw_str(a->children[10]->children[0], nt, tags, NULL);
}

struct run {
  int threads;
  struct pq_workers *shared;
  struct ice_mem_budget *budget;
  const char *codec; /* property value */
  const char *page_version;
  unsigned bad_cols; /* bit per string column given a bad value */
  int bad_batch;
  int64_t bad_row;
};

/* Writes BATCHES batches to path; small pages, dictionaries and row groups so that a
 * file has many of each (and dictionaries that fall back). */
static int write_run(const char *path, const struct run *r, struct ice_error *err) {
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  const char *props[] = {"write.parquet.compression-codec",
                         r->codec,
                         "write.parquet.page-version",
                         r->page_version,
                         "write.parquet.page-size-bytes",
                         "8192",
                         "write.parquet.dict-size-bytes",
                         "12000",
                         "write.parquet.row-group-size-bytes",
                         "200000",
                         NULL};
  int rc = pq_writer_options_apply(&o, props, err);
  if (rc != ICE_OK) return rc;
  o.threads = r->threads;
  o.shared_workers = r->shared;
  o.budget = r->budget;
  struct ArrowSchema s;
  make_schema(&s);
  struct ice_output *out;
  rc = io_local_create(path, &out, err);
  struct pq_writer *w = NULL;
  if (rc == ICE_OK) rc = pq_writer_new(&s, &o, out, &w, err);
  for (int b = 0; rc == ICE_OK && b < BATCHES; b++) {
    struct ArrowArray a;
    make_batch(&a, b, b == r->bad_batch ? r->bad_cols : 0u, r->bad_row);
    rc = pq_writer_write(w, &a, err);
    arrow_array_release(&a);
  }
  if (rc == ICE_OK) rc = pq_writer_close(w, err);
  pq_writer_free(w);
  arrow_schema_release(&s);
  return rc;
}

static uint8_t *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  struct stat st;
  if (fstat(fileno(f), &st) != 0) {
    fclose(f);
    return NULL;
  }
  uint8_t *p = ice_malloc((size_t)st.st_size + 1);
  *n = fread(p, 1, (size_t)st.st_size, f);
  fclose(f);
  return p;
}

/* Writes with r at threads 1 and as given; the files must be the same bytes. */
static void check_same_bytes(const char *name, struct run r) {
  char p1[512], pn[512];
  struct ice_error err;
  snprintf(p1, sizeof p1, "%s-t1.parquet", name);
  snprintf(pn, sizeof pn, "%s-tn.parquet", name);
  char a[512], b[512];
  tw_tmp_path(a, sizeof a, p1);
  tw_tmp_path(b, sizeof b, pn);
  struct run serial = r;
  serial.threads = 1;
  serial.shared = NULL;
  CHECK_OK(write_run(a, &serial, &err), &err);
  CHECK_OK(write_run(b, &r, &err), &err);
  size_t na = 0, nb = 0;
  uint8_t *da = slurp(a, &na), *db = slurp(b, &nb);
  CHECK(da != NULL && db != NULL);
  CHECK(na > 100000); /* many pages and row groups, not a trivial file */
  CHECK_EQ_INT(na, nb);
  if (da != NULL && db != NULL && na == nb) {
    size_t diff = 0;
    while (diff < na && da[diff] == db[diff]) diff++;
    if (diff < na) fprintf(stderr, "  %s: first difference at byte %zu\n", name, diff);
    CHECK_EQ_INT(diff, na);
  }
  ice_free(da);
  ice_free(db);
  unlink(a);
  unlink(b);
}

static void test_same_bytes_zstd_v1(void) {
  check_same_bytes("zstd1", (struct run){4, NULL, NULL, "zstd", "1", 0, -1, 0});
}

static void test_same_bytes_snappy_v2(void) {
  check_same_bytes("snappy2", (struct run){4, NULL, NULL, "snappy", "2", 0, -1, 0});
}

static void test_same_bytes_two_threads_gzip(void) {
  check_same_bytes("gzip1", (struct run){2, NULL, NULL, "gzip", "1", 0, -1, 0});
}

/* Uncompressed columns copy their pages at once even with workers (spill runs). */
static void test_same_bytes_uncompressed(void) {
  check_same_bytes("none1", (struct run){4, NULL, NULL, "uncompressed", "1", 0, -1, 0});
  check_same_bytes("none2", (struct run){2, NULL, NULL, "uncompressed", "2", 0, -1, 0});
}

static void test_same_bytes_under_budget(void) {
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 64 << 20);
  check_same_bytes("budget", (struct run){4, NULL, &b, "zstd", "2", 0, -1, 0});
  CHECK_EQ_INT(ice_mem_used(&b), 0); /* everything the workers charged came back */
  CHECK(ice_mem_peak(&b) > 0 && ice_mem_peak(&b) <= b.limit);
}

/* One set of workers serves writer after writer (as a load's partition writers do). */
static void test_same_bytes_shared_workers(void) {
  struct ice_error err;
  struct pq_workers *ws = NULL;
  CHECK_EQ_INT(pq_workers_new(0, NULL, &ws, &err), ICE_EINVAL);
  CHECK_OK(pq_workers_new(3, NULL, &ws, &err), &err);
  if (ws == NULL) return;
  CHECK_EQ_INT(pq_workers_threads(ws), 3);
  check_same_bytes("shared1", (struct run){1, ws, NULL, "zstd", "1", 0, -1, 0});
  check_same_bytes("shared2", (struct run){1, ws, NULL, "zstd", "2", 0, -1, 0});
  pq_workers_free(ws);
}

/* The error threads = 4 reports is the one threads = 1 reports, and the file is gone. */
static void check_same_error(struct run r) {
  char path[512];
  tw_tmp_path(path, sizeof path, "bad.parquet");
  struct ice_error e1, e4;
  struct run serial = r;
  serial.threads = 1;
  int rc1 = write_run(path, &serial, &e1);
  CHECK(access(path, F_OK) != 0);
  int rc4 = write_run(path, &r, &e4);
  CHECK(access(path, F_OK) != 0);
  CHECK_EQ_INT(rc1, ICE_EINVAL);
  CHECK_EQ_INT(rc4, rc1);
  if (rc1 != ICE_OK && rc4 != ICE_OK) CHECK_EQ_STR(e4.message, e1.message);
}

static void test_bad_value_same_error(void) {
  /* One bad column, in the third batch: the message names it and the file row. */
  struct run r = {4, NULL, NULL, "zstd", "1", 1u << 9, 2, 4321};
  check_same_error(r);
  char path[512];
  tw_tmp_path(path, sizeof path, "bad-msg.parquet");
  struct ice_error err;
  CHECK_EQ_INT(write_run(path, &r, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "column 'note'") != NULL);
  CHECK(strstr(err.message, "row 16321") != NULL);
}

static void test_first_bad_column_wins(void) {
  /* Three bad values in one slice of rows (city is leaf 3, comment leaf 4, note leaf
   * 11 after the nested leaves): a serial writer stops at city; so must the workers,
   * whichever finishes first. Run a few times: which worker takes which column varies. */
  struct run r = {4, NULL, NULL, "zstd", "1", (1u << 3) | (1u << 4) | (1u << 9), 1, 10};
  for (int i = 0; i < 5; i++) check_same_error(r);
  struct ice_error err;
  char path[512];
  tw_tmp_path(path, sizeof path, "bad-first.parquet");
  CHECK_EQ_INT(write_run(path, &r, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "column 'city'") != NULL);
}

static void test_budget_too_small_fails_cleanly(void) {
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 96 * 1024);
  char path[512];
  tw_tmp_path(path, sizeof path, "small.parquet");
  struct ice_error err;
  struct run r = {4, NULL, &b, "zstd", "1", 0, -1, 0};
  CHECK_EQ_INT(write_run(path, &r, &err), ICE_ELIMIT);
  CHECK(strstr(err.message, "memory limit") != NULL);
  CHECK(access(path, F_OK) != 0);
  CHECK_EQ_INT(ice_mem_used(&b), 0); /* all given back, by every worker */
  CHECK(ice_mem_peak(&b) <= b.limit);
}

int main(void) {
  ICE_RUN(test_same_bytes_zstd_v1);
  ICE_RUN(test_same_bytes_snappy_v2);
  ICE_RUN(test_same_bytes_two_threads_gzip);
  ICE_RUN(test_same_bytes_uncompressed);
  ICE_RUN(test_same_bytes_under_budget);
  ICE_RUN(test_same_bytes_shared_workers);
  ICE_RUN(test_bad_value_same_error);
  ICE_RUN(test_first_bad_column_wins);
  ICE_RUN(test_budget_too_small_fails_cleanly);
  ICE_TEST_EXIT();
}
