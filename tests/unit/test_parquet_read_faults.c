/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation-failure torture for the read path: every allocation of opening and
 * streaming a nested file (and a dictionary/v2 file) is failed in turn. Each run must
 * end in ICE_ENOMEM/ENOMEM or success, never crash, and leak nothing (LeakSanitizer
 * checks at exit in the sanitizer build).
 */
#include <errno.h>

#include "harness/ice_test.h"
#include "ice/ice_parquet.h"
#include "util/alloc.h"

static char g_path[4096];

/* Reads everything; returns 0 on success, else the failing code/errno. */
static int read_all(const char *path) {
  struct ice_error err;
  ice_parquet_file *f = NULL;
  int rc = ice_parquet_open(path, &f, &err);
  if (rc != ICE_OK) return rc;
  struct ice_parquet_read_options o;
  ice_parquet_read_options_init(&o);
  o.batch_rows = 2;
  struct ArrowArrayStream st;
  rc = ice_parquet_stream(f, &o, &st, &err);
  if (rc == ICE_OK) {
    struct ArrowSchema s;
    rc = st.get_schema(&st, &s);
    if (rc == 0) s.release(&s);
    while (rc == 0) {
      struct ArrowArray a;
      rc = st.get_next(&st, &a);
      if (rc != 0 || a.release == NULL) break;
      a.release(&a);
    }
    st.release(&st);
  }
  ice_parquet_close(f);
  return rc;
}

static void torture(const char *name) {
  snprintf(g_path, sizeof g_path, "%s/parquet-testing/data/%s",
           ice_test_data_dir(), name);
  CHECK_EQ_INT(read_all(g_path), 0);
  int failures_seen = 0;
  for (long n = 1; n < 5000; n++) {
    ice_alloc_fail_after(n);
    int rc = read_all(g_path);
    ice_alloc_fail_after(0);
    if (rc == 0) break; /* n is past the last allocation */
    failures_seen++;
    if (rc != ICE_ENOMEM && rc != ENOMEM) {
      fprintf(stderr, "  %s: allocation %ld failed with %d, not ENOMEM\n", name, n, rc);
      ice_test_current_failed = 1;
    }
  }
  CHECK(failures_seen > 10);
}

static void test_nested_file_survives_every_allocation_failure(void) {
  torture("nullable.impala.parquet");
}

static void test_dictionary_v2_file_survives_every_allocation_failure(void) {
  torture("datapage_v2.snappy.parquet");
}

int main(void) {
  ICE_RUN(test_nested_file_survives_every_allocation_failure);
  ICE_RUN(test_dictionary_v2_file_survives_every_allocation_failure);
  ICE_TEST_EXIT();
}
