/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The allocation-failure torture of test_api_alloc_failures.c at threads = 4: a load
 * whose columns are encoded and compressed on worker threads (small pages, row groups
 * and files: many of each) and whose input is read one batch ahead on a background
 * thread. The Nth allocation from the start of the load fails, whichever thread makes
 * it, for N in steps of STRIDE across the whole load (catalog open to commit). Each
 * run must fail cleanly or succeed, never crash, hang or leak (ASan), and a failed
 * load commits nothing and leaves no file under its table. Each run loads a new table
 * into a catalog with no other table; a table that loaded is checked and dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
#include "harness/ice_test_inputs.h"
#include "ice/ice_table.h"
#include "test_parquet_write_arrow.h"
#include "util/alloc.h"

#define ROWS 24000
#define THREADS 4
/* Allocations between failure points: every one (a load makes about 1,700). */
#define STRIDE 1

static void write_input(const char *path) {
  static int64_t ids[ROWS];
  static char text[ROWS][24];
  static const char *names[ROWS];
  for (int i = 0; i < ROWS; i++) {
    ids[i] = (int64_t)i * 7919 % 1000003;
    uint64_t h = (uint64_t)i * 0x9e3779b97f4a7c15u; /* spread: pages hardly compress */
    snprintf(text[i], sizeof text[i], "%016llx", (unsigned long long)(h ^ (h >> 29)));
    names[i] = i % 11 == 0 ? NULL : text[i];
  }
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 2);
  tw_field(s.children[0], "l", "id", 0, -1, 0);
  tw_field(s.children[1], "u", "name", 1, -1, 0);
  tw_struct(&a, ROWS, 2, NULL);
  tw_prim(a.children[0], ROWS, ids, 8, NULL);
  tw_str(a.children[1], ROWS, names, NULL);
  CHECK(ice_test_write_parquet(path, &s, &a) > 0);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static int64_t count_rows(ice_catalog *cat, const char *ident) {
  struct ice_error err;
  ice_table *t = NULL;
  struct ArrowArrayStream st = {0};
  int64_t rows = 0;
  if (ice_table_load(cat, ident, &t, &err) != ICE_OK) {
    fprintf(stderr, "  %s: %s\n", ident, err.message);
    return -1;
  }
  CHECK_OK(ice_table_scan(t, NULL, &st, &err), &err);
  while (st.release != NULL) {
    struct ArrowArray b = {0};
    if (st.get_next(&st, &b) != 0 || b.release == NULL) break;
    rows += b.length;
    b.release(&b);
  }
  if (st.release != NULL) st.release(&st);
  ice_table_free(t);
  return rows;
}

/* Regular files under dir (none when it does not exist). */
static long files_under(const char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "find '%s' -type f 2>/dev/null | wc -l", dir);
  FILE *p = popen(cmd, "r");
  long n = -1;
  if (p == NULL) return -1;
  if (fscanf(p, "%ld", &n) != 1) n = -1;
  pclose(p);
  return n;
}

static void test_threaded_load_allocation_failures(void) {
  char dir[] = "/tmp/ice_alloc_fail_threads_XXXXXX";
  if (mkdtemp(dir) == NULL) return;
  char input[128], wh[128];
  snprintf(input, sizeof input, "%s/in.parquet", dir);
  snprintf(wh, sizeof wh, "%s/wh", dir);
  write_input(input);
  const char *props[] = {"warehouse", wh, NULL};
  const char *inputs[] = {input};
  /* About 4 KiB pages, 60 KB row groups, 120 KB files: each run writes several files
   * of several row groups, every page compressed by a worker. */
  const char *table_props[] = {"write.parquet.page-size-bytes",      "4096",
                               "write.parquet.row-group-size-bytes", "60000",
                               "write.target-file-size-bytes",       "120000",
                               NULL};
  int64_t successes = 0, failures = 0;
  int clean = 0;
  ice_catalog *checker = NULL;
  struct ice_error cerr;
  CHECK_OK(ice_catalog_open(props, &checker, &cerr), &cerr);
  if (checker == NULL) return;
  long n = 1;
  for (; n < 10000000 && !clean; n += STRIDE) {
    struct ice_error err;
    ice_error_clear(&err);
    ice_catalog *cat = NULL;
    char ident[64], table_dir[256];
    snprintf(ident, sizeof ident, "db.t%ld", n);
    snprintf(table_dir, sizeof table_dir, "%s/db/t%ld", wh, n);
    ice_alloc_fail_after(n);
    int rc = ice_catalog_open(props, &cat, &err);
    struct ice_commit_info info;
    if (rc == ICE_OK) {
      struct ice_load_request req;
      ice_load_request_init(&req);
      req.inputs = inputs;
      req.n_inputs = 1;
      req.table_props = table_props;
      req.batch_rows = 3000;
      req.threads = THREADS;
      rc = ice_load_files(cat, ident, &req, &info, &err);
      ice_catalog_close(cat);
    }
    clean = ice_test_alloc_failure_pending(n);
    ice_alloc_fail_after(0);
    if (rc == ICE_OK) {
      successes++;
      CHECK_EQ_INT(count_rows(checker, ident), ROWS);
      if (clean) {
        printf("# the load without a failure: %lld files, %lld bytes\n",
               (long long)info.data_files_added, (long long)info.bytes_written);
        CHECK(info.data_files_added >= 3);
      }
      CHECK_OK(ice_catalog_drop_table(checker, ident, &err), &err);
    } else {
      failures++;
      CHECK(err.message[0] != '\0');
      ice_table *t = NULL;
      struct ice_error e2;
      CHECK_EQ_INT(ice_table_load(checker, ident, &t, &e2), ICE_ENOTFOUND);
      long left = files_under(table_dir);
      if (left != 0) fprintf(stderr, "  n=%ld: %ld files left: %s\n", n, left, err.message);
      CHECK_EQ_INT(left, 0);
    }
  }
  printf("# %lld threaded loads failed cleanly, %lld succeeded (allocations 1 to %ld, "
         "every %d)\n",
         (long long)failures, (long long)successes, n - STRIDE, STRIDE);
  CHECK(clean);
  CHECK(failures > 100);
  ice_catalog_close(checker);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
}

int main(void) {
  ICE_RUN(test_threaded_load_allocation_failures);
  ICE_TEST_EXIT();
}
