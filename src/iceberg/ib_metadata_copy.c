/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Deep copies of table metadata and its parts. The metadata builder starts every commit
 * from a private copy of the base, so a rule that fails half-way through an update list
 * leaves the caller's base untouched.
 */
#include <jansson.h>
#include <string.h>

#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_table_metadata.h"
#include "util/alloc.h"

#define OOM(err) ice_error_set((err), ICE_ENOMEM, "out of memory")

int ib_snapshot_copy(struct ib_snapshot *dst, const struct ib_snapshot *src,
                     struct ice_error *err) {
  struct ib_snapshot s = *src;
  s.manifest_list = NULL;
  s.manifests = NULL;
  s.n_manifests = 0;
  ib_str_map_init(&s.summary);
  int rc = ib_str_map_copy(&s.summary, &src->summary, err);
  if (rc == ICE_OK && src->manifest_list != NULL) {
    s.manifest_list = ice_strdup(src->manifest_list);
    if (s.manifest_list == NULL) rc = OOM(err);
  }
  if (rc == ICE_OK && src->n_manifests > 0) {
    s.manifests = ice_calloc(src->n_manifests, sizeof(char *));
    if (s.manifests == NULL) rc = OOM(err);
    for (size_t i = 0; rc == ICE_OK && i < src->n_manifests; i++) {
      s.manifests[i] = ice_strdup(src->manifests[i]);
      s.n_manifests = i + 1;
      if (s.manifests[i] == NULL) rc = OOM(err);
    }
  }
  if (rc != ICE_OK) {
    ib_snapshot_reset(&s);
    return rc;
  }
  *dst = s;
  return ICE_OK;
}

int ib_partition_spec_copy(struct ib_partition_spec *dst,
                           const struct ib_partition_spec *src, struct ice_error *err) {
  struct ib_partition_spec s;
  memset(&s, 0, sizeof(s));
  s.spec_id = src->spec_id;
  if (src->n_fields > 0) {
    s.fields = ice_calloc(src->n_fields, sizeof(*s.fields));
    if (s.fields == NULL) return OOM(err);
  }
  for (size_t i = 0; i < src->n_fields; i++) {
    s.fields[i] = src->fields[i];
    s.fields[i].name = ice_strdup(src->fields[i].name);
    s.fields[i].transform = ice_strdup(src->fields[i].transform);
    s.n_fields = i + 1;
    if (s.fields[i].name == NULL || s.fields[i].transform == NULL) {
      ib_partition_spec_reset(&s);
      return OOM(err);
    }
  }
  *dst = s;
  return ICE_OK;
}

int ib_sort_order_copy(struct ib_sort_order *dst, const struct ib_sort_order *src,
                       struct ice_error *err) {
  struct ib_sort_order o;
  memset(&o, 0, sizeof(o));
  o.order_id = src->order_id;
  if (src->n_fields > 0) {
    o.fields = ice_calloc(src->n_fields, sizeof(*o.fields));
    if (o.fields == NULL) return OOM(err);
  }
  for (size_t i = 0; i < src->n_fields; i++) {
    o.fields[i] = src->fields[i];
    o.fields[i].transform = ice_strdup(src->fields[i].transform);
    o.n_fields = i + 1;
    if (o.fields[i].transform == NULL) {
      ib_sort_order_reset(&o);
      return OOM(err);
    }
  }
  *dst = o;
  return ICE_OK;
}

/* Allocates n zeroed elements of size sz into *out (nothing for n == 0). */
static int alloc_list(void **out, size_t n, size_t sz, struct ice_error *err) {
  *out = NULL;
  if (n == 0) return ICE_OK;
  *out = ice_calloc(n, sz);
  return *out == NULL ? OOM(err) : ICE_OK;
}

