/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The requirement checker: every requirement passing and failing (ICE_ECONFLICT naming
 * it and what the table has), on a missing table and an existing one, and the retry
 * case: requirements made against one head fail against the next.
 */
#include <stdio.h>
#include <string.h>

#include "test_iceberg_updates_fixture.h"

/* Parses a JSON list of requirements and checks them against md. */
static int check_json(const char *reqs, const struct ib_table_metadata *md,
                      struct ice_error *err) {
  struct ib_update_list u;
  struct ib_requirement_list r;
  ib_update_list_init(&u);
  ib_requirement_list_init(&r);
  int rc = fx_parse_request(reqs, "[]", &r, &u, err);
  if (rc == ICE_OK) rc = ib_requirements_check(r.items, r.n, md, err);
  ib_update_list_reset(&u);
  ib_requirement_list_reset(&r);
  return rc;
}

struct case_ {
  const char *reqs;
  const char *says; /* NULL: must pass */
};

static void run_cases(const struct case_ *cases, size_t n,
                      const struct ib_table_metadata *md) {
  for (size_t i = 0; i < n; i++) {
    struct ice_error err;
    memset(&err, 0, sizeof(err));
    int rc = check_json(cases[i].reqs, md, &err);
    if ((rc == ICE_OK) != (cases[i].says == NULL))
      fprintf(stderr, "  case %zu: %s -> %d %s\n", i, cases[i].reqs, rc, err.message);
    if (cases[i].says == NULL) {
      CHECK_EQ_INT(rc, ICE_OK);
    } else {
      CHECK_EQ_INT(rc, ICE_ECONFLICT);
      CHECK(fx_says(&err, cases[i].says));
    }
  }
}

static void test_missing_table(void) {
  const struct case_ cases[] = {
      {"[{\"type\":\"assert-create\"}]", NULL},
      {"[]", NULL},
      {"[{\"type\":\"assert-table-uuid\",\"uuid\":\"" FX_UUID "\"}]",
       "assert-table-uuid: the table does not exist"},
      {"[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":null}]",
       "assert-ref-snapshot-id: the table does not exist"},
      {"[{\"type\":\"assert-current-schema-id\",\"current-schema-id\":0}]",
       "assert-current-schema-id: the table does not exist"},
  };
  run_cases(cases, sizeof(cases) / sizeof(cases[0]), NULL);
}

