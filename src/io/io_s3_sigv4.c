/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SigV4 (io_s3_sigv4.h): canonical request -> string to sign -> signing key chain
 * (date, region, service, "aws4_request") -> HMAC-SHA256 signature. S3 differs from
 * the generic suite in one place only: its path is encoded once and never normalised,
 * which is what we do for every service (our only service is S3; the suite's vanilla
 * vectors have paths where both agree).
 */
#include "io/io_s3_sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/* More would only be a bug of ours: a request signs a handful. */
#define MAX_SIGNED 64
/* Canonical requests hold a path and a few headers; keys are at most 1 KiB. */
#define MAX_CANONICAL (64u * 1024)

static bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}

int io_s3_uri_encode(struct ice_buf *out, const char *s, size_t n, bool keep_slash,
                     struct ice_error *err) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (unreserved(c) || (keep_slash && c == '/')) {
      ICE_TRY(ice_buf_append_byte(out, c, err));
    } else {
      uint8_t e[3] = {'%', (uint8_t)hex[c >> 4], (uint8_t)hex[c & 15]};
      ICE_TRY(ice_buf_append(out, e, 3, err));
    }
  }
  return ICE_OK;
}

static void to_hex(const unsigned char *d, size_t n, char *out) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hex[d[i] >> 4];
    out[2 * i + 1] = hex[d[i] & 15];
  }
  out[2 * n] = '\0';
}

void io_sha256_hex(const void *data, size_t n, char out[65]) {
  unsigned char md[32];
  unsigned int len = 0;
  if (EVP_Digest(data, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32) {
    memset(out, '0', 64); /* cannot happen with a working libcrypto; never matches */
    out[64] = '\0';
    return;
  }
  to_hex(md, 32, out);
}

static int hmac(const void *key, size_t klen, const char *msg, size_t mlen,
                unsigned char out[32], struct ice_error *err) {
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, mlen, out, &len) ==
          NULL ||
      len != 32)
    ICE_FAIL(err, ICE_EINTERNAL, "sigv4: HMAC-SHA256 failed");
  return ICE_OK;
}

/* A header as signed: lowercase name, value trimmed with inner runs of spaces made
 * one (the canonical-headers rule). */
struct signed_header {
  char *name;
  char *value;
};

static int cmp_header(const void *a, const void *b) {
  return strcmp(((const struct signed_header *)a)->name,
                ((const struct signed_header *)b)->name);
}

struct encoded_pair {
  char *name;
  char *value;
};

static int cmp_pair(const void *a, const void *b) {
  const struct encoded_pair *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c != 0 ? c : strcmp(x->value, y->value);
}

static char *canon_value(const char *v) {
  size_t n = strlen(v);
  char *s = ice_malloc(n + 1);
  if (s == NULL) return NULL;
  size_t o = 0;
  bool space = false;
  for (const char *p = v; *p; p++) {
    if (*p == ' ' || *p == '\t') {
      space = o > 0;
      continue;
    }
    if (space) s[o++] = ' ';
    space = false;
    s[o++] = *p;
  }
  s[o] = '\0';
  return s;
}

static int encode_str(const char *s, bool keep_slash, char **out, struct ice_error *err) {
  struct ice_buf b;
  ice_buf_init(&b, MAX_CANONICAL);
  int rc = io_s3_uri_encode(&b, s, strlen(s), keep_slash, err);
  if (rc == ICE_OK) rc = ice_buf_append_byte(&b, 0, err);
  if (rc != ICE_OK) {
    ice_buf_reset(&b);
    return rc;
  }
  *out = (char *)ice_buf_take(&b);
  return ICE_OK;
}

static int append_str(struct ice_buf *b, const char *s, struct ice_error *err) {
  return ice_buf_append(b, s, strlen(s), err);
}

