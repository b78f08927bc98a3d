/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Branch and tag bookkeeping over the preserved metadata document (refs, statistics,
 * partition-statistics), for the metadata builder and the requirement checker.
 */
#include "iceberg/ib_table_refs.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

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

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

int ib_snapshot_ids_sorted(const struct ib_table_metadata *md, int64_t **out,
                           struct ice_error *err) {
  *out = NULL;
  if (md->n_snapshots == 0) return ICE_OK;
  int64_t *ids = ice_calloc(md->n_snapshots, sizeof(int64_t));
  if (ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < md->n_snapshots; i++) ids[i] = md->snapshots[i].snapshot_id;
  ib_snapshot_ids_sort(ids, md->n_snapshots);
  *out = ids;
  return ICE_OK;
}

void ib_snapshot_ids_sort(int64_t *ids, size_t n) {
  if (n > 1) qsort(ids, n, sizeof(int64_t), cmp_i64);
}

bool ib_snapshot_ids_has(const int64_t *ids, size_t n, int64_t id) {
  return n > 0 && bsearch(&id, ids, n, sizeof(int64_t), cmp_i64) != NULL;
}

/* An integer "snapshot-id" member not in ids. */
static bool gone(const json_t *o, const int64_t *ids, size_t n) {
  const json_t *id = json_object_get(o, "snapshot-id");
  return json_is_integer(id) &&
         !ib_snapshot_ids_has(ids, n, (int64_t)json_integer_value(id));
}

/* Removes from the raw list under key every entry whose snapshot-id is gone. */
static void drop_entries(struct ib_table_metadata *md, const char *key,
                         const int64_t *ids, size_t n) {
  json_t *arr = md->raw != NULL ? json_object_get(md->raw, key) : NULL;
  if (!json_is_array(arr)) return;
  /* Rebuilt rather than removed from in place: json_array_remove shifts the rest. */
  json_t *kept = json_array();
  if (kept == NULL) return;
  for (size_t i = 0; i < json_array_size(arr); i++) {
    json_t *e = json_array_get(arr, i);
    if (!gone(e, ids, n) && json_array_append(kept, e) != 0) {
      json_decref(kept);
      return;
    }
  }
  (void)json_object_set_new(md->raw, key, kept); /* frees kept on failure */
}

void ib_table_refs_drop_dangling(struct ib_table_metadata *md, const int64_t *ids,
                                 size_t n) {
  if (md->has_current_snapshot && !ib_snapshot_ids_has(ids, n, md->current_snapshot_id))
    ib_table_refs_remove(md, "main");
  json_t *refs = refs_object(md);
  const char *name;
  json_t *r, *tmp;
  json_object_foreach_safe(refs, tmp, name, r) {
    if (!json_is_integer(json_object_get(r, "snapshot-id")) || gone(r, ids, n))
      json_object_del(refs, name);
  }
  drop_entries(md, "statistics", ids, n);
  drop_entries(md, "partition-statistics", ids, n);
}

int ib_table_refs_check(const struct ib_table_metadata *md, const int64_t *ids, size_t n,
                        struct ice_error *err) {
  const char *name;
  json_t *r;
  json_object_foreach(refs_object(md), name, r) {
    const json_t *id = json_object_get(r, "snapshot-id");
    if (!json_is_integer(id))
      ICE_FAIL(err, ICE_EINVAL, "ref '%.100s' has no snapshot-id", name);
    if (gone(r, ids, n))
      ICE_FAIL(err, ICE_EINVAL,
               "ref '%.100s' points at snapshot %" PRId64 " which does not exist", name,
               (int64_t)json_integer_value(id));
  }
  return ICE_OK;
}
