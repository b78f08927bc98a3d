/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The REST catalog client (cat_rest.h; reference/iceberg.md §8.3-8.5,
 * rest-catalog-open-api.yaml). Paths are /v1/{prefix}/namespaces/{ns}/tables/{t} with
 * namespace levels joined by 0x1F and every segment percent-encoded. A commit is
 * POST .../tables/{t} with the requirement and update lists; a create first stages the
 * table (POST .../tables, stage-create) as Java's client does, then commits its
 * updates with assert-create. Outcomes (§8.5): 409 is a conflict (the operation
 * reloads, re-validates and retries); 5xx, a timeout or no response is unknown: the
 * request is retried under the same Idempotency-Key when the server advertises
 * idempotency, and otherwise (or then) the table is reloaded and searched for our
 * snapshot (or, for a create, our table UUID): found = committed, else
 * ICE_ECOMMIT_UNKNOWN. Nothing written is deleted on an unknown outcome.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/cat_rest.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_update.h"
#include "io/io_fileio.h"
#include "util/alloc.h"

#define REST_UNKNOWN_RETRIES 3
#define REST_MAX_NAMESPACES 100000

struct rest_priv {
  struct cat_rest_http *http;
  char *base;   /* uri without trailing '/' */
  char *prefix; /* NULL or "p" (owned) */
  char *token;  /* bearer (owned) */
  char *credential;
  char *oauth_uri;
  char *scope;
  int64_t token_expires_ms; /* 0 = no expiry known */
  int64_t token_life_ms;    /* the expires_in it came with */
  bool idempotency;         /* server advertised idempotency-key-lifetime */
};

static int64_t now_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return 0;
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool cat_rest_is_uri(const char *uri) {
  return uri != NULL && (strncmp(uri, "http://", 7) == 0 || strncmp(uri, "https://", 8) == 0);
}

bool cat_rest_is_property(const char *k) {
  static const char *const keys[] = {"token", "credential", "scope", "oauth2-server-uri",
                                     "prefix", "rest.timeout-ms", NULL};
  for (size_t i = 0; keys[i]; i++)
    if (strcmp(k, keys[i]) == 0) return true;
  return false;
}

static struct rest_priv *priv(struct cat_catalog *c) {
  return c->priv;
}

/* An Idempotency-Key: UUIDv7 (RFC 9562: 48-bit Unix milliseconds, then random bits),
 * as the spec asks. */
static int uuid7(char out[IB_UUID_STR_LEN], struct ice_error *err) {
  uint8_t b[16];
  ICE_TRY(ib_uuid4_bytes(b, err));
  uint64_t ms = (uint64_t)now_ms();
  for (int i = 0; i < 6; i++) b[i] = (uint8_t)(ms >> (40 - 8 * i));
  b[6] = (uint8_t)((b[6] & 0x0F) | 0x70); /* version 7 */
  ib_uuid_format(b, out);
  return ICE_OK;
}

/* ---- URLs ---- */

/* base + "/v1/" + prefix + "/" + rest; rest is already escaped. */
static int url_of(const struct rest_priv *p, const char *rest, struct ice_buf *b,
                  struct ice_error *err) {
  ice_buf_init(b, CAT_REST_MAX_URL);
  int rc = ice_buf_append(b, p->base, strlen(p->base), err);
  if (rc == ICE_OK) rc = ice_buf_append(b, "/v1/", 4, err);
  if (rc == ICE_OK && p->prefix != NULL) {
    rc = cat_rest_escape(b, p->prefix, strlen(p->prefix), err);
    if (rc == ICE_OK) rc = ice_buf_append_byte(b, '/', err);
  }
  if (rc == ICE_OK) rc = ice_buf_append(b, rest, strlen(rest) + 1, err);
  if (rc != ICE_OK) ice_buf_reset(b);
  return rc;
}

/* "a.b" -> "a%1Fb" (each level escaped) appended to b. */
static int escape_ns(struct ice_buf *b, const char *ns, struct ice_error *err) {
  const char *p = ns;
  for (;;) {
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    ICE_TRY(cat_rest_escape(b, p, n, err));
    if (dot == NULL) return ICE_OK;
    ICE_TRY(ice_buf_append(b, "%1F", 3, err));
    p = dot + 1;
  }
}

/* "namespaces/{ns}[/tail][/{name}]" into *out (owned). */
static int path_of(const char *ns, const char *tail, const char *name, char **out,
                   struct ice_error *err) {
  struct ice_buf b;
  ice_buf_init(&b, CAT_REST_MAX_URL);
  int rc = ice_buf_append(&b, "namespaces", 10, err);
  if (rc == ICE_OK && ns != NULL) {
    rc = ice_buf_append_byte(&b, '/', err);
    if (rc == ICE_OK) rc = escape_ns(&b, ns, err);
  }
  if (rc == ICE_OK && tail != NULL) {
    rc = ice_buf_append_byte(&b, '/', err);
    if (rc == ICE_OK) rc = ice_buf_append(&b, tail, strlen(tail), err);
  }
  if (rc == ICE_OK && name != NULL) {
    rc = ice_buf_append_byte(&b, '/', err);
    if (rc == ICE_OK) rc = cat_rest_escape(&b, name, strlen(name), err);
  }
  if (rc == ICE_OK) rc = ice_buf_append_byte(&b, 0, err);
  if (rc != ICE_OK) {
    ice_buf_reset(&b);
    return rc;
  }
  *out = (char *)ice_buf_take(&b);
  return ICE_OK;
}

/* ---- OAuth2 ---- */

