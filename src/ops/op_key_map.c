/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Open addressing with linear probing at a load factor of at most 1/2, doubling. A
 * slot holds its entry's offset + 1 in the low 40 bits and 24 bits of the key's hash
 * above them: a probe step past another key usually tells it apart by those bits,
 * without reading (a cache miss) that key's entry.
 */
#include "ops/op_key_map.h"

#include "util/hash.h"

/* No cap of its own: the budget is the bound. */
#define MAP_BUF_MAX ((size_t)INT64_MAX)

void op_key_map_init(struct op_key_map *m, size_t value_size,
                     struct ice_mem_budget *budget) {
  memset(m, 0, sizeof *m);
  m->value_size = value_size;
  ice_buf_init(&m->entries, MAP_BUF_MAX);
  ice_buf_init(&m->slots, MAP_BUF_MAX);
  ice_buf_set_budget(&m->entries, budget);
  ice_buf_set_budget(&m->slots, budget);
}

void op_key_map_reset(struct op_key_map *m) {
  ice_buf_reset(&m->entries);
  ice_buf_reset(&m->slots);
  m->n_slots = 0;
  m->n = 0;
}

size_t op_key_map_entry_cost(const struct op_key_map *m, size_t len) {
  /* The entry, two slots (load factor 1/2), and the buffer's doubling slack. */
  return 2 * (sizeof(uint32_t) + len + m->value_size) + 4 * sizeof(uint64_t);
}

#define OFF_BITS 40
#define OFF_MASK ((UINT64_C(1) << OFF_BITS) - 1)

static uint64_t hash_bytes(const uint8_t *p, size_t n) {
  uint64_t h = ice_hash_bytes(p, n);
  return h ^ (h >> 29); /* low bits pick the slot: fold the high ones in */
}

/* The tag bits of a slot for a key of hash h (the high bits: the slot index uses the
 * low ones). */
static uint64_t tag_of(uint64_t h) {
  return (h >> OFF_BITS) << OFF_BITS;
}

/* The slot holding k (of hash h), or the empty slot where it would go. */
static size_t find_slot(const struct op_key_map *m, const uint8_t *k, size_t len,
                        uint64_t h) {
  const uint64_t *slots = (const uint64_t *)(const void *)m->slots.data;
  size_t mask = m->n_slots - 1;
  uint64_t tag = tag_of(h);
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    uint64_t s = slots[i];
    if (s == 0) return i;
    if ((s & ~OFF_MASK) != tag) continue;
    size_t klen;
    const uint8_t *p = op_key_map_key(m, (s & OFF_MASK) - 1, &klen);
    if (klen == len && (len == 0 || memcmp(p, k, len) == 0)) return i; /* k may be NULL */
  }
}

static int rehash(struct op_key_map *m, size_t n_slots, struct ice_error *err) {
  struct ice_buf fresh;
  ice_buf_init(&fresh, MAP_BUF_MAX);
  ice_buf_set_budget(&fresh, m->slots.budget);
  int rc = ice_buf_resize(&fresh, n_slots * sizeof(uint64_t), err);
  if (rc != ICE_OK) {
    ice_buf_reset(&fresh);
    return rc;
  }
  struct ice_buf old = m->slots;
  size_t old_n = m->n_slots;
  m->slots = fresh;
  m->n_slots = n_slots;
  uint64_t *slots = (uint64_t *)(void *)m->slots.data;
  const uint64_t *prev = (const uint64_t *)(const void *)old.data;
  for (size_t i = 0; i < old_n; i++) {
    if (prev[i] == 0) continue;
    size_t len;
    const uint8_t *k = op_key_map_key(m, (prev[i] & OFF_MASK) - 1, &len);
    slots[find_slot(m, k, len, hash_bytes(k, len))] = prev[i];
  }
  ice_buf_reset(&old);
  return ICE_OK;
}

bool op_key_map_find(const struct op_key_map *m, const uint8_t *k, size_t len,
                     uint64_t *entry) {
  if (m->n == 0) return false;
  const uint64_t *slots = (const uint64_t *)(const void *)m->slots.data;
  uint64_t s = slots[find_slot(m, k, len, hash_bytes(k, len))];
  if (s == 0) return false;
  *entry = (s & OFF_MASK) - 1;
  return true;
}

int op_key_map_upsert(struct op_key_map *m, const uint8_t *k, size_t len, uint64_t *entry,
                      bool *found, struct ice_error *err) {
  if (len > UINT32_MAX) ICE_FAIL(err, ICE_ELIMIT, "a key exceeds 4 GiB");
  /* Room first (a key already there may make the map grow one key early), so one
   * probe finds the key or its slot. */
  if ((m->n + 1) * 2 > m->n_slots) {
    int rc = rehash(m, m->n_slots ? m->n_slots * 2 : 64, err);
    if (rc != ICE_OK && op_key_map_find(m, k, len, entry)) {
      *found = true; /* no room to grow, but none needed */
      return ICE_OK;
    }
    ICE_TRY(rc);
  }
  uint64_t h = hash_bytes(k, len);
  size_t i = find_slot(m, k, len, h);
  uint64_t *slots = (uint64_t *)(void *)m->slots.data;
  if (slots[i] != 0) {
    *found = true;
    *entry = (slots[i] & OFF_MASK) - 1;
    return ICE_OK;
  }
  *found = false;
  uint64_t off = m->entries.len;
  if (off + 1 > OFF_MASK) ICE_FAIL(err, ICE_ELIMIT, "the key map exceeds 1 TiB");
  uint32_t l32 = (uint32_t)len;
  size_t need = sizeof l32 + len + m->value_size;
  ICE_TRY(ice_buf_reserve(&m->entries, need, err));
  ICE_TRY(ice_buf_append(&m->entries, &l32, sizeof l32, err));
  if (len) ICE_TRY(ice_buf_append(&m->entries, k, len, err));
  /* Growing zero-fills: the value starts zeroed. */
  ICE_TRY(ice_buf_resize(&m->entries, m->entries.len + m->value_size, err));
  slots[i] = tag_of(h) | (off + 1);
  m->n++;
  *entry = off;
  return ICE_OK;
}
