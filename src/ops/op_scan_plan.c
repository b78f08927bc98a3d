/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan planner (op_scan_plan.h). Every live entry is copied once; matching deletes to
 * data files compares each pair, O(data files x delete files), which is fine for the
 * tables a single process scans (an index by partition can come when it is not).
 */
#include "ops/op_scan_plan.h"

#include <string.h>

#include "iceberg/ib_manifest.h"
#include "iceberg/ib_partition.h"
#include "io/io_fileio.h"
#include "util/alloc.h"

void op_scan_plan_init(struct op_scan_plan *p) {
  memset(p, 0, sizeof *p);
}

void op_scan_plan_reset(struct op_scan_plan *p) {
  if (p == NULL) return;
  for (size_t i = 0; i < p->n_tasks; i++) {
    ib_data_file_reset(&p->tasks[i].data.file);
    ice_free(p->tasks[i].deletes);
  }
  for (size_t i = 0; i < p->n_deletes; i++) ib_data_file_reset(&p->deletes[i].file);
  ice_free(p->tasks);
  ice_free(p->deletes);
  for (size_t i = 0; i < p->n_manifests; i++) ice_free(p->manifests[i]);
  ice_free(p->manifests);
  op_scan_plan_init(p);
}

int op_scan_open_input(void *ctx, const char *uri, struct ice_input **in,
                       struct ice_error *err) {
  return io_fileio_open_input(ctx, uri, in, err);
}

struct collect {
  struct op_scan_plan *plan;
  const struct op_scan_plan_options *opts; /* never NULL */
  size_t cap_tasks, cap_deletes, cap_manifests;
};

static int grow(void **items, size_t *cap, size_t n, size_t size, struct ice_error *err) {
  if (n < *cap) return ICE_OK;
  size_t want = *cap ? *cap * 2 : 16;
  void *p = ice_realloc(*items, want * size);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *items = p;
  *cap = want;
  return ICE_OK;
}

/* What scanning needs of a manifest entry: no column metrics (most of an entry's size),
 * so the plan of a table with many files stays small. */
static int keep_bounds(struct ib_data_file *dst, const struct ib_data_file *src,
                       const struct op_scan_plan_options *o, struct ice_error *err) {
  for (size_t i = 0; i < o->n_bound_ids; i++) {
    const struct ib_metric_bound *lo =
        ib_metric_bounds_get(&src->lower_bounds, o->bound_ids[i]);
    const struct ib_metric_bound *hi =
        ib_metric_bounds_get(&src->upper_bounds, o->bound_ids[i]);
    if (lo != NULL)
      ICE_TRY(ib_metric_bounds_append(&dst->lower_bounds, lo->field_id, lo->data, lo->len,
                                      err));
    if (hi != NULL)
      ICE_TRY(ib_metric_bounds_append(&dst->upper_bounds, hi->field_id, hi->data, hi->len,
                                      err));
  }
  return ICE_OK;
}

