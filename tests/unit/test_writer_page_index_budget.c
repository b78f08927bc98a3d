/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a data file keeps in memory until it closes — one page-index record per page
 * while its row group is open, then the chunk's footer facts and page-index blobs —
 * is charged to the load's budget, and the rolling writer starts a new file before
 * it takes a sixteenth of that budget. With one-row pages (write.parquet.page-row-limit
 * = 1) these records used to outgrow the pages themselves, uncharged (issue 7, item 12:
 * 417 MB of RSS at a 64 MiB limit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
#include "test_parquet_write_arrow.h"
#include "util/mem_budget.h"
#include "writer/wr_data_writer.h"

#define ROWS 30000

struct sink {
  int opened;
  int64_t rows;
};

static int open_cb(void *ctx, int64_t index, struct ice_output **out, char **location,
                   struct ice_error *err) {
  struct sink *s = ctx;
  char name[64], path[512];
  snprintf(name, sizeof name, "pidx-%lld.parquet", (long long)index);
  tw_tmp_path(path, sizeof path, name);
  s->opened++;
  *location = ice_strdup(path);
  return io_local_create(path, out, err);
}

static int done_cb(void *ctx, const struct ib_data_file *df, struct ice_error *err) {
  (void)err;
  struct sink *s = ctx;
  s->rows += df->record_count;
  remove(df->file_path);
  return ICE_OK;
}

/* id long, name string (field ids 1, 2): two columns, ROWS pages each. */
static void make_input(struct ArrowSchema *s, struct ArrowArray *a) {
  tw_field(s, "+s", "", 0, -1, 2);
  tw_field(s->children[0], "l", "id", 0, 1, 0);
  tw_field(s->children[1], "u", "name", 1, 2, 0);
  int64_t *ids = ice_malloc(ROWS * 8);
  const char **names = ice_malloc(ROWS * sizeof(char *));
  char *text = ice_malloc(ROWS * 24);
  for (int64_t i = 0; i < ROWS; i++) {
    ids[i] = i;
    snprintf(text + i * 24, 24, "name-%08lld", (long long)(i * 7919 % 100003));
    names[i] = text + i * 24;
  }
  tw_struct(a, ROWS, 2, NULL);
  tw_prim(a->children[0], ROWS, ids, 8, NULL);
  tw_str(a->children[1], ROWS, names, NULL);
  ice_free(ids);
  ice_free(names);
  ice_free(text);
}

/* Writes the input with one-row pages under a budget of `limit`; returns files made. */
static int write_one_row_pages(int64_t limit, struct ice_mem_budget *b, struct sink *sk) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  make_input(&s, &a);
  struct wr_options o;
  wr_options_init(&o);
  const char *props[] = {"write.parquet.page-row-limit", "1", NULL};
  CHECK_OK(wr_options_apply(&o, props, &err), &err);
  CHECK_OK(wr_options_set_schema_json(&o, "{\"type\":\"struct\"}", &err), &err);
  ice_mem_budget_init(b, limit);
  o.parquet.budget = b;
  struct wr_data_writer *w = NULL;
  CHECK_OK(wr_data_writer_new(&s, &o, open_cb, done_cb, sk, &w, &err), &err);
  CHECK_OK(wr_data_writer_write(w, &a, &err), &err);
  CHECK_OK(wr_data_writer_close(w, &err), &err);
  int files = (int)wr_data_writer_files(w);
  wr_data_writer_free(w);
  wr_options_reset(&o);
  arrow_array_release(&a);
  arrow_schema_release(&s);
  return files;
}

static void test_page_records_are_charged_and_roll_the_file(void) {
  struct ice_mem_budget b;
  struct sink sk = {0};
  int64_t limit = 2 << 20;
  int files = write_one_row_pages(limit, &b, &sk);
  printf("one-row pages at 2 MiB: %d files, budget peak %lld bytes\n", files,
         (long long)b.peak);
  CHECK_EQ_INT(sk.rows, ROWS);
  /* 60,000 pages' records and page index do not fit a sixteenth of 2 MiB in one file:
   * without the charge the writer sees only the (small) pages and writes one file. */
  CHECK(files > 1);
  CHECK_EQ_INT(sk.opened, files);
  /* Each page's record (position, counts, two bounds) is charged: at least 60 bytes
   * for each of the pages the largest row group held. */
  CHECK(b.peak > 60 * 1000);
  CHECK(b.peak <= limit);
  CHECK_EQ_INT(b.used, 0); /* everything charged was given back */
}

/* A larger budget holds more of them in one file: the roll follows the budget. */
static void test_roll_follows_the_budget(void) {
  struct ice_mem_budget small, large;
  struct sink a = {0}, c = {0};
  int f_small = write_one_row_pages(2 << 20, &small, &a);
  int f_large = write_one_row_pages(64 << 20, &large, &c);
  CHECK(f_large < f_small);
  CHECK_EQ_INT(c.rows, ROWS);
  CHECK_EQ_INT(large.used, 0);
}

int main(void) {
  ICE_RUN(test_page_records_are_charged_and_roll_the_file);
  ICE_RUN(test_roll_follows_the_budget);
  ICE_TEST_EXIT();
}
