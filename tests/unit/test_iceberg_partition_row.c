/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition keys and paths of rows (ib_partition_row.h) over a hand-built Arrow batch
 * laid out as the table schema: the spec's bucket vectors (reference/iceberg.md §5.1:
 * 34 -> 79, "iceberg" -> 89, date 17486 -> 26, time -> 59, timestamp -> 7, 14.20 ->
 * 59 / 3 of 16, uuid -> 40, -1 -> 12, -1.28 -> 13 of 16), truncate (floor for
 * negatives, code points), temporal transforms before 1970, nulls (also through a
 * null struct), void, and the Hive-style paths in Java's human forms with
 * URLEncoder escaping. A batch with an offset reads the rows it starts at.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness/ice_test.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_partition_row.h"
#include "iceberg/ib_schema_json.h"

#define SCHEMA_JSON                                                              \
  "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["                            \
  "{\"id\":1,\"name\":\"id\",\"required\":false,\"type\":\"long\"},"             \
  "{\"id\":2,\"name\":\"name\",\"required\":false,\"type\":\"string\"},"         \
  "{\"id\":3,\"name\":\"ts\",\"required\":false,\"type\":\"timestamptz\"},"      \
  "{\"id\":4,\"name\":\"tsn\",\"required\":false,\"type\":\"timestamp\"},"       \
  "{\"id\":5,\"name\":\"d\",\"required\":false,\"type\":\"date\"},"              \
  "{\"id\":6,\"name\":\"price\",\"required\":false,\"type\":\"decimal(9, 2)\"}," \
  "{\"id\":7,\"name\":\"t\",\"required\":false,\"type\":\"time\"},"              \
  "{\"id\":8,\"name\":\"u\",\"required\":false,\"type\":\"uuid\"},"              \
  "{\"id\":9,\"name\":\"bin\",\"required\":false,\"type\":\"binary\"},"          \
  "{\"id\":10,\"name\":\"x\",\"required\":false,\"type\":\"double\"},"           \
  "{\"id\":11,\"name\":\"f\",\"required\":false,\"type\":\"float\"},"            \
  "{\"id\":12,\"name\":\"b\",\"required\":false,\"type\":\"boolean\"},"          \
  "{\"id\":13,\"name\":\"st\",\"required\":false,\"type\":{\"type\":\"struct\"," \
  "\"fields\":[{\"id\":14,\"name\":\"z\",\"required\":false,\"type\":\"int\"}]}}]}"

#define NCOL 13
#define NROW 3

/* Row 0: the spec's example values; row 1: all null (st too); row 2: negative and
 * pre-1970 values, st present with z null. */
static const int64_t v_id[NROW] = {34, 0, -1};
static const int32_t v_name_off[NROW + 1] = {0, 7, 7, 13};
static const char v_name[] = "iceberga b/\xc3\xa9";
static const int64_t v_ts[NROW] = {1510871468000000, 0, -1};
static const int64_t v_tsn[NROW] = {1510871468000001, 0, -3600000001};
static const int32_t v_d[NROW] = {17486, 0, -1};
static uint8_t v_price[NROW][16]; /* 14.20, -, -1.28 as Arrow decimal128 (LE) */
static const int64_t v_t[NROW] = {81068000000, 0, 0};
static const uint8_t v_u[NROW][16] = {{0xf7, 0x9c, 0x3e, 0x09, 0x67, 0x7c, 0x4b, 0xbd,
                                       0xa4, 0x79, 0x3f, 0x34, 0x9c, 0xb7, 0x85, 0xe7}};
static const int32_t v_bin_off[NROW + 1] = {0, 4, 4, 4};
static const uint8_t v_bin[] = {0, 1, 2, 3};
static const double v_x[NROW] = {1.5, 0, 1e7};
static const float v_f[NROW] = {0.1f, 0, -0.0f};
static const uint8_t v_b[1] = {0x01}; /* row 0 true, row 2 false */
static const int32_t v_z[NROW] = {5, 0, 0};
static const uint8_t valid_101[1] = {0x05}; /* rows 0 and 2 */
static const uint8_t valid_001[1] = {0x01}; /* row 0 */

