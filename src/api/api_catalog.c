/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_catalog_* (include/ice/ice_catalog.h): property parsing, namespaces, listings and
 * table registration on top of the internal catalog vtable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "catalog/cat_metadata_file.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_str_map.h"
#include "iceberg/ib_write_paths.h"
#include "io/io_fileio.h"
#include "ops/op_drop.h"
#include "util/alloc.h"

int api_props_to_map(const char *const *props, struct ib_str_map *out,
                     struct ice_error *err) {
  ib_str_map_init(out);
  if (props == NULL) return ICE_OK;
  for (size_t i = 0; props[i] != NULL; i += 2) {
    if (props[i + 1] == NULL) {
      ib_str_map_reset(out);
      ICE_FAIL(err, ICE_EINVAL, "property '%s' has no value", props[i]);
    }
    int rc = ib_str_map_set(out, props[i], props[i + 1], err);
    if (rc != ICE_OK) {
      ib_str_map_reset(out);
      return rc;
    }
  }
  return ICE_OK;
}

/* Write roots, location map and storage (s3.*) properties of the tables' FileIO; the
 * ICESTREAM_LOCATION_MAP variable only when no location-map property is given. */
int api_configure_fileio(struct io_fileio *io, const char *const *props, size_t n,
                         struct ice_error *err) {
  for (size_t i = 0; i < n; i += 2) {
    if (strcmp(props[i], "allow-location") == 0)
      ICE_TRY(io_fileio_allow(io, props[i + 1], err));
    else if (strcmp(props[i], "location-map") == 0)
      ICE_TRY(io_fileio_add_map(io, props[i + 1], "location-map", err));
    else if (io_fileio_is_storage_property(props[i]))
      ICE_TRY(io_fileio_set_storage_property(io, props[i], props[i + 1], err));
  }
  const char *env = getenv("ICESTREAM_LOCATION_MAP");
  if (io_fileio_map_size(io) == 0 && env != NULL)
    ICE_TRY(io_fileio_add_map_list(io, env, "ICESTREAM_LOCATION_MAP", err));
  return ICE_OK;
}

