/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Truncated bounds for byte strings and UTF-8 strings (reference/parquet.md §9.4,
 * iceberg.md §4): a lower bound is a prefix; an upper bound is a prefix whose last
 * incrementable unit is incremented, with everything after it dropped (the Java rule).
 * Code points skip the surrogate range; U+10FFFF and byte 0xFF cannot be incremented.
 */
#include <string.h>

#include "parquet/pq_stats.h"

/* Length of the UTF-8 sequence starting with byte c (1 for stray bytes, so a
 * malformed string still makes progress; string columns are validated before). */
static size_t utf8_seq_len(uint8_t c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

/* Byte length of the first `limit` code points (or all of p). Sets *units. */
static size_t utf8_prefix(const uint8_t *p, size_t n, size_t limit, size_t *units) {
  size_t off = 0, k = 0;
  while (off < n && k < limit) {
    size_t l = utf8_seq_len(p[off]);
    if (l > n - off) l = n - off;
    off += l;
    k++;
  }
  *units = k;
  return off;
}

void pq_bound_truncate_lower(const uint8_t *p, size_t n, size_t limit, bool utf8,
                             size_t *out_len) {
  if (!utf8) {
    *out_len = n < limit ? n : limit;
    return;
  }
  size_t units;
  *out_len = utf8_prefix(p, n, limit, &units);
}

static uint32_t utf8_decode(const uint8_t *p, size_t l) {
  switch (l) {
    case 2:
      return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3Fu);
    case 3:
      return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
             (p[2] & 0x3Fu);
    case 4:
      return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
             ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3Fu);
    default:
      return p[0];
  }
}

static size_t utf8_encode(uint32_t cp, uint8_t *out) {
  if (cp < 0x80) {
    out[0] = (uint8_t)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (uint8_t)(0xC0 | (cp >> 6));
    out[1] = (uint8_t)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (uint8_t)(0xE0 | (cp >> 12));
    out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (uint8_t)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (uint8_t)(0xF0 | (cp >> 18));
  out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (uint8_t)(0x80 | (cp & 0x3F));
  return 4;
}

bool pq_bound_truncate_upper(const uint8_t *p, size_t n, size_t limit, bool utf8,
                             uint8_t *out, size_t *out_len) {
  if (!utf8) {
    if (n <= limit) {
      if (n) memcpy(out, p, n);
      *out_len = n;
      return true;
    }
    for (size_t i = limit; i-- > 0;) {
      if (p[i] != 0xFF) {
        if (i) memcpy(out, p, i);
        out[i] = (uint8_t)(p[i] + 1);
        *out_len = i + 1;
        return true;
      }
    }
    return false;
  }
  size_t units;
  size_t plen = utf8_prefix(p, n, limit, &units);
  if (plen == n) {
    if (n) memcpy(out, p, n);
    *out_len = n;
    return true;
  }
  /* Walk code point starts of the prefix backwards. */
  size_t end = plen;
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (p[start] & 0xC0) == 0x80 && end - start < 4) start--;
    size_t l = end - start;
    uint32_t cp = utf8_decode(p + start, l);
    if (cp < 0x10FFFF) {
      uint32_t next = cp + 1;
      if (next >= 0xD800 && next <= 0xDFFF) next = 0xE000;
      if (start) memcpy(out, p, start);
      *out_len = start + utf8_encode(next, out + start);
      return true;
    }
    end = start;
  }
  return false;
}
