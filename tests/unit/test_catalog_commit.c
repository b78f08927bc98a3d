/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SQL catalog's commit (cat_sql_commit over SQLite): a create is assert-create + the
 * create updates and writes 00000-<uuid>.metadata.json (its creation marker gone once
 * the row is in); a later commit writes the next version, honours write.metadata.path,
 * records the old file in metadata-log; a requirement that no longer holds is
 * ICE_ECONFLICT and a second create ICE_EEXISTS, both with no file left behind; a stale
 * base offered by the caller is not used once the row has moved.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "harness/ice_test.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_update.h"
#include "test_iceberg_updates_fixture.h"
#include "util/alloc.h"

static char g_dir[256];

static int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  closedir(d);
  return n;
}

struct lists {
  struct ib_requirement_list reqs;
  struct ib_update_list ups;
};

static void lists_init(struct lists *l) {
  ib_requirement_list_init(&l->reqs);
  ib_update_list_init(&l->ups);
}

static void lists_reset(struct lists *l) {
  ib_requirement_list_reset(&l->reqs);
  ib_update_list_reset(&l->ups);
}

static int commit(struct cat_catalog *c, const struct cat_ident *id,
                  const struct lists *l, const char *base_location,
                  const struct ib_table_metadata *base, char **loc,
                  struct ib_table_metadata *md, struct ice_error *err) {
  struct cat_commit cc = {l->reqs.items, l->reqs.n,     l->ups.items,
                          l->ups.n,      base_location, base};
  return c->vt->commit(c, id, &cc, loc, md, err);
}

