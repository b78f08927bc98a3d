/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The table endpoints of `icestream serve`: list, create (staged or not), register,
 * load/exists, drop and commit. A commit is parsed into the same requirement and
 * update lists the SQL catalogs apply (iceberg/ib_update.h) and handed to the catalog,
 * so the checks, the builder and the compare-and-swap are the ones every icestream
 * load goes through; the server never builds metadata another way.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "iceberg/ib_location.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_update.h"
#include "ops/op_drop.h"
#include "ops/op_table.h"
#include "serve/srv_route.h"
#include "util/alloc.h"
#include "util/buf.h"

static int64_t wall_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return 0;
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The table config of a response: the storage settings serve was given, only to a
 * client that asked for them with X-Iceberg-Access-Delegation: vended-credentials. */
static const char *table_config(const struct srv_state *s, const struct srv_request *rq) {
  if (s->vend_config != NULL && rq->delegation != NULL &&
      strstr(rq->delegation, "vended-credentials") != NULL)
    return s->vend_config;
  return "{}";
}

/* LoadTableResult / CommitTableResponse: {"metadata-location", "metadata", "config"},
 * built around the metadata's own serialization (location NULL: a staged create). */
static void reply_table(struct srv_response *out, const char *location,
                        const struct ib_table_metadata *md, const char *config) {
  struct ice_error err;
  ice_error_clear(&err);
  char *mj = NULL, *lj = NULL;
  size_t mn = 0;
  json_t *l = location ? json_string(location) : NULL;
  int rc = ib_table_metadata_to_json(md, &mj, &mn, &err);
  if (rc == ICE_OK && l != NULL) rc = ib_json_dump(l, JSON_COMPACT | JSON_ENCODE_ANY, &lj, NULL, &err);
  json_decref(l);
  struct ice_buf b;
  ice_buf_init(&b, SIZE_MAX);
  if (rc == ICE_OK && lj != NULL) {
    rc = ice_buf_append(&b, "{\"metadata-location\":", 21, &err);
    if (rc == ICE_OK) rc = ice_buf_append(&b, lj, strlen(lj), &err);
    if (rc == ICE_OK) rc = ice_buf_append(&b, ",\"metadata\":", 12, &err);
  } else if (rc == ICE_OK) {
    rc = ice_buf_append(&b, "{\"metadata\":", 12, &err);
  }
  if (rc == ICE_OK) rc = ice_buf_append(&b, mj, mn, &err);
  if (rc == ICE_OK) rc = ice_buf_append(&b, ",\"config\":", 10, &err);
  if (rc == ICE_OK) rc = ice_buf_append(&b, config, strlen(config), &err);
  if (rc == ICE_OK) rc = ice_buf_append_byte(&b, '}', &err);
  ice_free(mj);
  ice_free(lj);
  if (rc != ICE_OK) {
    ice_buf_reset(&b);
    srv_reply_ice_error(out, rc, &err, "table");
    return;
  }
  srv_response_reset(out);
  out->status = 200;
  out->len = b.len;
  out->body = (char *)ice_buf_take(&b);
}

static int require_namespace(struct srv_state *s, const char *ns, struct ice_error *err) {
  int exists = 0;
  ICE_TRY(srv_namespace_exists(s, ns, &exists, err));
  if (!exists) ICE_FAIL(err, ICE_ENOTFOUND, "namespace %s does not exist", ns);
  return ICE_OK;
}

void srv_tables_list(struct srv_state *s, const char *ns, struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  struct cat_names names = {0};
  int rc = require_namespace(s, ns, &err);
  if (rc == ICE_OK) rc = s->cat->vt->list_tables(s->cat, ns, &names, &err);
  if (rc != ICE_OK) {
    cat_names_reset(&names);
    {
srv_reply_ice_error(out, rc, &err, "namespace");
 return;
}
  }
  json_t *ids = json_array();
  for (size_t i = 0; i < names.n; i++) {
    const char *full = names.items[i];
    const char *dot = strrchr(full, '.');
    if (dot == NULL) continue;
    char *n = ice_strndup(full, (size_t)(dot - full));
    if (n == NULL) continue;
    json_array_append_new(ids, json_pack("{s:o,s:s}", "namespace", srv_namespace_json(n),
                                         "name", dot + 1));
    ice_free(n);
  }
  cat_names_reset(&names);
  srv_reply_json(out, 200, json_pack("{s:o}", "identifiers", ids));
}

