/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writer options from Iceberg table properties (reference/iceberg.md §9): codec and
 * level, row-group/page/dictionary sizes, page row limit, plus a few icestream
 * extensions (page version, dictionary on/off, memory budget). Unknown keys are
 * errors, never ignored.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ice/ice.h"
#include "parquet/pq_writer.h"

#ifndef ICE_GIT_HASH
#define ICE_GIT_HASH "0"
#endif

const char *pq_writer_created_by(void) {
  /* parquet-java parses "(.+) version ((.*) )?\(build ?(.*)\)"; an unparsable value
   * makes it distrust statistics (reference/parquet.md §15.20). */
  return "icestream version " ICE_VERSION_STRING " (build " ICE_GIT_HASH ")";
}

void pq_writer_options_init(struct pq_writer_options *o) {
  o->codec = PQ_CODEC_ZSTD;
  o->codec_level = 0;
  o->row_group_bytes = PQ_WRITER_DEFAULT_ROW_GROUP_BYTES;
  o->page_bytes = PQ_WRITER_DEFAULT_PAGE_BYTES;
  o->page_rows = PQ_WRITER_DEFAULT_PAGE_ROWS;
  o->dict_bytes = PQ_WRITER_DEFAULT_DICT_BYTES;
  o->memory_budget = 0;
  o->budget = NULL;
  o->row_group_rows = 0;
  o->page_version = 1;
  o->dictionary = true;
  o->write_nan_count = true;
  o->page_index = true;
  o->created_by = NULL;
  o->shared_codec = NULL;
  o->threads = 1;
  o->shared_workers = NULL;
}

static int parse_i64(const char *key, const char *value, int64_t lo, int64_t hi,
                     int64_t *out, struct ice_error *err) {
  char *end = NULL;
  errno = 0;
  long long v = strtoll(value, &end, 10);
  if (errno != 0 || end == value || *end != '\0' || v < lo || v > hi) {
    ICE_FAIL(err, ICE_EINVAL, "property %s: '%s' is not an integer in [%lld, %lld]", key,
             value, (long long)lo, (long long)hi);
  }
  *out = v;
  return ICE_OK;
}

static int parse_bool(const char *key, const char *value, bool *out,
                      struct ice_error *err) {
  if (strcasecmp(value, "true") == 0) {
    *out = true;
  } else if (strcasecmp(value, "false") == 0) {
    *out = false;
  } else {
    ICE_FAIL(err, ICE_EINVAL, "property %s: '%s' is not true or false", key, value);
  }
  return ICE_OK;
}

static int parse_codec(const char *value, enum pq_codec *out, struct ice_error *err) {
  static const struct {
    const char *name;
    enum pq_codec codec;
  } names[] = {
      {"zstd", PQ_CODEC_ZSTD},
      {"snappy", PQ_CODEC_SNAPPY},
      {"gzip", PQ_CODEC_GZIP},
      {"brotli", PQ_CODEC_BROTLI},
      {"lz4", PQ_CODEC_LZ4_RAW},
      {"lz4_raw", PQ_CODEC_LZ4_RAW},
      {"uncompressed", PQ_CODEC_UNCOMPRESSED},
      {"none", PQ_CODEC_UNCOMPRESSED},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcasecmp(value, names[i].name) == 0) {
      *out = names[i].codec;
      return ICE_OK;
    }
  }
  ICE_FAIL(err, ICE_EINVAL,
           "property write.parquet.compression-codec: unknown codec '%s' (zstd, snappy, "
           "gzip, lz4, brotli, uncompressed)",
           value);
}

int pq_writer_options_set(struct pq_writer_options *o, const char *key, const char *value,
                          struct ice_error *err) {
  if (key == NULL || value == NULL) {
    ICE_FAIL(err, ICE_EINVAL, "writer property with a NULL key or value");
  }
  const int64_t max_bytes = (int64_t)1 << 40;
  int64_t v;
  if (strcmp(key, "write.parquet.compression-codec") == 0) {
    return parse_codec(value, &o->codec, err);
  }
  if (strcmp(key, "write.parquet.compression-level") == 0) {
    ICE_TRY(parse_i64(key, value, -131072, 22, &v, err));
    o->codec_level = (int)v;
    return ICE_OK;
  }
  if (strcmp(key, "write.parquet.row-group-size-bytes") == 0) {
    return parse_i64(key, value, 1, max_bytes, &o->row_group_bytes, err);
  }
  if (strcmp(key, "write.parquet.page-size-bytes") == 0) {
    return parse_i64(key, value, 1, 512 * 1024 * 1024, &o->page_bytes, err);
  }
  if (strcmp(key, "write.parquet.page-row-limit") == 0) {
    return parse_i64(key, value, 1, INT32_MAX, &o->page_rows, err);
  }
  if (strcmp(key, "write.parquet.dict-size-bytes") == 0) {
    return parse_i64(key, value, 0, 512 * 1024 * 1024, &o->dict_bytes, err);
  }
  if (strcmp(key, "write.parquet.page-version") == 0) {
    ICE_TRY(parse_i64(key, value, 1, 2, &v, err));
    o->page_version = (int)v;
    return ICE_OK;
  }
  if (strcmp(key, "write.parquet.dictionary-enabled") == 0) {
    return parse_bool(key, value, &o->dictionary, err);
  }
  if (strcmp(key, "write.parquet.row-group-limit") ==
      0) { /* pyiceberg: rows per row group */
    return parse_i64(key, value, 0, INT64_MAX, &o->row_group_rows, err);
  }
  /* Java's row-group size check cadence: we check after every slice of rows anyway. */
  if (strcmp(key, "write.parquet.row-group-check-min-record-count") == 0 ||
      strcmp(key, "write.parquet.row-group-check-max-record-count") == 0) {
    return parse_i64(key, value, 1, INT64_MAX, &v, err);
  }
  /* Bloom filters are optional for every reader; none are written, so their settings
   * are accepted (a table may carry them) and have no effect. */
  if (strncmp(key, "write.parquet.bloom-filter-", 27) == 0) return ICE_OK;
  if (strcmp(key, "write.parquet.page-index") == 0) {
    return parse_bool(key, value, &o->page_index, err);
  }
  if (strcmp(key, "write.parquet.memory-budget-bytes") == 0) {
    return parse_i64(key, value, 0, max_bytes, &o->memory_budget, err);
  }
  return ice_error_set(err, ICE_ENOTFOUND, "unknown writer property '%s'", key);
}

int pq_writer_options_apply(struct pq_writer_options *o, const char *const *props,
                            struct ice_error *err) {
  if (props == NULL) return ICE_OK;
  for (size_t i = 0; props[i] != NULL; i += 2) {
    int rc = pq_writer_options_set(o, props[i], props[i + 1], err);
    if (rc == ICE_ENOTFOUND) {
      return ice_error_set(err, ICE_EINVAL, "unknown writer property '%s'", props[i]);
    }
    ICE_TRY(rc);
  }
  return ICE_OK;
}