static int fetch_token(struct rest_priv *p, struct ice_error *err) {
  const char *colon = strchr(p->credential, ':');
  const char *id = p->credential, *secret = colon ? colon + 1 : p->credential;
  size_t id_n = colon ? (size_t)(colon - p->credential) : 0;
  struct ice_buf form, url;
  ice_buf_init(&form, 64 * 1024);
  int rc = ice_buf_append(&form, "grant_type=client_credentials", 29, err);
  if (rc == ICE_OK && id_n > 0) {
    rc = ice_buf_append(&form, "&client_id=", 11, err);
    if (rc == ICE_OK) rc = cat_rest_escape(&form, id, id_n, err);
  }
  if (rc == ICE_OK) rc = ice_buf_append(&form, "&client_secret=", 15, err);
  if (rc == ICE_OK) rc = cat_rest_escape(&form, secret, strlen(secret), err);
  if (rc == ICE_OK) rc = ice_buf_append(&form, "&scope=", 7, err);
  const char *scope = p->scope ? p->scope : "catalog";
  if (rc == ICE_OK) rc = cat_rest_escape(&form, scope, strlen(scope), err);
  if (rc == ICE_OK) {
    if (p->oauth_uri != NULL) {
      ice_buf_init(&url, CAT_REST_MAX_URL);
      rc = ice_buf_append(&url, p->oauth_uri, strlen(p->oauth_uri) + 1, err);
    } else {
      /* The token endpoint is never under the prefix. */
      char *saved = p->prefix;
      p->prefix = NULL;
      rc = url_of(p, "oauth/tokens", &url, err);
      p->prefix = saved;
    }
  }
  struct cat_rest_reply r = {0};
  if (rc == ICE_OK) {
    rc = cat_rest_http_call(p->http, "POST", (const char *)url.data,
                            (const char *)form.data, form.len,
                            "application/x-www-form-urlencoded", NULL, NULL, &r, err);
    ice_buf_reset(&url);
  }
  memset(form.data, 0, form.len); /* it holds the secret */
  ice_buf_reset(&form);
  if (rc != ICE_OK) return rc;
  json_error_t je;
  json_t *j = r.status == 200 ? json_loadb((const char *)r.body.data, r.body.len, 0, &je)
                              : NULL;
  ice_buf_reset(&r.body);
  const json_t *tok = json_object_get(j, "access_token");
  const json_t *exp = json_object_get(j, "expires_in");
  if (r.status == 0) {
    rc = ice_error_prefix(err, "REST catalog: OAuth2 token request");
    rc = ICE_EIO;
  } else if (!json_is_string(tok)) {
    rc = ice_error_set(err, ICE_EAUTH,
                       "REST catalog: the OAuth2 token endpoint refused the credential "
                       "(HTTP %ld)",
                       r.status);
  } else {
    ice_free(p->token);
    p->token = ice_strdup(json_string_value(tok));
    if (p->token == NULL) rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
    /* Bounded so a hostile expires_in cannot overflow the arithmetic. */
    json_int_t secs = json_is_integer(exp) ? json_integer_value(exp) : 0;
    if (secs > 315360000) secs = 315360000;
    p->token_life_ms = secs > 0 ? (int64_t)secs * 1000 : 0;
    p->token_expires_ms = secs > 0 ? now_ms() + p->token_life_ms : 0;
  }
  json_decref(j);
  return rc;
}

/* ---- requests ---- */

/* Whether the OAuth2 token is due for renewal: a tenth of its life before it expires,
 * at most a minute early. */
static bool token_due(const struct rest_priv *p) {
  if (p->credential == NULL || p->token_expires_ms <= 0) return false;
  int64_t early = p->token_life_ms / 10;
  if (early > 60000) early = 60000;
  return now_ms() >= p->token_expires_ms - early;
}

/* One request to path (under /v1/{prefix}/); refreshes an OAuth2 token before it
 * expires (token_due) and once when the server answers 401/419 (revoked, or expired by
 * the server's clock), then sends the request again: a refused request changed
 * nothing. */
static int call(struct cat_catalog *c, const char *method, const char *path,
                const char *body, size_t len, const char *idem_key,
                struct cat_rest_reply *r, struct ice_error *err) {
  struct rest_priv *p = priv(c);
  if (token_due(p)) ICE_TRY(fetch_token(p, err));
  struct ice_buf url;
  ICE_TRY(url_of(p, path, &url, err));
  int rc = ICE_OK;
  for (int attempt = 0; attempt < 2; attempt++) {
    rc = cat_rest_http_call(p->http, method, (const char *)url.data, body, len, NULL,
                            p->token, idem_key, r, err);
    if (rc != ICE_OK || (r->status != 401 && r->status != 419) || p->credential == NULL ||
        attempt == 1)
      break;
    ice_buf_reset(&r->body);
    rc = fetch_token(p, err);
    if (rc != ICE_OK) break;
  }
  ice_buf_reset(&url);
  return rc;
}

/* The error a non-2xx response stands for; `what` names the object. 409 is
 * ICE_EEXISTS unless conflict_409. */
static int reply_error(const struct cat_rest_reply *r, const char *what, int conflict_409,
                       struct ice_error *err) {
  json_error_t je;
  json_t *j = json_loadb((const char *)r->body.data, r->body.len, 0, &je);
  const json_t *e = json_object_get(j, "error");
  const char *msg = json_string_value(json_object_get(e, "message"));
  const char *type = json_string_value(json_object_get(e, "type"));
  int code = ICE_EIO;
  switch (r->status) {
    case 400: code = ICE_EINVAL; break;
    case 401:
    case 403:
    case 419: code = ICE_EAUTH; break;
    case 404: code = ICE_ENOTFOUND; break;
    case 406: code = ICE_EUNSUPPORTED; break;
    case 409: code = conflict_409 ? ICE_ECONFLICT : ICE_EEXISTS; break;
    default: break;
  }
  ice_error_set(err, code, "REST catalog: %s: HTTP %ld%s%.100s%s%.1000s", what, r->status,
                type ? " " : "", type ? type : "", msg ? ": " : "", msg ? msg : "");
  json_decref(j);
  return code;
}

static json_t *reply_json(const struct cat_rest_reply *r, struct ice_error *err) {
  json_error_t je;
  json_t *j = json_loadb((const char *)r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
  if (!json_is_object(j)) {
    json_decref(j);
    ice_error_set(err, ICE_ECORRUPT, "REST catalog: the response is not a JSON object");
    return NULL;
  }
  return j;
}

/* The storage (s3.*) keys of a vended config object onto the catalog's FileIO. Other
 * keys are the server's business; a value the S3 settings refuse is an error naming
 * the key only. */
static int vend_object(struct cat_catalog *c, const json_t *o, struct ice_error *err) {
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)(uintptr_t)o, k, v) {
    if (!json_is_string(v) || !io_fileio_is_storage_property(k)) continue;
    if (io_fileio_set_storage_property(c->io, k, json_string_value(v), err) != ICE_OK)
      return ice_error_prefix(err, "REST catalog: vended table config");
  }
  return ICE_OK;
}

