/* SPDX-License-Identifier: Apache-2.0 */
/* Iceberg <-> Arrow schema mapping, fresh id assignment, compatibility check. */
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_schema.h"
#include "harness/ice_test.h"
#include "iceberg/ib_arrow_schema.h"
#include "iceberg/ib_schema_json.h"
#include "util/alloc.h"

static void leaf(struct ArrowSchema *s, const char *fmt, const char *name,
                 bool nullable) {
  struct ice_error err;
  CHECK_OK(arrow_schema_init(s, fmt, name, nullable ? ARROW_FLAG_NULLABLE : 0, 0, &err),
           &err);
}

/* struct{a long not null, b string, c struct{x int, y list<double>}, d map<string,long>,
 *        e uint64, f tsu:UTC, g int96, [h tsn:]} */
static void build_input(struct ArrowSchema *root, bool with_ns) {
  struct ice_error err;
  CHECK_OK(arrow_schema_init(root, "+s", "", 0, with_ns ? 8 : 7, &err), &err);
  leaf(root->children[0], "l", "a", false);
  leaf(root->children[1], "u", "b", true);
  struct ArrowSchema *c = root->children[2];
  CHECK_OK(arrow_schema_init(c, "+s", "c", ARROW_FLAG_NULLABLE, 2, &err), &err);
  leaf(c->children[0], "i", "x", true);
  CHECK_OK(arrow_schema_init(c->children[1], "+l", "y", ARROW_FLAG_NULLABLE, 1, &err),
           &err);
  leaf(c->children[1]->children[0], "g", "item", true);
  struct ArrowSchema *d = root->children[3];
  CHECK_OK(arrow_schema_init(d, "+m", "d", ARROW_FLAG_NULLABLE, 1, &err), &err);
  CHECK_OK(arrow_schema_init(d->children[0], "+s", "entries", 0, 2, &err), &err);
  leaf(d->children[0]->children[0], "u", "key", false);
  leaf(d->children[0]->children[1], "l", "value", true);
  leaf(root->children[4], "L", "e", true);
  leaf(root->children[5], "tsu:UTC", "f", true);
  leaf(root->children[6], "w:12", "g", true);
  struct arrow_kv kv = {"ARROW:extension:name", "icestream.int96"};
  CHECK_OK(arrow_schema_set_metadata(root->children[6], &kv, 1, &err), &err);
  if (with_ns) leaf(root->children[7], "tsn:", "h", true);
}

