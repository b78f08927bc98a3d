/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Iceberg REST catalog protocol served over an icestream catalog, without sockets:
 * one request (method, raw path, query values, bearer token, body) in, one response
 * (status, JSON body) out. srv_http.c feeds it from libmicrohttpd, the fuzz target
 * fuzz/fuzz_serve_request.c from bytes. Everything in a request is untrusted.
 * Protocol: reference/iceberg.md §8, rest-catalog-open-api.yaml.
 */
#ifndef ICE_SERVE_SRV_ROUTE_H
#define ICE_SERVE_SRV_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cat_catalog.h"
#include "util/error.h"

struct json_t; /* jansson */

/* Bodies above this are refused with 413 before they are read whole. */
#define SRV_MAX_BODY_BYTES (64u * 1024 * 1024)
/* Live tokens of POST /v1/oauth/tokens held at once: expired ones make room, and a
 * request beyond that many live tokens is answered 503 (never a live token revoked). */
#define SRV_TOKEN_SLOTS 4096
/* Room for "icestream-token-" + 64 hex digits + NUL. */
#define SRV_TOKEN_LEN 96

struct srv_token_slot {
  char token[SRV_TOKEN_LEN]; /* "" = free */
  int64_t expires_ms;        /* monotonic clock: a clock step cannot stretch it */
};

/* Idempotency-Key replies remembered (most recent first out). */
#define SRV_IDEMPOTENCY_SLOTS 256

struct srv_idem_slot {
  char *key; /* owned; NULL = free */
  int status;
  char *body; /* owned */
  size_t len;
};

/* Server state shared by every request (one thread handles them in turn). */
struct srv_state {
  struct cat_catalog *cat; /* borrowed */
  const char *token;       /* required bearer token, or NULL (borrowed) */
  const char *vend_config; /* storage settings to vend (JSON object) or NULL (borrowed) */
  unsigned token_lifetime_s; /* of issued tokens (srv_state_init: 3600) */
  struct srv_token_slot issued[SRV_TOKEN_SLOTS]; /* only with a token */
  struct srv_idem_slot idem[SRV_IDEMPOTENCY_SLOTS];
  size_t idem_next;
  int committed; /* set by a request that applied a table commit */
#ifdef ICE_TEST_HOOKS
  /* ICESTREAM_TEST_SERVE_DROP_COMMITS=P: after applying a commit, answer every P-th
   * one with 503 as if the response was lost (the fault-mode tests). */
  unsigned drop_every;
  unsigned drop_count;
#endif
};

struct srv_request {
  const char *method;     /* "GET", "POST", "HEAD", "DELETE" */
  const char *path;       /* raw, still percent-encoded, without the query */
  const char *q_parent;   /* query parameter "parent" (raw) or NULL */
  const char *q_purge;    /* query parameter "purgeRequested" or NULL */
  const char *auth;       /* Authorization header value or NULL */
  const char *idem_key;   /* Idempotency-Key header value or NULL */
  const char *delegation; /* X-Iceberg-Access-Delegation header value or NULL */
  const char *body;       /* may be NULL when len == 0 */
  size_t len;
};

struct srv_response {
  int status;
  char *body; /* owned (ice_free); NULL for no body */
  size_t len;
};

void srv_state_init(struct srv_state *s, struct cat_catalog *cat, const char *token);
void srv_state_reset(struct srv_state *s);

/* Answers one request. Never fails: every error becomes an ErrorModel response (an
 * out-of-memory one has no body). */
void srv_handle(struct srv_state *s, const struct srv_request *rq,
                struct srv_response *out);
void srv_response_reset(struct srv_response *r);

/* ---- helpers shared by the handler files ---- */

/* Sets an ErrorModel {"error": {message, type, code}} response. */
void srv_reply_error(struct srv_response *out, int status, const char *type,
                     const char *message);
/* The response for an ice error: status and exception type from err.code (what names
 * the object, for the NoSuch* types: "table", "namespace"). */
void srv_reply_ice_error(struct srv_response *out, int code, const struct ice_error *err,
                         const char *what);