/* A load-table response's `config`, then the `storage-credentials` entry whose prefix
 * is the longest one starting the table location, configure the FileIO. Only until its
 * first S3 request: one FileIO serves the whole catalog, so the first table's
 * settings hold (a load touches one table). */
static int apply_vended(struct cat_catalog *c, const json_t *j, const char *table_location,
                        struct ice_error *err) {
  if (c->io == NULL || io_fileio_storage_started(c->io)) return ICE_OK;
  ICE_TRY(vend_object(c, json_object_get(j, "config"), err));
  const json_t *creds = json_object_get(j, "storage-credentials");
  const json_t *best = NULL;
  size_t best_n = 0, i;
  const json_t *e;
  json_array_foreach(creds, i, e) {
    const char *pre = json_string_value(json_object_get(e, "prefix"));
    size_t n = pre ? strlen(pre) : 0;
    if (pre == NULL || table_location == NULL || strncmp(table_location, pre, n) != 0 ||
        (best != NULL && n <= best_n))
      continue;
    best = json_object_get(e, "config");
    best_n = n;
  }
  return best != NULL ? vend_object(c, best, err) : ICE_OK;
}

/* A LoadTableResult / CommitTableResponse -> location and metadata; its vended
 * storage settings onto c's FileIO. */
static int table_result(struct cat_catalog *c, const struct cat_rest_reply *r,
                        char **location, struct ib_table_metadata *md,
                        struct ice_error *err) {
  json_t *j = reply_json(r, err);
  if (j == NULL) return ICE_ECORRUPT;
  const json_t *loc = json_object_get(j, "metadata-location");
  const json_t *m = json_object_get(j, "metadata");
  int rc = ICE_OK;
  char *text = NULL, *l = NULL;
  size_t n = 0;
  if (!json_is_string(loc) || !json_is_object(m))
    rc = ice_error_set(err, ICE_ECORRUPT,
                       "REST catalog: the table response lacks metadata-location or "
                       "metadata");
  if (rc == ICE_OK) rc = ib_json_dump(m, JSON_COMPACT, &text, &n, err);
  if (rc == ICE_OK && md != NULL) {
    struct ib_table_metadata tmp;
    ib_table_metadata_init(&tmp);
    rc = ib_table_metadata_parse(text, n, &tmp, err);
    if (rc == ICE_OK) {
      ib_table_metadata_reset(md);
      *md = tmp;
    } else {
      ib_table_metadata_reset(&tmp);
      rc = ice_error_prefix(err, "REST catalog: table metadata");
    }
  }
  if (rc == ICE_OK)
    rc = apply_vended(c, j, json_string_value(json_object_get(m, "location")), err);
  if (rc == ICE_OK && (l = ice_strdup(json_string_value(loc))) == NULL)
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  if (rc == ICE_OK) *location = l;
  ice_free(text);
  json_decref(j);
  return rc;
}

static int rest_load(struct cat_catalog *c, const struct cat_ident *id, char **location,
                     struct ib_table_metadata *md, struct ice_error *err) {
  char *path = NULL;
  ICE_TRY(path_of(id->ns, "tables", id->name, &path, err));
  struct cat_rest_reply r = {0};
  int rc = call(c, "GET", path, NULL, 0, NULL, &r, err);
  ice_free(path);
  if (rc == ICE_OK && r.status == 0) rc = ICE_EIO;
  if (rc == ICE_OK && r.status != 200) rc = reply_error(&r, "load table", 0, err);
  if (rc == ICE_OK) {
    /* Without md the caller wants only the location: no metadata parse needed, but the
     * same response shape is checked. */
    struct ib_table_metadata scratch;
    ib_table_metadata_init(&scratch);
    rc = table_result(c, &r, location, md != NULL ? md : &scratch, err);
    ib_table_metadata_reset(&scratch);
  }
  ice_buf_reset(&r.body);
  return rc;
}

/* ---- commit ---- */

static bool asserts_create(const struct cat_commit *cc) {
  for (size_t i = 0; i < cc->n_reqs; i++)
    if (cc->reqs[i].type == IB_REQ_ASSERT_CREATE) return true;
  return false;
}

/* The CreateTableRequest (stage-create) of a create commit's updates. */
static int stage_body(const struct cat_ident *id, const struct cat_commit *cc, char **out,
                      size_t *len, struct ice_error *err) {
  json_t *j = json_pack("{s:s,s:b}", "name", id->name, "stage-create", 1);
  int rc = j ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; rc == ICE_OK && i < cc->n_updates; i++) {
    const struct ib_update *u = &cc->updates[i];
    json_t *v = NULL;
    if (u->action == IB_UPDATE_ADD_SCHEMA) {
      rc = ib_schema_to_json(&u->schema, &v, err);
      if (rc == ICE_OK) json_object_set_new(j, "schema", v);
    } else if (u->action == IB_UPDATE_ADD_SPEC) {
      rc = ib_partition_spec_to_json(&u->spec, &v, err);
      if (rc == ICE_OK) json_object_set_new(j, "partition-spec", v);
    } else if (u->action == IB_UPDATE_SET_LOCATION) {
      json_object_set_new(j, "location", json_string(u->text));
    } else if (u->action == IB_UPDATE_SET_PROPERTIES) {
      json_object_set_new(j, "properties", ib_str_map_to_json(&u->properties));
    }
  }
  if (rc == ICE_OK) rc = ib_json_dump(j, JSON_COMPACT, out, len, err);
  json_decref(j);
  return rc;
}

/* After an unknown outcome: committed when the table now holds our snapshot (or, for
 * a create, has our UUID). ICE_OK with *location and md filled, else
 * ICE_ECOMMIT_UNKNOWN (err describes it). */
