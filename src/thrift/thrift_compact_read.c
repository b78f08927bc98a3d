/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thrift compact protocol reader (see thrift_compact.h): ULEB128 varints, zigzag
 * integers, field headers with id deltas, containers and recursive skipping. Every
 * read is bounds-checked against the end of the range; every count against the bytes
 * left, so nothing is allocated or iterated on an unchecked number.
 */
#include "thrift/thrift_compact.h"

#include <string.h>

#include "util/limits.h"

void thrift_reader_init(struct thrift_reader *r, const uint8_t *buf, size_t len) {
  r->start = buf;
  r->p = buf;
  r->end = buf + len;
  r->last_id = 0;
  r->depth = 0;
  r->field_bool = false;
}

static int truncated(const struct thrift_reader *r, const char *what, struct ice_error *err) {
  return ice_error_set(err, ICE_ECORRUPT, "thrift: %s truncated at byte %zu", what,
                       thrift_reader_offset(r));
}

/* The one-byte case is inlined in the header; this handles every length. */
int thrift_read_uvarint_slow(struct thrift_reader *r, uint64_t *v, struct ice_error *err) {
  const uint8_t *p = r->p;
  uint64_t result = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (p >= r->end) return truncated(r, "varint", err);
    uint8_t b = *p++;
    /* The 10th byte may only carry the top bit of a 64-bit value. */
    if (shift == 63 && b > 1) break;
    result |= (uint64_t)(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *v = result;
      r->p = p;
      return ICE_OK;
    }
  }
  return ice_error_set(err, ICE_ECORRUPT, "thrift: varint longer than 64 bits at byte %zu",
                       thrift_reader_offset(r));
}

static int read_zigzag(struct thrift_reader *r, int64_t *v, struct ice_error *err) {
  uint64_t u;
  ICE_TRY(thrift_read_uvarint(r, &u, err));
  *v = thrift_zigzag_decode(u);
  return ICE_OK;
}

int thrift_read_struct_begin(struct thrift_reader *r, int16_t *saved, struct ice_error *err) {
  if (r->depth >= ICE_LIMIT_THRIFT_DEPTH) {
    return ice_error_set(err, ICE_ELIMIT, "thrift: nesting deeper than %d at byte %zu",
                         ICE_LIMIT_THRIFT_DEPTH, thrift_reader_offset(r));
  }
  r->depth++;
  *saved = r->last_id;
  r->last_id = 0;
  return ICE_OK;
}

void thrift_read_struct_end(struct thrift_reader *r, int16_t saved) {
  r->depth--;
  r->last_id = saved;
}

int thrift_read_field_begin_slow(struct thrift_reader *r, uint8_t *type, int16_t *id,
                                 struct ice_error *err) {
  if (r->p >= r->end) return truncated(r, "struct", err);
  uint8_t b = *r->p++;
  uint8_t t = b & 0x0f;
  if (t == THRIFT_STOP) {
    /* A STOP byte must be exactly 0; a delta with type 0 is not a valid header. */
    if (b != 0) {
      return ice_error_set(err, ICE_ECORRUPT, "thrift: bad field header 0x%02x at byte %zu",
                           b, thrift_reader_offset(r) - 1);
    }
    *type = THRIFT_STOP;
    *id = 0;
    return ICE_OK;
  }
  if (t > THRIFT_UUID) {
    return ice_error_set(err, ICE_ECORRUPT, "thrift: unknown field type %u at byte %zu", t,
                         thrift_reader_offset(r) - 1);
  }
  unsigned delta = b >> 4;
  int16_t fid;
  if (delta != 0) {
    int32_t next = (int32_t)r->last_id + (int32_t)delta;
    if (next > INT16_MAX) {
      return ice_error_set(err, ICE_ECORRUPT, "thrift: field id overflow at byte %zu",
                           thrift_reader_offset(r) - 1);
    }
    fid = (int16_t)next;
  } else {
    int64_t v;
    ICE_TRY(read_zigzag(r, &v, err));
    if (v < INT16_MIN || v > INT16_MAX) {
      return ice_error_set(err, ICE_ECORRUPT, "thrift: field id %lld out of range at byte %zu",
                           (long long)v, thrift_reader_offset(r));
    }
    fid = (int16_t)v;
  }
  r->last_id = fid;
  if (t == THRIFT_BOOL_TRUE || t == THRIFT_BOOL_FALSE) r->field_bool = t == THRIFT_BOOL_TRUE;
  *type = t;
  *id = fid;
  return ICE_OK;
}

