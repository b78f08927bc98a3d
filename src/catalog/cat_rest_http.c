/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HTTP for the REST catalog client over one libcurl easy handle per catalog (kept
 * connections). A response body is collected up to CAT_REST_MAX_RESPONSE; a transfer
 * that ends without a complete response (timeout, reset, refused) reports status 0 so
 * the commit logic can treat it as an unknown outcome.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "catalog/cat_rest.h"
#include "util/alloc.h"

struct cat_rest_http {
  CURL *curl;
  long timeout_ms;
};

int cat_rest_http_new(long timeout_ms, struct cat_rest_http **out,
                      struct ice_error *err) {
  struct cat_rest_http *h = ice_calloc(1, sizeof *h);
  if (h == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  h->curl = curl_easy_init();
  if (h->curl == NULL) {
    ice_free(h);
    ICE_FAIL(err, ICE_ENOMEM, "cannot start an HTTP client");
  }
  h->timeout_ms = timeout_ms;
  *out = h;
  return ICE_OK;
}

void cat_rest_http_free(struct cat_rest_http *h) {
  if (h == NULL) return;
  curl_easy_cleanup(h->curl);
  ice_free(h);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
  struct ice_buf *b = ud;
  if (ice_buf_append(b, p, size * n, NULL) != ICE_OK) return 0; /* aborts the transfer */
  return size * n;
}

int cat_rest_escape(struct ice_buf *b, const char *s, size_t n, struct ice_error *err) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '_' || c == '.' || c == '~') {
      ICE_TRY(ice_buf_append_byte(b, c, err));
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      ICE_TRY(ice_buf_append(b, e, 3, err));
    }
  }
  return ICE_OK;
}

int cat_rest_http_call(struct cat_rest_http *h, const char *method, const char *url,
                       const char *body, size_t len, const char *content_type,
                       const char *bearer, const char *idem_key,
                       struct cat_rest_reply *r, struct ice_error *err) {
  ice_buf_init(&r->body, CAT_REST_MAX_RESPONSE);
  r->status = 0;
  CURL *c = h->curl;
  curl_easy_reset(c);
  struct curl_slist *hdrs = NULL;
  char line[4200];
  int rc = ICE_OK;
  snprintf(line, sizeof line, "Content-Type: %s",
           content_type ? content_type : "application/json");
  if (body != NULL) hdrs = curl_slist_append(hdrs, line);
  hdrs = curl_slist_append(hdrs, "Accept: application/json");
  hdrs = curl_slist_append(hdrs, "X-Client-Version: icestream");
  /* Tables' storage settings come from the server when it vends them (cat_rest.c). */
  hdrs = curl_slist_append(hdrs, "X-Iceberg-Access-Delegation: vended-credentials");
  if (bearer != NULL && strlen(bearer) < 4096) {
    snprintf(line, sizeof line, "Authorization: Bearer %s", bearer);
    hdrs = curl_slist_append(hdrs, line);
  }
  if (idem_key != NULL) {
    snprintf(line, sizeof line, "Idempotency-Key: %.200s", idem_key);
    hdrs = curl_slist_append(hdrs, line);
  }
  memset(line, 0, sizeof line); /* the token does not linger on the stack */
  if (hdrs == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->timeout_ms < 10000 ? h->timeout_ms : 10000L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
  if (strcmp(method, "HEAD") == 0) {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (strcmp(method, "GET") != 0) {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  }
  /* libcurl resends a request once, unasked, when a reused connection closes before
   * any answer: a commit resent without an Idempotency-Key could apply twice or come
   * back 409 after the first one landed. Mutations without a key go on a fresh
   * connection, where a lost answer stays lost (an unknown outcome). */
  if (idem_key == NULL && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
    curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
  if (body != NULL) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
  }
  CURLcode cc = curl_easy_perform(c);
  if (cc == CURLE_WRITE_ERROR) {
    rc = ice_error_set(err, ICE_ELIMIT, "REST catalog: response larger than %u bytes",
                       CAT_REST_MAX_RESPONSE);
  } else if (cc == CURLE_OK) {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
  } else {
    r->status = 0;
    ice_error_set(err, ICE_EIO, "REST catalog: %s", curl_easy_strerror(cc));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all(hdrs);
  return rc;
}
