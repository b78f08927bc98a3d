/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded growable buffer (see buf.h). */
#include "util/buf.h"

#include <string.h>

#include "util/alloc.h"

void ice_buf_init(struct ice_buf *b, size_t max) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
  b->budget = NULL;
}

void ice_buf_set_budget(struct ice_buf *b, struct ice_mem_budget *budget) {
  if (b->budget == budget) return;
  ice_mem_release(b->budget, (int64_t)b->cap);
  b->budget = budget;
  ice_mem_hold(budget, (int64_t)b->cap);
}

void ice_buf_reset(struct ice_buf *b) {
  ice_mem_release(b->budget, (int64_t)b->cap);
  ice_free(b->data);
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

int ice_buf_reserve(struct ice_buf *b, size_t extra, struct ice_error *err) {
  if (extra > b->max || b->len > b->max - extra) {
    return ice_error_set(err, ICE_ELIMIT, "buffer would exceed its limit of %zu bytes",
                         b->max);
  }
  size_t need = b->len + extra;
  if (need <= b->cap) return ICE_OK;
  size_t cap = b->cap ? b->cap : 64;
  if (b->budget == NULL) {
    while (cap < need) cap = cap > b->max / 2 ? b->max : cap * 2;
  } else {
    /* Under a budget, capacity is memory charged: grow by a quarter, not double, so
     * many buffers growing at once do not overshoot what they hold by half. */
    while (cap < need) cap = cap > b->max / 5 * 4 ? b->max : cap + cap / 4 + 64;
    if (cap - b->cap > (size_t)ice_mem_available(b->budget)) cap = need;
  }
  ICE_TRY(ice_mem_charge(b->budget, (int64_t)(cap - b->cap), err));
  uint8_t *p = ice_realloc(b->data, cap);
  if (p == NULL) {
    ice_mem_release(b->budget, (int64_t)(cap - b->cap));
    return ice_error_set(err, ICE_ENOMEM, "out of memory (%zu bytes)", cap);
  }
  b->data = p;
  b->cap = cap;
  return ICE_OK;
}

int ice_buf_append(struct ice_buf *b, const void *p, size_t n, struct ice_error *err) {
  if (n == 0) return ICE_OK;
  ICE_TRY(ice_buf_reserve(b, n, err));
  memcpy(b->data + b->len, p, n);
  b->len += n;
  return ICE_OK;
}

int ice_buf_append_byte(struct ice_buf *b, uint8_t v, struct ice_error *err) {
  if (b->len < b->cap) {
    b->data[b->len++] = v;
    return ICE_OK;
  }
  return ice_buf_append(b, &v, 1, err);
}

int ice_buf_resize(struct ice_buf *b, size_t len, struct ice_error *err) {
  if (len > b->len) {
    ICE_TRY(ice_buf_reserve(b, len - b->len, err));
    memset(b->data + b->len, 0, len - b->len);
  }
  b->len = len;
  return ICE_OK;
}

uint8_t *ice_buf_take(struct ice_buf *b) {
  ice_mem_release(b->budget, (int64_t)b->cap);
  uint8_t *p = b->data;
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  return p;
}
