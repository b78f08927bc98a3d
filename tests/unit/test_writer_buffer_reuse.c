/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rolling data-file writer reuses one Parquet writer's buffers across data files
 * (pq_writer_restart): a file after the first needs far fewer allocations than the
 * first (counted deterministically with the allocator's fault injection), a restarted
 * writer writes byte-for-byte the file a fresh one writes, and a restart is refused on
 * a writer that has not closed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/ice_test.h"
#include "test_parquet_write_arrow.h"
#include "writer/wr_data_writer.h"

#define ROWS_PER_FILE 1000 /* one size-check slice: each write makes exactly one file */

struct sink {
  int opened, done;
  char paths[8][512];
};

static int open_cb(void *ctx, int64_t index, struct ice_output **out, char **location,
                   struct ice_error *err) {
  struct sink *s = ctx;
  if (index >= 8) return ice_error_set(err, ICE_ELIMIT, "too many files");
  char name[64];
  snprintf(name, sizeof name, "reuse-%lld.parquet", (long long)index);
  tw_tmp_path(s->paths[index], sizeof s->paths[index], name);
  struct ice_output *o = NULL;
  ICE_TRY(io_local_create(s->paths[index], &o, err));
  char *loc = ice_strdup(s->paths[index]);
  if (loc == NULL) {
    ice_output_abort(o);
    ice_output_close(o);
    return ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  s->opened++;
  *out = o;
  *location = loc;
  return ICE_OK;
}

static int done_cb(void *ctx, const struct ib_data_file *df, struct ice_error *err) {
  (void)err;
  struct sink *s = ctx;
  if (df->record_count == ROWS_PER_FILE) s->done++;
  return ICE_OK;
}

/* id long, name string, price decimal(20,2), x double, flag int32 (field ids 1..5). */
static void make_schema(struct ArrowSchema *s) {
  tw_field(s, "+s", "", 0, -1, 5);
  tw_field(s->children[0], "l", "id", 0, 1, 0);
  tw_field(s->children[1], "u", "name", 1, 2, 0);
  tw_field(s->children[2], "d:20,2", "price", 1, 3, 0);
  tw_field(s->children[3], "g", "x", 1, 4, 0);
  tw_field(s->children[4], "i", "flag", 1, 5, 0);
}

static void make_batch(struct ArrowArray *a, int64_t n) {
  int64_t *ids = ice_malloc((size_t)n * 8);
  const char **names = ice_malloc((size_t)n * sizeof(char *));
  char *text = ice_malloc((size_t)n * 32);
  int64_t *dec = ice_malloc((size_t)n * 16);
  double *x = ice_malloc((size_t)n * 8);
  int32_t *flag = ice_malloc((size_t)n * 4);
  for (int64_t i = 0; i < n; i++) {
    uint64_t h = (uint64_t)i * 0x9E3779B97F4A7C15ull;
    ids[i] = i;
    snprintf(text + i * 32, 32, "name-%016llx", (unsigned long long)h);
    names[i] = (i % 10 == 3) ? NULL : text + i * 32;
    int64_t unscaled = (i % 2 ? -1 : 1) * i * 101;
    dec[2 * i] = unscaled;
    dec[2 * i + 1] = unscaled < 0 ? -1 : 0;
    x[i] = (i % 7 == 0) ? NAN : (double)(h >> 11) / 9007199254740992.0;
    flag[i] = (int32_t)(i % 5);
  }
  tw_struct(a, n, 5, NULL);
  tw_prim(a->children[0], n, ids, 8, NULL);
  tw_str(a->children[1], n, names, NULL);
  tw_prim(a->children[2], n, dec, 16, NULL);
  tw_prim(a->children[3], n, x, 8, NULL);
  tw_prim(a->children[4], n, flag, 4, NULL);
  ice_free(ids);
  ice_free(names);
  ice_free(text);
  ice_free(dec);
  ice_free(x);
  ice_free(flag);
}

/* Target 1 byte: every file closes after its first size check. Small pages so a file
 * has several pages per column (page records, page index, dictionary). */
static void make_options(struct wr_options *o) {
  struct ice_error err;
  wr_options_init(o);
  const char *props[] = {"write.target-file-size-bytes", "1",
                         "write.parquet.page-size-bytes", "2048", NULL};
  CHECK_OK(wr_options_apply(o, props, &err), &err);
  CHECK_OK(wr_options_set_schema_json(o, "{\"type\":\"struct\"}", &err), &err);
}

static bool slurp(const char *path, struct ice_buf *b) {
  struct ice_error err;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return false;
  uint8_t chunk[4096];
  size_t n;
  bool ok = true;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (ice_buf_append(b, chunk, n, &err) != ICE_OK) ok = false;
  }
  fclose(f);
  return ok;
}

static bool same_file(const char *a, const char *b) {
  struct ice_buf x, y;
  ice_buf_init(&x, 1 << 24);
  ice_buf_init(&y, 1 << 24);
  bool same = slurp(a, &x) && slurp(b, &y) && x.len == y.len && x.len > 12 &&
              memcmp(x.data, y.data, x.len) == 0;
  ice_buf_reset(&x);
  ice_buf_reset(&y);
  return same;
}

/* Allocations made by data file number `which` (0 = the writer's first): the smallest
 * fault-injection countdown under which that file is written is one more than the
 * number of allocations it makes. Files before it are written without injection. */
static long allocations_of_file(int which) {
  struct ArrowSchema s;
  make_schema(&s);
  struct ArrowArray a;
  make_batch(&a, ROWS_PER_FILE);
  struct wr_options o;
  make_options(&o);
  long found = -1;
  for (long k = 1; k < 200000 && found < 0; k++) {
    struct ice_error err;
    struct sink sk = {0};
    struct wr_data_writer *w = NULL;
    CHECK_OK(wr_data_writer_new(&s, &o, open_cb, done_cb, &sk, &w, &err), &err);
    for (int f = 0; f < which; f++) CHECK_OK(wr_data_writer_write(w, &a, &err), &err);
    ice_alloc_fail_after(k);
    int rc = wr_data_writer_write(w, &a, &err);
    ice_alloc_fail_after(0);
    if (rc == ICE_OK) {
      CHECK_EQ_INT(sk.done, which + 1); /* the write made exactly one whole file */
      found = k - 1;
    }
    wr_data_writer_free(w);
  }
  wr_options_reset(&o);
  arrow_array_release(&a);
  arrow_schema_release(&s);
  return found;
}

static void test_next_files_reuse_buffers(void) {
  long first = allocations_of_file(0);
  long second = allocations_of_file(1);
  long third = allocations_of_file(2);
  printf("allocations per data file: first %ld, second %ld, third %ld\n", first, second,
         third);
  CHECK(first > 0 && second > 0);
  /* Without reuse each file rebuilds the schema, columns, dictionaries and regrows
   * every buffer: as many allocations as the first. */
  CHECK(second * 2 < first);
  /* Nothing accumulates from file to file. */
  CHECK_EQ_INT(third, second);
}

/* Files written by a restarted writer are the files a fresh writer writes. */
static void test_reused_files_identical(void) {
  struct ice_error err;
  struct ArrowSchema s;
  make_schema(&s);
  struct ArrowArray a;
  make_batch(&a, ROWS_PER_FILE);
  struct wr_options o;
  make_options(&o);
  struct sink sk = {0};
  struct wr_data_writer *w = NULL;
  CHECK_OK(wr_data_writer_new(&s, &o, open_cb, done_cb, &sk, &w, &err), &err);
  for (int f = 0; f < 3; f++) CHECK_OK(wr_data_writer_write(w, &a, &err), &err);
  CHECK_OK(wr_data_writer_close(w, &err), &err);
  CHECK_EQ_INT(sk.opened, 3);
  CHECK_EQ_INT(sk.done, 3);
  CHECK_EQ_INT(wr_data_writer_files(w), 3);
  CHECK(same_file(sk.paths[0], sk.paths[1]));
  CHECK(same_file(sk.paths[0], sk.paths[2]));
  /* A write after close starts over with a fresh Parquet writer: same bytes again. */
  CHECK_OK(wr_data_writer_write(w, &a, &err), &err);
  CHECK_OK(wr_data_writer_close(w, &err), &err);
  CHECK_EQ_INT(sk.done, 4);
  CHECK(same_file(sk.paths[0], sk.paths[3]));
  wr_data_writer_free(w);
  wr_options_reset(&o);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_restart_needs_close(void) {
  struct ice_error err;
  struct ArrowSchema s;
  make_schema(&s);
  struct ArrowArray a;
  make_batch(&a, 100);
  char p0[512], p1[512], p2[512];
  tw_tmp_path(p0, sizeof p0, "restart-0.parquet");
  tw_tmp_path(p1, sizeof p1, "restart-1.parquet");
  tw_tmp_path(p2, sizeof p2, "restart-2.parquet");
  struct ice_output *out = NULL;
  struct pq_writer *pw = NULL;
  CHECK_OK(io_local_create(p0, &out, &err), &err);
  CHECK_OK(pq_writer_new(&s, NULL, out, &pw, &err), &err);
  CHECK_OK(pq_writer_write(pw, &a, &err), &err);
  /* Open: refused, and the new output is aborted (no file left behind). */
  CHECK_OK(io_local_create(p1, &out, &err), &err);
  CHECK_EQ_INT(pq_writer_restart(pw, out, &err), ICE_EINVAL);
  CHECK(access(p1, F_OK) != 0);
  CHECK_OK(pq_writer_close(pw, &err), &err);
  int64_t size0 = pq_writer_file_size(pw);
  int64_t nulls0 = pq_writer_leaf_view(pw, 1)->stats.null_count;
  CHECK_OK(io_local_create(p2, &out, &err), &err);
  CHECK_OK(pq_writer_restart(pw, out, &err), &err);
  /* Per-file facts start over. */
  CHECK_EQ_INT(pq_writer_num_rows(pw), 0);
  CHECK_EQ_INT(pq_writer_num_row_groups(pw), 0);
  CHECK_EQ_INT(pq_writer_file_size(pw), 0);
  CHECK_EQ_INT(pq_writer_leaf_view(pw, 1)->stats.null_count, 0);
  CHECK_OK(pq_writer_write(pw, &a, &err), &err);
  CHECK_OK(pq_writer_close(pw, &err), &err);
  CHECK_EQ_INT(pq_writer_file_size(pw), size0);
  CHECK_EQ_INT(pq_writer_leaf_view(pw, 1)->stats.null_count, nulls0);
  CHECK_EQ_INT(pq_writer_num_rows(pw), 100);
  CHECK(same_file(p0, p2));
  pq_writer_free(pw);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

int main(void) {
  ICE_RUN(test_restart_needs_close);
  ICE_RUN(test_reused_files_identical);
  ICE_RUN(test_next_files_reuse_buffers);
  ICE_TEST_EXIT();
}