/* Sets a JSON response from j (consumed). */
void srv_reply_json(struct srv_response *out, int status, struct json_t *j);

/* Decodes one path segment: percent-decoding, then rejects NUL, '/', control bytes
 * other than 0x1F and oversized input. *out owned. ICE_EINVAL. */
int srv_segment_decode(const char *seg, size_t n, char **out,
                       struct ice_error *err) ICE_NODISCARD;
/* A namespace segment (levels separated by 0x1F) -> "a.b"; a level holding '.', empty,
 * "." or ".." is ICE_EINVAL. *out owned. */
int srv_namespace_decode(const char *seg, size_t n, char **out,
                         struct ice_error *err) ICE_NODISCARD;
/* "a.b" -> JSON array ["a","b"] (new reference, NULL when out of memory). */
struct json_t *srv_namespace_json(const char *ns);
/* JSON array of strings -> "a.b", each level checked as srv_namespace_decode does. */
int srv_namespace_from_json(const struct json_t *arr, char **out,
                            struct ice_error *err) ICE_NODISCARD;

/* *exists: ns is a namespace of the catalog or an ancestor of one. */
int srv_namespace_exists(struct srv_state *s, const char *ns, int *exists,
                         struct ice_error *err) ICE_NODISCARD;

/* Namespace endpoints (srv_namespaces.c); ns already decoded and validated. */
/* The properties of ns as a JSON object (*out owned). */
int srv_namespace_properties_json(struct srv_state *s, const char *ns,
                                  struct json_t **out,
                                  struct ice_error *err) ICE_NODISCARD;
/* DELETE /v1/namespaces/{ns}: 204, 404, 409 NamespaceNotEmptyException. */
void srv_namespace_drop(struct srv_state *s, const char *ns, struct srv_response *out);
/* POST /v1/namespaces/{ns}/properties: 200 {updated, removed, missing}, 404, 422. */
void srv_namespace_update_properties(struct srv_state *s, const char *ns,
                                     const struct srv_request *rq,
                                     struct srv_response *out);

/* Authentication (srv_auth.c): 1 when the request may proceed (the static token, or
 * a token the endpoint issued that has not expired); otherwise out is the 401
 * response. */
int srv_auth_check(const struct srv_state *s, const struct srv_request *rq,
                   struct srv_response *out);
/* POST /v1/oauth/tokens (client credentials): a client whose client_secret is the
 * static token gets a new random token living token_lifetime_s. */
void srv_auth_token(struct srv_state *s, const struct srv_request *rq,
                    struct srv_response *out);

/* Table endpoints (srv_tables.c); ns and name already decoded and validated. */
void srv_tables_list(struct srv_state *s, const char *ns, struct srv_response *out);
void srv_table_create(struct srv_state *s, const char *ns, const struct srv_request *rq,
                      struct srv_response *out);
void srv_table_register(struct srv_state *s, const char *ns, const struct srv_request *rq,
                        struct srv_response *out);
void srv_table_load(struct srv_state *s, const struct cat_ident *id, int head,
                    const struct srv_request *rq, struct srv_response *out);
/* DELETE: 204; with purgeRequested=true the table's files go too, under the rules of
 * `icestream drop --purge` (op_drop.h): a refused purge (403) drops nothing. */
void srv_table_drop(struct srv_state *s, const struct cat_ident *id,
                    const struct srv_request *rq, struct srv_response *out);
/* POST /v1/transactions/commit: every table change or none (the catalog's
 * commit_tables; 406 without one): 204, 400, 404, 409 CommitFailedException. */
void srv_transaction_commit(struct srv_state *s, const struct srv_request *rq,
                            struct srv_response *out);
/* POST /v1/tables/rename: 204, 404 NoSuchTable/NoSuchNamespace, 409. */
void srv_table_rename(struct srv_state *s, const struct srv_request *rq,
                      struct srv_response *out);
void srv_table_commit(struct srv_state *s, const struct cat_ident *id,
                      const struct srv_request *rq, struct srv_response *out);

#endif