static int resolve_unknown(struct cat_catalog *c, const struct cat_ident *id,
                           const struct cat_commit *cc, char **location,
                           struct ib_table_metadata *md, struct ice_error *err) {
  struct ib_table_metadata now;
  ib_table_metadata_init(&now);
  char *loc = NULL;
  struct ice_error lerr;
  int found = 0;
  if (rest_load(c, id, &loc, &now, &lerr) == ICE_OK) {
    for (size_t i = 0; i < cc->n_updates; i++) {
      const struct ib_update *u = &cc->updates[i];
      if (u->action == IB_UPDATE_ADD_SNAPSHOT &&
          ib_table_metadata_snapshot_by_id(&now, u->snapshot.snapshot_id) != NULL)
        found = 1;
      if (u->action == IB_UPDATE_ASSIGN_UUID && now.table_uuid != NULL &&
          strcmp(now.table_uuid, u->text) == 0)
        found = 1;
    }
  }
  if (found) {
    ib_table_metadata_reset(md);
    *md = now;
    *location = loc;
    return ICE_OK;
  }
  ib_table_metadata_reset(&now);
  ice_free(loc);
  if (err != NULL) err->code = ICE_ECOMMIT_UNKNOWN;
  return ice_error_prefix(err,
                          "REST catalog: commit to %s.%s: outcome unknown (no answer, and "
                          "the table does not show it yet)",
                          id->ns, id->name);
}

static int rest_ensure_namespace(struct cat_catalog *c, const char *ns,
                                 struct ice_error *err);

/* POST …/tables with stage-create: the server checks the create and answers the
 * metadata it would have (nothing is stored), with the new table's vended storage
 * settings, which go onto c's FileIO (apply_vended). The namespace is created first:
 * a server stages only in a namespace that exists. */
static int rest_stage_create(struct cat_catalog *c, const struct cat_ident *id,
                             const struct cat_commit *cc, struct ice_error *err) {
  char *path = NULL, *body = NULL;
  size_t len = 0;
  struct cat_rest_reply r = {0};
  int rc = rest_ensure_namespace(c, id->ns, err);
  if (rc == ICE_OK) rc = path_of(id->ns, "tables", NULL, &path, err);
  if (rc == ICE_OK) rc = stage_body(id, cc, &body, &len, err);
  if (rc == ICE_OK) rc = call(c, "POST", path, body, len, NULL, &r, err);
  if (rc == ICE_OK && r.status == 0) rc = ICE_EIO; /* staging changes nothing */
  if (rc == ICE_OK && r.status != 200) rc = reply_error(&r, "stage create", 0, err);
  json_t *j = rc == ICE_OK ? reply_json(&r, err) : NULL;
  if (rc == ICE_OK && j == NULL) rc = ICE_ECORRUPT;
  const json_t *m = j ? json_object_get(j, "metadata") : NULL;
  if (rc == ICE_OK)
    rc = apply_vended(c, j, json_string_value(json_object_get(m, "location")), err);
  json_decref(j);
  ice_buf_reset(&r.body);
  ice_free(body);
  ice_free(path);
  return rc;
}

static int rest_commit(struct cat_catalog *c, const struct cat_ident *id,
                       const struct cat_commit *cc, char **location,
                       struct ib_table_metadata *md, struct ice_error *err) {
  struct rest_priv *p = priv(c);
  struct cat_rest_reply r = {0};
  char *path = NULL, *body = NULL;
  size_t len = 0;
  int create = asserts_create(cc);
  int rc = create ? rest_stage_create(c, id, cc, err) : ICE_OK;
  if (rc == ICE_OK) rc = path_of(id->ns, "tables", id->name, &path, err);
  struct ib_requirement_list reqs = {(struct ib_requirement *)(uintptr_t)cc->reqs,
                                     cc->n_reqs, cc->n_reqs};
  struct ib_update_list ups = {(struct ib_update *)(uintptr_t)cc->updates, cc->n_updates,
                               cc->n_updates};
  if (rc == ICE_OK) rc = ib_commit_request_to_json(&reqs, &ups, &body, &len, err);
  char key[IB_UUID_STR_LEN];
  const char *idem = NULL;
  if (rc == ICE_OK && p->idempotency) {
    rc = uuid7(key, err);
    idem = key;
  }
  int unknown = 0;
  for (int attempt = 0; rc == ICE_OK; attempt++) {
    ice_buf_reset(&r.body);
    rc = call(c, "POST", path, body, len, idem, &r, err);
    if (rc != ICE_OK) break;
    unknown = r.status == 0 || r.status >= 500;
    /* Only the same key makes a resend safe: without one a resend could apply twice. */
    if (!unknown || idem == NULL || attempt + 1 >= REST_UNKNOWN_RETRIES) break;
    struct timespec ts = {0, (long)(100 * 1000 * 1000) << attempt};
    nanosleep(&ts, NULL);
  }
  if (rc == ICE_OK && unknown) {
    rc = resolve_unknown(c, id, cc, location, md, err);
  } else if (rc == ICE_OK && r.status == 200) {
    rc = table_result(c, &r, location, md, err);
  } else if (rc == ICE_OK) {
    rc = reply_error(&r, "commit", !create, err);
    /* A create whose assert-create failed: the table exists. */
    if (create && r.status == 409 && err != NULL) err->code = rc = ICE_EEXISTS;
  }
  ice_buf_reset(&r.body);
  ice_free(path);
  ice_free(body);
  return rc;
}

/* ---- the other catalog operations ---- */

static int simple(struct cat_catalog *c, const char *method, const char *path,
                  const char *body, size_t len, const char *what, long want,
                  struct cat_rest_reply *r, struct ice_error *err) {
  int rc = call(c, method, path, body, len, NULL, r, err);
  if (rc == ICE_OK && r->status == 0) rc = ICE_EIO;
  if (rc == ICE_OK && r->status != want && !(want == 200 && r->status == 204))
    rc = reply_error(r, what, 0, err);
  return rc;
}

static int rest_register(struct cat_catalog *c, const struct cat_ident *id,
                         const char *location, struct ice_error *err) {
  char *path = NULL, *body = NULL;
  ICE_TRY(path_of(id->ns, "register", NULL, &path, err));
  json_t *j = json_pack("{s:s,s:s}", "name", id->name, "metadata-location", location);
  int rc = j ? ib_json_dump(j, JSON_COMPACT, &body, NULL, err)
             : ice_error_set(err, ICE_ENOMEM, "out of memory");
  json_decref(j);
  struct cat_rest_reply r = {0};
  if (rc == ICE_OK)
    rc = simple(c, "POST", path, body, strlen(body), "register table", 200, &r, err);
  ice_buf_reset(&r.body);
  ice_free(path);
  ice_free(body);
  return rc;
}

