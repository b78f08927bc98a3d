/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Updates and requirements <-> REST JSON: every action and requirement type round-trips
 * (parse(write(x)) writes the same text) with the member names of the OpenAPI schemas,
 * and malformed JSON is refused with the member named.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "test_iceberg_updates_fixture.h"

/* One update of every action, with every optional member set somewhere. */
static void all_updates(struct ib_update_list *l) {
  struct ice_error err;
  fx_create_updates(l, FX_UUID, NULL);
  l->items[2].has_last_column_id = true; /* add-schema's deprecated member */
  l->items[2].last_column_id = 4;
  CHECK_OK(ib_str_map_set(&l->items[l->n - 1].properties, "commit.retry.num-retries", "3",
                          &err),
           &err);
  struct ib_update *u = fx_add(l, IB_UPDATE_ADD_SPEC);
  u->spec.spec_id = 1;
  u->spec.fields = ice_calloc(1, sizeof(*u->spec.fields));
  u->spec.n_fields = 1;
  u->spec.fields[0] =
      (struct ib_partition_field){2, 1000, ice_strdup("ts_day"), ice_strdup("day")};
  u = fx_add(l, IB_UPDATE_ADD_SORT_ORDER);
  u->sort_order.order_id = 1;
  u->sort_order.fields = ice_calloc(1, sizeof(*u->sort_order.fields));
  u->sort_order.n_fields = 1;
  u->sort_order.fields[0] =
      (struct ib_sort_field){ice_strdup("identity"), 1, true, false};
  struct ib_table_metadata empty;
  ib_table_metadata_init(&empty);
  empty.current_schema_id = 0;
  fx_append_updates(l, &empty, 42, FX_NOW, "append");
  u = fx_add(l, IB_UPDATE_SET_SNAPSHOT_REF);
  u->ref.name = ice_strdup("audit");
  u->ref.snapshot_id = 42;
  u->ref.max_ref_age_ms = 86400000;
  u->ref.max_snapshot_age_ms = 3600000;
  u->ref.min_snapshots_to_keep = 2;
  u = fx_add(l, IB_UPDATE_SET_SNAPSHOT_REF);
  u->ref.name = ice_strdup("v1.0");
  u->ref.is_tag = true;
  u->ref.snapshot_id = 42;
  u = fx_add(l, IB_UPDATE_REMOVE_SNAPSHOTS);
  u->snapshot_ids = ice_calloc(2, sizeof(int64_t));
  u->snapshot_ids[0] = 7;
  u->snapshot_ids[1] = 8;
  u->n_snapshot_ids = 2;
  fx_set_text(fx_add(l, IB_UPDATE_REMOVE_SNAPSHOT_REF), "audit");
  u = fx_add(l, IB_UPDATE_REMOVE_PROPERTIES);
  u->removals = ice_calloc(1, sizeof(char *));
  u->removals[0] = ice_strdup("commit.retry.num-retries");
  u->n_removals = 1;
}

/* The members each action carries in the REST shape (besides "action"). */
static const char *const k_members[][4] = {
    [IB_UPDATE_ASSIGN_UUID] = {"uuid"},
    [IB_UPDATE_UPGRADE_FORMAT_VERSION] = {"format-version"},
    [IB_UPDATE_ADD_SCHEMA] = {"schema"},
    [IB_UPDATE_SET_CURRENT_SCHEMA] = {"schema-id"},
    [IB_UPDATE_ADD_SPEC] = {"spec"},
    [IB_UPDATE_SET_DEFAULT_SPEC] = {"spec-id"},
    [IB_UPDATE_ADD_SORT_ORDER] = {"sort-order"},
    [IB_UPDATE_SET_DEFAULT_SORT_ORDER] = {"sort-order-id"},
    [IB_UPDATE_ADD_SNAPSHOT] = {"snapshot"},
    [IB_UPDATE_SET_SNAPSHOT_REF] = {"ref-name", "type", "snapshot-id"},
    [IB_UPDATE_REMOVE_SNAPSHOTS] = {"snapshot-ids"},
    [IB_UPDATE_REMOVE_SNAPSHOT_REF] = {"ref-name"},
    [IB_UPDATE_SET_LOCATION] = {"location"},
    [IB_UPDATE_SET_PROPERTIES] = {"updates"},
    [IB_UPDATE_REMOVE_PROPERTIES] = {"removals"},
};

