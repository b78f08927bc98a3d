/* SPDX-License-Identifier: Apache-2.0 */
/* Manifests: reading real Spark/Java/Athena tables; write -> read round trips. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/ice_test.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_manifest.h"
#include "iceberg/ib_snapshot_files.h"
#include "iceberg/ib_table_metadata.h"
#include "util/alloc.h"

static char g_tables[1024];

/* s3a://hyperparam-iceberg/... and s3://hyperparam-iceberg/... -> local fixture folder.
 */
static char *local_path(const char *uri) {
  char *out = NULL;
  const char *prefixes[] = {"s3a://hyperparam-iceberg/", "s3://hyperparam-iceberg/"};
  for (int i = 0; i < 2; i++) {
    if (strncmp(uri, prefixes[i], strlen(prefixes[i])) == 0) {
      if (ib_location_rebase(uri, prefixes[i], g_tables, &out, NULL) != ICE_OK)
        return NULL;
      return out;
    }
  }
  return NULL;
}

static int open_uri(const char *uri, struct ice_input **in, struct ice_error *err) {
  char *p = local_path(uri);
  if (p == NULL) return ice_error_set(err, ICE_ENOTFOUND, "unmapped %s", uri);
  int rc = io_local_open_read(p, in, err);
  ice_free(p);
  return rc;
}

struct live_stats {
  int64_t files, records, delete_files, entries;
};

/* Lists every live data file of the current snapshot. */
static void list_live(const char *metadata_rel, struct live_stats *st,
                      struct ib_table_metadata *md) {
  char path[1200];
  struct ice_error err;
  memset(st, 0, sizeof(*st));
  snprintf(path, sizeof(path), "%s%s", g_tables, metadata_rel);
  struct ice_input *in = NULL;
  CHECK_OK(io_local_open_read(path, &in, &err), &err);
  if (in == NULL) return;
  CHECK_OK(ib_table_metadata_read(in, md, &err), &err);
  ice_input_close(in);
  const struct ib_snapshot *snap = ib_table_metadata_current_snapshot(md);
  CHECK(snap != NULL && snap->manifest_list != NULL);
  if (snap == NULL || snap->manifest_list == NULL) return;
  struct ib_manifest_list list;
  memset(&list, 0, sizeof(list));
  CHECK_OK(open_uri(snap->manifest_list, &in, &err), &err);
  if (in == NULL) return;
  CHECK_OK(ib_manifest_list_read(in, &list, &err), &err);
  ice_input_close(in);
  for (size_t i = 0; i < list.n; i++) {
    const struct ib_manifest_file *mf = &list.items[i];
    CHECK(mf->sequence_number <= snap->sequence_number);
    in = NULL;
    CHECK_OK(open_uri(mf->manifest_path, &in, &err), &err);
    if (in == NULL) continue;
    struct ib_manifest_reader *r = NULL;
    CHECK_OK(ib_manifest_reader_open(in, mf, &r, &err), &err);
    struct ib_manifest_entry e;
    ib_manifest_entry_init(&e);
    int64_t added = 0, existing = 0, deleted = 0;
    for (;;) {
      bool eof = false;
      int rc = r ? ib_manifest_reader_next(r, &e, &eof, &err) : ICE_EINTERNAL;
      CHECK_OK(rc, &err);
      if (rc != ICE_OK || eof) break;
      st->entries++;
      CHECK(e.has_snapshot_id && e.has_sequence_number && e.has_file_sequence_number);
      CHECK(e.sequence_number <= mf->sequence_number || e.status != IB_STATUS_ADDED);
      if (e.status == IB_STATUS_ADDED) added++;
      if (e.status == IB_STATUS_EXISTING) existing++;
      if (e.status == IB_STATUS_DELETED) deleted++;
      if (e.status == IB_STATUS_DELETED) continue;
      CHECK(e.file.file_format == IB_FORMAT_PARQUET);
      if (e.file.content == IB_CONTENT_DATA) {
        printf("#   live %s rows=%" PRId64 "\n", e.file.file_path, e.file.record_count);
        st->files++;
        st->records += e.file.record_count;
        CHECK(mf->content == IB_MANIFEST_DATA);
      } else {
        st->delete_files++;
        CHECK(mf->content == IB_MANIFEST_DELETES);
      }
    }
    ib_manifest_entry_reset(&e);
    ib_manifest_reader_free(r);
    ice_input_close(in);
    CHECK_EQ_INT(added, mf->added_files_count);
    CHECK_EQ_INT(existing, mf->existing_files_count);
    CHECK_EQ_INT(deleted, mf->deleted_files_count);
  }
  ib_manifest_list_reset(&list);
  /* The snapshot's own totals are the cross-check. */
  int64_t total;
  if (ib_str_map_get_i64(&snap->summary, "total-data-files", &total) == 0)
    CHECK_EQ_INT(st->files, total);
  if (ib_str_map_get_i64(&snap->summary, "total-records", &total) == 0)
    CHECK_EQ_INT(st->records, total);
  if (ib_str_map_get_i64(&snap->summary, "total-delete-files", &total) == 0)
    CHECK_EQ_INT(st->delete_files, total);
}