static json_t *parse_body(const struct srv_request *rq, struct ice_error *err) {
  json_error_t je;
  json_t *j = json_loadb(rq->body ? rq->body : "", rq->len, JSON_REJECT_DUPLICATES, &je);
  if (!json_is_object(j)) {
    json_decref(j);
    ice_error_set(err, ICE_EINVAL, "request body is not a JSON object");
    return NULL;
  }
  return j;
}

/* A table name from a body: the same rules as a path segment's. */
static int body_name(const json_t *j, const char *ns, struct cat_ident *id,
                     struct ice_error *err) {
  const json_t *n = json_object_get(j, "name");
  if (!json_is_string(n)) ICE_FAIL(err, ICE_EINVAL, "'name' must be a string");
  const char *v = json_string_value(n);
  size_t len = json_string_length(n);
  if (len == 0 || len > 255 || strlen(v) != len || strchr(v, '.') || strchr(v, '/') ||
      strchr(v, '\\'))
    ICE_FAIL(err, ICE_EINVAL, "table name must be 1..255 bytes without '.', '/' or NUL");
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)v[i] < 0x20 || v[i] == 0x7F)
      ICE_FAIL(err, ICE_EINVAL, "table name holds a control character");
  id->ns = ice_strdup(ns);
  id->name = ice_strdup(v);
  if (id->ns == NULL || id->name == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  return ICE_OK;
}

/* A location the client asks for must be a folder of the warehouse (never "..", so it
 * stays inside it). */
static int under(const char *loc, const char *dir) {
  size_t w = strlen(dir);
  return strncmp(loc, dir, w) == 0 && loc[w] == '/' && loc[w + 1] != '\0';
}

static int check_location(const struct srv_state *s, const char *loc,
                          struct ice_error *err) {
  char *wh_uri = NULL; /* the warehouse as a file: URI, the form icestream writes */
  int inside = under(loc, s->cat->warehouse);
  size_t w = strlen(s->cat->warehouse);
  if (!inside && s->cat->warehouse[0] == '/') {
    ICE_TRY(ib_location_from_local_path(s->cat->warehouse, &wh_uri, err));
    inside = under(loc, wh_uri);
    w = strlen(wh_uri);
    ice_free(wh_uri);
  }
  if (!inside)
    ICE_FAIL(err, ICE_EINVAL, "table location %.500s is not inside the warehouse %s",
             loc, s->cat->warehouse);
  ICE_TRY(ib_location_check_path_chars("table location", loc, err));
  for (const char *p = loc + w; *p; p++)
    if (p[0] == '/' && p[1] == '.' && (p[2] == '/' || p[2] == '\0' ||
                                       (p[2] == '.' && (p[3] == '/' || p[3] == '\0'))))
      ICE_FAIL(err, ICE_EINVAL, "table location must not hold '.' or '..' segments");
  return ICE_OK;
}

static int string_map(const json_t *o, struct ib_str_map *m, struct ice_error *err) {
  if (o == NULL || json_is_null(o)) return ICE_OK;
  if (!json_is_object(o)) ICE_FAIL(err, ICE_EINVAL, "'properties' must be an object");
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)(uintptr_t)o, k, v) {
    if (!json_is_string(v)) ICE_FAIL(err, ICE_EINVAL, "property '%.200s' is not a string", k);
    ICE_TRY(ib_str_map_set(m, k, json_string_value(v), err));
  }
  return ICE_OK;
}

