/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hive-style partition paths as Java's PartitionSpec.partitionToPath writes them (and
 * so Spark): per field URLEncoder.encode(name) + "=" +
 * URLEncoder.encode(transform.toHumanString(value)). The human forms follow Java's
 * TransformUtil and java.time's toString (LocalTime drops zero seconds, fractions come
 * in groups of 3 digits), so a file we write lands in the folder Spark would pick.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iceberg/ib_partition_row.h"
#include "util/civil_date.h"

/* Longest human form: a 38-digit decimal with sign, point and exponent, or a base64
 * of fixed values is longer; those are written straight to the buffer. */
#define HUMAN_MAX 96

static int escape_into(struct ice_buf *out, const char *s, size_t n,
                       struct ice_error *err) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '*' || c == '_';
    if (plain) {
      ICE_TRY(ice_buf_append_byte(out, c, err));
    } else if (c == ' ') {
      ICE_TRY(ice_buf_append_byte(out, '+', err));
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      ICE_TRY(ice_buf_append(out, e, 3, err));
    }
  }
  return ICE_OK;
}

static int escape_str(struct ice_buf *out, const char *s, struct ice_error *err) {
  return escape_into(out, s, strlen(s), err);
}

/* java.time.LocalDate.toString (inside timestamps): 4-digit years zero-padded, '+'
 * above 9999. */
static size_t iso_date(int64_t days, char *buf, size_t cap) {
  int64_t y;
  int m, d;
  ice_civil_from_days(days, &y, &m, &d);
  if (y > 9999) return (size_t)snprintf(buf, cap, "+%" PRId64 "-%02d-%02d", y, m, d);
  if (y < 0) return (size_t)snprintf(buf, cap, "-%04" PRId64 "-%02d-%02d", -y, m, d);
  return (size_t)snprintf(buf, cap, "%04" PRId64 "-%02d-%02d", y, m, d);
}

/* TransformUtil.humanDay (day transform and identity of dates): %04d-%02d-%02d, so no
 * '+' above 9999 and 3 digits after a '-' below year 0, unlike LocalDate. */
static size_t human_day(int64_t days, char *buf, size_t cap) {
  int64_t y;
  int m, d;
  ice_civil_from_days(days, &y, &m, &d);
  return (size_t)snprintf(buf, cap, "%04" PRId64 "-%02d-%02d", y, m, d);
}

/* java.time.LocalTime.toString of v units (per_second per second) since midnight:
 * HH:mm, then :ss unless seconds and fraction are zero, then .SSS / .SSSSSS /
 * .SSSSSSSSS as needed. Out-of-range values (corrupt files) print, never overflow. */
static size_t iso_time(int64_t v, int64_t per_second, char *buf, size_t cap) {
  int64_t secs = v / per_second, frac = v % per_second * (1000000000 / per_second);
  int h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), s = (int)(secs % 60);
  size_t n = (size_t)snprintf(buf, cap, "%02d:%02d", h, mi);
  if (s == 0 && frac == 0) return n;
  n += (size_t)snprintf(buf + n, cap - n, ":%02d", s);
  if (frac == 0) return n;
  if (frac % 1000000 == 0)
    return n + (size_t)snprintf(buf + n, cap - n, ".%03d", (int)(frac / 1000000));
  if (frac % 1000 == 0)
    return n + (size_t)snprintf(buf + n, cap - n, ".%06d", (int)(frac / 1000));
  return n + (size_t)snprintf(buf + n, cap - n, ".%09d", (int)frac);
}

/* LocalDateTime.toString (+ "Z" for OffsetDateTime at UTC) of units since the epoch. */
static size_t iso_timestamp(int64_t v, int64_t per_second, bool utc, char *buf,
                            size_t cap) {
  int64_t per_day = per_second * 86400;
  int64_t days = ice_floor_div(v, per_day);
  int64_t in_day =
      v % per_day; /* not v - days * per_day: that overflows near INT64_MIN */
  if (in_day < 0) in_day += per_day;
  size_t n = iso_date(days, buf, cap);
  n += (size_t)snprintf(buf + n, cap - n, "T");
  n += iso_time(in_day, per_second, buf + n, cap - n);
  if (utc) n += (size_t)snprintf(buf + n, cap - n, "Z");
  return n;
}

/* Java's Float/Double.toString: the shortest digits that read back as the value;
 * plain for 1e-3 <= |v| < 1e7 (at least one digit after the point), else d.dddE[-]n. */
