/* SPDX-License-Identifier: Apache-2.0 */
/*
 * End-to-end use of the iceberg module the way a load commits: a new table, then two
 * appends (the second carries the first manifest by reference), each with a manifest,
 * a manifest list, a summary and a new metadata file. The data file is the Parquet file
 * Iceberg Java wrote for the bunnies fixture (its field ids match the schema), copied in.
 * Re-read with our readers here; with ICE_ICEBERG_INTEROP_DIR set the table is kept
 * there for tests/interop/check_table.mjs (avsc, DuckDB, icebird).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/ice_test.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_manifest.h"
#include "iceberg/ib_snapshot_files.h"
#include "iceberg/ib_summary.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_transform.h"
#include "test_metadata_build.h"
#include "util/alloc.h"

static char g_dir[512];

static int copy_file(const char *from, const char *to, int64_t *size) {
  FILE *in = fopen(from, "rb");
  if (in == NULL) return -1;
  struct ice_output *out = NULL;
  struct ice_error err;
  if (io_local_create(to, &out, &err) != ICE_OK) {
    fclose(in);
    return -1;
  }
  char buf[8192];
  size_t n;
  int rc = 0;
  while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
    if (ice_output_write(out, buf, n, &err) != ICE_OK) rc = -1;
  }
  fclose(in);
  if (rc == 0 && ice_output_finish(out, &err) != ICE_OK) rc = -1;
  *size = out->written;
  ice_output_close(out);
  return rc;
}

static int write_metadata(const struct ib_table_metadata *md, int version,
                          char **location) {
  struct ice_error err;
  char uuid[IB_UUID_STR_LEN];
  char *path = NULL;
  struct ice_output *out = NULL;
  int rc = ib_uuid4(uuid, &err);
  if (rc == ICE_OK)
    rc = ib_location_metadata_file(md->location, version, uuid, location, &err);
  if (rc == ICE_OK) rc = ib_location_to_local_path(*location, &path, &err);
  if (rc == ICE_OK) rc = io_local_create(path, &out, &err);
  if (rc == ICE_OK) rc = ib_table_metadata_write(md, out, &err);
  CHECK_OK(rc, &err);
  ice_output_close(out);
  ice_free(path);
  return rc;
}

/* One append of the given data file; carried manifests are kept by reference. */
static void append(struct ib_table_metadata *md, char **meta_location,
                   const char *data_name, int version) {
  struct ice_error err;
  char src[1024], *data_uri = NULL, *data_path = NULL;
  snprintf(src, sizeof(src),
           "%s/iceberg-tables/java/bunnies/data/bunnies-initial.parquet",
           ice_test_data_dir());
  CHECK_OK(ib_location_data_file(md->location, data_name, &data_uri, &err), &err);
  CHECK_OK(ib_location_to_local_path(data_uri, &data_path, &err), &err);
  struct ib_data_file f;
  ib_data_file_init(&f);
  CHECK_EQ_INT(copy_file(src, data_path, &f.file_size_in_bytes), 0);
  CHECK_OK(ib_data_file_set_path(&f, data_uri, &err), &err);
  f.record_count = 21;

  char commit[IB_UUID_STR_LEN];
  CHECK_OK(ib_uuid4(commit, &err), &err);
  struct ib_snapshot_add add;
  memset(&add, 0, sizeof(add));
  CHECK_OK(ib_table_metadata_new_snapshot_id(md, &add.snapshot_id, &err), &err);
  add.sequence_number = ib_table_metadata_next_sequence_number(md);
  add.timestamp_ms = 1700000000000 + version;

  /* manifest */
  char *m_uri = NULL, *m_path = NULL;
  CHECK_OK(ib_location_manifest(md->location, commit, 0, &m_uri, &err), &err);
  CHECK_OK(ib_location_to_local_path(m_uri, &m_path, &err), &err);
  struct ice_output *out = NULL;
  CHECK_OK(io_local_create(m_path, &out, &err), &err);
  struct ib_manifest_writer *w = NULL;
  CHECK_OK(ib_manifest_writer_new(out, m_uri, ib_table_metadata_current_schema(md),
                                  ib_table_metadata_default_spec(md), IB_MANIFEST_DATA,
                                  add.snapshot_id, "deflate", &w, &err),
           &err);
  struct ib_manifest_file mf;
  ib_manifest_file_init(&mf);
  if (w) CHECK_OK(ib_manifest_writer_add(w, &f, &err), &err);
  if (w) CHECK_OK(ib_manifest_writer_finish(w, &mf, &err), &err);
  ib_manifest_writer_free(w);
  ice_output_close(out);

  /* summary from the previous head */
  struct ib_summary_builder sb;
  ib_summary_builder_init(&sb);
  CHECK_OK(ib_summary_add_file(&sb, &f, &err), &err);
  const struct ib_snapshot *head = ib_table_metadata_current_snapshot(md);
  struct ib_str_map summary;
  ib_str_map_init(&summary);
  CHECK_OK(ib_summary_build(&sb, "append", head ? &head->summary : NULL, &summary, &err),
           &err);

  /* manifest list: the new manifest, then the head's manifests by reference */
  char *l_uri = NULL, *l_path = NULL;
  CHECK_OK(
      ib_location_manifest_list(md->location, add.snapshot_id, 1, commit, &l_uri, &err),
      &err);
  CHECK_OK(ib_location_to_local_path(l_uri, &l_path, &err), &err);
  CHECK_OK(io_local_create(l_path, &out, &err), &err);
  struct ib_manifest_list_writer *lw = NULL;
  CHECK_OK(ib_manifest_list_writer_new(out, add.snapshot_id, head != NULL,
                                       head ? head->snapshot_id : 0, add.sequence_number,
                                       "deflate", &lw, &err),
           &err);
  if (lw) CHECK_OK(ib_manifest_list_writer_add(lw, &mf, &err), &err);
  if (head != NULL && lw != NULL) {
    char *old_path = NULL;
    struct ice_input *in = NULL;
    struct ib_manifest_list old;
    memset(&old, 0, sizeof(old));
    CHECK_OK(ib_location_to_local_path(head->manifest_list, &old_path, &err), &err);
    CHECK_OK(io_local_open_read(old_path, &in, &err), &err);
    if (in) CHECK_OK(ib_manifest_list_read(in, &old, &err), &err);
    for (size_t i = 0; i < old.n; i++)
      CHECK_OK(ib_manifest_list_writer_add(lw, &old.items[i], &err), &err);
    ib_manifest_list_reset(&old);
    ice_input_close(in);
    ice_free(old_path);
  }
  if (lw) CHECK_OK(ib_manifest_list_writer_finish(lw, &err), &err);
  ib_manifest_list_writer_free(lw);
  ice_output_close(out);

  /* new metadata */
  add.manifest_list = l_uri;
  add.summary = &summary;
  CHECK_OK(tb_add_snapshot(md, *meta_location, &add, add.timestamp_ms, &err), &err);
  ice_free(*meta_location);
  *meta_location = NULL;
  write_metadata(md, version, meta_location);

  ib_str_map_reset(&summary);
  ib_manifest_file_reset(&mf);
  ib_data_file_reset(&f);
  ice_free(m_uri);
  ice_free(m_path);
  ice_free(l_uri);
  ice_free(l_path);
  ice_free(data_uri);
  ice_free(data_path);
}

