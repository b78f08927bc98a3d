/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_parquet_describe: the text behind `icestream schema`. Every schema element (an
 * indented tree: physical type, logical/converted annotation, repetition, field id),
 * then each row group (rows, sizes) and column chunk (codec, encodings, sizes, values,
 * statistics when present).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parquet/pq_reader.h"
#include "util/alloc.h"
#include "util/buf.h"

/* Text caps: the description of a hostile footer must stay bounded too. */
#define DESCRIBE_MAX_BYTES (256u * 1024 * 1024)
#define DESCRIBE_STAT_BYTES 64

static int out_printf(struct ice_buf *b, struct ice_error *err, const char *fmt, ...)
    ICE_PRINTF(3, 4);

static int out_printf(struct ice_buf *b, struct ice_error *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) ICE_FAIL(err, ICE_EINTERNAL, "describe: formatting failed");
  ICE_TRY(ice_buf_reserve(b, (size_t)n + 1, err));
  va_start(ap, fmt);
  vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return ICE_OK;
}

static const char *unit_name(enum pq_time_unit u) {
  return u == PQ_TIME_UNIT_MILLIS   ? "MILLIS"
         : u == PQ_TIME_UNIT_MICROS ? "MICROS"
         : u == PQ_TIME_UNIT_NANOS  ? "NANOS"
                                    : "UNKNOWN";
}

static int logical_text(struct ice_buf *b, const struct pq_logical_type *lt,
                        struct ice_error *err) {
  static const char *const simple[] = {
      [PQ_LOGICAL_STRING] = "STRING", [PQ_LOGICAL_MAP] = "MAP",
      [PQ_LOGICAL_LIST] = "LIST",     [PQ_LOGICAL_ENUM] = "ENUM",
      [PQ_LOGICAL_DATE] = "DATE",     [PQ_LOGICAL_UNKNOWN] = "UNKNOWN",
      [PQ_LOGICAL_JSON] = "JSON",     [PQ_LOGICAL_BSON] = "BSON",
      [PQ_LOGICAL_UUID] = "UUID",     [PQ_LOGICAL_FLOAT16] = "FLOAT16",
      [PQ_LOGICAL_VARIANT] = "VARIANT", [PQ_LOGICAL_GEOMETRY] = "GEOMETRY",
      [PQ_LOGICAL_GEOGRAPHY] = "GEOGRAPHY", [PQ_LOGICAL_FILE] = "FILE"};
  switch (lt->kind) {
    case PQ_LOGICAL_DECIMAL:
      return out_printf(b, err, " logical=DECIMAL(%d,%d)", (int)lt->decimal_precision,
                        (int)lt->decimal_scale);
    case PQ_LOGICAL_TIME:
    case PQ_LOGICAL_TIMESTAMP:
      return out_printf(b, err, " logical=%s(%s,utc=%s)",
                        lt->kind == PQ_LOGICAL_TIME ? "TIME" : "TIMESTAMP",
                        unit_name(lt->unit), lt->is_adjusted_to_utc ? "true" : "false");
    case PQ_LOGICAL_INTEGER:
      return out_printf(b, err, " logical=INTEGER(%d,%s)", (int)lt->int_bit_width,
                        lt->int_is_signed ? "signed" : "unsigned");
    case PQ_LOGICAL_FUTURE:
      return out_printf(b, err, " logical=UNKNOWN_MEMBER(%d)", (int)lt->future_id);
    default:
      if ((size_t)lt->kind < sizeof simple / sizeof simple[0] && simple[lt->kind]) {
        return out_printf(b, err, " logical=%s", simple[lt->kind]);
      }
      return out_printf(b, err, " logical=?(%d)", (int)lt->kind);
  }
}

static const char *converted_name(enum pq_converted_type t) {
  static const char *const names[] = {
      "UTF8",   "MAP",     "MAP_KEY_VALUE", "LIST",    "ENUM",   "DECIMAL",
      "DATE",   "TIME_MILLIS", "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS",
      "UINT_8", "UINT_16", "UINT_32",       "UINT_64", "INT_8",  "INT_16",
      "INT_32", "INT_64",  "JSON",          "BSON",    "INTERVAL"};
  if ((size_t)t < sizeof names / sizeof names[0]) return names[t];
  return "UNKNOWN";
}