/* The create updates of a CreateTableRequest. */
static int create_lists(struct srv_state *s, const json_t *j, const struct cat_ident *id,
                        struct ib_requirement_list *reqs, struct ib_update_list *ups,
                        struct ice_error *err) {
  struct ib_schema schema;
  struct ib_partition_spec spec;
  struct ib_str_map props;
  ib_schema_init(&schema, 0);
  memset(&spec, 0, sizeof spec);
  ib_str_map_init(&props);
  char *loc = NULL;
  const json_t *jl = json_object_get(j, "location");
  const json_t *jspec = json_object_get(j, "partition-spec");
  const json_t *jorder = json_object_get(j, "write-order");
  const json_t *jorder_fields = json_is_object(jorder) ? json_object_get(jorder, "fields")
                                                       : NULL;
  int has_spec = 0;
  char uuid[IB_UUID_STR_LEN];
  int rc = ICE_OK;
  if (!json_is_object(json_object_get(j, "schema")))
    rc = ice_error_set(err, ICE_EINVAL, "'schema' must be an object");
  if (rc == ICE_OK) rc = ib_schema_from_json(json_object_get(j, "schema"), &schema, err);
  if (rc == ICE_OK && jspec != NULL && !json_is_null(jspec)) {
    rc = ib_partition_spec_from_json(jspec, &spec, err);
    has_spec = rc == ICE_OK;
  }
  if (rc == ICE_OK && json_array_size(jorder_fields) > 0)
    rc = ice_error_set(err, ICE_EUNSUPPORTED, "sorted tables are not supported");
  if (rc == ICE_OK) rc = string_map(json_object_get(j, "properties"), &props, err);
  if (rc == ICE_OK && jl != NULL && !json_is_null(jl)) {
    if (!json_is_string(jl)) rc = ice_error_set(err, ICE_EINVAL, "'location' must be a string");
    if (rc == ICE_OK) rc = check_location(s, json_string_value(jl), err);
    if (rc == ICE_OK && (loc = ice_strdup(json_string_value(jl))) == NULL)
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  } else if (rc == ICE_OK) {
    char *path = NULL;
    rc = cat_default_location(s->cat, id, &path, err);
    /* Local tables get file: URIs, as icestream's own creates write them. */
    if (rc == ICE_OK && path[0] == '/') rc = ib_location_from_local_path(path, &loc, err);
    else if (rc == ICE_OK) loc = path, path = NULL;
    ice_free(path);
  }
  /* As icestream's own creates check: a folder another table uses (say, one renamed
   * away from this name keeps its folder) is refused, or purging either would delete
   * the other's files. */
  if (rc == ICE_OK) rc = op_check_new_table_location(s->cat, id, loc, &props, err);
  if (rc == ICE_OK) rc = ib_uuid4(uuid, err);
  if (rc == ICE_OK)
    rc = ib_commit_new_partitioned_table(uuid, loc, &schema, has_spec ? &spec : NULL,
                                         &props, reqs, ups, err);
  ib_schema_reset(&schema);
  if (has_spec) ib_partition_spec_reset(&spec);
  ib_str_map_reset(&props);
  ice_free(loc);
  return rc;
}

/* A commit's requirements and updates, and the table it yields (metadata, location). */
struct table_change {
  struct ib_requirement_list reqs;
  struct ib_update_list ups;
  struct ib_table_metadata md;
  char *loc;
};

static void change_init(struct table_change *tc) {
  ib_requirement_list_init(&tc->reqs);
  ib_update_list_init(&tc->ups);
  ib_table_metadata_init(&tc->md);
  tc->loc = NULL;
}

static void change_reset(struct table_change *tc) {
  ice_free(tc->loc);
  ib_table_metadata_reset(&tc->md);
  ib_requirement_list_reset(&tc->reqs);
  ib_update_list_reset(&tc->ups);
}

/* Commits tc's requirements and updates through the catalog: tc->loc and tc->md are
 * the table afterwards. */
