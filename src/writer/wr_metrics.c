/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Metrics of a finished data file, computed from the statistics the Parquet writer kept
 * while writing (the file is never read back). Parquet statistics bytes become Iceberg
 * bounds: integers, floats, dates, times, timestamps keep their little-endian bytes;
 * decimals become minimal big-endian two's complement; strings and binary are
 * truncated per the metrics mode, the upper bound incremented (or dropped). Field ids
 * are checked unique once, so entries are appended in O(1).
 */
#include "writer/wr_metrics.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define WR_DEFAULT_TRUNCATE 16
#define WR_DEFAULT_MAX_INFERRED 100

int wr_metrics_mode_parse(const char *s, struct wr_metrics_mode *out,
                          struct ice_error *err) {
  if (strcmp(s, "none") == 0) {
    *out = (struct wr_metrics_mode){WR_METRICS_NONE, 0};
  } else if (strcmp(s, "counts") == 0) {
    *out = (struct wr_metrics_mode){WR_METRICS_COUNTS, 0};
  } else if (strcmp(s, "full") == 0) {
    *out = (struct wr_metrics_mode){WR_METRICS_FULL, 0};
  } else if (strncmp(s, "truncate(", 9) == 0) {
    char *end = NULL;
    errno = 0;
    long n = strtol(s + 9, &end, 10);
    if (errno != 0 || end == s + 9 || strcmp(end, ")") != 0 || n < 1 || n > INT32_MAX) {
      ICE_FAIL(err, ICE_EINVAL,
               "metrics mode '%s': truncate length must be a positive integer", s);
    }
    *out = (struct wr_metrics_mode){WR_METRICS_TRUNCATE, (int32_t)n};
  } else {
    ICE_FAIL(err, ICE_EINVAL, "metrics mode '%s' (none, counts, truncate(N), full)", s);
  }
  return ICE_OK;
}

void wr_metrics_config_init(struct wr_metrics_config *c) {
  memset(c, 0, sizeof *c);
  c->def = (struct wr_metrics_mode){WR_METRICS_TRUNCATE, WR_DEFAULT_TRUNCATE};
  c->max_inferred = WR_DEFAULT_MAX_INFERRED;
}

void wr_metrics_config_reset(struct wr_metrics_config *c) {
  for (size_t i = 0; i < c->n_cols; i++) ice_free(c->cols[i].path);
  ice_free(c->cols);
  wr_metrics_config_init(c);
}

static int add_column(struct wr_metrics_config *c, const char *path,
                      struct wr_metrics_mode mode, struct ice_error *err) {
  for (size_t i = 0; i < c->n_cols; i++) {
    if (strcmp(c->cols[i].path, path) == 0) {
      c->cols[i].mode = mode;
      return ICE_OK;
    }
  }
  struct wr_metrics_column *p = ice_realloc(c->cols, (c->n_cols + 1) * sizeof *p);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  c->cols = p;
  c->cols[c->n_cols].path = ice_strdup(path);
  if (c->cols[c->n_cols].path == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  c->cols[c->n_cols].mode = mode;
  c->n_cols++;
  return ICE_OK;
}

int wr_metrics_config_set(struct wr_metrics_config *c, const char *key, const char *value,
                          struct ice_error *err) {
  static const char col_prefix[] = "write.metadata.metrics.column.";
  struct wr_metrics_mode m;
  if (strcmp(key, "write.metadata.metrics.default") == 0) {
    ICE_TRY(wr_metrics_mode_parse(value, &m, err));
    c->def = m;
    c->def_explicit = true;
    return ICE_OK;
  }
  if (strcmp(key, "write.metadata.metrics.max-inferred-column-defaults") == 0) {
    char *end = NULL;
    errno = 0;
    long n = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || n < 0 || n > INT32_MAX) {
      ICE_FAIL(err, ICE_EINVAL, "property %s: '%s' is not a non-negative integer", key,
               value);
    }
    c->max_inferred = (int32_t)n;
    return ICE_OK;
  }
  if (strncmp(key, col_prefix, sizeof col_prefix - 1) == 0 &&
      key[sizeof col_prefix - 1]) {
    ICE_TRY(wr_metrics_mode_parse(value, &m, err));
    return add_column(c, key + sizeof col_prefix - 1, m, err);
  }
  return ice_error_set(err, ICE_ENOTFOUND, "unknown property '%s'", key);
}

