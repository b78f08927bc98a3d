/* SPDX-License-Identifier: Apache-2.0 */
/* Impossible metadata values: refused on read (ICE_ECORRUPT naming the field), or, where
 * readers must tolerate them, refused before a write. */
#include <stdio.h>
#include <string.h>

#include "harness/ice_test.h"
#include "iceberg/ib_table_metadata.h"

/* A valid v2 table: schema 0 with field ids 1 and 2, one unpartitioned spec, one
 * snapshot. The %s slots are, in order: last-sequence-number, last-updated-ms,
 * last-column-id, a second schema (or ""), last-partition-id, a spec field (or ""),
 * the snapshot's timestamp-ms and its sequence-number. */
#define TEMPLATE \
    "{\"format-version\": 2, \"table-uuid\": \"9c12d441-03fe-4693-9a96-a0705ddf69c1\"," \
    " \"location\": \"file:/tmp/t\", \"last-sequence-number\": %s," \
    " \"last-updated-ms\": %s, \"last-column-id\": %s, \"current-schema-id\": 0," \
    " \"schemas\": [{\"type\": \"struct\", \"schema-id\": 0, \"fields\": [" \
    "{\"id\": 1, \"name\": \"a\", \"required\": true, \"type\": \"long\"}," \
    "{\"id\": 2, \"name\": \"b\", \"required\": false, \"type\": \"string\"}]}%s]," \
    " \"default-spec-id\": 0, \"partition-specs\": [{\"spec-id\": 0, \"fields\": [%s]}]," \
    " \"last-partition-id\": %s, \"default-sort-order-id\": 0," \
    " \"sort-orders\": [{\"order-id\": 0, \"fields\": []}], \"properties\": {}," \
    " \"current-snapshot-id\": 7, \"snapshots\": [{\"snapshot-id\": 7," \
    " \"timestamp-ms\": %s, \"sequence-number\": %s," \
    " \"summary\": {\"operation\": \"append\"}, \"manifest-list\": \"file:/tmp/t/m.avro\"," \
    " \"schema-id\": 0}]}"

struct doc {
  const char *last_seq, *updated_ms, *last_col, *schema2, *spec_field, *last_part,
      *snap_ts, *snap_seq;
};

static const struct doc VALID = {"1", "1700000000000", "2", "", "", "999",
                                 "1700000000000", "1"};

static int parse(struct doc d, struct ib_table_metadata *md, struct ice_error *err) {
  char buf[4096];
  int n = snprintf(buf, sizeof buf, TEMPLATE, d.last_seq, d.updated_ms, d.last_col,
                   d.schema2, d.spec_field, d.last_part, d.snap_ts, d.snap_seq);
  CHECK(n > 0 && (size_t)n < sizeof buf);
  return ib_table_metadata_parse(buf, (size_t)n, md, err);
}

/* Parse fails with ICE_ECORRUPT and a message containing want. */
static void expect_corrupt_on_read(struct doc d, const char *want) {
  struct ib_table_metadata md;
  struct ice_error err;
  ib_table_metadata_init(&md);
  CHECK_EQ_INT(parse(d, &md, &err), ICE_ECORRUPT);
  if (strstr(err.message, want) == NULL) fprintf(stderr, "  message: %s\n", err.message);
  CHECK(strstr(err.message, want) != NULL);
  ib_table_metadata_reset(&md);
}

/* Parse succeeds (readers tolerate it) but a write is refused naming want. */
static void expect_read_only(struct doc d, const char *want) {
  struct ib_table_metadata md;
  struct ice_error err;
  ib_table_metadata_init(&md);
  CHECK_OK(parse(d, &md, &err), &err);
  CHECK_EQ_INT(ib_table_metadata_check_writable(&md, &err), ICE_ECORRUPT);
  if (strstr(err.message, want) == NULL) fprintf(stderr, "  message: %s\n", err.message);
  CHECK(strstr(err.message, want) != NULL);
  ib_table_metadata_reset(&md);
}

static void test_valid_is_writable(void) {
  struct ib_table_metadata md;
  struct ice_error err;
  ib_table_metadata_init(&md);
  CHECK_OK(parse(VALID, &md, &err), &err);
  CHECK_OK(ib_table_metadata_check_writable(&md, &err), &err);
  ib_table_metadata_reset(&md);
}

static void test_refused_on_read(void) {
  struct doc d = VALID;
  d.last_seq = "-1";
  expect_corrupt_on_read(d, "last-sequence-number");
  d = VALID;
  d.last_seq = "9223372036854775808"; /* one above INT64_MAX: not a 64-bit integer */
  expect_corrupt_on_read(d, "table metadata");
  d = VALID;
  d.snap_seq = "-3";
  expect_corrupt_on_read(d, "sequence-number");
  d = VALID;
  d.snap_seq = "2"; /* above last-sequence-number 1 */
  expect_corrupt_on_read(d, "above last-sequence-number");
  d = VALID;
  d.last_col = "-1";
  expect_corrupt_on_read(d, "negative last-column-id");
  d = VALID;
  d.last_part = "-5";
  expect_corrupt_on_read(d, "negative last-partition-id");
  d = VALID;
  d.updated_ms = "-1";
  expect_corrupt_on_read(d, "negative last-updated-ms");
  d = VALID;
  d.snap_ts = "-1";
  expect_corrupt_on_read(d, "snapshot 7: negative timestamp-ms");
  d = VALID;
  d.last_col = "2147483648"; /* does not fit the 32-bit id */
  expect_corrupt_on_read(d, "last-column-id");
}

static void test_refused_before_a_write(void) {
  struct doc d = VALID;
  d.last_col = "1"; /* field 2 exists */
  expect_read_only(d, "last-column-id 1 is below field id 2 of schema 0");
  d = VALID;
  d.schema2 = ", {\"type\": \"struct\", \"schema-id\": 1, \"fields\": ["
              "{\"id\": 9, \"name\": \"c\", \"required\": false, \"type\": \"int\"}]}";
  expect_read_only(d, "below field id 9 of schema 1"); /* an old schema counts too */
  d = VALID;
  d.spec_field = "{\"source-id\": 1, \"field-id\": 1003, \"name\": \"a_b\","
                 " \"transform\": \"bucket[4]\"}";
  d.last_part = "1000";
  expect_read_only(d, "last-partition-id 1000 is below partition field id 1003");
  d = VALID;
  d.last_seq = "9223372036854775807";
  expect_read_only(d, "last-sequence-number 9223372036854775807 cannot be advanced");
}

int main(void) {
  ICE_RUN(test_valid_is_writable);
  ICE_RUN(test_refused_on_read);
  ICE_RUN(test_refused_before_a_write);
  ICE_TEST_EXIT();
}
