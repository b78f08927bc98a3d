/* SPDX-License-Identifier: Apache-2.0 */
/*
 * S3 answers (src/io/io_s3_parse.c over io_s3_xml.c): a ListObjectsV2 page as AWS
 * documents it (keys with entities, sizes, times, truncation and its token), error
 * bodies, the UploadId of a new multipart upload; and hostile input refused with
 * ICE_ECORRUPT or ICE_ELIMIT: mismatched or unclosed tags, DOCTYPE, bad entities,
 * deep nesting, huge text, a truncated page without a token, non-numeric sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
#include "io/io_s3.h"
#include "util/alloc.h"

struct seen {
  char keys[8][128];
  int64_t sizes[8], times[8];
  int n;
};

static int note(void *user, const char *key, int64_t size, int64_t mtime_ms,
                struct ice_error *err) {
  (void)err;
  struct seen *s = user;
  if (s->n < 8) {
    snprintf(s->keys[s->n], 128, "%s", key);
    s->sizes[s->n] = size;
    s->times[s->n] = mtime_ms;
  }
  s->n++;
  return ICE_OK;
}

static int list(const char *xml, struct seen *s, bool *more, char **token,
                struct ice_error *err) {
  memset(s, 0, sizeof *s);
  return io_s3_parse_list(xml, strlen(xml), note, s, more, token, err);
}

static void test_list_page(void) {
  const char *xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>bkt</Name><Prefix>wh/</Prefix><KeyCount>2</KeyCount>"
      "<MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>"
      "<NextContinuationToken>1ueGcx/+=</NextContinuationToken>"
      "<Contents><Key>wh/a&amp;b &lt;1&gt;.parquet</Key>"
      "<LastModified>2026-12-04T01:06:08.123Z</LastModified>"
      "<ETag>&quot;5eb63bbbe01eeed093cb22bb8f5acdc3&quot;</ETag><Size>11</Size>"
      "<StorageClass>STANDARD</StorageClass></Contents>"
      "<!-- a comment --><Contents><Key>wh/&#x4e2d;&#233;</Key><Size>0</Size>"
      "<LastModified>1970-01-01T00:00:01Z</LastModified><Owner><ID>x</ID></Owner>"
      "</Contents></ListBucketResult>";
  struct seen s;
  bool more = false;
  char *token = NULL;
  struct ice_error err;
  CHECK_OK(list(xml, &s, &more, &token, &err), &err);
  CHECK_EQ_INT(s.n, 2);
  CHECK_EQ_STR(s.keys[0], "wh/a&b <1>.parquet");
  CHECK_EQ_INT(s.sizes[0], 11);
  CHECK_EQ_INT(s.times[0], 1796346368123LL);
  CHECK_EQ_STR(s.keys[1], "wh/\xe4\xb8\xad\xc3\xa9");
  CHECK_EQ_INT(s.times[1], 1000);
  CHECK(more);
  CHECK_EQ_STR(token, "1ueGcx/+=");
  ice_free(token);
  /* The last page; a self-closed empty listing. */
  CHECK_OK(list("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>",
                &s, &more, &token, &err),
           &err);
  CHECK(!more && token == NULL && s.n == 0);
  CHECK_OK(list("<ListBucketResult/>", &s, &more, &token, &err), &err);
}

static void test_list_hostile(void) {
  const char *bad[] = {
      "",
      "not xml",
      "<ListBucketResult><Contents><Key>a</Key><Size>1</Size></Content></ListBucketResult>",
      "<ListBucketResult><Contents><Key>a</Key><Size>1</Size></Contents>",
      "<!DOCTYPE x [<!ENTITY a \"b\">]><ListBucketResult/>",
      "<ListBucketResult><Contents><Key>&bogus;</Key><Size>1</Size></Contents>"
      "</ListBucketResult>",
      "<ListBucketResult><Contents><Key>&#0;</Key><Size>1</Size></Contents>"
      "</ListBucketResult>",
      "<ListBucketResult><Contents><Key>&#x110000;</Key><Size>1</Size></Contents>"
      "</ListBucketResult>",
      "<ListBucketResult><Contents><Key>a</Key><Size>-1</Size></Contents>"
      "</ListBucketResult>",
      "<ListBucketResult><Contents><Key>a</Key><Size>99999999999999999999</Size>"
      "</Contents></ListBucketResult>",
      "<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>",
      "<ListBucketResult><Contents><Key>a</Key><Size>1</Size><LastModified>yesterday"
      "</LastModified></Contents></ListBucketResult>",
      "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
      "<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>",
      "<Error><Code>NoSuchBucket</Code></Error>",
      "<ListBucketResult></ListBucketResult><ListBucketResult/>",
      "<ListBucketResult a=\"unterminated></ListBucketResult>",
      "<ListBucketResult><Contents><Key>a\0b</Key><Size>1</Size></Contents>"
      "</ListBucketResult>",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct seen s;
    bool more = false;
    char *token = NULL;
    struct ice_error err;
    int rc = list(bad[i], &s, &more, &token, &err);
    if (rc != ICE_ECORRUPT && rc != ICE_ELIMIT)
      fprintf(stderr, "  case %zu gave %d\n", i, rc);
    CHECK(rc == ICE_ECORRUPT || rc == ICE_ELIMIT);
    CHECK(token == NULL);
  }
  /* Deep nesting and huge text hit the bounds. */
  char deep[20 * 3 + 1];
  for (int i = 0; i < 20; i++) memcpy(deep + 3 * i, "<a>", 3);
  deep[60] = '\0';
  struct ice_error err;
  struct seen s;
  bool more;
  char *token = NULL;
  CHECK_EQ_INT(list(deep, &s, &more, &token, &err), ICE_ELIMIT);
  size_t n = 200 * 1024;
  char *big = malloc(n + 64);
  if (big == NULL) abort();
  memcpy(big, "<ListBucketResult><Name>", 24);
  memset(big + 24, 'x', n);
  memcpy(big + 24 + n, "</Name></ListBucketResult>", 27);
  CHECK_EQ_INT(list(big, &s, &more, &token, &err), ICE_ELIMIT);
  free(big);
}

