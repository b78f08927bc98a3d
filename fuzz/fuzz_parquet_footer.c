/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes Parquet metadata decoding: the input is decoded as a FileMetaData, as a
 * PageHeader, as a ColumnIndex and an OffsetIndex, and as a whole file through the
 * footer locator. Whatever decodes must re-encode, and the re-encoding must decode
 * and re-encode to identical bytes (encoder and decoder agree on every field).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "io/io.h"
#include "parquet/pq_meta.h"

static void check_file_meta(const uint8_t *data, size_t size) {
  struct pq_file_meta m, m2;
  if (pq_meta_read_file(data, size, &m, NULL) != ICE_OK) return;
  struct ice_buf a, b;
  ice_buf_init(&a, (size_t)1 << 30);
  ice_buf_init(&b, (size_t)1 << 30);
  int rc = pq_meta_write_file(&m, &a, NULL);
  /* Unknown logical types / column orders are decoded but cannot be written. */
  if (rc == ICE_OK) {
    if (pq_meta_read_file(a.data, a.len, &m2, NULL) != ICE_OK) abort();
    if (pq_meta_write_file(&m2, &b, NULL) != ICE_OK) abort();
    if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) abort();
    if (m2.num_rows != m.num_rows || m2.n_schema != m.n_schema) abort();
    pq_file_meta_reset(&m2);
  } else if (rc != ICE_EINVAL) {
    abort();
  }
  ice_buf_reset(&a);
  ice_buf_reset(&b);
  pq_file_meta_reset(&m);
}

static void check_page_header(const uint8_t *data, size_t size) {
  struct pq_page_header h, h2;
  size_t used, used2;
  if (pq_meta_read_page_header(data, size, &h, &used, NULL) != ICE_OK) return;
  if (used > size) abort();
  struct ice_buf a, b;
  ice_buf_init(&a, (size_t)1 << 30);
  ice_buf_init(&b, (size_t)1 << 30);
  if (pq_meta_write_page_header(&h, &a, NULL) != ICE_OK) abort();
  if (pq_meta_read_page_header(a.data, a.len, &h2, &used2, NULL) != ICE_OK) abort();
  if (used2 != a.len) abort();
  if (h2.type != h.type || h2.compressed_page_size != h.compressed_page_size ||
      h2.uncompressed_page_size != h.uncompressed_page_size || h2.has_crc != h.has_crc) {
    abort();
  }
  if (pq_meta_write_page_header(&h2, &b, NULL) != ICE_OK) abort();
  if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) abort();
  ice_buf_reset(&a);
  ice_buf_reset(&b);
}

static void check_page_index(const uint8_t *data, size_t size) {
  struct ice_arena arena;
  ice_arena_init(&arena, (size_t)256 << 20);
  struct pq_column_index ci, ci2;
  struct ice_buf a;
  ice_buf_init(&a, (size_t)1 << 30);
  if (pq_meta_read_column_index(data, size, &arena, &ci, NULL) == ICE_OK) {
    if (pq_meta_write_column_index(&ci, &a, NULL) != ICE_OK) abort();
    if (pq_meta_read_column_index(a.data, a.len, &arena, &ci2, NULL) != ICE_OK) abort();
    if (ci2.n_pages != ci.n_pages) abort();
  }
  struct pq_offset_index oi, oi2;
  ice_buf_clear(&a);
  if (pq_meta_read_offset_index(data, size, &arena, &oi, NULL) == ICE_OK) {
    if (pq_meta_write_offset_index(&oi, &a, NULL) != ICE_OK) abort();
    if (pq_meta_read_offset_index(a.data, a.len, &arena, &oi2, NULL) != ICE_OK) abort();
    if (oi2.n_page_locations != oi.n_page_locations) abort();
  }
  ice_buf_reset(&a);
  ice_arena_reset(&arena);
}

static void check_whole_file(const uint8_t *data, size_t size) {
  struct ice_input *in = NULL;
  struct ice_error err;
  if (io_memory_open_read(data, size, "fuzz.parquet", &in, &err) != ICE_OK) return;
  struct pq_file_meta m;
  int64_t off = -1;
  if (pq_meta_read_footer(in, &m, &off, &err) == ICE_OK) {
    if (off < 4 || off > (int64_t)size - 8) abort();
    pq_file_meta_reset(&m);
  } else if (err.message[0] == '\0') {
    abort(); /* every failure explains itself */
  }
  ice_input_close(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  check_file_meta(data, size);
  check_page_header(data, size);
  check_page_index(data, size);
  check_whole_file(data, size);
  return 0;
}
