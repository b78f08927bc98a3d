/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming manifest reader for v1 and v2 manifests (spec "Manifests"): one entry at a
 * time through the Avro OCF reader, columns resolved by field id then name, v1 defaults
 * (content 0, no sequence numbers) and the inheritance rules of §3.7 applied so callers
 * always see materialized snapshot ids and sequence numbers.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "avro/avro.h"
#include "iceberg/ib_avro_fields.h"
#include "iceberg/ib_manifest.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"

struct ib_manifest_reader {
  struct avro_ocf_reader *ocf;
  struct ice_arena arena;
  bool has_mf;
  int64_t added_snapshot_id;
  int64_t sequence_number;
  int format_version;
};

void ib_manifest_reader_free(struct ib_manifest_reader *r) {
  if (r == NULL) return;
  avro_ocf_reader_free(r->ocf);
  ice_arena_reset(&r->arena);
  ice_free(r);
}

int ib_manifest_reader_open(struct ice_input *in, const struct ib_manifest_file *mf,
                            struct ib_manifest_reader **out, struct ice_error *err) {
  struct ib_manifest_reader *r = ice_calloc(1, sizeof(*r));
  if (r == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  ice_arena_init(&r->arena, 0);
  int rc = avro_ocf_reader_open(in, &r->ocf, err);
  if (rc != ICE_OK) {
    ib_manifest_reader_free(r);
    return ice_error_prefix_path(err, "manifest", in->name);
  }
  const char *fv = avro_ocf_reader_meta(r->ocf, "format-version", NULL);
  long v = fv ? strtol(fv, NULL, 10) : 1; /* v1 writers may omit the key */
  r->format_version = v >= 1 && v <= 3 ? (int)v : 1;
  if (mf != NULL) {
    r->has_mf = true;
    r->added_snapshot_id = mf->added_snapshot_id;
    r->sequence_number = mf->sequence_number;
  }
  *out = r;
  return ICE_OK;
}

const char *ib_manifest_reader_meta(const struct ib_manifest_reader *r, const char *key) {
  return avro_ocf_reader_meta(r->ocf, key, NULL);
}

int ib_manifest_reader_format_version(const struct ib_manifest_reader *r) {
  return r->format_version;
}

/* Metric maps: arrays of {key:int, value:long|bytes} records (Java's layout). */
static int read_counts(const struct avro_value *df, int32_t id, const char *name,
                       struct ib_metric_counts *m, struct ice_error *err) {
  const struct avro_value *v = ib_avro_field(df, id, name);
  if (v == NULL || avro_value_is_null(v)) return ICE_OK;
  ICE_CHECK_DATA(v->schema->type == AVRO_ARRAY, err,
                 "'%s' is not a list of key/value records", name);
  for (size_t i = 0; i < v->u.array.n; i++) {
    const struct avro_value *kv = &v->u.array.items[i];
    int32_t k;
    int64_t x;
    const struct avro_value *key = avro_value_field(kv, "key");
    const struct avro_value *val = avro_value_field(kv, "value");
    ICE_CHECK_DATA(avro_value_as_int(key, &k) && avro_value_as_long(val, &x), err,
                   "'%s': malformed entry", name);
    ICE_TRY(ib_metric_counts_append(m, k, x, err));
  }
  return ICE_OK;
}

static int read_bounds(const struct avro_value *df, int32_t id, const char *name,
                       struct ib_metric_bounds *m, struct ice_error *err) {
  const struct avro_value *v = ib_avro_field(df, id, name);
  if (v == NULL || avro_value_is_null(v)) return ICE_OK;
  ICE_CHECK_DATA(v->schema->type == AVRO_ARRAY, err,
                 "'%s' is not a list of key/value records", name);
  for (size_t i = 0; i < v->u.array.n; i++) {
    const struct avro_value *kv = &v->u.array.items[i];
    int32_t k;
    const uint8_t *p;
    size_t n;
    ICE_CHECK_DATA(avro_value_as_int(avro_value_field(kv, "key"), &k) &&
                       avro_value_as_bytes(avro_value_field(kv, "value"), &p, &n),
                   err, "'%s': malformed entry", name);
    ICE_TRY(ib_metric_bounds_append(m, k, p, n, err));
  }
  return ICE_OK;
}

static int read_long_list(const struct avro_value *df, int32_t id, const char *name,
                          int64_t **out, size_t *n_out, struct ice_error *err) {
  const struct avro_value *v = ib_avro_field(df, id, name);
  if (v == NULL || avro_value_is_null(v)) return ICE_OK;
  ICE_CHECK_DATA(v->schema->type == AVRO_ARRAY, err, "'%s' is not a list", name);
  size_t n = v->u.array.n;
  if (n == 0) return ICE_OK;
  int64_t *p = ice_calloc(n, sizeof(int64_t));
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    if (!avro_value_as_long(&v->u.array.items[i], &p[i])) {
      ice_free(p);
      ICE_FAIL(err, ICE_ECORRUPT, "'%s' holds a non-integer", name);
    }
  }
  *out = p;
  *n_out = n;
  return ICE_OK;
}

