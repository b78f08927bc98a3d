/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Four real commits as CommitTableRequest JSON: a create, an append, a replace
 * (overwrite), and an evolution that uses every remaining update action and
 * requirement type. Each request's requirements hold on its base, its updates build,
 * and the JSON round-trips. With ICE_REST_INTEROP_DIR set, the requests are written
 * there as <name>.json for tests/interop/check_rest_commit.mjs, which validates them
 * against the OpenAPI schemas (CommitTableRequest, TableRequirement, TableUpdate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iceberg/ib_table_refs.h"
#include "test_iceberg_updates_fixture.h"

static struct ib_requirement *req(struct ib_requirement_list *l,
                                  enum ib_requirement_type t) {
  struct ib_requirement *r = NULL;
  CHECK_OK(ib_requirement_list_add(l, t, &r, NULL), NULL);
  return r;
}

/* The requirements Java's UpdateRequirements sends for a commit on main. */
static void main_requirements(struct ib_requirement_list *l,
                              const struct ib_table_metadata *base) {
  req(l, IB_REQ_ASSERT_TABLE_UUID)->text = ice_strdup(base->table_uuid);
  struct ib_requirement *r = req(l, IB_REQ_ASSERT_REF_SNAPSHOT_ID);
  r->text = ice_strdup("main");
  r->has_snapshot_id = base->has_current_snapshot;
  r->snapshot_id = base->current_snapshot_id;
}

/* Checks, builds (base -> *next), round-trips and writes one request. */
static void commit(const char *name, const struct ib_table_metadata *base,
                   const struct ib_requirement_list *reqs,
                   const struct ib_update_list *ups, struct ib_table_metadata *next) {
  struct ice_error err;
  CHECK_OK(ib_requirements_check(reqs->items, reqs->n, base, &err), &err);
  ib_table_metadata_init(next);
  CHECK_OK(
      ib_metadata_build(base, base ? FX_LOCATION "/metadata/prev.metadata.json" : NULL,
                        ups->items, ups->n, FX_NOW + 100, next, &err),
      &err);
  char *json = NULL, *again = NULL;
  size_t n = 0, n2 = 0;
  CHECK_OK(ib_commit_request_to_json(reqs, ups, &json, &n, &err), &err);
  struct ib_requirement_list r2;
  struct ib_update_list u2;
  ib_requirement_list_init(&r2);
  ib_update_list_init(&u2);
  if (json != NULL) CHECK_OK(ib_commit_request_parse(json, n, &r2, &u2, &err), &err);
  CHECK_OK(ib_commit_request_to_json(&r2, &u2, &again, &n2, &err), &err);
  CHECK_EQ_STR(json, again);
  const char *dir = getenv("ICE_REST_INTEROP_DIR");
  if (dir != NULL && json != NULL) {
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s.json", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
      CHECK(fwrite(json, 1, n, f) == n);
      fclose(f);
    }
  }
  ice_free(json);
  ice_free(again);
  ib_requirement_list_reset(&r2);
  ib_update_list_reset(&u2);
}

static void snapshot_summary(struct ib_update *u, const char *op, const char *added,
                             const char *deleted) {
  struct ib_str_map *m = &u->snapshot.summary;
  ib_str_map_reset(m);
  CHECK_OK(ib_str_map_set(m, "operation", op, NULL), NULL);
  CHECK_OK(ib_str_map_set(m, "added-data-files", added, NULL), NULL);
  if (deleted) CHECK_OK(ib_str_map_set(m, "deleted-data-files", deleted, NULL), NULL);
}

