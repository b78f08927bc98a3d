/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation-failure torture (harness/ice_test_alloc_torture.h) over a whole load of
 * parquet-testing's alltypes_plain (8 rows) at one thread: every allocation fails in
 * turn; each run fails cleanly or succeeds, and a failed load commits nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
/* The harness arms ice_alloc_fail_after, a test hook: built with ICE_TEST_HOOKS only. */
#include "harness/ice_test_alloc_torture.h"

#define STRIDE 1 /* every allocation; raise to thin out if loads grow large */

static void test_every_allocation_failure(void) {
  char dir[] = "/tmp/ice_alloc_fail_XXXXXX";
  if (mkdtemp(dir) == NULL) return;
  char input[512], wh[128];
  snprintf(input, sizeof input, "%s/parquet-testing/data/alltypes_plain.parquet",
           ice_test_data_dir());
  snprintf(wh, sizeof wh, "%s/wh", dir);
  /* One thread: the path a load takes without workers. */
  struct ice_test_torture c = {input, wh, NULL, 0, 1, 8, 1, STRIDE};
  ice_test_alloc_torture(&c);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
}

int main(void) {
  ICE_RUN(test_every_allocation_failure);
  ICE_TEST_EXIT();
}