struct fixture {
  struct ArrowArray cols[NCOL], z, batch;
  const void *bufs[NCOL][3], *zbufs[2], *batch_bufs[1];
  struct ArrowArray *children[NCOL], *st_children[1];
};
static struct fixture g;
static struct ib_schema g_schema;

static void leaf(struct ArrowArray *a, const void **bufs, int64_t nb, const void *valid,
                 const void *b1, const void *b2) {
  memset(a, 0, sizeof(*a));
  bufs[0] = valid;
  if (nb > 1) bufs[1] = b1;
  if (nb > 2) bufs[2] = b2;
  a->length = NROW;
  a->n_buffers = nb;
  a->buffers = bufs;
}

static void decimal128(uint8_t out[16], int64_t v) {
  for (int i = 0; i < 16; i++)
    out[i] = (uint8_t)((i < 8 ? (uint64_t)v >> (8 * i) : (v < 0 ? 0xFF : 0)));
}

static void build_batch(void) {
  decimal128(v_price[0], 1420);
  decimal128(v_price[2], -128);
  const void *data[NCOL] = {v_id, v_name_off, v_ts, v_tsn, v_d, v_price, v_t,
                            v_u,  v_bin_off,  v_x,  v_f,   v_b, NULL};
  for (int c = 0; c < NCOL - 1; c++) {
    bool varlen = c == 1 || c == 8;
    leaf(&g.cols[c], g.bufs[c], varlen ? 3 : 2, valid_101, data[c],
         c == 1 ? (const void *)v_name : (const void *)v_bin);
    g.children[c] = &g.cols[c];
  }
  leaf(&g.z, g.zbufs, 2, valid_001, v_z, NULL);
  g.st_children[0] = &g.z;
  leaf(&g.cols[12], g.bufs[12], 1, valid_101, NULL, NULL);
  g.cols[12].n_children = 1;
  g.cols[12].children = g.st_children;
  g.children[12] = &g.cols[12];
  leaf(&g.batch, g.batch_bufs, 1, NULL, NULL, NULL);
  g.batch.n_children = NCOL;
  g.batch.children = g.children;
}

/* The spec's path for each row of batch (want[r] NULL: not checked). */
static void check_paths(const char *spec_text, const struct ArrowArray *batch,
                        const char *const *want, int64_t rows) {
  struct ice_error err;
  struct ib_partition_spec spec;
  struct ib_partition_binding b = {NULL, 0};
  struct ib_partition_key key;
  memset(&key, 0, sizeof(key));
  CHECK_OK(ib_partition_spec_parse(spec_text, &g_schema, NULL, &spec, &err), &err);
  CHECK_OK(ib_partition_binding_init(&b, &spec, &g_schema, &err), &err);
  CHECK_OK(ib_partition_key_init(&key, &b, &err), &err);
  for (int64_t r = 0; r < rows; r++) {
    if (want[r] == NULL) continue;
    struct ice_buf path;
    ice_buf_init(&path, 4096);
    CHECK_OK(ib_partition_key_eval(&b, batch, r, &key, &err), &err);
    CHECK_OK(ib_partition_path(&b, key.values, key.n, &path, &err), &err);
    CHECK_OK(ice_buf_append_byte(&path, 0, &err), &err);
    if (strcmp((const char *)path.data, want[r]) != 0) {
      fprintf(stderr, "  spec '%s' row %lld:\n    got  %s\n    want %s\n", spec_text,
              (long long)r, (const char *)path.data, want[r]);
      CHECK(0);
    }
    ice_buf_reset(&path);
  }
  ib_partition_key_reset(&key);
  ib_partition_binding_reset(&b);
  ib_partition_spec_reset(&spec);
}

