/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming v2 manifest writer (spec "Manifests"; reference/iceberg.md §3.3-§3.7).
 * Each entry is encoded straight into the Avro writer's current block, so memory is
 * one block plus the running manifest_file statistics (counts, min sequence number and
 * per-partition-field summaries), whatever the number of entries.
 */
#include <stdio.h>
#include <string.h>

#include "avro/avro.h"
#include "iceberg/ib_manifest.h"
#include "iceberg/ib_manifest_schema.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_json.h"
#include "util/alloc.h"

/* Running summary of one partition field (min/max hold owned serialized bytes). */
struct part_stats {
  struct ib_type type;
  bool contains_null, contains_nan, has_bounds;
  struct ice_buf lower, upper; /* §4 bytes of the current min / max */
  struct ib_value min, max;    /* decoded views into lower/upper */
};

struct ib_manifest_writer {
  struct ice_output *out;
  char *path;
  struct avro_schema *avro;
  struct avro_ocf_writer *ocf;
  int32_t spec_id;
  enum ib_manifest_content content;
  int64_t snapshot_id;
  int32_t added, existing, deleted;
  int64_t added_rows, existing_rows, deleted_rows;
  bool has_min_seq;
  int64_t min_seq;
  struct part_stats *parts;
  size_t n_parts;
  bool finished;
};

void ib_manifest_entry_init(struct ib_manifest_entry *e) {
  memset(e, 0, sizeof(*e));
  ib_data_file_init(&e->file);
}

void ib_manifest_entry_reset(struct ib_manifest_entry *e) {
  ib_data_file_reset(&e->file);
  ib_manifest_entry_init(e);
}

void ib_manifest_writer_free(struct ib_manifest_writer *w) {
  if (w == NULL) return;
  if (!w->finished && w->out != NULL) ice_output_abort(w->out);
  avro_ocf_writer_free(w->ocf);
  avro_schema_free(w->avro);
  for (size_t i = 0; i < w->n_parts; i++) {
    ice_buf_reset(&w->parts[i].lower);
    ice_buf_reset(&w->parts[i].upper);
  }
  ice_free(w->parts);
  ice_free(w->path);
  ice_free(w);
}

int ib_manifest_codec_parse(const char *codec, enum avro_codec *out,
                            struct ice_error *err) {
  if (codec == NULL || strcmp(codec, "deflate") == 0 || strcmp(codec, "gzip") == 0) {
    *out = AVRO_CODEC_DEFLATE; /* Java's default manifest codec (gzip = Avro deflate) */
    return ICE_OK;
  }
  if (strcmp(codec, "null") == 0 || strcmp(codec, "none") == 0 ||
      strcmp(codec, "uncompressed") == 0) {
    *out = AVRO_CODEC_NULL;
    return ICE_OK;
  }
  ICE_FAIL(err, ICE_EUNSUPPORTED,
           "manifest codec '%.32s' is not supported (use gzip or none)", codec);
}

/* Opens the Avro writer with the header keys of §3.5. */
static int open_ocf(struct ib_manifest_writer *w, const struct ib_schema *schema,
                    const struct ib_partition_spec *spec, enum avro_codec codec,
                    struct ice_error *err) {
  char *schema_json = NULL, *spec_json = NULL, *avro_json = NULL;
  char schema_id[16], spec_id[16];
  snprintf(schema_id, sizeof(schema_id), "%d", (int)schema->schema_id);
  snprintf(spec_id, sizeof(spec_id), "%d", (int)spec->spec_id);
  int rc = ib_schema_to_string(schema, &schema_json, err);
  if (rc == ICE_OK) rc = ib_partition_fields_to_string(spec, &spec_json, err);
  if (rc == ICE_OK) rc = ib_manifest_entry_avro_schema(schema, spec, &avro_json, err);
  if (rc == ICE_OK) rc = avro_schema_parse(avro_json, strlen(avro_json), &w->avro, err);
  if (rc == ICE_OK) {
    const char *meta[] = {"schema",
                          schema_json,
                          "schema-id",
                          schema_id,
                          "partition-spec",
                          spec_json,
                          "partition-spec-id",
                          spec_id,
                          "format-version",
                          "2",
                          "content",
                          w->content == IB_MANIFEST_DATA ? "data" : "deletes",
                          NULL};
    struct avro_ocf_writer_options opts;
    memset(&opts, 0, sizeof(opts));
    opts.codec = codec;
    rc = avro_ocf_writer_new(w->out, w->avro, meta, &opts, &w->ocf, err);
  }
  ice_free(schema_json);
  ice_free(spec_json);
  ice_free(avro_json);
  return rc;
}

