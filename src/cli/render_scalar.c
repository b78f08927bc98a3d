/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The text form of every scalar type `icestream cat` prints. The forms are fixed because
 * tests/interop compares them with DuckDB's reading of the same files: floats as the
 * shortest round-trip text, decimals with exactly `scale` fraction digits, times with 6
 * (or 9 for nanoseconds) fraction digits, bytes as base64 (RFC 4648), dates in the
 * proleptic Gregorian calendar (days-to-civil arithmetic from the Gregorian 400-year
 * cycle).
 */
#include "render_scalar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_arrow_view.h"

void render_u64(struct cli_out *o, uint64_t v) {
  char tmp[24];
  size_t i = sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  cli_out_bytes(o, tmp + i, sizeof tmp - i);
}

void render_i64(struct cli_out *o, int64_t v) {
  if (v < 0) {
    cli_out_byte(o, '-');
    render_u64(o, (uint64_t)0 - (uint64_t)v); /* exact for INT64_MIN too */
    return;
  }
  render_u64(o, (uint64_t)v);
}

static bool render_special(struct cli_out *o, double v, bool quote) {
  const char *text;
  if (isnan(v))
    text = "NaN";
  else if (isinf(v))
    text = v > 0 ? "Infinity" : "-Infinity";
  else
    return false;
  if (quote) cli_out_byte(o, '"');
  cli_out_str(o, text);
  if (quote) cli_out_byte(o, '"');
  return true;
}

/* Does the text read back as v? (float: strtof, so no double rounding) */
static bool reads_back(const char *text, double v, bool single) {
  if (single) return strtof(text, NULL) == (float)v;
  return strtod(text, NULL) == v;
}

/* The shortest "%.{p}g" (1 <= p <= max) that reads back as v, i.e. the first p a linear
 * scan would find, with few conversions: up to `dig` digits (DBL_DIG 15, FLT_DIG 6)
 * decimals are spaced wider than the rounding interval of any normal value, so at most
 * one of them reads back and success is monotone in p there; binary search is exact. */
static int shortest_g(char *buf, size_t cap, double v, int dig, int max, bool single) {
  int n = snprintf(buf, cap, "%.*g", dig, v);
  if (!reads_back(buf, v, single)) {
    for (int p = dig + 1; p <= max; p++) {
      n = snprintf(buf, cap, "%.*g", p, v);
      if (reads_back(buf, v, single)) break;
    }
    return n;
  }
  int lo = 1, hi = dig; /* hi reads back */
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    snprintf(buf, cap, "%.*g", mid, v);
    if (reads_back(buf, v, single))
      hi = mid;
    else
      lo = mid + 1;
  }
  return snprintf(buf, cap, "%.*g", hi, v);
}

void render_f64(struct cli_out *o, double v, bool quote_special) {
  if (render_special(o, v, quote_special)) return;
  char buf[40];
  int n = shortest_g(buf, sizeof buf, v, 15, 17, false);
  cli_out_bytes(o, buf, (size_t)n);
}

void render_f32(struct cli_out *o, float v, bool quote_special) {
  if (render_special(o, (double)v, quote_special)) return;
  char buf[40];
  int n = shortest_g(buf, sizeof buf, (double)v, 6, 9, true);
  cli_out_bytes(o, buf, (size_t)n);
}

void render_f16(struct cli_out *o, uint16_t bits, bool quote_special) {
  int sign = bits >> 15;
  int exp = (bits >> 10) & 0x1f;
  int frac = bits & 0x3ff;
  float v;
  if (exp == 0)
    v = ldexpf((float)frac, -24); /* subnormal */
  else if (exp == 31)
    v = frac ? NAN : INFINITY;
  else
    v = ldexpf((float)(frac | 0x400), exp - 25);
  render_f32(o, sign ? -v : v, quote_special);
}

