/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The allocation-failure torture over a whole load (catalog open, validation, table
 * creation, reading, writing, manifests, commit): the Nth allocation from the start of
 * the load fails, whichever thread makes it, for N in steps of `stride` until a load
 * runs without reaching it. Each run must fail cleanly or succeed, never crash, hang or
 * leak (ASan). Each run loads a new table into a catalog with no other table (creating
 * a table looks at every other one, so the catalog must not grow from run to run):
 * after a run that reports success its table reads all rows and is dropped; after a
 * failed run it does not exist and no file is left in its folder.
 */
#ifndef ICE_TEST_ALLOC_TORTURE_H
#define ICE_TEST_ALLOC_TORTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "harness/ice_test.h"
#include "harness/ice_test_inputs.h"
#include "ice/ice_table.h"
#include "util/alloc.h"

struct ice_test_torture {
  const char *input;        /* the one Parquet input */
  const char *warehouse;    /* a folder of its own */
  const char **table_props; /* NULL-terminated, or NULL */
  int64_t batch_rows;       /* 0: default */
  int threads;              /* 0: default */
  int64_t rows;             /* the input's rows */
  int64_t min_files;        /* data files the clean load writes at least */
  long stride;
};

static inline int64_t ice_test_count_rows(ice_catalog *cat, const char *ident) {
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
static inline long ice_test_files_under(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "find '%s' -type f 2>/dev/null | wc -l", dir);
  FILE *p = popen(cmd, "r");
  long n = -1;
  if (p == NULL) return -1;
  if (fscanf(p, "%ld", &n) != 1) n = -1;
  pclose(p);
  return n;
}

/* One load of the torture with allocation n armed; *clean when it did not reach it. */
static inline void ice_test_torture_run(const struct ice_test_torture *c,
                                        ice_catalog *checker, long n, int *clean,
                                        int64_t *successes, int64_t *failures) {
  const char *props[] = {"warehouse", c->warehouse, NULL};
  const char *inputs[] = {c->input};
  struct ice_error err;
  ice_error_clear(&err);
  ice_catalog *cat = NULL;
  char ident[64], table_dir[512];
  snprintf(ident, sizeof ident, "db.t%ld", n);
  snprintf(table_dir, sizeof table_dir, "%s/db/t%ld", c->warehouse, n);
  struct ice_commit_info info;
  ice_alloc_fail_after(n);
  int rc = ice_catalog_open(props, &cat, &err);
  if (rc == ICE_OK) {
    struct ice_load_request req;
    ice_load_request_init(&req);
    req.inputs = inputs;
    req.n_inputs = 1;
    req.table_props = c->table_props;
    if (c->batch_rows > 0) req.batch_rows = c->batch_rows;
    if (c->threads > 0) req.threads = c->threads;
    rc = ice_load_files(cat, ident, &req, &info, &err);
    ice_catalog_close(cat);
  }
  /* Was the injected failure reached? If not, the countdown is still running and one
   * of these probes fails: the load ran without an injected failure. */
  *clean = ice_test_alloc_failure_pending(n);
  ice_alloc_fail_after(0);
  if (rc == ICE_OK) {
    (*successes)++;
    CHECK_EQ_INT(ice_test_count_rows(checker, ident), c->rows);
    if (*clean) CHECK(info.data_files_added >= c->min_files);
    CHECK_OK(ice_catalog_drop_table(checker, ident, &err), &err);
    return;
  }
  (*failures)++;
  CHECK(err.message[0] != '\0');
  ice_table *t = NULL;
  struct ice_error e2;
  CHECK_EQ_INT(ice_table_load(checker, ident, &t, &e2), ICE_ENOTFOUND);
  long left = ice_test_files_under(table_dir);
  if (left != 0) fprintf(stderr, "  n=%ld: %ld files left: %s\n", n, left, err.message);
  CHECK_EQ_INT(left, 0);
}

static inline void ice_test_alloc_torture(const struct ice_test_torture *c) {
  const char *props[] = {"warehouse", c->warehouse, NULL};
  int64_t successes = 0, failures = 0;
  int clean = 0;
  /* Opened before any injection: it checks each run's outcome. */
  ice_catalog *checker = NULL;
  struct ice_error cerr;
  CHECK_OK(ice_catalog_open(props, &checker, &cerr), &cerr);
  if (checker == NULL) return;
  long n = 1;
  for (; n < 10000000 && !clean; n += c->stride)
    ice_test_torture_run(c, checker, n, &clean, &successes, &failures);
  printf("# %lld loads at %d threads failed cleanly, %lld succeeded (allocations 1 to "
         "%ld, every %ld)\n",
         (long long)failures, c->threads, (long long)successes, n - c->stride,
         c->stride);
  CHECK(clean);
  CHECK(failures > 100);
  ice_catalog_close(checker);
}

#endif
