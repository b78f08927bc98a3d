/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Merges through the public C API (ice_load_files with ICE_MODE_MERGE and struct
 * ice_merge_options) on Parquet files written by our own writer: the ice_commit_info
 * merge counters and the rows the table then holds, a duplicate key refused with the
 * table unchanged, insert-only and delete-insert; and an allocation-failure torture
 * over a whole merge (catalog open, index, probe, rewrite, commit): every failing
 * allocation gives an error (never a crash or a leak, ASan checks) and leaves the table
 * exactly as it was.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "harness/ice_test.h"
#include "harness/ice_test_inputs.h"
#include "ice/ice_table.h"
#include "util/alloc.h"

#define MAX_ID 32768

/* The rows read_rows found: qty by id. */
static int32_t g_q[MAX_ID];

static char g_dir[256];
static char g_wh[320];

/* Writes g_dir/name: columns id (long) and qty (int), row i = (ids[i], qty[i]). */
static void write_input(const char *name, const int64_t *ids, const int32_t *qty,
                        int64_t n, char *path, size_t cap) {
  struct ice_error err;
  snprintf(path, cap, "%s/%s", g_dir, name);
  struct ArrowSchema s;
  struct ArrowArray b;
  CHECK_OK(arrow_schema_init(&s, "+s", "", 0, 2, &err), &err);
  CHECK_OK(arrow_schema_init(s.children[0], "l", "id", 0, 0, &err), &err);
  CHECK_OK(arrow_schema_init(s.children[1], "i", "qty", 0, 0, &err), &err);
  CHECK_OK(arrow_array_init(&b, 1, 2, &err), &err);
  CHECK_OK(arrow_array_init(b.children[0], 2, 0, &err), &err);
  CHECK_OK(arrow_array_init(b.children[1], 2, 0, &err), &err);
  int64_t *v = ice_malloc((size_t)n * sizeof *v);
  int32_t *q = ice_malloc((size_t)n * sizeof *q);
  memcpy(v, ids, (size_t)n * sizeof *v);
  memcpy(q, qty, (size_t)n * sizeof *q);
  arrow_array_set_buffer(b.children[0], 1, v);
  arrow_array_set_buffer(b.children[1], 1, q);
  b.length = b.children[0]->length = b.children[1]->length = n;
  ice_test_write_parquet(path, &s, &b);
  b.release(&b);
  s.release(&s);
}

/* Writes ids first..first+n-1 with qty = qty_of(id). */
static void write_range(const char *name, int64_t first, int64_t n,
                        int32_t (*qty_of)(int64_t), char *path, size_t cap) {
  int64_t *ids = ice_malloc((size_t)n * sizeof *ids);
  int32_t *q = ice_malloc((size_t)n * sizeof *q);
  if (ids == NULL || q == NULL) abort();
  for (int64_t i = 0; i < n; i++) {
    ids[i] = first + i;
    q[i] = qty_of(first + i);
  }
  write_input(name, ids, q, n, path, cap);
  ice_free(ids);
  ice_free(q);
}

static int32_t zero(int64_t id) {
  (void)id;
  return 0;
}
static int32_t odd_one(int64_t id) {
  return (int32_t)(id % 2);
}

static ice_catalog *open_catalog(void) {
  const char *props[] = {"warehouse", g_wh, NULL};
  ice_catalog *cat = NULL;
  struct ice_error err;
  CHECK_OK(ice_catalog_open(props, &cat, &err), &err);
  return cat;
}

/* The table's rows: qty_by_id[id] = qty, -1 for an absent id; returns the row count,
 * or -1 when an id is out of range or stored twice, or the table cannot be read. */
static int64_t read_rows(ice_catalog *cat, const char *ident, int32_t *qty_by_id) {
  for (int i = 0; i < MAX_ID; i++) qty_by_id[i] = -1;
  struct ice_error err;
  ice_table *t = NULL;
  if (ice_table_load(cat, ident, &t, &err) != ICE_OK) {
    fprintf(stderr, "  %s: %s\n", ident, err.message);
    return -1;
  }
  struct ArrowArrayStream st = {0};
  int64_t rows = 0;
  CHECK_OK(ice_table_scan(t, NULL, &st, &err), &err);
  while (st.release != NULL && rows >= 0) {
    struct ArrowArray b = {0};
    if (st.get_next(&st, &b) != 0 || b.release == NULL) break;
    const int64_t *id = b.children[0]->buffers[1];
    const int32_t *q = b.children[1]->buffers[1];
    for (int64_t r = 0; r < b.length && rows >= 0; r++) {
      int64_t i = id[r + b.children[0]->offset];
      if (i < 0 || i >= MAX_ID || qty_by_id[i] != -1) {
        rows = -1;
        break;
      }
      qty_by_id[i] = q[r + b.children[1]->offset];
      rows++;
    }
    b.release(&b);
  }
  if (st.release != NULL) st.release(&st);
  ice_table_free(t);
  return rows;
}

