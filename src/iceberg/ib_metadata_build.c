/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table metadata builders (reference/iceberg.md §1.3, §1.3a): a new unpartitioned v2
 * table, recording the superseded metadata file in metadata-log, and adding a snapshot
 * to the main branch (snapshot-log, refs.main, current-snapshot-id, sequence numbers).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "iceberg/ib_location.h"
#include "iceberg/ib_table_metadata.h"
#include "util/alloc.h"
#include "util/limits.h"

int ib_table_metadata_new_table(const char *location, const struct ib_schema *schema,
                                const struct ib_str_map *properties, int64_t now_ms,
                                struct ib_table_metadata *md, struct ice_error *err) {
  if (location == NULL || location[0] == '\0')
    ICE_FAIL(err, ICE_EINVAL, "new table: empty location");
  if (strlen(location) >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, "new table: location too long");
  ICE_TRY(ib_schema_validate(schema, err));
  struct ib_table_metadata t;
  ib_table_metadata_init(&t);
  int rc = ICE_ENOMEM;
  char uuid[IB_UUID_STR_LEN];
  rc = ib_uuid4(uuid, err);
  if (rc != ICE_OK) goto fail;
  rc = ICE_ENOMEM;
  t.format_version = 2;
  t.table_uuid = ice_strdup(uuid);
  /* Trailing '/' would give "loc//metadata"; the spec asks to avoid it. */
  size_t ll = strlen(location);
  while (ll > 1 && location[ll - 1] == '/') ll--;
  t.location = ice_strndup(location, ll);
  t.schemas = ice_calloc(1, sizeof(*t.schemas));
  t.specs = ice_calloc(1, sizeof(*t.specs));
  t.sort_orders = ice_calloc(1, sizeof(*t.sort_orders));
  t.raw = json_object();
  if (!t.table_uuid || !t.location || !t.schemas || !t.specs || !t.sort_orders ||
      !t.raw) {
    ice_error_set(err, ICE_ENOMEM, "out of memory");
    goto fail;
  }
  rc = ib_schema_copy(&t.schemas[0], schema, err);
  if (rc != ICE_OK) goto fail;
  t.n_schemas = 1;
  t.schemas[0].schema_id = 0;
  t.current_schema_id = 0;
  t.last_column_id = ib_schema_highest_field_id(schema);
  t.n_specs = 1; /* spec 0, no fields */
  t.default_spec_id = 0;
  t.last_partition_id = 999;
  t.n_sort_orders = 1; /* order 0, unsorted */
  t.default_sort_order_id = 0;
  t.last_sequence_number = 0;
  t.last_updated_ms = now_ms;
  for (size_t i = 0; properties != NULL && i < properties->n; i++) {
    const char *k = properties->keys[i], *v = properties->values[i];
    if (strcmp(k, "format-version") == 0) {
      /* Reserved: chooses the version at create time and is never persisted. */
      if (strcmp(v, "2") != 0) {
        rc =
            ice_error_set(err, ICE_EUNSUPPORTED,
                          "new table: format-version %.16s is not supported (only 2)", v);
        goto fail;
      }
      continue;
    }
    rc = ib_str_map_set(&t.properties, k, v, err);
    if (rc != ICE_OK) goto fail;
  }
  if (ib_str_map_get(&t.properties, "write.parquet.compression-codec") == NULL) {
    /* Java >= 1.4 stamps new tables with zstd; it is also what our writer uses. */
    rc = ib_str_map_set(&t.properties, "write.parquet.compression-codec", "zstd", err);
    if (rc != ICE_OK) goto fail;
  }
  rc = ib_table_metadata_validate(&t, err);
  if (rc != ICE_OK) goto fail;
  ib_table_metadata_reset(md);
  *md = t;
  return ICE_OK;
fail:
  ib_table_metadata_reset(&t);
  return ice_error_prefix(err, "new table");
}

int64_t ib_table_metadata_next_sequence_number(const struct ib_table_metadata *md) {
  return md->last_sequence_number + 1;
}

int ib_table_metadata_new_snapshot_id(const struct ib_table_metadata *md, int64_t *out,
                                      struct ice_error *err) {
  for (int attempt = 0; attempt < 16; attempt++) {
    uint8_t b[16];
    ICE_TRY(ib_uuid4_bytes(b, err));
    uint64_t hi = 0, lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | b[i];
      lo = (lo << 8) | b[8 + i];
    }
    /* Java: (most ^ least) & Long.MAX_VALUE; 0 is not a usable id. */
    int64_t id = (int64_t)((hi ^ lo) & (uint64_t)INT64_MAX);
    if (id != 0 && ib_table_metadata_snapshot_by_id(md, id) == NULL) {
      *out = id;
      return ICE_OK;
    }
  }
  ICE_FAIL(err, ICE_EINTERNAL, "could not draw an unused snapshot id");
}

static int64_t previous_versions_max(const struct ib_table_metadata *md) {
  const char *v = ib_str_map_get(&md->properties, "write.metadata.previous-versions-max");
  int64_t n = 100;
  if (v != NULL) {
    char *end = NULL;
    long long x = strtoll(v, &end, 10);
    if (end != v && *end == '\0') n = x;
  }
  return n < 1 ? 1 : n;
}