static int element_text(struct ice_buf *b, const struct pq_schema_element *e, int depth,
                        struct ice_error *err) {
  static const char *const reps[] = {"required", "optional", "repeated"};
  ICE_TRY(out_printf(b, err, "%*s%s:", depth * 2 + 2, "", e->name ? e->name : ""));
  if (e->has_type) {
    ICE_TRY(out_printf(b, err, " %s", pq_type_name(e->type)));
    if (e->type == PQ_TYPE_FIXED_LEN_BYTE_ARRAY && e->has_type_length) {
      ICE_TRY(out_printf(b, err, "(%d)", (int)e->type_length));
    }
  } else {
    ICE_TRY(out_printf(b, err, " group"));
  }
  if (e->has_repetition && (unsigned)e->repetition < 3) {
    ICE_TRY(out_printf(b, err, " %s", reps[e->repetition]));
  }
  if (e->has_logical_type) ICE_TRY(logical_text(b, &e->logical_type, err));
  if (e->has_converted_type) {
    ICE_TRY(out_printf(b, err, " converted=%s", converted_name(e->converted_type)));
    if (e->converted_type == PQ_CONVERTED_DECIMAL) {
      ICE_TRY(out_printf(b, err, "(%d,%d)", e->has_precision ? (int)e->precision : -1,
                         e->has_scale ? (int)e->scale : 0));
    }
  }
  if (e->has_field_id) ICE_TRY(out_printf(b, err, " field_id=%d", (int)e->field_id));
  return out_printf(b, err, "\n");
}

/* A statistics value: numbers for numeric physical types, text when printable,
 * else hex (both cut to DESCRIBE_STAT_BYTES). */
static int stat_value(struct ice_buf *b, int32_t type, const struct pq_bytes *v,
                      struct ice_error *err) {
  const uint8_t *p = v->data;
  if (type == PQ_TYPE_INT32 && v->len == 4) {
    int32_t x;
    memcpy(&x, p, 4);
    return out_printf(b, err, "%" PRId32, x);
  }
  if (type == PQ_TYPE_INT64 && v->len == 8) {
    int64_t x;
    memcpy(&x, p, 8);
    return out_printf(b, err, "%" PRId64, x);
  }
  if (type == PQ_TYPE_FLOAT && v->len == 4) {
    float x;
    memcpy(&x, p, 4);
    return out_printf(b, err, "%.9g", (double)x);
  }
  if (type == PQ_TYPE_DOUBLE && v->len == 8) {
    double x;
    memcpy(&x, p, 8);
    return out_printf(b, err, "%.17g", x);
  }
  if (type == PQ_TYPE_BOOLEAN && v->len == 1) {
    return out_printf(b, err, "%s", p[0] ? "true" : "false");
  }
  size_t n = v->len < DESCRIBE_STAT_BYTES ? v->len : DESCRIBE_STAT_BYTES;
  bool printable = type == PQ_TYPE_BYTE_ARRAY;
  for (size_t i = 0; printable && i < n; i++) printable = p[i] >= 0x20 && p[i] < 0x7f;
  if (printable) {
    ICE_TRY(out_printf(b, err, "\"%.*s\"", (int)n, (const char *)p));
  } else {
    ICE_TRY(out_printf(b, err, "0x"));
    for (size_t i = 0; i < n; i++) ICE_TRY(out_printf(b, err, "%02x", p[i]));
  }
  return n < v->len ? out_printf(b, err, "...") : ICE_OK;
}

static int stats_text(struct ice_buf *b, int32_t type, const struct pq_statistics *s,
                      struct ice_error *err) {
  ICE_TRY(out_printf(b, err, "      statistics:"));
  if (s->has_null_count) {
    ICE_TRY(out_printf(b, err, " null_count=%lld", (long long)s->null_count));
  }
  if (s->has_distinct_count) {
    ICE_TRY(out_printf(b, err, " distinct_count=%lld", (long long)s->distinct_count));
  }
  if (s->has_nan_count) ICE_TRY(out_printf(b, err, " nan_count=%lld", (long long)s->nan_count));
  const struct pq_bytes *mn = s->has_min_value ? &s->min_value : s->has_min ? &s->min : NULL;
  const struct pq_bytes *mx = s->has_max_value ? &s->max_value : s->has_max ? &s->max : NULL;
  if (mn != NULL) {
    ICE_TRY(out_printf(b, err, " min%s=", s->has_min_value ? "" : "(deprecated)"));
    ICE_TRY(stat_value(b, type, mn, err));
    if (s->has_is_min_value_exact && !s->is_min_value_exact) {
      ICE_TRY(out_printf(b, err, "(inexact)"));
    }
  }
  if (mx != NULL) {
    ICE_TRY(out_printf(b, err, " max%s=", s->has_max_value ? "" : "(deprecated)"));
    ICE_TRY(stat_value(b, type, mx, err));
    if (s->has_is_max_value_exact && !s->is_max_value_exact) {
      ICE_TRY(out_printf(b, err, "(inexact)"));
    }
  }
  return out_printf(b, err, "\n");
}

