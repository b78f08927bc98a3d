/* SPDX-License-Identifier: Apache-2.0 */
/*
 * S3-compatible object storage behind the FileIO (io_fileio.h): a client (endpoint,
 * region, credentials, addressing, part size) built from pyiceberg's property names
 * or the AWS_* environment variables, and the operations the FileIO needs: ranged
 * reads, streamed writes (one PUT for a small object, a multipart upload part by part
 * otherwise, aborted on failure), delete, exists and prefix listing (ListObjectsV2).
 * Requests are signed with SigV4 (io_s3_sigv4.h) and retried with backoff and jitter
 * on 5xx, 429 and connection resets when they are idempotent (io_s3_http.c).
 *
 * Secrets: the secret key and session token live only in the client; no message,
 * log line or error ever holds them (nor the Authorization header).
 * Not thread-safe: one client per FileIO.
 */
#ifndef ICE_IO_IO_S3_H
#define ICE_IO_IO_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/io.h"
#include "io/io_s3_sigv4.h"
#include "util/buf.h"
#include "util/error.h"

/* S3's smallest part but the last; our default part. */
#define IO_S3_MIN_PART_BYTES (5u * 1024 * 1024)
#define IO_S3_DEFAULT_PART_BYTES (8u * 1024 * 1024)
#define IO_S3_MAX_PART_BYTES (1024u * 1024 * 1024)

struct io_s3_config {
  char *endpoint; /* "http://127.0.0.1:9000"; NULL: https://s3.<region>.amazonaws.com */
  char *region;
  char *access_key;
  char *secret_key;
  char *session_token;
  int path_style; /* -1 unset (path style exactly when an endpoint is given), 0, 1 */
  size_t part_size;
  int max_attempts; /* per request, >= 1 */
};

void io_s3_config_init(struct io_s3_config *c);
/* Wipes the secrets and frees. Idempotent. */
void io_s3_config_reset(struct io_s3_config *c);
/* Whether `key` is a storage property this module reads (s3.*, client.region). */
bool io_s3_config_knows(const char *key);
/* Sets one property: s3.endpoint, s3.region / client.region, s3.access-key-id,
 * s3.secret-access-key, s3.session-token, s3.path-style-access (true/false),
 * s3.multipart.part-size (bytes, 5 MiB..1 GiB), s3.max-attempts (1..20). ICE_EINVAL
 * naming the key (never the value of a secret) otherwise. */
int io_s3_config_set(struct io_s3_config *c, const char *key, const char *value,
                     struct ice_error *err) ICE_NODISCARD;
/* Fills what properties left unset from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN, AWS_REGION (then AWS_DEFAULT_REGION, then us-east-1) and
 * AWS_ENDPOINT_URL. Credentials come together: a key id without its secret is
 * ICE_EINVAL. */
int io_s3_config_from_env(struct io_s3_config *c, struct ice_error *err) ICE_NODISCARD;
/* A deep copy (ICE_ENOMEM). */
int io_s3_config_copy(const struct io_s3_config *src, struct io_s3_config *dst,
                      struct ice_error *err) ICE_NODISCARD;

/* "s3://bucket/key" or "s3a://bucket/key" (also s3n) split into bucket and key
 * (owned). ICE_EINVAL for a location without a valid bucket name (3..63 of a-z 0-9 .
 * -). The key may be empty (the bucket's root). */
int io_s3_split(const char *location, char **bucket, char **key,
                struct ice_error *err) ICE_NODISCARD;
/* Whether location's scheme is s3, s3a or s3n. */
bool io_s3_is_location(const char *location);
/* ICE_EINVAL when the key cannot be written safely: an empty, "." or ".." segment
 * (HTTP stacks may fold them and reach another key). */
int io_s3_check_write_key(const char *bucket, const char *key,
                          struct ice_error *err) ICE_NODISCARD;

struct io_s3;
/* A client over a copy of cfg (ICE_EINVAL when an endpoint is malformed or there are
 * no credentials, ICE_ENOMEM, ICE_EIO when libcurl cannot start). */
int io_s3_new(const struct io_s3_config *cfg, struct io_s3 **out,
              struct ice_error *err) ICE_NODISCARD;
void io_s3_free(struct io_s3 *s); /* NULL is fine */

/* One request (io_s3_http.c). The key has no leading '/'; query and headers are
 * unencoded. The body is sent as is; the response body goes to `dest` (exactly
 * dest_len bytes expected: a ranged read) or to `resp` (bounded by its max), or is
 * dropped. Statuses outside 2xx are errors naming bucket and key: 404 ICE_ENOTFOUND,
 * 403/401 ICE_EAUTH, 412 ICE_EEXISTS, others ICE_EIO with err->detail the status. */
struct io_s3_request {
  const char *method;
  const char *bucket;
  const char *key;
  const struct io_s3_pair *query;
  size_t n_query;
  const struct io_s3_pair *headers; /* extra headers, signed */
  size_t n_headers;
  const void *body;
  size_t body_len;
  bool idempotent; /* may be sent again after a reset or a lost answer */
  void *dest;
  size_t dest_len;
  struct ice_buf *resp;
};
struct io_s3_response {
  long status;
  int64_t content_length; /* -1 unknown */
  char etag[130];         /* as the server quoted it, "" when none */
};
int io_s3_send(struct io_s3 *s, const struct io_s3_request *r, struct io_s3_response *out,
               struct ice_error *err) ICE_NODISCARD;

