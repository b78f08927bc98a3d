/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a data file written before the table's schema evolved, by field id at every
 * depth. The file (our Parquet writer, field ids on every field, columns in another
 * order than the table's) has: n int, f float, dec decimal(5,2), s struct<a int,
 * inner struct<c float>>, l list<struct<x int>>, m map<string, int>, old_name string.
 * The table (metadata written here) has since widened n to long, f to double, dec to
 * decimal(10,2), s.a to long, s.inner.c to double, the map value to long; added
 * s.inner.added, l.element.y and renamed old_name to renamed. The scan must return the
 * table's types, nulls for the added fields and the renamed column's values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "harness/ice_test.h"
#include "harness/ice_test_manifests.h"
#include "ice/ice_parquet_write.h"
#include "ice/ice_table.h"
#include "iceberg/ib_schema_json.h"
#include "util/alloc.h"

static char g_dir[256];

static const char k_table_schema[] =
    "{\"type\":\"struct\",\"schema-id\":1,\"fields\":["
    "{\"id\":1,\"name\":\"n\",\"required\":false,\"type\":\"long\"},"
    "{\"id\":2,\"name\":\"f\",\"required\":false,\"type\":\"double\"},"
    "{\"id\":3,\"name\":\"dec\",\"required\":false,\"type\":\"decimal(10, 2)\"},"
    "{\"id\":4,\"name\":\"s\",\"required\":false,\"type\":{\"type\":\"struct\","
    "\"fields\":["
    "{\"id\":5,\"name\":\"a\",\"required\":false,\"type\":\"long\"},"
    "{\"id\":6,\"name\":\"inner\",\"required\":false,\"type\":{\"type\":\"struct\","
    "\"fields\":[{\"id\":7,\"name\":\"c\",\"required\":false,\"type\":\"double\"},"
    "{\"id\":8,\"name\":\"added\",\"required\":false,\"type\":\"string\"}]}}]}},"
    "{\"id\":9,\"name\":\"l\",\"required\":false,\"type\":{\"type\":\"list\","
    "\"element-id\":10,\"element-required\":false,\"element\":{\"type\":\"struct\","
    "\"fields\":[{\"id\":11,\"name\":\"x\",\"required\":false,\"type\":\"long\"},"
    "{\"id\":12,\"name\":\"y\",\"required\":false,\"type\":\"int\"}]}}},"
    "{\"id\":13,\"name\":\"m\",\"required\":false,\"type\":{\"type\":\"map\","
    "\"key-id\":14,\"key\":\"string\",\"value-id\":15,\"value-required\":false,"
    "\"value\":\"long\"}},"
    "{\"id\":16,\"name\":\"renamed\",\"required\":false,\"type\":\"string\"}]}";

/* ---- building the old file's Arrow schema and batch */

static void field(struct ArrowSchema *s, const char *fmt, const char *name, int32_t id,
                  int64_t n_children) {
  struct ice_error err;
  CHECK_OK(arrow_schema_init(s, fmt, name, id > 0 || strcmp(name, "entries") != 0 ? 2 : 0,
                             n_children, &err),
           &err);
  if (id > 0) {
    char v[16];
    snprintf(v, sizeof v, "%d", (int)id);
    struct arrow_kv kv = {"PARQUET:field_id", v};
    CHECK_OK(arrow_schema_set_metadata(s, &kv, 1, &err), &err);
  }
}

static void *dup(const void *p, size_t n) {
  void *q = ice_malloc(n ? n : 1);
  if (n) memcpy(q, p, n);
  return q;
}

/* A fixed-width or struct/list array: validity byte (0xff = none null), values or
 * offsets (NULL for structs), n rows. */
static void array(struct ArrowArray *a, int64_t n_buffers, int64_t n_children, int64_t n,
                  uint8_t valid, const void *vals, size_t bytes) {
  struct ice_error err;
  CHECK_OK(arrow_array_init(a, n_buffers, n_children, &err), &err);
  a->length = n;
  if (valid != 0xff) {
    arrow_array_set_buffer(a, 0, dup(&valid, 1));
    a->null_count = 0;
    for (int64_t i = 0; i < n; i++) a->null_count += !((valid >> i) & 1);
  }
  if (vals != NULL) arrow_array_set_buffer(a, 1, dup(vals, bytes));
}

static void strings(struct ArrowArray *a, int64_t n, uint8_t valid, const int32_t *off,
                    const char *data) {
  array(a, 3, 0, n, valid, off, (size_t)(n + 1) * 4);
  arrow_array_set_buffer(a, 2, dup(data, (size_t)off[n]));
}

static void write_old_file(const char *path) {
  struct ice_error err;
  struct ArrowSchema s;
  field(&s, "+s", "", 0, 7);
  /* another order than the table's: s first, old_name, then the rest */
  field(s.children[0], "+s", "s", 4, 2);
  field(s.children[0]->children[0], "i", "a", 5, 0);
  field(s.children[0]->children[1], "+s", "inner", 6, 1);
  field(s.children[0]->children[1]->children[0], "f", "c", 7, 0);
  field(s.children[1], "u", "old_name", 16, 0);
  field(s.children[2], "i", "n", 1, 0);
  field(s.children[3], "f", "f", 2, 0);
  field(s.children[4], "d:5,2", "dec", 3, 0);
  field(s.children[5], "+l", "l", 9, 1);
  field(s.children[5]->children[0], "+s", "element", 10, 1);
  field(s.children[5]->children[0]->children[0], "i", "x", 11, 0);
  field(s.children[6], "+m", "m", 13, 1);
  field(s.children[6]->children[0], "+s", "entries", 0, 2);
  CHECK_OK(
      arrow_schema_init(s.children[6]->children[0]->children[0], "u", "key", 0, 0, &err),
      &err);
  struct arrow_kv kid = {"PARQUET:field_id", "14"};
  CHECK_OK(
      arrow_schema_set_metadata(s.children[6]->children[0]->children[0], &kid, 1, &err),
      &err);
  field(s.children[6]->children[0]->children[1], "i", "value", 15, 0);

  struct ArrowArray b;
  CHECK_OK(arrow_array_init(&b, 1, 7, &err), &err);
  b.length = 2;
  /* s: {a:7, inner:{c:2.5}}, {a:8, inner:null} */
  struct ArrowArray *sa = b.children[0];
  array(sa, 1, 2, 2, 0xff, NULL, 0);
  const int32_t a_v[] = {7, 8};
  array(sa->children[0], 2, 0, 2, 0xff, a_v, sizeof a_v);
  array(sa->children[1], 1, 1, 2, 0x01, NULL, 0);
  const float c_v[] = {2.5f, 0};
  array(sa->children[1]->children[0], 2, 0, 2, 0x01, c_v, sizeof c_v);
  const int32_t on_off[] = {0, 2, 2};
  strings(b.children[1], 2, 0x01, on_off, "r0");
  const int32_t n_v[] = {1, 0};
  array(b.children[2], 2, 0, 2, 0x01, n_v, sizeof n_v);
  const float f_v[] = {1.5f, -0.25f};
  array(b.children[3], 2, 0, 2, 0xff, f_v, sizeof f_v);
  int64_t dec_v[4] = {12345, 0, -100, -1}; /* little-endian 128-bit */
  array(b.children[4], 2, 0, 2, 0xff, dec_v, sizeof dec_v);
  /* l: [{x:1},{x:2}], [] */
  const int32_t l_off[] = {0, 2, 2};
  array(b.children[5], 2, 1, 2, 0xff, l_off, sizeof l_off);
  array(b.children[5]->children[0], 1, 1, 2, 0xff, NULL, 0);
  const int32_t x_v[] = {1, 2};
  array(b.children[5]->children[0]->children[0], 2, 0, 2, 0xff, x_v, sizeof x_v);
  /* m: {"k":3}, {} */
  const int32_t m_off[] = {0, 1, 1};
  array(b.children[6], 2, 1, 2, 0xff, m_off, sizeof m_off);
  struct ArrowArray *ent = b.children[6]->children[0];
  array(ent, 1, 2, 1, 0xff, NULL, 0);
  const int32_t k_off[] = {0, 1};
  strings(ent->children[0], 1, 0xff, k_off, "k");
  const int32_t mv[] = {3};
  array(ent->children[1], 2, 0, 1, 0xff, mv, sizeof mv);

  ice_parquet_writer *w = NULL;
  CHECK_OK(ice_parquet_writer_open(path, &s, NULL, &w, &err), &err);
  if (w != NULL) CHECK_OK(ice_parquet_writer_write(w, &b, &err), &err);
  if (w != NULL) CHECK_OK(ice_parquet_writer_close(w, NULL, &err), &err);
  ice_parquet_writer_free(w);
  b.release(&b);
  s.release(&s);
}

static int64_t file_size(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return -1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fclose(f);
  return n;
}

/* The table: one snapshot whose manifest lists the old file; returns its metadata. */
static void build_table(char *meta, size_t cap) {
  struct ice_error err;
  char data[400], manifest[400], list[400];
  snprintf(data, sizeof data, "%s/old.parquet", g_dir);
  snprintf(manifest, sizeof manifest, "%s/m0.avro", g_dir);
  snprintf(list, sizeof list, "%s/snap-1.avro", g_dir);
  write_old_file(data);
  struct ib_schema schema;
  ib_schema_init(&schema, 0);
  CHECK_OK(ib_schema_parse(k_table_schema, strlen(k_table_schema), &schema, &err), &err);
  struct ib_partition_spec spec;
  tm_spec(&spec, false);
  char uri[420];
  snprintf(uri, sizeof uri, "file:%s", data);
  const struct tm_entry e[] = {
      {uri, IB_CONTENT_DATA, 1, false, 2, 0, NULL, 0, file_size(data)}};
  struct ib_manifest_file mf;
  tm_write_manifest(manifest, &schema, &spec, IB_MANIFEST_DATA, e, 1, 5, &mf);
  tm_write_list(list, &mf, 1, 5, 1);
  ib_manifest_file_reset(&mf);
  ib_schema_reset(&schema);
  snprintf(meta, cap, "%s/v1.metadata.json", g_dir);
  FILE *f = fopen(meta, "w");
  CHECK(f != NULL);
  if (f == NULL) return;
  fprintf(
      f,
      "{\"format-version\":2,\"table-uuid\":\"0a6ae9a4-5bc4-4b3a-9f59-3f1c7d7d2a11\","
      "\"location\":\"file:%s\",\"last-sequence-number\":1,"
      "\"last-updated-ms\":1700000000000,\"last-column-id\":16,\"current-schema-id\":1,"
      "\"schemas\":[%s],\"default-spec-id\":0,"
      "\"partition-specs\":[{\"spec-id\":0,\"fields\":[]}],\"last-partition-id\":999,"
      "\"default-sort-order-id\":0,\"sort-orders\":[{\"order-id\":0,\"fields\":[]}],"
      "\"properties\":{},\"current-snapshot-id\":5,"
      "\"refs\":{\"main\":{\"snapshot-id\":5,\"type\":\"branch\"}},"
      "\"snapshots\":[{\"sequence-number\":1,\"snapshot-id\":5,"
      "\"timestamp-ms\":1700000000000,\"summary\":{\"operation\":\"append\"},"
      "\"manifest-list\":\"file:%s\",\"schema-id\":1}],"
      "\"snapshot-log\":[],\"metadata-log\":[]}\n",
      g_dir, k_table_schema, list);
  fclose(f);
}

static void test_old_file_reads_as_the_table(void) {
  char meta[600];
  build_table(meta, sizeof meta);
  struct ice_error err;
  ice_table *t = NULL;
  CHECK_OK(ice_table_load_metadata(meta, NULL, &t, &err), &err);
  if (t == NULL) return;
  struct ArrowArrayStream st = {0};
  CHECK_OK(ice_table_scan(t, NULL, &st, &err), &err);
  struct ArrowSchema sch = {0};
  struct ArrowArray b = {0};
  if (st.release != NULL) {
    CHECK_EQ_INT(st.get_schema(&st, &sch), 0);
    int rc = st.get_next(&st, &b);
    CHECK_EQ_INT(rc, 0);
    if (rc != 0) fprintf(stderr, "# %s\n", st.get_last_error(&st));
  }
  if (b.release != NULL) {
    CHECK_EQ_INT(b.length, 2);
    CHECK_EQ_STR(sch.children[0]->format, "l");
    CHECK_EQ_STR(sch.children[1]->format, "g");
    CHECK_EQ_STR(sch.children[2]->format, "d:10,2");
    const int64_t *n = (const int64_t *)b.children[0]->buffers[1];
    const double *f = (const double *)b.children[1]->buffers[1];
    CHECK_EQ_INT(n[0], 1);
    CHECK(b.children[0]->null_count == 1);
    CHECK(f[0] == 1.5 && f[1] == -0.25);
    b.release(&b);
  }
  if (sch.release != NULL) sch.release(&sch);
  if (st.release != NULL) st.release(&st);
  ice_table_free(t);

  /* Every depth, as the CLI prints it. */
  const char *build = getenv("ICE_BUILD_DIR");
  if (build == NULL) return;
  char cmd[1400], out[600];
  snprintf(out, sizeof out, "%s/rows.jsonl", g_dir);
  snprintf(cmd, sizeof cmd, "%s/icestream scan --metadata %s > %s", build, meta, out);
  CHECK(system(cmd) == 0);
  char got[2048] = "";
  FILE *f = fopen(out, "r");
  if (f != NULL) {
    size_t len = fread(got, 1, sizeof got - 1, f);
    got[len] = '\0';
    fclose(f);
  }
  CHECK_EQ_STR(
      got,
      "{\"n\":1,\"f\":1.5,\"dec\":\"123.45\",\"s\":{\"a\":7,\"inner\":{\"c\":2.5,"
      "\"added\":null}},\"l\":[{\"x\":1,\"y\":null},{\"x\":2,\"y\":null}],"
      "\"m\":[{\"key\":\"k\",\"value\":3}],\"renamed\":\"r0\"}\n"
      "{\"n\":null,\"f\":-0.25,\"dec\":\"-1.00\",\"s\":{\"a\":8,\"inner\":null},"
      "\"l\":[],\"m\":[],\"renamed\":null}\n");
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_scan_evo_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  ICE_RUN(test_old_file_reads_as_the_table);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
