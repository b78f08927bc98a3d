/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hand-built manifests for scan tests: entries with chosen status, content, data
 * sequence number and partition value (identity on an int column, spec id 1, or
 * unpartitioned, spec id 0), written with the library's own manifest writers, and a
 * manifest list carrying them with chosen manifest sequence numbers.
 */
#ifndef ICE_TEST_MANIFESTS_H
#define ICE_TEST_MANIFESTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness/ice_test.h"
#include "iceberg/ib_manifest.h"
#include "io/io.h"
#include "util/alloc.h"

struct tm_entry {
  const char *path;
  enum ib_content content;
  int64_t seq;  /* data sequence number */
  bool deleted; /* status DELETED instead of EXISTING */
  int64_t records;
  int32_t eq_id;   /* equality deletes: the one key field id */
  const char *ref; /* position deletes: referenced_data_file, or NULL */
  int32_t part;    /* partition value (partitioned specs only) */
  int64_t size;    /* file_size_in_bytes (0: 100, for files never opened) */
};

/* Schema: id long (1), name string (2), grp int (3). */
static inline void tm_schema(struct ib_schema *s) {
  struct ice_error err;
  ib_schema_init(s, 0);
  CHECK_OK(ib_type_alloc_fields(&s->root, 3, &err), &err);
  CHECK_OK(ib_field_init(&s->root.fields[0], 1, "id", false, NULL, &err), &err);
  s->root.fields[0].type.id = IB_TYPE_LONG;
  CHECK_OK(ib_field_init(&s->root.fields[1], 2, "name", false, NULL, &err), &err);
  s->root.fields[1].type.id = IB_TYPE_STRING;
  CHECK_OK(ib_field_init(&s->root.fields[2], 3, "grp", false, NULL, &err), &err);
  s->root.fields[2].type.id = IB_TYPE_INT;
}

/* Spec 1 = identity(grp); spec 0 = unpartitioned. */
static inline void tm_spec(struct ib_partition_spec *spec, bool partitioned) {
  static struct ib_partition_field field = {3, 1000, (char *)"grp", (char *)"identity"};
  memset(spec, 0, sizeof *spec);
  if (!partitioned) return;
  spec->spec_id = 1;
  spec->fields = &field;
  spec->n_fields = 1;
}

/* Writes one manifest of entries es[0..n) (all EXISTING or DELETED, sequence numbers
 * explicit) to path and fills *mf for the list. */
static inline void tm_write_manifest(const char *path, const struct ib_schema *schema,
                                     const struct ib_partition_spec *spec,
                                     enum ib_manifest_content content,
                                     const struct tm_entry *es, size_t n, int64_t snap,
                                     struct ib_manifest_file *mf) {
  struct ice_error err;
  struct ice_output *out = NULL;
  struct ib_manifest_writer *w = NULL;
  CHECK_OK(io_local_create(path, &out, &err), &err);
  if (out == NULL) return;
  char uri[1100];
  snprintf(uri, sizeof uri, "file:%s", path); /* locations are URIs, as Java writes */
  CHECK_OK(
      ib_manifest_writer_new(out, uri, schema, spec, content, snap, "null", &w, &err),
      &err);
  for (size_t i = 0; w != NULL && i < n; i++) {
    struct ib_manifest_entry e;
    ib_manifest_entry_init(&e);
    CHECK_OK(ib_data_file_set_path(&e.file, es[i].path, &err), &err);
    e.file.content = es[i].content;
    e.file.record_count = es[i].records;
    e.file.file_size_in_bytes = es[i].size > 0 ? es[i].size : 100;
    if (es[i].content == IB_CONTENT_EQUALITY_DELETES)
      CHECK_OK(ib_data_file_add_equality_id(&e.file, es[i].eq_id, &err), &err);
    if (es[i].ref != NULL) e.file.referenced_data_file = ice_strdup(es[i].ref);
    if (spec->n_fields == 1) {
      int32_t fid = 1000;
      CHECK_OK(ib_data_file_set_partition_fields(&e.file, &fid, 1, &err), &err);
      struct ib_value v = {.type = IB_TYPE_INT, .u.i32 = es[i].part};
      CHECK_OK(ib_data_file_set_partition_value(&e.file, 0, &v, &err), &err);
    }
    e.has_snapshot_id = e.has_sequence_number = e.has_file_sequence_number = true;
    e.snapshot_id = snap;
    e.sequence_number = es[i].seq;
    e.file_sequence_number = es[i].seq;
    if (es[i].deleted)
      CHECK_OK(ib_manifest_writer_add_deleted(w, &e, &err), &err);
    else
      CHECK_OK(ib_manifest_writer_add_existing(w, &e, &err), &err);
    ib_manifest_entry_reset(&e);
  }
  ib_manifest_file_init(mf);
  if (w != NULL) CHECK_OK(ib_manifest_writer_finish(w, mf, &err), &err);
  ib_manifest_writer_free(w);
  ice_output_close(out);
  mf->sequence_number = 1;
  mf->min_sequence_number = 1;
  mf->added_snapshot_id = snap;
}

/* Writes a manifest list of mfs[0..n) for snapshot snap at sequence number seq. */
static inline void tm_write_list(const char *path, const struct ib_manifest_file *mfs,
                                 size_t n, int64_t snap, int64_t seq) {
  struct ice_error err;
  struct ice_output *out = NULL;
  struct ib_manifest_list_writer *w = NULL;
  CHECK_OK(io_local_create(path, &out, &err), &err);
  if (out == NULL) return;
  CHECK_OK(ib_manifest_list_writer_new(out, snap, false, 0, seq, "null", &w, &err), &err);
  for (size_t i = 0; w != NULL && i < n; i++)
    CHECK_OK(ib_manifest_list_writer_add(w, &mfs[i], &err), &err);
  if (w != NULL) CHECK_OK(ib_manifest_list_writer_finish(w, &err), &err);
  ib_manifest_list_writer_free(w);
  ice_output_close(out);
}

#endif
