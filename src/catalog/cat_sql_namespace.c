/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespaces of the SQL catalogs (iceberg_namespace_properties, reference/iceberg.md
 * §8.2), written once over the row operations' transaction and statement calls so
 * SQLite and PostgreSQL behave alike. As in Java's JdbcCatalog a namespace exists when
 * a property row or a table names it or a namespace below it; the property
 * exists=true is the marker property-less namespaces are stored with, never shown.
 * Parameters are $N (cat_sqlite.c maps them to ?N).
 */
#include <stdio.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "util/alloc.h"

int cat_sql_namespace_exists_cond(char *buf, size_t n, int ns_param, int prefix_param,
                                  struct ice_error *err) {
  char p[8];
  snprintf(p, sizeof p, "$%d", prefix_param);
  int w = snprintf(buf, n,
                   "(EXISTS (SELECT 1 FROM iceberg_namespace_properties WHERE catalog_name "
                   "= $1 AND (namespace = $%d OR substr(namespace, 1, length(CAST(%s AS "
                   "TEXT))) = %s)) OR EXISTS (SELECT 1 FROM iceberg_tables WHERE "
                   "catalog_name = $1 AND (table_namespace = $%d OR substr(table_namespace, "
                   "1, length(CAST(%s AS TEXT))) = %s)))",
                   ns_param, p, p, ns_param, p, p);
  if (w < 0 || (size_t)w >= n) ICE_FAIL(err, ICE_ELIMIT, "catalog statement too long");
  return ICE_OK;
}

/* "ns." (owned). */
static char *prefix_of(const char *ns) {
  size_t n = strlen(ns);
  char *p = ice_malloc(n + 2);
  if (p == NULL) return NULL;
  memcpy(p, ns, n);
  p[n] = '.';
  p[n + 1] = '\0';
  return p;
}

static int count_row(void *ud, const char *const *cols, int ncols, struct ice_error *err) {
  (void)cols;
  (void)ncols;
  (void)err;
  (*(long *)ud)++;
  return ICE_OK;
}

/* *exists: ns is a namespace of c (inside the caller's transaction). */
static int ns_exists(struct cat_catalog *c, const char *ns, const char *prefix,
                     int *exists, struct ice_error *err) {
  char cond[1024], sql[1100];
  ICE_TRY(cat_sql_namespace_exists_cond(cond, sizeof cond, 2, 3, err));
  snprintf(sql, sizeof sql, "SELECT 1 WHERE %s", cond);
  const char *vals[3] = {c->name, ns, prefix};
  long rows = 0, changed = 0;
  ICE_TRY(c->rows->exec(c, sql, vals, 3, &changed, count_row, &rows, err));
  *exists = rows > 0;
  return ICE_OK;
}

/* Runs fn inside a transaction: committed when fn succeeds, rolled back otherwise. */
static int in_txn(struct cat_catalog *c, int (*fn)(struct cat_catalog *c, void *ud,
                                                    struct ice_error *err),
                  void *ud, struct ice_error *err) {
  ICE_TRY(c->rows->begin(c, err));
  int rc = fn(c, ud, err);
  if (rc != ICE_OK) {
    struct ice_error scratch;
    (void)c->rows->end(c, 0, &scratch);
    return rc;
  }
  return c->rows->end(c, 1, err);
}

struct drop_args {
  const char *ns;
  char *prefix;  /* ns + "." (owned) */
  int not_empty; /* the ICE_ECONFLICT is ours, not a lock the catalog could not get */
};

static int drop_in_txn(struct cat_catalog *c, void *ud, struct ice_error *err) {
  struct drop_args *a = ud;
  const char *vals[3] = {c->name, a->ns, a->prefix};
  long contents = 0, changed = 0;
  /* Prefix lengths in characters, as substr counts them (not strlen's bytes). */
  static const char sql[] =
      "SELECT 1 FROM iceberg_tables WHERE catalog_name = $1 AND (table_namespace = $2 OR "
      "substr(table_namespace, 1, length(CAST($3 AS TEXT))) = $3) UNION ALL SELECT 1 "
      "FROM iceberg_namespace_properties WHERE catalog_name = $1 AND substr(namespace, "
      "1, length(CAST($3 AS TEXT))) = $3";
  ICE_TRY(c->rows->exec(c, sql, vals, 3, &changed, count_row, &contents, err));
  if (contents > 0) {
    a->not_empty = 1;
    ICE_FAIL(err, ICE_ECONFLICT, "namespace %s is not empty (it holds tables or namespaces)",
             a->ns);
  }
  ICE_TRY(c->rows->exec(c,
                        "DELETE FROM iceberg_namespace_properties WHERE catalog_name = $1 "
                        "AND namespace = $2",
                        vals, 2, &changed, NULL, NULL, err));
  if (changed == 0) ICE_FAIL(err, ICE_ENOTFOUND, "namespace %s does not exist", a->ns);
  return ICE_OK;
}