/* A request as it is sent: URL, the headers signed (host, x-amz-date,
 * x-amz-content-sha256, x-amz-security-token when there is a session token, then the
 * request's own) and the Authorization header. Values borrow from the request, the
 * client and this struct. Owned strings freed by io_s3_signed_reset (which wipes the
 * signature). */
#define IO_S3_MAX_HEADERS 40
struct io_s3_signed {
  char *url;
  char *authorization;
  char host[400];
  char date[17];
  char body_hash[65];
  struct io_s3_pair headers[IO_S3_MAX_HEADERS];
  size_t n_headers;
};
/* Signs r at amz_date ("YYYYMMDDTHHMMSSZ"). The payload is signed by its sha256 over
 * plain HTTP and as UNSIGNED-PAYLOAD over HTTPS (TLS protects it). */
int io_s3_sign(const struct io_s3 *s, const struct io_s3_request *r, const char *amz_date,
               struct io_s3_signed *out, struct ice_error *err) ICE_NODISCARD;
void io_s3_signed_reset(struct io_s3_signed *sg);

/* The part size of the client. */
size_t io_s3_part_size(const struct io_s3 *s);

/* Positioned reads of an object (HEAD for its size, then ranged GETs). `name` is the
 * location for messages. ICE_ENOTFOUND when missing. */
int io_s3_open_input(struct io_s3 *s, const char *bucket, const char *key,
                     const char *name, struct ice_input **out,
                     struct ice_error *err) ICE_NODISCARD;
/* A sequential writer: one PUT when finished under one part, else a multipart upload
 * sent part by part (one part buffered); abort or close before finish aborts the
 * upload (nothing appears). The part buffer's capacity is charged to `budget` (may be
 * NULL) as it grows, and given back at finish, abort or close; growth the budget
 * refuses fails the write with ICE_ELIMIT (a part cannot be sent smaller). */
int io_s3_create(struct io_s3 *s, const char *bucket, const char *key, const char *name,
                 struct ice_mem_budget *budget, struct ice_output **out,
                 struct ice_error *err) ICE_NODISCARD;
/* DELETE (a missing object is fine). */
int io_s3_delete(struct io_s3 *s, const char *bucket, const char *key,
                 struct ice_error *err) ICE_NODISCARD;
/* 1 when the object exists (HEAD 200), 0 when not or on any failure. */
int io_s3_exists(struct io_s3 *s, const char *bucket, const char *key);

/* Calls fn(user, key, size, mtime_ms) for every object whose key starts with prefix;
 * without `recursive` only those with no '/' after the prefix (delimiter '/'). */
typedef int (*io_s3_key_fn)(void *user, const char *key, int64_t size, int64_t mtime_ms,
                            struct ice_error *err);
int io_s3_list(struct io_s3 *s, const char *bucket, const char *prefix, bool recursive,
               io_s3_key_fn fn, void *user, struct ice_error *err) ICE_NODISCARD;

/* ---- response parsing (io_s3_xml.c, io_s3_list_parse.c): untrusted bytes ---- */

/* Calls fn at the end of every element with its '/'-joined path from the root
 * ("ListBucketResult/Contents/Key") and its text (entities decoded, NUL-terminated;
 * child elements' text excluded). Bounded: depth 16, path 256 bytes, text 64 KiB,
 * input 64 MiB. ICE_ECORRUPT for malformed XML, ICE_ELIMIT past a bound. */
typedef int (*io_xml_fn)(void *user, const char *path, const char *text, size_t len,
                         struct ice_error *err);
int io_xml_parse(const char *data, size_t len, io_xml_fn fn, void *user,
                 struct ice_error *err) ICE_NODISCARD;

/* One page of a ListObjectsV2 answer: fn for each object, then *truncated and the
 * continuation token (owned, NULL when none). */
int io_s3_parse_list(const char *data, size_t len, io_s3_key_fn fn, void *user,
                     bool *truncated, char **next_token,
                     struct ice_error *err) ICE_NODISCARD;
/* "<Error><Code>..</Code><Message>..</Message>" of a failed request: code and message
 * (owned, NULL when absent; at most 200 bytes each). ICE_ECORRUPT when not XML. */
int io_s3_parse_error(const char *data, size_t len, char **code, char **message,
                      struct ice_error *err) ICE_NODISCARD;
/* The UploadId of a CreateMultipartUpload answer (owned). ICE_ECORRUPT when absent. */
int io_s3_parse_upload_id(const char *data, size_t len, char **upload_id,
                          struct ice_error *err) ICE_NODISCARD;
/* "2026-12-04T01:06:08.000Z" -> ms since the epoch; ICE_ECORRUPT otherwise. */
int io_s3_parse_time(const char *s, int64_t *ms, struct ice_error *err) ICE_NODISCARD;

#endif