static void test_existing_table(void) {
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  fx_create(&md);
  /* an empty table: main does not exist yet */
  const struct case_ empty[] = {
      {"[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":null}]",
       NULL},
      {"[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":5}]",
       "ref 'main' does not exist, expected snapshot 5"},
  };
  run_cases(empty, 2, &md);
  struct ib_update_list l;
  ib_update_list_init(&l);
  fx_append_updates(&l, &md, 77, FX_NOW + 1, "append");
  struct ib_update *u = fx_add(&l, IB_UPDATE_SET_SNAPSHOT_REF);
  u->ref.name = ice_strdup("dev");
  u->ref.snapshot_id = 77;
  struct ib_table_metadata next;
  ib_table_metadata_init(&next);
  struct ice_error err;
  CHECK_OK(ib_metadata_build(&md, NULL, l.items, l.n, FX_NOW + 1, &next, &err), &err);
  ib_update_list_reset(&l);
  const struct case_ cases[] = {
      {"[{\"type\":\"assert-create\"}]",
       "assert-create: the table already exists (uuid " FX_UUID ")"},
      {"[{\"type\":\"assert-table-uuid\",\"uuid\":\"" FX_UUID "\"}]", NULL},
      {"[{\"type\":\"assert-table-uuid\",\"uuid\":\"9C12D441-03FE-4693-9A96-"
       "A0705DDF69C1\"}]",
       NULL},
      {"[{\"type\":\"assert-table-uuid\",\"uuid\":\"11111111-2222-4333-8444-"
       "555555555555\"}]",
       "assert-table-uuid: the table's uuid is " FX_UUID
       ", expected 11111111-2222-4333-8444-555555555555"},
      {"[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":77}]",
       NULL},
      {"[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"dev\",\"snapshot-id\":77}]",
       NULL},
      {"[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"other\",\"snapshot-id\":null}]",
       NULL},
      {"[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":76}]",
       "assert-ref-snapshot-id: ref 'main' is at snapshot 77, expected 76"},
      {"[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"dev\",\"snapshot-id\":null}]",
       "ref 'dev' exists (snapshot 77), expected it not to"},
      {"[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"other\",\"snapshot-id\":77}]",
       "ref 'other' does not exist, expected snapshot 77"},
      {"[{\"type\":\"assert-last-assigned-field-id\",\"last-assigned-field-id\":4}]",
       NULL},
      {"[{\"type\":\"assert-last-assigned-field-id\",\"last-assigned-field-id\":3}]",
       "assert-last-assigned-field-id: the table's last-column-id is 4, expected 3"},
      {"[{\"type\":\"assert-current-schema-id\",\"current-schema-id\":0}]", NULL},
      {"[{\"type\":\"assert-current-schema-id\",\"current-schema-id\":1}]",
       "assert-current-schema-id: the table's current-schema-id is 0, expected 1"},
      {"[{\"type\":\"assert-last-assigned-partition-id\","
       "\"last-assigned-partition-id\":999}]",
       NULL},
      {"[{\"type\":\"assert-last-assigned-partition-id\","
       "\"last-assigned-partition-id\":1000}]",
       "the table's last-partition-id is 999, expected 1000"},
      {"[{\"type\":\"assert-default-spec-id\",\"default-spec-id\":0}]", NULL},
      {"[{\"type\":\"assert-default-spec-id\",\"default-spec-id\":2}]",
       "assert-default-spec-id: the table's default-spec-id is 0, expected 2"},
      {"[{\"type\":\"assert-default-sort-order-id\",\"default-sort-order-id\":0}]", NULL},
      {"[{\"type\":\"assert-default-sort-order-id\",\"default-sort-order-id\":1}]",
       "the table's default-sort-order-id is 0, expected 1"},
      /* the first failing one is reported */
      {"[{\"type\":\"assert-table-uuid\",\"uuid\":\"" FX_UUID "\"},"
       "{\"type\":\"assert-default-spec-id\",\"default-spec-id\":3},"
       "{\"type\":\"assert-current-schema-id\",\"current-schema-id\":3}]",
       "assert-default-spec-id"},
  };
  run_cases(cases, sizeof(cases) / sizeof(cases[0]), &next);
  ib_table_metadata_reset(&next);
  ib_table_metadata_reset(&md);
}

/* What a retry re-validates: an append's requirements, made against head A, hold on A
 * and fail once another writer has moved main to B. */
static void test_retry_revalidates(void) {
  struct ib_table_metadata a, b;
  ib_table_metadata_init(&a);
  ib_table_metadata_init(&b);
  fx_create(&a);
  struct ib_requirement_list reqs;
  ib_requirement_list_init(&reqs);
  struct ib_requirement *r;
  struct ice_error err;
  CHECK_OK(ib_requirement_list_add(&reqs, IB_REQ_ASSERT_TABLE_UUID, &r, &err), &err);
  r->text = ice_strdup(a.table_uuid);
  CHECK_OK(ib_requirement_list_add(&reqs, IB_REQ_ASSERT_REF_SNAPSHOT_ID, &r, &err), &err);
  r->text = ice_strdup("main"); /* null: main had no snapshot in A */
  CHECK_OK(ib_requirements_check(reqs.items, reqs.n, &a, &err), &err);
  struct ib_update_list l;
  ib_update_list_init(&l);
  fx_append_updates(&l, &a, 5, FX_NOW + 1, "append"); /* the other writer */
  CHECK_OK(ib_metadata_build(&a, "file:/m0.json", l.items, l.n, FX_NOW + 1, &b, &err),
           &err);
  CHECK_EQ_INT(ib_requirements_check(reqs.items, reqs.n, &b, &err), ICE_ECONFLICT);
  CHECK(fx_says(&err, "ref 'main' exists (snapshot 5)"));
  ib_update_list_reset(&l);
  ib_requirement_list_reset(&reqs);
  ib_table_metadata_reset(&a);
  ib_table_metadata_reset(&b);
}

/* Requirements derived from an update list, as Java's UpdateRequirements does: one of
 * each kind, in first-use order, pinning base's values; they hold on base. */
