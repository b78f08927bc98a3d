/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Position delete files from wr_pos_delete_writer, end to end: a table gets two data
 * files through two real loads (ids 0-9 at seq 1, 10-19 at seq 2); then two commits
 * through the real manifest writer and commit loop (op_commit, SQLite catalog):
 *   1. one delete file naming both data files (no referenced_data_file: the scan
 *      planner decides by its file_path bounds): positions 0, 3, 9 of the first and
 *      1, 2 of the second;
 *   2. one delete file naming only the second (referenced_data_file set): position 5.
 * After each, the public scan API must return exactly the rows left. With
 * ICE_POS_DELETES_DIR set the table is built there and kept, with `delete_files`
 * (one path per line) and `expected_deletes.jsonl` (what each holds), for
 * tests/cli/pos_deletes_interop.sh (hyparquet and DuckDB read it independently).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "harness/ice_test.h"
#include "ice/ice_parquet_write.h"
#include "ice/ice_table.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_manifest.h"
#include "iceberg/ib_summary.h"
#include "iceberg/ib_write_paths.h"
#include "io/io_fileio.h"
#include "ops/op_commit.h"
#include "ops/op_scan_plan.h"
#include "ops/op_table.h"
#include "util/alloc.h"
#include "util/mem_budget.h"
#include "writer/wr_pos_delete_writer.h"

static char g_dir[512];
static int g_keep;

/* Writes dir/name: one long column `id` with ids first..first+n-1. */
static void write_input(const char *name, int64_t first, int64_t n, char *path,
                        size_t cap) {
  struct ice_error err;
  snprintf(path, cap, "%s/%s", g_dir, name);
  struct ArrowSchema s;
  struct ArrowArray b;
  CHECK_OK(arrow_schema_init(&s, "+s", "", 0, 1, &err), &err);
  CHECK_OK(arrow_schema_init(s.children[0], "l", "id", 0, 0, &err), &err);
  CHECK_OK(arrow_array_init(&b, 1, 1, &err), &err);
  CHECK_OK(arrow_array_init(b.children[0], 2, 0, &err), &err);
  int64_t *v = ice_malloc((size_t)n * sizeof *v);
  for (int64_t i = 0; i < n; i++) v[i] = first + i;
  arrow_array_set_buffer(b.children[0], 1, v);
  b.length = b.children[0]->length = n;
  ice_parquet_writer *w = NULL;
  struct ice_parquet_write_info info = {0};
  CHECK_OK(ice_parquet_writer_open(path, &s, NULL, &w, &err), &err);
  if (w != NULL) CHECK_OK(ice_parquet_writer_write(w, &b, &err), &err);
  if (w != NULL) CHECK_OK(ice_parquet_writer_close(w, &info, &err), &err);
  ice_parquet_writer_free(w);
  b.release(&b);
  s.release(&s);
}

/* One commit's worth of position deletes, written into the table and committed. */
struct commit_ctx {
  struct op_table *t;
  const char *uuid;
  int64_t snapshot_id;
  struct ice_output *mout;
  struct ib_manifest_writer *mw;
  struct ib_summary_builder added;
  int files;
  FILE *listing; /* delete file paths, when kept */
};

static int open_delete_file(void *ctx, int64_t index, struct ice_output **out,
                            char **location, struct ice_error *err) {
  struct commit_ctx *c = ctx;
  char name[96];
  snprintf(name, sizeof name, "%s-deletes-%05lld.parquet", c->uuid, (long long)index);
  char *uri = NULL;
  ICE_TRY(ib_write_paths_data_file(&c->t->md, name, &uri, err));
  int rc = io_fileio_create(c->t->cat->io, uri, NULL, NULL, out, err);
  if (rc != ICE_OK) {
    ice_free(uri);
    return rc;
  }
  *location = uri;
  return ICE_OK;
}

