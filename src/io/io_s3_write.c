/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing an object (io_s3.h: io_s3_create). Bytes collect in one part buffer; the
 * first full part starts a multipart upload (CreateMultipartUpload) and every full
 * part is sent (UploadPart) before more is accepted, so at most one part is held.
 * finish() sends a file smaller than a part as one PUT, else the last part and
 * CompleteMultipartUpload — whose answer may be an error inside a 200, so its body is
 * read. Any failure, abort() or a close without finish aborts the upload
 * (AbortMultipartUpload): S3 shows an object only once it is complete, so nothing
 * torn ever appears. An abort after finish deletes the object, as io_local does.
 * The part buffer is charged to the output's budget (ice_output_charge_to), if any.
 */
#include <stdio.h>
#include <string.h>

#include "io/io_s3.h"
#include "util/alloc.h"

/* S3 allows 10,000 parts. */
#define MAX_PARTS 10000
#define ANSWER_MAX (1024u * 1024)

struct s3_out {
  struct io_s3 *s3;
  char *bucket, *key;
  struct ice_buf part;
  size_t part_size;
  char *upload_id; /* NULL until the first part is sent */
  char **etags;
  size_t n_parts, cap_parts;
  bool finished, aborted;
};

static int start_upload(struct ice_output *o, struct ice_error *err) {
  struct s3_out *so = o->priv;
  struct ice_buf ans;
  ice_buf_init(&ans, ANSWER_MAX);
  struct io_s3_pair q[] = {{"uploads", ""}};
  /* Not idempotent: a lost answer would leave an upload we cannot name. */
  struct io_s3_request r = {"POST", so->bucket, so->key, q, 1, NULL, 0, NULL, 0,
                            false, NULL, 0, &ans};
  struct io_s3_response resp;
  int rc = io_s3_send(so->s3, &r, &resp, err);
  if (rc == ICE_OK)
    rc = io_s3_parse_upload_id((const char *)ans.data, ans.len, &so->upload_id, err);
  ice_buf_reset(&ans);
  return rc;
}

