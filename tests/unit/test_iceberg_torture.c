/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation-failure torture for the iceberg module: fail the Nth allocation of a
 * metadata parse/write and of a schema/Arrow conversion for every N until the operation
 * succeeds. Each run must end in ICE_OK or ICE_ENOMEM, with no crash and (under ASan's
 * leak checker) no leak.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arrow/arrow_schema.h"
#include "harness/ice_test.h"
#include "iceberg/ib_arrow_schema.h"
#include "iceberg/ib_manifest.h"
#include "iceberg/ib_table_metadata.h"
#include "test_metadata_build.h"
#include "util/alloc.h"

static char *slurp(const char *rel, size_t *len) {
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", ice_test_data_dir(), rel);
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = ice_malloc((size_t)n + 1);
  if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    ice_free(buf);
    buf = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* One full cycle: parse, add a snapshot, serialize. */
static int cycle(const char *json, size_t n) {
  struct ib_table_metadata md;
  struct ice_error err;
  ib_table_metadata_init(&md);
  int rc = ib_table_metadata_parse(json, n, &md, &err);
  struct ib_str_map sum;
  ib_str_map_init(&sum);
  if (rc == ICE_OK) rc = ib_str_map_set(&sum, "operation", "append", &err);
  if (rc == ICE_OK) {
    struct ib_snapshot_add add = {123456789, ib_table_metadata_next_sequence_number(&md),
                                  1700000000000, "file:/x/metadata/snap.avro", &sum};
    rc = tb_add_snapshot(&md, "file:/x/metadata/00001-a.metadata.json", &add,
                         1700000000000, &err);
  }
  char *out = NULL;
  if (rc == ICE_OK) rc = ib_table_metadata_to_json(&md, &out, NULL, &err);
  ice_free(out);
  ib_str_map_reset(&sum);
  ib_table_metadata_reset(&md);
  return rc;
}

static void test_metadata_under_allocation_failure(void) {
  size_t n;
  char *json = slurp("iceberg-metadata/table_metadata/TableMetadataV2Valid.json", &n);
  CHECK(json != NULL);
  if (json == NULL) return;
  int rc = ICE_ENOMEM;
  long k;
  for (k = 1; k < 5000 && rc != ICE_OK; k++) {
    ice_alloc_fail_after(k);
    rc = cycle(json, n);
    ice_alloc_fail_after(0);
    if (rc != ICE_OK && rc != ICE_ENOMEM) {
      fprintf(stderr, "  allocation %ld: rc %d\n", k, rc);
      CHECK(0);
      break;
    }
  }
  CHECK_EQ_INT(rc, ICE_OK);
  CHECK(k > 10);
  ice_free(json);
}

static int arrow_cycle(void) {
  struct ice_error err;
  struct ArrowSchema in, out;
  int rc = arrow_schema_init(&in, "+s", "", 0, 2, &err);
  if (rc != ICE_OK) return rc;
  rc = arrow_schema_init(in.children[0], "l", "id", 0, 0, &err);
  if (rc == ICE_OK)
    rc = arrow_schema_init(in.children[1], "+l", "xs", ARROW_FLAG_NULLABLE, 1, &err);
  if (rc == ICE_OK)
    rc = arrow_schema_init(in.children[1]->children[0], "u", "item", ARROW_FLAG_NULLABLE,
                           0, &err);
  struct ib_schema s;
  bool have_s = false;
  if (rc == ICE_OK) {
    rc = ib_schema_from_arrow(&in, NULL, &s, &err);
    have_s = rc == ICE_OK;
  }
  if (rc == ICE_OK) {
    rc = ib_schema_to_arrow(&s, &out, &err);
    if (rc == ICE_OK) arrow_schema_release(&out);
  }
  if (have_s) ib_schema_reset(&s);
  arrow_schema_release(&in);
  return rc;
}

static void test_arrow_under_allocation_failure(void) {
  int rc = ICE_ENOMEM;
  for (long k = 1; k < 2000 && rc != ICE_OK; k++) {
    ice_alloc_fail_after(k);
    rc = arrow_cycle();
    ice_alloc_fail_after(0);
    if (rc != ICE_OK && rc != ICE_ENOMEM) {
      fprintf(stderr, "  allocation %ld: rc %d\n", k, rc);
      CHECK(0);
      break;
    }
  }
  CHECK_EQ_INT(rc, ICE_OK);
}

/* Writes a one-file manifest to path, then reads it back. */
static int manifest_cycle(const char *path) {
  struct ice_error err;
  struct ib_schema schema;
  ib_schema_init(&schema, 0);
  int rc = ib_type_alloc_fields(&schema.root, 1, &err);
  if (rc == ICE_OK) rc = ib_field_init(&schema.root.fields[0], 1, "id", true, NULL, &err);
  schema.root.fields ? (void)(schema.root.fields[0].type.id = IB_TYPE_LONG) : (void)0;
  struct ib_partition_spec spec = {0, NULL, 0};
  struct ice_output *out = NULL;
  struct ib_manifest_writer *w = NULL;
  struct ib_manifest_file mf;
  ib_manifest_file_init(&mf);
  struct ib_data_file f;
  ib_data_file_init(&f);
  if (rc == ICE_OK) rc = ib_data_file_set_path(&f, "file:/t/data/a.parquet", &err);
  if (rc == ICE_OK) rc = ib_metric_counts_put(&f.value_counts, 1, 10, &err);
  uint8_t b[8] = {1};
  if (rc == ICE_OK) rc = ib_metric_bounds_put(&f.lower_bounds, 1, b, 8, &err);
  f.record_count = 10;
  f.file_size_in_bytes = 100;
  if (rc == ICE_OK) rc = io_local_create(path, &out, &err);
  if (rc == ICE_OK)
    rc = ib_manifest_writer_new(out, path, &schema, &spec, IB_MANIFEST_DATA, 9, "deflate",
                                &w, &err);
  if (rc == ICE_OK) rc = ib_manifest_writer_add(w, &f, &err);
  if (rc == ICE_OK) rc = ib_manifest_writer_finish(w, &mf, &err);
  /* An unfinished writer aborts the output itself; without one the caller does. */
  if (w == NULL && out != NULL) ice_output_abort(out);
  ib_manifest_writer_free(w);
  ice_output_close(out);
  struct ice_input *in = NULL;
  struct ib_manifest_reader *r = NULL;
  if (rc == ICE_OK) rc = io_local_open_read(path, &in, &err);
  if (rc == ICE_OK) rc = ib_manifest_reader_open(in, &mf, &r, &err);
  struct ib_manifest_entry e;
  ib_manifest_entry_init(&e);
  bool eof = false;
  if (rc == ICE_OK) rc = ib_manifest_reader_next(r, &e, &eof, &err);
  if (rc == ICE_OK && (eof || e.file.record_count != 10)) rc = ICE_EINTERNAL;
  ib_manifest_entry_reset(&e);
  ib_manifest_reader_free(r);
  ice_input_close(in);
  remove(path);
  ib_data_file_reset(&f);
  ib_manifest_file_reset(&mf);
  ib_schema_reset(&schema);
  return rc;
}

static void test_manifest_under_allocation_failure(void) {
  char path[256];
  snprintf(path, sizeof(path), "/tmp/ice-iceberg-torture-%ld.avro", (long)getpid());
  int rc = ICE_ENOMEM;
  long k;
  for (k = 1; k < 5000 && rc != ICE_OK; k++) {
    ice_alloc_fail_after(k);
    rc = manifest_cycle(path);
    ice_alloc_fail_after(0);
    if (rc != ICE_OK && rc != ICE_ENOMEM) {
      fprintf(stderr, "  allocation %ld: rc %d\n", k, rc);
      CHECK(0);
      break;
    }
  }
  CHECK_EQ_INT(rc, ICE_OK);
  CHECK(k > 10);
}

int main(void) {
  ICE_RUN(test_manifest_under_allocation_failure);
  ICE_RUN(test_metadata_under_allocation_failure);
  ICE_RUN(test_arrow_under_allocation_failure);
  ICE_TEST_EXIT();
}
