/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A merge into a partitioned table (op_merge.h): pruning by partition values and the
 * order of merge-on-read deletes.
 *
 * Pruning: a partition field that is identity, bucket or truncate of a key column has,
 * for every incoming key, a value the key itself decides. So per spec of the table such
 * fields are bound to the rows' schema and evaluated on every input row: bucket fields
 * keep the set of buckets hit, identity and truncate fields the range of values
 * (both transforms keep order). A stored file (or a concurrent commit's) whose value of
 * such a field is null, a bucket not hit or outside the range holds none of the keys.
 * Fields of other sources say nothing: a row whose partition column is not a key may
 * have moved to any partition.
 *
 * Deletes: a position delete file applies to data files of its own spec and partition
 * tuple only (reference/iceberg.md §7.3), so the affected files are ordered by (spec,
 * tuple, path) and each run of one tuple gets delete files of its own.
 */
#include <string.h>

#include "iceberg/ib_partition.h"
#include "ops/op_merge_internal.h"
#include "util/alloc.h"

/* More buckets than this are not tracked (the set would cost more than it saves). */
#define MAX_TRACKED_BUCKETS (1 << 20)

static bool bytes_like(enum ib_type_id t) {
  return t == IB_TYPE_STRING || t == IB_TYPE_BINARY || t == IB_TYPE_FIXED ||
         t == IB_TYPE_UUID;
}

static int cmp_raw(const uint8_t *a, size_t na, const uint8_t *b, size_t nb) {
  size_t n = na < nb ? na : nb;
  int c = n ? memcmp(a, b, n) : 0;
  if (c != 0) return c;
  return na < nb ? -1 : na > nb;
}

/* Orders a tuple's value against an evaluated one; *ok false when they cannot be
 * compared here (then nothing is pruned on them). An int before a promotion to long
 * compares with the long. */
static int value_cmp(const struct ib_value *a, const struct ib_value *b, bool *ok) {
  *ok = true;
  int64_t x, y;
  if (merge_value_int(a, &x) && merge_value_int(b, &y)) return (x > y) - (x < y);
  if (bytes_like(a->type) && bytes_like(b->type))
    return cmp_raw(a->bytes, a->len, b->bytes, b->len);
  if (a->type == b->type && a->type == IB_TYPE_DECIMAL) return ib_value_compare(a, b);
  *ok = false;
  return 0;
}

/* Keeps an owned copy of v in *dst (bytes in buf). */
static int keep_value(struct ib_value *dst, struct ice_buf *buf, const struct ib_value *v,
                      struct ice_error *err) {
  *dst = *v;
  if (v->bytes == NULL) return ICE_OK;
  ice_buf_clear(buf);
  if (v->len > 0) ICE_TRY(ice_buf_append(buf, v->bytes, v->len, err));
  dst->bytes = v->len > 0 ? buf->data : (const uint8_t *)"";
  return ICE_OK;
}

static bool key_source(const struct op_merge *m, int32_t source_id) {
  for (size_t k = 0; k < m->n_keys; k++)
    if (m->keys[k].id == source_id) return true;
  return false;
}

/* Whether field f of a spec can prune: identity, bucket or truncate of a key. */
static bool prunes(const struct op_merge *m, const struct ib_partition_field *f) {
  struct ib_transform t;
  struct ice_error ignored;
  if (!key_source(m, f->source_id)) return false;
  if (ib_transform_parse(f->transform, &t, &ignored) != ICE_OK) return false;
  return t.kind == IB_TRANSFORM_IDENTITY || t.kind == IB_TRANSFORM_BUCKET ||
         t.kind == IB_TRANSFORM_TRUNCATE;
}

static void part_spec_reset(struct merge_part_spec *p) {
  for (size_t i = 0; i < p->binding.n; i++) {
    ice_bitmap_reset(&p->fields[i].buckets);
    ice_buf_reset(&p->fields[i].lo_buf);
    ice_buf_reset(&p->fields[i].hi_buf);
  }
  ice_free(p->fields);
  ib_partition_key_reset(&p->key);
  ib_partition_binding_reset(&p->binding);
}

/* Binds the pruning fields of spec s; *used false when it has none (or they cannot be
 * bound to this schema: a dropped source, say). */
static int part_spec_init(struct op_merge *m, const struct ib_partition_spec *s,
                          const struct ib_schema *schema, struct merge_part_spec *p,
                          bool *used, struct ice_error *err) {
  memset(p, 0, sizeof *p);
  *used = false;
  struct ib_partition_field *fs = ice_calloc(s->n_fields ? s->n_fields : 1, sizeof *fs);
  if (fs == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  struct ib_partition_spec sub = {s->spec_id, fs, 0};
  for (size_t i = 0; i < s->n_fields; i++)
    if (prunes(m, &s->fields[i])) fs[sub.n_fields++] = s->fields[i]; /* borrowed */
  struct ice_error ignored;
  bool bound = sub.n_fields > 0 &&
               ib_partition_binding_init(&p->binding, &sub, schema, &ignored) == ICE_OK;
  ice_free(fs);
  if (!bound) return ICE_OK;
  p->spec_id = s->spec_id;
  p->fields = ice_calloc(p->binding.n, sizeof *p->fields);
  int rc = p->fields ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; rc == ICE_OK && i < p->binding.n; i++) {
    struct merge_part_field *f = &p->fields[i];
    ice_bitmap_init(&f->buckets, m->budget);
    ice_buf_init(&f->lo_buf, (size_t)INT64_MAX);
    ice_buf_init(&f->hi_buf, (size_t)INT64_MAX);
    ice_buf_set_budget(&f->lo_buf, m->budget);
    ice_buf_set_budget(&f->hi_buf, m->budget);
    const struct ib_transform *t = &p->binding.fields[i].transform;
    f->off = t->kind == IB_TRANSFORM_BUCKET && t->param > MAX_TRACKED_BUCKETS;
  }
  if (rc == ICE_OK) rc = ib_partition_key_init(&p->key, &p->binding, err);
  if (rc != ICE_OK) {
    part_spec_reset(p);
    return rc;
  }
  *used = true;
  return ICE_OK;
}

int op_merge_use_partitions(struct op_merge *m, const struct ib_schema *schema,
                            struct ice_error *err) {
  const struct ib_table_metadata *md = &m->t->md;
  if (md->n_specs == 0) return ICE_OK;
  m->parts = ice_calloc(md->n_specs, sizeof *m->parts);
  if (m->parts == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < md->n_specs; i++) {
    bool used = false;
    ICE_TRY(part_spec_init(m, &md->specs[i], schema, &m->parts[m->n_parts], &used, err));
    if (used) m->n_parts++;
  }
  return ICE_OK;
}

void merge_parts_reset(struct op_merge *m) {
  for (size_t i = 0; i < m->n_parts; i++) part_spec_reset(&m->parts[i]);
  ice_free(m->parts);
  m->parts = NULL;
  m->n_parts = 0;
}

static int field_add(struct merge_part_field *f, const struct ib_transform *t,
                     const struct ib_value *v, struct ice_error *err) {
  if (f->off) return ICE_OK;
  if (t->kind == IB_TRANSFORM_BUCKET) {
    f->have = true;
    return ice_bitmap_set(&f->buckets, v->u.i32, err);
  }
  bool ok = true;
  if (!f->have || value_cmp(v, &f->lo, &ok) < 0)
    ICE_TRY(keep_value(&f->lo, &f->lo_buf, v, err));
  if (ok && (!f->have || value_cmp(v, &f->hi, &ok) > 0))
    ICE_TRY(keep_value(&f->hi, &f->hi_buf, v, err));
  f->off = !ok;
  f->have = true;
  return ICE_OK;
}

int merge_parts_ingest(struct op_merge *m, const struct ArrowArray *batch, int64_t row,
                       struct ice_error *err) {
  for (size_t s = 0; s < m->n_parts; s++) {
    struct merge_part_spec *p = &m->parts[s];
    ICE_TRY(ib_partition_key_eval(&p->binding, batch, row, &p->key, err));
    for (size_t i = 0; i < p->binding.n; i++) {
      const struct ib_partition_value *v = &p->key.values[i];
      if (v->is_null) continue; /* not for a non-null key; nothing to note */
      ICE_TRY(field_add(&p->fields[i], &p->binding.fields[i].transform, &v->value, err));
    }
  }
  return ICE_OK;
}

static const struct ib_partition_value *tuple_value(const struct ib_partition_tuple *t,
                                                    int32_t field_id) {
  for (size_t i = 0; i < t->n; i++)
    if (t->values[i].field_id == field_id) return &t->values[i];
  return NULL;
}

/* Whether value v of a file can be the field's value of an incoming key. */
static bool field_may_match(const struct merge_part_field *f,
                            const struct ib_transform *t,
                            const struct ib_partition_value *v) {
  if (v->is_null) return false; /* every incoming key has a value here */
  if (f->off || !f->have) return true;
  if (t->kind == IB_TRANSFORM_BUCKET) {
    int64_t b;
    if (!merge_value_int(&v->value, &b)) return true;
    return b < 0 || b >= t->param || ice_bitmap_get(&f->buckets, b);
  }
  bool ok = true;
  if (value_cmp(&v->value, &f->lo, &ok) < 0 && ok) return false;
  if (value_cmp(&v->value, &f->hi, &ok) > 0 && ok) return false;
  return true;
}

bool merge_parts_may_match(const struct op_merge *m, int32_t spec_id,
                           const struct ib_partition_tuple *t) {
  for (size_t s = 0; s < m->n_parts; s++) {
    const struct merge_part_spec *p = &m->parts[s];
    if (p->spec_id != spec_id) continue;
    for (size_t i = 0; i < p->binding.n; i++) {
      const struct ib_partition_value *v = tuple_value(t, p->binding.fields[i].field_id);
      if (v != NULL &&
          !field_may_match(&p->fields[i], &p->binding.fields[i].transform, v))
        return false;
    }
    return true;
  }
  return true; /* a spec without such fields (or one this merge never saw) */
}

/* A total order on tuple values, for grouping: equal only when identical. */
static int value_order(const struct ib_partition_value *a,
                       const struct ib_partition_value *b) {
  if (a->field_id != b->field_id) return a->field_id < b->field_id ? -1 : 1;
  if (a->is_null != b->is_null) return a->is_null ? -1 : 1;
  if (a->is_null) return 0;
  const struct ib_value *x = &a->value, *y = &b->value;
  if (x->type != y->type) return x->type < y->type ? -1 : 1;
  if (x->type == IB_TYPE_FLOAT || x->type == IB_TYPE_DOUBLE) {
    bool nx = ib_value_is_nan(x), ny = ib_value_is_nan(y);
    if (nx || ny) return nx == ny ? 0 : (nx ? 1 : -1);
  }
  if (bytes_like(x->type)) return cmp_raw(x->bytes, x->len, y->bytes, y->len);
  return ib_value_compare(x, y);
}

int merge_tuple_order(int32_t spec_a, const struct ib_partition_tuple *a, int32_t spec_b,
                      const struct ib_partition_tuple *b) {
  if (spec_a != spec_b) return spec_a < spec_b ? -1 : 1;
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  for (size_t i = 0; i < a->n; i++) {
    int c = value_order(&a->values[i], &b->values[i]);
    if (c != 0) return c;
  }
  return 0;
}
