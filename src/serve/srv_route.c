/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Request routing of `icestream serve` and the endpoints that are not about one table:
 * GET /v1/config and the namespace endpoints. The path is split into raw segments and
 * each identifier segment decoded on its own (srv_path.c). Mutating requests that
 * carry an Idempotency-Key are answered from memory when the key was seen before, so a
 * client retrying after a lost response gets the first answer instead of a second
 * commit (reference/iceberg.md §8.5).
 */
#include "serve/srv_route.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "iceberg/ib_schema_json.h"
#include "util/alloc.h"

#define SRV_MAX_SEGMENTS 8

void srv_state_init(struct srv_state *s, struct cat_catalog *cat, const char *token) {
  memset(s, 0, sizeof *s);
  s->cat = cat;
  s->token = token;
  s->token_lifetime_s = 3600;
#ifdef ICE_TEST_HOOKS
  const char *d = getenv("ICESTREAM_TEST_SERVE_DROP_COMMITS");
  if (d != NULL) s->drop_every = (unsigned)strtoul(d, NULL, 10);
#endif
}

/* Frees a remembered answer, wiped first: it may hold vended storage credentials. */
static void idem_slot_clear(struct srv_idem_slot *slot) {
  if (slot->body != NULL) memset(slot->body, 0, slot->len);
  ice_free(slot->key);
  ice_free(slot->body);
  memset(slot, 0, sizeof *slot);
}

void srv_state_reset(struct srv_state *s) {
  memset(s->issued, 0, sizeof s->issued); /* no token lingers in memory */
  for (size_t i = 0; i < SRV_IDEMPOTENCY_SLOTS; i++) idem_slot_clear(&s->idem[i]);
}

static const char *const k_endpoints[] = {
    "GET /v1/namespaces",
    "POST /v1/namespaces",
    "GET /v1/namespaces/{namespace}",
    "HEAD /v1/namespaces/{namespace}",
    "DELETE /v1/namespaces/{namespace}",
    "POST /v1/namespaces/{namespace}/properties",
    "GET /v1/namespaces/{namespace}/tables",
    "POST /v1/namespaces/{namespace}/tables",
    "GET /v1/namespaces/{namespace}/tables/{table}",
    "HEAD /v1/namespaces/{namespace}/tables/{table}",
    "POST /v1/namespaces/{namespace}/tables/{table}",
    "DELETE /v1/namespaces/{namespace}/tables/{table}",
    "POST /v1/namespaces/{namespace}/register",
    "POST /v1/tables/rename",
    "POST /v1/transactions/commit",
    NULL};

static void config(const struct srv_state *s, struct srv_response *out) {
  json_t *eps = json_array();
  for (size_t i = 0; eps != NULL && k_endpoints[i] != NULL; i++)
    json_array_append_new(eps, json_string(k_endpoints[i]));
  /* The warehouse is an override: table locations are the server's to decide, and a
   * client on the same machine writes its data files under it. */
  srv_reply_json(out, 200,
                 json_pack("{s:{},s:{s:s},s:o,s:s}", "defaults", "overrides", "warehouse",
                           s->cat->warehouse, "endpoints", eps,
                           "idempotency-key-lifetime", "PT30M"));
}

/* Every namespace the catalog knows, and each of their ancestors. */
static int known_namespaces(struct srv_state *s, struct cat_names *out,
                            struct ice_error *err) {
  struct cat_names all = {0};
  int rc = s->cat->vt->list_namespaces(s->cat, &all, err);
  for (size_t i = 0; rc == ICE_OK && i < all.n; i++) {
    char *n = all.items[i];
    for (char *p = n; rc == ICE_OK && *p; p++) {
      if (*p != '.') continue;
      *p = '\0';
      rc = cat_names_push(out, n, err);
      *p = '.';
    }
    if (rc == ICE_OK) rc = cat_names_push(out, n, err);
  }
  cat_names_reset(&all);
  if (rc == ICE_OK) cat_names_sort(out);
  return rc;
}

int srv_namespace_exists(struct srv_state *s, const char *ns, int *exists,
                         struct ice_error *err) {
  struct cat_names known = {0};
  int rc = known_namespaces(s, &known, err);
  *exists = 0;
  for (size_t i = 0; rc == ICE_OK && i < known.n; i++)
    if (strcmp(known.items[i], ns) == 0) *exists = 1;
  cat_names_reset(&known);
  return rc;
}

