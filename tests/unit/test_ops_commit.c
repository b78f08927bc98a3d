/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The commit loop under injected catalog faults (a real SQLite catalog whose row swap
 * and insert are wrapped): an outcome-unknown swap that did land is recognised as success; one that
 * did not is retried and its attempt files removed; one that cannot be resolved leaves
 * every written file in place (ICE_ECOMMIT_UNKNOWN); a conflict that never ends gives
 * ICE_ECONFLICT after commit.retry.num-retries and deletes the load's files.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "harness/ice_test.h"
#include "iceberg/ib_str_map.h"
#include "ops/op_load.h"
#include "util/alloc.h"

enum fault { FAULT_NONE, FAULT_UNKNOWN_AFTER_SWAP, FAULT_UNKNOWN_NO_SWAP_ONCE,
             FAULT_UNKNOWN_OTHER_WRITER, FAULT_CONFLICT_ALWAYS, FAULT_CREATE_RACE };

static enum fault g_fault;
static int g_commits;
static const struct cat_sql_rows *g_real;
static struct cat_sql_rows g_wrapped;
static char g_dir[256];
static char g_input[512];

static int faulty_commit(struct cat_catalog *c, const struct cat_ident *id, const char *old_loc,
                         const char *new_loc, struct ice_error *err) {
  g_commits++;
  switch (g_fault) {
    case FAULT_UNKNOWN_AFTER_SWAP: {
      int rc = g_real->swap(c, id, old_loc, new_loc, err);
      if (rc != ICE_OK) return rc;
      return ice_error_set(err, ICE_ECOMMIT_UNKNOWN, "injected: response lost after swap");
    }
    case FAULT_UNKNOWN_NO_SWAP_ONCE:
      if (g_commits == 1)
        return ice_error_set(err, ICE_ECOMMIT_UNKNOWN, "injected: request lost before swap");
      return g_real->swap(c, id, old_loc, new_loc, err);
    case FAULT_UNKNOWN_OTHER_WRITER: {
      /* Someone else moves the pointer (to a copy of the old file), then our answer is
       * lost: we cannot know whether we landed in between. */
      char other[1024];
      snprintf(other, sizeof other, "%s.other.json", old_loc);
      int rc = g_real->swap(c, id, old_loc, other, err);
      if (rc != ICE_OK) return rc;
      return ice_error_set(err, ICE_ECOMMIT_UNKNOWN, "injected: outcome unknown");
    }
    case FAULT_CONFLICT_ALWAYS:
      return ice_error_set(err, ICE_ECONFLICT, "injected: lost the race");
    default:
      return g_real->swap(c, id, old_loc, new_loc, err);
  }
}

/* FAULT_CREATE_RACE: another process creates the table first, with another schema. */
static char g_other_location[1024];
static int faulty_create(struct cat_catalog *c, const struct cat_ident *id, const char *loc,
                         struct ice_error *err) {
  if (g_fault == FAULT_CREATE_RACE) {
    int rc = g_real->insert(c, id, g_other_location, err);
    if (rc != ICE_OK) return rc;
    return ice_error_set(err, ICE_EEXISTS, "injected: created concurrently");
  }
  return g_real->insert(c, id, loc, err);
}

static int count_files(const char *dir, const char *suffix) {
  DIR *d = opendir(dir);
  if (d == NULL) return 0;
  int n = 0;
  struct dirent *e;
  size_t sl = strlen(suffix);
  while ((e = readdir(d)) != NULL) {
    size_t l = strlen(e->d_name);
    if (l >= sl && strcmp(e->d_name + l - sl, suffix) == 0) n++;
  }
  closedir(d);
  return n;
}

static char g_data_dir[400], g_meta_dir[400];

static struct cat_catalog *open_catalog(void) {
  struct ice_error err;
  struct cat_catalog *c = NULL;
  char wh[300];
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  CHECK_OK(cat_open(NULL, wh, "default", 30000, &c, &err), &err);
  if (c == NULL) return NULL;
  g_real = c->rows;
  g_wrapped = *c->rows;
  g_wrapped.swap = faulty_commit;
  g_wrapped.insert = faulty_create;
  c->rows = &g_wrapped;
  return c;
}

static int load_as(struct cat_catalog *c, const char *ident, const char *input,
                   struct op_load_result *res, struct ice_error *err) {
  const char *inputs[] = {input};
  struct ib_str_map props;
  ib_str_map_init(&props);
  int rc = ib_str_map_set(&props, "commit.retry.num-retries", "2", err);
  if (rc == ICE_OK) rc = ib_str_map_set(&props, "commit.retry.min-wait-ms", "1", err);
  if (rc == ICE_OK) rc = ib_str_map_set(&props, "commit.retry.max-wait-ms", "2", err);
  struct op_load_request req = {inputs, 1, OP_MODE_APPEND, &props, NULL, 0, 0, NULL, NULL, NULL, NULL,
                                IB_EVOLVE_ADD, NULL, 0};
  g_commits = 0;
  if (rc == ICE_OK) rc = op_load_files(c, ident, &req, res, err);
  ib_str_map_reset(&props);
  return rc;
}

