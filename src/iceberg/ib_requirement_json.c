/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table requirements <-> JSON in the REST shape (OpenAPI TableRequirement: AssertCreate
 * ... AssertDefaultSortOrderId), and the CommitTableRequest that carries both lists.
 */
#include <jansson.h>
#include <string.h>

#include "iceberg/ib_json_get.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_update.h"
#include "util/alloc.h"
#include "util/limits.h"

/* The member holding the asserted id of the integer-valued requirements. */
static const char *id_key(enum ib_requirement_type t) {
  switch (t) {
    case IB_REQ_ASSERT_LAST_ASSIGNED_FIELD_ID:
      return "last-assigned-field-id";
    case IB_REQ_ASSERT_CURRENT_SCHEMA_ID:
      return "current-schema-id";
    case IB_REQ_ASSERT_LAST_ASSIGNED_PARTITION_ID:
      return "last-assigned-partition-id";
    case IB_REQ_ASSERT_DEFAULT_SPEC_ID:
      return "default-spec-id";
    case IB_REQ_ASSERT_DEFAULT_SORT_ORDER_ID:
      return "default-sort-order-id";
    default:
      return NULL;
  }
}

int ib_requirement_to_json(const struct ib_requirement *r, json_t **out,
                           struct ice_error *err) {
  const char *name = ib_requirement_type_name(r->type);
  if (name == NULL)
    ICE_FAIL(err, ICE_EINVAL, "requirement with unknown type %d", (int)r->type);
  json_t *o = json_object();
  int bad = o == NULL || json_object_set_new(o, "type", json_string(name)) != 0;
  const char *k = id_key(r->type);
  if (!bad && k != NULL) bad = json_object_set_new(o, k, json_integer(r->id)) != 0;
  if (!bad && r->type == IB_REQ_ASSERT_TABLE_UUID)
    bad = json_object_set_new(o, "uuid", json_string(r->text ? r->text : "")) != 0;
  if (!bad && r->type == IB_REQ_ASSERT_REF_SNAPSHOT_ID) {
    bad = json_object_set_new(o, "ref", json_string(r->text ? r->text : "")) != 0 ||
          json_object_set_new(
              o, "snapshot-id",
              r->has_snapshot_id ? json_integer(r->snapshot_id) : json_null()) != 0;
  }
  if (bad) {
    json_decref(o);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  *out = o;
  return ICE_OK;
}

static int parse_body(const json_t *j, struct ib_requirement *r, struct ice_error *err) {
  const char *k = id_key(r->type);
  if (k != NULL) return ib_json_get_i32(j, k, &r->id, err);
  if (r->type == IB_REQ_ASSERT_TABLE_UUID) {
    uint8_t b[16];
    ICE_TRY(ib_json_dup_str(j, "uuid", &r->text, err));
    return ib_uuid_parse(r->text, b, err);
  }
  if (r->type == IB_REQ_ASSERT_REF_SNAPSHOT_ID) {
    const json_t *v;
    ICE_TRY(ib_json_dup_str(j, "ref", &r->text, err));
    /* Required, but null: the ref must not exist. */
    ICE_TRY(ib_json_get(j, "snapshot-id", &v, err));
    if (json_is_null(v)) return ICE_OK;
    r->has_snapshot_id = true;
    return ib_json_get_i64(j, "snapshot-id", &r->snapshot_id, err);
  }
  return ICE_OK; /* assert-create has no members */
}

int ib_requirement_from_json(const json_t *j, struct ib_requirement *out,
                             struct ice_error *err) {
  ICE_CHECK_DATA(json_is_object(j), err, "requirement is not an object");
  const char *name;
  int rc = ib_json_get_str(j, "type", &name, err);
  if (rc != ICE_OK) {
    ice_error_prefix(err, "requirement");
    return rc;
  }
  enum ib_requirement_type t = ib_requirement_type_from_name(name);
  if (t == 0) ICE_FAIL(err, ICE_EUNSUPPORTED, "unknown requirement type '%.64s'", name);
  struct ib_requirement r;
  ib_requirement_init(&r, t);
  rc = parse_body(j, &r, err);
  if (rc != ICE_OK) {
    ib_requirement_reset(&r);
    ice_error_prefix(err, "%s", name);
    return rc;
  }
  *out = r;
  return ICE_OK;
}

/* ---- CommitTableRequest ---- */

int ib_commit_request_to_json(const struct ib_requirement_list *reqs,
                              const struct ib_update_list *updates, char **out,
                              size_t *len, struct ice_error *err) {
  json_t *o = json_object(), *ra = json_array(), *ua = json_array();
  int rc = ICE_OK;
  if (o == NULL || ra == NULL || ua == NULL || json_object_set(o, "requirements", ra) ||
      json_object_set(o, "updates", ua))
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; rc == ICE_OK && i < reqs->n; i++) {
    json_t *e;
    rc = ib_requirement_to_json(&reqs->items[i], &e, err);
    if (rc == ICE_OK && json_array_append_new(ra, e) != 0)
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  for (size_t i = 0; rc == ICE_OK && i < updates->n; i++) {
    json_t *e;
    rc = ib_update_to_json(&updates->items[i], &e, err);
    if (rc == ICE_OK && json_array_append_new(ua, e) != 0)
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  if (rc == ICE_OK)
    rc = ib_json_dump(o, JSON_COMPACT | JSON_PRESERVE_ORDER, out, len, err);
  json_decref(ra);
  json_decref(ua);
  json_decref(o);
  return rc;
}

static int parse_lists(const json_t *root, struct ib_requirement_list *reqs,
                       struct ib_update_list *updates, struct ice_error *err) {
  ICE_CHECK_DATA(json_is_object(root), err, "commit request is not a JSON object");
  const json_t *ra, *ua;
  ICE_TRY(ib_json_get(root, "requirements", &ra, err));
  ICE_TRY(ib_json_get(root, "updates", &ua, err));
  ICE_CHECK_DATA(json_is_array(ra), err, "'requirements' is not a list");
  ICE_CHECK_DATA(json_is_array(ua), err, "'updates' is not a list");
  for (size_t i = 0; i < json_array_size(ra); i++) {
    struct ib_requirement *r;
    ICE_TRY(ib_requirement_list_add(reqs, IB_REQ_ASSERT_CREATE, &r, err));
    int rc = ib_requirement_from_json(json_array_get(ra, i), r, err);
    if (rc != ICE_OK) {
      reqs->n--; /* the failed slot holds nothing */
      ice_error_prefix(err, "requirements[%zu]", i);
      return rc;
    }
  }
  for (size_t i = 0; i < json_array_size(ua); i++) {
    struct ib_update *u;
    ICE_TRY(ib_update_list_add(updates, IB_UPDATE_ASSIGN_UUID, &u, err));
    int rc = ib_update_from_json(json_array_get(ua, i), u, err);
    if (rc != ICE_OK) {
      ib_update_reset(u);
      updates->n--;
      ice_error_prefix(err, "updates[%zu]", i);
      return rc;
    }
  }
  return ICE_OK;
}

int ib_commit_request_parse(const char *json, size_t len,
                            struct ib_requirement_list *reqs,
                            struct ib_update_list *updates, struct ice_error *err) {
  if (len > ICE_LIMIT_METADATA_JSON_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, "commit request: %zu bytes exceeds the cap", len);
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (root == NULL)
    ICE_FAIL(err, ICE_ECORRUPT, "commit request: invalid JSON: %s (line %d, column %d)",
             je.text, je.line, je.column);
  struct ib_requirement_list r;
  struct ib_update_list u;
  ib_requirement_list_init(&r);
  ib_update_list_init(&u);
  int rc = parse_lists(root, &r, &u, err);
  json_decref(root);
  if (rc != ICE_OK) {
    ib_requirement_list_reset(&r);
    ib_update_list_reset(&u);
    ice_error_prefix(err, "commit request");
    return rc;
  }
  ib_requirement_list_reset(reqs);
  ib_update_list_reset(updates);
  *reqs = r;
  *updates = u;
  return ICE_OK;
}
