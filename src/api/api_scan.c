/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ice_table_scan: an ArrowArrayStream over the live data files of a snapshot. Each
 * file's top-level columns are matched to the table's by Iceberg field id (the
 * PARQUET:field_id metadata the reader exposes), so renamed columns are found; the
 * file's column arrays are moved, not copied, into batches in table-schema order.
 * Columns a file lacks (added later) read as null. Not yet: applying delete files
 * (ICE_EUNSUPPORTED naming the file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "ice/ice_parquet.h"
#include "iceberg/ib_arrow_schema.h"
#include "iceberg/ib_location.h"
#include "iceberg/ib_manifest.h"
#include "io/io.h"
#include "io/io_fileio.h"
#include "ops/op_reconcile.h"
#include "parquet/pq_reader.h"
#include "util/alloc.h"

struct scan_state {
  struct ArrowSchema schema; /* projected table schema */
  int32_t *field_ids;        /* per output column */
  size_t n_cols;
  const struct io_fileio *io; /* the catalog's storage (borrowed) */
  struct cat_names files;     /* locations of live data files */
  size_t next_file;
  int64_t batch_rows;
  ice_parquet_file *pf;
  struct ArrowArrayStream fs; /* current file's stream */
  int64_t *child_index;       /* output column -> child of the file's batch */
  char current[512];          /* current file, for messages */
  char last_error[600];
};

void ice_scan_options_init(struct ice_scan_options *opts) {
  opts->snapshot_id = -1;
  opts->columns = NULL;
  opts->n_columns = 0;
  opts->batch_rows = 0;
}

static const char *stream_message(struct ArrowArrayStream *s) {
  const char *m = s->get_last_error ? s->get_last_error(s) : NULL;
  return m != NULL && m[0] != '\0' ? m : "stream failed";
}

static int field_id_of(const struct ArrowSchema *s, int32_t *out) {
  const char *v = NULL;
  int32_t len = 0;
  if (s->metadata == NULL ||
      !arrow_metadata_find(s->metadata, "PARQUET:field_id", &v, &len))
    return 0;
  char buf[16];
  if (len <= 0 || len >= (int32_t)sizeof buf) return 0;
  memcpy(buf, v, (size_t)len);
  buf[len] = '\0';
  char *end = NULL;
  long id = strtol(buf, &end, 10);
  if (*end != '\0' || id <= 0 || id > INT32_MAX) return 0;
  *out = (int32_t)id;
  return 1;
}

/* Live data files of a manifest list; live delete files are not supported yet. */
static int collect_files(const struct io_fileio *io, const char *list_uri,
                         struct cat_names *out, struct ice_error *err) {
  struct ice_input *in = NULL;
  struct ib_manifest_list list = {0};
  int rc = io_fileio_open_input(io, list_uri, &in, err);
  if (rc == ICE_OK) rc = ib_manifest_list_read(in, &list, err);
  ice_input_close(in);
  for (size_t i = 0; rc == ICE_OK && i < list.n; i++) {
    const struct ib_manifest_file *mf = &list.items[i];
    struct ice_input *min = NULL;
    struct ib_manifest_reader *r = NULL;
    struct ib_manifest_entry e;
    ib_manifest_entry_init(&e);
    rc = io_fileio_open_input(io, mf->manifest_path, &min, err);
    if (rc == ICE_OK) rc = ib_manifest_reader_open(min, mf, &r, err);
    while (rc == ICE_OK) {
      bool eof = false;
      rc = ib_manifest_reader_next(r, &e, &eof, err);
      if (rc != ICE_OK || eof) break;
      if (e.status == IB_STATUS_DELETED) continue;
      if (e.file.content != IB_CONTENT_DATA) {
        rc = ice_error_set(
            err, ICE_EUNSUPPORTED,
            "snapshot has delete file %s; reading tables with deletes is not "
            "supported yet",
            e.file.file_path);
        break;
      }
      rc = cat_names_push(out, e.file.file_path, err);
    }
    ib_manifest_entry_reset(&e);
    ib_manifest_reader_free(r);
    ice_input_close(min);
    if (rc != ICE_OK) ice_error_prefix_path(err, "manifest", mf->manifest_path);
  }
  ib_manifest_list_reset(&list);
  return rc;
}

/* A column named twice is projected once, at its first place (as `icestream cat` does):
 * two output children cannot share one reader column. */
static int named_before(const struct ice_scan_options *o, size_t i) {
  for (size_t j = 0; j < i; j++)
    if (strcmp(o->columns[j], o->columns[i]) == 0) return 1;
  return 0;
}

static int project_schema(const struct ib_schema *s, const struct ice_scan_options *o,
                          struct scan_state *st, struct ice_error *err) {
  struct ArrowSchema full = {0};
  ICE_TRY(ib_schema_to_arrow(s, &full, err));
  size_t n = (size_t)full.n_children;
  if (o->columns != NULL) {
    n = 0;
    for (size_t i = 0; i < o->n_columns; i++) n += !named_before(o, i);
  }
  int rc = arrow_schema_init(&st->schema, "+s", "", 0, (int64_t)n, err);
  if (rc == ICE_OK) {
    st->field_ids = ice_calloc(n ? n : 1, sizeof *st->field_ids);
    if (st->field_ids == NULL) rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  size_t out = 0;
  for (size_t i = 0; rc == ICE_OK && out < n; i++) {
    const struct ArrowSchema *child = NULL;
    if (o->columns == NULL) {
      child = full.children[i];
    } else {
      if (named_before(o, i)) continue;
      for (int64_t k = 0; k < full.n_children && child == NULL; k++)
        if (strcmp(full.children[k]->name, o->columns[i]) == 0) child = full.children[k];
      if (child == NULL)
        rc = ice_error_set(err, ICE_ENOTFOUND, "column '%s' is not in the table schema",
                           o->columns[i]);
    }
    if (rc != ICE_OK || child == NULL) {
      if (rc == ICE_OK) rc = ice_error_set(err, ICE_EINTERNAL, "schema has a NULL child");
      break;
    }
    if (!field_id_of(child, &st->field_ids[out]))
      rc = ice_error_set(err, ICE_EINTERNAL, "column '%s' lacks a field id", child->name);
    if (rc == ICE_OK) rc = arrow_schema_copy(child, st->schema.children[out], err);
    out++;
  }
  st->n_cols = n;
  arrow_schema_release(&full);
  return rc;
}

static void close_file(struct scan_state *st) {
  if (st->fs.release != NULL) st->fs.release(&st->fs);
  st->fs.release = NULL;
  ice_parquet_close(st->pf);
  st->pf = NULL;
}

/* Opens the next file and maps the output columns onto its columns by field id. */
static int open_next(struct scan_state *st, struct ice_error *err) {
  const char *path = st->files.items[st->next_file++];
  snprintf(st->current, sizeof st->current, "%s", path);
  struct ArrowSchema fsch = {0}, ssch = {0};
  const char **names = ice_calloc(st->n_cols ? st->n_cols : 1, sizeof *names);
  if (names == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  struct ice_input *in = NULL;
  int rc = io_fileio_open_input(st->io, path, &in, err);
  if (rc == ICE_OK) rc = pq_reader_open_input(in, &st->pf, err);
  if (rc == ICE_OK) rc = ice_parquet_schema(st->pf, &fsch, err);
  for (size_t i = 0; rc == ICE_OK && i < st->n_cols; i++) {
    for (int64_t k = 0; k < fsch.n_children && names[i] == NULL; k++) {
      int32_t id = 0;
      if (field_id_of(fsch.children[k], &id) && id == st->field_ids[i])
        names[i] = fsch.children[k]->name;
    }
  }
  /* Columns added to the table after this file was written read as null (Iceberg's
   * rule for a field id missing from a data file, without v3 defaults). */
  size_t n_present = 0;
  const char **present = ice_calloc(st->n_cols ? st->n_cols : 1, sizeof *present);
  if (rc == ICE_OK && present == NULL)
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; rc == ICE_OK && i < st->n_cols; i++)
    if (names[i] != NULL) present[n_present++] = names[i];
  struct ice_parquet_read_options ro;
  ice_parquet_read_options_init(&ro);
  ro.columns = present;
  ro.n_columns = n_present;
  if (st->batch_rows > 0) ro.batch_rows = st->batch_rows;
  if (rc == ICE_OK) rc = ice_parquet_stream(st->pf, &ro, &st->fs, err);
  if (rc == ICE_OK && st->fs.get_schema(&st->fs, &ssch) != 0)
    rc = ice_error_set(err, ICE_EIO, "%s", stream_message(&st->fs));
  for (size_t i = 0; rc == ICE_OK && i < st->n_cols; i++) {
    st->child_index[i] = -1;
    if (names[i] == NULL) continue; /* null-filled */
    for (int64_t k = 0; k < ssch.n_children; k++)
      if (strcmp(ssch.children[k]->name, names[i]) == 0) st->child_index[i] = k;
    const char *want = st->schema.children[i]->format;
    if (st->child_index[i] < 0) {
      rc = ice_error_set(err, ICE_EINTERNAL, "projected column '%s' missing", names[i]);
    } else if (strcmp(ssch.children[st->child_index[i]]->format, want) != 0) {
      rc =
          ice_error_set(err, ICE_EUNSUPPORTED,
                        "column '%s' is stored as Arrow '%s' but the table type reads as "
                        "'%s'; converting on read is not supported yet",
                        names[i], ssch.children[st->child_index[i]]->format, want);
    }
  }
  arrow_schema_release(&ssch);
  arrow_schema_release(&fsch);
  ice_free(present);
  ice_free(names);
  if (rc != ICE_OK) {
    close_file(st);
    return ice_error_prefix_path(err, NULL, path);
  }
  return ICE_OK;
}

static int scan_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
  struct scan_state *st = s->private_data;
  struct ice_error err;
  if (arrow_schema_copy(&st->schema, out, &err) != ICE_OK) {
    snprintf(st->last_error, sizeof st->last_error, "%s", err.message);
    return ENOMEM;
  }
  return 0;
}

static int scan_next(struct scan_state *st, struct ArrowArray *out,
                     struct ice_error *err) {
  for (;;) {
    if (st->fs.release == NULL) {
      if (st->next_file >= st->files.n) {
        memset(out, 0, sizeof *out); /* end of stream */
        return ICE_OK;
      }
      ICE_TRY(open_next(st, err));
    }
    struct ArrowArray in = {0};
    int e = st->fs.get_next(&st->fs, &in);
    if (e != 0) {
      int rc =
          ice_error_set(err, ICE_EIO, "%s: %s", st->current, stream_message(&st->fs));
      close_file(st);
      return rc;
    }
    if (in.release == NULL) {
      close_file(st);
      continue;
    }
    struct ArrowArray batch;
    int rc = arrow_array_init(&batch, 1, (int64_t)st->n_cols, err);
    if (rc != ICE_OK) {
      in.release(&in);
      return rc;
    }
    batch.length = in.length;
    for (size_t i = 0; rc == ICE_OK && i < st->n_cols; i++) {
      if (st->child_index[i] < 0)
        rc = op_null_array(st->schema.children[i], in.length, batch.children[i], err);
      else
        arrow_array_move(in.children[st->child_index[i]], batch.children[i]);
    }
    in.release(&in);
    if (rc != ICE_OK) {
      batch.release(&batch);
      return rc;
    }
    if (batch.length == 0) {
      batch.release(&batch);
      continue;
    }
    *out = batch;
    return ICE_OK;
  }
}

static int scan_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
  struct scan_state *st = s->private_data;
  struct ice_error err;
  ice_error_clear(&err);
  if (scan_next(st, out, &err) != ICE_OK) {
    snprintf(st->last_error, sizeof st->last_error, "%s", err.message);
    return EIO;
  }
  return 0;
}

