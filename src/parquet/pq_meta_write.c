/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Encoding of Parquet metadata into Thrift compact bytes: FileMetaData (and the whole
 * file tail: metadata, length, "PAR1"), PageHeader, ColumnIndex and OffsetIndex.
 * Fields are emitted in ascending id order; optional ones only when present. Values
 * that cannot be represented (unknown union members, NULL required strings, counts
 * beyond i32) are ICE_EINVAL: they are bugs of the caller, not bad input.
 */
#include "parquet/pq_meta.h"

#include <stdio.h>
#include <string.h>

#include "thrift/thrift_compact.h"

/* On failure the partial encoding is dropped so `out` holds only whole structs. */
static int finish(struct thrift_writer *w, size_t start) {
  int rc = thrift_writer_status(w);
  if (rc != ICE_OK) w->out->len = start;
  return rc;
}

static bool check_string(struct thrift_writer *w, const char *s, const char *what) {
  if (s != NULL) return true;
  char msg[128];
  snprintf(msg, sizeof msg, "parquet metadata: %s is NULL", what);
  thrift_writer_fail(w, ICE_EINVAL, msg);
  return false;
}

static void write_bytes_field(struct thrift_writer *w, int16_t id, struct pq_bytes b) {
  thrift_write_binary_field(w, id, b.len ? b.data : (const uint8_t *)"", b.len);
}

static void write_statistics(struct thrift_writer *w, int16_t id, const struct pq_statistics *s) {
  int16_t saved;
  thrift_write_struct_field_begin(w, id, &saved);
  if (s->has_max) write_bytes_field(w, 1, s->max);
  if (s->has_min) write_bytes_field(w, 2, s->min);
  if (s->has_null_count) thrift_write_i64_field(w, 3, s->null_count);
  if (s->has_distinct_count) thrift_write_i64_field(w, 4, s->distinct_count);
  if (s->has_max_value) write_bytes_field(w, 5, s->max_value);
  if (s->has_min_value) write_bytes_field(w, 6, s->min_value);
  if (s->has_is_max_value_exact) thrift_write_bool_field(w, 7, s->is_max_value_exact);
  if (s->has_is_min_value_exact) thrift_write_bool_field(w, 8, s->is_min_value_exact);
  if (s->has_nan_count) thrift_write_i64_field(w, 9, s->nan_count);
  thrift_write_struct_end(w, saved);
}

static void write_key_values(struct thrift_writer *w, int16_t id, const struct pq_key_value *kv,
                             size_t n) {
  thrift_write_field_begin(w, THRIFT_LIST, id);
  thrift_write_list_begin(w, THRIFT_STRUCT, n);
  for (size_t i = 0; i < n; i++) {
    int16_t saved;
    thrift_write_struct_begin(w, &saved);
    if (check_string(w, kv[i].key, "KeyValue.key")) thrift_write_string_field(w, 1, kv[i].key);
    if (kv[i].value != NULL) thrift_write_binary_field(w, 2, kv[i].value, kv[i].value_len);
    thrift_write_struct_end(w, saved);
  }
}

static void write_i64_list(struct thrift_writer *w, int16_t id, const int64_t *v, size_t n) {
  thrift_write_field_begin(w, THRIFT_LIST, id);
  thrift_write_list_begin(w, THRIFT_I64, n);
  for (size_t i = 0; i < n; i++) thrift_write_i64(w, v[i]);
}

/* ------------------------------------------------------------------ schema */

static void write_time_unit(struct thrift_writer *w, const struct pq_logical_type *lt) {
  int16_t saved;
  thrift_write_struct_field_begin(w, 2, &saved);
  if (lt->unit >= PQ_TIME_UNIT_MILLIS && lt->unit <= PQ_TIME_UNIT_NANOS) {
    thrift_write_empty_struct_field(w, (int16_t)lt->unit);
  } else {
    thrift_writer_fail(w, ICE_EINVAL, "parquet metadata: unknown time unit");
  }
  thrift_write_struct_end(w, saved);
}

