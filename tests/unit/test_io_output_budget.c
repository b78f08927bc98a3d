/* SPDX-License-Identifier: Apache-2.0 */
/* An S3 object being written holds its part buffer in memory: charged to the budget
 * its output is given (a write past the limit fails, closing gives it all back), and
 * io_fileio_output_hold says how much that can be per open file. No request is sent:
 * the bytes stay below one part and the objects are never finished. */
#include <string.h>

#include "harness/ice_test.h"
#include "io/io.h"
#include "io/io_fileio.h"
#include "io/io_s3.h"
#include "util/mem_budget.h"

#define KIB 1024

static struct io_s3 *client(void) {
  struct io_s3_config cfg;
  struct ice_error err;
  io_s3_config_init(&cfg);
  CHECK_OK(io_s3_config_set(&cfg, "s3.endpoint", "http://127.0.0.1:9", &err), &err);
  CHECK_OK(io_s3_config_set(&cfg, "s3.access-key-id", "k", &err), &err);
  CHECK_OK(io_s3_config_set(&cfg, "s3.secret-access-key", "s", &err), &err);
  struct io_s3 *s3 = NULL;
  CHECK_OK(io_s3_new(&cfg, &s3, &err), &err);
  io_s3_config_reset(&cfg);
  return s3;
}

static void test_part_buffer_is_charged(void) {
  static uint8_t chunk[600 * KIB];
  memset(chunk, 'x', sizeof chunk);
  struct io_s3 *s3 = client();
  struct ice_error err;
  struct ice_output *out = NULL;
  CHECK_OK(io_s3_create(s3, "lake", "t/data/a.parquet", "s3://lake/t/data/a.parquet",
                        &out, &err),
           &err);
  struct ice_mem_budget b;
  ice_mem_budget_init(&b, 1024 * KIB);
  ice_output_charge_to(out, &b);
  CHECK_OK(ice_output_write(out, chunk, sizeof chunk, &err), &err);
  CHECK(b.used >= (int64_t)sizeof chunk);
  CHECK(b.used <= b.limit);
  /* 1.2 MiB would not fit the 1 MiB budget: refused, not grown past it. */
  CHECK_EQ_INT(ice_output_write(out, chunk, sizeof chunk, &err), ICE_ELIMIT);
  CHECK(strstr(err.message, "memory limit") != NULL);
  CHECK(b.peak <= b.limit);
  ice_output_close(out);
  CHECK_EQ_INT(b.used, 0);

  /* Without a budget (the default) the same bytes are accepted. */
  CHECK_OK(io_s3_create(s3, "lake", "t/data/b.parquet", "s3://lake/t/data/b.parquet",
                        &out, &err),
           &err);
  CHECK(out->budget == NULL);
  CHECK_OK(ice_output_write(out, chunk, sizeof chunk, &err), &err);
  CHECK_OK(ice_output_write(out, chunk, sizeof chunk, &err), &err);
  CHECK_EQ_INT(out->written, 2 * (int64_t)sizeof chunk);
  ice_output_close(out);
  io_s3_free(s3);
}

static void test_output_hold(void) {
  struct io_fileio *f = NULL;
  struct ice_error err;
  CHECK_OK(io_fileio_new(&f, &err), &err);
  CHECK_EQ_INT(io_fileio_output_hold(f, "s3://lake/t/data/x.parquet"),
               IO_S3_DEFAULT_PART_BYTES);
  CHECK_OK(io_fileio_set_storage_property(f, "s3.multipart.part-size", "6291456", &err),
           &err);
  CHECK_EQ_INT(io_fileio_output_hold(f, "s3://lake/t/data/x.parquet"), 6291456);
  CHECK_EQ_INT(io_fileio_output_hold(f, "s3a://lake/t/data/x.parquet"), 6291456);
  CHECK_EQ_INT(io_fileio_output_hold(f, "/tmp/t/data/x.parquet"), 0);
  CHECK_EQ_INT(io_fileio_output_hold(f, "file:/tmp/t/data/x.parquet"), 0);
  CHECK_EQ_INT(io_fileio_output_hold(f, "gs://lake/t/x.parquet"), 0);
  CHECK_EQ_INT(io_fileio_output_hold(f, ""), 0);
  /* A bucket mapped to a local folder is written as local files. */
  CHECK_OK(io_fileio_add_map(f, "s3://mapped=/tmp/m", "location-map", &err), &err);
  CHECK_EQ_INT(io_fileio_output_hold(f, "s3://mapped/t/x.parquet"), 0);
  io_fileio_free(f);
}

int main(void) {
  ICE_RUN(test_part_buffer_is_charged);
  ICE_RUN(test_output_hold);
  ICE_TEST_EXIT();
}
