/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_table_* handle lifetime: load, create (Arrow schema -> Iceberg schema with fresh
 * field ids), and the simple accessors.
 */
#include <string.h>

#include "api/api_internal.h"
#include "catalog/cat_metadata_file.h"
#include "iceberg/ib_arrow_schema.h"
#include "ops/op_properties.h"
#include "ops/op_table_props.h"
#include "ops/op_update_schema.h"
#include "ops/op_update_spec.h"
#include "util/alloc.h"

static int new_handle(ice_catalog *cat, ice_table **out, struct ice_error *err) {
  ice_table *t = ice_calloc(1, sizeof *t);
  if (t == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  t->owner = cat;
  op_table_init(&t->t);
  *out = t;
  return ICE_OK;
}

int ice_table_load(ice_catalog *cat, const char *ident, ice_table **out,
                   struct ice_error *err) {
  if (cat == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog or output is NULL");
  ice_table *t = NULL;
  ICE_TRY(new_handle(cat, &t, err));
  int rc = op_table_load(cat->cat, ident, &t->t, err);
  if (rc != ICE_OK) {
    ice_table_free(t);
    return rc;
  }
  *out = t;
  return ICE_OK;
}

int ice_table_load_metadata(const char *metadata_location, const char *const *props,
                            ice_table **out, struct ice_error *err) {
  if (metadata_location == NULL || out == NULL)
    ICE_FAIL(err, ICE_EINVAL, "metadata location or output is NULL");
  size_t n = 0;
  for (; props != NULL && props[n] != NULL; n += 2) {
    if (props[n + 1] == NULL)
      ICE_FAIL(err, ICE_EINVAL, "property '%s' has no value", props[n]);
    if (strcmp(props[n], "location-map") != 0 && !io_fileio_is_storage_property(props[n]))
      ICE_FAIL(err, ICE_EINVAL,
               "unknown property '%s' for a table read from its metadata file (only "
               "location-map and the s3.* storage properties)",
               props[n]);
  }
  ice_table *t = NULL;
  ICE_TRY(new_handle(NULL, &t, err));
  int rc = io_fileio_new(&t->own_io, err);
  if (rc == ICE_OK) rc = api_configure_fileio(t->own_io, props, n, err);
  if (rc == ICE_OK) rc = cat_metadata_read(t->own_io, metadata_location, &t->t.md, err);
  if (rc == ICE_OK) {
    t->t.metadata_location = ice_strdup(metadata_location);
    if (t->t.metadata_location == NULL)
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  if (rc != ICE_OK) {
    ice_table_free(t);
    return rc;
  }
  *out = t;
  return ICE_OK;
}

int api_schema_from_arrow(const struct ArrowSchema *schema, int format_version,
                          struct ib_schema *out, struct ice_error *err) {
  struct ib_arrow_import_options opts = {format_version};
  return ib_schema_from_arrow(schema, &opts, out, err);
}

int ice_table_create(ice_catalog *cat, const char *ident,
                     const struct ArrowSchema *schema, const char *const *props,
                     ice_table **out, struct ice_error *err) {
  return ice_table_create_partitioned(cat, ident, schema, NULL, props, out, err);
}

int ice_table_create_partitioned(ice_catalog *cat, const char *ident,
                                 const struct ArrowSchema *schema,
                                 const char *partition_by, const char *const *props,
                                 ice_table **out, struct ice_error *err) {
  if (cat == NULL || schema == NULL || out == NULL)
    ICE_FAIL(err, ICE_EINVAL, "catalog, schema or output is NULL");
  struct ib_str_map map;
  ICE_TRY(api_props_to_map(props, &map, err));
  struct ib_schema s;
  ib_schema_init(&s, 0);
  ice_table *t = NULL;
  int version = 2;
  int rc = op_take_format_version(&map, &version, err);
  if (rc == ICE_OK) rc = api_schema_from_arrow(schema, version, &s, err);
  if (rc == ICE_OK) rc = new_handle(cat, &t, err);
  if (rc == ICE_OK)
    rc = op_table_create(cat->cat, ident, &s, partition_by, &map, &t->t, err);
  ib_schema_reset(&s);
  ib_str_map_reset(&map);
  if (rc != ICE_OK) {
    ice_table_free(t);
    return rc;
  }
  *out = t;
  return ICE_OK;
}

void ice_table_free(ice_table *tbl) {
  if (tbl == NULL) return;
  op_table_reset(&tbl->t);
  io_fileio_free(tbl->own_io);
  ice_free(tbl);
}

const char *ice_table_metadata_location(const ice_table *tbl) {
  return tbl ? tbl->t.metadata_location : NULL;
}

int64_t ice_table_current_snapshot_id(const ice_table *tbl) {
  if (tbl == NULL || !tbl->t.md.has_current_snapshot) return -1;
  return tbl->t.md.current_snapshot_id;
}

int ice_table_update_properties(ice_table *tbl, const char *const *set,
                                const char *const *remove, struct ice_error *err) {
  if (tbl == NULL) ICE_FAIL(err, ICE_EINVAL, "table is NULL");
  if (tbl->owner == NULL)
    ICE_FAIL(err, ICE_EINVAL, "a table read from its metadata file cannot be changed");
  struct ib_str_map map;
  ib_str_map_init(&map);
  size_t n_remove = 0;
  while (remove != NULL && remove[n_remove] != NULL) n_remove++;
  int rc = set != NULL ? api_props_to_map(set, &map, err) : ICE_OK;
  if (rc == ICE_OK) rc = op_properties_update(&tbl->t, &map, remove, n_remove, err);
  ib_str_map_reset(&map);
  return rc;
}

int ice_table_update_schema(ice_table *tbl, const struct ice_schema_change *changes,
                            size_t n, int *changed, struct ice_error *err) {
  if (tbl == NULL || (changes == NULL && n > 0))
    ICE_FAIL(err, ICE_EINVAL, "table or schema changes are NULL");
  if (tbl->owner == NULL)
    ICE_FAIL(err, ICE_EINVAL, "a table read from its metadata file cannot be changed");
  struct ib_schema_edit *edits = ice_calloc(n ? n : 1, sizeof *edits);
  if (edits == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < n; i++) {
    switch (changes[i].kind) {
      case ICE_SCHEMA_ADD_COLUMN:
        edits[i].kind = IB_EDIT_ADD_COLUMN;
        break;
      case ICE_SCHEMA_RENAME_COLUMN:
        edits[i].kind = IB_EDIT_RENAME_COLUMN;
        break;
      case ICE_SCHEMA_DROP_COLUMN:
        edits[i].kind = IB_EDIT_DROP_COLUMN;
        break;
      case ICE_SCHEMA_WIDEN_COLUMN:
        edits[i].kind = IB_EDIT_WIDEN_COLUMN;
        break;
      default:
        rc = ice_error_set(err, ICE_EINVAL, "unknown schema change kind %d",
                           (int)changes[i].kind);
    }
    edits[i].path = changes[i].column;
    edits[i].arg = changes[i].value;
  }
  bool did = false;
  if (rc == ICE_OK) rc = op_update_schema(&tbl->t, edits, n, &did, err);
  ice_free(edits);
  if (rc == ICE_OK && changed != NULL) *changed = did;
  return rc;
}

int ice_table_update_partition_spec(ice_table *tbl, const char *partition_by,
                                    int *changed, struct ice_error *err) {
  if (tbl == NULL || partition_by == NULL)
    ICE_FAIL(err, ICE_EINVAL, "table or partition spec is NULL");
  if (tbl->owner == NULL)
    ICE_FAIL(err, ICE_EINVAL, "a table read from its metadata file cannot be changed");
  bool did = false;
  ICE_TRY(op_update_spec(&tbl->t, partition_by, &did, err));
  if (changed != NULL) *changed = did;
  return ICE_OK;
}