static void test_real_tables(void) {
  static const struct {
    const char *metadata;
    int64_t files, records;
  } tables[] = {
      {"java/bunnies/metadata/v5.metadata.json", -1, -1},
      {"spark/bunnies/metadata/v5.metadata.json", -1, -1},
      {"spark/rename_column/metadata/v3.metadata.json", 3, -1},
      {"athena/example/metadata/00001-aaf0d033-d06b-43c7-be60-67f83abd4aca.metadata.json",
       1, -1},
  };
  for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
    struct live_stats st;
    struct ib_table_metadata md;
    ib_table_metadata_init(&md);
    printf("# %s\n", tables[i].metadata);
    list_live(tables[i].metadata, &st, &md);
    CHECK(st.entries > 0);
    CHECK(st.files > 0);
    if (tables[i].files >= 0) CHECK_EQ_INT(st.files, tables[i].files);
    ib_table_metadata_reset(&md);
  }
}

/* The one-call walker agrees with the hand-written walk above. */
static int open_mapped(void *ctx, const char *uri, struct ice_input **in,
                       struct ice_error *err) {
  (void)ctx;
  return open_uri(uri, in, err);
}

static int count_entry(void *ctx, const struct ib_manifest_file *mf,
                       const struct ib_manifest_entry *e, struct ice_error *err) {
  (void)mf;
  (void)err;
  struct live_stats *st = ctx;
  if (e->file.content == IB_CONTENT_DATA) {
    st->files++;
    st->records += e->file.record_count;
  } else {
    st->delete_files++;
  }
  return ICE_OK;
}

static void test_snapshot_walker(void) {
  static const char *tables[] = {
      "java/bunnies/metadata/v5.metadata.json",
      "spark/bunnies/metadata/v5.metadata.json",
      "spark/rename_column/metadata/v3.metadata.json",
  };
  for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
    struct live_stats want, got;
    struct ib_table_metadata md;
    struct ice_error err;
    ib_table_metadata_init(&md);
    list_live(tables[i], &want, &md);
    memset(&got, 0, sizeof(got));
    const struct ib_snapshot *snap = ib_table_metadata_current_snapshot(&md);
    if (snap)
      CHECK_OK(ib_snapshot_for_each_live_entry(snap, open_mapped, NULL, count_entry, &got,
                                               &err),
               &err);
    CHECK_EQ_INT(got.files, want.files);
    CHECK_EQ_INT(got.records, want.records);
    CHECK_EQ_INT(got.delete_files, want.delete_files);
    ib_table_metadata_reset(&md);
  }
}

/* ---- round trip ---- */

static char g_tmp[256];

static void make_schema(struct ib_schema *s) {
  struct ice_error err;
  ib_schema_init(s, 0);
  CHECK_OK(ib_type_alloc_fields(&s->root, 3, &err), &err);
  CHECK_OK(ib_field_init(&s->root.fields[0], 1, "id", true, NULL, &err), &err);
  s->root.fields[0].type.id = IB_TYPE_LONG;
  CHECK_OK(ib_field_init(&s->root.fields[1], 2, "ts", false, NULL, &err), &err);
  s->root.fields[1].type.id = IB_TYPE_TIMESTAMPTZ;
  CHECK_OK(ib_field_init(&s->root.fields[2], 3, "price", false, NULL, &err), &err);
  s->root.fields[2].type.id = IB_TYPE_DECIMAL;
  s->root.fields[2].type.precision = 9;
  s->root.fields[2].type.scale = 2;
}

