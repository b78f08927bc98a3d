/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal catalog interface. A catalog maps an identifier (namespace, name) to the
 * table's current metadata (its location and contents) and applies commits to it: a
 * list of requirements and a list of updates (iceberg/ib_update.h), so a REST client can
 * send them as they are while the SQL catalogs (SQLite and PostgreSQL: the same JDBC
 * tables) check, build, write the metadata file and compare-and-swap the row
 * themselves. Nothing above the catalog writes a metadata file.
 */
#ifndef ICE_CAT_CATALOG_H
#define ICE_CAT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/* A parsed identifier: namespace levels joined with '.', and the table name. */
struct cat_ident {
  char *ns;   /* "a.b" (owned) */
  char *name; /* "t" (owned) */
};

/* Splits "a.b.t" at the last '.'; validates every level (1..255 bytes, no control
 * characters). ICE_EINVAL with a message naming the identifier otherwise. */
int cat_ident_parse(const char *ident, struct cat_ident *out,
                    struct ice_error *err) ICE_NODISCARD;
/* Validates a namespace "a" or "a.b" the same way. */
int cat_namespace_validate(const char *ns, struct ice_error *err) ICE_NODISCARD;
/* Checks a namespace property change before anything is written: keys 1..255 bytes and
 * not the reserved marker "exists", values at most 1000 bytes, no key both removed and
 * set (updates: n_updates key, value pairs). ICE_EINVAL naming the key otherwise. */
int cat_namespace_properties_check(const char *const *removals, size_t n_removals,
                                   const char *const *updates, size_t n_updates,
                                   struct ice_error *err) ICE_NODISCARD;
void cat_ident_reset(struct cat_ident *id);

/* A growable list of owned strings. */
struct cat_names {
  char **items;
  size_t n;
  size_t cap;
};
int cat_names_push(struct cat_names *l, const char *s,
                   struct ice_error *err) ICE_NODISCARD;
void cat_names_sort(struct cat_names *l);
void cat_names_reset(struct cat_names *l);

struct cat_catalog;
struct ib_requirement;
struct ib_update;
struct ib_table_metadata;

/* One commit (reference/iceberg.md §8.4, the body of a REST CommitTableRequest): the
 * requirements the table must still meet and the updates to apply, in order. A create
 * is a commit whose requirements hold assert-create. base_location/base are the table
 * as the caller last read it (both NULL: none); a catalog may use base instead of
 * reading the file again while it still points at base_location (a metadata file
 * never changes), and may ignore them. All borrowed. */
struct cat_commit {
  const struct ib_requirement *reqs;
  size_t n_reqs;
  const struct ib_update *updates;
  size_t n_updates;
  const char *base_location;
  const struct ib_table_metadata *base;
};