static int chunk_text(struct ice_buf *b, const struct pq_column_chunk *cc,
                      struct ice_error *err) {
  if (!cc->has_meta_data) {
    return out_printf(b, err, "    column (no metadata%s)\n",
                      cc->has_crypto_metadata ? ", encrypted" : "");
  }
  const struct pq_column_meta *md = &cc->meta_data;
  ICE_TRY(out_printf(b, err, "    column "));
  for (size_t i = 0; i < md->n_path_in_schema; i++) {
    ICE_TRY(out_printf(b, err, "%s%s", i ? "." : "", md->path_in_schema[i]));
  }
  ICE_TRY(out_printf(b, err, ": %s codec=%s encodings=", pq_type_name(md->type),
                     pq_codec_name(md->codec)));
  for (size_t i = 0; i < md->n_encodings; i++) {
    ICE_TRY(out_printf(b, err, "%s%s", i ? "," : "", pq_encoding_name(md->encodings[i])));
  }
  ICE_TRY(out_printf(b, err,
                     " compressed=%lld uncompressed=%lld values=%lld data_page_offset=%lld",
                     (long long)md->total_compressed_size,
                     (long long)md->total_uncompressed_size, (long long)md->num_values,
                     (long long)md->data_page_offset));
  if (md->has_dictionary_page_offset) {
    ICE_TRY(out_printf(b, err, " dictionary_page_offset=%lld",
                       (long long)md->dictionary_page_offset));
  }
  ICE_TRY(out_printf(b, err, "\n"));
  if (md->has_statistics) ICE_TRY(stats_text(b, md->type, &md->statistics, err));
  return ICE_OK;
}

static int describe(const ice_parquet_file *f, struct ice_buf *b, struct ice_error *err) {
  const struct pq_file_meta *m = &f->meta;
  ICE_TRY(out_printf(b, err, "file: %s\nversion: %d\ncreated_by: %s\nrows: %lld\n"
                     "row_groups: %zu\n", f->in->name, (int)m->version,
                     m->created_by ? m->created_by : "(none)", (long long)f->num_rows,
                     m->n_row_groups));
  if (m->num_rows != f->num_rows) {
    ICE_TRY(out_printf(b, err, "footer_num_rows: %lld (differs from the row groups)\n",
                       (long long)m->num_rows));
  }
  ICE_TRY(out_printf(b, err, "schema:\n"));
  /* Depth from num_children, walking the flattened list with a stack of counts. */
  int32_t left[64 + 2];
  int depth = 0;
  left[0] = 1;
  for (size_t i = 0; i < m->n_schema; i++) {
    while (depth > 0 && left[depth] == 0) depth--;
    const struct pq_schema_element *e = &m->schema[i];
    ICE_TRY(element_text(b, e, depth, err));
    left[depth]--;
    if (e->has_num_children && e->num_children > 0 &&
        depth + 1 < (int)(sizeof left / sizeof left[0])) {
      left[++depth] = e->num_children;
    }
  }
  if (m->n_key_value_metadata > 0) {
    ICE_TRY(out_printf(b, err, "key_value_metadata:\n"));
    for (size_t i = 0; i < m->n_key_value_metadata; i++) {
      const struct pq_key_value *kv = &m->key_value_metadata[i];
      size_t vl = kv->value ? kv->value_len : 0;
      ICE_TRY(out_printf(b, err, "  %s: %s%.*s\n", kv->key, kv->value ? "" : "(no value)",
                         (int)(vl > 200 ? 200 : vl), kv->value ? kv->value : ""));
    }
  }
  for (size_t r = 0; r < m->n_row_groups; r++) {
    const struct pq_row_group *rg = &m->row_groups[r];
    ICE_TRY(out_printf(b, err, "row_group %zu: rows=%lld total_byte_size=%lld", r,
                       (long long)rg->num_rows, (long long)rg->total_byte_size));
    if (rg->has_total_compressed_size) {
      ICE_TRY(out_printf(b, err, " compressed=%lld", (long long)rg->total_compressed_size));
    }
    ICE_TRY(out_printf(b, err, "\n"));
    for (size_t c = 0; c < rg->n_columns; c++) ICE_TRY(chunk_text(b, &rg->columns[c], err));
  }
  return ICE_OK;
}

int ice_parquet_describe(ice_parquet_file *file, char **out, struct ice_error *err) {
  if (file == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "parquet: no file given");
  struct ice_buf b;
  ice_buf_init(&b, DESCRIBE_MAX_BYTES);
  int rc = describe(file, &b, err);
  if (rc == ICE_OK) rc = ice_buf_append_byte(&b, 0, err);
  if (rc != ICE_OK) {
    ice_buf_reset(&b);
    return rc;
  }
  *out = (char *)ice_buf_take(&b);
  return ICE_OK;
}
