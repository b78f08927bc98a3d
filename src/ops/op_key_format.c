/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_key_format (op_key_format.h). The encoding is op_key_append's: per column a tag
 * (0 null, 1 bool byte, 2 int64, 3 double, 4 the type's fixed width, 5 u32 length and
 * bytes), values in native byte order. Which tag a column may hold follows from its
 * type, so each tag is checked against the type before its payload is read.
 */
#include "ops/op_key_format.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/civil_date.h"

enum { TAG_NULL, TAG_BOOL, TAG_INT, TAG_DOUBLE, TAG_FIXED, TAG_BYTES };

struct key_reader {
  const uint8_t *p;
  size_t left;
};

static int read_bytes(struct key_reader *r, void *dst, size_t n) {
  if (r->left < n) return 0;
  memcpy(dst, r->p, n);
  r->p += n;
  r->left -= n;
  return 1;
}

/* The tag op_key_append writes for a non-null value of type t; -1 if it never does. */
static int tag_of(const struct arrow_type *t) {
  switch (t->id) {
    case ARROW_TYPE_BOOL:
      return TAG_BOOL;
    case ARROW_TYPE_INT8:
    case ARROW_TYPE_INT16:
    case ARROW_TYPE_INT32:
    case ARROW_TYPE_INT64:
    case ARROW_TYPE_DATE32:
    case ARROW_TYPE_TIME32:
    case ARROW_TYPE_TIME64:
    case ARROW_TYPE_TIMESTAMP:
      return TAG_INT;
    case ARROW_TYPE_FLOAT:
    case ARROW_TYPE_DOUBLE:
      return TAG_DOUBLE;
    case ARROW_TYPE_DECIMAL128:
    case ARROW_TYPE_FIXED_BINARY:
      return t->byte_width > 0 ? TAG_FIXED : -1;
    case ARROW_TYPE_STRING:
    case ARROW_TYPE_BINARY:
      return TAG_BYTES;
    default:
      return -1;
  }
}

static int putf(struct ice_buf *out, struct ice_error *err, const char *fmt, ...)
    ICE_PRINTF(3, 4);
static int putf(struct ice_buf *out, struct ice_error *err, const char *fmt, ...) {
  char tmp[96];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof tmp)
    ICE_FAIL(err, ICE_EINTERNAL, "key format: a value did not fit its text buffer");
  return ice_buf_append(out, tmp, (size_t)n, err);
}

static int put_str(struct ice_buf *out, const char *s, struct ice_error *err) {
  return ice_buf_append(out, s, strlen(s), err);
}

static int put_hex(struct ice_buf *out, const uint8_t *p, size_t n,
                   struct ice_error *err) {
  static const char digits[] = "0123456789abcdef";
  ICE_TRY(put_str(out, "0x", err));
  size_t shown = n < OP_KEY_FORMAT_MAX_BINARY ? n : OP_KEY_FORMAT_MAX_BINARY;
  for (size_t i = 0; i < shown; i++) {
    const char pair[2] = {digits[p[i] >> 4], digits[p[i] & 15]};
    ICE_TRY(ice_buf_append(out, pair, 2, err));
  }
  return shown < n ? put_str(out, "...", err) : ICE_OK;
}

/* Length of the well-formed UTF-8 character at p[0..n) (no overlongs, surrogates or
 * code points past U+10FFFF), 0 if there is none; *cp gets the code point. */
static size_t utf8_char(const uint8_t *p, size_t n, uint32_t *cp) {
  const uint8_t c = p[0];
  size_t len;
  uint32_t v, min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xc2 && c <= 0xdf) {
    len = 2, v = c & 0x1fu, min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3, v = c & 0x0fu, min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4, v = c & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    v = (v << 6) | (p[i] & 0x3fu);
  }
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return 0;
  *cp = v;
  return len;
}

static int put_quoted(struct ice_buf *out, const uint8_t *p, size_t n,
                      struct ice_error *err) {
  ICE_TRY(ice_buf_append_byte(out, '\'', err));
  size_t i = 0;
  while (i < n && i < OP_KEY_FORMAT_MAX_STRING) {
    uint32_t cp = 0;
    const size_t len = utf8_char(p + i, n - i, &cp);
    const char *esc = cp == '\''   ? "\\'"
                      : cp == '\\' ? "\\\\"
                      : cp == '\n' ? "\\n"
                      : cp == '\r' ? "\\r"
                      : cp == '\t' ? "\\t"
                                   : NULL;
    if (len > 0 && esc != NULL) {
      ICE_TRY(put_str(out, esc, err));
    } else if (len == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      /* not UTF-8, or a control character (C0, DEL, C1): its bytes as \xHH */
      const size_t nb = len ? len : 1;
      for (size_t k = 0; k < nb; k++) ICE_TRY(putf(out, err, "\\x%02x", p[i + k]));
    } else {
      ICE_TRY(ice_buf_append(out, p + i, len, err));
    }
    i += len ? len : 1;
  }
  ICE_TRY(ice_buf_append_byte(out, '\'', err));
  return i < n ? put_str(out, "...", err) : ICE_OK;
}

