/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Catalog selection by URI ("sqlite:PATH", "postgresql://..."; http(s):// is
 * reserved) and the warehouse rules shared by every back end: the warehouse directory
 * is created and made absolute, and a new table lives at <warehouse>/<ns1>/.../<name>
 * (Java JdbcCatalog's default layout).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/cat_catalog.h"
#include "iceberg/ib_location.h"
#include "io/io.h"
#include "io/io_fileio.h"
#include "io/io_s3.h"
#include "util/alloc.h"
#include "util/limits.h"

/* mkdir -p of the directory itself when `create`, then realpath so locations are
 * absolute. */
static int absolute_dir(const char *dir, int create, char **out, struct ice_error *err) {
  size_t n = strlen(dir);
  if (n == 0) ICE_FAIL(err, ICE_EINVAL, "warehouse directory is empty");
  if (n >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_EINVAL, "warehouse path is too long");
  /* Refused before anything is created: tables there could not be named by a URI. */
  ICE_TRY(ib_location_check_path_chars("warehouse", dir, err));
  if (dir[0] != '/') {
    char cwd[ICE_LIMIT_LOCATION_BYTES];
    if (getcwd(cwd, sizeof cwd) == NULL)
      ICE_FAIL(err, ICE_EIO, "cannot determine the current directory");
    ICE_TRY(ib_location_check_path_chars("warehouse (current directory)", cwd, err));
  }
  char probe[ICE_LIMIT_LOCATION_BYTES + 8];
  snprintf(probe, sizeof probe, "%s/x", dir);
  if (create) ICE_TRY(io_local_mkdirs_for(probe, err));
  char resolved[PATH_MAX];
  if (realpath(dir, resolved) == NULL) {
    int e = errno;
    if (e == ENOENT && !create)
      ICE_FAIL(err, ICE_ENOTFOUND, "warehouse %s does not exist", dir);
    int rc = ice_error_set(err, ICE_EIO, "warehouse %s: %s", dir, strerror(e));
    if (err) err->detail = e;
    return rc;
  }
  ICE_TRY(ib_location_check_path_chars("warehouse", resolved, err));
  struct stat sb;
  if (stat(resolved, &sb) != 0 || !S_ISDIR(sb.st_mode))
    ICE_FAIL(err, ICE_EINVAL, "warehouse %s is not a directory", dir);
  char *s = ice_strdup(resolved);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *out = s;
  return ICE_OK;
}

/* An s3:// (s3a://) warehouse: kept as written without a trailing '/', checked like
 * any location; nothing is created (a prefix needs no folder). Its catalog file cannot
 * live in it: the catalog (an SQLite file elsewhere, or PostgreSQL) must be named. */
static int object_store_warehouse(const char *dir, int catalog_named, char **out,
                                  struct ice_error *err) {
  if (!catalog_named)
    ICE_FAIL(err, ICE_EINVAL,
             "warehouse %.300s is in object storage: give the catalog too "
             "(--catalog sqlite:PATH or postgresql://..., catalog property uri)",
             dir);
  size_t n = strlen(dir);
  while (n > 0 && dir[n - 1] == '/') n--;
  if (n >= ICE_LIMIT_LOCATION_BYTES) ICE_FAIL(err, ICE_EINVAL, "warehouse is too long");
  char *s = ice_strndup(dir, n);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  char *bucket = NULL, *key = NULL;
  int rc = io_s3_split(s, &bucket, &key, err);
  if (rc == ICE_OK) rc = ib_location_check_path_chars("warehouse", key, err);
  if (rc == ICE_OK && key[0] != '\0') rc = io_s3_check_write_key(bucket, key, err);
  ice_free(bucket);
  ice_free(key);
  if (rc != ICE_OK) {
    ice_free(s);
    return rc;
  }
  *out = s;
  return ICE_OK;
}

/* The SQLite file of the catalog, decided before anything is created. */
static int catalog_file(const char *uri, char **path, struct ice_error *err) {
  if (uri == NULL) {
    *path = NULL; /* <warehouse>/catalog.db, once the warehouse is known */
    return ICE_OK;
  }
  if (strncmp(uri, "sqlite:", 7) == 0 || strncmp(uri, "jdbc:sqlite:", 12) == 0)
    return cat_sqlite_uri_path(uri, path, err);
  if (strncmp(uri, "http://", 7) == 0 || strncmp(uri, "https://", 8) == 0)
    ICE_FAIL(err, ICE_EUNSUPPORTED,
             "catalog %s: a REST catalog is opened by ice_catalog_open, not as a SQL "
             "catalog; here use sqlite:PATH or postgresql://",
             uri);
  ICE_FAIL(err, ICE_EINVAL,
           "catalog URI '%s' not understood (expected sqlite:PATH or postgresql://...)",
           uri);
}

/* The tables' storage; the warehouse is always a write root (a reader's warehouse that
 * does not exist is only a name, and readers write nothing). */
static int open_fileio(struct cat_catalog *c, struct ice_error *err) {
  int rc = io_fileio_new(&c->io, err);
  if (rc == ICE_OK && (c->warehouse[0] == '/' || io_s3_is_location(c->warehouse)))
    rc = io_fileio_allow(c->io, c->warehouse, err);
  if (rc != ICE_OK) {
    cat_close(c);
    return rc;
  }
  return ICE_OK;
}

static int open_catalog(const char *uri, const char *warehouse, const char *name,
                        long busy_timeout_ms, int create, struct cat_catalog **out,
                        struct ice_error *err) {
  if (name == NULL || name[0] == '\0' || strlen(name) > 255)
    ICE_FAIL(err, ICE_EINVAL, "catalog name must be 1..255 bytes");
  char *path = NULL, *wh = NULL;
  int pg = cat_pg_uri_is(uri);
  if (!pg) ICE_TRY(catalog_file(uri, &path, err));
  const char *dir = warehouse ? warehouse : "./warehouse";
  int rc = io_s3_is_location(dir)
               ? object_store_warehouse(dir, path != NULL || pg, &wh, err)
               : absolute_dir(dir, create, &wh, err);
  /* A reader of a catalog named by URI never uses the warehouse: it need not exist. */
  if (rc == ICE_ENOTFOUND && !create && (path != NULL || pg)) {
    wh = ice_strdup(dir);
    rc = wh ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  if (rc == ICE_OK && pg) {
    rc = cat_postgres_open(uri, name, wh, busy_timeout_ms, create, out, err);
  } else if (rc == ICE_OK && path == NULL) {
    size_t n = strlen(wh) + sizeof "/catalog.db";
    path = ice_malloc(n);
    if (path == NULL)
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
    else
      snprintf(path, n, "%s/catalog.db", wh);
  }
  if (rc == ICE_OK && !pg)
    rc = cat_sqlite_open(path, name, wh, busy_timeout_ms, create, out, err);
  ice_free(path);
  ice_free(wh);
  if (rc == ICE_OK && (rc = open_fileio(*out, err)) != ICE_OK) *out = NULL;
  return rc;
}

int cat_open(const char *uri, const char *warehouse, const char *name,
             long busy_timeout_ms, struct cat_catalog **out, struct ice_error *err) {
  return open_catalog(uri, warehouse, name, busy_timeout_ms, 1, out, err);
}

int cat_open_existing(const char *uri, const char *warehouse, const char *name,
                      long busy_timeout_ms, struct cat_catalog **out,
                      struct ice_error *err) {
  return open_catalog(uri, warehouse, name, busy_timeout_ms, 0, out, err);
}

void cat_close(struct cat_catalog *c) {
  if (c == NULL) return;
  io_fileio_free(c->io);
  c->io = NULL;
  c->vt->close(c);
}

int cat_default_location(const struct cat_catalog *c, const struct cat_ident *id,
                         char **out, struct ice_error *err) {
  ICE_TRY(ib_location_check_path_chars("namespace", id->ns, err));
  ICE_TRY(ib_location_check_path_chars("table name", id->name, err));
  size_t n = strlen(c->warehouse) + strlen(id->ns) + strlen(id->name) + 3;
  if (n > ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, "table location for %s.%s is too long", id->ns, id->name);
  char *s = ice_malloc(n);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  snprintf(s, n, "%s/%s/%s", c->warehouse, id->ns, id->name);
  /* Namespace levels become directories (table names never contain '.'). */
  for (char *p = s + strlen(c->warehouse) + 1; *p; p++)
    if (*p == '.') *p = '/';
  *out = s;
  return ICE_OK;
}
