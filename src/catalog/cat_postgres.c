/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PostgreSQL catalog (libpq) with the JDBC catalog tables (Java JdbcCatalog / pyiceberg
 * SqlCatalog, reference/iceberg.md §8.2), so Spark, Trino or pyiceberg can point at the
 * same database. This file holds the row operations; load and commit are
 * cat_sql_commit.c, shared with SQLite. A swap is one autocommitted
 * `UPDATE ... WHERE ... AND metadata_location = old`: zero rows means another writer
 * won. Concurrent swaps of one row queue on its row lock, bounded by statement_timeout.
 *
 * A connection lost while a write statement was in flight leaves its outcome unknown.
 * Before anything is read back the catalog reconnects and makes sure the lost session
 * is gone (terminating it if the server still runs it), so the row it then reads is
 * final: the old session can no longer commit behind our back.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/cat_catalog.h"
#include "util/alloc.h"
#include "util/limits.h"

#ifdef ICE_TEST_HOOKS
#include <sys/socket.h>
#endif

struct pg_priv {
  PGconn *conn;
  char *uri;           /* as given, secrets included: never printed */
  char *shown;         /* the URI with its password masked: the only form in messages */
  int has_type_column; /* Java's V1 layout / pyiceberg's default */
  int lost;            /* the connection broke (or a test said so): reconnect first */
  int pid;             /* the server process of the connection */
  char started[64];    /* its backend_start, so a reused pid is not mistaken for it */
  /* The session of a lost connection, kept until it is known to have ended (pid 0:
   * none). No statement runs before that, so there is never more than one. */
  int lost_pid;
  char lost_started[64];
  long wait_ms; /* how long to wait for a lost session to end */
#ifdef ICE_TEST_HOOKS
  int hook_fired;
#endif
};

static struct pg_priv *priv_of(struct cat_catalog *c) {
  return (struct pg_priv *)c->priv;
}

/* libpq's messages end in a newline and may span lines; ours are one line. */
static void one_line(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = '\0';
  for (char *q = s; *q; q++)
    if (*q == '\n' || *q == '\r' || *q == '\t') *q = ' ';
}

static int sqlstate_is(const PGresult *res, const char *state) {
  const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  return s != NULL && strcmp(s, state) == 0;
}

/* The code of a failed statement: lock waits, cancelled (timed out), serialization and
 * deadlock failures changed nothing (ICE_ECONFLICT: reload and retry); a unique
 * violation is a row that exists. */
static int code_of(const PGresult *res) {
  if (sqlstate_is(res, "55P03") || sqlstate_is(res, "57014") ||
      sqlstate_is(res, "40001") || sqlstate_is(res, "40P01"))
    return ICE_ECONFLICT;
  if (sqlstate_is(res, "23505")) return ICE_EEXISTS; /* unique violation */
  if (sqlstate_is(res, "28P01") || sqlstate_is(res, "28000") || sqlstate_is(res, "42501"))
    return ICE_EAUTH;
  return ICE_EIO;
}

static int pg_fail(struct cat_catalog *c, int code, const char *what, const char *msg,
                   struct ice_error *err) {
  char text[512];
  snprintf(text, sizeof text, "%s", msg ? msg : "unknown error");
  one_line(text);
  cat_pg_uri_scrub(priv_of(c)->uri, text);
  return ice_error_set(err, code, "postgresql catalog %s: %s: %s", priv_of(c)->shown,
                       what, text);
}

/* Whether a failed statement may have lost its connection: libpq says so, or the
 * error came from libpq itself (no SQLSTATE), or the server reported a connection
 * exception (class 08) or its own shutdown (57P01..57P03) before going away. */
static int connection_lost(PGconn *conn, const PGresult *res) {
  if (PQstatus(conn) != CONNECTION_OK || res == NULL) return 1;
  const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  return s == NULL || strncmp(s, "08", 2) == 0 || strncmp(s, "57P", 3) == 0;
}

/* Server notices (e.g. a shutdown warning) are not ours to print. */
static void ignore_notice(void *arg, const char *message) {
  (void)arg;
  (void)message;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  (void)nanosleep(&ts, NULL);
}

/* Runs one statement with text parameters on the connection as it is; *res is the
 * result (PQclear it) on success. A broken connection marks the catalog for
 * reconnection and is ICE_EIO here; callers of write statements turn it into
 * ICE_ECOMMIT_UNKNOWN. */
static int exec_params(struct cat_catalog *c, const char *sql, const char *const *vals,
                       int n, const char *what, PGresult **out, int *lost,
                       struct ice_error *err);

