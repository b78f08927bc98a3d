/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The namespace endpoints of `icestream serve` that change or show a namespace's
 * properties, and its drop: each one catalog operation (cat_catalog.h), so the rules
 * (a namespace must be empty to go, "exists" is the catalog's marker) are the SQL
 * catalogs' own and a change is all or nothing.
 */
#include <jansson.h>
#include <string.h>

#include "serve/srv_route.h"
#include "util/alloc.h"

int srv_namespace_properties_json(struct srv_state *s, const char *ns, json_t **out,
                                  struct ice_error *err) {
  struct cat_names kv = {0};
  ICE_TRY(s->cat->vt->namespace_properties(s->cat, ns, &kv, err));
  json_t *o = json_object();
  for (size_t i = 0; o != NULL && i + 1 < kv.n; i += 2)
    json_object_set_new(o, kv.items[i], json_string(kv.items[i + 1]));
  cat_names_reset(&kv);
  if (o == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *out = o;
  return ICE_OK;
}

void srv_namespace_drop(struct srv_state *s, const char *ns, struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  int rc = s->cat->vt->drop_namespace(s->cat, ns, &err);
  if (rc == ICE_ECONFLICT) {
    srv_reply_error(out, 409, "NamespaceNotEmptyException", err.message);
  } else if (rc != ICE_OK) {
    srv_reply_ice_error(out, rc, &err, "namespace");
  } else {
    srv_response_reset(out);
    out->status = 204;
  }
}

/* The keys of a JSON array (removals) or object (updates) as borrowed strings;
 * key/value pairs for an object. */
static int collect_strings(const json_t *v, int pairs, const char ***items, size_t *n,
                           struct ice_error *err) {
  *items = NULL;
  *n = 0;
  if (v == NULL || json_is_null(v)) return ICE_OK;
  if (pairs ? !json_is_object(v) : !json_is_array(v))
    ICE_FAIL(err, ICE_EINVAL, pairs ? "'updates' must be an object of strings"
                                    : "'removals' must be an array of strings");
  size_t count = pairs ? json_object_size(v) : json_array_size(v);
  if (count > 10000) ICE_FAIL(err, ICE_EINVAL, "at most 10000 properties per request");
  const char **l = ice_calloc(2 * count + 1, sizeof *l);
  if (l == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  size_t k = 0;
  if (pairs) {
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)(uintptr_t)v, key, val) {
      if (!json_is_string(val) ||
          strlen(json_string_value(val)) != json_string_length(val)) {
        ice_free(l);
        ICE_FAIL(err, ICE_EINVAL, "property '%.200s' is not a string", key);
      }
      l[k++] = key;
      l[k++] = json_string_value(val);
    }
  } else {
    for (size_t i = 0; i < count; i++) {
      const json_t *e = json_array_get(v, i);
      if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e)) {
        ice_free(l);
        ICE_FAIL(err, ICE_EINVAL, "'removals' must be an array of strings");
      }
      l[k++] = json_string_value(e);
    }
  }
  *items = l;
  *n = pairs ? k / 2 : k;
  return ICE_OK;
}

static json_t *names_json(const struct cat_names *l) {
  json_t *a = json_array();
  for (size_t i = 0; a != NULL && i < l->n; i++) json_array_append_new(a, json_string(l->items[i]));
  return a;
}

void srv_namespace_update_properties(struct srv_state *s, const char *ns,
                                     const struct srv_request *rq,
                                     struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  json_error_t je;
  json_t *j = json_loadb(rq->body ? rq->body : "", rq->len, JSON_REJECT_DUPLICATES, &je);
  const char **rm = NULL, **up = NULL;
  size_t n_rm = 0, n_up = 0;
  int rc = json_is_object(j) ? ICE_OK
                             : ice_error_set(&err, ICE_EINVAL,
                                             "body must be an UpdateNamespacePropertiesRequest");
  if (rc == ICE_OK) rc = collect_strings(json_object_get(j, "removals"), 0, &rm, &n_rm, &err);
  if (rc == ICE_OK) rc = collect_strings(json_object_get(j, "updates"), 1, &up, &n_up, &err);
  for (size_t i = 0; rc == ICE_OK && i < n_rm; i++)
    for (size_t k = 0; k < n_up; k++)
      if (strcmp(rm[i], up[2 * k]) == 0) {
        srv_reply_error(out, 422, "UnprocessableEntityException",
                        "a property key is both removed and updated");
        rc = -1;
        break;
      }
  struct cat_names removed = {0}, missing = {0};
  if (rc == ICE_OK)
    rc = s->cat->vt->update_namespace_properties(s->cat, ns, rm, n_rm, up, n_up, &removed,
                                                 &missing, &err);
  if (rc == ICE_OK) {
    json_t *updated = json_array();
    for (size_t k = 0; updated != NULL && k < n_up; k++)
      json_array_append_new(updated, json_string(up[2 * k]));
    srv_reply_json(out, 200,
                   json_pack("{s:o,s:o,s:o}", "updated", updated, "removed",
                             names_json(&removed), "missing", names_json(&missing)));
  } else if (rc != -1) {
    srv_reply_ice_error(out, rc, &err, "namespace");
  }
  cat_names_reset(&removed);
  cat_names_reset(&missing);
  ice_free(rm);
  ice_free(up);
  json_decref(j);
}