static void write_logical_type(struct thrift_writer *w, const struct pq_logical_type *lt) {
  int16_t outer, inner;
  thrift_write_struct_field_begin(w, 10, &outer);
  int16_t member = (int16_t)lt->kind;
  switch (lt->kind) {
    case PQ_LOGICAL_STRING: case PQ_LOGICAL_MAP: case PQ_LOGICAL_LIST: case PQ_LOGICAL_ENUM:
    case PQ_LOGICAL_DATE: case PQ_LOGICAL_UNKNOWN: case PQ_LOGICAL_JSON: case PQ_LOGICAL_BSON:
    case PQ_LOGICAL_UUID: case PQ_LOGICAL_FLOAT16: case PQ_LOGICAL_FILE:
      thrift_write_empty_struct_field(w, member);
      break;
    case PQ_LOGICAL_DECIMAL:
      thrift_write_struct_field_begin(w, member, &inner);
      thrift_write_i32_field(w, 1, lt->decimal_scale);
      thrift_write_i32_field(w, 2, lt->decimal_precision);
      thrift_write_struct_end(w, inner);
      break;
    case PQ_LOGICAL_TIME:
    case PQ_LOGICAL_TIMESTAMP:
      thrift_write_struct_field_begin(w, member, &inner);
      thrift_write_bool_field(w, 1, lt->is_adjusted_to_utc);
      write_time_unit(w, lt);
      thrift_write_struct_end(w, inner);
      break;
    case PQ_LOGICAL_INTEGER:
      thrift_write_struct_field_begin(w, member, &inner);
      thrift_write_i8_field(w, 1, lt->int_bit_width);
      thrift_write_bool_field(w, 2, lt->int_is_signed);
      thrift_write_struct_end(w, inner);
      break;
    case PQ_LOGICAL_VARIANT:
      thrift_write_struct_field_begin(w, member, &inner);
      if (lt->has_variant_spec_version) thrift_write_i8_field(w, 1, lt->variant_spec_version);
      thrift_write_struct_end(w, inner);
      break;
    case PQ_LOGICAL_GEOMETRY:
    case PQ_LOGICAL_GEOGRAPHY:
      thrift_write_struct_field_begin(w, member, &inner);
      if (lt->crs != NULL) thrift_write_string_field(w, 1, lt->crs);
      if (lt->kind == PQ_LOGICAL_GEOGRAPHY && lt->has_edge_algorithm) {
        thrift_write_i32_field(w, 2, lt->edge_algorithm);
      }
      thrift_write_struct_end(w, inner);
      break;
    case PQ_LOGICAL_FUTURE:
    default:
      thrift_writer_fail(w, ICE_EINVAL, "parquet metadata: cannot write an unknown logical type");
      break;
  }
  thrift_write_struct_end(w, outer);
}

static void write_schema_element(struct thrift_writer *w, const struct pq_schema_element *e) {
  int16_t saved;
  thrift_write_struct_begin(w, &saved);
  if (e->has_type) thrift_write_i32_field(w, 1, (int32_t)e->type);
  if (e->has_type_length) thrift_write_i32_field(w, 2, e->type_length);
  if (e->has_repetition) thrift_write_i32_field(w, 3, (int32_t)e->repetition);
  if (check_string(w, e->name, "SchemaElement.name")) thrift_write_string_field(w, 4, e->name);
  if (e->has_num_children) thrift_write_i32_field(w, 5, e->num_children);
  if (e->has_converted_type) thrift_write_i32_field(w, 6, (int32_t)e->converted_type);
  if (e->has_scale) thrift_write_i32_field(w, 7, e->scale);
  if (e->has_precision) thrift_write_i32_field(w, 8, e->precision);
  if (e->has_field_id) thrift_write_i32_field(w, 9, e->field_id);
  if (e->has_logical_type) write_logical_type(w, &e->logical_type);
  thrift_write_struct_end(w, saved);
}

/* ------------------------------------------------------------------ row groups */

static void write_size_statistics(struct thrift_writer *w, const struct pq_size_statistics *s) {
  int16_t saved;
  thrift_write_struct_field_begin(w, 16, &saved);
  if (s->has_unencoded_byte_array_data_bytes) {
    thrift_write_i64_field(w, 1, s->unencoded_byte_array_data_bytes);
  }
  if (s->has_repetition_level_histogram) {
    write_i64_list(w, 2, s->repetition_level_histogram, s->n_repetition_level_histogram);
  }
  if (s->has_definition_level_histogram) {
    write_i64_list(w, 3, s->definition_level_histogram, s->n_definition_level_histogram);
  }
  thrift_write_struct_end(w, saved);
}

