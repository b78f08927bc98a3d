/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Position delete files (see wr_pos_delete_writer.h). Positions are gathered into one
 * reusable Arrow batch (file_path offsets and bytes, pos values) whose buffers the
 * writer owns; a full batch is handed to the data-file writer as a borrowed array, so
 * no memory is allocated per batch. The done callback is wrapped to turn the DataFile
 * into a position-delete one: since rows are sorted and file_path bounds are full, a
 * file's rows all name one data file exactly when its lower and upper bounds are equal.
 */
#include "writer/wr_pos_delete_writer.h"

#include <string.h>

#include "arrow/arrow_schema.h"
#include "iceberg/ib_arrow_schema.h"
#include "iceberg/ib_pos_delete_schema.h"
#include "iceberg/ib_schema_json.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"

#define WR_POS_BATCH_ROWS 65536
#define WR_POS_BATCH_BYTES (8u * 1024 * 1024)
/* A small budget shrinks the batch to a sixteenth of it, down to this floor (room for
 * several rows of the longest path). */
#define WR_POS_BATCH_MIN_BYTES (64u * 1024)

struct wr_pos_delete_writer {
  struct wr_data_writer *dw;
  struct ib_data_file partition; /* only its tuple is used: every file is given it */
  wr_open_fn open_fn;
  wr_done_fn done_fn;
  void *ctx;
  /* The batch being gathered: rows, offsets (int32, rows + 1), path bytes, positions
   * (int64). Flushed at max_rows rows or when the next path would pass max_path_bytes. */
  size_t rows, max_rows, max_path_bytes;
  struct ice_buf offsets, paths, positions;
  /* The last (path, pos) added, for the order check across calls and batches. */
  struct ice_buf last_path;
  int64_t last_pos;
  bool have_last;
  bool failed, closed;
};

static int file_open(void *ctx, int64_t index, struct ice_output **out, char **location,
                     struct ice_error *err) {
  struct wr_pos_delete_writer *w = ctx;
  return w->open_fn(w->ctx, index, out, location, err);
}

/* The data-file writer's DataFile, made a position-delete one (a shallow copy: every
 * pointer but referenced_data_file stays the data-file writer's). */