static int change_commit(struct srv_state *s, const struct cat_ident *id,
                         struct table_change *tc, struct ice_error *err) {
  struct cat_commit cc = {tc->reqs.items, tc->reqs.n, tc->ups.items, tc->ups.n, NULL, NULL};
  return s->cat->vt->commit(s->cat, id, &cc, &tc->loc, &tc->md, err);
}

void srv_table_create(struct srv_state *s, const char *ns, const struct srv_request *rq,
                      struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  struct cat_ident id = {0};
  struct table_change tc;
  change_init(&tc);
  json_t *j = parse_body(rq, &err);
  int rc = j ? ICE_OK : ICE_EINVAL;
  if (rc == ICE_OK) rc = require_namespace(s, ns, &err);
  if (rc == ICE_OK) rc = body_name(j, ns, &id, &err);
  if (rc == ICE_OK) rc = create_lists(s, j, &id, &tc.reqs, &tc.ups, &err);
  const json_t *stage = j ? json_object_get(j, "stage-create") : NULL;
  if (rc == ICE_OK && json_is_true(stage)) {
    /* Staged: the metadata the create would have, nothing stored; the client commits
     * it (with assert-create) to the table's endpoint. */
    rc = ib_metadata_build(NULL, NULL, tc.ups.items, tc.ups.n, wall_ms(), &tc.md, &err);
    if (rc == ICE_OK) reply_table(out, NULL, &tc.md, table_config(s, rq));
  } else if (rc == ICE_OK) {
    rc = change_commit(s, &id, &tc, &err);
    if (rc == ICE_OK) reply_table(out, tc.loc, &tc.md, table_config(s, rq));
  }
  if (rc == ICE_EEXISTS)
    srv_reply_error(out, 409, "AlreadyExistsException", err.message);
  else if (rc != ICE_OK)
    srv_reply_ice_error(out, rc, &err, rc == ICE_ENOTFOUND ? "namespace" : "table");
  json_decref(j);
  change_reset(&tc);
  cat_ident_reset(&id);
}

void srv_table_register(struct srv_state *s, const char *ns,
                        const struct srv_request *rq, struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  struct cat_ident id = {0};
  json_t *j = parse_body(rq, &err);
  int rc = j ? ICE_OK : ICE_EINVAL;
  const json_t *ml = j ? json_object_get(j, "metadata-location") : NULL;
  if (rc == ICE_OK) rc = require_namespace(s, ns, &err);
  if (rc == ICE_OK) rc = body_name(j, ns, &id, &err);
  if (rc == ICE_OK && !json_is_string(ml))
    rc = ice_error_set(&err, ICE_EINVAL, "'metadata-location' must be a string");
  if (rc == ICE_OK && json_is_true(json_object_get(j, "overwrite")))
    rc = ice_error_set(&err, ICE_EUNSUPPORTED, "register with overwrite is not supported");
  if (rc == ICE_OK)
    rc = ib_location_check_path_chars("metadata-location", json_string_value(ml), &err);
  if (rc == ICE_OK)
    rc = s->cat->vt->register_table(s->cat, &id, json_string_value(ml), &err);
  if (rc == ICE_OK) {
    srv_table_load(s, &id, 0, rq, out);
  } else if (rc == ICE_EEXISTS) {
    srv_reply_error(out, 409, "AlreadyExistsException", err.message);
  } else {
    srv_reply_ice_error(out, rc, &err, rc == ICE_ENOTFOUND ? "namespace" : "table");
  }
  json_decref(j);
  cat_ident_reset(&id);
}

void srv_table_load(struct srv_state *s, const struct cat_ident *id, int head,
                    const struct srv_request *rq, struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  char *loc = NULL;
  int rc = s->cat->vt->load(s->cat, id, &loc, head ? NULL : &md, &err);
  if (rc != ICE_OK) {
    srv_reply_ice_error(out, rc, &err, "table");
  } else if (head) {
    srv_response_reset(out);
    out->status = 204;
  } else {
    reply_table(out, loc, &md, table_config(s, rq));
  }
  ice_free(loc);
  ib_table_metadata_reset(&md);
}