struct cat_catalog_vtable {
  /* The table's current metadata location (*location, owned by the caller, ice_free)
   * and, when md is not NULL, its metadata (md initialized by the caller; replaced on
   * success). ICE_ENOTFOUND when there is no such table; a row whose file is missing is
   * ICE_EIO naming it (never "no such table"). */
  int (*load)(struct cat_catalog *c, const struct cat_ident *id, char **location,
              struct ib_table_metadata *md, struct ice_error *err);
  /* Applies a commit atomically: the requirements are checked against the table as it
   * is now, the updates applied (ib_metadata_build), the new metadata stored, and the
   * table's pointer moved to it. On success *location (owned) and md (initialized by
   * the caller, replaced) are the new state. Errors: ICE_ECONFLICT (a requirement no
   * longer holds, another writer won, or a lock could not be had: nothing changed,
   * reload and retry), ICE_EEXISTS (assert-create, and the table exists), ICE_ENOTFOUND
   * (no such table), ICE_EINVAL from the builder, ICE_ECOMMIT_UNKNOWN (the change may
   * or may not have happened: nothing the commit wrote is removed). After a definite
   * failure the catalog has removed what it wrote. */
  int (*commit)(struct cat_catalog *c, const struct cat_ident *id,
                const struct cat_commit *commit, char **location,
                struct ib_table_metadata *md, struct ice_error *err);
  /* Adds a table whose metadata file already exists at `location` (REST "register").
   * ICE_EEXISTS if the table exists. */
  int (*register_table)(struct cat_catalog *c, const struct cat_ident *id,
                        const char *location, struct ice_error *err);
  int (*drop_table)(struct cat_catalog *c, const struct cat_ident *id,
                    struct ice_error *err);
  /* Creates the namespace if it does not exist (idempotent). */
  int (*ensure_namespace)(struct cat_catalog *c, const char *ns, struct ice_error *err);
  /* Full identifiers "ns.name" of the tables in ns (NULL = all). */
  int (*list_tables)(struct cat_catalog *c, const char *ns, struct cat_names *out,
                     struct ice_error *err);
  int (*list_namespaces)(struct cat_catalog *c, struct cat_names *out,
                         struct ice_error *err);
  void (*close)(struct cat_catalog *c);
  /* Value of property `key` of namespace ns (owned), or *value = NULL when the
   * namespace does not have it. */
  int (*namespace_property)(struct cat_catalog *c, const char *ns, const char *key,
                            char **value, struct ice_error *err);
  /* Renames table `from` to `to` in one step: only the identifier changes, the table's
   * location and files stay. ICE_ENOTFOUND when `from` does not exist or to->ns is no
   * namespace (the message says which: "table ..." / "namespace ..."), ICE_EEXISTS when
   * `to` exists (or equals `from`). */
  int (*rename_table)(struct cat_catalog *c, const struct cat_ident *from,
                      const struct cat_ident *to, struct ice_error *err);
  /* Drops namespace ns (its property rows). ICE_ENOTFOUND when there is no such
   * namespace, ICE_ECONFLICT when it still holds a table or a namespace. */
  int (*drop_namespace)(struct cat_catalog *c, const char *ns, struct ice_error *err);
  /* Every property of namespace ns as out->items[2i] = key, [2i+1] = value, sorted by
   * key; the JDBC marker "exists" is not one. ICE_ENOTFOUND. */
  int (*namespace_properties)(struct cat_catalog *c, const char *ns, struct cat_names *out,
                              struct ice_error *err);
  /* Removes the keys of removals[0..n_removals) and sets the key/value pairs of
   * updates[0..2*n_updates) of namespace ns, all or nothing. Keys removed are pushed to
   * *removed, keys that were not there to *missing. A key in both lists, or the key
   * "exists", is ICE_EINVAL; ICE_ENOTFOUND when there is no such namespace. */
  int (*update_namespace_properties)(struct cat_catalog *c, const char *ns,
                                     const char *const *removals, size_t n_removals,
                                     const char *const *updates, size_t n_updates,
                                     struct cat_names *removed, struct cat_names *missing,
                                     struct ice_error *err);
  /* Optional (NULL: nothing to do). Before the data files of a table that does not
   * exist yet are written: stages the create (its assert-create commit) without
   * storing anything, so a catalog that vends storage settings for the new table (REST
   * stage-create answered with config / storage-credentials) sets them on c->io first.
   * It may create the table's namespace (as the commit would); the commit still
   * creates the table. Errors as commit's. */
  int (*stage_create)(struct cat_catalog *c, const struct cat_ident *id,
                      const struct cat_commit *create, struct ice_error *err);
  /* Optional (NULL: not supported). Applies n commits to n different tables all or
   * nothing (REST CommitTransactionRequest): each is checked and built as commit
   * does, then every row is swapped (or inserted) in one catalog transaction.
   * Errors as commit's, for the first table that fails; ICE_EINVAL for a table named
   * twice. */
  int (*commit_tables)(struct cat_catalog *c, size_t n, const struct cat_ident *ids,
                       const struct cat_commit *commits, struct ice_error *err);
};

/* The row operations of a SQL catalog (the JDBC iceberg_tables row of a table), under
 * the load and commit they share (cat_sql_commit.c). They know nothing of metadata
 * contents. */
