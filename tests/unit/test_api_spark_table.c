/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Appending into a table Spark wrote (tests/data/iceberg-tables/spark/bunnies,
 * copied to a temp dir; its s3a:// locations mapped there with ICESTREAM_LOCATION_MAP):
 * register its v2 metadata in a fresh SQLite catalog; an append is refused while the
 * table's folder is outside the warehouse and every allowed root (nothing written), then,
 * with the folder allowed, append one of its own data files
 * (Spark names columns "Breed_x20Name" for "Breed Name"), read the whole table back
 * through the public API and check counts, totals and values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
#include "ice/ice_parquet.h"
#include "ice/ice_table.h"

#define SPARK_PREFIX "s3a://hyperparam-iceberg/spark/bunnies"
#define V2_DATA "00000-1-9acc37f2-90ae-42f5-915c-a21c3cb99690-00001.parquet"

static char g_dir[256];

/* Reads every row of the current snapshot; returns the row count, counts "Holland Lop"
 * in column 0 (a string column) into *lops. */
static int64_t scan_all(ice_table *t, int64_t *lops) {
  struct ice_error err;
  struct ArrowArrayStream st = {0};
  struct ArrowSchema sch = {0};
  int64_t rows = 0;
  *lops = 0;
  CHECK_OK(ice_table_scan(t, NULL, &st, &err), &err);
  if (st.release == NULL) return -1;
  CHECK_EQ_INT(st.get_schema(&st, &sch), 0);
  CHECK_EQ_STR(sch.children[0]->name, "Breed Name");
  CHECK_EQ_STR(sch.children[0]->format, "u");
  for (;;) {
    struct ArrowArray b = {0};
    int rc = st.get_next(&st, &b);
    CHECK_EQ_INT(rc, 0);
    if (rc != 0) {
      fprintf(stderr, "  scan: %s\n", st.get_last_error(&st));
      break;
    }
    if (b.release == NULL) break;
    const struct ArrowArray *c = b.children[0];
    const int32_t *off = (const int32_t *)c->buffers[1] + c->offset;
    const char *data = c->buffers[2];
    for (int64_t i = 0; i < c->length; i++)
      if (off[i + 1] - off[i] == 11 && memcmp(data + off[i], "Holland Lop", 11) == 0) (*lops)++;
    rows += b.length;
    b.release(&b);
  }
  sch.release(&sch);
  st.release(&st);
  return rows;
}

static void test_append_into_spark_table(void) {
  char cmd[1024], map[600], wh[300], input[600];
  snprintf(cmd, sizeof cmd, "cp -r %s/iceberg-tables/spark/bunnies %s/bunnies",
           ice_test_data_dir(), g_dir);
  CHECK(system(cmd) == 0);
  snprintf(map, sizeof map, "%s=%s/bunnies", SPARK_PREFIX, g_dir);
  setenv("ICESTREAM_LOCATION_MAP", map, 1);
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  const char *props[] = {"warehouse", wh, NULL};
  struct ice_error err;
  ice_catalog *cat = NULL;
  CHECK_OK(ice_catalog_open(props, &cat, &err), &err);
  if (cat == NULL) return;
  CHECK_OK(ice_catalog_register_table(cat, "spark.bunnies",
                                      SPARK_PREFIX "/metadata/v2.metadata.json", &err),
           &err);
  CHECK_EQ_INT(ice_catalog_register_table(cat, "spark.bunnies",
                                          SPARK_PREFIX "/metadata/v2.metadata.json", &err),
               ICE_EEXISTS);
  ice_table *t = NULL;
  CHECK_OK(ice_table_load(cat, "spark.bunnies", &t, &err), &err);
  if (t == NULL) goto done;
  CHECK_EQ_INT(ice_table_current_snapshot_id(t), 7505300640432048841LL);
  int64_t lops = 0;
  int64_t before = scan_all(t, &lops);
  CHECK_EQ_INT(lops, 1);
  ice_table_free(t);
  t = NULL;

  snprintf(input, sizeof input, "%s/bunnies/data/%s", g_dir, V2_DATA);
  const char *inputs[] = {input};
  struct ice_load_request req;
  ice_load_request_init(&req);
  req.inputs = inputs;
  req.n_inputs = 1;
  struct ice_commit_info info;
  /* The table lives in g_dir/bunnies, outside the warehouse g_dir/wh. */
  snprintf(cmd, sizeof cmd, "find %s/bunnies | sort > %s/before", g_dir, g_dir);
  CHECK(system(cmd) == 0);
  CHECK_EQ_INT(ice_load_files(cat, "spark.bunnies", &req, &info, &err), ICE_EAUTH);
  CHECK(strstr(err.message, "allow-location") != NULL);
  snprintf(cmd, sizeof cmd, "find %s/bunnies | sort | cmp -s - %s/before", g_dir, g_dir);
  CHECK(system(cmd) == 0); /* nothing written */
  ice_catalog_close(cat);
  char allowed[300];
  snprintf(allowed, sizeof allowed, "%s/bunnies", g_dir);
  const char *allow_props[] = {"warehouse", wh, "allow-location", allowed, NULL};
  cat = NULL;
  CHECK_OK(ice_catalog_open(allow_props, &cat, &err), &err);
  if (cat == NULL) return;
  CHECK_OK(ice_load_files(cat, "spark.bunnies", &req, &info, &err), &err);
  CHECK_EQ_INT(info.committed, 1);
  CHECK_EQ_INT(info.rows_written, before);
  CHECK(strncmp(info.metadata_location, SPARK_PREFIX "/metadata/", strlen(SPARK_PREFIX) + 10) == 0);

  CHECK_OK(ice_table_load(cat, "spark.bunnies", &t, &err), &err);
  if (t == NULL) goto done;
  CHECK_EQ_INT(scan_all(t, &lops), 2 * before);
  CHECK_EQ_INT(lops, 2);
  char *text = NULL;
  CHECK_OK(ice_table_snapshots(t, 1, &text, &err), &err);
  /* Spark's summary had total-records 21: the new totals carry forward exactly. */
  char want[64];
  snprintf(want, sizeof want, "\"total-records\": \"%lld\"", (long long)(2 * before));
  CHECK(text != NULL && strstr(text, want) != NULL);
  CHECK(text != NULL && strstr(text, "\"total-data-files\": \"2\"") != NULL);
  CHECK(text != NULL && strstr(text, "\"parent-snapshot-id\": 7505300640432048841") != NULL);
  ice_string_free(text);
  /* For tests/cli/load_spark_interop.sh: keep the appended table so readers we did not
   * write (icebird, DuckDB, avsc) can read it back. */
  const char *keep = getenv("ICE_SPARK_INTEROP_DIR");
  if (keep != NULL) {
    char meta[600];
    ice_table_free(t);
    t = NULL;
    CHECK_OK(ice_table_load(cat, "spark.bunnies", &t, &err), &err);
    if (t == NULL) goto done;
    snprintf(meta, sizeof meta, "%s", ice_table_metadata_location(t));
    snprintf(cmd, sizeof cmd, "cp -r %s/bunnies %s/ && printf '%%s\\n' '%s' > %s/metadata_location",
             g_dir, keep, meta, keep);
    CHECK(system(cmd) == 0);
  }
done:
  ice_table_free(t);
  ice_catalog_close(cat);
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_spark_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  ICE_RUN(test_append_into_spark_table);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