static char *dump(const json_t *j) {
  char *s = NULL;
  CHECK_OK(ib_json_dump(j, JSON_COMPACT | JSON_PRESERVE_ORDER, &s, NULL, NULL), NULL);
  return s;
}

static void test_update_round_trip(void) {
  struct ib_update_list l;
  ib_update_list_init(&l);
  all_updates(&l);
  struct ice_error err;
  int seen[IB_UPDATE_REMOVE_PROPERTIES + 1] = {0};
  for (size_t i = 0; i < l.n; i++) {
    json_t *j = NULL, *j2 = NULL;
    CHECK_OK(ib_update_to_json(&l.items[i], &j, &err), &err);
    if (j == NULL) continue;
    seen[l.items[i].action] = 1;
    CHECK_EQ_STR(json_string_value(json_object_get(j, "action")),
                 ib_update_action_name(l.items[i].action));
    for (int k = 0; k < 4 && k_members[l.items[i].action][k]; k++)
      CHECK(json_object_get(j, k_members[l.items[i].action][k]) != NULL);
    struct ib_update back;
    CHECK_OK(ib_update_from_json(j, &back, &err), &err);
    CHECK_EQ_INT(back.action, l.items[i].action);
    CHECK_OK(ib_update_to_json(&back, &j2, &err), &err);
    char *a = dump(j), *b = j2 ? dump(j2) : NULL;
    CHECK_EQ_STR(a, b);
    ice_free(a);
    ice_free(b);
    ib_update_reset(&back);
    json_decref(j);
    json_decref(j2);
  }
  for (int a = IB_UPDATE_ASSIGN_UUID; a <= IB_UPDATE_REMOVE_PROPERTIES; a++)
    CHECK(seen[a]);
  ib_update_list_reset(&l);
}

/* Exact REST text of a few updates whose shape matters most to servers. */
static void test_update_shapes(void) {
  struct ib_update_list l;
  ib_update_list_init(&l);
  all_updates(&l);
  const char *want[] = {
      "{\"action\":\"assign-uuid\",\"uuid\":\"" FX_UUID "\"}",
      "{\"action\":\"upgrade-format-version\",\"format-version\":2}",
      NULL,
      "{\"action\":\"set-current-schema\",\"schema-id\":-1}",
      "{\"action\":\"add-spec\",\"spec\":{\"spec-id\":0,\"fields\":[]}}",
      "{\"action\":\"set-default-spec\",\"spec-id\":-1}",
      "{\"action\":\"add-sort-order\",\"sort-order\":{\"order-id\":0,\"fields\":[]}}",
      "{\"action\":\"set-default-sort-order\",\"sort-order-id\":-1}",
      "{\"action\":\"set-location\",\"location\":\"" FX_LOCATION "\"}",
  };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    if (want[i] == NULL) continue;
    json_t *j = NULL;
    CHECK_OK(ib_update_to_json(&l.items[i], &j, NULL), NULL);
    char *s = j ? dump(j) : NULL;
    CHECK_EQ_STR(s, want[i]);
    ice_free(s);
    json_decref(j);
  }
  /* set-snapshot-ref with retention, and a tag without. */
  const char *ref_want[] = {
      /* parenthesised: one element each, split over lines */
      ("{\"action\":\"set-snapshot-ref\",\"ref-name\":\"audit\",\"type\":\"branch\","
       "\"snapshot-id\":42,\"max-ref-age-ms\":86400000,\"max-snapshot-age-ms\":3600000,"
       "\"min-snapshots-to-keep\":2}"),
      ("{\"action\":\"set-snapshot-ref\",\"ref-name\":\"v1.0\",\"type\":\"tag\","
       "\"snapshot-id\":42}"),
      "{\"action\":\"remove-snapshots\",\"snapshot-ids\":[7,8]}",
      "{\"action\":\"remove-snapshot-ref\",\"ref-name\":\"audit\"}",
      "{\"action\":\"remove-properties\",\"removals\":[\"commit.retry.num-retries\"]}",
  };
  for (size_t i = 0; i < 5; i++) {
    json_t *j = NULL;
    CHECK_OK(ib_update_to_json(&l.items[l.n - 5 + i], &j, NULL), NULL);
    char *s = j ? dump(j) : NULL;
    CHECK_EQ_STR(s, ref_want[i]);
    ice_free(s);
    json_decref(j);
  }
  ib_update_list_reset(&l);
}

