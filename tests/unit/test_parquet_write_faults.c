/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation failure at every step of a write (fault injection through ice_malloc):
 * each attempt must end in ICE_OK or a clean error (ICE_ENOMEM or a wrapped one),
 * never a crash, a leak (LeakSanitizer checks at exit) or a file left behind.
 */
#include "harness/ice_test.h"
#include "io/io.h"
#include "parquet/pq_writer.h"
#include "test_parquet_write_arrow.h"

static void make(struct ArrowSchema *s, struct ArrowArray *a) {
  tw_field(s, "+s", "", 0, -1, 3);
  tw_field(s->children[0], "l", "id", 0, 1, 0);
  tw_field(s->children[1], "u", "name", 1, 2, 0);
  tw_field(s->children[2], "+l", "tags", 1, 3, 1);
  tw_field(s->children[2]->children[0], "i", "element", 1, 4, 0);
  enum { N = 300 };
  int64_t ids[N];
  const char *names[N];
  int32_t off[N + 1];
  int32_t vals[N * 2];
  for (int i = 0; i < N; i++) {
    ids[i] = i * 7;
    names[i] = i % 9 == 0 ? NULL : (i % 2 ? "odd" : "even");
    off[i] = i * 2;
    vals[2 * i] = i;
    vals[2 * i + 1] = -i;
  }
  off[N] = N * 2;
  tw_struct(a, N, 3, NULL);
  tw_prim(a->children[0], N, ids, 8, NULL);
  tw_str(a->children[1], N, names, NULL);
  tw_list(a->children[2], N, off, NULL);
  tw_prim(a->children[2]->children[0], N * 2, vals, 4, NULL);
}

static int attempt(const char *path, struct ArrowSchema *s, struct ArrowArray *a,
                   const char *const *props, long fail_at, struct ice_error *err) {
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  int rc = pq_writer_options_apply(&o, props, err);
  if (rc) return rc;
  struct ice_output *out = NULL;
  rc = io_local_create(path, &out, err);
  if (rc) return rc;
  ice_alloc_fail_after(fail_at);
  struct pq_writer *w = NULL;
  rc = pq_writer_new(s, &o, out, &w, err);
  if (rc == ICE_OK) rc = pq_writer_write(w, a, err);
  if (rc == ICE_OK) rc = pq_writer_flush_row_group(w, err);
  if (rc == ICE_OK) rc = pq_writer_write(w, a, err);
  if (rc == ICE_OK) rc = pq_writer_close(w, err);
  ice_alloc_fail_after(0);
  pq_writer_free(w);
  return rc;
}

static void test_every_allocation_can_fail(void) {
  struct ArrowSchema s;
  struct ArrowArray a;
  make(&s, &a);
  const char *props[] = {"write.parquet.page-row-limit", "50", NULL};
  char path[512];
  tw_tmp_path(path, sizeof path, "faults.parquet");
  int ok_seen = 0, failures = 0;
  for (long k = 1; k < 2000 && !ok_seen; k++) {
    struct ice_error err;
    unlink(path);
    int rc = attempt(path, &s, &a, props, k, &err);
    if (rc == ICE_OK) {
      ok_seen = 1;
      CHECK(access(path, F_OK) == 0);
    } else {
      failures++;
      CHECK(rc == ICE_ENOMEM || rc == ICE_EIO || rc == ICE_ELIMIT);
      if (rc != ICE_ENOMEM) fprintf(stderr, "  k=%ld: %s\n", k, err.message);
      CHECK(access(path, F_OK) != 0); /* aborted: removed */
    }
  }
  CHECK(ok_seen);
  CHECK(failures > 50);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

int main(void) {
  ICE_RUN(test_every_allocation_can_fail);
  ICE_TEST_EXIT();
}
