/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public writer API (include/ice/ice_parquet_write.h) over pq_writer: a local file
 * created exclusively, batches appended, footer on close, the file removed on any
 * failure; and the whole-stream convenience that consumes an ArrowArrayStream.
 */
#include <string.h>

#include "ice/ice_parquet_write.h"
#include "parquet/pq_writer.h"
#include "util/alloc.h"

struct ice_parquet_writer {
  struct pq_writer *w;
};

ICE_API int ice_parquet_writer_open(const char *path, const struct ArrowSchema *schema,
                                    const char *const *props, ice_parquet_writer **out,
                                    struct ice_error *err) {
  if (path == NULL || schema == NULL || out == NULL) {
    ICE_FAIL(err, ICE_EINVAL, "parquet writer: NULL argument");
  }
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  ICE_TRY(pq_writer_options_apply(&o, props, err));
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
  int rc;
  int e = stream->get_schema(stream, &schema);
  if (e != 0) {
    rc = stream_fail(stream, e, "schema", err);
    goto done;
  }
  rc = ice_parquet_writer_open(path, &schema, props, &w, err);
  if (rc != ICE_OK) goto done;
  for (;;) {
    e = stream->get_next(stream, &batch);
    if (e != 0) {
      rc = stream_fail(stream, e, "next batch", err);
      goto done;
    }
    if (batch.release == NULL) break;
    rc = ice_parquet_writer_write(w, &batch, err);
    batch.release(&batch);
    if (rc != ICE_OK) {
      ice_error_prefix_path(err, "parquet:", path);
      goto done;
    }
  }
  rc = ice_parquet_writer_close(w, info, err);
done:
  ice_parquet_writer_free(w);
  if (schema.release != NULL) schema.release(&schema);
  stream->release(stream);
  return rc;
}