static int remember_backend(struct cat_catalog *c, struct ice_error *err) {
  struct pg_priv *p = priv_of(c);
  p->pid = PQbackendPID(p->conn);
  p->started[0] = '\0';
  PGresult *res = NULL;
  ICE_TRY(exec_params(c,
                      "SELECT backend_start::text FROM pg_stat_activity WHERE pid = "
                      "pg_backend_pid()",
                      NULL, 0, "session", &res, NULL, err));
  if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
    snprintf(p->started, sizeof p->started, "%s", PQgetvalue(res, 0, 0));
  PQclear(res);
  return ICE_OK;
}

/* After a lost connection: the server may still be running the lost session's
 * statement (it notices the closed socket only when it next talks to it). Ends it and
 * waits until it is gone; ICE_EIO if that cannot be made sure of. */
static int end_lost_session(struct cat_catalog *c, int pid, const char *started,
                            struct ice_error *err) {
  char pidtext[24];
  snprintf(pidtext, sizeof pidtext, "%d", pid);
  const char *vals[2] = {pidtext, started};
  long waited = 0;
  for (int round = 0;; round++) {
    PGresult *res = NULL;
    ICE_TRY(
        exec_params(c,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = "
                    "$1::int AND ($2 = '' OR backend_start::text = $2)",
                    vals, 2, "ending the lost session", &res, NULL, err));
    int alive = PQntuples(res) > 0;
    PQclear(res);
    if (!alive) return ICE_OK;
    if (waited >= priv_of(c)->wait_ms)
      ICE_FAIL(err, ICE_EIO,
               "postgresql catalog %s: the lost session (pid %d) is still running after "
               "%ld ms",
               priv_of(c)->shown, pid, waited);
    long step = round < 10 ? 10 : 100;
    sleep_ms(step);
    waited += step;
  }
}

/* Marks the connection lost, remembering its session unless an older lost one is
 * still pending (the newer one then ran nothing but these checks). */
static void mark_lost(struct pg_priv *p) {
  p->lost = 1;
  if (p->lost_pid != 0) return;
  p->lost_pid = p->pid;
  memcpy(p->lost_started, p->started, sizeof p->lost_started);
}

/* Reconnects after a lost connection, then ends the session that was lost; until
 * that session is known to be gone no statement runs. */
static int ensure_connected(struct cat_catalog *c, struct ice_error *err) {
  struct pg_priv *p = priv_of(c);
  if (p->lost || PQstatus(p->conn) != CONNECTION_OK) {
    if (!p->lost) mark_lost(p);
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK)
      return pg_fail(c, ICE_EIO, "reconnecting", PQerrorMessage(p->conn), err);
    (void)PQsetNoticeProcessor(p->conn, ignore_notice, NULL);
    p->lost = 0;
    ICE_TRY(remember_backend(c, err));
  }
  if (p->lost_pid != 0) {
    if (p->lost_pid != p->pid)
      ICE_TRY(end_lost_session(c, p->lost_pid, p->lost_started, err));
    p->lost_pid = 0;
  }
  return ICE_OK;
}

static int exec_params(struct cat_catalog *c, const char *sql, const char *const *vals,
                       int n, const char *what, PGresult **out, int *lost,
                       struct ice_error *err) {
  struct pg_priv *p = priv_of(c);
  if (lost != NULL) *lost = 0;
  PGresult *res = PQexecParams(p->conn, sql, n, NULL, vals, NULL, NULL, 0);
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
    *out = res;
    return ICE_OK;
  }
  int rc;
  if (connection_lost(p->conn, res)) {
    mark_lost(p);
    if (lost != NULL) *lost = 1;
    rc = pg_fail(c, ICE_EIO, what, PQerrorMessage(p->conn), err);
  } else {
    rc = pg_fail(c, code_of(res), what,
                 res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn), err);
  }
  PQclear(res);
  return rc;
}

/* exec_params on a connection made sound first (ensure_connected). */
static int run(struct cat_catalog *c, const char *sql, const char *const *vals, int n,
               const char *what, PGresult **out, int *lost, struct ice_error *err) {
  if (lost != NULL) *lost = 0;
  ICE_TRY(ensure_connected(c, err));
  return exec_params(c, sql, vals, n, what, out, lost, err);
}

