/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thrift compact protocol: a reader over a bounded byte range and a writer into a
 * struct ice_buf. This is only the wire layer (varints, zigzag, field headers with id
 * deltas, bool-in-header, lists/sets/maps, binary, skipping unknown fields); the
 * structs themselves are decoded by their owners (src/parquet/pq_meta_*.c).
 * Reads never go past the end, counts are checked against the remaining bytes and
 * ICE_LIMIT_THRIFT_*, and nesting is bounded by ICE_LIMIT_THRIFT_DEPTH.
 */
#ifndef ICE_THRIFT_COMPACT_H
#define ICE_THRIFT_COMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

/* Compact type ids (field-header low nibble and list element types). */
enum thrift_type {
  THRIFT_STOP = 0,
  THRIFT_BOOL_TRUE = 1, /* as a list element type: bool */
  THRIFT_BOOL_FALSE = 2, /* as a list element type: bool too */
  THRIFT_I8 = 3,
  THRIFT_I16 = 4,
  THRIFT_I32 = 5,
  THRIFT_I64 = 6,
  THRIFT_DOUBLE = 7,
  THRIFT_BINARY = 8,
  THRIFT_LIST = 9,
  THRIFT_SET = 10,
  THRIFT_MAP = 11,
  THRIFT_STRUCT = 12,
  THRIFT_UUID = 13
};

/* ------------------------------------------------------------------ reader */

struct thrift_reader {
  const uint8_t *start;
  const uint8_t *p;   /* next byte */
  const uint8_t *end; /* one past the last readable byte */
  int16_t last_id;    /* previous field id in the current struct */
  int depth;          /* nested structs/containers open */
  bool field_bool;    /* value of the bool field whose header was just read */
};

void thrift_reader_init(struct thrift_reader *r, const uint8_t *buf, size_t len);

static inline size_t thrift_reader_offset(const struct thrift_reader *r) {
  return (size_t)(r->p - r->start);
}
static inline size_t thrift_reader_remaining(const struct thrift_reader *r) {
  return (size_t)(r->end - r->p);
}

/* Enters a struct: saves the previous field id into *saved and checks the depth. */
int thrift_read_struct_begin(struct thrift_reader *r, int16_t *saved,
                             struct ice_error *err) ICE_NODISCARD;
/* Leaves a struct whose STOP was read by thrift_read_field_begin. */
void thrift_read_struct_end(struct thrift_reader *r, int16_t saved);

/* Reads a field header. *type is THRIFT_STOP at the end of the struct (then *id is 0).
 * For bool fields (*type 1 or 2) the value is in the header: thrift_field_bool(). */
int thrift_read_field_begin_slow(struct thrift_reader *r, uint8_t *type, int16_t *id,
                                 struct ice_error *err) ICE_NODISCARD;
/* Page headers are decoded per page, so the common short header is inlined. */
ICE_NODISCARD static inline int thrift_read_field_begin(struct thrift_reader *r, uint8_t *type,
                                                        int16_t *id, struct ice_error *err) {
  if (r->p < r->end) {
    uint8_t b = *r->p, t = b & 0x0f;
    if (b == 0) { /* STOP: ends every struct */
      r->p++;
      *type = THRIFT_STOP;
      *id = 0;
      return ICE_OK;
    }
    int32_t next = (int32_t)r->last_id + (b >> 4);
    if ((b >> 4) != 0 && t != THRIFT_STOP && t <= THRIFT_UUID && next <= INT16_MAX) {
      r->p++;
      r->last_id = (int16_t)next;
      r->field_bool = t == THRIFT_BOOL_TRUE;
      *type = t;
      *id = (int16_t)next;
      return ICE_OK;
    }
  }
  return thrift_read_field_begin_slow(r, type, id, err);
}

/* The value of the bool field whose header was just read. */
static inline bool thrift_field_bool(const struct thrift_reader *r) {
  return r->field_bool;
}
/* A bool list element: one byte, 0x01 = true, anything else false (peers write 0/1/2). */
int thrift_read_bool_elem(struct thrift_reader *r, bool *v, struct ice_error *err) ICE_NODISCARD;

/* Any integer type (I8 raw byte, I16/I32/I64 zigzag varints) into int64: lenient
 * because some writers encode a declared i64 list as i16 and the values are the same
 * varints. Other types are ICE_ECORRUPT. */
int thrift_read_int(struct thrift_reader *r, uint8_t type, int64_t *v,
                    struct ice_error *err) ICE_NODISCARD;
/* As thrift_read_int, but the value must fit in int32 (ICE_ECORRUPT otherwise). */
int thrift_read_i32_slow(struct thrift_reader *r, uint8_t type, int32_t *v,
                         struct ice_error *err) ICE_NODISCARD;
ICE_NODISCARD static inline int thrift_read_i32(struct thrift_reader *r, uint8_t type,
                                                int32_t *v, struct ice_error *err) {
  /* One-byte zigzag varints (-64..63) cover most enums, flags and small counts. */
  if (type >= THRIFT_I16 && type <= THRIFT_I64 && r->p < r->end && *r->p < 0x80) {
    uint8_t u = *r->p++;
    *v = (int32_t)(u >> 1) ^ -(int32_t)(u & 1);
    return ICE_OK;
  }
  return thrift_read_i32_slow(r, type, v, err);
}

