/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SQLite catalog: identifier parsing, create/load/commit (compare-and-swap), conflicts,
 * namespaces, listings, hostile rows, and two processes racing commits on one file
 * (every successful swap must be counted exactly once).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "catalog/cat_catalog.h"
#include "harness/ice_test.h"
#include "util/alloc.h"

static char g_dir[256];

static void make_dir(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_cat_test_XXXXXX");
  if (mkdtemp(g_dir) == NULL) abort();
}

static struct cat_catalog *open_cat(const char *name) {
  struct ice_error err;
  struct cat_catalog *c = NULL;
  char wh[300];
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  CHECK_OK(cat_open(NULL, wh, name, 30000, &c, &err), &err);
  return c;
}

static void test_ident(void) {
  struct ice_error err;
  struct cat_ident id = {0};
  CHECK_OK(cat_ident_parse("a.b.t", &id, &err), &err);
  CHECK_EQ_STR(id.ns, "a.b");
  CHECK_EQ_STR(id.name, "t");
  cat_ident_reset(&id);
  CHECK_EQ_INT(cat_ident_parse("t", &id, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "namespace.table") != NULL);
  CHECK_EQ_INT(cat_ident_parse("a..t", &id, &err), ICE_EINVAL);
  CHECK_EQ_INT(cat_ident_parse(".t", &id, &err), ICE_EINVAL);
  CHECK_EQ_INT(cat_ident_parse("a.", &id, &err), ICE_EINVAL);
  CHECK_EQ_INT(cat_ident_parse("a/b.t", &id, &err), ICE_EINVAL);
  CHECK_EQ_INT(cat_ident_parse("a.t\n", &id, &err), ICE_EINVAL);
}

static void test_create_load_commit(void) {
  struct ice_error err;
  struct cat_catalog *c = open_cat("default");
  if (c == NULL) return;
  struct cat_ident id = {0};
  CHECK_OK(cat_ident_parse("db.events", &id, &err), &err);
  char *loc = NULL;
  CHECK_EQ_INT(c->rows->location(c, &id, &loc, &err), ICE_ENOTFOUND);
  CHECK_OK(c->vt->ensure_namespace(c, "db", &err), &err);
  CHECK_OK(c->vt->ensure_namespace(c, "db", &err), &err); /* idempotent */
  CHECK_OK(c->rows->insert(c, &id, "/x/v0.metadata.json", &err), &err);
  CHECK_EQ_INT(c->rows->insert(c, &id, "/x/other.json", &err), ICE_EEXISTS);
  CHECK_OK(c->rows->location(c, &id, &loc, &err), &err);
  CHECK_EQ_STR(loc, "/x/v0.metadata.json");
  ice_free(loc);
  CHECK_OK(c->rows->swap(c, &id, "/x/v0.metadata.json", "/x/v1.metadata.json", &err),
           &err);
  /* Stale base: zero rows updated means someone else committed. */
  CHECK_EQ_INT(c->rows->swap(c, &id, "/x/v0.metadata.json", "/x/v2.json", &err),
               ICE_ECONFLICT);
  loc = NULL;
  CHECK_OK(c->rows->location(c, &id, &loc, &err), &err);
  CHECK_EQ_STR(loc, "/x/v1.metadata.json");
  ice_free(loc);
  char *where = NULL;
  CHECK_OK(cat_default_location(c, &id, &where, &err), &err);
  CHECK(where != NULL && strstr(where, "/wh/db/events") != NULL);
  ice_free(where);

  /* Previous location is recorded as pyiceberg/Java do. */
  sqlite3 *db = NULL;
  char path[300];
  snprintf(path, sizeof path, "%s/wh/catalog.db", g_dir);
  CHECK(sqlite3_open(path, &db) == SQLITE_OK);
  sqlite3_stmt *st = NULL;
  CHECK(sqlite3_prepare_v2(db,
                           "SELECT previous_metadata_location FROM iceberg_tables WHERE "
                           "catalog_name='default' AND table_namespace='db' AND "
                           "table_name='events'",
                           -1, &st, NULL) == SQLITE_OK);
  CHECK(sqlite3_step(st) == SQLITE_ROW);
  CHECK_EQ_STR((const char *)sqlite3_column_text(st, 0), "/x/v0.metadata.json");
  sqlite3_finalize(st);
  CHECK(sqlite3_prepare_v2(db,
                           "SELECT property_value FROM iceberg_namespace_properties WHERE "
                           "namespace='db' AND property_key='exists'",
                           -1, &st, NULL) == SQLITE_OK);
  CHECK(sqlite3_step(st) == SQLITE_ROW);
  CHECK_EQ_STR((const char *)sqlite3_column_text(st, 0), "true");
  sqlite3_finalize(st);
  sqlite3_close(db);

  /* Another catalog name in the same file sees nothing. */
  struct cat_catalog *other = open_cat("other");
  if (other != NULL) {
    CHECK_EQ_INT(other->rows->location(other, &id, &loc, &err), ICE_ENOTFOUND);
    cat_close(other);
  }

  struct cat_ident id2 = {0};
  CHECK_OK(cat_ident_parse("db.sub.t2", &id2, &err), &err);
  CHECK_OK(c->rows->insert(c, &id2, "/y/0.json", &err), &err);
  struct cat_names names = {0};
  CHECK_OK(c->vt->list_tables(c, NULL, &names, &err), &err);
  CHECK_EQ_INT(names.n, 2);
  if (names.n == 2) {
    CHECK_EQ_STR(names.items[0], "db.events");
    CHECK_EQ_STR(names.items[1], "db.sub.t2");
  }
  cat_names_reset(&names);
  CHECK_OK(c->vt->list_tables(c, "db.sub", &names, &err), &err);
  CHECK_EQ_INT(names.n, 1);
  cat_names_reset(&names);
  CHECK_OK(c->vt->list_namespaces(c, &names, &err), &err);
  CHECK_EQ_INT(names.n, 2);
  cat_names_reset(&names);
  CHECK_OK(c->vt->drop_table(c, &id2, &err), &err);
  CHECK_EQ_INT(c->vt->drop_table(c, &id2, &err), ICE_ENOTFOUND);
  cat_ident_reset(&id2);
  cat_ident_reset(&id);
  cat_close(c);
}

