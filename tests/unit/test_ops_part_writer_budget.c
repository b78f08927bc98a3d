/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition router under one budget (op_part_writer.h): when each open data file's
 * storage buffers megabytes (an S3 part, output_buffer_bytes), the writers open at
 * once are capped so those buffers take half the budget at most, and at least one;
 * every row still reaches a data file of its partition. The router's own tables are
 * charged while it lives and given back when it is freed. Data files go to counting
 * outputs that discard their bytes; temporary runs go to $TMPDIR as in a load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "harness/ice_test.h"
#include "iceberg/ib_arrow_schema.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_partition_row.h"
#include "iceberg/ib_schema_json.h"
#include "ops/op_part_writer.h"
#include "util/alloc.h"

#define PARTS 40
#define ROWS 4000

/* Outputs open now and at most, rows in the data files closed. */
struct counts {
  int64_t open, most_open, rows, files;
};

struct sink {
  struct counts *c;
};

static int sink_write(struct ice_output *o, const void *buf, size_t n,
                      struct ice_error *err) {
  (void)buf, (void)err;
  o->written += (int64_t)n;
  return ICE_OK;
}
static int sink_finish(struct ice_output *o, struct ice_error *err) {
  (void)o, (void)err;
  return ICE_OK;
}
static void sink_abort(struct ice_output *o) {
  (void)o;
}
static void sink_close(struct ice_output *o) {
  struct sink *s = o->priv;
  s->c->open--;
  ice_free(o->name);
  ice_free(o);
}
static const struct ice_output_vtable sink_vt = {sink_write, sink_finish, sink_abort,
                                                 sink_close};

static int open_sink(void *ctx, const char *dir, int64_t index, struct ice_output **out,
                     char **location, struct ice_error *err) {
  struct counts *c = ctx;
  char name[256];
  snprintf(name, sizeof name, "mem://%s/%lld.parquet", dir, (long long)index);
  struct ice_output *o = ice_calloc(1, sizeof *o + sizeof(struct sink));
  char *loc = ice_strdup(name);
  if (o == NULL || loc == NULL || (o->name = ice_strdup(name)) == NULL) abort();
  struct sink *s = (struct sink *)(o + 1);
  s->c = c;
  o->vt = &sink_vt;
  o->priv = s;
  if (++c->open > c->most_open) c->most_open = c->open;
  *out = o;
  *location = loc;
  (void)err;
  return ICE_OK;
}

static int file_done(void *ctx, const struct ib_data_file *df, struct ice_error *err) {
  struct counts *c = ctx;
  (void)err;
  c->rows += df->record_count;
  c->files++;
  return ICE_OK;
}

/* Rows id = i, p = i * 7 mod PARTS: every batch meets every partition. */
static void make_batch(int64_t first, int64_t n, struct ArrowArray *b) {
  struct ice_error err;
  CHECK_OK(arrow_array_init(b, 1, 2, &err), &err);
  CHECK_OK(arrow_array_init(b->children[0], 2, 0, &err), &err);
  CHECK_OK(arrow_array_init(b->children[1], 2, 0, &err), &err);
  int64_t *id = ice_malloc((size_t)n * sizeof *id);
  int32_t *p = ice_malloc((size_t)n * sizeof *p);
  if (id == NULL || p == NULL) abort();
  for (int64_t i = 0; i < n; i++) {
    id[i] = first + i;
    p[i] = (int32_t)((first + i) * 7 % PARTS);
  }
  arrow_array_set_buffer(b->children[0], 1, id);
  arrow_array_set_buffer(b->children[1], 1, p);
  b->length = b->children[0]->length = b->children[1]->length = n;
}

/* Routes ROWS rows under a 64 MiB budget with the given output buffer size; returns
 * the counts. */
static struct counts route_all(int64_t out_buffer) {
  static const char schema_json[] =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
      "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
      "{\"id\":2,\"name\":\"p\",\"required\":true,\"type\":\"int\"}]}";
  struct ice_error err;
  struct counts c = {0};
  struct ib_schema schema;
  struct ib_partition_spec spec;
  struct ib_partition_binding binding;
  struct ArrowSchema arrow = {0};
  CHECK_OK(ib_schema_parse(schema_json, strlen(schema_json), &schema, &err), &err);
  CHECK_OK(ib_partition_spec_parse("p", &schema, NULL, &spec, &err), &err);
  CHECK_OK(ib_partition_binding_init(&binding, &spec, &schema, &err), &err);
  CHECK_OK(ib_schema_to_arrow(&schema, &arrow, &err), &err);
  struct ice_mem_budget budget;
  ice_mem_budget_init(&budget, 64ll << 20);
  struct wr_options wo;
  wr_options_init(&wo);
  wo.parquet.budget = &budget;
  struct op_part_writer_config cfg = {&arrow, &binding,   &wo,       &budget,   0,
                                      0,      out_buffer, open_sink, file_done, &c,
                                      NULL};
  struct op_part_writer *pw = NULL;
  CHECK_OK(op_part_writer_new(&cfg, &pw, &err), &err);
  for (int64_t at = 0; pw != NULL && at < ROWS; at += 500) {
    struct ArrowArray b;
    make_batch(at, 500, &b);
    CHECK_OK(op_part_writer_write(pw, &b, &err), &err);
    arrow_array_release(&b);
  }
  CHECK(budget.used > 0); /* slots, scratch and the open writers' pages */
  if (pw != NULL) CHECK_OK(op_part_writer_close(pw, &err), &err);
  struct op_part_writer_stats st = {0};
  if (pw != NULL) op_part_writer_get_stats(pw, &st);
  CHECK_EQ_INT(st.partitions, PARTS);
  op_part_writer_free(pw);
  CHECK_EQ_INT(budget.used, 0); /* everything charged came back */
  CHECK_EQ_INT(c.open, 0);
  wr_options_reset(&wo);
  arrow_schema_release(&arrow);
  ib_partition_binding_reset(&binding);
  ib_partition_spec_reset(&spec);
  ib_schema_reset(&schema);
  return c;
}

static void test_open_writers_capped_by_buffers(void) {
  /* Small local buffers: the budget's default, 16 writers at 64 MiB. */
  struct counts c = route_all(64 * 1024);
  CHECK_EQ_INT(c.most_open, 16);
  CHECK_EQ_INT(c.rows, ROWS);
  /* 8 MiB parts: 64 MiB / 2 / 8 MiB = 4 open at once. */
  c = route_all(8ll << 20);
  CHECK_EQ_INT(c.most_open, 4);
  CHECK_EQ_INT(c.rows, ROWS);
  CHECK(c.files >= PARTS);
  /* A part larger than half the budget still gets one writer. */
  c = route_all(1ll << 30);
  CHECK_EQ_INT(c.most_open, 1);
  CHECK_EQ_INT(c.rows, ROWS);
  CHECK(c.files >= PARTS);
}

int main(void) {
  ICE_RUN(test_open_writers_capped_by_buffers);
  ICE_TEST_EXIT();
}
