/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multi-table commits of the SQL catalogs (REST POST /v1/{prefix}/transactions/commit).
 * Every table's commit is prepared as a single commit is (base read, requirements
 * checked, metadata built and written; cat_sql_commit_prepare), then all rows move in
 * one catalog transaction: each UPDATE is the same compare-and-swap on
 * metadata_location, each create an INSERT, so another writer that got in between
 * makes the whole transaction roll back. Files are removed after a definite failure
 * only; an unknown COMMIT is resolved by reading the first row back (the rows move
 * together).
 */
#include <stdio.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "io/io_fileio.h"
#include "util/alloc.h"

#define CAT_MAX_TABLES_PER_TRANSACTION 100

struct prepared {
  char *base; /* NULL: a create */
  char *uri;
  char *marker;
};

static int swap_rows(struct cat_catalog *c, size_t n, const struct cat_ident *ids,
                     const struct prepared *p, struct ice_error *err) {
  const char *types = cat_sql_type_filter(c->rows->has_type_column(c));
  char swap[512];
  snprintf(swap, sizeof swap,
           "UPDATE iceberg_tables SET metadata_location = $1, previous_metadata_location = "
           "$2 WHERE catalog_name = $3 AND table_namespace = $4 AND table_name = $5 AND "
           "metadata_location = $2%s",
           types);
  const char *insert =
      c->rows->has_type_column(c)
          ? "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
            "metadata_location, previous_metadata_location, iceberg_type) VALUES ($1, $2, "
            "$3, $4, NULL, 'TABLE')"
          : "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
            "metadata_location, previous_metadata_location) VALUES ($1, $2, $3, $4, NULL)";
  for (size_t i = 0; i < n; i++) {
    long changed = 0;
    int rc;
    if (p[i].base == NULL) {
      const char *vals[4] = {c->name, ids[i].ns, ids[i].name, p[i].uri};
      rc = c->rows->exec(c, insert, vals, 4, &changed, NULL, NULL, err);
      if (rc == ICE_EEXISTS)
        ICE_FAIL(err, ICE_EEXISTS, "table %s.%s already exists", ids[i].ns, ids[i].name);
    } else {
      const char *vals[5] = {p[i].uri, p[i].base, c->name, ids[i].ns, ids[i].name};
      rc = c->rows->exec(c, swap, vals, 5, &changed, NULL, NULL, err);
      if (rc == ICE_OK && changed != 1)
        ICE_FAIL(err, ICE_ECONFLICT,
                 "table %s.%s was changed by another writer (metadata is no longer %s)",
                 ids[i].ns, ids[i].name, p[i].base);
    }
    ICE_TRY(rc);
  }
  return ICE_OK;
}

/* After an unknown COMMIT: the first row shows whether the rows moved. */
static int resolve(struct cat_catalog *c, const struct cat_ident *id,
                   const struct prepared *p, struct ice_error *err) {
  char *now = NULL;
  int lrc = c->rows->location(c, id, &now, NULL);
  int rc = ICE_ECOMMIT_UNKNOWN;
  if (lrc == ICE_OK && strcmp(now, p->uri) == 0) rc = ICE_OK;
  if ((lrc == ICE_OK && p->base != NULL && strcmp(now, p->base) == 0) ||
      (lrc == ICE_ENOTFOUND && p->base == NULL)) {
    rc = ICE_ECONFLICT;
    if (err != NULL) err->code = rc;
  }
  ice_free(now);
  return rc;
}

int cat_sql_commit_tables(struct cat_catalog *c, size_t n, const struct cat_ident *ids,
                          const struct cat_commit *commits, struct ice_error *err) {
  if (n == 0) return ICE_OK;
  if (n > CAT_MAX_TABLES_PER_TRANSACTION)
    ICE_FAIL(err, ICE_ELIMIT, "at most %d tables per transaction",
             CAT_MAX_TABLES_PER_TRANSACTION);
  for (size_t i = 0; i < n; i++)
    for (size_t k = i + 1; k < n; k++)
      if (strcmp(ids[i].ns, ids[k].ns) == 0 && strcmp(ids[i].name, ids[k].name) == 0)
        ICE_FAIL(err, ICE_EINVAL, "table %s.%s is named twice in one transaction",
                 ids[i].ns, ids[i].name);
  struct prepared *p = ice_calloc(n, sizeof *p);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = ICE_OK;
  size_t done = 0;
  for (; rc == ICE_OK && done < n; done++) {
    rc = cat_sql_commit_prepare(c, &ids[done], &commits[done], &p[done].base, &p[done].uri,
                                &p[done].marker, err);
    if (rc != ICE_OK) break;
  }
  if (rc == ICE_OK) {
    rc = c->rows->begin(c, err);
    if (rc == ICE_OK) {
      rc = swap_rows(c, n, ids, p, err);
      if (rc != ICE_OK) {
        struct ice_error scratch;
        (void)c->rows->end(c, 0, &scratch);
      } else {
        rc = c->rows->end(c, 1, err);
        if (rc == ICE_ECOMMIT_UNKNOWN) rc = resolve(c, &ids[0], &p[0], err);
      }
    }
  }
  /* Written files go after a definite failure; markers once the outcome is known. */
  for (size_t i = 0; i < done; i++) {
    if (rc != ICE_OK && rc != ICE_ECOMMIT_UNKNOWN && p[i].uri != NULL)
      (void)io_fileio_delete(c->io, p[i].uri, NULL);
    if (p[i].marker != NULL && rc != ICE_ECOMMIT_UNKNOWN)
      (void)io_fileio_delete(c->io, p[i].marker, NULL);
    ice_free(p[i].base);
    ice_free(p[i].uri);
    ice_free(p[i].marker);
  }
  ice_free(p);
  return rc;
}
