/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation-failure torture over a whole load (catalog open, validation, table
 * creation, reading, writing, manifests, commit): the Nth allocation fails, for N in
 * steps across every allocation a load makes. Each run must fail cleanly or succeed,
 * never crash or leak (ASan), and a failed load must commit nothing. Each run loads a
 * new table into a catalog with no other table (creating a table looks at every other
 * one, so the catalog must not grow from run to run): after a run that reports success
 * its table reads all 8 rows and is dropped; after a failed run it does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
#include "harness/ice_test_inputs.h"
#include "ice/ice_table.h"
#include "util/alloc.h"

#define STRIDE 1 /* every allocation; raise to thin out if loads grow large */

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

static void test_every_allocation_failure(void) {
  char dir[] = "/tmp/ice_alloc_fail_XXXXXX";
  if (mkdtemp(dir) == NULL) return;
  char input[512], wh[128];
  snprintf(input, sizeof input, "%s/parquet-testing/data/alltypes_plain.parquet",
           ice_test_data_dir());
  snprintf(wh, sizeof wh, "%s/wh", dir);
  const char *props[] = {"warehouse", wh, NULL};
  const char *inputs[] = {input};
  int64_t successes = 0, failures = 0;
  int clean = 0;
  /* Opened before any injection: it checks each run's outcome. */
  ice_catalog *checker = NULL;
  struct ice_error cerr;
  CHECK_OK(ice_catalog_open(props, &checker, &cerr), &cerr);
  if (checker == NULL) return;
  for (long n = 1; n < 100000 && !clean; n += STRIDE) {
    struct ice_error err;
    ice_error_clear(&err);
    ice_catalog *cat = NULL;
    char ident[64];
    snprintf(ident, sizeof ident, "db.t%ld", n);
    ice_alloc_fail_after(n);
    int rc = ice_catalog_open(props, &cat, &err);
    if (rc == ICE_OK) {
      struct ice_load_request req;
      ice_load_request_init(&req);
      req.inputs = inputs;
      req.n_inputs = 1;
      struct ice_commit_info info;
      rc = ice_load_files(cat, ident, &req, &info, &err);
      ice_catalog_close(cat);
    }
    /* Was the injected failure reached? If not, the countdown is still running and
     * one of these probes fails: the load ran without an injected failure. */
    clean = ice_test_alloc_failure_pending(n);
    ice_alloc_fail_after(0);
    if (rc == ICE_OK) {
      successes++;
      CHECK_EQ_INT(count_rows(checker, ident), 8);
      CHECK_OK(ice_catalog_drop_table(checker, ident, &err), &err);
    } else {
      failures++;
      CHECK(err.message[0] != '\0');
      ice_table *t = NULL;
      struct ice_error e2;
      CHECK_EQ_INT(ice_table_load(checker, ident, &t, &e2), ICE_ENOTFOUND);
    }
  }
  printf("# %lld loads failed cleanly, %lld succeeded\n", (long long)failures,
         (long long)successes);
  CHECK(clean);
  CHECK(failures > 100);
  ice_catalog_close(checker);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
}

int main(void) {
  ICE_RUN(test_every_allocation_failure);
  ICE_TEST_EXIT();
}
