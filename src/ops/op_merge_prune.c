/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pruning a merge's probe by the data files' column bounds (manifest lower/upper
 * bounds of the key columns): a file whose range of some key column misses the
 * incoming keys' range in that column holds none of them and is never opened. String
 * bounds may be truncated prefixes (the writer's metrics mode), so a bound that is a
 * prefix of a value admits it, as the scan planner's path bounds do. Partition values
 * prune too (op_merge_parts.c).
 */
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_view.h"
#include "iceberg/ib_value.h"
#include "ops/op_merge_internal.h"

void merge_range_init(struct merge_range *r, const struct arrow_type *t) {
  memset(r, 0, sizeof *r);
  ice_buf_init(&r->lo_bytes, (size_t)INT64_MAX);
  ice_buf_init(&r->hi_bytes, (size_t)INT64_MAX);
  switch (t->id) {
    case ARROW_TYPE_INT8:
    case ARROW_TYPE_INT16:
    case ARROW_TYPE_INT32:
    case ARROW_TYPE_INT64:
    case ARROW_TYPE_DATE32:
    case ARROW_TYPE_TIME32:
    case ARROW_TYPE_TIME64:
    case ARROW_TYPE_TIMESTAMP:
      r->kind = RANGE_INT;
      break;
    case ARROW_TYPE_STRING:
    case ARROW_TYPE_BINARY:
      r->kind = RANGE_BYTES;
      break;
    default:
      r->kind = RANGE_NONE;
  }
  r->width = t->id == ARROW_TYPE_INT8    ? 1
             : t->id == ARROW_TYPE_INT16 ? 2
             : (t->id == ARROW_TYPE_INT32 || t->id == ARROW_TYPE_DATE32 ||
                t->id == ARROW_TYPE_TIME32)
                 ? 4
                 : 8;
}

void merge_range_reset(struct merge_range *r) {
  ice_buf_reset(&r->lo_bytes);
  ice_buf_reset(&r->hi_bytes);
}

static int64_t int_at(const struct merge_range *r, const struct ArrowArray *a,
                      int64_t row) {
  switch (r->width) {
    case 1:
      return ((const int8_t *)arrow_array_fixed(a, 1))[row];
    case 2:
      return ((const int16_t *)(const void *)arrow_array_fixed(a, 2))[row];
    case 4:
      return ((const int32_t *)(const void *)arrow_array_fixed(a, 4))[row];
    default:
      return ((const int64_t *)(const void *)arrow_array_fixed(a, 8))[row];
  }
}

static int cmp_bytes(const uint8_t *a, size_t na, const uint8_t *b, size_t nb) {
  size_t n = na < nb ? na : nb;
  int c = n ? memcmp(a, b, n) : 0;
  if (c != 0) return c;
  return na < nb ? -1 : na > nb;
}

static int set_bytes(struct ice_buf *b, const uint8_t *p, size_t n,
                     struct ice_error *err) {
  ice_buf_clear(b);
  return n ? ice_buf_append(b, p, n, err) : ICE_OK;
}

int merge_range_add(struct merge_range *r, const struct ArrowArray *col, int64_t row,
                    struct ice_error *err) {
  if (r->kind == RANGE_INT) {
    int64_t v = int_at(r, col, row);
    if (!r->have || v < r->lo) r->lo = v;
    if (!r->have || v > r->hi) r->hi = v;
  } else if (r->kind == RANGE_BYTES) {
    const int32_t *o = arrow_array_offsets32(col);
    const uint8_t *p = arrow_array_bytes(col) + o[row];
    size_t n = (size_t)(o[row + 1] - o[row]);
    if (!r->have || cmp_bytes(p, n, r->lo_bytes.data, r->lo_bytes.len) < 0)
      ICE_TRY(set_bytes(&r->lo_bytes, p, n, err));
    if (!r->have || cmp_bytes(p, n, r->hi_bytes.data, r->hi_bytes.len) > 0)
      ICE_TRY(set_bytes(&r->hi_bytes, p, n, err));
  }
  r->have = true;
  return ICE_OK;
}

bool merge_value_int(const struct ib_value *v, int64_t *out) {
  switch (v->type) {
    case IB_TYPE_INT:
    case IB_TYPE_DATE:
      *out = v->u.i32;
      return true;
    case IB_TYPE_LONG:
    case IB_TYPE_TIME:
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      *out = v->u.i64;
      return true;
    default:
      return false;
  }
}

/* A bound as an integer; false when it cannot be read as one of this column's. */
static bool bound_int(const struct merge_key *k, const struct ib_metric_bound *b,
                      int64_t *out) {
  struct ib_value v;
  struct ice_error e;
  if (ib_value_deserialize(&k->ib_type, b->data, b->len, &v, &e) != ICE_OK) return false;
  return merge_value_int(&v, out);
}

/* Whether the file's bounds of key k admit some incoming value of k. */
static bool key_may_match(const struct merge_key *k, const struct ib_data_file *f) {
  const struct merge_range *r = &k->range;
  if (!r->have || r->kind == RANGE_NONE) return true;
  const struct ib_metric_bound *lo = ib_metric_bounds_get(&f->lower_bounds, k->id);
  const struct ib_metric_bound *hi = ib_metric_bounds_get(&f->upper_bounds, k->id);
  if (r->kind == RANGE_INT) {
    int64_t v;
    if (lo != NULL && bound_int(k, lo, &v) && r->hi < v) return false;
    if (hi != NULL && bound_int(k, hi, &v) && r->lo > v) return false;
    return true;
  }
  /* Bytes: a truncated lower bound is still <= every value; a truncated upper bound
   * that is a prefix of the incoming minimum admits it. */
  if (lo != NULL && cmp_bytes(r->hi_bytes.data, r->hi_bytes.len, lo->data, lo->len) < 0)
    return false;
  if (hi != NULL) {
    size_t n = r->lo_bytes.len < hi->len ? r->lo_bytes.len : hi->len;
    bool prefix = hi->len <= r->lo_bytes.len &&
                  (n == 0 || memcmp(r->lo_bytes.data, hi->data, n) == 0);
    if (!prefix && cmp_bytes(r->lo_bytes.data, r->lo_bytes.len, hi->data, hi->len) > 0)
      return false;
  }
  return true;
}

void merge_first_add(struct op_merge *m, const struct ArrowArray *col, int64_t row) {
  if (!m->first_ok) return;
  int64_t v = int_at(&m->keys[0].range, col, row);
  struct ice_error ignored;
  if ((m->budget && (int64_t)(m->first_values.len + sizeof v) > m->budget->limit / 8) ||
      ice_buf_append(&m->first_values, &v, sizeof v, &ignored) != ICE_OK) {
    m->first_ok = false; /* too many: the per-column range alone prunes */
    ice_buf_reset(&m->first_values);
    return;
  }
  m->n_first++;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

void merge_first_sort(struct op_merge *m) {
  if (!m->first_ok || m->n_first == 0) return;
  int64_t *v = (int64_t *)(void *)m->first_values.data;
  qsort(v, m->n_first, sizeof *v, cmp_i64);
  size_t n = 1;
  for (size_t i = 1; i < m->n_first; i++)
    if (v[i] != v[n - 1]) v[n++] = v[i];
  m->n_first = n;
}

/* Index of the first sorted first-key value >= a. */
static size_t first_lower_bound(const struct op_merge *m, int64_t a) {
  const int64_t *v = (const int64_t *)(const void *)m->first_values.data;
  size_t l = 0, r = m->n_first;
  while (l < r) {
    size_t mid = l + (r - l) / 2;
    if (v[mid] < a) {
      l = mid + 1;
    } else {
      r = mid;
    }
  }
  return l;
}

/* The first index >= c whose value is >= x (v[0..n) sorted): galloping from c, so a
 * batch whose keys skip over many incoming values costs their logarithm, not their
 * number. */
static size_t first_advance(const int64_t *v, size_t n, size_t c, int64_t x) {
  if (c >= n || v[c] >= x) return c;
  size_t lo = c, step = 1; /* v[lo] < x */
  while (lo + step < n && v[lo + step] < x) {
    lo += step;
    step *= 2;
  }
  size_t hi = lo + step < n ? lo + step : n; /* hi == n or v[hi] >= x */
  while (lo + 1 < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid] < x) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

int64_t merge_first_hits(const struct op_merge *m, const struct ArrowArray *col,
                         int64_t n, int64_t *rows) {
  if (!m->first_ok || m->n_first == 0 || n == 0 || col->null_count != 0) return -1;
  const struct merge_range *r = &m->keys[0].range;
  int64_t prev = int_at(r, col, 0);
  for (int64_t i = 1; i < n; i++) {
    int64_t x = int_at(r, col, i);
    if (x < prev) return -1;
    prev = x;
  }
  const int64_t *v = (const int64_t *)(const void *)m->first_values.data;
  size_t c = first_lower_bound(m, int_at(r, col, 0));
  int64_t hits = 0;
  for (int64_t i = 0; i < n && c < m->n_first; i++) {
    int64_t x = int_at(r, col, i);
    c = first_advance(v, m->n_first, c, x);
    if (c < m->n_first && v[c] == x) rows[hits++] = i;
  }
  return hits;
}

/* Whether one of the sorted first-key values lies in the file's bounds of that
 * column. */
static bool first_may_match(const struct op_merge *m, const struct ib_data_file *f) {
  const struct merge_key *k = &m->keys[0];
  if (!m->first_ok || m->n_first == 0) return true;
  const struct ib_metric_bound *lo = ib_metric_bounds_get(&f->lower_bounds, k->id);
  const struct ib_metric_bound *hi = ib_metric_bounds_get(&f->upper_bounds, k->id);
  int64_t a = INT64_MIN, b = INT64_MAX;
  if ((lo != NULL && !bound_int(k, lo, &a)) || (hi != NULL && !bound_int(k, hi, &b)))
    return true;
  const int64_t *v = (const int64_t *)(const void *)m->first_values.data;
  size_t l = first_lower_bound(m, a);
  return l < m->n_first && v[l] <= b;
}

bool merge_file_may_match(const struct op_merge *m, int32_t spec_id,
                          const struct ib_data_file *f) {
  if (m->ingested == 0) return false;
  for (size_t k = 0; k < m->n_keys; k++)
    if (!key_may_match(&m->keys[k], f)) return false;
  return first_may_match(m, f) && merge_parts_may_match(m, spec_id, &f->partition);
}
