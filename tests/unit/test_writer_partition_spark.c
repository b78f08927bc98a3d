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
#include <stdio.h>
#include <string.h>

#include "harness/ice_test.h"
#include "ice/ice_parquet.h"
#include "iceberg/ib_manifest.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_partition_row.h"
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

int main(void) {
  snprintf(g_table, sizeof g_table, "%s/iceberg-tables/spark/rename_column",
           ice_test_data_dir());
  ICE_RUN(test_spark_partitions);
  ICE_TEST_EXIT();
}
