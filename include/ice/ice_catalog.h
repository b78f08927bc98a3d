/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Public catalog API: open a catalog (today an SQLite file with the same tables as
 * pyiceberg's SqlCatalog and Java's JdbcCatalog), manage namespaces, list tables and
 * register existing tables. Tables themselves are opened through ice_table.h.
 *
 * Identifiers are dotted: "ns.table", nested namespaces "a.b.table". Namespace levels
 * cannot contain '.'; every level and the table name are 1..255 bytes.
 */
#ifndef ICE_CATALOG_H
#define ICE_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "ice/ice_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One open catalog connection. Opaque; not thread-safe (one handle per thread). */
typedef struct ice_catalog ice_catalog;

/** Opens a catalog.
 *
 *  `props` is a NULL-terminated array of key, value, key, value, ..., NULL using
 *  Iceberg's own property names; NULL means all defaults:
 *  - "uri": "sqlite:PATH" (an SQLite file, created if missing), or as SQLAlchemy
 *    writes it, "sqlite:///relative.db" / "sqlite:////absolute.db", or JDBC's
 *    "jdbc:sqlite:PATH". Default:
 *    "sqlite:<warehouse>/catalog.db". A URI that names no file (sqlite::memory:,
 *    sqlite://, file::memory:, mode=memory, an empty path) is ICE_EINVAL: such a
 *    catalog would lose every commit. "postgresql://..." or "postgres://..." (a libpq
 *    connection URI, e.g. postgresql://user@host:5432/db or
 *    postgresql://user@/db?host=/socket/dir) is a PostgreSQL database with the same
 *    tables; a password in it never appears in error messages. "http(s)://..." is an
 *    Iceberg REST catalog (docs/rest-catalog.md).
 *  - "warehouse": directory under which new tables get their location
 *    (<warehouse>/<ns1>/<ns2>/<table>); created if missing. Default "./warehouse".
 *    An "s3://bucket/prefix" (or s3a://) warehouse puts tables in S3-compatible
 *    storage; nothing is created for it, and "uri" must then name the catalog file
 *    (ICE_EINVAL otherwise).
 *  - "name": catalog name stored in every row (column catalog_name). Default "default".
 *  - "create": "true" (default) creates the warehouse directory, the catalog file and
 *    its tables when missing; "false" creates nothing (for readers): a missing
 *    warehouse or catalog file is ICE_ENOTFOUND naming it.
 *  - "sqlite.busy-timeout-ms": how long to wait for another process's lock (default
 *    30000).
 *  - "postgresql.statement-timeout-ms": PostgreSQL's statement_timeout, which bounds
 *    the wait for a row lock held by a concurrent commit (default 30000).
 *  - "allow-location": a local directory or file: location (repeatable) under which
 *    tables may be written besides the warehouse. A table whose location lies outside
 *    the warehouse and every allowed root can be read, but a load into it fails with
 *    ICE_EAUTH naming the location; nothing is ever written there. Containment is
 *    lexical ('..' and '.' resolved, symbolic links not followed).
 *  - "location-map": "PREFIX=DIR" (repeatable; DIR absolute): every table file whose
 *    location starts with PREFIX (say a table copied from s3a://bucket/t) is read and
 *    written at DIR followed by the rest of the location, literally; the first
 *    matching entry wins; PREFIX ends at the first "=/". Writes there still need DIR
 *    under the warehouse or an allow-location. A value that is not PREFIX=DIR with a
 *    non-empty PREFIX and an absolute DIR is ICE_EINVAL (message "location-map
 *    entry ..."). Without this property the environment variable
 *    ICESTREAM_LOCATION_MAP ("PREFIX=DIR[;PREFIX=DIR...]") is used, if set. Locations
 *    that no entry maps and are neither local nor s3://, s3a:// (gs://, ...) fail
 *    with ICE_EUNSUPPORTED naming the scheme when a file there is read or written.
 *  - Storage of s3:// and s3a:// locations (pyiceberg's names; docs/storage-s3.md):
 *    "s3.endpoint" (http(s)://host[:port]), "s3.region" or "client.region",
 *    "s3.access-key-id", "s3.secret-access-key", "s3.session-token",
 *    "s3.path-style-access" (true/false), "s3.multipart.part-size" (bytes, 5 MiB to
 *    1 GiB), "s3.max-attempts" (1..20). What they leave unset comes from
 *    AWS_ENDPOINT_URL, AWS_REGION / AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID,
 *    AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN at the first S3 request. Secrets
 *    never appear in error messages. A malformed value is ICE_EINVAL naming the key.
 *  Unknown keys fail with ICE_EINVAL (they are never silently ignored).
 *
 *  All strings are copied. On success *out owns the connection; free it with
 *  ice_catalog_close(). Errors: ICE_EINVAL, ICE_EUNSUPPORTED, ICE_ENOTFOUND (create
 *  false), ICE_EIO (cannot open or create the file or directory), ICE_ECORRUPT (file is
 *  not an SQLite database). */
ICE_API int ice_catalog_open(const char *const *props, ice_catalog **out,
                             struct ice_error *err);

/** Closes the connection. NULL is fine. Tables loaded from it must be freed first. */
ICE_API void ice_catalog_close(ice_catalog *cat);

/** Creates namespace `ns` ("a" or "a.b") if it does not exist (idempotent; like
 *  pyiceberg it stores the property exists=true). Errors: ICE_EINVAL (bad name),
 *  ICE_EIO. */