static void fill_file(struct ib_data_file *f, int k, bool partitioned) {
  struct ice_error err;
  char path[128];
  snprintf(path, sizeof(path), "file:/t/data/part-%d.parquet", k);
  ib_data_file_init(f);
  CHECK_OK(ib_data_file_set_path(f, path, &err), &err);
  f->record_count = 100 + k;
  f->file_size_in_bytes = 4000 + k;
  CHECK_OK(ib_metric_counts_put(&f->column_sizes, 1, 800, &err), &err);
  CHECK_OK(ib_metric_counts_put(&f->value_counts, 1, 100 + k, &err), &err);
  CHECK_OK(ib_metric_counts_put(&f->null_value_counts, 2, 3, &err), &err);
  uint8_t lo[8] = {1, 0, 0, 0, 0, 0, 0, 0},
          hi[8] = {(uint8_t)(200 + k), 0, 0, 0, 0, 0, 0, 0};
  CHECK_OK(ib_metric_bounds_put(&f->lower_bounds, 1, lo, 8, &err), &err);
  CHECK_OK(ib_metric_bounds_put(&f->upper_bounds, 1, hi, 8, &err), &err);
  CHECK_OK(ib_data_file_add_split_offset(f, 4, &err), &err);
  f->has_sort_order_id = true;
  f->sort_order_id = 0;
  if (partitioned) {
    int32_t ids[2] = {1000, 1001};
    CHECK_OK(ib_data_file_set_partition_fields(f, ids, 2, &err), &err);
    struct ib_value day = {.type = IB_TYPE_DATE, .u.i32 = 19000 + k};
    CHECK_OK(ib_data_file_set_partition_value(f, 0, &day, &err), &err);
    uint8_t dec[2] = {0x30, 0x39}; /* 123.45 */
    struct ib_value price = {.type = IB_TYPE_DECIMAL, .bytes = dec, .len = 2};
    if (k != 1) CHECK_OK(ib_data_file_set_partition_value(f, 1, &price, &err), &err);
  }
}

static void make_spec(struct ib_partition_spec *spec, bool partitioned) {
  memset(spec, 0, sizeof(*spec));
  if (!partitioned) return;
  static struct ib_partition_field fields[2];
  fields[0] = (struct ib_partition_field){2, 1000, (char *)"ts_day", (char *)"day"};
  fields[1] = (struct ib_partition_field){3, 1001, (char *)"1price", (char *)"identity"};
  spec->spec_id = 1;
  spec->fields = fields;
  spec->n_fields = 2;
}