/* The Iceberg type a partition value was written with, from its Avro type. */
static enum ib_type_id partition_type_of(const struct avro_value *v) {
  const struct avro_schema *s = v->schema;
  const char *lt = s->logical_type;
  switch (s->type) {
    case AVRO_BOOLEAN:
      return IB_TYPE_BOOLEAN;
    case AVRO_INT:
      return lt && strcmp(lt, "date") == 0 ? IB_TYPE_DATE : IB_TYPE_INT;
    case AVRO_LONG:
      if (lt && strcmp(lt, "time-micros") == 0) return IB_TYPE_TIME;
      if (lt && strcmp(lt, "timestamp-micros") == 0) {
        /* adjust-to-utc is a boolean attribute; absent means timestamp without zone. */
        bool utc =
            s->props != NULL && json_is_true(json_object_get(s->props, "adjust-to-utc"));
        return utc ? IB_TYPE_TIMESTAMPTZ : IB_TYPE_TIMESTAMP;
      }
      return IB_TYPE_LONG;
    case AVRO_FLOAT:
      return IB_TYPE_FLOAT;
    case AVRO_DOUBLE:
      return IB_TYPE_DOUBLE;
    case AVRO_STRING:
      return IB_TYPE_STRING;
    case AVRO_BYTES:
      return lt && strcmp(lt, "decimal") == 0 ? IB_TYPE_DECIMAL : IB_TYPE_BINARY;
    case AVRO_FIXED:
      if (lt && strcmp(lt, "decimal") == 0) return IB_TYPE_DECIMAL;
      if (lt && strcmp(lt, "uuid") == 0) return IB_TYPE_UUID;
      return IB_TYPE_FIXED;
    default:
      return (enum ib_type_id)0;
  }
}

static int read_partition(const struct avro_value *df, struct ib_data_file *f,
                          struct ice_error *err) {
  const struct avro_value *p = ib_avro_field(df, 102, "partition");
  ICE_CHECK_DATA(p != NULL && p->schema->type == AVRO_RECORD, err,
                 "missing 'partition' record");
  const struct avro_schema *s = p->schema;
  if (s->n_fields == 0) return ICE_OK;
  ICE_CHECK_DATA(s->n_fields <= ICE_LIMIT_COLUMNS, err, "too many partition fields");
  int32_t *ids = ice_calloc(s->n_fields, sizeof(int32_t));
  if (ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < s->n_fields; i++) {
    int64_t id;
    /* v1 manifests written before partition field ids: 1000 + position. */
    ids[i] = avro_schema_prop_int(s->fields[i].props, "field-id", &id) && id >= 0 &&
                     id <= INT32_MAX
                 ? (int32_t)id
                 : 1000 + (int32_t)i;
  }
  int rc = ib_data_file_set_partition_fields(f, ids, s->n_fields, err);
  ice_free(ids);
  ICE_TRY(rc);
  for (size_t i = 0; i < s->n_fields; i++) {
    const struct avro_value *v = &p->u.record.fields[i];
    if (avro_value_is_null(v)) continue;
    struct ib_value val;
    memset(&val, 0, sizeof(val));
    val.type = partition_type_of(v);
    switch (v->schema->type) {
      case AVRO_BOOLEAN:
        val.u.b = v->u.boolean;
        break;
      case AVRO_INT:
        val.u.i32 = v->u.i32;
        break;
      case AVRO_LONG:
        val.u.i64 = v->u.i64;
        break;
      case AVRO_FLOAT:
        val.u.f32 = v->u.f32;
        break;
      case AVRO_DOUBLE:
        val.u.f64 = v->u.f64;
        break;
      case AVRO_STRING:
      case AVRO_BYTES:
      case AVRO_FIXED:
        val.bytes = v->u.bytes.data;
        val.len = v->u.bytes.len;
        break;
      default:
        ICE_FAIL(err, ICE_ECORRUPT, "partition field %zu has unsupported Avro type %s", i,
                 avro_type_name(v->schema->type));
    }
    ICE_TRY(ib_data_file_set_partition_value(f, i, &val, err));
  }
  return ICE_OK;
}

