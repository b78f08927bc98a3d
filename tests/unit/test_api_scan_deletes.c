/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scanning a table with position and equality deletes across sequence numbers, built
 * here with the library's own writers (Parquet data and delete files with field ids,
 * manifests with chosen data sequence numbers, a manifest list, metadata JSON) and
 * read through the public API from its metadata file alone (ice_table_load_metadata):
 *   d1 (seq 1) ids 1-6   d2 (seq 2) ids 7-10   d3 (seq 3) ids 11, 12, 2
 *   gone (seq 1, status DELETED) id 100: never read
 *   pos  (seq 2): d1 pos 0, d2 pos 1, d3 pos 0  -> d3's does not apply (3 > 2)
 *   eqid (seq 3, key id):   2, 8, 11            -> not d3's (3 is not < 3)
 *   eqnm (seq 2, key name): n4, n9              -> not d2's (2 is not < 2)
 * Live ids: 3 5 6 | 7 9 10 | 11 12 2. Also: a corrupt data file stays ICE_ECORRUPT
 * through the stream, and equality keys past the memory limit are ICE_ELIMIT naming
 * the data file. With ICE_SCAN_DELETES_DIR set the table is copied there for
 * tests/cli/scan_deletes_interop.sh (DuckDB and icebird read it too).
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
#include "iceberg/ib_str_map.h"
#include "test_metadata_build.h"
#include "util/alloc.h"

static char g_dir[256];

/* One column of a file to write: Arrow format "l", "i" or "u", field id, name, and
 * values (numbers, or strings for "u"). */
struct col {
  const char *format;
  int32_t id;
  const char *name;
  const int64_t *nums;
  const char *const *strs;
};

static void fill_column(const struct col *c, int64_t n, struct ArrowArray *a) {
  struct ice_error err;
  bool str = strcmp(c->format, "u") == 0;
  CHECK_OK(arrow_array_init(a, str ? 3 : 2, 0, &err), &err);
  a->length = n;
  if (str) {
    int32_t *off = ice_malloc((size_t)(n + 1) * sizeof *off);
    size_t total = 0;
    for (int64_t i = 0; i < n; i++) total += strlen(c->strs[i]);
    char *data = ice_malloc(total + 1);
    off[0] = 0;
    for (int64_t i = 0; i < n; i++) {
      size_t len = strlen(c->strs[i]);
      memcpy(data + off[i], c->strs[i], len);
      off[i + 1] = off[i] + (int32_t)len;
    }
    arrow_array_set_buffer(a, 1, off);
    arrow_array_set_buffer(a, 2, data);
  } else if (strcmp(c->format, "i") == 0) {
    int32_t *v = ice_malloc((size_t)n * sizeof *v + 1);
    for (int64_t i = 0; i < n; i++) v[i] = (int32_t)c->nums[i];
    arrow_array_set_buffer(a, 1, v);
  } else {
    int64_t *v = ice_malloc((size_t)n * sizeof *v + 1);
    memcpy(v, c->nums, (size_t)n * sizeof *v);
    arrow_array_set_buffer(a, 1, v);
  }
}

/* Writes dir/name with the columns (n rows each); returns its size. */
static int64_t write_parquet(const char *name, const struct col *cols, size_t n_cols,
                             int64_t n) {
  struct ice_error err;
  char path[512];
  snprintf(path, sizeof path, "%s/t/data/%s", g_dir, name);
  struct ArrowSchema s;
  struct ArrowArray b;
  CHECK_OK(arrow_schema_init(&s, "+s", "", 0, (int64_t)n_cols, &err), &err);
  CHECK_OK(arrow_array_init(&b, 1, (int64_t)n_cols, &err), &err);
  b.length = n;
  for (size_t k = 0; k < n_cols; k++) {
    char id[16];
    snprintf(id, sizeof id, "%d", (int)cols[k].id);
    struct arrow_kv kv = {"PARQUET:field_id", id};
    CHECK_OK(arrow_schema_init(s.children[k], cols[k].format, cols[k].name, 0, 0, &err),
             &err);
    CHECK_OK(arrow_schema_set_metadata(s.children[k], &kv, 1, &err), &err);
    fill_column(&cols[k], n, b.children[k]);
  }
  ice_parquet_writer *w = NULL;
  struct ice_parquet_write_info info = {0};
  CHECK_OK(ice_parquet_writer_open(path, &s, NULL, &w, &err), &err);
  if (w != NULL) CHECK_OK(ice_parquet_writer_write(w, &b, &err), &err);
  if (w != NULL) CHECK_OK(ice_parquet_writer_close(w, &info, &err), &err);
  ice_parquet_writer_free(w);
  b.release(&b);
  s.release(&s);
  return info.file_bytes;
}

