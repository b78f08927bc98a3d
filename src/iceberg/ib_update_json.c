/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table updates <-> JSON in the REST shape (OpenAPI TableUpdate and its members:
 * AssignUUIDUpdate ... RemovePropertiesUpdate). Schemas, specs, sort orders and
 * snapshots go through the same serde as table metadata, so an update carries exactly
 * what a metadata file would.
 */
#include <jansson.h>
#include <string.h>

#include "iceberg/ib_json_get.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_update.h"
#include "util/alloc.h"
#include "util/limits.h"

/* ---- to JSON ---- */

/* json_object_set_new that records failure in *ok (and frees v on failure). */
static void put(json_t *o, const char *k, json_t *v, bool *ok) {
  if (!*ok) {
    json_decref(v);
    return;
  }
  if (v == NULL || json_object_set_new(o, k, v) != 0) *ok = false;
}

/* A nested object from one of the serde functions, or NULL. */
#define NESTED(call) ((call) == ICE_OK ? nested : NULL)

static void put_ref(json_t *o, const struct ib_snapshot_ref *r, bool *ok) {
  put(o, "ref-name", json_string(r->name ? r->name : ""), ok);
  put(o, "type", json_string(r->is_tag ? "tag" : "branch"), ok);
  put(o, "snapshot-id", json_integer(r->snapshot_id), ok);
  if (r->max_ref_age_ms >= 0)
    put(o, "max-ref-age-ms", json_integer(r->max_ref_age_ms), ok);
  if (r->max_snapshot_age_ms >= 0)
    put(o, "max-snapshot-age-ms", json_integer(r->max_snapshot_age_ms), ok);
  if (r->min_snapshots_to_keep >= 0)
    put(o, "min-snapshots-to-keep", json_integer(r->min_snapshots_to_keep), ok);
}

static int body_to_json(const struct ib_update *u, json_t *o, bool *ok,
                        struct ice_error *err) {
  json_t *nested = NULL;
  switch (u->action) {
    case IB_UPDATE_ASSIGN_UUID:
      put(o, "uuid", json_string(u->text ? u->text : ""), ok);
      break;
    case IB_UPDATE_UPGRADE_FORMAT_VERSION:
      put(o, "format-version", json_integer(u->id), ok);
      break;
    case IB_UPDATE_ADD_SCHEMA:
      put(o, "schema", NESTED(ib_schema_to_json(&u->schema, &nested, err)), ok);
      if (u->has_last_column_id)
        put(o, "last-column-id", json_integer(u->last_column_id), ok);
      break;
    case IB_UPDATE_SET_CURRENT_SCHEMA:
      put(o, "schema-id", json_integer(u->id), ok);
      break;
    case IB_UPDATE_ADD_SPEC:
      put(o, "spec", NESTED(ib_partition_spec_to_json(&u->spec, &nested, err)), ok);
      break;
    case IB_UPDATE_SET_DEFAULT_SPEC:
      put(o, "spec-id", json_integer(u->id), ok);
      break;
    case IB_UPDATE_ADD_SORT_ORDER:
      put(o, "sort-order", NESTED(ib_sort_order_to_json(&u->sort_order, &nested, err)),
          ok);
      break;
    case IB_UPDATE_SET_DEFAULT_SORT_ORDER:
      put(o, "sort-order-id", json_integer(u->id), ok);
      break;
    case IB_UPDATE_ADD_SNAPSHOT:
      put(o, "snapshot", NESTED(ib_snapshot_to_json(&u->snapshot, &nested, err)), ok);
      break;
    case IB_UPDATE_SET_SNAPSHOT_REF:
      put_ref(o, &u->ref, ok);
      break;
    case IB_UPDATE_REMOVE_SNAPSHOTS: {
      json_t *arr = json_array();
      for (size_t i = 0; arr != NULL && i < u->n_snapshot_ids; i++) {
        if (json_array_append_new(arr, json_integer(u->snapshot_ids[i])) != 0)
          *ok = false;
      }
      put(o, "snapshot-ids", arr, ok);
      break;
    }
    case IB_UPDATE_REMOVE_SNAPSHOT_REF:
      put(o, "ref-name", json_string(u->text ? u->text : ""), ok);
      break;
    case IB_UPDATE_SET_LOCATION:
      put(o, "location", json_string(u->text ? u->text : ""), ok);
      break;
    case IB_UPDATE_SET_PROPERTIES:
      put(o, "updates", ib_str_map_to_json(&u->properties), ok);
      break;
    case IB_UPDATE_REMOVE_PROPERTIES: {
      json_t *arr = json_array();
      for (size_t i = 0; arr != NULL && i < u->n_removals; i++) {
        if (json_array_append_new(arr, json_string(u->removals[i])) != 0) *ok = false;
      }
      put(o, "removals", arr, ok);
      break;
    }
    default:
      ICE_FAIL(err, ICE_EINVAL, "update with unknown action %d", (int)u->action);
  }
  return ICE_OK;
}