static void write_and_read(bool partitioned, const char *codec) {
  struct ice_error err;
  struct ib_schema schema;
  make_schema(&schema);
  struct ib_partition_spec spec;
  make_spec(&spec, partitioned);
  char mpath[300], lpath[300];
  snprintf(mpath, sizeof(mpath), "%s/m-%d-%s.avro", g_tmp, partitioned, codec);
  snprintf(lpath, sizeof(lpath), "%s/l-%d-%s.avro", g_tmp, partitioned, codec);
  struct ice_output *out = NULL;
  CHECK_OK(io_local_create(mpath, &out, &err), &err);
  if (out == NULL) return;
  struct ib_manifest_writer *w = NULL;
  const int64_t snap = 777;
  CHECK_OK(ib_manifest_writer_new(out, mpath, &schema, &spec, IB_MANIFEST_DATA, snap,
                                  codec, &w, &err),
           &err);
  struct ib_data_file f;
  for (int k = 0; k < 3; k++) {
    fill_file(&f, k, partitioned);
    if (w) CHECK_OK(ib_manifest_writer_add(w, &f, &err), &err);
    ib_data_file_reset(&f);
  }
  /* One carried file and one removed file, with explicit sequence numbers. */
  struct ib_manifest_entry old;
  ib_manifest_entry_init(&old);
  fill_file(&old.file, 9, partitioned);
  old.has_snapshot_id = old.has_sequence_number = old.has_file_sequence_number = true;
  old.snapshot_id = 5;
  old.sequence_number = 2;
  old.file_sequence_number = 2;
  if (w) CHECK_OK(ib_manifest_writer_add_existing(w, &old, &err), &err);
  if (w) CHECK_OK(ib_manifest_writer_add_deleted(w, &old, &err), &err);
  struct ib_manifest_file mf;
  ib_manifest_file_init(&mf);
  if (w) CHECK_OK(ib_manifest_writer_finish(w, &mf, &err), &err);
  ib_manifest_writer_free(w);
  ice_output_close(out);
  CHECK_EQ_INT(mf.added_files_count, 3);
  CHECK_EQ_INT(mf.existing_files_count, 1);
  CHECK_EQ_INT(mf.deleted_files_count, 1);
  CHECK_EQ_INT(mf.added_rows_count, 100 + 101 + 102);
  CHECK_EQ_INT(mf.existing_rows_count, 109);
  CHECK_EQ_INT(mf.sequence_number, IB_SEQ_UNASSIGNED);
  CHECK_EQ_INT(mf.min_sequence_number, 2);
  CHECK(mf.manifest_length > 0);
  if (partitioned) {
    CHECK_EQ_INT(mf.n_partitions, 2);
    CHECK(!mf.partitions[0].contains_null);
    CHECK_EQ_INT(mf.partitions[0].lower_len, 4);
    CHECK_EQ_INT(mf.partitions[0].lower_bound[0], (19000) & 0xff);
    CHECK_EQ_INT(mf.partitions[0].upper_bound[0], (19009) & 0xff);
    CHECK(mf.partitions[1].contains_null);
    CHECK_EQ_INT(mf.partitions[1].lower_len, 2);
  }

  /* Manifest list: the unassigned sequence numbers become the commit's. */
  CHECK_OK(io_local_create(lpath, &out, &err), &err);
  struct ib_manifest_list_writer *lw = NULL;
  CHECK_OK(ib_manifest_list_writer_new(out, snap, true, 5, 3, codec, &lw, &err), &err);
  if (lw) CHECK_OK(ib_manifest_list_writer_add(lw, &mf, &err), &err);
  struct ib_manifest_file foreign;
  CHECK_OK(ib_manifest_file_copy(&foreign, &mf, &err), &err);
  foreign.added_snapshot_id = 1;
  if (lw) CHECK_EQ_INT(ib_manifest_list_writer_add(lw, &foreign, &err), ICE_EINVAL);
  ib_manifest_file_reset(&foreign);
  if (lw) CHECK_OK(ib_manifest_list_writer_finish(lw, &err), &err);
  ib_manifest_list_writer_free(lw);
  ice_output_close(out);

  struct ice_input *in = NULL;
  struct ib_manifest_list list;
  memset(&list, 0, sizeof(list));
  CHECK_OK(io_local_open_read(lpath, &in, &err), &err);
  if (in) CHECK_OK(ib_manifest_list_read(in, &list, &err), &err);
  ice_input_close(in);
  CHECK_EQ_INT(list.n, 1);
  if (list.n == 1) {
    const struct ib_manifest_file *m = &list.items[0];
    CHECK_EQ_STR(m->manifest_path, mpath);
    CHECK_EQ_INT(m->sequence_number, 3);
    CHECK_EQ_INT(m->min_sequence_number, 2);
    CHECK_EQ_INT(m->added_snapshot_id, snap);
    CHECK_EQ_INT(m->manifest_length, mf.manifest_length);
    CHECK_EQ_INT(m->n_partitions, mf.n_partitions);
    CHECK(m->has_partitions);

    CHECK_OK(io_local_open_read(mpath, &in, &err), &err);
    struct ib_manifest_reader *r = NULL;
    if (in) CHECK_OK(ib_manifest_reader_open(in, m, &r, &err), &err);
    if (r) {
      CHECK_EQ_STR(ib_manifest_reader_meta(r, "format-version"), "2");
      CHECK_EQ_STR(ib_manifest_reader_meta(r, "content"), "data");
      CHECK_EQ_STR(ib_manifest_reader_meta(r, "schema-id"), "0");
      CHECK_EQ_STR(ib_manifest_reader_meta(r, "partition-spec-id"),
                   partitioned ? "1" : "0");
      CHECK(strstr(ib_manifest_reader_meta(r, "schema"), "\"decimal(9,2)\"") != NULL);
    }
    struct ib_manifest_entry e;
    ib_manifest_entry_init(&e);
    int n = 0;
    while (r != NULL) {
      bool eof = false;
      int rc = ib_manifest_reader_next(r, &e, &eof, &err);
      CHECK_OK(rc, &err);
      if (rc != ICE_OK || eof) break;
      if (n < 3) {
        struct ib_data_file want;
        fill_file(&want, n, partitioned);
        CHECK_EQ_INT(e.status, IB_STATUS_ADDED);
        CHECK_EQ_INT(e.snapshot_id, snap);
        CHECK_EQ_INT(e.sequence_number, 3); /* inherited from the list */
        CHECK_EQ_INT(e.file_sequence_number, 3);
        CHECK_EQ_STR(e.file.file_path, want.file_path);
        CHECK_EQ_INT(e.file.record_count, want.record_count);
        CHECK_EQ_INT(e.file.file_size_in_bytes, want.file_size_in_bytes);
        CHECK_EQ_INT(e.file.column_sizes.n, 1);
        CHECK_EQ_INT(ib_metric_counts_get(&e.file.value_counts, 1)->value, 100 + n);
        CHECK_EQ_INT(ib_metric_counts_get(&e.file.null_value_counts, 2)->value, 3);
        const struct ib_metric_bound *ub = ib_metric_bounds_get(&e.file.upper_bounds, 1);
        CHECK(ub != NULL && ub->len == 8 && ub->data[0] == 200 + n);
        CHECK_EQ_INT(e.file.n_split_offsets, 1);
        CHECK(e.file.has_sort_order_id && e.file.sort_order_id == 0);
        CHECK_EQ_INT(e.file.partition.n, partitioned ? 2 : 0);
        if (partitioned) {
          CHECK_EQ_INT(e.file.partition.values[0].field_id, 1000);
          CHECK_EQ_INT(e.file.partition.values[0].value.type, IB_TYPE_DATE);
          CHECK_EQ_INT(e.file.partition.values[0].value.u.i32, 19000 + n);
          CHECK_EQ_INT(e.file.partition.values[1].is_null, n == 1);
          if (n != 1) {
            CHECK_EQ_INT(e.file.partition.values[1].value.type, IB_TYPE_DECIMAL);
            CHECK_EQ_INT(e.file.partition.values[1].value.len, 4); /* fixed(4) for P=9 */
          }
        }
        ib_data_file_reset(&want);
      } else {
        CHECK_EQ_INT(e.status, n == 3 ? IB_STATUS_EXISTING : IB_STATUS_DELETED);
        CHECK_EQ_INT(e.snapshot_id, n == 3 ? 5 : snap);
        CHECK_EQ_INT(e.sequence_number, 2);
      }
      n++;
    }
    CHECK_EQ_INT(n, 5);
    ib_manifest_entry_reset(&e);
    ib_manifest_reader_free(r);
    ice_input_close(in);
  }
  ib_manifest_list_reset(&list);
  ib_manifest_entry_reset(&old);
  ib_manifest_file_reset(&mf);
  ib_schema_reset(&schema);
}