static void namespaces_list(struct srv_state *s, const char *parent,
                            struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  struct cat_names known = {0};
  int rc = known_namespaces(s, &known, &err);
  json_t *arr = json_array();
  size_t pn = parent ? strlen(parent) : 0;
  const char *last = NULL;
  int parent_known = 0;
  for (size_t i = 0; rc == ICE_OK && i < known.n; i++) {
    const char *n = known.items[i];
    if (parent != NULL && strcmp(n, parent) == 0) parent_known = 1;
    const char *rest = n;
    if (parent != NULL) {
      if (strncmp(n, parent, pn) != 0 || n[pn] != '.') continue;
      rest = n + pn + 1;
    }
    if (strchr(rest, '.') != NULL) continue; /* a grandchild */
    if (last != NULL && strcmp(last, n) == 0) continue;
    last = n;
    json_array_append_new(arr, srv_namespace_json(n));
  }
  if (rc != ICE_OK) {
    json_decref(arr);
    srv_reply_ice_error(out, rc, &err, "namespace");
  } else if (parent != NULL && !parent_known) {
    json_decref(arr);
    srv_reply_error(out, 404, "NoSuchNamespaceException", "namespace does not exist");
  } else {
    srv_reply_json(out, 200, json_pack("{s:o}", "namespaces", arr));
  }
  cat_names_reset(&known);
}

/* Creates ns and sets the properties a CreateNamespaceRequest carries (an object of
 * strings, or NULL). */
static int create_with(struct srv_state *s, const char *ns, const json_t *props,
                       struct ice_error *err) {
  size_t n = json_is_object(props) ? json_object_size(props) : 0;
  if (n > 10000) ICE_FAIL(err, ICE_EINVAL, "at most 10000 properties per namespace");
  const char **kv = ice_calloc(2 * n + 1, sizeof *kv);
  if (kv == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  size_t k = 0;
  int rc = ICE_OK;
  const char *key;
  const json_t *v;
  if (n > 0) {
    json_object_foreach((json_t *)(uintptr_t)props, key, v) {
      if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
        rc = ice_error_set(err, ICE_EINVAL, "property '%.200s' is not a string", key);
        break;
      }
      kv[k++] = key;
      kv[k++] = json_string_value(v);
    }
  }
  /* Checked before anything is created: a refused property must not leave the
   * namespace behind (a retry would then find it exists). */
  if (rc == ICE_OK) rc = cat_namespace_properties_check(NULL, 0, kv, k / 2, err);
  if (rc == ICE_OK) rc = s->cat->vt->ensure_namespace(s->cat, ns, err);
  struct cat_names removed = {0}, missing = {0};
  if (rc == ICE_OK && k > 0)
    rc = s->cat->vt->update_namespace_properties(s->cat, ns, NULL, 0, kv, k / 2, &removed,
                                                 &missing, err);
  cat_names_reset(&removed);
  cat_names_reset(&missing);
  ice_free(kv);
  return rc;
}

static void namespace_create(struct srv_state *s, const struct srv_request *rq,
                             struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  json_error_t je;
  json_t *j = json_loadb(rq->body ? rq->body : "", rq->len, JSON_REJECT_DUPLICATES, &je);
  char *ns = NULL;
  int exists = 0;
  const json_t *props = j ? json_object_get(j, "properties") : NULL;
  int rc = ICE_OK;
  if (!json_is_object(j)) {
    rc = ice_error_set(&err, ICE_EINVAL, "body must be a CreateNamespaceRequest object");
  } else if (props != NULL && !json_is_object(props) && !json_is_null(props)) {
    rc = ice_error_set(&err, ICE_EINVAL, "'properties' must be an object");
  } else {
    rc = srv_namespace_from_json(json_object_get(j, "namespace"), &ns, &err);
  }
  if (rc == ICE_OK) rc = cat_namespace_validate(ns, &err);
  if (rc == ICE_OK) rc = srv_namespace_exists(s, ns, &exists, &err);
  if (rc == ICE_OK && exists) {
    srv_reply_error(out, 409, "AlreadyExistsException", "namespace already exists");
  } else if (rc == ICE_OK && (rc = create_with(s, ns, props, &err)) == ICE_OK) {
    json_t *shown = NULL;
    rc = srv_namespace_properties_json(s, ns, &shown, &err);
    if (rc == ICE_OK)
      srv_reply_json(out, 200,
                     json_pack("{s:o,s:o}", "namespace", srv_namespace_json(ns),
                               "properties", shown));
  }
  if (rc != ICE_OK) srv_reply_ice_error(out, rc, &err, "namespace");
  json_decref(j);
  ice_free(ns);
}

static void namespace_load(struct srv_state *s, const char *ns, int head,
                           struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  int exists = 0;
  int rc = srv_namespace_exists(s, ns, &exists, &err);
  if (rc != ICE_OK) {
    srv_reply_ice_error(out, rc, &err, "namespace");
    return;
  }
  if (!exists) {
    srv_reply_error(out, 404, "NoSuchNamespaceException", "namespace does not exist");
    return;
  }
  if (head) {
    srv_response_reset(out);
    out->status = 204;
    return;
  }
  json_t *props = NULL;
  rc = srv_namespace_properties_json(s, ns, &props, &err);
  if (rc != ICE_OK) {
    srv_reply_ice_error(out, rc, &err, "namespace");
    return;
  }
  srv_reply_json(
      out, 200,
      json_pack("{s:o,s:o}", "namespace", srv_namespace_json(ns), "properties", props));
}