/* A text value from the database (untrusted: may be NULL or huge). */
static int value_text(struct cat_catalog *c, const PGresult *res, int row, int col,
                      const char *what, char **out, struct ice_error *err) {
  if (PQgetisnull(res, row, col))
    ICE_FAIL(err, ICE_ECORRUPT, "postgresql catalog %s: %s is NULL", priv_of(c)->shown,
             what);
  int len = PQgetlength(res, row, col);
  const char *t = PQgetvalue(res, row, col);
  if (len < 0 || (size_t)len > ICE_LIMIT_LOCATION_BYTES || memchr(t, 0, (size_t)len))
    ICE_FAIL(err, ICE_ECORRUPT,
             "postgresql catalog %s: %s is not a usable string (%d bytes)",
             priv_of(c)->shown, what, len);
  char *s = ice_strndup(t, (size_t)len);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory reading catalog");
  *out = s;
  return ICE_OK;
}

static const char *type_filter(struct cat_catalog *c) {
  return cat_sql_type_filter(priv_of(c)->has_type_column);
}

/* "1" from PQcmdTuples: exactly one row changed. */
static int one_row(PGresult *res) {
  return strcmp(PQcmdTuples(res), "1") == 0;
}

static int pg_row_location(struct cat_catalog *c, const struct cat_ident *id,
                           char **location, struct ice_error *err) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT metadata_location FROM iceberg_tables WHERE catalog_name = $1 AND "
           "table_namespace = $2 AND table_name = $3%s",
           type_filter(c));
  const char *vals[3] = {c->name, id->ns, id->name};
  PGresult *res = NULL;
  ICE_TRY(run(c, sql, vals, 3, "load table", &res, NULL, err));
  int rc;
  if (PQntuples(res) == 0)
    rc =
        ice_error_set(err, ICE_ENOTFOUND, "table %s.%s does not exist", id->ns, id->name);
  else
    rc = value_text(c, res, 0, 0, "metadata_location", location, err);
  PQclear(res);
  return rc;
}

/* A write whose connection broke may have committed. */
static int unknown_if_lost(int rc, int lost, struct ice_error *err) {
  if (rc == ICE_OK || !lost) return rc;
  if (err != NULL) err->code = ICE_ECOMMIT_UNKNOWN;
  return ICE_ECOMMIT_UNKNOWN;
}

#ifdef ICE_TEST_HOOKS
/* ICESTREAM_TEST_PG_LOSE=before-swap|after-swap|before-insert|after-insert: the first
 * swap (or create) loses its connection before the statement is sent (libpq finds the
 * socket dead), or after the statement committed (its answer lost). */
static int test_lose(struct cat_catalog *c, const char *when) {
  struct pg_priv *p = priv_of(c);
  const char *want = getenv("ICESTREAM_TEST_PG_LOSE");
  if (p->hook_fired || want == NULL || strcmp(want, when) != 0) return 0;
  p->hook_fired = 1;
  (void)shutdown(PQsocket(p->conn), SHUT_RDWR);
  return 1;
}
#endif

static int pg_row_insert(struct cat_catalog *c, const struct cat_ident *id,
                         const char *location, struct ice_error *err) {
  const char *sql =
      priv_of(c)->has_type_column
          ? "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
            "metadata_location, previous_metadata_location, iceberg_type) "
            "VALUES ($1, $2, $3, $4, NULL, 'TABLE')"
          : "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
            "metadata_location, previous_metadata_location) VALUES ($1, $2, $3, $4, "
            "NULL)";
  const char *vals[4] = {c->name, id->ns, id->name, location};
  PGresult *res = NULL;
  int lost = 0;
#ifdef ICE_TEST_HOOKS
  (void)test_lose(c, "before-insert");
#endif
  int rc = run(c, sql, vals, 4, "create table", &res, &lost, err);
  if (rc == ICE_EEXISTS)
    return ice_error_set(err, ICE_EEXISTS, "table %s.%s already exists", id->ns,
                         id->name);
  PQclear(res);
#ifdef ICE_TEST_HOOKS
  if (rc == ICE_OK && test_lose(c, "after-insert")) {
    mark_lost(priv_of(c));
    ICE_FAIL(err, ICE_ECOMMIT_UNKNOWN,
             "postgresql catalog %s: create table: connection lost (test hook)",
             priv_of(c)->shown);
  }
#endif
  return unknown_if_lost(rc, lost, err);
}