static int file_done(void *ctx, const struct ib_data_file *df, struct ice_error *err) {
  struct wr_pos_delete_writer *w = ctx;
  struct ib_data_file d = *df;
  d.content = IB_CONTENT_POSITION_DELETES;
  d.has_sort_order_id = false; /* spec: null for position deletes */
  d.referenced_data_file = NULL;
  d.partition = w->partition.partition;
  const struct ib_metric_bound *lo =
      ib_metric_bounds_get(&df->lower_bounds, IB_POS_DELETE_FILE_PATH_ID);
  const struct ib_metric_bound *hi =
      ib_metric_bounds_get(&df->upper_bounds, IB_POS_DELETE_FILE_PATH_ID);
  if (lo != NULL && hi != NULL && lo->len == hi->len &&
      memcmp(lo->data, hi->data, lo->len) == 0) {
    d.referenced_data_file = ice_strndup((const char *)lo->data, lo->len);
    if (d.referenced_data_file == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  int rc = w->done_fn != NULL ? w->done_fn(w->ctx, &d, err) : ICE_OK;
  ice_free(d.referenced_data_file);
  return rc;
}

/* The two-column schema as Arrow (with field ids) and as footer JSON. */
static int delete_schema(struct ArrowSchema *arrow, char **json, struct ice_error *err) {
  struct ib_schema s;
  ICE_TRY(ib_pos_delete_schema(&s, err));
  int rc = ib_schema_to_arrow(&s, arrow, err);
  if (rc == ICE_OK) {
    rc = ib_schema_to_string(&s, json, err);
    if (rc != ICE_OK) arrow_schema_release(arrow);
  }
  ib_schema_reset(&s);
  return rc;
}

/* Batch limits from the budget: a sixteenth of it, within [MIN, default]. */
static void size_batch(struct wr_pos_delete_writer *w, struct ice_mem_budget *b) {
  size_t bytes = WR_POS_BATCH_BYTES;
  if (b != NULL && b->limit / 16 < (int64_t)bytes)
    bytes = b->limit / 16 > (int64_t)WR_POS_BATCH_MIN_BYTES ? (size_t)(b->limit / 16)
                                                            : WR_POS_BATCH_MIN_BYTES;
  /* A row costs 12 bytes besides its path; keep room for paths averaging 52 bytes. */
  w->max_rows = bytes / 64 < WR_POS_BATCH_ROWS ? bytes / 64 : WR_POS_BATCH_ROWS;
  w->max_path_bytes = bytes - w->max_rows * 12;
  ice_buf_init(&w->offsets, (w->max_rows + 1) * sizeof(int32_t));
  ice_buf_init(&w->positions, w->max_rows * sizeof(int64_t));
  ice_buf_init(&w->paths, w->max_path_bytes);
  ice_buf_init(&w->last_path, ICE_LIMIT_LOCATION_BYTES);
  ice_buf_set_budget(&w->offsets, b);
  ice_buf_set_budget(&w->positions, b);
  ice_buf_set_budget(&w->paths, b);
  ice_buf_set_budget(&w->last_path, b);
}

int wr_pos_delete_writer_new(const struct wr_options *opts, wr_open_fn open_fn,
                             wr_done_fn done_fn, void *ctx,
                             struct wr_pos_delete_writer **out, struct ice_error *err) {
  struct wr_pos_delete_writer *w = ice_calloc(1, sizeof *w);
  if (w == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  w->open_fn = open_fn;
  w->done_fn = done_fn;
  w->ctx = ctx;
  ib_data_file_init(&w->partition);
  size_batch(w, opts->parquet.budget);
  /* The table's file and Parquet settings; metrics and schema are the delete file's:
   * full bounds for both columns (Java's MetricsConfig.forPositionDelete). */
  struct wr_options o;
  wr_options_init(&o);
  o.target_file_bytes = opts->target_file_bytes;
  o.parquet = opts->parquet;
  o.file_kind = "position delete file";
  o.delete_type = "position";
  struct ArrowSchema arrow = {0};
  char *json = NULL;
  int rc =
      wr_metrics_config_set(&o.metrics, "write.metadata.metrics.default", "full", err);
  if (rc == ICE_OK) rc = delete_schema(&arrow, &json, err);
  if (rc == ICE_OK) rc = wr_options_set_schema_json(&o, json, err);
  if (rc == ICE_OK)
    rc = wr_data_writer_new(&arrow, &o, file_open, file_done, w, &w->dw, err);
  arrow_schema_release(&arrow);
  ice_free(json);
  wr_options_reset(&o);
  if (rc != ICE_OK) {
    wr_pos_delete_writer_free(w);
    return ice_error_prefix(err, "position delete writer");
  }
  *out = w;
  return ICE_OK;
}

int wr_pos_delete_writer_set_partition(struct wr_pos_delete_writer *w,
                                       const struct ib_partition_tuple *p,
                                       struct ice_error *err) {
  if (w->have_last || w->rows > 0 || w->failed || w->closed)
    ICE_FAIL(err, ICE_EINVAL,
             "position delete writer: partition set after the first add");
  /* A DataFile with nothing but the tuple, deep-copied the way DataFiles are. */
  struct ib_data_file only, holder;
  ib_data_file_init(&only);
  only.partition = *p;
  ICE_TRY(ib_data_file_copy(&holder, &only, err));
  ib_data_file_reset(&w->partition);
  w->partition = holder;
  return ICE_OK;
}

static int cmp_path(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  int c = memcmp(a, b, an < bn ? an : bn);
  if (c != 0) return c;
  return (an > bn) - (an < bn);
}

/* Everything wrong with a call, before anything is buffered. */
static int check_order(const struct wr_pos_delete_writer *w, const char *path, size_t len,
                       const int64_t *pos, size_t n, struct ice_error *err) {
  if (len == 0) ICE_FAIL(err, ICE_EINVAL, "position delete: empty data file path");
  if (len > ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_EINVAL,
             "position delete: data file path of %zu bytes is longer than %u: %.64s...",
             len, (unsigned)ICE_LIMIT_LOCATION_BYTES, path);
  if (n > 0 && pos == NULL)
    ICE_FAIL(err, ICE_EINVAL, "position delete: no positions for data file %s", path);
  int c = 1;
  if (w->have_last) {
    c = cmp_path((const uint8_t *)path, len, w->last_path.data, w->last_path.len);
    if (c < 0)
      ICE_FAIL(err, ICE_EINVAL,
               "position deletes out of order: data file %s comes after %.*s (paths must "
               "ascend bytewise)",
               path, (int)w->last_path.len, (const char *)w->last_path.data);
  }
  for (size_t i = 0; i < n; i++) {
    int64_t prev = i > 0 ? pos[i - 1] : w->last_pos;
    if (pos[i] < 0)
      ICE_FAIL(err, ICE_EINVAL, "position delete: negative position %lld in data file %s",
               (long long)pos[i], path);
    if ((i > 0 || c == 0) && pos[i] <= prev)
      ICE_FAIL(err, ICE_EINVAL,
               "position deletes out of order: position %lld after %lld in data file %s "
               "(positions must strictly ascend)",
               (long long)pos[i], (long long)prev, path);
  }
  return ICE_OK;
}

static void release_borrowed(struct ArrowArray *a) {
  a->release = NULL;
}

/* Hands the gathered rows to the data-file writer as a borrowed array and empties the
 * batch (keeping its buffers). */
static int flush_batch(struct wr_pos_delete_writer *w, struct ice_error *err) {
  if (w->rows == 0) return ICE_OK;
  const void *path_bufs[3] = {NULL, w->offsets.data, w->paths.data};
  const void *pos_bufs[2] = {NULL, w->positions.data};
  const void *root_bufs[1] = {NULL};
  struct ArrowArray cols[2];
  memset(cols, 0, sizeof cols);
  for (int i = 0; i < 2; i++) {
    cols[i].length = (int64_t)w->rows;
    cols[i].release = release_borrowed;
  }
  cols[0].n_buffers = 3;
  cols[0].buffers = path_bufs;
  cols[1].n_buffers = 2;
  cols[1].buffers = pos_bufs;
  struct ArrowArray *children[2] = {&cols[0], &cols[1]};
  struct ArrowArray root;
  memset(&root, 0, sizeof root);
  root.length = (int64_t)w->rows;
  root.n_buffers = 1;
  root.buffers = root_bufs;
  root.n_children = 2;
  root.children = children;
  root.release = release_borrowed;
  int rc = wr_data_writer_write(w->dw, &root, err);
  w->rows = 0;
  ice_buf_clear(&w->offsets);
  ice_buf_clear(&w->paths);
  ice_buf_clear(&w->positions);
  return rc;
}

/* Appends k rows of one path; the batch has room for them (so the buffers only grow
 * within their caps), and they are filled in place rather than row by row. */
static int append_rows(struct wr_pos_delete_writer *w, const char *path, size_t len,
                       const int64_t *pos, size_t k, struct ice_error *err) {
  if (w->rows == 0) {
    const int32_t zero = 0;
    ICE_TRY(ice_buf_append(&w->offsets, &zero, sizeof zero, err));
  }
  ICE_TRY(ice_buf_reserve(&w->paths, k * len, err));
  ICE_TRY(ice_buf_reserve(&w->offsets, k * sizeof(int32_t), err));
  ICE_TRY(ice_buf_append(&w->positions, pos, k * sizeof *pos, err));
  uint8_t *bytes = w->paths.data + w->paths.len;
  int32_t *off = (int32_t *)(void *)(w->offsets.data + w->offsets.len);
  size_t end = w->paths.len;
  for (size_t i = 0; i < k; i++) {
    memcpy(bytes + i * len, path, len);
    end += len;
    off[i] = (int32_t)end; /* max_path_bytes < 2 GiB */
  }
  w->paths.len = end;
  w->offsets.len += k * sizeof(int32_t);
  w->rows += k;
  return ICE_OK;
}

static int add_rows(struct wr_pos_delete_writer *w, const char *path, size_t len,
                    const int64_t *pos, size_t n, struct ice_error *err) {
  for (size_t i = 0; i < n;) {
    size_t room = w->max_rows - w->rows, fit = (w->max_path_bytes - w->paths.len) / len;
    size_t k = n - i;
    if (k > room) k = room;
    if (k > fit) k = fit;
    if (k == 0) {
      ICE_TRY(flush_batch(w, err));
      continue;
    }
    ICE_TRY(append_rows(w, path, len, pos + i, k, err));
    i += k;
  }
  if (n == 0) return ICE_OK;
  if (!w->have_last ||
      cmp_path((const uint8_t *)path, len, w->last_path.data, w->last_path.len) != 0) {
    ice_buf_clear(&w->last_path);
    ICE_TRY(ice_buf_append(&w->last_path, path, len, err));
  }
  w->last_pos = pos[n - 1];
  w->have_last = true;
  return ICE_OK;
}

int wr_pos_delete_writer_add(struct wr_pos_delete_writer *w, const char *path,
                             const int64_t *pos, size_t n, struct ice_error *err) {
  if (w->failed) ICE_FAIL(err, ICE_EINVAL, "position delete writer failed earlier");
  if (w->closed) ICE_FAIL(err, ICE_EINVAL, "position delete writer is closed");
  if (path == NULL) ICE_FAIL(err, ICE_EINVAL, "position delete: no data file path");
  size_t len = strlen(path);
  ICE_TRY(check_order(w, path, len, pos, n, err));
  int rc = add_rows(w, path, len, pos, n, err);
  if (rc != ICE_OK) {
    w->failed = true;
    return ice_error_prefix(err, "position deletes");
  }
  return ICE_OK;
}

int wr_pos_delete_writer_close(struct wr_pos_delete_writer *w, struct ice_error *err) {
  if (w->failed) ICE_FAIL(err, ICE_EINVAL, "position delete writer failed earlier");
  if (w->closed) ICE_FAIL(err, ICE_EINVAL, "position delete writer is closed");
  int rc = flush_batch(w, err);
  if (rc == ICE_OK) rc = wr_data_writer_close(w->dw, err);
  w->closed = true;
  if (rc != ICE_OK) {
    w->failed = true;
    return ice_error_prefix(err, "position deletes");
  }
  return ICE_OK;
}

void wr_pos_delete_writer_free(struct wr_pos_delete_writer *w) {
  if (w == NULL) return;
  wr_data_writer_free(w->dw);
  ib_data_file_reset(&w->partition);
  ice_buf_reset(&w->offsets);
  ice_buf_reset(&w->paths);
  ice_buf_reset(&w->positions);
  ice_buf_reset(&w->last_path);
  ice_free(w);
}
