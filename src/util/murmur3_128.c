/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MurmurHash3 x64 128-bit (murmur3_128.h), written from the algorithm's description:
 * 16-byte blocks read as two little-endian 64-bit words, each mixed into its half of
 * the state and then the halves into each other; the last partial block and the total
 * length are folded in at the end, followed by the 64-bit finaliser on each half.
 */
#include "util/murmur3_128.h"

#include <string.h>

#define C1 UINT64_C(0x87c37b91114253d5)
#define C2 UINT64_C(0x4cf5ad432745937f)

static inline uint64_t rotl64(uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}

/* Little-endian load whatever the host order, so values match the reference. */
static inline uint64_t load_le64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static inline uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= UINT64_C(0xff51afd7ed558ccd);
  k ^= k >> 33;
  k *= UINT64_C(0xc4ceb9fe1a85ec53);
  k ^= k >> 33;
  return k;
}

static inline uint64_t mix_k1(uint64_t k1) {
  k1 *= C1;
  k1 = rotl64(k1, 31);
  return k1 * C2;
}

static inline uint64_t mix_k2(uint64_t k2) {
  k2 *= C2;
  k2 = rotl64(k2, 33);
  return k2 * C1;
}

static void block(struct ice_murmur128 *m, const uint8_t *p) {
  m->h1 ^= mix_k1(load_le64(p));
  m->h1 = rotl64(m->h1, 27);
  m->h1 += m->h2;
  m->h1 = m->h1 * 5 + 0x52dce729;
  m->h2 ^= mix_k2(load_le64(p + 8));
  m->h2 = rotl64(m->h2, 31);
  m->h2 += m->h1;
  m->h2 = m->h2 * 5 + 0x38495ab5;
}

void ice_murmur128_init(struct ice_murmur128 *m, uint32_t seed) {
  memset(m, 0, sizeof *m);
  m->h1 = seed;
  m->h2 = seed;
}

void ice_murmur128_update(struct ice_murmur128 *m, const void *data, size_t n) {
  const uint8_t *p = data;
  m->total += n;
  if (m->n_tail > 0) {
    size_t take = 16 - m->n_tail < n ? 16 - m->n_tail : n;
    memcpy(m->tail + m->n_tail, p, take);
    m->n_tail += take;
    p += take;
    n -= take;
    if (m->n_tail < 16) return;
    block(m, m->tail);
    m->n_tail = 0;
  }
  for (; n >= 16; p += 16, n -= 16) block(m, p);
  if (n > 0) memcpy(m->tail, p, n);
  m->n_tail = n;
}

void ice_murmur128_final(const struct ice_murmur128 *m, uint64_t *lo, uint64_t *hi) {
  uint64_t h1 = m->h1, h2 = m->h2;
  if (m->n_tail > 0) {
    /* The partial block, zero-padded: same words as the reference's byte-wise tail. */
    uint8_t last[16] = {0};
    memcpy(last, m->tail, m->n_tail);
    if (m->n_tail > 8) h2 ^= mix_k2(load_le64(last + 8));
    h1 ^= mix_k1(load_le64(last));
  }
  h1 ^= m->total;
  h2 ^= m->total;
  h1 += h2;
  h2 += h1;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 += h2;
  h2 += h1;
  *lo = h1;
  *hi = h2;
}
