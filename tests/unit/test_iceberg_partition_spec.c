/* SPDX-License-Identifier: Apache-2.0 */
/* Partition specs written as text (ib_partition_spec_parse): every transform, Java's
 * default names, nested and quoted columns, field ids for a new table and after an
 * existing table's last-partition-id (with reuse of equal fields), and each error
 * naming the field at fault. */
#include <stdio.h>
#include <string.h>

#include "harness/ice_test.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_table_metadata.h"
#include "util/alloc.h"
#include "util/limits.h"

/* id long, name string, ts timestamptz, d date, price decimal(10,2), ok boolean,
 * loc struct<city string, zip int>, tags list<string>, "my col" string, t time,
 * bin binary, x double. */
#define SCHEMA_JSON                                                                  \
  "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["                                \
  "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"                  \
  "{\"id\":2,\"name\":\"name\",\"required\":false,\"type\":\"string\"},"             \
  "{\"id\":3,\"name\":\"ts\",\"required\":false,\"type\":\"timestamptz\"},"          \
  "{\"id\":4,\"name\":\"d\",\"required\":false,\"type\":\"date\"},"                  \
  "{\"id\":5,\"name\":\"price\",\"required\":false,\"type\":\"decimal(10, 2)\"},"    \
  "{\"id\":6,\"name\":\"ok\",\"required\":false,\"type\":\"boolean\"},"              \
  "{\"id\":7,\"name\":\"loc\",\"required\":false,\"type\":{\"type\":\"struct\","     \
  "\"fields\":[{\"id\":8,\"name\":\"city\",\"required\":false,\"type\":\"string\"}," \
  "{\"id\":9,\"name\":\"zip\",\"required\":false,\"type\":\"int\"}]}},"              \
  "{\"id\":10,\"name\":\"tags\",\"required\":false,\"type\":{\"type\":\"list\","     \
  "\"element-id\":11,\"element-required\":false,\"element\":\"string\"}},"           \
  "{\"id\":12,\"name\":\"my col\",\"required\":false,\"type\":\"string\"},"          \
  "{\"id\":13,\"name\":\"t\",\"required\":false,\"type\":\"time\"},"                 \
  "{\"id\":14,\"name\":\"bin\",\"required\":false,\"type\":\"binary\"},"             \
  "{\"id\":15,\"name\":\"x\",\"required\":false,\"type\":\"double\"}]}"

static struct ib_schema g_schema;

/* "name:transform:source:field-id" per field, ';'-separated. */
static void render(const struct ib_partition_spec *s, char *buf, size_t cap) {
  size_t pos = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < s->n_fields && pos < cap; i++) {
    const struct ib_partition_field *f = &s->fields[i];
    pos += (size_t)snprintf(buf + pos, cap - pos, "%s%s:%s:%d:%d", i ? ";" : "", f->name,
                            f->transform, (int)f->source_id, (int)f->field_id);
  }
}

static void check_spec(const char *text, const struct ib_table_metadata *base,
                       const char *want) {
  struct ib_partition_spec s;
  struct ice_error err;
  char got[1024];
  memset(&s, 0, sizeof(s));
  int rc = ib_partition_spec_parse(text, &g_schema, base, &s, &err);
  CHECK_OK(rc, &err);
  if (rc != ICE_OK) return;
  render(&s, got, sizeof(got));
  CHECK_EQ_STR(got, want);
  CHECK_EQ_INT(s.spec_id, 0);
  ib_partition_spec_reset(&s);
}

/* The parse fails with code, and the message contains both fragments. */
static void check_error(const char *text, int code, const char *frag1,
                        const char *frag2) {
  struct ib_partition_spec s;
  struct ice_error err;
  memset(&s, 0, sizeof(s));
  ice_error_clear(&err);
  CHECK_EQ_INT(ib_partition_spec_parse(text, &g_schema, NULL, &s, &err), code);
  if (strstr(err.message, frag1) == NULL || strstr(err.message, frag2) == NULL) {
    fprintf(stderr, "  spec \"%s\": message \"%s\" lacks \"%s\" or \"%s\"\n", text,
            err.message, frag1, frag2);
    CHECK(0);
  }
  CHECK(s.fields == NULL);
}