static void test_errors_and_upload_id(void) {
  const char *xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
      "<Message>The specified key does not exist.</Message><Key>a\x01</Key>"
      "<RequestId>4442587FB7D0A2F9</RequestId></Error>";
  char *code = NULL, *msg = NULL;
  struct ice_error err;
  CHECK_OK(io_s3_parse_error(xml, strlen(xml), &code, &msg, &err), &err);
  CHECK_EQ_STR(code, "NoSuchKey");
  CHECK_EQ_STR(msg, "The specified key does not exist.");
  ice_free(code);
  ice_free(msg);
  CHECK_EQ_INT(io_s3_parse_error("<Error>", 7, &code, &msg, &err), ICE_ECORRUPT);
  const char *up =
      "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
      "<UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>";
  char *id = NULL;
  CHECK_OK(io_s3_parse_upload_id(up, strlen(up), &id, &err), &err);
  CHECK_EQ_STR(id, "VXBsb2FkIElE");
  ice_free(id);
  const char *none = "<InitiateMultipartUploadResult/>";
  CHECK_EQ_INT(io_s3_parse_upload_id(none, strlen(none), &id, &err), ICE_ECORRUPT);
}

static void test_config_and_locations(void) {
  struct io_s3_config c;
  io_s3_config_init(&c);
  struct ice_error err;
  CHECK_OK(io_s3_config_set(&c, "s3.endpoint", "http://127.0.0.1:9000/", &err), &err);
  CHECK_EQ_STR(c.endpoint, "http://127.0.0.1:9000");
  CHECK_EQ_INT(io_s3_config_set(&c, "s3.endpoint", "ftp://x", &err), ICE_EINVAL);
  CHECK_EQ_INT(io_s3_config_set(&c, "s3.endpoint", "http://h/path", &err), ICE_EINVAL);
  CHECK_EQ_INT(io_s3_config_set(&c, "s3.endpoint", "http://me:TOPSECRET@h", &err),
               ICE_EINVAL);
  CHECK(strstr(err.message, "TOPSECRET") == NULL);
  CHECK_EQ_INT(io_s3_config_set(&c, "s3.multipart.part-size", "1024", &err), ICE_EINVAL);
  CHECK_OK(io_s3_config_set(&c, "s3.multipart.part-size", "5242880", &err), &err);
  CHECK_EQ_INT(io_s3_config_set(&c, "s3.path-style-access", "yes", &err), ICE_EINVAL);
  /* A secret's value never reaches a message. */
  CHECK_EQ_INT(io_s3_config_set(&c, "s3.secret-access-key", "", &err), ICE_EINVAL);
  CHECK_OK(io_s3_config_set(&c, "s3.secret-access-key", "TOPSECRET", &err), &err);
  CHECK_EQ_INT(io_s3_config_set(&c, "s3.nonsense", "TOPSECRET", &err), ICE_EINVAL);
  CHECK(strstr(err.message, "TOPSECRET") == NULL);
  /* The environment completes what properties left out, but never splits a pair. */
  setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "ENVSECRET", 1);
  CHECK_EQ_INT(io_s3_config_from_env(&c, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "TOPSECRET") == NULL && strstr(err.message, "ENV") == NULL);
  io_s3_config_reset(&c);
  setenv("AWS_REGION", "eu-north-1", 1);
  CHECK_OK(io_s3_config_from_env(&c, &err), &err);
  CHECK_EQ_STR(c.access_key, "ENVKEY");
  CHECK_EQ_STR(c.secret_key, "ENVSECRET");
  CHECK_EQ_STR(c.region, "eu-north-1");
  io_s3_config_reset(&c);
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  unsetenv("AWS_REGION");

  char *b = NULL, *k = NULL;
  CHECK_OK(io_s3_split("s3a://my-bucket/wh/t/x.parquet", &b, &k, &err), &err);
  CHECK_EQ_STR(b, "my-bucket");
  CHECK_EQ_STR(k, "wh/t/x.parquet");
  ice_free(b);
  ice_free(k);
  CHECK_EQ_INT(io_s3_split("s3://Bad_Bucket/x", &b, &k, &err), ICE_EINVAL);
  CHECK_EQ_INT(io_s3_split("s3://ab/x", &b, &k, &err), ICE_EINVAL);
  CHECK_EQ_INT(io_s3_check_write_key("b", "wh/../etc/x", &err), ICE_EINVAL);
  CHECK_EQ_INT(io_s3_check_write_key("b", "wh//x", &err), ICE_EINVAL);
  CHECK_EQ_INT(io_s3_check_write_key("b", "wh/./x", &err), ICE_EINVAL);
  CHECK_OK(io_s3_check_write_key("b", "wh/..x/x.", &err), &err);
  int64_t ms = 0;
  CHECK_OK(io_s3_parse_time("2000-03-01T00:00:00Z", &ms, &err), &err);
  CHECK_EQ_INT(ms, 951868800000LL);
  CHECK_EQ_INT(io_s3_parse_time("2000-13-01T00:00:00Z", &ms, &err), ICE_ECORRUPT);
}

int main(void) {
  ICE_RUN(test_list_page);
  ICE_RUN(test_list_hostile);
  ICE_RUN(test_errors_and_upload_id);
  ICE_RUN(test_config_and_locations);
  ICE_TEST_EXIT();
}