static size_t java_float(double v, bool is_float, char *buf, size_t cap) {
  if (isnan(v)) return (size_t)snprintf(buf, cap, "NaN");
  if (isinf(v)) return (size_t)snprintf(buf, cap, v < 0 ? "-Infinity" : "Infinity");
  if (v == 0) return (size_t)snprintf(buf, cap, signbit(v) ? "-0.0" : "0.0");
  char e[40];
  for (int p = 1; p <= 17; p++) {
    snprintf(e, sizeof e, "%.*e", p - 1, v);
    if (is_float ? strtof(e, NULL) == (float)v : strtod(e, NULL) == v) break;
  }
  /* e = [-]d[.ddd]e[+-]xx */
  const char *s = e;
  bool neg = *s == '-';
  if (neg) s++;
  char digits[24];
  size_t nd = 0;
  for (; *s != 'e'; s++)
    if (*s != '.') digits[nd++] = *s;
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  int exp10 = (int)strtol(s + 1, NULL, 10);
  size_t n = (size_t)snprintf(buf, cap, "%s", neg ? "-" : "");
  if (exp10 >= -3 && exp10 < 7) {
    if (exp10 < 0) {
      n += (size_t)snprintf(buf + n, cap - n, "0.");
      for (int z = -1; z > exp10; z--) n += (size_t)snprintf(buf + n, cap - n, "0");
      n += (size_t)snprintf(buf + n, cap - n, "%.*s", (int)nd, digits);
    } else {
      size_t ip = (size_t)exp10 + 1;
      for (size_t k = 0; k < ip; k++)
        n += (size_t)snprintf(buf + n, cap - n, "%c", k < nd ? digits[k] : '0');
      n += (size_t)snprintf(buf + n, cap - n, ".");
      if (nd > ip)
        n += (size_t)snprintf(buf + n, cap - n, "%.*s", (int)(nd - ip), digits + ip);
      else
        n += (size_t)snprintf(buf + n, cap - n, "0");
    }
    return n;
  }
  n += (size_t)snprintf(buf + n, cap - n, "%c.", digits[0]);
  n += (size_t)snprintf(buf + n, cap - n, "%.*s", nd > 1 ? (int)(nd - 1) : 1,
                        nd > 1 ? digits + 1 : "0");
  return n + (size_t)snprintf(buf + n, cap - n, "E%d", exp10);
}

/* BigDecimal.toString of a big-endian two's-complement unscaled value and a scale:
 * plain when the adjusted exponent is >= -6, else d.dddE-n. */
static size_t java_decimal(const uint8_t *p, size_t len, int32_t scale, char *buf,
                           size_t cap) {
  __extension__ unsigned __int128 mag = 0;
  bool neg = len > 0 && (p[0] & 0x80);
  for (size_t i = 0; i < len; i++) mag = (mag << 8) | (uint8_t)(neg ? ~p[i] : p[i]);
  if (neg) mag += 1;
  char rev[48];
  size_t nd = 0;
  do {
    rev[nd++] = (char)('0' + (int)(mag % 10));
    mag /= 10;
  } while (mag != 0 && nd < sizeof rev);
  char digits[48];
  for (size_t i = 0; i < nd; i++) digits[i] = rev[nd - 1 - i];
  int64_t adjusted = (int64_t)nd - 1 - scale;
  size_t n = (size_t)snprintf(buf, cap, "%s", neg ? "-" : "");
  if (scale == 0) return n + (size_t)snprintf(buf + n, cap - n, "%.*s", (int)nd, digits);
  if (adjusted >= -6) {
    if ((int64_t)nd > scale) {
      size_t ip = nd - (size_t)scale;
      return n + (size_t)snprintf(buf + n, cap - n, "%.*s.%.*s", (int)ip, digits,
                                  (int)(nd - ip), digits + ip);
    }
    n += (size_t)snprintf(buf + n, cap - n, "0.");
    for (int64_t z = 0; z < scale - (int64_t)nd; z++)
      n += (size_t)snprintf(buf + n, cap - n, "0");
    return n + (size_t)snprintf(buf + n, cap - n, "%.*s", (int)nd, digits);
  }
  n += (size_t)snprintf(buf + n, cap - n, "%c", digits[0]);
  if (nd > 1) n += (size_t)snprintf(buf + n, cap - n, ".%.*s", (int)(nd - 1), digits + 1);
  return n + (size_t)snprintf(buf + n, cap - n, "E%" PRId64, adjusted);
}

static int base64_into(struct ice_buf *out, const uint8_t *p, size_t n,
                       struct ice_error *err) {
  static const char a[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16;
    if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
    if (i + 2 < n) v |= p[i + 2];
    char q[4] = {a[v >> 18], a[(v >> 12) & 63], i + 1 < n ? a[(v >> 6) & 63] : '=',
                 i + 2 < n ? a[v & 63] : '='};
    ICE_TRY(escape_into(out, q, 4, err));
  }
  return ICE_OK;
}

