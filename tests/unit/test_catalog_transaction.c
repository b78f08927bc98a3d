/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multi-table commits of the SQL catalog (cat_sql_commit_tables over SQLite): two
 * tables change together; when another writer moves the second table's row after the
 * commits were prepared, the first table's swap (already done inside the transaction)
 * is rolled back, the result is ICE_ECONFLICT, and no metadata file of the transaction
 * is left; a table named twice is ICE_EINVAL.
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
static const struct cat_sql_rows *g_real;
static struct cat_sql_rows g_wrapped;
static struct cat_catalog *g_cat;
static int g_interfere; /* the next begin first commits to db.b behind our back */

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

static struct cat_commit as_commit(const struct lists *l) {
  struct cat_commit cc = {l->reqs.items, l->reqs.n, l->ups.items, l->ups.n, NULL, NULL};
  return cc;
}

static void set_property(struct lists *l, const char *k, const char *v) {
  struct ice_error err;
  lists_init(l);
  struct ib_update *u = fx_add(&l->ups, IB_UPDATE_SET_PROPERTIES);
  CHECK_OK(ib_str_map_set(&u->properties, k, v, &err), &err);
}

static char *location_of(struct cat_catalog *c, const char *ident) {
  struct ice_error err;
  struct cat_ident id = {0};
  char *loc = NULL;
  CHECK_OK(cat_ident_parse(ident, &id, &err), &err);
  CHECK_OK(c->vt->load(c, &id, &loc, NULL, &err), &err);
  cat_ident_reset(&id);
  return loc;
}

/* Another writer's commit to db.b, just before the transaction begins. */
static int interfering_begin(struct cat_catalog *c, struct ice_error *err) {
  if (g_interfere) {
    g_interfere = 0;
    c->rows = g_real;
    struct lists l;
    set_property(&l, "other", "writer");
    struct cat_commit cc = as_commit(&l);
    struct cat_ident b = {0};
    struct ice_error e2;
    CHECK_OK(cat_ident_parse("db.b", &b, &e2), &e2);
    char *loc = NULL;
    struct ib_table_metadata md;
    ib_table_metadata_init(&md);
    CHECK_OK(c->vt->commit(c, &b, &cc, &loc, &md, &e2), &e2);
    ice_free(loc);
    ib_table_metadata_reset(&md);
    cat_ident_reset(&b);
    lists_reset(&l);
    c->rows = &g_wrapped;
  }
  return g_real->begin(c, err);
}

static void create_table(struct cat_catalog *c, const char *ident, const char *dir) {
  struct ice_error err;
  struct cat_ident id = {0};
  CHECK_OK(cat_ident_parse(ident, &id, &err), &err);
  struct ib_schema schema;
  fx_schema(&schema);
  struct lists l;
  lists_init(&l);
  CHECK_OK(ib_commit_new_table(FX_UUID, dir, &schema, NULL, &l.reqs, &l.ups, &err), &err);
  struct cat_commit cc = as_commit(&l);
  char *loc = NULL;
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  CHECK_OK(c->vt->commit(c, &id, &cc, &loc, &md, &err), &err);
  ice_free(loc);
  ib_table_metadata_reset(&md);
  lists_reset(&l);
  ib_schema_reset(&schema);
  cat_ident_reset(&id);
}

static void test_transaction(void) {
  struct ice_error err;
  char wh[300], ta[340], tb[340], meta_a[400], meta_b[400];
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  snprintf(ta, sizeof ta, "%s/db/a", wh);
  snprintf(tb, sizeof tb, "%s/db/b", wh);
  snprintf(meta_a, sizeof meta_a, "%s/metadata", ta);
  snprintf(meta_b, sizeof meta_b, "%s/metadata", tb);
  CHECK_OK(cat_open(NULL, wh, "default", 30000, &g_cat, &err), &err);
  struct cat_catalog *c = g_cat;
  if (c == NULL) return;
  CHECK(c->vt->commit_tables != NULL);
  CHECK_OK(c->vt->ensure_namespace(c, "db", &err), &err);
  create_table(c, "db.a", ta);
  create_table(c, "db.b", tb);
  struct cat_ident ids[2] = {{0}, {0}};
  CHECK_OK(cat_ident_parse("db.a", &ids[0], &err), &err);
  CHECK_OK(cat_ident_parse("db.b", &ids[1], &err), &err);

  /* Both tables move together. */
  struct lists la, lb;
  set_property(&la, "txn", "1");
  set_property(&lb, "txn", "1");
  struct cat_commit cc[2] = {as_commit(&la), as_commit(&lb)};
  char *a0 = location_of(c, "db.a"), *b0 = location_of(c, "db.b");
  CHECK_OK(c->vt->commit_tables(c, 2, ids, cc, &err), &err);
  char *a1 = location_of(c, "db.a"), *b1 = location_of(c, "db.b");
  CHECK(a0 && a1 && strcmp(a0, a1) != 0);
  CHECK(b0 && b1 && strcmp(b0, b1) != 0);
  CHECK_EQ_INT(count_entries(meta_a), 2);
  CHECK_EQ_INT(count_entries(meta_b), 2);

  /* db.b moves between preparation and the transaction: db.a's swap is undone. */
  g_real = c->rows;
  g_wrapped = *c->rows;
  g_wrapped.begin = interfering_begin;
  c->rows = &g_wrapped;
  g_interfere = 1;
  CHECK_EQ_INT(c->vt->commit_tables(c, 2, ids, cc, &err), ICE_ECONFLICT);
  CHECK(strstr(err.message, "db.b") != NULL);
  c->rows = g_real;
  char *a2 = location_of(c, "db.a");
  CHECK(a2 && strcmp(a2, a1) == 0);
  CHECK_EQ_INT(count_entries(meta_a), 2); /* the transaction's file for db.a is gone */
  CHECK_EQ_INT(count_entries(meta_b), 3); /* only the other writer's version was added */

  /* A table named twice. */
  struct cat_ident twice[2] = {ids[0], ids[0]};
  CHECK_EQ_INT(c->vt->commit_tables(c, 2, twice, cc, &err), ICE_EINVAL);

  ice_free(a0);
  ice_free(a1);
  ice_free(a2);
  ice_free(b0);
  ice_free(b1);
  lists_reset(&la);
  lists_reset(&lb);
  cat_ident_reset(&ids[0]);
  cat_ident_reset(&ids[1]);
  cat_close(c);
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_cat_txn_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  ICE_RUN(test_transaction);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
