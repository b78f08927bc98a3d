/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Branch and tag bookkeeping over the preserved metadata document (refs, statistics,
 * partition-statistics), for the metadata builder and the requirement checker.
 */
#include "iceberg/ib_table_refs.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

static json_t *refs_object(const struct ib_table_metadata *md) {
  json_t *refs = md->raw != NULL ? json_object_get(md->raw, "refs") : NULL;
  return json_is_object(refs) ? refs : NULL;
}

bool ib_table_metadata_ref(const struct ib_table_metadata *md, const char *name,
                           int64_t *snapshot_id) {
  if (strcmp(name, "main") == 0) {
    if (!md->has_current_snapshot) return false;
    *snapshot_id = md->current_snapshot_id;
    return true;
  }
  const json_t *id =
      json_object_get(json_object_get(refs_object(md), name), "snapshot-id");
  if (!json_is_integer(id)) return false;
  *snapshot_id = (int64_t)json_integer_value(id);
  return true;
}

/* A non-negative integer member, or -1. */
static int64_t retention(const json_t *ref, const char *key) {
  const json_t *v = json_object_get(ref, key);
  return json_is_integer(v) && json_integer_value(v) >= 0 ? (int64_t)json_integer_value(v)
                                                          : -1;
}

bool ib_table_refs_get(const struct ib_table_metadata *md, const char *name,
                       struct ib_snapshot_ref *out) {
  int64_t id;
  if (!ib_table_metadata_ref(md, name, &id)) return false;
  const json_t *r = json_object_get(refs_object(md), name);
  const json_t *type = json_object_get(r, "type");
  out->snapshot_id = id;
  out->is_tag = json_is_string(type) && strcmp(json_string_value(type), "tag") == 0;
  out->max_ref_age_ms = retention(r, "max-ref-age-ms");
  out->max_snapshot_age_ms = retention(r, "max-snapshot-age-ms");
  int64_t keep = retention(r, "min-snapshots-to-keep");
  out->min_snapshots_to_keep = keep <= INT32_MAX ? (int32_t)keep : -1;
  return true;
}

int ib_table_refs_set(struct ib_table_metadata *md, const struct ib_snapshot_ref *r,
                      struct ice_error *err) {
  if (md->raw == NULL && (md->raw = json_object()) == NULL)
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  json_t *refs = refs_object(md);
  if (refs == NULL) {
    refs = json_object();
    if (refs == NULL || json_object_set_new(md->raw, "refs", refs) != 0)
      ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  json_t *o = json_object();
  bool ok =
      o != NULL &&
      json_object_set_new(o, "snapshot-id", json_integer(r->snapshot_id)) == 0 &&
      json_object_set_new(o, "type", json_string(r->is_tag ? "tag" : "branch")) == 0;
  if (ok && r->min_snapshots_to_keep >= 0)
    ok = json_object_set_new(o, "min-snapshots-to-keep",
                             json_integer(r->min_snapshots_to_keep)) == 0;
  if (ok && r->max_snapshot_age_ms >= 0)
    ok = json_object_set_new(o, "max-snapshot-age-ms",
                             json_integer(r->max_snapshot_age_ms)) == 0;
  if (ok && r->max_ref_age_ms >= 0)
    ok = json_object_set_new(o, "max-ref-age-ms", json_integer(r->max_ref_age_ms)) == 0;
  if (!ok) {
    json_decref(o);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  if (json_object_set_new(refs, r->name, o) != 0)
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  if (strcmp(r->name, "main") == 0) {
    md->has_current_snapshot = true;
    md->current_snapshot_id = r->snapshot_id;
  }
  return ICE_OK;
}

void ib_table_refs_remove(struct ib_table_metadata *md, const char *name) {
  json_t *refs = refs_object(md);
  if (refs != NULL) json_object_del(refs, name);
  if (strcmp(name, "main") == 0) {
    md->has_current_snapshot = false;
    md->current_snapshot_id = -1;
  }
}

/* Removes from the raw list under key every entry whose snapshot-id is gone. */
static void drop_entries(struct ib_table_metadata *md, const char *key) {
  json_t *arr = md->raw != NULL ? json_object_get(md->raw, key) : NULL;
  if (!json_is_array(arr)) return;
  for (size_t i = json_array_size(arr); i-- > 0;) {
    const json_t *id = json_object_get(json_array_get(arr, i), "snapshot-id");
    if (json_is_integer(id) &&
        ib_table_metadata_snapshot_by_id(md, (int64_t)json_integer_value(id)) == NULL)
      json_array_remove(arr, i);
  }
}

void ib_table_refs_drop_dangling(struct ib_table_metadata *md) {
  if (md->has_current_snapshot &&
      ib_table_metadata_snapshot_by_id(md, md->current_snapshot_id) == NULL)
    ib_table_refs_remove(md, "main");
  json_t *refs = refs_object(md);
  const char *name;
  json_t *r, *tmp;
  json_object_foreach_safe(refs, tmp, name, r) {
    const json_t *id = json_object_get(r, "snapshot-id");
    if (!json_is_integer(id) ||
        ib_table_metadata_snapshot_by_id(md, (int64_t)json_integer_value(id)) == NULL)
      json_object_del(refs, name);
  }
  drop_entries(md, "statistics");
  drop_entries(md, "partition-statistics");
}

int ib_table_refs_check(const struct ib_table_metadata *md, struct ice_error *err) {
  const char *name;
  json_t *r;
  json_object_foreach(refs_object(md), name, r) {
    const json_t *id = json_object_get(r, "snapshot-id");
    if (!json_is_integer(id))
      ICE_FAIL(err, ICE_EINVAL, "ref '%.100s' has no snapshot-id", name);
    if (ib_table_metadata_snapshot_by_id(md, (int64_t)json_integer_value(id)) == NULL)
      ICE_FAIL(err, ICE_EINVAL,
               "ref '%.100s' points at snapshot %" PRId64 " which does not exist", name,
               (int64_t)json_integer_value(id));
  }
  return ICE_OK;
}
