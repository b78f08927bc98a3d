/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bit unpacking for the hybrid RLE and DELTA_BINARY_PACKED decoders. A group of 8
 * values at width bw occupies exactly bw bytes. When enough readable bytes follow
 * the group (8, or 16 for 64-bit values) it is read with unaligned 64-bit loads; the
 * last groups of a buffer are first copied into a zero-padded scratch block, so
 * nothing outside the caller's bytes is ever touched.
 */
#include "parquet/pq_dec_unpack.h"

#include <string.h>

#if defined(__GNUC__)
#define PQ_INLINE static inline __attribute__((always_inline))
#else
#define PQ_INLINE static inline
#endif

static inline uint64_t load64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* Reads up to bw + 8 bytes from in (a 64-bit load at each value's first byte).
 * Unrolled by hand: -O2 does not unroll, and with bw constant every offset and
 * shift below folds to an immediate. */
#define PQ_GET32(K) \
  out[K] = (uint32_t)((load64(in + (((K) * bw) >> 3)) >> (((K) * bw) & 7)) & mask)
PQ_INLINE void unpack8_32(const uint8_t *in, uint32_t *out, const uint32_t bw) {
  const uint64_t mask = bw >= 32 ? 0xffffffffu : ((uint64_t)1 << bw) - 1;
  PQ_GET32(0);
  PQ_GET32(1);
  PQ_GET32(2);
  PQ_GET32(3);
  PQ_GET32(4);
  PQ_GET32(5);
  PQ_GET32(6);
  PQ_GET32(7);
}

/* Reads up to bw + 16 bytes from in. */
PQ_INLINE uint64_t get64(const uint8_t *in, const uint32_t bit, const uint32_t bw,
                         const uint64_t mask) {
  const uint32_t shift = bit & 7;
  uint64_t v = load64(in + (bit >> 3)) >> shift;
  if (bw + shift > 64) v |= load64(in + (bit >> 3) + 8) << (64 - shift);
  return v & mask;
}

PQ_INLINE void unpack8_64(const uint8_t *in, uint64_t *out, const uint32_t bw) {
  const uint64_t mask = bw >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << bw) - 1;
  out[0] = get64(in, 0 * bw, bw, mask);
  out[1] = get64(in, 1 * bw, bw, mask);
  out[2] = get64(in, 2 * bw, bw, mask);
  out[3] = get64(in, 3 * bw, bw, mask);
  out[4] = get64(in, 4 * bw, bw, mask);
  out[5] = get64(in, 5 * bw, bw, mask);
  out[6] = get64(in, 6 * bw, bw, mask);
  out[7] = get64(in, 7 * bw, bw, mask);
}

/* One loop per width so the compiler sees bw as a constant. */
#define PQ_UNPACK_LOOP32(BW)                                   \
  case BW:                                                     \
    for (size_t g = 0; g < fast; g++) unpack8_32(src + g * (BW), out + g * 8, BW); \
    break;

static void unpack32_fast(const uint8_t *src, uint32_t bw, size_t fast, uint32_t *out) {
  switch (bw) {
    PQ_UNPACK_LOOP32(1) PQ_UNPACK_LOOP32(2) PQ_UNPACK_LOOP32(3) PQ_UNPACK_LOOP32(4)
    PQ_UNPACK_LOOP32(5) PQ_UNPACK_LOOP32(6) PQ_UNPACK_LOOP32(7) PQ_UNPACK_LOOP32(8)
    PQ_UNPACK_LOOP32(9) PQ_UNPACK_LOOP32(10) PQ_UNPACK_LOOP32(11) PQ_UNPACK_LOOP32(12)
    PQ_UNPACK_LOOP32(13) PQ_UNPACK_LOOP32(14) PQ_UNPACK_LOOP32(15) PQ_UNPACK_LOOP32(16)
    PQ_UNPACK_LOOP32(17) PQ_UNPACK_LOOP32(18) PQ_UNPACK_LOOP32(19) PQ_UNPACK_LOOP32(20)
    PQ_UNPACK_LOOP32(21) PQ_UNPACK_LOOP32(22) PQ_UNPACK_LOOP32(23) PQ_UNPACK_LOOP32(24)
    PQ_UNPACK_LOOP32(25) PQ_UNPACK_LOOP32(26) PQ_UNPACK_LOOP32(27) PQ_UNPACK_LOOP32(28)
    PQ_UNPACK_LOOP32(29) PQ_UNPACK_LOOP32(30) PQ_UNPACK_LOOP32(31) PQ_UNPACK_LOOP32(32)
    default:
      break;
  }
}

