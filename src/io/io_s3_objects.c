/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Objects through the S3 client (io_s3.h): an input reads by ranged GET after one HEAD
 * (the Parquet reader asks for the footer first, then each column chunk it needs);
 * delete and exists; and the prefix listing, ListObjectsV2 page by page with its
 * continuation token, a '/' delimiter when not recursive.
 */
#include <stdio.h>
#include <string.h>

#include "io/io_s3.h"
#include "util/alloc.h"
#include "util/limits.h"

/* A ListObjectsV2 page of 1000 keys of at most 1 KiB, plus markup. */
#define LIST_PAGE_MAX (8u * 1024 * 1024)
/* A listing longer than this many pages is a loop (a server repeating its token). */
#define LIST_MAX_PAGES 1000000

struct s3_in {
  struct io_s3 *s3;
  char *bucket;
  char *key;
};

static int s3_read_at(struct ice_input *in, int64_t off, void *buf, size_t n,
                      struct ice_error *err) {
  struct s3_in *si = in->priv;
  if (off < 0 || (int64_t)n > in->size || off > in->size - (int64_t)n)
    return ice_error_set(
        err, ICE_ECORRUPT,
        "%s: read of %zu bytes at offset %lld is beyond the end (%lld bytes)", in->name,
        n, (long long)off, (long long)in->size);
  if (n == 0) return ICE_OK;
  char range[64];
  snprintf(range, sizeof range, "bytes=%lld-%lld", (long long)off,
           (long long)(off + (int64_t)n - 1));
  struct io_s3_pair h[] = {{"range", range}};
  struct io_s3_request r = {"GET", si->bucket, si->key, NULL, 0, h, 1, NULL, 0,
                            true, buf, n, NULL};
  struct io_s3_response resp;
  return io_s3_send(si->s3, &r, &resp, err);
}

static void s3_in_close(struct ice_input *in) {
  struct s3_in *si = in->priv;
  ice_free(si->bucket);
  ice_free(si->key);
  ice_free(si);
  ice_free(in->name);
  ice_free(in);
}

/* Not concurrent: requests share the client's one curl handle. */
static const struct ice_input_vtable s3_in_vt = {s3_read_at, s3_in_close, false};

int io_s3_open_input(struct io_s3 *s, const char *bucket, const char *key,
                     const char *name, struct ice_input **out, struct ice_error *err) {
  struct io_s3_request r = {"HEAD", bucket, key, NULL, 0, NULL, 0, NULL, 0,
                            true, NULL, 0, NULL};
  struct io_s3_response resp;
  int rc = io_s3_send(s, &r, &resp, err);
  if (rc != ICE_OK) return ice_error_prefix_path(err, "", name);
  if (resp.content_length < 0)
    ICE_FAIL(err, ICE_EIO, "%s: the server gave no object size", name);
  struct ice_input *in = ice_calloc(1, sizeof *in);
  struct s3_in *si = ice_calloc(1, sizeof *si);
  char *nm = ice_strdup(name);
  char *b = ice_strdup(bucket), *k = ice_strdup(key);
  if (in == NULL || si == NULL || nm == NULL || b == NULL || k == NULL) {
    ice_free(in), ice_free(si), ice_free(nm), ice_free(b), ice_free(k);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  *si = (struct s3_in){s, b, k};
  in->vt = &s3_in_vt;
  in->size = resp.content_length;
  in->name = nm;
  in->priv = si;
  *out = in;
  return ICE_OK;
}

int io_s3_delete(struct io_s3 *s, const char *bucket, const char *key,
                 struct ice_error *err) {
  struct io_s3_request r = {"DELETE", bucket, key, NULL, 0, NULL, 0, NULL, 0,
                            true, NULL, 0, NULL};
  struct io_s3_response resp;
  int rc = io_s3_send(s, &r, &resp, err);
  return rc == ICE_ENOTFOUND ? ICE_OK : rc;
}

int io_s3_exists(struct io_s3 *s, const char *bucket, const char *key) {
  struct io_s3_request r = {"HEAD", bucket, key, NULL, 0, NULL, 0, NULL, 0,
                            true, NULL, 0, NULL};
  struct io_s3_response resp;
  return io_s3_send(s, &r, &resp, NULL) == ICE_OK;
}

struct list_filter {
  const char *prefix;
  bool recursive;
  io_s3_key_fn fn;
  void *user;
};

/* Keys outside the prefix would be a server's mistake; the delimiter is applied again
 * here, so a server that ignores it cannot make a flat listing recursive. */
static int filter_key(void *user, const char *key, int64_t size, int64_t mtime_ms,
                      struct ice_error *err) {
  struct list_filter *f = user;
  size_t pl = strlen(f->prefix);
  if (strncmp(key, f->prefix, pl) != 0) return ICE_OK;
  if (!f->recursive && strchr(key + pl, '/') != NULL) return ICE_OK;
  return f->fn(f->user, key, size, mtime_ms, err);
}

int io_s3_list(struct io_s3 *s, const char *bucket, const char *prefix, bool recursive,
               io_s3_key_fn fn, void *user, struct ice_error *err) {
  struct ice_buf page;
  ice_buf_init(&page, LIST_PAGE_MAX);
  struct list_filter f = {prefix, recursive, fn, user};
  char *token = NULL;
  int rc = ICE_OK;
  for (long n = 0; rc == ICE_OK; n++) {
    if (n == LIST_MAX_PAGES) {
      rc = ice_error_set(err, ICE_ELIMIT, "s3: listing s3://%s/%.300s: over %d pages",
                         bucket, prefix, LIST_MAX_PAGES);
      break;
    }
    struct io_s3_pair q[4] = {{"list-type", "2"}, {"prefix", prefix}};
    size_t nq = 2;
    if (!recursive) q[nq++] = (struct io_s3_pair){"delimiter", "/"};
    if (token != NULL) q[nq++] = (struct io_s3_pair){"continuation-token", token};
    struct io_s3_request r = {"GET", bucket, "", q, nq, NULL, 0, NULL, 0,
                              true, NULL, 0, &page};
    struct io_s3_response resp;
    rc = io_s3_send(s, &r, &resp, err);
    if (rc == ICE_ENOTFOUND) {
      rc = ice_error_set(err, ICE_ENOTFOUND, "s3: bucket %s does not exist", bucket);
      break;
    }
    bool more = false;
    char *next = NULL;
    if (rc == ICE_OK)
      rc = io_s3_parse_list((const char *)page.data, page.len, filter_key, &f, &more,
                            &next, err);
    if (rc == ICE_OK && more && token != NULL && strcmp(next, token) == 0)
      rc = ice_error_set(err, ICE_ECORRUPT,
                         "s3: listing s3://%s/%.300s: the server repeated its token",
                         bucket, prefix);
    ice_free(token);
    token = next;
    if (rc != ICE_OK || !more) break;
  }
  ice_free(token);
  ice_buf_reset(&page);
  return rc;
}