static int rest_drop(struct cat_catalog *c, const struct cat_ident *id,
                     struct ice_error *err) {
  char *path = NULL;
  ICE_TRY(path_of(id->ns, "tables", id->name, &path, err));
  struct cat_rest_reply r = {0};
  int rc = simple(c, "DELETE", path, NULL, 0, "drop table", 204, &r, err);
  ice_buf_reset(&r.body);
  ice_free(path);
  return rc;
}

static json_t *ns_json(const char *ns) {
  json_t *a = json_array();
  const char *p = ns;
  for (;;) {
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    json_array_append_new(a, json_stringn(p, n));
    if (dot == NULL) return a;
    p = dot + 1;
  }
}

static int rest_ensure_namespace(struct cat_catalog *c, const char *ns,
                                 struct ice_error *err) {
  char *body = NULL;
  json_t *j = json_pack("{s:o}", "namespace", ns_json(ns));
  int rc = j ? ib_json_dump(j, JSON_COMPACT, &body, NULL, err)
             : ice_error_set(err, ICE_ENOMEM, "out of memory");
  json_decref(j);
  struct cat_rest_reply r = {0};
  if (rc == ICE_OK) rc = call(c, "POST", "namespaces", body, strlen(body), NULL, &r, err);
  if (rc == ICE_OK && r.status == 0) rc = ICE_EIO;
  if (rc == ICE_OK && r.status != 200 && r.status != 409) /* 409: it exists already */
    rc = reply_error(&r, "create namespace", 0, err);
  ice_buf_reset(&r.body);
  ice_free(body);
  return rc;
}

/* "a.b" of a JSON namespace array (owned). */
static char *ns_of_json(const json_t *a) {
  struct ice_buf b;
  ice_buf_init(&b, 64 * 1024);
  for (size_t i = 0; i < json_array_size(a); i++) {
    const json_t *l = json_array_get(a, i);
    if (!json_is_string(l) || json_string_length(l) == 0 ||
        strlen(json_string_value(l)) != json_string_length(l) ||
        (i > 0 && ice_buf_append_byte(&b, '.', NULL) != ICE_OK) ||
        ice_buf_append(&b, json_string_value(l), json_string_length(l), NULL) != ICE_OK) {
      ice_buf_reset(&b);
      return NULL;
    }
  }
  if (b.len == 0 || ice_buf_append_byte(&b, 0, NULL) != ICE_OK) {
    ice_buf_reset(&b);
    return NULL;
  }
  return (char *)ice_buf_take(&b);
}

/* GET path with pageToken paging; calls each(item) for every element of `member`. */
static int list_pages(struct cat_catalog *c, const char *path, const char *member,
                      int (*each)(const json_t *item, void *ud), void *ud,
                      struct ice_error *err) {
  char *token = NULL;
  int rc = ICE_OK;
  for (int page = 0; rc == ICE_OK && page < 10000; page++) {
    struct ice_buf p;
    ice_buf_init(&p, CAT_REST_MAX_URL);
    rc = ice_buf_append(&p, path, strlen(path), err);
    if (rc == ICE_OK && token != NULL) {
      rc = ice_buf_append(&p, strchr(path, '?') ? "&pageToken=" : "?pageToken=", 11, err);
      if (rc == ICE_OK) rc = cat_rest_escape(&p, token, strlen(token), err);
    }
    if (rc == ICE_OK) rc = ice_buf_append_byte(&p, 0, err);
    struct cat_rest_reply r = {0};
    if (rc == ICE_OK) rc = simple(c, "GET", (const char *)p.data, NULL, 0, "list", 200, &r, err);
    ice_buf_reset(&p);
    json_t *j = rc == ICE_OK ? reply_json(&r, err) : NULL;
    ice_buf_reset(&r.body);
    if (rc == ICE_OK && j == NULL) rc = ICE_ECORRUPT;
    const json_t *arr = j ? json_object_get(j, member) : NULL;
    if (rc == ICE_OK && !json_is_array(arr))
      rc = ice_error_set(err, ICE_ECORRUPT, "REST catalog: '%s' missing in a listing", member);
    for (size_t i = 0; rc == ICE_OK && i < json_array_size(arr); i++)
      rc = each(json_array_get(arr, i), ud);
    ice_free(token);
    token = NULL;
    const json_t *next = j ? json_object_get(j, "next-page-token") : NULL;
    if (rc == ICE_OK && json_is_string(next) && json_string_length(next) > 0)
      token = ice_strdup(json_string_value(next));
    json_decref(j);
    if (token == NULL) break;
  }
  ice_free(token);
  return rc;
}

struct collect {
  struct cat_names *out;
  struct ice_error *err;
};

static int add_identifier(const json_t *item, void *ud) {
  struct collect *k = ud;
  char *ns = ns_of_json(json_object_get(item, "namespace"));
  const char *name = json_string_value(json_object_get(item, "name"));
  int rc = ICE_OK;
  if (ns == NULL || name == NULL) {
    rc = ice_error_set(k->err, ICE_ECORRUPT, "REST catalog: bad table identifier");
  } else {
    size_t n = strlen(ns) + strlen(name) + 2;
    char *full = ice_malloc(n);
    if (full == NULL) {
      rc = ice_error_set(k->err, ICE_ENOMEM, "out of memory");
    } else {
      snprintf(full, n, "%s.%s", ns, name);
      rc = cat_names_push(k->out, full, k->err);
      ice_free(full);
    }
  }
  ice_free(ns);
  return rc;
}

static int add_namespace(const json_t *item, void *ud) {
  struct collect *k = ud;
  char *ns = ns_of_json(item);
  if (ns == NULL) ICE_FAIL(k->err, ICE_ECORRUPT, "REST catalog: bad namespace");
  if (k->out->n >= REST_MAX_NAMESPACES) {
    ice_free(ns);
    ICE_FAIL(k->err, ICE_ELIMIT, "REST catalog: more than %d namespaces",
             REST_MAX_NAMESPACES);
  }
  int rc = cat_names_push(k->out, ns, k->err);
  ice_free(ns);
  return rc;
}

