/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan planning (src/ops/op_scan_plan.h, reference/iceberg.md §7.3): the rules that
 * decide which delete files apply to a data file (data sequence numbers equal, lower
 * and higher; partitions and spec ids; global equality deletes; referenced data
 * files), then whole plans over hand-built manifests: DELETED entries are not live,
 * sequence numbers come from the entries, and a v1 snapshot listing its manifests
 * plans with sequence number 0 and no deletes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
#include "harness/ice_test_manifests.h"
#include "iceberg/ib_snapshot_files.h"
#include "io/io_fileio.h"
#include "ops/op_scan_plan.h"

static char g_tmp[256];

/* A table with spec 0 (unpartitioned) and spec 1 (identity on grp). */
static void make_md(struct ib_table_metadata *md, struct ib_partition_spec *specs) {
  ib_table_metadata_init(md);
  tm_spec(&specs[0], false);
  tm_spec(&specs[1], true);
  md->specs = specs;
  md->n_specs = 2;
}

static struct op_scan_file file_of(enum ib_content c, int32_t spec, int64_t seq,
                                   int32_t part, const char *path) {
  struct op_scan_file f;
  struct ice_error err;
  memset(&f, 0, sizeof f);
  ib_data_file_init(&f.file);
  f.file.content = c;
  f.spec_id = spec;
  f.seq = seq;
  CHECK_OK(ib_data_file_set_path(&f.file, path, &err), &err);
  if (spec == 1) {
    int32_t fid = 1000;
    CHECK_OK(ib_data_file_set_partition_fields(&f.file, &fid, 1, &err), &err);
    struct ib_value v = {.type = IB_TYPE_INT, .u.i32 = part};
    CHECK_OK(ib_data_file_set_partition_value(&f.file, 0, &v, &err), &err);
  }
  return f;
}

static void test_rules(void) {
  struct ib_table_metadata md;
  struct ib_partition_spec specs[2];
  make_md(&md, specs);
  struct op_scan_file d = file_of(IB_CONTENT_DATA, 1, 5, 7, "file:/t/d.parquet");
  const enum ib_content P = IB_CONTENT_POSITION_DELETES, E = IB_CONTENT_EQUALITY_DELETES;
  struct {
    enum ib_content c;
    int32_t spec;
    int64_t seq;
    int32_t part;
    const char *ref;
    bool applies;
  } cases[] = {
      {P, 1, 5, 7, NULL, true},                /* position: equal seq applies */
      {P, 1, 6, 7, NULL, true},                /* later delete */
      {P, 1, 4, 7, NULL, false},               /* older delete */
      {P, 1, 6, 8, NULL, false},               /* other partition */
      {P, 0, 6, 0, NULL, false},               /* other spec (unpartitioned) */
      {P, 1, 6, 7, "file:/t/d.parquet", true}, /* names this file */
      {P, 1, 6, 7, "file:/t/other.parquet", false},
      {E, 1, 5, 7, NULL, false}, /* equality: equal seq does not */
      {E, 1, 6, 7, NULL, true},  /* strictly later applies */
      {E, 1, 4, 7, NULL, false},
      {E, 1, 6, 8, NULL, false}, /* other partition */
      {E, 0, 6, 0, NULL, true},  /* unpartitioned spec: global */
      {E, 0, 5, 0, NULL, false}, /* global, but not later */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct op_scan_file del = file_of(cases[i].c, cases[i].spec, cases[i].seq,
                                      cases[i].part, "file:/t/x.parquet");
    if (cases[i].ref != NULL) del.file.referenced_data_file = ice_strdup(cases[i].ref);
    bool got = op_scan_delete_applies(&md, &d, &del);
    if (got != cases[i].applies) fprintf(stderr, "  case %zu\n", i);
    CHECK(got == cases[i].applies);
    ib_data_file_reset(&del.file);
  }
  /* A position delete without referenced_data_file: its file_path bounds prune. */
  struct {
    const char *lo, *hi;
    bool applies;
  } bounds[] = {
      {"file:/t/a", "file:/t/c", false},        /* d.parquet above the upper bound */
      {"file:/t/e", "file:/t/z", false},        /* below the lower bound */
      {"file:/t/a", "file:/t/d.parquet", true}, /* the upper bound itself */
      {"file:/t/d.parquet", NULL, true},        /* the lower bound itself */
      {"file:/t/", "file:/t/d", true},          /* upper truncated to a prefix */
      {"file:/t/d.parquet.x", NULL, false},     /* path is a proper prefix of lower */
  };
  for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
    struct ice_error err;
    struct op_scan_file del = file_of(P, 1, 6, 7, "file:/t/x.parquet");
    CHECK_OK(
        ib_metric_bounds_put(&del.file.lower_bounds, OP_POS_FILE_PATH_ID,
                             (const uint8_t *)bounds[i].lo, strlen(bounds[i].lo), &err),
        &err);
    if (bounds[i].hi != NULL)
      CHECK_OK(
          ib_metric_bounds_put(&del.file.upper_bounds, OP_POS_FILE_PATH_ID,
                               (const uint8_t *)bounds[i].hi, strlen(bounds[i].hi), &err),
          &err);
    bool got = op_scan_delete_applies(&md, &d, &del);
    if (got != bounds[i].applies) fprintf(stderr, "  bounds case %zu\n", i);
    CHECK(got == bounds[i].applies);
    ib_data_file_reset(&del.file);
  }
  /* An unpartitioned data file: position deletes of spec 0 apply by sequence number. */
  struct op_scan_file u = file_of(IB_CONTENT_DATA, 0, 3, 0, "file:/t/u.parquet");
  struct op_scan_file p = file_of(P, 0, 3, 0, "file:/t/p.parquet");
  CHECK(op_scan_delete_applies(&md, &u, &p));
  ib_data_file_reset(&p.file);
  ib_data_file_reset(&u.file);
  ib_data_file_reset(&d.file);
  md.specs = NULL;
  md.n_specs = 0;
  ib_table_metadata_reset(&md);
}

