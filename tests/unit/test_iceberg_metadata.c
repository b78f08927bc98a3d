/* SPDX-License-Identifier: Apache-2.0 */
/* Table metadata: fixtures (valid and invalid), v2 round trips, builders. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "codec/codec.h"
#include "harness/ice_test.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_table_metadata.h"
#include "io/io.h"
#include "test_metadata_build.h"
#include "util/alloc.h"

static char *slurp(const char *rel, size_t *len) {
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", ice_test_data_dir(), rel);
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
  if (buf) buf[n] = '\0';
  *len = (size_t)n;
  return buf;
}

static int parse_fixture(const char *rel, struct ib_table_metadata *md,
                         struct ice_error *err) {
  size_t n;
  char *s = slurp(rel, &n);
  if (s == NULL) return -1;
  int rc = ib_table_metadata_parse(s, n, md, err);
  ice_free(s);
  return rc;
}

/* Parse, write as v2, parse again, write again: the two outputs must be identical and
 * the re-parsed metadata must agree with the first parse. */
static void round_trip(const char *rel) {
  struct ib_table_metadata a, b;
  struct ice_error err;
  ib_table_metadata_init(&a);
  ib_table_metadata_init(&b);
  CHECK_OK(parse_fixture(rel, &a, &err), &err);
  char *j1 = NULL, *j2 = NULL;
  size_t n1 = 0, n2 = 0;
  CHECK_OK(ib_table_metadata_to_json(&a, &j1, &n1, &err), &err);
  if (j1 != NULL) CHECK_OK(ib_table_metadata_parse(j1, n1, &b, &err), &err);
  CHECK_EQ_INT(b.format_version, 2);
  CHECK_EQ_STR(b.table_uuid, a.table_uuid);
  CHECK_EQ_STR(b.location, a.location);
  CHECK_EQ_INT(b.n_schemas, a.n_schemas);
  CHECK_EQ_INT(b.n_snapshots, a.n_snapshots);
  CHECK_EQ_INT(b.current_snapshot_id, a.current_snapshot_id);
  CHECK_EQ_INT(b.last_column_id, a.last_column_id);
  CHECK_EQ_INT(b.last_partition_id, a.last_partition_id);
  for (size_t i = 0; i < a.n_schemas && i < b.n_schemas; i++)
    CHECK(ib_type_equal(&a.schemas[i].root, &b.schemas[i].root));
  CHECK_OK(ib_table_metadata_to_json(&b, &j2, &n2, &err), &err);
  if (j1 && j2) CHECK_EQ_STR(j1, j2);
  ice_free(j1);
  ice_free(j2);
  ib_table_metadata_reset(&a);
  ib_table_metadata_reset(&b);
}

/* clang-format off */
#define ATHENA_METADATA \
  "iceberg-tables/athena/example/metadata/00001-aaf0d033-d06b-43c7-be60-67f83abd4aca.metadata.json"
/* clang-format on */

static void test_valid_fixtures(void) {
  static const char *valid[] = {
      "iceberg-metadata/table_metadata/TableMetadataV1Valid.json",
      "iceberg-metadata/table_metadata/TableMetadataV2Valid.json",
      "iceberg-metadata/table_metadata/TableMetadataV2ValidMinimal.json",
      "iceberg-metadata/table_metadata/TableMetadataV1Compat.json",
      "iceberg-metadata/example_table_metadata_v2.json",
      "iceberg-metadata/example_empty_table_metadata_v2.json",
      "iceberg-metadata/example_table_metadata_v2_deep_history.json",
      "iceberg-metadata/example_table_metadata_v2_partition_evolution.json",
      "iceberg-tables/java/bunnies/metadata/v5.metadata.json",
      "iceberg-tables/spark/bunnies/metadata/v5.metadata.json",
      "iceberg-tables/spark/rename_column/metadata/v3.metadata.json",
      ATHENA_METADATA,
  };
  for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
    struct ib_table_metadata md;
    struct ice_error err;
    ib_table_metadata_init(&md);
    int rc = parse_fixture(valid[i], &md, &err);
    if (rc != ICE_OK) fprintf(stderr, "  %s: %s\n", valid[i], err.message);
    CHECK_EQ_INT(rc, ICE_OK);
    ib_table_metadata_reset(&md);
    round_trip(valid[i]);
  }
}

