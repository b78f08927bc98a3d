/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small ordered string -> string map for table properties and snapshot summaries.
 * Insertion order is kept (stable JSON output); lookups are linear, which is fine for
 * the few dozen entries these maps hold.
 */
#ifndef ICE_ICEBERG_IB_STR_MAP_H
#define ICE_ICEBERG_IB_STR_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct ib_str_map {
  char **keys;   /* owned */
  char **values; /* owned */
  size_t n, cap;
};

void ib_str_map_init(struct ib_str_map *m);
void ib_str_map_reset(struct ib_str_map *m); /* idempotent */
/* Copies key and value; replaces the value of an existing key in place. */
int ib_str_map_set(struct ib_str_map *m, const char *key, const char *value,
                   struct ice_error *err) ICE_NODISCARD;
/* Appends without looking for the key (O(1)); for sources whose keys are known to be
 * unique, such as JSON objects parsed with duplicates rejected. */
int ib_str_map_append(struct ib_str_map *m, const char *key, const char *value,
                      struct ice_error *err) ICE_NODISCARD;
int ib_str_map_set_i64(struct ib_str_map *m, const char *key, int64_t value,
                       struct ice_error *err) ICE_NODISCARD;
/* Borrowed value or NULL. */
const char *ib_str_map_get(const struct ib_str_map *m, const char *key);
/* Parses a decimal int64 value; returns 0 and sets *out, or -1 when absent/unparsable. */
int ib_str_map_get_i64(const struct ib_str_map *m, const char *key, int64_t *out);
int ib_str_map_remove(struct ib_str_map *m, const char *key); /* 1 if removed */
int ib_str_map_copy(struct ib_str_map *dst, const struct ib_str_map *src,
                    struct ice_error *err) ICE_NODISCARD;
/* Bulk forms for maps and lists that come from the network, in O((n + k) log n)
 * rather than O(n * k): set every entry of updates (whose keys are unique, as in any
 * ib_str_map), keeping m's order and appending new keys in updates' order; remove
 * every key of keys[0..n_keys) that m has. On ICE_ENOMEM m may be partly changed. */
int ib_str_map_set_all(struct ib_str_map *m, const struct ib_str_map *updates,
                       struct ice_error *err) ICE_NODISCARD;
int ib_str_map_remove_all(struct ib_str_map *m, char *const *keys, size_t n_keys,
                          struct ice_error *err) ICE_NODISCARD;

#endif