static void test_round_trip_unpartitioned(void) {
  write_and_read(false, "deflate");
  write_and_read(false, "null");
}

static void test_round_trip_partitioned(void) {
  write_and_read(true, "deflate");
}

static void test_writer_rejects_bad_entries(void) {
  struct ice_error err;
  struct ib_schema schema;
  make_schema(&schema);
  struct ib_partition_spec spec;
  make_spec(&spec, false);
  char mpath[300];
  snprintf(mpath, sizeof(mpath), "%s/bad.avro", g_tmp);
  struct ice_output *out = NULL;
  CHECK_OK(io_local_create(mpath, &out, &err), &err);
  struct ib_manifest_writer *w = NULL;
  CHECK_OK(ib_manifest_writer_new(out, mpath, &schema, &spec, IB_MANIFEST_DATA, 1, NULL,
                                  &w, &err),
           &err);
  struct ib_data_file f;
  fill_file(&f, 0, true); /* partition values for an unpartitioned spec */
  if (w) CHECK_EQ_INT(ib_manifest_writer_add(w, &f, &err), ICE_EINVAL);
  ib_data_file_reset(&f);
  fill_file(&f, 0, false);
  f.content = IB_CONTENT_POSITION_DELETES;
  if (w) CHECK_EQ_INT(ib_manifest_writer_add(w, &f, &err), ICE_EINVAL);
  ib_data_file_reset(&f);
  ib_manifest_writer_free(w); /* not finished: aborts the output */
  ice_output_close(out);
  CHECK(access(mpath, F_OK) != 0);
  ib_schema_reset(&schema);
}

