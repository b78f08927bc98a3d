/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A blocked filter: one 64-byte block (a cache line) per key, picked by the hash's high
 * bits, and four bits in it from four 9-bit slices of its low bits, after a finalizer
 * that spreads FNV-1a's weak low bits. One cache miss per lookup instead of four, for a
 * slightly higher false-positive rate.
 */
#include "util/bloom.h"

#include "util/hash.h"

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

void ice_bloom_init(struct ice_bloom *b, int64_t expected, size_t max_bytes,
                    struct ice_mem_budget *budget) {
  ice_buf_init(&b->bits, (size_t)INT64_MAX);
  ice_buf_set_budget(&b->bits, budget);
  b->mask = 0;
  if (expected <= 0) return;
  size_t bytes = 64;
  while (bytes * 2 <= max_bytes && (int64_t)bytes * 8 < expected * 10) bytes *= 2;
  if (bytes > max_bytes) return;
  struct ice_error ignored;
  if (ice_buf_resize(&b->bits, bytes, &ignored) != ICE_OK) {
    ice_buf_reset(&b->bits); /* no room: run without a filter */
    return;
  }
  b->mask = (uint64_t)bytes * 8 - 1;
}

void ice_bloom_reset(struct ice_bloom *b) {
  ice_buf_reset(&b->bits);
  b->mask = 0;
}

/* Byte offset of the key's block. */
static size_t block_of(const struct ice_bloom *b, uint64_t h) {
  uint64_t blocks = (b->mask + 1) / 512;
  return (size_t)((h >> 40) & (blocks - 1)) * 64;
}

void ice_bloom_add(struct ice_bloom *b, const uint8_t *k, size_t len) {
  if (b->mask == 0) return;
  uint64_t h = mix(ice_hash_bytes(k, len));
  uint8_t *blk = b->bits.data + block_of(b, h);
  for (int i = 0; i < 4; i++) {
    unsigned bit = (unsigned)(h >> (9 * i)) & 511u;
    blk[bit >> 3] |= (uint8_t)(1u << (bit & 7));
  }
}

bool ice_bloom_may_contain(const struct ice_bloom *b, const uint8_t *k, size_t len) {
  if (b->mask == 0) return true;
  uint64_t h = mix(ice_hash_bytes(k, len));
  const uint8_t *blk = b->bits.data + block_of(b, h);
  for (int i = 0; i < 4; i++) {
    unsigned bit = (unsigned)(h >> (9 * i)) & 511u;
    if (!(blk[bit >> 3] & (1u << (bit & 7)))) return false;
  }
  return true;
}
