/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public API over an Arrow C stream: create a table from an Arrow schema, append a
 * two-batch stream (consumed on success and failure), replace it, read it back through
 * ice_table_scan, and the argument errors (unknown catalog property, bad identifier,
 * stream with an incompatible column). ice_table_overwrite_partitions on a partitioned
 * table (one partition replaced, the other kept; an empty stream commits nothing) and,
 * after the spec became unpartitioned, on the whole table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
#include "ice/ice_parquet.h"
#include "ice/ice_table.h"

/* A tiny producer: `n_batches` batches of `rows` rows of (id int64 required, name utf8
 * nullable); id = base + i, name = "n<i>" or null every third row. */
struct producer {
  int n_batches, next, rows;
  int64_t base;
  const char *id_format; /* "l", or something incompatible for the error test */
};

/* Children are released with their parent (their own callback only marks them). */
static void release_child_schema(struct ArrowSchema *s) {
  s->release = NULL;
}

static void release_schema(struct ArrowSchema *s) {
  for (int64_t i = 0; i < s->n_children; i++) free(s->children[i]);
  free(s->children);
  s->release = NULL;
}

static int get_schema(struct ArrowArrayStream *st, struct ArrowSchema *out) {
  struct producer *p = st->private_data;
  memset(out, 0, sizeof *out);
  out->format = "+s";
  out->name = "";
  out->n_children = 2;
  out->children = calloc(2, sizeof *out->children);
  for (int i = 0; i < 2; i++) {
    out->children[i] = calloc(1, sizeof **out->children);
    out->children[i]->release = release_child_schema;
  }
  out->children[0]->format = p->id_format;
  out->children[0]->name = "id";
  out->children[1]->format = "u";
  out->children[1]->name = "name";
  out->children[1]->flags = ARROW_FLAG_NULLABLE;
  out->release = release_schema;
  return 0;
}

struct batch_mem {
  struct ArrowArray kids[2];
  struct ArrowArray *kid_ptrs[2];
  const void *bufs[2][3];
  const void *top_bufs[1];
  int64_t *ids;
  uint8_t *valid;
  int32_t *offsets;
  char *chars;
};

static void release_batch(struct ArrowArray *a) {
  struct batch_mem *m = a->private_data;
  free(m->ids);
  free(m->valid);
  free(m->offsets);
  free(m->chars);
  free(m);
  a->release = NULL;
}

static void release_child(struct ArrowArray *a) {
  a->release = NULL; /* memory belongs to the parent */
}

static int get_next(struct ArrowArrayStream *st, struct ArrowArray *out) {
  struct producer *p = st->private_data;
  memset(out, 0, sizeof *out);
  if (p->next >= p->n_batches) return 0;
  int n = p->rows;
  struct batch_mem *m = calloc(1, sizeof *m);
  m->ids = calloc((size_t)n, sizeof *m->ids);
  m->valid = calloc((size_t)(n + 7) / 8, 1);
  m->offsets = calloc((size_t)n + 1, sizeof *m->offsets);
  m->chars = calloc((size_t)n, 16);
  int64_t nulls = 0;
  for (int i = 0; i < n; i++) {
    int64_t id = p->base + p->next * n + i;
    m->ids[i] = id;
    int len = 0;
    if (id % 3 == 0) {
      nulls++;
    } else {
      m->valid[i / 8] |= (uint8_t)(1u << (i % 8));
      len = snprintf(m->chars + m->offsets[i], 16, "n%lld", (long long)id);
    }
    m->offsets[i + 1] = m->offsets[i] + len;
  }
  m->bufs[0][0] = NULL;
  m->bufs[0][1] = m->ids;
  m->bufs[1][0] = m->valid;
  m->bufs[1][1] = m->offsets;
  m->bufs[1][2] = m->chars;
  for (int k = 0; k < 2; k++) {
    m->kids[k].length = n;
    m->kids[k].n_buffers = k == 0 ? 2 : 3;
    m->kids[k].buffers = m->bufs[k];
    m->kids[k].release = release_child;
    m->kid_ptrs[k] = &m->kids[k];
  }
  m->kids[1].null_count = nulls;
  out->length = n;
  out->n_buffers = 1;
  out->buffers = m->top_bufs;
  out->n_children = 2;
  out->children = m->kid_ptrs;
  out->release = release_batch;
  out->private_data = m;
  p->next++;
  return 0;
}

