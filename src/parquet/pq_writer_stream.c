/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public writer API (include/ice/ice_parquet_write.h) over pq_writer: a local file
 * created exclusively, batches appended, footer on close, the file removed on any
 * failure; and the whole-stream convenience that consumes an ArrowArrayStream.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_read_ahead.h"
#include "ice/ice_parquet_write.h"
#include "parquet/pq_writer.h"
#include "util/alloc.h"
#include "util/thread_pool.h"

struct ice_parquet_writer {
  struct pq_writer *w;
};

/* "icestream.threads" (how this write runs, not how the file looks, so it is no table
 * property), then the table-property keys. */
static int apply_props(struct pq_writer_options *o, const char *const *props,
                       struct ice_error *err) {
  for (size_t i = 0; props != NULL && props[i] != NULL; i += 2) {
    const char *v = props[i + 1];
    if (strcmp(props[i], "icestream.threads") == 0) {
      char *end = NULL;
      errno = 0;
      long n = v != NULL ? strtol(v, &end, 10) : -1;
      if (v == NULL || *v == '\0' || *end != '\0' || errno != 0 || n < 0 ||
          n > ICE_THREAD_POOL_MAX_WORKERS) {
        ICE_FAIL(err, ICE_EINVAL,
                 "property icestream.threads: '%s' is not 0 (one per CPU) or 1 to %d",
                 v ? v : "(null)", ICE_THREAD_POOL_MAX_WORKERS);
      }
      o->threads = n == 0 ? ice_thread_pool_online_cpus() : (int)n;
      continue;
    }
    int rc = pq_writer_options_set(o, props[i], v, err);
    if (rc == ICE_ENOTFOUND) {
      ICE_FAIL(err, ICE_EINVAL, "unknown writer property '%s'", props[i]);
    }
    ICE_TRY(rc);
  }
  return ICE_OK;
}

ICE_API int ice_parquet_writer_open(const char *path, const struct ArrowSchema *schema,
                                    const char *const *props, ice_parquet_writer **out,
                                    struct ice_error *err) {
  if (path == NULL || schema == NULL || out == NULL) {
    ICE_FAIL(err, ICE_EINVAL, "parquet writer: NULL argument");
  }
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  ICE_TRY(apply_props(&o, props, err));
  struct ice_parquet_writer *h = ice_calloc(1, sizeof *h);
  if (h == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  struct ice_output *o_file;
  int rc = io_local_create(path, &o_file, err); /* its message names the path */
  if (rc == ICE_OK) {
    rc = pq_writer_new(schema, &o, o_file, &h->w, err);
    if (rc != ICE_OK) ice_error_prefix_path(err, "parquet:", path);
  }
  if (rc != ICE_OK) {
    ice_free(h);
    return rc;
  }
  *out = h;
  return ICE_OK;
}

ICE_API int ice_parquet_writer_write(ice_parquet_writer *w,
                                     const struct ArrowArray *batch,
                                     struct ice_error *err) {
  if (w == NULL) ICE_FAIL(err, ICE_EINVAL, "parquet writer: NULL writer");
  return pq_writer_write(w->w, batch, err);
}

ICE_API int ice_parquet_writer_close(ice_parquet_writer *w,
                                     struct ice_parquet_write_info *info,
                                     struct ice_error *err) {
  if (w == NULL) ICE_FAIL(err, ICE_EINVAL, "parquet writer: NULL writer");
  ICE_TRY(pq_writer_close(w->w, err));
  if (info != NULL) {
    info->rows = pq_writer_num_rows(w->w);
    info->file_bytes = pq_writer_file_size(w->w);
    info->row_groups = (int32_t)pq_writer_num_row_groups(w->w);
  }
  return ICE_OK;
}

ICE_API void ice_parquet_writer_free(ice_parquet_writer *w) {
  if (w == NULL) return;
  pq_writer_free(w->w);
  ice_free(w);
}

static int stream_fail(struct ArrowArrayStream *s, int e, const char *what,
                       struct ice_error *err) {
  const char *msg = s->get_last_error ? s->get_last_error(s) : NULL;
  ICE_FAIL(err, ICE_EIO, "input stream: %s: %s (errno %d)", what,
           msg && msg[0] ? msg : "no message", e);
}

/* The stream's next batch (on the read-ahead thread when there is one). */
static int next_batch(void *ctx, struct ArrowArray *out, bool *eof,
                      struct ice_error *err) {
  struct ArrowArrayStream *s = ctx;
  *eof = false;
  int e = s->get_next(s, out);
  if (e != 0) return stream_fail(s, e, "next batch", err);
  *eof = out->release == NULL;
  return ICE_OK;
}

ICE_API int ice_parquet_write_stream(const char *path, struct ArrowArrayStream *stream,
                                     const char *const *props,
                                     struct ice_parquet_write_info *info,
                                     struct ice_error *err) {
  if (stream == NULL || stream->release == NULL) {
    ICE_FAIL(err, ICE_EINVAL, "parquet writer: released stream");
  }
  struct ArrowSchema schema;
  memset(&schema, 0, sizeof schema);
  struct ArrowArray batch;
  memset(&batch, 0, sizeof batch);
  ice_parquet_writer *w = NULL;
  struct arrow_read_ahead *ahead = NULL;
  int rc;
  int e = stream->get_schema(stream, &schema);
  if (e != 0) {
    rc = stream_fail(stream, e, "schema", err);
    goto done;
  }
  rc = ice_parquet_writer_open(path, &schema, props, &w, err);
  if (rc != ICE_OK) goto done;
  /* With threads the next batch is decoded while this one is written. */
  if (pq_writer_threads(w->w) > 1) {
    rc = arrow_read_ahead_start(next_batch, stream, &ahead, err);
    if (rc != ICE_OK) goto done;
  }
  for (;;) {
    bool eof = false;
    rc = ahead != NULL ? arrow_read_ahead_next(ahead, &batch, &eof, err)
                       : next_batch(stream, &batch, &eof, err);
    if (rc != ICE_OK) goto done;
    if (eof) break;
    rc = ice_parquet_writer_write(w, &batch, err);
    batch.release(&batch);
    if (rc != ICE_OK) {
      ice_error_prefix_path(err, "parquet:", path);
      goto done;
    }
  }
  rc = ice_parquet_writer_close(w, info, err);
done:
  arrow_read_ahead_stop(ahead); /* before the stream it reads is released */
  ice_parquet_writer_free(w);
  if (schema.release != NULL) schema.release(&schema);
  stream->release(stream);
  return rc;
}
