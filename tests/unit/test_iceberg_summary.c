/* SPDX-License-Identifier: Apache-2.0 */
/* Snapshot summary counters and totals (reference/iceberg.md §2.3). */
#include "harness/ice_test.h"
#include "iceberg/ib_summary.h"

static void file_of(struct ib_data_file *f, enum ib_content c, int64_t rows,
                    int64_t size) {
  ib_data_file_init(f);
  f->content = c;
  f->record_count = rows;
  f->file_size_in_bytes = size;
}

static void test_first_append(void) {
  struct ib_summary_builder b;
  struct ib_data_file f;
  struct ice_error err;
  ib_summary_builder_init(&b);
  file_of(&f, IB_CONTENT_DATA, 10, 812);
  CHECK_OK(ib_summary_add_file(&b, &f, &err), &err);
  struct ib_str_map m;
  ib_str_map_init(&m);
  CHECK_OK(ib_summary_build(&b, "append", NULL, &m, &err), &err);
  CHECK_EQ_STR(m.keys[0], "operation");
  CHECK_EQ_STR(ib_str_map_get(&m, "operation"), "append");
  CHECK_EQ_STR(ib_str_map_get(&m, "added-data-files"), "1");
  CHECK_EQ_STR(ib_str_map_get(&m, "added-records"), "10");
  CHECK_EQ_STR(ib_str_map_get(&m, "added-files-size"), "812");
  CHECK_EQ_STR(ib_str_map_get(&m, "total-data-files"), "1");
  CHECK_EQ_STR(ib_str_map_get(&m, "total-delete-files"), "0");
  CHECK_EQ_STR(ib_str_map_get(&m, "total-records"), "10");
  CHECK_EQ_STR(ib_str_map_get(&m, "total-files-size"), "812");
  CHECK_EQ_STR(ib_str_map_get(&m, "total-position-deletes"), "0");
  CHECK_EQ_STR(ib_str_map_get(&m, "total-equality-deletes"), "0");
  CHECK(ib_str_map_get(&m, "deleted-data-files") == NULL);
  CHECK_EQ_INT(m.n, 10);
  ib_str_map_reset(&m);
}

static void test_overwrite_carries_totals(void) {
  struct ib_str_map prev, m;
  struct ice_error err;
  ib_str_map_init(&prev);
  ib_str_map_init(&m);
  CHECK_OK(ib_str_map_set(&prev, "total-data-files", "3", &err), &err);
  CHECK_OK(ib_str_map_set(&prev, "total-records", "30", &err), &err);
  CHECK_OK(ib_str_map_set(&prev, "total-files-size", "3000", &err), &err);
  CHECK_OK(ib_str_map_set(&prev, "total-delete-files", "garbage", &err), &err);
  struct ib_summary_builder b;
  struct ib_data_file f;
  ib_summary_builder_init(&b);
  file_of(&f, IB_CONTENT_DATA, 10, 1000);
  for (int i = 0; i < 3; i++) CHECK_OK(ib_summary_remove_file(&b, &f, &err), &err);
  file_of(&f, IB_CONTENT_DATA, 7, 700);
  CHECK_OK(ib_summary_add_file(&b, &f, &err), &err);
  file_of(&f, IB_CONTENT_POSITION_DELETES, 2, 50);
  CHECK_OK(ib_summary_add_file(&b, &f, &err), &err);
  CHECK_OK(ib_summary_build(&b, "overwrite", &prev, &m, &err), &err);
  CHECK_EQ_STR(ib_str_map_get(&m, "deleted-data-files"), "3");
  CHECK_EQ_STR(ib_str_map_get(&m, "deleted-records"), "30");
  CHECK_EQ_STR(ib_str_map_get(&m, "removed-files-size"), "3000");
  CHECK_EQ_STR(ib_str_map_get(&m, "added-delete-files"), "1");
  CHECK_EQ_STR(ib_str_map_get(&m, "added-position-delete-files"), "1");
  CHECK_EQ_STR(ib_str_map_get(&m, "added-position-deletes"), "2");
  CHECK_EQ_STR(ib_str_map_get(&m, "total-data-files"), "1");
  CHECK_EQ_STR(ib_str_map_get(&m, "total-records"), "7");
  CHECK_EQ_STR(ib_str_map_get(&m, "total-files-size"), "750");
  /* Missing or unparsable previous totals are omitted, as Java does. */
  CHECK(ib_str_map_get(&m, "total-delete-files") == NULL);
  CHECK(ib_str_map_get(&m, "total-position-deletes") == NULL);
  /* A total that would go negative is omitted. */
  struct ib_str_map m2;
  ib_str_map_init(&m2);
  ib_summary_builder_init(&b);
  file_of(&f, IB_CONTENT_DATA, 100, 1);
  CHECK_OK(ib_summary_remove_file(&b, &f, &err), &err);
  CHECK_OK(ib_summary_build(&b, "delete", &prev, &m2, &err), &err);
  CHECK(ib_str_map_get(&m2, "total-records") == NULL);
  CHECK_EQ_STR(ib_str_map_get(&m2, "total-data-files"), "2");
  file_of(&f, IB_CONTENT_DATA, -1, 1);
  CHECK_EQ_INT(ib_summary_add_file(&b, &f, &err), ICE_EINVAL);
  ib_str_map_reset(&m2);
  ib_str_map_reset(&m);
  ib_str_map_reset(&prev);
}

int main(void) {
  ICE_RUN(test_first_append);
  ICE_RUN(test_overwrite_carries_totals);
  ICE_TEST_EXIT();
}