static void test_bucket_vectors(void) {
  const char *want[] = {
      "id_bucket=79/name_bucket=89/d_bucket=26/t_bucket=59/ts_bucket=7/"
      "price_bucket=59/u_bucket=40",
      "id_bucket=null/name_bucket=null/d_bucket=null/t_bucket=null/ts_bucket=null/"
      "price_bucket=null/u_bucket=null",
      NULL};
  check_paths(
      "bucket(100, id), bucket(100, name), bucket(100, d), bucket(100, t), "
      "bucket(100, ts), bucket(100, price), bucket(100, u)",
      &g.batch, want, NROW);
  const char *want16[] = {"id_bucket=79/price_bucket=3", NULL,
                          "id_bucket=12/price_bucket=13"};
  check_paths("bucket(100, id), bucket(16, price)", &g.batch, want16, NROW);
}

static void test_truncate_and_void(void) {
  const char *want[] = {"name_trunc=ice/id_trunc=30/price_trunc=14.00/x_null=null",
                        "name_trunc=null/id_trunc=null/price_trunc=null/x_null=null",
                        "name_trunc=a+b/id_trunc=-10/price_trunc=-1.50/x_null=null"};
  check_paths("truncate(3, name), truncate(10, id), truncate(50, price), void(x)",
              &g.batch, want, NROW);
  const char *cp[] = {NULL, NULL, "name_trunc=a+b%2F%C3%A9"};
  check_paths("truncate(5, name)", &g.batch, cp, NROW);
}

static void test_temporal_before_and_after_1970(void) {
  const char *w1[] = {"ts_day=2017-11-16/d_month=2017-11/tsn_hour=2017-11-16-22",
                      "ts_day=null/d_month=null/tsn_hour=null",
                      "ts_day=1969-12-31/d_month=1969-12/tsn_hour=1969-12-31-22"};
  check_paths("day(ts), month(d), hour(tsn)", &g.batch, w1, NROW);
  const char *w2[] = {"ts_hour=2017-11-16-22/d_year=2017/tsn_day=2017-11-16", NULL,
                      "ts_hour=1969-12-31-23/d_year=1969/tsn_day=1969-12-31"};
  check_paths("hour(ts), year(d), day(tsn)", &g.batch, w2, NROW);
  const char *w3[] = {"ts_month=2017-11/tsn_year=2017/d_day=2017-11-16", NULL,
                      "ts_month=1969-12/tsn_year=1969/d_day=1969-12-31"};
  check_paths("month(ts), year(tsn), day(d)", &g.batch, w3, NROW);
}

static void test_identity_human_forms(void) {
  const char *want[] = {
      "ts=2017-11-16T22%3A31%3A08Z/tsn=2017-11-16T22%3A31%3A08.000001/d=2017-11-16/"
      "t=22%3A31%3A08/price=14.20/u=f79c3e09-677c-4bbd-a479-3f349cb785e7/"
      "bin=AAECAw%3D%3D/x=1.5/f=0.1/b=true/st.z=5/name=iceberg",
      "ts=null/tsn=null/d=null/t=null/price=null/u=null/bin=null/x=null/f=null/b=null/"
      "st.z=null/name=null",
      "ts=1969-12-31T23%3A59%3A59.999999Z/tsn=1969-12-31T22%3A59%3A59.999999/"
      "d=1969-12-31/t=00%3A00/price=-1.28/u=00000000-0000-0000-0000-000000000000/bin=/"
      "x=1.0E7/f=-0.0/b=false/st.z=null/name=a+b%2F%C3%A9"};
  check_paths("ts, tsn, d, t, price, u, bin, x, f, b, st.z, name", &g.batch, want, NROW);
}

