/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema evolution by name (ib_schema_union) and explicit edits (ib_schema_apply_edits):
 * fresh ids after last-column-id, nested adds in structs / list elements / map values,
 * widenings, relax and strict, every refused change with the column it names, and the
 * keep-ids merge a load's retry does against a newer head (same column added twice:
 * no change; an id taken meanwhile: ICE_ECONFLICT).
 */
#include <string.h>

#include "harness/ice_test.h"
#include "iceberg/ib_schema_edit.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_schema_union.h"
#include "iceberg/ib_table_metadata.h"
#include "util/alloc.h"

static struct ib_schema parse(const char *json) {
  struct ib_schema s;
  struct ice_error err;
  ib_schema_init(&s, 0);
  CHECK_OK(ib_schema_parse(json, strlen(json), &s, &err), &err);
  return s;
}

static bool same_as(const struct ib_schema *s, const char *json) {
  struct ib_schema want = parse(json);
  bool eq = ib_type_equal(&s->root, &want.root);
  ib_schema_reset(&want);
  return eq;
}

#define F(id, name, req, type) \
  "{\"id\":" #id ",\"name\":\"" name "\",\"required\":" #req ",\"type\":" type "}"
#define S(fields) "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[" fields "]}"
#define ST(fields) "{\"type\":\"struct\",\"fields\":[" fields "]}"
#define LIST(eid, ereq, el) \
  "{\"type\":\"list\",\"element-id\":" #eid ",\"element-required\":" #ereq \
  ",\"element\":" el "}"
#define MAP(kid, k, vid, vreq, v)                                                   \
  "{\"type\":\"map\",\"key-id\":" #kid ",\"key\":" k ",\"value-id\":" #vid          \
  ",\"value-required\":" #vreq ",\"value\":" v "}"

static const char *k_table =
    S(F(1, "id", true, "\"int\"") "," F(2, "st", false, ST(F(5, "p", false, "\"int\""))) ","
      F(3, "l", false, LIST(6, false, ST(F(7, "a", false, "\"float\"")))) ","
      F(4, "m", false, MAP(8, "\"string\"", 9, false, ST(F(10, "v", false, "\"decimal(9,2)\"")))));

/* union(table, input) under mode: the result code, and *out on success. */
static int run_union(const char *table, const char *input, enum ib_schema_evolution mode,
                     bool keep, int32_t *last, struct ib_schema *out, bool *changed,
                     struct ice_error *err) {
  struct ib_schema t = parse(table), in = parse(input);
  struct ib_schema_union_options o = {mode, keep, "in.parquet"};
  int rc = ib_schema_union(&t, &in, &o, last, out, changed, err);
  ib_schema_reset(&t);
  ib_schema_reset(&in);
  return rc;
}

static void test_nested_adds_and_widenings(void) {
  struct ice_error err;
  struct ib_schema out;
  bool changed = false;
  int32_t last = 10;
  /* ids in the input are placeholders; names decide */
  const char *input = S(
      F(50, "id", true, "\"long\"") "," F(51, "new_top", false, ST(F(52, "x", false, "\"int\"") "," F(53, "y", false, LIST(54, false, "\"string\"")))) ","
      F(55, "st", false, ST(F(56, "q", false, "\"string\"") "," F(57, "p", false, "\"int\""))) ","
      F(58, "l", false, LIST(59, false, ST(F(60, "a", false, "\"double\"") "," F(61, "b", false, "\"boolean\"")))) ","
      F(62, "m", false, MAP(63, "\"string\"", 64, false, ST(F(65, "v", false, "\"decimal(12,2)\"") "," F(66, "w", false, "\"date\"")))));
  CHECK_OK(run_union(k_table, input, IB_EVOLVE_ADD, false, &last, &out, &changed, &err),
           &err);
  CHECK(changed);
  /* table order kept, new fields at the end of their struct; a new struct gets its
   * own id, then its fields, then theirs (Java's order) */
  CHECK(same_as(&out, S(F(1, "id", true, "\"long\"") ","
                        F(2, "st", false, ST(F(5, "p", false, "\"int\"") "," F(11, "q", false, "\"string\""))) ","
                        F(3, "l", false, LIST(6, false, ST(F(7, "a", false, "\"double\"") "," F(12, "b", false, "\"boolean\"")))) ","
                        F(4, "m", false, MAP(8, "\"string\"", 9, false, ST(F(10, "v", false, "\"decimal(12,2)\"") "," F(13, "w", false, "\"date\"")))) ","
                        F(14, "new_top", false, ST(F(15, "x", false, "\"int\"") "," F(16, "y", false, LIST(17, false, "\"string\"")))))));
  CHECK_EQ_INT(last, 17);
  ib_schema_reset(&out);
  /* narrower input and fewer columns: nothing to change */
  last = 10;
  CHECK_OK(run_union(k_table, S(F(1, "id", true, "\"int\"")), IB_EVOLVE_STRICT, false,
                     &last, &out, &changed, &err),
           &err);
  CHECK(!changed);
  CHECK_EQ_INT(last, 10);
  ib_schema_reset(&out);
}