/* Rows written by someone else are untrusted: NULL or absurd locations are errors. */
static void test_hostile_rows(void) {
  struct ice_error err;
  struct cat_catalog *c = open_cat("default");
  if (c == NULL) return;
  char path[300];
  snprintf(path, sizeof path, "%s/wh/catalog.db", g_dir);
  sqlite3 *db = NULL;
  CHECK(sqlite3_open(path, &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db,
                     "INSERT INTO iceberg_tables VALUES('default','bad','nul',NULL,NULL,"
                     "NULL);"
                     "INSERT INTO iceberg_tables VALUES('default','bad','big',"
                     "printf('%.*c', 9000, 'x'),NULL,NULL);",
                     NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_close(db);
  struct cat_ident id = {0};
  char *loc = NULL;
  CHECK_OK(cat_ident_parse("bad.nul", &id, &err), &err);
  CHECK_EQ_INT(c->rows->location(c, &id, &loc, &err), ICE_ECORRUPT);
  cat_ident_reset(&id);
  CHECK_OK(cat_ident_parse("bad.big", &id, &err), &err);
  CHECK_EQ_INT(c->rows->location(c, &id, &loc, &err), ICE_ECORRUPT);
  cat_ident_reset(&id);
  cat_close(c);

  /* A file that is not SQLite. */
  char junk[300];
  snprintf(junk, sizeof junk, "%s/junk.db", g_dir);
  FILE *f = fopen(junk, "wb");
  if (f) {
    for (int i = 0; i < 200; i++) fputs("not a database at all ", f);
    fclose(f);
  }
  char uri[320];
  snprintf(uri, sizeof uri, "sqlite:%s", junk);
  char wh[300];
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  struct cat_catalog *j = NULL;
  CHECK_EQ_INT(cat_open(uri, wh, "default", 1000, &j, &err), ICE_ECORRUPT);
  CHECK_EQ_INT(cat_open("postgresql://127.0.0.1:1/db?connect_timeout=2", wh, "default",
                        1000, &j, &err),
               ICE_EIO);
  CHECK_EQ_INT(cat_open("ftp://x", wh, "default", 1000, &j, &err), ICE_EINVAL);
}

/* Two processes each perform N successful swaps on one row, retrying on conflict. The
 * row's final value must show all 2N swaps: none lost, none doubled. */
static void test_concurrent_processes(void) {
  struct ice_error err;
  struct cat_catalog *c = open_cat("default");
  if (c == NULL) return;
  struct cat_ident id = {0};
  CHECK_OK(cat_ident_parse("race.t", &id, &err), &err);
  CHECK_OK(c->rows->insert(c, &id, "0", &err), &err);
  cat_close(c);
  enum { N = 40 };
  pid_t kids[2];
  for (int k = 0; k < 2; k++) {
    kids[k] = fork();
    if (kids[k] == 0) {
      struct cat_catalog *cc = open_cat("default");
      int done = 0, guard = 0;
      while (cc != NULL && done < N && guard++ < 100000) {
        char *cur = NULL;
        if (cc->rows->location(cc, &id, &cur, &err) != ICE_OK) continue;
        char next[32];
        snprintf(next, sizeof next, "%ld", strtol(cur, NULL, 10) + 1);
        int rc = cc->rows->swap(cc, &id, cur, next, &err);
        ice_free(cur);
        if (rc == ICE_OK) done++;
        else if (rc != ICE_ECONFLICT) _exit(2);
      }
      cat_close(cc);
      _exit(done == N ? 0 : 1);
    }
  }
  for (int k = 0; k < 2; k++) {
    int status = 0;
    waitpid(kids[k], &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  c = open_cat("default");
  char *loc = NULL;
  if (c != NULL) {
    CHECK_OK(c->rows->location(c, &id, &loc, &err), &err);
    CHECK_EQ_STR(loc, "80");
    ice_free(loc);
    cat_close(c);
  }
  cat_ident_reset(&id);
}

int main(void) {
  make_dir();
  ICE_RUN(test_ident);
  ICE_RUN(test_create_load_commit);
  ICE_RUN(test_hostile_rows);
  ICE_RUN(test_concurrent_processes);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
