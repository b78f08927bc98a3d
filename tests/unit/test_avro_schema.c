/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for Avro schema parsing, validation and serialisation, including the
 * Iceberg manifest schemas from tests/data/iceberg-metadata. */
#include <stdio.h>

#include "avro/avro_schema.h"
#include "harness/ice_test.h"
#include "util/alloc.h"

static char *read_text(const char *rel, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", ice_test_data_dir(), rel);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "  cannot open %s\n", path);
    return NULL;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = ice_malloc((size_t)n + 1);
  if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    ice_free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf != NULL) {
    buf[n] = '\0';
    *len = (size_t)n;
  }
  return buf;
}

static struct avro_schema *parse(const char *json) {
  struct avro_schema *s = NULL;
  struct ice_error err;
  CHECK_OK(avro_schema_parse(json, strlen(json), &s, &err), &err);
  return s;
}

/* serialise -> parse -> serialise must reach a fixpoint */
static void check_round_trip(const struct avro_schema *s) {
  struct ice_error err;
  char *a = NULL, *b = NULL;
  size_t alen = 0;
  struct avro_schema *again = NULL;
  CHECK_OK(avro_schema_to_json(s, &a, &alen, &err), &err);
  if (a == NULL) return;
  CHECK_EQ_INT(strlen(a), alen);
  CHECK_OK(avro_schema_parse(a, alen, &again, &err), &err);
  if (again != NULL) {
    CHECK_OK(avro_schema_to_json(again, &b, NULL, &err), &err);
    CHECK_EQ_STR(a, b);
  }
  avro_schema_free(again);
  ice_free(a);
  ice_free(b);
}

static void test_primitives_and_forms(void) {
  const char *prims[] = {"\"null\"", "\"boolean\"", "\"int\"",   "\"long\"",
                         "\"float\"", "\"double\"", "\"bytes\"", "\"string\""};
  for (int i = 0; i < 8; i++) {
    struct avro_schema *s = parse(prims[i]);
    if (s == NULL) continue;
    CHECK_EQ_INT(s->type, i);
    check_round_trip(s);
    avro_schema_free(s);
  }
  struct avro_schema *s = parse("{\"type\":\"int\",\"logicalType\":\"date\"}");
  if (s != NULL) {
    CHECK_EQ_INT(s->type, AVRO_INT);
    CHECK_EQ_STR(s->logical_type, "date");
    char *j = NULL;
    CHECK_OK(avro_schema_to_json(s, &j, NULL, NULL), NULL);
    CHECK_EQ_STR(j, "{\"type\":\"int\",\"logicalType\":\"date\"}");
    ice_free(j);
    avro_schema_free(s);
  }
}

static void test_complex_types(void) {
  const char *json =
      "{\"type\":\"record\",\"name\":\"r\",\"namespace\":\"ns.a\",\"doc\":\"top\","
      "\"fields\":["
      "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"color\",\"symbols\":[\"RED\",\"GREEN\"]}},"
      "{\"name\":\"f\",\"type\":{\"type\":\"fixed\",\"name\":\"f16\",\"size\":16,\"logicalType\":\"uuid\"}},"
      "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"long\",\"element-id\":7}},"
      "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"string\"]}},"
      "{\"name\":\"again\",\"type\":[\"null\",\"color\",\"ns.a.f16\"],\"default\":null},"
      "{\"name\":\"o\",\"type\":\"int\",\"field-id\":42,\"iceberg-field-name\":\"1x\"}]}";
  struct avro_schema *s = parse(json);
  if (s == NULL) return;
  CHECK_EQ_INT(s->type, AVRO_RECORD);
  CHECK_EQ_STR(s->name, "ns.a.r");
  CHECK_EQ_INT(s->n_fields, 6);
  const struct avro_schema *e = s->fields[0].type;
  CHECK_EQ_STR(e->name, "ns.a.color"); /* inherits the enclosing namespace */
  CHECK_EQ_INT(e->n_symbols, 2);
  CHECK_EQ_STR(e->symbols[1], "GREEN");
  CHECK_EQ_INT(s->fields[1].type->fixed_size, 16);
  CHECK_EQ_STR(s->fields[1].type->logical_type, "uuid");
  int64_t id = 0;
  CHECK(avro_schema_prop_int(s->fields[2].type->props, "element-id", &id));
  CHECK_EQ_INT(id, 7);
  CHECK_EQ_INT(s->fields[3].type->type, AVRO_MAP);
  CHECK_EQ_INT(s->fields[3].type->items->type, AVRO_UNION);
  const struct avro_schema *u = s->fields[4].type;
  CHECK_EQ_INT(u->n_branches, 3);
  CHECK(u->branches[1] == e); /* references resolve to the defining node */
  CHECK(u->branches[2] == s->fields[1].type);
  CHECK(s->fields[4].default_value != NULL);
  CHECK(avro_schema_prop_int(s->fields[5].props, "field-id", &id));
  CHECK_EQ_INT(id, 42);
  const char *orig = NULL;
  CHECK(avro_schema_prop_string(s->fields[5].props, "iceberg-field-name", &orig));
  CHECK_EQ_STR(orig, "1x");
  CHECK(!avro_schema_prop_int(s->fields[5].props, "iceberg-field-name", &id));
  CHECK_EQ_INT(avro_schema_field_index(s, "o"), 5);
  CHECK_EQ_INT(avro_schema_field_index(s, "nope"), -1);
  size_t nb = 9;
  const struct avro_schema *vt = NULL;
  CHECK(avro_schema_optional(s->fields[3].type->items, &nb, &vt));
  CHECK_EQ_INT(nb, 0);
  CHECK_EQ_INT(vt->type, AVRO_STRING);
  CHECK(!avro_schema_optional(u, &nb, &vt));
  check_round_trip(s);
  avro_schema_free(s);
}