static void test_invalid_fixtures(void) {
  static const struct {
    const char *file;
    int code;
    const char *needle;
  } bad[] = {
      {"TableMetadataV2MissingSortOrder.json", ICE_ECORRUPT, "sort-orders"},
      {"TableMetadataUnsupportedVersion.json", ICE_EUNSUPPORTED, "format-version"},
      {"TableMetadataV2CurrentSchemaNotFound.json", ICE_ECORRUPT, "current-schema-id 2"},
      {"TableMetadataV2MissingPartitionSpecs.json", ICE_ECORRUPT, "partition-specs"},
      {"TableMetadataV2MissingSchemas.json", ICE_ECORRUPT, "schemas"},
      {"TableMetadataV2MissingLastPartitionId.json", ICE_ECORRUPT, "last-partition-id"},
      {"TableMetadataV1NoValidSchema.json", ICE_ECORRUPT, "current-schema-id"},
      {"TableMetadataV1SchemasWithoutCurrentId.json", ICE_ECORRUPT, "current-schema-id"},
      {"TableMetadataV1PartitionSpecsWithoutDefaultId.json", ICE_ECORRUPT,
       "default-spec-id"},
      {"TableMetadataV3ValidMinimal.json", ICE_EUNSUPPORTED, "format-version 3"},
      {"TableMetadataV3ValidEncryption.json", ICE_EUNSUPPORTED, "format-version 3"},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char rel[256];
    snprintf(rel, sizeof(rel), "iceberg-metadata/table_metadata/%s", bad[i].file);
    struct ib_table_metadata md;
    struct ice_error err;
    ib_table_metadata_init(&md);
    memset(&err, 0, sizeof(err));
    int rc = parse_fixture(rel, &md, &err);
    if (rc != bad[i].code || strstr(err.message, bad[i].needle) == NULL)
      fprintf(stderr, "  %s: rc=%d msg=%s\n", bad[i].file, rc, err.message);
    CHECK_EQ_INT(rc, bad[i].code);
    CHECK(strstr(err.message, bad[i].needle) != NULL);
    ib_table_metadata_reset(&md);
  }
}

static void test_v1_defaults(void) {
  struct ib_table_metadata md;
  struct ice_error err;
  ib_table_metadata_init(&md);
  CHECK_OK(parse_fixture("iceberg-metadata/table_metadata/TableMetadataV1Valid.json", &md,
                         &err),
           &err);
  CHECK_EQ_INT(md.format_version, 1);
  CHECK_EQ_INT(md.last_sequence_number, 0);
  CHECK_EQ_INT(md.n_schemas, 1);
  CHECK_EQ_INT(md.n_specs, 1);
  CHECK_EQ_INT(md.specs[0].n_fields, 1);
  CHECK_EQ_INT(md.specs[0].fields[0].field_id, 1000);
  CHECK_EQ_INT(md.last_partition_id, 1000);
  CHECK_EQ_INT(md.n_sort_orders, 1);
  CHECK_EQ_INT(md.default_sort_order_id, 0);
  CHECK(!md.has_current_snapshot);
  ib_table_metadata_reset(&md);
}

static void test_unknown_fields_preserved(void) {
  struct ib_table_metadata md;
  struct ice_error err;
  ib_table_metadata_init(&md);
  CHECK_OK(parse_fixture("iceberg-metadata/table_metadata/TableMetadataV1Compat.json",
                         &md, &err),
           &err);
  char *out = NULL;
  size_t n = 0;
  CHECK_OK(ib_table_metadata_to_json(&md, &out, &n, &err), &err);
  json_t *j = out ? json_loadb(out, n, 0, NULL) : NULL;
  CHECK(j != NULL);
  /* Unknown key kept, v1-only keys dropped, refs kept. */
  CHECK(json_object_get(j, "partition-statistics-files") != NULL);
  CHECK(json_object_get(j, "statistics-files") != NULL);
  CHECK(json_object_get(j, "schema") == NULL);
  CHECK(json_is_object(json_object_get(json_object_get(j, "refs"), "main")));
  CHECK_EQ_INT(json_integer_value(json_object_get(j, "format-version")), 2);
  json_decref(j);
  ice_free(out);
  ib_table_metadata_reset(&md);
}

static void make_schema(struct ib_schema *s) {
  struct ice_error err;
  ib_schema_init(s, 0);
  CHECK_OK(ib_type_alloc_fields(&s->root, 2, &err), &err);
  CHECK_OK(ib_field_init(&s->root.fields[0], 1, "id", true, NULL, &err), &err);
  s->root.fields[0].type.id = IB_TYPE_LONG;
  CHECK_OK(ib_field_init(&s->root.fields[1], 2, "v", false, "a value", &err), &err);
  s->root.fields[1].type.id = IB_TYPE_STRING;
}

