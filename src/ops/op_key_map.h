/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hash map from encoded keys (op_key_set.h's encoding) to a fixed-size value, all
 * its memory charged to a budget: the merge's index of incoming keys. Entries live in
 * one buffer (length, key, value), slots in another, so growth is two charged buffers
 * whatever the number of keys, and entries can be walked in insertion order.
 */
#ifndef ICE_OPS_OP_KEY_MAP_H
#define ICE_OPS_OP_KEY_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/mem_budget.h"

struct op_key_map {
  struct ice_buf entries; /* each: uint32 key length, key bytes, value bytes */
  struct ice_buf slots;   /* uint64 per slot: entry offset + 1; 0 = empty */
  size_t n_slots;         /* power of two (or 0) */
  size_t n;               /* keys held */
  size_t value_size;
};

/* Memory one more key of len bytes costs, at most (for planning a spill). */
size_t op_key_map_entry_cost(const struct op_key_map *m, size_t len);

void op_key_map_init(struct op_key_map *m, size_t value_size,
                     struct ice_mem_budget *budget);
void op_key_map_reset(struct op_key_map *m);

/* Finds k, or inserts it with a zeroed value. *entry is the entry's offset (for
 * op_key_map_value), *found whether it was there. ICE_ELIMIT when the budget cannot
 * hold it (the map is unchanged). */
int op_key_map_upsert(struct op_key_map *m, const uint8_t *k, size_t len, uint64_t *entry,
                      bool *found, struct ice_error *err) ICE_NODISCARD;
/* The entry holding k; false when absent. */
bool op_key_map_find(const struct op_key_map *m, const uint8_t *k, size_t len,
                     uint64_t *entry);

/* The value of an entry (value_size bytes; valid until the next insertion). */
static inline uint8_t *op_key_map_value(const struct op_key_map *m, uint64_t entry) {
  uint32_t len;
  memcpy(&len, m->entries.data + entry, sizeof len);
  return m->entries.data + entry + sizeof len + len;
}
/* The key of an entry. */
static inline const uint8_t *op_key_map_key(const struct op_key_map *m, uint64_t entry,
                                            size_t *len) {
  uint32_t l;
  memcpy(&l, m->entries.data + entry, sizeof l);
  *len = l;
  return m->entries.data + entry + sizeof l;
}
/* Walks entries in insertion order: start with *at = 0; *entry is each entry in turn;
 * false at the end. */
static inline bool op_key_map_next(const struct op_key_map *m, uint64_t *entry,
                                   uint64_t *at) {
  if (*at >= m->entries.len) return false;
  uint32_t l;
  memcpy(&l, m->entries.data + *at, sizeof l);
  *entry = *at;
  *at += sizeof l + l + m->value_size;
  return true;
}

#endif