static void write_column_meta(struct thrift_writer *w, const struct pq_column_meta *m) {
  int16_t saved;
  thrift_write_struct_field_begin(w, 3, &saved);
  thrift_write_i32_field(w, 1, (int32_t)m->type);
  thrift_write_field_begin(w, THRIFT_LIST, 2);
  thrift_write_list_begin(w, THRIFT_I32, m->n_encodings);
  for (size_t i = 0; i < m->n_encodings; i++) thrift_write_i32(w, m->encodings[i]);
  thrift_write_field_begin(w, THRIFT_LIST, 3);
  thrift_write_list_begin(w, THRIFT_BINARY, m->n_path_in_schema);
  for (size_t i = 0; i < m->n_path_in_schema; i++) {
    const char *p = m->path_in_schema[i];
    if (check_string(w, p, "ColumnMetaData.path_in_schema")) thrift_write_binary(w, p, strlen(p));
  }
  thrift_write_i32_field(w, 4, m->codec);
  thrift_write_i64_field(w, 5, m->num_values);
  thrift_write_i64_field(w, 6, m->total_uncompressed_size);
  thrift_write_i64_field(w, 7, m->total_compressed_size);
  if (m->has_key_value_metadata) {
    write_key_values(w, 8, m->key_value_metadata, m->n_key_value_metadata);
  }
  thrift_write_i64_field(w, 9, m->data_page_offset);
  if (m->has_index_page_offset) thrift_write_i64_field(w, 10, m->index_page_offset);
  if (m->has_dictionary_page_offset) thrift_write_i64_field(w, 11, m->dictionary_page_offset);
  if (m->has_statistics) write_statistics(w, 12, &m->statistics);
  if (m->has_encoding_stats) {
    thrift_write_field_begin(w, THRIFT_LIST, 13);
    thrift_write_list_begin(w, THRIFT_STRUCT, m->n_encoding_stats);
    for (size_t i = 0; i < m->n_encoding_stats; i++) {
      int16_t s;
      thrift_write_struct_begin(w, &s);
      thrift_write_i32_field(w, 1, m->encoding_stats[i].page_type);
      thrift_write_i32_field(w, 2, m->encoding_stats[i].encoding);
      thrift_write_i32_field(w, 3, m->encoding_stats[i].count);
      thrift_write_struct_end(w, s);
    }
  }
  if (m->has_bloom_filter_offset) thrift_write_i64_field(w, 14, m->bloom_filter_offset);
  if (m->has_bloom_filter_length) thrift_write_i32_field(w, 15, m->bloom_filter_length);
  if (m->has_size_statistics) write_size_statistics(w, &m->size_statistics);
  thrift_write_struct_end(w, saved);
}

static void write_column_chunk(struct thrift_writer *w, const struct pq_column_chunk *c) {
  int16_t saved;
  thrift_write_struct_begin(w, &saved);
  if (c->file_path != NULL) thrift_write_string_field(w, 1, c->file_path);
  thrift_write_i64_field(w, 2, c->file_offset);
  if (c->has_meta_data) write_column_meta(w, &c->meta_data);
  if (c->has_offset_index_offset) thrift_write_i64_field(w, 4, c->offset_index_offset);
  if (c->has_offset_index_length) thrift_write_i32_field(w, 5, c->offset_index_length);
  if (c->has_column_index_offset) thrift_write_i64_field(w, 6, c->column_index_offset);
  if (c->has_column_index_length) thrift_write_i32_field(w, 7, c->column_index_length);
  if (c->has_crypto_metadata || c->has_encrypted_column_metadata) {
    thrift_writer_fail(w, ICE_EINVAL, "parquet metadata: encryption cannot be written");
  }
  thrift_write_struct_end(w, saved);
}

static void write_row_group(struct thrift_writer *w, const struct pq_row_group *g) {
  int16_t saved;
  thrift_write_struct_begin(w, &saved);
  thrift_write_field_begin(w, THRIFT_LIST, 1);
  thrift_write_list_begin(w, THRIFT_STRUCT, g->n_columns);
  for (size_t i = 0; i < g->n_columns; i++) write_column_chunk(w, &g->columns[i]);
  thrift_write_i64_field(w, 2, g->total_byte_size);
  thrift_write_i64_field(w, 3, g->num_rows);
  if (g->has_sorting_columns) {
    thrift_write_field_begin(w, THRIFT_LIST, 4);
    thrift_write_list_begin(w, THRIFT_STRUCT, g->n_sorting_columns);
    for (size_t i = 0; i < g->n_sorting_columns; i++) {
      int16_t s;
      thrift_write_struct_begin(w, &s);
      thrift_write_i32_field(w, 1, g->sorting_columns[i].column_idx);
      thrift_write_bool_field(w, 2, g->sorting_columns[i].descending);
      thrift_write_bool_field(w, 3, g->sorting_columns[i].nulls_first);
      thrift_write_struct_end(w, s);
    }
  }
  if (g->has_file_offset) thrift_write_i64_field(w, 5, g->file_offset);
  if (g->has_total_compressed_size) thrift_write_i64_field(w, 6, g->total_compressed_size);
  if (g->has_ordinal) thrift_write_i16_field(w, 7, g->ordinal);
  thrift_write_struct_end(w, saved);
}

