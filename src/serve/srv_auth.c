/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bearer-token authentication of `icestream serve --token-file F`, and the OAuth2
 * client-credentials endpoint (POST /v1/oauth/tokens, RFC 6749 §4.4): a client whose
 * client_secret is that token gets a new random token that expires after
 * --token-lifetime seconds, so clients must refresh theirs (reference/iceberg.md §8.3).
 * Issued tokens live in memory only: a restarted server has revoked them all. Tokens
 * are compared in constant time and the static one is never echoed.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "iceberg/ib_location.h"
#include "serve/srv_route.h"
#include "util/alloc.h"

static int same_secret(const char *a, size_t na, const char *b) {
  size_t nb = strlen(b);
  unsigned diff = (unsigned)(na ^ nb);
  for (size_t i = 0; i < na; i++) diff |= (unsigned)(a[i] ^ b[i % (nb ? nb : 1)]);
  return diff == 0;
}

static int64_t mono_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An issued token that has not expired. */
static int issued_valid(const struct srv_state *s, const char *t) {
  size_t n = strlen(t);
  int64_t now = mono_ms();
  int ok = 0;
  for (size_t i = 0; i < SRV_TOKEN_SLOTS; i++) {
    const struct srv_token_slot *k = &s->issued[i];
    if (k->token[0] != '\0' && same_secret(t, n, k->token) && now < k->expires_ms) ok = 1;
  }
  return ok;
}

int srv_auth_check(const struct srv_state *s, const struct srv_request *rq,
                   struct srv_response *out) {
  if (s->token == NULL) return 1;
  const char *a = rq->auth;
  if (a != NULL && strncmp(a, "Bearer ", 7) == 0 &&
      (same_secret(a + 7, strlen(a + 7), s->token) || issued_valid(s, a + 7)))
    return 1;
  srv_reply_error(out, 401, "NotAuthorizedException",
                  "a valid bearer token is required (Authorization: Bearer ...)");
  return 0;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Form decoding ('+' is a space); NULL on bad escapes, NUL bytes or no memory. */
static char *form_decode(const char *p, size_t n) {
  char *v = ice_malloc(n + 1);
  if (v == NULL) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    char c = p[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      int hi = i + 1 < n ? hexval(p[i + 1]) : -1;
      int lo = i + 2 < n ? hexval(p[i + 2]) : -1;
      if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
        ice_free(v);
        return NULL;
      }
      c = (char)(hi * 16 + lo);
      i += 2;
    }
    v[k++] = c;
  }
  v[k] = '\0';
  return v;
}

/* The value of `key` in an application/x-www-form-urlencoded body (decoded, owned), or
 * NULL. */
static char *form_value(const char *body, size_t len, const char *key) {
  size_t kn = strlen(key);
  size_t i = 0;
  while (i < len) {
    size_t end = i;
    while (end < len && body[end] != '&') end++;
    if (end - i > kn && memcmp(body + i, key, kn) == 0 && body[i + kn] == '=') {
      return form_decode(body + i + kn + 1, end - i - kn - 1);
    }
    i = end + 1;
  }
  return NULL;
}

static void oauth_error(struct srv_response *out, int status, const char *error,
                        const char *description) {
  srv_reply_json(
      out, status,
      json_pack("{s:s,s:s}", "error", error, "error_description", description));
  out->status = status;
}

/* A free slot, or one whose token expired (wiped); NULL when every token is live. */
static struct srv_token_slot *free_slot(struct srv_state *s) {
  int64_t now = mono_ms();
  for (size_t i = 0; i < SRV_TOKEN_SLOTS; i++) {
    struct srv_token_slot *k = &s->issued[i];
    if (k->token[0] == '\0' || now >= k->expires_ms) {
      memset(k, 0, sizeof *k);
      return k;
    }
  }
  return NULL;
}

/* A new random token in a slot k, remembered until it expires. */
static int issue(struct srv_state *s, struct srv_token_slot *k, char out[SRV_TOKEN_LEN]) {
  uint8_t b[32];
  if (ib_uuid4_bytes(b, NULL) != ICE_OK || ib_uuid4_bytes(b + 16, NULL) != ICE_OK)
    return 0;
  char *p = out + snprintf(out, SRV_TOKEN_LEN, "icestream-token-");
  for (size_t i = 0; i < sizeof b; i++, p += 2) snprintf(p, 3, "%02x", b[i]);
  memset(b, 0, sizeof b);
  memcpy(k->token, out, SRV_TOKEN_LEN);
  k->expires_ms = mono_ms() + (int64_t)s->token_lifetime_s * 1000;
  return 1;
}

void srv_auth_token(struct srv_state *s, const struct srv_request *rq,
                    struct srv_response *out) {
  char *grant = form_value(rq->body ? rq->body : "", rq->len, "grant_type");
  char *secret = form_value(rq->body ? rq->body : "", rq->len, "client_secret");
  if (grant == NULL || strcmp(grant, "client_credentials") != 0) {
    oauth_error(out, 400, "unsupported_grant_type",
                "only client_credentials is supported");
  } else if (s->token == NULL) {
    /* Without --token-file there is nothing to protect: any client gets a token that
     * is never checked. */
    srv_reply_json(out, 200,
                   json_pack("{s:s,s:s,s:s,s:I}", "access_token", "unchecked",
                             "token_type", "bearer", "issued_token_type",
                             "urn:ietf:params:oauth:token-type:access_token",
                             "expires_in", (json_int_t)s->token_lifetime_s));
  } else if (secret == NULL || !same_secret(secret, strlen(secret), s->token)) {
    oauth_error(out, 401, "invalid_client", "client credentials were not accepted");
  } else {
    char tok[SRV_TOKEN_LEN];
    struct srv_token_slot *slot = free_slot(s);
    if (slot == NULL) {
      oauth_error(out, 503, "temporarily_unavailable",
                  "too many live tokens; retry when some have expired");
    } else if (!issue(s, slot, tok)) {
      oauth_error(out, 500, "server_error", "no token could be made");
    } else {
      srv_reply_json(
          out, 200,
          json_pack("{s:s,s:s,s:s,s:I}", "access_token", tok, "token_type", "bearer",
                    "issued_token_type", "urn:ietf:params:oauth:token-type:access_token",
                    "expires_in", (json_int_t)s->token_lifetime_s));
      memset(tok, 0, sizeof tok);
    }
  }
  ice_free(grant);
  ice_free(secret);
}
