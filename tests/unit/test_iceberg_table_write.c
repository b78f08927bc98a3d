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
#include "iceberg/ib_summary.h"
#include "iceberg/ib_table_metadata.h"
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

static int write_metadata(const struct ib_table_metadata *md, int version, char **location) {
  struct ice_error err;
  char uuid[IB_UUID_STR_LEN];
  char *path = NULL;
  struct ice_output *out = NULL;
  int rc = ib_uuid4(uuid, &err);
  if (rc == ICE_OK) rc = ib_location_metadata_file(md->location, version, uuid, location, &err);
  if (rc == ICE_OK) rc = ib_location_to_local_path(*location, &path, &err);
  if (rc == ICE_OK) rc = io_local_create(path, &out, &err);
  if (rc == ICE_OK) rc = ib_table_metadata_write(md, out, &err);
  CHECK_OK(rc, &err);
  ice_output_close(out);
  ice_free(path);
  return rc;
}

/* One append of the given data file; carried manifests are kept by reference. */
static void append(struct ib_table_metadata *md, char **meta_location, const char *data_name,
                   int version) {
  struct ice_error err;
  char src[1024], *data_uri = NULL, *data_path = NULL;
  snprintf(src, sizeof(src), "%s/testdata/iceberg-tables/java/bunnies/data/bunnies-initial.parquet",
           ice_test_shared_dir());
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
  CHECK_OK(ib_summary_build(&sb, "append", head ? &head->summary : NULL, &summary, &err), &err);

  /* manifest list: the new manifest, then the head's manifests by reference */
  char *l_uri = NULL, *l_path = NULL;
  CHECK_OK(ib_location_manifest_list(md->location, add.snapshot_id, 1, commit, &l_uri, &err), &err);
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
    for (size_t i = 0; i < old.n; i++) CHECK_OK(ib_manifest_list_writer_add(lw, &old.items[i], &err), &err);
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
  CHECK_OK(ib_table_metadata_push_previous(md, *meta_location, &err), &err);
  CHECK_OK(ib_table_metadata_add_snapshot(md, &add, add.timestamp_ms, &err), &err);
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
    CHECK(list.items[i].sequence_number >= 1 && list.items[i].sequence_number <= s->sequence_number);
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
  snprintf(src, sizeof(src), "%s/testdata/iceberg-tables/java/bunnies/metadata/v1.metadata.json",
           ice_test_shared_dir());
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
  CHECK_OK(ib_table_metadata_new_table(location, schema, NULL, 1700000000000, &md, &err), &err);
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
  if (keep == NULL) {
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
  }
  ICE_TEST_EXIT();
}
