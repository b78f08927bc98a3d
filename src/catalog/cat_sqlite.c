/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SQLite catalog with the JDBC catalog tables (Java JdbcCatalog / pyiceberg SqlCatalog,
 * reference/iceberg.md §8.2): iceberg_tables and iceberg_namespace_properties, so Spark
 * or pyiceberg can open the same file. This file holds the row operations; load and
 * commit (requirements, builder, metadata file) are cat_sql_commit.c. A swap is one
 * `UPDATE ... WHERE ... AND metadata_location = old` in its own IMMEDIATE transaction;
 * zero rows changed means another writer won. A busy timeout lets concurrent processes
 * queue on the file lock.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog/cat_catalog.h"
#include "io/io.h"
#include "util/alloc.h"
#include "util/limits.h"

struct sqlite_priv {
  sqlite3 *db;
  char *path;
  int has_type_column; /* "V1" layout with iceberg_type (pyiceberg's default) */
};

static struct sqlite_priv *priv_of(struct cat_catalog *c) {
  return (struct sqlite_priv *)c->priv;
}

/* Maps an SQLite result code to ours. Lock contention means nothing happened. */
static int sql_fail(struct cat_catalog *c, int src, const char *what,
                    struct ice_error *err) {
  struct sqlite_priv *p = priv_of(c);
  int code = ICE_EIO;
  int prim = src & 0xff;
  if (prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT) code = ICE_ECORRUPT;
  if (prim == SQLITE_NOMEM) code = ICE_ENOMEM;
  if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) code = ICE_ECONFLICT;
  int rc = ice_error_set(err, code, "sqlite catalog %s: %s: %s", p->path, what,
                         sqlite3_errmsg(p->db));
  if (err != NULL) err->detail = src;
  return rc;
}

static int prepare(struct cat_catalog *c, const char *sql, sqlite3_stmt **st,
                   struct ice_error *err) {
  int src = sqlite3_prepare_v2(priv_of(c)->db, sql, -1, st, NULL);
  if (src != SQLITE_OK) {
    sqlite3_finalize(*st);
    *st = NULL;
    return sql_fail(c, src, "prepare", err);
  }
  return ICE_OK;
}

static int bind_texts(struct cat_catalog *c, sqlite3_stmt *st, const char *const *vals,
                      int n, struct ice_error *err) {
  for (int i = 0; i < n; i++) {
    int src = sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_TRANSIENT);
    if (src != SQLITE_OK) return sql_fail(c, src, "bind", err);
  }
  return ICE_OK;
}

/* Runs a statement that returns no rows. */
static int exec_simple(struct cat_catalog *c, const char *sql, const char *const *vals,
                       int n, struct ice_error *err) {
  sqlite3_stmt *st = NULL;
  ICE_TRY(prepare(c, sql, &st, err));
  int rc = bind_texts(c, st, vals, n, err);
  if (rc == ICE_OK) {
    int src = sqlite3_step(st);
    if (src != SQLITE_DONE && src != SQLITE_ROW) rc = sql_fail(c, src, "execute", err);
  }
  sqlite3_finalize(st);
  return rc;
}

/* Copies a text column that came from the file (untrusted: may be NULL or huge). */
static int column_text(struct cat_catalog *c, sqlite3_stmt *st, int col, const char *what,
                       char **out, struct ice_error *err) {
  const unsigned char *t = sqlite3_column_text(st, col);
  int len = sqlite3_column_bytes(st, col);
  if (t == NULL)
    ICE_FAIL(err, ICE_ECORRUPT, "sqlite catalog %s: %s is NULL", priv_of(c)->path, what);
  if (len < 0 || (size_t)len > ICE_LIMIT_LOCATION_BYTES || memchr(t, 0, (size_t)len))
    ICE_FAIL(err, ICE_ECORRUPT, "sqlite catalog %s: %s is not a usable string (%d bytes)",
             priv_of(c)->path, what, len);
  char *s = ice_strndup((const char *)t, (size_t)len);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory reading catalog");
  *out = s;
  return ICE_OK;
}

