/* SPDX-License-Identifier: Apache-2.0 */
/*
 * FNV-1a over bytes: the one byte hash of the project's small hash tables (Avro named
 * types, equality-delete keys). Not for untrusted keys where collisions could be forced
 * at scale; the tables using it bound their size.
 */
#ifndef ICE_UTIL_HASH_H
#define ICE_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define ICE_FNV1A_BASIS 1469598103934665603ull
#define ICE_FNV1A_PRIME 1099511628211ull

static inline uint64_t ice_hash_bytes(const void *p, size_t n) {
  const uint8_t *b = p;
  uint64_t h = ICE_FNV1A_BASIS;
  for (size_t i = 0; i < n; i++) {
    h ^= b[i];
    h *= ICE_FNV1A_PRIME;
  }
  return h;
}

static inline uint64_t ice_hash_str(const char *s) {
  uint64_t h = ICE_FNV1A_BASIS;
  for (; *s; s++) {
    h ^= (uint8_t)*s;
    h *= ICE_FNV1A_PRIME;
  }
  return h;
}

#endif