static const char *last_error(struct ArrowArrayStream *st) {
  (void)st;
  return "";
}

static void release_stream(struct ArrowArrayStream *st) {
  st->release = NULL;
}

static void make_stream(struct ArrowArrayStream *st, struct producer *p) {
  st->get_schema = get_schema;
  st->get_next = get_next;
  st->get_last_error = last_error;
  st->release = release_stream;
  st->private_data = p;
}

/* Sums ids and counts null names over a scan of the current snapshot. */
static int64_t scan_sum(ice_table *t, int64_t *rows, int64_t *nulls) {
  struct ice_error err;
  struct ArrowArrayStream st = {0};
  int64_t sum = 0;
  *rows = *nulls = 0;
  CHECK_OK(ice_table_scan(t, NULL, &st, &err), &err);
  if (st.release == NULL) return -1;
  for (;;) {
    struct ArrowArray b = {0};
    if (st.get_next(&st, &b) != 0) {
      fprintf(stderr, "  scan: %s\n", st.get_last_error(&st));
      CHECK(0);
      break;
    }
    if (b.release == NULL) break;
    const int64_t *ids =
        (const int64_t *)b.children[0]->buffers[1] + b.children[0]->offset;
    for (int64_t i = 0; i < b.length; i++) sum += ids[i];
    *rows += b.length;
    *nulls += b.children[1]->null_count;
    b.release(&b);
  }
  st.release(&st);
  return sum;
}

static void test_stream_roundtrip(void) {
  char dir[] = "/tmp/ice_api_stream_XXXXXX";
  if (mkdtemp(dir) == NULL) return;
  struct ice_error err;
  const char *bad_props[] = {"warehouse", dir, "colour", "blue", NULL};
  ice_catalog *cat = NULL;
  CHECK_EQ_INT(ice_catalog_open(bad_props, &cat, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "colour") != NULL);
  const char *props[] = {"warehouse", dir, NULL};
  CHECK_OK(ice_catalog_open(props, &cat, &err), &err);
  if (cat == NULL) return;

  struct producer p = {2, 0, 1000, 0, "l"};
  struct ArrowArrayStream st;
  make_stream(&st, &p);
  struct ArrowSchema schema;
  CHECK_EQ_INT(get_schema(&st, &schema), 0);
  ice_table *t = NULL;
  CHECK_EQ_INT(ice_table_create(cat, "nonamespace", &schema, NULL, &t, &err), ICE_EINVAL);
  const char *tprops[] = {"owner", "api-test", NULL};
  CHECK_OK(ice_table_create(cat, "api.events", &schema, tprops, &t, &err), &err);
  schema.release(&schema);
  if (t == NULL) goto done;
  CHECK_EQ_INT(ice_table_current_snapshot_id(t), -1);

  struct ice_commit_info info;
  CHECK_OK(ice_table_append(t, &st, &info, &err), &err);
  CHECK(st.release == NULL); /* consumed */
  CHECK_EQ_INT(info.rows_written, 2000);
  CHECK_EQ_STR(info.operation, "append");
  CHECK_EQ_INT(ice_table_current_snapshot_id(t), info.snapshot_id);
  int64_t rows, nulls;
  /* ids 0..1999: sum 1999000; ids divisible by 3 have null names: 667 */
  CHECK_EQ_INT(scan_sum(t, &rows, &nulls), 1999000);
  CHECK_EQ_INT(rows, 2000);
  CHECK_EQ_INT(nulls, 667);

  /* The same handle appends again (it was refreshed by the commit). */
  struct producer p2 = {1, 0, 10, 5000, "l"};
  make_stream(&st, &p2);
  CHECK_OK(ice_table_append(t, &st, &info, &err), &err);
  CHECK_EQ_INT(scan_sum(t, &rows, &nulls), 1999000 + 50045);

  /* Replace: only the new rows remain; removed files are counted. */
  struct producer p3 = {1, 0, 3, 100, "l"};
  make_stream(&st, &p3);
  CHECK_OK(ice_table_replace(t, &st, &info, &err), &err);
  CHECK_EQ_STR(info.operation, "overwrite");
  CHECK_EQ_INT(info.data_files_removed, 2);
  CHECK_EQ_INT(scan_sum(t, &rows, &nulls), 303);
  CHECK_EQ_INT(rows, 3);

  /* An incompatible stream (id as utf8) fails, is still consumed, changes nothing. */
  int64_t snap = ice_table_current_snapshot_id(t);
  struct producer p4 = {1, 0, 3, 0, "u"};
  make_stream(&st, &p4);
  CHECK_EQ_INT(ice_table_append(t, &st, &info, &err), ICE_ESCHEMA);
  CHECK(st.release == NULL);
  CHECK(strstr(err.message, "'id'") != NULL);
  CHECK_EQ_INT(ice_table_current_snapshot_id(t), snap);

  char *text = NULL;
  CHECK_OK(ice_table_describe(t, 0, &text, &err), &err);
  CHECK(text != NULL && strstr(text, "owner = api-test") != NULL);
  CHECK(text != NULL && strstr(text, "id: long (required)") != NULL);
  ice_string_free(text);
done:
  ice_table_free(t);
  ice_catalog_close(cat);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
}