/* set-properties k=v, requiring main where base has it. */
static void property_lists(const struct ib_table_metadata *base, const char *k,
                           const char *v, struct lists *l) {
  struct ice_error err;
  lists_init(l);
  struct ib_update *u = fx_add(&l->ups, IB_UPDATE_SET_PROPERTIES);
  CHECK_OK(ib_str_map_set(&u->properties, k, v, &err), &err);
  CHECK_OK(ib_commit_requirements(base, l->ups.items, l->ups.n, &l->reqs, &err), &err);
  /* and main where base has it, so a stale base is refused by the requirements */
  struct ib_requirement *r = NULL;
  CHECK_OK(ib_requirement_list_add(&l->reqs, IB_REQ_ASSERT_REF_SNAPSHOT_ID, &r, &err),
           &err);
  if (r != NULL) {
    r->text = ice_strdup("main");
    r->has_snapshot_id = base->has_current_snapshot;
    r->snapshot_id = base->current_snapshot_id;
  }
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void test_commit(void) {
  struct ice_error err;
  struct cat_catalog *c = NULL;
  char wh[300], table[340], meta_dir[400], other_dir[400];
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  snprintf(table, sizeof table, "%s/db/t", wh);
  snprintf(meta_dir, sizeof meta_dir, "%s/metadata", table);
  snprintf(other_dir, sizeof other_dir, "%s/meta2", table);
  CHECK_OK(cat_open(NULL, wh, "default", 30000, &c, &err), &err);
  if (c == NULL) return;
  struct cat_ident id = {0};
  CHECK_OK(cat_ident_parse("db.t", &id, &err), &err);
  CHECK_OK(c->vt->ensure_namespace(c, "db", &err), &err);

  /* Create: assert-create + the create updates. */
  struct ib_schema schema;
  fx_schema(&schema);
  struct lists create;
  lists_init(&create);
  CHECK_OK(
      ib_commit_new_table(FX_UUID, table, &schema, NULL, &create.reqs, &create.ups, &err),
      &err);
  char *v0 = NULL;
  struct ib_table_metadata md0;
  ib_table_metadata_init(&md0);
  CHECK_OK(commit(c, &id, &create, NULL, NULL, &v0, &md0, &err), &err);
  CHECK(v0 != NULL && strstr(v0, "/db/t/metadata/00000-") != NULL);
  CHECK(v0 != NULL && ends_with(v0, ".metadata.json"));
  CHECK_EQ_STR(md0.table_uuid, FX_UUID);
  CHECK_EQ_INT(count_entries(meta_dir), 1); /* the marker is gone */
  char *loaded = NULL;
  CHECK_OK(c->vt->load(c, &id, &loaded, NULL, &err), &err);
  CHECK_EQ_STR(loaded, v0);
  ice_free(loaded);

  /* A second create: ICE_EEXISTS, nothing written. */
  char *loc = NULL;
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  CHECK_EQ_INT(commit(c, &id, &create, NULL, NULL, &loc, &md, &err), ICE_EEXISTS);
  CHECK(strstr(err.message, "db.t already exists") != NULL);
  CHECK_EQ_INT(count_entries(meta_dir), 1);

  /* The next version, with metadata-log, into write.metadata.path once it is set. */
  struct lists props;
  property_lists(&md0, "write.metadata.path", other_dir, &props);
  char *v1 = NULL;
  struct ib_table_metadata md1;
  ib_table_metadata_init(&md1);
  CHECK_OK(commit(c, &id, &props, v0, &md0, &v1, &md1, &err), &err);
  CHECK(v1 != NULL && strstr(v1, "/db/t/meta2/00001-") != NULL);
  CHECK_EQ_INT((int)md1.n_metadata_log, 1);
  if (md1.n_metadata_log == 1) CHECK_EQ_STR(md1.metadata_log[0].metadata_file, v0);
  CHECK_EQ_INT(count_entries(other_dir), 1);
  lists_reset(&props);

  /* A stale base offered by the caller: the catalog reads the head instead, so the
   * property set at v1 survives a commit built on v0. */
  property_lists(&md0, "k", "v", &props);
  char *v2 = NULL;
  struct ib_table_metadata md2;
  ib_table_metadata_init(&md2);
  CHECK_OK(commit(c, &id, &props, v0, &md0, &v2, &md2, &err), &err);
  CHECK(v2 != NULL && strstr(v2, "/00002-") != NULL);
  CHECK_EQ_STR(ib_str_map_get(&md2.properties, "write.metadata.path"), other_dir);
  CHECK_EQ_STR(ib_str_map_get(&md2.properties, "k"), "v");
  lists_reset(&props);

  /* A requirement that no longer holds: ICE_ECONFLICT naming it, no file written. */
  property_lists(&md2, "k", "w", &props);
  props.reqs.items[1].has_snapshot_id = true;
  props.reqs.items[1].snapshot_id = 5;
  int before = count_entries(other_dir);
  CHECK_EQ_INT(commit(c, &id, &props, v2, &md2, &loc, &md, &err), ICE_ECONFLICT);
  CHECK(strstr(err.message, "assert-ref-snapshot-id") != NULL);
  CHECK_EQ_INT(count_entries(other_dir), before);
  CHECK_OK(c->vt->load(c, &id, &loaded, &md, &err), &err);
  CHECK_EQ_STR(loaded, v2);
  CHECK_EQ_STR(ib_str_map_get(&md.properties, "k"), "v");
  ice_free(loaded);
  lists_reset(&props);

  /* No such table: a commit to it is refused. */
  struct cat_ident gone = {0};
  CHECK_OK(cat_ident_parse("db.gone", &gone, &err), &err);
  property_lists(&md2, "k", "w", &props);
  CHECK_EQ_INT(commit(c, &gone, &props, NULL, NULL, &loc, &md, &err), ICE_ENOTFOUND);
  lists_reset(&props);

  cat_ident_reset(&gone);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&md0);
  ib_table_metadata_reset(&md1);
  ib_table_metadata_reset(&md2);
  ice_free(v0);
  ice_free(v1);
  ice_free(v2);
  lists_reset(&create);
  ib_schema_reset(&schema);
  cat_ident_reset(&id);
  cat_close(c);
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_cat_commit_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  ICE_RUN(test_commit);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