static int pg_row_swap(struct cat_catalog *c, const struct cat_ident *id,
                       const char *old_location, const char *new_location,
                       struct ice_error *err) {
  char sql[512];
  snprintf(
      sql, sizeof sql,
      "UPDATE iceberg_tables SET metadata_location = $1, previous_metadata_location = $2 "
      "WHERE catalog_name = $3 AND table_namespace = $4 AND table_name = $5 AND "
      "metadata_location = $2%s",
      type_filter(c));
  const char *vals[5] = {new_location, old_location, c->name, id->ns, id->name};
  PGresult *res = NULL;
  int lost = 0;
#ifdef ICE_TEST_HOOKS
  (void)test_lose(c, "before-swap");
#endif
  int rc = run(c, sql, vals, 5, "commit", &res, &lost, err);
  ICE_TRY(unknown_if_lost(rc, lost, err));
  int swapped = one_row(res);
  PQclear(res);
#ifdef ICE_TEST_HOOKS
  if (test_lose(c, "after-swap")) {
    mark_lost(priv_of(c));
    ICE_FAIL(err, ICE_ECOMMIT_UNKNOWN,
             "postgresql catalog %s: commit: connection lost (test hook)",
             priv_of(c)->shown);
  }
#endif
  if (!swapped)
    ICE_FAIL(err, ICE_ECONFLICT,
             "table %s.%s was changed by another writer (metadata is no longer %s)",
             id->ns, id->name, old_location);
  return ICE_OK;
}

static int pg_drop_table(struct cat_catalog *c, const struct cat_ident *id,
                         struct ice_error *err) {
  char sql[512];
  snprintf(
      sql, sizeof sql,
      "DELETE FROM iceberg_tables WHERE catalog_name = $1 AND table_namespace = $2 AND "
      "table_name = $3%s",
      type_filter(c));
  const char *vals[3] = {c->name, id->ns, id->name};
  PGresult *res = NULL;
  ICE_TRY(run(c, sql, vals, 3, "drop table", &res, NULL, err));
  int one = one_row(res);
  PQclear(res);
  if (!one) ICE_FAIL(err, ICE_ENOTFOUND, "table %s.%s does not exist", id->ns, id->name);
  return ICE_OK;
}

static int pg_ensure_namespace(struct cat_catalog *c, const char *ns,
                               struct ice_error *err) {
  ICE_TRY(cat_namespace_validate(ns, err));
  /* exists=true, as Java writes and pyiceberg writes for property-less namespaces. */
  const char *vals[2] = {c->name, ns};
  PGresult *res = NULL;
  ICE_TRY(run(c,
              "INSERT INTO iceberg_namespace_properties (catalog_name, namespace, "
              "property_key, property_value) VALUES ($1, $2, 'exists', 'true') "
              "ON CONFLICT DO NOTHING",
              vals, 2, "create namespace", &res, NULL, err));
  PQclear(res);
  return ICE_OK;
}

static int pg_namespace_property(struct cat_catalog *c, const char *ns, const char *key,
                                 char **value, struct ice_error *err) {
  const char *vals[3] = {c->name, ns, key};
  PGresult *res = NULL;
  ICE_TRY(run(c,
              "SELECT property_value FROM iceberg_namespace_properties WHERE "
              "catalog_name = $1 AND namespace = $2 AND property_key = $3",
              vals, 3, "namespace property", &res, NULL, err));
  char *v = NULL;
  int rc = ICE_OK;
  if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
    rc = value_text(c, res, 0, 0, "property_value", &v, err);
  PQclear(res);
  if (rc == ICE_OK) *value = v;
  return rc;
}

/* Rows of one or two text columns as names ("ns" or "ns.name"). */
static int collect(struct cat_catalog *c, const PGresult *res, int two_cols,
                   struct cat_names *out, struct ice_error *err) {
  int rows = PQntuples(res);
  for (int r = 0; r < rows; r++) {
    char *a = NULL, *b = NULL;
    ICE_TRY(value_text(c, res, r, 0, "namespace", &a, err));
    int rc = two_cols ? value_text(c, res, r, 1, "table_name", &b, err) : ICE_OK;
    if (rc == ICE_OK) rc = cat_sql_push_name(out, a, b, err);
    ice_free(a);
    ice_free(b);
    if (rc != ICE_OK) return rc;
  }
  return ICE_OK;
}

static int pg_list(struct cat_catalog *c, const char *sql, const char *const *vals, int n,
                   int two_cols, struct cat_names *out, struct ice_error *err) {
  PGresult *res = NULL;
  ICE_TRY(run(c, sql, vals, n, "list", &res, NULL, err));
  struct cat_names got = {0};
  int rc = collect(c, res, two_cols, &got, err);
  PQclear(res);
  if (rc != ICE_OK) {
    cat_names_reset(&got);
    return rc;
  }
  cat_names_sort(&got);
  *out = got;
  return ICE_OK;
}

