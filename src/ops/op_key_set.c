/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key encoding and the open-addressing key set of op_key_set.h. The set keeps its
 * load factor at or below 1/2 and doubles; keys live in one buffer, so its memory is
 * two charged buffers whatever the number of keys.
 */
#include "ops/op_key_set.h"

#include <string.h>

#include "arrow/arrow_view.h"
#include "util/hash.h"

/* No cap of its own: the budget is the bound. */
#define KEY_BUF_MAX ((size_t)INT64_MAX)

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
  memset(s, 0, sizeof *s);
  ice_buf_init(&s->keys, KEY_BUF_MAX);
  ice_buf_init(&s->slots, KEY_BUF_MAX);
  ice_buf_set_budget(&s->keys, budget);
  ice_buf_set_budget(&s->slots, budget);
}

void op_key_set_reset(struct op_key_set *s) {
  ice_buf_reset(&s->keys);
  ice_buf_reset(&s->slots);
  s->n_slots = 0;
  s->n = 0;
}

static uint64_t hash_bytes(const uint8_t *p, size_t n) {
  uint64_t h = ice_hash_bytes(p, n);
  return h ^ (h >> 29); /* low bits pick the slot: fold the high ones in */
}

static const uint8_t *key_at(const struct op_key_set *s, uint64_t off, uint32_t *len) {
  memcpy(len, s->keys.data + off, sizeof *len);
  return s->keys.data + off + sizeof *len;
}

/* The slot holding k, or the empty slot where it would go. */
static size_t find_slot(const struct op_key_set *s, const uint8_t *k, size_t len) {
  const uint64_t *slots = (const uint64_t *)(const void *)s->slots.data;
  size_t mask = s->n_slots - 1;
  for (size_t i = (size_t)hash_bytes(k, len) & mask;; i = (i + 1) & mask) {
    if (slots[i] == 0) return i;
    uint32_t klen;
    const uint8_t *p = key_at(s, slots[i] - 1, &klen);
    if (klen == len && memcmp(p, k, len) == 0) return i;
  }
}

static int rehash(struct op_key_set *s, size_t n_slots, struct ice_error *err) {
  struct ice_buf fresh;
  ice_buf_init(&fresh, KEY_BUF_MAX);
  ice_buf_set_budget(&fresh, s->slots.budget);
  int rc = ice_buf_resize(&fresh, n_slots * sizeof(uint64_t), err);
  if (rc != ICE_OK) {
    ice_buf_reset(&fresh);
    return rc;
  }
  struct ice_buf old = s->slots;
  size_t old_n = s->n_slots;
  s->slots = fresh;
  s->n_slots = n_slots;
  uint64_t *slots = (uint64_t *)(void *)s->slots.data;
  const uint64_t *prev = (const uint64_t *)(const void *)old.data;
  for (size_t i = 0; i < old_n; i++) {
    if (prev[i] == 0) continue;
    uint32_t len;
    const uint8_t *k = key_at(s, prev[i] - 1, &len);
    slots[find_slot(s, k, len)] = prev[i];
  }
  ice_buf_reset(&old);
  return ICE_OK;
}

int op_key_set_add(struct op_key_set *s, const uint8_t *k, size_t len,
                   struct ice_error *err) {
  if (len > UINT32_MAX) ICE_FAIL(err, ICE_ELIMIT, "an equality delete key exceeds 4 GiB");
  if ((s->n + 1) * 2 > s->n_slots)
    ICE_TRY(rehash(s, s->n_slots ? s->n_slots * 2 : 64, err));
  size_t i = find_slot(s, k, len);
  uint64_t *slots = (uint64_t *)(void *)s->slots.data;
  if (slots[i] != 0) return ICE_OK;
  uint64_t off = s->keys.len;
  uint32_t l32 = (uint32_t)len;
  ICE_TRY(ice_buf_reserve(&s->keys, sizeof l32 + len, err));
  ICE_TRY(ice_buf_append(&s->keys, &l32, sizeof l32, err));
  if (len) ICE_TRY(ice_buf_append(&s->keys, k, len, err));
  slots[i] = off + 1;
  s->n++;
  return ICE_OK;
}

bool op_key_set_contains(const struct op_key_set *s, const uint8_t *k, size_t len) {
  if (s->n == 0) return false;
  const uint64_t *slots = (const uint64_t *)(const void *)s->slots.data;
  return slots[find_slot(s, k, len)] != 0;
}
