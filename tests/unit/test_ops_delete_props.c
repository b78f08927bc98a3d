/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The options delete files are written with (op_table_props_delete_writer_options):
 * the data files' Parquet settings unless write.delete.parquet.* says otherwise, a
 * target size of its own (write.delete.target-file-size-bytes, 64 MiB by default as in
 * Java, whatever the data target), refused values named by their delete property, and
 * a table cannot be created with such a value.
 */
#include <stdbool.h>
#include <string.h>

#include "harness/ice_test.h"
#include "iceberg/ib_str_map.h"
#include "ops/op_table_props.h"

/* props: key, value, ..., NULL. validate: check them as for a new table instead. */
static int run(const char *const *props, bool validate, struct wr_options *o,
               struct ice_error *err) {
  struct ib_str_map m;
  ib_str_map_init(&m);
  int rc = ICE_OK;
  for (size_t i = 0; props[i] != NULL && rc == ICE_OK; i += 2)
    rc = ib_str_map_set(&m, props[i], props[i + 1], err);
  wr_options_init(o);
  if (rc == ICE_OK)
    rc = validate ? op_table_props_validate(&m, err)
                  : op_table_props_delete_writer_options(&m, o, err);
  ib_str_map_reset(&m);
  return rc;
}

static int delete_options(const char *const *props, struct wr_options *o,
                          struct ice_error *err) {
  struct wr_options unused;
  int rc = run(props, true, &unused, err);
  wr_options_reset(&unused);
  return rc == ICE_OK ? run(props, false, o, err) : rc;
}

static void test_defaults_and_inheritance(void) {
  struct ice_error err;
  struct wr_options o;
  const char *none[] = {NULL};
  CHECK_OK(delete_options(none, &o, &err), &err);
  CHECK_EQ_INT(o.target_file_bytes, 64ll * 1024 * 1024);
  CHECK_EQ_INT(o.parquet.codec, PQ_CODEC_ZSTD);
  wr_options_reset(&o);
  /* Data settings carry over, except the target size. */
  const char *data[] = {"write.parquet.compression-codec",
                        "snappy",
                        "write.parquet.row-group-size-bytes",
                        "1000000",
                        "write.target-file-size-bytes",
                        "1000",
                        NULL};
  CHECK_OK(delete_options(data, &o, &err), &err);
  CHECK_EQ_INT(o.target_file_bytes, 64ll * 1024 * 1024);
  CHECK_EQ_INT(o.parquet.codec, PQ_CODEC_SNAPPY);
  CHECK_EQ_INT(o.parquet.row_group_bytes, 1000000);
  wr_options_reset(&o);
  /* write.delete.* wins over the data settings. */
  const char *both[] = {"write.parquet.compression-codec",
                        "snappy",
                        "write.delete.parquet.compression-codec",
                        "gzip",
                        "write.delete.parquet.row-group-size-bytes",
                        "2000000",
                        "write.delete.target-file-size-bytes",
                        "5000",
                        "write.delete.mode",
                        "merge-on-read",
                        NULL};
  CHECK_OK(delete_options(both, &o, &err), &err);
  CHECK_EQ_INT(o.target_file_bytes, 5000);
  CHECK_EQ_INT(o.parquet.codec, PQ_CODEC_GZIP);
  CHECK_EQ_INT(o.parquet.row_group_bytes, 2000000);
  wr_options_reset(&o);
}

static void test_bad_values_named(void) {
  struct ice_error err;
  struct wr_options o;
  const char *bad[][3] = {{"write.delete.parquet.compression-codec", "nope", NULL},
                          {"write.delete.target-file-size-bytes", "-1", NULL},
                          {"write.delete.parquet.no-such-setting", "1", NULL}};
  for (int i = 0; i < 3; i++) {
    /* Refused for a new table, and when writing. */
    CHECK_EQ_INT(run(bad[i], true, &o, &err), ICE_EINVAL);
    CHECK(strstr(err.message, bad[i][0]) != NULL);
    wr_options_reset(&o);
    CHECK_EQ_INT(run(bad[i], false, &o, &err), ICE_EINVAL);
    CHECK(strstr(err.message, bad[i][0]) != NULL);
    CHECK(strstr(err.message, "write.parquet.") == NULL); /* not the data key */
    fprintf(stderr, "# %s\n", err.message);
    wr_options_reset(&o);
  }
}

int main(void) {
  ICE_RUN(test_defaults_and_inheritance);
  ICE_RUN(test_bad_values_named);
  ICE_TEST_EXIT();
}