static const char *type_filter(struct cat_catalog *c) {
  return cat_sql_type_filter(priv_of(c)->has_type_column);
}

static int sqlite_row_location(struct cat_catalog *c, const struct cat_ident *id,
                               char **location, struct ice_error *err) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT metadata_location FROM iceberg_tables WHERE catalog_name = ?1 AND "
           "table_namespace = ?2 AND table_name = ?3%s",
           type_filter(c));
  sqlite3_stmt *st = NULL;
  ICE_TRY(prepare(c, sql, &st, err));
  const char *vals[3] = {c->name, id->ns, id->name};
  int rc = bind_texts(c, st, vals, 3, err);
  if (rc == ICE_OK) {
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
      rc = column_text(c, st, 0, "metadata_location", location, err);
    } else if (src == SQLITE_DONE) {
      rc = ice_error_set(err, ICE_ENOTFOUND, "table %s.%s does not exist", id->ns,
                         id->name);
    } else {
      rc = sql_fail(c, src, "load table", err);
    }
  }
  sqlite3_finalize(st);
  return rc;
}

/* Runs one write statement in its own IMMEDIATE transaction so that every failure can
 * be classified. Lock contention at any step changed nothing: ICE_ECONFLICT. Any other
 * failure before COMMIT (read-only file, disk full, I/O error, constraint) is rolled
 * back and definite: its own code, *stmt_src = the statement's SQLite code. Only a
 * failure of COMMIT itself may or may not have reached the disk: ICE_ECOMMIT_UNKNOWN.
 * *changes = rows the statement changed. */
