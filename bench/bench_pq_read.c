/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reader benchmark vehicle: streams every column of a Parquet file through the public
 * API and folds every value (so nothing can be skipped), printing rows and a checksum.
 * Usage: bench_pq_read FILE [BATCH_ROWS]
 * bench/read_vs_duckdb.sh times it against DuckDB computing min/max of every column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ice/ice.h"
#include "ice/ice_parquet.h"

static uint64_t fold_array(const struct ArrowSchema *s, const struct ArrowArray *a) {
  uint64_t h = (uint64_t)a->null_count;
  const char *f = s->format;
  if (f[0] == '+') {
    for (int64_t i = 0; i < a->n_children; i++) h += fold_array(s->children[i], a->children[i]);
    if (a->n_buffers >= 2 && (f[1] == 'l' || f[1] == 'm') && a->buffers[1]) {
      const int32_t *off = a->buffers[1];
      h += (uint64_t)off[a->offset + a->length];
    }
    return h;
  }
  int64_t n = a->length + a->offset;
  if (strcmp(f, "u") == 0 || strcmp(f, "z") == 0) {
    const int32_t *off = a->buffers[1];
    const uint8_t *data = a->buffers[2];
    for (int64_t i = 0; i < n; i++) {
      h += (uint64_t)(off[i + 1] - off[i]);
      if (off[i + 1] > off[i]) h ^= data[off[i]];
    }
    return h;
  }
  if (strcmp(f, "b") == 0 || strcmp(f, "n") == 0) {
    if (f[0] == 'b' && a->buffers[1]) h += ((const uint8_t *)a->buffers[1])[0];
    return h;
  }
  size_t width = 8;
  switch (f[0]) {
    case 'c': case 'C': width = 1; break;
    case 's': case 'S': case 'e': width = 2; break;
    case 'i': case 'I': case 'f': width = 4; break;
    case 'd': width = strstr(f, ",256") ? 32 : 16; break;
    case 'w': width = (size_t)strtol(f + 2, NULL, 10); break;
    case 't':
      width = (f[1] == 'd' && f[2] == 'D') || (f[1] == 't' && f[2] == 'm') ? 4 : 8;
      break;
    default: width = 8;
  }
  const uint8_t *v = a->buffers[1];
  size_t bytes = (size_t)n * width;
  size_t i = 0;
  for (; i + 8 <= bytes; i += 8) {
    uint64_t w;
    memcpy(&w, v + i, 8);
    h += w;
  }
  for (; i < bytes; i++) h += v[i];
  return h;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_pq_read FILE [BATCH_ROWS]\n");
    return 2;
  }
  struct ice_error err;
  ice_parquet_file *file = NULL;
  if (ice_parquet_open(argv[1], &file, &err) != ICE_OK) {
    fprintf(stderr, "bench_pq_read: %s\n", err.message);
    return 1;
  }
  struct ice_parquet_read_options opts;
  ice_parquet_read_options_init(&opts);
  if (argc > 2) opts.batch_rows = strtoll(argv[2], NULL, 10);
  struct ArrowArrayStream stream;
  if (ice_parquet_stream(file, &opts, &stream, &err) != ICE_OK) {
    fprintf(stderr, "bench_pq_read: %s\n", err.message);
    ice_parquet_close(file);
    return 1;
  }
  struct ArrowSchema schema;
  if (stream.get_schema(&stream, &schema) != 0) {
    fprintf(stderr, "bench_pq_read: %s\n", stream.get_last_error(&stream));
    return 1;
  }
  uint64_t h = 0;
  int64_t rows = 0;
  int rc = 0;
  for (;;) {
    struct ArrowArray batch;
    rc = stream.get_next(&stream, &batch);
    if (rc != 0) {
      fprintf(stderr, "bench_pq_read: %s\n", stream.get_last_error(&stream));
      break;
    }
    if (batch.release == NULL) break;
    rows += batch.length;
    h += fold_array(&schema, &batch);
    batch.release(&batch);
  }
  printf("rows=%lld checksum=%llu\n", (long long)rows, (unsigned long long)h);
  schema.release(&schema);
  stream.release(&stream);
  ice_parquet_close(file);
  return rc == 0 ? 0 : 1;
}
