/* SPDX-License-Identifier: Apache-2.0 */
#include "ops/op_input.h"
#include "ops/op_threads.h"

#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "parquet/pq_reader.h"
#include "util/thread_pool.h"

static int stream_error(struct ArrowArrayStream *s, const char *what,
                        struct ice_error *err) {
  const char *m = s->get_last_error ? s->get_last_error(s) : NULL;
  if (m == NULL || m[0] == '\0') m = "stream failed";
  /* The reader's messages already name the file. */
  if (strstr(m, what) != NULL) return ice_error_set(err, ICE_EIO, "%s", m);
  return ice_error_set(err, ICE_EIO, "%s: %s", what, m);
}

static int start(struct op_input *in, const struct ArrowSchema *table,
                 struct ice_error *err) {
  if (in->s.get_schema(&in->s, &in->in_schema) != 0)
    return stream_error(&in->s, in->name, err);
  return op_reconcile_new(&in->in_schema, table, in->name, &in->r, err);
}

/* One reconciled batch from the reader (on the read-ahead thread when there is one). */
static int read_batch(void *ctx, struct ArrowArray *out, bool *eof,
                      struct ice_error *err) {
  struct op_input *in = ctx;
  struct ArrowArray batch = {0};
  *eof = false;
  if (in->s.get_next(&in->s, &batch) != 0) return stream_error(&in->s, in->name, err);
  if (batch.release == NULL) {
    *eof = true;
    return ICE_OK;
  }
  return op_reconcile_batch(in->r, &batch, out, err);
}

/* Threads that decode the input, on the read-ahead thread and a pool beside it. The
 * writing (encoding, compression, the file writes) takes about four fifths of a load's
 * CPU, so half the threads decode at most: at 2 threads, a pool of 2 decoding beside
 * the writer and its worker made four busy threads on two cores, and the writer waited
 * for batches its decoders were queued behind (the 20M-row load took 6.0 s instead of
 * 5.7 s). Under a small budget decoding stays on one thread (op_threads.h); the
 * read-ahead thread still overlaps it with the writing. */
static int decode_threads(int threads, const struct ice_mem_budget *budget) {
  int n = threads / 2;
  return op_side_by_side(budget) && n > 1 ? n : 1;
}

int op_input_open_file(struct op_input *in, const char *path,
                       const struct ArrowSchema *table, int64_t batch_rows,
                       struct ice_mem_budget *budget, int threads,
                       struct ice_error *err) {
  memset(in, 0, sizeof *in);
  in->name = path;
  struct ice_parquet_read_options ro;
  ice_parquet_read_options_init(&ro);
  if (batch_rows > 0) ro.batch_rows = batch_rows;
  int decoders = decode_threads(threads, budget);
  int rc = decoders > 1 ? ice_thread_pool_new(decoders, &in->pool, err) : ICE_OK;
  if (rc == ICE_OK) rc = ice_parquet_open(path, &in->pf, err);
  if (rc == ICE_OK) rc = pq_reader_stream_new(in->pf, &ro, budget, in->pool, &in->s, err);
  /* Only failures to read the input are about the input; reconciliation names
   * whatever it is about. */
  if (rc != ICE_OK && strstr(err ? err->message : "", path) == NULL)
    ice_error_prefix_path(err, "input", path);
  if (rc == ICE_OK) {
    in->size = ice_parquet_file_size(in->pf);
    in->rows = ice_parquet_num_rows(in->pf);
    rc = start(in, table, err);
  }
  if (rc == ICE_OK && threads > 1)
    rc = arrow_read_ahead_start(read_batch, in, &in->ahead, err);
  if (rc != ICE_OK) op_input_close(in);
  return rc;
}

int op_input_open_stream(struct op_input *in, struct ArrowArrayStream *stream,
                         const struct ArrowSchema *table, struct ice_error *err) {
  memset(in, 0, sizeof *in);
  in->name = "arrow stream";
  in->s = *stream;
  memset(stream, 0, sizeof *stream);
  int rc = start(in, table, err);
  if (rc != ICE_OK) op_input_close(in);
  return rc;
}

int op_input_next(struct op_input *in, struct ArrowArray *out, bool *eof,
                  struct ice_error *err) {
  if (in->ahead != NULL) return arrow_read_ahead_next(in->ahead, out, eof, err);
  return read_batch(in, out, eof, err);
}

void op_input_close(struct op_input *in) {
  /* First: the thread may be mid-read on the reader freed below. */
  arrow_read_ahead_stop(in->ahead);
  in->ahead = NULL;
  op_reconcile_free(in->r);
  in->r = NULL;
  arrow_schema_release(&in->in_schema);
  if (in->s.release != NULL) in->s.release(&in->s);
  memset(&in->s, 0, sizeof in->s);
  ice_parquet_close(in->pf);
  in->pf = NULL;
  ice_thread_pool_free(in->pool); /* after the stream that used it */
  in->pool = NULL;
}