static int read_data_file(const struct avro_value *df, struct ib_data_file *f,
                          struct ice_error *err) {
  ICE_CHECK_DATA(df != NULL && df->schema->type == AVRO_RECORD, err,
                 "missing 'data_file'");
  bool present;
  int32_t content = 0;
  ICE_TRY(ib_avro_opt_int(df, 134, "content", &present, &content, err));
  ICE_CHECK_DATA(content >= 0 && content <= 2, err, "data file content %d", (int)content);
  f->content = (enum ib_content)content;
  const char *s;
  ICE_TRY(ib_avro_req_string(df, 100, "file_path", &s, err));
  ICE_TRY(ib_data_file_set_path(f, s, err));
  ICE_TRY(ib_avro_req_string(df, 101, "file_format", &s, err));
  ICE_TRY(ib_file_format_parse(s, &f->file_format, err));
  ICE_TRY(read_partition(df, f, err));
  ICE_TRY(ib_avro_req_long(df, 103, "record_count", &f->record_count, err));
  ICE_TRY(ib_avro_req_long(df, 104, "file_size_in_bytes", &f->file_size_in_bytes, err));
  ICE_CHECK_DATA(f->record_count >= 0 && f->file_size_in_bytes >= 0, err,
                 "negative record count or file size");
  ICE_TRY(read_counts(df, 108, "column_sizes", &f->column_sizes, err));
  ICE_TRY(read_counts(df, 109, "value_counts", &f->value_counts, err));
  ICE_TRY(read_counts(df, 110, "null_value_counts", &f->null_value_counts, err));
  ICE_TRY(read_counts(df, 137, "nan_value_counts", &f->nan_value_counts, err));
  ICE_TRY(read_bounds(df, 125, "lower_bounds", &f->lower_bounds, err));
  ICE_TRY(read_bounds(df, 128, "upper_bounds", &f->upper_bounds, err));
  const struct avro_value *km = ib_avro_field(df, 131, "key_metadata");
  if (km != NULL && !avro_value_is_null(km)) {
    const uint8_t *p;
    size_t n;
    ICE_CHECK_DATA(avro_value_as_bytes(km, &p, &n), err, "'key_metadata' is not bytes");
    f->key_metadata = ice_malloc(n ? n : 1);
    if (f->key_metadata == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    if (n) memcpy(f->key_metadata, p, n);
    f->key_metadata_len = n;
  }
  ICE_TRY(read_long_list(df, 132, "split_offsets", &f->split_offsets, &f->n_split_offsets,
                         err));
  int64_t *eq = NULL;
  size_t n_eq = 0;
  ICE_TRY(read_long_list(df, 135, "equality_ids", &eq, &n_eq, err));
  for (size_t i = 0; i < n_eq; i++) {
    int rc = eq[i] >= INT32_MIN && eq[i] <= INT32_MAX
                 ? ib_data_file_add_equality_id(f, (int32_t)eq[i], err)
                 : ice_error_set(err, ICE_ECORRUPT, "equality id out of range");
    if (rc != ICE_OK) {
      ice_free(eq);
      return rc;
    }
  }
  ice_free(eq);
  ICE_TRY(ib_avro_opt_int(df, 140, "sort_order_id", &f->has_sort_order_id,
                          &f->sort_order_id, err));
  const struct avro_value *rdf = ib_avro_field(df, 143, "referenced_data_file");
  if (rdf != NULL && !avro_value_is_null(rdf)) {
    const char *p;
    size_t n;
    ICE_CHECK_DATA(avro_value_as_string(rdf, &p, &n), err,
                   "'referenced_data_file' is not a string");
    f->referenced_data_file = ice_strndup(p, n);
    if (f->referenced_data_file == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  return ICE_OK;
}

static int read_entry(struct ib_manifest_reader *r, const struct avro_value *rec,
                      struct ib_manifest_entry *e, struct ice_error *err) {
  int32_t status;
  ICE_TRY(ib_avro_req_int(rec, 0, "status", &status, err));
  ICE_CHECK_DATA(status >= 0 && status <= 2, err, "entry status %d", (int)status);
  e->status = (enum ib_entry_status)status;
  ICE_TRY(
      ib_avro_opt_long(rec, 1, "snapshot_id", &e->has_snapshot_id, &e->snapshot_id, err));
  ICE_TRY(ib_avro_opt_long(rec, 3, "sequence_number", &e->has_sequence_number,
                           &e->sequence_number, err));
  ICE_TRY(ib_avro_opt_long(rec, 4, "file_sequence_number", &e->has_file_sequence_number,
                           &e->file_sequence_number, err));
  ICE_TRY(read_data_file(ib_avro_field(rec, 2, "data_file"), &e->file, err));
  if (!r->has_mf) return ICE_OK;
  /* §3.7 inheritance. v1 manifests have no sequence numbers at all: they read as the
   * list's value (0 for v1 tables). */
  if (!e->has_snapshot_id) {
    e->has_snapshot_id = true;
    e->snapshot_id = r->added_snapshot_id;
  }
  bool inherit = e->status == IB_STATUS_ADDED || r->format_version == 1;
  if (!e->has_sequence_number && inherit) {
    e->has_sequence_number = true;
    e->sequence_number = r->sequence_number;
  }
  if (!e->has_file_sequence_number && inherit) {
    e->has_file_sequence_number = true;
    e->file_sequence_number = r->sequence_number;
  }
  return ICE_OK;
}

int ib_manifest_reader_next(struct ib_manifest_reader *r, struct ib_manifest_entry *e,
                            bool *eof, struct ice_error *err) {
  struct avro_value v;
  ice_arena_reset(&r->arena);
  *eof = false;
  ICE_TRY(avro_ocf_reader_next(r->ocf, &r->arena, &v, eof, err));
  if (*eof) return ICE_OK;
  ib_manifest_entry_reset(e);
  int rc = read_entry(r, &v, e, err);
  if (rc != ICE_OK) {
    ib_manifest_entry_reset(e);
    return ice_error_prefix(err, "manifest entry");
  }
  return ICE_OK;
}
