/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arrow_array_take (arrow_take.h). Works on logical row indexes: a parent's offset is
 * folded into the indexes it passes to its children (struct rows, list ranges), so
 * sliced inputs at any depth come out right.
 */
#include "arrow/arrow_take.h"

#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_type.h"
#include "arrow/arrow_view.h"
#include "util/alloc.h"

static int take_any(const struct ArrowSchema *s, const struct ArrowArray *a,
                    const int64_t *idx, int64_t n, struct ArrowArray *out, int depth,
                    struct ice_error *err);

static void *alloc_bytes(int64_t n) {
  return ice_malloc(n > 0 ? (size_t)n : 1);
}

/* Validity of the selected rows; no bitmap when the input has none. */
static int take_validity(const struct ArrowArray *a, const int64_t *idx, int64_t n,
                         struct ArrowArray *out, struct ice_error *err) {
  out->null_count = 0;
  if (a->n_buffers == 0 || a->buffers[0] == NULL || a->null_count == 0) return ICE_OK;
  uint8_t *bits = ice_calloc((size_t)arrow_bitmap_bytes(n) + 1, 1);
  if (bits == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (int64_t i = 0; i < n; i++) {
    if (arrow_array_valid(a, idx[i]))
      arrow_bit_set(bits, i);
    else
      out->null_count++;
  }
  arrow_array_set_buffer(out, 0, bits);
  return ICE_OK;
}

static int take_fixed(const struct ArrowArray *a, int32_t width, const int64_t *idx,
                      int64_t n, struct ArrowArray *out) {
  uint8_t *v = alloc_bytes(n * width);
  if (v == NULL) return ICE_ENOMEM;
  const uint8_t *src = arrow_array_fixed(a, width);
  for (int64_t i = 0; i < n; i++)
    memcpy(v + i * width, src + idx[i] * width, (size_t)width);
  arrow_array_set_buffer(out, 1, v);
  return ICE_OK;
}

static int take_bool(const struct ArrowArray *a, const int64_t *idx, int64_t n,
                     struct ArrowArray *out) {
  uint8_t *v = ice_calloc((size_t)arrow_bitmap_bytes(n) + 1, 1);
  if (v == NULL) return ICE_ENOMEM;
  for (int64_t i = 0; i < n; i++)
    if (arrow_array_bool(a, idx[i])) arrow_bit_set(v, i);
  arrow_array_set_buffer(out, 1, v);
  return ICE_OK;
}

/* New offsets for the selected rows; *total is the selected child rows or bytes. */
static int take_offsets(const struct ArrowArray *a, int large, const int64_t *idx,
                        int64_t n, struct ArrowArray *out, int64_t *total,
                        struct ice_error *err) {
  void *offs = alloc_bytes((n + 1) * (large ? 8 : 4));
  if (offs == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int64_t sum = 0;
  for (int64_t i = 0; i <= n; i++) {
    if (large)
      ((int64_t *)offs)[i] = sum;
    else
      ((int32_t *)offs)[i] = (int32_t)sum;
    if (i == n) break;
    int64_t s, e;
    arrow_offsets_range(a, large, idx[i], &s, &e);
    sum += e - s;
    if (!large && sum > INT32_MAX) {
      ice_free(offs);
      ICE_FAIL(err, ICE_ELIMIT, "selected rows exceed 2 GiB of 32-bit offsets");
    }
  }
  arrow_array_set_buffer(out, 1, offs);
  *total = sum;
  return ICE_OK;
}

static int take_bytes(const struct ArrowArray *a, int large, const int64_t *idx,
                      int64_t n, struct ArrowArray *out, struct ice_error *err) {
  int64_t total = 0;
  ICE_TRY(take_offsets(a, large, idx, n, out, &total, err));
  uint8_t *data = alloc_bytes(total);
  if (data == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  const uint8_t *src = arrow_array_bytes(a);
  int64_t at = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t s, e;
    arrow_offsets_range(a, large, idx[i], &s, &e);
    if (e > s) memcpy(data + at, src + s, (size_t)(e - s));
    at += e - s;
  }
  arrow_array_set_buffer(out, 2, data);
  return ICE_OK;
}

/* Child rows of the selected list rows, in order (child logical indexes). */
static int list_child_rows(const struct ArrowArray *a, int large, int32_t fixed,
                           const int64_t *idx, int64_t n, int64_t total, int64_t **rows,
                           struct ice_error *err) {
  int64_t *r = ice_calloc(total > 0 ? (size_t)total : 1, sizeof *r);
  if (r == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int64_t at = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t s, e;
    if (fixed > 0) {
      s = (a->offset + idx[i]) * fixed;
      e = s + fixed;
    } else {
      arrow_offsets_range(a, large, idx[i], &s, &e);
    }
    for (int64_t k = s; k < e; k++) r[at++] = k;
  }
  *rows = r;
  return ICE_OK;
}

static int take_list(const struct ArrowSchema *s, const struct ArrowArray *a,
                     const struct arrow_type *t, const int64_t *idx, int64_t n,
                     struct ArrowArray *out, int depth, struct ice_error *err) {
  if (s->n_children != 1 || a->n_children != 1)
    ICE_FAIL(err, ICE_EINVAL, "list column '%s' needs one child", s->name ? s->name : "");
  int large = t->id == ARROW_TYPE_LARGE_LIST;
  int64_t total = n * t->fixed_size;
  if (t->id != ARROW_TYPE_FIXED_LIST)
    ICE_TRY(take_offsets(a, large, idx, n, out, &total, err));
  int64_t *rows = NULL;
  ICE_TRY(list_child_rows(a, large, t->id == ARROW_TYPE_FIXED_LIST ? t->fixed_size : 0,
                          idx, n, total, &rows, err));
  int rc = take_any(s->children[0], a->children[0], rows, total, out->children[0],
                    depth + 1, err);
  ice_free(rows);
  return rc;
}

static int take_struct(const struct ArrowSchema *s, const struct ArrowArray *a,
                       const int64_t *idx, int64_t n, struct ArrowArray *out, int depth,
                       struct ice_error *err) {
  if (s->n_children != a->n_children)
    ICE_FAIL(err, ICE_EINVAL, "struct '%s' has %lld children, its schema %lld",
             s->name ? s->name : "", (long long)a->n_children, (long long)s->n_children);
  int64_t *rows = ice_calloc(n > 0 ? (size_t)n : 1, sizeof *rows);
  if (rows == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (int64_t i = 0; i < n; i++) rows[i] = arrow_struct_child_row(a, idx[i]);
  int rc = ICE_OK;
  for (int64_t k = 0; rc == ICE_OK && k < s->n_children; k++)
    rc = take_any(s->children[k], a->children[k], rows, n, out->children[k], depth + 1,
                  err);
  ice_free(rows);
  return rc;
}

static int take_any(const struct ArrowSchema *s, const struct ArrowArray *a,
                    const int64_t *idx, int64_t n, struct ArrowArray *out, int depth,
                    struct ice_error *err) {
  if (depth > 64) ICE_FAIL(err, ICE_ELIMIT, "array nested more than 64 levels");
  struct arrow_type t;
  ICE_TRY(arrow_type_parse(s->format, &t, err));
  int64_t n_children = (t.id == ARROW_TYPE_STRUCT) ? s->n_children
                       : (t.id == ARROW_TYPE_LIST || t.id == ARROW_TYPE_LARGE_LIST ||
                          t.id == ARROW_TYPE_MAP || t.id == ARROW_TYPE_FIXED_LIST)
                           ? 1
                           : 0;
  if (a->n_buffers != t.n_buffers)
    ICE_FAIL(err, ICE_EINVAL, "column '%s' has %lld buffers, type %s needs %d",
             s->name ? s->name : "", (long long)a->n_buffers, arrow_type_name(t.id),
             t.n_buffers);
  ICE_TRY(arrow_array_init(out, t.n_buffers, n_children, err));
  out->length = n;
  int rc = ICE_OK;
  if (t.id == ARROW_TYPE_NA) {
    out->null_count = n;
    return ICE_OK;
  }
  rc = take_validity(a, idx, n, out, err);
  if (rc == ICE_OK) {
    switch (t.id) {
      case ARROW_TYPE_BOOL:
        if (take_bool(a, idx, n, out) != ICE_OK)
          rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
        break;
      case ARROW_TYPE_STRING:
      case ARROW_TYPE_BINARY:
        rc = take_bytes(a, 0, idx, n, out, err);
        break;
      case ARROW_TYPE_LARGE_STRING:
      case ARROW_TYPE_LARGE_BINARY:
        rc = take_bytes(a, 1, idx, n, out, err);
        break;
      case ARROW_TYPE_STRUCT:
        rc = take_struct(s, a, idx, n, out, depth, err);
        break;
      case ARROW_TYPE_LIST:
      case ARROW_TYPE_LARGE_LIST:
      case ARROW_TYPE_MAP:
      case ARROW_TYPE_FIXED_LIST:
        rc = take_list(s, a, &t, idx, n, out, depth, err);
        break;
      default:
        if (t.byte_width <= 0) {
          rc = ice_error_set(err, ICE_EUNSUPPORTED, "cannot select rows of type %s",
                             arrow_type_name(t.id));
        } else if (take_fixed(a, t.byte_width, idx, n, out) != ICE_OK) {
          rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
        }
        break;
    }
  }
  if (rc != ICE_OK) arrow_array_release(out);
  return rc;
}

int arrow_array_take(const struct ArrowSchema *schema, const struct ArrowArray *in,
                     const int64_t *idx, int64_t n, struct ArrowArray *out,
                     struct ice_error *err) {
  for (int64_t i = 0; i < n; i++)
    if (idx[i] < 0 || idx[i] >= in->length)
      ICE_FAIL(err, ICE_EINVAL, "row %lld is outside the array (%lld rows)",
               (long long)idx[i], (long long)in->length);
  return take_any(schema, in, idx, n, out, 0, err);
}
