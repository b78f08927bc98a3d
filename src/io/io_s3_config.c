/* SPDX-License-Identifier: Apache-2.0 */
/*
 * S3 client settings (io_s3.h): pyiceberg's property names first, the AWS_*
 * environment variables for what they leave unset; and the split of an s3:// location
 * into bucket and key. Secrets are wiped when the settings are freed.
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_s3.h"
#include "util/alloc.h"
#include "util/limits.h"

void io_s3_config_init(struct io_s3_config *c) {
  memset(c, 0, sizeof *c);
  c->path_style = -1;
  c->part_size = IO_S3_DEFAULT_PART_BYTES;
  c->max_attempts = 5;
}

static void wipe(char **s) {
  if (*s != NULL) OPENSSL_cleanse(*s, strlen(*s));
  ice_free(*s);
  *s = NULL;
}

void io_s3_config_reset(struct io_s3_config *c) {
  ice_free(c->endpoint);
  ice_free(c->region);
  ice_free(c->access_key);
  wipe(&c->secret_key);
  wipe(&c->session_token);
  io_s3_config_init(c);
}

static const char *const KEYS[] = {
    "s3.endpoint",          "s3.region",           "client.region",
    "s3.access-key-id",     "s3.secret-access-key", "s3.session-token",
    "s3.path-style-access", "s3.multipart.part-size", "s3.max-attempts"};

bool io_s3_config_knows(const char *key) {
  for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
    if (strcmp(key, KEYS[i]) == 0) return true;
  return false;
}

static int set_str(char **slot, const char *v, struct ice_error *err) {
  char *s = ice_strdup(v);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  wipe(slot);
  *slot = s;
  return ICE_OK;
}

static int parse_long(const char *v, long long lo, long long hi, long long *out) {
  char *end = NULL;
  errno = 0;
  long long x = strtoll(v, &end, 10);
  if (*v == '\0' || *end != '\0' || errno != 0 || x < lo || x > hi) return -1;
  *out = x;
  return 0;
}

/* "http(s)://host[:port]" with nothing after the authority but an optional '/'. */
static int check_endpoint(const char *v, struct ice_error *err) {
  const char *h = strncmp(v, "http://", 7) == 0    ? v + 7
                  : strncmp(v, "https://", 8) == 0 ? v + 8
                                                   : NULL;
  size_t n = h ? strlen(h) : 0;
  if (n > 0 && h[n - 1] == '/') n--;
  bool ok = h != NULL && n > 0 && n < 256;
  for (size_t i = 0; ok && i < n; i++) {
    char c = h[i];
    ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  }
  /* "user:password@host" would put a secret in the message: not echoed then. */
  if (!ok && strchr(v, '@') != NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "s3.endpoint: expected http(s)://host[:port] without a path or user "
             "information");
  if (!ok)
    ICE_FAIL(err, ICE_EINVAL,
             "s3.endpoint '%.200s': expected http(s)://host[:port] without a path", v);
  return ICE_OK;
}

int io_s3_config_set(struct io_s3_config *c, const char *key, const char *value,
                     struct ice_error *err) {
  long long x = 0;
  if (strcmp(key, "s3.endpoint") == 0) {
    ICE_TRY(check_endpoint(value, err));
    ICE_TRY(set_str(&c->endpoint, value, err));
    size_t n = strlen(c->endpoint);
    if (n > 0 && c->endpoint[n - 1] == '/') c->endpoint[n - 1] = '\0';
    return ICE_OK;
  }
  if (strcmp(key, "s3.region") == 0 || strcmp(key, "client.region") == 0) {
    if (value[0] == '\0' || strlen(value) > 64)
      ICE_FAIL(err, ICE_EINVAL, "%s: expected a region name of 1..64 bytes", key);
    return set_str(&c->region, value, err);
  }
  /* The values of these are never echoed. */
  if (strcmp(key, "s3.access-key-id") == 0 || strcmp(key, "s3.secret-access-key") == 0 ||
      strcmp(key, "s3.session-token") == 0) {
    if (value[0] == '\0' || strlen(value) > 4096)
      ICE_FAIL(err, ICE_EINVAL, "%s: expected 1..4096 bytes", key);
    char **slot = strcmp(key, "s3.access-key-id") == 0       ? &c->access_key
                  : strcmp(key, "s3.secret-access-key") == 0 ? &c->secret_key
                                                             : &c->session_token;
    return set_str(slot, value, err);
  }
  if (strcmp(key, "s3.path-style-access") == 0) {
    if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
      ICE_FAIL(err, ICE_EINVAL, "s3.path-style-access=%.40s: expected true or false",
               value);
    c->path_style = strcmp(value, "true") == 0;
    return ICE_OK;
  }
  if (strcmp(key, "s3.multipart.part-size") == 0) {
    if (parse_long(value, IO_S3_MIN_PART_BYTES, IO_S3_MAX_PART_BYTES, &x) != 0)
      ICE_FAIL(err, ICE_EINVAL,
               "s3.multipart.part-size=%.40s: expected bytes from %u (5 MiB) to %u",
               value, IO_S3_MIN_PART_BYTES, IO_S3_MAX_PART_BYTES);
    c->part_size = (size_t)x;
    return ICE_OK;
  }
  if (strcmp(key, "s3.max-attempts") == 0) {
    if (parse_long(value, 1, 20, &x) != 0)
      ICE_FAIL(err, ICE_EINVAL, "s3.max-attempts=%.40s: expected 1..20", value);
    c->max_attempts = (int)x;
    return ICE_OK;
  }
  ICE_FAIL(err, ICE_EINVAL, "unknown storage property '%.100s'", key);
}

