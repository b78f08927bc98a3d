/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Real SQLite failures at the commit, injected below SQLite by a VFS that wraps the
 * default one (the catalog code is not touched): a lock held by another connection is a
 * conflict (retryable); a journal write that fails with SQLITE_FULL (the disk filling up
 * during the UPDATE) is a definite failure that the load does not retry and that
 * removes every file the load wrote; a database write that fails inside COMMIT is an
 * unknown outcome.
 */
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "harness/ice_test.h"
#include "iceberg/ib_str_map.h"
#include "ops/op_load.h"
#include "util/alloc.h"

/* ------------------------------------------------------------ fault-injecting VFS */

enum vfs_fault { VFS_OK, VFS_JOURNAL_FULL, VFS_DB_WRITE_FAILS };
static enum vfs_fault g_vfs_fault;
static sqlite3_vfs *g_base;
static sqlite3_vfs g_vfs;

struct shim_file {
  sqlite3_file base;
  sqlite3_file *real; /* lives right after this struct */
  int flags;
};

static sqlite3_file *real_of(sqlite3_file *f) {
  return ((struct shim_file *)f)->real;
}

static int shim_close(sqlite3_file *f) {
  return real_of(f)->pMethods->xClose(real_of(f));
}
static int shim_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off) {
  return real_of(f)->pMethods->xRead(real_of(f), b, n, off);
}
static int shim_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off) {
  int flags = ((struct shim_file *)f)->flags;
  if (g_vfs_fault == VFS_JOURNAL_FULL && (flags & SQLITE_OPEN_MAIN_JOURNAL))
    return SQLITE_FULL;
  if (g_vfs_fault == VFS_DB_WRITE_FAILS && (flags & SQLITE_OPEN_MAIN_DB))
    return SQLITE_IOERR_WRITE;
  return real_of(f)->pMethods->xWrite(real_of(f), b, n, off);
}
static int shim_truncate(sqlite3_file *f, sqlite3_int64 size) {
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
static int shim_sync(sqlite3_file *f, int flags) {
  return real_of(f)->pMethods->xSync(real_of(f), flags);
}
static int shim_size(sqlite3_file *f, sqlite3_int64 *size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
static int shim_lock(sqlite3_file *f, int l) {
  return real_of(f)->pMethods->xLock(real_of(f), l);
}
static int shim_unlock(sqlite3_file *f, int l) {
  return real_of(f)->pMethods->xUnlock(real_of(f), l);
}
static int shim_check(sqlite3_file *f, int *out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
static int shim_control(sqlite3_file *f, int op, void *arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
static int shim_sector(sqlite3_file *f) {
  return real_of(f)->pMethods->xSectorSize(real_of(f));
}
static int shim_caps(sqlite3_file *f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}

/* Version 1: no shared memory or mmap, so the catalog stays in rollback-journal mode. */
static const sqlite3_io_methods g_shim_methods = {
    1,         shim_close,  shim_read,  shim_write,   shim_truncate, shim_sync, shim_size,
    shim_lock, shim_unlock, shim_check, shim_control, shim_sector,   shim_caps, NULL,
    NULL,      NULL,        NULL,       NULL,         NULL};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
                     int *out_flags) {
  (void)vfs;
  struct shim_file *s = (struct shim_file *)f;
  s->real = (sqlite3_file *)(s + 1);
  s->flags = flags;
  int rc = g_base->xOpen(g_base, name, s->real, flags, out_flags);
  s->base.pMethods = s->real->pMethods != NULL ? &g_shim_methods : NULL;
  return rc;
}

static int shim_delete(sqlite3_vfs *v, const char *n, int sync) {
  (void)v;
  return g_base->xDelete(g_base, n, sync);
}
static int shim_access(sqlite3_vfs *v, const char *n, int flags, int *out) {
  (void)v;
  return g_base->xAccess(g_base, n, flags, out);
}
static int shim_full(sqlite3_vfs *v, const char *n, int size, char *out) {
  (void)v;
  return g_base->xFullPathname(g_base, n, size, out);
}
static int shim_random(sqlite3_vfs *v, int n, char *out) {
  (void)v;
  return g_base->xRandomness(g_base, n, out);
}
static int shim_sleep(sqlite3_vfs *v, int us) {
  (void)v;
  return g_base->xSleep(g_base, us);
}
static int shim_time(sqlite3_vfs *v, double *out) {
  (void)v;
  return g_base->xCurrentTime(g_base, out);
}

static void install_vfs(void) {
  g_base = sqlite3_vfs_find(NULL);
  memset(&g_vfs, 0, sizeof g_vfs);
  g_vfs.iVersion = 1;
  g_vfs.szOsFile = (int)sizeof(struct shim_file) + g_base->szOsFile;
  g_vfs.mxPathname = g_base->mxPathname;
  g_vfs.zName = "ice_fault_shim";
  g_vfs.xOpen = shim_open;
  g_vfs.xDelete = shim_delete;
  g_vfs.xAccess = shim_access;
  g_vfs.xFullPathname = shim_full;
  g_vfs.xRandomness = shim_random;
  g_vfs.xSleep = shim_sleep;
  g_vfs.xCurrentTime = shim_time;
  if (sqlite3_vfs_register(&g_vfs, 1) != SQLITE_OK) abort(); /* the default from now on */
}

/* ------------------------------------------------------------ tests */

static char g_dir[256];
static char g_input[512];
static char g_data_dir[400], g_meta_dir[400];

static int count_files(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

static struct cat_catalog *open_catalog(long busy_ms) {
  struct ice_error err;
  struct cat_catalog *c = NULL;
  char wh[300];
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  CHECK_OK(cat_open(NULL, wh, "default", busy_ms, &c, &err), &err);
  return c;
}

static int load(struct cat_catalog *c, struct op_load_result *res,
                struct ice_error *err) {
  const char *inputs[] = {g_input};
  struct op_load_request req = {inputs, 1, OP_MODE_APPEND, NULL, NULL,
                                0,      0, NULL,           NULL, NULL, NULL, IB_EVOLVE_ADD, NULL, 0};
  return op_load_files(c, "db.t", &req, res, err);
}

static void test_catalog_outcomes(void) {
  struct ice_error err;
  struct cat_catalog *c = open_catalog(0);
  if (c == NULL) return;
  struct cat_ident id = {0};
  CHECK_OK(cat_ident_parse("db.c", &id, &err), &err);
  CHECK_OK(c->vt->ensure_namespace(c, "db", &err), &err);
  CHECK_OK(c->rows->insert(c, &id, "/x/v0", &err), &err);

  /* Another connection holds the write lock: nothing happened, retryable. */
  char path[400];
  snprintf(path, sizeof path, "%s/wh/catalog.db", g_dir);
  sqlite3 *other = NULL;
  CHECK_EQ_INT(sqlite3_open(path, &other), SQLITE_OK);
  CHECK_EQ_INT(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  CHECK_EQ_INT(c->rows->swap(c, &id, "/x/v0", "/x/v1", &err), ICE_ECONFLICT);
  CHECK_EQ_INT(err.code, ICE_ECONFLICT);
  CHECK_EQ_INT(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(other);

  /* Disk full while journalling the UPDATE: rolled back, a definite failure. */
  g_vfs_fault = VFS_JOURNAL_FULL;
  int rc = c->rows->swap(c, &id, "/x/v0", "/x/v1", &err);
  CHECK(rc != ICE_OK && rc != ICE_ECONFLICT && rc != ICE_ECOMMIT_UNKNOWN);
  CHECK_EQ_INT(err.code, rc);
  CHECK(strstr(err.message, "full") != NULL);
  struct cat_ident id2 = {0};
  CHECK_OK(cat_ident_parse("db.c2", &id2, &err), &err);
  rc = c->rows->insert(c, &id2, "/y/v0", &err);
  CHECK(rc != ICE_OK && rc != ICE_ECONFLICT && rc != ICE_ECOMMIT_UNKNOWN &&
        rc != ICE_EEXISTS);
  g_vfs_fault = VFS_OK;
  char *loc = NULL;
  CHECK_OK(c->rows->location(c, &id, &loc, &err), &err);
  CHECK_EQ_STR(loc, "/x/v0");
  ice_free(loc);
  CHECK_EQ_INT(c->rows->location(c, &id2, &loc, &err), ICE_ENOTFOUND);

  /* The database file cannot be written during COMMIT: it may or may not be there. */
  g_vfs_fault = VFS_DB_WRITE_FAILS;
  CHECK_EQ_INT(c->rows->swap(c, &id, "/x/v0", "/x/v1", &err), ICE_ECOMMIT_UNKNOWN);
  CHECK_EQ_INT(err.code, ICE_ECOMMIT_UNKNOWN);
  g_vfs_fault = VFS_OK;
  /* The hot journal is rolled back by the next reader: it did not happen. */
  loc = NULL;
  CHECK_OK(c->rows->location(c, &id, &loc, &err), &err);
  CHECK_EQ_STR(loc, "/x/v0");
  ice_free(loc);
  CHECK_OK(c->rows->swap(c, &id, "/x/v0", "/x/v1", &err), &err);
  cat_ident_reset(&id);
  cat_ident_reset(&id2);
  cat_close(c);
}

static void test_load_with_full_disk(void) {
  struct ice_error err;
  struct op_load_result res;
  struct cat_catalog *c = open_catalog(30000);
  if (c == NULL) return;
  CHECK_OK(load(c, &res, &err), &err);
  int data = count_files(g_data_dir), meta = count_files(g_meta_dir);
  char *before = NULL;
  struct cat_ident id = {0};
  CHECK_OK(cat_ident_parse("db.t", &id, &err), &err);
  CHECK_OK(c->rows->location(c, &id, &before, &err), &err);

  /* A definite failure at the commit: not retried, everything the load wrote removed. */
  g_vfs_fault = VFS_JOURNAL_FULL;
  int rc = load(c, &res, &err);
  g_vfs_fault = VFS_OK;
  CHECK(rc != ICE_OK && rc != ICE_ECONFLICT && rc != ICE_ECOMMIT_UNKNOWN);
  CHECK_EQ_INT(err.code, rc);
  CHECK(strstr(err.message, "attempts") == NULL);
  CHECK(strstr(err.message, "full") != NULL);
  CHECK_EQ_INT(count_files(g_data_dir), data);
  CHECK_EQ_INT(count_files(g_meta_dir), meta);
  char *after = NULL;
  CHECK_OK(c->rows->location(c, &id, &after, &err), &err);
  CHECK_EQ_STR(after, before);
  ice_free(before);
  ice_free(after);

  /* Nothing was left half-done: the next load commits normally. */
  CHECK_OK(load(c, &res, &err), &err);
  CHECK_EQ_INT(res.committed, 1);
  cat_ident_reset(&id);
  cat_close(c);
}

int main(void) {
  install_vfs();
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_commit_faults_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  snprintf(g_input, sizeof g_input,
           "%s/parquet-testing/data/alltypes_plain.parquet",
           ice_test_data_dir());
  snprintf(g_data_dir, sizeof g_data_dir, "%s/wh/db/t/data", g_dir);
  snprintf(g_meta_dir, sizeof g_meta_dir, "%s/wh/db/t/metadata", g_dir);
  ICE_RUN(test_catalog_outcomes);
  ICE_RUN(test_load_with_full_disk);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