int thrift_read_double(struct thrift_reader *r, double *v, struct ice_error *err) ICE_NODISCARD;

/* Binary/string: points into the buffer (no copy). Length is checked against the
 * remaining bytes and ICE_LIMIT_THRIFT_STRING. */
int thrift_read_binary(struct thrift_reader *r, const uint8_t **data, size_t *len,
                       struct ice_error *err) ICE_NODISCARD;

/* List or set header: element type (1..13; 2 is normalised to 1 for bools) and count.
 * The count is bounded by ICE_LIMIT_THRIFT_LIST and by the remaining bytes (every
 * element takes at least one byte). Enters one nesting level: pair with
 * thrift_read_container_end. */
int thrift_read_list_begin(struct thrift_reader *r, uint8_t *elem_type, uint32_t *count,
                           struct ice_error *err) ICE_NODISCARD;
/* Map header: key and value types (0 when count is 0) and count; enters a level. */
int thrift_read_map_begin(struct thrift_reader *r, uint8_t *key_type, uint8_t *value_type,
                          uint32_t *count, struct ice_error *err) ICE_NODISCARD;
void thrift_read_container_end(struct thrift_reader *r);

/* Skips the value of a field whose header was just read (recursively for
 * struct/list/set/map; bool fields consume nothing). */
int thrift_skip(struct thrift_reader *r, uint8_t type, struct ice_error *err) ICE_NODISCARD;

/* Raw varints, exposed for tests and for callers with their own framing. */
int thrift_read_uvarint_slow(struct thrift_reader *r, uint64_t *v,
                             struct ice_error *err) ICE_NODISCARD;
ICE_NODISCARD static inline int thrift_read_uvarint(struct thrift_reader *r, uint64_t *v,
                                                    struct ice_error *err) {
  if (r->p < r->end && *r->p < 0x80) {
    *v = *r->p++;
    return ICE_OK;
  }
  return thrift_read_uvarint_slow(r, v, err);
}

static inline int64_t thrift_zigzag_decode(uint64_t u) {
  return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}
static inline uint64_t thrift_zigzag_encode(int64_t v) {
  return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* ------------------------------------------------------------------ writer */

/* The writer keeps the first error (sticky) so encoders can emit a whole struct and
 * check once with thrift_writer_status(). */
struct thrift_writer {
  struct ice_buf *out;
  struct ice_error *err;
  int rc;          /* first failure, ICE_OK otherwise */
  int16_t last_id; /* previous field id in the current struct */
};

void thrift_writer_init(struct thrift_writer *w, struct ice_buf *out, struct ice_error *err);
static inline int thrift_writer_status(const struct thrift_writer *w) {
  return w->rc;
}
/* Records a failure (e.g. an encoder refusing a value); keeps the first one. */
void thrift_writer_fail(struct thrift_writer *w, int code, const char *msg);

void thrift_write_struct_begin(struct thrift_writer *w, int16_t *saved);
/* Writes STOP and restores the outer field id. */
void thrift_write_struct_end(struct thrift_writer *w, int16_t saved);

/* Field header for a non-bool field (type 3..13). id must be > 0. */
void thrift_write_field_begin(struct thrift_writer *w, uint8_t type, int16_t id);
/* A bool field (value in the header). */
void thrift_write_bool_field(struct thrift_writer *w, int16_t id, bool v);

/* Whole fields (header + value). */
void thrift_write_i8_field(struct thrift_writer *w, int16_t id, int8_t v);
void thrift_write_i16_field(struct thrift_writer *w, int16_t id, int16_t v);
void thrift_write_i32_field(struct thrift_writer *w, int16_t id, int32_t v);
void thrift_write_i64_field(struct thrift_writer *w, int16_t id, int64_t v);
void thrift_write_double_field(struct thrift_writer *w, int16_t id, double v);
void thrift_write_binary_field(struct thrift_writer *w, int16_t id, const void *data,
                               size_t len);
void thrift_write_string_field(struct thrift_writer *w, int16_t id, const char *s);
/* Header of a struct field followed by struct_begin; close with struct_end. */
void thrift_write_struct_field_begin(struct thrift_writer *w, int16_t id, int16_t *saved);
/* An empty struct field (union members such as StringType {}). */
void thrift_write_empty_struct_field(struct thrift_writer *w, int16_t id);

/* Bare values (list elements). */
void thrift_write_i8(struct thrift_writer *w, int8_t v);
void thrift_write_i32(struct thrift_writer *w, int32_t v); /* also i16, enums */
void thrift_write_i64(struct thrift_writer *w, int64_t v);
void thrift_write_double(struct thrift_writer *w, double v);
void thrift_write_binary(struct thrift_writer *w, const void *data, size_t len);
/* List element bool: byte 1 = true, 2 = false (what most readers accept). */
void thrift_write_bool_elem(struct thrift_writer *w, bool v);
/* List/set header. For bool lists pass THRIFT_BOOL_TRUE as the element type. */
void thrift_write_list_begin(struct thrift_writer *w, uint8_t elem_type, size_t count);
void thrift_write_map_begin(struct thrift_writer *w, uint8_t key_type, uint8_t value_type,
                            size_t count);
void thrift_write_uvarint(struct thrift_writer *w, uint64_t v);

#endif
