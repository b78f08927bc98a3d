/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The metadata builder (reference/iceberg.md §1.3, §8.4): base metadata + REST updates
 * -> new metadata. Every commit goes through here, so the spec's rules are enforced in
 * one place: ids of added schemas/specs/orders are assigned here (an equivalent one is
 * reused, as Java does) and "-1" means the one added last; last-column-id and
 * last-partition-id only grow; format-version never goes down; the superseded file
 * joins metadata-log. Snapshot updates live in ib_metadata_builder_snapshots.c.
 */
#include "iceberg/ib_metadata_builder.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "iceberg/ib_location.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_table_refs.h"
#include "iceberg/ib_transform.h"
#include "util/alloc.h"
#include "util/limits.h"

/* A check on the caller's input failed: the caller broke a rule (ICE_EINVAL), however
 * the check reports it, unless memory ran out. The message is kept. */
static int as_einval(int rc, struct ice_error *err) {
  if (rc == ICE_OK || rc == ICE_ENOMEM) return rc;
  if (err != NULL) err->code = ICE_EINVAL;
  return ICE_EINVAL;
}

/* ---- identity, version, location, properties ---- */

static int assign_uuid(struct ib_table_metadata *md, const struct ib_update *u,
                       struct ice_error *err) {
  uint8_t b[16];
  if (u->text == NULL || ib_uuid_parse(u->text, b, NULL) != ICE_OK)
    ICE_FAIL(err, ICE_EINVAL, "'%.64s' is not a UUID", u->text ? u->text : "");
  if (md->table_uuid != NULL) {
    if (strcasecmp(md->table_uuid, u->text) == 0) return ICE_OK;
    ICE_FAIL(err, ICE_EINVAL, "the table already has uuid %s; a uuid is never reassigned",
             md->table_uuid);
  }
  md->table_uuid = ice_strdup(u->text);
  if (md->table_uuid == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  return ICE_OK;
}

static int upgrade_format(struct ib_builder *b, const struct ib_update *u,
                          struct ice_error *err) {
  if (u->id > 2)
    ICE_FAIL(err, ICE_EUNSUPPORTED,
             "format-version %" PRId32 " is not supported (only 2)", u->id);
  if (b->base == NULL && u->id != 2)
    ICE_FAIL(err, ICE_EUNSUPPORTED, "new tables are format-version 2, not %" PRId32,
             u->id);
  if (u->id < b->md->format_version)
    ICE_FAIL(err, ICE_EINVAL, "format-version cannot go down from %d to %" PRId32,
             b->md->format_version, u->id);
  b->md->format_version = (int)u->id;
  return ICE_OK;
}

static int set_location(struct ib_table_metadata *md, const char *loc,
                        struct ice_error *err) {
  if (loc == NULL || loc[0] == '\0') ICE_FAIL(err, ICE_EINVAL, "empty location");
  size_t n = strlen(loc);
  if (n >= ICE_LIMIT_LOCATION_BYTES) ICE_FAIL(err, ICE_ELIMIT, "location too long");
  /* A trailing '/' would give "loc//metadata"; the spec asks to avoid it. */
  while (n > 1 && loc[n - 1] == '/') n--;
  char *s = ice_strndup(loc, n);
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  ice_free(md->location);
  md->location = s;
  return ICE_OK;
}

static int set_properties(struct ib_table_metadata *md, const struct ib_update *u,
                          struct ice_error *err) {
  for (size_t i = 0; i < u->properties.n; i++) {
    const char *k = u->properties.keys[i];
    if (k[0] == '\0') ICE_FAIL(err, ICE_EINVAL, "empty property name");
    /* Reserved: it would read as an upgrade but change nothing. */
    if (strcmp(k, "format-version") == 0)
      ICE_FAIL(err, ICE_EINVAL,
               "'format-version' is reserved; use upgrade-format-version");
  }
  return ib_str_map_set_all(&md->properties, &u->properties, err);
}

/* ---- schemas ---- */

static bool same_schema(const struct ib_schema *a, const struct ib_schema *b) {
  if (a->n_identifier_field_ids != b->n_identifier_field_ids) return false;
  for (size_t i = 0; i < a->n_identifier_field_ids; i++) {
    if (a->identifier_field_ids[i] != b->identifier_field_ids[i]) return false;
  }
  return ib_type_equal(&a->root, &b->root);
}

static int add_schema(struct ib_builder *b, const struct ib_update *u,
                      struct ice_error *err) {
  struct ib_table_metadata *md = b->md;
  int rc = ib_schema_validate(&u->schema, err);
  if (rc != ICE_OK) return as_einval(rc, err);
  int32_t hi = ib_schema_highest_field_id(&u->schema);
  int32_t last = md->last_column_id;
  if (u->has_last_column_id) {
    if (u->last_column_id < md->last_column_id)
      ICE_FAIL(err, ICE_EINVAL,
               "last-column-id %" PRId32 " is below the table's %" PRId32
               " (it only grows)",
               u->last_column_id, md->last_column_id);
    if (u->last_column_id < hi)
      ICE_FAIL(err, ICE_EINVAL,
               "last-column-id %" PRId32 " is below the schema's field id %" PRId32,
               u->last_column_id, hi);
    last = u->last_column_id;
  }
  if (hi > last) last = hi;
  int32_t id = 0;
  for (size_t i = 0; i < md->n_schemas; i++) {
    if (same_schema(&md->schemas[i], &u->schema)) {
      md->last_column_id = last;
      b->has_last_schema = true;
      b->last_schema = md->schemas[i].schema_id;
      return ICE_OK;
    }
    if (md->schemas[i].schema_id >= id) id = md->schemas[i].schema_id + 1;
  }
  if (md->n_schemas >= ICE_LIMIT_METADATA_LIST)
    ICE_FAIL(err, ICE_ELIMIT, "too many schemas");
  struct ib_schema *p = ice_realloc(md->schemas, (md->n_schemas + 1) * sizeof(*p));
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  md->schemas = p;
  ICE_TRY(ib_schema_copy(&p[md->n_schemas], &u->schema, err));
  p[md->n_schemas++].schema_id = id;
  md->last_column_id = last;
  b->has_last_schema = true;
  b->last_schema = id;
  return ICE_OK;
}

/* Resolves IB_LAST_ADDED for the set-current/default updates. */
static int resolve(int32_t id, bool has_last, int32_t last, const char *what,
                   int32_t *out, struct ice_error *err) {
  if (id != IB_LAST_ADDED) {
    *out = id;
    return ICE_OK;
  }
  if (!has_last)
    ICE_FAIL(err, ICE_EINVAL, "-1 means the last added %s, but none was added", what);
  *out = last;
  return ICE_OK;
}

static int set_current_schema(struct ib_builder *b, const struct ib_update *u,
                              struct ice_error *err) {
  int32_t id;
  ICE_TRY(resolve(u->id, b->has_last_schema, b->last_schema, "schema", &id, err));
  if (ib_table_metadata_schema_by_id(b->md, id) == NULL)
    ICE_FAIL(err, ICE_EINVAL, "schema %" PRId32 " does not exist", id);
  b->md->current_schema_id = id;
  return ICE_OK;
}

/* ---- partition specs and sort orders ---- */

/* The source column exists in the current schema and the transform accepts it. */
static int check_source(const struct ib_table_metadata *md, int32_t source_id,
                        const char *transform, struct ice_error *err) {
  const struct ib_schema *cur = ib_table_metadata_current_schema(md);
  if (cur == NULL) ICE_FAIL(err, ICE_EINVAL, "no current schema to bind to");
  const struct ib_field *f = ib_schema_find_by_id(cur, source_id);
  if (f == NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "source-id %" PRId32 " is not in the current schema %" PRId32, source_id,
             cur->schema_id);
  struct ib_transform t;
  struct ib_type result;
  memset(&result, 0, sizeof(result));
  int rc = ib_transform_parse(transform, &t, err);
  if (rc == ICE_OK) rc = ib_transform_result_type(&t, &f->type, &result, err);
  ib_type_reset(&result);
  if (rc != ICE_OK)
    ice_error_prefix(err, "transform '%.64s' of field '%.100s'", transform, f->name);
  return rc == ICE_EUNSUPPORTED ? rc : as_einval(rc, err);
}

/* A field id at or below last-partition-id must be the same field in an existing spec:
 * v2 partition field ids are unique across specs and never reused. */
static int check_partition_field_id(const struct ib_table_metadata *md,
                                    const struct ib_partition_field *f,
                                    struct ice_error *err) {
  if (f->field_id > md->last_partition_id) return ICE_OK;
  for (size_t i = 0; i < md->n_specs; i++) {
    for (size_t j = 0; j < md->specs[i].n_fields; j++) {
      const struct ib_partition_field *g = &md->specs[i].fields[j];
      if (g->field_id == f->field_id && g->source_id == f->source_id &&
          strcmp(g->transform, f->transform) == 0)
        return ICE_OK;
    }
  }
  ICE_FAIL(err, ICE_EINVAL,
           "partition field '%.100s': field-id %" PRId32
           " is not above last-partition-id %" PRId32 " and is not an existing field",
           f->name, f->field_id, md->last_partition_id);
}

static int check_spec(const struct ib_table_metadata *md,
                      const struct ib_partition_spec *s, struct ice_error *err) {
  for (size_t i = 0; i < s->n_fields; i++) {
    const struct ib_partition_field *f = &s->fields[i];
    if (f->name == NULL || f->name[0] == '\0')
      ICE_FAIL(err, ICE_EINVAL, "partition field with an empty name");
    for (size_t j = 0; j < i; j++) {
      if (s->fields[j].field_id == f->field_id || strcmp(s->fields[j].name, f->name) == 0)
        ICE_FAIL(err, ICE_EINVAL,
                 "partition field '%.100s' (field-id %" PRId32 ") appears twice", f->name,
                 f->field_id);
    }
    ICE_TRY(check_source(md, f->source_id, f->transform, err));
    ICE_TRY(check_partition_field_id(md, f, err));
  }
  return ICE_OK;
}

static int add_spec(struct ib_builder *b, const struct ib_update *u,
                    struct ice_error *err) {
  struct ib_table_metadata *md = b->md;
  ICE_TRY(check_spec(md, &u->spec, err));
  int32_t id = 0;
  for (size_t i = 0; i < md->n_specs; i++) {
    if (ib_partition_spec_same_fields(&md->specs[i], &u->spec)) {
      b->has_last_spec = true;
      b->last_spec = md->specs[i].spec_id;
      return ICE_OK;
    }
    if (md->specs[i].spec_id >= id) id = md->specs[i].spec_id + 1;
  }
  if (md->n_specs >= ICE_LIMIT_METADATA_LIST) ICE_FAIL(err, ICE_ELIMIT, "too many specs");
  struct ib_partition_spec *p = ice_realloc(md->specs, (md->n_specs + 1) * sizeof(*p));
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  md->specs = p;
  ICE_TRY(ib_partition_spec_copy(&p[md->n_specs], &u->spec, err));
  p[md->n_specs++].spec_id = id;
  for (size_t i = 0; i < u->spec.n_fields; i++) {
    if (u->spec.fields[i].field_id > md->last_partition_id)
      md->last_partition_id = u->spec.fields[i].field_id;
  }
  b->has_last_spec = true;
  b->last_spec = id;
  return ICE_OK;
}

static int set_default_spec(struct ib_builder *b, const struct ib_update *u,
                            struct ice_error *err) {
  int32_t id;
  ICE_TRY(resolve(u->id, b->has_last_spec, b->last_spec, "spec", &id, err));
  if (ib_table_metadata_spec_by_id(b->md, id) == NULL)
    ICE_FAIL(err, ICE_EINVAL, "partition spec %" PRId32 " does not exist", id);
  b->md->default_spec_id = id;
  return ICE_OK;
}

static bool same_order_fields(const struct ib_sort_order *a,
                              const struct ib_sort_order *b) {
  if (a->n_fields != b->n_fields) return false;
  for (size_t i = 0; i < a->n_fields; i++) {
    const struct ib_sort_field *x = &a->fields[i], *y = &b->fields[i];
    if (x->source_id != y->source_id || x->descending != y->descending ||
        x->nulls_first != y->nulls_first || strcmp(x->transform, y->transform) != 0)
      return false;
  }
  return true;
}

static const struct ib_sort_order *order_by_id(const struct ib_table_metadata *md,
                                               int32_t id) {
  for (size_t i = 0; i < md->n_sort_orders; i++) {
    if (md->sort_orders[i].order_id == id) return &md->sort_orders[i];
  }
  return NULL;
}

static int add_sort_order(struct ib_builder *b, const struct ib_update *u,
                          struct ice_error *err) {
  struct ib_table_metadata *md = b->md;
  for (size_t i = 0; i < u->sort_order.n_fields; i++) {
    const struct ib_sort_field *f = &u->sort_order.fields[i];
    ICE_TRY(check_source(md, f->source_id, f->transform, err));
  }
  /* Java: the unsorted order is always 0, a sorted one gets max + 1 (at least 1). */
  int32_t id = u->sort_order.n_fields == 0 ? 0 : 1;
  for (size_t i = 0; i < md->n_sort_orders; i++) {
    if (same_order_fields(&md->sort_orders[i], &u->sort_order)) {
      b->has_last_order = true;
      b->last_order = md->sort_orders[i].order_id;
      return ICE_OK;
    }
    if (u->sort_order.n_fields > 0 && md->sort_orders[i].order_id >= id)
      id = md->sort_orders[i].order_id + 1;
  }
  if (order_by_id(md, id) != NULL)
    ICE_FAIL(err, ICE_EINVAL, "sort order id %" PRId32 " is taken by a different order",
             id);
  if (md->n_sort_orders >= ICE_LIMIT_METADATA_LIST)
    ICE_FAIL(err, ICE_ELIMIT, "too many sort orders");
  struct ib_sort_order *p =
      ice_realloc(md->sort_orders, (md->n_sort_orders + 1) * sizeof(*p));
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  md->sort_orders = p;
  ICE_TRY(ib_sort_order_copy(&p[md->n_sort_orders], &u->sort_order, err));
  p[md->n_sort_orders++].order_id = id;
  b->has_last_order = true;
  b->last_order = id;
  return ICE_OK;
}

static int set_default_sort_order(struct ib_builder *b, const struct ib_update *u,
                                  struct ice_error *err) {
  int32_t id;
  ICE_TRY(resolve(u->id, b->has_last_order, b->last_order, "sort order", &id, err));
  if (order_by_id(b->md, id) == NULL)
    ICE_FAIL(err, ICE_EINVAL, "sort order %" PRId32 " does not exist", id);
  b->md->default_sort_order_id = id;
  return ICE_OK;
}

/* ---- driver ---- */

static int apply(struct ib_builder *b, const struct ib_update *u, struct ice_error *err) {
  struct ib_table_metadata *md = b->md;
  switch (u->action) {
    case IB_UPDATE_ASSIGN_UUID:
      return assign_uuid(md, u, err);
    case IB_UPDATE_UPGRADE_FORMAT_VERSION:
      return upgrade_format(b, u, err);
    case IB_UPDATE_ADD_SCHEMA:
      return add_schema(b, u, err);
    case IB_UPDATE_SET_CURRENT_SCHEMA:
      return set_current_schema(b, u, err);
    case IB_UPDATE_ADD_SPEC:
      return add_spec(b, u, err);
    case IB_UPDATE_SET_DEFAULT_SPEC:
      return set_default_spec(b, u, err);
    case IB_UPDATE_ADD_SORT_ORDER:
      return add_sort_order(b, u, err);
    case IB_UPDATE_SET_DEFAULT_SORT_ORDER:
      return set_default_sort_order(b, u, err);
    case IB_UPDATE_ADD_SNAPSHOT:
      return ib_builder_add_snapshot(b, u, err);
    case IB_UPDATE_SET_SNAPSHOT_REF:
      return ib_builder_set_ref(b, u, err);
    case IB_UPDATE_REMOVE_SNAPSHOTS:
      return ib_builder_remove_snapshots(b, u, err);
    case IB_UPDATE_REMOVE_SNAPSHOT_REF:
      return ib_builder_remove_ref(b, u, err);
    case IB_UPDATE_SET_LOCATION:
      return set_location(md, u->text, err);
    case IB_UPDATE_SET_PROPERTIES:
      return set_properties(md, u, err);
    case IB_UPDATE_REMOVE_PROPERTIES:
      return ib_str_map_remove_all(&md->properties, u->removals, u->n_removals, err);
  }
  ICE_FAIL(err, ICE_EINVAL, "unknown update action %d", (int)u->action);
}

/* What a finished table must have; a create that forgot an update fails here. */
static int check_complete(const struct ib_table_metadata *md, struct ice_error *err) {
  if (md->table_uuid == NULL) ICE_FAIL(err, ICE_EINVAL, "no table uuid (assign-uuid)");
  if (md->location == NULL) ICE_FAIL(err, ICE_EINVAL, "no location (set-location)");
  if (ib_table_metadata_current_schema(md) == NULL)
    ICE_FAIL(err, ICE_EINVAL, "no current schema (add-schema, set-current-schema)");
  if (ib_table_metadata_default_spec(md) == NULL)
    ICE_FAIL(err, ICE_EINVAL, "no default partition spec (add-spec, set-default-spec)");
  if (order_by_id(md, md->default_sort_order_id) == NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "no default sort order (add-sort-order, set-default-sort-order)");
  int64_t *ids;
  ICE_TRY(ib_snapshot_ids_sorted(md, &ids, err));
  int rc = ib_table_refs_check(md, ids, md->n_snapshots, err);
  ice_free(ids);
  ICE_TRY(rc);
  return as_einval(ib_table_metadata_validate(md, err), err);
}

static void init_empty(struct ib_table_metadata *md) {
  /* Java's empty builder: v2, nothing current, partition ids start after 999. */
  md->format_version = 2;
  md->current_schema_id = -1;
  md->default_spec_id = -1;
  md->default_sort_order_id = -1;
  md->last_partition_id = 999;
}

static int build(struct ib_builder *b, const char *base_location,
                 const struct ib_update *updates, size_t n, struct ice_error *err) {
  for (size_t i = 0; i < n; i++) {
    int rc = apply(b, &updates[i], err);
    if (rc != ICE_OK) {
      const char *name = ib_update_action_name(updates[i].action);
      ice_error_prefix(err, "updates[%zu] %s", i, name ? name : "?");
      return rc;
    }
  }
  struct ib_table_metadata *md = b->md;
  /* After the updates, so a new write.metadata.previous-versions-max applies; before
   * last-updated-ms moves, since the entry records when base was written. */
  if (b->base != NULL && base_location != NULL)
    ICE_TRY(ib_table_metadata_push_previous(md, base_location, err));
  int64_t t = b->now_ms;
  if (b->has_added_ts && b->max_added_ts > t) t = b->max_added_ts;
  if (b->base == NULL || t > md->last_updated_ms) md->last_updated_ms = t;
  return check_complete(md, err);
}

int ib_metadata_build(const struct ib_table_metadata *base, const char *base_location,
                      const struct ib_update *updates, size_t n, int64_t now_ms,
                      struct ib_table_metadata *out, struct ice_error *err) {
  if (base == NULL && base_location != NULL)
    ICE_FAIL(err, ICE_EINVAL, "metadata builder: a create has no previous metadata file");
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  int rc = ICE_OK;
  if (base != NULL) {
    rc = ib_table_metadata_copy(&md, base, err);
  } else {
    init_empty(&md);
    md.raw = json_object();
    if (md.raw == NULL) rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  if (rc == ICE_OK) {
    struct ib_builder b;
    memset(&b, 0, sizeof(b));
    b.md = &md;
    b.base = base;
    b.now_ms = now_ms;
    b.snapshots_cap = md.n_snapshots;
    b.log_cap = md.n_snapshot_log;
    rc = build(&b, base_location, updates, n, err);
    ib_id_index_reset(&b.snapshots);
    ib_id_index_reset(&b.added);
  }
  if (rc != ICE_OK) {
    ib_table_metadata_reset(&md);
    ice_error_prefix(err, "metadata builder");
    return rc;
  }
  ib_table_metadata_reset(out);
  *out = md;
  return ICE_OK;
}