/* Index of the task for path, or -1. */
static long task_of(const struct op_scan_plan *p, const char *path) {
  for (size_t i = 0; i < p->n_tasks; i++)
    if (strcmp(p->tasks[i].data.file.file_path, path) == 0) return (long)i;
  return -1;
}

/* The delete paths of a task, joined by ','. */
static void deletes_of(const struct op_scan_plan *p, long t, char *buf, size_t cap) {
  buf[0] = '\0';
  if (t < 0) return;
  for (size_t i = 0; i < p->tasks[t].n_deletes; i++) {
    size_t len = strlen(buf);
    snprintf(buf + len, cap - len, "%s%s", len ? "," : "",
             p->deletes[p->tasks[t].deletes[i]].file.file_path);
  }
}

static void test_plan_from_manifests(void) {
  struct ib_table_metadata md;
  struct ib_partition_spec specs[2];
  make_md(&md, specs);
  struct ib_schema schema;
  tm_schema(&schema);
  const enum ib_content D = IB_CONTENT_DATA, P = IB_CONTENT_POSITION_DELETES,
                        E = IB_CONTENT_EQUALITY_DELETES;
  const struct tm_entry data[] = {
      {"/t/a1", D, 1, false, 10, 0, NULL, 1, 0},
      {"/t/a2", D, 2, false, 10, 0, NULL, 1, 0},
      {"/t/b3", D, 3, false, 10, 0, NULL, 2, 0},
      {"/t/gone", D, 1, true, 10, 0, NULL, 1, 0},
  };
  const struct tm_entry dels[] = {
      {"/t/p2", P, 2, false, 1, 0, NULL, 1, 0},   /* a1, a2 */
      {"/t/p3b", P, 3, false, 1, 0, NULL, 2, 0},  /* b3 */
      {"/t/e2", E, 2, false, 1, 1, NULL, 1, 0},   /* a1 */
      {"/t/e3", E, 3, false, 1, 1, NULL, 1, 0},   /* a1, a2 */
      {"/t/pgone", P, 9, true, 1, 0, NULL, 1, 0}, /* DELETED: nothing */
  };
  const struct tm_entry global[] = {
      {"/t/g3", E, 3, false, 1, 2, NULL, 0, 0}}; /* a1, a2 */
  char m1[300], m2[300], m3[300], list[300];
  snprintf(m1, sizeof m1, "%s/data-m.avro", g_tmp);
  snprintf(m2, sizeof m2, "%s/del-m.avro", g_tmp);
  snprintf(m3, sizeof m3, "%s/global-m.avro", g_tmp);
  snprintf(list, sizeof list, "%s/snap.avro", g_tmp);
  struct ib_manifest_file mfs[3];
  tm_write_manifest(m1, &schema, &specs[1], IB_MANIFEST_DATA, data, 4, 42, &mfs[0]);
  tm_write_manifest(m2, &schema, &specs[1], IB_MANIFEST_DELETES, dels, 5, 42, &mfs[1]);
  tm_write_manifest(m3, &schema, &specs[0], IB_MANIFEST_DELETES, global, 1, 42, &mfs[2]);
  tm_write_list(list, mfs, 3, 42, 3);
  struct ib_snapshot snap;
  memset(&snap, 0, sizeof snap);
  snap.snapshot_id = 42;
  snap.sequence_number = 3;
  snap.manifest_list = list;
  struct op_scan_plan plan;
  struct ice_error err;
  struct io_fileio *io = NULL;
  CHECK_OK(io_fileio_new(&io, &err), &err);
  CHECK_OK(op_scan_plan_build(&md, &snap, op_scan_open_input, io, &plan, &err), &err);
  CHECK_EQ_INT(plan.n_tasks, 3);
  CHECK_EQ_INT(plan.n_deletes, 5);
  CHECK_EQ_INT(task_of(&plan, "/t/gone"), -1);
  char got[512];
  deletes_of(&plan, task_of(&plan, "/t/a1"), got, sizeof got);
  CHECK_EQ_STR(got, "/t/p2,/t/e2,/t/e3,/t/g3");
  deletes_of(&plan, task_of(&plan, "/t/a2"), got, sizeof got);
  CHECK_EQ_STR(got, "/t/p2,/t/e3,/t/g3");
  deletes_of(&plan, task_of(&plan, "/t/b3"), got, sizeof got);
  CHECK_EQ_STR(got, "/t/p3b");
  long a2 = task_of(&plan, "/t/a2");
  if (a2 >= 0) CHECK_EQ_INT(plan.tasks[a2].data.seq, 2);
  op_scan_plan_reset(&plan);

  /* v1: a snapshot listing its manifests directly; everything is sequence number 0, so
   * no delete may apply (and v1 tables have none). */
  char *manifests[] = {m1};
  snap.manifest_list = NULL;
  snap.manifests = manifests;
  snap.n_manifests = 1;
  CHECK_OK(op_scan_plan_build(&md, &snap, op_scan_open_input, io, &plan, &err), &err);
  CHECK_EQ_INT(plan.n_tasks, 3);
  CHECK_EQ_INT(plan.n_deletes, 0);
  for (size_t i = 0; i < plan.n_tasks; i++) CHECK_EQ_INT(plan.tasks[i].n_deletes, 0);
  op_scan_plan_reset(&plan);

  /* A missing manifest names itself. */
  snap.manifests = NULL;
  snap.n_manifests = 0;
  snap.manifest_list = list;
  remove(m2);
  CHECK_EQ_INT(op_scan_plan_build(&md, &snap, op_scan_open_input, io, &plan, &err),
               ICE_ENOTFOUND);
  CHECK(strstr(err.message, m2) != NULL);
  io_fileio_free(io);
  for (int i = 0; i < 3; i++) ib_manifest_file_reset(&mfs[i]);
  ib_schema_reset(&schema);
  md.specs = NULL;
  md.n_specs = 0;
  ib_table_metadata_reset(&md);
}

int main(void) {
  snprintf(g_tmp, sizeof g_tmp, "/tmp/ice_scan_plan_XXXXXX");
  if (mkdtemp(g_tmp) == NULL) return 1;
  ICE_RUN(test_rules);
  ICE_RUN(test_plan_from_manifests);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", g_tmp);
  if (system(cmd) != 0) return 1;
  ICE_TEST_EXIT();
}