int wr_metrics_config_copy(struct wr_metrics_config *dst,
                           const struct wr_metrics_config *src, struct ice_error *err) {
  wr_metrics_config_init(dst);
  dst->def = src->def;
  dst->def_explicit = src->def_explicit;
  dst->max_inferred = src->max_inferred;
  for (size_t i = 0; i < src->n_cols; i++) {
    int rc = add_column(dst, src->cols[i].path, src->cols[i].mode, err);
    if (rc != ICE_OK) {
      wr_metrics_config_reset(dst);
      return rc;
    }
  }
  return ICE_OK;
}

struct wr_metrics_mode wr_metrics_config_for(const struct wr_metrics_config *c,
                                             const char *path) {
  for (size_t i = 0; i < c->n_cols; i++) {
    if (strcmp(c->cols[i].path, path) == 0) return c->cols[i].mode;
  }
  return c->def;
}

static int64_t le_signed(const uint8_t *p, size_t n) {
  uint64_t u = 0;
  for (size_t i = 0; i < n; i++) u |= (uint64_t)p[i] << (8 * i);
  if (n < 8 && (p[n - 1] & 0x80)) u |= ~(uint64_t)0 << (8 * n);
  return (int64_t)u;
}

bool wr_bound_serialize(const struct pq_writer_leaf *leaf, bool upper, uint8_t *out,
                        size_t cap, size_t *len) {
  uint8_t scratch[8];
  const uint8_t *p;
  size_t n;
  bool ok = upper ? pq_stats_max_view(&leaf->stats, scratch, &p, &n)
                  : pq_stats_min_view(&leaf->stats, scratch, &p, &n);
  if (!ok) return false;
  /* Unsigned integers have no Iceberg type whose order matches their bytes. */
  if (leaf->stats.order == PQ_SORT_U32 || leaf->stats.order == PQ_SORT_U64) return false;
  if (leaf->is_decimal) {
    uint8_t tmp[16];
    const uint8_t *be = p;
    size_t bn = n;
    if (leaf->type == PQ_TYPE_INT32 || leaf->type == PQ_TYPE_INT64) {
      bn = ib_decimal_from_int64(le_signed(p, n), tmp);
      be = tmp;
    } else {
      size_t m = ib_decimal_minimal_len(p, n);
      be = p + (n - m);
      bn = m;
    }
    if (bn > cap) return false;
    memcpy(out, be, bn);
    *len = bn;
    return true;
  }
  if (n > cap) return false;
  if (n) memcpy(out, p, n);
  *len = n;
  return true;
}