/* Re-reads the table from its newest metadata file: live files and rows. */
static void verify(const char *meta_location, int64_t files, int64_t rows) {
  struct ice_error err;
  char *p = NULL;
  struct ice_input *in = NULL;
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  CHECK_OK(ib_location_to_local_path(meta_location, &p, &err), &err);
  CHECK_OK(io_local_open_read(p, &in, &err), &err);
  if (in) CHECK_OK(ib_table_metadata_read(in, &md, &err), &err);
  ice_input_close(in);
  ice_free(p);
  const struct ib_snapshot *s = ib_table_metadata_current_snapshot(&md);
  CHECK(s != NULL);
  if (s == NULL) {
    ib_table_metadata_reset(&md);
    return;
  }
  struct ib_manifest_list list;
  memset(&list, 0, sizeof(list));
  CHECK_OK(ib_location_to_local_path(s->manifest_list, &p, &err), &err);
  CHECK_OK(io_local_open_read(p, &in, &err), &err);
  ice_free(p);
  if (in) CHECK_OK(ib_manifest_list_read(in, &list, &err), &err);
  ice_input_close(in);
  int64_t nf = 0, nr = 0;
  for (size_t i = 0; i < list.n; i++) {
    CHECK(list.items[i].sequence_number >= 1 &&
          list.items[i].sequence_number <= s->sequence_number);
    CHECK_OK(ib_location_to_local_path(list.items[i].manifest_path, &p, &err), &err);
    CHECK_OK(io_local_open_read(p, &in, &err), &err);
    ice_free(p);
    struct ib_manifest_reader *r = NULL;
    if (in) CHECK_OK(ib_manifest_reader_open(in, &list.items[i], &r, &err), &err);
    struct ib_manifest_entry e;
    ib_manifest_entry_init(&e);
    bool eof = false;
    while (r && ib_manifest_reader_next(r, &e, &eof, &err) == ICE_OK && !eof) {
      if (e.status == IB_STATUS_DELETED) continue;
      nf++;
      nr += e.file.record_count;
      CHECK_EQ_INT(e.sequence_number, list.items[i].sequence_number);
    }
    ib_manifest_entry_reset(&e);
    ib_manifest_reader_free(r);
    ice_input_close(in);
  }
  CHECK_EQ_INT(nf, files);
  CHECK_EQ_INT(nr, rows);
  int64_t total = -1;
  CHECK_EQ_INT(ib_str_map_get_i64(&s->summary, "total-records", &total), 0);
  CHECK_EQ_INT(total, rows);
  CHECK_EQ_INT(md.n_metadata_log, md.n_snapshots);
  ib_manifest_list_reset(&list);
  ib_table_metadata_reset(&md);
}