/* Properties of the tables merges create (NULL: none, copy-on-write). */
static const char *const *g_table_props;
/* The memory limit of every merge (0: the default). */
static int64_t g_memory_limit;

/* A merge keyed by id; a table it creates gets g_table_props. */
static int merge(ice_catalog *cat, const char *ident, const char *input,
                 enum ice_merge_strategy strategy, struct ice_commit_info *info,
                 struct ice_error *err) {
  static const char *const keys[] = {"id"};
  const char *inputs[] = {input};
  struct ice_load_request req;
  ice_load_request_init(&req);
  req.inputs = inputs;
  req.n_inputs = 1;
  req.mode = ICE_MODE_MERGE;
  req.table_props = g_table_props;
  req.memory_limit = g_memory_limit;
  ice_merge_options_init(&req.merge);
  req.merge.keys = keys;
  req.merge.n_keys = 1;
  req.merge.strategy = strategy;
  return ice_load_files(cat, ident, &req, info, err);
}

/* The counters of an upsert: ids 0..99 stored with qty 0, then ids 50..149 with qty
 * id % 2 (the odd stored ones change, the even ones do not, 100..149 are new). */
static void test_upsert_counters(void) {
  char base[512], upd[512];
  write_range("base.parquet", 0, 100, zero, base, sizeof base);
  write_range("upd.parquet", 50, 100, odd_one, upd, sizeof upd);
  ice_catalog *cat = open_catalog();
  if (cat == NULL) return;
  struct ice_commit_info info;
  struct ice_error err;
  CHECK_OK(merge(cat, "db.counters", base, ICE_MERGE_UPSERT, &info, &err), &err);
  CHECK_EQ_INT(info.table_created, 1);
  CHECK_EQ_STR(info.operation, "append");
  CHECK_EQ_INT(info.rows_inserted, 100);
  CHECK_OK(merge(cat, "db.counters", upd, ICE_MERGE_UPSERT, &info, &err), &err);
  CHECK_EQ_INT(info.committed, 1);
  CHECK_EQ_STR(info.operation, "overwrite");
  CHECK_EQ_INT(info.rows_inserted, 50);
  CHECK_EQ_INT(info.rows_updated, 25);
  CHECK_EQ_INT(info.rows_unchanged, 25);
  CHECK_EQ_INT(info.rows_deleted, 0);
  CHECK_EQ_INT(info.files_scanned, 1);
  CHECK_EQ_INT(info.files_rewritten, 1);
  CHECK_EQ_INT(info.delete_files_added, 0);
  CHECK_EQ_INT(info.data_files_removed, 1);
  /* the rewritten file's 75 survivors plus the 75 rows written */
  CHECK_EQ_INT(info.rows_written, 150);
  int32_t *q = g_q;
  CHECK_EQ_INT(read_rows(cat, "db.counters", q), 150);
  for (int64_t i = 0; i < 150; i++) CHECK_EQ_INT(q[i], i >= 50 ? i % 2 : 0);

  /* the same input again: nothing to change, nothing committed */
  CHECK_OK(merge(cat, "db.counters", upd, ICE_MERGE_UPSERT, &info, &err), &err);
  CHECK_EQ_INT(info.committed, 0);
  CHECK_EQ_INT(info.snapshot_id, -1);
  CHECK_EQ_INT(info.rows_unchanged, 100);

  /* insert-only: 140..159, of which 150..159 are new; stored keys keep qty */
  char ins[512];
  write_range("ins.parquet", 140, 20, zero, ins, sizeof ins);
  CHECK_OK(merge(cat, "db.counters", ins, ICE_MERGE_INSERT_ONLY, &info, &err), &err);
  CHECK_EQ_STR(info.operation, "append");
  CHECK_EQ_INT(info.rows_inserted, 10);
  CHECK_EQ_INT(info.rows_updated, 0);
  CHECK_EQ_INT(info.files_rewritten, 0);
  CHECK_EQ_INT(read_rows(cat, "db.counters", q), 160);
  CHECK_EQ_INT(q[141], 1);
  CHECK_EQ_INT(q[155], 0);

  /* delete-insert with a repeated key: both rows of key 7 replace the stored one */
  char di[512];
  const int64_t ids[] = {7, 7, 200};
  const int32_t qs[] = {70, 71, 2};
  write_input("di.parquet", ids, qs, 3, di, sizeof di);
  CHECK_OK(merge(cat, "db.counters", di, ICE_MERGE_DELETE_INSERT, &info, &err), &err);
  CHECK_EQ_STR(info.operation, "overwrite");
  CHECK_EQ_INT(info.rows_deleted, 1);
  CHECK_EQ_INT(info.rows_inserted, 3);
  CHECK_EQ_INT(read_rows(cat, "db.counters", q), -1); /* key 7 is stored twice now */
  ice_catalog_close(cat);
}

