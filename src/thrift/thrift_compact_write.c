/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thrift compact protocol writer (see thrift_compact.h). Errors are sticky: after the
 * first failure every call is a no-op, so an encoder writes a whole struct and checks
 * thrift_writer_status() once. Short field headers are used whenever the id delta is
 * 1..15, the long form otherwise, as every Thrift implementation does.
 */
#include "thrift/thrift_compact.h"

#include <string.h>

void thrift_writer_init(struct thrift_writer *w, struct ice_buf *out, struct ice_error *err) {
  w->out = out;
  w->err = err;
  w->rc = ICE_OK;
  w->last_id = 0;
}

void thrift_writer_fail(struct thrift_writer *w, int code, const char *msg) {
  if (w->rc != ICE_OK) return;
  w->rc = ice_error_set(w->err, code, "thrift: %s", msg);
}

static void put(struct thrift_writer *w, const void *p, size_t n) {
  if (w->rc != ICE_OK) return;
  w->rc = ice_buf_append(w->out, p, n, w->err);
}

static void put_byte(struct thrift_writer *w, uint8_t b) {
  if (w->rc != ICE_OK) return;
  struct ice_buf *o = w->out;
  if (o->len < o->cap) {
    o->data[o->len++] = b;
    return;
  }
  w->rc = ice_buf_append_byte(o, b, w->err);
}

void thrift_write_uvarint(struct thrift_writer *w, uint64_t v) {
  struct ice_buf *o = w->out;
  if (w->rc == ICE_OK && o->cap - o->len >= 10) {
    /* Room for the longest varint: encode in place (page headers are mostly these). */
    uint8_t *p = o->data + o->len;
    while (v >= 0x80) {
      *p++ = (uint8_t)(v | 0x80);
      v >>= 7;
    }
    *p++ = (uint8_t)v;
    o->len = (size_t)(p - o->data);
    return;
  }
  uint8_t tmp[10];
  size_t n = 0;
  while (v >= 0x80) {
    tmp[n++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  tmp[n++] = (uint8_t)v;
  put(w, tmp, n);
}

void thrift_write_struct_begin(struct thrift_writer *w, int16_t *saved) {
  *saved = w->last_id;
  w->last_id = 0;
}

void thrift_write_struct_end(struct thrift_writer *w, int16_t saved) {
  put_byte(w, THRIFT_STOP);
  w->last_id = saved;
}

static void field_header(struct thrift_writer *w, uint8_t type, int16_t id) {
  int32_t delta = (int32_t)id - (int32_t)w->last_id;
  if (delta > 0 && delta <= 15) {
    put_byte(w, (uint8_t)((unsigned)delta << 4 | type));
  } else {
    put_byte(w, type);
    thrift_write_uvarint(w, thrift_zigzag_encode(id));
  }
  w->last_id = id;
}

void thrift_write_field_begin(struct thrift_writer *w, uint8_t type, int16_t id) {
  field_header(w, type, id);
}

void thrift_write_bool_field(struct thrift_writer *w, int16_t id, bool v) {
  field_header(w, v ? THRIFT_BOOL_TRUE : THRIFT_BOOL_FALSE, id);
}

void thrift_write_i8(struct thrift_writer *w, int8_t v) {
  put_byte(w, (uint8_t)v);
}

void thrift_write_i32(struct thrift_writer *w, int32_t v) {
  thrift_write_uvarint(w, thrift_zigzag_encode(v));
}

void thrift_write_i64(struct thrift_writer *w, int64_t v) {
  thrift_write_uvarint(w, thrift_zigzag_encode(v));
}

void thrift_write_double(struct thrift_writer *w, double v) {
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  uint8_t b[8];
  for (int i = 0; i < 8; i++) b[i] = (uint8_t)(bits >> (8 * i));
  put(w, b, 8);
}

void thrift_write_binary(struct thrift_writer *w, const void *data, size_t len) {
  thrift_write_uvarint(w, len);
  put(w, data, len);
}

void thrift_write_bool_elem(struct thrift_writer *w, bool v) {
  put_byte(w, v ? 1 : 2);
}

void thrift_write_i8_field(struct thrift_writer *w, int16_t id, int8_t v) {
  field_header(w, THRIFT_I8, id);
  thrift_write_i8(w, v);
}

void thrift_write_i16_field(struct thrift_writer *w, int16_t id, int16_t v) {
  field_header(w, THRIFT_I16, id);
  thrift_write_i32(w, v);
}

void thrift_write_i32_field(struct thrift_writer *w, int16_t id, int32_t v) {
  field_header(w, THRIFT_I32, id);
  thrift_write_i32(w, v);
}

void thrift_write_i64_field(struct thrift_writer *w, int16_t id, int64_t v) {
  field_header(w, THRIFT_I64, id);
  thrift_write_i64(w, v);
}

void thrift_write_double_field(struct thrift_writer *w, int16_t id, double v) {
  field_header(w, THRIFT_DOUBLE, id);
  thrift_write_double(w, v);
}

void thrift_write_binary_field(struct thrift_writer *w, int16_t id, const void *data,
                               size_t len) {
  field_header(w, THRIFT_BINARY, id);
  thrift_write_binary(w, data, len);
}

void thrift_write_string_field(struct thrift_writer *w, int16_t id, const char *s) {
  thrift_write_binary_field(w, id, s, strlen(s));
}

void thrift_write_struct_field_begin(struct thrift_writer *w, int16_t id, int16_t *saved) {
  field_header(w, THRIFT_STRUCT, id);
  thrift_write_struct_begin(w, saved);
}

void thrift_write_empty_struct_field(struct thrift_writer *w, int16_t id) {
  int16_t saved;
  thrift_write_struct_field_begin(w, id, &saved);
  thrift_write_struct_end(w, saved);
}

void thrift_write_list_begin(struct thrift_writer *w, uint8_t elem_type, size_t count) {
  if (count < 15) {
    put_byte(w, (uint8_t)(count << 4 | elem_type));
  } else {
    put_byte(w, (uint8_t)(0xf0 | elem_type));
    thrift_write_uvarint(w, count);
  }
}

void thrift_write_map_begin(struct thrift_writer *w, uint8_t key_type, uint8_t value_type,
                            size_t count) {
  thrift_write_uvarint(w, count);
  if (count > 0) put_byte(w, (uint8_t)(key_type << 4 | value_type));
}
