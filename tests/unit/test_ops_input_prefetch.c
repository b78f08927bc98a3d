/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The read-ahead input (threads > 1) against the plain one: a multi-row-group file
 * gives the same batches in the same order; a corrupt page mid-file gives the same
 * code and message after the same good batches; closing early (or at once) joins the
 * thread with nothing leaked; the thread never reads more than one batch ahead.
 * Run under ASan and TSan (scripts/check.sh).
 */
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "arrow/arrow_array.h"
#include "harness/ice_test.h"
#include "io/io.h"
#include "ops/op_input.h"
#include "arrow/arrow_read_ahead.h"
#include "parquet/pq_writer.h"
#include "test_parquet_write_arrow.h"

#define ROWS 3000
#define BATCHES 8
#define MAX_READ 64

static void make_schema(struct ArrowSchema *s) {
  tw_field(s, "+s", "", 0, -1, 2);
  tw_field(s->children[0], "l", "id", 0, 1, 0);
  tw_field(s->children[1], "u", "name", 1, 2, 0);
}

static void make_batch(struct ArrowArray *a, int b) {
  static int64_t ids[ROWS];
  static char buf[ROWS][24];
  static const char *names[ROWS];
  for (int i = 0; i < ROWS; i++) {
    ids[i] = (int64_t)b * ROWS + i;
    snprintf(buf[i], sizeof buf[i], "n%d-%d", b, (i * 7919) % 1000);
    names[i] = i % 5 == 0 ? NULL : buf[i];
  }
  tw_struct(a, ROWS, 2, NULL);
  tw_prim(a->children[0], ROWS, ids, 8, NULL);
  tw_str(a->children[1], ROWS, names, NULL);
}

/* Small zstd pages and row groups: many of each in the file. */
static void write_file(const char *path) {
  struct ice_error err;
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  const char *props[] = {"write.parquet.compression-codec",     "zstd",
                         "write.parquet.page-size-bytes",       "4096",
                         "write.parquet.row-group-size-bytes",  "30000",
                         NULL};
  CHECK_OK(pq_writer_options_apply(&o, props, &err), &err);
  struct ArrowSchema s;
  make_schema(&s);
  struct ice_output *out = NULL;
  CHECK_OK(io_local_create(path, &out, &err), &err);
  struct pq_writer *w = NULL;
  CHECK_OK(pq_writer_new(&s, &o, out, &w, &err), &err);
  for (int b = 0; w != NULL && b < BATCHES; b++) {
    struct ArrowArray a;
    make_batch(&a, b);
    CHECK_OK(pq_writer_write(w, &a, &err), &err);
    arrow_array_release(&a);
  }
  if (w != NULL) CHECK_OK(pq_writer_close(w, &err), &err);
  pq_writer_free(w);
  arrow_schema_release(&s);
}

/* Every batch of `path` read with `threads`, until the end or an error (kept). */
struct reading {
  struct ArrowArray b[MAX_READ];
  int n, rc;
  struct ice_error err;
};

static void read_all(const char *path, int threads, struct ice_mem_budget *budget,
                     struct reading *r) {
  memset(r, 0, sizeof *r);
  struct ArrowSchema table;
  make_schema(&table);
  struct op_input in;
  r->rc = op_input_open_file(&in, path, &table, 1000, budget, threads, &r->err);
  if (r->rc == ICE_OK) CHECK(threads > 1 ? in.ahead != NULL : in.ahead == NULL);
  while (r->rc == ICE_OK && r->n < MAX_READ) {
    bool eof = false;
    r->rc = op_input_next(&in, &r->b[r->n], &eof, &r->err);
    if (r->rc != ICE_OK || eof) break;
    r->n++;
  }
  op_input_close(&in);
  arrow_schema_release(&table);
}

static void release_all(struct reading *r) {
  for (int i = 0; i < r->n; i++) arrow_array_release(&r->b[i]);
}

static bool same_batch(const struct ArrowArray *x, const struct ArrowArray *y) {
  if (x->length != y->length || x->n_children != 2 || y->n_children != 2) return false;
  const struct ArrowArray *ix = x->children[0], *iy = y->children[0];
  const struct ArrowArray *sx = x->children[1], *sy = y->children[1];
  int64_t n = x->length;
  if (ix->offset != 0 || iy->offset != 0 || sx->offset != 0 || sy->offset != 0) return false;
  if (memcmp(ix->buffers[1], iy->buffers[1], (size_t)n * 8) != 0) return false;
  if (sx->null_count != sy->null_count) return false;
  const int32_t *ox = sx->buffers[1], *oy = sy->buffers[1];
  if (memcmp(ox, oy, (size_t)(n + 1) * 4) != 0) return false;
  if (memcmp(sx->buffers[2], sy->buffers[2], (size_t)ox[n]) != 0) return false;
  for (int64_t i = 0; i < n; i++) {
    const uint8_t *vx = sx->buffers[0], *vy = sy->buffers[0];
    bool ax = vx == NULL || (vx[i / 8] >> (i % 8) & 1);
    bool ay = vy == NULL || (vy[i / 8] >> (i % 8) & 1);
    if (ax != ay) return false;
  }
  return true;
}

static void check_same(const struct reading *a, const struct reading *b) {
  CHECK_EQ_INT(a->rc, b->rc);
  CHECK_EQ_INT(a->n, b->n);
  if (a->rc != ICE_OK) CHECK_EQ_STR(a->err.message, b->err.message);
  for (int i = 0; i < a->n && i < b->n; i++)
    if (!same_batch(&a->b[i], &b->b[i])) {
      fprintf(stderr, "  batch %d differs\n", i);
      ice_test_current_failed = 1;
    }
}