void srv_table_drop(struct srv_state *s, const struct cat_ident *id,
                    const struct srv_request *rq, struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  const char *q = rq->q_purge;
  /* Any case: pyiceberg sends Python's "True"/"False". */
  if (q != NULL && strcasecmp(q, "true") != 0 && strcasecmp(q, "false") != 0) {
    srv_reply_error(out, 400, "BadRequestException", "purgeRequested must be true or false");
    return;
  }
  int purge = q != NULL && strcasecmp(q, "true") == 0;
  /* The same drop (and purge checks) as `icestream drop [--purge]`. */
  size_t n = strlen(id->ns) + strlen(id->name) + 2;
  char *ident = ice_malloc(n);
  int rc = ident ? ICE_OK : ice_error_set(&err, ICE_ENOMEM, "out of memory");
  if (rc == ICE_OK) {
    snprintf(ident, n, "%s.%s", id->ns, id->name);
    rc = op_table_drop(s->cat, ident, purge, &err);
  }
  ice_free(ident);
  if (purge && (rc == ICE_EAUTH || rc == ICE_EEXISTS)) {
    /* Refused before anything changed: the table is still there. */
    srv_reply_error(out, 403, "ForbiddenException", err.message);
  } else if (rc != ICE_OK) {
    srv_reply_ice_error(out, rc, &err, "table");
  } else {
    srv_response_reset(out);
    out->status = 204;
  }
}

/* A TableIdentifier object {namespace: [...], name} -> id (owned parts). */
static int body_ident(const json_t *o, const char *what, struct cat_ident *id,
                      struct ice_error *err) {
  if (!json_is_object(o)) ICE_FAIL(err, ICE_EINVAL, "'%s' must be a TableIdentifier", what);
  char *ns = NULL;
  ICE_TRY(srv_namespace_from_json(json_object_get(o, "namespace"), &ns, err));
  int rc = cat_namespace_validate(ns, err);
  if (rc == ICE_OK) rc = body_name(o, ns, id, err);
  ice_free(ns);
  return rc;
}

void srv_table_rename(struct srv_state *s, const struct srv_request *rq,
                      struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  struct cat_ident from = {0}, to = {0};
  json_t *j = parse_body(rq, &err);
  int rc = j ? ICE_OK : ICE_EINVAL;
  if (rc == ICE_OK) rc = body_ident(json_object_get(j, "source"), "source", &from, &err);
  if (rc == ICE_OK)
    rc = body_ident(json_object_get(j, "destination"), "destination", &to, &err);
  if (rc == ICE_OK) rc = require_namespace(s, to.ns, &err);
  const char *what = "namespace";
  if (rc == ICE_OK) {
    rc = s->cat->vt->rename_table(s->cat, &from, &to, &err);
    /* The catalog names what it did not find: the table, or the namespace. */
    if (rc == ICE_ENOTFOUND && strncmp(err.message, "namespace", 9) != 0) what = "table";
  }
  if (rc == ICE_ECONFLICT) {
    /* A lock the catalog could not get: 409 would read as "destination exists". */
    srv_reply_error(out, 503, "ServiceUnavailableException", err.message);
  } else if (rc != ICE_OK) {
    srv_reply_ice_error(out, rc, &err, what);
  } else {
    srv_response_reset(out);
    out->status = 204;
  }
  json_decref(j);
  cat_ident_reset(&from);
  cat_ident_reset(&to);
}

#define SRV_MAX_TRANSACTION_TABLES 100

/* One table-change of a CommitTransactionRequest: its identifier and lists. */
static int transaction_change(const json_t *change, struct cat_ident *id,
                              struct table_change *tc, struct ice_error *err) {
  if (!json_is_object(change)) ICE_FAIL(err, ICE_EINVAL, "a table change must be an object");
  ICE_TRY(body_ident(json_object_get(change, "identifier"), "identifier", id, err));
  char *text = NULL;
  size_t len = 0;
  ICE_TRY(ib_json_dump((json_t *)(uintptr_t)change, JSON_COMPACT, &text, &len, err));
  int rc = ib_commit_request_parse(text, len, &tc->reqs, &tc->ups, err);
  ice_free(text);
  return rc;
}