int thrift_read_bool_elem(struct thrift_reader *r, bool *v, struct ice_error *err) {
  if (r->p >= r->end) return truncated(r, "bool", err);
  *v = *r->p++ == 1;
  return ICE_OK;
}

int thrift_read_int(struct thrift_reader *r, uint8_t type, int64_t *v, struct ice_error *err) {
  switch (type) {
    case THRIFT_I8:
      if (r->p >= r->end) return truncated(r, "i8", err);
      *v = (int8_t)*r->p++;
      return ICE_OK;
    case THRIFT_I16:
    case THRIFT_I32:
    case THRIFT_I64:
      return read_zigzag(r, v, err);
    default:
      return ice_error_set(err, ICE_ECORRUPT,
                           "thrift: expected an integer, found type %u at byte %zu", type,
                           thrift_reader_offset(r));
  }
}

int thrift_read_i32_slow(struct thrift_reader *r, uint8_t type, int32_t *v,
                         struct ice_error *err) {
  int64_t x;
  ICE_TRY(thrift_read_int(r, type, &x, err));
  if (x < INT32_MIN || x > INT32_MAX) {
    return ice_error_set(err, ICE_ECORRUPT, "thrift: i32 value %lld out of range at byte %zu",
                         (long long)x, thrift_reader_offset(r));
  }
  *v = (int32_t)x;
  return ICE_OK;
}

int thrift_read_double(struct thrift_reader *r, double *v, struct ice_error *err) {
  if (thrift_reader_remaining(r) < 8) return truncated(r, "double", err);
  /* Little-endian on the wire (unlike the binary protocol). */
  uint64_t bits = 0;
  for (int i = 7; i >= 0; i--) bits = (bits << 8) | r->p[i];
  memcpy(v, &bits, sizeof *v);
  r->p += 8;
  return ICE_OK;
}

int thrift_read_binary(struct thrift_reader *r, const uint8_t **data, size_t *len,
                       struct ice_error *err) {
  uint64_t n;
  ICE_TRY(thrift_read_uvarint(r, &n, err));
  if (n > ICE_LIMIT_THRIFT_STRING) {
    return ice_error_set(err, ICE_ELIMIT, "thrift: binary of %llu bytes exceeds the limit at byte %zu",
                         (unsigned long long)n, thrift_reader_offset(r));
  }
  if (n > thrift_reader_remaining(r)) return truncated(r, "binary", err);
  *data = r->p;
  *len = (size_t)n;
  r->p += n;
  return ICE_OK;
}

static int enter_container(struct thrift_reader *r, struct ice_error *err) {
  if (r->depth >= ICE_LIMIT_THRIFT_DEPTH) {
    return ice_error_set(err, ICE_ELIMIT, "thrift: nesting deeper than %d at byte %zu",
                         ICE_LIMIT_THRIFT_DEPTH, thrift_reader_offset(r));
  }
  r->depth++;
  return ICE_OK;
}

void thrift_read_container_end(struct thrift_reader *r) {
  r->depth--;
}

/* Every element of any type takes at least one byte, so a count above the bytes left
 * is corrupt whatever the element type. */
static int check_count(struct thrift_reader *r, uint64_t n, const char *what,
                       struct ice_error *err) {
  if (n > ICE_LIMIT_THRIFT_LIST) {
    return ice_error_set(err, ICE_ELIMIT, "thrift: %s of %llu elements exceeds the limit at byte %zu",
                         what, (unsigned long long)n, thrift_reader_offset(r));
  }
  if (n > thrift_reader_remaining(r)) {
    return ice_error_set(err, ICE_ECORRUPT,
                         "thrift: %s of %llu elements exceeds the %zu bytes left at byte %zu", what,
                         (unsigned long long)n, thrift_reader_remaining(r), thrift_reader_offset(r));
  }
  return ICE_OK;
}

int thrift_read_list_begin(struct thrift_reader *r, uint8_t *elem_type, uint32_t *count,
                           struct ice_error *err) {
  if (r->p >= r->end) return truncated(r, "list header", err);
  uint8_t b = *r->p++;
  uint8_t t = b & 0x0f;
  uint64_t n = b >> 4;
  if (n == 15) ICE_TRY(thrift_read_uvarint(r, &n, err));
  if (t == THRIFT_STOP || t > THRIFT_UUID) {
    return ice_error_set(err, ICE_ECORRUPT, "thrift: bad list element type %u at byte %zu", t,
                         thrift_reader_offset(r));
  }
  ICE_TRY(check_count(r, n, "list", err));
  ICE_TRY(enter_container(r, err));
  *elem_type = t == THRIFT_BOOL_FALSE ? THRIFT_BOOL_TRUE : t;
  *count = (uint32_t)n;
  return ICE_OK;
}

