/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The dynamic-overwrite change (op_overwrite_partitions.h). Replaced partitions are a
 * hash set of encoded tuples; an entry of the base is looked up by encoding its tuple
 * into a scratch buffer as large as the longest tuple written (a longer one cannot be
 * equal), so the per-entry test of the commit loop allocates nothing. The encoding
 * puts every integer-like value in 8 bytes and every float in a double, so a tuple a
 * reader decoded from an older manifest (int before a widening to long) still matches.
 */
#include "ops/op_overwrite_partitions.h"

#include <stdio.h>
#include <string.h>

#include "iceberg/ib_manifest.h"
#include "iceberg/ib_partition_row.h"
#include "io/io.h"
#include "io/io_fileio.h"
#include "ops/op_key_set.h"
#include "util/alloc.h"

struct op_overwrite_partitions {
  struct op_change change;
  int32_t spec_id;    /* the default spec the load writes with */
  bool unpartitioned; /* that spec has no fields or only void ones: one partition */
  int64_t planned;    /* head the load was planned on; -1: none */
  int64_t files;      /* data files written */
  struct op_key_set tuples;
  uint8_t *scratch; /* as long as the longest encoded tuple */
  size_t scratch_cap;
};

static size_t put(uint8_t *out, size_t cap, size_t pos, const void *p, size_t n) {
  if (n > 0 && pos + n <= cap) memcpy(out + pos, p, n);
  return pos + n;
}

static size_t put_u32(uint8_t *out, size_t cap, size_t pos, uint32_t v) {
  uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
  return put(out, cap, pos, b, 4);
}

static size_t put_value(uint8_t *out, size_t cap, size_t pos, const struct ib_value *v) {
  int64_t i = 0;
  double d = 0;
  switch (v->type) {
    case IB_TYPE_BOOLEAN: {
      uint8_t b = v->u.b ? 1 : 0;
      return put(out, cap, pos, &b, 1);
    }
    case IB_TYPE_INT:
    case IB_TYPE_DATE:
      i = v->u.i32;
      return put(out, cap, pos, &i, sizeof i);
    case IB_TYPE_LONG:
    case IB_TYPE_TIME:
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      i = v->u.i64;
      return put(out, cap, pos, &i, sizeof i);
    case IB_TYPE_FLOAT:
      d = (double)v->u.f32;
      return put(out, cap, pos, &d, sizeof d);
    case IB_TYPE_DOUBLE:
      d = v->u.f64;
      return put(out, cap, pos, &d, sizeof d);
    case IB_TYPE_DECIMAL: {
      /* Readers may hand decimals with redundant sign bytes: compare minimal forms. */
      size_t n = v->len > 0 && v->bytes != NULL ? ib_decimal_minimal_len(v->bytes, v->len)
                                                : 0;
      pos = put_u32(out, cap, pos, (uint32_t)n);
      return n ? put(out, cap, pos, v->bytes + (v->len - n), n) : pos;
    }
    default: /* string, uuid, fixed, binary */
      pos = put_u32(out, cap, pos, (uint32_t)v->len);
      return v->len ? put(out, cap, pos, v->bytes, v->len) : pos;
  }
}

/* Writes the encoding of t into out[0..cap) as far as it fits; returns its length. */
static size_t encode_tuple(const struct ib_partition_tuple *t, uint8_t *out, size_t cap) {
  size_t pos = 0;
  for (size_t i = 0; i < t->n; i++) {
    const struct ib_partition_value *pv = &t->values[i];
    pos = put_u32(out, cap, pos, (uint32_t)pv->field_id);
    uint8_t present = pv->is_null ? 0 : 1;
    pos = put(out, cap, pos, &present, 1);
    if (!pv->is_null) pos = put_value(out, cap, pos, &pv->value);
  }
  return pos;
}

static bool replaced_tuple(struct op_overwrite_partitions *o,
                           const struct ib_partition_tuple *t) {
  size_t n = encode_tuple(t, o->scratch, o->scratch_cap);
  return n <= o->scratch_cap && op_key_set_contains(&o->tuples, o->scratch, n);
}