static void test_rest_commits(void) {
  struct ib_requirement_list reqs;
  struct ib_update_list ups;
  struct ib_table_metadata created, appended, replaced, evolved;
  struct ib_str_map props;
  ib_str_map_init(&props);
  CHECK_OK(ib_str_map_set(&props, "write.parquet.compression-codec", "zstd", NULL), NULL);

  ib_requirement_list_init(&reqs);
  ib_update_list_init(&ups);
  req(&reqs, IB_REQ_ASSERT_CREATE);
  fx_create_updates(&ups, FX_UUID, &props);
  commit("create", NULL, &reqs, &ups, &created);
  ib_requirement_list_reset(&reqs);
  ib_update_list_reset(&ups);

  main_requirements(&reqs, &created);
  fx_append_updates(&ups, &created, 3055729675574597004, FX_NOW + 1, "append");
  commit("append", &created, &reqs, &ups, &appended);
  ib_requirement_list_reset(&reqs);
  ib_update_list_reset(&ups);

  main_requirements(&reqs, &appended);
  fx_append_updates(&ups, &appended, 3055729675574597005, FX_NOW + 2, "overwrite");
  snapshot_summary(&ups.items[0], "overwrite", "1", "1");
  commit("replace", &appended, &reqs, &ups, &replaced);
  ib_requirement_list_reset(&reqs);
  ib_update_list_reset(&ups);
  CHECK_EQ_INT(replaced.current_snapshot_id, 3055729675574597005);

  /* Schema and spec evolution plus housekeeping: every other action and requirement. */
  main_requirements(&reqs, &replaced);
  req(&reqs, IB_REQ_ASSERT_LAST_ASSIGNED_FIELD_ID)->id = replaced.last_column_id;
  req(&reqs, IB_REQ_ASSERT_CURRENT_SCHEMA_ID)->id = replaced.current_schema_id;
  req(&reqs, IB_REQ_ASSERT_LAST_ASSIGNED_PARTITION_ID)->id = replaced.last_partition_id;
  req(&reqs, IB_REQ_ASSERT_DEFAULT_SPEC_ID)->id = replaced.default_spec_id;
  req(&reqs, IB_REQ_ASSERT_DEFAULT_SORT_ORDER_ID)->id = replaced.default_sort_order_id;
  fx_create_updates(&ups, FX_UUID, &props); /* re-sent: no-ops or reuses */
  static const char k_wider[] =
      "{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,"
      "\"type\":\"long\"},{\"id\":2,\"name\":\"ts\",\"required\":false,\"type\":"
      "\"timestamptz\"},{\"id\":5,\"name\":\"amount\",\"required\":false,\"type\":"
      "\"decimal(9,2)\"}]}";
  struct ib_update *w = fx_add(&ups, IB_UPDATE_ADD_SCHEMA);
  CHECK_OK(ib_schema_parse(k_wider, sizeof(k_wider) - 1, &w->schema, NULL), NULL);
  fx_add(&ups, IB_UPDATE_SET_CURRENT_SCHEMA)->id = IB_LAST_ADDED;
  struct ib_update *u = fx_add(&ups, IB_UPDATE_ADD_SPEC);
  u->spec.fields = ice_calloc(1, sizeof(*u->spec.fields));
  u->spec.n_fields = 1;
  u->spec.fields[0] =
      (struct ib_partition_field){2, 1000, ice_strdup("ts_day"), ice_strdup("day")};
  fx_add(&ups, IB_UPDATE_SET_DEFAULT_SPEC)->id = IB_LAST_ADDED;
  u = fx_add(&ups, IB_UPDATE_SET_SNAPSHOT_REF);
  u->ref.name = ice_strdup("before-replace");
  u->ref.is_tag = true;
  u->ref.snapshot_id = 3055729675574597004;
  u->ref.max_ref_age_ms = 604800000;
  u = fx_add(&ups, IB_UPDATE_SET_SNAPSHOT_REF);
  u->ref.name = ice_strdup("audit");
  u->ref.snapshot_id = 3055729675574597005;
  u->ref.min_snapshots_to_keep = 3;
  fx_set_text(fx_add(&ups, IB_UPDATE_REMOVE_SNAPSHOT_REF), "audit");
  u = fx_add(&ups, IB_UPDATE_REMOVE_SNAPSHOTS);
  u->snapshot_ids = ice_calloc(1, sizeof(int64_t));
  u->snapshot_ids[0] = 3055729675574597004;
  u->n_snapshot_ids = 1;
  u = fx_add(&ups, IB_UPDATE_REMOVE_PROPERTIES);
  u->removals = ice_calloc(1, sizeof(char *));
  u->removals[0] = ice_strdup("write.parquet.compression-codec");
  u->n_removals = 1;
  commit("evolve", &replaced, &reqs, &ups, &evolved);
  CHECK_EQ_INT(evolved.default_spec_id, 1);
  CHECK_EQ_INT(evolved.current_schema_id, 1);
  CHECK_EQ_INT(evolved.last_column_id, 5);
  CHECK_EQ_INT(evolved.n_snapshots, 1);
  int64_t id;
  CHECK(!ib_table_metadata_ref(&evolved, "before-replace", &id)); /* its snapshot went */
  ib_requirement_list_reset(&reqs);
  ib_update_list_reset(&ups);

  ib_table_metadata_reset(&created);
  ib_table_metadata_reset(&appended);
  ib_table_metadata_reset(&replaced);
  ib_table_metadata_reset(&evolved);
  ib_str_map_reset(&props);
}

int main(void) {
  ICE_RUN(test_rest_commits);
  ICE_TEST_EXIT();
}
