/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition transform result types (spec "Partition Transforms" table) and the value
 * order used for partition summaries in manifest lists (spec "Manifest Lists",
 * field_summary lower/upper bounds).
 */
#include "iceberg/ib_partition.h"

#include <math.h>
#include <string.h>

#include "iceberg/ib_transform.h"

int ib_partition_result_type(const struct ib_partition_field *f,
                             const struct ib_schema *schema, struct ib_type *out,
                             struct ice_error *err) {
  const struct ib_field *src = ib_schema_find_by_id(schema, f->source_id);
  if (src == NULL || !ib_type_is_primitive(&src->type))
    ICE_FAIL(err, ICE_ECORRUPT,
             "partition field '%.100s': source id %d is not a primitive column", f->name,
             (int)f->source_id);
  struct ib_transform t;
  int rc = ib_transform_parse(f->transform, &t, err);
  if (rc == ICE_OK) rc = ib_transform_result_type(&t, &src->type, out, err);
  if (rc != ICE_OK) return ice_error_prefix(err, "partition field '%.100s'", f->name);
  return ICE_OK;
}

bool ib_partition_spec_same_fields(const struct ib_partition_spec *a,
                                   const struct ib_partition_spec *b) {
  if (a->n_fields != b->n_fields) return false;
  for (size_t i = 0; i < a->n_fields; i++) {
    const struct ib_partition_field *x = &a->fields[i], *y = &b->fields[i];
    if (x->source_id != y->source_id || x->field_id != y->field_id ||
        strcmp(x->name, y->name) != 0 || strcmp(x->transform, y->transform) != 0)
      return false;
  }
  return true;
}

bool ib_value_is_nan(const struct ib_value *v) {
  if (v->type == IB_TYPE_FLOAT) return isnan(v->u.f32);
  if (v->type == IB_TYPE_DOUBLE) return isnan(v->u.f64);
  return false;
}

static int cmp_i64(int64_t a, int64_t b) {
  return (a > b) - (a < b);
}

static int cmp_double(double a, double b) {
  if (a < b) return -1;
  if (a > b) return 1;
  /* Equal compares: separate -0.0 from +0.0. */
  return (signbit(b) != 0) - (signbit(a) != 0);
}

static int cmp_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  size_t n = an < bn ? an : bn;
  int c = n ? memcmp(a, b, n) : 0;
  if (c != 0) return c < 0 ? -1 : 1;
  return (an > bn) - (an < bn);
}

/* Big-endian two's complement values of any lengths, compared numerically. */
static int cmp_decimal(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  bool na = an > 0 && (a[0] & 0x80), nb = bn > 0 && (b[0] & 0x80);
  if (na != nb) return na ? -1 : 1;
  size_t n = an > bn ? an : bn;
  for (size_t i = 0; i < n; i++) {
    /* Sign-extend the shorter one on the fly. */
    uint8_t x = i < n - an ? (na ? 0xFF : 0x00) : a[i - (n - an)];
    uint8_t y = i < n - bn ? (nb ? 0xFF : 0x00) : b[i - (n - bn)];
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

int ib_value_compare(const struct ib_value *a, const struct ib_value *b) {
  switch (a->type) {
    case IB_TYPE_BOOLEAN:
      return (int)a->u.b - (int)b->u.b;
    case IB_TYPE_INT:
    case IB_TYPE_DATE:
      return cmp_i64(a->u.i32, b->u.i32);
    case IB_TYPE_LONG:
    case IB_TYPE_TIME:
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      return cmp_i64(a->u.i64, b->u.i64);
    case IB_TYPE_FLOAT:
      return cmp_double(a->u.f32, b->u.f32);
    case IB_TYPE_DOUBLE:
      return cmp_double(a->u.f64, b->u.f64);
    case IB_TYPE_DECIMAL:
      return cmp_decimal(a->bytes, a->len, b->bytes, b->len);
    default:
      return cmp_bytes(a->bytes, a->len, b->bytes, b->len);
  }
}