static void test_batch_offset_keys_and_tuples(void) {
  /* The batch viewed from row 1: its row 1 is row 2 above. */
  struct ArrowArray view = g.batch;
  view.offset = 1;
  view.length = 2;
  const char *want[] = {"id_bucket=null/ts_day=null", "id_bucket=12/ts_day=1969-12-31"};
  check_paths("bucket(100, id), day(ts)", &view, want, 2);

  struct ice_error err;
  struct ib_partition_spec spec;
  struct ib_partition_binding b = {NULL, 0};
  struct ib_partition_key k0, k2;
  CHECK_OK(ib_partition_spec_parse("bucket(100, id), name", &g_schema, NULL, &spec, &err),
           &err);
  CHECK_OK(ib_partition_binding_init(&b, &spec, &g_schema, &err), &err);
  CHECK_OK(ib_partition_key_init(&k0, &b, &err), &err);
  CHECK_OK(ib_partition_key_init(&k2, &b, &err), &err);
  CHECK_OK(ib_partition_key_eval(&b, &g.batch, 0, &k0, &err), &err);
  CHECK_OK(ib_partition_key_eval(&b, &view, 1, &k2, &err), &err);
  CHECK(!ib_partition_key_equal(&k0, &k2));
  CHECK_OK(ib_partition_key_eval(&b, &g.batch, 2, &k0, &err), &err);
  CHECK(ib_partition_key_equal(&k0, &k2));

  /* As a data file's owned tuple: same ids and values, path rendered the same. */
  struct ib_data_file f;
  ib_data_file_init(&f);
  CHECK_OK(ib_partition_key_to_data_file(&k2, &f, &err), &err);
  CHECK_EQ_INT((int)f.partition.n, 2);
  CHECK_EQ_INT(f.partition.values[0].field_id, 1000);
  CHECK_EQ_INT(f.partition.values[0].value.u.i32, 12);
  CHECK_EQ_INT(f.partition.values[1].field_id, 1001);
  CHECK(f.partition.values[1].value.bytes != k2.values[1].value.bytes);
  struct ice_buf path;
  ice_buf_init(&path, 4096);
  CHECK_OK(ib_partition_path(&b, f.partition.values, f.partition.n, &path, &err), &err);
  CHECK_OK(ice_buf_append_byte(&path, 0, &err), &err);
  CHECK_EQ_STR((const char *)path.data, "id_bucket=12/name=a+b%2F%C3%A9");
  ice_buf_reset(&path);
  ib_data_file_reset(&f);

  /* A batch without the source column is refused naming the partition field. */
  struct ArrowArray narrow = g.batch;
  narrow.n_children = 1;
  CHECK_EQ_INT(ib_partition_key_eval(&b, &narrow, 0, &k0, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "partition field 'name'") != NULL);
  ice_buf_init(&path, 4096);
  CHECK_EQ_INT(ib_partition_path(&b, k0.values, 1, &path, &err), ICE_EINVAL);
  ice_buf_reset(&path);

  ib_partition_key_reset(&k0);
  ib_partition_key_reset(&k2);
  ib_partition_binding_reset(&b);
  ib_partition_spec_reset(&spec);
}

/* The earliest and latest timestamps: identity renders them as java.time does (no
 * overflow on the way to the day; '+' above year 9999), the day transform as Java's
 * humanDay does (no '+'). */
static void test_extreme_timestamp(void) {
  static const int64_t v_min[NROW] = {INT64_MIN, 0, INT64_MAX};
  struct ArrowArray ts = g.cols[2], *children[NCOL], view = g.batch;
  const void *bufs[2] = {valid_101, v_min};
  ts.buffers = bufs;
  memcpy(children, g.children, sizeof children);
  children[2] = &ts;
  view.children = children;
  const char *want[] = {"ts=-290308-12-21T19%3A59%3A05.224192Z/ts_day=-290308-12-21",
                        NULL,
                        "ts=%2B294247-01-10T04%3A00%3A54.775807Z/ts_day=294247-01-10"};
  check_paths("ts, day(ts)", &view, want, NROW);
}

int main(void) {
  struct ice_error err;
  ib_schema_init(&g_schema, 0);
  CHECK_OK(ib_schema_parse(SCHEMA_JSON, strlen(SCHEMA_JSON), &g_schema, &err), &err);
  build_batch();
  ICE_RUN(test_bucket_vectors);
  ICE_RUN(test_truncate_and_void);
  ICE_RUN(test_temporal_before_and_after_1970);
  ICE_RUN(test_identity_human_forms);
  ICE_RUN(test_batch_offset_keys_and_tuples);
  ICE_RUN(test_extreme_timestamp);
  ib_schema_reset(&g_schema);
  ICE_TEST_EXIT();
}