static int delete_file_done(void *ctx, const struct ib_data_file *df,
                            struct ice_error *err) {
  struct commit_ctx *c = ctx;
  if (c->mw == NULL) {
    char *uri = NULL;
    ICE_TRY(ib_write_paths_manifest(&c->t->md, c->uuid, 0, &uri, err));
    int rc = io_fileio_create(c->t->cat->io, uri, NULL, NULL, &c->mout, err);
    if (rc == ICE_OK)
      rc = ib_manifest_writer_new(
          c->mout, uri, ib_table_metadata_current_schema(&c->t->md),
          ib_table_metadata_default_spec(&c->t->md), IB_MANIFEST_DELETES, c->snapshot_id,
          "deflate", &c->mw, err);
    ice_free(uri);
    ICE_TRY(rc);
  }
  ICE_TRY(ib_manifest_writer_add(c->mw, df, err));
  ICE_TRY(ib_summary_add_file(&c->added, df, err));
  if (c->listing != NULL) fprintf(c->listing, "%s\n", df->file_path);
  c->files++;
  return ICE_OK;
}

/* The table's two data files in path order, each with its lowest id (from the id
 * column's lower bound, field id 1): position p of a file is id base + p. */
static int data_files(struct op_table *t, char paths[2][1024], int64_t base[2]) {
  struct ice_error err;
  struct op_scan_plan plan;
  op_scan_plan_init(&plan);
  const struct ib_snapshot *snap = ib_table_metadata_current_snapshot(&t->md);
  CHECK(snap != NULL);
  if (snap == NULL) return 0;
  const int32_t id_field = 1;
  const struct op_scan_plan_options po = {&id_field, 1};
  CHECK_OK(op_scan_plan_build_with(&t->md, snap, op_scan_open_input, t->cat->io, &po,
                                   &plan, &err),
           &err);
  CHECK_EQ_INT(plan.n_tasks, 2);
  int n = plan.n_tasks == 2 ? 2 : 0;
  for (int i = 0; i < n; i++) {
    const struct ib_data_file *f = &plan.tasks[i].data.file;
    snprintf(paths[i], 1024, "%s", f->file_path);
    const struct ib_metric_bound *lo = ib_metric_bounds_get(&f->lower_bounds, id_field);
    CHECK(lo != NULL && lo->len == 8);
    int64_t v = 0;
    for (int k = 0; lo != NULL && k < 8 && k < (int)lo->len; k++)
      v |= (int64_t)lo->data[k] << (8 * k);
    base[i] = v;
  }
  op_scan_plan_reset(&plan);
  if (n == 2 && strcmp(paths[0], paths[1]) > 0) {
    char tmp[1024];
    memcpy(tmp, paths[0], sizeof tmp);
    memcpy(paths[0], paths[1], sizeof tmp);
    memcpy(paths[1], tmp, sizeof tmp);
    int64_t b = base[0];
    base[0] = base[1];
    base[1] = b;
  }
  return n;
}

struct deletes {
  const char *path;
  const int64_t *pos;
  size_t n;
};

/* Writes the deletes (in path order) with the writer and commits them in one snapshot
 * through the real commit loop; returns the committed delete files' count. */
