/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The metadata builder: every update applied and every rule it enforces; the lists a
 * create and an append produce build the expected tables; the output re-parses as
 * valid metadata.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "iceberg/ib_table_refs.h"
#include "test_iceberg_updates_fixture.h"

/* A JSON add-snapshot update. parent < 0: none. */
static const char *snap(char *buf, size_t cap, int64_t id, int64_t seq, int64_t parent,
                        int64_t ts) {
  char p[64] = "";
  if (parent >= 0)
    snprintf(p, sizeof(p), "\"parent-snapshot-id\":%lld,", (long long)parent);
  snprintf(buf, cap,
           "{\"action\":\"add-snapshot\",\"snapshot\":{\"snapshot-id\":%lld,%s"
           "\"sequence-number\":%lld,\"timestamp-ms\":%lld,\"manifest-list\":"
           "\"file:/wh/db/t/metadata/snap-%lld.avro\",\"summary\":{\"operation\":"
           "\"append\"},\"schema-id\":0}}",
           (long long)id, p, (long long)seq, (long long)ts, (long long)id);
  return buf;
}

/* Appends snapshot id on main of md (in place), as the next commit at time ts. */
static void append(struct ib_table_metadata *md, int64_t id, int64_t ts) {
  char s[512], u[700];
  snap(s, sizeof(s), id, md->last_sequence_number + 1,
       md->has_current_snapshot ? md->current_snapshot_id : -1, ts);
  snprintf(u, sizeof(u),
           "[%s,{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":"
           "\"branch\",\"snapshot-id\":%lld}]",
           s, (long long)id);
  struct ib_table_metadata next;
  ib_table_metadata_init(&next);
  struct ice_error err;
  CHECK_OK(
      fx_build_json(md, "file:/wh/db/t/metadata/prev.metadata.json", u, ts, &next, &err),
      &err);
  ib_table_metadata_reset(md);
  *md = next;
}

/* A long history through every kind of update; the result must parse and re-serialize
 * to the same text. */
static void test_output_reparses(void) {
  struct ib_table_metadata md, re;
  ib_table_metadata_init(&md);
  ib_table_metadata_init(&re);
  fx_create(&md);
  append(&md, 11, FX_NOW + 1);
  append(&md, 12, FX_NOW + 2);
  struct ib_table_metadata next;
  ib_table_metadata_init(&next);
  struct ice_error err;
  const char *u =
      "[{\"action\":\"add-schema\",\"schema\":{\"type\":\"struct\",\"fields\":["
      "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
      "{\"id\":5,\"name\":\"v\",\"required\":false,\"type\":\"string\"}]}},"
      "{\"action\":\"set-current-schema\",\"schema-id\":-1},"
      "{\"action\":\"add-spec\",\"spec\":{\"fields\":[{\"source-id\":5,\"field-id\":1000,"
      "\"name\":\"v_b\",\"transform\":\"bucket[4]\"}]}},"
      "{\"action\":\"set-default-spec\",\"spec-id\":-1},"
      "{\"action\":\"add-sort-order\",\"sort-order\":{\"order-id\":9,\"fields\":["
      "{\"transform\":\"identity\",\"source-id\":1,\"direction\":\"desc\","
      "\"null-order\":\"nulls-last\"}]}},"
      "{\"action\":\"set-default-sort-order\",\"sort-order-id\":-1},"
      "{\"action\":\"set-snapshot-ref\",\"ref-name\":\"v1\",\"type\":\"tag\","
      "\"snapshot-id\":11,\"max-ref-age-ms\":5000},"
      "{\"action\":\"set-snapshot-ref\",\"ref-name\":\"dev\",\"type\":\"branch\","
      "\"snapshot-id\":12,\"min-snapshots-to-keep\":3,\"max-snapshot-age-ms\":60000},"
      "{\"action\":\"set-properties\",\"updates\":{\"a\":\"1\",\"b\":\"2\"}},"
      "{\"action\":\"remove-properties\",\"removals\":[\"a\",\"not-there\"]}]";
  CHECK_OK(fx_build_json(&md, FX_LOCATION "/metadata/00002-x.metadata.json", u,
                         FX_NOW + 3, &next, &err),
           &err);
  CHECK_EQ_INT(next.current_schema_id, 1);
  CHECK_EQ_INT(next.last_column_id, 5);
  CHECK_EQ_INT(next.default_spec_id, 1);
  CHECK_EQ_INT(next.last_partition_id, 1000);
  CHECK_EQ_INT(next.default_sort_order_id, 1); /* assigned, not the 9 sent */
  CHECK(ib_str_map_get(&next.properties, "a") == NULL);
  CHECK_EQ_STR(ib_str_map_get(&next.properties, "b"), "2");
  char *j1 = fx_json(&next);
  if (j1 != NULL) CHECK_OK(ib_table_metadata_parse(j1, strlen(j1), &re, &err), &err);
  char *j2 = fx_json(&re);
  CHECK_EQ_STR(j1, j2);
  int64_t id = 0;
  CHECK(ib_table_metadata_ref(&re, "dev", &id) && id == 12);
  CHECK(ib_table_metadata_ref(&re, "v1", &id) && id == 11);
  CHECK(ib_table_metadata_ref(&re, "main", &id) && id == 12);
  json_t *dev = json_object_get(json_object_get(re.raw, "refs"), "dev");
  CHECK_EQ_INT(json_integer_value(json_object_get(dev, "min-snapshots-to-keep")), 3);
  CHECK_EQ_INT(re.n_metadata_log, 3);
  ice_free(j1);
  ice_free(j2);
  ib_table_metadata_reset(&next);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&re);
}