/* One variable, applied through the property it stands for when that is unset. */
static int from_env(struct io_s3_config *c, bool unset, const char *var, const char *key,
                    struct ice_error *err) {
  const char *v = getenv(var);
  if (!unset || v == NULL || v[0] == '\0') return ICE_OK;
  int rc = io_s3_config_set(c, key, v, err);
  if (rc != ICE_OK) return ice_error_prefix(err, "environment variable %s", var);
  return ICE_OK;
}

int io_s3_config_from_env(struct io_s3_config *c, struct ice_error *err) {
  /* Credentials are a unit: a key id from properties never pairs with a secret from
   * the environment. */
  bool creds_unset = c->access_key == NULL && c->secret_key == NULL;
  ICE_TRY(from_env(c, creds_unset, "AWS_ACCESS_KEY_ID", "s3.access-key-id", err));
  ICE_TRY(from_env(c, creds_unset, "AWS_SECRET_ACCESS_KEY", "s3.secret-access-key", err));
  ICE_TRY(from_env(c, creds_unset && c->session_token == NULL, "AWS_SESSION_TOKEN",
                   "s3.session-token", err));
  ICE_TRY(from_env(c, c->region == NULL, "AWS_REGION", "s3.region", err));
  ICE_TRY(from_env(c, c->region == NULL, "AWS_DEFAULT_REGION", "s3.region", err));
  ICE_TRY(from_env(c, c->endpoint == NULL, "AWS_ENDPOINT_URL", "s3.endpoint", err));
  if (c->region == NULL) ICE_TRY(set_str(&c->region, "us-east-1", err));
  if ((c->access_key == NULL) != (c->secret_key == NULL))
    ICE_FAIL(err, ICE_EINVAL,
             "s3: an access key id needs its secret access key (s3.access-key-id and "
             "s3.secret-access-key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
  return ICE_OK;
}

int io_s3_config_copy(const struct io_s3_config *src, struct io_s3_config *dst,
                      struct ice_error *err) {
  io_s3_config_init(dst);
  *dst = *src;
  dst->endpoint = dst->region = dst->access_key = dst->secret_key = dst->session_token =
      NULL;
  const char *from[] = {src->endpoint, src->region, src->access_key, src->secret_key,
                        src->session_token};
  char **to[] = {&dst->endpoint, &dst->region, &dst->access_key, &dst->secret_key,
                 &dst->session_token};
  for (size_t i = 0; i < 5; i++) {
    if (from[i] == NULL) continue;
    *to[i] = ice_strdup(from[i]);
    if (*to[i] == NULL) {
      io_s3_config_reset(dst);
      ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    }
  }
  return ICE_OK;
}

/* ---- locations ---- */

static size_t scheme_len(const char *location) {
  if (strncmp(location, "s3://", 5) == 0) return 5;
  if (strncmp(location, "s3a://", 6) == 0 || strncmp(location, "s3n://", 6) == 0) return 6;
  return 0;
}

bool io_s3_is_location(const char *location) {
  return scheme_len(location) > 0;
}

int io_s3_split(const char *location, char **bucket, char **key,
                struct ice_error *err) {
  size_t sl = scheme_len(location);
  if (sl == 0) ICE_FAIL(err, ICE_EINVAL, "'%.200s' is not an s3:// location", location);
  const char *b = location + sl;
  const char *slash = strchr(b, '/');
  size_t bl = slash ? (size_t)(slash - b) : strlen(b);
  /* Bucket naming rules (lowercase letters, digits, '.', '-'; 3..63), so a bucket can
   * always be a host name label. */
  bool ok = bl >= 3 && bl <= 63;
  for (size_t i = 0; ok && i < bl; i++)
    ok = (b[i] >= 'a' && b[i] <= 'z') || (b[i] >= '0' && b[i] <= '9') || b[i] == '.' ||
         b[i] == '-';
  if (!ok)
    ICE_FAIL(err, ICE_EINVAL, "%.300s: '%.*s' is not a valid S3 bucket name", location,
             (int)(bl > 63 ? 63 : bl), b);
  const char *k = slash ? slash + 1 : "";
  if (strlen(k) >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, "%.200s...: key longer than %d bytes", location,
             (int)ICE_LIMIT_LOCATION_BYTES);
  char *bs = ice_strndup(b, bl), *ks = ice_strdup(k);
  if (bs == NULL || ks == NULL) {
    ice_free(bs);
    ice_free(ks);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  *bucket = bs;
  *key = ks;
  return ICE_OK;
}

int io_s3_check_write_key(const char *bucket, const char *key, struct ice_error *err) {
  const char *p = key;
  bool bad = *p == '\0';
  while (!bad && *p != '\0') {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    bad = n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.');
    p = e ? e + 1 : p + n;
  }
  if (bad)
    ICE_FAIL(err, ICE_EINVAL,
             "s3://%s/%.300s: refusing a key with an empty, '.' or '..' segment", bucket,
             key);
  return ICE_OK;
}