static int copy_for_scan(struct ib_data_file *dst, const struct ib_data_file *src,
                         const struct op_scan_plan_options *o, struct ice_error *err) {
  dst->content = src->content;
  dst->file_format = src->file_format;
  dst->record_count = src->record_count;
  dst->file_size_in_bytes = src->file_size_in_bytes;
  ICE_TRY(ib_data_file_set_path(dst, src->file_path, err));
  const struct ib_partition_tuple *p = &src->partition;
  if (p->n > 0) {
    int32_t *ids = ice_calloc(p->n, sizeof *ids);
    if (ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    for (size_t i = 0; i < p->n; i++) ids[i] = p->values[i].field_id;
    int rc = ib_data_file_set_partition_fields(dst, ids, p->n, err);
    ice_free(ids);
    ICE_TRY(rc);
    for (size_t i = 0; i < p->n; i++)
      ICE_TRY(ib_data_file_set_partition_value(
          dst, i, p->values[i].is_null ? NULL : &p->values[i].value, err));
  }
  for (size_t i = 0; i < src->n_equality_ids; i++)
    ICE_TRY(ib_data_file_add_equality_id(dst, src->equality_ids[i], err));
  /* A position delete file's file_path bounds tell which data files it can name. */
  const struct ib_metric_bound *lo =
      ib_metric_bounds_get(&src->lower_bounds, OP_POS_FILE_PATH_ID);
  const struct ib_metric_bound *hi =
      ib_metric_bounds_get(&src->upper_bounds, OP_POS_FILE_PATH_ID);
  if (src->content == IB_CONTENT_POSITION_DELETES && lo != NULL)
    ICE_TRY(ib_metric_bounds_append(&dst->lower_bounds, lo->field_id, lo->data, lo->len,
                                    err));
  if (src->content == IB_CONTENT_POSITION_DELETES && hi != NULL)
    ICE_TRY(ib_metric_bounds_append(&dst->upper_bounds, hi->field_id, hi->data, hi->len,
                                    err));
  if (src->content == IB_CONTENT_DATA) ICE_TRY(keep_bounds(dst, src, o, err));
  if (src->referenced_data_file != NULL) {
    dst->referenced_data_file = ice_strdup(src->referenced_data_file);
    if (dst->referenced_data_file == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  return ICE_OK;
}

/* The index of mf's path in the plan's manifests (entries of one manifest come one
 * after the other, so only the last one can match). */
static int manifest_index(struct collect *c, const struct ib_manifest_file *mf,
                          size_t *out, struct ice_error *err) {
  struct op_scan_plan *p = c->plan;
  const char *path = mf->manifest_path ? mf->manifest_path : "";
  if (p->n_manifests > 0 && strcmp(p->manifests[p->n_manifests - 1], path) == 0) {
    *out = p->n_manifests - 1;
    return ICE_OK;
  }
  ICE_TRY(grow((void **)&p->manifests, &c->cap_manifests, p->n_manifests,
               sizeof *p->manifests, err));
  p->manifests[p->n_manifests] = ice_strdup(path);
  if (p->manifests[p->n_manifests] == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *out = p->n_manifests++;
  return ICE_OK;
}

static int fill_file(struct collect *c, struct op_scan_file *f,
                     const struct ib_manifest_file *mf, const struct ib_manifest_entry *e,
                     struct ice_error *err) {
  memset(f, 0, sizeof *f);
  ib_data_file_init(&f->file);
  f->spec_id = mf->partition_spec_id;
  f->seq = e->has_sequence_number ? e->sequence_number : 0;
  ICE_TRY(manifest_index(c, mf, &f->manifest, err));
  return copy_for_scan(&f->file, &e->file, c->opts, err);
}

static int collect_entry(void *ctx, const struct ib_manifest_file *mf,
                         const struct ib_manifest_entry *e, struct ice_error *err) {
  struct collect *c = ctx;
  struct op_scan_plan *p = c->plan;
  if (e->file.file_format == IB_FORMAT_PUFFIN)
    ICE_FAIL(err, ICE_EUNSUPPORTED,
             "deletion vector %s: format v3 deletion vectors are not supported yet",
             e->file.file_path);
  if (e->file.content == IB_CONTENT_DATA) {
    ICE_TRY(grow((void **)&p->tasks, &c->cap_tasks, p->n_tasks, sizeof *p->tasks, err));
    struct op_scan_task *t = &p->tasks[p->n_tasks];
    memset(t, 0, sizeof *t);
    int rc = fill_file(c, &t->data, mf, e, err);
    p->n_tasks++; /* counted even on failure: reset frees what the copy made */
    return rc;
  }
  ICE_TRY(
      grow((void **)&p->deletes, &c->cap_deletes, p->n_deletes, sizeof *p->deletes, err));
  int rc = fill_file(c, &p->deletes[p->n_deletes], mf, e, err);
  p->n_deletes++;
  return rc;
}

static bool same_value(const struct ib_partition_value *a,
                       const struct ib_partition_value *b) {
  if (a->field_id != b->field_id || a->is_null != b->is_null) return false;
  if (a->is_null) return true;
  if (a->value.type != b->value.type) return false;
  return ib_value_compare(&a->value, &b->value) == 0;
}

static bool same_partition(const struct op_scan_file *a, const struct op_scan_file *b) {
  if (a->spec_id != b->spec_id) return false;
  const struct ib_partition_tuple *x = &a->file.partition, *y = &b->file.partition;
  if (x->n != y->n) return false;
  for (size_t i = 0; i < x->n; i++)
    if (!same_value(&x->values[i], &y->values[i])) return false;
  return true;
}

static bool spec_unpartitioned(const struct ib_table_metadata *md, int32_t spec_id) {
  const struct ib_partition_spec *s = ib_table_metadata_spec_by_id(md, spec_id);
  if (s == NULL) return false;
  for (size_t i = 0; i < s->n_fields; i++)
    if (strcmp(s->fields[i].transform, "void") != 0) return false;
  return true;
}

/* Compares path with a bound as unsigned bytes (the order of string bounds); 0 also
 * when the bound is a prefix of path: a bound truncated to a prefix (Iceberg truncates
 * string bounds; not every writer rounds a truncated upper bound up) admits every
 * path it starts. */
static int cmp_bound(const char *path, const struct ib_metric_bound *b) {
  size_t n = strlen(path), m = b->len < n ? b->len : n;
  int c = memcmp(path, b->data, m);
  if (c != 0) return c;
  return n < b->len ? -1 : 0;
}

/* Whether the delete's file_path bounds admit path (no bounds: they do). */
static bool path_in_bounds(const struct ib_data_file *del, const char *path) {
  const struct ib_metric_bound *lo =
      ib_metric_bounds_get(&del->lower_bounds, OP_POS_FILE_PATH_ID);
  const struct ib_metric_bound *hi =
      ib_metric_bounds_get(&del->upper_bounds, OP_POS_FILE_PATH_ID);
  return (lo == NULL || cmp_bound(path, lo) >= 0) &&
         (hi == NULL || cmp_bound(path, hi) <= 0);
}

bool op_scan_delete_applies(const struct ib_table_metadata *md,
                            const struct op_scan_file *data,
                            const struct op_scan_file *del) {
  if (del->file.content == IB_CONTENT_POSITION_DELETES) {
    if (data->seq > del->seq || !same_partition(data, del)) return false;
    const char *ref = del->file.referenced_data_file;
    if (ref != NULL) return strcmp(ref, data->file.file_path) == 0;
    return path_in_bounds(&del->file, data->file.file_path);
  }
  if (del->file.content == IB_CONTENT_EQUALITY_DELETES) {
    if (data->seq >= del->seq) return false;
    return spec_unpartitioned(md, del->spec_id) || same_partition(data, del);
  }
  return false;
}

static int assign_deletes(const struct ib_table_metadata *md, struct op_scan_plan *p,
                          struct ice_error *err) {
  for (size_t i = 0; i < p->n_tasks; i++) {
    struct op_scan_task *t = &p->tasks[i];
    size_t cap = 0;
    for (size_t k = 0; k < p->n_deletes; k++) {
      if (!op_scan_delete_applies(md, &t->data, &p->deletes[k])) continue;
      ICE_TRY(grow((void **)&t->deletes, &cap, t->n_deletes, sizeof *t->deletes, err));
      t->deletes[t->n_deletes++] = k;
    }
  }
  return ICE_OK;
}

int op_scan_plan_build(const struct ib_table_metadata *md, const struct ib_snapshot *snap,
                       ib_open_input_fn open, void *open_ctx, struct op_scan_plan *out,
                       struct ice_error *err) {
  return op_scan_plan_build_with(md, snap, open, open_ctx, NULL, out, err);
}

int op_scan_plan_build_with(const struct ib_table_metadata *md,
                            const struct ib_snapshot *snap, ib_open_input_fn open,
                            void *open_ctx, const struct op_scan_plan_options *o,
                            struct op_scan_plan *out, struct ice_error *err) {
  static const struct op_scan_plan_options none = {NULL, 0};
  struct op_scan_plan p;
  op_scan_plan_init(&p);
  struct collect c = {&p, o ? o : &none, 0, 0, 0};
  int rc = ib_snapshot_for_each_live_entry(snap, open, open_ctx, collect_entry, &c, err);
  if (rc == ICE_OK) rc = assign_deletes(md, &p, err);
  if (rc != ICE_OK) {
    op_scan_plan_reset(&p);
    return rc;
  }
  *out = p;
  return ICE_OK;
}