int ib_update_to_json(const struct ib_update *u, json_t **out, struct ice_error *err) {
  const char *name = ib_update_action_name(u->action);
  if (name == NULL)
    ICE_FAIL(err, ICE_EINVAL, "update with unknown action %d", (int)u->action);
  json_t *o = json_object();
  bool ok = o != NULL;
  put(o, "action", json_string(name), &ok);
  int rc = ok ? body_to_json(u, o, &ok, err) : ICE_OK;
  if (rc == ICE_OK && !ok) rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  if (rc != ICE_OK) {
    json_decref(o);
    return rc;
  }
  *out = o;
  return ICE_OK;
}

/* ---- from JSON ---- */

/* An optional member that is there and not null. */
static bool present(const json_t *j, const char *key) {
  const json_t *v = json_object_get(j, key);
  return v != NULL && !json_is_null(v);
}

static int parse_ref(const json_t *j, struct ib_snapshot_ref *r, struct ice_error *err) {
  const char *type;
  ICE_TRY(ib_json_dup_str(j, "ref-name", &r->name, err));
  ICE_TRY(ib_json_get_str(j, "type", &type, err));
  ICE_CHECK_DATA(strcmp(type, "branch") == 0 || strcmp(type, "tag") == 0, err,
                 "'type' must be \"branch\" or \"tag\"");
  r->is_tag = strcmp(type, "tag") == 0;
  ICE_TRY(ib_json_get_i64(j, "snapshot-id", &r->snapshot_id, err));
  /* Optional retention; absent or null reads as -1, a present value must be >= 0. */
  if (present(j, "max-ref-age-ms")) {
    ICE_TRY(ib_json_get_i64(j, "max-ref-age-ms", &r->max_ref_age_ms, err));
    ICE_CHECK_DATA(r->max_ref_age_ms >= 0, err, "negative 'max-ref-age-ms'");
  }
  if (present(j, "max-snapshot-age-ms")) {
    ICE_TRY(ib_json_get_i64(j, "max-snapshot-age-ms", &r->max_snapshot_age_ms, err));
    ICE_CHECK_DATA(r->max_snapshot_age_ms >= 0, err, "negative 'max-snapshot-age-ms'");
  }
  if (present(j, "min-snapshots-to-keep")) {
    ICE_TRY(ib_json_get_i32(j, "min-snapshots-to-keep", &r->min_snapshots_to_keep, err));
    ICE_CHECK_DATA(r->min_snapshots_to_keep >= 0, err,
                   "negative 'min-snapshots-to-keep'");
  }
  return ICE_OK;
}

/* A JSON array member of at most ICE_LIMIT_METADATA_LIST entries. */
static int get_array(const json_t *j, const char *key, const json_t **out,
                     struct ice_error *err) {
  ICE_TRY(ib_json_get(j, key, out, err));
  ICE_CHECK_DATA(json_is_array(*out), err, "'%s' is not a list", key);
  if (json_array_size(*out) > ICE_LIMIT_METADATA_LIST)
    ICE_FAIL(err, ICE_ELIMIT, "'%s' has %zu entries (cap %u)", key, json_array_size(*out),
             (unsigned)ICE_LIMIT_METADATA_LIST);
  return ICE_OK;
}

static int parse_snapshot_ids(const json_t *j, struct ib_update *u,
                              struct ice_error *err) {
  const json_t *arr;
  ICE_TRY(get_array(j, "snapshot-ids", &arr, err));
  size_t n = json_array_size(arr);
  if (n == 0) return ICE_OK;
  u->snapshot_ids = ice_calloc(n, sizeof(int64_t));
  if (u->snapshot_ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const json_t *v = json_array_get(arr, i);
    ICE_CHECK_DATA(json_is_integer(v), err, "'snapshot-ids' holds a non-integer");
    u->snapshot_ids[i] = (int64_t)json_integer_value(v);
    u->n_snapshot_ids = i + 1;
  }
  return ICE_OK;
}

static int parse_removals(const json_t *j, struct ib_update *u, struct ice_error *err) {
  const json_t *arr;
  ICE_TRY(get_array(j, "removals", &arr, err));
  size_t n = json_array_size(arr);
  if (n == 0) return ICE_OK;
  u->removals = ice_calloc(n, sizeof(char *));
  if (u->removals == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const json_t *v = json_array_get(arr, i);
    ICE_CHECK_DATA(json_is_string(v), err, "'removals' holds a non-string");
    u->removals[i] = ice_strdup(json_string_value(v));
    if (u->removals[i] == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    u->n_removals = i + 1;
  }
  return ICE_OK;
}

static int parse_properties(const json_t *j, struct ib_update *u, struct ice_error *err) {
  const json_t *o;
  ICE_TRY(ib_json_get(j, "updates", &o, err));
  ICE_CHECK_DATA(json_is_object(o), err, "'updates' is not an object");
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)(uintptr_t)o, k, v) {
    ICE_CHECK_DATA(json_is_string(v), err, "'updates': value of '%.100s' is not a string",
                   k);
    /* json_loadb with JSON_REJECT_DUPLICATES or not, jansson keeps one value per key. */
    ICE_TRY(ib_str_map_append(&u->properties, k, json_string_value(v), err));
  }
  return ICE_OK;
}

