/* SPDX-License-Identifier: Apache-2.0 */
/*
 * v1 manifests and manifest lists, written with the exact v1 Avro schemas pyiceberg's
 * fixtures carry (tests/data/iceberg-metadata/avro_schema_*.json, as Java writes them):
 * old *_data_files_count names, no content or sequence numbers, null snapshot ids to
 * inherit, block_size_in_bytes. The readers must apply the v1 defaults (§1.4, §3.7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "avro/avro.h"
#include "harness/ice_test.h"
#include "iceberg/ib_manifest.h"
#include "util/alloc.h"

static char g_tmp[256];

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
  if (buf) buf[n] = '\0';
  *len = (size_t)n;
  return buf;
}

/* Opens an OCF writer on path with the fixture schema; *schema must be freed after. */
static struct avro_ocf_writer *open_writer(const char *schema_rel, const char *path,
                                           const char *const *meta,
                                           struct avro_schema **schema,
                                           struct ice_output **out) {
  struct ice_error err;
  size_t n;
  char *js = slurp(schema_rel, &n);
  CHECK(js != NULL);
  if (js == NULL) return NULL;
  CHECK_OK(avro_schema_parse(js, n, schema, &err), &err);
  ice_free(js);
  CHECK_OK(io_local_create(path, out, &err), &err);
  struct avro_ocf_writer *w = NULL;
  if (*schema && *out)
    CHECK_OK(avro_ocf_writer_new(*out, *schema, meta, NULL, &w, &err), &err);
  return w;
}

static void finish(struct avro_ocf_writer *w, struct avro_schema *s,
                   struct ice_output *out) {
  struct ice_error err;
  if (w) CHECK_OK(avro_ocf_writer_finish(w, &err), &err);
  if (out) CHECK_OK(ice_output_finish(out, &err), &err);
  avro_ocf_writer_free(w);
  ice_output_close(out);
  avro_schema_free(s);
}

/* One v1 manifest_entry in the fixture's field order. */
static void put_entry(struct avro_ocf_writer *w, int status, bool has_sid, int64_t sid,
                      const char *path, int32_t vendor, bool date_null) {
  struct ice_error err;
  struct ice_buf *b = avro_ocf_writer_record_buf(w);
  CHECK_OK(avro_put_int(b, status, &err), &err);
  CHECK_OK(avro_put_union(b, has_sid, &err), &err);
  if (has_sid) CHECK_OK(avro_put_long(b, sid, &err), &err);
  CHECK_OK(avro_put_cstring(b, path, &err), &err);
  CHECK_OK(avro_put_cstring(b, "PARQUET", &err), &err);
  CHECK_OK(avro_put_union(b, 1, &err), &err); /* VendorID */
  CHECK_OK(avro_put_int(b, vendor, &err), &err);
  CHECK_OK(avro_put_union(b, date_null ? 0 : 1, &err), &err); /* tpep_pickup_datetime */
  if (!date_null) CHECK_OK(avro_put_int(b, 19000, &err), &err);
  CHECK_OK(avro_put_long(b, 19513, &err), &err);    /* record_count */
  CHECK_OK(avro_put_long(b, 388872, &err), &err);   /* file_size_in_bytes */
  CHECK_OK(avro_put_long(b, 67108864, &err), &err); /* block_size_in_bytes */
  CHECK_OK(avro_put_union(b, 1, &err), &err);       /* column_sizes */
  CHECK_OK(avro_put_block_count(b, 1, &err), &err);
  CHECK_OK(avro_put_int(b, 1, &err), &err);
  CHECK_OK(avro_put_long(b, 74, &err), &err);
  CHECK_OK(avro_put_block_count(b, 0, &err), &err);
  for (int i = 0; i < 6; i++)
    CHECK_OK(avro_put_union(b, 0, &err), &err); /* 5 maps, key_metadata */
  CHECK_OK(avro_put_union(b, 1, &err), &err);   /* split_offsets */
  CHECK_OK(avro_put_block_count(b, 1, &err), &err);
  CHECK_OK(avro_put_long(b, 4, &err), &err);
  CHECK_OK(avro_put_block_count(b, 0, &err), &err);
  CHECK_OK(avro_put_union(b, 1, &err), &err); /* sort_order_id */
  CHECK_OK(avro_put_int(b, 0, &err), &err);
  CHECK_OK(avro_ocf_writer_end_record(w, &err), &err);
}

