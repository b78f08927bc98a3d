/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition keys of rows against a table Spark wrote
 * (tests/data/iceberg-tables/spark/rename_column: spec bucket[4](id), identity(date),
 * one file per partition, one of them with a null date; the date column was renamed
 * afterwards). For every data file of the current snapshot, every row read back from
 * the file must evaluate to the partition tuple its manifest entry carries, and the
 * path rendered from the rows (and from the tuple) must be the folder Spark wrote the
 * file under.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/ice_test.h"
#include "ice/ice_parquet.h"
#include "iceberg/ib_arrow_schema.h"
#include "iceberg/ib_manifest.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_partition_row.h"
#include "iceberg/ib_schema_json.h"
#include "io/io.h"

#define PREFIX "s3a://hyperparam-iceberg/spark/rename_column"

static char g_table[512];

/* The local path of a location inside the table. */
static const char *local(const char *loc, char *buf, size_t cap) {
  size_t n = strlen(PREFIX);
  CHECK(strncmp(loc, PREFIX, n) == 0);
  snprintf(buf, cap, "%s%s", g_table, loc + n);
  return buf;
}

static void path_of(const struct ib_partition_binding *b,
                    const struct ib_partition_value *v, size_t n, char *out, size_t cap) {
  struct ice_error err;
  struct ice_buf p;
  ice_buf_init(&p, cap);
  CHECK_OK(ib_partition_path(b, v, n, &p, &err), &err);
  snprintf(out, cap, "%.*s", (int)p.len, (const char *)p.data);
  ice_buf_reset(&p);
}

/* Every row of the file: its key equals the manifest's tuple and its path is the
 * file's folder. Returns the number of rows. */
static int64_t check_file(const struct ib_partition_binding *b, const char *path,
                          const struct ib_partition_tuple *tuple, const char *folder) {
  struct ice_error err;
  ice_parquet_file *pf = NULL;
  struct ArrowArrayStream st = {0};
  struct ib_partition_key key;
  int64_t rows = 0;
  char got[512];
  CHECK_OK(ib_partition_key_init(&key, b, &err), &err);
  CHECK_OK(ice_parquet_open(path, &pf, &err), &err);
  if (pf != NULL) CHECK_OK(ice_parquet_stream(pf, NULL, &st, &err), &err);
  while (st.release != NULL) {
    struct ArrowArray batch = {0};
    CHECK_EQ_INT(st.get_next(&st, &batch), 0);
    if (batch.release == NULL) break;
    for (int64_t r = 0; r < batch.length; r++, rows++) {
      CHECK_OK(ib_partition_key_eval(b, &batch, r, &key, &err), &err);
      CHECK(key.n == tuple->n &&
            ib_partition_values_equal(key.values, tuple->values, key.n));
      path_of(b, key.values, key.n, got, sizeof got);
      CHECK_EQ_STR(got, folder);
    }
    batch.release(&batch);
  }
  path_of(b, tuple->values, tuple->n, got, sizeof got);
  CHECK_EQ_STR(got, folder);
  if (st.release != NULL) st.release(&st);
  ice_parquet_close(pf);
  ib_partition_key_reset(&key);
  return rows;
}

static void test_spark_partitions(void) {
  struct ice_error err;
  char path[1024], meta[1024];
  snprintf(meta, sizeof meta, "%s/metadata/v3.metadata.json", g_table);
  struct ice_input *in = NULL;
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  CHECK_OK(io_local_open_read(meta, &in, &err), &err);
  if (in != NULL) CHECK_OK(ib_table_metadata_read(in, &md, &err), &err);
  ice_input_close(in);
  const struct ib_snapshot *snap = ib_table_metadata_current_snapshot(&md);
  const struct ib_partition_spec *spec = ib_table_metadata_default_spec(&md);
  CHECK(snap != NULL && spec != NULL && spec->n_fields == 2);
  if (snap == NULL || spec == NULL) return;

  struct ib_partition_binding b = {NULL, 0};
  CHECK_OK(
      ib_partition_binding_init(&b, spec, ib_table_metadata_current_schema(&md), &err),
      &err);
  struct ib_manifest_list list;
  memset(&list, 0, sizeof(list));
  in = NULL;
  CHECK_OK(io_local_open_read(local(snap->manifest_list, path, sizeof path), &in, &err),
           &err);
  if (in != NULL) CHECK_OK(ib_manifest_list_read(in, &list, &err), &err);
  ice_input_close(in);

  int64_t rows = 0;
  int files = 0, null_dates = 0;
  for (size_t m = 0; m < list.n; m++) {
    in = NULL;
    struct ib_manifest_reader *r = NULL;
    CHECK_OK(io_local_open_read(local(list.items[m].manifest_path, path, sizeof path),
                                &in, &err),
             &err);
    if (in != NULL) CHECK_OK(ib_manifest_reader_open(in, &list.items[m], &r, &err), &err);
    struct ib_manifest_entry e;
    ib_manifest_entry_init(&e);
    for (bool eof = false; r != NULL;) {
      CHECK_OK(ib_manifest_reader_next(r, &e, &eof, &err), &err);
      if (eof) break;
      /* The folder: between ".../data/" and the file name. */
      const char *data = strstr(e.file.file_path, "/data/");
      const char *slash = strrchr(e.file.file_path, '/');
      CHECK(data != NULL && slash > data + 6);
      if (data == NULL || slash <= data + 6) break;
      char folder[512];
      snprintf(folder, sizeof folder, "%.*s", (int)(slash - data - 6), data + 6);
      rows += check_file(&b, local(e.file.file_path, path, sizeof path),
                         &e.file.partition, folder);
      null_dates += e.file.partition.n == 2 && e.file.partition.values[1].is_null;
      files++;
    }
    ib_manifest_entry_reset(&e);
    ib_manifest_reader_free(r);
    ice_input_close(in);
  }
  CHECK_EQ_INT(files, 3);
  CHECK_EQ_INT(rows, 4);
  CHECK_EQ_INT(null_dates, 1);
  ib_manifest_list_reset(&list);
  ib_partition_binding_reset(&b);
  ib_table_metadata_reset(&md);
}

