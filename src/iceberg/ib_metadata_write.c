/* SPDX-License-Identifier: Apache-2.0 */
/*
 * struct ib_table_metadata -> format-version 2 JSON in Java's key order
 * (reference/iceberg.md §1.1). Keys icestream does not model are copied from the parsed
 * document: refs (patched by the builders), statistics, partition-statistics and any
 * unknown key, so rewriting never drops another engine's data.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_table_metadata.h"
#include "util/alloc.h"
#include "util/limits.h"

/* Keys written from the model (or deliberately dropped: v1-only schema/partition-spec).
 */
static const char *const k_known_keys[] = {"format-version",
                                           "table-uuid",
                                           "location",
                                           "last-sequence-number",
                                           "last-updated-ms",
                                           "last-column-id",
                                           "schema",
                                           "schemas",
                                           "current-schema-id",
                                           "partition-spec",
                                           "partition-specs",
                                           "default-spec-id",
                                           "last-partition-id",
                                           "sort-orders",
                                           "default-sort-order-id",
                                           "properties",
                                           "current-snapshot-id",
                                           "snapshots",
                                           "snapshot-log",
                                           "metadata-log",
                                           "refs",
                                           "statistics",
                                           "partition-statistics"};

static bool is_known(const char *k) {
  for (size_t i = 0; i < sizeof(k_known_keys) / sizeof(k_known_keys[0]); i++) {
    if (strcmp(k, k_known_keys[i]) == 0) return true;
  }
  return false;
}

/* json_object_set_new that records failure in *ok (and frees v on failure). */
static void put(json_t *o, const char *k, json_t *v, bool *ok) {
  if (!*ok) {
    json_decref(v);
    return;
  }
  if (v == NULL || json_object_set_new(o, k, v) != 0) *ok = false;
}

json_t *ib_str_map_to_json(const struct ib_str_map *m) {
  json_t *o = json_object();
  for (size_t i = 0; o != NULL && i < m->n; i++) {
    if (json_object_set_new(o, m->keys[i], json_string(m->values[i])) != 0) {
      json_decref(o);
      return NULL;
    }
  }
  return o;
}

static json_t *snapshot_json(const struct ib_snapshot *s) {
  json_t *o = json_object();
  bool ok = o != NULL;
  /* Java omits a 0 sequence number (only snapshots inherited from v1 have it). */
  if (s->sequence_number != 0)
    put(o, "sequence-number", json_integer(s->sequence_number), &ok);
  put(o, "snapshot-id", json_integer(s->snapshot_id), &ok);
  if (s->has_parent)
    put(o, "parent-snapshot-id", json_integer(s->parent_snapshot_id), &ok);
  put(o, "timestamp-ms", json_integer(s->timestamp_ms), &ok);
  /* "operation" first, as Java writes it. */
  json_t *sum = json_object();
  const char *op = ib_str_map_get(&s->summary, "operation");
  if (sum != NULL && op != NULL &&
      json_object_set_new(sum, "operation", json_string(op)) != 0)
    ok = false;
  for (size_t i = 0; sum != NULL && i < s->summary.n; i++) {
    if (strcmp(s->summary.keys[i], "operation") == 0) continue;
    if (json_object_set_new(sum, s->summary.keys[i], json_string(s->summary.values[i])) !=
        0)
      ok = false;
  }
  /* A snapshot read without a summary (optional in v1) is written without one, as Java
   * does; an empty object would lack the required "operation". */
  if (s->summary.n > 0)
    put(o, "summary", sum, &ok);
  else
    json_decref(sum);
  if (s->manifest_list != NULL) {
    put(o, "manifest-list", json_string(s->manifest_list), &ok);
  } else {
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < s->n_manifests; i++) {
      if (json_array_append_new(arr, json_string(s->manifests[i])) != 0) ok = false;
    }
    put(o, "manifests", arr, &ok);
  }
  if (s->has_schema_id) put(o, "schema-id", json_integer(s->schema_id), &ok);
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