static void all_requirements(struct ib_requirement_list *l) {
  struct ib_requirement *r;
  struct ice_error err;
  CHECK_OK(ib_requirement_list_add(l, IB_REQ_ASSERT_CREATE, &r, &err), &err);
  CHECK_OK(ib_requirement_list_add(l, IB_REQ_ASSERT_TABLE_UUID, &r, &err), &err);
  r->text = ice_strdup(FX_UUID);
  CHECK_OK(ib_requirement_list_add(l, IB_REQ_ASSERT_REF_SNAPSHOT_ID, &r, &err), &err);
  r->text = ice_strdup("main");
  r->has_snapshot_id = true;
  r->snapshot_id = 3055729675574597004;
  CHECK_OK(ib_requirement_list_add(l, IB_REQ_ASSERT_REF_SNAPSHOT_ID, &r, &err), &err);
  r->text = ice_strdup("dev"); /* null: must not exist */
  enum ib_requirement_type ids[] = {
      IB_REQ_ASSERT_LAST_ASSIGNED_FIELD_ID, IB_REQ_ASSERT_CURRENT_SCHEMA_ID,
      IB_REQ_ASSERT_LAST_ASSIGNED_PARTITION_ID, IB_REQ_ASSERT_DEFAULT_SPEC_ID,
      IB_REQ_ASSERT_DEFAULT_SORT_ORDER_ID};
  for (size_t i = 0; i < 5; i++) {
    CHECK_OK(ib_requirement_list_add(l, ids[i], &r, &err), &err);
    r->id = (int32_t)(10 + i);
  }
}

static void test_requirement_round_trip(void) {
  struct ib_requirement_list l;
  ib_requirement_list_init(&l);
  all_requirements(&l);
  const char *want[] = {
      "{\"type\":\"assert-create\"}",
      "{\"type\":\"assert-table-uuid\",\"uuid\":\"" FX_UUID "\"}",
      "{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":"
      "3055729675574597004}",
      "{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"dev\",\"snapshot-id\":null}",
      "{\"type\":\"assert-last-assigned-field-id\",\"last-assigned-field-id\":10}",
      "{\"type\":\"assert-current-schema-id\",\"current-schema-id\":11}",
      "{\"type\":\"assert-last-assigned-partition-id\",\"last-assigned-partition-id\":"
      "12}",
      "{\"type\":\"assert-default-spec-id\",\"default-spec-id\":13}",
      "{\"type\":\"assert-default-sort-order-id\",\"default-sort-order-id\":14}",
  };
  CHECK_EQ_INT(l.n, 9);
  struct ice_error err;
  for (size_t i = 0; i < l.n && i < 9; i++) {
    json_t *j = NULL, *j2 = NULL;
    CHECK_OK(ib_requirement_to_json(&l.items[i], &j, &err), &err);
    char *s = j ? dump(j) : NULL;
    CHECK_EQ_STR(s, want[i]);
    struct ib_requirement back;
    CHECK_OK(ib_requirement_from_json(j, &back, &err), &err);
    CHECK_EQ_INT(back.type, l.items[i].type);
    CHECK_EQ_INT(back.has_snapshot_id, l.items[i].has_snapshot_id);
    CHECK_OK(ib_requirement_to_json(&back, &j2, &err), &err);
    char *s2 = j2 ? dump(j2) : NULL;
    CHECK_EQ_STR(s2, want[i]);
    ice_free(s);
    ice_free(s2);
    ib_requirement_reset(&back);
    json_decref(j);
    json_decref(j2);
  }
  ib_requirement_list_reset(&l);
}