static void test_schema_spec_order_ids(void) {
  struct ib_table_metadata md, next;
  ib_table_metadata_init(&md);
  ib_table_metadata_init(&next);
  fx_create(&md);
  struct ice_error err;
  /* The same schema again is reused (no new id); the deprecated last-column-id raises
   * last-column-id; an equal spec / order is reused; the unsorted order stays 0. */
  const char *u =
      "[{\"action\":\"add-schema\",\"last-column-id\":10,\"schema\":" FX_SCHEMA_JSON
      "},"
      "{\"action\":\"set-current-schema\",\"schema-id\":-1},"
      "{\"action\":\"add-spec\",\"spec\":{\"spec-id\":0,\"fields\":[]}},"
      "{\"action\":\"set-default-spec\",\"spec-id\":-1},"
      "{\"action\":\"add-spec\",\"spec\":{\"fields\":[{\"source-id\":2,\"field-id\":1000,"
      "\"name\":\"ts_day\",\"transform\":\"day\"}]}},"
      "{\"action\":\"add-spec\",\"spec\":{\"fields\":[{\"source-id\":2,\"field-id\":1000,"
      "\"name\":\"ts_day\",\"transform\":\"day\"},{\"source-id\":1,\"field-id\":1001,"
      "\"name\":\"id_b\",\"transform\":\"bucket[8]\"}]}},"
      "{\"action\":\"add-sort-order\",\"sort-order\":{\"order-id\":0,\"fields\":[]}},"
      "{\"action\":\"add-sort-order\",\"sort-order\":{\"order-id\":0,\"fields\":["
      "{\"transform\":\"identity\",\"source-id\":1,\"direction\":\"asc\","
      "\"null-order\":\"nulls-first\"}]}},"
      "{\"action\":\"add-sort-order\",\"sort-order\":{\"order-id\":5,\"fields\":["
      "{\"transform\":\"identity\",\"source-id\":1,\"direction\":\"asc\","
      "\"null-order\":\"nulls-first\"}]}},"
      "{\"action\":\"set-default-sort-order\",\"sort-order-id\":-1}]";
  CHECK_OK(fx_build_json(&md, NULL, u, FX_NOW, &next, &err), &err);
  CHECK_EQ_INT(next.n_schemas, 1);
  CHECK_EQ_INT(next.current_schema_id, 0);
  CHECK_EQ_INT(next.last_column_id, 10);
  CHECK_EQ_INT(next.n_specs, 3);
  CHECK_EQ_INT(next.default_spec_id, 0);
  CHECK_EQ_INT(next.specs[1].spec_id, 1);
  CHECK_EQ_INT(next.specs[2].spec_id, 2);
  CHECK_EQ_INT(next.last_partition_id, 1001);
  CHECK_EQ_INT(next.n_sort_orders, 2);
  CHECK_EQ_INT(next.sort_orders[1].order_id, 1);
  CHECK_EQ_INT(next.default_sort_order_id, 1);
  CHECK_EQ_INT(next.n_metadata_log, 0); /* no base location given */
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&next);
}

