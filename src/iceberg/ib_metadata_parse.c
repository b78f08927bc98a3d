/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table metadata JSON -> struct ib_table_metadata (spec "Table Metadata Fields",
 * reference/iceberg.md §1.1 and the v1 defaults of §1.4), semantic validation, lookups
 * and reset. Required-field rules follow Java's TableMetadataParser: v2 requires
 * schemas, partition-specs, last-partition-id and sort-orders; when a list is present,
 * its "current/default id" key is required too.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "codec/codec.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_table_metadata.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"

#define PFX "table metadata: "

void ib_table_metadata_init(struct ib_table_metadata *md) {
  memset(md, 0, sizeof(*md));
  ib_str_map_init(&md->properties);
  md->current_snapshot_id = -1; /* none */
}

void ib_snapshot_reset(struct ib_snapshot *s) {
  ice_free(s->manifest_list);
  for (size_t i = 0; i < s->n_manifests; i++) ice_free(s->manifests[i]);
  ice_free(s->manifests);
  ib_str_map_reset(&s->summary);
  memset(s, 0, sizeof(*s));
}

void ib_table_metadata_reset(struct ib_table_metadata *md) {
  ice_free(md->table_uuid);
  ice_free(md->location);
  for (size_t i = 0; i < md->n_schemas; i++) ib_schema_reset(&md->schemas[i]);
  ice_free(md->schemas);
  for (size_t i = 0; i < md->n_specs; i++) ib_partition_spec_reset(&md->specs[i]);
  ice_free(md->specs);
  for (size_t i = 0; i < md->n_sort_orders; i++) ib_sort_order_reset(&md->sort_orders[i]);
  ice_free(md->sort_orders);
  ib_str_map_reset(&md->properties);
  for (size_t i = 0; i < md->n_snapshots; i++) ib_snapshot_reset(&md->snapshots[i]);
  ice_free(md->snapshots);
  ice_free(md->snapshot_log);
  for (size_t i = 0; i < md->n_metadata_log; i++)
    ice_free(md->metadata_log[i].metadata_file);
  ice_free(md->metadata_log);
  json_decref(md->raw);
  ib_table_metadata_init(md);
}

/* ---- typed getters on untrusted JSON ---- */

static int get_i64(const json_t *o, const char *key, int64_t *out,
                   struct ice_error *err) {
  const json_t *v = json_object_get(o, key);
  ICE_CHECK_DATA(v != NULL, err, PFX "missing '%s'", key);
  ICE_CHECK_DATA(json_is_integer(v), err, PFX "'%s' is not an integer", key);
  *out = (int64_t)json_integer_value(v);
  return ICE_OK;
}

static int get_i32(const json_t *o, const char *key, int32_t *out,
                   struct ice_error *err) {
  int64_t v;
  ICE_TRY(get_i64(o, key, &v, err));
  ICE_CHECK_DATA(v >= INT32_MIN && v <= INT32_MAX, err, PFX "'%s' out of int range", key);
  *out = (int32_t)v;
  return ICE_OK;
}

static int dup_str(const json_t *o, const char *key, char **out, struct ice_error *err) {
  const json_t *v = json_object_get(o, key);
  ICE_CHECK_DATA(v != NULL, err, PFX "missing '%s'", key);
  ICE_CHECK_DATA(json_is_string(v), err, PFX "'%s' is not a string", key);
  char *s = ice_strndup(json_string_value(v), json_string_length(v));
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *out = s;
  return ICE_OK;
}

static const json_t *get_list(const json_t *o, const char *key, size_t max,
                              struct ice_error *err, int *rc) {
  const json_t *v = json_object_get(o, key);
  *rc = ICE_OK;
  if (v == NULL || json_is_null(v)) return NULL;
  if (!json_is_array(v)) {
    *rc = ice_error_set(err, ICE_ECORRUPT, PFX "'%s' is not a list", key);
    return NULL;
  }
  if (json_array_size(v) > max) {
    *rc = ice_error_set(err, ICE_ELIMIT, PFX "'%s' has %zu entries (cap %zu)", key,
                        json_array_size(v), max);
    return NULL;
  }
  return v;
}