static int64_t data_file(const char *name, const int64_t *ids, int64_t n) {
  const char *names[16];
  char buf[16][8];
  int64_t grp[16];
  for (int64_t i = 0; i < n; i++) {
    snprintf(buf[i], sizeof buf[i], "n%lld", (long long)ids[i]);
    names[i] = buf[i];
    grp[i] = ids[i] % 3;
  }
  const struct col cols[] = {{"l", 1, "id", ids, NULL},
                             {"u", 2, "name", NULL, names},
                             {"i", 3, "grp", grp, NULL}};
  return write_parquet(name, cols, 3, n);
}

/* file: URI of dir/t/data/name. */
static const char *uri_of(const char *name) {
  static char bufs[8][600];
  static int next;
  char *b = bufs[next++ % 8];
  snprintf(b, 600, "file:%s/t/data/%s", g_dir, name);
  return b;
}

/* Builds the whole table; returns the metadata file's path in meta. */
static void build_table(char *meta, size_t cap) {
  struct ice_error err;
  char cmd[600];
  snprintf(cmd, sizeof cmd, "mkdir -p %s/t/data %s/t/metadata", g_dir, g_dir);
  CHECK(system(cmd) == 0);
  const int64_t d1[] = {1, 2, 3, 4, 5, 6}, d2[] = {7, 8, 9, 10}, d3[] = {11, 12, 2},
                gone[] = {100};
  const int64_t s1 = data_file("d1.parquet", d1, 6), s2 = data_file("d2.parquet", d2, 4),
                s3 = data_file("d3.parquet", d3, 3),
                s0 = data_file("gone.parquet", gone, 1);
  const char *pos_paths[] = {uri_of("d1.parquet"), uri_of("d2.parquet"),
                             uri_of("d3.parquet")};
  const int64_t pos[] = {0, 1, 0};
  const struct col pcols[] = {{"u", 2147483546, "file_path", NULL, pos_paths},
                              {"l", 2147483545, "pos", pos, NULL}};
  const int64_t sp = write_parquet("pos.parquet", pcols, 2, 3);
  const int64_t eq_ids[] = {2, 8, 11};
  const struct col ecols[] = {{"l", 1, "id", eq_ids, NULL}};
  const int64_t se = write_parquet("eqid.parquet", ecols, 1, 3);
  const char *eq_names[] = {"n4", "n9"};
  const struct col ncols[] = {{"u", 2, "name", NULL, eq_names}};
  const int64_t sn = write_parquet("eqnm.parquet", ncols, 1, 2);

  struct ib_schema schema;
  tm_schema(&schema);
  struct ib_partition_spec spec;
  tm_spec(&spec, false);
  const enum ib_content D = IB_CONTENT_DATA, P = IB_CONTENT_POSITION_DELETES,
                        E = IB_CONTENT_EQUALITY_DELETES;
  const struct tm_entry data[] = {
      {uri_of("d1.parquet"), D, 1, false, 6, 0, NULL, 0, s1},
      {uri_of("d2.parquet"), D, 2, false, 4, 0, NULL, 0, s2},
      {uri_of("d3.parquet"), D, 3, false, 3, 0, NULL, 0, s3},
      {uri_of("gone.parquet"), D, 1, true, 1, 0, NULL, 0, s0},
  };
  const struct tm_entry dels[] = {
      {uri_of("pos.parquet"), P, 2, false, 3, 0, NULL, 0, sp},
      {uri_of("eqid.parquet"), E, 3, false, 3, 1, NULL, 0, se},
      {uri_of("eqnm.parquet"), E, 2, false, 2, 2, NULL, 0, sn},
  };
  char m1[512], m2[512], lists[3][512];
  snprintf(m1, sizeof m1, "%s/t/metadata/data-m0.avro", g_dir);
  snprintf(m2, sizeof m2, "%s/t/metadata/deletes-m0.avro", g_dir);
  struct ib_manifest_file mfs[2];
  const int64_t snap_ids[] = {1001, 1002, 1003};
  tm_write_manifest(m1, &schema, &spec, IB_MANIFEST_DATA, data, 4, snap_ids[2], &mfs[0]);
  tm_write_manifest(m2, &schema, &spec, IB_MANIFEST_DELETES, dels, 3, snap_ids[2],
                    &mfs[1]);
  mfs[0].sequence_number = mfs[1].sequence_number = 3;
  for (int i = 0; i < 3; i++) {
    snprintf(lists[i], sizeof lists[i], "%s/t/metadata/snap-%d.avro", g_dir, i + 1);
    /* Only the current snapshot's list matters; older ones are empty. */
    tm_write_list(lists[i], mfs, i == 2 ? 2 : 0, snap_ids[i], i + 1);
  }
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  char location[400];
  snprintf(location, sizeof location, "file:%s/t", g_dir);
  CHECK_OK(tb_new_table(location, &schema, NULL, 1700000000000, &md, &err), &err);
  for (int i = 0; i < 3; i++) {
    struct ib_str_map summary;
    ib_str_map_init(&summary);
    CHECK_OK(ib_str_map_set(&summary, "operation", i == 0 ? "append" : "overwrite", &err),
             &err);
    char uri[1600];
    snprintf(uri, sizeof uri, "file:%s", lists[i]);
    struct ib_snapshot_add add = {snap_ids[i], i + 1, 1700000000000 + i, uri, &summary};
    CHECK_OK(tb_add_snapshot(&md, NULL, &add, 1700000000000 + i, &err), &err);
    ib_str_map_reset(&summary);
  }
  snprintf(meta, cap, "%s/t/metadata/v1.metadata.json", g_dir);
  struct ice_output *out = NULL;
  CHECK_OK(io_local_create(meta, &out, &err), &err);
  if (out != NULL) CHECK_OK(ib_table_metadata_write(&md, out, &err), &err);
  ice_output_close(out);
  ib_table_metadata_reset(&md);
  for (int i = 0; i < 2; i++) ib_manifest_file_reset(&mfs[i]);
  ib_schema_reset(&schema);
}