static void test_snapshot_refs_and_logs(void) {
  struct ib_table_metadata md, next;
  ib_table_metadata_init(&md);
  ib_table_metadata_init(&next);
  fx_create(&md);
  append(&md, 21, FX_NOW + 10);
  append(&md, 22, FX_NOW + 20);
  append(&md, 23, FX_NOW + 30);
  CHECK_EQ_INT(md.n_snapshot_log, 3);
  CHECK_EQ_INT(md.snapshot_log[2].timestamp_ms, FX_NOW + 30);
  CHECK_EQ_INT(md.last_sequence_number, 3);
  struct ice_error err;
  /* Setting main where it already is logs nothing; a rollback logs at now_ms; other
   * refs leave main and the log alone. */
  const char *u =
      "[{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"branch\","
      "\"snapshot-id\":23},"
      "{\"action\":\"set-snapshot-ref\",\"ref-name\":\"old\",\"type\":\"tag\","
      "\"snapshot-id\":21},"
      "{\"action\":\"set-snapshot-ref\",\"ref-name\":\"b\",\"type\":\"branch\","
      "\"snapshot-id\":22},"
      "{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"branch\","
      "\"snapshot-id\":22}]";
  CHECK_OK(fx_build_json(&md, NULL, u, FX_NOW + 99, &next, &err), &err);
  CHECK_EQ_INT(next.current_snapshot_id, 22);
  CHECK_EQ_INT(next.n_snapshot_log, 4);
  CHECK_EQ_INT(next.snapshot_log[3].timestamp_ms, FX_NOW + 99);
  CHECK_EQ_INT(next.last_updated_ms, FX_NOW + 99);
  /* Statistics of snapshot 21 and 23, to see which survive. */
  json_t *stats =
      json_pack("[{s:I,s:s},{s:I,s:s}]", "snapshot-id", (json_int_t)21, "statistics-path",
                "a.puffin", "snapshot-id", (json_int_t)23, "statistics-path", "b.puffin");
  CHECK(stats != NULL && json_object_set_new(next.raw, "statistics", stats) == 0);
  ib_table_metadata_reset(&md);
  md = next;
  ib_table_metadata_init(&next);
  /* Removing 21 drops tag old, its statistics and the log up to its entry; unknown ids
   * are ignored. */
  CHECK_OK(fx_build_json(&md, NULL,
                         "[{\"action\":\"remove-snapshots\",\"snapshot-ids\":[21,777]}]",
                         FX_NOW + 100, &next, &err),
           &err);
  int64_t id;
  CHECK(!ib_table_metadata_ref(&next, "old", &id));
  CHECK(ib_table_metadata_ref(&next, "b", &id) && id == 22);
  CHECK_EQ_INT(next.n_snapshots, 2);
  CHECK_EQ_INT(next.n_snapshot_log, 3);
  CHECK_EQ_INT(next.snapshot_log[0].snapshot_id, 22);
  CHECK_EQ_INT(json_array_size(json_object_get(next.raw, "statistics")), 1);
  ib_table_metadata_reset(&md);
  md = next;
  ib_table_metadata_init(&next);
  /* Removing main's snapshot leaves no current snapshot; removing ref b likewise. */
  CHECK_OK(fx_build_json(&md, NULL,
                         "[{\"action\":\"remove-snapshots\",\"snapshot-ids\":[22]}]",
                         FX_NOW + 101, &next, &err),
           &err);
  CHECK(!next.has_current_snapshot);
  CHECK(!ib_table_metadata_ref(&next, "b", &id));
  CHECK_EQ_INT(next.n_snapshot_log, 0);
  char *j = fx_json(&next);
  CHECK(j != NULL && strstr(j, "\"refs\": {}") != NULL);
  ice_free(j);
  ib_table_metadata_reset(&next);
  CHECK_OK(fx_build_json(&md, NULL,
                         "[{\"action\":\"remove-snapshot-ref\",\"ref-name\":\"main\"},"
                         "{\"action\":\"remove-snapshot-ref\",\"ref-name\":\"nope\"}]",
                         FX_NOW + 101, &next, &err),
           &err);
  CHECK(!next.has_current_snapshot);
  CHECK_EQ_INT(next.n_snapshots, 2);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&next);
}

static void test_metadata_log_and_times(void) {
  struct ib_table_metadata md, next;
  ib_table_metadata_init(&md);
  ib_table_metadata_init(&next);
  fx_create(&md);
  struct ice_error err;
  /* previous-versions-max set by the same commit already trims its log. */
  for (int k = 0; k < 4; k++) {
    char prev[128];
    snprintf(prev, sizeof(prev), FX_LOCATION "/metadata/%05d-x.metadata.json", k);
    int64_t before = md.last_updated_ms;
    CHECK_OK(fx_build_json(&md, prev,
                           "[{\"action\":\"set-properties\",\"updates\":{"
                           "\"write.metadata.previous-versions-max\":\"2\"}}]",
                           FX_NOW + 10 * (k + 1), &next, &err),
             &err);
    CHECK_EQ_INT(next.metadata_log[next.n_metadata_log - 1].timestamp_ms, before);
    CHECK_EQ_STR(next.metadata_log[next.n_metadata_log - 1].metadata_file, prev);
    CHECK_EQ_INT(next.last_updated_ms, FX_NOW + 10 * (k + 1));
    ib_table_metadata_reset(&md);
    md = next;
    ib_table_metadata_init(&next);
  }
  CHECK_EQ_INT(md.n_metadata_log, 2);
  /* A clock behind the table keeps last-updated-ms; a snapshot from the future moves it
   * to the snapshot's time. */
  CHECK_OK(fx_build_json(&md, NULL, "[]", FX_NOW, &next, &err), &err);
  CHECK_EQ_INT(next.last_updated_ms, FX_NOW + 40);
  ib_table_metadata_reset(&next);
  char s[512];
  char u[700];
  snprintf(u, sizeof(u), "[%s]", snap(s, sizeof(s), 5, 1, -1, FX_NOW + 5000));
  CHECK_OK(fx_build_json(&md, NULL, u, FX_NOW + 50, &next, &err), &err);
  CHECK_EQ_INT(next.last_updated_ms, FX_NOW + 5000);
  CHECK(!next.has_current_snapshot); /* added, but no ref points at it yet */
  ib_table_metadata_reset(&next);
  /* set-location strips a trailing '/'. */
  CHECK_OK(fx_build_json(&md, NULL,
                         "[{\"action\":\"set-location\",\"location\":\"s3://b/t//\"}]",
                         FX_NOW, &next, &err),
           &err);
  CHECK_EQ_STR(next.location, "s3://b/t");
  ib_table_metadata_reset(&next);
  ib_table_metadata_reset(&md);
}

