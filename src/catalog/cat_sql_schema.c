/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the SQL catalogs share below the row operations: the JDBC tables' DDL (Java's
 * V1 layout, reference/iceberg.md §8.2), the iceberg_type filter, and the turning of a
 * listed row into a name. SQLite and PostgreSQL accept the same DDL text.
 */
#include <stdio.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "util/alloc.h"

/* V0 + iceberg_type, which Java and pyiceberg read and iceberg-rust up to 0.10 requires
 * (it filters on iceberg_type = 'TABLE'). Catalogs that others made without the
 * column are used as they are. */
const char cat_sql_create_tables[] =
    "CREATE TABLE IF NOT EXISTS iceberg_tables ("
    "catalog_name VARCHAR(255) NOT NULL, "
    "table_namespace VARCHAR(255) NOT NULL, "
    "table_name VARCHAR(255) NOT NULL, "
    "metadata_location VARCHAR(1000), "
    "previous_metadata_location VARCHAR(1000), "
    "iceberg_type VARCHAR(5), "
    "PRIMARY KEY (catalog_name, table_namespace, table_name))";
const char cat_sql_create_namespaces[] =
    "CREATE TABLE IF NOT EXISTS iceberg_namespace_properties ("
    "catalog_name VARCHAR(255) NOT NULL, "
    "namespace VARCHAR(255) NOT NULL, "
    "property_key VARCHAR(255), "
    "property_value VARCHAR(1000), "
    "PRIMARY KEY (catalog_name, namespace, property_key))";

const char *cat_sql_type_filter(int has_type_column) {
  /* Rows without a type were written by V0 writers and are tables. */
  return has_type_column ? " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)" : "";
}

int cat_sql_catalog_new(const struct cat_catalog_vtable *vt, const struct cat_sql_rows *rows,
                        void *priv, const char *name, const char *warehouse,
                        struct cat_catalog **out, struct ice_error *err) {
  struct cat_catalog *c = ice_calloc(1, sizeof *c);
  if (c != NULL) {
    c->name = ice_strdup(name);
    c->warehouse = ice_strdup(warehouse);
  }
  if (c == NULL || c->name == NULL || c->warehouse == NULL) {
    if (c != NULL) {
      ice_free(c->name);
      ice_free(c->warehouse);
    }
    ice_free(c);
    ice_free(priv);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory opening catalog");
  }
  c->vt = vt;
  c->rows = rows;
  c->priv = priv;
  *out = c;
  return ICE_OK;
}

int cat_sql_push_name(struct cat_names *out, const char *ns, const char *name,
                      struct ice_error *err) {
  if (name == NULL) return cat_names_push(out, ns, err);
  size_t n = strlen(ns) + strlen(name) + 2;
  char *full = ice_malloc(n);
  if (full == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory listing tables");
  snprintf(full, n, "%s.%s", ns, name);
  int rc = cat_names_push(out, full, err);
  ice_free(full);
  return rc;
}