/* A datum that fails half-way through encoding is dropped; the file stays valid. */
static void test_failed_entry_leaves_valid_file(void) {
  struct ice_error err;
  struct ib_schema schema;
  make_schema(&schema);
  struct ib_partition_spec spec;
  make_spec(&spec, true);
  char mpath[300];
  snprintf(mpath, sizeof(mpath), "%s/discard.avro", g_tmp);
  struct ice_output *out = NULL;
  CHECK_OK(io_local_create(mpath, &out, &err), &err);
  struct ib_manifest_writer *w = NULL;
  CHECK_OK(ib_manifest_writer_new(out, mpath, &schema, &spec, IB_MANIFEST_DATA, 1, "null",
                                  &w, &err),
           &err);
  struct ib_data_file f;
  fill_file(&f, 0, true);
  const uint8_t too_wide[5] = {0x01, 0, 0, 0, 0}; /* needs 5 bytes; decimal(9,2) has 4 */
  struct ib_value big = {.type = IB_TYPE_DECIMAL, .bytes = too_wide, .len = 5};
  CHECK_OK(ib_data_file_set_partition_value(&f, 1, &big, &err), &err);
  if (w) CHECK_EQ_INT(ib_manifest_writer_add(w, &f, &err), ICE_ELIMIT);
  ib_data_file_reset(&f);
  fill_file(&f, 2, true);
  if (w) CHECK_OK(ib_manifest_writer_add(w, &f, &err), &err);
  ib_data_file_reset(&f);
  struct ib_manifest_file mf;
  ib_manifest_file_init(&mf);
  if (w) CHECK_OK(ib_manifest_writer_finish(w, &mf, &err), &err);
  ib_manifest_writer_free(w);
  ice_output_close(out);
  CHECK_EQ_INT(mf.added_files_count, 1);
  struct ice_input *in = NULL;
  CHECK_OK(io_local_open_read(mpath, &in, &err), &err);
  struct ib_manifest_reader *r = NULL;
  if (in) CHECK_OK(ib_manifest_reader_open(in, &mf, &r, &err), &err);
  struct ib_manifest_entry e;
  ib_manifest_entry_init(&e);
  int n = 0;
  while (r) {
    bool eof = false;
    int rc = ib_manifest_reader_next(r, &e, &eof, &err);
    CHECK_OK(rc, &err);
    if (rc != ICE_OK || eof) break;
    CHECK_EQ_STR(e.file.file_path, "file:/t/data/part-2.parquet");
    n++;
  }
  CHECK_EQ_INT(n, 1);
  ib_manifest_entry_reset(&e);
  ib_manifest_reader_free(r);
  ice_input_close(in);
  ib_manifest_file_reset(&mf);
  ib_schema_reset(&schema);
}

int main(void) {
  snprintf(g_tables, sizeof(g_tables), "%s/iceberg-tables/",
           ice_test_data_dir());
  const char *bd = getenv("ICE_BUILD_DIR");
  snprintf(g_tmp, sizeof(g_tmp), "%s/tmp-test-iceberg-manifest-XXXXXX", bd ? bd : "/tmp");
  if (mkdtemp(g_tmp) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  ICE_RUN(test_real_tables);
  ICE_RUN(test_snapshot_walker);
  ICE_RUN(test_round_trip_unpartitioned);
  ICE_RUN(test_round_trip_partitioned);
  ICE_RUN(test_writer_rejects_bad_entries);
  ICE_RUN(test_failed_entry_leaves_valid_file);
  char cmd[400];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_tmp);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_tmp);
  ICE_TEST_EXIT();
}