static void test_refusals(void) {
  static const struct {
    const char *input;
    enum ib_schema_evolution mode;
    const char *want;
  } cases[] = {
      {S(F(1, "id", true, "\"string\"")), IB_EVOLVE_ADD, "column 'id': table type int, input type string"},
      {S(F(1, "id", true, "\"double\"")), IB_EVOLVE_RELAX, "column 'id': table type int, input type double"},
      {S(F(9, "id", true, "\"int\"") "," F(1, "st", false, "\"int\"")), IB_EVOLVE_ADD, "column 'st': table type struct, input type int"},
      {S(F(1, "id", true, ST(F(2, "z", false, "\"int\"")))), IB_EVOLVE_ADD, "column 'id': table type int, input type struct"},
      {S(F(9, "id", true, "\"int\"") "," F(1, "l", false, LIST(2, false, "\"int\""))), IB_EVOLVE_ADD, "column 'l.element': table type struct, input type int"},
      {S(F(9, "id", true, "\"int\"") "," F(1, "m", false, MAP(2, "\"int\"", 3, false, ST(F(4, "v", false, "\"decimal(9,2)\""))))), IB_EVOLVE_ADD, "column 'm.key': table type string, input type int"},
      {S(F(9, "id", true, "\"int\"") "," F(1, "st", false, LIST(2, false, "\"int\""))), IB_EVOLVE_ADD, "column 'st': table type struct, input type list"},
      {S(F(9, "id", true, "\"int\"") "," F(1, "m", false, MAP(2, "\"string\"", 3, false, ST(F(4, "v", false, "\"decimal(9,3)\""))))), IB_EVOLVE_ADD, "column 'm.value.v': table type decimal(9,2), input type decimal(9,3)"},
      {S(F(1, "id", true, "\"int\"") "," F(2, "new", true, "\"int\"")), IB_EVOLVE_ADD, "column 'new' is new and declared required"},
      {S(F(1, "id", true, "\"int\"") "," F(2, "new", false, "\"int\"")), IB_EVOLVE_STRICT, "column 'new' is not in the table"},
      {S(F(1, "id", true, "\"long\"")), IB_EVOLVE_STRICT, "would be widened"},
      {S(F(1, "id", false, "\"int\"")), IB_EVOLVE_ADD, "column 'id' is required by the table but the input declares it optional"},
      {S(F(9, "id", true, "\"int\"") "," F(1, "st", false, "\"string\"")), IB_EVOLVE_ADD, "column 'st'"},
      {S(F(2, "st", false, "\"string\"")), IB_EVOLVE_ADD, "column 'id' is required by the table but the input lacks it"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    struct ice_error err;
    ice_error_clear(&err);
    struct ib_schema out;
    bool changed = true;
    int32_t last = 10;
    CHECK_EQ_INT(run_union(k_table, cases[k].input, cases[k].mode, false, &last, &out,
                           &changed, &err),
                 ICE_ESCHEMA);
    if (strstr(err.message, cases[k].want) == NULL)
      printf("# case %zu: %s\n", k, err.message);
    CHECK(strstr(err.message, cases[k].want) != NULL);
    CHECK(strstr(err.message, "in.parquet") != NULL);
    CHECK_EQ_INT(last, 10);
  }
}

static void test_relax(void) {
  struct ice_error err;
  struct ib_schema out;
  bool changed = false;
  int32_t last = 3;
  const char *table = S(F(1, "id", true, "\"int\"") "," F(2, "r", true, "\"string\"") ","
                        F(3, "e", false, LIST(4, true, "\"int\"")));
  CHECK_OK(run_union(table, S(F(9, "id", false, "\"int\"") "," F(8, "e", false, LIST(7, false, "\"int\"")) "," F(6, "n", true, "\"int\"")),
                     IB_EVOLVE_RELAX, false, &last, &out, &changed, &err),
           &err);
  CHECK(changed);
  CHECK(same_as(&out, S(F(1, "id", false, "\"int\"") "," F(2, "r", false, "\"string\"") ","
                        F(3, "e", false, LIST(4, false, "\"int\"")) "," F(5, "n", false, "\"int\""))));
  ib_schema_reset(&out);
  /* identifier fields stay required whatever the input says */
  struct ib_schema t = parse(table), in = parse(S(F(1, "id", false, "\"int\"") "," F(2, "r", false, "\"string\"")));
  int32_t ids[1] = {1};
  t.identifier_field_ids = ids;
  t.n_identifier_field_ids = 1;
  struct ib_schema_union_options o = {IB_EVOLVE_RELAX, false, NULL};
  CHECK_OK(ib_schema_union(&t, &in, &o, &last, &out, &changed, &err), &err);
  CHECK(ib_schema_find_by_id(&out, 1)->required);
  CHECK(!ib_schema_find_by_id(&out, 2)->required);
  t.identifier_field_ids = NULL;
  t.n_identifier_field_ids = 0;
  ib_schema_reset(&t);
  ib_schema_reset(&in);
  ib_schema_reset(&out);
}

/* A load's retry: its write schema merged into a newer head keeping its ids. */
static void test_keep_ids(void) {
  struct ice_error err;
  struct ib_schema out;
  bool changed = true;
  /* the head already has c with the id the files carry: nothing to add */
  const char *head = S(F(1, "id", true, "\"int\"") "," F(2, "c", false, "\"string\""));
  int32_t last = 2;
  CHECK_OK(run_union(head, head, IB_EVOLVE_ADD, true, &last, &out, &changed, &err), &err);
  CHECK(!changed);
  ib_schema_reset(&out);
  /* the head gained another column meanwhile: ours is added back with its own id */
  const char *head2 = S(F(1, "id", true, "\"int\"") "," F(2, "c", false, "\"string\"") ","
                        F(3, "d", false, "\"int\""));
  last = 3;
  CHECK_OK(run_union(head2, S(F(1, "id", true, "\"int\"") "," F(4, "e", false, "\"int\"")),
                     IB_EVOLVE_ADD, true, &last, &out, &changed, &err),
           &err);
  CHECK(changed);
  CHECK(same_as(&out, S(F(1, "id", true, "\"int\"") "," F(2, "c", false, "\"string\"") ","
                        F(3, "d", false, "\"int\"") "," F(4, "e", false, "\"int\""))));
  CHECK_EQ_INT(last, 4);
  ib_schema_reset(&out);
  /* the id our files give e was taken by d meanwhile */
  last = 3;
  CHECK_EQ_INT(run_union(head2, S(F(1, "id", true, "\"int\"") "," F(3, "e", false, "\"int\"")),
                         IB_EVOLVE_ADD, true, &last, &out, &changed, &err),
               ICE_ECONFLICT);
  CHECK(strstr(err.message, "column 'e' was written with field id 3") != NULL);
  /* the same name under another id */
  CHECK_EQ_INT(run_union(head2, S(F(1, "id", true, "\"int\"") "," F(4, "d", false, "\"int\"")),
                         IB_EVOLVE_ADD, true, &last, &out, &changed, &err),
               ICE_ECONFLICT);
  CHECK(strstr(err.message, "column 'd' has field id 3 in the table but was written as id 4") != NULL);
}

static void test_edits(void) {
  struct ice_error err;
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  md.schemas = ice_calloc(1, sizeof *md.schemas);
  md.n_schemas = 1;
  md.schemas[0] = parse(k_table);
  md.current_schema_id = 0;
  md.last_column_id = 10;
  struct ib_schema out;
  int32_t last = md.last_column_id;
  const struct ib_schema_edit ok[] = {
      {IB_EDIT_ADD_COLUMN, "note", "string"},
      {IB_EDIT_ADD_COLUMN, "st.z", "decimal(5,1)"},
      {IB_EDIT_ADD_COLUMN, "l.element.b", "long"},
      {IB_EDIT_ADD_COLUMN, "m.value.w", "date"},
      {IB_EDIT_RENAME_COLUMN, "st.p", "pp"},
      {IB_EDIT_WIDEN_COLUMN, "l.element.a", "double"},
      {IB_EDIT_WIDEN_COLUMN, "m.value.v", "decimal(20,2)"},
      {IB_EDIT_DROP_COLUMN, "note", NULL},
      {IB_EDIT_WIDEN_COLUMN, "id", "long"},
  };
  CHECK_OK(ib_schema_apply_edits(&md, ok, sizeof ok / sizeof ok[0], &last, &out, &err), &err);
  CHECK(same_as(&out, S(F(1, "id", true, "\"long\"") ","
                        F(2, "st", false, ST(F(5, "pp", false, "\"int\"") "," F(12, "z", false, "\"decimal(5,1)\""))) ","
                        F(3, "l", false, LIST(6, false, ST(F(7, "a", false, "\"double\"") "," F(13, "b", false, "\"long\"")))) ","
                        F(4, "m", false, MAP(8, "\"string\"", 9, false, ST(F(10, "v", false, "\"decimal(20,2)\"") "," F(14, "w", false, "\"date\"")))))));
  CHECK_EQ_INT(last, 14);
  ib_schema_reset(&out);
  static const struct {
    struct ib_schema_edit e;
    const char *want;
  } bad[] = {
      {{IB_EDIT_WIDEN_COLUMN, "id", "string"}, "widen column 'id' from int to string"},
      {{IB_EDIT_WIDEN_COLUMN, "m.key", "string"}, "a map key cannot change"},
      {{IB_EDIT_WIDEN_COLUMN, "l", "long"}, "it is a list"},
      {{IB_EDIT_DROP_COLUMN, "l.element", NULL}, "cannot be dropped"},
      {{IB_EDIT_RENAME_COLUMN, "m.value", "x"}, "no name of its own"},
      {{IB_EDIT_RENAME_COLUMN, "st", "id"}, "the struct already has 'id'"},
      {{IB_EDIT_ADD_COLUMN, "st.p", "int"}, "already has it"},
      {{IB_EDIT_ADD_COLUMN, "id.x", "int"}, "'id' is not a struct"},
      {{IB_EDIT_ADD_COLUMN, "x", "map"}, "not an Iceberg primitive type"},
      {{IB_EDIT_DROP_COLUMN, "st.nope", NULL}, "column 'st.nope' is not in the table"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    ice_error_clear(&err);
    last = 10;
    CHECK_EQ_INT(ib_schema_apply_edits(&md, &bad[k].e, 1, &last, &out, &err), ICE_EINVAL);
    CHECK(strstr(err.message, bad[k].want) != NULL);
    CHECK_EQ_INT(last, 10);
  }
  ib_table_metadata_reset(&md);
}

int main(void) {
  ICE_RUN(test_nested_adds_and_widenings);
  ICE_RUN(test_refusals);
  ICE_RUN(test_relax);
  ICE_RUN(test_keep_ids);
  ICE_RUN(test_edits);
  ICE_TEST_EXIT();
}