static void test_commit_request_round_trip(void) {
  struct ib_update_list u, u2;
  struct ib_requirement_list r, r2;
  ib_update_list_init(&u);
  ib_update_list_init(&u2);
  ib_requirement_list_init(&r);
  ib_requirement_list_init(&r2);
  all_updates(&u);
  all_requirements(&r);
  struct ice_error err;
  char *a = NULL, *b = NULL;
  size_t na = 0, nb = 0;
  CHECK_OK(ib_commit_request_to_json(&r, &u, &a, &na, &err), &err);
  CHECK(a != NULL &&
        strncmp(a, "{\"requirements\":[{\"type\":\"assert-create\"}", 41) == 0);
  CHECK_OK(ib_commit_request_parse(a, na, &r2, &u2, &err), &err);
  CHECK_EQ_INT(u2.n, u.n);
  CHECK_EQ_INT(r2.n, r.n);
  CHECK_OK(ib_commit_request_to_json(&r2, &u2, &b, &nb, &err), &err);
  CHECK_EQ_STR(a, b);
  ice_free(a);
  ice_free(b);
  ib_update_list_reset(&u);
  ib_update_list_reset(&u2);
  ib_requirement_list_reset(&r);
  ib_requirement_list_reset(&r2);
}

struct bad_case {
  const char *json;
  int code;
  const char *says;
};