/* A 16-byte little-endian two's-complement unscaled value with `scale` fraction
 * digits. Digits come from long division of four 32-bit limbs by 10. */
static int put_decimal128(struct ice_buf *out, const uint8_t *le, int32_t scale,
                          struct ice_error *err) {
  uint32_t limb[4];
  for (int k = 0; k < 4; k++)
    limb[k] = (uint32_t)le[4 * k] | (uint32_t)le[4 * k + 1] << 8 |
              (uint32_t)le[4 * k + 2] << 16 | (uint32_t)le[4 * k + 3] << 24;
  const int negative = (limb[3] >> 31) != 0;
  if (negative) { /* magnitude: invert and add one */
    uint64_t carry = 1;
    for (int k = 0; k < 4; k++) {
      const uint64_t v = (uint64_t)(uint32_t)~limb[k] + carry;
      limb[k] = (uint32_t)v;
      carry = v >> 32;
    }
  }
  char digits[40]; /* 2^127 has 39 digits */
  int nd = 0;
  do {
    uint64_t rem = 0;
    for (int k = 3; k >= 0; k--) {
      const uint64_t cur = (rem << 32) | limb[k];
      limb[k] = (uint32_t)(cur / 10);
      rem = cur % 10;
    }
    digits[nd++] = (char)('0' + rem);
  } while ((limb[0] | limb[1] | limb[2] | limb[3]) != 0);
  if (negative) ICE_TRY(ice_buf_append_byte(out, '-', err));
  /* Scales beyond any precision (Arrow allows them) in exponent form, not zeros. */
  if (scale < 0 || scale > 76) {
    for (int k = nd - 1; k >= 0; k--)
      ICE_TRY(ice_buf_append_byte(out, (uint8_t)digits[k], err));
    return putf(out, err, "E%" PRId64, -(int64_t)scale);
  }
  const int width = nd > scale ? nd : scale + 1; /* at least one digit before '.' */
  for (int k = width - 1; k >= 0; k--) {
    if (k == scale - 1) ICE_TRY(ice_buf_append_byte(out, '.', err));
    ICE_TRY(ice_buf_append_byte(out, k < nd ? (uint8_t)digits[k] : (uint8_t)'0', err));
  }
  return ICE_OK;
}

static const int64_t per_second[] = {1, 1000, 1000000, 1000000000};
static const int frac_digits[] = {0, 3, 6, 9};

static int put_date(struct ice_buf *out, int64_t days, struct ice_error *err) {
  int64_t y;
  int m, d;
  ice_civil_from_days(days, &y, &m, &d);
  if (y >= 0 && y <= 9999) return putf(out, err, "%04" PRId64 "-%02d-%02d", y, m, d);
  return putf(out, err, "%+05" PRId64 "-%02d-%02d", y, m, d); /* ISO-8601 expanded */
}

/* HH:MM:SS plus the unit's fraction digits for `secs` seconds into a day. */
static int put_clock(struct ice_buf *out, int64_t secs, int64_t frac,
                     enum arrow_time_unit unit, struct ice_error *err) {
  ICE_TRY(putf(out, err, "%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
               (int)(secs % 60)));
  if (frac_digits[unit] == 0) return ICE_OK;
  return putf(out, err, ".%0*" PRId64, frac_digits[unit], frac);
}

static int put_int(struct ice_buf *out, const struct arrow_type *t, int64_t v,
                   struct ice_error *err) {
  switch (t->id) {
    case ARROW_TYPE_DATE32:
      return put_date(out, v, err);
    case ARROW_TYPE_TIME32:
    case ARROW_TYPE_TIME64: {
      const int64_t ps = per_second[t->unit];
      if (v < 0 || v >= 86400 * ps) return putf(out, err, "%" PRId64, v);
      return put_clock(out, v / ps, v % ps, t->unit, err);
    }
    case ARROW_TYPE_TIMESTAMP: {
      /* Split with remainders first: v - floor(v / ps) * ps overflows near INT64_MIN. */
      const int64_t ps = per_second[t->unit];
      int64_t frac = v % ps, secs = v / ps;
      if (frac < 0) frac += ps, secs -= 1;
      int64_t sod = secs % 86400, days = secs / 86400;
      if (sod < 0) sod += 86400, days -= 1;
      ICE_TRY(put_date(out, days, err));
      ICE_TRY(ice_buf_append_byte(out, 'T', err));
      ICE_TRY(put_clock(out, sod, frac, t->unit, err));
      return t->timezone[0] != '\0' ? ice_buf_append_byte(out, 'Z', err) : ICE_OK;
    }
    default:
      return putf(out, err, "%" PRId64, v);
  }
}