void render_decimal(struct cli_out *o, const uint8_t *le, int nbytes, int32_t scale) {
  /* Magnitude in 32-bit limbs, least significant first. */
  uint32_t limb[8] = {0};
  int nl = nbytes / 4;
  for (int i = 0; i < nl; i++) {
    limb[i] = (uint32_t)le[4 * i] | (uint32_t)le[4 * i + 1] << 8 |
              (uint32_t)le[4 * i + 2] << 16 | (uint32_t)le[4 * i + 3] << 24;
  }
  bool neg = (le[nbytes - 1] & 0x80) != 0;
  if (neg) { /* two's complement negate */
    uint64_t carry = 1;
    for (int i = 0; i < nl; i++) {
      uint64_t x = (uint64_t)(uint32_t)~limb[i] + carry;
      limb[i] = (uint32_t)x;
      carry = x >> 32;
    }
  }
  /* Repeated division by 10^9 gives base-10^9 chunks, least significant first
   * (a 256-bit magnitude has at most 78 digits: 9 chunks). */
  uint32_t chunk[10];
  int nc = 0;
  int top = nl;
  while (top > 0 && limb[top - 1] == 0) top--;
  while (top > 0 && nc < 10) {
    uint64_t rem = 0;
    for (int i = top - 1; i >= 0; i--) {
      uint64_t cur = rem << 32 | limb[i];
      limb[i] = (uint32_t)(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    chunk[nc++] = (uint32_t)rem;
    while (top > 0 && limb[top - 1] == 0) top--;
  }
  char digits[100]; /* most significant first */
  size_t nd = 0;
  if (nc == 0) digits[nd++] = '0';
  for (int c = nc - 1; c >= 0; c--) {
    char tmp[9];
    uint32_t v = chunk[c];
    for (int k = 8; k >= 0; k--) {
      tmp[k] = (char)('0' + v % 10);
      v /= 10;
    }
    int start = 0;
    if (c == nc - 1) {
      while (start < 8 && tmp[start] == '0') start++;
    }
    memcpy(digits + nd, tmp + start, (size_t)(9 - start));
    nd += (size_t)(9 - start);
  }
  bool is_zero = nc == 0;
  if (neg && !is_zero) cli_out_byte(o, '-');
  if (scale <= 0) {
    cli_out_bytes(o, digits, nd);
    if (!is_zero) {
      for (int32_t i = 0; i < -scale; i++) cli_out_byte(o, '0');
    }
    return;
  }
  size_t sc = (size_t)scale;
  if (nd <= sc) {
    cli_out_str(o, "0.");
    for (size_t i = nd; i < sc; i++) cli_out_byte(o, '0');
    cli_out_bytes(o, digits, nd);
    return;
  }
  cli_out_bytes(o, digits, nd - sc);
  cli_out_byte(o, '.');
  cli_out_bytes(o, digits + nd - sc, sc);
}

/* Writes v as at least `width` digits (v >= 0). */
static void render_padded(struct cli_out *o, uint64_t v, int width) {
  char tmp[24];
  int i = (int)sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
    width--;
  } while (v != 0 || width > 0);
  cli_out_bytes(o, tmp + i, sizeof tmp - (size_t)i);
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

void render_date(struct cli_out *o, int64_t days) {
  /* Shift the epoch to 0000-03-01 so leap days fall at the end of each cycle year. */
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  if (y < 0) {
    cli_out_byte(o, '-');
    render_padded(o, (uint64_t)(-y), 4);
  } else {
    if (y > 9999) cli_out_byte(o, '+');
    render_padded(o, (uint64_t)y, 4);
  }
  cli_out_byte(o, '-');
  render_padded(o, (uint64_t)m, 2);
  cli_out_byte(o, '-');
  render_padded(o, (uint64_t)d, 2);
}

static const int64_t units_per_second[4] = {1, 1000, 1000000, 1000000000};

/* HH:MM:SS.ffffff of a non-negative count of units (hours may exceed 23 for times). */
static void render_clock(struct cli_out *o, uint64_t v, int unit) {
  uint64_t per = (uint64_t)units_per_second[unit];
  uint64_t secs = v / per, frac = v % per;
  render_padded(o, secs / 3600, 2);
  cli_out_byte(o, ':');
  render_padded(o, secs / 60 % 60, 2);
  cli_out_byte(o, ':');
  render_padded(o, secs % 60, 2);
  cli_out_byte(o, '.');
  if (unit == CLI_UNIT_NS) {
    render_padded(o, frac, 9);
  } else {
    render_padded(o, frac * (uint64_t)(1000000 / per), 6);
  }
}

void render_time(struct cli_out *o, int64_t v, int unit) {
  if (v < 0) {
    cli_out_byte(o, '-');
    render_clock(o, (uint64_t)0 - (uint64_t)v, unit);
    return;
  }
  render_clock(o, (uint64_t)v, unit);
}

static void render_days_and_clock(struct cli_out *o, int64_t days, uint64_t in_day,
                                  int unit, bool utc) {
  render_date(o, days);
  cli_out_byte(o, 'T');
  render_clock(o, in_day, unit);
  if (utc) cli_out_byte(o, 'Z');
}

void render_timestamp(struct cli_out *o, int64_t v, int unit, bool utc) {
  int64_t per_day = units_per_second[unit] * 86400;
  int64_t days = floor_div(v, per_day);
  /* v - days*per_day cannot overflow: it is the non-negative remainder. */
  int64_t rem = v % per_day;
  if (rem < 0) rem += per_day;
  render_days_and_clock(o, days, (uint64_t)rem, unit, utc);
}

void render_int96(struct cli_out *o, const uint8_t *b) {
  uint64_t nanos_bits = 0;
  for (int i = 7; i >= 0; i--) nanos_bits = nanos_bits << 8 | b[i];
  uint32_t julian_bits = (uint32_t)b[8] | (uint32_t)b[9] << 8 | (uint32_t)b[10] << 16 |
                         (uint32_t)b[11] << 24;
  /* Both halves are signed (parquet-mr and Spark write Java int/long). */
  int64_t julian = julian_bits > INT32_MAX ? (int64_t)julian_bits - 4294967296LL
                                           : (int64_t)julian_bits;
  int64_t nanos = (int64_t)nanos_bits;
  const int64_t us_per_day = 86400LL * 1000000LL;
  int64_t us = floor_div(nanos, 1000);
  /* The remainder directly: us * 1000 overflows for nanos near INT64_MIN (fuzz finding). */
  int64_t sub_us = nanos % 1000;
  if (sub_us < 0) sub_us += 1000; /* 0..999, matching floor_div */
  /* Spark computes the instant in int64 microseconds with wrapping arithmetic, both when
   * writing (years beyond ~290000 wrap) and when reading back; doing the same here gives
   * the timestamp Spark meant for every value it can hold (about +-290000 years) and the
   * exact one whenever no wrap happened. Julian day 2440588 is 1970-01-01. */
  uint64_t wrapped = (uint64_t)(julian - 2440588) * (uint64_t)us_per_day + (uint64_t)us;
  int64_t instant_us =
      wrapped > (uint64_t)INT64_MAX ? -(int64_t)(~wrapped) - 1 : (int64_t)wrapped;
  int64_t days = floor_div(instant_us, us_per_day);
  int64_t rem = instant_us % us_per_day;
  if (rem < 0) rem += us_per_day;
  render_days_and_clock(o, days, (uint64_t)rem * 1000u + (uint64_t)sub_us, CLI_UNIT_NS,
                        false);
}

static const char hex_digits[] = "0123456789abcdef";

void render_uuid(struct cli_out *o, const uint8_t *b) {
  char s[36];
  size_t k = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s[k++] = '-';
    s[k++] = hex_digits[b[i] >> 4];
    s[k++] = hex_digits[b[i] & 15];
  }
  cli_out_bytes(o, s, sizeof s);
}

void render_base64(struct cli_out *o, const uint8_t *p, size_t n) {
  static const char tbl[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char q[4];
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
    q[0] = tbl[v >> 18];
    q[1] = tbl[(v >> 12) & 63];
    q[2] = tbl[(v >> 6) & 63];
    q[3] = tbl[v & 63];
    cli_out_bytes(o, q, 4);
  }
  if (i < n) {
    uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
    q[0] = tbl[v >> 18];
    q[1] = tbl[(v >> 12) & 63];
    q[2] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
    q[3] = '=';
    cli_out_bytes(o, q, 4);
  }
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid; then *bad is the
 * length of its maximal invalid subpart, which one U+FFFD replaces. */
static size_t utf8_seq(const uint8_t *p, size_t n, size_t *bad) {
  uint8_t c = p[0];
  size_t need;
  uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F; /* no surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
  } else {
    *bad = 1;
    return 0;
  }
  size_t i = 1;
  for (; i <= need; i++) {
    if (i >= n) break;
    uint8_t x = p[i];
    uint8_t l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
    if (x < l || x > h) break;
  }
  if (i == need + 1) return need + 1;
  *bad = i;
  return 0;
}

void render_json_string(struct cli_out *o, const uint8_t *p, size_t n) {
  cli_out_byte(o, '"');
  size_t run = 0; /* start of the pending run of bytes that need no escaping */
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      i++;
      continue;
    }
    if (c >= 0x80) {
      size_t bad = 0;
      size_t len = utf8_seq(p + i, n - i, &bad);
      if (len != 0) {
        i += len;
        continue;
      }
      cli_out_bytes(o, p + run, i - run);
      cli_out_str(o, "\\ufffd");
      i += bad;
      run = i;
      continue;
    }
    cli_out_bytes(o, p + run, i - run);
    switch (c) {
      case '"':
        cli_out_str(o, "\\\"");
        break;
      case '\\':
        cli_out_str(o, "\\\\");
        break;
      case '\n':
        cli_out_str(o, "\\n");
        break;
      case '\r':
        cli_out_str(o, "\\r");
        break;
      case '\t':
        cli_out_str(o, "\\t");
        break;
      case '\b':
        cli_out_str(o, "\\b");
        break;
      case '\f':
        cli_out_str(o, "\\f");
        break;
      default: {
        char u[6] = {'\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 15]};
        cli_out_bytes(o, u, sizeof u);
      }
    }
    i++;
    run = i;
  }
  cli_out_bytes(o, p + run, n - run);
  cli_out_byte(o, '"');
}

void render_utf8_text(struct cli_out *o, const uint8_t *p, size_t n) {
  size_t run = 0, i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      i++;
      continue;
    }
    size_t bad = 0;
    size_t len = utf8_seq(p + i, n - i, &bad);
    if (len != 0) {
      i += len;
      continue;
    }
    cli_out_bytes(o, p + run, i - run);
    cli_out_str(o, "\xEF\xBF\xBD");
    i += bad;
    run = i;
  }
  cli_out_bytes(o, p + run, n - run);
}