/* A key twice in the input: ICE_EINVAL naming it; the table is unchanged. */
static void test_duplicate_key_refused(void) {
  char dup[512];
  const int64_t ids[] = {1, 2, 1};
  const int32_t qs[] = {5, 5, 6};
  write_input("dup.parquet", ids, qs, 3, dup, sizeof dup);
  ice_catalog *cat = open_catalog();
  if (cat == NULL) return;
  struct ice_commit_info info;
  struct ice_error err;
  char base[512];
  write_range("base2.parquet", 0, 10, zero, base, sizeof base);
  CHECK_OK(merge(cat, "db.dup", base, ICE_MERGE_UPSERT, &info, &err), &err);
  char before[1024];
  snprintf(before, sizeof before, "%s", info.metadata_location);
  CHECK_EQ_INT(merge(cat, "db.dup", dup, ICE_MERGE_UPSERT, &info, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "duplicate key id=1") != NULL);
  ice_table *t = NULL;
  CHECK_OK(ice_table_load(cat, "db.dup", &t, &err), &err);
  if (t != NULL) CHECK_EQ_STR(ice_table_metadata_location(t), before);
  ice_table_free(t);
  ice_catalog_close(cat);
}

/* 20,000 incoming keys: in memory their index takes more than 1 MiB; with a 1 MiB
 * limit the merge spills and gives the same counters and rows within the limit. */
static void test_spilled_merge(void) {
  char base[512], upd[512];
  write_range("sbase.parquet", 0, 20000, zero, base, sizeof base);
  write_range("supd.parquet", 10000, 20000, odd_one, upd, sizeof upd);
  ice_catalog *cat = open_catalog();
  if (cat == NULL) return;
  const int64_t limits[] = {256 << 20, 1 << 20};
  int64_t peaks[2] = {0, 0};
  for (int i = 0; i < 2; i++) {
    char ident[32];
    snprintf(ident, sizeof ident, "db.spill%d", i);
    struct ice_commit_info info;
    struct ice_error err;
    CHECK_OK(merge(cat, ident, base, ICE_MERGE_UPSERT, &info, &err), &err);
    g_memory_limit = limits[i];
    CHECK_OK(merge(cat, ident, upd, ICE_MERGE_UPSERT, &info, &err), &err);
    g_memory_limit = 0;
    peaks[i] = info.memory_peak_bytes;
    CHECK_EQ_INT(info.rows_updated, 5000);
    CHECK_EQ_INT(info.rows_unchanged, 5000);
    CHECK_EQ_INT(info.rows_inserted, 10000);
    CHECK_EQ_INT(read_rows(cat, ident, g_q), 30000);
    for (int64_t k = 0; k < 30000; k++) CHECK_EQ_INT(g_q[k], k >= 10000 ? k % 2 : 0);
  }
  CHECK(peaks[0] > limits[1]);  /* the index does not fit 1 MiB ... */
  CHECK(peaks[1] <= limits[1]); /* ... so that merge spilled */
  ice_catalog_close(cat);
}

#ifdef ICE_TEST_HOOKS
/* Creates `ident` from base (no injection); its metadata location into meta. */
static void create_base(ice_catalog *checker, const char *ident, const char *base,
                        char *meta, size_t cap) {
  struct ice_commit_info info;
  struct ice_error err;
  CHECK_OK(merge(checker, ident, base, ICE_MERGE_UPSERT, &info, &err), &err);
  snprintf(meta, cap, "%s", info.metadata_location);
}

/* Entries in the private $TMPDIR: spill folders left behind. */
static int tmp_entries(void) {
  char dir[300];
  snprintf(dir, sizeof dir, "%s/tmp", g_dir);
  DIR *d = opendir(dir);
  if (d == NULL) return -1;
  int n = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
  closedir(d);
  return n;
}

/* The Nth allocation of a whole merge fails, for every N until one merge runs through
 * without reaching it. The table holds ids 0..2h-1 (qty 0), the merge brings h..3h-1
 * (qty id % 2). A failed merge leaves the table as it was (same metadata, same rows)
 * and no spill folder, so the next run merges into it again; after a merge that
 * succeeds despite a failed allocation the table is checked, dropped and made again
 * under a new name. */
