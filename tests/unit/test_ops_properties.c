/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Property changes as a transaction (op_properties_update): two handles of one table
 * change properties one after the other; the second, read before the first commit,
 * lands on the new head and keeps the first one's change (no lost update); removing a
 * key the table lacks is no error; the reserved format-version and a property the
 * writer would refuse are ICE_EINVAL with nothing committed; a lost swap is retried
 * (commit.retry.num-retries), then ICE_ECONFLICT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "harness/ice_test.h"
#include "ops/op_properties.h"
#include "ops/op_table.h"
#include "test_iceberg_updates_fixture.h"
#include "test_ops_losing_swap.h"
#include "util/alloc.h"

static char g_dir[256];

static void set1(struct ib_str_map *m, const char *k, const char *v) {
  struct ice_error err;
  ib_str_map_reset(m);
  CHECK_OK(ib_str_map_set(m, k, v, &err), &err);
}

static void test_properties(void) {
  struct ice_error err;
  struct cat_catalog *c = NULL;
  char wh[300];
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  CHECK_OK(cat_open(NULL, wh, "default", 30000, &c, &err), &err);
  if (c == NULL) return;
  struct ib_schema schema;
  fx_schema(&schema);
  struct op_table created, a, b;
  op_table_init(&created);
  op_table_init(&a);
  op_table_init(&b);
  CHECK_OK(op_table_create(c, "db.t", &schema, NULL, NULL, &created, &err), &err);
  CHECK_OK(op_table_load(c, "db.t", &a, &err), &err);
  CHECK_OK(op_table_load(c, "db.t", &b, &err), &err);

  struct ib_str_map set;
  ib_str_map_init(&set);
  set1(&set, "owner", "etl");
  CHECK_OK(op_properties_update(&a, &set, NULL, 0, &err), &err);
  CHECK_EQ_STR(ib_str_map_get(&a.md.properties, "owner"), "etl");

  /* b was read before a's commit: its change goes on top of it. */
  set1(&set, "team", "data");
  const char *gone[] = {"no.such.key"};
  CHECK_OK(op_properties_update(&b, &set, gone, 1, &err), &err);
  CHECK_EQ_STR(ib_str_map_get(&b.md.properties, "owner"), "etl");
  CHECK_EQ_STR(ib_str_map_get(&b.md.properties, "team"), "data");
  CHECK_EQ_INT((int)b.md.n_metadata_log, 2);

  /* Refused changes commit nothing. */
  char *before = ice_strdup(b.metadata_location);
  set1(&set, "format-version", "2");
  CHECK_EQ_INT(op_properties_update(&b, &set, NULL, 0, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "format-version is reserved") != NULL);
  set1(&set, "write.parquet.compression-codec", "bogus");
  CHECK_EQ_INT(op_properties_update(&b, &set, NULL, 0, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "write.parquet.compression-codec") != NULL);
  const char *owner[] = {"owner"};
  CHECK_OK(op_properties_update(&b, NULL, owner, 1, &err), &err);
  CHECK(ib_str_map_get(&b.md.properties, "owner") == NULL);
  CHECK(before != NULL && strcmp(before, b.metadata_location) != 0);
  CHECK_OK(op_table_refresh(&a, &err), &err);
  CHECK_EQ_STR(a.metadata_location, b.metadata_location);
  CHECK(ib_str_map_get(&a.md.properties, "owner") == NULL);

  /* A lost swap is retried on the re-read head; past commit.retry.num-retries it is
   * ICE_ECONFLICT naming the attempts, with nothing committed. */
  losing_swap_install(c);
  g_lose = 2;
  g_swaps = 0;
  set1(&set, "retried", "yes");
  CHECK_OK(op_properties_update(&a, &set, NULL, 0, &err), &err);
  CHECK_EQ_INT(g_swaps, 3);
  CHECK_EQ_STR(ib_str_map_get(&a.md.properties, "retried"), "yes");
  set1(&set, "commit.retry.num-retries", "1");
  CHECK_OK(op_properties_update(&a, &set, NULL, 0, &err), &err);
  g_lose = 5;
  g_swaps = 0;
  set1(&set, "never", "lands");
  CHECK_EQ_INT(op_properties_update(&a, &set, NULL, 0, &err), ICE_ECONFLICT);
  CHECK(strstr(err.message, "2 attempts") != NULL);
  CHECK_EQ_INT(g_swaps, 2);
  losing_swap_uninstall(c);
  CHECK_OK(op_table_refresh(&a, &err), &err);
  CHECK(ib_str_map_get(&a.md.properties, "never") == NULL);

  ice_free(before);
  ib_str_map_reset(&set);
  op_table_reset(&created);
  op_table_reset(&a);
  op_table_reset(&b);
  ib_schema_reset(&schema);
  cat_close(c);
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_ops_props_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  ICE_RUN(test_properties);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
