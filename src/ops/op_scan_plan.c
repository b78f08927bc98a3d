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
  op_scan_plan_init(p);
}

int op_scan_open_input(void *ctx, const char *uri, struct ice_input **in,
                       struct ice_error *err) {
  return io_fileio_open_input(ctx, uri, in, err);
}

struct collect {
  struct op_scan_plan *plan;
  size_t cap_tasks, cap_deletes;
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

static int fill_file(struct op_scan_file *f, const struct ib_manifest_file *mf,
                     const struct ib_manifest_entry *e, struct ice_error *err) {
  memset(f, 0, sizeof *f);
  ib_data_file_init(&f->file);
  f->spec_id = mf->partition_spec_id;
  f->seq = e->has_sequence_number ? e->sequence_number : 0;
  return ib_data_file_copy(&f->file, &e->file, err);
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
    int rc = fill_file(&t->data, mf, e, err);
    p->n_tasks++; /* counted even on failure: reset frees what the copy made */
    return rc;
  }
  ICE_TRY(
      grow((void **)&p->deletes, &c->cap_deletes, p->n_deletes, sizeof *p->deletes, err));
  int rc = fill_file(&p->deletes[p->n_deletes], mf, e, err);
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

bool op_scan_delete_applies(const struct ib_table_metadata *md,
                            const struct op_scan_file *data,
                            const struct op_scan_file *del) {
  if (del->file.content == IB_CONTENT_POSITION_DELETES) {
    if (data->seq > del->seq || !same_partition(data, del)) return false;
    const char *ref = del->file.referenced_data_file;
    return ref == NULL || strcmp(ref, data->file.file_path) == 0;
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
  struct op_scan_plan p;
  op_scan_plan_init(&p);
  struct collect c = {&p, 0, 0};
  int rc = ib_snapshot_for_each_live_entry(snap, open, open_ctx, collect_entry, &c, err);
  if (rc == ICE_OK) rc = assign_deletes(md, &p, err);
  if (rc != ICE_OK) {
    op_scan_plan_reset(&p);
    return rc;
  }
  *out = p;
  return ICE_OK;
}