static void test_fresh_ids_like_java(void) {
  struct ArrowSchema in;
  struct ib_schema s;
  struct ice_error err;
  build_input(&in, true);
  CHECK_EQ_INT(ib_schema_from_arrow(&in, NULL, &s, &err), ICE_ESCHEMA);
  CHECK(strstr(err.message, "'h'") != NULL &&
        strstr(err.message, "format-version 3") != NULL);
  struct ib_arrow_import_options v3 = {3};
  CHECK_OK(ib_schema_from_arrow(&in, &v3, &s, &err), &err);
  CHECK_EQ_INT(ib_schema_find_by_name(&s, "h")->type.id, IB_TYPE_TIMESTAMP_NS);
  ib_schema_reset(&s);
  arrow_schema_release(&in);

  build_input(&in, false);
  CHECK_OK(ib_schema_from_arrow(&in, NULL, &s, &err), &err);
  /* Top-level fields first (1..7), then nested in order. */
  static const struct {
    const char *name;
    int id;
    enum ib_type_id type;
    bool required;
  } want[] = {
      {"a", 1, IB_TYPE_LONG, true},         {"b", 2, IB_TYPE_STRING, false},
      {"c", 3, IB_TYPE_STRUCT, false},      {"d", 4, IB_TYPE_MAP, false},
      {"e", 5, IB_TYPE_DECIMAL, false},     {"f", 6, IB_TYPE_TIMESTAMPTZ, false},
      {"g", 7, IB_TYPE_TIMESTAMPTZ, false}, {"c.x", 8, IB_TYPE_INT, false},
      {"c.y", 9, IB_TYPE_LIST, false},      {"c.y.element", 10, IB_TYPE_DOUBLE, false},
      {"d.key", 11, IB_TYPE_STRING, true},  {"d.value", 12, IB_TYPE_LONG, false},
  };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    const struct ib_field *f = ib_schema_find_by_name(&s, want[i].name);
    CHECK(f != NULL);
    if (f == NULL) continue;
    CHECK_EQ_INT(f->id, want[i].id);
    CHECK_EQ_INT(f->type.id, want[i].type);
    CHECK_EQ_INT(f->required, want[i].required);
    CHECK(ib_schema_find_by_id(&s, want[i].id) == f);
  }
  CHECK_EQ_INT(ib_schema_find_by_name(&s, "e")->type.precision, 20);
  CHECK_EQ_INT(ib_schema_highest_field_id(&s), 12);
  char path[64];
  CHECK_OK(ib_schema_field_path(&s, 10, path, sizeof(path), &err), &err);
  CHECK_EQ_STR(path, "c.y.element");

  /* Iceberg -> Arrow carries PARQUET:field_id on every field, and maps back. */
  struct ArrowSchema out;
  CHECK_OK(ib_schema_to_arrow(&s, &out, &err), &err);
  CHECK_EQ_STR(out.format, "+s");
  CHECK_EQ_INT(out.n_children, 7);
  const char *v;
  int32_t n;
  CHECK(arrow_metadata_find(out.children[2]->children[1]->children[0]->metadata,
                            "PARQUET:field_id", &v, &n) == 1 &&
        n == 2 && memcmp(v, "10", 2) == 0);
  CHECK_EQ_STR(out.children[3]->children[0]->name, "entries");
  CHECK_EQ_STR(out.children[5]->format, "tsu:UTC");
  CHECK_EQ_STR(out.children[4]->format, "d:20,0");
  CHECK_EQ_INT(out.children[0]->flags & ARROW_FLAG_NULLABLE, 0);
  struct ib_schema back;
  CHECK_OK(ib_schema_from_arrow(&out, NULL, &back, &err), &err);
  CHECK(ib_type_equal(&back.root, &s.root));
  /* And the table accepts data shaped like its own Arrow schema. */
  CHECK_OK(ib_schema_check_arrow_compatible(&s, &out, NULL, &err), &err);
  char *json = NULL;
  CHECK_OK(ib_schema_to_string(&s, &json, &err), &err);
  struct ib_schema parsed;
  if (json) CHECK_OK(ib_schema_parse(json, strlen(json), &parsed, &err), &err);
  CHECK(ib_type_equal(&parsed.root, &s.root));
  ib_schema_reset(&parsed);
  ice_free(json);
  ib_schema_reset(&back);
  arrow_schema_release(&out);
  ib_schema_reset(&s);
  arrow_schema_release(&in);
}

static void test_unsupported_types_named(void) {
  static const struct {
    const char *fmt;
    const char *needle;
  } bad[] = {{"n", "null type"},
             {"ttn", "nanoseconds"},
             {"tDs", "no Iceberg"},
             {"d:40,2", "decimal(40,2)"}};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct ArrowSchema in;
    struct ice_error err;
    CHECK_OK(arrow_schema_init(&in, "+s", "", 0, 1, &err), &err);
    leaf(in.children[0], bad[i].fmt, "col_x", true);
    struct ib_schema s;
    int rc = ib_schema_from_arrow(&in, NULL, &s, &err);
    CHECK_EQ_INT(rc, ICE_ESCHEMA);
    CHECK(strstr(err.message, "col_x") != NULL &&
          strstr(err.message, bad[i].needle) != NULL);
    if (rc == ICE_OK) ib_schema_reset(&s);
    arrow_schema_release(&in);
  }
}

