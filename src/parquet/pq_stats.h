/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Column statistics accumulated while writing: null count, NaN count and min/max in
 * the column's sort order (reference/parquet.md §9.2): signed or unsigned integers,
 * floats with NaN excluded and zeros normalised (§9.3), unsigned bytes, and signed
 * big-endian decimals. Also the prefix/increment truncation of byte bounds (§9.4,
 * Iceberg §4) shared by the Parquet footer and the Iceberg metrics.
 */
#ifndef ICE_PARQUET_PQ_STATS_H
#define ICE_PARQUET_PQ_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

enum pq_sort_order {
  PQ_SORT_NONE = 0, /* no defined order: counts only */
  PQ_SORT_BOOL,
  PQ_SORT_I32,
  PQ_SORT_U32,
  PQ_SORT_I64,
  PQ_SORT_U64,
  PQ_SORT_FLOAT,
  PQ_SORT_DOUBLE,
  PQ_SORT_BYTES,     /* unsigned lexicographic, shorter prefix first */
  PQ_SORT_DECIMAL_BE /* big-endian two's complement, all values the same width */
};

struct pq_stats {
  enum pq_sort_order order;
  bool has_minmax;
  int64_t null_count;
  int64_t nan_count;
  union {
    int64_t i;
    uint64_t u;
    double d;
  } min, max;
  struct ice_buf min_bytes, max_bytes; /* PQ_SORT_BYTES / PQ_SORT_DECIMAL_BE */
};

void pq_stats_init(struct pq_stats *s, enum pq_sort_order order);
void pq_stats_reset(struct pq_stats *s); /* frees; idempotent */
/* Forgets values and counts, keeps the order and the buffers (a new column chunk). */
void pq_stats_clear(struct pq_stats *s);

/* Batch updates over non-null values. */
void pq_stats_update_i32(struct pq_stats *s, const int32_t *v, size_t n);
void pq_stats_update_i64(struct pq_stats *s, const int64_t *v, size_t n);
void pq_stats_update_float(struct pq_stats *s, const float *v, size_t n);
void pq_stats_update_double(struct pq_stats *s, const double *v, size_t n);
void pq_stats_update_bool(struct pq_stats *s, bool v);
/* One byte-string value (BYTES or DECIMAL_BE order). */
int pq_stats_update_bytes(struct pq_stats *s, const uint8_t *p, size_t n,
                          struct ice_error *err) ICE_NODISCARD;
/* Batch forms: find the batch's min/max by pointer, copy bounds at most once each. */
struct pq_enc_bytes;
int pq_stats_update_byte_array(struct pq_stats *s, const struct pq_enc_bytes *v,
                               size_t n, struct ice_error *err) ICE_NODISCARD;
int pq_stats_update_fixed_bytes(struct pq_stats *s, const uint8_t *p, size_t width,
                                size_t n, struct ice_error *err) ICE_NODISCARD;
static inline void pq_stats_add_nulls(struct pq_stats *s, int64_t n) {
  s->null_count += n;
}
/* dst += src (same order). */
int pq_stats_merge(struct pq_stats *dst, const struct pq_stats *src,
                   struct ice_error *err) ICE_NODISCARD;

/* Min or max in Parquet statistics encoding (PLAIN of one value, byte arrays without
 * length): *p points into s or into scratch. Floats: a zero min reads -0.0, a zero max
 * +0.0. Returns false when there is no bound (no values, all NaN, no order). */
bool pq_stats_min_view(const struct pq_stats *s, uint8_t scratch[8], const uint8_t **p,
                       size_t *n);
bool pq_stats_max_view(const struct pq_stats *s, uint8_t scratch[8], const uint8_t **p,
                       size_t *n);
/* True when the deprecated signed-order min/max fields may carry these bounds. */
bool pq_sort_order_is_signed(enum pq_sort_order order);

/* Truncation of byte bounds to at most `limit` units (bytes, or UTF-8 code points when
 * utf8). Lower: a prefix. Upper: a prefix whose last incrementable unit is incremented
 * (trailing units dropped); returns false when no such bound exists (keep none).
 * Both write at most n bytes into out and set *out_len. */
void pq_bound_truncate_lower(const uint8_t *p, size_t n, size_t limit, bool utf8,
                             size_t *out_len);
bool pq_bound_truncate_upper(const uint8_t *p, size_t n, size_t limit, bool utf8,
                             uint8_t *out, size_t *out_len);

#endif