void pq_unpack32(const uint8_t *src, size_t avail, uint32_t bw, size_t ngroups,
                 uint32_t *out) {
  if (bw == 0) {
    memset(out, 0, ngroups * 8 * sizeof *out);
    return;
  }
  if (bw == 8) {
    for (size_t i = 0; i < ngroups * 8; i++) out[i] = src[i];
    return;
  }
  /* Group g may use the unpadded loads when g*bw + bw + 8 <= avail. */
  size_t fast = avail >= (size_t)bw + 8 ? (avail - bw - 8) / bw + 1 : 0;
  if (fast > ngroups) fast = ngroups;
  unpack32_fast(src, bw, fast, out);
  uint8_t pad[32 + 8];
  for (size_t g = fast; g < ngroups; g++) {
    memset(pad, 0, sizeof pad);
    memcpy(pad, src + g * bw, bw);
    unpack32_fast(pad, bw, 1, out + g * 8);
  }
}

#define PQ_UNPACK_LOOP64(BW)                                   \
  case BW:                                                     \
    for (size_t g = 0; g < fast; g++) unpack8_64(src + g * (BW), out + g * 8, BW); \
    break;

static void unpack64_fast(const uint8_t *src, uint32_t bw, size_t fast, uint64_t *out) {
  switch (bw) {
    PQ_UNPACK_LOOP64(1) PQ_UNPACK_LOOP64(2) PQ_UNPACK_LOOP64(3) PQ_UNPACK_LOOP64(4)
    PQ_UNPACK_LOOP64(5) PQ_UNPACK_LOOP64(6) PQ_UNPACK_LOOP64(7) PQ_UNPACK_LOOP64(8)
    PQ_UNPACK_LOOP64(9) PQ_UNPACK_LOOP64(10) PQ_UNPACK_LOOP64(11) PQ_UNPACK_LOOP64(12)
    PQ_UNPACK_LOOP64(13) PQ_UNPACK_LOOP64(14) PQ_UNPACK_LOOP64(15) PQ_UNPACK_LOOP64(16)
    PQ_UNPACK_LOOP64(17) PQ_UNPACK_LOOP64(18) PQ_UNPACK_LOOP64(19) PQ_UNPACK_LOOP64(20)
    PQ_UNPACK_LOOP64(21) PQ_UNPACK_LOOP64(22) PQ_UNPACK_LOOP64(23) PQ_UNPACK_LOOP64(24)
    PQ_UNPACK_LOOP64(25) PQ_UNPACK_LOOP64(26) PQ_UNPACK_LOOP64(27) PQ_UNPACK_LOOP64(28)
    PQ_UNPACK_LOOP64(29) PQ_UNPACK_LOOP64(30) PQ_UNPACK_LOOP64(31) PQ_UNPACK_LOOP64(32)
    PQ_UNPACK_LOOP64(33) PQ_UNPACK_LOOP64(34) PQ_UNPACK_LOOP64(35) PQ_UNPACK_LOOP64(36)
    PQ_UNPACK_LOOP64(37) PQ_UNPACK_LOOP64(38) PQ_UNPACK_LOOP64(39) PQ_UNPACK_LOOP64(40)
    PQ_UNPACK_LOOP64(41) PQ_UNPACK_LOOP64(42) PQ_UNPACK_LOOP64(43) PQ_UNPACK_LOOP64(44)
    PQ_UNPACK_LOOP64(45) PQ_UNPACK_LOOP64(46) PQ_UNPACK_LOOP64(47) PQ_UNPACK_LOOP64(48)
    PQ_UNPACK_LOOP64(49) PQ_UNPACK_LOOP64(50) PQ_UNPACK_LOOP64(51) PQ_UNPACK_LOOP64(52)
    PQ_UNPACK_LOOP64(53) PQ_UNPACK_LOOP64(54) PQ_UNPACK_LOOP64(55) PQ_UNPACK_LOOP64(56)
    PQ_UNPACK_LOOP64(57) PQ_UNPACK_LOOP64(58) PQ_UNPACK_LOOP64(59) PQ_UNPACK_LOOP64(60)
    PQ_UNPACK_LOOP64(61) PQ_UNPACK_LOOP64(62) PQ_UNPACK_LOOP64(63) PQ_UNPACK_LOOP64(64)
    default:
      break;
  }
}

void pq_unpack64(const uint8_t *src, size_t avail, uint32_t bw, size_t ngroups,
                 uint64_t *out) {
  if (bw == 0) {
    memset(out, 0, ngroups * 8 * sizeof *out);
    return;
  }
  /* Group g may use the unpadded loads when g*bw + bw + 16 <= avail. */
  size_t fast = avail >= (size_t)bw + 16 ? (avail - bw - 16) / bw + 1 : 0;
  if (fast > ngroups) fast = ngroups;
  unpack64_fast(src, bw, fast, out);
  uint8_t pad[64 + 16];
  for (size_t g = fast; g < ngroups; g++) {
    memset(pad, 0, sizeof pad);
    memcpy(pad, src + g * bw, bw);
    unpack64_fast(pad, bw, 1, out + g * 8);
  }
}
