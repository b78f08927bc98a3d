/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Renaming a table in a SQL catalog: one UPDATE of its iceberg_tables row (identifier
 * only; metadata_location and every file stay), guarded by the destination namespace's
 * existence in the same statement. A unique violation is a destination that exists;
 * zero rows changed is told apart (missing table or missing namespace) inside the same
 * transaction, so the answer matches the state the UPDATE saw.
 */
#include <stdio.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "util/alloc.h"

static int count_row(void *ud, const char *const *cols, int ncols, struct ice_error *err) {
  (void)cols;
  (void)ncols;
  (void)err;
  (*(long *)ud)++;
  return ICE_OK;
}

struct rename_args {
  const struct cat_ident *from, *to;
  const char *prefix; /* to->ns + "." */
};

static int rename_in_txn(struct cat_catalog *c, void *ud, struct ice_error *err) {
  const struct rename_args *a = ud;
  char cond[1024], sql[1800];
  ICE_TRY(cat_sql_namespace_exists_cond(cond, sizeof cond, 4, 6, err));
  /* Rows of other types (views) keep their names: only a table is renamed. */
  const char *types = cat_sql_type_filter(c->rows->has_type_column(c));
  snprintf(sql, sizeof sql,
           "UPDATE iceberg_tables SET table_namespace = $4, table_name = $5 WHERE "
           "catalog_name = $1 AND table_namespace = $2 AND table_name = $3%s AND %s",
           types, cond);
  const char *vals[6] = {c->name, a->from->ns, a->from->name, a->to->ns, a->to->name,
                         a->prefix};
  long changed = 0;
  int rc = c->rows->exec(c, sql, vals, 6, &changed, NULL, NULL, err);
  if (rc == ICE_EEXISTS)
    ICE_FAIL(err, ICE_EEXISTS, "table %s.%s already exists", a->to->ns, a->to->name);
  ICE_TRY(rc);
  if (changed == 1) return ICE_OK;
  long rows = 0;
  snprintf(sql, sizeof sql,
           "SELECT 1 FROM iceberg_tables WHERE catalog_name = $1 AND table_namespace = $2 "
           "AND table_name = $3%s",
           types);
  ICE_TRY(c->rows->exec(c, sql, vals, 3, &changed, count_row, &rows, err));
  if (rows == 0)
    ICE_FAIL(err, ICE_ENOTFOUND, "table %s.%s does not exist", a->from->ns, a->from->name);
  ICE_FAIL(err, ICE_ENOTFOUND, "namespace %s does not exist", a->to->ns);
}

int cat_sql_rename_table(struct cat_catalog *c, const struct cat_ident *from,
                         const struct cat_ident *to, struct ice_error *err) {
  if (strcmp(from->ns, to->ns) == 0 && strcmp(from->name, to->name) == 0) {
    char *loc = NULL;
    ICE_TRY(c->rows->location(c, from, &loc, err));
    ice_free(loc);
    ICE_FAIL(err, ICE_EEXISTS, "table %s.%s already exists", to->ns, to->name);
  }
  size_t n = strlen(to->ns);
  char *prefix = ice_malloc(n + 2);
  if (prefix == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  memcpy(prefix, to->ns, n);
  memcpy(prefix + n, ".", 2);
  struct rename_args a = {from, to, prefix};
  int rc = c->rows->begin(c, err);
  if (rc == ICE_OK) {
    rc = rename_in_txn(c, &a, err);
    if (rc != ICE_OK) {
      struct ice_error scratch;
      (void)c->rows->end(c, 0, &scratch);
    } else {
      rc = c->rows->end(c, 1, err);
    }
  }
  ice_free(prefix);
  return rc;
}