/* ------------------------------------------------------------------ FileMetaData */

int pq_meta_write_file(const struct pq_file_meta *m, struct ice_buf *out, struct ice_error *err) {
  struct thrift_writer w;
  thrift_writer_init(&w, out, err);
  size_t start = out->len;
  int16_t saved;
  thrift_write_struct_begin(&w, &saved);
  thrift_write_i32_field(&w, 1, m->version);
  thrift_write_field_begin(&w, THRIFT_LIST, 2);
  thrift_write_list_begin(&w, THRIFT_STRUCT, m->n_schema);
  for (size_t i = 0; i < m->n_schema; i++) write_schema_element(&w, &m->schema[i]);
  thrift_write_i64_field(&w, 3, m->num_rows);
  thrift_write_field_begin(&w, THRIFT_LIST, 4);
  thrift_write_list_begin(&w, THRIFT_STRUCT, m->n_row_groups);
  for (size_t i = 0; i < m->n_row_groups; i++) write_row_group(&w, &m->row_groups[i]);
  if (m->has_key_value_metadata) {
    write_key_values(&w, 5, m->key_value_metadata, m->n_key_value_metadata);
  }
  if (m->created_by != NULL) thrift_write_string_field(&w, 6, m->created_by);
  if (m->has_column_orders) {
    thrift_write_field_begin(&w, THRIFT_LIST, 7);
    thrift_write_list_begin(&w, THRIFT_STRUCT, m->n_column_orders);
    for (size_t i = 0; i < m->n_column_orders; i++) {
      enum pq_column_order_kind k = m->column_orders[i].kind;
      int16_t s;
      thrift_write_struct_begin(&w, &s);
      if (k >= PQ_ORDER_TYPE_DEFINED && k <= PQ_ORDER_INT96_TIMESTAMP) {
        thrift_write_empty_struct_field(&w, (int16_t)k);
      } else {
        thrift_writer_fail(&w, ICE_EINVAL, "parquet metadata: unknown column order");
      }
      thrift_write_struct_end(&w, s);
    }
  }
  thrift_write_struct_end(&w, saved);
  return finish(&w, start);
}

int pq_meta_write_footer(const struct pq_file_meta *m, struct ice_buf *out,
                         struct ice_error *err) {
  size_t start = out->len;
  ICE_TRY(pq_meta_write_file(m, out, err));
  size_t n = out->len - start;
  if (n > UINT32_MAX) {
    out->len = start;
    return ice_error_set(err, ICE_ELIMIT, "parquet footer of %zu bytes is too large", n);
  }
  uint8_t tail[8] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24),
                     'P', 'A', 'R', '1'};
  int rc = ice_buf_append(out, tail, sizeof tail, err);
  if (rc != ICE_OK) out->len = start;
  return rc;
}

/* ------------------------------------------------------------------ page header */

