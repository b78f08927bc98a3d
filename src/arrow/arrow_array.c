/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ArrowArray construction and release (Arrow C Data interface, "ArrowArray"
 * section). The private block owns the buffers (ice_malloc'd) and the child structs.
 */
#include "arrow/arrow_array.h"

#include <string.h>

#include "util/alloc.h"

/* Fixed room for buffers: no Arrow layout we produce has more than 3 (union types,
 * the only ones with more, are not produced). */
#define ARROW_MAX_BUFFERS 4

struct array_private {
  void *buffers[ARROW_MAX_BUFFERS];
  const void *buffer_views[ARROW_MAX_BUFFERS];
  struct ArrowArray **child_ptrs;
  struct ArrowArray *child_structs;
};

static void array_release(struct ArrowArray *a) {
  if (a == NULL || a->release == NULL) return;
  struct array_private *p = a->private_data;
  for (int64_t i = 0; i < a->n_children; i++) {
    struct ArrowArray *c = a->children[i];
    if (c != NULL && c->release != NULL) c->release(c);
  }
  if (a->dictionary != NULL && a->dictionary->release != NULL) {
    a->dictionary->release(a->dictionary);
  }
  if (p != NULL) {
    for (int i = 0; i < ARROW_MAX_BUFFERS; i++) ice_free(p->buffers[i]);
    ice_free(p->child_ptrs);
    ice_free(p->child_structs);
    ice_free(p);
  }
  a->release = NULL;
  a->private_data = NULL;
}

void arrow_array_release(struct ArrowArray *a) {
  if (a != NULL && a->release != NULL) a->release(a);
}

int arrow_array_init(struct ArrowArray *a, int64_t n_buffers, int64_t n_children,
                     struct ice_error *err) {
  memset(a, 0, sizeof *a);
  if (n_buffers < 0 || n_buffers > ARROW_MAX_BUFFERS || n_children < 0 ||
      n_children > INT32_MAX) {
    ICE_FAIL(err, ICE_EINVAL, "arrow: array: bad buffer or child count");
  }
  struct array_private *p = ice_calloc(1, sizeof *p);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "arrow: array: out of memory");
  a->private_data = p;
  a->release = array_release;
  a->n_buffers = n_buffers;
  a->buffers = p->buffer_views;
  if (n_children > 0) {
    p->child_ptrs = ice_calloc((size_t)n_children, sizeof *p->child_ptrs);
    p->child_structs = ice_calloc((size_t)n_children, sizeof *p->child_structs);
    if (p->child_ptrs == NULL || p->child_structs == NULL) {
      array_release(a);
      ICE_FAIL(err, ICE_ENOMEM, "arrow: array: out of memory");
    }
    for (int64_t i = 0; i < n_children; i++) p->child_ptrs[i] = &p->child_structs[i];
    a->children = p->child_ptrs;
    a->n_children = n_children;
  }
  return ICE_OK;
}

void arrow_array_set_buffer(struct ArrowArray *a, int64_t i, void *owned) {
  struct array_private *p = a->private_data;
  if (i < 0 || i >= a->n_buffers) return;
  ice_free(p->buffers[i]);
  p->buffers[i] = owned;
  p->buffer_views[i] = owned;
}

void *arrow_array_take_buffer(struct ArrowArray *a, int64_t i) {
  struct array_private *p = a->private_data;
  if (i < 0 || i >= a->n_buffers) return NULL;
  void *b = p->buffers[i];
  p->buffers[i] = NULL;
  p->buffer_views[i] = NULL;
  return b;
}

void arrow_array_move(struct ArrowArray *src, struct ArrowArray *dst) {
  *dst = *src;
  /* buffers/children point into the private block, so a plain struct move is valid. */
  src->release = NULL;
  src->private_data = NULL;
}