/* One value as check_partition_keys.mjs writes it: integers (dates as days, times and
 * timestamps in their unit, decimals unscaled) in decimal, bytes and strings in hex. */
static void put_value(FILE *out, const struct ib_partition_value *v) {
  if (v->is_null) {
    fputs("null", out);
    return;
  }
  const struct ib_value *x = &v->value;
  switch (x->type) {
    case IB_TYPE_BOOLEAN:
      fputs(x->u.b ? "true" : "false", out);
      return;
    case IB_TYPE_INT:
    case IB_TYPE_DATE:
      fprintf(out, "%" PRId32, x->u.i32);
      return;
    case IB_TYPE_LONG:
    case IB_TYPE_TIME:
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      fprintf(out, "%" PRId64, x->u.i64);
      return;
    case IB_TYPE_DECIMAL: { /* up to 16 bytes: print through a 128-bit integer */
      __extension__ typedef __int128 i128;
      __extension__ typedef unsigned __int128 u128;
      i128 n = (x->len > 0 && (x->bytes[0] & 0x80)) ? -1 : 0;
      for (size_t i = 0; i < x->len; i++) n = (i128)(((u128)n << 8) | x->bytes[i]);
      char digits[48];
      size_t k = 0;
      bool neg = n < 0;
      u128 m = neg ? -(u128)n : (u128)n;
      do {
        digits[k++] = (char)('0' + (int)(m % 10));
        m /= 10;
      } while (m != 0);
      if (neg) fputc('-', out);
      while (k > 0) fputc(digits[--k], out);
      return;
    }
    default:
      if (x->len == 0) fputs("-", out); /* empty bytes: "-" so the field is not empty */
      for (size_t i = 0; i < x->len; i++) fprintf(out, "%02x", x->bytes[i]);
      return;
  }
}

static void dump_keys(const char *dir, const char *spec_text, int n) {
  struct ice_error err;
  char path[1024];
  snprintf(path, sizeof path, "%s/input.parquet", dir);
  ice_parquet_file *pf = NULL;
  struct ArrowSchema as = {0};
  struct ib_schema schema;
  ib_schema_init(&schema, 0);
  struct ib_arrow_import_options opts = {2};
  CHECK_OK(ice_parquet_open(path, &pf, &err), &err);
  if (pf == NULL) return;
  CHECK_OK(ice_parquet_schema(pf, &as, &err), &err);
  CHECK_OK(ib_schema_from_arrow(&as, &opts, &schema, &err), &err);
  as.release(&as);
  struct ib_partition_spec spec;
  struct ib_partition_binding b = {NULL, 0};
  struct ib_partition_key key;
  memset(&key, 0, sizeof key);
  CHECK_OK(ib_partition_spec_parse(spec_text, &schema, NULL, &spec, &err), &err);
  CHECK_OK(ib_partition_binding_init(&b, &spec, &schema, &err), &err);
  CHECK_OK(ib_partition_key_init(&key, &b, &err), &err);
  snprintf(path, sizeof path, "%s/keys_%d.txt", dir, n);
  FILE *out = fopen(path, "w");
  CHECK(out != NULL);
  struct ArrowArrayStream st = {0};
  CHECK_OK(ice_parquet_stream(pf, NULL, &st, &err), &err);
  while (out != NULL && st.release != NULL) {
    struct ArrowArray batch = {0};
    CHECK_EQ_INT(st.get_next(&st, &batch), 0);
    if (batch.release == NULL) break;
    for (int64_t r = 0; r < batch.length; r++) {
      CHECK_OK(ib_partition_key_eval(&b, &batch, r, &key, &err), &err);
      for (size_t f = 0; f < key.n; f++) {
        if (f > 0) fputc('\t', out);
        put_value(out, &key.values[f]);
      }
      fputc('\n', out);
    }
    batch.release(&batch);
  }
  if (st.release != NULL) st.release(&st);
  if (out != NULL) fclose(out);
  ib_partition_key_reset(&key);
  ib_partition_binding_reset(&b);
  ib_partition_spec_reset(&spec);
  ib_schema_reset(&schema);
  ice_parquet_close(pf);
}

/* Keys for tests/interop/check_partition_keys.mjs. */
static void test_write_interop_keys(void) {
  const char *dir = getenv("ICE_PARTITION_INTEROP_DIR");
  if (dir == NULL || dir[0] == '\0') return;
  char path[1024], line[4096];
  snprintf(path, sizeof path, "%s/specs.txt", dir);
  FILE *in = fopen(path, "r");
  CHECK(in != NULL);
  for (int n = 0; in != NULL && fgets(line, sizeof line, in) != NULL; n++) {
    line[strcspn(line, "\n")] = '\0';
    dump_keys(dir, line, n);
  }
  if (in != NULL) fclose(in);
}

int main(void) {
  snprintf(g_table, sizeof g_table, "%s/iceberg-tables/spark/rename_column",
           ice_test_data_dir());
  ICE_RUN(test_spark_partitions);
  ICE_RUN(test_write_interop_keys);
  ICE_TEST_EXIT();
}