int thrift_read_map_begin(struct thrift_reader *r, uint8_t *key_type, uint8_t *value_type,
                          uint32_t *count, struct ice_error *err) {
  uint64_t n;
  ICE_TRY(thrift_read_uvarint(r, &n, err));
  uint8_t kt = 0, vt = 0;
  if (n > 0) {
    if (r->p >= r->end) return truncated(r, "map header", err);
    uint8_t b = *r->p++;
    kt = b >> 4;
    vt = b & 0x0f;
    if (kt == THRIFT_STOP || kt > THRIFT_UUID || vt == THRIFT_STOP || vt > THRIFT_UUID) {
      return ice_error_set(err, ICE_ECORRUPT, "thrift: bad map types 0x%02x at byte %zu", b,
                           thrift_reader_offset(r) - 1);
    }
  }
  ICE_TRY(check_count(r, n, "map", err));
  ICE_TRY(enter_container(r, err));
  *key_type = kt == THRIFT_BOOL_FALSE ? THRIFT_BOOL_TRUE : kt;
  *value_type = vt == THRIFT_BOOL_FALSE ? THRIFT_BOOL_TRUE : vt;
  *count = (uint32_t)n;
  return ICE_OK;
}

static int skip_value(struct thrift_reader *r, uint8_t type, bool is_field,
                      struct ice_error *err);

static int skip_struct(struct thrift_reader *r, struct ice_error *err) {
  int16_t saved;
  ICE_TRY(thrift_read_struct_begin(r, &saved, err));
  for (;;) {
    uint8_t t;
    int16_t id;
    ICE_TRY(thrift_read_field_begin(r, &t, &id, err));
    if (t == THRIFT_STOP) break;
    ICE_TRY(skip_value(r, t, true, err));
  }
  thrift_read_struct_end(r, saved);
  return ICE_OK;
}

static int skip_bytes(struct thrift_reader *r, size_t n, const char *what,
                      struct ice_error *err) {
  if (thrift_reader_remaining(r) < n) return truncated(r, what, err);
  r->p += n;
  return ICE_OK;
}

static int skip_value(struct thrift_reader *r, uint8_t type, bool is_field,
                      struct ice_error *err) {
  switch (type) {
    case THRIFT_BOOL_TRUE:
    case THRIFT_BOOL_FALSE:
      /* Bool fields live in the header; bool elements take a byte. */
      return is_field ? ICE_OK : skip_bytes(r, 1, "bool", err);
    case THRIFT_I8:
      return skip_bytes(r, 1, "i8", err);
    case THRIFT_I16:
    case THRIFT_I32:
    case THRIFT_I64: {
      uint64_t u;
      return thrift_read_uvarint(r, &u, err);
    }
    case THRIFT_DOUBLE:
      return skip_bytes(r, 8, "double", err);
    case THRIFT_UUID:
      return skip_bytes(r, 16, "uuid", err);
    case THRIFT_BINARY: {
      const uint8_t *d;
      size_t n;
      return thrift_read_binary(r, &d, &n, err);
    }
    case THRIFT_LIST:
    case THRIFT_SET: {
      uint8_t et;
      uint32_t n;
      ICE_TRY(thrift_read_list_begin(r, &et, &n, err));
      for (uint32_t i = 0; i < n; i++) ICE_TRY(skip_value(r, et, false, err));
      thrift_read_container_end(r);
      return ICE_OK;
    }
    case THRIFT_MAP: {
      uint8_t kt, vt;
      uint32_t n;
      ICE_TRY(thrift_read_map_begin(r, &kt, &vt, &n, err));
      for (uint32_t i = 0; i < n; i++) {
        ICE_TRY(skip_value(r, kt, false, err));
        ICE_TRY(skip_value(r, vt, false, err));
      }
      thrift_read_container_end(r);
      return ICE_OK;
    }
    case THRIFT_STRUCT:
      return skip_struct(r, err);
    default:
      return ice_error_set(err, ICE_ECORRUPT, "thrift: cannot skip type %u at byte %zu", type,
                           thrift_reader_offset(r));
  }
}

int thrift_skip(struct thrift_reader *r, uint8_t type, struct ice_error *err) {
  return skip_value(r, type, true, err);
}
