/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MurmurHash3 x64 128-bit (Austin Appleby's published algorithm), fed incrementally: the
 * bytes may arrive in pieces of any size and the result equals the one-shot hash of
 * their concatenation. For fingerprints that must rarely collide (row identity in a
 * merge); not a cryptographic hash.
 */
#ifndef ICE_UTIL_MURMUR3_128_H
#define ICE_UTIL_MURMUR3_128_H

#include <stddef.h>
#include <stdint.h>

struct ice_murmur128 {
  uint64_t h1, h2;
  uint64_t total;   /* bytes fed so far */
  uint8_t tail[16]; /* bytes of the block not yet complete */
  size_t n_tail;
};

/* Starts a hash with the given seed (0 gives the reference values). */
void ice_murmur128_init(struct ice_murmur128 *m, uint32_t seed);
/* Feeds p[0..n) (p may be NULL when n == 0). */
void ice_murmur128_update(struct ice_murmur128 *m, const void *p, size_t n);
/* The hash of everything fed: *lo and *hi are the reference's first and second 64-bit
 * words (its 16 output bytes are lo then hi, little-endian). `m` is left unchanged, so
 * feeding may go on. */
void ice_murmur128_final(const struct ice_murmur128 *m, uint64_t *lo, uint64_t *hi);

#endif
