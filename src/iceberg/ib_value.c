/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Single-value binary serialization (spec Appendix D "Binary single-value
 * serialization"): little-endian fixed widths for numbers and temporals, raw bytes for
 * string/binary/fixed, big-endian uuid, minimal big-endian two's complement decimals.
 */
#include "iceberg/ib_value.h"

#include <string.h>

static void put_le(uint8_t *p, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}

int ib_decimal_bytes_for_precision(int32_t precision) {
  /* Smallest n with 2^(8n-1) > 10^precision - 1 (§6.2 table). */
  static const int8_t k_bytes[39] = {0,  1,  1,  2,  2,  3,  3,  4,  4,  4,  5,  5,  6,
                                     6,  6,  7,  7,  8,  8,  9,  9,  9,  10, 10, 11, 11,
                                     11, 12, 12, 13, 13, 13, 14, 14, 15, 15, 16, 16, 16};
  if (precision < 1 || precision > 38) return 0;
  return k_bytes[precision];
}

size_t ib_decimal_minimal_len(const uint8_t *p, size_t n) {
  size_t i = 0;
  /* A leading 0x00 (0xFF) is redundant when the next byte keeps the sign bit 0 (1). */
  while (i + 1 < n && ((p[i] == 0x00 && (p[i + 1] & 0x80) == 0) ||
                       (p[i] == 0xFF && (p[i + 1] & 0x80) != 0))) {
    i++;
  }
  return n - i;
}

size_t ib_decimal_from_int64(int64_t unscaled, uint8_t out[8]) {
  uint8_t be[8];
  uint64_t u = (uint64_t)unscaled;
  for (size_t i = 0; i < 8; i++) be[7 - i] = (uint8_t)(u >> (8 * i));
  size_t len = ib_decimal_minimal_len(be, 8);
  memcpy(out, be + 8 - len, len);
  return len;
}

int ib_decimal_sign_extend(const uint8_t *p, size_t n, uint8_t *out, size_t width,
                           struct ice_error *err) {
  if (n == 0) ICE_FAIL(err, ICE_ECORRUPT, "empty decimal");
  size_t ml = ib_decimal_minimal_len(p, n);
  if (ml > width)
    ICE_FAIL(err, ICE_ELIMIT, "decimal needs %zu bytes, only %zu available", ml, width);
  uint8_t fill = (p[0] & 0x80) ? 0xFF : 0x00;
  memset(out, fill, width - ml);
  memcpy(out + width - ml, p + n - ml, ml);
  return ICE_OK;
}

int ib_value_serialize(const struct ib_value *v, struct ice_buf *out,
                       struct ice_error *err) {
  uint8_t tmp[8];
  switch (v->type) {
    case IB_TYPE_BOOLEAN:
      return ice_buf_append_byte(out, v->u.b ? 1 : 0, err);
    case IB_TYPE_INT:
    case IB_TYPE_DATE:
      put_le(tmp, (uint32_t)v->u.i32, 4);
      return ice_buf_append(out, tmp, 4, err);
    case IB_TYPE_LONG:
    case IB_TYPE_TIME:
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      put_le(tmp, (uint64_t)v->u.i64, 8);
      return ice_buf_append(out, tmp, 8, err);
    case IB_TYPE_FLOAT: {
      uint32_t bits;
      memcpy(&bits, &v->u.f32, 4);
      put_le(tmp, bits, 4);
      return ice_buf_append(out, tmp, 4, err);
    }
    case IB_TYPE_DOUBLE: {
      uint64_t bits;
      memcpy(&bits, &v->u.f64, 8);
      put_le(tmp, bits, 8);
      return ice_buf_append(out, tmp, 8, err);
    }
    case IB_TYPE_STRING:
    case IB_TYPE_BINARY:
    case IB_TYPE_FIXED:
      if (v->len == 0) return ICE_OK;
      return ice_buf_append(out, v->bytes, v->len, err);
    case IB_TYPE_UUID:
      if (v->len != 16) ICE_FAIL(err, ICE_EINVAL, "uuid value must be 16 bytes");
      return ice_buf_append(out, v->bytes, 16, err);
    case IB_TYPE_DECIMAL: {
      if (v->len == 0 || v->len > 32)
        ICE_FAIL(err, ICE_EINVAL, "decimal value of %zu bytes", v->len);
      size_t ml = ib_decimal_minimal_len(v->bytes, v->len);
      return ice_buf_append(out, v->bytes + v->len - ml, ml, err);
    }
    default:
      ICE_FAIL(err, ICE_EINVAL, "nested types have no single-value serialization");
  }
}

int ib_value_deserialize(const struct ib_type *t, const uint8_t *p, size_t n,
                         struct ib_value *out, struct ice_error *err) {
  struct ib_value v;
  memset(&v, 0, sizeof(v));
  v.type = t->id;
  switch (t->id) {
    case IB_TYPE_BOOLEAN:
      ICE_CHECK_DATA(n == 1, err, "boolean value of %zu bytes", n);
      v.u.b = p[0] != 0;
      break;
    case IB_TYPE_INT:
    case IB_TYPE_DATE:
      ICE_CHECK_DATA(n == 4, err, "int/date value of %zu bytes", n);
      v.u.i32 = (int32_t)(uint32_t)get_le(p, 4);
      break;
    case IB_TYPE_LONG:
    case IB_TYPE_TIME:
      ICE_CHECK_DATA(n == 8 || (t->id == IB_TYPE_LONG && n == 4), err,
                     "long/time value of %zu bytes", n);
      /* A 4-byte bound on a long column was written before promotion from int. */
      v.u.i64 = n == 4 ? (int64_t)(int32_t)(uint32_t)get_le(p, 4) : (int64_t)get_le(p, 8);
      break;
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      ICE_CHECK_DATA(n == 8 || n == 4, err, "timestamp value of %zu bytes", n);
      if (n == 4) {
        /* Promoted from date: days -> the column's unit. */
        int64_t days = (int32_t)(uint32_t)get_le(p, 4);
        int64_t per_day = (t->id == IB_TYPE_TIMESTAMP || t->id == IB_TYPE_TIMESTAMPTZ)
                              ? INT64_C(86400000000)
                              : INT64_C(86400000000000);
        ICE_CHECK_DATA(days <= INT64_MAX / per_day && days >= INT64_MIN / per_day, err,
                       "date bound out of timestamp range");
        v.u.i64 = days * per_day;
      } else {
        v.u.i64 = (int64_t)get_le(p, 8);
      }
      break;
    case IB_TYPE_FLOAT: {
      ICE_CHECK_DATA(n == 4, err, "float value of %zu bytes", n);
      uint32_t bits = (uint32_t)get_le(p, 4);
      memcpy(&v.u.f32, &bits, 4);
      break;
    }
    case IB_TYPE_DOUBLE:
      ICE_CHECK_DATA(n == 8 || n == 4, err, "double value of %zu bytes", n);
      if (n == 4) {
        uint32_t bits = (uint32_t)get_le(p, 4);
        float f;
        memcpy(&f, &bits, 4);
        v.u.f64 = (double)f;
      } else {
        uint64_t bits = get_le(p, 8);
        memcpy(&v.u.f64, &bits, 8);
      }
      break;
    case IB_TYPE_STRING:
    case IB_TYPE_BINARY:
      v.bytes = p;
      v.len = n;
      break;
    case IB_TYPE_FIXED:
      ICE_CHECK_DATA(n == (size_t)t->length, err, "fixed[%d] value of %zu bytes",
                     (int)t->length, n);
      v.bytes = p;
      v.len = n;
      break;
    case IB_TYPE_UUID:
      ICE_CHECK_DATA(n == 16, err, "uuid value of %zu bytes", n);
      v.bytes = p;
      v.len = n;
      break;
    case IB_TYPE_DECIMAL:
      ICE_CHECK_DATA(n >= 1 && n <= 16, err, "decimal value of %zu bytes", n);
      v.bytes = p;
      v.len = n;
      break;
    default:
      ICE_FAIL(err, ICE_EINVAL, "nested types have no single-value serialization");
  }
  *out = v;
  return ICE_OK;
}