/* Every namespace, breadth first through ?parent=. */
static int rest_list_namespaces(struct cat_catalog *c, struct cat_names *out,
                                struct ice_error *err) {
  struct collect k = {out, err};
  ICE_TRY(list_pages(c, "namespaces", "namespaces", add_namespace, &k, err));
  for (size_t i = 0; i < out->n; i++) {
    struct ice_buf p;
    ice_buf_init(&p, CAT_REST_MAX_URL);
    int rc = ice_buf_append(&p, "namespaces?parent=", 18, err);
    if (rc == ICE_OK) rc = escape_ns(&p, out->items[i], err);
    if (rc == ICE_OK) rc = ice_buf_append_byte(&p, 0, err);
    size_t before = out->n;
    if (rc == ICE_OK) rc = list_pages(c, (const char *)p.data, "namespaces", add_namespace, &k, err);
    ice_buf_reset(&p);
    /* A server that ignores parent answers the top level again: stop descending. */
    for (size_t a = before; rc == ICE_OK && a < out->n; a++)
      if (strncmp(out->items[a], out->items[i], strlen(out->items[i])) != 0 ||
          out->items[a][strlen(out->items[i])] != '.') {
        for (size_t b = before; b < out->n; b++) ice_free(out->items[b]);
        out->n = before;
        break;
      }
    if (rc != ICE_OK) return rc;
  }
  cat_names_sort(out);
  return ICE_OK;
}

static int rest_list_tables(struct cat_catalog *c, const char *ns, struct cat_names *out,
                            struct ice_error *err) {
  struct collect k = {out, err};
  if (ns != NULL) {
    char *path = NULL;
    ICE_TRY(path_of(ns, "tables", NULL, &path, err));
    int rc = list_pages(c, path, "identifiers", add_identifier, &k, err);
    ice_free(path);
    if (rc == ICE_OK) cat_names_sort(out);
    return rc;
  }
  struct cat_names all = {0};
  int rc = rest_list_namespaces(c, &all, err);
  for (size_t i = 0; rc == ICE_OK && i < all.n; i++) {
    char *path = NULL;
    rc = path_of(all.items[i], "tables", NULL, &path, err);
    if (rc == ICE_OK) rc = list_pages(c, path, "identifiers", add_identifier, &k, err);
    ice_free(path);
  }
  cat_names_reset(&all);
  if (rc == ICE_OK) cat_names_sort(out);
  return rc;
}

static int rest_namespace_property(struct cat_catalog *c, const char *ns, const char *key,
                                   char **value, struct ice_error *err) {
  *value = NULL;
  char *path = NULL;
  ICE_TRY(path_of(ns, NULL, NULL, &path, err));
  struct cat_rest_reply r = {0};
  int rc = call(c, "GET", path, NULL, 0, NULL, &r, err);
  ice_free(path);
  if (rc == ICE_OK && r.status == 0) rc = ICE_EIO;
  if (rc == ICE_OK && r.status == 404) {
    ice_buf_reset(&r.body);
    return ICE_OK; /* a namespace not made yet has no properties */
  }
  if (rc == ICE_OK && r.status != 200) rc = reply_error(&r, "load namespace", 0, err);
  json_t *j = rc == ICE_OK ? reply_json(&r, err) : NULL;
  ice_buf_reset(&r.body);
  if (rc == ICE_OK && j == NULL) rc = ICE_ECORRUPT;
  const json_t *v = j ? json_object_get(json_object_get(j, "properties"), key) : NULL;
  if (rc == ICE_OK && json_is_string(v) && (*value = ice_strdup(json_string_value(v))) == NULL)
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  json_decref(j);
  return rc;
}

/* POST /v1/{prefix}/tables/rename (RenameTableRequest): 204, 404 (the message says
 * whether the table or the namespace is missing), 409 (the destination exists). */
static int rest_rename(struct cat_catalog *c, const struct cat_ident *from,
                       const struct cat_ident *to, struct ice_error *err) {
  char *body = NULL;
  json_t *j = json_pack("{s:{s:o,s:s},s:{s:o,s:s}}", "source", "namespace",
                        ns_json(from->ns), "name", from->name, "destination", "namespace",
                        ns_json(to->ns), "name", to->name);
  int rc = j ? ib_json_dump(j, JSON_COMPACT, &body, NULL, err)
             : ice_error_set(err, ICE_ENOMEM, "out of memory");
  json_decref(j);
  struct cat_rest_reply r = {0};
  if (rc == ICE_OK)
    rc = simple(c, "POST", "tables/rename", body, strlen(body), "rename table", 204, &r, err);
  ice_buf_reset(&r.body);
  ice_free(body);
  return rc;
}

/* DELETE /v1/{prefix}/namespaces/{ns}: 204; 404; 409 when it is not empty. */
static int rest_drop_namespace(struct cat_catalog *c, const char *ns,
                               struct ice_error *err) {
  char *path = NULL;
  ICE_TRY(path_of(ns, NULL, NULL, &path, err));
  struct cat_rest_reply r = {0};
  int rc = call(c, "DELETE", path, NULL, 0, NULL, &r, err);
  if (rc == ICE_OK && r.status == 0) rc = ICE_EIO;
  if (rc == ICE_OK && r.status != 204 && r.status != 200) {
    rc = reply_error(&r, "drop namespace", 0, err);
    if (r.status == 409 && err != NULL) err->code = rc = ICE_ECONFLICT; /* not empty */
  }
  ice_buf_reset(&r.body);
  ice_free(path);
  return rc;
}