/* ice_table_merge: an upsert over a stream; rows equal to the stored ones are counted
 * unchanged, new keys inserted, and a stream of only unchanged rows commits nothing. */
static void test_stream_merge(void) {
  char dir[] = "/tmp/ice_api_merge_XXXXXX";
  if (mkdtemp(dir) == NULL) return;
  struct ice_error err;
  const char *props[] = {"warehouse", dir, NULL};
  ice_catalog *cat = NULL;
  CHECK_OK(ice_catalog_open(props, &cat, &err), &err);
  if (cat == NULL) return;
  struct producer p = {2, 0, 1000, 0, "l"};
  struct ArrowArrayStream st;
  make_stream(&st, &p);
  struct ArrowSchema schema;
  CHECK_EQ_INT(get_schema(&st, &schema), 0);
  ice_table *t = NULL;
  CHECK_OK(ice_table_create(cat, "api.m", &schema, NULL, &t, &err), &err);
  schema.release(&schema);
  if (t == NULL) goto done;
  struct ice_commit_info info;
  CHECK_OK(ice_table_append(t, &st, &info, &err), &err); /* ids 0..1999 */

  /* No key: the table has no identifier fields. */
  struct producer p1 = {1, 0, 10, 0, "l"};
  make_stream(&st, &p1);
  CHECK_EQ_INT(ice_table_merge(t, &st, NULL, &info, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "merge-key") != NULL);
  CHECK(st.release == NULL); /* consumed on failure too */

  const char *keys[] = {"id"};
  struct ice_merge_options mo;
  ice_merge_options_init(&mo);
  mo.keys = keys;
  mo.n_keys = 1;
  struct producer p2 = {2, 0, 500, 1500, "l"}; /* ids 1500..2499 */
  make_stream(&st, &p2);
  CHECK_OK(ice_table_merge(t, &st, &mo, &info, &err), &err);
  CHECK(st.release == NULL);
  CHECK_EQ_INT(info.committed, 1);
  CHECK_EQ_STR(info.operation, "append"); /* no stored row changed */
  CHECK_EQ_INT(info.rows_inserted, 500);
  CHECK_EQ_INT(info.rows_unchanged, 500);
  CHECK_EQ_INT(info.rows_updated, 0);
  int64_t rows, nulls;
  /* ids 0..2499 once each */
  CHECK_EQ_INT(scan_sum(t, &rows, &nulls), 2499LL * 2500 / 2);
  CHECK_EQ_INT(rows, 2500);

  struct producer p3 = {1, 0, 100, 0, "l"};
  make_stream(&st, &p3);
  CHECK_OK(ice_table_merge(t, &st, &mo, &info, &err), &err);
  CHECK_EQ_INT(info.committed, 0);
  CHECK_EQ_INT(info.rows_unchanged, 100);
  ice_table_free(t);
done:
  ice_catalog_close(cat);
}