static int write_txn(struct cat_catalog *c, const char *sql, const char *const *vals,
                     int n, const char *what, int *changes, int *stmt_src,
                     struct ice_error *err) {
  sqlite3 *db = priv_of(c)->db;
  *changes = 0;
  *stmt_src = SQLITE_OK;
  int src = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (src != SQLITE_OK) return sql_fail(c, src, what, err);
  sqlite3_stmt *st = NULL;
  int rc = prepare(c, sql, &st, err);
  if (rc == ICE_OK) rc = bind_texts(c, st, vals, n, err);
  if (rc == ICE_OK) {
    src = sqlite3_step(st);
    if (src == SQLITE_DONE) {
      *changes = sqlite3_changes(db);
    } else {
      *stmt_src = src;
      rc = sql_fail(c, src, what, err);
    }
  }
  sqlite3_finalize(st);
  if (rc == ICE_OK) {
    src = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (src == SQLITE_OK) return ICE_OK;
    int prim = src & 0xff;
    rc = sql_fail(c, src, what, err);
    /* COMMIT that could not get the lock leaves the transaction open and unwritten. */
    if (prim != SQLITE_BUSY && prim != SQLITE_LOCKED) {
      rc = ICE_ECOMMIT_UNKNOWN;
      if (err != NULL) err->code = rc;
    }
  }
  if (!sqlite3_get_autocommit(db)) (void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

static int sqlite_row_insert(struct cat_catalog *c, const struct cat_ident *id,
                             const char *location, struct ice_error *err) {
  const char *sql =
      priv_of(c)->has_type_column
          ? "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
            "metadata_location, previous_metadata_location, iceberg_type) "
            "VALUES (?1, ?2, ?3, ?4, NULL, 'TABLE')"
          : "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
            "metadata_location, previous_metadata_location) VALUES (?1, ?2, ?3, ?4, "
            "NULL)";
  const char *vals[4] = {c->name, id->ns, id->name, location};
  int changes = 0, stmt_src = SQLITE_OK;
  int rc = write_txn(c, sql, vals, 4, "create table", &changes, &stmt_src, err);
  if ((stmt_src & 0xff) == SQLITE_CONSTRAINT)
    rc = ice_error_set(err, ICE_EEXISTS, "table %s.%s already exists", id->ns, id->name);
  return rc;
}

static int sqlite_row_swap(struct cat_catalog *c, const struct cat_ident *id,
                           const char *old_location, const char *new_location,
                           struct ice_error *err) {
  char sql[512];
  snprintf(
      sql, sizeof sql,
      "UPDATE iceberg_tables SET metadata_location = ?1, previous_metadata_location = ?2 "
      "WHERE catalog_name = ?3 AND table_namespace = ?4 AND table_name = ?5 AND "
      "metadata_location = ?2%s",
      type_filter(c));
  const char *vals[5] = {new_location, old_location, c->name, id->ns, id->name};
  int changes = 0, stmt_src = SQLITE_OK;
  ICE_TRY(write_txn(c, sql, vals, 5, "commit", &changes, &stmt_src, err));
  if (changes != 1)
    ICE_FAIL(err, ICE_ECONFLICT,
             "table %s.%s was changed by another writer (metadata is no longer %s)",
             id->ns, id->name, old_location);
  return ICE_OK;
}

static int sqlite_drop_table(struct cat_catalog *c, const struct cat_ident *id,
                             struct ice_error *err) {
  char sql[512];
  snprintf(
      sql, sizeof sql,
      "DELETE FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2 AND "
      "table_name = ?3%s",
      type_filter(c));
  const char *vals[3] = {c->name, id->ns, id->name};
  ICE_TRY(exec_simple(c, sql, vals, 3, err));
  if (sqlite3_changes(priv_of(c)->db) != 1)
    ICE_FAIL(err, ICE_ENOTFOUND, "table %s.%s does not exist", id->ns, id->name);
  return ICE_OK;
}

static int sqlite_ensure_namespace(struct cat_catalog *c, const char *ns,
                                   struct ice_error *err) {
  ICE_TRY(cat_namespace_validate(ns, err));
  /* exists=true is what Java always writes and pyiceberg writes for property-less
   * namespaces; both hide it from property listings. */
  const char *vals[2] = {c->name, ns};
  return exec_simple(c,
                     "INSERT OR IGNORE INTO iceberg_namespace_properties (catalog_name, "
                     "namespace, property_key, property_value) VALUES (?1, ?2, 'exists', "
                     "'true')",
                     vals, 2, err);
}

static int sqlite_namespace_property(struct cat_catalog *c, const char *ns,
                                     const char *key, char **value,
                                     struct ice_error *err) {
  sqlite3_stmt *st = NULL;
  ICE_TRY(prepare(c,
                  "SELECT property_value FROM iceberg_namespace_properties WHERE "
                  "catalog_name = ?1 AND namespace = ?2 AND property_key = ?3",
                  &st, err));
  const char *vals[3] = {c->name, ns, key};
  int rc = bind_texts(c, st, vals, 3, err);
  char *v = NULL;
  if (rc == ICE_OK) {
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
      rc = column_text(c, st, 0, "property_value", &v, err);
    else if (src != SQLITE_ROW && src != SQLITE_DONE)
      rc = sql_fail(c, src, "namespace property", err);
  }
  sqlite3_finalize(st);
  if (rc == ICE_OK) *value = v;
  return rc;
}

static int collect_rows(struct cat_catalog *c, sqlite3_stmt *st, int two_cols,
                        struct cat_names *out, struct ice_error *err) {
  for (;;) {
    int src = sqlite3_step(st);
    if (src == SQLITE_DONE) return ICE_OK;
    if (src != SQLITE_ROW) return sql_fail(c, src, "list", err);
    char *a = NULL, *b = NULL;
    ICE_TRY(column_text(c, st, 0, "namespace", &a, err));
    int rc = ICE_OK;
    if (two_cols) rc = column_text(c, st, 1, "table_name", &b, err);
    if (rc == ICE_OK) rc = cat_sql_push_name(out, a, b, err);
    ice_free(a);
    ice_free(b);
    if (rc != ICE_OK) return rc;
  }
}

static int sqlite_list_tables(struct cat_catalog *c, const char *ns,
                              struct cat_names *out, struct ice_error *err) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name = "
           "?1%s%s",
           ns ? " AND table_namespace = ?2" : "", type_filter(c));
  sqlite3_stmt *st = NULL;
  ICE_TRY(prepare(c, sql, &st, err));
  const char *vals[2] = {c->name, ns};
  int rc = bind_texts(c, st, vals, ns ? 2 : 1, err);
  struct cat_names got = {0};
  if (rc == ICE_OK) rc = collect_rows(c, st, 1, &got, err);
  sqlite3_finalize(st);
  if (rc != ICE_OK) {
    cat_names_reset(&got);
    return rc;
  }
  cat_names_sort(&got);
  *out = got;
  return ICE_OK;
}

