/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table identifiers ("a.b.t" = namespace a.b, table t) and the small owned-string list
 * the catalogs return. Levels are validated here once so every back end stores the
 * same names pyiceberg and Java would (namespace levels joined with '.').
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "util/alloc.h"

#define CAT_MAX_LEVEL 255 /* VARCHAR(255) in the JDBC schema */

static int level_ok(const char *s, size_t n) {
  if (n == 0 || n > CAT_MAX_LEVEL) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\') return 0;
  }
  return 1;
}

int cat_namespace_validate(const char *ns, struct ice_error *err) {
  if (ns == NULL || ns[0] == '\0') ICE_FAIL(err, ICE_EINVAL, "namespace is empty");
  size_t total = strlen(ns);
  if (total > CAT_MAX_LEVEL)
    ICE_FAIL(err, ICE_EINVAL, "namespace '%.64s...' is longer than %d bytes", ns,
             CAT_MAX_LEVEL);
  const char *p = ns;
  for (;;) {
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    if (!level_ok(p, n) || (n == 1 && p[0] == '.') || (n == 2 && memcmp(p, "..", 2) == 0))
      ICE_FAIL(err, ICE_EINVAL,
               "namespace '%s': empty level or forbidden character (control, '/', '\\')",
               ns);
    if (dot == NULL) break;
    p = dot + 1;
  }
  return ICE_OK;
}

int cat_ident_parse(const char *ident, struct cat_ident *out, struct ice_error *err) {
  if (ident == NULL) ICE_FAIL(err, ICE_EINVAL, "table identifier is missing");
  const char *dot = strrchr(ident, '.');
  if (dot == NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "table identifier '%s' needs a namespace: write namespace.table", ident);
  size_t ns_len = (size_t)(dot - ident);
  const char *name = dot + 1;
  if (!level_ok(name, strlen(name)) || strcmp(name, "..") == 0)
    ICE_FAIL(err, ICE_EINVAL, "table identifier '%s': bad table name", ident);
  char *ns = ice_strndup(ident, ns_len);
  char *nm = ice_strdup(name);
  if (ns == NULL || nm == NULL) {
    ice_free(ns);
    ice_free(nm);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory parsing identifier");
  }
  int rc = cat_namespace_validate(ns, err);
  if (rc != ICE_OK) {
    ice_free(ns);
    ice_free(nm);
    return ice_error_prefix(err, "table identifier '%s'", ident);
  }
  out->ns = ns;
  out->name = nm;
  return ICE_OK;
}

void cat_ident_reset(struct cat_ident *id) {
  if (id == NULL) return;
  ice_free(id->ns);
  ice_free(id->name);
  id->ns = NULL;
  id->name = NULL;
}

int cat_names_push(struct cat_names *l, const char *s, struct ice_error *err) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **items = ice_realloc(l->items, cap * sizeof *items);
    if (items == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory listing names");
    l->items = items;
    l->cap = cap;
  }
  char *copy = ice_strdup(s);
  if (copy == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory listing names");
  l->items[l->n++] = copy;
  return ICE_OK;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void cat_names_sort(struct cat_names *l) {
  if (l->n > 1) qsort(l->items, l->n, sizeof *l->items, cmp_str);
}

void cat_names_reset(struct cat_names *l) {
  if (l == NULL) return;
  for (size_t i = 0; i < l->n; i++) ice_free(l->items[i]);
  ice_free(l->items);
  l->items = NULL;
  l->n = 0;
  l->cap = 0;
}

/* A key the caller may set or remove: 1..255 bytes, not the marker. */
static int check_key(const char *k, struct ice_error *err) {
  size_t n = strlen(k);
  if (n == 0 || n > 255) ICE_FAIL(err, ICE_EINVAL, "namespace property keys are 1..255 bytes");
  if (strcmp(k, "exists") == 0)
    ICE_FAIL(err, ICE_EINVAL, "namespace property 'exists' is reserved by the catalog");
  return ICE_OK;
}

int cat_namespace_properties_check(const char *const *removals, size_t n_removals,
                                   const char *const *updates, size_t n_updates,
                                   struct ice_error *err) {
  for (size_t i = 0; i < n_removals; i++) {
    ICE_TRY(check_key(removals[i], err));
    for (size_t k = 0; k < n_updates; k++)
      if (strcmp(removals[i], updates[2 * k]) == 0)
        ICE_FAIL(err, ICE_EINVAL, "namespace property '%.255s' is both removed and set",
                 removals[i]);
  }
  for (size_t k = 0; k < n_updates; k++) {
    ICE_TRY(check_key(updates[2 * k], err));
    if (strlen(updates[2 * k + 1]) > 1000)
      ICE_FAIL(err, ICE_EINVAL, "namespace property '%.255s': values are at most 1000 bytes",
               updates[2 * k]);
  }
  return ICE_OK;
}
