/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Merge key resolution: --merge-key names in key order, else the schema's identifier
 * fields; every refusal (unknown with and without the column list, named twice, nested
 * by path or as an identifier field, struct/list/map, float, double, empty name, no key)
 * names the column; outputs untouched on failure. A new table's schema gets the key as
 * identifier fields made required, and they survive a create commit's metadata JSON.
 */
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_schema.h"
#include "harness/ice_test.h"
#include "iceberg/ib_arrow_schema.h"
#include "iceberg/ib_schema_json.h"
#include "ops/op_merge_keys.h"
#include "test_metadata_build.h"
#include "util/alloc.h"

#define FIELDS                                                                        \
  "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"                   \
  "{\"id\":2,\"name\":\"name\",\"required\":false,\"type\":\"string\"},"              \
  "{\"id\":3,\"name\":\"score\",\"required\":false,\"type\":\"double\"},"             \
  "{\"id\":4,\"name\":\"f\",\"required\":false,\"type\":\"float\"},"                  \
  "{\"id\":5,\"name\":\"addr\",\"required\":true,\"type\":{\"type\":\"struct\","      \
  "\"fields\":[{\"id\":7,\"name\":\"zip\",\"required\":true,\"type\":\"string\"}]}}," \
  "{\"id\":6,\"name\":\"tags\",\"required\":false,\"type\":{\"type\":\"list\","       \
  "\"element-id\":8,\"element\":\"string\",\"element-required\":false}},"             \
  "{\"id\":9,\"name\":\"m\",\"required\":false,\"type\":{\"type\":\"map\","           \
  "\"key-id\":10,\"key\":\"string\",\"value-id\":11,\"value\":\"long\","              \
  "\"value-required\":false}}"

static void parse(struct ib_schema *s, const char *identifiers) {
  char json[2048];
  snprintf(json, sizeof json,
           "{\"type\":\"struct\",\"schema-id\":0,%s\"fields\":[" FIELDS "]}",
           identifiers);
  struct ice_error err;
  ib_schema_init(s, 0);
  CHECK_OK(ib_schema_parse(json, strlen(json), s, &err), &err);
}

static void test_names_in_key_order(void) {
  struct ib_schema s;
  parse(&s, "");
  struct ice_error err;
  const char *names[] = {"name", "id"};
  int32_t *ids = NULL;
  size_t n = 0;
  CHECK_OK(op_merge_keys_resolve(&s, names, 2, &ids, &n, &err), &err);
  CHECK_EQ_INT(n, 2);
  if (n == 2) CHECK(ids[0] == 2 && ids[1] == 1);
  ice_free(ids);
  ib_schema_reset(&s);
}

static void test_identifier_fields_when_no_names(void) {
  struct ib_schema s;
  parse(&s, "\"identifier-field-ids\":[1],");
  struct ice_error err;
  int32_t *ids = NULL;
  size_t n = 0;
  CHECK_OK(op_merge_keys_resolve(&s, NULL, 0, &ids, &n, &err), &err);
  CHECK(n == 1 && ids != NULL && ids[0] == 1);
  ice_free(ids);
  /* names win over the identifier fields */
  const char *names[] = {"name"};
  CHECK_OK(op_merge_keys_resolve(&s, names, 1, &ids, &n, &err), &err);
  CHECK(n == 1 && ids[0] == 2);
  ice_free(ids);
  ib_schema_reset(&s);

  /* an identifier field inside a (required) struct is valid Iceberg, not a merge key */
  parse(&s, "\"identifier-field-ids\":[7],");
  CHECK_EQ_INT(op_merge_keys_resolve(&s, NULL, 0, &ids, &n, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "'addr.zip' is nested") != NULL);
  ib_schema_reset(&s);
}

/* Resolving `name` alone fails with ICE_EINVAL and a message holding `want`; the
 * outputs stay as they were. */
static void check_refused(const struct ib_schema *s, const char *const *names, size_t n,
                          const char *want) {
  struct ice_error err;
  int32_t sentinel = 42, *ids = &sentinel;
  size_t n_out = 99;
  CHECK_EQ_INT(op_merge_keys_resolve(s, names, n, &ids, &n_out, &err), ICE_EINVAL);
  if (strstr(err.message, want) == NULL)
    fprintf(stderr, "  want \"%s\" in: %s\n", want, err.message);
  CHECK(strstr(err.message, want) != NULL);
  CHECK(ids == &sentinel && n_out == 99);
}