static void every_allocation_failure(const char *name, int64_t h) {
  char base[512], upd[512], file[64];
  snprintf(file, sizeof file, "%s_base.parquet", name);
  write_range(file, 0, 2 * h, zero, base, sizeof base);
  snprintf(file, sizeof file, "%s_upd.parquet", name);
  write_range(file, h, 2 * h, odd_one, upd, sizeof upd);
  ice_catalog *checker = open_catalog();
  if (checker == NULL) return;
  const char *props[] = {"warehouse", g_wh, NULL};
  int generation = 0;
  char ident[64], meta[1024];
  snprintf(ident, sizeof ident, "db.%s%d", name, generation);
  create_base(checker, ident, base, meta, sizeof meta);
  long failures = 0, successes = 0;
  int clean = 0;
  for (long n = 1; n < 200000 && !clean; n++) {
    struct ice_error err;
    ice_error_clear(&err);
    struct ice_commit_info info;
    ice_catalog *cat = NULL;
    ice_alloc_fail_after(n);
    int rc = ice_catalog_open(props, &cat, &err);
    if (rc == ICE_OK) {
      rc = merge(cat, ident, upd, ICE_MERGE_UPSERT, &info, &err);
      ice_catalog_close(cat);
    }
    clean = ice_test_alloc_failure_pending(n); /* the merge ran through */
    ice_alloc_fail_after(0);
    CHECK_EQ_INT(tmp_entries(), 0);
    if (rc != ICE_OK) {
      failures++;
      CHECK(err.message[0] != '\0');
      ice_table *t = NULL;
      CHECK_OK(ice_table_load(checker, ident, &t, &err), &err);
      if (t != NULL && strcmp(ice_table_metadata_location(t), meta) != 0) {
        fprintf(stderr, "  allocation %ld failed (%s) but the table changed\n", n,
                err.message);
        CHECK(0);
      }
      ice_table_free(t);
      CHECK_EQ_INT(read_rows(checker, ident, g_q), 2 * h);
      continue;
    }
    successes++;
    CHECK_EQ_INT(info.rows_updated, h / 2);
    CHECK_EQ_INT(info.rows_inserted, h);
    CHECK_EQ_INT(info.files_rewritten, g_table_props ? 0 : 1);
    CHECK_EQ_INT(info.delete_files_added, g_table_props ? 1 : 0);
    if (g_memory_limit > 0) CHECK(info.memory_peak_bytes <= g_memory_limit);
    CHECK_EQ_INT(read_rows(checker, ident, g_q), 3 * h);
    for (int64_t i = 0; i < 3 * h; i++) CHECK_EQ_INT(g_q[i], i >= h ? i % 2 : 0);
    CHECK_OK(ice_catalog_drop_table(checker, ident, &err), &err);
    snprintf(ident, sizeof ident, "db.%s%d", name, ++generation);
    if (!clean) create_base(checker, ident, base, meta, sizeof meta);
  }
  printf("# %s: %ld merges failed cleanly, %ld succeeded\n", name, failures, successes);
  CHECK(clean);
  CHECK(failures > 100);
  ice_catalog_close(checker);
}

/* Copy-on-write rewrites the file; merge-on-read writes a position delete file; with
 * 1 MiB the index of 6,000 keys (more than a quarter of it) spills. */
static void test_every_allocation_failure(void) {
  static const char *const mor[] = {"write.merge.mode", "merge-on-read",
                                    "write.update.mode", "merge-on-read", NULL};
  g_table_props = NULL;
  every_allocation_failure("cow", 10);
  g_table_props = mor;
  every_allocation_failure("mor", 10);
  g_table_props = NULL;
  g_memory_limit = 1 << 20;
  every_allocation_failure("spilling", 3000);
  g_memory_limit = 0;
}
#endif

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_api_merge_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  snprintf(g_wh, sizeof g_wh, "%s/wh", g_dir);
  /* A private $TMPDIR, so spill folders left behind are seen. */
  char tmp[300];
  snprintf(tmp, sizeof tmp, "%s/tmp", g_dir);
  if (mkdir(tmp, 0700) != 0 || setenv("TMPDIR", tmp, 1) != 0) return 1;
  ICE_RUN(test_upsert_counters);
  ICE_RUN(test_duplicate_key_refused);
  ICE_RUN(test_spilled_merge);
  ICE_RUN_WITH_HOOKS(test_every_allocation_failure);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