int ib_table_metadata_push_previous(struct ib_table_metadata *md,
                                    const char *previous_metadata_file,
                                    struct ice_error *err) {
  if (previous_metadata_file == NULL) return ICE_OK;
  if (md->n_metadata_log >= ICE_LIMIT_METADATA_LIST)
    ICE_FAIL(err, ICE_ELIMIT, "metadata-log too long");
  char *f = ice_strdup(previous_metadata_file);
  if (f == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  struct ib_metadata_log_entry *p =
      ice_realloc(md->metadata_log, (md->n_metadata_log + 1) * sizeof(*p));
  if (p == NULL) {
    ice_free(f);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  md->metadata_log = p;
  p[md->n_metadata_log].timestamp_ms = md->last_updated_ms;
  p[md->n_metadata_log].metadata_file = f;
  md->n_metadata_log++;
  size_t keep = (size_t)previous_versions_max(md);
  if (md->n_metadata_log > keep) {
    size_t drop = md->n_metadata_log - keep;
    for (size_t i = 0; i < drop; i++) ice_free(p[i].metadata_file);
    memmove(p, p + drop, keep * sizeof(*p));
    md->n_metadata_log = keep;
  }
  return ICE_OK;
}

/* Points refs.main at id in the preserved document, keeping retention fields. */
static int set_main_ref(struct ib_table_metadata *md, int64_t id, struct ice_error *err) {
  if (md->raw == NULL) {
    md->raw = json_object();
    if (md->raw == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  json_t *refs = json_object_get(md->raw, "refs");
  if (!json_is_object(refs)) {
    refs = json_object();
    if (refs == NULL || json_object_set_new(md->raw, "refs", refs) != 0)
      ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  json_t *main_ref = json_object_get(refs, "main");
  if (!json_is_object(main_ref)) {
    main_ref = json_object();
    if (main_ref == NULL || json_object_set_new(refs, "main", main_ref) != 0)
      ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  if (json_object_set_new(main_ref, "snapshot-id", json_integer(id)) != 0 ||
      json_object_set_new(main_ref, "type", json_string("branch")) != 0)
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  return ICE_OK;
}

int ib_table_metadata_add_snapshot(struct ib_table_metadata *md,
                                   const struct ib_snapshot_add *add, int64_t now_ms,
                                   struct ice_error *err) {
  if (add->snapshot_id <= 0)
    ICE_FAIL(err, ICE_EINVAL, "add snapshot: id must be positive");
  if (add->manifest_list == NULL || add->summary == NULL ||
      ib_str_map_get(add->summary, "operation") == NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "add snapshot: manifest list and summary with 'operation' required");
  if (add->sequence_number != ib_table_metadata_next_sequence_number(md))
    ICE_FAIL(err, ICE_ECONFLICT,
             "add snapshot: sequence number %" PRId64
             " is not last-sequence-number + 1 (%" PRId64
             "); the table changed, reload and retry",
             add->sequence_number, ib_table_metadata_next_sequence_number(md));
  if (ib_table_metadata_snapshot_by_id(md, add->snapshot_id) != NULL)
    ICE_FAIL(err, ICE_ECONFLICT, "add snapshot: snapshot id %" PRId64 " already exists",
             add->snapshot_id);
  if (md->n_snapshots >= ICE_LIMIT_METADATA_LIST ||
      md->n_snapshot_log >= ICE_LIMIT_METADATA_LIST)
    ICE_FAIL(err, ICE_ELIMIT, "add snapshot: too many snapshots");

  struct ib_snapshot s;
  memset(&s, 0, sizeof(s));
  s.snapshot_id = add->snapshot_id;
  s.sequence_number = add->sequence_number;
  s.timestamp_ms = add->timestamp_ms;
  s.has_parent = md->has_current_snapshot;
  s.parent_snapshot_id = md->current_snapshot_id;
  s.has_schema_id = true;
  s.schema_id = md->current_schema_id;
  s.manifest_list = ice_strdup(add->manifest_list);
  if (s.manifest_list == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = ib_str_map_copy(&s.summary, add->summary, err);
  if (rc != ICE_OK) {
    ice_free(s.manifest_list);
    return rc;
  }
  struct ib_snapshot *snaps =
      ice_realloc(md->snapshots, (md->n_snapshots + 1) * sizeof(*snaps));
  struct ib_snapshot_log_entry *log =
      snaps ? ice_realloc(md->snapshot_log, (md->n_snapshot_log + 1) * sizeof(*log))
            : NULL;
  if (snaps) md->snapshots = snaps;
  if (log) md->snapshot_log = log;
  if (snaps == NULL || log == NULL) {
    ice_free(s.manifest_list);
    ib_str_map_reset(&s.summary);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  rc = set_main_ref(md, add->snapshot_id, err);
  if (rc != ICE_OK) {
    ice_free(s.manifest_list);
    ib_str_map_reset(&s.summary);
    return rc;
  }
  md->snapshots[md->n_snapshots++] = s;
  md->snapshot_log[md->n_snapshot_log].timestamp_ms = add->timestamp_ms;
  md->snapshot_log[md->n_snapshot_log].snapshot_id = add->snapshot_id;
  md->n_snapshot_log++;
  md->has_current_snapshot = true;
  md->current_snapshot_id = add->snapshot_id;
  md->last_sequence_number = add->sequence_number;
  int64_t t = now_ms > add->timestamp_ms ? now_ms : add->timestamp_ms;
  if (t > md->last_updated_ms) md->last_updated_ms = t;
  return ICE_OK;
}
