/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Iceberg REST catalog client (reference/iceberg.md §8.3-8.5): a cat_catalog whose
 * load and commit are HTTP requests (libcurl). The server applies commits; the client
 * sends the requirement and update lists as they are and takes the metadata the server
 * wrote from the response.
 */
#ifndef ICE_CAT_REST_H
#define ICE_CAT_REST_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/cat_catalog.h"
#include "util/buf.h"
#include "util/error.h"

/* Largest response body accepted (a LoadTableResult carries the whole metadata). */
#define CAT_REST_MAX_RESPONSE (512u * 1024 * 1024)
/* Longest request URL built (base, prefix, identifiers, query). */
#define CAT_REST_MAX_URL 16384

/* True for "http://..." and "https://..." catalog URIs. */
bool cat_rest_is_uri(const char *uri);

/* True for the catalog properties the REST client reads (token, credential, scope,
 * oauth2-server-uri, prefix, rest.timeout-ms). */
bool cat_rest_is_property(const char *key);

/* Opens a REST catalog at uri: GET /v1/config (with ?warehouse= when given), merged as
 * the spec says (defaults < client properties < overrides), then the OAuth2 token when
 * a credential is given. props[0..n) are key/value pairs (borrowed). The catalog's
 * warehouse is the merged "warehouse" when it is a location (a server-side path or
 * URI), which new tables' default locations and the FileIO's write root come from.
 * Errors: ICE_EINVAL (bad URI or property), ICE_EIO (no answer), ICE_EAUTH (token
 * refused). Secrets never appear in messages. */
int cat_rest_open(const char *uri, const char *const *props, size_t n, const char *name,
                  struct cat_catalog **out, struct ice_error *err) ICE_NODISCARD;

/* ---- HTTP (cat_rest_http.c) ---- */

struct cat_rest_http;

struct cat_rest_reply {
  long status;         /* 0 when no response arrived (timeout, reset, refused) */
  struct ice_buf body; /* initialized by cat_rest_http_call */
};

int cat_rest_http_new(long timeout_ms, struct cat_rest_http **out,
                      struct ice_error *err) ICE_NODISCARD;
void cat_rest_http_free(struct cat_rest_http *h);
/* One request. ICE_OK when a response arrived (any status) or none did (status 0,
 * ICE_OK too: the caller decides what a lost answer means); ICE_ENOMEM/ICE_ELIMIT
 * otherwise. bearer and idem_key may be NULL; content_type NULL = application/json.
 * r->body is (re)initialized; the caller resets it. */
int cat_rest_http_call(struct cat_rest_http *h, const char *method, const char *url,
                       const char *body, size_t len, const char *content_type,
                       const char *bearer, const char *idem_key,
                       struct cat_rest_reply *r, struct ice_error *err) ICE_NODISCARD;
/* Percent-encodes s (RFC 3986 unreserved bytes kept) appended to b. */
int cat_rest_escape(struct ice_buf *b, const char *s, size_t n,
                    struct ice_error *err) ICE_NODISCARD;

#endif