/* Whether a file of manifest mf with tuple t lies in a partition being replaced. */
static bool in_replaced(struct op_overwrite_partitions *o,
                        const struct ib_manifest_file *mf,
                        const struct ib_partition_tuple *t) {
  if (o->files == 0) return false;
  if (o->unpartitioned) return true;
  return mf->partition_spec_id == o->spec_id && replaced_tuple(o, t);
}

static bool removes(void *ctx, const struct ib_manifest_file *mf,
                    const struct ib_manifest_entry *e) {
  return in_replaced(ctx, mf, &e->file.partition);
}

static bool may_remove_from(void *ctx, const struct ib_manifest_file *mf) {
  const struct op_overwrite_partitions *o = ctx;
  if (o->files == 0) return false;
  return o->unpartitioned || mf->partition_spec_id == o->spec_id;
}

/* "k=3/d=2024-01-02" for a conflict message; the file path alone when the spec can no
 * longer be bound (its source column was dropped). */
static void describe_partition(const struct ib_table_metadata *md, int32_t spec_id,
                               const struct ib_partition_tuple *t, char *out,
                               size_t cap) {
  snprintf(out, cap, "(unpartitioned)");
  const struct ib_partition_spec *spec = ib_table_metadata_spec_by_id(md, spec_id);
  const struct ib_schema *schema = ib_table_metadata_current_schema(md);
  if (spec == NULL || schema == NULL || t->n == 0) return;
  struct ib_partition_binding b;
  struct ice_buf path;
  ice_buf_init(&path, 4096);
  if (ib_partition_binding_init(&b, spec, schema, NULL) != ICE_OK) {
    snprintf(out, cap, "of spec %d", (int)spec_id);
    ice_buf_reset(&path);
    return;
  }
  if (ib_partition_path(&b, t->values, t->n, &path, NULL) == ICE_OK)
    snprintf(out, cap, "%.*s", (int)path.len, (const char *)path.data);
  ice_buf_reset(&path);
  ib_partition_binding_reset(&b);
}

static int conflict(const struct op_table *t, const struct ib_snapshot *s,
                    const struct ib_manifest_file *mf, const struct ib_manifest_entry *e,
                    struct ice_error *err) {
  char part[512];
  describe_partition(&t->md, mf->partition_spec_id, &e->file.partition, part,
                     sizeof part);
  const char *what = e->status == IB_STATUS_DELETED ? "removed"
                     : e->file.content == IB_CONTENT_DATA ? "added the data file"
                                                          : "added the delete file";
  return ice_error_set(err, ICE_ECONFLICT,
                       "a concurrent commit (snapshot %lld) %s %s in partition %s, which "
                       "this overwrite replaces; nothing was committed, run it again",
                       (long long)s->snapshot_id, what, e->file.file_path, part);
}

/* Every entry snapshot s wrote itself (added or deleted) in the manifests it added. */
static int check_snapshot(struct op_overwrite_partitions *o, const struct op_table *t,
                          const struct ib_snapshot *s, struct ice_error *err) {
  if (s->manifest_list == NULL)
    ICE_FAIL(err, ICE_ECONFLICT, "concurrent snapshot %lld has no manifest list",
             (long long)s->snapshot_id);
  const struct io_fileio *io = t->cat->io;
  struct ice_input *in = NULL;
  struct ib_manifest_list list;
  memset(&list, 0, sizeof list);
  int rc = io_fileio_open_input(io, s->manifest_list, &in, err);
  if (rc == ICE_OK) rc = ib_manifest_list_read(in, &list, err);
  ice_input_close(in);
  for (size_t i = 0; rc == ICE_OK && i < list.n; i++) {
    const struct ib_manifest_file *mf = &list.items[i];
    if (mf->added_snapshot_id != s->snapshot_id || !may_remove_from(o, mf)) continue;
    struct ib_manifest_reader *r = NULL;
    struct ib_manifest_entry e;
    ib_manifest_entry_init(&e);
    in = NULL;
    rc = io_fileio_open_input(io, mf->manifest_path, &in, err);
    if (rc == ICE_OK) rc = ib_manifest_reader_open(in, mf, &r, err);
    while (rc == ICE_OK) {
      bool eof = false;
      rc = ib_manifest_reader_next(r, &e, &eof, err);
      if (rc != ICE_OK || eof) break;
      if (!e.has_snapshot_id || e.snapshot_id != s->snapshot_id) continue;
      bool relevant = e.status == IB_STATUS_ADDED ||
                      (e.status == IB_STATUS_DELETED && e.file.content == IB_CONTENT_DATA);
      if (relevant && in_replaced(o, mf, &e.file.partition))
        rc = conflict(t, s, mf, &e, err);
    }
    ib_manifest_entry_reset(&e);
    ib_manifest_reader_free(r);
    ice_input_close(in);
  }
  ib_manifest_list_reset(&list);
  return rc;
}