static int load(struct cat_catalog *c, struct op_load_result *res, struct ice_error *err) {
  return load_as(c, "db.t", g_input, res, err);
}

static void test_faults(void) {
  struct ice_error err;
  struct op_load_result res;
  struct cat_catalog *c = open_catalog();
  if (c == NULL) return;
  g_fault = FAULT_NONE;
  CHECK_OK(load(c, &res, &err), &err);
  CHECK_EQ_INT(count_files(g_data_dir, ".parquet"), 1);

  /* Landed, but the answer was lost: the read-back shows our metadata -> success. */
  g_fault = FAULT_UNKNOWN_AFTER_SWAP;
  CHECK_OK(load(c, &res, &err), &err);
  CHECK_EQ_INT(res.committed, 1);
  CHECK_EQ_INT(res.attempts, 1);
  CHECK_EQ_INT(count_files(g_data_dir, ".parquet"), 2);

  /* Did not land: the catalog still shows the base, so it is a plain conflict; the
   * first attempt's manifest list and metadata file are removed. */
  g_fault = FAULT_UNKNOWN_NO_SWAP_ONCE;
  int lists = count_files(g_meta_dir, ".avro"), metas = count_files(g_meta_dir, ".metadata.json");
  CHECK_OK(load(c, &res, &err), &err);
  CHECK_EQ_INT(res.attempts, 2);
  CHECK_EQ_INT(count_files(g_data_dir, ".parquet"), 3);
  CHECK_EQ_INT(count_files(g_meta_dir, ".avro"), lists + 2); /* one manifest, one list */
  CHECK_EQ_INT(count_files(g_meta_dir, ".metadata.json"), metas + 1);

  /* Conflicts forever: ICE_ECONFLICT after 1 + 2 attempts, nothing of the load left. */
  g_fault = FAULT_CONFLICT_ALWAYS;
  lists = count_files(g_meta_dir, ".avro");
  metas = count_files(g_meta_dir, ".metadata.json");
  CHECK_EQ_INT(load(c, &res, &err), ICE_ECONFLICT);
  CHECK_EQ_INT(g_commits, 3);
  CHECK(strstr(err.message, "3 attempts") != NULL);
  CHECK_EQ_INT(count_files(g_data_dir, ".parquet"), 3);
  CHECK_EQ_INT(count_files(g_meta_dir, ".avro"), lists);
  CHECK_EQ_INT(count_files(g_meta_dir, ".metadata.json"), metas);

  /* Unknown and unresolvable: every file stays (the catalog may reference them). */
  g_fault = FAULT_UNKNOWN_OTHER_WRITER;
  lists = count_files(g_meta_dir, ".avro");
  metas = count_files(g_meta_dir, ".metadata.json");
  CHECK_EQ_INT(load(c, &res, &err), ICE_ECOMMIT_UNKNOWN);
  CHECK_EQ_INT(count_files(g_data_dir, ".parquet"), 4);
  CHECK_EQ_INT(count_files(g_meta_dir, ".avro"), lists + 2);
  CHECK_EQ_INT(count_files(g_meta_dir, ".metadata.json"), metas + 1);

  /* Losing the race to create a table to one with another schema: ICE_ECONFLICT, and
   * none of this load's files remain. */
  char other_input[512], race_data[400];
  snprintf(other_input, sizeof other_input,
           "%s/parquet-testing/data/nulls.snappy.parquet", ice_test_data_dir());
  g_fault = FAULT_NONE;
  CHECK_OK(load_as(c, "db.other", other_input, &res, &err), &err);
  snprintf(g_other_location, sizeof g_other_location, "%s", res.metadata_location);
  g_fault = FAULT_CREATE_RACE;
  CHECK_EQ_INT(load_as(c, "db.race", g_input, &res, &err), ICE_ECONFLICT);
  CHECK(strstr(err.message, "different schema") != NULL);
  snprintf(race_data, sizeof race_data, "%s/wh/db/race/data", g_dir);
  CHECK_EQ_INT(count_files(race_data, ".parquet"), 0);
  /* Created concurrently with the same schema: the load lands in the other table. */
  g_fault = FAULT_NONE;
  CHECK_OK(load_as(c, "db.same", g_input, &res, &err), &err);
  snprintf(g_other_location, sizeof g_other_location, "%s", res.metadata_location);
  g_fault = FAULT_CREATE_RACE;
  CHECK_OK(load_as(c, "db.same2", g_input, &res, &err), &err);
  CHECK_EQ_INT(res.committed, 1);
  CHECK_EQ_INT(res.table_created, 0);
  CHECK_EQ_INT(res.attempts, 2);
  cat_close(c);
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_commit_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  snprintf(g_input, sizeof g_input, "%s/parquet-testing/data/alltypes_plain.parquet",
           ice_test_data_dir());
  snprintf(g_data_dir, sizeof g_data_dir, "%s/wh/db/t/data", g_dir);
  snprintf(g_meta_dir, sizeof g_meta_dir, "%s/wh/db/t/metadata", g_dir);
  ICE_RUN(test_faults);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