static void test_same_batches(void) {
  char path[512];
  tw_tmp_path(path, sizeof path, "multi.parquet");
  write_file(path);
  struct ice_mem_budget budget;
  ice_mem_budget_init(&budget, 256 << 20);
  struct reading plain, ahead;
  read_all(path, 1, &budget, &plain);
  read_all(path, 2, &budget, &ahead);
  CHECK_OK(plain.rc, &plain.err);
  CHECK_EQ_INT(plain.n, ROWS * BATCHES / 1000);
  check_same(&plain, &ahead);
  int64_t first = plain.n > 0 ? ((const int64_t *)plain.b[0].children[0]->buffers[1])[0] : -1;
  CHECK_EQ_INT(first, 0);
  release_all(&plain);
  release_all(&ahead);
  CHECK_EQ_INT(ice_mem_used(&budget), 0);
  unlink(path);
}

/* Damages the bytes at the middle of the file (pages of a middle row group). */
static void corrupt_middle(const char *path) {
  FILE *f = fopen(path, "r+b");
  CHECK(f != NULL);
  if (f == NULL) return;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, size / 2, SEEK_SET);
  uint8_t junk[256];
  memset(junk, 0xA5, sizeof junk);
  fwrite(junk, 1, sizeof junk, f);
  fclose(f);
}

static void test_corrupt_page_same_error(void) {
  char path[512];
  tw_tmp_path(path, sizeof path, "corrupt.parquet");
  write_file(path);
  corrupt_middle(path);
  struct ice_mem_budget budget;
  ice_mem_budget_init(&budget, 256 << 20);
  struct reading plain, ahead;
  read_all(path, 1, &budget, &plain);
  read_all(path, 3, &budget, &ahead);
  CHECK(plain.rc != ICE_OK);
  CHECK(plain.n > 0 && plain.n < ROWS * BATCHES / 1000); /* good batches first */
  CHECK(strstr(plain.err.message, path) != NULL);
  check_same(&plain, &ahead);
  release_all(&plain);
  release_all(&ahead);
  CHECK_EQ_INT(ice_mem_used(&budget), 0);
  unlink(path);
}

/* Closed after one batch (the thread is reading the next) and right after opening. */
static void test_close_early(void) {
  char path[512];
  tw_tmp_path(path, sizeof path, "early.parquet");
  write_file(path);
  struct ice_mem_budget budget;
  ice_mem_budget_init(&budget, 256 << 20);
  struct ArrowSchema table;
  make_schema(&table);
  struct ice_error err;
  for (int reads = 0; reads < 2; reads++) {
    struct op_input in;
    int rc = op_input_open_file(&in, path, &table, 1000, &budget, 2, &err);
    CHECK_OK(rc, &err);
    if (rc != ICE_OK) break;
    for (int i = 0; i < reads; i++) {
      struct ArrowArray b = {0};
      bool eof = true;
      CHECK_OK(op_input_next(&in, &b, &eof, &err), &err);
      CHECK(!eof);
      CHECK_EQ_INT(b.length, 1000);
      arrow_array_release(&b);
    }
    op_input_close(&in);
    op_input_close(&in); /* twice is fine */
    CHECK_EQ_INT(ice_mem_used(&budget), 0);
  }
  arrow_schema_release(&table);
  unlink(path);
}

/* A fake reader counting its calls: 20 one-row batches, then the end. */
struct counter {
  atomic_int started;
};

static int count_read(void *ctx, struct ArrowArray *out, bool *eof, struct ice_error *err) {
  struct counter *c = ctx;
  int k = atomic_fetch_add(&c->started, 1);
  if (k >= 20) {
    *eof = true;
    return ICE_OK;
  }
  int64_t v = k;
  tw_prim(out, 1, &v, 8, NULL);
  (void)err;
  return ICE_OK;
}

static void test_one_batch_ahead_at_most(void) {
  struct counter c;
  atomic_init(&c.started, 0);
  struct arrow_read_ahead *p = NULL;
  struct ice_error err;
  CHECK_OK(arrow_read_ahead_start(count_read, &c, &p, &err), &err);
  if (p == NULL) return;
  for (int taken = 0;; taken++) {
    usleep(2000); /* room for the thread to run ahead, were it allowed to */
    CHECK(atomic_load(&c.started) <= taken + 1);
    struct ArrowArray a = {0};
    bool eof = false;
    CHECK_OK(arrow_read_ahead_next(p, &a, &eof, &err), &err);
    if (eof) {
      CHECK_EQ_INT(taken, 20);
      break;
    }
    CHECK_EQ_INT(((const int64_t *)a.buffers[1])[0], taken);
    arrow_array_release(&a);
    if (taken > 20) break;
  }
  /* The end is kept: asked again, it is the end again, with no more reads. */
  struct ArrowArray a = {0};
  bool eof = false;
  CHECK_OK(arrow_read_ahead_next(p, &a, &eof, &err), &err);
  CHECK(eof);
  arrow_read_ahead_stop(p);
  CHECK_EQ_INT(atomic_load(&c.started), 21);
}

int main(void) {
  ICE_RUN(test_same_batches);
  ICE_RUN(test_corrupt_page_same_error);
  ICE_RUN(test_close_early);
  ICE_RUN(test_one_batch_ahead_at_most);
  ICE_TEST_EXIT();
}