static int revalidate(void *ctx, const struct op_table *t, struct ice_error *err) {
  struct op_overwrite_partitions *o = ctx;
  const struct ib_table_metadata *md = &t->md;
  const struct ib_snapshot *s = ib_table_metadata_current_snapshot(md);
  int rc = ICE_OK;
  /* A parent chain is at most as long as the snapshot list (a cycle must not hang). */
  for (size_t steps = 0; rc == ICE_OK && s != NULL && s->snapshot_id != o->planned;
       steps++) {
    if (steps > md->n_snapshots)
      ICE_FAIL(err, ICE_ECORRUPT, "the main branch's snapshot history has a cycle");
    rc = check_snapshot(o, t, s, err);
    s = s->has_parent ? ib_table_metadata_snapshot_by_id(md, s->parent_snapshot_id)
                      : NULL;
  }
  if (rc == ICE_OK && s == NULL && o->planned != -1)
    rc = ice_error_set(err, ICE_ECONFLICT,
                       "the snapshot this overwrite was planned on (%lld) is no longer in "
                       "the history of the table's main branch; run it again",
                       (long long)o->planned);
  return rc;
}

int op_overwrite_partitions_new(const struct ib_table_metadata *md, int64_t planned,
                                struct ice_mem_budget *budget,
                                struct op_overwrite_partitions **out,
                                struct ice_error *err) {
  const struct ib_partition_spec *spec = ib_table_metadata_default_spec(md);
  if (spec == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no default partition spec");
  struct op_overwrite_partitions *o = ice_calloc(1, sizeof *o);
  if (o == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  o->spec_id = spec->spec_id;
  o->unpartitioned = ib_partition_spec_is_unpartitioned(spec);
  o->planned = planned;
  op_key_set_init(&o->tuples, budget);
  *out = o;
  return ICE_OK;
}

int op_overwrite_partitions_add_file(struct op_overwrite_partitions *o,
                                     const struct ib_data_file *df,
                                     struct ice_error *err) {
  if (df->content != IB_CONTENT_DATA) return ICE_OK;
  o->files++;
  if (o->unpartitioned) return ICE_OK; /* one partition: the count is enough */
  size_t n = encode_tuple(&df->partition, o->scratch, o->scratch_cap);
  if (n > o->scratch_cap) {
    uint8_t *grown = ice_realloc(o->scratch, n);
    if (grown == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    o->scratch = grown;
    o->scratch_cap = n;
    encode_tuple(&df->partition, o->scratch, o->scratch_cap);
  }
  return op_key_set_add(&o->tuples, o->scratch, n, err);
}

const struct op_change *op_overwrite_partitions_change(struct op_overwrite_partitions *o) {
  o->change = (struct op_change){removes,    may_remove_from, revalidate, -1,
                                 "overwrite", o->planned,      o};
  return &o->change;
}

void op_overwrite_partitions_free(struct op_overwrite_partitions *o) {
  if (o == NULL) return;
  op_key_set_reset(&o->tuples);
  ice_free(o->scratch);
  ice_free(o);
}