static void test_derived_requirements(void) {
  struct ib_table_metadata md, next;
  ib_table_metadata_init(&md);
  ib_table_metadata_init(&next);
  fx_create(&md);
  struct ib_update_list l;
  ib_update_list_init(&l);
  fx_append_updates(&l, &md, 1, FX_NOW + 1, "append");
  struct ice_error err;
  CHECK_OK(ib_metadata_build(&md, NULL, l.items, l.n, FX_NOW + 1, &next, &err), &err);
  ib_update_list_reset(&l);
  struct ib_requirement_list r;
  ib_requirement_list_init(&r);
  const char *updates =
      "[{\"action\":\"add-schema\",\"schema\":" FX_SCHEMA_JSON
      "},"
      "{\"action\":\"set-current-schema\",\"schema-id\":-1},"
      "{\"action\":\"add-schema\",\"schema\":" FX_SCHEMA_JSON
      "},"
      "{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"branch\","
      "\"snapshot-id\":1},"
      "{\"action\":\"add-spec\",\"spec\":{\"fields\":[]}},"
      "{\"action\":\"set-default-spec\",\"spec-id\":-1},"
      "{\"action\":\"set-snapshot-ref\",\"ref-name\":\"dev\",\"type\":\"branch\","
      "\"snapshot-id\":1},"
      "{\"action\":\"remove-snapshot-ref\",\"ref-name\":\"main\"},"
      "{\"action\":\"add-sort-order\",\"sort-order\":{\"order-id\":0,\"fields\":[]}},"
      "{\"action\":\"set-default-sort-order\",\"sort-order-id\":-1},"
      "{\"action\":\"set-properties\",\"updates\":{}}]";
  CHECK_OK(fx_parse_request("[]", updates, &r, &l, &err), &err);
  ib_requirement_list_reset(&r);
  CHECK_OK(ib_commit_requirements(&next, l.items, l.n, &r, &err), &err);
  const enum ib_requirement_type want[] = {IB_REQ_ASSERT_TABLE_UUID,
                                           IB_REQ_ASSERT_LAST_ASSIGNED_FIELD_ID,
                                           IB_REQ_ASSERT_CURRENT_SCHEMA_ID,
                                           IB_REQ_ASSERT_REF_SNAPSHOT_ID,
                                           IB_REQ_ASSERT_LAST_ASSIGNED_PARTITION_ID,
                                           IB_REQ_ASSERT_DEFAULT_SPEC_ID,
                                           IB_REQ_ASSERT_REF_SNAPSHOT_ID,
                                           IB_REQ_ASSERT_DEFAULT_SORT_ORDER_ID};
  CHECK_EQ_INT(r.n, sizeof(want) / sizeof(want[0]));
  for (size_t i = 0; i < r.n && i < sizeof(want) / sizeof(want[0]); i++)
    CHECK_EQ_INT(r.items[i].type, want[i]);
  if (r.n == 8) {
    CHECK_EQ_STR(r.items[0].text, FX_UUID);
    CHECK_EQ_INT(r.items[1].id, 4);
    CHECK_EQ_STR(r.items[3].text, "main");
    CHECK(r.items[3].has_snapshot_id && r.items[3].snapshot_id == 1);
    CHECK_EQ_INT(r.items[4].id, 999);
    CHECK_EQ_STR(r.items[6].text, "dev");
    CHECK(!r.items[6].has_snapshot_id); /* did not exist in base */
  }
  CHECK_OK(ib_requirements_check(r.items, r.n, &next, &err), &err);
  CHECK_EQ_INT(ib_requirements_check(r.items, r.n, &md, &err), ICE_ECONFLICT);
  ib_requirement_list_reset(&r);
  /* a create */
  CHECK_OK(ib_commit_requirements(NULL, l.items, l.n, &r, &err), &err);
  CHECK(r.n == 1 && r.items[0].type == IB_REQ_ASSERT_CREATE);
  ib_requirement_list_reset(&r);
  ib_update_list_reset(&l);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&next);
}

int main(void) {
  ICE_RUN(test_missing_table);
  ICE_RUN(test_existing_table);
  ICE_RUN(test_retry_revalidates);
  ICE_RUN(test_derived_requirements);
  ICE_TEST_EXIT();
}