static int copy_lists(struct ib_table_metadata *t, const struct ib_table_metadata *src,
                      struct ice_error *err) {
  ICE_TRY(alloc_list((void **)&t->schemas, src->n_schemas, sizeof(*t->schemas), err));
  for (size_t i = 0; i < src->n_schemas; i++) {
    ICE_TRY(ib_schema_copy(&t->schemas[i], &src->schemas[i], err));
    t->n_schemas = i + 1;
  }
  ICE_TRY(alloc_list((void **)&t->specs, src->n_specs, sizeof(*t->specs), err));
  for (size_t i = 0; i < src->n_specs; i++) {
    ICE_TRY(ib_partition_spec_copy(&t->specs[i], &src->specs[i], err));
    t->n_specs = i + 1;
  }
  ICE_TRY(alloc_list((void **)&t->sort_orders, src->n_sort_orders,
                     sizeof(*t->sort_orders), err));
  for (size_t i = 0; i < src->n_sort_orders; i++) {
    ICE_TRY(ib_sort_order_copy(&t->sort_orders[i], &src->sort_orders[i], err));
    t->n_sort_orders = i + 1;
  }
  ICE_TRY(
      alloc_list((void **)&t->snapshots, src->n_snapshots, sizeof(*t->snapshots), err));
  for (size_t i = 0; i < src->n_snapshots; i++) {
    ICE_TRY(ib_snapshot_copy(&t->snapshots[i], &src->snapshots[i], err));
    t->n_snapshots = i + 1;
  }
  ICE_TRY(alloc_list((void **)&t->snapshot_log, src->n_snapshot_log,
                     sizeof(*t->snapshot_log), err));
  if (src->n_snapshot_log > 0)
    memcpy(t->snapshot_log, src->snapshot_log,
           src->n_snapshot_log * sizeof(*t->snapshot_log));
  t->n_snapshot_log = src->n_snapshot_log;
  ICE_TRY(alloc_list((void **)&t->metadata_log, src->n_metadata_log,
                     sizeof(*t->metadata_log), err));
  for (size_t i = 0; i < src->n_metadata_log; i++) {
    t->metadata_log[i].timestamp_ms = src->metadata_log[i].timestamp_ms;
    t->metadata_log[i].metadata_file = ice_strdup(src->metadata_log[i].metadata_file);
    t->n_metadata_log = i + 1;
    if (t->metadata_log[i].metadata_file == NULL) return OOM(err);
  }
  return ICE_OK;
}

int ib_table_metadata_copy(struct ib_table_metadata *dst,
                           const struct ib_table_metadata *src, struct ice_error *err) {
  struct ib_table_metadata t;
  ib_table_metadata_init(&t);
  t.format_version = src->format_version;
  t.last_sequence_number = src->last_sequence_number;
  t.last_updated_ms = src->last_updated_ms;
  t.last_column_id = src->last_column_id;
  t.current_schema_id = src->current_schema_id;
  t.default_spec_id = src->default_spec_id;
  t.last_partition_id = src->last_partition_id;
  t.default_sort_order_id = src->default_sort_order_id;
  t.has_current_snapshot = src->has_current_snapshot;
  t.current_snapshot_id = src->current_snapshot_id;
  int rc = ICE_OK;
  if (src->table_uuid != NULL && (t.table_uuid = ice_strdup(src->table_uuid)) == NULL)
    rc = OOM(err);
  if (rc == ICE_OK && src->location != NULL &&
      (t.location = ice_strdup(src->location)) == NULL)
    rc = OOM(err);
  if (rc == ICE_OK) rc = ib_str_map_copy(&t.properties, &src->properties, err);
  if (rc == ICE_OK) rc = copy_lists(&t, src, err);
  if (rc == ICE_OK) {
    t.raw = src->raw != NULL ? json_deep_copy(src->raw) : json_object();
    if (t.raw == NULL) rc = OOM(err);
  }
  if (rc != ICE_OK) {
    ib_table_metadata_reset(&t);
    return rc;
  }
  *dst = t;
  return ICE_OK;
}
