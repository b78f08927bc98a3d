/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes partition keys and paths of rows (ib_partition_row.h) over values from data
 * files, which are untrusted: the input is one row of a batch with a column of every
 * primitive type (fixed-width values taken from the bytes as they come, strings and
 * binaries with a length from the input), partitioned by one of a set of specs that
 * covers every transform on every type it takes. Checked: no crash or undefined
 * behaviour (extreme timestamps, dates and decimals); the path has one "name=value"
 * segment per field, separated by the only unescaped '/'; a key equals itself and its
 * data-file copy renders the same path.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_partition_row.h"
#include "iceberg/ib_schema_json.h"
#include "util/alloc.h"

#define SCHEMA_JSON                                                              \
  "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["                            \
  "{\"id\":1,\"name\":\"i\",\"required\":false,\"type\":\"int\"},"               \
  "{\"id\":2,\"name\":\"l\",\"required\":false,\"type\":\"long\"},"              \
  "{\"id\":3,\"name\":\"tz\",\"required\":false,\"type\":\"timestamptz\"},"      \
  "{\"id\":4,\"name\":\"ts\",\"required\":false,\"type\":\"timestamp\"},"        \
  "{\"id\":5,\"name\":\"d\",\"required\":false,\"type\":\"date\"},"              \
  "{\"id\":6,\"name\":\"dec\",\"required\":false,\"type\":\"decimal(38, 10)\"}," \
  "{\"id\":7,\"name\":\"t\",\"required\":false,\"type\":\"time\"},"              \
  "{\"id\":8,\"name\":\"u\",\"required\":false,\"type\":\"uuid\"},"              \
  "{\"id\":9,\"name\":\"fx\",\"required\":false,\"type\":\"fixed[5]\"},"         \
  "{\"id\":10,\"name\":\"x\",\"required\":false,\"type\":\"double\"},"           \
  "{\"id\":11,\"name\":\"f\",\"required\":false,\"type\":\"float\"},"            \
  "{\"id\":12,\"name\":\"b\",\"required\":false,\"type\":\"boolean\"},"          \
  "{\"id\":13,\"name\":\"s\",\"required\":false,\"type\":\"string\"},"           \
  "{\"id\":14,\"name\":\"bin\",\"required\":false,\"type\":\"binary\"},"         \
  "{\"id\":15,\"name\":\"dec2\",\"required\":false,\"type\":\"decimal(9, 2)\"}]}"

#define NCOL 15
static const int32_t widths[NCOL] = {4, 8, 8, 8, 4, 16, 8, 16, 5, 8, 4, 1, 0, 0, 16};

static const char *const specs[] = {
    "i, l, tz, ts, d, dec, t, u, fx, x, f, b, s, bin, dec2",
    "bucket(7, i), bucket(3, l), bucket(5, tz), bucket(9, ts), bucket(2, d), "
    "bucket(11, dec), bucket(4, t), bucket(13, u), bucket(6, fx), bucket(8, s), "
    "bucket(10, bin), bucket(12, dec2)",
    "truncate(3, i), truncate(1000, l), truncate(7, dec), truncate(2, s), "
    "truncate(3, bin), truncate(50, dec2), void(x)",
    "year(tz), month(ts), day(d)",
    "month(tz), day(ts), year(d)",
    "day(tz), hour(ts), month(d)",
    "hour(tz), year(ts)",
    "truncate(2147483647, i), truncate(2147483647, l), bucket(2147483647, l), "
    "truncate(1, dec)",
};
#define NSPECS (sizeof(specs) / sizeof(specs[0]))

static struct ib_schema g_schema;
static struct ib_partition_binding g_bind[NSPECS];
static int g_ready;

static void setup(void) {
  struct ice_error err;
  ib_schema_init(&g_schema, 0);
  if (ib_schema_parse(SCHEMA_JSON, strlen(SCHEMA_JSON), &g_schema, &err) != ICE_OK)
    abort();
  for (size_t i = 0; i < NSPECS; i++) {
    struct ib_partition_spec s;
    if (ib_partition_spec_parse(specs[i], &g_schema, NULL, &s, &err) != ICE_OK ||
        ib_partition_binding_init(&g_bind[i], &s, &g_schema, &err) != ICE_OK)
      abort();
    ib_partition_spec_reset(&s);
  }
  g_ready = 1;
}

static void render(const struct ib_partition_binding *b,
                   const struct ib_partition_value *v, size_t n, struct ice_buf *out) {
  struct ice_error err;
  ice_buf_clear(out);
  if (ib_partition_path(b, v, n, out, &err) != ICE_OK) abort();
  size_t slashes = 0, eq = 0;
  for (size_t i = 0; i < out->len; i++) {
    slashes += out->data[i] == '/';
    eq += out->data[i] == '=';
  }
  if (slashes + 1 != n || eq != n) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!g_ready) setup();
  if (size < 3) return 0;
  const struct ib_partition_binding *b = &g_bind[data[0] % NSPECS];
  uint8_t valid = data[1], valid2 = data[2];
  data += 3;
  size -= 3;
  /* Column buffers for one row; strings take a length byte, then their bytes. */
  uint8_t fixed[NCOL][16];
  uint8_t vbits[NCOL];
  int32_t offs[NCOL][2];
  const void *bufs[NCOL][3];
  struct ArrowArray cols[NCOL], *children[NCOL], batch;
  memset(fixed, 0, sizeof fixed);
  for (int c = 0; c < NCOL; c++) {
    int32_t w = widths[c];
    size_t len = w;
    if (w == 0) {
      len = size > 0 ? data[0] : 0;
      if (size > 0) {
        data++;
        size--;
      }
      if (len > size) len = size;
    }
    if (w != 0 && len > size) len = size;
    if (w != 0) memcpy(fixed[c], data, len);
    offs[c][0] = 0;
    offs[c][1] = (int32_t)len;
    vbits[c] = (uint8_t)(((c < 8 ? valid >> c : valid2 >> (c - 8)) & 1));
    memset(&cols[c], 0, sizeof cols[c]);
    bufs[c][0] = &vbits[c];
    bufs[c][1] = w == 0 ? (const void *)offs[c] : (const void *)fixed[c];
    bufs[c][2] = data;
    cols[c].length = 1;
    cols[c].n_buffers = w == 0 ? 3 : 2;
    cols[c].buffers = bufs[c];
    children[c] = &cols[c];
    data += len;
    size -= len;
  }
  memset(&batch, 0, sizeof batch);
  const void *bbuf[1] = {NULL};
  batch.length = 1;
  batch.n_buffers = 1;
  batch.buffers = bbuf;
  batch.n_children = NCOL;
  batch.children = children;

  struct ice_error err;
  struct ib_partition_key key;
  struct ice_buf path, again;
  ice_buf_init(&path, 1 << 20);
  ice_buf_init(&again, 1 << 20);
  if (ib_partition_key_init(&key, b, &err) != ICE_OK) abort();
  if (ib_partition_key_eval(b, &batch, 0, &key, &err) == ICE_OK) {
    if (!ib_partition_key_equal(&key, &key)) abort();
    render(b, key.values, key.n, &path);
    struct ib_data_file f;
    ib_data_file_init(&f);
    if (ib_partition_key_to_data_file(&key, &f, &err) != ICE_OK) abort();
    render(b, f.partition.values, f.partition.n, &again);
    if (again.len != path.len || memcmp(again.data, path.data, path.len) != 0) abort();
    ib_data_file_reset(&f);
  }
  ib_partition_key_reset(&key);
  ice_buf_reset(&path);
  ice_buf_reset(&again);
  return 0;
}
