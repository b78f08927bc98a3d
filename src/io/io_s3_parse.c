/* SPDX-License-Identifier: Apache-2.0 */
/*
 * S3 answers read through io_xml_parse (io_s3.h): a ListObjectsV2 page
 * (ListBucketResult: Contents/Key, Size, LastModified; IsTruncated;
 * NextContinuationToken), an error body (Error/Code, Error/Message) and the UploadId of
 * a new multipart upload. Every value is checked before use: a key must be a usable
 * location tail, a size a non-negative decimal, a time an ISO-8601 UTC instant.
 */
#include <string.h>

#include "io/io_s3.h"
#include "util/alloc.h"
#include "util/limits.h"

static bool ends_with(const char *path, const char *tail) {
  size_t n = strlen(path), t = strlen(tail);
  return n >= t && strcmp(path + n - t, tail) == 0 && (n == t || path[n - t - 1] == '/');
}

static int digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int io_s3_parse_time(const char *s, int64_t *ms, struct ice_error *err) {
  int y, mo, d, h, mi, sec, frac = 0;
  size_t n = strlen(s);
  if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
      digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec))
    ICE_FAIL(err, ICE_ECORRUPT, "s3: bad time '%.40s'", s);
  const char *p = s + 19;
  if (*p == '.') {
    p++;
    int k = 0;
    for (; *p >= '0' && *p <= '9'; p++, k++)
      if (k < 3) frac = frac * 10 + (*p - '0');
    if (k == 0) ICE_FAIL(err, ICE_ECORRUPT, "s3: bad time '%.40s'", s);
    for (; k < 3; k++) frac *= 10;
  }
  if (strcmp(p, "Z") != 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
      sec > 60)
    ICE_FAIL(err, ICE_ECORRUPT, "s3: bad time '%.40s'", s);
  int64_t days = days_from_civil(y, mo, d);
  *ms = ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)sec * 1000 + frac;
  return ICE_OK;
}

/* ---- ListObjectsV2 ---- */

struct list_page {
  io_s3_key_fn fn;
  void *user;
  char *key; /* of the current Contents */
  int64_t size, mtime;
  bool have_size, have_time;
  bool truncated;
  char *token;
};

static int parse_size(const char *t, size_t len, int64_t *out, struct ice_error *err) {
  if (len == 0 || len > 18) ICE_FAIL(err, ICE_ECORRUPT, "s3: list: bad object size");
  int64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    if (t[i] < '0' || t[i] > '9') ICE_FAIL(err, ICE_ECORRUPT, "s3: list: bad object size");
    v = v * 10 + (t[i] - '0');
  }
  *out = v;
  return ICE_OK;
}