static void test_new_table_and_snapshots(void) {
  struct ib_schema schema;
  make_schema(&schema);
  struct ib_str_map props;
  ib_str_map_init(&props);
  struct ice_error err;
  CHECK_OK(ib_str_map_set(&props, "write.metadata.previous-versions-max", "2", &err),
           &err);
  CHECK_OK(ib_str_map_set(&props, "format-version", "2", &err), &err);
  struct ib_table_metadata md, re;
  ib_table_metadata_init(&md);
  ib_table_metadata_init(&re);
  CHECK_OK(tb_new_table("file:/wh/db/t/", &schema, &props, 1700000000000, &md, &err),
           &err);
  CHECK_EQ_STR(md.location, "file:/wh/db/t");
  CHECK_EQ_INT(md.last_column_id, 2);
  CHECK_EQ_INT(md.last_partition_id, 999);
  CHECK(ib_str_map_get(&md.properties, "format-version") == NULL);
  CHECK_EQ_STR(ib_str_map_get(&md.properties, "write.parquet.compression-codec"), "zstd");
  char *out = NULL;
  size_t n = 0;
  CHECK_OK(ib_table_metadata_to_json(&md, &out, &n, &err), &err);
  if (out) CHECK_OK(ib_table_metadata_parse(out, n, &re, &err), &err);
  CHECK_EQ_STR(re.table_uuid, md.table_uuid);
  CHECK(!re.has_current_snapshot);
  ice_free(out);

  /* Three commits; previous-versions-max = 2 keeps the two newest log entries. */
  int64_t first_id = 0;
  for (int k = 0; k < 3; k++) {
    char prev[128];
    snprintf(prev, sizeof(prev), "file:/wh/db/t/metadata/%05d-x.metadata.json", k);
    struct ib_str_map sum;
    ib_str_map_init(&sum);
    CHECK_OK(ib_str_map_set(&sum, "operation", "append", &err), &err);
    struct ib_snapshot_add add;
    CHECK_OK(ib_table_metadata_new_snapshot_id(&md, &add.snapshot_id, &err), &err);
    CHECK(add.snapshot_id > 0);
    if (k == 0) first_id = add.snapshot_id;
    add.sequence_number = ib_table_metadata_next_sequence_number(&md);
    CHECK_EQ_INT(add.sequence_number, k + 1);
    add.timestamp_ms = 1700000001000 + k;
    add.manifest_list = "file:/wh/db/t/metadata/snap-1-1-u.avro";
    add.summary = &sum;
    CHECK_OK(tb_add_snapshot(&md, prev, &add, 1700000001000 + k, &err), &err);
    /* A stale sequence number is refused. */
    add.snapshot_id++;
    CHECK_EQ_INT(tb_add_snapshot(&md, prev, &add, 0, &err), ICE_EINVAL);
    ib_str_map_reset(&sum);
  }
  CHECK_EQ_INT(md.n_snapshots, 3);
  CHECK_EQ_INT(md.n_snapshot_log, 3);
  CHECK_EQ_INT(md.n_metadata_log, 2);
  CHECK_EQ_STR(md.metadata_log[1].metadata_file,
               "file:/wh/db/t/metadata/00002-x.metadata.json");
  CHECK_EQ_INT(md.last_sequence_number, 3);
  CHECK(!md.snapshots[0].has_parent);
  CHECK(md.snapshots[1].has_parent && md.snapshots[1].parent_snapshot_id == first_id);
  CHECK_OK(ib_table_metadata_to_json(&md, &out, &n, &err), &err);
  ib_table_metadata_reset(&re);
  if (out) CHECK_OK(ib_table_metadata_parse(out, n, &re, &err), &err);
  CHECK_EQ_INT(re.current_snapshot_id, md.current_snapshot_id);
  CHECK_EQ_INT(re.n_snapshots, 3);
  json_t *j = out ? json_loadb(out, n, 0, NULL) : NULL;
  json_t *main_ref = json_object_get(json_object_get(j, "refs"), "main");
  CHECK_EQ_INT(json_integer_value(json_object_get(main_ref, "snapshot-id")),
               md.current_snapshot_id);
  CHECK_EQ_STR(json_string_value(json_object_get(main_ref, "type")), "branch");
  json_decref(j);
  ice_free(out);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&re);
  ib_str_map_reset(&props);
  ib_schema_reset(&schema);
}