static void test_create_and_two_appends(void) {
  struct ice_error err;
  char src[1024];
  size_t n = 0;
  snprintf(src, sizeof(src), "%s/iceberg-tables/java/bunnies/metadata/v1.metadata.json",
           ice_test_data_dir());
  struct ice_input *in = NULL;
  struct ib_table_metadata fixture, md;
  ib_table_metadata_init(&fixture);
  ib_table_metadata_init(&md);
  CHECK_OK(io_local_open_read(src, &in, &err), &err);
  if (in) CHECK_OK(ib_table_metadata_read(in, &fixture, &err), &err);
  ice_input_close(in);
  const struct ib_schema *schema = ib_table_metadata_current_schema(&fixture);
  CHECK(schema != NULL);
  if (schema == NULL) return;
  char loc_path[600], *location = NULL, *meta = NULL;
  snprintf(loc_path, sizeof(loc_path), "%s/bunnies", g_dir);
  CHECK_OK(ib_location_from_local_path(loc_path, &location, &err), &err);
  CHECK_OK(tb_new_table(location, schema, NULL, 1700000000000, &md, &err), &err);
  write_metadata(&md, 0, &meta);
  append(&md, &meta, "00000-0-first.parquet", 1);
  verify(meta, 1, 21);
  append(&md, &meta, "00000-0-second.parquet", 2);
  verify(meta, 2, 42);
  printf("# table metadata: %s\n", meta);
  (void)n;
  ice_free(meta);
  ice_free(location);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&fixture);
}

/* ---- a partitioned table: Spark's rename_column files re-committed by us ---- */

struct collected {
  struct ib_data_file files[8];
  size_t n;
  const char *new_location;
  int checked_buckets;
};

static int open_spark(void *ctx, const char *uri, struct ice_input **in,
                      struct ice_error *err) {
  (void)ctx;
  char base[1024], *p = NULL;
  snprintf(base, sizeof(base), "%s/iceberg-tables/", ice_test_data_dir());
  ICE_TRY(ib_location_rebase(uri, "s3a://hyperparam-iceberg/", base, &p, err));
  int rc = io_local_open_read(p, in, err);
  ice_free(p);
  return rc;
}

/* Copies each live data file under the new location (same partition directories) and
 * keeps its DataFile (partition tuple and metrics) with the new path. */
