/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The requirement and update lists of the usual operations (reference/iceberg.md §8.4:
 * what a REST stage-create sends, and the requirements Java's UpdateRequirements
 * derives from an update list): a new table (unpartitioned or partitioned), a new
 * snapshot on a branch, and what a commit must still find on retry.
 */
#include <string.h>

#include "iceberg/ib_table_refs.h"
#include "iceberg/ib_update.h"
#include "util/alloc.h"

static int add_text(struct ib_update_list *ups, enum ib_update_action a, const char *text,
                    struct ice_error *err) {
  struct ib_update *u;
  ICE_TRY(ib_update_list_add(ups, a, &u, err));
  u->text = ice_strdup(text);
  if (u->text == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  return ICE_OK;
}

static int add_id(struct ib_update_list *ups, enum ib_update_action a, int32_t id,
                  struct ice_error *err) {
  struct ib_update *u;
  ICE_TRY(ib_update_list_add(ups, a, &u, err));
  u->id = id;
  return ICE_OK;
}

static int new_table_properties(const struct ib_str_map *properties,
                                struct ib_update_list *ups, struct ice_error *err) {
  struct ib_update *u;
  ICE_TRY(ib_update_list_add(ups, IB_UPDATE_SET_PROPERTIES, &u, err));
  for (size_t i = 0; properties != NULL && i < properties->n; i++) {
    const char *k = properties->keys[i], *v = properties->values[i];
    if (strcmp(k, "format-version") == 0) {
      /* Reserved: chooses the version at create time and is never persisted. */
      if (strcmp(v, "2") != 0)
        ICE_FAIL(err, ICE_EUNSUPPORTED,
                 "new table: format-version %.16s is not supported (only 2)", v);
      continue;
    }
    ICE_TRY(ib_str_map_set(&u->properties, k, v, err));
  }
  /* Java >= 1.4 stamps new tables with zstd; it is also what our writer uses. */
  if (ib_str_map_get(&u->properties, "write.parquet.compression-codec") == NULL)
    ICE_TRY(
        ib_str_map_set(&u->properties, "write.parquet.compression-codec", "zstd", err));
  return ICE_OK;
}

int ib_commit_new_table(const char *uuid, const char *location,
                        const struct ib_schema *schema,
                        const struct ib_str_map *properties,
                        struct ib_requirement_list *reqs, struct ib_update_list *ups,
                        struct ice_error *err) {
  return ib_commit_new_partitioned_table(uuid, location, schema, NULL, properties, reqs,
                                         ups, err);
}

int ib_commit_new_partitioned_table(const char *uuid, const char *location,
                                    const struct ib_schema *schema,
                                    const struct ib_partition_spec *spec,
                                    const struct ib_str_map *properties,
                                    struct ib_requirement_list *reqs,
                                    struct ib_update_list *ups, struct ice_error *err) {
  struct ib_requirement *r;
  struct ib_update *u;
  ICE_TRY(ib_requirement_list_add(reqs, IB_REQ_ASSERT_CREATE, &r, err));
  ICE_TRY(add_text(ups, IB_UPDATE_ASSIGN_UUID, uuid, err));
  ICE_TRY(add_id(ups, IB_UPDATE_UPGRADE_FORMAT_VERSION, 2, err));
  ICE_TRY(ib_update_list_add(ups, IB_UPDATE_ADD_SCHEMA, &u, err));
  ICE_TRY(ib_schema_copy(&u->schema, schema, err));
  ICE_TRY(add_id(ups, IB_UPDATE_SET_CURRENT_SCHEMA, IB_LAST_ADDED, err));
  ICE_TRY(ib_update_list_add(ups, IB_UPDATE_ADD_SPEC, &u, err)); /* no fields yet */
  if (spec != NULL) ICE_TRY(ib_partition_spec_copy(&u->spec, spec, err));
  ICE_TRY(add_id(ups, IB_UPDATE_SET_DEFAULT_SPEC, IB_LAST_ADDED, err));
  ICE_TRY(ib_update_list_add(ups, IB_UPDATE_ADD_SORT_ORDER, &u, err)); /* unsorted */
  ICE_TRY(add_id(ups, IB_UPDATE_SET_DEFAULT_SORT_ORDER, IB_LAST_ADDED, err));
  ICE_TRY(add_text(ups, IB_UPDATE_SET_LOCATION, location, err));
  return new_table_properties(properties, ups, err);
}

/* True when reqs already holds a requirement of type t (for ref requirements: on ref). */
static bool has_requirement(const struct ib_requirement_list *reqs,
                            enum ib_requirement_type t, const char *ref) {
  for (size_t i = 0; i < reqs->n; i++) {
    const struct ib_requirement *r = &reqs->items[i];
    if (r->type == t && (ref == NULL || (r->text != NULL && strcmp(r->text, ref) == 0)))
      return true;
  }
  return false;
}

static int require_ref(const struct ib_table_metadata *base, const char *ref,
                       struct ib_requirement_list *reqs, struct ice_error *err) {
  if (ref == NULL || has_requirement(reqs, IB_REQ_ASSERT_REF_SNAPSHOT_ID, ref))
    return ICE_OK;
  struct ib_requirement *r;
  ICE_TRY(ib_requirement_list_add(reqs, IB_REQ_ASSERT_REF_SNAPSHOT_ID, &r, err));
  r->text = ice_strdup(ref);
  if (r->text == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  r->has_snapshot_id = ib_table_metadata_ref(base, ref, &r->snapshot_id);
  return ICE_OK;
}

/* Adds requirement t pinning value, once. */
static int require_id(enum ib_requirement_type t, int32_t value,
                      struct ib_requirement_list *reqs, struct ice_error *err) {
  if (has_requirement(reqs, t, NULL)) return ICE_OK;
  struct ib_requirement *r;
  ICE_TRY(ib_requirement_list_add(reqs, t, &r, err));
  r->id = value;
  return ICE_OK;
}

int ib_commit_requirements(const struct ib_table_metadata *base,
                           const struct ib_update *updates, size_t n,
                           struct ib_requirement_list *reqs, struct ice_error *err) {
  struct ib_requirement *r;
  if (base == NULL) return ib_requirement_list_add(reqs, IB_REQ_ASSERT_CREATE, &r, err);
  ICE_TRY(ib_requirement_list_add(reqs, IB_REQ_ASSERT_TABLE_UUID, &r, err));
  r->text = ice_strdup(base->table_uuid ? base->table_uuid : "");
  if (r->text == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const struct ib_update *u = &updates[i];
    switch (u->action) {
      case IB_UPDATE_SET_SNAPSHOT_REF:
        ICE_TRY(require_ref(base, u->ref.name, reqs, err));
        break;
      case IB_UPDATE_REMOVE_SNAPSHOT_REF:
        ICE_TRY(require_ref(base, u->text, reqs, err));
        break;
      case IB_UPDATE_ADD_SCHEMA:
        ICE_TRY(require_id(IB_REQ_ASSERT_LAST_ASSIGNED_FIELD_ID, base->last_column_id,
                           reqs, err));
        break;
      case IB_UPDATE_SET_CURRENT_SCHEMA:
        ICE_TRY(require_id(IB_REQ_ASSERT_CURRENT_SCHEMA_ID, base->current_schema_id, reqs,
                           err));
        break;
      case IB_UPDATE_ADD_SPEC:
        ICE_TRY(require_id(IB_REQ_ASSERT_LAST_ASSIGNED_PARTITION_ID,
                           base->last_partition_id, reqs, err));
        break;
      case IB_UPDATE_SET_DEFAULT_SPEC:
        ICE_TRY(
            require_id(IB_REQ_ASSERT_DEFAULT_SPEC_ID, base->default_spec_id, reqs, err));
        break;
      case IB_UPDATE_SET_DEFAULT_SORT_ORDER:
        ICE_TRY(require_id(IB_REQ_ASSERT_DEFAULT_SORT_ORDER_ID,
                           base->default_sort_order_id, reqs, err));
        break;
      default:
        break;
    }
  }
  return ICE_OK;
}

int ib_commit_add_snapshot(const struct ib_table_metadata *base, const char *branch,
                           const struct ib_snapshot_add *add, struct ib_update_list *ups,
                           struct ice_error *err) {
  if (add->manifest_list == NULL || add->summary == NULL)
    ICE_FAIL(err, ICE_EINVAL, "add snapshot: manifest list and summary required");
  struct ib_snapshot_ref head;
  memset(&head, 0, sizeof(head));
  bool has_head = ib_table_refs_get(base, branch, &head);
  if (has_head && head.is_tag)
    ICE_FAIL(err, ICE_EINVAL, "add snapshot: '%.100s' is a tag, not a branch", branch);
  struct ib_update *u;
  ICE_TRY(ib_update_list_add(ups, IB_UPDATE_ADD_SNAPSHOT, &u, err));
  struct ib_snapshot *s = &u->snapshot;
  s->snapshot_id = add->snapshot_id;
  s->sequence_number = add->sequence_number;
  s->timestamp_ms = add->timestamp_ms;
  s->has_parent = has_head;
  s->parent_snapshot_id = has_head ? head.snapshot_id : 0;
  s->has_schema_id = true;
  s->schema_id = base->current_schema_id;
  s->manifest_list = ice_strdup(add->manifest_list);
  if (s->manifest_list == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  ICE_TRY(ib_str_map_copy(&s->summary, add->summary, err));
  ICE_TRY(ib_update_list_add(ups, IB_UPDATE_SET_SNAPSHOT_REF, &u, err));
  if (has_head) u->ref = head; /* keeps the branch's retention fields */
  u->ref.is_tag = false;
  u->ref.snapshot_id = add->snapshot_id;
  u->ref.name = ice_strdup(branch);
  if (u->ref.name == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  return ICE_OK;
}
