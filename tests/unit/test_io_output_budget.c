/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A local output's write buffer and the job's memory budget (io.h, io_fileio_create):
 * the buffer is made (and charged) at the first small write only, writes of at least
 * its size bypass it, it is given back at finish, abort and close, and a budget with
 * no room leaves the file unbuffered with the same bytes. Also the buffer sizes the
 * FileIO reports for local and S3 locations (what the partition router caps on).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/ice_test.h"
#include "io/io_fileio.h"
#include "util/alloc.h"
#include "util/mem_budget.h"

static char g_dir[256];
static const int64_t BUF = (int64_t)IO_LOCAL_BUFFER_BYTES;

static const char *path_of(const char *name) {
  static char b[2][512];
  static int k;
  char *p = b[k++ % 2];
  snprintf(p, 512, "%s/%s", g_dir, name);
  return p;
}

/* Deterministic bytes: byte i of the stream is (i * 7 + seed) mod 251. */
static void fill(uint8_t *p, size_t n, size_t from, int seed) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(((from + i) * 7 + (size_t)seed) % 251);
}

/* Whether the file holds exactly n bytes of the stream `seed`. */
static int holds(const char *path, size_t n, int seed) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return 0;
  uint8_t *got = malloc(n + 1), *want = malloc(n);
  size_t r = fread(got, 1, n + 1, f);
  fclose(f);
  fill(want, n, 0, seed);
  int ok = r == n && memcmp(got, want, n) == 0;
  free(got);
  free(want);
  return ok;
}

/* Writes the stream `seed` in pieces of the given sizes (cycled) up to n bytes. */
static int write_stream(struct ice_output *o, size_t n, const size_t *sizes, size_t ns,
                        int seed, struct ice_mem_budget *b, int64_t most_used,
                        struct ice_error *err) {
  uint8_t *tmp = malloc(4 * IO_LOCAL_BUFFER_BYTES);
  size_t at = 0;
  int rc = ICE_OK;
  for (size_t i = 0; rc == ICE_OK && at < n; i++) {
    size_t k = sizes[i % ns];
    if (k > n - at) k = n - at;
    fill(tmp, k, at, seed);
    rc = ice_output_write(o, tmp, k, err);
    at += k;
    if (b->used > most_used) {
      fprintf(stderr, "  budget used %lld > %lld\n", (long long)b->used,
              (long long)most_used);
      ice_test_current_failed = 1;
    }
  }
  free(tmp);
  return rc;
}

static struct io_fileio *new_io(void) {
  struct io_fileio *f = NULL;
  struct ice_error err;
  if (io_fileio_new(&f, &err) != ICE_OK) abort();
  char root[300];
  snprintf(root, sizeof root, "%s/", g_dir);
  if (io_fileio_allow(f, root, &err) != ICE_OK) abort();
  return f;
}

static void test_buffer_charged_and_released(void) {
  struct io_fileio *f = new_io();
  struct ice_error err;
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 1 << 20);
  struct ice_output *o = NULL;
  CHECK_OK(io_fileio_create(f, path_of("a"), NULL, &b, &o, &err), &err);
  CHECK_EQ_INT(b.used, 0); /* nothing written: no buffer yet */
  /* Only big writes: they go straight to the file, no buffer is ever made. */
  const size_t big[] = {(size_t)BUF, (size_t)BUF * 3};
  CHECK_OK(write_stream(o, (size_t)BUF * 8, big, 2, 1, &b, 0, &err), &err);
  CHECK_EQ_INT(b.peak, 0);
  CHECK_OK(ice_output_finish(o, &err), &err);
  ice_output_close(o);
  CHECK(holds(path_of("a"), (size_t)BUF * 8, 1));

  /* Small and big writes mixed: the buffer is charged once, order is kept. */
  CHECK_OK(io_fileio_create(f, path_of("b"), NULL, &b, &o, &err), &err);
  const size_t mixed[] = {100, 5000, (size_t)BUF + 1, 1, 70000, 3};
  CHECK_OK(write_stream(o, 1000000, mixed, 6, 2, &b, BUF, &err), &err);
  CHECK_EQ_INT(b.used, BUF);
  CHECK_OK(ice_output_finish(o, &err), &err);
  CHECK_EQ_INT(b.used, 0); /* complete: given back before close */
  ice_output_close(o);
  CHECK_EQ_INT(b.used, 0);
  CHECK_EQ_INT(b.peak, BUF);
  CHECK(holds(path_of("b"), 1000000, 2));

  /* Abort and a close without finish give it back too (and remove the file). */
  CHECK_OK(io_fileio_create(f, path_of("c"), NULL, &b, &o, &err), &err);
  CHECK_OK(ice_output_write(o, "xyz", 3, &err), &err);
  CHECK_EQ_INT(b.used, BUF);
  ice_output_abort(o);
  CHECK_EQ_INT(b.used, 0);
  ice_output_close(o);
  CHECK(access(path_of("c"), F_OK) != 0);
  CHECK_OK(io_fileio_create(f, path_of("d"), NULL, &b, &o, &err), &err);
  CHECK_OK(ice_output_write(o, "xyz", 3, &err), &err);
  CHECK_EQ_INT(b.used, BUF);
  ice_output_close(o);
  CHECK_EQ_INT(b.used, 0);
  CHECK(access(path_of("d"), F_OK) != 0);
  io_fileio_free(f);
}