struct cat_sql_rows {
  /* The row's metadata_location (owned). ICE_ENOTFOUND. */
  int (*location)(struct cat_catalog *c, const struct cat_ident *id, char **location,
                  struct ice_error *err);
  /* Inserts a row pointing at `location`. ICE_EEXISTS if the table exists;
   * ICE_ECONFLICT when the lock could not be had (nothing changed). */
  int (*insert)(struct cat_catalog *c, const struct cat_ident *id, const char *location,
                struct ice_error *err);
  /* Swaps old_location -> new_location. ICE_ECONFLICT when the row no longer points at
   * old_location (or the table vanished) or the lock could not be had; nothing changed.
   * ICE_ECOMMIT_UNKNOWN when the swap may or may not have happened. */
  int (*swap)(struct cat_catalog *c, const struct cat_ident *id, const char *old_location,
              const char *new_location, struct ice_error *err);
  /* A transaction around several statements (cat_sql_namespace.c, cat_sql_rename.c):
   * begin takes the write lock (ICE_ECONFLICT when it cannot be had), end commits
   * (commit != 0; ICE_ECOMMIT_UNKNOWN when that may or may not have happened) or rolls
   * back. */
  int (*begin)(struct cat_catalog *c, struct ice_error *err);
  /* Whether iceberg_tables has the iceberg_type column (cat_sql_type_filter). */
  int (*has_type_column)(struct cat_catalog *c);
  int (*end)(struct cat_catalog *c, int commit, struct ice_error *err);
  /* Runs one statement (parameters $1..$n, text) inside the transaction: *changed =
   * rows it changed; each row it returns goes to row(ud, cols, ncols) (a NULL column
   * is NULL; values checked as the catalog checks its other columns), when row is not
   * NULL. A unique violation is ICE_EEXISTS. */
  int (*exec)(struct cat_catalog *c, const char *sql, const char *const *vals, int n,
              long *changed, int (*row)(void *ud, const char *const *cols, int ncols,
                                        struct ice_error *err),
              void *ud, struct ice_error *err);
};

/* The namespace and rename operations of every SQL catalog over c->rows
 * (cat_sql_namespace.c, cat_sql_rename.c): see the vtable entries of the same names. */
int cat_sql_rename_table(struct cat_catalog *c, const struct cat_ident *from,
                         const struct cat_ident *to, struct ice_error *err) ICE_NODISCARD;
int cat_sql_drop_namespace(struct cat_catalog *c, const char *ns,
                           struct ice_error *err) ICE_NODISCARD;
int cat_sql_namespace_properties(struct cat_catalog *c, const char *ns,
                                 struct cat_names *out, struct ice_error *err) ICE_NODISCARD;
int cat_sql_update_namespace_properties(struct cat_catalog *c, const char *ns,
                                        const char *const *removals, size_t n_removals,
                                        const char *const *updates, size_t n_updates,
                                        struct cat_names *removed,
                                        struct cat_names *missing,
                                        struct ice_error *err) ICE_NODISCARD;
/* The SQL condition "namespace $ns_param exists in catalog $1" (a property row of it or
 * of a namespace below it, or a table in either), where $prefix_param holds the
 * namespace followed by '.'. ICE_ELIMIT when buf is too small. */
int cat_sql_namespace_exists_cond(char *buf, size_t n, int ns_param, int prefix_param,
                                  struct ice_error *err) ICE_NODISCARD;

/* The load and commit of every SQL catalog over c->rows: commit = read the base (none
 * for assert-create), check, build, write the new metadata file through c->io (its
 * name and folder as ib_write_paths_metadata_file says; a create's file preceded by
 * its creation marker), then insert or swap; an unknown outcome is resolved by reading
 * the row back when it can be. */
int cat_sql_load(struct cat_catalog *c, const struct cat_ident *id, char **location,
                 struct ib_table_metadata *md, struct ice_error *err) ICE_NODISCARD;
int cat_sql_commit(struct cat_catalog *c, const struct cat_ident *id,
                   const struct cat_commit *commit, char **location,
                   struct ib_table_metadata *md, struct ice_error *err) ICE_NODISCARD;
/* The commit_tables of every SQL catalog (cat_sql_transaction.c). */
int cat_sql_commit_tables(struct cat_catalog *c, size_t n, const struct cat_ident *ids,
                          const struct cat_commit *commits,
                          struct ice_error *err) ICE_NODISCARD;
/* One table's part of a commit before its row changes (cat_sql_commit.c): the base
 * read (*base_location NULL for a create), the requirements checked, the new metadata
 * built and written (*uri, and *marker for a create; owned). On failure nothing is
 * left written. */
int cat_sql_commit_prepare(struct cat_catalog *c, const struct cat_ident *id,
                           const struct cat_commit *cc, char **base_location, char **uri,
                           char **marker, struct ice_error *err) ICE_NODISCARD;

/* The JDBC tables in Java's V1 layout (cat_sql_schema.c): valid DDL for every SQL
 * catalog. */