void srv_transaction_commit(struct srv_state *s, const struct srv_request *rq,
                            struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  if (s->cat->vt->commit_tables == NULL) {
    srv_reply_error(out, 406, "UnsupportedOperationException",
                    "multi-table transactions are not supported by this catalog");
    return;
  }
  json_t *j = parse_body(rq, &err);
  const json_t *changes = j ? json_object_get(j, "table-changes") : NULL;
  size_t n = json_array_size(changes);
  int rc = j ? ICE_OK : ICE_EINVAL;
  if (rc == ICE_OK && (!json_is_array(changes) || n == 0 || n > SRV_MAX_TRANSACTION_TABLES))
    rc = ice_error_set(&err, ICE_EINVAL, "'table-changes' must list 1..%d table changes",
                       SRV_MAX_TRANSACTION_TABLES);
  struct cat_ident *ids = rc == ICE_OK ? ice_calloc(n, sizeof *ids) : NULL;
  struct table_change *tcs = rc == ICE_OK ? ice_calloc(n, sizeof *tcs) : NULL;
  struct cat_commit *ccs = rc == ICE_OK ? ice_calloc(n, sizeof *ccs) : NULL;
  if (rc == ICE_OK && (ids == NULL || tcs == NULL || ccs == NULL))
    rc = ice_error_set(&err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; tcs != NULL && i < n; i++) change_init(&tcs[i]);
  int parsed = rc == ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < n; i++) {
    rc = transaction_change(json_array_get(changes, i), &ids[i], &tcs[i], &err);
    struct cat_commit cc = {tcs[i].reqs.items, tcs[i].reqs.n, tcs[i].ups.items,
                            tcs[i].ups.n, NULL, NULL};
    ccs[i] = cc;
  }
  if (rc != ICE_OK && parsed) {
    /* Unknown requirements or updates: nothing of the transaction is applied. */
    srv_reply_error(out, 400, "BadRequestException", err.message);
  } else if (rc != ICE_OK) {
    srv_reply_ice_error(out, rc, &err, "table");
  } else {
    rc = s->cat->vt->commit_tables(s->cat, n, ids, ccs, &err);
    if (rc == ICE_OK) {
      s->committed = 1;
      srv_response_reset(out);
      out->status = 204;
    } else if (rc == ICE_EEXISTS || rc == ICE_ECONFLICT) {
      srv_reply_error(out, 409, "CommitFailedException", err.message);
    } else {
      srv_reply_ice_error(out, rc, &err, "table");
    }
  }
  for (size_t i = 0; i < n && tcs != NULL; i++) change_reset(&tcs[i]);
  for (size_t i = 0; i < n && ids != NULL; i++) cat_ident_reset(&ids[i]);
  ice_free(ids);
  ice_free(tcs);
  ice_free(ccs);
  json_decref(j);
}

void srv_table_commit(struct srv_state *s, const struct cat_ident *id,
                      const struct srv_request *rq, struct srv_response *out) {
  struct ice_error err;
  ice_error_clear(&err);
  struct table_change tc;
  change_init(&tc);
  int rc = ib_commit_request_parse(rq->body ? rq->body : "", rq->len, &tc.reqs, &tc.ups, &err);
  if (rc != ICE_OK) {
    /* An unknown requirement or update is a bad request, not a missing feature: the
     * client must not believe any part of it was applied. */
    srv_reply_error(out, 400, "BadRequestException", err.message);
  } else {
    rc = change_commit(s, id, &tc, &err);
    if (rc == ICE_OK) {
      s->committed = 1;
      reply_table(out, tc.loc, &tc.md, table_config(s, rq));
    } else if (rc == ICE_EEXISTS) {
      srv_reply_error(out, 409, "CommitFailedException", err.message);
    } else {
      srv_reply_ice_error(out, rc, &err, "table");
    }
  }
  change_reset(&tc);
}
