/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bit packing and varint output for the Parquet encoders (see pq_enc_pack.h). A
 * 64-bit accumulator collects the bits of 8 values and spills whole words; the
 * 32-bit path is specialised per width (a switch over widths calling one
 * always-inline, hand-unrolled body) so shifts and offsets become constants.
 */
#include "parquet/pq_enc_pack.h"

#include <string.h>

#if defined(__GNUC__)
#define PQ_INLINE static inline __attribute__((always_inline))
#else
#define PQ_INLINE static inline
#endif

static inline void store32(uint8_t *p, uint32_t v) {
  memcpy(p, &v, 4); /* little-endian host (checked in pq_dec_unpack.h) */
}
static inline void store64(uint8_t *p, uint64_t v) {
  memcpy(p, &v, 8);
}

/* One value into the accumulator; whole 32-bit words spill. With bw constant the
 * position arithmetic and the branch fold away. */
#define PQ_PUT32(K)                                    \
  do {                                                 \
    acc |= ((uint64_t)in[K] & mask) << nb;             \
    nb += bw;                                          \
    if (nb >= 32) {                                    \
      store32(out + o, (uint32_t)acc);                 \
      o += 4;                                          \
      acc >>= 32;                                      \
      nb -= 32;                                        \
    }                                                  \
  } while (0)

/* 8 values = exactly bw bytes. */
PQ_INLINE void pack8_32(const uint32_t *in, uint8_t *out, const uint32_t bw) {
  const uint64_t mask = bw >= 32 ? 0xffffffffu : ((uint64_t)1 << bw) - 1;
  uint64_t acc = 0;
  uint32_t nb = 0, o = 0;
  PQ_PUT32(0);
  PQ_PUT32(1);
  PQ_PUT32(2);
  PQ_PUT32(3);
  PQ_PUT32(4);
  PQ_PUT32(5);
  PQ_PUT32(6);
  PQ_PUT32(7);
  for (; nb > 0; nb -= 8, acc >>= 8) out[o++] = (uint8_t)acc;
}

#define PQ_PACK_LOOP32(BW)                                                      \
  case BW:                                                                      \
    for (size_t g = 0; g < ngroups; g++) pack8_32(in + g * 8, out + g * (BW), BW); \
    break;

void pq_pack32(const uint32_t *in, uint32_t bw, size_t ngroups, uint8_t *out) {
  switch (bw) {
    PQ_PACK_LOOP32(1) PQ_PACK_LOOP32(2) PQ_PACK_LOOP32(3) PQ_PACK_LOOP32(4)
    PQ_PACK_LOOP32(5) PQ_PACK_LOOP32(6) PQ_PACK_LOOP32(7) PQ_PACK_LOOP32(8)
    PQ_PACK_LOOP32(9) PQ_PACK_LOOP32(10) PQ_PACK_LOOP32(11) PQ_PACK_LOOP32(12)
    PQ_PACK_LOOP32(13) PQ_PACK_LOOP32(14) PQ_PACK_LOOP32(15) PQ_PACK_LOOP32(16)
    PQ_PACK_LOOP32(17) PQ_PACK_LOOP32(18) PQ_PACK_LOOP32(19) PQ_PACK_LOOP32(20)
    PQ_PACK_LOOP32(21) PQ_PACK_LOOP32(22) PQ_PACK_LOOP32(23) PQ_PACK_LOOP32(24)
    PQ_PACK_LOOP32(25) PQ_PACK_LOOP32(26) PQ_PACK_LOOP32(27) PQ_PACK_LOOP32(28)
    PQ_PACK_LOOP32(29) PQ_PACK_LOOP32(30) PQ_PACK_LOOP32(31) PQ_PACK_LOOP32(32)
    default:
      break; /* width 0: no bytes */
  }
}

/* 64-bit values: the accumulator spills whole 64-bit words; the bits of a value
 * that do not fit start the next word. */
#define PQ_PUT64(K)                                            \
  do {                                                         \
    uint64_t v_ = in[K] & mask;                                \
    acc |= v_ << nb;                                           \
    if (nb + bw >= 64) {                                       \
      store64(out + o, acc);                                   \
      o += 8;                                                  \
      acc = nb == 0 ? 0 : v_ >> (64 - nb);                     \
      nb = nb + bw - 64;                                       \
    } else {                                                   \
      nb += bw;                                                \
    }                                                          \
  } while (0)

PQ_INLINE void pack8_64(const uint64_t *in, uint8_t *out, const uint32_t bw) {
  const uint64_t mask = bw >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << bw) - 1;
  uint64_t acc = 0;
  uint32_t nb = 0, o = 0;
  PQ_PUT64(0);
  PQ_PUT64(1);
  PQ_PUT64(2);
  PQ_PUT64(3);
  PQ_PUT64(4);
  PQ_PUT64(5);
  PQ_PUT64(6);
  PQ_PUT64(7);
  for (; nb > 0; nb -= 8, acc >>= 8) out[o++] = (uint8_t)acc;
}

void pq_pack64(const uint64_t *in, uint32_t bw, size_t ngroups, uint8_t *out) {
  if (bw == 0) return;
  /* Widths are data-dependent here (one per miniblock); a generic inlined body
   * is enough since DELTA encoding is not the writer's default path. */
  for (size_t g = 0; g < ngroups; g++) pack8_64(in + g * 8, out + (size_t)g * bw, bw);
}

int pq_put_uleb64(struct ice_buf *out, uint64_t v, struct ice_error *err) {
  uint8_t tmp[10];
  size_t n = 0;
  do {
    uint8_t b = (uint8_t)(v & 0x7f);
    v >>= 7;
    tmp[n++] = (uint8_t)(b | (v ? 0x80 : 0));
  } while (v);
  return ice_buf_append(out, tmp, n, err);
}
