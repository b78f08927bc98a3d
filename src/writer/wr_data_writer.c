/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rolling data files (see wr_data_writer.h). Batches are fed in slices so a file can
 * be closed close to the target size even when one batch is large: after each slice
 * the on-disk size plus the open row group is compared with the target.
 */
#include "writer/wr_data_writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_schema.h"
#include "arrow/arrow_view.h"
#include "util/alloc.h"
#include "util/limits.h"

/* Rows between size checks: at most this many, and fewer when the rows seen so far say
 * a slice would pass 2% of the target (keeps files within a few percent of it). */
#define WR_SLICE_ROWS 8192
#define WR_SLICE_MIN_ROWS 64

void wr_options_init(struct wr_options *o) {
  memset(o, 0, sizeof *o);
  o->target_file_bytes = WR_DEFAULT_TARGET_FILE_BYTES;
  pq_writer_options_init(&o->parquet);
  wr_metrics_config_init(&o->metrics);
}

void wr_options_reset(struct wr_options *o) {
  wr_metrics_config_reset(&o->metrics);
  ice_free(o->iceberg_schema_json);
  o->iceberg_schema_json = NULL;
}

int wr_options_set_schema_json(struct wr_options *o, const char *json,
                               struct ice_error *err) {
  char *p = json ? ice_strdup(json) : NULL;
  if (json != NULL && p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  ice_free(o->iceberg_schema_json);
  o->iceberg_schema_json = p;
  return ICE_OK;
}

int wr_options_apply(struct wr_options *o, const char *const *props,
                     struct ice_error *err) {
  if (props == NULL) return ICE_OK;
  for (size_t i = 0; props[i] != NULL; i += 2) {
    const char *k = props[i], *v = props[i + 1];
    if (v == NULL) ICE_FAIL(err, ICE_EINVAL, "property '%s' has no value", k);
    if (strcmp(k, "write.target-file-size-bytes") == 0) {
      char *end = NULL;
      errno = 0;
      long long x = strtoll(v, &end, 10);
      if (errno != 0 || end == v || *end != '\0' || x < 1) {
        ICE_FAIL(err, ICE_EINVAL, "property %s: '%s' is not a positive integer", k, v);
      }
      o->target_file_bytes = x;
      continue;
    }
    int rc = pq_writer_options_set(&o->parquet, k, v, err);
    if (rc == ICE_ENOTFOUND) rc = wr_metrics_config_set(&o->metrics, k, v, err);
    if (rc == ICE_ENOTFOUND) ICE_FAIL(err, ICE_EINVAL, "unknown write property '%s'", k);
    ICE_TRY(rc);
  }
  return ICE_OK;
}

struct wr_data_writer {
  struct ArrowSchema schema;
  struct wr_options opts;
  wr_open_fn open_fn;
  wr_done_fn done_fn;
  void *ctx;
  struct pq_writer *pw; /* open file, or NULL */
  /* The last closed file's writer, restarted for the next file so its buffers are
   * allocated once per load, not once per file. Holds at most one file's buffers. */
  struct pq_writer *idle;
  char *location; /* of the open file */
  int64_t files;
  int64_t rows;
  int64_t file_rows; /* rows in the open file */
  bool failed;
  struct ib_data_file partition; /* only its tuple: stamped on every file closed */
};

/* Field ids of every field (groups too) into *ids; the caller frees. */
static int collect_ids(const struct ArrowSchema *f, int depth, int32_t **ids, size_t *n,
                       size_t *cap, struct ice_error *err) {
  if (depth > 64) ICE_FAIL(err, ICE_ELIMIT, "schema nests deeper than 64 levels");
  bool has = false;
  int32_t id = 0;
  if (depth > 0) ICE_TRY(arrow_field_id(f, &has, &id, err));
  if (has) {
    if (*n == *cap) {
      size_t nc = *cap ? *cap * 2 : 64;
      int32_t *p = ice_realloc(*ids, nc * sizeof *p);
      if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
      *ids = p;
      *cap = nc;
    }
    (*ids)[(*n)++] = id;
  }
  for (int64_t i = 0; i < f->n_children; i++) {
    ICE_TRY(collect_ids(f->children[i], depth + 1, ids, n, cap, err));
  }
  return ICE_OK;
}

static int cmp_id(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return x < y ? -1 : x > y;
}

/* Iceberg field ids are unique in a schema; a repeated one would mix two columns'
 * metrics, so it is refused before any file is written. */
static int check_unique_field_ids(const struct ArrowSchema *schema,
                                  struct ice_error *err) {
  int32_t *ids = NULL;
  size_t n = 0, cap = 0;
  int rc = collect_ids(schema, 0, &ids, &n, &cap, err);
  if (rc == ICE_OK && n > 1) {
    qsort(ids, n, sizeof *ids, cmp_id);
    for (size_t i = 1; i < n; i++) {
      if (ids[i] == ids[i - 1]) {
        rc = ice_error_set(err, ICE_EINVAL, "field id %d is used by two fields",
                           (int)ids[i]);
        break;
      }
    }
  }
  ice_free(ids);
  return rc;
}

int wr_data_writer_new(const struct ArrowSchema *schema, const struct wr_options *opts,
                       wr_open_fn open_fn, wr_done_fn done_fn, void *ctx,
                       struct wr_data_writer **out, struct ice_error *err) {
  ICE_TRY(check_unique_field_ids(schema, err));
  struct wr_data_writer *w = ice_calloc(1, sizeof *w);
  if (w == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  wr_options_init(&w->opts);
  w->opts.target_file_bytes = opts->target_file_bytes;
  w->opts.parquet = opts->parquet;
  w->opts.file_kind = opts->file_kind;
  w->opts.delete_type = opts->delete_type;
  w->open_fn = open_fn;
  w->done_fn = done_fn;
  w->ctx = ctx;
  ib_data_file_init(&w->partition);
  int rc = wr_metrics_config_copy(&w->opts.metrics, &opts->metrics, err);
  if (rc == ICE_OK)
    rc = wr_options_set_schema_json(&w->opts, opts->iceberg_schema_json, err);
  if (rc == ICE_OK) rc = arrow_schema_copy(schema, &w->schema, err);
  if (rc != ICE_OK) {
    wr_data_writer_free(w);
    return rc;
  }
  w->opts.parquet.created_by = opts->parquet.created_by; /* borrowed by pq_writer_new */
  *out = w;
  return ICE_OK;
}

static int open_file(struct wr_data_writer *w, struct ice_error *err) {
  struct ice_output *out = NULL;
  char *loc = NULL;
  ICE_TRY(w->open_fn(w->ctx, w->files, &out, &loc, err));
  w->location = loc;
  if (w->idle != NULL) {
    w->pw = w->idle; /* freed by wr_data_writer_free if the restart fails */
    w->idle = NULL;
    ICE_TRY(pq_writer_restart(w->pw, out, err));
  } else {
    ICE_TRY(pq_writer_new(&w->schema, &w->opts.parquet, out, &w->pw, err));
  }
  if (w->opts.iceberg_schema_json != NULL) {
    ICE_TRY(pq_writer_add_metadata(w->pw, "iceberg.schema", w->opts.iceberg_schema_json,
                                   err));
  }
  if (w->opts.delete_type != NULL)
    ICE_TRY(pq_writer_add_metadata(w->pw, "delete-type", w->opts.delete_type, err));
  return ICE_OK;
}

static int copy_tuple(const struct ib_partition_tuple *t, struct ib_data_file *df,
                      struct ice_error *err) {
  if (t->n == 0) return ICE_OK;
  int32_t ids[ICE_LIMIT_PARTITION_FIELDS];
  if (t->n > ICE_LIMIT_PARTITION_FIELDS)
    ICE_FAIL(err, ICE_ELIMIT, "more than %d partition fields",
             ICE_LIMIT_PARTITION_FIELDS);
  for (size_t i = 0; i < t->n; i++) ids[i] = t->values[i].field_id;
  ICE_TRY(ib_data_file_set_partition_fields(df, ids, t->n, err));
  for (size_t i = 0; i < t->n; i++)
    ICE_TRY(ib_data_file_set_partition_value(
        df, i, t->values[i].is_null ? NULL : &t->values[i].value, err));
  return ICE_OK;
}

void wr_data_writer_use_codec(struct wr_data_writer *w, struct codec_ctx *codec) {
  w->opts.parquet.shared_codec = codec;
  if (w->pw != NULL) pq_writer_use_codec(w->pw, codec);
  if (w->idle != NULL) pq_writer_use_codec(w->idle, codec);
}

int wr_data_writer_set_partition(struct wr_data_writer *w,
                                 const struct ib_partition_tuple *t,
                                 struct ice_error *err) {
  ib_data_file_reset(&w->partition);
  ib_data_file_init(&w->partition);
  return copy_tuple(t, &w->partition, err);
}

static int close_file(struct wr_data_writer *w, struct ice_error *err) {
  struct ib_data_file df;
  ib_data_file_init(&df);
  int rc = pq_writer_close(w->pw, err);
  if (rc == ICE_OK) rc = ib_data_file_set_path(&df, w->location ? w->location : "", err);
  if (rc == ICE_OK) rc = wr_metrics_fill(w->pw, &w->opts.metrics, &df, err);
  if (rc == ICE_OK) rc = copy_tuple(&w->partition.partition, &df, err);
  if (rc == ICE_OK) {
    w->files++;
    rc = w->done_fn ? w->done_fn(w->ctx, &df, err) : ICE_OK;
  }
  ib_data_file_reset(&df);
  if (rc == ICE_OK) {
    w->idle = w->pw;
  } else {
    pq_writer_free(w->pw);
  }
  w->pw = NULL;
  ice_free(w->location);
  w->location = NULL;
  return rc;
}

/* Whether the open file has reached its target size: on its exact size, which waits
 * for pages still compressing only when their sizes could change the answer (so the
 * files are the same whatever the threads). */
static int file_full(struct wr_data_writer *w, bool *full, struct ice_error *err) {
  int64_t lo, hi;
  pq_writer_size_bounds(w->pw, &lo, &hi);
  *full = lo >= w->opts.target_file_bytes;
  if (*full || hi < w->opts.target_file_bytes) return ICE_OK;
  ICE_TRY(pq_writer_size(w->pw, &lo, err));
  *full = lo >= w->opts.target_file_bytes;
  return ICE_OK;
}

/* What a file keeps in memory until it closes (footer facts, page index) has taken a
 * sixteenth of the budget: many small pages or row groups; a new file starts from none.
 */
static bool footer_pressed(const struct wr_data_writer *w) {
  const struct ice_mem_budget *b = w->opts.parquet.budget;
  return b != NULL && pq_writer_footer_bytes(w->pw) >= b->limit / 16;
}

/* Rows per slice: about 2 % of the target file, from the bytes per row of the file
 * so far before compression. Not the compressed size: slices shape pages, so they must
 * not depend on how far the workers got; and uncompressed bytes only make the slices
 * smaller, never the overshoot past the target larger. */
static int64_t slice_rows(const struct wr_data_writer *w) {
  if (w->pw == NULL || w->file_rows == 0) return WR_SLICE_MIN_ROWS * 16;
  double per_row = (double)pq_writer_raw_bytes(w->pw) / (double)w->file_rows;
  if (per_row <= 0) return WR_SLICE_ROWS;
  double rows = (double)w->opts.target_file_bytes * 0.02 / per_row;
  if (rows < WR_SLICE_MIN_ROWS) return WR_SLICE_MIN_ROWS;
  if (rows > WR_SLICE_ROWS) return WR_SLICE_ROWS;
  return (int64_t)rows;
}

int wr_data_writer_write(struct wr_data_writer *w, const struct ArrowArray *batch,
                         struct ice_error *err) {
  if (w->failed) ICE_FAIL(err, ICE_EINVAL, "data writer failed earlier");
  if (batch == NULL || batch->release == NULL)
    ICE_FAIL(err, ICE_EINVAL, "released batch");
  /* Checked once here; the slices below skip the check. */
  int rc = arrow_array_validate(&w->schema, batch, err);
  if (rc != ICE_OK) return ice_error_prefix(err, "batch");
  for (int64_t r = 0; r < batch->length && rc == ICE_OK;) {
    int64_t n = batch->length - r, cap = slice_rows(w);
    if (n > cap) n = cap;
    if (w->pw == NULL) {
      rc = open_file(w, err);
      w->file_rows = 0;
    }
    if (rc == ICE_OK) rc = pq_writer_write_rows(w->pw, batch, r, n, err);
    if (rc == ICE_OK) {
      w->rows += n;
      w->file_rows += n;
      r += n;
      bool full = footer_pressed(w);
      if (!full) rc = file_full(w, &full, err);
      if (rc == ICE_OK && full) rc = close_file(w, err);
    }
  }
  if (rc != ICE_OK) {
    w->failed = true;
    if (w->location)
      ice_error_prefix(err, "%s %s", w->opts.file_kind ? w->opts.file_kind : "data file",
                       w->location);
  }
  return rc;
}

int wr_data_writer_close(struct wr_data_writer *w, struct ice_error *err) {
  if (w->failed) ICE_FAIL(err, ICE_EINVAL, "data writer failed earlier");
  int rc = w->pw != NULL ? close_file(w, err) : ICE_OK;
  if (rc != ICE_OK) w->failed = true;
  /* No next file to reuse the buffers for: give them back before the commit. */
  pq_writer_free(w->idle);
  w->idle = NULL;
  return rc;
}

void wr_data_writer_free(struct wr_data_writer *w) {
  if (w == NULL) return;
  pq_writer_free(w->pw); /* aborts an unfinished file */
  pq_writer_free(w->idle);
  ice_free(w->location);
  arrow_schema_release(&w->schema);
  wr_options_reset(&w->opts);
  ib_data_file_reset(&w->partition);
  ice_free(w);
}

int64_t wr_data_writer_files(const struct wr_data_writer *w) {
  return w->files;
}
int64_t wr_data_writer_rows(const struct wr_data_writer *w) {
  return w->rows;
}