static void test_garbage_rejected(void) {
  static const char *docs[] = {
      "",
      "[]",
      "{\"format-version\": \"2\"}",
      "{\"format-version\": 0}",
      "{\"format-version\": 2, \"table-uuid\": \"nope\"}",
      "{\"format-version\": 1, \"location\": \"x\", \"last-updated-ms\": 1, "
      "\"last-column-id\": 1,"
      " \"schema\": {\"type\": \"struct\", \"fields\": [{\"id\": 1, \"name\": \"a\", "
      "\"required\": true, "
      "\"type\": \"decimal(40,2)\"}]}, \"partition-spec\": []}",
  };
  for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
    struct ib_table_metadata md;
    struct ice_error err;
    ib_table_metadata_init(&md);
    CHECK_EQ_INT(ib_table_metadata_parse(docs[i], strlen(docs[i]), &md, &err),
                 ICE_ECORRUPT);
    ib_table_metadata_reset(&md);
  }
}

/* Found by fuzzing: a snapshot without a summary must not be written with an empty
 * one (which would lack "operation" and fail to parse back). */
static void test_snapshot_without_summary_round_trips(void) {
  size_t n;
  char *s = slurp("iceberg-metadata/table_metadata/TableMetadataV2Valid.json", &n);
  CHECK(s != NULL);
  if (s == NULL) return;
  char *p = strstr(strstr(s, "\"snapshots\""), "\"summary\"");
  CHECK(p != NULL);
  if (p) memcpy(p + 1, "xummary", 7);
  struct ib_table_metadata md, re;
  struct ice_error err;
  ib_table_metadata_init(&md);
  ib_table_metadata_init(&re);
  CHECK_OK(ib_table_metadata_parse(s, n, &md, &err), &err);
  CHECK_EQ_INT(md.snapshots[0].summary.n, 0);
  char *out = NULL;
  size_t on = 0;
  CHECK_OK(ib_table_metadata_to_json(&md, &out, &on, &err), &err);
  if (out) CHECK_OK(ib_table_metadata_parse(out, on, &re, &err), &err);
  ice_free(out);
  ice_free(s);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&re);
}

static void test_duplicate_snapshot_ids_rejected(void) {
  size_t n;
  char *s = slurp("iceberg-metadata/table_metadata/TableMetadataV2Valid.json", &n);
  CHECK(s != NULL);
  if (s == NULL) return;
  /* The fixture's snapshots are 3051729675574597004 and 3055729675574597004. */
  char *p = strstr(s, "\"snapshot-id\": 3055729675574597004,\n      \"parent");
  CHECK(p != NULL);
  if (p) memcpy(p + 15, "3051", 4); /* after `"snapshot-id": ` */
  struct ib_table_metadata md;
  struct ice_error err;
  ib_table_metadata_init(&md);
  CHECK_EQ_INT(ib_table_metadata_parse(s, n, &md, &err), ICE_ECORRUPT);
  if (strstr(err.message, "duplicate snapshot-id 3051729675574597004") == NULL)
    fprintf(stderr, "  message: %s\n", err.message);
  CHECK(strstr(err.message, "duplicate snapshot-id 3051729675574597004") != NULL);
  ib_table_metadata_reset(&md);
  ice_free(s);
}

static void test_gzip_metadata_reads(void) {
  size_t n;
  char *s = slurp("iceberg-metadata/table_metadata/TableMetadataV2Valid.json", &n);
  CHECK(s != NULL);
  if (s == NULL) return;
  struct codec_ctx cc;
  struct ice_buf gz;
  struct ice_error err;
  codec_ctx_init(&cc);
  ice_buf_init(&gz, 1u << 20);
  CHECK_OK(codec_compress(&cc, CODEC_GZIP, 0, (const uint8_t *)s, n, &gz, &err), &err);
  codec_ctx_reset(&cc);
  struct ice_input *in = NULL;
  CHECK_OK(io_memory_open_read(gz.data, gz.len, "v1.gz.metadata.json", &in, &err), &err);
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  if (in) CHECK_OK(ib_table_metadata_read(in, &md, &err), &err);
  CHECK_EQ_STR(md.table_uuid, "9c12d441-03fe-4693-9a96-a0705ddf69c1");
  ib_table_metadata_reset(&md);
  ice_input_close(in);
  /* truncated gzip is corrupt, not a crash */
  CHECK_OK(io_memory_open_read(gz.data, gz.len / 2, "cut.gz.metadata.json", &in, &err),
           &err);
  if (in) CHECK_EQ_INT(ib_table_metadata_read(in, &md, &err), ICE_ECORRUPT);
  ice_input_close(in);
  ice_buf_reset(&gz);
  ice_free(s);
}

