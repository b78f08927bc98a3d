/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation-failure torture over a whole load (catalog open, validation, table
 * creation, reading, writing, manifests, commit): the Nth allocation fails, for N in
 * steps across every allocation a load makes. Each run must fail cleanly or succeed,
 * never crash or leak (ASan), and a failed load must commit nothing. Each run loads a
 * new table (so every run makes the same allocations): at the end exactly the tables
 * of the runs that reported success exist, each readable with all 8 rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
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
  for (long n = 1; n < 100000 && !clean; n += STRIDE) {
    struct ice_error err;
    ice_error_clear(&err);
    ice_catalog *cat = NULL;
    ice_alloc_fail_after(n);
    int rc = ice_catalog_open(props, &cat, &err);
    if (rc == ICE_OK) {
      struct ice_load_request req;
      ice_load_request_init(&req);
      req.inputs = inputs;
      req.n_inputs = 1;
      struct ice_commit_info info;
      char ident[64];
      snprintf(ident, sizeof ident, "db.t%ld", n);
      rc = ice_load_files(cat, ident, &req, &info, &err);
      ice_catalog_close(cat);
    }
    /* Was the injected failure reached? If not, the countdown is still running and
     * one of these probes fails: the load ran without an injected failure. */
    for (long k = 0; k <= n && !clean; k++) {
      void *probe = ice_malloc(1);
      clean = probe == NULL;
      ice_free(probe);
    }
    ice_alloc_fail_after(0);
    if (rc == ICE_OK) {
      successes++;
    } else {
      failures++;
      CHECK(err.message[0] != '\0');
    }
  }
  printf("# %lld loads failed cleanly, %lld succeeded\n", (long long)failures, (long long)successes);
  CHECK(clean);
  CHECK(failures > 100);
  ice_catalog *cat = NULL;
  struct ice_error err;
  CHECK_OK(ice_catalog_open(props, &cat, &err), &err);
  if (cat != NULL) {
    struct ice_string_list tables = {0};
    CHECK_OK(ice_catalog_list_tables(cat, "db", &tables, &err), &err);
    CHECK_EQ_INT(tables.n, successes);
    for (size_t i = 0; i < tables.n; i++) {
      int64_t rows = count_rows(cat, tables.items[i]);
      if (rows != 8) fprintf(stderr, "  %s: %lld rows\n", tables.items[i], (long long)rows);
      CHECK_EQ_INT(rows, 8);
    }
    ice_string_list_free(&tables);
    ice_catalog_close(cat);
  }
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
}

int main(void) {
  ICE_RUN(test_every_allocation_failure);
  ICE_TEST_EXIT();
}