struct rule_case {
  const char *updates;
  int code;
  const char *says;
};

/* Every rule, broken once, against a table with snapshot 100 (seq 1) on main. */
static void test_rules(void) {
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  fx_create(&md);
  append(&md, 100, FX_NOW + 1);
  char *before = fx_json(&md);
  char s1[512], s2[512], s3[512], s4[512], s5[512];
  char b1[600], b2[600], b3[600], b4[600], b5[600];
  snprintf(b1, sizeof(b1), "[%s]", snap(s1, sizeof(s1), 101, 1, 100, FX_NOW));
  snprintf(b2, sizeof(b2), "[%s]", snap(s2, sizeof(s2), 100, 2, 100, FX_NOW));
  snprintf(b3, sizeof(b3), "[%s]", snap(s3, sizeof(s3), 101, 2, 555, FX_NOW));
  snprintf(b4, sizeof(b4), "[%s]", snap(s4, sizeof(s4), -4, 2, 100, FX_NOW));
  snprintf(b5, sizeof(b5), "[%s]", snap(s5, sizeof(s5), 101, 2, 100, FX_NOW));
  char *schema9 = strstr(b5, "\"schema-id\":0");
  if (schema9 != NULL) schema9[12] = '9';
  char s6[512], b6[600];
  snprintf(b6, sizeof(b6), "[%s]", snap(s6, sizeof(s6), 101, 2, 100, FX_NOW));
  char *op = strstr(b6, "\"append\"");
  if (op != NULL) memcpy(op + 1, "bogus!", 6);
  const struct rule_case cases[] = {
      {"[{\"action\":\"assign-uuid\",\"uuid\":\"11111111-2222-4333-8444-555555555555\"}]",
       ICE_EINVAL,
       "metadata builder: updates[0] assign-uuid: the table already has uuid"},
      {"[{\"action\":\"upgrade-format-version\",\"format-version\":3}]", ICE_EUNSUPPORTED,
       "format-version 3 is not supported"},
      {"[{\"action\":\"upgrade-format-version\",\"format-version\":1}]", ICE_EINVAL,
       "format-version cannot go down from 2 to 1"},
      {"[{\"action\":\"add-schema\",\"last-column-id\":3,\"schema\":" FX_SCHEMA_JSON "}]",
       ICE_EINVAL, "last-column-id 3 is below the table's 4 (it only grows)"},
      {"[{\"action\":\"add-schema\",\"last-column-id\":5,\"schema\":{\"type\":\"struct\","
       "\"fields\":[{\"id\":6,\"name\":\"x\",\"required\":false,\"type\":\"int\"}]}}]",
       ICE_EINVAL, "last-column-id 5 is below the schema's field id 6"},
      {"[{\"action\":\"set-current-schema\",\"schema-id\":-1}]", ICE_EINVAL,
       "-1 means the last added schema, but none was added"},
      {"[{\"action\":\"set-current-schema\",\"schema-id\":7}]", ICE_EINVAL,
       "schema 7 does not exist"},
      {"[{\"action\":\"add-spec\",\"spec\":{\"fields\":[{\"source-id\":99,\"field-id\":"
       "1000,"
       "\"name\":\"x\",\"transform\":\"identity\"}]}}]",
       ICE_EINVAL, "source-id 99 is not in the current schema 0"},
      {"[{\"action\":\"add-spec\",\"spec\":{\"fields\":[{\"source-id\":1,\"field-id\":"
       "1000,"
       "\"name\":\"x\",\"transform\":\"hour\"}]}}]",
       ICE_EINVAL, "transform 'hour' of field 'id'"},
      {"[{\"action\":\"add-spec\",\"spec\":{\"fields\":[{\"source-id\":1,\"field-id\":"
       "1000,"
       "\"name\":\"x\",\"transform\":\"zorder\"}]}}]",
       ICE_EUNSUPPORTED, "zorder"},
      {"[{\"action\":\"add-spec\",\"spec\":{\"fields\":[{\"source-id\":1,\"field-id\":"
       "999,"
       "\"name\":\"x\",\"transform\":\"identity\"}]}}]",
       ICE_EINVAL, "field-id 999 is not above last-partition-id 999"},
      {"[{\"action\":\"add-spec\",\"spec\":{\"fields\":[{\"source-id\":1,\"field-id\":"
       "1000,"
       "\"name\":\"x\",\"transform\":\"identity\"},{\"source-id\":2,\"field-id\":1001,"
       "\"name\":\"x\",\"transform\":\"day\"}]}}]",
       ICE_EINVAL, "partition field 'x' (field-id 1001) appears twice"},
      {"[{\"action\":\"set-default-spec\",\"spec-id\":-1}]", ICE_EINVAL,
       "the last added spec, but none was added"},
      {"[{\"action\":\"set-default-spec\",\"spec-id\":5}]", ICE_EINVAL,
       "partition spec 5 does not exist"},
      {"[{\"action\":\"add-sort-order\",\"sort-order\":{\"order-id\":1,\"fields\":["
       "{\"transform\":\"identity\",\"source-id\":42,\"direction\":\"asc\","
       "\"null-order\":\"nulls-first\"}]}}]",
       ICE_EINVAL, "source-id 42 is not in the current schema"},
      {"[{\"action\":\"set-default-sort-order\",\"sort-order-id\":3}]", ICE_EINVAL,
       "sort order 3 does not exist"},
      {"[{\"action\":\"set-default-sort-order\",\"sort-order-id\":-1}]", ICE_EINVAL,
       "the last added sort order, but none was added"},
      {b1, ICE_EINVAL, "sequence-number 1 is not above last-sequence-number 1"},
      {b2, ICE_EINVAL, "snapshot 100 already exists"},
      {b3, ICE_EINVAL, "parent snapshot 555 does not exist"},
      {b4, ICE_EINVAL, "snapshot-id -4 is not positive"},
      {b5, ICE_EINVAL, "schema 9 does not exist"},
      {b6, ICE_EINVAL, "operation 'bogus!' is not append, replace, overwrite or delete"},
      {"[{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"branch\","
       "\"snapshot-id\":555}]",
       ICE_EINVAL, "ref 'main': snapshot 555 does not exist"},
      {"[{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"tag\","
       "\"snapshot-id\":100}]",
       ICE_EINVAL, "ref 'main' must be a branch"},
      {"[{\"action\":\"set-snapshot-ref\",\"ref-name\":\"t\",\"type\":\"tag\","
       "\"snapshot-id\":100,\"min-snapshots-to-keep\":2}]",
       ICE_EINVAL, "apply to branches only"},
      {"[{\"action\":\"set-snapshot-ref\",\"ref-name\":\"b\",\"type\":\"branch\","
       "\"snapshot-id\":100,\"max-ref-age-ms\":0}]",
       ICE_EINVAL, "retention values must be greater than 0"},
      {"[{\"action\":\"set-snapshot-ref\",\"ref-name\":\"\",\"type\":\"branch\","
       "\"snapshot-id\":100}]",
       ICE_EINVAL, "set-snapshot-ref: empty ref-name"},
      {"[{\"action\":\"remove-snapshot-ref\",\"ref-name\":\"\"}]", ICE_EINVAL,
       "remove-snapshot-ref: empty ref-name"},
      {"[{\"action\":\"set-location\",\"location\":\"\"}]", ICE_EINVAL, "empty location"},
      {"[{\"action\":\"set-properties\",\"updates\":{\"format-version\":\"3\"}}]",
       ICE_EINVAL, "'format-version' is reserved"},
      {"[{\"action\":\"set-properties\",\"updates\":{\"\":\"x\"}}]", ICE_EINVAL,
       "empty property name"},
      /* the failing update is named by its position */
      {"[{\"action\":\"set-location\",\"location\":\"file:/x\"},"
       "{\"action\":\"set-current-schema\",\"schema-id\":3}]",
       ICE_EINVAL, "updates[1] set-current-schema: schema 3 does not exist"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct ib_table_metadata out;
    ib_table_metadata_init(&out);
    struct ice_error err;
    memset(&err, 0, sizeof(err));
    int rc = fx_build_json(&md, NULL, cases[i].updates, FX_NOW, &out, &err);
    if (rc != cases[i].code) fprintf(stderr, "  case %zu: %s\n", i, cases[i].updates);
    CHECK_EQ_INT(rc, cases[i].code);
    CHECK(fx_says(&err, cases[i].says));
    CHECK(out.location == NULL); /* nothing handed out on failure */
    ib_table_metadata_reset(&out);
  }
  /* The base is never touched, whatever failed. */
  char *after = fx_json(&md);
  CHECK_EQ_STR(before, after);
  ice_free(before);
  ice_free(after);
  /* Assigning the uuid the table already has is a no-op. */
  struct ib_table_metadata out;
  ib_table_metadata_init(&out);
  CHECK_OK(fx_build_json(&md, NULL,
                         "[{\"action\":\"assign-uuid\",\"uuid\":\"" FX_UUID "\"},"
                         "{\"action\":\"upgrade-format-version\",\"format-version\":2}]",
                         FX_NOW, &out, NULL),
           NULL);
  ib_table_metadata_reset(&out);
  ib_table_metadata_reset(&md);
}

/* A create must bring everything a table needs. */
static void test_create_rules(void) {
  const struct rule_case cases[] = {
      {"[]", ICE_EINVAL, "no table uuid (assign-uuid)"},
      {"[{\"action\":\"assign-uuid\",\"uuid\":\"" FX_UUID "\"}]", ICE_EINVAL,
       "no location (set-location)"},
      {"[{\"action\":\"assign-uuid\",\"uuid\":\"" FX_UUID "\"},"
       "{\"action\":\"set-location\",\"location\":\"file:/t\"}]",
       ICE_EINVAL, "no current schema"},
      {"[{\"action\":\"assign-uuid\",\"uuid\":\"" FX_UUID "\"},"
       "{\"action\":\"set-location\",\"location\":\"file:/t\"},"
       "{\"action\":\"add-schema\",\"schema\":" FX_SCHEMA_JSON "},"
       "{\"action\":\"set-current-schema\",\"schema-id\":-1}]",
       ICE_EINVAL, "no default partition spec"},
      {"[{\"action\":\"upgrade-format-version\",\"format-version\":1}]", ICE_EUNSUPPORTED,
       "new tables are format-version 2"},
      {"[{\"action\":\"add-spec\",\"spec\":{\"fields\":[{\"source-id\":1,"
       "\"field-id\":1000,\"name\":\"x\",\"transform\":\"identity\"}]}}]",
       ICE_EINVAL, "no current schema to bind to"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct ib_table_metadata out;
    ib_table_metadata_init(&out);
    struct ice_error err;
    memset(&err, 0, sizeof(err));
    int rc = fx_build_json(NULL, NULL, cases[i].updates, FX_NOW, &out, &err);
    CHECK_EQ_INT(rc, cases[i].code);
    CHECK(fx_says(&err, cases[i].says));
    ib_table_metadata_reset(&out);
  }
  struct ib_table_metadata out;
  ib_table_metadata_init(&out);
  struct ice_error err;
  CHECK_EQ_INT(
      ib_metadata_build(NULL, "file:/x.metadata.json", NULL, 0, FX_NOW, &out, &err),
      ICE_EINVAL);
  CHECK(fx_says(&err, "a create has no previous metadata file"));
}

/* The producers ops use: a create (reserved format-version dropped, zstd default, the
 * caller's uuid), and a snapshot on main (parent = main's head, metadata-log, retention
 * fields of main kept). */
static void test_commit_producers(void) {
  struct ib_schema schema;
  fx_schema(&schema);
  struct ib_str_map props;
  ib_str_map_init(&props);
  struct ice_error err;
  CHECK_OK(ib_str_map_set(&props, "format-version", "2", &err), &err);
  CHECK_OK(ib_str_map_set(&props, "owner", "etl", &err), &err);
  struct ib_table_metadata built, base, next;
  ib_table_metadata_init(&built);
  ib_table_metadata_init(&base);
  ib_table_metadata_init(&next);
  struct ib_requirement_list r;
  struct ib_update_list u;
  ib_requirement_list_init(&r);
  ib_update_list_init(&u);
  CHECK_OK(ib_commit_new_table(FX_UUID, FX_LOCATION "/", &schema, &props, &r, &u, &err),
           &err);
  CHECK_EQ_INT(r.n, 1);
  CHECK_OK(ib_requirements_check(r.items, r.n, NULL, &err), &err);
  CHECK_OK(ib_metadata_build(NULL, NULL, u.items, u.n, FX_NOW, &built, &err), &err);
  CHECK_EQ_STR(built.table_uuid, FX_UUID);
  CHECK_EQ_STR(built.location, FX_LOCATION);
  CHECK_EQ_INT(built.format_version, 2);
  CHECK_EQ_INT(built.last_column_id, 4);
  CHECK_EQ_INT(built.last_partition_id, 999);
  CHECK(built.last_updated_ms == FX_NOW);
  CHECK(ib_str_map_get(&built.properties, "format-version") == NULL);
  CHECK_EQ_STR(ib_str_map_get(&built.properties, "owner"), "etl");
  CHECK_EQ_STR(ib_str_map_get(&built.properties, "write.parquet.compression-codec"),
               "zstd");
  CHECK(!built.has_current_snapshot);
  char *a = NULL, *b = NULL;
  ib_requirement_list_reset(&r);
  ib_update_list_reset(&u);
  CHECK_OK(ib_str_map_set(&props, "format-version", "3", &err), &err);
  CHECK_EQ_INT(ib_commit_new_table(FX_UUID, FX_LOCATION, &schema, &props, &r, &u, &err),
               ICE_EUNSUPPORTED);
  ib_requirement_list_reset(&r);
  ib_update_list_reset(&u);

  /* main with retention fields, at snapshot 1 */
  append(&built, 1, FX_NOW + 1);
  CHECK_OK(fx_build_json(&built, NULL,
                         "[{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\","
                         "\"type\":\"branch\",\"snapshot-id\":1,"
                         "\"min-snapshots-to-keep\":5}]",
                         FX_NOW + 1, &base, &err),
           &err);
  struct ib_str_map sum;
  ib_str_map_init(&sum);
  CHECK_OK(ib_str_map_set(&sum, "operation", "append", &err), &err);
  struct ib_snapshot_add add = {2, base.last_sequence_number + 1, FX_NOW + 2,
                                FX_LOCATION "/metadata/snap-2.avro", &sum};
  const char *prev = FX_LOCATION "/metadata/00001-x.metadata.json";
  CHECK_OK(ib_commit_add_snapshot(&base, "main", &add, &u, &err), &err);
  CHECK_OK(ib_commit_requirements(&base, u.items, u.n, &r, &err), &err);
  CHECK_EQ_INT(r.n, 2); /* the table's uuid, main at snapshot 1 */
  CHECK(r.n == 2 && r.items[1].has_snapshot_id && r.items[1].snapshot_id == 1);
  CHECK_OK(ib_requirements_check(r.items, r.n, &base, &err), &err);
  CHECK_OK(ib_metadata_build(&base, prev, u.items, u.n, FX_NOW + 2, &next, &err), &err);
  CHECK(next.current_snapshot_id == 2);
  CHECK(next.last_sequence_number == base.last_sequence_number + 1);
  const struct ib_snapshot *s2 = ib_table_metadata_snapshot_by_id(&next, 2);
  CHECK(s2 != NULL && s2->has_parent && s2->parent_snapshot_id == 1);
  CHECK(s2 != NULL && s2->has_schema_id && s2->schema_id == base.current_schema_id);
  CHECK(next.n_metadata_log > 0 &&
        strcmp(next.metadata_log[next.n_metadata_log - 1].metadata_file, prev) == 0);
  CHECK(next.n_snapshot_log > 0 &&
        next.snapshot_log[next.n_snapshot_log - 1].snapshot_id == 2);
  b = fx_json(&next);
  CHECK(b != NULL && strstr(b, "\"min-snapshots-to-keep\": 5") != NULL);
  ice_free(a);
  ice_free(b);
  /* on retry against the new head, the same requirements fail */
  CHECK_EQ_INT(ib_requirements_check(r.items, r.n, &next, &err), ICE_ECONFLICT);
  ib_update_list_reset(&u);
  /* a tag is not a branch to commit on */
  CHECK_OK(fx_build_json(&base, NULL,
                         "[{\"action\":\"set-snapshot-ref\",\"ref-name\":\"t\","
                         "\"type\":\"tag\",\"snapshot-id\":1}]",
                         FX_NOW + 1, &next, &err),
           &err);
  CHECK_EQ_INT(ib_commit_add_snapshot(&next, "t", &add, &u, &err), ICE_EINVAL);
  CHECK(fx_says(&err, "'t' is a tag"));
  ib_update_list_reset(&u);
  ib_requirement_list_reset(&r);
  ib_str_map_reset(&sum);
  ib_str_map_reset(&props);
  ib_schema_reset(&schema);
  ib_table_metadata_reset(&built);
  ib_table_metadata_reset(&base);
  ib_table_metadata_reset(&next);
}

static double seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Lists from the network can be long: 200k properties set and removed, 50k snapshots
 * expired at once, 20k snapshots added by one list. Quadratic work would take minutes
 * here (hours under ASan); the bound is loose so a busy machine does not fail it. */
static void test_long_lists(void) {
  enum { NPROP = 200000, NSNAP = 50000 };
  struct ib_table_metadata md, next;
  ib_table_metadata_init(&md);
  ib_table_metadata_init(&next);
  fx_create(&md);
  struct ice_error err;
  struct ib_update u[2];
  ib_update_init(&u[0], IB_UPDATE_SET_PROPERTIES);
  ib_update_init(&u[1], IB_UPDATE_REMOVE_PROPERTIES);
  u[1].removals = ice_calloc(NPROP, sizeof(char *));
  char k[32];
  for (int i = 0; i < NPROP; i++) {
    snprintf(k, sizeof(k), "p%d", i);
    CHECK_OK(ib_str_map_append(&md.properties, k, "old", &err), &err);
    snprintf(k, sizeof(k), "p%d", i + NPROP / 2); /* half replace, half new */
    CHECK_OK(ib_str_map_append(&u[0].properties, k, "new", &err), &err);
    snprintf(k, sizeof(k), "p%d", 2 * i + 1); /* every odd one */
    u[1].removals[i] = ice_strdup(k);
    u[1].n_removals = (size_t)i + 1;
  }
  double t0 = seconds_now();
  CHECK_OK(ib_metadata_build(&md, NULL, u, 2, FX_NOW, &next, &err), &err);
  /* p0..p299999 minus 150000 odd ones; the first kept order, new keys after */
  CHECK_EQ_INT(next.properties.n, 150000);
  if (next.properties.n == 150000) {
    CHECK_EQ_STR(next.properties.keys[0], "p0");
    CHECK_EQ_STR(next.properties.keys[99999], "p199998");
    CHECK_EQ_STR(next.properties.keys[100000], "p200000");
  }
  CHECK_EQ_STR(ib_str_map_get(&next.properties, "p2"), "old");
  CHECK_EQ_STR(ib_str_map_get(&next.properties, "p100000"), "new");
  CHECK_EQ_STR(ib_str_map_get(&next.properties, "p299998"), "new");
  CHECK(ib_str_map_get(&next.properties, "p100001") == NULL);
  ib_update_reset(&u[0]);
  ib_update_reset(&u[1]);
  ib_table_metadata_reset(&next);
  /* NSNAP snapshots, each logged on main; expire all but the last. */
  md.snapshots = ice_calloc(NSNAP, sizeof(*md.snapshots));
  md.snapshot_log = ice_calloc(NSNAP, sizeof(*md.snapshot_log));
  ib_update_init(&u[0], IB_UPDATE_REMOVE_SNAPSHOTS);
  u[0].snapshot_ids = ice_calloc(NSNAP, sizeof(int64_t));
  for (int i = 0; i < NSNAP; i++) {
    struct ib_snapshot *s = &md.snapshots[i];
    s->snapshot_id = 1 + i;
    s->sequence_number = 1 + i;
    s->timestamp_ms = FX_NOW + i;
    s->manifest_list = ice_strdup("file:/l.avro");
    CHECK_OK(ib_str_map_set(&s->summary, "operation", "append", &err), &err);
    md.snapshot_log[i] = (struct ib_snapshot_log_entry){FX_NOW + i, 1 + i};
    if (i + 1 < NSNAP) u[0].snapshot_ids[u[0].n_snapshot_ids++] = 1 + i;
  }
  md.n_snapshots = md.n_snapshot_log = NSNAP;
  md.last_sequence_number = NSNAP;
  md.has_current_snapshot = true;
  md.current_snapshot_id = NSNAP;
  CHECK_OK(ib_metadata_build(&md, NULL, u, 1, FX_NOW, &next, &err), &err);
  CHECK_EQ_INT(next.n_snapshots, 1);
  CHECK_EQ_INT(next.n_snapshot_log, 1);
  CHECK_EQ_INT(next.current_snapshot_id, NSNAP);
  ib_update_reset(&u[0]);
  /* Then NADD snapshots committed on main by one list. */
  enum { NADD = 20000 };
  struct ib_update_list l;
  ib_update_list_init(&l);
  for (int i = 0; i < NADD; i++) {
    struct ib_table_metadata at;
    ib_table_metadata_init(&at);
    at.last_sequence_number = NSNAP + i;
    at.has_current_snapshot = true;
    at.current_snapshot_id = NSNAP + i;
    fx_append_updates(&l, &at, NSNAP + 1 + i, FX_NOW + NSNAP + i, "append");
  }
  ib_table_metadata_reset(&md);
  md = next;
  ib_table_metadata_init(&next);
  CHECK_OK(ib_metadata_build(&md, NULL, l.items, l.n, FX_NOW, &next, &err), &err);
  CHECK_EQ_INT(next.n_snapshots, NADD + 1);
  CHECK_EQ_INT(next.n_snapshot_log, NADD + 1);
  CHECK_EQ_INT(next.current_snapshot_id, NSNAP + NADD);
  CHECK_EQ_INT(next.last_sequence_number, NSNAP + NADD);
  ib_update_list_reset(&l);
  double took = seconds_now() - t0;
  if (took > 30) fprintf(stderr, "  took %.1f s\n", took);
  CHECK(took < 30);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&next);
}

int main(void) {
  ICE_RUN(test_output_reparses);
  ICE_RUN(test_schema_spec_order_ids);
  ICE_RUN(test_snapshot_refs_and_logs);
  ICE_RUN(test_metadata_log_and_times);
  ICE_RUN(test_rules);
  ICE_RUN(test_create_rules);
  ICE_RUN(test_commit_producers);
  ICE_RUN(test_long_lists);
  ICE_TEST_EXIT();
}