/* A JSON object of string values -> key, value pairs (values checked as strings). */
static int pairs_of(const json_t *o, struct cat_names *out, struct ice_error *err) {
  if (o == NULL || json_is_null(o)) return ICE_OK;
  if (!json_is_object(o))
    ICE_FAIL(err, ICE_ECORRUPT, "REST catalog: namespace 'properties' is not an object");
  const char **keys = ice_calloc(json_object_size(o) + 1, sizeof *keys);
  if (keys == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  size_t n = 0;
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)(uintptr_t)o, k, v) keys[n++] = k;
  /* Sorted by key, as the SQL catalogs list them. */
  for (size_t i = 1; i < n; i++)
    for (size_t m = i; m > 0 && strcmp(keys[m - 1], keys[m]) > 0; m--) {
      const char *t = keys[m];
      keys[m] = keys[m - 1];
      keys[m - 1] = t;
    }
  int rc = ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < n; i++) {
    const json_t *val = json_object_get(o, keys[i]);
    if (!json_is_string(val) || strlen(json_string_value(val)) != json_string_length(val))
      rc = ice_error_set(err, ICE_ECORRUPT, "REST catalog: property '%.200s' is not a string",
                         keys[i]);
    if (rc == ICE_OK) rc = cat_names_push(out, keys[i], err);
    if (rc == ICE_OK) rc = cat_names_push(out, json_string_value(val), err);
  }
  ice_free(keys);
  return rc;
}

static int rest_namespace_properties(struct cat_catalog *c, const char *ns,
                                     struct cat_names *out, struct ice_error *err) {
  char *path = NULL;
  ICE_TRY(path_of(ns, NULL, NULL, &path, err));
  struct cat_rest_reply r = {0};
  int rc = simple(c, "GET", path, NULL, 0, "load namespace", 200, &r, err);
  ice_free(path);
  json_t *j = rc == ICE_OK ? reply_json(&r, err) : NULL;
  ice_buf_reset(&r.body);
  if (rc == ICE_OK && j == NULL) rc = ICE_ECORRUPT;
  struct cat_names got = {0};
  if (rc == ICE_OK) rc = pairs_of(json_object_get(j, "properties"), &got, err);
  json_decref(j);
  if (rc != ICE_OK) {
    cat_names_reset(&got);
    return rc;
  }
  *out = got;
  return ICE_OK;
}

/* A JSON array of strings -> names. */
static int names_of(const json_t *a, struct cat_names *out, struct ice_error *err) {
  if (a == NULL || json_is_null(a)) return ICE_OK;
  if (!json_is_array(a)) ICE_FAIL(err, ICE_ECORRUPT, "REST catalog: expected a list of keys");
  for (size_t i = 0; i < json_array_size(a); i++) {
    const json_t *v = json_array_get(a, i);
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
      ICE_FAIL(err, ICE_ECORRUPT, "REST catalog: a listed key is not a string");
    ICE_TRY(cat_names_push(out, json_string_value(v), err));
  }
  return ICE_OK;
}

/* POST /v1/{prefix}/namespaces/{ns}/properties: UpdateNamespacePropertiesRequest ->
 * UpdateNamespacePropertiesResponse (updated, removed, missing). */
static int rest_update_namespace_properties(struct cat_catalog *c, const char *ns,
                                            const char *const *removals, size_t n_removals,
                                            const char *const *updates, size_t n_updates,
                                            struct cat_names *removed,
                                            struct cat_names *missing,
                                            struct ice_error *err) {
  json_t *rm = json_array(), *up = json_object();
  for (size_t i = 0; rm != NULL && i < n_removals; i++)
    json_array_append_new(rm, json_string(removals[i]));
  for (size_t i = 0; up != NULL && i < n_updates; i++)
    json_object_set_new(up, updates[2 * i], json_string(updates[2 * i + 1]));
  json_t *j = json_pack("{s:o,s:o}", "removals", rm, "updates", up);
  char *body = NULL, *path = NULL;
  int rc = j ? ib_json_dump(j, JSON_COMPACT, &body, NULL, err)
             : ice_error_set(err, ICE_ENOMEM, "out of memory");
  json_decref(j);
  if (rc == ICE_OK) rc = path_of(ns, "properties", NULL, &path, err);
  struct cat_rest_reply r = {0};
  if (rc == ICE_OK)
    rc = simple(c, "POST", path, body, strlen(body), "update namespace properties", 200, &r,
                err);
  ice_free(path);
  ice_free(body);
  json_t *res = rc == ICE_OK ? reply_json(&r, err) : NULL;
  ice_buf_reset(&r.body);
  if (rc == ICE_OK && res == NULL) rc = ICE_ECORRUPT;
  struct cat_names got_rm = {0}, got_miss = {0};
  if (rc == ICE_OK) rc = names_of(json_object_get(res, "removed"), &got_rm, err);
  if (rc == ICE_OK) rc = names_of(json_object_get(res, "missing"), &got_miss, err);
  json_decref(res);
  if (rc != ICE_OK) {
    cat_names_reset(&got_rm);
    cat_names_reset(&got_miss);
    return rc;
  }
  *removed = got_rm;
  *missing = got_miss;
  return ICE_OK;
}

static void free_secret(char *s) {
  if (s == NULL) return;
  memset(s, 0, strlen(s));
  ice_free(s);
}

static void rest_close(struct cat_catalog *c) {
  struct rest_priv *p = priv(c);
  if (p != NULL) {
    cat_rest_http_free(p->http);
    ice_free(p->base);
    ice_free(p->prefix);
    free_secret(p->token);
    free_secret(p->credential);
    ice_free(p->oauth_uri);
    ice_free(p->scope);
    ice_free(p);
  }
  ice_free(c->name);
  ice_free(c->warehouse);
  ice_free(c);
}

static const struct cat_catalog_vtable rest_vtable = {
    .load = rest_load,
    .commit = rest_commit,
    .register_table = rest_register,
    .drop_table = rest_drop,
    .ensure_namespace = rest_ensure_namespace,
    .list_tables = rest_list_tables,
    .list_namespaces = rest_list_namespaces,
    .close = rest_close,
    .namespace_property = rest_namespace_property,
    .rename_table = rest_rename,
    .drop_namespace = rest_drop_namespace,
    .namespace_properties = rest_namespace_properties,
    .update_namespace_properties = rest_update_namespace_properties,
    .stage_create = rest_stage_create,
};

/* ---- open: properties and GET /v1/config ---- */