/* The canonical request into b; `signed_names` receives "a;b;c" (owned). */
static int build_canonical(const struct io_sigv4_request *r, struct ice_buf *b,
                           char **signed_names, struct ice_error *err) {
  if (r->method == NULL || r->path == NULL || r->path[0] != '/' ||
      r->payload_hash == NULL || r->amz_date == NULL || strlen(r->amz_date) != 16)
    ICE_FAIL(err, ICE_EINVAL, "sigv4: request lacks a method, path, payload or date");
  if (r->n_headers > MAX_SIGNED || r->n_query > MAX_SIGNED)
    ICE_FAIL(err, ICE_EINVAL, "sigv4: more than %d headers or parameters", MAX_SIGNED);
  struct signed_header hs[MAX_SIGNED];
  struct encoded_pair qs[MAX_SIGNED];
  size_t nh = 0, nq = 0;
  int rc = ICE_OK;
  for (; rc == ICE_OK && nh < r->n_headers; nh++) {
    hs[nh].name = ice_strdup(r->headers[nh].name);
    hs[nh].value = canon_value(r->headers[nh].value);
    if (hs[nh].name == NULL || hs[nh].value == NULL) {
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
    } else {
      for (char *p = hs[nh].name; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    }
  }
  for (; rc == ICE_OK && nq < r->n_query; nq++) {
    qs[nq].name = qs[nq].value = NULL;
    rc = encode_str(r->query[nq].name, false, &qs[nq].name, err);
    if (rc == ICE_OK) rc = encode_str(r->query[nq].value, false, &qs[nq].value, err);
  }
  if (rc == ICE_OK) {
    qsort(hs, nh, sizeof hs[0], cmp_header);
    qsort(qs, nq, sizeof qs[0], cmp_pair);
    rc = append_str(b, r->method, err);
    if (rc == ICE_OK) rc = ice_buf_append_byte(b, '\n', err);
    if (rc == ICE_OK) rc = io_s3_uri_encode(b, r->path, strlen(r->path), true, err);
    if (rc == ICE_OK) rc = ice_buf_append_byte(b, '\n', err);
    for (size_t i = 0; rc == ICE_OK && i < nq; i++) {
      if (i > 0) rc = ice_buf_append_byte(b, '&', err);
      if (rc == ICE_OK) rc = append_str(b, qs[i].name, err);
      if (rc == ICE_OK) rc = ice_buf_append_byte(b, '=', err);
      if (rc == ICE_OK) rc = append_str(b, qs[i].value, err);
    }
    if (rc == ICE_OK) rc = ice_buf_append_byte(b, '\n', err);
    for (size_t i = 0; rc == ICE_OK && i < nh; i++) {
      rc = append_str(b, hs[i].name, err);
      if (rc == ICE_OK) rc = ice_buf_append_byte(b, ':', err);
      if (rc == ICE_OK) rc = append_str(b, hs[i].value, err);
      if (rc == ICE_OK) rc = ice_buf_append_byte(b, '\n', err);
    }
    if (rc == ICE_OK) rc = ice_buf_append_byte(b, '\n', err);
  }
  struct ice_buf names;
  ice_buf_init(&names, MAX_CANONICAL);
  for (size_t i = 0; rc == ICE_OK && i < nh; i++) {
    if (i > 0) rc = ice_buf_append_byte(&names, ';', err);
    if (rc == ICE_OK) rc = append_str(&names, hs[i].name, err);
  }
  if (rc == ICE_OK) rc = ice_buf_append_byte(&names, 0, err);
  if (rc == ICE_OK) rc = append_str(b, (const char *)names.data, err);
  if (rc == ICE_OK) rc = ice_buf_append_byte(b, '\n', err);
  if (rc == ICE_OK) rc = append_str(b, r->payload_hash, err);
  if (rc == ICE_OK) rc = ice_buf_append_byte(b, 0, err);
  if (rc == ICE_OK)
    *signed_names = (char *)ice_buf_take(&names);
  else
    ice_buf_reset(&names);
  for (size_t i = 0; i < nh; i++) {
    ice_free(hs[i].name);
    ice_free(hs[i].value);
  }
  for (size_t i = 0; i < nq; i++) {
    ice_free(qs[i].name);
    ice_free(qs[i].value);
  }
  return rc;
}

int io_sigv4_canonical_request(const struct io_sigv4_request *r, char **out,
                               struct ice_error *err) {
  struct ice_buf b;
  ice_buf_init(&b, MAX_CANONICAL);
  char *names = NULL;
  int rc = build_canonical(r, &b, &names, err);
  ice_free(names);
  if (rc != ICE_OK) {
    ice_buf_reset(&b);
    return rc;
  }
  *out = (char *)ice_buf_take(&b);
  return ICE_OK;
}

int io_sigv4_authorization(const struct io_sigv4_request *r, char **out,
                           struct ice_error *err) {
  if (r->region == NULL || r->service == NULL || r->access_key == NULL ||
      r->secret_key == NULL)
    ICE_FAIL(err, ICE_EINVAL, "sigv4: request lacks a region, service or credentials");
  size_t klen = strlen(r->secret_key);
  if (klen > 1024 || strlen(r->access_key) > 1024 || strlen(r->region) > 64 ||
      strlen(r->service) > 64)
    ICE_FAIL(err, ICE_EINVAL, "sigv4: credentials, region or service too long");
  struct ice_buf b;
  ice_buf_init(&b, MAX_CANONICAL);
  char *names = NULL;
  ICE_TRY(build_canonical(r, &b, &names, err));
  char creq_hash[65];
  io_sha256_hex(b.data, b.len - 1, creq_hash);
  ice_buf_reset(&b);

  char date[9];
  memcpy(date, r->amz_date, 8);
  date[8] = '\0';
  char scope[200];
  snprintf(scope, sizeof scope, "%s/%s/%s/aws4_request", date, r->region, r->service);
  char sts[400];
  int sl = snprintf(sts, sizeof sts, "AWS4-HMAC-SHA256\n%s\n%s\n%s", r->amz_date, scope,
                    creq_hash);

  /* kSecret = "AWS4" + secret; each step keys the next. */
  unsigned char k[32], k2[32];
  char *ksecret = ice_malloc(klen + 5);
  int rc = ksecret ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  if (rc == ICE_OK) {
    memcpy(ksecret, "AWS4", 4);
    memcpy(ksecret + 4, r->secret_key, klen + 1);
    rc = hmac(ksecret, klen + 4, date, 8, k, err);
    OPENSSL_cleanse(ksecret, klen + 5);
    ice_free(ksecret);
  }
  if (rc == ICE_OK) rc = hmac(k, 32, r->region, strlen(r->region), k2, err);
  if (rc == ICE_OK) rc = hmac(k2, 32, r->service, strlen(r->service), k, err);
  if (rc == ICE_OK) rc = hmac(k, 32, "aws4_request", 12, k2, err);
  unsigned char sig[32];
  if (rc == ICE_OK) rc = hmac(k2, 32, sts, (size_t)sl, sig, err);
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(k2, sizeof k2);
  char sig_hex[65];
  if (rc == ICE_OK) {
    to_hex(sig, 32, sig_hex);
    size_t n = strlen(r->access_key) + strlen(scope) + strlen(names) + 64 + 80;
    char *s = ice_malloc(n);
    if (s == NULL) {
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
    } else {
      snprintf(s, n,
               "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
               r->access_key, scope, names, sig_hex);
      *out = s;
    }
  }
  ice_free(names);
  return rc;
}