static int list_el(void *user, const char *path, const char *text, size_t len,
                   struct ice_error *err) {
  struct list_page *l = user;
  if (strncmp(path, "ListBucketResult", 16) != 0)
    ICE_FAIL(err, ICE_ECORRUPT, "s3: list: answer is not a ListBucketResult");
  if (strcmp(path, "ListBucketResult/Contents/Key") == 0) {
    if (len == 0 || len >= ICE_LIMIT_LOCATION_BYTES || strlen(text) != len)
      ICE_FAIL(err, ICE_ECORRUPT, "s3: list: unusable key of %zu bytes", len);
    ice_free(l->key);
    l->key = ice_strndup(text, len);
    if (l->key == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  } else if (strcmp(path, "ListBucketResult/Contents/Size") == 0) {
    ICE_TRY(parse_size(text, len, &l->size, err));
    l->have_size = true;
  } else if (strcmp(path, "ListBucketResult/Contents/LastModified") == 0) {
    ICE_TRY(io_s3_parse_time(text, &l->mtime, err));
    l->have_time = true;
  } else if (strcmp(path, "ListBucketResult/Contents") == 0) {
    if (l->key == NULL || !l->have_size)
      ICE_FAIL(err, ICE_ECORRUPT, "s3: list: an object without a key or size");
    int rc = l->fn(l->user, l->key, l->size, l->have_time ? l->mtime : 0, err);
    ice_free(l->key);
    l->key = NULL;
    l->have_size = l->have_time = false;
    return rc;
  } else if (strcmp(path, "ListBucketResult/IsTruncated") == 0) {
    if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0)
      ICE_FAIL(err, ICE_ECORRUPT, "s3: list: IsTruncated is neither true nor false");
    l->truncated = strcmp(text, "true") == 0;
  } else if (strcmp(path, "ListBucketResult/NextContinuationToken") == 0) {
    if (len == 0 || len > 4096 || strlen(text) != len)
      ICE_FAIL(err, ICE_ECORRUPT, "s3: list: unusable continuation token");
    ice_free(l->token);
    l->token = ice_strndup(text, len);
    if (l->token == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  return ICE_OK;
}

int io_s3_parse_list(const char *data, size_t len, io_s3_key_fn fn, void *user,
                     bool *truncated, char **next_token, struct ice_error *err) {
  struct list_page l = {fn, user, NULL, 0, 0, false, false, false, NULL};
  int rc = io_xml_parse(data, len, list_el, &l, err);
  ice_free(l.key);
  if (rc == ICE_OK && l.truncated && l.token == NULL)
    rc = ice_error_set(err, ICE_ECORRUPT, "s3: list: truncated without a continuation token");
  if (rc != ICE_OK) {
    ice_free(l.token);
    return rc;
  }
  *truncated = l.truncated;
  *next_token = l.token;
  return ICE_OK;
}

/* ---- errors and upload ids ---- */

struct pick {
  const char *a, *b; /* element names wanted (path tails) */
  char *va, *vb;
};

static int keep(char **slot, const char *text, size_t len, struct ice_error *err) {
  ice_free(*slot);
  /* Only printable ASCII reaches a message; at most 200 bytes. */
  size_t n = len > 200 ? 200 : len;
  *slot = ice_malloc(n + 1);
  if (*slot == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++)
    (*slot)[i] = (text[i] >= 0x20 && text[i] < 0x7f) ? text[i] : '?';
  (*slot)[n] = '\0';
  return ICE_OK;
}

static int pick_el(void *user, const char *path, const char *text, size_t len,
                   struct ice_error *err) {
  struct pick *p = user;
  if (p->a != NULL && strchr(path, '/') && ends_with(path, p->a))
    return keep(&p->va, text, len, err);
  if (p->b != NULL && strchr(path, '/') && ends_with(path, p->b))
    return keep(&p->vb, text, len, err);
  return ICE_OK;
}

int io_s3_parse_error(const char *data, size_t len, char **code, char **message,
                      struct ice_error *err) {
  struct pick p = {"Error/Code", "Error/Message", NULL, NULL};
  /* Some servers put Error at the root, some (rarely) inside another element. */
  struct pick root = {"Code", "Message", NULL, NULL};
  int rc = io_xml_parse(data, len, pick_el, &p, err);
  if (rc == ICE_OK && p.va == NULL) rc = io_xml_parse(data, len, pick_el, &root, err);
  if (rc != ICE_OK) {
    ice_free(p.va), ice_free(p.vb), ice_free(root.va), ice_free(root.vb);
    return rc;
  }
  if (p.va != NULL) {
    *code = p.va, *message = p.vb;
    ice_free(root.va), ice_free(root.vb);
  } else {
    *code = root.va, *message = root.vb;
  }
  return ICE_OK;
}

struct upload_pick {
  char *id;
};

static int upload_el(void *user, const char *path, const char *text, size_t len,
                     struct ice_error *err) {
  struct upload_pick *u = user;
  if (strcmp(path, "InitiateMultipartUploadResult/UploadId") != 0) return ICE_OK;
  if (len == 0 || len > 1024 || strlen(text) != len)
    ICE_FAIL(err, ICE_ECORRUPT, "s3: unusable UploadId of %zu bytes", len);
  ice_free(u->id);
  u->id = ice_strndup(text, len);
  if (u->id == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  return ICE_OK;
}

int io_s3_parse_upload_id(const char *data, size_t len, char **upload_id,
                          struct ice_error *err) {
  struct upload_pick u = {NULL};
  int rc = io_xml_parse(data, len, upload_el, &u, err);
  if (rc == ICE_OK && u.id == NULL)
    rc = ice_error_set(err, ICE_ECORRUPT, "s3: multipart upload answer has no UploadId");
  if (rc != ICE_OK) {
    ice_free(u.id);
    return rc;
  }
  *upload_id = u.id;
  return ICE_OK;
}
