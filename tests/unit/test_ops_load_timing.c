/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The load's own timings (op_load_result.commit_seconds, manifest_add_seconds) measure
 * what they claim: a catalog commit that is made slow by a known delay shows up in
 * commit_seconds, while time spent during data writing (a progress callback that
 * sleeps, which runs before the last data file is closed) does not. Real SQLite
 * catalog; only its create/commit are wrapped with the delay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/cat_catalog.h"
#include "harness/ice_test.h"
#include "iceberg/ib_str_map.h"
#include "ops/op_load.h"

#define COMMIT_DELAY_MS 120
/* Long enough that a loaded machine's slow manifest add is never mistaken for it. */
#define PROGRESS_DELAY_MS 250

static const struct cat_sql_rows *g_real;
static struct cat_sql_rows g_wrapped;
static char g_dir[256];
static int g_progress_calls;

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int slow_commit(struct cat_catalog *c, const struct cat_ident *id,
                       const char *old_loc, const char *new_loc, struct ice_error *err) {
  sleep_ms(COMMIT_DELAY_MS);
  return g_real->swap(c, id, old_loc, new_loc, err);
}

static int slow_create(struct cat_catalog *c, const struct cat_ident *id, const char *loc,
                       struct ice_error *err) {
  sleep_ms(COMMIT_DELAY_MS);
  return g_real->insert(c, id, loc, err);
}

static void slow_progress(void *user, const struct op_progress *p) {
  (void)user, (void)p;
  g_progress_calls++;
  sleep_ms(PROGRESS_DELAY_MS);
}

/* One load of alltypes_plain.parquet; *wall is the caller-side monotonic duration. */
static int timed_load(struct cat_catalog *c, struct op_load_result *res, double *wall,
                      struct ice_error *err) {
  char input[512];
  snprintf(input, sizeof input, "%s/parquet-testing/data/alltypes_plain.parquet",
           ice_test_data_dir());
  const char *inputs[] = {input};
  struct op_load_request req = {inputs, 1, OP_MODE_APPEND, NULL, NULL,
                                0,      0, slow_progress,  NULL, NULL, NULL, IB_EVOLVE_ADD, NULL, 0};
  g_progress_calls = 0;
  double t0 = now_s();
  int rc = op_load_files(c, "db.t", &req, res, err);
  *wall = now_s() - t0;
  return rc;
}

static void check_timings(const struct op_load_result *res, double wall) {
  double commit_delay = COMMIT_DELAY_MS / 1000.0;
  double data_sleep = g_progress_calls * (PROGRESS_DELAY_MS / 1000.0);
  CHECK_EQ_INT(res->committed, 1);
  CHECK(g_progress_calls >= 2); /* after the batch and after the file */
  /* The catalog swap is inside the window... */
  CHECK(res->commit_seconds >= commit_delay);
  /* ...and the data phase (with its sleeping progress reports) is not. */
  CHECK(res->commit_seconds <= wall - data_sleep);
  CHECK(res->manifest_add_seconds > 0.0);
  CHECK(res->manifest_add_seconds < PROGRESS_DELAY_MS / 1000.0);
  CHECK(res->commit_seconds + res->manifest_add_seconds + data_sleep <= wall);
}

static void test_commit_window(void) {
  struct ice_error err;
  struct cat_catalog *c = NULL;
  char wh[300];
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  CHECK_OK(cat_open(NULL, wh, "default", 30000, &c, &err), &err);
  if (c == NULL) return;
  g_real = c->rows;
  g_wrapped = *c->rows;
  g_wrapped.swap = slow_commit;
  g_wrapped.insert = slow_create;
  c->rows = &g_wrapped;

  struct op_load_result res;
  double wall = 0;
  /* First load creates the table inside its commit (the row insert). */
  CHECK_OK(timed_load(c, &res, &wall, &err), &err);
  CHECK_EQ_INT(res.table_created, 1);
  check_timings(&res, wall);
  /* Second load is a plain append (the row swap). */
  CHECK_OK(timed_load(c, &res, &wall, &err), &err);
  CHECK_EQ_INT(res.table_created, 0);
  check_timings(&res, wall);

  /* Without the injected delay the same commit is well under it: the window does not
   * include some fixed cost of its own. */
  c->rows = g_real;
  CHECK_OK(timed_load(c, &res, &wall, &err), &err);
  CHECK(res.commit_seconds > 0.0);
  CHECK(res.commit_seconds <= wall - g_progress_calls * (PROGRESS_DELAY_MS / 1000.0));
  cat_close(c);
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_load_timing_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  ICE_RUN(test_commit_window);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