static int collect(void *ctx, const struct ib_manifest_file *mf,
                   const struct ib_manifest_entry *e, struct ice_error *err) {
  (void)mf;
  struct collected *c = ctx;
  if (c->n >= 8) return ice_error_set(err, ICE_ELIMIT, "too many files for the test");
  const char *rel = strstr(e->file.file_path, "/data/");
  if (rel == NULL) return ice_error_set(err, ICE_EINVAL, "unexpected path");
  char src[1200], *uri = NULL, *dst = NULL;
  snprintf(src, sizeof(src), "%s/iceberg-tables/spark/rename_column%s",
           ice_test_data_dir(), rel);
  ICE_TRY(ib_location_data_file(c->new_location, rel + 6, &uri, err));
  int rc = ib_location_to_local_path(uri, &dst, err);
  struct ib_data_file *f = &c->files[c->n];
  int64_t size = 0;
  if (rc == ICE_OK && copy_file(src, dst, &size) != 0)
    rc = ice_error_set(err, ICE_EIO, "copy %s", src);
  /* Spark computed id_bucket = bucket[4](id); where a file holds one id value, our
   * transform must agree with Spark's partition value. */
  const struct ib_metric_bound *lo = ib_metric_bounds_get(&e->file.lower_bounds, 1);
  const struct ib_metric_bound *hi = ib_metric_bounds_get(&e->file.upper_bounds, 1);
  if (lo && hi && lo->len == 4 && hi->len == 4 && memcmp(lo->data, hi->data, 4) == 0 &&
      e->file.partition.n == 2 && !e->file.partition.values[0].is_null) {
    struct ib_type int_type = {IB_TYPE_INT, 0, 0, 0, NULL, 0};
    struct ib_value id, bucket;
    struct ib_transform t;
    uint8_t scratch[16];
    CHECK_OK(ib_value_deserialize(&int_type, lo->data, 4, &id, err), err);
    CHECK_OK(ib_transform_parse("bucket[4]", &t, err), err);
    CHECK_OK(ib_transform_apply(&t, &int_type, &id, scratch, &bucket, err), err);
    CHECK_EQ_INT(bucket.u.i32, e->file.partition.values[0].value.u.i32);
    c->checked_buckets++;
  }
  if (rc == ICE_OK) rc = ib_data_file_copy(f, &e->file, err);
  if (rc == ICE_OK) {
    c->n++;
    CHECK_EQ_INT(size, f->file_size_in_bytes);
    rc = ib_data_file_set_path(f, uri, err);
  }
  ice_free(uri);
  ice_free(dst);
  return rc;
}