static void test_compatibility(void) {
  struct ice_error err;
  struct ib_schema t;
  /* Table: id long required, v int optional, p decimal(10,2) optional, f double opt. */
  const char *json =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
      "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
      "{\"id\":2,\"name\":\"v\",\"required\":false,\"type\":\"int\"},"
      "{\"id\":3,\"name\":\"p\",\"required\":false,\"type\":\"decimal(10, 2)\"},"
      "{\"id\":4,\"name\":\"f\",\"required\":false,\"type\":\"double\"}]}";
  CHECK_OK(ib_schema_parse(json, strlen(json), &t, &err), &err);
  struct {
    const char *fmts[4];
    const char *names[4];
    int n;
    int rc;
    const char *needle;
  } cases[] = {
      /* widenings: int32 -> long, int16 -> int, decimal(8,2) -> (10,2), float -> double
       */
      {{"i", "s", "d:8,2", "f"}, {"id", "v", "p", "f"}, 4, ICE_OK, NULL},
      /* missing optional columns are fine */
      {{"l"}, {"id"}, 1, ICE_OK, NULL},
      {{"u"}, {"v"}, 1, ICE_ESCHEMA, "'id' is required by the table but missing"},
      {{"l", "u"}, {"id", "v"}, 2, ICE_ESCHEMA, "'v'"},
      {{"l", "d:10,3"}, {"id", "p"}, 2, ICE_ESCHEMA, "'p'"},
      {{"l", "l"}, {"id", "v"}, 2, ICE_ESCHEMA, "'v'"},
      {{"l", "i"},
       {"id", "new_col"},
       2,
       ICE_ESCHEMA,
       "input column 'new_col' is not in the table"},
  };
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    struct ArrowSchema in;
    CHECK_OK(arrow_schema_init(&in, "+s", "", 0, cases[k].n, &err), &err);
    for (int i = 0; i < cases[k].n; i++)
      leaf(in.children[i], cases[k].fmts[i], cases[k].names[i],
           strcmp(cases[k].names[i], "id") != 0);
    memset(&err, 0, sizeof(err));
    int rc = ib_schema_check_arrow_compatible(&t, &in, NULL, &err);
    if (rc != cases[k].rc) fprintf(stderr, "  case %zu: rc=%d %s\n", k, rc, err.message);
    CHECK_EQ_INT(rc, cases[k].rc);
    if (cases[k].needle) CHECK(strstr(err.message, cases[k].needle) != NULL);
    arrow_schema_release(&in);
  }
  /* Nullable input for a required column. */
  struct ArrowSchema in;
  CHECK_OK(arrow_schema_init(&in, "+s", "", 0, 1, &err), &err);
  leaf(in.children[0], "l", "id", true);
  CHECK_EQ_INT(ib_schema_check_arrow_compatible(&t, &in, NULL, &err), ICE_ESCHEMA);
  CHECK(strstr(err.message, "nullable") != NULL);
  arrow_schema_release(&in);
  ib_schema_reset(&t);
}

/* 20000 columns: import, validation and matching stay fast (sorted, not quadratic),
 * and duplicates are still found. */
static void test_wide_schema(void) {
  enum { N = 20000 };
  struct ice_error err;
  struct ArrowSchema in;
  CHECK_OK(arrow_schema_init(&in, "+s", "", 0, N, &err), &err);
  char name[32];
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof(name), "c%05d", (i * 7919) % N); /* shuffled order */
    leaf(in.children[i], i % 2 ? "l" : "u", name, true);
  }
  struct ib_schema s;
  CHECK_OK(ib_schema_from_arrow(&in, NULL, &s, &err), &err);
  CHECK_EQ_INT(ib_schema_highest_field_id(&s), N);
  CHECK_OK(ib_schema_check_arrow_compatible(&s, &in, NULL, &err), &err);
  ib_schema_reset(&s);
  arrow_schema_release(in.children[N - 1]);
  leaf(in.children[N - 1], "l", "c00000", true);
  CHECK_EQ_INT(ib_schema_from_arrow(&in, NULL, &s, &err), ICE_ESCHEMA);
  CHECK(strstr(err.message, "duplicate field name 'c00000'") != NULL);
  arrow_schema_release(&in);
}

int main(void) {
  ICE_RUN(test_fresh_ids_like_java);
  ICE_RUN(test_unsupported_types_named);
  ICE_RUN(test_compatibility);
  ICE_RUN(test_wide_schema);
  ICE_TEST_EXIT();
}
