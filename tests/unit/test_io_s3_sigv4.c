/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SigV4 (src/io/io_s3_sigv4.h) against published vectors: the AWS Signature Version 4
 * test suite (get-vanilla, get-vanilla-query-order-key-case, get-utf8, post-vanilla,
 * post-vanilla-query: credentials AKIDEXAMPLE, 20150830T123600Z, us-east-1, service
 * "service") and the four examples of the S3 API reference, "Signature Calculations
 * for the Authorization Header" (GET object with a range, PUT object, GET bucket
 * lifecycle, GET bucket list). The expected signatures are AWS's published values.
 *
 * With `--compare FILE` it instead signs every request of FILE (written by
 * tests/cli/s3_botocore_sign.py from botocore's S3SigV4Auth) through the client's own
 * request signer (io_s3_sign) and requires the same URL and Authorization header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
#include "io/io_s3.h"
#include "io/io_s3_sigv4.h"
#include "util/alloc.h"

#define SUITE_KEY "AKIDEXAMPLE"
#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define S3_KEY "AKIAIOSFODNN7EXAMPLE"
#define S3_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

static char *sign(const struct io_sigv4_request *r) {
  struct ice_error err;
  char *auth = NULL;
  CHECK_OK(io_sigv4_authorization(r, &auth, &err), &err);
  return auth;
}

static void check_suite(const char *method, const char *path,
                        const struct io_s3_pair *q, size_t nq, const char *sig) {
  struct io_s3_pair h[] = {{"Host", "example.amazonaws.com"},
                           {"X-Amz-Date", "20150830T123600Z"}};
  struct io_sigv4_request r = {method, path, q, nq, h, 2, IO_SHA256_EMPTY,
                               "20150830T123600Z", "us-east-1", "service",
                               SUITE_KEY, SUITE_SECRET};
  char *auth = sign(&r);
  char want[300];
  snprintf(want, sizeof want,
           "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
           "aws4_request, SignedHeaders=host;x-amz-date, Signature=%s",
           sig);
  CHECK_EQ_STR(auth, want);
  ice_free(auth);
}

static void test_aws_test_suite(void) {
  check_suite("GET", "/", NULL, 0,
              "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  struct io_s3_pair q[] = {{"Param2", "value2"}, {"Param1", "value1"}};
  check_suite("GET", "/", q, 2,
              "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  check_suite("GET", "/\xE1\x88\xB4", NULL, 0,
              "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
  check_suite("POST", "/", NULL, 0,
              "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  check_suite("POST", "/", q + 1, 1,
              "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11");
}

static void check_s3(const char *method, const char *path, const struct io_s3_pair *q,
                     size_t nq, const struct io_s3_pair *h, size_t nh,
                     const char *payload, const char *signed_headers, const char *sig) {
  struct io_sigv4_request r = {method, path, q, nq, h, nh, payload,
                               "20130524T000000Z", "us-east-1", "s3", S3_KEY, S3_SECRET};
  char *auth = sign(&r);
  char want[400];
  snprintf(want, sizeof want,
           "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
           "aws4_request, SignedHeaders=%s, Signature=%s",
           signed_headers, sig);
  CHECK_EQ_STR(auth, want);
  ice_free(auth);
}

static void test_s3_reference_examples(void) {
  const char *host = "examplebucket.s3.amazonaws.com";
  struct io_s3_pair get[] = {{"Host", host},
                             {"Range", "bytes=0-9"},
                             {"x-amz-content-sha256", IO_SHA256_EMPTY},
                             {"x-amz-date", "20130524T000000Z"}};
  check_s3("GET", "/test.txt", NULL, 0, get, 4, IO_SHA256_EMPTY,
           "host;range;x-amz-content-sha256;x-amz-date",
           "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  /* The body's hash, computed here rather than copied. */
  char body_hash[65];
  io_sha256_hex("Welcome to Amazon S3.", 21, body_hash);
  CHECK_EQ_STR(body_hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  struct io_s3_pair put[] = {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                             {"Host", host},
                             {"x-amz-content-sha256", body_hash},
                             {"x-amz-date", "20130524T000000Z"},
                             {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
  check_s3("PUT", "/test$file.text", NULL, 0, put, 5, body_hash,
           "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
           "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  struct io_s3_pair plain[] = {{"Host", host},
                               {"x-amz-content-sha256", IO_SHA256_EMPTY},
                               {"x-amz-date", "20130524T000000Z"}};
  struct io_s3_pair lifecycle[] = {{"lifecycle", ""}};
  check_s3("GET", "/", lifecycle, 1, plain, 3, IO_SHA256_EMPTY,
           "host;x-amz-content-sha256;x-amz-date",
           "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  struct io_s3_pair list[] = {{"prefix", "J"}, {"max-keys", "2"}};
  check_s3("GET", "/", list, 2, plain, 3, IO_SHA256_EMPTY,
           "host;x-amz-content-sha256;x-amz-date",
           "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

static void test_canonical_request(void) {
  /* The canonical form of the PUT example, as the S3 reference prints it. */
  struct io_s3_pair h[] = {{"x-amz-date", "20130524T000000Z"},
                           {"Host", "  examplebucket.s3.amazonaws.com  "},
                           {"X-Amz-Storage-Class", "REDUCED   REDUNDANCY"}};
  struct io_s3_pair q[] = {{"b", "x y"}, {"a", "1/2"}, {"a", "0"}};
  struct io_sigv4_request r = {"PUT", "/a b/c~d", q, 3, h, 3, "UNSIGNED-PAYLOAD",
                               "20130524T000000Z", "us-east-1", "s3", S3_KEY, S3_SECRET};
  struct ice_error err;
  char *c = NULL;
  CHECK_OK(io_sigv4_canonical_request(&r, &c, &err), &err);
  CHECK_EQ_STR(c,
               "PUT\n/a%20b/c~d\na=0&a=1%2F2&b=x%20y\n"
               "host:examplebucket.s3.amazonaws.com\n"
               "x-amz-date:20130524T000000Z\n"
               "x-amz-storage-class:REDUCED REDUNDANCY\n\n"
               "host;x-amz-date;x-amz-storage-class\nUNSIGNED-PAYLOAD");
  ice_free(c);
  /* The secret never appears in what is signed or sent. */
  char *auth = sign(&r);
  CHECK(auth != NULL && strstr(auth, S3_SECRET) == NULL);
  ice_free(auth);
  r.amz_date = "2013";
  CHECK_EQ_INT(io_sigv4_canonical_request(&r, &c, &err), ICE_EINVAL);
}

/* ---- botocore comparison ---- */

/* Splits s at `sep` in place into at most max fields. */
static size_t split(char *s, char sep, char **out, size_t max) {
  size_t n = 0;
  while (n < max) {
    out[n++] = s;
    char *e = strchr(s, sep);
    if (e == NULL) break;
    *e = '\0';
    s = e + 1;
  }
  return n;
}

/* A line: name, endpoint, path-style, session token ("-" none), method, bucket, key,
 * query ("k=v&k=v", "-" none), headers ("k:v|k:v", "-" none), body, amz date,
 * expected URL, expected Authorization; tab-separated. */
static void compare_line(char *line) {
  char *f[16];
  if (split(line, '\t', f, 16) != 13) {
    fprintf(stderr, "  FAIL: malformed line: %.80s\n", line);
    ice_test_current_failed = 1;
    return;
  }
  struct ice_error err;
  struct io_s3_config cfg;
  io_s3_config_init(&cfg);
  CHECK_OK(io_s3_config_set(&cfg, "s3.endpoint", f[1], &err), &err);
  CHECK_OK(io_s3_config_set(&cfg, "s3.path-style-access", f[2], &err), &err);
  CHECK_OK(io_s3_config_set(&cfg, "s3.region", "eu-west-3", &err), &err);
  CHECK_OK(io_s3_config_set(&cfg, "s3.access-key-id", "AKIDBOTOCORE", &err), &err);
  CHECK_OK(io_s3_config_set(&cfg, "s3.secret-access-key", "sEcReT/botocore+KEY", &err),
           &err);
  if (strcmp(f[3], "-") != 0)
    CHECK_OK(io_s3_config_set(&cfg, "s3.session-token", f[3], &err), &err);
  struct io_s3 *s3 = NULL;
  CHECK_OK(io_s3_new(&cfg, &s3, &err), &err);
  io_s3_config_reset(&cfg);
  struct io_s3_pair q[8], h[8];
  size_t nq = 0, nh = 0;
  char *parts[8];
  if (strcmp(f[7], "-") != 0) {
    size_t n = split(f[7], '&', parts, 8);
    for (size_t i = 0; i < n; i++) {
      char *eq = strchr(parts[i], '=');
      if (eq != NULL) *eq = '\0';
      q[nq++] = (struct io_s3_pair){parts[i], eq ? eq + 1 : ""};
    }
  }
  if (strcmp(f[8], "-") != 0) {
    size_t n = split(f[8], '|', parts, 8);
    for (size_t i = 0; i < n; i++) {
      char *colon = strchr(parts[i], ':');
      if (colon == NULL) continue;
      *colon = '\0';
      h[nh++] = (struct io_s3_pair){parts[i], colon + 1};
    }
  }
  struct io_s3_request r = {f[4], f[5], f[6], q, nq, h, nh, f[9], strlen(f[9]),
                            true, NULL, 0, NULL};
  struct io_s3_signed sg;
  if (s3 != NULL) {
    CHECK_OK(io_s3_sign(s3, &r, f[10], &sg, &err), &err);
    if (sg.url != NULL) {
      CHECK_EQ_STR(sg.url, f[11]);
      CHECK_EQ_STR(sg.authorization, f[12]);
      if (ice_test_current_failed) fprintf(stderr, "  (request %s)\n", f[0]);
    }
    io_s3_signed_reset(&sg);
  }
  io_s3_free(s3);
}

static const char *g_compare_file;

static void test_botocore_requests(void) {
  FILE *fp = fopen(g_compare_file, "r");
  if (fp == NULL) {
    fprintf(stderr, "  FAIL: cannot open %s\n", g_compare_file);
    ice_test_current_failed = 1;
    return;
  }
  char line[8192];
  int n = 0;
  while (fgets(line, sizeof line, fp) != NULL) {
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\n') line[len - 1] = '\0';
    if (line[0] == '\0') continue;
    compare_line(line);
    n++;
  }
  fclose(fp);
  printf("# compared %d requests with botocore\n", n);
  CHECK(n >= 8);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--compare") == 0) {
    g_compare_file = argv[2];
    ICE_RUN(test_botocore_requests);
    ICE_TEST_EXIT();
  }
  ICE_RUN(test_aws_test_suite);
  ICE_RUN(test_s3_reference_examples);
  ICE_RUN(test_canonical_request);
  ICE_TEST_EXIT();
}
