/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The dynamic-overwrite change (src/ops/op_overwrite_partitions.h): which base entries
 * it removes. On a table whose default spec is identity(grp) (spec 1, beside the
 * unpartitioned spec 0): data and delete files of a written partition, whatever width
 * the reader gave the value (int or long after a widening) or sign bytes a decimal
 * carried; not other partitions, not the null partition until a null row was written,
 * never spec 0's files; nothing before any file was written. With the unpartitioned
 * spec as default, or a spec of void fields only (a v1 table "unpartitioned" by
 * voiding, which Java also treats as one partition): every entry of every spec once a
 * file was written.
 */
#include <string.h>

#include "harness/ice_test.h"
#include "harness/ice_test_manifests.h"
#include "ops/op_overwrite_partitions.h"

/* A file of spec 1 whose grp value is v (NULL: null). */
static void file_in(struct ib_data_file *f, enum ib_content c, const struct ib_value *v) {
  struct ice_error err;
  ib_data_file_init(f);
  f->content = c;
  int32_t fid = 1000;
  CHECK_OK(ib_data_file_set_partition_fields(f, &fid, 1, &err), &err);
  CHECK_OK(ib_data_file_set_partition_value(f, 0, v, &err), &err);
}

static bool removes(const struct op_change *ch, int32_t spec_id, enum ib_content c,
                    const struct ib_value *v) {
  struct ib_manifest_file mf;
  memset(&mf, 0, sizeof mf);
  mf.partition_spec_id = spec_id;
  struct ib_manifest_entry e;
  ib_manifest_entry_init(&e);
  if (spec_id == 1) {
    file_in(&e.file, c, v);
  } else {
    e.file.content = c;
  }
  bool r = ch->may_remove_from(ch->ctx, &mf) && ch->removes(ch->ctx, &mf, &e);
  ib_manifest_entry_reset(&e);
  return r;
}

static void test_partitioned(void) {
  struct ib_table_metadata md;
  struct ib_partition_spec specs[2];
  ib_table_metadata_init(&md);
  tm_spec(&specs[0], false);
  tm_spec(&specs[1], true);
  md.specs = specs;
  md.n_specs = 2;
  md.default_spec_id = 1;
  struct ice_error err;
  struct op_overwrite_partitions *o = NULL;
  CHECK_OK(op_overwrite_partitions_new(&md, 42, NULL, &o, &err), &err);
  if (o == NULL) return;
  const struct op_change *ch = op_overwrite_partitions_change(o);
  CHECK_EQ_STR(ch->operation, "overwrite");
  CHECK_EQ_INT(ch->n_removals, -1);
  CHECK_EQ_INT(ch->planned_snapshot_id, 42);
  struct ib_value seven = {.type = IB_TYPE_INT, .u.i32 = 7};
  struct ib_value eight = {.type = IB_TYPE_INT, .u.i32 = 8};
  struct ib_value seven_long = {.type = IB_TYPE_LONG, .u.i64 = 7};
  CHECK(!removes(ch, 1, IB_CONTENT_DATA, &seven)); /* nothing written yet */

  struct ib_data_file f;
  file_in(&f, IB_CONTENT_DATA, &seven);
  CHECK_OK(op_overwrite_partitions_add_file(o, &f, &err), &err);
  ib_data_file_reset(&f);
  CHECK(removes(ch, 1, IB_CONTENT_DATA, &seven));
  CHECK(removes(ch, 1, IB_CONTENT_POSITION_DELETES, &seven));
  CHECK(removes(ch, 1, IB_CONTENT_EQUALITY_DELETES, &seven));
  CHECK(removes(ch, 1, IB_CONTENT_DATA, &seven_long)); /* widened column */
  CHECK(!removes(ch, 1, IB_CONTENT_DATA, &eight));
  CHECK(!removes(ch, 1, IB_CONTENT_DATA, NULL));
  CHECK(!removes(ch, 0, IB_CONTENT_DATA, NULL)); /* another spec */

  /* The null partition, once written. */
  file_in(&f, IB_CONTENT_DATA, NULL);
  CHECK_OK(op_overwrite_partitions_add_file(o, &f, &err), &err);
  ib_data_file_reset(&f);
  CHECK(removes(ch, 1, IB_CONTENT_DATA, NULL));
  CHECK(!removes(ch, 1, IB_CONTENT_DATA, &eight));

  /* Decimals compare by their minimal bytes: 00 80 (128) written, 00 00 80 read. */
  const uint8_t dec[] = {0x00, 0x80}, dec_wide[] = {0x00, 0x00, 0x80}, other[] = {0x7f};
  struct ib_value d = {.type = IB_TYPE_DECIMAL, .bytes = dec, .len = 2};
  struct ib_value dw = {.type = IB_TYPE_DECIMAL, .bytes = dec_wide, .len = 3};
  struct ib_value d2 = {.type = IB_TYPE_DECIMAL, .bytes = other, .len = 1};
  file_in(&f, IB_CONTENT_DATA, &d);
  CHECK_OK(op_overwrite_partitions_add_file(o, &f, &err), &err);
  ib_data_file_reset(&f);
  CHECK(removes(ch, 1, IB_CONTENT_DATA, &dw));
  CHECK(!removes(ch, 1, IB_CONTENT_DATA, &d2));

  /* A string longer than any tuple written cannot match (and is not copied). */
  char long_text[300];
  memset(long_text, 'x', sizeof long_text);
  struct ib_value s = {.type = IB_TYPE_STRING, .bytes = (const uint8_t *)long_text,
                       .len = sizeof long_text};
  CHECK(!removes(ch, 1, IB_CONTENT_DATA, &s));
  /* Delete files the load writes are not partitions it replaces. */
  file_in(&f, IB_CONTENT_POSITION_DELETES, &eight);
  CHECK_OK(op_overwrite_partitions_add_file(o, &f, &err), &err);
  ib_data_file_reset(&f);
  CHECK(!removes(ch, 1, IB_CONTENT_DATA, &eight));
  op_overwrite_partitions_free(o);
  md.specs = NULL;
  md.n_specs = 0;
  ib_table_metadata_reset(&md);
}