static void test_recursive_schema(void) {
  const char *json =
      "{\"type\":\"record\",\"name\":\"node\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
      "{\"name\":\"next\",\"type\":[\"null\",\"node\"]}]}";
  struct avro_schema *s = parse(json);
  if (s == NULL) return;
  CHECK(s->fields[1].type->branches[1] == s);
  char *j = NULL;
  CHECK_OK(avro_schema_to_json(s, &j, NULL, NULL), NULL);
  CHECK(j != NULL && strstr(j, "[\"null\",\"node\"]") != NULL);
  ice_free(j);
  check_round_trip(s);
  avro_schema_free(s);
}

static void test_invalid_schemas_rejected(void) {
  const char *bad[] = {
      "",
      "{",
      "42",
      "\"nosuchtype\"",
      "[]",
      "[\"int\",\"int\"]",
      "[\"null\",[\"int\"]]",
      "{\"type\":\"record\",\"fields\":[]}",
      "{\"type\":\"record\",\"name\":\"r\"}",
      "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
      "{\"name\":\"a\",\"type\":\"long\"}]}",
      "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\"}]}",
      "{\"type\":\"record\",\"name\":\"1r\",\"fields\":[]}",
      "{\"type\":\"record\",\"name\":\"int\",\"fields\":[]}",
      "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"x\",\"type\":"
      "{\"type\":\"record\",\"name\":\"r\",\"fields\":[]}}]}",
      "{\"type\":\"enum\",\"name\":\"e\",\"symbols\":[\"A\",\"A\"]}",
      "{\"type\":\"enum\",\"name\":\"e\",\"symbols\":[1]}",
      "{\"type\":\"fixed\",\"name\":\"f\",\"size\":-1}",
      "{\"type\":\"fixed\",\"name\":\"f\"}",
      "{\"type\":\"array\"}",
      "{\"type\":\"map\",\"items\":\"int\"}",
      "{\"type\":\"int\",\"logicalType\":5}",
      "{\"notype\":1}",
      "{\"type\":\"int\",\"type\":\"long\"}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct avro_schema *s = NULL;
    struct ice_error err;
    int rc = avro_schema_parse(bad[i], strlen(bad[i]), &s, &err);
    if (rc != ICE_ECORRUPT) fprintf(stderr, "  schema %zu: rc %d\n", i, rc);
    CHECK_EQ_INT(rc, ICE_ECORRUPT);
    CHECK(s == NULL);
  }
}