int pq_meta_write_page_header(const struct pq_page_header *h, struct ice_buf *out,
                              struct ice_error *err) {
  struct thrift_writer w;
  thrift_writer_init(&w, out, err);
  size_t start = out->len;
  int16_t saved, sub;
  thrift_write_struct_begin(&w, &saved);
  thrift_write_i32_field(&w, 1, h->type);
  thrift_write_i32_field(&w, 2, h->uncompressed_page_size);
  thrift_write_i32_field(&w, 3, h->compressed_page_size);
  if (h->has_crc) thrift_write_i32_field(&w, 4, (int32_t)h->crc);
  if (h->has_data_page_header) {
    const struct pq_data_page_header *p = &h->data_page_header;
    thrift_write_struct_field_begin(&w, 5, &sub);
    thrift_write_i32_field(&w, 1, p->num_values);
    thrift_write_i32_field(&w, 2, p->encoding);
    thrift_write_i32_field(&w, 3, p->definition_level_encoding);
    thrift_write_i32_field(&w, 4, p->repetition_level_encoding);
    if (p->has_statistics) write_statistics(&w, 5, &p->statistics);
    thrift_write_struct_end(&w, sub);
  }
  if (h->has_index_page_header) thrift_write_empty_struct_field(&w, 6);
  if (h->has_dictionary_page_header) {
    const struct pq_dictionary_page_header *p = &h->dictionary_page_header;
    thrift_write_struct_field_begin(&w, 7, &sub);
    thrift_write_i32_field(&w, 1, p->num_values);
    thrift_write_i32_field(&w, 2, p->encoding);
    if (p->has_is_sorted) thrift_write_bool_field(&w, 3, p->is_sorted);
    thrift_write_struct_end(&w, sub);
  }
  if (h->has_data_page_header_v2) {
    const struct pq_data_page_header_v2 *p = &h->data_page_header_v2;
    thrift_write_struct_field_begin(&w, 8, &sub);
    thrift_write_i32_field(&w, 1, p->num_values);
    thrift_write_i32_field(&w, 2, p->num_nulls);
    thrift_write_i32_field(&w, 3, p->num_rows);
    thrift_write_i32_field(&w, 4, p->encoding);
    thrift_write_i32_field(&w, 5, p->definition_levels_byte_length);
    thrift_write_i32_field(&w, 6, p->repetition_levels_byte_length);
    /* The default is true; writing it only when false keeps headers short. */
    if (!p->is_compressed) thrift_write_bool_field(&w, 7, false);
    if (p->has_statistics) write_statistics(&w, 8, &p->statistics);
    thrift_write_struct_end(&w, sub);
  }
  thrift_write_struct_end(&w, saved);
  return finish(&w, start);
}

/* ------------------------------------------------------------------ page index */

int pq_meta_write_column_index(const struct pq_column_index *ci, struct ice_buf *out,
                               struct ice_error *err) {
  struct thrift_writer w;
  thrift_writer_init(&w, out, err);
  size_t start = out->len;
  int16_t saved;
  thrift_write_struct_begin(&w, &saved);
  thrift_write_field_begin(&w, THRIFT_LIST, 1);
  thrift_write_list_begin(&w, THRIFT_BOOL_TRUE, ci->n_pages);
  for (size_t i = 0; i < ci->n_pages; i++) thrift_write_bool_elem(&w, ci->null_pages[i]);
  for (int16_t id = 2; id <= 3; id++) {
    const struct pq_bytes *v = id == 2 ? ci->min_values : ci->max_values;
    thrift_write_field_begin(&w, THRIFT_LIST, id);
    thrift_write_list_begin(&w, THRIFT_BINARY, ci->n_pages);
    for (size_t i = 0; i < ci->n_pages; i++) {
      thrift_write_binary(&w, v[i].len ? v[i].data : (const uint8_t *)"", v[i].len);
    }
  }
  thrift_write_i32_field(&w, 4, ci->boundary_order);
  if (ci->has_null_counts) write_i64_list(&w, 5, ci->null_counts, ci->n_null_counts);
  if (ci->has_repetition_level_histograms) {
    write_i64_list(&w, 6, ci->repetition_level_histograms, ci->n_repetition_level_histograms);
  }
  if (ci->has_definition_level_histograms) {
    write_i64_list(&w, 7, ci->definition_level_histograms, ci->n_definition_level_histograms);
  }
  if (ci->has_nan_counts) write_i64_list(&w, 8, ci->nan_counts, ci->n_nan_counts);
  thrift_write_struct_end(&w, saved);
  return finish(&w, start);
}

int pq_meta_write_offset_index(const struct pq_offset_index *oi, struct ice_buf *out,
                               struct ice_error *err) {
  struct thrift_writer w;
  thrift_writer_init(&w, out, err);
  size_t start = out->len;
  int16_t saved;
  thrift_write_struct_begin(&w, &saved);
  thrift_write_field_begin(&w, THRIFT_LIST, 1);
  thrift_write_list_begin(&w, THRIFT_STRUCT, oi->n_page_locations);
  for (size_t i = 0; i < oi->n_page_locations; i++) {
    const struct pq_page_location *p = &oi->page_locations[i];
    int16_t s;
    thrift_write_struct_begin(&w, &s);
    thrift_write_i64_field(&w, 1, p->offset);
    thrift_write_i32_field(&w, 2, p->compressed_page_size);
    thrift_write_i64_field(&w, 3, p->first_row_index);
    thrift_write_struct_end(&w, s);
  }
  if (oi->has_unencoded_byte_array_data_bytes) {
    write_i64_list(&w, 2, oi->unencoded_byte_array_data_bytes,
                   oi->n_unencoded_byte_array_data_bytes);
  }
  thrift_write_struct_end(&w, saved);
  return finish(&w, start);
}