extern const char cat_sql_create_tables[];
extern const char cat_sql_create_namespaces[];
/* The WHERE suffix that keeps iceberg_tables rows to tables ("" without the column). */
const char *cat_sql_type_filter(int has_type_column);
/* A new SQL catalog of vt and rows over priv (freed here on failure, whose fields must
 * still be empty), with copies of name and warehouse. */
int cat_sql_catalog_new(const struct cat_catalog_vtable *vt, const struct cat_sql_rows *rows,
                        void *priv, const char *name, const char *warehouse,
                        struct cat_catalog **out, struct ice_error *err) ICE_NODISCARD;
/* Pushes a listed row's name: "ns", or "ns.name" when name is not NULL. */
int cat_sql_push_name(struct cat_names *out, const char *ns, const char *name,
                      struct ice_error *err) ICE_NODISCARD;

struct io_fileio;

struct cat_catalog {
  const struct cat_catalog_vtable *vt;
  char *name;      /* catalog_name column value (owned) */
  char *warehouse; /* absolute warehouse directory, no trailing '/' (owned) */
  /* Storage of the catalog's tables (owned; io_fileio.h): created by cat_open with the
   * warehouse as its write root; location map and other roots are added by the opener. */
  struct io_fileio *io;
  const struct cat_sql_rows *rows; /* SQL catalogs only (NULL otherwise) */
  void *priv;
};

/* Opens the catalog named by `uri` ("sqlite:PATH", "postgresql://..."; NULL =
 * sqlite:<warehouse>/catalog.db). `warehouse` is created if missing and made absolute.
 * busy_timeout_ms: SQLite's lock wait, PostgreSQL's statement timeout. */
int cat_open(const char *uri, const char *warehouse, const char *name,
             long busy_timeout_ms, struct cat_catalog **out,
             struct ice_error *err) ICE_NODISCARD;
/* The same for readers: creates nothing (no directory, no file, no table). A missing
 * warehouse or catalog file is ICE_ENOTFOUND naming it. */
int cat_open_existing(const char *uri, const char *warehouse, const char *name,
                      long busy_timeout_ms, struct cat_catalog **out,
                      struct ice_error *err) ICE_NODISCARD;
/* The SQLite file a catalog URI names (owned by the caller), parsed as SQLAlchemy does:
 * sqlite:///rel.db relative, sqlite:////abs.db absolute; sqlite:PATH and
 * jdbc:sqlite:PATH are PATH. A URI that names no file (sqlite::memory:, sqlite://,
 * file::memory:, mode=memory, an empty path), a host part, SQLite URI filenames and
 * query parameters are ICE_EINVAL naming the URI. */
int cat_sqlite_uri_path(const char *uri, char **path,
                        struct ice_error *err) ICE_NODISCARD;
/* Opens (create: and creates, with its tables) the SQLite catalog file at path. */
int cat_sqlite_open(const char *path, const char *name, const char *warehouse,
                    long busy_timeout_ms, int create, struct cat_catalog **out,
                    struct ice_error *err) ICE_NODISCARD;
/* Whether uri names a PostgreSQL catalog (postgresql:// or postgres://, libpq's URI
 * syntax: user, password, host, port, database and query parameters such as
 * ?host=/socket/dir). */
int cat_pg_uri_is(const char *uri);
/* The URI with any password (user part or password= parameter) replaced by "***"
 * (owned by the caller): the only form of it that messages may show. */
int cat_pg_uri_redact(const char *uri, char **out, struct ice_error *err) ICE_NODISCARD;
/* Masks, in place, every occurrence in text (a message from libpq or the server) of a
 * password the URI or PGPASSWORD holds: libpq may quote a malformed URI's parts. */
void cat_pg_uri_scrub(const char *uri, char *text);
/* Connects to the PostgreSQL catalog at uri (create: and creates its tables when
 * missing). timeout_ms bounds each statement (statement_timeout, unless the URI's
 * options set it) and the wait for a lost session to end. */
int cat_postgres_open(const char *uri, const char *name, const char *warehouse,
                      long timeout_ms, int create, struct cat_catalog **out,
                      struct ice_error *err) ICE_NODISCARD;
void cat_close(struct cat_catalog *c);

/* Default table location: "<warehouse>/<ns1>/<ns2>/<name>" (a local absolute path;
 * owned by the caller). */
int cat_default_location(const struct cat_catalog *c, const struct cat_ident *id,
                         char **out, struct ice_error *err) ICE_NODISCARD;

#endif
