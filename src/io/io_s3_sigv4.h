/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AWS Signature Version 4 for header-signed requests (AWS General Reference, "Create a
 * signed AWS API request"; S3 API, "Signature Calculations for the Authorization
 * Header"). Pure functions: no clock, no I/O, so the published test-suite vectors and
 * botocore's signer can check them byte for byte (tests/unit/test_io_s3_sigv4.c).
 */
#ifndef ICE_IO_IO_S3_SIGV4_H
#define ICE_IO_IO_S3_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"

/* sha256 of the empty string, the payload hash of a request without a body. */
#define IO_SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* One header or query parameter (name and value as sent, unencoded; borrowed). */
struct io_s3_pair {
  const char *name;
  const char *value;
};

/* What a signature covers. `path` is the request path unencoded ("/bucket/a b"): it is
 * encoded the S3 way (every byte but A-Z a-z 0-9 - . _ ~ and '/' as %XX, once).
 * `query` is the parameters unencoded, in any order; `headers` every header to sign
 * (host and x-amz-date among them; names in any case). `payload_hash` is the hex
 * sha256 of the body or "UNSIGNED-PAYLOAD"; `amz_date` is "YYYYMMDDTHHMMSSZ". */
struct io_sigv4_request {
  const char *method;
  const char *path;
  const struct io_s3_pair *query;
  size_t n_query;
  const struct io_s3_pair *headers;
  size_t n_headers;
  const char *payload_hash;
  const char *amz_date;
  const char *region;
  const char *service;
  const char *access_key;
  const char *secret_key;
};

/* Appends s[0..n) percent-encoded as SigV4 wants (RFC 3986 unreserved kept; '/' kept
 * when keep_slash). */
int io_s3_uri_encode(struct ice_buf *out, const char *s, size_t n, bool keep_slash,
                     struct ice_error *err) ICE_NODISCARD;

/* Lowercase hex sha256 of data[0..n) into out (65 bytes with the NUL). */
void io_sha256_hex(const void *data, size_t n, char out[65]);

/* The canonical request (owned NUL-terminated string) of r. ICE_EINVAL for a
 * malformed request (no method, a date that is not 16 characters, more than 64
 * headers), ICE_ENOMEM. */
int io_sigv4_canonical_request(const struct io_sigv4_request *r, char **out,
                               struct ice_error *err) ICE_NODISCARD;

/* The Authorization header value (owned): "AWS4-HMAC-SHA256 Credential=KEY/DATE/
 * REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=HEX". It holds the access
 * key id but never the secret. Errors as io_sigv4_canonical_request. */
int io_sigv4_authorization(const struct io_sigv4_request *r, char **out,
                           struct ice_error *err) ICE_NODISCARD;

#endif
