/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal catalog interface. A catalog maps an identifier (namespace, name) to the
 * location of the table's current metadata file and swaps that pointer atomically
 * (compare-and-swap on the old location). It knows nothing about metadata contents, so
 * SQLite, PostgreSQL (same JDBC tables) and later a REST client sit behind one vtable.
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
struct cat_catalog_vtable {
  /* Current metadata location of ns.name (owned by caller, ice_free). ICE_ENOTFOUND. */
  int (*load_table)(struct cat_catalog *c, const struct cat_ident *id, char **location,
                    struct ice_error *err);
  /* Inserts a new row pointing at `location`. ICE_EEXISTS if the table exists. */
  int (*create_table)(struct cat_catalog *c, const struct cat_ident *id,
                      const char *location, struct ice_error *err);
  /* Swaps old_location -> new_location. ICE_ECONFLICT when the row no longer points at
   * old_location (or the table vanished) or the lock could not be had; nothing changed.
   * ICE_ECOMMIT_UNKNOWN when the swap may or may not have happened. */
  int (*commit_table)(struct cat_catalog *c, const struct cat_ident *id,
                      const char *old_location, const char *new_location,
                      struct ice_error *err);
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
};

struct io_fileio;

struct cat_catalog {
  const struct cat_catalog_vtable *vt;
  char *name;      /* catalog_name column value (owned) */
  char *warehouse; /* absolute warehouse directory, no trailing '/' (owned) */
  /* Storage of the catalog's tables (owned; io_fileio.h): created by cat_open with the
   * warehouse as its write root; location map and other roots are added by the opener. */
  struct io_fileio *io;
  void *priv;
};

/* Opens the catalog named by `uri` ("sqlite:PATH"; NULL = sqlite:<warehouse>/catalog.db).
 * `warehouse` is created if missing and made absolute. */
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
void cat_close(struct cat_catalog *c);

/* Default table location: "<warehouse>/<ns1>/<ns2>/<name>" (a local absolute path;
 * owned by the caller). */
int cat_default_location(const struct cat_catalog *c, const struct cat_ident *id,
                         char **out, struct ice_error *err) ICE_NODISCARD;

#endif
