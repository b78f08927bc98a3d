/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition keys of rows (ib_partition_row.h): a spec bound to the schema the batches
 * are laid out as, and one row's source values read from the Arrow arrays and put
 * through the transforms. Only struct nesting is followed: the spec allows no source
 * inside a list or map.
 */
#include "iceberg/ib_partition_row.h"

#include <string.h>

#include "arrow/arrow_view.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_value.h"
#include "util/alloc.h"
#include "util/limits.h"

/* Child indices from t down to the field with id, through structs only. */
static bool find_path(const struct ib_type *t, int32_t id, size_t *path, size_t depth,
                      size_t *out_depth) {
  if (depth >= ICE_LIMIT_NESTING) return false;
  for (size_t i = 0; i < t->n_fields; i++) {
    const struct ib_field *f = &t->fields[i];
    path[depth] = i;
    if (f->id == id) {
      *out_depth = depth + 1;
      return true;
    }
    if (f->type.id == IB_TYPE_STRUCT &&
        find_path(&f->type, id, path, depth + 1, out_depth))
      return true;
  }
  return false;
}

static int bind_field(const struct ib_partition_field *pf, const struct ib_schema *schema,
                      struct ib_partition_source *s, struct ice_error *err) {
  const struct ib_field *src = ib_schema_find_by_id(schema, pf->source_id);
  if (src == NULL || !ib_type_is_primitive(&src->type))
    ICE_FAIL(err, ICE_EINVAL, "source id %d is not a primitive column of the schema",
             (int)pf->source_id);
  s->path = ice_calloc(ICE_LIMIT_NESTING, sizeof(*s->path));
  s->name = ice_strdup(pf->name);
  if (s->path == NULL || s->name == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  if (!find_path(&schema->root, pf->source_id, s->path, 0, &s->depth))
    ICE_FAIL(err, ICE_EINVAL, "source column %d is inside a list or map",
             (int)pf->source_id);
  s->field_id = pf->field_id;
  s->source = src->type;
  s->source.fields = NULL;
  s->source.n_fields = 0;
  ICE_TRY(ib_transform_parse(pf->transform, &s->transform, err));
  return ib_transform_result_type(&s->transform, &s->source, &s->result, err);
}

int ib_partition_binding_init(struct ib_partition_binding *out,
                              const struct ib_partition_spec *spec,
                              const struct ib_schema *schema, struct ice_error *err) {
  struct ib_partition_binding b = {NULL, 0};
  if (spec->n_fields > 0) {
    b.fields = ice_calloc(spec->n_fields, sizeof(*b.fields));
    if (b.fields == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < spec->n_fields; i++) {
    b.n = i + 1; /* owned from here, so reset frees it */
    int rc = bind_field(&spec->fields[i], schema, &b.fields[i], err);
    if (rc != ICE_OK) {
      ib_partition_binding_reset(&b);
      return ice_error_prefix(err, "partition field '%.200s'", spec->fields[i].name);
    }
  }
  *out = b;
  return ICE_OK;
}

void ib_partition_binding_reset(struct ib_partition_binding *b) {
  for (size_t i = 0; i < b->n; i++) {
    ice_free(b->fields[i].name);
    ice_free(b->fields[i].path);
  }
  ice_free(b->fields);
  b->fields = NULL;
  b->n = 0;
}

int ib_partition_key_init(struct ib_partition_key *key,
                          const struct ib_partition_binding *b, struct ice_error *err) {
  memset(key, 0, sizeof(*key));
  if (b->n == 0) return ICE_OK;
  key->values = ice_calloc(b->n, sizeof(*key->values));
  key->scratch = ice_calloc(b->n, sizeof(*key->scratch));
  if (key->values == NULL || key->scratch == NULL) {
    ib_partition_key_reset(key);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  key->n = b->n;
  for (size_t i = 0; i < b->n; i++) {
    key->values[i].field_id = b->fields[i].field_id;
    key->values[i].is_null = true;
  }
  return ICE_OK;
}

void ib_partition_key_reset(struct ib_partition_key *key) {
  ice_free(key->values);
  ice_free(key->scratch);
  memset(key, 0, sizeof(*key));
}

/* Fixed-width slot i of a, checked: a has a data buffer. */
static const uint8_t *fixed_slot(const struct ArrowArray *a, int64_t i, int32_t width) {
  if (a->n_buffers != 2 || a->buffers[1] == NULL) return NULL;
  return arrow_array_fixed(a, width) + i * (int64_t)width;
}

/* Reads the non-null leaf slot i of a as an Iceberg value of type t; decimals are
 * turned big-endian into scratch (minimal bytes). */
static int read_leaf(const struct ArrowArray *a, int64_t i, const struct ib_type *t,
                     uint8_t scratch[16], struct ib_value *v, struct ice_error *err) {
  memset(v, 0, sizeof(*v));
  v->type = t->id;
  const uint8_t *p = NULL;
  switch (t->id) {
    case IB_TYPE_BOOLEAN:
      if (a->n_buffers != 2 || a->buffers[1] == NULL) break;
      v->u.b = arrow_array_bool(a, i) != 0;
      return ICE_OK;
    case IB_TYPE_INT:
    case IB_TYPE_DATE:
      if ((p = fixed_slot(a, i, 4)) == NULL) break;
      memcpy(&v->u.i32, p, 4);
      return ICE_OK;
    case IB_TYPE_FLOAT:
      if ((p = fixed_slot(a, i, 4)) == NULL) break;
      memcpy(&v->u.f32, p, 4);
      return ICE_OK;
    case IB_TYPE_DOUBLE:
      if ((p = fixed_slot(a, i, 8)) == NULL) break;
      memcpy(&v->u.f64, p, 8);
      return ICE_OK;
    case IB_TYPE_LONG:
    case IB_TYPE_TIME:
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      if ((p = fixed_slot(a, i, 8)) == NULL) break;
      memcpy(&v->u.i64, p, 8);
      return ICE_OK;
    case IB_TYPE_DECIMAL: {
      if ((p = fixed_slot(a, i, 16)) == NULL) break;
      for (int k = 0; k < 16; k++) scratch[k] = p[15 - k]; /* Arrow stores LE */
      size_t ml = ib_decimal_minimal_len(scratch, 16);
      v->bytes = scratch + 16 - ml;
      v->len = ml;
      return ICE_OK;
    }
    case IB_TYPE_UUID:
    case IB_TYPE_FIXED: {
      int32_t w = t->id == IB_TYPE_UUID ? 16 : t->length;
      if ((p = fixed_slot(a, i, w)) == NULL) break;
      v->bytes = p;
      v->len = (size_t)w;
      return ICE_OK;
    }
    case IB_TYPE_STRING:
    case IB_TYPE_BINARY: {
      if (a->n_buffers != 3 || a->buffers[1] == NULL) break;
      const int32_t *off = arrow_array_offsets32(a);
      int32_t s = off[i], e = off[i + 1];
      if (s < 0 || e < s || (e > s && a->buffers[2] == NULL))
        ICE_FAIL(err, ICE_EINVAL, "offsets of row %lld out of order", (long long)i);
      v->bytes = e > s ? arrow_array_bytes(a) + s : (const uint8_t *)"";
      v->len = (size_t)(e - s);
      return ICE_OK;
    }
    default:
      break;
  }
  ICE_FAIL(err, ICE_EINVAL, "column array does not match its type");
}

/* The source value of s at row: *is_null when it or a struct around it is null. */
static int source_value(const struct ib_partition_source *s,
                        const struct ArrowArray *batch, int64_t row, uint8_t scratch[16],
                        struct ib_value *v, bool *is_null, struct ice_error *err) {
  const struct ArrowArray *a = batch;
  int64_t i = row;
  *is_null = false;
  if (i < 0 || i >= a->length)
    ICE_FAIL(err, ICE_EINVAL, "row %lld out of range", (long long)row);
  for (size_t k = 0; k < s->depth; k++) {
    if (a->n_children < 0 || (size_t)a->n_children <= s->path[k] || a->children == NULL ||
        a->children[s->path[k]] == NULL)
      ICE_FAIL(err, ICE_EINVAL, "batch lacks column %zu of the schema", s->path[k]);
    if (a->buffers != NULL && a->n_buffers > 0 && !arrow_array_valid(a, i)) {
      *is_null = true;
      return ICE_OK;
    }
    i = a->offset + i; /* a struct's row i is row offset + i of its children */
    a = a->children[s->path[k]];
    if (i >= a->length) ICE_FAIL(err, ICE_EINVAL, "child array shorter than its parent");
  }
  if (a->n_buffers == 0 || a->buffers == NULL)
    ICE_FAIL(err, ICE_EINVAL, "column array has no buffers");
  if (!arrow_array_valid(a, i)) {
    *is_null = true;
    return ICE_OK;
  }
  return read_leaf(a, i, &s->source, scratch, v, err);
}

int ib_partition_key_eval(const struct ib_partition_binding *b,
                          const struct ArrowArray *batch, int64_t row,
                          struct ib_partition_key *key, struct ice_error *err) {
  if (key->n != b->n) ICE_FAIL(err, ICE_EINVAL, "partition key not made for this spec");
  for (size_t f = 0; f < b->n; f++) {
    const struct ib_partition_source *s = &b->fields[f];
    struct ib_partition_value *out = &key->values[f];
    struct ib_value in;
    bool is_null;
    int rc = source_value(s, batch, row, key->scratch[f], &in, &is_null, err);
    if (rc == ICE_OK && !is_null)
      rc = ib_transform_apply(&s->transform, &s->source, &in, key->scratch[f] + 16,
                              &out->value, err);
    if (rc != ICE_OK) return ice_error_prefix(err, "partition field '%.200s'", s->name);
    /* void yields no type: null. */
    out->is_null = is_null || out->value.type == 0;
    if (out->is_null) memset(&out->value, 0, sizeof(out->value));
  }
  return ICE_OK;
}

bool ib_partition_values_equal(const struct ib_partition_value *a,
                               const struct ib_partition_value *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (a[i].field_id != b[i].field_id || a[i].is_null != b[i].is_null) return false;
    if (!a[i].is_null && ib_value_compare(&a[i].value, &b[i].value) != 0) return false;
  }
  return true;
}

bool ib_partition_key_equal(const struct ib_partition_key *a,
                            const struct ib_partition_key *b) {
  return a->n == b->n && ib_partition_values_equal(a->values, b->values, a->n);
}

int ib_partition_key_to_data_file(const struct ib_partition_key *key,
                                  struct ib_data_file *f, struct ice_error *err) {
  int32_t *ids = key->n ? ice_calloc(key->n, sizeof(*ids)) : NULL;
  if (key->n > 0 && ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < key->n; i++) ids[i] = key->values[i].field_id;
  int rc = ib_data_file_set_partition_fields(f, ids, key->n, err);
  ice_free(ids);
  for (size_t i = 0; rc == ICE_OK && i < key->n; i++)
    rc = ib_data_file_set_partition_value(
        f, i, key->values[i].is_null ? NULL : &key->values[i].value, err);
  return rc;
}