static int commit_deletes(struct cat_catalog *cat, int commit, const struct deletes *d,
                          size_t n_d, FILE *expected) {
  struct ice_error err;
  struct op_table t;
  op_table_init(&t);
  CHECK_OK(op_table_load(cat, "db.t", &t, &err), &err);
  char uuid[IB_UUID_STR_LEN];
  CHECK_OK(ib_uuid4(uuid, &err), &err);
  struct commit_ctx c = {&t, uuid, 0, NULL, NULL, {0}, 0, NULL};
  ib_summary_builder_init(&c.added);
  CHECK_OK(ib_table_metadata_new_snapshot_id(&t.md, &c.snapshot_id, &err), &err);
  char listing[700];
  snprintf(listing, sizeof listing, "%s/delete_files", g_dir);
  if (g_keep) c.listing = fopen(listing, "a");
  struct ice_mem_budget budget;
  ice_mem_budget_init(&budget, 64 * 1024 * 1024);
  struct wr_options o;
  wr_options_init(&o);
  o.parquet.budget = &budget;
  struct wr_pos_delete_writer *w = NULL;
  CHECK_OK(wr_pos_delete_writer_new(&o, open_delete_file, delete_file_done, &c, &w, &err),
           &err);
  for (size_t i = 0; w != NULL && i < n_d; i++) {
    CHECK_OK(wr_pos_delete_writer_add(w, d[i].path, d[i].pos, d[i].n, &err), &err);
    for (size_t k = 0; expected != NULL && k < d[i].n; k++)
      fprintf(expected, "{\"commit\":%d,\"file_path\":\"%s\",\"pos\":%lld}\n", commit,
              d[i].path, (long long)d[i].pos[k]);
  }
  if (w != NULL) CHECK_OK(wr_pos_delete_writer_close(w, &err), &err);
  wr_pos_delete_writer_free(w);
  wr_options_reset(&o);
  if (c.listing != NULL) fclose(c.listing);
  CHECK(c.mw != NULL);
  struct ib_manifest_file mf;
  ib_manifest_file_init(&mf);
  if (c.mw != NULL) CHECK_OK(ib_manifest_writer_finish(c.mw, &mf, &err), &err);
  ib_manifest_writer_free(c.mw);
  ice_output_close(c.mout);
  struct op_commit_request req = {NULL, c.snapshot_id, uuid, &mf, 1, &c.added, NULL, NULL};
  struct op_commit_result res;
  memset(&res, 0, sizeof res);
  CHECK_OK(op_commit(&t, &req, &res, &err), &err);
  CHECK_EQ_INT(res.committed, 1);
  /* Only deletes added: Java's row-delta rule names that a "delete" snapshot. */
  CHECK_EQ_STR(res.operation, "delete");
  /* What the commit recorded for the delete file, read back from its manifest. */
  struct op_scan_plan plan;
  op_scan_plan_init(&plan);
  CHECK_OK(op_scan_plan_build(&t.md, ib_table_metadata_current_snapshot(&t.md),
                              op_scan_open_input, t.cat->io, &plan, &err),
           &err);
  int found = 0;
  for (size_t i = 0; i < plan.n_deletes; i++) {
    const struct ib_data_file *f = &plan.deletes[i].file;
    if (strstr(f->file_path, uuid) == NULL) continue;
    found++;
    CHECK_EQ_INT(f->content, IB_CONTENT_POSITION_DELETES);
    size_t rows = 0;
    for (size_t k = 0; k < n_d; k++) rows += d[k].n;
    CHECK_EQ_INT(f->record_count, (int64_t)rows);
    if (n_d == 1)
      CHECK(f->referenced_data_file != NULL &&
            strcmp(f->referenced_data_file, d[0].path) == 0);
    else
      CHECK(f->referenced_data_file == NULL);
  }
  CHECK_EQ_INT(found, 1);
  op_scan_plan_reset(&plan);
  ib_manifest_file_reset(&mf);
  op_table_reset(&t);
  return c.files;
}

/* The ids the public scan API returns, sorted, into ids; returns the count. */
static int64_t scan_ids(ice_catalog *cat, int64_t *ids, int64_t cap) {
  struct ice_error err;
  ice_table *t = NULL;
  CHECK_OK(ice_table_load(cat, "db.t", &t, &err), &err);
  if (t == NULL) return -1;
  struct ice_scan_options so;
  ice_scan_options_init(&so);
  so.batch_rows = 4; /* batches that straddle deleted positions */
  struct ArrowArrayStream st = {0};
  int64_t n = 0;
  CHECK_OK(ice_table_scan(t, &so, &st, &err), &err);
  while (st.release != NULL) {
    struct ArrowArray b = {0};
    CHECK_EQ_INT(st.get_next(&st, &b), 0);
    if (b.release == NULL) break;
    const int64_t *v = (const int64_t *)b.children[0]->buffers[1] + b.children[0]->offset;
    for (int64_t i = 0; i < b.length; i++)
      if (n < cap) ids[n++] = v[i];
    b.release(&b);
  }
  if (st.release != NULL) st.release(&st);
  ice_table_free(t);
  for (int64_t i = 1; i < n; i++)
    for (int64_t k = i; k > 0 && ids[k - 1] > ids[k]; k--) {
      int64_t x = ids[k];
      ids[k] = ids[k - 1];
      ids[k - 1] = x;
    }
  return n;
}

static void check_ids(ice_catalog *cat, const int64_t *want, int64_t n_want) {
  int64_t got[64];
  int64_t n = scan_ids(cat, got, 64);
  CHECK_EQ_INT(n, n_want);
  for (int64_t i = 0; i < n && i < n_want; i++) CHECK_EQ_INT(got[i], want[i]);
}