static void test_malformed_updates(void) {
  const struct bad_case cases[] = {
      {"[]", ICE_ECORRUPT, "update is not an object"},
      {"{\"uuid\":\"x\"}", ICE_ECORRUPT, "missing 'action'"},
      {"{\"action\":7}", ICE_ECORRUPT, "'action' is not a string"},
      {"{\"action\":\"set-statistics-typo\"}", ICE_EUNSUPPORTED, "unknown update action"},
      {"{\"action\":\"assign-uuid\"}", ICE_ECORRUPT, "assign-uuid: missing 'uuid'"},
      {"{\"action\":\"assign-uuid\",\"uuid\":\"not-a-uuid\"}", ICE_ECORRUPT,
       "assign-uuid"},
      {"{\"action\":\"upgrade-format-version\",\"format-version\":\"2\"}", ICE_ECORRUPT,
       "'format-version' is not an integer"},
      {"{\"action\":\"set-current-schema\",\"schema-id\":4294967296}", ICE_ECORRUPT,
       "'schema-id' is out of int range"},
      {"{\"action\":\"add-schema\"}", ICE_ECORRUPT, "missing 'schema'"},
      {"{\"action\":\"add-schema\",\"schema\":{\"type\":\"struct\",\"fields\":[{}]}}",
       ICE_ECORRUPT, "add-schema: 'schema'"},
      {"{\"action\":\"add-spec\",\"spec\":{\"fields\":{}}}", ICE_ECORRUPT,
       "add-spec: 'spec'"},
      {"{\"action\":\"add-sort-order\",\"sort-order\":{\"fields\":[]}}", ICE_ECORRUPT,
       "missing 'order-id'"},
      {"{\"action\":\"add-snapshot\",\"snapshot\":{\"snapshot-id\":1,\"timestamp-ms\":1,"
       "\"summary\":{\"operation\":\"append\"}}}",
       ICE_ECORRUPT, "'snapshot': missing 'manifest-list'"},
      {"{\"action\":\"add-snapshot\",\"snapshot\":{\"snapshot-id\":1,\"timestamp-ms\":1,"
       "\"manifest-list\":\"m\"}}",
       ICE_ECORRUPT, "'snapshot': missing 'summary'"},
      {"{\"action\":\"add-snapshot\",\"snapshot\":{\"snapshot-id\":1,\"manifest-list\":"
       "\"m\",\"summary\":{\"operation\":\"append\"}}}",
       ICE_ECORRUPT, "add-snapshot: 'snapshot': missing 'timestamp-ms'"},
      {"{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"blob\","
       "\"snapshot-id\":1}",
       ICE_ECORRUPT, "'type' must be"},
      {"{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"branch\"}",
       ICE_ECORRUPT, "missing 'snapshot-id'"},
      {"{\"action\":\"set-snapshot-ref\",\"ref-name\":\"b\",\"type\":\"branch\","
       "\"snapshot-id\":1,\"min-snapshots-to-keep\":-3}",
       ICE_ECORRUPT, "negative 'min-snapshots-to-keep'"},
      {"{\"action\":\"remove-snapshots\",\"snapshot-ids\":[1,\"2\"]}", ICE_ECORRUPT,
       "'snapshot-ids' holds a non-integer"},
      {"{\"action\":\"remove-snapshots\",\"snapshot-ids\":3}", ICE_ECORRUPT,
       "'snapshot-ids' is not a list"},
      {"{\"action\":\"remove-snapshot-ref\",\"ref-name\":null}", ICE_ECORRUPT,
       "'ref-name' is not a string"},
      {"{\"action\":\"set-location\"}", ICE_ECORRUPT, "missing 'location'"},
      {"{\"action\":\"set-properties\",\"updates\":{\"a\":1}}", ICE_ECORRUPT,
       "value of 'a' is not a string"},
      {"{\"action\":\"set-properties\",\"updates\":[]}", ICE_ECORRUPT,
       "'updates' is not an object"},
      {"{\"action\":\"remove-properties\",\"removals\":[1]}", ICE_ECORRUPT,
       "'removals' holds a non-string"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    json_t *j = json_loads(cases[i].json, 0, NULL);
    CHECK(j != NULL);
    struct ib_update u;
    struct ice_error err;
    memset(&err, 0, sizeof(err));
    int rc = ib_update_from_json(j, &u, &err);
    if (rc == ICE_OK) ib_update_reset(&u);
    if (rc != cases[i].code) fprintf(stderr, "  case %zu: %s\n", i, cases[i].json);
    CHECK_EQ_INT(rc, cases[i].code);
    CHECK(fx_says(&err, cases[i].says));
    json_decref(j);
  }
}

static void test_malformed_requirements(void) {
  const struct bad_case cases[] = {
      {"\"assert-create\"", ICE_ECORRUPT, "requirement is not an object"},
      {"{}", ICE_ECORRUPT, "missing 'type'"},
      {"{\"type\":\"assert-view-uuid\"}", ICE_EUNSUPPORTED, "unknown requirement type"},
      {"{\"type\":\"assert-table-uuid\"}", ICE_ECORRUPT, "missing 'uuid'"},
      {"{\"type\":\"assert-table-uuid\",\"uuid\":\"123\"}", ICE_ECORRUPT,
       "assert-table-uuid"},
      {"{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\"}", ICE_ECORRUPT,
       "missing 'snapshot-id'"},
      {"{\"type\":\"assert-ref-snapshot-id\",\"snapshot-id\":1}", ICE_ECORRUPT,
       "missing 'ref'"},
      {"{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":1.5}",
       ICE_ECORRUPT, "'snapshot-id' is not an integer"},
      {"{\"type\":\"assert-current-schema-id\"}", ICE_ECORRUPT,
       "missing 'current-schema-id'"},
      {"{\"type\":\"assert-default-spec-id\",\"default-spec-id\":true}", ICE_ECORRUPT,
       "'default-spec-id' is not an integer"},
      {"{\"type\":\"assert-last-assigned-field-id\",\"last-assigned-field-id\":-"
       "9999999999}",
       ICE_ECORRUPT, "out of int range"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    json_t *j = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
    CHECK(j != NULL);
    struct ib_requirement r;
    struct ice_error err;
    memset(&err, 0, sizeof(err));
    int rc = ib_requirement_from_json(j, &r, &err);
    if (rc == ICE_OK) ib_requirement_reset(&r);
    if (rc != cases[i].code) fprintf(stderr, "  case %zu: %s\n", i, cases[i].json);
    CHECK_EQ_INT(rc, cases[i].code);
    CHECK(fx_says(&err, cases[i].says));
    json_decref(j);
  }
}

static void test_malformed_commit_requests(void) {
  const struct bad_case cases[] = {
      {"{\"requirements\":[]", ICE_ECORRUPT, "invalid JSON"},
      {"[]", ICE_ECORRUPT, "not a JSON object"},
      {"{\"requirements\":[]}", ICE_ECORRUPT, "missing 'updates'"},
      {"{\"updates\":[]}", ICE_ECORRUPT, "missing 'requirements'"},
      {"{\"requirements\":{},\"updates\":[]}", ICE_ECORRUPT,
       "'requirements' is not a list"},
      {"{\"requirements\":[],\"updates\":[{\"action\":\"set-location\",\"location\":"
       "\"x\"},"
       "{\"action\":\"set-location\"}]}",
       ICE_ECORRUPT, "commit request: updates[1]: set-location: missing 'location'"},
      {"{\"requirements\":[{\"type\":\"assert-create\"},{}],\"updates\":[]}",
       ICE_ECORRUPT, "requirements[1]"},
      {"{\"requirements\":[],\"updates\":[],\"updates\":[]}", ICE_ECORRUPT, "duplicate"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct ib_update_list u;
    struct ib_requirement_list r;
    ib_update_list_init(&u);
    ib_requirement_list_init(&r);
    struct ice_error err;
    memset(&err, 0, sizeof(err));
    int rc = ib_commit_request_parse(cases[i].json, strlen(cases[i].json), &r, &u, &err);
    CHECK_EQ_INT(rc, cases[i].code);
    CHECK(fx_says(&err, cases[i].says));
    CHECK_EQ_INT(u.n, 0);
    CHECK_EQ_INT(r.n, 0);
    ib_update_list_reset(&u);
    ib_requirement_list_reset(&r);
  }
  /* An identifier (sent in multi-table commits) is accepted and ignored. */
  const char *ok =
      "{\"identifier\":{\"namespace\":[\"db\"],\"name\":\"t\"},\"requirements\":[],"
      "\"updates\":[{\"action\":\"remove-snapshot-ref\",\"ref-name\":\"b\"}]}";
  struct ib_update_list u;
  struct ib_requirement_list r;
  ib_update_list_init(&u);
  ib_requirement_list_init(&r);
  CHECK_OK(ib_commit_request_parse(ok, strlen(ok), &r, &u, NULL), NULL);
  CHECK_EQ_INT(u.n, 1);
  ib_update_list_reset(&u);
  ib_requirement_list_reset(&r);
}

int main(void) {
  ICE_RUN(test_update_round_trip);
  ICE_RUN(test_update_shapes);
  ICE_RUN(test_requirement_round_trip);
  ICE_RUN(test_commit_request_round_trip);
  ICE_RUN(test_malformed_updates);
  ICE_RUN(test_malformed_requirements);
  ICE_RUN(test_malformed_commit_requests);
  ICE_TEST_EXIT();
}