static void test_full_budget_unbuffered(void) {
  struct io_fileio *f = new_io();
  struct ice_error err;
  struct ice_mem_budget b;
  /* Room for one buffer: the first file gets it, the second runs unbuffered. */
  ice_mem_budget_init(&b, BUF + BUF / 2);
  struct ice_output *o1 = NULL, *o2 = NULL;
  CHECK_OK(io_fileio_create(f, path_of("e1"), NULL, &b, &o1, &err), &err);
  CHECK_OK(io_fileio_create(f, path_of("e2"), NULL, &b, &o2, &err), &err);
  const size_t small[] = {1, 17, 300, 4096, 9};
  CHECK_OK(write_stream(o1, 50000, small, 5, 3, &b, BUF, &err), &err);
  CHECK_EQ_INT(b.used, BUF);
  CHECK_OK(write_stream(o2, 300000, small, 5, 4, &b, BUF, &err), &err);
  CHECK_EQ_INT(b.used, BUF); /* refused: nothing more charged, no failure */
  /* Once the first gives its buffer back, the second may take one. */
  CHECK_OK(ice_output_finish(o1, &err), &err);
  CHECK_EQ_INT(b.used, 0);
  CHECK_OK(ice_output_write(o2, "", 0, &err), &err);
  CHECK_OK(ice_output_finish(o2, &err), &err);
  ice_output_close(o1);
  ice_output_close(o2);
  CHECK_EQ_INT(b.used, 0);
  CHECK(holds(path_of("e1"), 50000, 3));
  CHECK(holds(path_of("e2"), 300000, 4));

  /* A budget already full: the whole file is written unbuffered, bytes unchanged. */
  ice_mem_budget_init(&b, 1000);
  ice_mem_hold(&b, 900);
  struct ice_output *o = NULL;
  CHECK_OK(io_fileio_create(f, path_of("g"), NULL, &b, &o, &err), &err);
  CHECK_OK(write_stream(o, 200000, small, 5, 5, &b, 900, &err), &err);
  CHECK_OK(ice_output_finish(o, &err), &err);
  ice_output_close(o);
  CHECK_EQ_INT(b.used, 900);
  CHECK_EQ_INT(b.peak, 900);
  CHECK(holds(path_of("g"), 200000, 5));

  /* Without a budget the buffer is simply used. */
  CHECK_OK(io_fileio_create(f, path_of("h"), NULL, NULL, &o, &err), &err);
  CHECK_OK(write_stream(o, 123457, small, 5, 6, &b, 900, &err), &err);
  CHECK_OK(ice_output_finish(o, &err), &err);
  ice_output_close(o);
  CHECK(holds(path_of("h"), 123457, 6));
  io_fileio_free(f);
}

static void test_buffer_bytes_by_storage(void) {
  struct io_fileio *f = new_io();
  struct ice_error err;
  int64_t n = 0;
  CHECK_OK(io_fileio_output_buffer_bytes(f, path_of("x"), &n, &err), &err);
  CHECK_EQ_INT(n, BUF);
  CHECK_OK(io_fileio_output_buffer_bytes(f, "s3://bucket/t/x.parquet", &n, &err), &err);
  CHECK_EQ_INT(n, 8 * 1024 * 1024); /* the default part */
  CHECK_OK(io_fileio_set_storage_property(f, "s3.multipart.part-size", "6291456", &err),
           &err);
  CHECK_OK(io_fileio_output_buffer_bytes(f, "s3a://bucket/t/x.parquet", &n, &err), &err);
  CHECK_EQ_INT(n, 6291456);
  CHECK_EQ_INT(io_fileio_output_buffer_bytes(f, "gs://bucket/x", &n, &err),
               ICE_EUNSUPPORTED);
  io_fileio_free(f);
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_outbudget_XXXXXX");
  if (mkdtemp(g_dir) == NULL) abort();
  ICE_RUN(test_buffer_charged_and_released);
  ICE_RUN(test_full_budget_unbuffered);
  ICE_RUN(test_buffer_bytes_by_storage);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "  cleanup of %s failed\n", g_dir);
  ICE_TEST_EXIT();
}
