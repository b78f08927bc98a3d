/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Statistics accumulation per sort order (see pq_stats.h). Numeric updates work on
 * whole runs of values so the hot loop stays branch-light; byte strings keep a copy of
 * the current min and max.
 */
#include "parquet/pq_stats.h"

#include "parquet/pq_encoding.h"

#include <math.h>
#include <string.h>

#include "util/limits.h"

void pq_stats_init(struct pq_stats *s, enum pq_sort_order order) {
  memset(s, 0, sizeof *s);
  s->order = order;
  ice_buf_init(&s->min_bytes, ICE_LIMIT_PAGE_BYTES);
  ice_buf_init(&s->max_bytes, ICE_LIMIT_PAGE_BYTES);
}

void pq_stats_reset(struct pq_stats *s) {
  ice_buf_reset(&s->min_bytes);
  ice_buf_reset(&s->max_bytes);
  s->has_minmax = false;
  s->null_count = 0;
  s->nan_count = 0;
}

void pq_stats_clear(struct pq_stats *s) {
  s->has_minmax = false;
  s->null_count = 0;
  s->nan_count = 0;
  ice_buf_clear(&s->min_bytes);
  ice_buf_clear(&s->max_bytes);
}

bool pq_sort_order_is_signed(enum pq_sort_order order) {
  return order == PQ_SORT_I32 || order == PQ_SORT_I64 || order == PQ_SORT_FLOAT ||
         order == PQ_SORT_DOUBLE || order == PQ_SORT_BOOL;
}

void pq_stats_update_i32(struct pq_stats *s, const int32_t *v, size_t n) {
  if (n == 0) return;
  if (s->order == PQ_SORT_U32) {
    uint32_t lo = (uint32_t)v[0], hi = (uint32_t)v[0];
    for (size_t i = 1; i < n; i++) {
      uint32_t x = (uint32_t)v[i];
      lo = x < lo ? x : lo;
      hi = x > hi ? x : hi;
    }
    if (!s->has_minmax || lo < s->min.u) s->min.u = lo;
    if (!s->has_minmax || hi > s->max.u) s->max.u = hi;
  } else if (s->order == PQ_SORT_I32) {
    int32_t lo = v[0], hi = v[0];
    for (size_t i = 1; i < n; i++) {
      lo = v[i] < lo ? v[i] : lo;
      hi = v[i] > hi ? v[i] : hi;
    }
    if (!s->has_minmax || lo < s->min.i) s->min.i = lo;
    if (!s->has_minmax || hi > s->max.i) s->max.i = hi;
  } else {
    return;
  }
  s->has_minmax = true;
}

void pq_stats_update_i64(struct pq_stats *s, const int64_t *v, size_t n) {
  if (n == 0) return;
  if (s->order == PQ_SORT_U64) {
    uint64_t lo = (uint64_t)v[0], hi = (uint64_t)v[0];
    for (size_t i = 1; i < n; i++) {
      uint64_t x = (uint64_t)v[i];
      lo = x < lo ? x : lo;
      hi = x > hi ? x : hi;
    }
    if (!s->has_minmax || lo < s->min.u) s->min.u = lo;
    if (!s->has_minmax || hi > s->max.u) s->max.u = hi;
  } else if (s->order == PQ_SORT_I64) {
    int64_t lo = v[0], hi = v[0];
    for (size_t i = 1; i < n; i++) {
      lo = v[i] < lo ? v[i] : lo;
      hi = v[i] > hi ? v[i] : hi;
    }
    if (!s->has_minmax || lo < s->min.i) s->min.i = lo;
    if (!s->has_minmax || hi > s->max.i) s->max.i = hi;
  } else {
    return;
  }
  s->has_minmax = true;
}

/* NaN never becomes a bound; it is counted instead. -0.0 and +0.0 compare equal here
 * and are normalised when the bound is read. */
static void update_fp(struct pq_stats *s, double x) {
  if (isnan(x)) {
    s->nan_count++;
    return;
  }
  if (!s->has_minmax) {
    s->min.d = x;
    s->max.d = x;
    s->has_minmax = true;
    return;
  }
  if (x < s->min.d) s->min.d = x;
  if (x > s->max.d) s->max.d = x;
}

void pq_stats_update_float(struct pq_stats *s, const float *v, size_t n) {
  for (size_t i = 0; i < n; i++) update_fp(s, (double)v[i]);
}

void pq_stats_update_double(struct pq_stats *s, const double *v, size_t n) {
  for (size_t i = 0; i < n; i++) update_fp(s, v[i]);
}

void pq_stats_update_bool(struct pq_stats *s, bool v) {
  int64_t x = v ? 1 : 0;
  if (!s->has_minmax) {
    s->min.i = x;
    s->max.i = x;
    s->has_minmax = true;
    return;
  }
  if (x < s->min.i) s->min.i = x;
  if (x > s->max.i) s->max.i = x;
}