/* ice_table_overwrite_partitions on truncate(1000, id): ids 0..1999 are partitions 0
 * and 1000; a stream of ids 1000..1009 replaces the second only. */
static void test_stream_overwrite_partitions(void) {
  char dir[] = "/tmp/ice_api_ovw_XXXXXX";
  if (mkdtemp(dir) == NULL) return;
  struct ice_error err;
  const char *props[] = {"warehouse", dir, NULL};
  ice_catalog *cat = NULL;
  CHECK_OK(ice_catalog_open(props, &cat, &err), &err);
  if (cat == NULL) return;
  struct producer p = {2, 0, 1000, 0, "l"};
  struct ArrowArrayStream st;
  make_stream(&st, &p);
  struct ArrowSchema schema;
  CHECK_EQ_INT(get_schema(&st, &schema), 0);
  ice_table *t = NULL;
  CHECK_OK(ice_table_create_partitioned(cat, "api.o", &schema, "truncate(1000, id)", NULL,
                                        &t, &err),
           &err);
  schema.release(&schema);
  if (t == NULL) goto done;
  struct ice_commit_info info;
  CHECK_OK(ice_table_append(t, &st, &info, &err), &err);
  CHECK_EQ_INT(info.partitions_written, 2);

  struct producer p1 = {1, 0, 10, 1000, "l"};
  make_stream(&st, &p1);
  CHECK_OK(ice_table_overwrite_partitions(t, &st, &info, &err), &err);
  CHECK(st.release == NULL);
  CHECK_EQ_INT(info.committed, 1);
  CHECK_EQ_STR(info.operation, "overwrite");
  CHECK_EQ_INT(info.data_files_added, 1);
  CHECK_EQ_INT(info.data_files_removed, 1);
  int64_t rows, nulls;
  /* ids 0..999 kept, 1000..1009 new */
  CHECK_EQ_INT(scan_sum(t, &rows, &nulls), 499500 + 10045);
  CHECK_EQ_INT(rows, 1010);

  int64_t snap = ice_table_current_snapshot_id(t);
  struct producer p2 = {0, 0, 10, 0, "l"}; /* no rows */
  make_stream(&st, &p2);
  CHECK_OK(ice_table_overwrite_partitions(t, &st, &info, &err), &err);
  CHECK_EQ_INT(info.committed, 0);
  CHECK_EQ_INT(ice_table_current_snapshot_id(t), snap);

  /* Unpartitioned from now on: the whole table is the one partition. */
  CHECK_OK(ice_table_update_partition_spec(t, "", NULL, &err), &err);
  struct producer p3 = {1, 0, 3, 5000, "l"};
  make_stream(&st, &p3);
  CHECK_OK(ice_table_overwrite_partitions(t, &st, &info, &err), &err);
  CHECK_EQ_INT(info.data_files_removed, 2);
  CHECK_EQ_INT(scan_sum(t, &rows, &nulls), 15003);
  CHECK_EQ_INT(rows, 3);
  ice_table_free(t);
done:
  ice_catalog_close(cat);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
}

int main(void) {
  ICE_RUN(test_stream_roundtrip);
  ICE_RUN(test_stream_merge);
  ICE_RUN(test_stream_overwrite_partitions);
  ICE_TEST_EXIT();
}