static int send_part(struct ice_output *o, struct ice_error *err) {
  struct s3_out *so = o->priv;
  if (so->upload_id == NULL) ICE_TRY(start_upload(o, err));
  if (so->n_parts == MAX_PARTS)
    ICE_FAIL(err, ICE_ELIMIT, "%s: more than %d parts (raise s3.multipart.part-size)",
             o->name, MAX_PARTS);
  if (so->n_parts == so->cap_parts) {
    size_t cap = so->cap_parts ? so->cap_parts * 2 : 16;
    char **p = ice_realloc(so->etags, cap * sizeof *p);
    if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    so->etags = p;
    so->cap_parts = cap;
  }
  char num[16];
  snprintf(num, sizeof num, "%zu", so->n_parts + 1);
  struct io_s3_pair q[] = {{"partNumber", num}, {"uploadId", so->upload_id}};
  struct io_s3_request r = {"PUT", so->bucket, so->key, q, 2, NULL, 0, so->part.data,
                            so->part.len, true, NULL, 0, NULL};
  struct io_s3_response resp;
  ICE_TRY(io_s3_send(so->s3, &r, &resp, err));
  if (resp.etag[0] == '\0')
    ICE_FAIL(err, ICE_EIO, "%s: part %s was stored without an ETag", o->name, num);
  so->etags[so->n_parts] = ice_strdup(resp.etag);
  if (so->etags[so->n_parts] == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  so->n_parts++;
  ice_buf_clear(&so->part);
  return ICE_OK;
}

static void abort_upload(struct s3_out *so) {
  if (so->upload_id == NULL) return;
  struct io_s3_pair q[] = {{"uploadId", so->upload_id}};
  struct io_s3_request r = {"DELETE", so->bucket, so->key, q, 1, NULL, 0, NULL, 0,
                            true, NULL, 0, NULL};
  struct io_s3_response resp;
  /* Best effort: a bucket lifecycle rule is the last resort for uploads left behind. */
  int ignored = io_s3_send(so->s3, &r, &resp, NULL);
  (void)ignored;
  ice_free(so->upload_id);
  so->upload_id = NULL;
}

static int s3_write(struct ice_output *o, const void *buf, size_t n,
                    struct ice_error *err) {
  struct s3_out *so = o->priv;
  if (so->finished || so->aborted)
    ICE_FAIL(err, ICE_EINTERNAL, "%s: write after finish or abort", o->name);
  /* The part buffer is what an open object holds: the writer's budget pays for it. */
  ice_buf_set_budget(&so->part, o->budget);
  const uint8_t *p = buf;
  while (n > 0) {
    size_t room = so->part_size - so->part.len;
    size_t k = n < room ? n : room;
    ICE_TRY(ice_buf_append(&so->part, p, k, err));
    p += k;
    n -= k;
    o->written += (int64_t)k;
    if (so->part.len == so->part_size) {
      int rc = send_part(o, err);
      if (rc != ICE_OK) {
        abort_upload(so);
        so->aborted = true;
        return rc;
      }
    }
  }
  return ICE_OK;
}

static int complete_upload(struct ice_output *o, struct ice_error *err) {
  struct s3_out *so = o->priv;
  struct ice_buf body;
  ice_buf_init(&body, (size_t)MAX_PARTS * 200 + 100);
  int rc = ice_buf_append(&body, "<CompleteMultipartUpload>", 25, err);
  for (size_t i = 0; rc == ICE_OK && i < so->n_parts; i++) {
    char line[240];
    int n = snprintf(line, sizeof line,
                     "<Part><PartNumber>%zu</PartNumber><ETag>%s</ETag></Part>", i + 1,
                     so->etags[i]);
    rc = ice_buf_append(&body, line, (size_t)n, err);
  }
  if (rc == ICE_OK) rc = ice_buf_append(&body, "</CompleteMultipartUpload>", 26, err);
  struct ice_buf ans;
  ice_buf_init(&ans, ANSWER_MAX);
  struct io_s3_pair q[] = {{"uploadId", so->upload_id}};
  struct io_s3_request r = {"POST", so->bucket, so->key, q, 1, NULL, 0, body.data,
                            body.len, false, NULL, 0, &ans};
  struct io_s3_response resp;
  if (rc == ICE_OK) rc = io_s3_send(so->s3, &r, &resp, err);
  /* A 200 whose body is an <Error> did not complete. */
  if (rc == ICE_OK && ans.len > 0) {
    char *code = NULL, *msg = NULL;
    struct ice_error scratch;
    if (io_s3_parse_error((const char *)ans.data, ans.len, &code, &msg, &scratch) ==
            ICE_OK &&
        code != NULL && strstr((const char *)ans.data, "<Error") != NULL)
      rc = ice_error_set(err, ICE_EIO, "%s: completing the upload failed: %s%s%s",
                         o->name, code, msg ? ": " : "", msg ? msg : "");
    ice_free(code);
    ice_free(msg);
  }
  ice_buf_reset(&ans);
  ice_buf_reset(&body);
  return rc;
}

static int s3_finish(struct ice_output *o, struct ice_error *err) {
  struct s3_out *so = o->priv;
  if (so->finished || so->aborted)
    ICE_FAIL(err, ICE_EINTERNAL, "%s: finish after finish or abort", o->name);
  int rc;
  if (so->upload_id == NULL) {
    struct io_s3_request r = {"PUT", so->bucket, so->key, NULL, 0, NULL, 0,
                              so->part.data, so->part.len, true, NULL, 0, NULL};
    struct io_s3_response resp;
    rc = io_s3_send(so->s3, &r, &resp, err);
  } else {
    rc = so->part.len > 0 ? send_part(o, err) : ICE_OK;
    if (rc == ICE_OK) rc = complete_upload(o, err);
  }
  if (rc != ICE_OK) {
    abort_upload(so);
    so->aborted = true;
    return rc;
  }
  ice_free(so->upload_id);
  so->upload_id = NULL;
  ice_buf_reset(&so->part);
  so->finished = true;
  return ICE_OK;
}

static void s3_abort(struct ice_output *o) {
  struct s3_out *so = o->priv;
  if (so->finished) {
    int ignored = io_s3_delete(so->s3, so->bucket, so->key, NULL);
    (void)ignored;
  }
  abort_upload(so);
  so->aborted = true;
  so->finished = false;
}

static void s3_out_close(struct ice_output *o) {
  struct s3_out *so = o->priv;
  if (!so->finished) abort_upload(so);
  for (size_t i = 0; i < so->n_parts; i++) ice_free(so->etags[i]);
  ice_free(so->etags);
  ice_buf_reset(&so->part);
  ice_free(so->bucket);
  ice_free(so->key);
  ice_free(so);
  ice_free(o->name);
  ice_free(o);
}

static const struct ice_output_vtable s3_out_vt = {s3_write, s3_finish, s3_abort,
                                                   s3_out_close};

int io_s3_create(struct io_s3 *s, const char *bucket, const char *key, const char *name,
                 struct ice_output **out, struct ice_error *err) {
  ICE_TRY(io_s3_check_write_key(bucket, key, err));
  struct ice_output *o = ice_calloc(1, sizeof *o);
  struct s3_out *so = ice_calloc(1, sizeof *so);
  char *nm = ice_strdup(name), *b = ice_strdup(bucket), *k = ice_strdup(key);
  if (o == NULL || so == NULL || nm == NULL || b == NULL || k == NULL) {
    ice_free(o), ice_free(so), ice_free(nm), ice_free(b), ice_free(k);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  so->s3 = s;
  so->bucket = b;
  so->key = k;
  so->part_size = io_s3_part_size(s);
  /* Grows with the data: a small manifest holds a small buffer. */
  ice_buf_init(&so->part, so->part_size);
  o->vt = &s3_out_vt;
  o->name = nm;
  o->priv = so;
  *out = o;
  return ICE_OK;
}