static void test_depth_limit(void) {
  /* 100 nested arrays exceed ICE_LIMIT_AVRO_DEPTH */
  char json[4096];
  size_t n = 0;
  for (int i = 0; i < 100; i++) n += (size_t)snprintf(json + n, sizeof json - n, "%s",
                                                      "{\"type\":\"array\",\"items\":");
  n += (size_t)snprintf(json + n, sizeof json - n, "\"int\"");
  for (int i = 0; i < 100; i++) json[n++] = '}';
  json[n] = '\0';
  struct avro_schema *s = NULL;
  struct ice_error err;
  CHECK_EQ_INT(avro_schema_parse(json, strlen(json), &s, &err), ICE_ELIMIT);
}

static void check_iceberg_schema(const char *rel, const char *record, size_t n_fields) {
  size_t len = 0;
  char *text = read_text(rel, &len);
  CHECK(text != NULL);
  if (text == NULL) return;
  struct avro_schema *s = NULL;
  struct ice_error err;
  CHECK_OK(avro_schema_parse(text, len, &s, &err), &err);
  ice_free(text);
  if (s == NULL) return;
  CHECK_EQ_STR(s->name, record);
  CHECK_EQ_INT(s->n_fields, n_fields);
  /* every top-level field carries an Iceberg field id */
  for (size_t i = 0; i < s->n_fields; i++) {
    int64_t id = -1;
    CHECK(avro_schema_prop_int(s->fields[i].props, "field-id", &id));
    CHECK(id >= 0);
  }
  check_round_trip(s);
  avro_schema_free(s);
}

static void test_iceberg_manifest_schemas(void) {
  check_iceberg_schema("iceberg-metadata/avro_schema_manifest_file_v1.json",
                       "manifest_file", 11);
  check_iceberg_schema("iceberg-metadata/avro_schema_manifest_file_v2.json",
                       "manifest_file", 14);
  check_iceberg_schema("iceberg-metadata/avro_schema_manifest_entry.json",
                       "manifest_entry", 3);
}

static void test_manifest_entry_nested_ids(void) {
  size_t len = 0;
  char *text = read_text("iceberg-metadata/avro_schema_manifest_entry.json", &len);
  if (text == NULL) return;
  struct avro_schema *s = NULL;
  struct ice_error err;
  CHECK_OK(avro_schema_parse(text, len, &s, &err), &err);
  ice_free(text);
  if (s == NULL) return;
  long df = avro_schema_field_index(s, "data_file");
  CHECK(df >= 0);
  if (df >= 0) {
    const struct avro_schema *r2 = s->fields[df].type;
    CHECK_EQ_INT(r2->type, AVRO_RECORD);
    long fp = avro_schema_field_index(r2, "file_path");
    CHECK(fp >= 0);
    int64_t id = 0;
    if (fp >= 0) CHECK(avro_schema_prop_int(r2->fields[fp].props, "field-id", &id));
    CHECK_EQ_INT(id, 100);
  }
  avro_schema_free(s);
}

static void test_alloc_failures_are_clean(void) {
  const char *json =
      "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":"
      "[\"null\",{\"type\":\"array\",\"items\":\"long\",\"element-id\":3}],\"field-id\":1}]}";
  /* fail each allocation in turn: every failure is ICE_ENOMEM and leaks nothing */
  for (long n = 1; n < 200; n++) {
    long live = ice_alloc_live();
    ice_alloc_fail_after(n);
    struct avro_schema *s = NULL;
    int rc = avro_schema_parse(json, strlen(json), &s, NULL);
    ice_alloc_fail_after(0);
    if (rc == ICE_OK) {
      avro_schema_free(s);
      CHECK_EQ_INT(ice_alloc_live(), live);
      break;
    }
    CHECK_EQ_INT(rc, ICE_ENOMEM);
    CHECK_EQ_INT(ice_alloc_live(), live);
  }
}

static void test_no_leaks(void) {
  CHECK_EQ_INT(ice_alloc_live(), 0);
}

int main(void) {
  ICE_RUN(test_primitives_and_forms);
  ICE_RUN(test_complex_types);
  ICE_RUN(test_recursive_schema);
  ICE_RUN(test_invalid_schemas_rejected);
  ICE_RUN(test_depth_limit);
  ICE_RUN(test_iceberg_manifest_schemas);
  ICE_RUN(test_manifest_entry_nested_ids);
  ICE_RUN(test_alloc_failures_are_clean);
  ICE_RUN(test_no_leaks);
  ICE_TEST_EXIT();
}
