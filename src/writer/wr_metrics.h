/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Iceberg data-file metrics from a closed Parquet writer (reference/iceberg.md §6.4):
 * record count, file size, per field id column sizes, value/null/NaN counts and lower/
 * upper bounds in the single-value serialization (§4), split offsets. Metrics modes
 * come from write.metadata.metrics.default / write.metadata.metrics.column.<path>:
 * none, counts, truncate(N) (default truncate(16)), full. As Java does, leaves inside
 * lists and maps get a column size only, and when no default is given explicitly only
 * the first max-inferred-column-defaults (100) columns get the default (counted here
 * over leaf columns with field ids, in schema order), the others none.
 */
#ifndef ICE_WRITER_WR_METRICS_H
#define ICE_WRITER_WR_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_data_file.h"
#include "parquet/pq_writer.h"
#include "util/error.h"

enum wr_metrics_kind {
  WR_METRICS_NONE,
  WR_METRICS_COUNTS,
  WR_METRICS_TRUNCATE,
  WR_METRICS_FULL
};

struct wr_metrics_mode {
  enum wr_metrics_kind kind;
  int32_t length; /* WR_METRICS_TRUNCATE */
};

struct wr_metrics_column {
  char *path; /* owned */
  struct wr_metrics_mode mode;
};

struct wr_metrics_config {
  struct wr_metrics_mode def;
  bool def_explicit;    /* write.metadata.metrics.default was given */
  int32_t max_inferred; /* write.metadata.metrics.max-inferred-column-defaults */
  struct wr_metrics_column *cols;
  size_t n_cols;
};

/* "none", "counts", "full", "truncate(N)" (N >= 1). */
int wr_metrics_mode_parse(const char *s, struct wr_metrics_mode *out,
                          struct ice_error *err) ICE_NODISCARD;
void wr_metrics_config_init(struct wr_metrics_config *c); /* default truncate(16) */
void wr_metrics_config_reset(struct wr_metrics_config *c);
/* Applies write.metadata.metrics.default or write.metadata.metrics.column.<path>;
 * ICE_ENOTFOUND for other keys. */
int wr_metrics_config_set(struct wr_metrics_config *c, const char *key, const char *value,
                          struct ice_error *err) ICE_NODISCARD;
int wr_metrics_config_copy(struct wr_metrics_config *dst,
                           const struct wr_metrics_config *src,
                           struct ice_error *err) ICE_NODISCARD;
struct wr_metrics_mode wr_metrics_config_for(const struct wr_metrics_config *c,
                                             const char *path);

/* Iceberg lower/upper bound of one leaf (no truncation): false when there is none. */
bool wr_bound_serialize(const struct pq_writer_leaf *leaf, bool upper, uint8_t *out,
                        size_t cap, size_t *len);

/* Fills record count, size, metrics and split offsets of `df` from a closed writer. */
int wr_metrics_fill(const struct pq_writer *w, const struct wr_metrics_config *cfg,
                    struct ib_data_file *df, struct ice_error *err) ICE_NODISCARD;

#endif