int cat_sql_drop_namespace(struct cat_catalog *c, const char *ns, struct ice_error *err) {
  ICE_TRY(cat_namespace_validate(ns, err));
  struct drop_args a = {ns, prefix_of(ns), 0};
  if (a.prefix == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = in_txn(c, drop_in_txn, &a, err);
  ice_free(a.prefix);
  /* A lock timeout must not read as "not empty" (ICE_ECONFLICT's meaning here). */
  if (rc == ICE_ECONFLICT && !a.not_empty) {
    ice_error_prefix(err, "namespace %s: the catalog is busy, try again", ns);
    if (err != NULL) err->code = ICE_EIO;
    rc = ICE_EIO;
  }
  return rc;
}

struct props_args {
  const char *ns;
  char *prefix; /* ns + "." (owned) */
  struct cat_names *out;
};

static int push_pair(void *ud, const char *const *cols, int ncols, struct ice_error *err) {
  struct cat_names *out = ud;
  if (ncols != 2 || cols[0] == NULL) return ICE_OK;
  ICE_TRY(cat_names_push(out, cols[0], err));
  return cat_names_push(out, cols[1] ? cols[1] : "", err);
}

static int props_read(struct cat_catalog *c, void *ud, struct ice_error *err) {
  struct props_args *a = ud;
  int exists = 0;
  ICE_TRY(ns_exists(c, a->ns, a->prefix, &exists, err));
  if (!exists) ICE_FAIL(err, ICE_ENOTFOUND, "namespace %s does not exist", a->ns);
  const char *vals[2] = {c->name, a->ns};
  long changed = 0;
  return c->rows->exec(c,
                       "SELECT property_key, property_value FROM "
                       "iceberg_namespace_properties WHERE catalog_name = $1 AND namespace "
                       "= $2 AND property_key IS NOT NULL AND property_key <> 'exists' "
                       "ORDER BY property_key",
                       vals, 2, &changed, push_pair, a->out, err);
}

int cat_sql_namespace_properties(struct cat_catalog *c, const char *ns,
                                 struct cat_names *out, struct ice_error *err) {
  ICE_TRY(cat_namespace_validate(ns, err));
  struct cat_names got = {0};
  struct props_args a = {ns, prefix_of(ns), &got};
  if (a.prefix == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  /* Two plain reads, no transaction: on SQLite one would take the write lock, so every
   * GET of a namespace would wait behind (and be refused by) a writer. */
  int rc = props_read(c, &a, err);
  ice_free(a.prefix);
  if (rc != ICE_OK) {
    cat_names_reset(&got);
    return rc;
  }
  *out = got;
  return ICE_OK;
}

struct update_args {
  const char *ns;
  char *prefix; /* ns + "." (owned) */
  const char *const *removals;
  size_t n_removals;
  const char *const *updates;
  size_t n_updates;
  struct cat_names *removed, *missing;
};

static int update_in_txn(struct cat_catalog *c, void *ud, struct ice_error *err) {
  struct update_args *a = ud;
  int exists = 0;
  ICE_TRY(ns_exists(c, a->ns, a->prefix, &exists, err));
  if (!exists) ICE_FAIL(err, ICE_ENOTFOUND, "namespace %s does not exist", a->ns);
  long changed = 0;
  for (size_t i = 0; i < a->n_removals; i++) {
    const char *vals[3] = {c->name, a->ns, a->removals[i]};
    ICE_TRY(c->rows->exec(c,
                          "DELETE FROM iceberg_namespace_properties WHERE catalog_name = $1 "
                          "AND namespace = $2 AND property_key = $3",
                          vals, 3, &changed, NULL, NULL, err));
    ICE_TRY(cat_names_push(changed > 0 ? a->removed : a->missing, a->removals[i], err));
  }
  for (size_t i = 0; i < a->n_updates; i++) {
    const char *vals[4] = {c->name, a->ns, a->updates[2 * i], a->updates[2 * i + 1]};
    ICE_TRY(c->rows->exec(c,
                          "UPDATE iceberg_namespace_properties SET property_value = $4 "
                          "WHERE catalog_name = $1 AND namespace = $2 AND property_key = $3",
                          vals, 4, &changed, NULL, NULL, err));
    if (changed == 0)
      ICE_TRY(c->rows->exec(c,
                            "INSERT INTO iceberg_namespace_properties (catalog_name, "
                            "namespace, property_key, property_value) VALUES ($1, $2, $3, $4)",
                            vals, 4, &changed, NULL, NULL, err));
  }
  return ICE_OK;
}

int cat_sql_update_namespace_properties(struct cat_catalog *c, const char *ns,
                                        const char *const *removals, size_t n_removals,
                                        const char *const *updates, size_t n_updates,
                                        struct cat_names *removed,
                                        struct cat_names *missing,
                                        struct ice_error *err) {
  ICE_TRY(cat_namespace_validate(ns, err));
  ICE_TRY(cat_namespace_properties_check(removals, n_removals, updates, n_updates, err));
  struct cat_names rm = {0}, miss = {0};
  struct update_args a = {ns, prefix_of(ns), removals, n_removals, updates, n_updates,
                          &rm, &miss};
  if (a.prefix == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = in_txn(c, update_in_txn, &a, err);
  ice_free(a.prefix);
  if (rc != ICE_OK) {
    cat_names_reset(&rm);
    cat_names_reset(&miss);
    return rc;
  }
  *removed = rm;
  *missing = miss;
  return ICE_OK;
}