static void test_locations(void) {
  struct ice_error err;
  char *s = NULL;
  CHECK_OK(ib_location_metadata_file("file:/wh/t/", 1, "abc", &s, &err), &err);
  CHECK_EQ_STR(s, "file:/wh/t/metadata/00001-abc.metadata.json");
  CHECK_EQ_INT(ib_location_metadata_version(s), 1);
  ice_free(s);
  CHECK_EQ_INT(ib_location_metadata_version("s3://b/t/metadata/v12.metadata.json"), 12);
  CHECK_EQ_INT(ib_location_metadata_version("s3://b/t/metadata/foo.json"), -1);
  CHECK_OK(ib_location_manifest("s3://b/t", "u", 0, &s, &err), &err);
  CHECK_EQ_STR(s, "s3://b/t/metadata/u-m0.avro");
  ice_free(s);
  CHECK_OK(ib_location_manifest_list("s3://b/t", 42, 1, "u", &s, &err), &err);
  CHECK_EQ_STR(s, "s3://b/t/metadata/snap-42-1-u.avro");
  ice_free(s);
  CHECK_OK(ib_location_data_file("file:/wh/t", "00000-0-u.parquet", &s, &err), &err);
  CHECK_EQ_STR(s, "file:/wh/t/data/00000-0-u.parquet");
  ice_free(s);
  /* Literal, as pyiceberg and Hadoop read it: escapes are not decoded. */
  CHECK_OK(ib_location_to_local_path("file:///tmp/a%20b/%2e%2e", &s, &err), &err);
  CHECK_EQ_STR(s, "/tmp/a%20b/%2e%2e");
  ice_free(s);
  CHECK_OK(ib_location_to_normalized_path("file:/wh//t/./x/../y/", &s, &err), &err);
  CHECK_EQ_STR(s, "/wh/t/y");
  ice_free(s);
  CHECK_OK(ib_location_to_normalized_path("file:/wh/../../etc", &s, &err), &err);
  CHECK_EQ_STR(s, "/etc");
  ice_free(s);
  CHECK_EQ_INT(ib_location_from_local_path("/wh/a#b", &s, &err), ICE_EINVAL);
  CHECK_EQ_INT(ib_location_from_local_path("/wh/a?b", &s, &err), ICE_EINVAL);
  CHECK_EQ_INT(ib_location_from_local_path("/wh/a\tb", &s, &err), ICE_EINVAL);
  CHECK_OK(ib_location_from_local_path("/wh/x%41y", &s, &err), &err);
  CHECK_EQ_STR(s, "file:/wh/x%41y");
  ice_free(s);
  CHECK_OK(ib_location_to_local_path("file:/tmp/x", &s, &err), &err);
  CHECK_EQ_STR(s, "/tmp/x");
  ice_free(s);
  CHECK_EQ_INT(ib_location_to_local_path("s3://b/x", &s, &err), ICE_EUNSUPPORTED);
  CHECK_EQ_INT(ib_location_to_local_path("file://host/x", &s, &err), ICE_EINVAL);
  CHECK_OK(ib_location_from_local_path("/abs/p", &s, &err), &err);
  CHECK_EQ_STR(s, "file:/abs/p");
  ice_free(s);
  char u[IB_UUID_STR_LEN];
  uint8_t b[16];
  CHECK_OK(ib_uuid4(u, &err), &err);
  CHECK_EQ_INT(strlen(u), 36);
  CHECK(u[14] == '4');
  CHECK_OK(ib_uuid_parse(u, b, &err), &err);
  CHECK_EQ_INT(ib_uuid_parse("f79c3e09-677c-4bbd-a479-3f349cb785e", b, &err),
               ICE_ECORRUPT);
}

int main(void) {
  ICE_RUN(test_valid_fixtures);
  ICE_RUN(test_invalid_fixtures);
  ICE_RUN(test_v1_defaults);
  ICE_RUN(test_unknown_fields_preserved);
  ICE_RUN(test_new_table_and_snapshots);
  ICE_RUN(test_garbage_rejected);
  ICE_RUN(test_snapshot_without_summary_round_trips);
  ICE_RUN(test_duplicate_snapshot_ids_rejected);
  ICE_RUN(test_gzip_metadata_reads);
  ICE_RUN(test_locations);
  ICE_TEST_EXIT();
}