static void test_default_names(void) {
  check_spec("identity(name), bucket(16, id), truncate(4, name), year(ts), void(ok)",
             NULL,
             "name:identity:2:1000;id_bucket:bucket[16]:1:1001;"
             "name_trunc:truncate[4]:2:1002;ts_year:year:3:1003;ok_null:void:6:1004");
  check_spec("month(d)", NULL, "d_month:month:4:1000");
  check_spec("day(ts)", NULL, "ts_day:day:3:1000");
  check_spec("hour(ts)", NULL, "ts_hour:hour:3:1000");
  check_spec("name", NULL, "name:identity:2:1000");
  check_spec("truncate(10, price), bucket(8, bin), identity(t)", NULL,
             "price_trunc:truncate[10]:5:1000;bin_bucket:bucket[8]:14:1001;"
             "t:identity:13:1002");
}

static void test_names_case_spacing_and_quoting(void) {
  check_spec("  DAY( ts )  AS  event_day ,BUCKET(4,id) as b  ", NULL,
             "event_day:day:3:1000;b:bucket[4]:1:1001");
  check_spec("days(d), hours(ts) AS h", NULL, "d_day:day:4:1000;h:hour:3:1001");
  check_spec("years(d), months(ts)", NULL, "d_year:year:4:1000;ts_month:month:3:1001");
  check_spec("`my col`", NULL, "my col:identity:12:1000");
  check_spec("bucket(2, `my col`) AS `b``q x`", NULL, "b`q x:bucket[2]:12:1000");
  check_spec("", NULL, "");
  check_spec("   ", NULL, "");
}

static void test_nested_source(void) {
  check_spec("loc.city, bucket(4, loc.zip), truncate(2, loc . city) AS c2", NULL,
             "loc.city:identity:8:1000;loc.zip_bucket:bucket[4]:9:1001;"
             "c2:truncate[2]:8:1002");
  check_spec("`loc`.`zip`", NULL, "loc.zip:identity:9:1000");
}

/* A base table with spec 0 = [id_bucket bucket[16] 1 -> 1000, ts_day day 3 -> 1001]
 * and last-partition-id 1001. */
static void base_metadata(struct ib_table_metadata *md) {
  ib_table_metadata_init(md);
  md->specs = ice_calloc(1, sizeof(*md->specs));
  CHECK(md->specs != NULL);
  md->n_specs = 1;
  struct ib_partition_spec *s = &md->specs[0];
  s->fields = ice_calloc(2, sizeof(*s->fields));
  CHECK(s->fields != NULL);
  s->n_fields = 2;
  s->fields[0] = (struct ib_partition_field){1, 1000, ice_strdup("id_bucket"),
                                             ice_strdup("bucket[16]")};
  s->fields[1] =
      (struct ib_partition_field){3, 1001, ice_strdup("ts_day"), ice_strdup("day")};
  md->last_partition_id = 1001;
}

static void test_ids_after_last_partition_id_and_reuse(void) {
  struct ib_table_metadata md;
  base_metadata(&md);
  /* Equal fields keep their ids; a new one continues after last-partition-id. */
  check_spec("bucket(16, id), day(ts)", &md,
             "id_bucket:bucket[16]:1:1000;ts_day:day:3:1001");
  check_spec("day(ts), name", &md, "ts_day:day:3:1001;name:identity:2:1002");
  /* Another name or another parameter is another field. */
  check_spec("bucket(16, id) AS b, bucket(8, id)", &md,
             "b:bucket[16]:1:1002;id_bucket:bucket[8]:1:1003");
  check_spec("", &md, "");
  /* An unpartitioned table's last-partition-id is 999. */
  md.last_partition_id = 999;
  ib_partition_spec_reset(&md.specs[0]);
  check_spec("name", &md, "name:identity:2:1000");
  ib_table_metadata_reset(&md);
}