int ice_catalog_open(const char *const *props, ice_catalog **out, struct ice_error *err) {
  const char *uri = NULL, *warehouse = NULL, *name = "default";
  long busy = 30000;
  int create = 1;
  size_t n_props = 0;
  for (size_t i = 0; props != NULL && props[i] != NULL; i += 2) {
    const char *k = props[i], *v = props[i + 1];
    if (v == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog property '%s' has no value", k);
    if (strcmp(k, "uri") == 0) {
      uri = v;
    } else if (strcmp(k, "warehouse") == 0) {
      warehouse = v;
    } else if (strcmp(k, "name") == 0) {
      name = v;
    } else if (strcmp(k, "create") == 0) {
      if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
        ICE_FAIL(err, ICE_EINVAL, "catalog property create=%s: expected true or false",
                 v);
      create = strcmp(v, "true") == 0;
    } else if (strcmp(k, "allow-location") == 0) {
      /* repeatable; applied to the FileIO once the catalog is open */
    } else if (strcmp(k, "location-map") == 0) {
      /* repeatable; refused before anything is opened or created */
      ICE_TRY(io_fileio_check_map(v, "location-map", err));
    } else if (io_fileio_is_storage_property(k)) {
      /* s3.*: applied to the FileIO once the catalog is open */
    } else if (strcmp(k, "sqlite.busy-timeout-ms") == 0 ||
               strcmp(k, "postgresql.statement-timeout-ms") == 0) {
      char *end = NULL;
      errno = 0;
      busy = strtol(v, &end, 10);
      if (*v == '\0' || *end != '\0' || errno != 0 || busy < 0 || busy > 3600000)
        ICE_FAIL(err, ICE_EINVAL, "catalog property %s=%s: expected 0..3600000", k, v);
    } else {
      ICE_FAIL(err, ICE_EINVAL, "unknown catalog property '%s'", k);
    }
    n_props = i + 2;
  }
  ice_catalog *c = ice_calloc(1, sizeof *c);
  if (c == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = create ? cat_open(uri, warehouse, name, busy, &c->cat, err)
                  : cat_open_existing(uri, warehouse, name, busy, &c->cat, err);
  if (rc != ICE_OK) {
    ice_free(c);
    return rc;
  }
  rc = api_configure_fileio(c->cat->io, props, n_props, err);
  if (rc != ICE_OK) {
    ice_catalog_close(c);
    return rc;
  }
  *out = c;
  return ICE_OK;
}

void ice_catalog_close(ice_catalog *cat) {
  if (cat == NULL) return;
  cat_close(cat->cat);
  ice_free(cat);
}

int ice_catalog_ensure_namespace(ice_catalog *cat, const char *ns,
                                 struct ice_error *err) {
  if (cat == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog is NULL");
  return cat->cat->vt->ensure_namespace(cat->cat, ns, err);
}

void ice_string_list_free(struct ice_string_list *list) {
  if (list == NULL) return;
  for (size_t i = 0; i < list->n; i++) ice_free(list->items[i]);
  ice_free(list->items);
  list->items = NULL;
  list->n = 0;
}

static void take_names(struct cat_names *names, struct ice_string_list *out) {
  out->items = names->items;
  out->n = names->n;
  names->items = NULL;
  names->n = names->cap = 0;
}

int ice_catalog_list_tables(ice_catalog *cat, const char *ns, struct ice_string_list *out,
                            struct ice_error *err) {
  if (cat == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog or output is NULL");
  if (ns != NULL) ICE_TRY(cat_namespace_validate(ns, err));
  struct cat_names names = {0};
  ICE_TRY(cat->cat->vt->list_tables(cat->cat, ns, &names, err));
  take_names(&names, out);
  return ICE_OK;
}

int ice_catalog_list_namespaces(ice_catalog *cat, struct ice_string_list *out,
                                struct ice_error *err) {
  if (cat == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog or output is NULL");
  struct cat_names names = {0};
  ICE_TRY(cat->cat->vt->list_namespaces(cat->cat, &names, err));
  take_names(&names, out);
  return ICE_OK;
}

int ice_catalog_register_table(ice_catalog *cat, const char *ident,
                               const char *metadata_location, struct ice_error *err) {
  if (cat == NULL || metadata_location == NULL)
    ICE_FAIL(err, ICE_EINVAL, "catalog or metadata location is NULL");
  struct cat_ident id = {0};
  ICE_TRY(cat_ident_parse(ident, &id, err));
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  /* A path is stored as the absolute file: URI Java and pyiceberg write, so every
   * reader of the catalog finds the file whatever its working directory. */
  char *uri = NULL;
  int rc = ib_uri_has_scheme(metadata_location)
               ? ((uri = ice_strdup(metadata_location)) != NULL
                      ? ICE_OK
                      : ice_error_set(err, ICE_ENOMEM, "out of memory"))
               : ib_location_from_local_path(metadata_location, &uri, err);
  /* Refuse to point the catalog at something unreadable. */
  if (rc == ICE_OK) rc = cat_metadata_read(cat->cat->io, uri, &md, err);
  if (rc == ICE_OK) rc = cat->cat->vt->ensure_namespace(cat->cat, id.ns, err);
  if (rc == ICE_OK) rc = cat->cat->vt->register_table(cat->cat, &id, uri, err);
  ice_free(uri);
  ib_table_metadata_reset(&md);
  cat_ident_reset(&id);
  if (rc != ICE_OK) return ice_error_prefix(err, "registering %s", ident);
  return ICE_OK;
}

int ice_catalog_drop_table(ice_catalog *cat, const char *ident, struct ice_error *err) {
  if (cat == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog is NULL");
  return op_table_drop(cat->cat, ident, 0, err);
}

int ice_catalog_purge_table(ice_catalog *cat, const char *ident, struct ice_error *err) {
  if (cat == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog is NULL");
  return op_table_drop(cat->cat, ident, 1, err);
}