static void test_refusals_name_the_column(void) {
  struct ib_schema s;
  parse(&s, "");
  const char *unknown[] = {"id", "nope"};
  check_refused(&s, unknown, 2,
                "no column 'nope' in the table (its columns: id, name, score, f, addr, "
                "tags, m)");
  const char *twice[] = {"id", "name", "id"};
  check_refused(&s, twice, 3, "column 'id' is named twice");
  const char *nested[] = {"addr.zip"};
  check_refused(&s, nested, 1, "column 'addr.zip' is nested");
  const char *st[] = {"addr"}, *li[] = {"tags"}, *ma[] = {"m"};
  check_refused(&s, st, 1, "column 'addr' is a struct");
  check_refused(&s, li, 1, "column 'tags' is a list");
  check_refused(&s, ma, 1, "column 'm' is a map");
  const char *dbl[] = {"score"}, *flt[] = {"f"};
  check_refused(&s, dbl, 1, "column 'score' is a double");
  check_refused(&s, flt, 1, "column 'f' is a float");
  const char *empty[] = {""};
  check_refused(&s, empty, 1, "an empty column name");
  const char *case_differs[] = {"ID"};
  check_refused(&s, case_differs, 1, "no column 'ID'");
  check_refused(&s, NULL, 0,
                "the merge needs a key: pass --merge-key COL[,COL...] or set the table's "
                "identifier fields");
  ib_schema_reset(&s);

  /* a wide table: the count, not the list */
  char json[4096];
  int at =
      snprintf(json, sizeof json, "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[");
  for (int i = 1; i <= 20; i++)
    at += snprintf(json + at, sizeof json - (size_t)at,
                   "%s{\"id\":%d,\"name\":\"c%d\",\"required\":false,\"type\":\"int\"}",
                   i > 1 ? "," : "", i, i);
  snprintf(json + at, sizeof json - (size_t)at, "]}");
  struct ice_error err;
  ib_schema_init(&s, 0);
  CHECK_OK(ib_schema_parse(json, strlen(json), &s, &err), &err);
  const char *missing[] = {"c21"};
  check_refused(&s, missing, 1, "no column 'c21' in the table (20 columns)");
  ib_schema_reset(&s);
}

/* An input's Arrow schema (id, name, score; all nullable) becomes a new table schema
 * keyed on (name, id); a create commit's metadata JSON keeps the key. */
static void test_new_schema_round_trips(void) {
  struct ice_error err;
  struct ArrowSchema a;
  CHECK_OK(arrow_schema_init(&a, "+s", "", 0, 3, &err), &err);
  CHECK_OK(arrow_schema_init(a.children[0], "l", "id", ARROW_FLAG_NULLABLE, 0, &err),
           &err);
  CHECK_OK(arrow_schema_init(a.children[1], "u", "name", ARROW_FLAG_NULLABLE, 0, &err),
           &err);
  CHECK_OK(arrow_schema_init(a.children[2], "g", "score", ARROW_FLAG_NULLABLE, 0, &err),
           &err);
  struct ib_schema s;
  ib_schema_init(&s, 0);
  CHECK_OK(ib_schema_from_arrow(&a, NULL, &s, &err), &err);
  a.release(&a);

  /* a refused key changes nothing */
  const char *bad[] = {"name", "score"};
  CHECK_EQ_INT(op_merge_keys_apply_to_new_schema(&s, bad, 2, &err), ICE_EINVAL);
  CHECK_EQ_INT(s.n_identifier_field_ids, 0);
  CHECK(!s.root.fields[1].required);
  CHECK_EQ_INT(op_merge_keys_apply_to_new_schema(&s, NULL, 0, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "the merge needs a key") != NULL);

  const char *key[] = {"name", "id"};
  CHECK_OK(op_merge_keys_apply_to_new_schema(&s, key, 2, &err), &err);
  CHECK_EQ_INT(s.n_identifier_field_ids, 2);
  CHECK(s.root.fields[0].required && s.root.fields[1].required);
  CHECK(!s.root.fields[2].required);
  CHECK_OK(ib_schema_validate(&s, &err), &err);

  struct ib_table_metadata md, back;
  ib_table_metadata_init(&md);
  ib_table_metadata_init(&back);
  CHECK_OK(tb_new_table("file:/wh/db/t", &s, NULL, 1700000000000, &md, &err), &err);
  char *json = NULL;
  size_t len = 0;
  CHECK_OK(ib_table_metadata_to_json(&md, &json, &len, &err), &err);
  CHECK(json != NULL && strstr(json, "identifier-field-ids") != NULL);
  CHECK_OK(ib_table_metadata_parse(json, len, &back, &err), &err);
  const struct ib_schema *cur = ib_table_metadata_current_schema(&back);
  CHECK(cur != NULL);
  if (cur != NULL && cur->n_identifier_field_ids == 2) {
    const struct ib_field *k0 = ib_schema_find_by_id(cur, cur->identifier_field_ids[0]);
    const struct ib_field *k1 = ib_schema_find_by_id(cur, cur->identifier_field_ids[1]);
    CHECK(k0 != NULL && strcmp(k0->name, "name") == 0 && k0->required);
    CHECK(k1 != NULL && strcmp(k1->name, "id") == 0 && k1->required);
    /* and the merge of the created table resolves the same key from it */
    int32_t *ids = NULL;
    size_t n = 0;
    CHECK_OK(op_merge_keys_resolve(cur, NULL, 0, &ids, &n, &err), &err);
    CHECK(n == 2 && ids[0] == k0->id && ids[1] == k1->id);
    ice_free(ids);
  } else {
    CHECK(0 && "identifier fields lost in the metadata JSON");
  }
  ice_free(json);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&back);
  ib_schema_reset(&s);
}

int main(void) {
  ICE_RUN(test_names_in_key_order);
  ICE_RUN(test_identifier_fields_when_no_names);
  ICE_RUN(test_refusals_name_the_column);
  ICE_RUN(test_new_schema_round_trips);
  ICE_TEST_EXIT();
}
