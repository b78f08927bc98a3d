/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key encoding and the key set of op_key_set.h (a key map without values).
 */
#include "ops/op_key_set.h"

#include <string.h>

#include "arrow/arrow_view.h"

static int put_tag(struct ice_buf *out, uint8_t tag, const void *p, size_t n,
                   struct ice_error *err) {
  ICE_TRY(ice_buf_append_byte(out, tag, err));
  return n ? ice_buf_append(out, p, n, err) : ICE_OK;
}

int op_key_append(const struct arrow_type *t, const struct ArrowArray *a, int64_t row,
                  struct ice_buf *out, struct ice_error *err) {
  if (a == NULL || t->id == ARROW_TYPE_NA || !arrow_array_valid(a, row))
    return put_tag(out, 0, NULL, 0, err);
  int64_t i64 = 0;
  double f64 = 0;
  switch (t->id) {
    case ARROW_TYPE_BOOL: {
      uint8_t b = (uint8_t)arrow_array_bool(a, row);
      return put_tag(out, 1, &b, 1, err);
    }
    case ARROW_TYPE_INT8:
      i64 = ((const int8_t *)arrow_array_fixed(a, 1))[row];
      break;
    case ARROW_TYPE_INT16:
      i64 = ((const int16_t *)(const void *)arrow_array_fixed(a, 2))[row];
      break;
    case ARROW_TYPE_INT32:
    case ARROW_TYPE_DATE32:
    case ARROW_TYPE_TIME32:
      i64 = ((const int32_t *)(const void *)arrow_array_fixed(a, 4))[row];
      break;
    case ARROW_TYPE_INT64:
    case ARROW_TYPE_TIME64:
    case ARROW_TYPE_TIMESTAMP:
      i64 = ((const int64_t *)(const void *)arrow_array_fixed(a, 8))[row];
      break;
    case ARROW_TYPE_FLOAT:
      f64 = ((const float *)(const void *)arrow_array_fixed(a, 4))[row];
      return put_tag(out, 3, &f64, sizeof f64, err);
    case ARROW_TYPE_DOUBLE:
      f64 = ((const double *)(const void *)arrow_array_fixed(a, 8))[row];
      return put_tag(out, 3, &f64, sizeof f64, err);
    case ARROW_TYPE_DECIMAL128:
    case ARROW_TYPE_FIXED_BINARY:
      return put_tag(out, 4, arrow_array_fixed(a, t->byte_width) + row * t->byte_width,
                     (size_t)t->byte_width, err);
    case ARROW_TYPE_STRING:
    case ARROW_TYPE_BINARY: {
      const int32_t *o = arrow_array_offsets32(a);
      uint32_t len = (uint32_t)(o[row + 1] - o[row]);
      ICE_TRY(put_tag(out, 5, &len, sizeof len, err));
      return len ? ice_buf_append(out, arrow_array_bytes(a) + o[row], len, err) : ICE_OK;
    }
    default:
      ICE_FAIL(err, ICE_EUNSUPPORTED, "equality delete keys of type %s are not supported",
               arrow_type_name(t->id));
  }
  return put_tag(out, 2, &i64, sizeof i64, err);
}

void op_key_set_init(struct op_key_set *s, struct ice_mem_budget *budget) {
  op_key_map_init(&s->map, 0, budget);
}

void op_key_set_reset(struct op_key_set *s) {
  op_key_map_reset(&s->map);
}

int op_key_set_add(struct op_key_set *s, const uint8_t *k, size_t len,
                   struct ice_error *err) {
  uint64_t at;
  bool found;
  return op_key_map_upsert(&s->map, k, len, &at, &found, err);
}

bool op_key_set_contains(const struct op_key_set *s, const uint8_t *k, size_t len) {
  uint64_t at;
  return op_key_map_find(&s->map, k, len, &at);
}