/* Scans the table on `threads` threads; writes the ids in stream order to ids (at most
 * cap); returns the row count, or -1 after a failure (*code = ice_scan_error_code). */
static int64_t scan_ids_on(int threads, const char *meta, int64_t memory_limit,
                           int64_t *ids, size_t cap, int *code, char *msg,
                           size_t msg_cap) {
  struct ice_error err;
  ice_table *t = NULL;
  CHECK_OK(ice_table_load_metadata(meta, NULL, &t, &err), &err);
  if (t == NULL) return -1;
  struct ice_scan_options so;
  ice_scan_options_init(&so);
  so.memory_limit = memory_limit;
  so.batch_rows = 2; /* batches that straddle deleted positions */
  so.threads = threads;
  struct ArrowArrayStream st = {0};
  int64_t n = 0;
  *code = ICE_OK;
  CHECK_OK(ice_table_scan(t, &so, &st, &err), &err);
  while (st.release != NULL) {
    struct ArrowArray b = {0};
    if (st.get_next(&st, &b) != 0) {
      *code = ice_scan_error_code(&st);
      snprintf(msg, msg_cap, "%s", st.get_last_error(&st));
      n = -1;
      break;
    }
    if (b.release == NULL) break;
    CHECK_EQ_INT(b.n_children, 3);
    const int64_t *v = (const int64_t *)b.children[0]->buffers[1] + b.children[0]->offset;
    for (int64_t i = 0; i < b.length; i++)
      if ((size_t)n < cap) ids[n++] = v[i];
    b.release(&b);
  }
  if (st.release != NULL) st.release(&st);
  ice_table_free(t);
  return n;
}

static int64_t scan_ids(const char *meta, int64_t memory_limit, int64_t *ids, size_t cap,
                        int *code, char *msg, size_t msg_cap) {
  return scan_ids_on(1, meta, memory_limit, ids, cap, code, msg, msg_cap);
}