static int set_str(char **dst, const char *v, struct ice_error *err) {
  char *s = ice_strdup(v);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  free_secret(*dst);
  *dst = s;
  return ICE_OK;
}

/* Applies one merged property. */
static int apply_prop(struct cat_catalog *c, const char *k, const char *v,
                      struct ice_error *err) {
  struct rest_priv *p = priv(c);
  if (strcmp(k, "prefix") == 0) return set_str(&p->prefix, v, err);
  if (strcmp(k, "warehouse") == 0) return set_str(&c->warehouse, v, err);
  if (strcmp(k, "token") == 0) return set_str(&p->token, v, err);
  if (strcmp(k, "credential") == 0) return set_str(&p->credential, v, err);
  if (strcmp(k, "oauth2-server-uri") == 0) return set_str(&p->oauth_uri, v, err);
  if (strcmp(k, "scope") == 0) return set_str(&p->scope, v, err);
  return ICE_OK;
}

static int apply_object(struct cat_catalog *c, const json_t *o, struct ice_error *err) {
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)(uintptr_t)o, k, v) {
    if (json_is_string(v)) ICE_TRY(apply_prop(c, k, json_string_value(v), err));
  }
  return ICE_OK;
}

static int fetch_config(struct cat_catalog *c, const char *const *props, size_t n,
                        const char *warehouse, struct ice_error *err) {
  struct rest_priv *p = priv(c);
  char *saved = p->prefix;
  p->prefix = NULL; /* config is never under the prefix */
  struct ice_buf path;
  ice_buf_init(&path, CAT_REST_MAX_URL);
  int rc = ice_buf_append(&path, "config", 6, err);
  if (rc == ICE_OK && warehouse != NULL) {
    rc = ice_buf_append(&path, "?warehouse=", 11, err);
    if (rc == ICE_OK) rc = cat_rest_escape(&path, warehouse, strlen(warehouse), err);
  }
  if (rc == ICE_OK) rc = ice_buf_append_byte(&path, 0, err);
  struct cat_rest_reply r = {0};
  if (rc == ICE_OK) rc = simple(c, "GET", (const char *)path.data, NULL, 0, "config", 200, &r, err);
  ice_buf_reset(&path);
  p->prefix = saved;
  json_t *j = rc == ICE_OK ? reply_json(&r, err) : NULL;
  ice_buf_reset(&r.body);
  if (rc == ICE_OK && j == NULL) rc = ICE_ECORRUPT;
  if (rc == ICE_OK) rc = apply_object(c, json_object_get(j, "defaults"), err);
  for (size_t i = 0; rc == ICE_OK && i < n; i += 2) rc = apply_prop(c, props[i], props[i + 1], err);
  if (rc == ICE_OK) rc = apply_object(c, json_object_get(j, "overrides"), err);
  if (rc == ICE_OK) {
    const json_t *eps = json_object_get(j, "endpoints");
    p->idempotency = json_object_get(j, "idempotency-key-lifetime") != NULL;
    (void)eps; /* every endpoint the client uses is in the spec's default set */
  }
  json_decref(j);
  return rc;
}

static int open_props(struct cat_catalog *c, const char *const *props, size_t n,
                      long *timeout_ms, const char **warehouse, struct ice_error *err) {
  for (size_t i = 0; i < n; i += 2) {
    if (strcmp(props[i], "rest.timeout-ms") == 0) {
      char *end = NULL;
      long v = strtol(props[i + 1], &end, 10);
      if (*props[i + 1] == '\0' || *end != '\0' || v < 100 || v > 3600000)
        ICE_FAIL(err, ICE_EINVAL, "catalog property rest.timeout-ms: expected 100..3600000");
      *timeout_ms = v;
    } else if (strcmp(props[i], "warehouse") == 0) {
      *warehouse = props[i + 1];
    } else if (strcmp(props[i], "credential") == 0 || strcmp(props[i], "token") == 0) {
      ICE_TRY(apply_prop(c, props[i], props[i + 1], err));
    }
  }
  return ICE_OK;
}

int cat_rest_open(const char *uri, const char *const *props, size_t n, const char *name,
                  struct cat_catalog **out, struct ice_error *err) {
  if (!cat_rest_is_uri(uri)) ICE_FAIL(err, ICE_EINVAL, "not an http(s) catalog URI");
  if (strlen(uri) > 2048) ICE_FAIL(err, ICE_EINVAL, "catalog URI is too long");
  struct cat_catalog *c = ice_calloc(1, sizeof *c);
  struct rest_priv *p = ice_calloc(1, sizeof *p);
  if (c == NULL || p == NULL) {
    ice_free(c);
    ice_free(p);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  c->vt = &rest_vtable;
  c->priv = p;
  size_t ul = strlen(uri);
  while (ul > 0 && uri[ul - 1] == '/') ul--;
  p->base = ice_strndup(uri, ul);
  c->name = ice_strdup(name ? name : "default");
  int rc = p->base && c->name ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  long timeout = 60000;
  const char *warehouse = NULL;
  if (rc == ICE_OK) rc = open_props(c, props, n, &timeout, &warehouse, err);
  if (rc == ICE_OK) rc = cat_rest_http_new(timeout, &p->http, err);
  /* A credential gets its token before config, which may need authorization. */
  if (rc == ICE_OK && p->credential != NULL) rc = fetch_token(p, err);
  if (rc == ICE_OK) rc = fetch_config(c, props, n, warehouse, err);
  if (rc == ICE_OK && p->credential != NULL && p->oauth_uri != NULL) rc = fetch_token(p, err);
  if (rc == ICE_OK && c->warehouse == NULL)
    rc = ice_error_set(err, ICE_EINVAL,
                       "REST catalog %.300s names no warehouse location (give "
                       "--warehouse or catalog property warehouse)",
                       p->base);
  if (rc == ICE_OK) rc = io_fileio_new(&c->io, err);
  if (rc == ICE_OK && (c->warehouse[0] == '/' || strstr(c->warehouse, "://") != NULL))
    rc = io_fileio_allow(c->io, c->warehouse, err);
  if (rc != ICE_OK) {
    io_fileio_free(c->io);
    c->io = NULL;
    rest_close(c);
    return rc;
  }
  *out = c;
  return ICE_OK;
}