int ib_manifest_writer_new(struct ice_output *out, const char *path,
                           const struct ib_schema *schema,
                           const struct ib_partition_spec *spec,
                           enum ib_manifest_content content, int64_t snapshot_id,
                           const char *codec, struct ib_manifest_writer **wp,
                           struct ice_error *err) {
  enum avro_codec c;
  ICE_TRY(ib_manifest_codec_parse(codec, &c, err));
  struct ib_manifest_writer *w = ice_calloc(1, sizeof(*w));
  if (w == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  w->out = out;
  w->spec_id = spec->spec_id;
  w->content = content;
  w->snapshot_id = snapshot_id;
  w->path = ice_strdup(path);
  int rc = w->path ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  if (rc == ICE_OK && spec->n_fields > 0) {
    w->parts = ice_calloc(spec->n_fields, sizeof(*w->parts));
    if (w->parts == NULL)
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
    else
      w->n_parts = spec->n_fields;
  }
  for (size_t i = 0; rc == ICE_OK && i < w->n_parts; i++) {
    rc = ib_partition_result_type(&spec->fields[i], schema, &w->parts[i].type, err);
    ice_buf_init(&w->parts[i].lower, 1u << 20);
    ice_buf_init(&w->parts[i].upper, 1u << 20);
  }
  if (rc == ICE_OK) rc = open_ocf(w, schema, spec, c, err);
  if (rc != ICE_OK) {
    w->finished = true; /* nothing to abort on the caller's output yet */
    ib_manifest_writer_free(w);
    return ice_error_prefix_path(err, "manifest", path);
  }
  *wp = w;
  return ICE_OK;
}

/* ---- encoding ---- */

static int put_opt_long(struct ice_buf *b, bool has, int64_t v, struct ice_error *err) {
  ICE_TRY(avro_put_union(b, has ? 1 : 0, err));
  return has ? avro_put_long(b, v, err) : ICE_OK;
}

static int put_counts(struct ice_buf *b, const struct ib_metric_counts *m,
                      struct ice_error *err) {
  if (m->n == 0) return avro_put_union(b, 0, err);
  ICE_TRY(avro_put_union(b, 1, err));
  ICE_TRY(avro_put_block_count(b, m->n, err));
  for (size_t i = 0; i < m->n; i++) {
    ICE_TRY(avro_put_int(b, m->items[i].field_id, err));
    ICE_TRY(avro_put_long(b, m->items[i].value, err));
  }
  return avro_put_block_count(b, 0, err);
}

static int put_bounds(struct ice_buf *b, const struct ib_metric_bounds *m,
                      struct ice_error *err) {
  if (m->n == 0) return avro_put_union(b, 0, err);
  ICE_TRY(avro_put_union(b, 1, err));
  ICE_TRY(avro_put_block_count(b, m->n, err));
  for (size_t i = 0; i < m->n; i++) {
    ICE_TRY(avro_put_int(b, m->items[i].field_id, err));
    ICE_TRY(avro_put_bytes(b, m->items[i].data, m->items[i].len, err));
  }
  return avro_put_block_count(b, 0, err);
}

static int put_partition_value(struct ice_buf *b, const struct ib_type *t,
                               const struct ib_partition_value *pv,
                               struct ice_error *err) {
  if (pv->is_null) return avro_put_union(b, 0, err);
  ICE_TRY(avro_put_union(b, 1, err));
  const struct ib_value *v = &pv->value;
  if (v->type != t->id)
    ICE_FAIL(err, ICE_EINVAL, "partition field %d: value type does not match the spec",
             (int)pv->field_id);
  switch (t->id) {
    case IB_TYPE_BOOLEAN:
      return avro_put_boolean(b, v->u.b, err);
    case IB_TYPE_INT:
    case IB_TYPE_DATE:
      return avro_put_int(b, v->u.i32, err);
    case IB_TYPE_LONG:
    case IB_TYPE_TIME:
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      return avro_put_long(b, v->u.i64, err);
    case IB_TYPE_FLOAT:
      return avro_put_float(b, v->u.f32, err);
    case IB_TYPE_DOUBLE:
      return avro_put_double(b, v->u.f64, err);
    case IB_TYPE_STRING:
      return avro_put_string(b, (const char *)v->bytes, v->len, err);
    case IB_TYPE_BINARY:
      return avro_put_bytes(b, v->bytes, v->len, err);
    case IB_TYPE_UUID:
    case IB_TYPE_FIXED: {
      size_t want = t->id == IB_TYPE_UUID ? 16 : (size_t)t->length;
      if (v->len != want)
        ICE_FAIL(err, ICE_EINVAL, "partition value of %zu bytes, want %zu", v->len, want);
      return avro_put_fixed(b, v->bytes, v->len, err);
    }
    case IB_TYPE_DECIMAL: {
      uint8_t tmp[16];
      size_t width = (size_t)ib_decimal_bytes_for_precision(t->precision);
      ICE_TRY(ib_decimal_sign_extend(v->bytes, v->len, tmp, width, err));
      return avro_put_fixed(b, tmp, width, err);
    }
    default:
      ICE_FAIL(err, ICE_EINVAL, "nested partition type");
  }
}

static int update_part_stats(struct part_stats *ps, const struct ib_partition_value *pv,
                             struct ice_error *err) {
  if (pv->is_null) {
    ps->contains_null = true;
    return ICE_OK;
  }
  if (ib_value_is_nan(&pv->value)) {
    ps->contains_nan = true;
    return ICE_OK;
  }
  bool lower = !ps->has_bounds || ib_value_compare(&pv->value, &ps->min) < 0;
  bool upper = !ps->has_bounds || ib_value_compare(&pv->value, &ps->max) > 0;
  if (lower) {
    ice_buf_clear(&ps->lower);
    ICE_TRY(ib_value_serialize(&pv->value, &ps->lower, err));
    ICE_TRY(
        ib_value_deserialize(&ps->type, ps->lower.data, ps->lower.len, &ps->min, err));
  }
  if (upper) {
    ice_buf_clear(&ps->upper);
    ICE_TRY(ib_value_serialize(&pv->value, &ps->upper, err));
    ICE_TRY(
        ib_value_deserialize(&ps->type, ps->upper.data, ps->upper.len, &ps->max, err));
  }
  ps->has_bounds = true;
  return ICE_OK;
}

/* Appends one manifest_entry datum (v2 field order, §3.8) to b. */
static int encode_entry(const struct ib_manifest_writer *w, struct ice_buf *b,
                        enum ib_entry_status status, bool has_sid, int64_t sid,
                        bool has_seq, int64_t seq, bool has_fseq, int64_t fseq,
                        const struct ib_data_file *f, struct ice_error *err) {
  ICE_TRY(avro_put_int(b, (int32_t)status, err));
  ICE_TRY(put_opt_long(b, has_sid, sid, err));
  ICE_TRY(put_opt_long(b, has_seq, seq, err));
  ICE_TRY(put_opt_long(b, has_fseq, fseq, err));
  ICE_TRY(avro_put_int(b, (int32_t)f->content, err));
  ICE_TRY(avro_put_cstring(b, f->file_path, err));
  ICE_TRY(avro_put_cstring(b, ib_file_format_name(f->file_format), err));
  for (size_t i = 0; i < w->n_parts; i++)
    ICE_TRY(put_partition_value(b, &w->parts[i].type, &f->partition.values[i], err));
  ICE_TRY(avro_put_long(b, f->record_count, err));
  ICE_TRY(avro_put_long(b, f->file_size_in_bytes, err));
  ICE_TRY(put_counts(b, &f->column_sizes, err));
  ICE_TRY(put_counts(b, &f->value_counts, err));
  ICE_TRY(put_counts(b, &f->null_value_counts, err));
  ICE_TRY(put_counts(b, &f->nan_value_counts, err));
  ICE_TRY(put_bounds(b, &f->lower_bounds, err));
  ICE_TRY(put_bounds(b, &f->upper_bounds, err));
  ICE_TRY(avro_put_union(b, f->key_metadata ? 1 : 0, err));
  if (f->key_metadata)
    ICE_TRY(avro_put_bytes(b, f->key_metadata, f->key_metadata_len, err));
  ICE_TRY(avro_put_union(b, f->n_split_offsets ? 1 : 0, err));
  if (f->n_split_offsets) {
    ICE_TRY(avro_put_block_count(b, f->n_split_offsets, err));
    for (size_t i = 0; i < f->n_split_offsets; i++)
      ICE_TRY(avro_put_long(b, f->split_offsets[i], err));
    ICE_TRY(avro_put_block_count(b, 0, err));
  }
  ICE_TRY(avro_put_union(b, f->n_equality_ids ? 1 : 0, err));
  if (f->n_equality_ids) {
    ICE_TRY(avro_put_block_count(b, f->n_equality_ids, err));
    for (size_t i = 0; i < f->n_equality_ids; i++)
      ICE_TRY(avro_put_int(b, f->equality_ids[i], err));
    ICE_TRY(avro_put_block_count(b, 0, err));
  }
  ICE_TRY(avro_put_union(b, f->has_sort_order_id ? 1 : 0, err));
  if (f->has_sort_order_id) ICE_TRY(avro_put_int(b, f->sort_order_id, err));
  ICE_TRY(avro_put_union(b, f->referenced_data_file ? 1 : 0, err));
  if (f->referenced_data_file) ICE_TRY(avro_put_cstring(b, f->referenced_data_file, err));
  return ICE_OK;
}

static int write_entry(struct ib_manifest_writer *w, enum ib_entry_status status,
                       bool has_sid, int64_t sid, bool has_seq, int64_t seq,
                       bool has_fseq, int64_t fseq, const struct ib_data_file *f,
                       struct ice_error *err) {
  if (w->finished) ICE_FAIL(err, ICE_EINVAL, "manifest already finished");
  if (f->file_path == NULL) ICE_FAIL(err, ICE_EINVAL, "data file without a path");
  if (f->record_count < 0 || f->file_size_in_bytes < 0)
    ICE_FAIL(err, ICE_EINVAL, "data file %s: negative record count or size",
             f->file_path);
  bool is_delete = f->content != IB_CONTENT_DATA;
  if (is_delete != (w->content == IB_MANIFEST_DELETES))
    ICE_FAIL(err, ICE_EINVAL, "data file %s: content %d does not belong in a %s manifest",
             f->file_path, (int)f->content,
             w->content == IB_MANIFEST_DATA ? "data" : "delete");
  if (f->partition.n != w->n_parts)
    ICE_FAIL(err, ICE_EINVAL, "data file %s: %zu partition values, spec has %zu",
             f->file_path, f->partition.n, w->n_parts);
  int32_t *count = status == IB_STATUS_ADDED      ? &w->added
                   : status == IB_STATUS_EXISTING ? &w->existing
                                                  : &w->deleted;
  int64_t *rows = status == IB_STATUS_ADDED      ? &w->added_rows
                  : status == IB_STATUS_EXISTING ? &w->existing_rows
                                                 : &w->deleted_rows;
  if (*count == INT32_MAX || *rows > INT64_MAX - f->record_count)
    ICE_FAIL(err, ICE_ELIMIT, "too many entries or rows in one manifest");
  /* Summaries first: if encoding then fails they only cover a superset of the entries,
   * which keeps them valid bounds. */
  for (size_t i = 0; i < w->n_parts; i++)
    ICE_TRY(update_part_stats(&w->parts[i], &f->partition.values[i], err));
  int rc = encode_entry(w, avro_ocf_writer_record_buf(w->ocf), status, has_sid, sid,
                        has_seq, seq, has_fseq, fseq, f, err);
  if (rc != ICE_OK) {
    /* Keep the block well-formed: a half-encoded datum must not stay in it. */
    avro_ocf_writer_discard_record(w->ocf);
    return rc;
  }
  ICE_TRY(avro_ocf_writer_end_record(w->ocf, err));
  (*count)++;
  *rows += f->record_count;
  /* min_sequence_number: known data sequence numbers of live entries only (§3.7). */
  if (status != IB_STATUS_DELETED && has_seq && (!w->has_min_seq || seq < w->min_seq)) {
    w->has_min_seq = true;
    w->min_seq = seq;
  }
  return ICE_OK;
}

int ib_manifest_writer_add(struct ib_manifest_writer *w, const struct ib_data_file *f,
                           struct ice_error *err) {
  return write_entry(w, IB_STATUS_ADDED, true, w->snapshot_id, false, 0, false, 0, f,
                     err);
}

int ib_manifest_writer_add_existing(struct ib_manifest_writer *w,
                                    const struct ib_manifest_entry *e,
                                    struct ice_error *err) {
  if (!e->has_snapshot_id || !e->has_sequence_number || !e->has_file_sequence_number)
    ICE_FAIL(err, ICE_EINVAL,
             "existing entry %s: snapshot id and sequence numbers must be known",
             e->file.file_path ? e->file.file_path : "?");
  return write_entry(w, IB_STATUS_EXISTING, true, e->snapshot_id, true,
                     e->sequence_number, true, e->file_sequence_number, &e->file, err);
}

int ib_manifest_writer_add_deleted(struct ib_manifest_writer *w,
                                   const struct ib_manifest_entry *e,
                                   struct ice_error *err) {
  if (!e->has_sequence_number || !e->has_file_sequence_number)
    ICE_FAIL(err, ICE_EINVAL, "deleted entry %s: sequence numbers must be known",
             e->file.file_path ? e->file.file_path : "?");
  return write_entry(w, IB_STATUS_DELETED, true, w->snapshot_id, true, e->sequence_number,
                     true, e->file_sequence_number, &e->file, err);
}

static int dup_buf(const struct ice_buf *b, uint8_t **out, size_t *len,
                   struct ice_error *err) {
  *out = ice_malloc(b->len ? b->len : 1);
  if (*out == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  if (b->len) memcpy(*out, b->data, b->len);
  *len = b->len;
  return ICE_OK;
}

static int fill_manifest_file(const struct ib_manifest_writer *w,
                              struct ib_manifest_file *mf, struct ice_error *err) {
  ib_manifest_file_init(mf);
  mf->manifest_path = ice_strdup(w->path);
  if (mf->manifest_path == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  mf->manifest_length = w->out->written;
  mf->partition_spec_id = w->spec_id;
  mf->content = w->content;
  mf->sequence_number = IB_SEQ_UNASSIGNED;
  /* Entries with inherited sequence numbers get this commit's (higher) number, so the
   * known minimum, if any, is the minimum; otherwise the list writer fills it in. */
  mf->min_sequence_number = w->has_min_seq ? w->min_seq : IB_SEQ_UNASSIGNED;
  mf->added_snapshot_id = w->snapshot_id;
  mf->added_files_count = w->added;
  mf->existing_files_count = w->existing;
  mf->deleted_files_count = w->deleted;
  mf->added_rows_count = w->added_rows;
  mf->existing_rows_count = w->existing_rows;
  mf->deleted_rows_count = w->deleted_rows;
  mf->has_partitions = true;
  if (w->n_parts == 0) return ICE_OK;
  mf->partitions = ice_calloc(w->n_parts, sizeof(*mf->partitions));
  if (mf->partitions == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  mf->n_partitions = w->n_parts;
  for (size_t i = 0; i < w->n_parts; i++) {
    const struct part_stats *ps = &w->parts[i];
    struct ib_field_summary *s = &mf->partitions[i];
    s->contains_null = ps->contains_null;
    bool floating = ps->type.id == IB_TYPE_FLOAT || ps->type.id == IB_TYPE_DOUBLE;
    s->has_contains_nan = floating;
    s->contains_nan = ps->contains_nan;
    if (ps->has_bounds) {
      ICE_TRY(dup_buf(&ps->lower, &s->lower_bound, &s->lower_len, err));
      ICE_TRY(dup_buf(&ps->upper, &s->upper_bound, &s->upper_len, err));
    }
  }
  return ICE_OK;
}

int ib_manifest_writer_finish(struct ib_manifest_writer *w, struct ib_manifest_file *mf,
                              struct ice_error *err) {
  if (w->finished) ICE_FAIL(err, ICE_EINVAL, "manifest already finished");
  int rc = avro_ocf_writer_finish(w->ocf, err);
  if (rc == ICE_OK) rc = ice_output_finish(w->out, err);
  if (rc != ICE_OK) return ice_error_prefix_path(err, "manifest", w->path);
  w->finished = true;
  struct ib_manifest_file tmp;
  rc = fill_manifest_file(w, &tmp, err);
  if (rc != ICE_OK) {
    ib_manifest_file_reset(&tmp);
    return rc;
  }
  *mf = tmp;
  return ICE_OK;
}