static const char *scan_last_error(struct ArrowArrayStream *s) {
  struct scan_state *st = s->private_data;
  return st->last_error;
}

static void scan_free(struct scan_state *st) {
  if (st == NULL) return;
  close_file(st);
  arrow_schema_release(&st->schema);
  ice_free(st->field_ids);
  ice_free(st->child_index);
  cat_names_reset(&st->files);
  ice_free(st);
}

static void scan_release(struct ArrowArrayStream *s) {
  scan_free(s->private_data);
  s->release = NULL;
  s->private_data = NULL;
}

int ice_table_scan(ice_table *tbl, const struct ice_scan_options *opts,
                   struct ArrowArrayStream *out, struct ice_error *err) {
  if (tbl == NULL || out == NULL) ICE_FAIL(err, ICE_EINVAL, "table or output is NULL");
  struct ice_scan_options dflt;
  ice_scan_options_init(&dflt);
  if (opts == NULL) opts = &dflt;
  const struct ib_table_metadata *md = &tbl->t.md;
  const struct ib_snapshot *snap = NULL;
  if (opts->snapshot_id >= 0) {
    snap = ib_table_metadata_snapshot_by_id(md, opts->snapshot_id);
    if (snap == NULL)
      ICE_FAIL(err, ICE_ENOTFOUND, "snapshot %lld does not exist",
               (long long)opts->snapshot_id);
  } else {
    snap = ib_table_metadata_current_snapshot(md);
  }
  /* Read with the schema the snapshot was written with, as Iceberg time travel does. */
  const struct ib_schema *schema = NULL;
  if (snap != NULL && snap->has_schema_id && opts->snapshot_id >= 0)
    schema = ib_table_metadata_schema_by_id(md, snap->schema_id);
  if (schema == NULL) schema = ib_table_metadata_current_schema(md);
  if (schema == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no current schema");
  struct scan_state *st = ice_calloc(1, sizeof *st);
  if (st == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  st->batch_rows = opts->batch_rows;
  st->io = tbl->t.cat->io;
  int rc = project_schema(schema, opts, st, err);
  if (rc == ICE_OK) {
    st->child_index = ice_calloc(st->n_cols ? st->n_cols : 1, sizeof *st->child_index);
    if (st->child_index == NULL) rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  if (rc == ICE_OK && snap != NULL) {
    if (snap->manifest_list == NULL)
      rc = ice_error_set(err, ICE_EUNSUPPORTED, "v1 snapshots without a manifest list");
    else
      rc = collect_files(st->io, snap->manifest_list, &st->files, err);
  }
  if (rc != ICE_OK) {
    scan_free(st);
    return rc;
  }
  out->get_schema = scan_get_schema;
  out->get_next = scan_get_next;
  out->get_last_error = scan_last_error;
  out->release = scan_release;
  out->private_data = st;
  return ICE_OK;
}