ICE_API int ice_catalog_ensure_namespace(ice_catalog *cat, const char *ns,
                                         struct ice_error *err);

/** Creates namespace `ns` if it does not exist and sets the key, value pairs of the
 *  NULL-terminated `properties` (may be NULL). The properties are checked first (as
 *  ice_catalog_update_namespace_properties checks them), so a refused one creates
 *  nothing. Errors: ICE_EINVAL, ICE_EIO. */
ICE_API int ice_catalog_create_namespace(ice_catalog *cat, const char *ns,
                                         const char *const *properties,
                                         struct ice_error *err);

/** A list of strings returned by the library; free with ice_string_list_free(). */
struct ice_string_list {
  char **items; /**< owned, each NUL-terminated */
  size_t n;
};

/** Frees the items and resets the list to empty. Idempotent; NULL is fine. */
ICE_API void ice_string_list_free(struct ice_string_list *list);

/** Lists the tables of namespace `ns` (exact level match) as full identifiers
 *  "ns.table", sorted; `ns` NULL lists every table of the catalog. On success *out
 *  owns the strings. Errors: ICE_EINVAL, ICE_EIO, ICE_ECORRUPT (unreadable row). */
ICE_API int ice_catalog_list_tables(ice_catalog *cat, const char *ns,
                                    struct ice_string_list *out, struct ice_error *err);

/** Lists every namespace known to the catalog (from tables and namespace
 *  properties), sorted. */
ICE_API int ice_catalog_list_namespaces(ice_catalog *cat, struct ice_string_list *out,
                                        struct ice_error *err);

/** Registers an existing table whose current metadata file is `metadata_location` (a
 *  URI such as file:/..., or a local path, which is made absolute and stored as the
 *  file: URI Java and pyiceberg write) under `ident`; its namespace is created if
 *  needed. The metadata file is read and validated first. This is how a table written
 *  without this catalog (dlt's in-memory catalog, a dropped row) is adopted: creating a
 *  table where *.metadata.json files already are is refused (ICE_EEXISTS). Errors:
 *  ICE_EEXISTS, ICE_ENOTFOUND (no such metadata file), ICE_ECORRUPT, ICE_EINVAL,
 *  ICE_EIO. */
ICE_API int ice_catalog_register_table(ice_catalog *cat, const char *ident,
                                       const char *metadata_location,
                                       struct ice_error *err);

/** Removes `ident` from the catalog (files are left in place). Errors: ICE_ENOTFOUND,
 *  ICE_EINVAL, ICE_EIO. */
ICE_API int ice_catalog_drop_table(ice_catalog *cat, const char *ident,
                                   struct ice_error *err);

/** Removes `ident` from the catalog, then deletes every file under the table's location
 *  (its metadata, manifests and data files there) through the catalog's storage; files
 *  the table keeps elsewhere (write.metadata.path, write.data.path outside the
 *  location) are left, and nothing outside the location is ever deleted. Refused before
 *  anything changes when the location is outside the warehouse and every allowed root
 *  (ICE_EAUTH), or when it is or contains the warehouse or another table's location
 *  (ICE_EEXISTS). Errors: ICE_ENOTFOUND, ICE_EAUTH, ICE_EEXISTS, ICE_EINVAL, ICE_EIO (a
 *  file that could not be deleted, named; the table is already dropped). */
ICE_API int ice_catalog_purge_table(ice_catalog *cat, const char *ident,
                                    struct ice_error *err);

/** Renames table `from` to `to` ("ns.table" each) in one catalog step: only its
 *  identifier changes, its location and files stay. The destination namespace must
 *  exist. Errors: ICE_ENOTFOUND (no table `from`, or no namespace for `to`; the message
 *  says which), ICE_EEXISTS (`to` exists), ICE_EINVAL, ICE_EIO. */
ICE_API int ice_catalog_rename_table(ice_catalog *cat, const char *from, const char *to,
                                     struct ice_error *err);

/** Drops namespace `ns` ("a" or "a.b"). Errors: ICE_ENOTFOUND, ICE_ECONFLICT (it still
 *  holds a table or a namespace), ICE_EINVAL, ICE_EIO. */
ICE_API int ice_catalog_drop_namespace(ice_catalog *cat, const char *ns,
                                       struct ice_error *err);

/** The properties of namespace `ns` as key, value, key, value, ... in out->items
 *  (out->n is twice their number), sorted by key. Errors: ICE_ENOTFOUND, ICE_EINVAL,
 *  ICE_EIO. */
ICE_API int ice_catalog_namespace_properties(ice_catalog *cat, const char *ns,
                                             struct ice_string_list *out,
                                             struct ice_error *err);

/** Changes namespace `ns`'s properties in one step: removes the keys of the
 *  NULL-terminated `removals`, then sets the key, value pairs of the NULL-terminated
 *  `updates` (either may be NULL). `removed` receives the keys that were removed and
 *  `missing` those that were not set (either may be NULL when not wanted). A key in both
 *  lists, or the reserved key "exists", is ICE_EINVAL. Errors: ICE_ENOTFOUND,
 *  ICE_EINVAL, ICE_EIO. */
ICE_API int ice_catalog_update_namespace_properties(ice_catalog *cat, const char *ns,
                                                    const char *const *removals,
                                                    const char *const *updates,
                                                    struct ice_string_list *removed,
                                                    struct ice_string_list *missing,
                                                    struct ice_error *err);

#ifdef __cplusplus
}
#endif
#endif /* ICE_CATALOG_H */