static int sqlite_list_namespaces(struct cat_catalog *c, struct cat_names *out,
                                  struct ice_error *err) {
  sqlite3_stmt *st = NULL;
  ICE_TRY(prepare(
      c,
      "SELECT table_namespace FROM iceberg_tables WHERE catalog_name = ?1 UNION "
      "SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = ?1 "
      "ORDER BY 1",
      &st, err));
  const char *vals[1] = {c->name};
  int rc = bind_texts(c, st, vals, 1, err);
  struct cat_names got = {0};
  if (rc == ICE_OK) rc = collect_rows(c, st, 0, &got, err);
  sqlite3_finalize(st);
  if (rc != ICE_OK) {
    cat_names_reset(&got);
    return rc;
  }
  *out = got;
  return ICE_OK;
}

/* ---- statements of the shared SQL operations (cat_catalog.h, struct cat_sql_rows) ---- */

static int sqlite_begin(struct cat_catalog *c, struct ice_error *err) {
  int src = sqlite3_exec(priv_of(c)->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  return src == SQLITE_OK ? ICE_OK : sql_fail(c, src, "begin", err);
}

static int sqlite_end(struct cat_catalog *c, int commit, struct ice_error *err) {
  sqlite3 *db = priv_of(c)->db;
  if (!commit) {
    if (!sqlite3_get_autocommit(db)) (void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return ICE_OK;
  }
  int src = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  if (src == SQLITE_OK) return ICE_OK;
  int prim = src & 0xff;
  int rc = sql_fail(c, src, "commit", err);
  if (prim != SQLITE_BUSY && prim != SQLITE_LOCKED && err != NULL)
    err->code = rc = ICE_ECOMMIT_UNKNOWN;
  if (!sqlite3_get_autocommit(db)) (void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

static int sqlite_has_type_column(struct cat_catalog *c) {
  return priv_of(c)->has_type_column;
}

/* The shared statements number their parameters $N; SQLite's numbered form is ?N. */
static int sqlite_exec(struct cat_catalog *c, const char *sql, const char *const *vals,
                       int n, long *changed,
                       int (*row)(void *ud, const char *const *cols, int ncols,
                                  struct ice_error *err),
                       void *ud, struct ice_error *err) {
  char text[4096];
  size_t len = strlen(sql);
  if (len >= sizeof text) ICE_FAIL(err, ICE_ELIMIT, "catalog statement too long");
  for (size_t i = 0; i <= len; i++) text[i] = sql[i] == '$' ? '?' : sql[i];
  sqlite3_stmt *st = NULL;
  ICE_TRY(prepare(c, text, &st, err));
  int rc = bind_texts(c, st, vals, n, err);
  *changed = 0;
  while (rc == ICE_OK) {
    int src = sqlite3_step(st);
    if (src == SQLITE_DONE) {
      *changed = sqlite3_changes(priv_of(c)->db);
      break;
    }
    if (src != SQLITE_ROW) {
      rc = (src & 0xff) == SQLITE_CONSTRAINT
               ? ice_error_set(err, ICE_EEXISTS, "catalog row exists")
               : sql_fail(c, src, "execute", err);
      break;
    }
    if (row == NULL) continue;
    char *cols[8] = {0};
    int nc = sqlite3_column_count(st);
    if (nc > 8) nc = 8;
    for (int k = 0; rc == ICE_OK && k < nc; k++)
      if (sqlite3_column_type(st, k) != SQLITE_NULL)
        rc = column_text(c, st, k, "column", &cols[k], err);
    if (rc == ICE_OK) rc = row(ud, (const char *const *)cols, nc, err);
    for (int k = 0; k < nc; k++) ice_free(cols[k]);
  }
  sqlite3_finalize(st);
  return rc;
}

static void sqlite_close(struct cat_catalog *c) {
  struct sqlite_priv *p = priv_of(c);
  if (p != NULL) {
    sqlite3_close(p->db);
    ice_free(p->path);
    ice_free(p);
  }
  ice_free(c->name);
  ice_free(c->warehouse);
  ice_free(c);
}

static const struct cat_catalog_vtable sqlite_vtable = {
    .load = cat_sql_load,
    .commit = cat_sql_commit,
    .register_table = sqlite_row_insert,
    .drop_table = sqlite_drop_table,
    .ensure_namespace = sqlite_ensure_namespace,
    .list_tables = sqlite_list_tables,
    .list_namespaces = sqlite_list_namespaces,
    .close = sqlite_close,
    .namespace_property = sqlite_namespace_property,
    .rename_table = cat_sql_rename_table,
    .drop_namespace = cat_sql_drop_namespace,
    .namespace_properties = cat_sql_namespace_properties,
    .update_namespace_properties = cat_sql_update_namespace_properties,
    .commit_tables = cat_sql_commit_tables,
};

static const struct cat_sql_rows sqlite_rows = {
    .location = sqlite_row_location,
    .insert = sqlite_row_insert,
    .swap = sqlite_row_swap,
    .begin = sqlite_begin,
    .has_type_column = sqlite_has_type_column,
    .end = sqlite_end,
    .exec = sqlite_exec,
};

static int prepares(struct cat_catalog *c, const char *sql) {
  sqlite3_stmt *st = NULL;
  int src = sqlite3_prepare_v2(priv_of(c)->db, sql, -1, &st, NULL);
  sqlite3_finalize(st);
  return src;
}

/* Creates the JDBC tables when missing (create = 1) and notices pyiceberg's V1 layout
 * (extra iceberg_type column) when present. A reader (create = 0) changes nothing: a
 * file without the tables is not a catalog. */
static int sqlite_init_schema(struct cat_catalog *c, int create, struct ice_error *err) {
  if (create) {
    ICE_TRY(exec_simple(c, cat_sql_create_tables, NULL, 0, err));
    ICE_TRY(exec_simple(c, cat_sql_create_namespaces, NULL, 0, err));
  }
  int src = prepares(c, "SELECT 1 FROM iceberg_tables LIMIT 0");
  if (src != SQLITE_OK) return sql_fail(c, src, "not an Iceberg catalog", err);
  priv_of(c)->has_type_column =
      prepares(c, "SELECT iceberg_type FROM iceberg_tables LIMIT 0") == SQLITE_OK;
  return ICE_OK;
}

int cat_sqlite_open(const char *path, const char *name, const char *warehouse,
                    long busy_timeout_ms, int create, struct cat_catalog **out,
                    struct ice_error *err) {
  struct stat sb;
  if (!create && stat(path, &sb) != 0)
    ICE_FAIL(err, ICE_ENOTFOUND, "catalog %s does not exist (nothing was loaded here?)",
             path);
  if (create) ICE_TRY(io_local_mkdirs_for(path, err));
  struct sqlite_priv *p = ice_calloc(1, sizeof *p);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory opening catalog");
  struct cat_catalog *c = NULL;
  ICE_TRY(cat_sql_catalog_new(&sqlite_vtable, &sqlite_rows, p, name, warehouse, &c, err));
  p->path = ice_strdup(path);
  int rc = ICE_OK;
  if (p->path == NULL) {
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory opening catalog");
    goto done;
  }
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  int src = sqlite3_open_v2(path, &p->db, flags, NULL);
  if (src != SQLITE_OK) {
    rc = ice_error_set(err, ICE_EIO, "sqlite catalog %s: cannot open: %s", path,
                       p->db ? sqlite3_errmsg(p->db) : sqlite3_errstr(src));
    goto done;
  }
  sqlite3_busy_timeout(p->db,
                       busy_timeout_ms > 0x7fffffffL ? 0x7fffffff : (int)busy_timeout_ms);
  rc = sqlite_init_schema(c, create, err);
done:
  if (rc != ICE_OK) {
    sqlite_close(c);
    return rc;
  }
  *out = c;
  return ICE_OK;
}