static int cmp_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  size_t m = an < bn ? an : bn;
  int c = m ? memcmp(a, b, m) : 0;
  if (c != 0) return c;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/* Same-width big-endian two's complement: the sign bit decides first. */
static int cmp_decimal_be(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  if (an == 0 || bn == 0 || an != bn) return cmp_bytes(a, an, b, bn);
  uint8_t a0 = (uint8_t)(a[0] ^ 0x80), b0 = (uint8_t)(b[0] ^ 0x80);
  if (a0 != b0) return a0 < b0 ? -1 : 1;
  return memcmp(a + 1, b + 1, an - 1);
}

static int cmp_for(enum pq_sort_order o, const uint8_t *a, size_t an, const uint8_t *b,
                   size_t bn) {
  return o == PQ_SORT_DECIMAL_BE ? cmp_decimal_be(a, an, b, bn) : cmp_bytes(a, an, b, bn);
}

static int set_buf(struct ice_buf *b, const uint8_t *p, size_t n, struct ice_error *err) {
  ice_buf_clear(b);
  return ice_buf_append(b, p, n, err);
}

int pq_stats_update_bytes(struct pq_stats *s, const uint8_t *p, size_t n,
                          struct ice_error *err) {
  if (s->order != PQ_SORT_BYTES && s->order != PQ_SORT_DECIMAL_BE) return ICE_OK;
  if (!s->has_minmax) {
    ICE_TRY(set_buf(&s->min_bytes, p, n, err));
    ICE_TRY(set_buf(&s->max_bytes, p, n, err));
    s->has_minmax = true;
    return ICE_OK;
  }
  if (cmp_for(s->order, p, n, s->min_bytes.data, s->min_bytes.len) < 0) {
    ICE_TRY(set_buf(&s->min_bytes, p, n, err));
  } else if (cmp_for(s->order, p, n, s->max_bytes.data, s->max_bytes.len) > 0) {
    ICE_TRY(set_buf(&s->max_bytes, p, n, err));
  }
  return ICE_OK;
}

/* First up to 8 bytes as a big-endian number, zero padded. A strictly smaller (larger)
 * prefix means a strictly smaller (larger) string in unsigned lexicographic order with
 * shorter-first, so most comparisons finish without memcmp. */
static inline uint64_t prefix8(const uint8_t *p, size_t n) {
  uint64_t x = 0;
  if (n >= 8) {
    for (size_t i = 0; i < 8; i++) x = x << 8 | p[i];
    return x;
  }
  if (n == 0) return 0;
  for (size_t i = 0; i < n; i++) x = x << 8 | p[i];
  return x << (8 * (8 - n));
}

/* Signed comparison of p against a bound, deciding by the prefixes when they differ. */
static inline int cmp_bytes_pre(const uint8_t *p, size_t n, uint64_t pp,
                                const uint8_t *b, size_t bn, uint64_t bp) {
  if (pp != bp) return pp < bp ? -1 : 1;
  return cmp_bytes(p, n, b, bn);
}

/* Batch min/max over byte strings: candidates stay pointers into the input and are
 * copied once at the end; BYTES order compares cached 8-byte prefixes first. */
static int update_bytes_batch(struct pq_stats *s, const struct pq_enc_bytes *v,
                              const uint8_t *fixed, size_t width, size_t n,
                              struct ice_error *err) {
  if (n == 0 || (s->order != PQ_SORT_BYTES && s->order != PQ_SORT_DECIMAL_BE)) {
    return ICE_OK;
  }
  const uint8_t *minp, *maxp;
  size_t minn, maxn, k = 0;
  if (s->has_minmax) {
    minp = s->min_bytes.data;
    minn = s->min_bytes.len;
    maxp = s->max_bytes.data;
    maxn = s->max_bytes.len;
  } else {
    minp = maxp = v != NULL ? v[0].ptr : fixed;
    minn = maxn = v != NULL ? v[0].len : width;
    k = 1;
  }
  const uint8_t *min0 = minp, *max0 = maxp;
  if (s->order == PQ_SORT_BYTES) {
    uint64_t minpre = prefix8(minp, minn), maxpre = prefix8(maxp, maxn);
    for (; k < n; k++) {
      const uint8_t *p = v != NULL ? v[k].ptr : fixed + k * width;
      size_t len = v != NULL ? v[k].len : width;
      uint64_t pp = prefix8(p, len);
      if (pp > minpre && pp < maxpre) continue; /* strictly inside */
      if (cmp_bytes_pre(p, len, pp, minp, minn, minpre) < 0) {
        minp = p;
        minn = len;
        minpre = pp;
      } else if (cmp_bytes_pre(p, len, pp, maxp, maxn, maxpre) > 0) {
        maxp = p;
        maxn = len;
        maxpre = pp;
      }
    }
  } else {
    for (; k < n; k++) {
      const uint8_t *p = v != NULL ? v[k].ptr : fixed + k * width;
      size_t len = v != NULL ? v[k].len : width;
      if (cmp_for(s->order, p, len, minp, minn) < 0) {
        minp = p;
        minn = len;
      } else if (cmp_for(s->order, p, len, maxp, maxn) > 0) {
        maxp = p;
        maxn = len;
      }
    }
  }
  /* set_buf on a view of its own buffer would alias: copy only new bounds. */
  if (!s->has_minmax || minp != min0) ICE_TRY(set_buf(&s->min_bytes, minp, minn, err));
  if (!s->has_minmax || maxp != max0) ICE_TRY(set_buf(&s->max_bytes, maxp, maxn, err));
  s->has_minmax = true;
  return ICE_OK;
}