static int put_bounds(const struct pq_writer_leaf *leaf, struct wr_metrics_mode mode,
                      struct ib_data_file *df, struct ice_error *err) {
  bool bytes_like = leaf->stats.order == PQ_SORT_BYTES && !leaf->is_decimal &&
                    leaf->type == PQ_TYPE_BYTE_ARRAY;
  const struct ice_buf *minb = &leaf->stats.min_bytes, *maxb = &leaf->stats.max_bytes;
  if (bytes_like && mode.kind == WR_METRICS_TRUNCATE) {
    if (!leaf->stats.has_minmax) return ICE_OK;
    size_t lo_len;
    pq_bound_truncate_lower(minb->data, minb->len, (size_t)mode.length, leaf->is_string,
                            &lo_len);
    ICE_TRY(ib_metric_bounds_append(&df->lower_bounds, leaf->field_id, minb->data, lo_len,
                                    err));
    uint8_t *tmp = ice_malloc(maxb->len ? maxb->len : 1);
    if (tmp == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    size_t hi_len;
    int rc = ICE_OK;
    if (pq_bound_truncate_upper(maxb->data, maxb->len, (size_t)mode.length,
                                leaf->is_string, tmp, &hi_len)) {
      rc = ib_metric_bounds_append(&df->upper_bounds, leaf->field_id, tmp, hi_len, err);
    }
    ice_free(tmp);
    return rc;
  }
  if (bytes_like) {
    if (!leaf->stats.has_minmax) return ICE_OK;
    ICE_TRY(ib_metric_bounds_append(&df->lower_bounds, leaf->field_id, minb->data,
                                    minb->len, err));
    return ib_metric_bounds_append(&df->upper_bounds, leaf->field_id, maxb->data,
                                   maxb->len, err);
  }
  /* Fixed-size values (fixed/uuid are FLBA: never longer than their width). */
  size_t cap =
      leaf->type == PQ_TYPE_FIXED_LEN_BYTE_ARRAY ? (size_t)leaf->type_length : 16;
  uint8_t *buf = ice_malloc(cap > 16 ? cap : 16);
  if (buf == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  size_t n;
  int rc = ICE_OK;
  if (wr_bound_serialize(leaf, false, buf, cap > 16 ? cap : 16, &n)) {
    rc = ib_metric_bounds_append(&df->lower_bounds, leaf->field_id, buf, n, err);
  }
  if (rc == ICE_OK && wr_bound_serialize(leaf, true, buf, cap > 16 ? cap : 16, &n)) {
    rc = ib_metric_bounds_append(&df->upper_bounds, leaf->field_id, buf, n, err);
  }
  ice_free(buf);
  return rc;
}

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return x < y ? -1 : x > y;
}

/* Metrics are keyed by field id: two leaves with one id would make them ambiguous. */
static int check_unique_ids(const struct pq_writer *w, struct ice_error *err) {
  size_t n = pq_writer_num_leaves(w), k = 0;
  int32_t *ids = ice_malloc((n ? n : 1) * sizeof *ids);
  if (ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const struct pq_writer_leaf *leaf = pq_writer_leaf_view(w, i);
    if (leaf->has_field_id) ids[k++] = leaf->field_id;
  }
  qsort(ids, k, sizeof *ids, cmp_i32);
  int rc = ICE_OK;
  for (size_t i = 1; i < k; i++) {
    if (ids[i] == ids[i - 1]) {
      rc = ice_error_set(err, ICE_EINVAL, "field id %d is used by two columns",
                         (int)ids[i]);
      break;
    }
  }
  ice_free(ids);
  return rc;
}

int wr_metrics_fill(const struct pq_writer *w, const struct wr_metrics_config *cfg,
                    struct ib_data_file *df, struct ice_error *err) {
  ICE_TRY(check_unique_ids(w, err));
  df->record_count = pq_writer_num_rows(w);
  df->file_size_in_bytes = pq_writer_file_size(w);
  int64_t with_id = 0;
  for (size_t i = 0; i < pq_writer_num_leaves(w); i++) {
    const struct pq_writer_leaf *leaf = pq_writer_leaf_view(w, i);
    if (!leaf->has_field_id) continue;
    struct wr_metrics_mode mode = wr_metrics_config_for(cfg, leaf->path);
    /* Wide schemas without an explicit default: metrics for the first N columns only
     * (an explicit per-column mode still applies). */
    if (!cfg->def_explicit && with_id++ >= cfg->max_inferred) {
      struct wr_metrics_mode none = {WR_METRICS_NONE, 0};
      bool per_column = false;
      for (size_t k = 0; k < cfg->n_cols; k++)
        per_column |= strcmp(cfg->cols[k].path, leaf->path) == 0;
      if (!per_column) mode = none;
    }
    if (mode.kind == WR_METRICS_NONE) continue;
    ICE_TRY(ib_metric_counts_append(&df->column_sizes, leaf->field_id,
                                    leaf->compressed_bytes, err));
    if (leaf->repeated) continue; /* element counts would mislead row-level pruning */
    ICE_TRY(ib_metric_counts_append(&df->value_counts, leaf->field_id, leaf->num_values,
                                    err));
    ICE_TRY(ib_metric_counts_append(&df->null_value_counts, leaf->field_id,
                                    leaf->stats.null_count, err));
    if (leaf->is_float) {
      ICE_TRY(ib_metric_counts_append(&df->nan_value_counts, leaf->field_id,
                                      leaf->stats.nan_count, err));
    }
    if (mode.kind == WR_METRICS_COUNTS) continue;
    ICE_TRY(put_bounds(leaf, mode, df, err));
  }
  for (size_t g = 0; g < pq_writer_num_row_groups(w); g++) {
    ICE_TRY(ib_data_file_add_split_offset(df, pq_writer_row_group_offset(w, g), err));
  }
  return ICE_OK;
}