/* Parses the nested object under key with one of the shared serde functions. */
#define NESTED_FROM(key, call)                   \
  do {                                           \
    const json_t *nested_;                       \
    ICE_TRY(ib_json_get(j, key, &nested_, err)); \
    int nrc_ = (call);                           \
    if (nrc_ != ICE_OK) {                        \
      ice_error_prefix(err, "'%s'", key);        \
      return nrc_;                               \
    }                                            \
  } while (0)

static int parse_body(const json_t *j, struct ib_update *u, struct ice_error *err) {
  switch (u->action) {
    case IB_UPDATE_ASSIGN_UUID: {
      uint8_t b[16];
      ICE_TRY(ib_json_dup_str(j, "uuid", &u->text, err));
      return ib_uuid_parse(u->text, b, err);
    }
    case IB_UPDATE_UPGRADE_FORMAT_VERSION:
      return ib_json_get_i32(j, "format-version", &u->id, err);
    case IB_UPDATE_ADD_SCHEMA:
      NESTED_FROM("schema", ib_schema_from_json(nested_, &u->schema, err));
      if (present(j, "last-column-id")) {
        u->has_last_column_id = true;
        ICE_TRY(ib_json_get_i32(j, "last-column-id", &u->last_column_id, err));
      }
      return ICE_OK;
    case IB_UPDATE_SET_CURRENT_SCHEMA:
      return ib_json_get_i32(j, "schema-id", &u->id, err);
    case IB_UPDATE_ADD_SPEC:
      /* spec-id is read-only in REST (the builder assigns it): absent reads as 0. */
      NESTED_FROM("spec",
                  json_object_get(nested_, "spec-id") != NULL
                      ? ib_partition_spec_from_json(nested_, &u->spec, err)
                      : ib_partition_spec_from_fields_json(
                            json_object_get(nested_, "fields"), 0, &u->spec, err));
      return ICE_OK;
    case IB_UPDATE_SET_DEFAULT_SPEC:
      return ib_json_get_i32(j, "spec-id", &u->id, err);
    case IB_UPDATE_ADD_SORT_ORDER:
      NESTED_FROM("sort-order", ib_sort_order_from_json(nested_, &u->sort_order, err));
      return ICE_OK;
    case IB_UPDATE_SET_DEFAULT_SORT_ORDER:
      return ib_json_get_i32(j, "sort-order-id", &u->id, err);
    case IB_UPDATE_ADD_SNAPSHOT: {
      const json_t *s;
      ICE_TRY(ib_json_get(j, "snapshot", &s, err));
      /* REST requires both; a metadata file may lack them (v1). */
      ICE_CHECK_DATA(json_object_get(s, "manifest-list") != NULL, err,
                     "'snapshot': missing 'manifest-list'");
      ICE_CHECK_DATA(json_object_get(s, "summary") != NULL, err,
                     "'snapshot': missing 'summary'");
      NESTED_FROM("snapshot", ib_snapshot_from_json(nested_, &u->snapshot, err));
      return ICE_OK;
    }
    case IB_UPDATE_SET_SNAPSHOT_REF:
      return parse_ref(j, &u->ref, err);
    case IB_UPDATE_REMOVE_SNAPSHOTS:
      return parse_snapshot_ids(j, u, err);
    case IB_UPDATE_REMOVE_SNAPSHOT_REF:
      return ib_json_dup_str(j, "ref-name", &u->text, err);
    case IB_UPDATE_SET_LOCATION:
      return ib_json_dup_str(j, "location", &u->text, err);
    case IB_UPDATE_SET_PROPERTIES:
      return parse_properties(j, u, err);
    case IB_UPDATE_REMOVE_PROPERTIES:
      return parse_removals(j, u, err);
  }
  ICE_FAIL(err, ICE_EINTERNAL, "update action %d has no parser", (int)u->action);
}

int ib_update_from_json(const json_t *j, struct ib_update *out, struct ice_error *err) {
  ICE_CHECK_DATA(json_is_object(j), err, "update is not an object");
  const char *name;
  int rc = ib_json_get_str(j, "action", &name, err);
  if (rc != ICE_OK) {
    ice_error_prefix(err, "update");
    return rc;
  }
  enum ib_update_action a = ib_update_action_from_name(name);
  if (a == 0) ICE_FAIL(err, ICE_EUNSUPPORTED, "unknown update action '%.64s'", name);
  struct ib_update u;
  ib_update_init(&u, a);
  rc = parse_body(j, &u, err);
  if (rc != ICE_OK) {
    ib_update_reset(&u);
    ice_error_prefix(err, "%s", ib_update_action_name(a));
    return rc;
  }
  *out = u;
  return ICE_OK;
}