/* Splits "/v1/a/b/c" into raw segments; 0 when the path is not of that shape. */
static size_t split(const char *path, const char **seg, size_t *len) {
  if (strncmp(path, "/v1/", 4) != 0) return 0;
  size_t n = 0;
  const char *p = path + 4;
  for (;;) {
    const char *slash = strchr(p, '/');
    size_t l = slash ? (size_t)(slash - p) : strlen(p);
    if (l == 0 || n == SRV_MAX_SEGMENTS) return 0;
    seg[n] = p;
    len[n++] = l;
    if (slash == NULL) return n;
    p = slash + 1;
  }
}

static int is(const char *seg, size_t n, const char *word) {
  return strlen(word) == n && memcmp(seg, word, n) == 0;
}

static int is_token_request(const char *path) {
  const char *seg[SRV_MAX_SEGMENTS];
  size_t len[SRV_MAX_SEGMENTS];
  size_t n = split(path, seg, len);
  return n == 2 && is(seg[0], len[0], "oauth") && is(seg[1], len[1], "tokens");
}

static void not_found(struct srv_response *out) {
  srv_reply_error(out, 404, "NoSuchEndpointException", "no such endpoint");
}

static void bad_method(struct srv_response *out) {
  srv_reply_error(out, 405, "MethodNotAllowedException",
                  "method not allowed on this endpoint");
}

static void route_table(struct srv_state *s, const char *m, const char *ns,
                        const char *seg, size_t len, const struct srv_request *rq,
                        struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  char *name = NULL;
  int rc = srv_segment_decode(seg, len, &name, &err);
  struct cat_ident id = {0};
  if (rc == ICE_OK) {
    id.ns = ice_strdup(ns);
    id.name = name;
    name = NULL;
    if (id.ns == NULL) rc = ice_error_set(&err, ICE_ENOMEM, "out of memory");
  }
  /* cat_ident_parse's rules for the name, applied to the decoded parts. */
  if (rc == ICE_OK && (strchr(id.name, '.') != NULL || strlen(id.name) > 255 ||
                       strcmp(id.name, "..") == 0))
    rc = ice_error_set(&err, ICE_EINVAL, "table name must be 1..255 bytes without '.'");
  if (rc != ICE_OK) {
    srv_reply_ice_error(out, rc, &err, "table");
  } else if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0) {
    srv_table_load(s, &id, strcmp(m, "HEAD") == 0, rq, out);
  } else if (strcmp(m, "POST") == 0) {
    srv_table_commit(s, &id, rq, out);
  } else if (strcmp(m, "DELETE") == 0) {
    srv_table_drop(s, &id, rq, out);
  } else {
    bad_method(out);
  }
  cat_ident_reset(&id);
  ice_free(name);
}

static void route(struct srv_state *s, const struct srv_request *rq,
                  struct srv_response *out) {
  const char *seg[SRV_MAX_SEGMENTS];
  size_t len[SRV_MAX_SEGMENTS];
  size_t n = split(rq->path, seg, len);
  const char *m = rq->method;
  if (is_token_request(rq->path)) {
    if (strcmp(m, "POST") != 0) {
      bad_method(out);
      return;
    }
    {
      srv_auth_token(s, rq, out);
      return;
    }
  }
  if (!srv_auth_check(s, rq, out)) return;
  if (n == 0) {
    not_found(out);
    return;
  }
  if (n == 1 && is(seg[0], len[0], "config")) {
    if (strcmp(m, "GET") != 0) {
      bad_method(out);
      return;
    }
    {
      config(s, out);
      return;
    }
  }
  if (n == 2 && is(seg[0], len[0], "tables") && is(seg[1], len[1], "rename")) {
    if (strcmp(m, "POST") != 0)
      bad_method(out);
    else
      srv_table_rename(s, rq, out);
    return;
  }
  if (n == 2 && is(seg[0], len[0], "transactions") && is(seg[1], len[1], "commit")) {
    if (strcmp(m, "POST") != 0)
      bad_method(out);
    else
      srv_transaction_commit(s, rq, out);
    return;
  }
  if (!is(seg[0], len[0], "namespaces")) {
    not_found(out);
    return;
  }
  struct ice_error err;
  ice_error_clear(&err);
  if (n == 1) {
    if (strcmp(m, "POST") == 0) {
      namespace_create(s, rq, out);
      return;
    }
    if (strcmp(m, "GET") != 0) {
      bad_method(out);
      return;
    }
    char *parent = NULL;
    if (rq->q_parent != NULL) {
      int rc = srv_namespace_decode(rq->q_parent, strlen(rq->q_parent), &parent, &err);
      if (rc != ICE_OK) {
        srv_reply_ice_error(out, rc, &err, "namespace");
        return;
      }
    }
    namespaces_list(s, parent, out);
    ice_free(parent);
    return;
  }
  char *ns = NULL;
  int rc = srv_namespace_decode(seg[1], len[1], &ns, &err);
  if (rc != ICE_OK) {
    srv_reply_ice_error(out, rc, &err, "namespace");
    return;
  }
  if (n == 2) {
    if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
      namespace_load(s, ns, strcmp(m, "HEAD") == 0, out);
    else if (strcmp(m, "DELETE") == 0)
      srv_namespace_drop(s, ns, out);
    else
      bad_method(out);
  } else if (n == 3 && is(seg[2], len[2], "tables")) {
    if (strcmp(m, "GET") == 0)
      srv_tables_list(s, ns, out);
    else if (strcmp(m, "POST") == 0)
      srv_table_create(s, ns, rq, out);
    else
      bad_method(out);
  } else if (n == 3 && is(seg[2], len[2], "register")) {
    if (strcmp(m, "POST") == 0)
      srv_table_register(s, ns, rq, out);
    else
      bad_method(out);
  } else if (n == 3 && is(seg[2], len[2], "properties")) {
    if (strcmp(m, "POST") == 0)
      srv_namespace_update_properties(s, ns, rq, out);
    else
      bad_method(out);
  } else if (n == 4 && is(seg[2], len[2], "tables")) {
    route_table(s, m, ns, seg[3], len[3], rq, out);
  } else {
    not_found(out);
  }
  ice_free(ns);
}

