/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition evolution as a transaction (op_update_spec): two handles of one table
 * change the spec one after the other; the second, read before the first commit, is
 * re-bound to the new head, so its new field id continues after the first one's; a
 * lost swap is retried; the current spec again commits nothing; an existing spec
 * becomes the default without being added twice; a spec that does not fit is
 * ICE_EINVAL with nothing committed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/cat_catalog.h"
#include "harness/ice_test.h"
#include "ops/op_table.h"
#include "ops/op_update_spec.h"
#include "test_iceberg_updates_fixture.h"
#include "test_ops_losing_swap.h"
#include "util/alloc.h"

static char g_dir[256];

/* "spec-id:name/transform/source/field-id,..." of the default spec. */
static void default_spec(const struct op_table *t, char *buf, size_t cap) {
  const struct ib_partition_spec *s = ib_table_metadata_default_spec(&t->md);
  size_t pos = (size_t)snprintf(buf, cap, "%d:", s ? (int)s->spec_id : -1);
  for (size_t i = 0; s != NULL && i < s->n_fields && pos < cap; i++)
    pos += (size_t)snprintf(buf + pos, cap - pos, "%s%s/%s/%d/%d", i ? "," : "",
                            s->fields[i].name, s->fields[i].transform,
                            (int)s->fields[i].source_id, (int)s->fields[i].field_id);
}

static void check_default(const struct op_table *t, const char *want) {
  char got[512];
  default_spec(t, got, sizeof got);
  CHECK_EQ_STR(got, want);
}

static void test_update_spec(void) {
  struct ice_error err;
  struct cat_catalog *c = NULL;
  char wh[300];
  snprintf(wh, sizeof wh, "%s/wh", g_dir);
  CHECK_OK(cat_open(NULL, wh, "default", 30000, &c, &err), &err);
  if (c == NULL) return;
  struct ib_schema schema;
  fx_schema(&schema); /* id long, ts timestamptz, tags list<string> */
  struct op_table created, a, b;
  op_table_init(&created);
  op_table_init(&a);
  op_table_init(&b);
  CHECK_OK(op_table_create(c, "db.t", &schema, "bucket(16, id)", NULL, &created, &err),
           &err);
  check_default(&created, "0:id_bucket/bucket[16]/1/1000");
  CHECK_OK(op_table_load(c, "db.t", &a, &err), &err);
  CHECK_OK(op_table_load(c, "db.t", &b, &err), &err);

  bool changed = false;
  CHECK_OK(op_update_spec(&a, "bucket(16, id), day(ts)", &changed, &err), &err);
  CHECK(changed);
  check_default(&a, "1:id_bucket/bucket[16]/1/1000,ts_day/day/2/1001");
  CHECK_EQ_INT(a.md.last_partition_id, 1001);
  CHECK_EQ_INT((int)a.md.n_snapshots, 0);

  /* b was read before a's commit: re-bound to a's head, its new field gets 1002. */
  CHECK_OK(op_update_spec(&b, "hour(ts)", &changed, &err), &err);
  check_default(&b, "2:ts_hour/hour/2/1002");
  CHECK_EQ_INT(b.md.last_partition_id, 1002);
  CHECK_EQ_INT((int)b.md.n_specs, 3);

  /* A lost swap is retried on the head. */
  losing_swap_install(c);
  g_lose = 2;
  g_swaps = 0;
  CHECK_OK(op_update_spec(&a, "", &changed, &err), &err);
  CHECK_EQ_INT(g_swaps, 3);
  check_default(&a, "3:");
  losing_swap_uninstall(c);

  /* The default spec again: nothing committed. */
  char *before = ice_strdup(a.metadata_location);
  CHECK_OK(op_update_spec(&a, "  ", &changed, &err), &err);
  CHECK(!changed);
  CHECK_EQ_STR(a.metadata_location, before);

  /* An existing spec becomes the default; no spec is added. */
  CHECK_OK(op_update_spec(&a, "bucket(16, id), day(ts)", &changed, &err), &err);
  CHECK(changed);
  check_default(&a, "1:id_bucket/bucket[16]/1/1000,ts_day/day/2/1001");
  CHECK_EQ_INT((int)a.md.n_specs, 4);
  CHECK_EQ_INT(a.md.last_partition_id, 1002);

  /* A spec that does not fit commits nothing. */
  ice_free(before);
  before = ice_strdup(a.metadata_location);
  CHECK_EQ_INT(op_update_spec(&a, "day(ts), bucket(4, tags)", &changed, &err),
               ICE_EINVAL);
  CHECK(strstr(err.message, "field 2 'bucket(4, tags)'") != NULL);
  CHECK_OK(op_table_refresh(&a, &err), &err);
  CHECK_EQ_STR(a.metadata_location, before);

  ice_free(before);
  op_table_reset(&created);
  op_table_reset(&a);
  op_table_reset(&b);
  ib_schema_reset(&schema);
  cat_close(c);
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/ice_ops_spec_XXXXXX");
  if (mkdtemp(g_dir) == NULL) return 1;
  ICE_RUN(test_update_spec);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
  ICE_TEST_EXIT();
}
