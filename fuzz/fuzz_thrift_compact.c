/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the Thrift compact reader and writer without any schema: arbitrary bytes
 * are read as a struct (as FileMetaData and PageHeader decoding starts), every value
 * is read with the typed readers and transcoded through the writer. The compact
 * encoding is not canonical, so the property checked is that transcoding the
 * transcoded bytes is a fixed point. Also skips the input as a struct, a list and a
 * map, which must never read past the end.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "thrift/thrift_compact.h"
#include "util/buf.h"

static int transcode_value(struct thrift_reader *r, struct thrift_writer *w, uint8_t type,
                           bool is_field);

static int transcode_struct(struct thrift_reader *r, struct thrift_writer *w) {
  int16_t rs, ws;
  if (thrift_read_struct_begin(r, &rs, NULL) != ICE_OK) return -1;
  thrift_write_struct_begin(w, &ws);
  for (;;) {
    uint8_t t;
    int16_t id;
    if (thrift_read_field_begin(r, &t, &id, NULL) != ICE_OK) return -1;
    if (t == THRIFT_STOP) break;
    /* Field id 0 and negatives are legal on the wire but our writer only emits
     * positive ids; skip those fields rather than transcode them. */
    if (id <= 0) {
      if (thrift_skip(r, t, NULL) != ICE_OK) return -1;
      continue;
    }
    if (t == THRIFT_BOOL_TRUE || t == THRIFT_BOOL_FALSE) {
      thrift_write_bool_field(w, id, thrift_field_bool(r));
      continue;
    }
    thrift_write_field_begin(w, t, id);
    if (transcode_value(r, w, t, true) != 0) return -1;
  }
  thrift_read_struct_end(r, rs);
  thrift_write_struct_end(w, ws);
  return 0;
}

static int transcode_value(struct thrift_reader *r, struct thrift_writer *w, uint8_t type,
                           bool is_field) {
  (void)is_field;
  switch (type) {
    case THRIFT_BOOL_TRUE:
    case THRIFT_BOOL_FALSE: {
      bool v;
      if (thrift_read_bool_elem(r, &v, NULL) != ICE_OK) return -1;
      thrift_write_bool_elem(w, v);
      return 0;
    }
    case THRIFT_I8:
    case THRIFT_I16:
    case THRIFT_I32:
    case THRIFT_I64: {
      int64_t v;
      if (thrift_read_int(r, type, &v, NULL) != ICE_OK) return -1;
      if (type == THRIFT_I8) {
        thrift_write_i8(w, (int8_t)v);
      } else {
        thrift_write_i64(w, v);
      }
      return 0;
    }
    case THRIFT_DOUBLE: {
      double d;
      if (thrift_read_double(r, &d, NULL) != ICE_OK) return -1;
      thrift_write_double(w, d);
      return 0;
    }
    case THRIFT_BINARY: {
      const uint8_t *p;
      size_t n;
      if (thrift_read_binary(r, &p, &n, NULL) != ICE_OK) return -1;
      thrift_write_binary(w, p, n);
      return 0;
    }
    case THRIFT_UUID: {
      /* 16 raw bytes: the reader has no typed call for it, so skip and copy. */
      const uint8_t *start = r->p;
      if (thrift_reader_remaining(r) < 16) return -1;
      for (int i = 0; i < 16; i++) thrift_write_i8(w, (int8_t)start[i]);
      r->p += 16;
      return 0;
    }
    case THRIFT_LIST:
    case THRIFT_SET: {
      uint8_t et;
      uint32_t n;
      if (thrift_read_list_begin(r, &et, &n, NULL) != ICE_OK) return -1;
      thrift_write_list_begin(w, et, n);
      for (uint32_t i = 0; i < n; i++) {
        if (transcode_value(r, w, et, false) != 0) return -1;
      }
      thrift_read_container_end(r);
      return 0;
    }
    case THRIFT_MAP: {
      uint8_t kt, vt;
      uint32_t n;
      if (thrift_read_map_begin(r, &kt, &vt, &n, NULL) != ICE_OK) return -1;
      thrift_write_map_begin(w, kt, vt, n);
      for (uint32_t i = 0; i < n; i++) {
        if (transcode_value(r, w, kt, false) != 0) return -1;
        if (transcode_value(r, w, vt, false) != 0) return -1;
      }
      thrift_read_container_end(r);
      return 0;
    }
    case THRIFT_STRUCT:
      return transcode_struct(r, w);
    default:
      return -1;
  }
}

/* Transcodes one struct from the front of data into out; 0 on success. */
static int transcode(const uint8_t *data, size_t size, struct ice_buf *out, size_t *used) {
  struct thrift_reader r;
  struct thrift_writer w;
  thrift_reader_init(&r, data, size);
  thrift_writer_init(&w, out, NULL);
  if (transcode_struct(&r, &w) != 0 || thrift_writer_status(&w) != ICE_OK) return -1;
  if (r.p > r.end) abort(); /* read past the end */
  *used = thrift_reader_offset(&r);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct thrift_reader r;
  thrift_reader_init(&r, data, size);
  /* Skipping succeeds or fails; either way it stays inside the input, and a success
   * leaves the nesting balanced. */
  static const uint8_t kinds[] = {THRIFT_STRUCT, THRIFT_LIST, THRIFT_MAP};
  for (size_t k = 0; k < sizeof kinds; k++) {
    thrift_reader_init(&r, data, size);
    int rc = thrift_skip(&r, kinds[k], NULL);
    if (r.p > r.end || (rc == ICE_OK && r.depth != 0)) abort();
  }

  struct ice_buf a, b;
  ice_buf_init(&a, (size_t)64 << 20);
  ice_buf_init(&b, (size_t)64 << 20);
  size_t used_a, used_b;
  if (transcode(data, size, &a, &used_a) == 0) {
    /* The writer's output must read back, fully, into the same bytes. */
    if (transcode(a.data, a.len, &b, &used_b) != 0) abort();
    if (used_b != a.len || b.len != a.len || memcmp(a.data, b.data, a.len) != 0) abort();
  }
  ice_buf_reset(&a);
  ice_buf_reset(&b);
  return 0;
}