static int pg_list_tables(struct cat_catalog *c, const char *ns, struct cat_names *out,
                          struct ice_error *err) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name = "
           "$1%s%s",
           ns ? " AND table_namespace = $2" : "", type_filter(c));
  const char *vals[2] = {c->name, ns};
  return pg_list(c, sql, vals, ns ? 2 : 1, 1, out, err);
}

static int pg_list_namespaces(struct cat_catalog *c, struct cat_names *out,
                              struct ice_error *err) {
  const char *vals[1] = {c->name};
  return pg_list(
      c,
      "SELECT table_namespace FROM iceberg_tables WHERE catalog_name = $1 UNION "
      "SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = "
      "$1",
      vals, 1, 0, out, err);
}

static void pg_close(struct cat_catalog *c) {
  struct pg_priv *p = priv_of(c);
  if (p != NULL) {
    PQfinish(p->conn);
    ice_free(p->uri);
    ice_free(p->shown);
    ice_free(p);
  }
  ice_free(c->name);
  ice_free(c->warehouse);
  ice_free(c);
}

/* ---- statements of the shared SQL operations (cat_catalog.h, struct cat_sql_rows) ---- */

static int pg_begin(struct cat_catalog *c, struct ice_error *err) {
  PGresult *res = NULL;
  ICE_TRY(run(c, "BEGIN", NULL, 0, "begin", &res, NULL, err));
  PQclear(res);
  return ICE_OK;
}

/* Inside a transaction nothing reconnects: a broken connection ends it. */
static int pg_end(struct cat_catalog *c, int commit, struct ice_error *err) {
  PGresult *res = NULL;
  int lost = 0;
  int rc = exec_params(c, commit ? "COMMIT" : "ROLLBACK", NULL, 0,
                       commit ? "commit" : "rollback", &res, &lost, err);
  if (rc == ICE_OK) PQclear(res);
  return commit ? unknown_if_lost(rc, lost, err) : ICE_OK;
}

static int pg_has_type_column(struct cat_catalog *c) {
  return priv_of(c)->has_type_column;
}

static int pg_exec(struct cat_catalog *c, const char *sql, const char *const *vals, int n,
                   long *changed,
                   int (*row)(void *ud, const char *const *cols, int ncols,
                              struct ice_error *err),
                   void *ud, struct ice_error *err) {
  PGresult *res = NULL;
  *changed = 0;
  if (priv_of(c)->lost)
    ICE_FAIL(err, ICE_EIO, "postgresql catalog %s: connection lost", priv_of(c)->shown);
  ICE_TRY(exec_params(c, sql, vals, n, "execute", &res, NULL, err));
  *changed = strtol(PQcmdTuples(res), NULL, 10);
  int rc = ICE_OK;
  int rows = row != NULL ? PQntuples(res) : 0;
  int nc = PQnfields(res) > 8 ? 8 : PQnfields(res);
  for (int r = 0; rc == ICE_OK && r < rows; r++) {
    char *cols[8] = {0};
    for (int k = 0; rc == ICE_OK && k < nc; k++)
      if (!PQgetisnull(res, r, k)) rc = value_text(c, res, r, k, "column", &cols[k], err);
    if (rc == ICE_OK) rc = row(ud, (const char *const *)cols, nc, err);
    for (int k = 0; k < nc; k++) ice_free(cols[k]);
  }
  PQclear(res);
  return rc;
}

static const struct cat_catalog_vtable pg_vtable = {
    .load = cat_sql_load,
    .commit = cat_sql_commit,
    .register_table = pg_row_insert,
    .drop_table = pg_drop_table,
    .ensure_namespace = pg_ensure_namespace,
    .list_tables = pg_list_tables,
    .list_namespaces = pg_list_namespaces,
    .close = pg_close,
    .namespace_property = pg_namespace_property,
    .rename_table = cat_sql_rename_table,
    .drop_namespace = cat_sql_drop_namespace,
    .namespace_properties = cat_sql_namespace_properties,
    .update_namespace_properties = cat_sql_update_namespace_properties,
    .commit_tables = cat_sql_commit_tables,
};

static const struct cat_sql_rows pg_rows = {
    .location = pg_row_location,
    .insert = pg_row_insert,
    .swap = pg_row_swap,
    .begin = pg_begin,
    .has_type_column = pg_has_type_column,
    .end = pg_end,
    .exec = pg_exec,
};