int ib_snapshot_to_json(const struct ib_snapshot *s, json_t **out,
                        struct ice_error *err) {
  json_t *o = snapshot_json(s);
  if (o == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory writing a snapshot");
  *out = o;
  return ICE_OK;
}

/* A list copied from the parsed document, or an empty one. */
static json_t *raw_list(const struct ib_table_metadata *md, const char *key) {
  const json_t *v = md->raw ? json_object_get(md->raw, key) : NULL;
  if (json_is_array(v)) return json_deep_copy(v);
  return json_array();
}

static json_t *refs_json(const struct ib_table_metadata *md) {
  const json_t *v = md->raw ? json_object_get(md->raw, "refs") : NULL;
  json_t *refs = json_is_object(v) ? json_deep_copy(v) : json_object();
  if (refs == NULL) return NULL;
  if (md->has_current_snapshot && json_object_get(refs, "main") == NULL) {
    /* v1 documents and refs-less v2 ones: main is implied by current-snapshot-id. */
    json_t *m = json_object();
    if (m == NULL || json_object_set_new(refs, "main", m) != 0 ||
        json_object_set_new(m, "snapshot-id", json_integer(md->current_snapshot_id)) !=
            0 ||
        json_object_set_new(m, "type", json_string("branch")) != 0) {
      json_decref(refs);
      return NULL;
    }
  }
  return refs;
}

static int build(const struct ib_table_metadata *md, json_t **out,
                 struct ice_error *err) {
  json_t *o = json_object();
  bool ok = o != NULL;
  put(o, "format-version", json_integer(2), &ok);
  put(o, "table-uuid", json_string(md->table_uuid ? md->table_uuid : ""), &ok);
  put(o, "location", json_string(md->location), &ok);
  put(o, "last-sequence-number", json_integer(md->last_sequence_number), &ok);
  put(o, "last-updated-ms", json_integer(md->last_updated_ms), &ok);
  put(o, "last-column-id", json_integer(md->last_column_id), &ok);
  put(o, "current-schema-id", json_integer(md->current_schema_id), &ok);
  json_t *arr = json_array();
  for (size_t i = 0; ok && arr != NULL && i < md->n_schemas; i++) {
    json_t *sj;
    if (ib_schema_to_json(&md->schemas[i], &sj, err) != ICE_OK ||
        json_array_append_new(arr, sj) != 0)
      ok = false;
  }
  put(o, "schemas", arr, &ok);
  put(o, "default-spec-id", json_integer(md->default_spec_id), &ok);
  arr = json_array();
  for (size_t i = 0; ok && arr != NULL && i < md->n_specs; i++) {
    json_t *sj;
    if (ib_partition_spec_to_json(&md->specs[i], &sj, err) != ICE_OK ||
        json_array_append_new(arr, sj) != 0)
      ok = false;
  }
  put(o, "partition-specs", arr, &ok);
  put(o, "last-partition-id", json_integer(md->last_partition_id), &ok);
  put(o, "default-sort-order-id", json_integer(md->default_sort_order_id), &ok);
  arr = json_array();
  for (size_t i = 0; ok && arr != NULL && i < md->n_sort_orders; i++) {
    json_t *sj;
    if (ib_sort_order_to_json(&md->sort_orders[i], &sj, err) != ICE_OK ||
        json_array_append_new(arr, sj) != 0)
      ok = false;
  }
  put(o, "sort-orders", arr, &ok);
  put(o, "properties", ib_str_map_to_json(&md->properties), &ok);
  /* Java writes -1 for "no current snapshot" in v1/v2 metadata. */
  put(o, "current-snapshot-id",
      json_integer(md->has_current_snapshot ? md->current_snapshot_id : -1), &ok);
  put(o, "refs", refs_json(md), &ok);
  arr = json_array();
  for (size_t i = 0; ok && arr != NULL && i < md->n_snapshots; i++) {
    if (json_array_append_new(arr, snapshot_json(&md->snapshots[i])) != 0) ok = false;
  }
  put(o, "snapshots", arr, &ok);
  put(o, "statistics", raw_list(md, "statistics"), &ok);
  put(o, "partition-statistics", raw_list(md, "partition-statistics"), &ok);
  arr = json_array();
  for (size_t i = 0; ok && arr != NULL && i < md->n_snapshot_log; i++) {
    json_t *e = json_object();
    if (e == NULL || json_array_append_new(arr, e) != 0 ||
        json_object_set_new(e, "timestamp-ms",
                            json_integer(md->snapshot_log[i].timestamp_ms)) != 0 ||
        json_object_set_new(e, "snapshot-id",
                            json_integer(md->snapshot_log[i].snapshot_id)) != 0)
      ok = false;
  }
  put(o, "snapshot-log", arr, &ok);
  arr = json_array();
  for (size_t i = 0; ok && arr != NULL && i < md->n_metadata_log; i++) {
    json_t *e = json_object();
    if (e == NULL || json_array_append_new(arr, e) != 0 ||
        json_object_set_new(e, "timestamp-ms",
                            json_integer(md->metadata_log[i].timestamp_ms)) != 0 ||
        json_object_set_new(e, "metadata-file",
                            json_string(md->metadata_log[i].metadata_file)) != 0)
      ok = false;
  }
  put(o, "metadata-log", arr, &ok);
  if (ok && md->raw != NULL) {
    const char *k;
    json_t *v;
    json_object_foreach(md->raw, k, v) {
      if (!is_known(k)) put(o, k, json_deep_copy(v), &ok);
    }
  }
  if (!ok) {
    json_decref(o);
    if (err != NULL && err->code != ICE_OK && err->code != ICE_ENOMEM) return err->code;
    ICE_FAIL(err, ICE_ENOMEM, "out of memory writing table metadata");
  }
  *out = o;
  return ICE_OK;
}

int ib_table_metadata_to_json(const struct ib_table_metadata *md, char **out, size_t *len,
                              struct ice_error *err) {
  if (err != NULL) err->code = ICE_OK;
  ICE_TRY(ib_table_metadata_validate(md, err));
  json_t *o;
  ICE_TRY(build(md, &o, err));
  int rc = ib_json_dump(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER, out, len, err);
  json_decref(o);
  return rc;
}

int ib_table_metadata_write(const struct ib_table_metadata *md, struct ice_output *out,
                            struct ice_error *err) {
  char *s;
  size_t n;
  ICE_TRY(ib_table_metadata_to_json(md, &s, &n, err));
  int rc = ice_output_write(out, s, n, err);
  ice_free(s);
  if (rc == ICE_OK) rc = ice_output_finish(out, err);
  if (rc != ICE_OK) ice_error_prefix_path(err, "writing table metadata", out->name);
  return rc;
}
