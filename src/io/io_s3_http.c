/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The S3 client's requests (io_s3.h: io_s3_new, io_s3_send) over libcurl's easy
 * interface, one handle per client so connections are kept alive between requests.
 * Each attempt is signed anew (SigV4 dates must be fresh). A request is tried again,
 * after a backoff of 100 ms doubling to 5 s with jitter, when the server answered 500,
 * 502, 503, 504 or 429 (it did not do the request), or, for an idempotent request,
 * when the connection broke or the answer came short. Messages name the method,
 * bucket and key and the server's error code; never a header, a credential or a
 * signature.
 */
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "io/io_s3.h"
#include "util/alloc.h"

#define ERROR_BODY_MAX (64u * 1024)
#define BACKOFF_BASE_MS 100
#define BACKOFF_CAP_MS 5000

struct io_s3 {
  struct io_s3_config cfg;
  pthread_mutex_t mu; /* one request at a time on the one handle (writers on threads) */
  CURL *curl;
  bool https;
  char authority[260]; /* endpoint host[:port] */
  bool path_style;
};

size_t io_s3_part_size(const struct io_s3 *s) {
  return s->cfg.part_size;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_ready;

/* libcurl's global set-up is not thread-safe: once per process. */
static void start_curl(void) {
  curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

int io_s3_new(const struct io_s3_config *cfg, struct io_s3 **out, struct ice_error *err) {
  if (cfg->access_key == NULL || cfg->secret_key == NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "s3: no credentials (give s3.access-key-id and s3.secret-access-key as "
             "catalog properties, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; "
             "a local copy is read with --location-map PREFIX=DIR)");
  pthread_once(&curl_once, start_curl);
  if (!curl_ready) ICE_FAIL(err, ICE_EIO, "s3: libcurl cannot start");
  struct io_s3 *s = ice_calloc(1, sizeof *s);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  pthread_mutex_init(&s->mu, NULL);
  int rc = io_s3_config_copy(cfg, &s->cfg, err);
  if (rc != ICE_OK) {
    pthread_mutex_destroy(&s->mu);
    ice_free(s);
    return rc;
  }
  const char *region = s->cfg.region ? s->cfg.region : "us-east-1";
  if (s->cfg.endpoint != NULL) {
    s->https = strncmp(s->cfg.endpoint, "https://", 8) == 0;
    snprintf(s->authority, sizeof s->authority, "%s", s->cfg.endpoint + (s->https ? 8 : 7));
  } else {
    s->https = true;
    snprintf(s->authority, sizeof s->authority, "s3.%s.amazonaws.com", region);
  }
  /* S3-compatible servers behind a custom endpoint rarely have per-bucket host names. */
  s->path_style = s->cfg.path_style >= 0 ? s->cfg.path_style == 1 : s->cfg.endpoint != NULL;
  s->curl = curl_easy_init();
  if (s->curl == NULL) {
    io_s3_free(s);
    ICE_FAIL(err, ICE_EIO, "s3: libcurl cannot make a handle");
  }
  *out = s;
  return ICE_OK;
}

void io_s3_free(struct io_s3 *s) {
  if (s == NULL) return;
  if (s->curl != NULL) curl_easy_cleanup(s->curl);
  io_s3_config_reset(&s->cfg);
  pthread_mutex_destroy(&s->mu);
  ice_free(s);
}

/* ---- one attempt ---- */

struct attempt {
  CURL *curl;
  const struct io_s3_request *r;
  size_t got;           /* bytes of a successful body */
  int body_rc;          /* why a write callback stopped the transfer */
  struct ice_buf ebody; /* body of an error answer */
  struct io_s3_response *resp;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *user) {
  struct attempt *a = user;
  size_t n = size * nmemb;
  long status = 0;
  curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    size_t room = ERROR_BODY_MAX - a->ebody.len;
    if (ice_buf_append(&a->ebody, data, n < room ? n : room, NULL) != ICE_OK) return 0;
    return n;
  }
  if (a->r->dest != NULL) {
    if (n > a->r->dest_len - a->got) {
      a->body_rc = ICE_ECORRUPT; /* longer than the range asked for */
      return 0;
    }
    memcpy((char *)a->r->dest + a->got, data, n);
  } else if (a->r->resp != NULL) {
    int rc = ice_buf_append(a->r->resp, data, n, NULL);
    if (rc != ICE_OK) {
      a->body_rc = rc;
      return 0;
    }
  }
  a->got += n;
  return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user) {
  struct attempt *a = user;
  size_t n = size * nmemb;
  if (n > 5 && strncasecmp(data, "etag:", 5) == 0) {
    const char *v = data + 5;
    size_t len = n - 5;
    while (len > 0 && (*v == ' ' || *v == '\t')) v++, len--;
    while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
      len--;
    if (len < sizeof a->resp->etag) {
      memcpy(a->resp->etag, v, len);
      a->resp->etag[len] = '\0';
    }
  }
  return n;
}

static int push(struct curl_slist **l, const char *name, const char *value,
                struct ice_error *err) {
  size_t n = strlen(name) + strlen(value) + 3;
  char *line = ice_malloc(n);
  if (line == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  snprintf(line, n, "%s: %s", name, value);
  struct curl_slist *grown = curl_slist_append(*l, line);
  OPENSSL_cleanse(line, n); /* it may hold the Authorization header */
  ice_free(line);
  if (grown == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *l = grown;
  return ICE_OK;
}

static int append_s(struct ice_buf *b, const char *s, struct ice_error *err) {
  return ice_buf_append(b, s, strlen(s), err);
}

/* "/bucket/key" (path style) or "/key", unencoded; and the Host header value. */
static int request_path(const struct io_s3 *s, const struct io_s3_request *r,
                        struct ice_buf *path, char *host, size_t host_cap,
                        struct ice_error *err) {
  ICE_TRY(append_s(path, "/", err));
  if (s->path_style) {
    ICE_TRY(append_s(path, r->bucket, err));
    if (r->key[0] != '\0' || r->n_query == 0) ICE_TRY(append_s(path, "/", err));
    snprintf(host, host_cap, "%s", s->authority);
  } else {
    snprintf(host, host_cap, "%s.%s", r->bucket, s->authority);
  }
  ICE_TRY(append_s(path, r->key, err));
  return ice_buf_append_byte(path, 0, err);
}

static int url_of(const struct io_s3 *s, const struct io_s3_request *r, const char *host,
                  const char *path, struct ice_buf *url, struct ice_error *err) {
  ICE_TRY(append_s(url, s->https ? "https://" : "http://", err));
  ICE_TRY(append_s(url, host, err));
  ICE_TRY(io_s3_uri_encode(url, path, strlen(path), true, err));
  for (size_t i = 0; i < r->n_query; i++) {
    ICE_TRY(ice_buf_append_byte(url, i == 0 ? '?' : '&', err));
    const char *k = r->query[i].name, *v = r->query[i].value;
    ICE_TRY(io_s3_uri_encode(url, k, strlen(k), false, err));
    ICE_TRY(ice_buf_append_byte(url, '=', err));
    ICE_TRY(io_s3_uri_encode(url, v, strlen(v), false, err));
  }
  return ice_buf_append_byte(url, 0, err);
}

int io_s3_sign(const struct io_s3 *s, const struct io_s3_request *r,
               const char *amz_date, struct io_s3_signed *out, struct ice_error *err) {
  memset(out, 0, sizeof *out);
  struct ice_buf path, url;
  ice_buf_init(&path, 3 * 4096 + 600);
  ice_buf_init(&url, 3 * 3 * 4096 + 1200);
  char *auth = NULL;
  snprintf(out->date, sizeof out->date, "%s", amz_date);
  /* Over TLS the body is protected in transit; over plain HTTP its hash is signed. */
  const char *payload = IO_SHA256_EMPTY;
  if (r->body_len > 0 && s->https)
    payload = "UNSIGNED-PAYLOAD";
  else if (r->body_len > 0)
    io_sha256_hex(r->body, r->body_len, out->body_hash), payload = out->body_hash;
  if (payload != out->body_hash) snprintf(out->body_hash, sizeof out->body_hash, "%s", payload);
  int e = request_path(s, r, &path, out->host, sizeof out->host, err);
  if (e == ICE_OK) e = url_of(s, r, out->host, (const char *)path.data, &url, err);
  if (e == ICE_OK && r->n_headers > IO_S3_MAX_HEADERS - 4)
    e = ice_error_set(err, ICE_EINTERNAL, "s3: too many headers");
  size_t nh = 0;
  if (e == ICE_OK) {
    out->headers[nh++] = (struct io_s3_pair){"host", out->host};
    out->headers[nh++] = (struct io_s3_pair){"x-amz-date", out->date};
    out->headers[nh++] = (struct io_s3_pair){"x-amz-content-sha256", out->body_hash};
    if (s->cfg.session_token != NULL)
      out->headers[nh++] = (struct io_s3_pair){"x-amz-security-token", s->cfg.session_token};
    for (size_t i = 0; i < r->n_headers; i++) out->headers[nh++] = r->headers[i];
    out->n_headers = nh;
    struct io_sigv4_request sr = {r->method, (const char *)path.data, r->query,
                                  r->n_query, out->headers, nh, out->body_hash,
                                  out->date, s->cfg.region ? s->cfg.region : "us-east-1",
                                  "s3", s->cfg.access_key, s->cfg.secret_key};
    e = io_sigv4_authorization(&sr, &auth, err);
  }
  ice_buf_reset(&path);
  if (e != ICE_OK) {
    ice_buf_reset(&url);
    return e;
  }
  out->url = (char *)ice_buf_take(&url);
  out->authorization = auth;
  return ICE_OK;
}

void io_s3_signed_reset(struct io_s3_signed *sg) {
  if (sg->authorization != NULL) OPENSSL_cleanse(sg->authorization, strlen(sg->authorization));
  ice_free(sg->authorization);
  ice_free(sg->url);
  sg->authorization = sg->url = NULL;
}

static void amz_now(char out[17]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

enum outcome { DONE, RETRY, FAIL };

/* Sends r once. DONE with rc the final answer, RETRY when another attempt may
 * succeed (rc and err describe this one), FAIL for a definite error. */
static enum outcome attempt_once(struct io_s3 *s, const struct io_s3_request *r,
                                 struct io_s3_response *out, int *rc,
                                 struct ice_error *err) {
  struct curl_slist *hdrs = NULL;
  struct attempt a = {s->curl, r, 0, ICE_OK, {0}, out};
  ice_buf_init(&a.ebody, ERROR_BODY_MAX);
  memset(out, 0, sizeof *out);
  out->content_length = -1;
  if (r->dest == NULL && r->resp != NULL) ice_buf_clear(r->resp);
  char date[17];
  amz_now(date);
  struct io_s3_signed sg;
  int e = io_s3_sign(s, r, date, &sg, err);
  for (size_t i = 0; e == ICE_OK && i < sg.n_headers; i++)
    e = push(&hdrs, sg.headers[i].name, sg.headers[i].value, err);
  if (e == ICE_OK) e = push(&hdrs, "Authorization", sg.authorization, err);
  /* No "Expect: 100-continue" round trip, no form content type. */
  if (e == ICE_OK) e = push(&hdrs, "Expect", "", err);
  if (e == ICE_OK) e = push(&hdrs, "Content-Type", "", err);
  if (e != ICE_OK) {
    curl_slist_free_all(hdrs);
    io_s3_signed_reset(&sg);
    ice_buf_reset(&a.ebody);
    *rc = e;
    return FAIL;
  }

  CURL *c = s->curl;
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, sg.url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); /* the key is signed as sent */
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L); /* a stalled peer is a reset */
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
  if (strcmp(r->method, "HEAD") == 0) {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (strcmp(r->method, "GET") == 0) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r->method);
    if (strcmp(r->method, "DELETE") != 0 || r->body_len > 0) {
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body_len ? r->body : "");
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
    }
  }
  CURLcode cc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t clen = -1;
  curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
  curl_slist_free_all(hdrs);
  io_s3_signed_reset(&sg);
  out->status = status;
  out->content_length = (int64_t)clen;

  enum outcome o = DONE;
  const char *what = r->method;
  if (cc != CURLE_OK && a.body_rc != ICE_OK) {
    *rc = ice_error_set(err, a.body_rc, "s3: %s s3://%s/%.300s: answer %s", what,
                        r->bucket, r->key,
                        a.body_rc == ICE_ECORRUPT ? "longer than the range asked for"
                                                  : "too large");
    o = FAIL;
  } else if (cc != CURLE_OK) {
    /* Nothing reached the server when it could not be connected to. */
    bool sent_nothing = cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST;
    *rc = ice_error_set(err, ICE_EIO, "s3: %s s3://%s/%.300s: %s", what, r->bucket, r->key,
                        curl_easy_strerror(cc));
    o = (r->idempotent || sent_nothing) ? RETRY : FAIL;
  } else if (status >= 200 && status <= 299) {
    if (r->dest != NULL && a.got != r->dest_len) {
      *rc = ice_error_set(err, ICE_EIO,
                          "s3: %s s3://%s/%.300s: answer of %zu bytes, expected %zu", what,
                          r->bucket, r->key, a.got, r->dest_len);
      o = RETRY;
    } else {
      *rc = ICE_OK;
    }
  } else {
    char *code = NULL, *msg = NULL;
    struct ice_error scratch;
    if (a.ebody.len > 0 &&
        io_s3_parse_error((const char *)a.ebody.data, a.ebody.len, &code, &msg,
                          &scratch) != ICE_OK)
      code = msg = NULL;
    int kind = status == 404                    ? ICE_ENOTFOUND
               : status == 403 || status == 401 ? ICE_EAUTH
               : status == 412                  ? ICE_EEXISTS
                                                : ICE_EIO;
    const char *label = status == 404 ? "not found" : status == 403 ? "access denied" : "";
    *rc = ice_error_set(err, kind, "s3: %s s3://%s/%.300s: HTTP %ld%s%s%s%s%s%s", what,
                        r->bucket, r->key, status, label[0] ? " " : "", label,
                        code ? " " : "", code ? code : "", msg ? ": " : "", msg ? msg : "");
    if (err != NULL) err->detail = (int)status;
    /* SlowDown and friends: the server did not act on the request. */
    bool busy = status == 500 || status == 502 || status == 503 || status == 504 ||
                status == 429;
    o = busy ? RETRY : FAIL;
    ice_free(code);
    ice_free(msg);
  }
  ice_buf_reset(&a.ebody);
  return o;
}