/* The escaped human form of a non-null value of field s. */
static int human_into(const struct ib_partition_source *s, const struct ib_value *v,
                      struct ice_buf *out, struct ice_error *err) {
  char buf[HUMAN_MAX];
  size_t n = 0;
  if (v->type != s->result.id)
    ICE_FAIL(err, ICE_EINVAL, "partition field '%.200s': value of another type", s->name);
  switch (s->transform.kind) {
    case IB_TRANSFORM_YEAR:
      n = (size_t)snprintf(buf, sizeof buf, "%04" PRId64, (int64_t)1970 + v->u.i32);
      return escape_into(out, buf, n, err);
    case IB_TRANSFORM_MONTH:
      n = (size_t)snprintf(buf, sizeof buf, "%04" PRId64 "-%02d",
                           (int64_t)1970 + ice_floor_div(v->u.i32, 12),
                           (int)(v->u.i32 - 12 * ice_floor_div(v->u.i32, 12)) + 1);
      return escape_into(out, buf, n, err);
    case IB_TRANSFORM_HOUR: {
      int64_t days = ice_floor_div(v->u.i32, 24);
      int64_t y;
      int m, d;
      ice_civil_from_days(days, &y, &m, &d);
      n = (size_t)snprintf(buf, sizeof buf, "%04" PRId64 "-%02d-%02d-%02d", y, m, d,
                           (int)(v->u.i32 - days * 24));
      return escape_into(out, buf, n, err);
    }
    case IB_TRANSFORM_DAY:
      n = human_day(v->u.i32, buf, sizeof buf);
      return escape_into(out, buf, n, err);
    case IB_TRANSFORM_BUCKET:
      n = (size_t)snprintf(buf, sizeof buf, "%" PRId32, v->u.i32);
      return escape_into(out, buf, n, err);
    default:
      break; /* identity, truncate: by the value's type */
  }
  switch (v->type) {
    case IB_TYPE_BOOLEAN:
      return escape_str(out, v->u.b ? "true" : "false", err);
    case IB_TYPE_INT:
      n = (size_t)snprintf(buf, sizeof buf, "%" PRId32, v->u.i32);
      break;
    case IB_TYPE_LONG:
      n = (size_t)snprintf(buf, sizeof buf, "%" PRId64, v->u.i64);
      break;
    case IB_TYPE_FLOAT:
      n = java_float(v->u.f32, true, buf, sizeof buf);
      break;
    case IB_TYPE_DOUBLE:
      n = java_float(v->u.f64, false, buf, sizeof buf);
      break;
    case IB_TYPE_DECIMAL:
      if (v->len == 0 || v->len > 16)
        ICE_FAIL(err, ICE_EINVAL, "partition field '%.200s': decimal of %zu bytes",
                 s->name, v->len);
      n = java_decimal(v->bytes, v->len, s->result.scale, buf, sizeof buf);
      break;
    case IB_TYPE_DATE:
      n = human_day(v->u.i32, buf, sizeof buf);
      break;
    case IB_TYPE_TIME:
      n = iso_time(v->u.i64, 1000000, buf, sizeof buf);
      break;
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
      n = iso_timestamp(v->u.i64, 1000000, v->type == IB_TYPE_TIMESTAMPTZ, buf,
                        sizeof buf);
      break;
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      n = iso_timestamp(v->u.i64, 1000000000, v->type == IB_TYPE_TIMESTAMPTZ_NS, buf,
                        sizeof buf);
      break;
    case IB_TYPE_STRING:
      return escape_into(out, (const char *)v->bytes, v->len, err);
    case IB_TYPE_UUID: {
      if (v->len != 16)
        ICE_FAIL(err, ICE_EINVAL, "partition field '%.200s': uuid of %zu bytes", s->name,
                 v->len);
      const uint8_t *b = v->bytes;
      for (int i = 0; i < 16; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%02x",
                              (i == 4 || i == 6 || i == 8 || i == 10) ? "-" : "", b[i]);
      break;
    }
    case IB_TYPE_BINARY:
    case IB_TYPE_FIXED:
      return base64_into(out, v->bytes, v->len, err);
    default:
      ICE_FAIL(err, ICE_EINVAL, "partition field '%.200s': unsupported type", s->name);
  }
  return escape_into(out, buf, n < sizeof buf ? n : sizeof buf - 1, err);
}

int ib_partition_path(const struct ib_partition_binding *b,
                      const struct ib_partition_value *values, size_t n,
                      struct ice_buf *out, struct ice_error *err) {
  if (n != b->n)
    ICE_FAIL(err, ICE_EINVAL, "partition tuple of %zu values for a spec of %zu fields", n,
             b->n);
  for (size_t i = 0; i < n; i++) {
    if (i > 0) ICE_TRY(ice_buf_append_byte(out, '/', err));
    ICE_TRY(escape_str(out, b->fields[i].name, err));
    ICE_TRY(ice_buf_append_byte(out, '=', err));
    if (values[i].is_null)
      ICE_TRY(escape_str(out, "null", err));
    else
      ICE_TRY(human_into(&b->fields[i], &values[i].value, out, err));
  }
  return ICE_OK;
}