static struct srv_idem_slot *idem_find(struct srv_state *s, const char *key) {
  for (size_t i = 0; i < SRV_IDEMPOTENCY_SLOTS; i++)
    if (s->idem[i].key != NULL && strcmp(s->idem[i].key, key) == 0) return &s->idem[i];
  return NULL;
}

/* Remembers a final answer (not a 5xx, nor a refused token: the client may retry
 * those, the latter with a fresh token). */
static void idem_store(struct srv_state *s, const char *key,
                       const struct srv_response *r) {
  if (r->status >= 500 || r->status == 401 || r->status == 419) return;
  struct srv_idem_slot *slot = &s->idem[s->idem_next];
  s->idem_next = (s->idem_next + 1) % SRV_IDEMPOTENCY_SLOTS;
  idem_slot_clear(slot);
  slot->key = ice_strdup(key);
  slot->body = r->len ? ice_malloc(r->len) : NULL;
  if (slot->key == NULL || (r->len && slot->body == NULL)) {
    ice_free(slot->key);
    ice_free(slot->body);
    slot->key = slot->body = NULL;
    return;
  }
  if (r->len) memcpy(slot->body, r->body, r->len);
  slot->len = r->len;
  slot->status = r->status;
}

void srv_handle(struct srv_state *s, const struct srv_request *rq,
                struct srv_response *out) {
  out->status = 500;
  out->body = NULL;
  out->len = 0;
  if (rq->method == NULL || rq->path == NULL) {
    not_found(out);
    return;
  }
  if (rq->len > SRV_MAX_BODY_BYTES) {
    srv_reply_error(out, 413, "BadRequestException", "request body is too large");
    return;
  }
  int mutating = strcmp(rq->method, "POST") == 0 || strcmp(rq->method, "DELETE") == 0;
  /* A token answer is never remembered: a replay would hand it to another client. */
  const char *key = mutating && !is_token_request(rq->path) ? rq->idem_key : NULL;
  if (key != NULL && (strlen(key) == 0 || strlen(key) > 128)) {
    {
      srv_reply_error(out, 400, "BadRequestException",
                      "Idempotency-Key must be 1..128 characters");
      return;
    }
  }
  if (key != NULL && srv_auth_check(s, rq, out)) {
    const struct srv_idem_slot *hit = idem_find(s, key);
    if (hit != NULL) {
      out->body = hit->len ? ice_malloc(hit->len) : NULL;
      if (hit->len && out->body == NULL) return; /* 500, no body */
      if (hit->len) memcpy(out->body, hit->body, hit->len);
      out->len = hit->len;
      out->status = hit->status;
      return;
    }
  }
  s->committed = 0;
  route(s, rq, out);
  if (key != NULL) idem_store(s, key, out);
#ifdef ICE_TEST_HOOKS
  /* The commit is applied (and its answer remembered under its key); the client sees
   * what a lost response looks like through a proxy. */
  if (s->committed && s->drop_every > 0 && ++s->drop_count % s->drop_every == 0)
    srv_reply_error(out, 503, "ServiceUnavailableException",
                    "test mode: commit applied, response dropped");
#endif
}