int pq_stats_update_byte_array(struct pq_stats *s, const struct pq_enc_bytes *v,
                               size_t n, struct ice_error *err) {
  return update_bytes_batch(s, v, NULL, 0, n, err);
}

int pq_stats_update_fixed_bytes(struct pq_stats *s, const uint8_t *p, size_t width,
                                size_t n, struct ice_error *err) {
  return update_bytes_batch(s, NULL, p, width, n, err);
}

int pq_stats_merge(struct pq_stats *dst, const struct pq_stats *src,
                   struct ice_error *err) {
  if (dst->order != src->order) {
    ICE_FAIL(err, ICE_EINTERNAL, "statistics merge of different orders");
  }
  dst->null_count += src->null_count;
  dst->nan_count += src->nan_count;
  if (!src->has_minmax) return ICE_OK;
  switch (src->order) {
    case PQ_SORT_NONE:
      return ICE_OK;
    case PQ_SORT_BYTES:
    case PQ_SORT_DECIMAL_BE:
      ICE_TRY(pq_stats_update_bytes(dst, src->min_bytes.data, src->min_bytes.len, err));
      return pq_stats_update_bytes(dst, src->max_bytes.data, src->max_bytes.len, err);
    case PQ_SORT_U32:
    case PQ_SORT_U64:
      if (!dst->has_minmax || src->min.u < dst->min.u) dst->min.u = src->min.u;
      if (!dst->has_minmax || src->max.u > dst->max.u) dst->max.u = src->max.u;
      break;
    case PQ_SORT_FLOAT:
    case PQ_SORT_DOUBLE:
      if (!dst->has_minmax || src->min.d < dst->min.d) dst->min.d = src->min.d;
      if (!dst->has_minmax || src->max.d > dst->max.d) dst->max.d = src->max.d;
      break;
    default:
      if (!dst->has_minmax || src->min.i < dst->min.i) dst->min.i = src->min.i;
      if (!dst->has_minmax || src->max.i > dst->max.i) dst->max.i = src->max.i;
      break;
  }
  dst->has_minmax = true;
  return ICE_OK;
}

static void put_le(uint8_t *out, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = (uint8_t)(v >> (8 * i));
}

static bool bound_view(const struct pq_stats *s, bool is_max, uint8_t scratch[8],
                       const uint8_t **p, size_t *n) {
  if (!s->has_minmax) return false;
  const struct ice_buf *b = is_max ? &s->max_bytes : &s->min_bytes;
  uint64_t bits;
  switch (s->order) {
    case PQ_SORT_NONE:
      return false;
    case PQ_SORT_BYTES:
    case PQ_SORT_DECIMAL_BE:
      *p = b->data != NULL ? b->data : scratch;
      *n = b->len;
      return true;
    case PQ_SORT_BOOL:
      scratch[0] = (uint8_t)(is_max ? s->max.i : s->min.i);
      *n = 1;
      break;
    case PQ_SORT_I32:
    case PQ_SORT_U32:
      put_le(scratch, is_max ? s->max.u : s->min.u, 4);
      *n = 4;
      break;
    case PQ_SORT_I64:
    case PQ_SORT_U64:
      put_le(scratch, is_max ? s->max.u : s->min.u, 8);
      *n = 8;
      break;
    case PQ_SORT_FLOAT: {
      /* Zero bounds widen to cover both zeros: min -0.0, max +0.0 (§9.3). */
      float f = (float)(is_max ? s->max.d : s->min.d);
      if (f == 0.0f) f = is_max ? 0.0f : -0.0f;
      uint32_t u;
      memcpy(&u, &f, 4);
      put_le(scratch, u, 4);
      *n = 4;
      break;
    }
    case PQ_SORT_DOUBLE: {
      double d = is_max ? s->max.d : s->min.d;
      if (d == 0.0) d = is_max ? 0.0 : -0.0;
      memcpy(&bits, &d, 8);
      put_le(scratch, bits, 8);
      *n = 8;
      break;
    }
  }
  *p = scratch;
  return true;
}

bool pq_stats_min_view(const struct pq_stats *s, uint8_t scratch[8], const uint8_t **p,
                       size_t *n) {
  return bound_view(s, false, scratch, p, n);
}

bool pq_stats_max_view(const struct pq_stats *s, uint8_t scratch[8], const uint8_t **p,
                       size_t *n) {
  return bound_view(s, true, scratch, p, n);
}
