/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public reader API (include/ice/ice_parquet.h): opening a file or a memory
 * buffer (footer + schema tree), file-level accessors, the Arrow schema and the row
 * stream. Argument checks live here; the work is in pq_reader_stream.c.
 */
#include <string.h>

#include "arrow/arrow_schema.h"
#include "parquet/pq_reader.h"
#include "util/alloc.h"

void ice_parquet_read_options_init(struct ice_parquet_read_options *opts) {
  memset(opts, 0, sizeof *opts);
  opts->batch_rows = ICE_PARQUET_DEFAULT_BATCH_ROWS;
  opts->threads = 1;
}

/* Structural checks the stream relies on: one chunk per leaf in every row group, and
 * non-negative row counts. */
static int check_layout(ice_parquet_file *f, struct ice_error *err) {
  int64_t total = 0;
  for (size_t i = 0; i < f->meta.n_row_groups; i++) {
    const struct pq_row_group *rg = &f->meta.row_groups[i];
    ICE_CHECK_DATA(rg->n_columns == f->schema.n_leaves, err,
                   "row group %zu has %zu column chunks for %zu leaf columns", i,
                   rg->n_columns, f->schema.n_leaves);
    ICE_CHECK_DATA(rg->num_rows >= 0 && rg->num_rows <= INT64_MAX - total, err,
                   "row group %zu: bad num_rows %lld", i, (long long)rg->num_rows);
    total += rg->num_rows;
  }
  f->num_rows = total;
  return ICE_OK;
}

int pq_reader_open_input(struct ice_input *in, ice_parquet_file **out,
                         struct ice_error *err) {
  ice_parquet_file *f = ice_calloc(1, sizeof *f);
  if (f == NULL) {
    ice_input_close(in);
    ICE_FAIL(err, ICE_ENOMEM, "parquet: out of memory");
  }
  f->in = in;
  int rc = pq_meta_read_footer(in, &f->meta, &f->footer_offset, err);
  if (rc == ICE_OK) {
    rc = pq_schema_build(&f->meta, &f->schema, err);
    if (rc == ICE_OK) rc = check_layout(f, err);
    if (rc != ICE_OK) ice_error_prefix_path(err, "parquet:", in->name);
  }
  if (rc != ICE_OK) {
    ice_parquet_close(f);
    return rc;
  }
  *out = f;
  return ICE_OK;
}

int ice_parquet_open(const char *path, ice_parquet_file **out, struct ice_error *err) {
  if (path == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "parquet: no path given");
  struct ice_input *in = NULL;
  ICE_TRY(io_local_open_read(path, &in, err));
  return pq_reader_open_input(in, out, err);
}

int ice_parquet_open_memory(const void *data, size_t len, const char *name,
                            ice_parquet_file **out, struct ice_error *err) {
  if ((data == NULL && len > 0) || out == NULL) {
    ICE_FAIL(err, ICE_EINVAL, "parquet: no data given");
  }
  struct ice_input *in = NULL;
  ICE_TRY(io_memory_open_read(data, len, name ? name : "(memory)", &in, err));
  return pq_reader_open_input(in, out, err);
}

void ice_parquet_close(ice_parquet_file *file) {
  if (file == NULL) return;
  pq_schema_reset(&file->schema);
  pq_file_meta_reset(&file->meta);
  ice_input_close(file->in);
  ice_free(file);
}

int64_t ice_parquet_num_rows(const ice_parquet_file *file) {
  return file->num_rows;
}

int64_t ice_parquet_file_size(const ice_parquet_file *file) {
  return file->in->size;
}

int32_t ice_parquet_num_row_groups(const ice_parquet_file *file) {
  return (int32_t)file->meta.n_row_groups;
}

size_t ice_parquet_num_metadata(const ice_parquet_file *file) {
  return file->meta.n_key_value_metadata;
}

int ice_parquet_metadata(const ice_parquet_file *file, size_t i, const char **key,
                         const char **value) {
  if (i >= file->meta.n_key_value_metadata) return ICE_EINVAL;
  *key = file->meta.key_value_metadata[i].key;
  *value = file->meta.key_value_metadata[i].value;
  return ICE_OK;
}

int ice_parquet_schema(ice_parquet_file *file, struct ArrowSchema *out,
                       struct ice_error *err) {
  if (file == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "parquet: no file given");
  return pq_node_to_arrow(&file->schema.root, out, err);
}

int ice_parquet_stream(ice_parquet_file *file, const struct ice_parquet_read_options *opts,
                       struct ArrowArrayStream *out, struct ice_error *err) {
  struct ice_parquet_read_options o;
  if (file == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "parquet: no file given");
  if (opts != NULL) {
    o = *opts;
  } else {
    ice_parquet_read_options_init(&o);
  }
  if (o.batch_rows <= 0) ICE_FAIL(err, ICE_EINVAL, "parquet: batch_rows must be positive");
  if (o.threads < 0 || o.threads > ICE_PARQUET_MAX_THREADS)
    ICE_FAIL(err, ICE_EINVAL, "parquet: threads %d (0 = one per CPU, or 1 to %d)",
             o.threads, ICE_PARQUET_MAX_THREADS);
  if (o.row_groups != NULL) {
    for (size_t i = 0; i < o.n_row_groups; i++) {
      if (o.row_groups[i] < 0 || (size_t)o.row_groups[i] >= file->meta.n_row_groups) {
        ICE_FAIL(err, ICE_EINVAL, "parquet: %s: no row group %d", file->in->name,
                 (int)o.row_groups[i]);
      }
    }
  }
  if (o.columns != NULL) {
    for (size_t i = 0; i < o.n_columns; i++) {
      if (o.columns[i] == NULL) ICE_FAIL(err, ICE_EINVAL, "parquet: NULL column name");
    }
  }
  int rc = pq_reader_stream_new(file, &o, NULL, NULL, out, err);
  if (rc != ICE_OK) return ice_error_prefix_path(err, "parquet:", file->in->name);
  return ICE_OK;
}

void ice_string_free(char *s) {
  ice_free(s);
}
