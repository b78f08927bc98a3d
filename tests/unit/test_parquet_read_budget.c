/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A budgeted read stream charges what it holds for its whole life — each column's
 * reader state and the file's decoded footer — when it is created, so thousands of
 * columns count against --memory-limit before any page is read, and a limit that
 * cannot hold them fails at once, saying what did not fit (issue 7, item 12).
 */
#include <stdio.h>
#include <string.h>

#include "harness/ice_test.h"
#include "parquet/pq_reader.h"
#include "util/mem_budget.h"

static char g_path[1024];

static const char *data_file(const char *name) {
  snprintf(g_path, sizeof g_path, "%s/parquet-testing/data/%s", ice_test_data_dir(),
           name);
  return g_path;
}

static void test_stream_charges_columns_and_footer(void) {
  struct ice_error err;
  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(data_file("alltypes_plain.parquet"), &f, &err), &err);
  if (f == NULL) return;
  struct ice_parquet_read_options o;
  ice_parquet_read_options_init(&o);
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 64 << 20);
  struct ArrowArrayStream st = {0};
  CHECK_OK(pq_reader_stream_new(f, &o, &b, NULL, &st, &err), &err);
  /* 11 columns: more than a hundred bytes of state each, plus the footer. */
  CHECK(b.used > 11 * 100);
  int64_t at_open = b.used;
  st.release(&st);
  CHECK_EQ_INT(b.used, 0);
  /* A budget just below that cannot open the stream; the error says why. */
  ice_mem_budget_init(&b, at_open - 1);
  CHECK_EQ_INT(pq_reader_stream_new(f, &o, &b, NULL, &st, &err), ICE_ELIMIT);
  CHECK(strstr(err.message, "reader state of 11 columns") != NULL);
  CHECK(st.release == NULL);
  CHECK_EQ_INT(b.used, 0);
  ice_parquet_close(f);
}

int main(void) {
  ICE_RUN(test_stream_charges_columns_and_footer);
  ICE_TEST_EXIT();
}