static int string_map_from_json(const json_t *o, const char *what, struct ib_str_map *out,
                                struct ice_error *err) {
  ICE_CHECK_DATA(json_is_object(o), err, PFX "'%s' is not an object", what);
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)o, k, v) {
    ICE_CHECK_DATA(json_is_string(v), err, PFX "'%s': value of '%.100s' is not a string",
                   what, k);
    /* Keys are unique: the document was parsed with JSON_REJECT_DUPLICATES. */
    ICE_TRY(ib_str_map_append(out, k, json_string_value(v), err));
  }
  return ICE_OK;
}

/* ---- pieces ---- */

static int parse_schemas(const json_t *root, struct ib_table_metadata *md,
                         struct ice_error *err) {
  int rc;
  const json_t *arr = get_list(root, "schemas", ICE_LIMIT_METADATA_LIST, err, &rc);
  ICE_TRY(rc);
  if (arr != NULL) {
    /* Java: the current id is required whenever the list is present. */
    ICE_TRY(get_i32(root, "current-schema-id", &md->current_schema_id, err));
    size_t n = json_array_size(arr);
    ICE_CHECK_DATA(n > 0, err, PFX "'schemas' is empty");
    md->schemas = ice_calloc(n, sizeof(*md->schemas));
    if (md->schemas == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
      rc = ib_schema_from_json(json_array_get(arr, i), &md->schemas[i], err);
      if (rc != ICE_OK) return ice_error_prefix(err, "table metadata: schemas[%zu]", i);
      md->n_schemas = i + 1;
    }
    return ICE_OK;
  }
  ICE_CHECK_DATA(md->format_version == 1, err, PFX "missing 'schemas' (required in v2)");
  const json_t *s = json_object_get(root, "schema");
  ICE_CHECK_DATA(s != NULL, err, PFX "missing 'schema' and 'schemas'");
  md->schemas = ice_calloc(1, sizeof(*md->schemas));
  if (md->schemas == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  rc = ib_schema_from_json(s, &md->schemas[0], err);
  if (rc != ICE_OK) return ice_error_prefix(err, "table metadata: schema");
  md->n_schemas = 1;
  md->current_schema_id = md->schemas[0].schema_id;
  return ICE_OK;
}

static int parse_specs(const json_t *root, struct ib_table_metadata *md,
                       struct ice_error *err) {
  int rc;
  const json_t *arr =
      get_list(root, "partition-specs", ICE_LIMIT_METADATA_LIST, err, &rc);
  ICE_TRY(rc);
  if (arr != NULL) {
    ICE_TRY(get_i32(root, "default-spec-id", &md->default_spec_id, err));
    size_t n = json_array_size(arr);
    ICE_CHECK_DATA(n > 0, err, PFX "'partition-specs' is empty");
    md->specs = ice_calloc(n, sizeof(*md->specs));
    if (md->specs == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
      rc = ib_partition_spec_from_json(json_array_get(arr, i), &md->specs[i], err);
      if (rc != ICE_OK)
        return ice_error_prefix(err, "table metadata: partition-specs[%zu]", i);
      md->n_specs = i + 1;
    }
  } else {
    ICE_CHECK_DATA(md->format_version == 1, err,
                   PFX "missing 'partition-specs' (required in v2)");
    const json_t *fields = json_object_get(root, "partition-spec");
    ICE_CHECK_DATA(fields != NULL, err,
                   PFX "missing 'partition-spec' and 'partition-specs'");
    md->specs = ice_calloc(1, sizeof(*md->specs));
    if (md->specs == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    rc = ib_partition_spec_from_fields_json(fields, 0, &md->specs[0], err);
    if (rc != ICE_OK) return ice_error_prefix(err, "table metadata");
    md->n_specs = 1;
    md->default_spec_id = 0;
  }
  if (json_object_get(root, "last-partition-id") != NULL) {
    ICE_TRY(get_i32(root, "last-partition-id", &md->last_partition_id, err));
    ICE_CHECK_DATA(md->last_partition_id >= 0, err, PFX "negative last-partition-id");
  } else {
    ICE_CHECK_DATA(md->format_version == 1, err,
                   PFX "missing 'last-partition-id' (required in v2)");
    md->last_partition_id = 999;
    for (size_t i = 0; i < md->n_specs; i++) {
      for (size_t j = 0; j < md->specs[i].n_fields; j++) {
        if (md->specs[i].fields[j].field_id > md->last_partition_id)
          md->last_partition_id = md->specs[i].fields[j].field_id;
      }
    }
  }
  return ICE_OK;
}

static int parse_sort_orders(const json_t *root, struct ib_table_metadata *md,
                             struct ice_error *err) {
  int rc;
  const json_t *arr = get_list(root, "sort-orders", ICE_LIMIT_METADATA_LIST, err, &rc);
  ICE_TRY(rc);
  if (arr == NULL) {
    ICE_CHECK_DATA(md->format_version == 1, err,
                   PFX "missing 'sort-orders' (required in v2)");
    md->sort_orders = ice_calloc(1, sizeof(*md->sort_orders));
    if (md->sort_orders == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    md->n_sort_orders = 1; /* order 0, unsorted */
    md->default_sort_order_id = 0;
    return ICE_OK;
  }
  ICE_TRY(get_i32(root, "default-sort-order-id", &md->default_sort_order_id, err));
  size_t n = json_array_size(arr);
  ICE_CHECK_DATA(n > 0, err, PFX "'sort-orders' is empty");
  md->sort_orders = ice_calloc(n, sizeof(*md->sort_orders));
  if (md->sort_orders == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    rc = ib_sort_order_from_json(json_array_get(arr, i), &md->sort_orders[i], err);
    if (rc != ICE_OK) return ice_error_prefix(err, "table metadata: sort-orders[%zu]", i);
    md->n_sort_orders = i + 1;
  }
  return ICE_OK;
}

static int parse_snapshot(const json_t *j, struct ib_snapshot *s, struct ice_error *err) {
  ICE_CHECK_DATA(json_is_object(j), err, PFX "snapshot is not an object");
  ib_str_map_init(&s->summary);
  ICE_TRY(get_i64(j, "snapshot-id", &s->snapshot_id, err));
  ICE_TRY(get_i64(j, "timestamp-ms", &s->timestamp_ms, err));
  ICE_CHECK_DATA(s->timestamp_ms >= 0, err,
                 PFX "snapshot %" PRId64 ": negative timestamp-ms", s->snapshot_id);
  const json_t *v = json_object_get(j, "parent-snapshot-id");
  if (v != NULL && !json_is_null(v)) {
    ICE_TRY(get_i64(j, "parent-snapshot-id", &s->parent_snapshot_id, err));
    s->has_parent = true;
  }
  if (json_object_get(j, "sequence-number") != NULL) {
    ICE_TRY(get_i64(j, "sequence-number", &s->sequence_number, err));
    ICE_CHECK_DATA(s->sequence_number >= 0, err, PFX "negative sequence-number");
  }
  v = json_object_get(j, "schema-id");
  if (v != NULL && !json_is_null(v)) {
    ICE_TRY(get_i32(j, "schema-id", &s->schema_id, err));
    s->has_schema_id = true;
  }
  v = json_object_get(j, "summary");
  if (v != NULL && !json_is_null(v)) {
    ICE_TRY(string_map_from_json(v, "summary", &s->summary, err));
    ICE_CHECK_DATA(ib_str_map_get(&s->summary, "operation") != NULL, err,
                   PFX "snapshot summary without 'operation'");
  }
  if (json_object_get(j, "manifest-list") != NULL) {
    ICE_TRY(dup_str(j, "manifest-list", &s->manifest_list, err));
  } else {
    int rc;
    const json_t *arr = get_list(j, "manifests", ICE_LIMIT_MANIFESTS_PER_LIST, err, &rc);
    ICE_TRY(rc);
    ICE_CHECK_DATA(arr != NULL, err,
                   PFX "snapshot has neither 'manifest-list' nor 'manifests'");
    size_t n = json_array_size(arr);
    if (n > 0) {
      s->manifests = ice_calloc(n, sizeof(char *));
      if (s->manifests == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
      const json_t *m = json_array_get(arr, i);
      ICE_CHECK_DATA(json_is_string(m), err, PFX "'manifests' holds a non-string");
      s->manifests[i] = ice_strdup(json_string_value(m));
      if (s->manifests[i] == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
      s->n_manifests = i + 1;
    }
  }
  return ICE_OK;
}

int ib_snapshot_from_json(const json_t *j, struct ib_snapshot *out,
                          struct ice_error *err) {
  struct ib_snapshot s;
  memset(&s, 0, sizeof(s));
  int rc = parse_snapshot(j, &s, err);
  if (rc != ICE_OK) {
    ib_snapshot_reset(&s);
    /* The getters speak for a whole metadata document; a standalone snapshot (a REST
     * add-snapshot) is not one. */
    size_t n = strlen(PFX);
    if (err != NULL && strncmp(err->message, PFX, n) == 0)
      memmove(err->message, err->message + n, strlen(err->message + n) + 1);
    return rc;
  }
  *out = s;
  return ICE_OK;
}

static int parse_snapshots(const json_t *root, struct ib_table_metadata *md,
                           struct ice_error *err) {
  int rc;
  const json_t *arr = get_list(root, "snapshots", ICE_LIMIT_METADATA_LIST, err, &rc);
  ICE_TRY(rc);
  size_t n = arr ? json_array_size(arr) : 0;
  if (n > 0) {
    md->snapshots = ice_calloc(n, sizeof(*md->snapshots));
    if (md->snapshots == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    md->n_snapshots = i + 1;
    rc = parse_snapshot(json_array_get(arr, i), &md->snapshots[i], err);
    if (rc != ICE_OK) return ice_error_prefix(err, "snapshots[%zu]", i);
  }
  arr = get_list(root, "snapshot-log", ICE_LIMIT_METADATA_LIST, err, &rc);
  ICE_TRY(rc);
  n = arr ? json_array_size(arr) : 0;
  if (n > 0) {
    md->snapshot_log = ice_calloc(n, sizeof(*md->snapshot_log));
    if (md->snapshot_log == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    const json_t *e = json_array_get(arr, i);
    ICE_CHECK_DATA(json_is_object(e), err, PFX "snapshot-log entry is not an object");
    ICE_TRY(get_i64(e, "timestamp-ms", &md->snapshot_log[i].timestamp_ms, err));
    ICE_TRY(get_i64(e, "snapshot-id", &md->snapshot_log[i].snapshot_id, err));
    md->n_snapshot_log = i + 1;
  }
  arr = get_list(root, "metadata-log", ICE_LIMIT_METADATA_LIST, err, &rc);
  ICE_TRY(rc);
  n = arr ? json_array_size(arr) : 0;
  if (n > 0) {
    md->metadata_log = ice_calloc(n, sizeof(*md->metadata_log));
    if (md->metadata_log == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    const json_t *e = json_array_get(arr, i);
    ICE_CHECK_DATA(json_is_object(e), err, PFX "metadata-log entry is not an object");
    ICE_TRY(get_i64(e, "timestamp-ms", &md->metadata_log[i].timestamp_ms, err));
    md->n_metadata_log = i + 1;
    ICE_TRY(dup_str(e, "metadata-file", &md->metadata_log[i].metadata_file, err));
  }
  return ICE_OK;
}

static int parse_root(json_t *root, struct ib_table_metadata *md, struct ice_error *err) {
  ICE_CHECK_DATA(json_is_object(root), err, PFX "not a JSON object");
  int64_t fv;
  ICE_TRY(get_i64(root, "format-version", &fv, err));
  if (fv > 2) {
    ICE_FAIL(err, ICE_EUNSUPPORTED,
             PFX "format-version %" PRId64
                 " is not supported (icestream reads v1 and v2)",
             fv);
  }
  ICE_CHECK_DATA(fv >= 1, err, PFX "invalid format-version %" PRId64, fv);
  md->format_version = (int)fv;
  if (json_object_get(root, "table-uuid") != NULL) {
    ICE_TRY(dup_str(root, "table-uuid", &md->table_uuid, err));
    uint8_t b[16];
    ICE_TRY(ib_uuid_parse(md->table_uuid, b, err));
  } else {
    ICE_CHECK_DATA(fv == 1, err, PFX "missing 'table-uuid' (required in v2)");
    char u[IB_UUID_STR_LEN];
    ICE_TRY(ib_uuid4(u, err));
    md->table_uuid = ice_strdup(u);
    if (md->table_uuid == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  ICE_TRY(dup_str(root, "location", &md->location, err));
  if (fv >= 2) {
    ICE_TRY(get_i64(root, "last-sequence-number", &md->last_sequence_number, err));
  } else if (json_object_get(root, "last-sequence-number") != NULL) {
    ICE_TRY(get_i64(root, "last-sequence-number", &md->last_sequence_number, err));
  }
  ICE_CHECK_DATA(md->last_sequence_number >= 0, err, PFX "negative last-sequence-number");
  ICE_TRY(get_i64(root, "last-updated-ms", &md->last_updated_ms, err));
  ICE_CHECK_DATA(md->last_updated_ms >= 0, err, PFX "negative last-updated-ms");
  ICE_TRY(get_i32(root, "last-column-id", &md->last_column_id, err));
  ICE_CHECK_DATA(md->last_column_id >= 0, err, PFX "negative last-column-id");
  ICE_TRY(parse_schemas(root, md, err));
  ICE_TRY(parse_specs(root, md, err));
  ICE_TRY(parse_sort_orders(root, md, err));
  const json_t *props = json_object_get(root, "properties");
  if (props != NULL && !json_is_null(props))
    ICE_TRY(string_map_from_json(props, "properties", &md->properties, err));
  const json_t *cur = json_object_get(root, "current-snapshot-id");
  if (cur != NULL && !json_is_null(cur)) {
    ICE_TRY(get_i64(root, "current-snapshot-id", &md->current_snapshot_id, err));
    /* Java writes -1 for "no snapshot" in v1/v2. */
    md->has_current_snapshot = md->current_snapshot_id != -1;
    if (!md->has_current_snapshot) md->current_snapshot_id = -1;
  }
  ICE_TRY(parse_snapshots(root, md, err));
  const json_t *refs = json_object_get(root, "refs");
  if (refs != NULL && !json_is_null(refs)) {
    ICE_CHECK_DATA(json_is_object(refs), err, PFX "'refs' is not an object");
    const char *name;
    json_t *r;
    json_object_foreach((json_t *)(uintptr_t)refs, name, r) {
      ICE_CHECK_DATA(json_is_object(r), err, PFX "ref '%.100s' is not an object", name);
      int64_t sid;
      ICE_TRY(get_i64(r, "snapshot-id", &sid, err));
      const json_t *type = json_object_get(r, "type");
      ICE_CHECK_DATA(
          json_is_string(type) && (strcmp(json_string_value(type), "branch") == 0 ||
                                   strcmp(json_string_value(type), "tag") == 0),
          err, PFX "ref '%.100s': 'type' must be \"branch\" or \"tag\"", name);
      if (strcmp(name, "main") == 0) {
        ICE_CHECK_DATA(md->has_current_snapshot && sid == md->current_snapshot_id, err,
                       PFX "refs.main (%" PRId64 ") does not match current-snapshot-id",
                       sid);
      }
    }
  }
  return ICE_OK;
}

int ib_table_metadata_parse(const char *json, size_t len, struct ib_table_metadata *md,
                            struct ice_error *err) {
  if (len > ICE_LIMIT_METADATA_JSON_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, PFX "%zu bytes exceeds the cap", len);
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (root == NULL)
    ICE_FAIL(err, ICE_ECORRUPT, PFX "invalid JSON: %s (line %d, column %d)", je.text,
             je.line, je.column);
  struct ib_table_metadata tmp;
  ib_table_metadata_init(&tmp);
  tmp.raw = root;
  int rc = parse_root(root, &tmp, err);
  if (rc == ICE_OK) rc = ib_table_metadata_validate(&tmp, err);
  if (rc != ICE_OK) {
    ib_table_metadata_reset(&tmp);
    return rc;
  }
  ib_table_metadata_reset(md);
  *md = tmp;
  return ICE_OK;
}

int ib_table_metadata_read(struct ice_input *in, struct ib_table_metadata *md,
                           struct ice_error *err) {
  if (in->size < 0 || (uint64_t)in->size > ICE_LIMIT_METADATA_JSON_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, PFX "%s: %" PRId64 " bytes exceeds the cap", in->name,
             in->size);
  size_t n = (size_t)in->size;
  char *buf = ice_malloc(n + 1);
  if (buf == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = n ? ice_input_read_at(in, 0, buf, n, err) : ICE_OK;
  if (rc == ICE_OK && n >= 2 && (uint8_t)buf[0] == 0x1f && (uint8_t)buf[1] == 0x8b) {
    /* write.metadata.compression-codec=gzip: Java's *.gz.metadata.json files. Detected
     * by the magic bytes, not the name, so either naming convention reads. */
    struct codec_ctx cc;
    struct ice_buf plain;
    codec_ctx_init(&cc);
    ice_buf_init(&plain, ICE_LIMIT_METADATA_JSON_BYTES);
    rc = codec_decompress_buf(&cc, CODEC_GZIP, (const uint8_t *)buf, n, &plain, err);
    codec_ctx_reset(&cc);
    if (rc == ICE_OK)
      rc = ib_table_metadata_parse((const char *)plain.data, plain.len, md, err);
    ice_buf_reset(&plain);
  } else if (rc == ICE_OK) {
    rc = ib_table_metadata_parse(buf, n, md, err);
  }
  ice_free(buf);
  if (rc != ICE_OK) ice_error_prefix_path(err, NULL, in->name);
  return rc;
}

/* ---- lookups ---- */

const struct ib_schema *ib_table_metadata_schema_by_id(const struct ib_table_metadata *md,
                                                       int32_t schema_id) {
  for (size_t i = 0; i < md->n_schemas; i++) {
    if (md->schemas[i].schema_id == schema_id) return &md->schemas[i];
  }
  return NULL;
}

const struct ib_schema *ib_table_metadata_current_schema(
    const struct ib_table_metadata *md) {
  return ib_table_metadata_schema_by_id(md, md->current_schema_id);
}

const struct ib_partition_spec *ib_table_metadata_spec_by_id(
    const struct ib_table_metadata *md, int32_t spec_id) {
  for (size_t i = 0; i < md->n_specs; i++) {
    if (md->specs[i].spec_id == spec_id) return &md->specs[i];
  }
  return NULL;
}

bool ib_partition_spec_is_unpartitioned(const struct ib_partition_spec *spec) {
  for (size_t i = 0; i < spec->n_fields; i++) {
    if (spec->fields[i].transform == NULL ||
        strcmp(spec->fields[i].transform, "void") != 0)
      return false;
  }
  return true;
}

const struct ib_partition_spec *ib_table_metadata_default_spec(
    const struct ib_table_metadata *md) {
  return ib_table_metadata_spec_by_id(md, md->default_spec_id);
}

const struct ib_snapshot *ib_table_metadata_snapshot_by_id(
    const struct ib_table_metadata *md, int64_t snapshot_id) {
  for (size_t i = 0; i < md->n_snapshots; i++) {
    if (md->snapshots[i].snapshot_id == snapshot_id) return &md->snapshots[i];
  }
  return NULL;
}

const struct ib_snapshot *ib_table_metadata_current_snapshot(
    const struct ib_table_metadata *md) {
  if (!md->has_current_snapshot) return NULL;
  return ib_table_metadata_snapshot_by_id(md, md->current_snapshot_id);
}

const char *ib_table_metadata_property(const struct ib_table_metadata *md,
                                       const char *key, const char *dflt) {
  const char *v = ib_str_map_get(&md->properties, key);
  return v ? v : dflt;
}

/* ---- validation ---- */

/* Reports a repeated value among vals[0..n) (sorted in place): O(n log n), so hostile
 * lists of millions of entries cannot make validation quadratic. */
static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static bool find_duplicate(int64_t *vals, size_t n, int64_t *dup) {
  if (n < 2) return false;
  qsort(vals, n, sizeof(int64_t), cmp_i64);
  for (size_t i = 1; i < n; i++) {
    if (vals[i] == vals[i - 1]) {
      *dup = vals[i];
      return true;
    }
  }
  return false;
}

/* Checks that the ids taken from each of n items are unique; what names the list. */
static int check_unique(size_t n,
                        int64_t (*id_of)(const struct ib_table_metadata *, size_t),
                        const struct ib_table_metadata *md, const char *what,
                        struct ice_error *err) {
  if (n < 2) return ICE_OK;
  int64_t *vals = ice_calloc(n, sizeof(int64_t));
  if (vals == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) vals[i] = id_of(md, i);
  int64_t dup = 0;
  bool found = find_duplicate(vals, n, &dup);
  ice_free(vals);
  if (found) ICE_FAIL(err, ICE_ECORRUPT, PFX "duplicate %s %" PRId64, what, dup);
  return ICE_OK;
}

static int64_t schema_id_at(const struct ib_table_metadata *md, size_t i) {
  return md->schemas[i].schema_id;
}
static int64_t spec_id_at(const struct ib_table_metadata *md, size_t i) {
  return md->specs[i].spec_id;
}
static int64_t snapshot_id_at(const struct ib_table_metadata *md, size_t i) {
  return md->snapshots[i].snapshot_id;
}

int ib_table_metadata_validate(const struct ib_table_metadata *md,
                               struct ice_error *err) {
  ICE_CHECK_DATA(md->format_version == 1 || md->format_version == 2, err,
                 PFX "format-version %d", md->format_version);
  ICE_CHECK_DATA(md->location != NULL && md->location[0] != '\0', err,
                 PFX "empty location");
  ICE_TRY(check_unique(md->n_schemas, schema_id_at, md, "schema-id", err));
  const struct ib_schema *cur = ib_table_metadata_current_schema(md);
  ICE_CHECK_DATA(cur != NULL, err, PFX "current-schema-id %d not found in schemas",
                 (int)md->current_schema_id);
  /* last-column-id below the schema's highest id is not rejected: Java does not check
   * it on read and pyiceberg's own example fixtures have it. Builders keep it exact. */
  ICE_TRY(check_unique(md->n_specs, spec_id_at, md, "spec-id", err));
  ICE_CHECK_DATA(ib_table_metadata_default_spec(md) != NULL, err,
                 PFX "default-spec-id %d not found in partition-specs",
                 (int)md->default_spec_id);
  bool order_found = false;
  for (size_t i = 0; i < md->n_sort_orders; i++) {
    if (md->sort_orders[i].order_id == md->default_sort_order_id) order_found = true;
  }
  ICE_CHECK_DATA(order_found, err,
                 PFX "default-sort-order-id %d not found in sort-orders",
                 (int)md->default_sort_order_id);
  ICE_TRY(check_unique(md->n_snapshots, snapshot_id_at, md, "snapshot-id", err));
  for (size_t i = 0; i < md->n_snapshots; i++) {
    const struct ib_snapshot *s = &md->snapshots[i];
    ICE_CHECK_DATA(s->sequence_number <= md->last_sequence_number, err,
                   PFX "snapshot %" PRId64 " has sequence-number %" PRId64
                       " above last-sequence-number %" PRId64,
                   s->snapshot_id, s->sequence_number, md->last_sequence_number);
  }
  if (md->has_current_snapshot) {
    ICE_CHECK_DATA(ib_table_metadata_current_snapshot(md) != NULL, err,
                   PFX "current-snapshot-id %" PRId64 " not found in snapshots",
                   md->current_snapshot_id);
  }
  return ICE_OK;
}
