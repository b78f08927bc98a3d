/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Structural validation of caller-supplied ArrowArrays against their schema, so the
 * writer and loader can index buffers without re-checking every access. Values are
 * not inspected (UTF-8 validity is the consumer's choice).
 */
#include <stdio.h>

#include "arrow/arrow_type.h"
#include "arrow/arrow_view.h"

static int check_offsets32(const struct ArrowArray *a, int64_t limit, const char *what,
                           struct ice_error *err) {
  if (a->length == 0) return ICE_OK;
  const int32_t *off = arrow_array_offsets32(a);
  if (off == NULL) ICE_FAIL(err, ICE_EINVAL, "arrow: %s: missing offsets buffer", what);
  if (off[0] < 0) ICE_FAIL(err, ICE_EINVAL, "arrow: %s: negative first offset", what);
  for (int64_t i = 0; i < a->length; i++) {
    if (off[i + 1] < off[i]) {
      ICE_FAIL(err, ICE_EINVAL, "arrow: %s: offsets decrease at %lld", what, (long long)i);
    }
  }
  if (limit >= 0 && off[a->length] > limit) {
    ICE_FAIL(err, ICE_EINVAL, "arrow: %s: offsets exceed child length", what);
  }
  return ICE_OK;
}

static int check_offsets64(const struct ArrowArray *a, int64_t limit, const char *what,
                           struct ice_error *err) {
  if (a->length == 0) return ICE_OK;
  const int64_t *off = arrow_array_offsets64(a);
  if (off == NULL) ICE_FAIL(err, ICE_EINVAL, "arrow: %s: missing offsets buffer", what);
  if (off[0] < 0) ICE_FAIL(err, ICE_EINVAL, "arrow: %s: negative first offset", what);
  for (int64_t i = 0; i < a->length; i++) {
    if (off[i + 1] < off[i]) {
      ICE_FAIL(err, ICE_EINVAL, "arrow: %s: offsets decrease at %lld", what, (long long)i);
    }
  }
  if (limit >= 0 && off[a->length] > limit) {
    ICE_FAIL(err, ICE_EINVAL, "arrow: %s: offsets exceed child length", what);
  }
  return ICE_OK;
}

static int validate(const struct ArrowSchema *s, const struct ArrowArray *a, int depth,
                    struct ice_error *err) {
  const char *name = s->name ? s->name : "(unnamed)";
  if (depth > 64) ICE_FAIL(err, ICE_ELIMIT, "arrow: '%s': nesting too deep", name);
  if (a->release == NULL) ICE_FAIL(err, ICE_EINVAL, "arrow: '%s': array is released", name);
  struct arrow_type t;
  ICE_TRY(arrow_type_parse(s->format, &t, err));
  if (a->length < 0 || a->offset < 0 || a->null_count < -1 ||
      a->null_count > a->length) {
    ICE_FAIL(err, ICE_EINVAL, "arrow: '%s': bad length/offset/null_count", name);
  }
  if (a->n_buffers != t.n_buffers) {
    ICE_FAIL(err, ICE_EINVAL, "arrow: '%s': %s array has %lld buffers, expected %d", name,
             arrow_type_name(t.id), (long long)a->n_buffers, t.n_buffers);
  }
  if (a->n_children != s->n_children) {
    ICE_FAIL(err, ICE_EINVAL, "arrow: '%s': child count differs from schema", name);
  }
  for (int64_t i = 1; i < a->n_buffers; i++) {
    if (a->buffers[i] == NULL && a->length > 0) {
      ICE_FAIL(err, ICE_EINVAL, "arrow: '%s': buffer %lld missing", name, (long long)i);
    }
  }
  if (a->null_count != 0 && a->n_buffers > 0 && a->buffers[0] == NULL &&
      t.id != ARROW_TYPE_NA) {
    ICE_FAIL(err, ICE_EINVAL, "arrow: '%s': nulls without a validity buffer", name);
  }
  int64_t end = a->offset + a->length;
  switch (t.id) {
    case ARROW_TYPE_BINARY:
    case ARROW_TYPE_STRING:
      return check_offsets32(a, -1, name, err);
    case ARROW_TYPE_LARGE_BINARY:
    case ARROW_TYPE_LARGE_STRING:
      return check_offsets64(a, -1, name, err);
    case ARROW_TYPE_LIST:
    case ARROW_TYPE_MAP:
      if (a->n_children != 1) ICE_FAIL(err, ICE_EINVAL, "arrow: '%s': needs 1 child", name);
      ICE_TRY(check_offsets32(a, a->children[0]->length, name, err));
      return validate(s->children[0], a->children[0], depth + 1, err);
    case ARROW_TYPE_LARGE_LIST:
      if (a->n_children != 1) ICE_FAIL(err, ICE_EINVAL, "arrow: '%s': needs 1 child", name);
      ICE_TRY(check_offsets64(a, a->children[0]->length, name, err));
      return validate(s->children[0], a->children[0], depth + 1, err);
    case ARROW_TYPE_FIXED_LIST:
      if (a->n_children != 1 ||
          a->children[0]->length < end * (int64_t)t.fixed_size) {
        ICE_FAIL(err, ICE_EINVAL, "arrow: '%s': fixed list child too short", name);
      }
      return validate(s->children[0], a->children[0], depth + 1, err);
    case ARROW_TYPE_STRUCT:
      for (int64_t i = 0; i < a->n_children; i++) {
        if (a->children[i]->length < end) {
          ICE_FAIL(err, ICE_EINVAL, "arrow: '%s': struct child %lld too short", name,
                   (long long)i);
        }
        ICE_TRY(validate(s->children[i], a->children[i], depth + 1, err));
      }
      return ICE_OK;
    default:
      return ICE_OK;
  }
}

int arrow_array_validate(const struct ArrowSchema *s, const struct ArrowArray *a,
                         struct ice_error *err) {
  return validate(s, a, 0, err);
}