/* Whether a column (or the table, column NULL) exists where unqualified names resolve. */
static int has_relation(struct cat_catalog *c, const char *table, const char *column,
                        int *yes, struct ice_error *err) {
  const char *vals[2] = {table, column};
  PGresult *res = NULL;
  ICE_TRY(run(c,
              column ? "SELECT 1 FROM information_schema.columns WHERE table_schema = "
                       "current_schema() AND table_name = $1 AND column_name = $2"
                     : "SELECT 1 FROM information_schema.tables WHERE table_schema = "
                       "current_schema() AND table_name = $1",
              vals, column ? 2 : 1, "reading the catalog's tables", &res, NULL, err));
  *yes = PQntuples(res) > 0;
  PQclear(res);
  return ICE_OK;
}

/* Creates the JDBC tables when missing (create = 1), in one transaction under an
 * advisory lock: concurrent CREATE TABLE IF NOT EXISTS of one name can fail in
 * PostgreSQL. A reader changes nothing; a database without the tables is not a
 * catalog. */
static int pg_init_schema(struct cat_catalog *c, int create, struct ice_error *err) {
  int yes = 0;
  ICE_TRY(has_relation(c, "iceberg_tables", NULL, &yes, err));
  if (!yes && create) {
    const char *steps[] = {"BEGIN", "SELECT pg_advisory_xact_lock(7316892451)",
                           cat_sql_create_tables, cat_sql_create_namespaces, "COMMIT"};
    int rc = ICE_OK;
    for (size_t i = 0; rc == ICE_OK && i < sizeof steps / sizeof steps[0]; i++) {
      PGresult *res = NULL;
      rc = run(c, steps[i], NULL, 0, "creating the catalog tables", &res, NULL, err);
      PQclear(res);
    }
    if (rc != ICE_OK) {
      PGresult *res = PQexec(priv_of(c)->conn, "ROLLBACK");
      PQclear(res);
      return rc;
    }
    yes = 1;
  }
  if (!yes)
    ICE_FAIL(err, ICE_ENOTFOUND,
             "postgresql catalog %s has no iceberg_tables table (nothing was loaded "
             "here?)",
             priv_of(c)->shown);
  return has_relation(c, "iceberg_tables", "iceberg_type", &priv_of(c)->has_type_column,
                      err);
}

/* connect_timeout, statement_timeout and application_name unless the URI sets them:
 * libpq lets later keywords override earlier ones, and the URI comes last. */
static int pg_connect(struct cat_catalog *c, const char *uri, long timeout_ms,
                      struct ice_error *err) {
  struct pg_priv *p = priv_of(c);
  char options[64];
  snprintf(options, sizeof options, "-c statement_timeout=%ld", timeout_ms);
  const char *keys[] = {"connect_timeout", "application_name", "options", "dbname", NULL};
  const char *vals[] = {"10", "icestream", options, uri, NULL};
  p->conn = PQconnectdbParams(keys, vals, 1);
  if (p->conn == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory connecting to catalog");
  if (PQstatus(p->conn) != CONNECTION_OK) {
    const char *m = PQerrorMessage(p->conn);
    int code = strstr(m, "authentication failed") || strstr(m, "no password supplied")
                   ? ICE_EAUTH
                   : ICE_EIO;
    return pg_fail(c, code, "cannot connect", m, err);
  }
  (void)PQsetNoticeProcessor(p->conn, ignore_notice, NULL);
  return remember_backend(c, err);
}

int cat_postgres_open(const char *uri, const char *name, const char *warehouse,
                      long timeout_ms, int create, struct cat_catalog **out,
                      struct ice_error *err) {
  struct pg_priv *p = ice_calloc(1, sizeof *p);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory opening catalog");
  struct cat_catalog *c = NULL;
  ICE_TRY(cat_sql_catalog_new(&pg_vtable, &pg_rows, p, name, warehouse, &c, err));
  p->wait_ms = timeout_ms > 0 ? timeout_ms : 30000;
  p->uri = ice_strdup(uri);
  int rc = cat_pg_uri_redact(uri, &p->shown, err);
  if (rc == ICE_OK && p->uri == NULL)
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory opening catalog");
  if (rc == ICE_OK) rc = pg_connect(c, uri, timeout_ms, err);
  if (rc == ICE_OK) rc = pg_init_schema(c, create, err);
  if (rc != ICE_OK) {
    pg_close(c);
    return rc;
  }
  *out = c;
  return ICE_OK;
}