static void backoff(int attempt) {
  long cap = BACKOFF_BASE_MS;
  for (int i = 0; i < attempt && cap < BACKOFF_CAP_MS; i++) cap *= 2;
  if (cap > BACKOFF_CAP_MS) cap = BACKOFF_CAP_MS;
  unsigned int rnd = 0;
  if (getrandom(&rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) rnd = (unsigned)time(NULL);
  /* Half fixed, half random: retries of many writers spread out. */
  long ms = cap / 2 + (long)(rnd % (unsigned)(cap / 2 + 1));
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static int send_locked(struct io_s3 *s, const struct io_s3_request *r,
                       struct io_s3_response *out, struct ice_error *err) {
  int attempts = s->cfg.max_attempts > 0 ? s->cfg.max_attempts : 1;
  int rc = ICE_EIO;
  for (int i = 0; i < attempts; i++) {
    if (i > 0) backoff(i - 1);
    enum outcome o = attempt_once(s, r, out, &rc, err);
    if (o != RETRY) return rc;
  }
  if (attempts > 1 && err != NULL) return ice_error_prefix(err, "after %d attempts", attempts);
  return rc;
}

int io_s3_send(struct io_s3 *s, const struct io_s3_request *r, struct io_s3_response *out,
               struct ice_error *err) {
  pthread_mutex_lock(&s->mu);
  int rc = send_locked(s, r, out, err);
  pthread_mutex_unlock(&s->mu);
  return rc;
}
