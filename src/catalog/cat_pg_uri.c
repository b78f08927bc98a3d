/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PostgreSQL catalog URIs: which URIs name one, and the URI as it may be shown. A
 * password can sit in the user part (postgresql://user:secret@host/db) or in a query
 * parameter (?password=secret); neither may reach an error, a log or --json, so every
 * message names the URI through cat_pg_uri_redact.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "util/alloc.h"

int cat_pg_uri_is(const char *uri) {
  return uri != NULL &&
         (strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0);
}

/* Appends n bytes of s to out at *len (out has room: the result is never longer than
 * the URI plus the masks). */
static void put(char *out, size_t *len, const char *s, size_t n) {
  memcpy(out + *len, s, n);
  *len += n;
}

static const char k_mask[] = "***";

int cat_pg_uri_redact(const char *uri, char **out, struct ice_error *err) {
  size_t n = strlen(uri);
  /* A mask is 3 bytes, at most one per byte of the URI plus the user part's. */
  size_t cap = 4 * n + 8;
  char *s = ice_malloc(cap);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  size_t len = 0;
  const char *p = strstr(uri, "://");
  p = p ? p + 3 : uri;
  put(s, &len, uri, (size_t)(p - uri));
  /* The authority ends at the first '/', '?' or '#'; its user part at the last '@'. */
  size_t auth = strcspn(p, "/?#");
  const char *at = NULL;
  for (size_t i = 0; i < auth; i++)
    if (p[i] == '@') at = p + i;
  if (at != NULL) {
    const char *colon = memchr(p, ':', (size_t)(at - p));
    if (colon != NULL) {
      put(s, &len, p, (size_t)(colon - p) + 1);
      put(s, &len, k_mask, sizeof k_mask - 1);
      p = at;
    }
  }
  /* Query parameters: the value of every password= is masked. */
  while (*p != '\0') {
    size_t run = strcspn(p, "?&");
    put(s, &len, p, run);
    p += run;
    if (*p == '\0') break;
    put(s, &len, p, 1);
    p++;
    if (strncmp(p, "password=", 9) == 0) {
      put(s, &len, p, 9);
      put(s, &len, k_mask, sizeof k_mask - 1);
      p += 9 + strcspn(p + 9, "&#");
    }
  }
  s[len] = '\0';
  *out = s;
  return ICE_OK;
}

/* Masks every occurrence of secret[0..n) in text, in place: "***" when it is that
 * long or longer, else one '*' per byte (text never grows). */
static void mask_in(char *text, const char *secret, size_t n) {
  if (n == 0) return;
  char *q = text;
  while (*q != '\0') {
    if (strncmp(q, secret, n) != 0) {
      q++;
    } else if (n >= 3) {
      memcpy(q, k_mask, 3);
      memmove(q + 3, q + n, strlen(q + n) + 1);
      q += 3;
    } else {
      memset(q, '*', n);
      q += n;
    }
  }
}

void cat_pg_uri_scrub(const char *uri, char *text) {
  const char *env = getenv("PGPASSWORD");
  if (env != NULL) mask_in(text, env, strlen(env));
  if (uri == NULL) return;
  const char *p = strstr(uri, "://");
  p = p ? p + 3 : uri;
  size_t auth = strcspn(p, "/?#");
  const char *at = NULL;
  for (size_t i = 0; i < auth; i++)
    if (p[i] == '@') at = p + i;
  const char *colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
  if (colon != NULL) mask_in(text, colon + 1, (size_t)(at - colon - 1));
  for (const char *q = p; (q = strstr(q, "password=")) != NULL; q += 9)
    if (q > uri && (q[-1] == '?' || q[-1] == '&'))
      mask_in(text, q + 9, strcspn(q + 9, "&#"));
}