static void test_partitioned_table(void) {
  struct ice_error err;
  char src[1024];
  snprintf(src, sizeof(src),
           "%s/iceberg-tables/spark/rename_column/metadata/v3.metadata.json",
           ice_test_data_dir());
  struct ice_input *in = NULL;
  struct ib_table_metadata spark, md;
  ib_table_metadata_init(&spark);
  ib_table_metadata_init(&md);
  CHECK_OK(io_local_open_read(src, &in, &err), &err);
  if (in) CHECK_OK(ib_table_metadata_read(in, &spark, &err), &err);
  ice_input_close(in);
  const struct ib_snapshot *snap = ib_table_metadata_current_snapshot(&spark);
  const struct ib_partition_spec *sspec = ib_table_metadata_default_spec(&spark);
  CHECK(snap != NULL && sspec != NULL && sspec->n_fields == 2);
  if (snap == NULL || sspec == NULL || sspec->n_fields != 2) return;

  char loc_path[600], *location = NULL, *meta = NULL;
  snprintf(loc_path, sizeof(loc_path), "%s/partitioned", g_dir);
  CHECK_OK(ib_location_from_local_path(loc_path, &location, &err), &err);
  CHECK_OK(tb_new_table(location, ib_table_metadata_current_schema(&spark), NULL,
                        1700000000000, &md, &err),
           &err);
  /* Give the new table Spark's spec: bucket[4](id) as 1000, identity(event_date) as 1001.
   */
  md.specs[0].fields = ice_calloc(2, sizeof(struct ib_partition_field));
  CHECK(md.specs[0].fields != NULL);
  if (md.specs[0].fields == NULL) return;
  for (size_t i = 0; i < 2; i++) {
    md.specs[0].fields[i] = sspec->fields[i];
    md.specs[0].fields[i].name = ice_strdup(sspec->fields[i].name);
    md.specs[0].fields[i].transform = ice_strdup(sspec->fields[i].transform);
  }
  md.specs[0].n_fields = 2;
  md.last_partition_id = 1001;
  write_metadata(&md, 0, &meta);

  struct collected c;
  memset(&c, 0, sizeof(c));
  c.new_location = md.location;
  CHECK_OK(ib_snapshot_for_each_live_entry(snap, open_spark, NULL, collect, &c, &err),
           &err);
  CHECK_EQ_INT(c.n, 3);
  CHECK(c.checked_buckets >= 2);

  char commit[IB_UUID_STR_LEN];
  CHECK_OK(ib_uuid4(commit, &err), &err);
  struct ib_snapshot_add add;
  memset(&add, 0, sizeof(add));
  CHECK_OK(ib_table_metadata_new_snapshot_id(&md, &add.snapshot_id, &err), &err);
  add.sequence_number = 1;
  add.timestamp_ms = 1700000000001;
  char *m_uri = NULL, *m_path = NULL, *l_uri = NULL, *l_path = NULL;
  CHECK_OK(ib_location_manifest(md.location, commit, 0, &m_uri, &err), &err);
  CHECK_OK(ib_location_to_local_path(m_uri, &m_path, &err), &err);
  struct ice_output *out = NULL;
  CHECK_OK(io_local_create(m_path, &out, &err), &err);
  struct ib_manifest_writer *w = NULL;
  CHECK_OK(ib_manifest_writer_new(out, m_uri, ib_table_metadata_current_schema(&md),
                                  &md.specs[0], IB_MANIFEST_DATA, add.snapshot_id, NULL,
                                  &w, &err),
           &err);
  struct ib_summary_builder sb;
  ib_summary_builder_init(&sb);
  int64_t rows = 0;
  for (size_t i = 0; i < c.n; i++) {
    if (w) CHECK_OK(ib_manifest_writer_add(w, &c.files[i], &err), &err);
    CHECK_OK(ib_summary_add_file(&sb, &c.files[i], &err), &err);
    rows += c.files[i].record_count;
  }
  struct ib_manifest_file mf;
  ib_manifest_file_init(&mf);
  if (w) CHECK_OK(ib_manifest_writer_finish(w, &mf, &err), &err);
  ib_manifest_writer_free(w);
  ice_output_close(out);
  /* Partition summaries: bucket values 0..3 never null; the date is null in one file. */
  CHECK_EQ_INT(mf.n_partitions, 2);
  if (mf.n_partitions == 2) {
    CHECK(!mf.partitions[0].contains_null);
    CHECK(mf.partitions[1].contains_null);
    CHECK_EQ_INT(mf.partitions[1].lower_len, 4);
  }

  CHECK_OK(
      ib_location_manifest_list(md.location, add.snapshot_id, 1, commit, &l_uri, &err),
      &err);
  CHECK_OK(ib_location_to_local_path(l_uri, &l_path, &err), &err);
  CHECK_OK(io_local_create(l_path, &out, &err), &err);
  struct ib_manifest_list_writer *lw = NULL;
  CHECK_OK(
      ib_manifest_list_writer_new(out, add.snapshot_id, false, 0, 1, NULL, &lw, &err),
      &err);
  if (lw) CHECK_OK(ib_manifest_list_writer_add(lw, &mf, &err), &err);
  if (lw) CHECK_OK(ib_manifest_list_writer_finish(lw, &err), &err);
  ib_manifest_list_writer_free(lw);
  ice_output_close(out);

  struct ib_str_map summary;
  ib_str_map_init(&summary);
  CHECK_OK(ib_summary_build(&sb, "append", NULL, &summary, &err), &err);
  add.manifest_list = l_uri;
  add.summary = &summary;
  CHECK_OK(tb_add_snapshot(&md, meta, &add, add.timestamp_ms, &err), &err);
  ice_free(meta);
  meta = NULL;
  write_metadata(&md, 1, &meta);
  if (meta) verify(meta, 3, rows);
  printf("# partitioned table metadata: %s\n", meta ? meta : "?");

  ib_str_map_reset(&summary);
  ib_manifest_file_reset(&mf);
  for (size_t i = 0; i < c.n; i++) ib_data_file_reset(&c.files[i]);
  ice_free(m_uri);
  ice_free(m_path);
  ice_free(l_uri);
  ice_free(l_path);
  ice_free(meta);
  ice_free(location);
  ib_table_metadata_reset(&md);
  ib_table_metadata_reset(&spark);
}

int main(void) {
  const char *keep = getenv("ICE_ICEBERG_INTEROP_DIR");
  if (keep != NULL) {
    snprintf(g_dir, sizeof(g_dir), "%s", keep);
  } else {
    const char *bd = getenv("ICE_BUILD_DIR");
    snprintf(g_dir, sizeof(g_dir), "%s/tmp-test-iceberg-table-XXXXXX", bd ? bd : "/tmp");
    if (mkdtemp(g_dir) == NULL) {
      perror("mkdtemp");
      return 1;
    }
  }
  ICE_RUN(test_create_and_two_appends);
  ICE_RUN(test_partitioned_table);
  if (keep == NULL) {
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
  }
  ICE_TEST_EXIT();
}