static void test_mixed_deletes(void) {
  char meta[600];
  build_table(meta, sizeof meta);
  int64_t ids[64];
  int code = 0;
  char msg[600];
  int64_t n = scan_ids(meta, 0, ids, 64, &code, msg, sizeof msg);
  const int64_t want[] = {3, 5, 6, 7, 9, 10, 11, 12, 2};
  CHECK_EQ_INT(n, 9);
  for (int64_t i = 0; i < n && i < 9; i++) CHECK_EQ_INT(ids[i], want[i]);
  /* The same rows in the same order when the columns are decoded on 3 threads. */
  int64_t ids3[64];
  CHECK_EQ_INT(scan_ids_on(3, meta, 0, ids3, 64, &code, msg, sizeof msg), 9);
  for (int64_t i = 0; i < 9; i++) CHECK_EQ_INT(ids3[i], want[i]);
  /* A table without a catalog takes a location map and nothing else. */
  struct ice_error err;
  ice_table *t = NULL;
  const char *bad[] = {"warehouse", "/tmp", NULL};
  CHECK_EQ_INT(ice_table_load_metadata(meta, bad, &t, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "warehouse") != NULL);
  char map[700];
  snprintf(map, sizeof map, "file:/nowhere=%s", g_dir);
  const char *mapped[] = {"location-map", map, NULL};
  char moved[700];
  snprintf(moved, sizeof moved, "file:/nowhere/t/metadata/v1.metadata.json");
  CHECK_OK(ice_table_load_metadata(moved, mapped, &t, &err), &err);
  /* Thread counts outside 0 (one per CPU) .. ICE_SCAN_MAX_THREADS are refused. */
  static const int bad_threads[] = {-1, ICE_SCAN_MAX_THREADS + 1};
  for (size_t i = 0; t != NULL && i < 2; i++) {
    struct ice_scan_options so;
    ice_scan_options_init(&so);
    so.threads = bad_threads[i];
    struct ArrowArrayStream st = {0};
    CHECK_EQ_INT(ice_table_scan(t, &so, &st, &err), ICE_EINVAL);
    CHECK(st.release == NULL);
  }
  ice_table_free(t);
  const char *keep = getenv("ICE_SCAN_DELETES_DIR");
  if (keep != NULL) {
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cp -r %s/t %s/ && printf '%%s\\n' '%s' > %s/metadata_file",
             g_dir, keep, meta, keep);
    CHECK(system(cmd) == 0);
  }
}

/* Equality keys beyond the budget: ICE_ELIMIT naming the data file and the limit. */
static void test_keys_over_memory_limit(void) {
  enum { N = 60000 };
  int64_t *many = ice_calloc(N, sizeof *many);
  for (int64_t i = 0; i < N; i++) many[i] = 1000000 + i;
  const struct col cols[] = {{"l", 1, "id", many, NULL}};
  write_parquet("eqid.parquet.tmp", cols, 1, N);
  ice_free(many);
  char cmd[1200], meta[600];
  snprintf(cmd, sizeof cmd, "mv %s/t/data/eqid.parquet.tmp %s/t/data/eqid.parquet", g_dir,
           g_dir);
  CHECK(system(cmd) == 0);
  snprintf(meta, sizeof meta, "%s/t/metadata/v1.metadata.json", g_dir);
  int64_t ids[64];
  int code = 0;
  char msg[600] = "";
  CHECK_EQ_INT(scan_ids(meta, 1024 * 1024, ids, 64, &code, msg, sizeof msg), -1);
  CHECK_EQ_INT(code, ICE_ELIMIT);
  CHECK(strstr(msg, "equality deletes for") != NULL && strstr(msg, "d1.parquet") != NULL);
  CHECK(strstr(msg, "memory limit") != NULL);
  fprintf(stderr, "# %s\n", msg);
  /* The default limit holds them. */
  CHECK_EQ_INT(scan_ids(meta, 0, ids, 64, &code, msg, sizeof msg), 10);
}

/* A data file that is not Parquet: the stream fails with ICE_ECORRUPT, naming it. */
static void test_corrupt_data_file(void) {
  char path[600], meta[600];
  snprintf(path, sizeof path, "%s/t/data/d2.parquet", g_dir);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs("this text is not a parquet file\n", f);
    fclose(f);
  }
  snprintf(meta, sizeof meta, "%s/t/metadata/v1.metadata.json", g_dir);
  int64_t ids[64];
  int code = 0;
  char msg[600] = "";
  CHECK_EQ_INT(scan_ids(meta, 0, ids, 64, &code, msg, sizeof msg), -1);
  CHECK_EQ_INT(code, ICE_ECORRUPT);
  fprintf(stderr, "# %s\n", msg);
  CHECK(strstr(msg, path) != NULL);
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_scan_del_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  ICE_RUN(test_mixed_deletes);
  ICE_RUN(test_keys_over_memory_limit);
  ICE_RUN(test_corrupt_data_file);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
