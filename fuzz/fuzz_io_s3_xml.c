/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the reading of S3 answers (src/io/io_s3_parse.c, io_s3_xml.c): the input is
 * taken as a ListObjectsV2 page, an error body and a CreateMultipartUpload answer,
 * which is what a server (or anything posing as one) sends back. Checked: no crash, no
 * leak; every listed key is a non-empty C string of the length reported with a
 * non-negative size; a truncated page always has a token; failures are ICE_ECORRUPT,
 * ICE_ELIMIT or ICE_ENOMEM; error fields are at most 200 printable bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "io/io_s3.h"
#include "util/alloc.h"

static int each(void *user, const char *key, int64_t size, int64_t mtime_ms,
                struct ice_error *err) {
  (void)mtime_ms;
  (void)err;
  size_t *n = user;
  if (key == NULL || key[0] == '\0' || size < 0) abort();
  (*n)++;
  return ICE_OK;
}

static void check_field(const char *s) {
  if (s == NULL) return;
  size_t n = strlen(s);
  if (n > 200) abort();
  for (size_t i = 0; i < n; i++)
    if (s[i] < 0x20 || s[i] > 0x7e) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1024 * 1024) return 0;
  const char *xml = (const char *)data;
  struct ice_error err;
  size_t n = 0;
  bool more = false;
  char *token = NULL;
  int rc = io_s3_parse_list(xml, size, each, &n, &more, &token, &err);
  if (rc == ICE_OK) {
    if (more && (token == NULL || token[0] == '\0')) abort();
  } else if (rc != ICE_ECORRUPT && rc != ICE_ELIMIT && rc != ICE_ENOMEM) {
    abort();
  }
  ice_free(token);
  char *code = NULL, *msg = NULL;
  rc = io_s3_parse_error(xml, size, &code, &msg, &err);
  if (rc == ICE_OK) {
    check_field(code);
    check_field(msg);
  } else if (rc != ICE_ECORRUPT && rc != ICE_ELIMIT && rc != ICE_ENOMEM) {
    abort();
  }
  ice_free(code);
  ice_free(msg);
  char *id = NULL;
  rc = io_s3_parse_upload_id(xml, size, &id, &err);
  if (rc == ICE_OK && (id == NULL || id[0] == '\0')) abort();
  ice_free(id);
  return 0;
}