/* One column's value (its tag already read and matched). */
static int put_value(struct ice_buf *out, const struct arrow_type *t, const char *name,
                     int tag, struct key_reader *r, struct ice_error *err) {
  switch (tag) {
    case TAG_BOOL: {
      uint8_t b;
      if (!read_bytes(r, &b, 1)) break;
      if (b > 1) ICE_FAIL(err, ICE_ECORRUPT, "key column '%s': boolean byte %u", name, b);
      return put_str(out, b ? "true" : "false", err);
    }
    case TAG_INT: {
      int64_t v;
      if (!read_bytes(r, &v, sizeof v)) break;
      return put_int(out, t, v, err);
    }
    case TAG_DOUBLE: {
      double v;
      if (!read_bytes(r, &v, sizeof v)) break;
      return t->id == ARROW_TYPE_FLOAT ? putf(out, err, "%.9g", v)
                                       : putf(out, err, "%.17g", v);
    }
    case TAG_FIXED: {
      const size_t w = (size_t)t->byte_width;
      if (r->left < w) break;
      const uint8_t *p = r->p;
      r->p += w;
      r->left -= w;
      return t->id == ARROW_TYPE_DECIMAL128 ? put_decimal128(out, p, t->scale, err)
                                            : put_hex(out, p, w, err);
    }
    default: { /* TAG_BYTES */
      uint32_t n;
      if (!read_bytes(r, &n, sizeof n) || r->left < n) break;
      const uint8_t *p = r->p;
      r->p += n;
      r->left -= n;
      return t->id == ARROW_TYPE_STRING ? put_quoted(out, p, n, err)
                                        : put_hex(out, p, n, err);
    }
  }
  ICE_FAIL(err, ICE_ECORRUPT, "key column '%s': the key ends inside its %s value", name,
           arrow_type_name(t->id));
}

static int format_all(const struct arrow_type *const *types, const char *const *names,
                      size_t n, struct key_reader *r, struct ice_buf *out,
                      struct ice_error *err) {
  for (size_t i = 0; i < n; i++) {
    const char *name = names[i] ? names[i] : "?";
    const int want = tag_of(types[i]);
    if (want < 0)
      ICE_FAIL(err, ICE_EUNSUPPORTED,
               "key column '%s': keys of type %s are not supported", name,
               arrow_type_name(types[i]->id));
    uint8_t tag;
    if (!read_bytes(r, &tag, 1))
      ICE_FAIL(err, ICE_ECORRUPT, "key column '%s': the key ends before it (%zu of %zu)",
               name, i, n);
    if (i > 0) ICE_TRY(put_str(out, ", ", err));
    ICE_TRY(put_str(out, name, err));
    ICE_TRY(ice_buf_append_byte(out, '=', err));
    if (tag == TAG_NULL) {
      ICE_TRY(put_str(out, "NULL", err));
      continue;
    }
    if (tag != want)
      ICE_FAIL(err, ICE_ECORRUPT, "key column '%s' (%s): tag %u where %d was expected",
               name, arrow_type_name(types[i]->id), tag, want);
    ICE_TRY(put_value(out, types[i], name, tag, r, err));
  }
  if (r->left > 0)
    ICE_FAIL(err, ICE_ECORRUPT, "key: %zu bytes left after its %zu columns", r->left, n);
  ICE_TRY(ice_buf_reserve(out, 1, err));
  out->data[out->len] = '\0';
  return ICE_OK;
}

int op_key_format(const struct arrow_type *const *types, const char *const *names,
                  size_t n, const uint8_t *key, size_t len, struct ice_buf *out,
                  struct ice_error *err) {
  const size_t len0 = out->len;
  struct key_reader r = {key, len};
  const int rc = format_all(types, names, n, &r, out, err);
  if (rc != ICE_OK) {
    out->len = len0;
    if (out->cap > len0) out->data[len0] = '\0';
  }
  return rc;
}
