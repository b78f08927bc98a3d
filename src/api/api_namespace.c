/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_catalog_rename_table and the namespace calls of include/ice/ice_catalog.h: checks
 * of the caller's arguments, then the catalog's own operation (one step each).
 */
#include <string.h>

#include "api/api_internal.h"
#include "util/alloc.h"

int ice_catalog_rename_table(ice_catalog *cat, const char *from, const char *to,
                             struct ice_error *err) {
  if (cat == NULL || from == NULL || to == NULL)
    ICE_FAIL(err, ICE_EINVAL, "catalog or table name is NULL");
  struct cat_ident a = {0}, b = {0};
  int rc = cat_ident_parse(from, &a, err);
  if (rc == ICE_OK) rc = cat_ident_parse(to, &b, err);
  if (rc == ICE_OK) rc = cat->cat->vt->rename_table(cat->cat, &a, &b, err);
  cat_ident_reset(&a);
  cat_ident_reset(&b);
  return rc;
}

int ice_catalog_drop_namespace(ice_catalog *cat, const char *ns, struct ice_error *err) {
  if (cat == NULL || ns == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog or namespace is NULL");
  ICE_TRY(cat_namespace_validate(ns, err));
  return cat->cat->vt->drop_namespace(cat->cat, ns, err);
}

static void take(struct cat_names *names, struct ice_string_list *out) {
  if (out == NULL) {
    cat_names_reset(names);
    return;
  }
  out->items = names->items;
  out->n = names->n;
  names->items = NULL;
  names->n = names->cap = 0;
}

int ice_catalog_namespace_properties(ice_catalog *cat, const char *ns,
                                     struct ice_string_list *out, struct ice_error *err) {
  if (cat == NULL || ns == NULL || out == NULL)
    ICE_FAIL(err, ICE_EINVAL, "catalog, namespace or output is NULL");
  ICE_TRY(cat_namespace_validate(ns, err));
  struct cat_names got = {0};
  ICE_TRY(cat->cat->vt->namespace_properties(cat->cat, ns, &got, err));
  take(&got, out);
  return ICE_OK;
}

static size_t count(const char *const *l) {
  size_t n = 0;
  while (l != NULL && l[n] != NULL) n++;
  return n;
}

int ice_catalog_update_namespace_properties(ice_catalog *cat, const char *ns,
                                            const char *const *removals,
                                            const char *const *updates,
                                            struct ice_string_list *removed,
                                            struct ice_string_list *missing,
                                            struct ice_error *err) {
  if (cat == NULL || ns == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog or namespace is NULL");
  ICE_TRY(cat_namespace_validate(ns, err));
  size_t nu = count(updates);
  if (nu % 2 != 0) ICE_FAIL(err, ICE_EINVAL, "namespace property updates must be key, value pairs");
  struct cat_names rm = {0}, miss = {0};
  ICE_TRY(cat->cat->vt->update_namespace_properties(cat->cat, ns, removals, count(removals),
                                                    updates, nu / 2, &rm, &miss, err));
  take(&rm, removed);
  take(&miss, missing);
  return ICE_OK;
}

int ice_catalog_create_namespace(ice_catalog *cat, const char *ns,
                                 const char *const *properties, struct ice_error *err) {
  if (cat == NULL || ns == NULL) ICE_FAIL(err, ICE_EINVAL, "catalog or namespace is NULL");
  ICE_TRY(cat_namespace_validate(ns, err));
  size_t n = count(properties);
  if (n % 2 != 0) ICE_FAIL(err, ICE_EINVAL, "namespace properties must be key, value pairs");
  ICE_TRY(cat_namespace_properties_check(NULL, 0, properties, n / 2, err));
  ICE_TRY(cat->cat->vt->ensure_namespace(cat->cat, ns, err));
  if (n == 0) return ICE_OK;
  struct cat_names rm = {0}, miss = {0};
  int rc = cat->cat->vt->update_namespace_properties(cat->cat, ns, NULL, 0, properties,
                                                     n / 2, &rm, &miss, err);
  cat_names_reset(&rm);
  cat_names_reset(&miss);
  return rc;
}