static void test_errors_name_the_field(void) {
  check_error("day(ts), bucket(16, nme)", ICE_EINVAL, "field 2 'bucket(16, nme)'",
              "no column 'nme'");
  check_error("loc.town", ICE_EINVAL, "'loc.town'", "no column 'loc.town'");
  check_error("day(name)", ICE_EINVAL, "'day(name)'", "string");
  check_error("hour(d)", ICE_EINVAL, "'hour(d)'", "date");
  check_error("bucket(4, ok)", ICE_EINVAL, "'bucket(4, ok)'", "boolean");
  check_error("truncate(3, x)", ICE_EINVAL, "'truncate(3, x)'", "double");
  check_error("bucket(0, id)", ICE_EINVAL, "'bucket(0, id)'", "1 to 2147483647");
  check_error("bucket(2147483648, id)", ICE_EINVAL, "bucket(2147483648", "1 to");
  check_error("bucket(id)", ICE_EINVAL, "'bucket(id)'", "number");
  check_error("bucket(4 id)", ICE_EINVAL, "'bucket(4 id)'", "expected ','");
  check_error("truncate(4, name", ICE_EINVAL, "'truncate(4, name'", "')'");
  check_error("week(ts)", ICE_EINVAL, "'week(ts)'", "unknown transform 'week'");
  check_error("loc", ICE_EINVAL, "'loc'", "struct");
  check_error("tags", ICE_EINVAL, "'tags'", "list");
  check_error("tags.element", ICE_EINVAL, "'tags.element'", "not inside a struct");
  check_error("id, name AS id", ICE_EINVAL, "field 2 'name AS id'", "'id' is a column");
  check_error("day(ts) AS a, bucket(4, id) AS a", ICE_EINVAL, "field 2", "used twice");
  check_error("day(ts), hour(ts)", ICE_EINVAL, "field 2 'hour(ts)'", "redundant");
  check_error("bucket(4, id), bucket(4, id) AS b", ICE_EINVAL, "field 2", "redundant");
  check_error("id,", ICE_EINVAL, "partition spec", "missing after ','");
  check_error(",id", ICE_EINVAL, "field 1", "unexpected ','");
  check_error("id name", ICE_EINVAL, "'id name'", "AS");
  check_error("id AS", ICE_EINVAL, "'id AS'", "missing");
  check_error("id AS a b", ICE_EINVAL, "'id AS a b'", "after the name");
  check_error("`name", ICE_EINVAL, "field 1", "unterminated");
  check_error("``", ICE_EINVAL, "field 1", "empty");
  check_error("loc.``", ICE_EINVAL, "field 1 'loc.``'", "empty `quoted` name");
  check_error("day()", ICE_EINVAL, "'day()'", "unexpected ')'");
}

static void test_field_limit(void) {
  /* ICE_LIMIT_PARTITION_FIELDS + 1 fields (names differ, sources repeat: the limit is
   * hit before the redundancy check would be, as fields are counted first). */
  static char text[64 * (ICE_LIMIT_PARTITION_FIELDS + 2)];
  size_t pos = 0;
  for (int i = 0; i <= ICE_LIMIT_PARTITION_FIELDS; i++)
    pos += (size_t)snprintf(text + pos, sizeof(text) - pos, "%sbucket(%d, id) AS b%d",
                            i ? "," : "", i + 1, i);
  struct ib_partition_spec s;
  struct ice_error err;
  memset(&s, 0, sizeof(s));
  CHECK_EQ_INT(ib_partition_spec_parse(text, &g_schema, NULL, &s, &err), ICE_ELIMIT);
  CHECK(strstr(err.message, "more than 1000 fields") != NULL);
}

int main(void) {
  struct ice_error err;
  ib_schema_init(&g_schema, 0);
  CHECK_OK(ib_schema_parse(SCHEMA_JSON, strlen(SCHEMA_JSON), &g_schema, &err), &err);
  ICE_RUN(test_default_names);
  ICE_RUN(test_names_case_spacing_and_quoting);
  ICE_RUN(test_nested_source);
  ICE_RUN(test_ids_after_last_partition_id_and_reuse);
  ICE_RUN(test_errors_name_the_field);
  ICE_RUN(test_field_limit);
  ib_schema_reset(&g_schema);
  ICE_TEST_EXIT();
}