static void test_deletes_committed_and_scanned(void) {
  struct ice_error err;
  char in1[700], in2[700], wh[600];
  write_input("in1.parquet", 0, 10, in1, sizeof in1);
  write_input("in2.parquet", 10, 10, in2, sizeof in2);
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  const char *props[] = {"warehouse", wh, NULL};
  ice_catalog *cat = NULL;
  CHECK_OK(ice_catalog_open(props, &cat, &err), &err);
  if (cat == NULL) return;
  const char *inputs[] = {in1, in2};
  for (int i = 0; i < 2; i++) {
    struct ice_load_request req;
    ice_load_request_init(&req);
    req.inputs = &inputs[i];
    req.n_inputs = 1;
    struct ice_commit_info info;
    CHECK_OK(ice_load_files(cat, "db.t", &req, &info, &err), &err);
  }
  struct cat_catalog *ops_cat = NULL;
  CHECK_OK(cat_open(NULL, wh, "default", 30000, &ops_cat, &err), &err);
  if (ops_cat == NULL) return;
  struct op_table t;
  op_table_init(&t);
  CHECK_OK(op_table_load(ops_cat, "db.t", &t, &err), &err);
  char paths[2][1024];
  int64_t base[2];
  int n_paths = data_files(&t, paths, base);
  op_table_reset(&t);
  if (n_paths != 2) return;
  CHECK(base[0] + base[1] == 10 && (base[0] == 0 || base[1] == 0));
  char expected_path[700];
  snprintf(expected_path, sizeof expected_path, "%s/expected_deletes.jsonl", g_dir);
  FILE *expected = g_keep ? fopen(expected_path, "w") : NULL;
  /* Commit 1: both data files in one delete file. */
  const int64_t pa[] = {0, 3, 9}, pb[] = {1, 2};
  const struct deletes both[] = {{paths[0], pa, 3}, {paths[1], pb, 2}};
  CHECK_EQ_INT(commit_deletes(ops_cat, 1, both, 2, expected), 1);
  int gone[20] = {0};
  for (int i = 0; i < 3; i++) gone[base[0] + pa[i]] = 1;
  for (int i = 0; i < 2; i++) gone[base[1] + pb[i]] = 1;
  int64_t want[20], k = 0;
  for (int64_t id = 0; id < 20; id++)
    if (!gone[id]) want[k++] = id;
  CHECK_EQ_INT(k, 15);
  check_ids(cat, want, k);
  /* Commit 2: one more position of the second data file, alone in its delete file. */
  const int64_t pc[] = {5};
  const struct deletes one[] = {{paths[1], pc, 1}};
  CHECK_EQ_INT(commit_deletes(ops_cat, 2, one, 1, expected), 1);
  if (expected != NULL) fclose(expected);
  gone[base[1] + pc[0]] = 1;
  int64_t k2 = 0, want2[20];
  for (int64_t id = 0; id < 20; id++)
    if (!gone[id]) want2[k2++] = id;
  CHECK_EQ_INT(k2, 14);
  check_ids(cat, want2, k2);
  if (g_keep) {
    char meta[1200];
    snprintf(meta, sizeof meta, "%s/metadata_file", g_dir);
    FILE *f = fopen(meta, "w");
    ice_table *tt = NULL;
    CHECK_OK(ice_table_load(cat, "db.t", &tt, &err), &err);
    if (f != NULL && tt != NULL) fprintf(f, "%s\n", ice_table_metadata_location(tt));
    if (f != NULL) fclose(f);
    ice_table_free(tt);
    /* The scan's ids, for the independent readers to agree with. */
    snprintf(meta, sizeof meta, "%s/rows.jsonl", g_dir);
    f = fopen(meta, "w");
    for (int64_t i = 0; f != NULL && i < k2; i++)
      fprintf(f, "{\"id\":%lld}\n", (long long)want2[i]);
    if (f != NULL) fclose(f);
  }
  cat_close(ops_cat);
  ice_catalog_close(cat);
}

int main(void) {
  const char *keep = getenv("ICE_POS_DELETES_DIR");
  if (keep != NULL && keep[0] != '\0') {
    snprintf(g_dir, sizeof g_dir, "%s", keep);
    g_keep = 1;
  } else {
    snprintf(g_dir, sizeof g_dir, "/tmp/ice_pos_del_XXXXXX");
    if (mkdtemp(g_dir) == NULL) return 1;
  }
  ICE_RUN(test_deletes_committed_and_scanned);
  if (!g_keep) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  }
  ICE_TEST_EXIT();
}