static void test_v1_list_and_manifest(void) {
  struct ice_error err;
  char mpath[300], lpath[300];
  snprintf(mpath, sizeof(mpath), "%s/v1-m0.avro", g_tmp);
  snprintf(lpath, sizeof(lpath), "%s/v1-list.avro", g_tmp);
  struct avro_schema *s = NULL;
  struct ice_output *out = NULL;
  const char *mmeta[] = {
      "schema", "{}", "partition-spec", "[]", "partition-spec-id", "0", "format-version",
      "1",      NULL};
  struct avro_ocf_writer *w = open_writer(
      "iceberg-metadata/avro_schema_manifest_entry.json", mpath, mmeta, &s, &out);
  if (w == NULL) return;
  put_entry(w, IB_STATUS_ADDED, false, 0, "s3://b/t/data/a.parquet", 1, false);
  put_entry(w, IB_STATUS_EXISTING, true, 11, "s3://b/t/data/b.parquet", 2, true);
  put_entry(w, IB_STATUS_DELETED, true, 12, "s3://b/t/data/c.parquet", 3, false);
  finish(w, s, out);

  s = NULL;
  out = NULL;
  w = open_writer("iceberg-metadata/avro_schema_manifest_file_v1.json", lpath, NULL, &s,
                  &out);
  if (w == NULL) return;
  struct ice_buf *b = avro_ocf_writer_record_buf(w);
  CHECK_OK(avro_put_cstring(b, mpath, &err), &err);
  CHECK_OK(avro_put_long(b, 7989, &err), &err);
  CHECK_OK(avro_put_int(b, 0, &err), &err);
  CHECK_OK(avro_put_union(b, 1, &err), &err);
  CHECK_OK(avro_put_long(b, 99, &err), &err); /* added_snapshot_id */
  int counts[3] = {1, 1, 1};
  for (int i = 0; i < 3; i++) {
    CHECK_OK(avro_put_union(b, 1, &err), &err);
    CHECK_OK(avro_put_int(b, counts[i], &err), &err);
  }
  CHECK_OK(avro_put_union(b, 1, &err), &err); /* partitions: 2 summaries */
  CHECK_OK(avro_put_block_count(b, 2, &err), &err);
  for (int i = 0; i < 2; i++) {
    CHECK_OK(avro_put_boolean(b, i == 1, &err), &err);
    CHECK_OK(avro_put_union(b, 0, &err), &err);
    CHECK_OK(avro_put_union(b, 1, &err), &err);
    CHECK_OK(avro_put_bytes(b, "\x01\x00\x00\x00", 4, &err), &err);
    CHECK_OK(avro_put_union(b, 0, &err), &err);
  }
  CHECK_OK(avro_put_block_count(b, 0, &err), &err);
  for (int i = 0; i < 3; i++) {
    CHECK_OK(avro_put_union(b, 1, &err), &err);
    CHECK_OK(avro_put_long(b, 19513, &err), &err);
  }
  CHECK_OK(avro_ocf_writer_end_record(w, &err), &err);
  finish(w, s, out);

  struct ice_input *in = NULL;
  struct ib_manifest_list list;
  memset(&list, 0, sizeof(list));
  CHECK_OK(io_local_open_read(lpath, &in, &err), &err);
  if (in) CHECK_OK(ib_manifest_list_read(in, &list, &err), &err);
  ice_input_close(in);
  CHECK_EQ_INT(list.n, 1);
  if (list.n != 1) return;
  const struct ib_manifest_file *mf = &list.items[0];
  CHECK_EQ_INT(mf->content, IB_MANIFEST_DATA);
  CHECK_EQ_INT(mf->sequence_number, 0);
  CHECK_EQ_INT(mf->min_sequence_number, 0);
  CHECK_EQ_INT(mf->added_snapshot_id, 99);
  CHECK_EQ_INT(mf->added_files_count, 1);
  CHECK_EQ_INT(mf->existing_files_count, 1);
  CHECK_EQ_INT(mf->deleted_files_count, 1);
  CHECK_EQ_INT(mf->added_rows_count, 19513);
  CHECK_EQ_INT(mf->n_partitions, 2);
  CHECK(!mf->partitions[0].contains_null && mf->partitions[1].contains_null);
  CHECK(mf->partitions[0].lower_bound != NULL && mf->partitions[0].lower_len == 4);
  CHECK(mf->partitions[0].upper_bound == NULL);

  CHECK_OK(io_local_open_read(mpath, &in, &err), &err);
  struct ib_manifest_reader *r = NULL;
  if (in) CHECK_OK(ib_manifest_reader_open(in, mf, &r, &err), &err);
  if (r) CHECK_EQ_INT(ib_manifest_reader_format_version(r), 1);
  struct ib_manifest_entry e;
  ib_manifest_entry_init(&e);
  int n = 0;
  while (r) {
    bool eof = false;
    int rc = ib_manifest_reader_next(r, &e, &eof, &err);
    CHECK_OK(rc, &err);
    if (rc != ICE_OK || eof) break;
    CHECK_EQ_INT(e.status, n == 0   ? IB_STATUS_ADDED
                           : n == 1 ? IB_STATUS_EXISTING
                                    : IB_STATUS_DELETED);
    CHECK(e.has_snapshot_id);
    CHECK_EQ_INT(e.snapshot_id,
                 n == 0 ? 99 : 11 + (n - 1)); /* null inherits the list's */
    CHECK(e.has_sequence_number && e.sequence_number == 0);
    CHECK(e.has_file_sequence_number && e.file_sequence_number == 0);
    CHECK_EQ_INT(e.file.content, IB_CONTENT_DATA);
    CHECK_EQ_INT(e.file.file_format, IB_FORMAT_PARQUET);
    CHECK_EQ_INT(e.file.record_count, 19513);
    CHECK_EQ_INT(e.file.partition.n, 2);
    CHECK_EQ_INT(e.file.partition.values[0].field_id, 1000);
    CHECK_EQ_INT(e.file.partition.values[0].value.u.i32, n + 1);
    CHECK_EQ_INT(e.file.partition.values[1].field_id, 1001);
    CHECK_EQ_INT(e.file.partition.values[1].is_null, n == 1);
    if (n != 1) CHECK_EQ_INT(e.file.partition.values[1].value.type, IB_TYPE_DATE);
    CHECK_EQ_INT(ib_metric_counts_get(&e.file.column_sizes, 1)->value, 74);
    CHECK_EQ_INT(e.file.n_split_offsets, 1);
    CHECK(e.file.has_sort_order_id);
    n++;
  }
  CHECK_EQ_INT(n, 3);
  ib_manifest_entry_reset(&e);
  ib_manifest_reader_free(r);
  ice_input_close(in);
  ib_manifest_list_reset(&list);
}

int main(void) {
  const char *bd = getenv("ICE_BUILD_DIR");
  snprintf(g_tmp, sizeof(g_tmp), "%s/tmp-test-iceberg-v1-XXXXXX", bd ? bd : "/tmp");
  if (mkdtemp(g_tmp) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  ICE_RUN(test_v1_list_and_manifest);
  char cmd[400];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_tmp);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_tmp);
  ICE_TEST_EXIT();
}
