/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The allocation-failure torture (harness/ice_test_alloc_torture.h) at threads = 4: a
 * load whose pages are compressed on worker threads (small pages, row groups and
 * files: many of each) and whose input is read one batch ahead, its columns decoded
 * on several threads. The Nth allocation fails, whichever thread makes it, for every
 * N across the whole load; a failed load commits nothing and leaves no file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
/* The harness arms ice_alloc_fail_after, a test hook: built with ICE_TEST_HOOKS only. */
#include "harness/ice_test_alloc_torture.h"
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

static void test_threaded_load_allocation_failures(void) {
  char dir[] = "/tmp/ice_alloc_fail_threads_XXXXXX";
  if (mkdtemp(dir) == NULL) return;
  char input[128], wh[128];
  snprintf(input, sizeof input, "%s/in.parquet", dir);
  snprintf(wh, sizeof wh, "%s/wh", dir);
  write_input(input);
  /* About 4 KiB pages, 60 KB row groups, 120 KB files: each run writes several files
   * of several row groups, every page compressed by a worker. */
  const char *table_props[] = {"write.parquet.page-size-bytes",      "4096",
                               "write.parquet.row-group-size-bytes", "60000",
                               "write.target-file-size-bytes",       "120000",
                               NULL};
  struct ice_test_torture c = {input, wh, table_props, 3000, THREADS, ROWS, 3, STRIDE};
  ice_test_alloc_torture(&c);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
}

int main(void) {
  ICE_RUN(test_threaded_load_allocation_failures);
  ICE_TEST_EXIT();
}