/* default_spec: 0 (no fields) or 2 (void(grp)). */
static void check_unpartitioned(int32_t default_spec) {
  struct ib_table_metadata md;
  struct ib_partition_spec specs[3];
  ib_table_metadata_init(&md);
  tm_spec(&specs[0], false);
  tm_spec(&specs[1], true);
  struct ib_partition_field voided = {3, 1001, (char *)"grp_null", (char *)"void"};
  specs[2] = (struct ib_partition_spec){2, &voided, 1};
  md.specs = specs;
  md.n_specs = 3;
  md.default_spec_id = default_spec;
  struct ice_error err;
  struct op_overwrite_partitions *o = NULL;
  CHECK_OK(op_overwrite_partitions_new(&md, -1, NULL, &o, &err), &err);
  if (o == NULL) return;
  const struct op_change *ch = op_overwrite_partitions_change(o);
  struct ib_value eight = {.type = IB_TYPE_INT, .u.i32 = 8};
  CHECK(!removes(ch, default_spec, IB_CONTENT_DATA, NULL)); /* empty input: nothing */
  struct ib_data_file f;
  ib_data_file_init(&f);
  CHECK_OK(op_overwrite_partitions_add_file(o, &f, &err), &err);
  ib_data_file_reset(&f);
  CHECK(removes(ch, default_spec, IB_CONTENT_DATA, NULL));
  CHECK(removes(ch, default_spec, IB_CONTENT_POSITION_DELETES, NULL));
  CHECK(removes(ch, 0, IB_CONTENT_DATA, NULL));
  CHECK(removes(ch, 1, IB_CONTENT_DATA, &eight)); /* older specs too: the whole table */
  op_overwrite_partitions_free(o);
  md.specs = NULL;
  md.n_specs = 0;
  ib_table_metadata_reset(&md);
}

static void test_unpartitioned(void) { check_unpartitioned(0); }
static void test_all_void(void) { check_unpartitioned(2); }

int main(void) {
  ICE_RUN(test_partitioned);
  ICE_RUN(test_unpartitioned);
  ICE_RUN(test_all_void);
  ICE_TEST_EXIT();
}
