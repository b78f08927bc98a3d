/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal helpers shared by the Parquet decoders: unpacking groups of 8 bit-packed
 * values (LSB-first, spec 7.2) at widths 0..32 into uint32 and 0..64 into uint64,
 * plus bounded ULEB128 / zigzag varint readers. Hot loops are specialised per bit
 * width at compile time (a switch over widths calling one always-inline body).
 */
#ifndef ICE_PARQUET_PQ_DEC_UNPACK_H
#define ICE_PARQUET_PQ_DEC_UNPACK_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "icestream's Parquet decoders assume a little-endian host"
#endif

/* Unpacks ngroups*8 values of width bw (0..32). `avail` is how many bytes may be
 * read from src (at least the packed size ngroups*bw); bytes that follow the packed
 * data in the same buffer let more groups take the unpadded fast path. Nothing at or
 * past src+avail is read. */
void pq_unpack32(const uint8_t *src, size_t avail, uint32_t bw, size_t ngroups,
                 uint32_t *out);
/* Same for width 0..64 into uint64 (DELTA_BINARY_PACKED miniblocks). */
void pq_unpack64(const uint8_t *src, size_t avail, uint32_t bw, size_t ngroups,
                 uint64_t *out);

/* Reads a ULEB128 of at most 10 bytes that fits 64 bits; returns 0 on truncation or
 * overlong encoding, else the number of bytes read. */
static inline size_t pq_read_uleb64(const uint8_t *p, const uint8_t *end, uint64_t *out) {
  uint64_t v = 0;
  for (size_t i = 0; i < 10; i++) {
    if (p + i >= end) return 0;
    uint64_t b = p[i];
    if (i == 9 && b > 1) return 0; /* would overflow 64 bits */
    v |= (b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      *out = v;
      return i + 1;
    }
  }
  return 0;
}

static inline uint64_t pq_zigzag_decode(uint64_t v) {
  return (v >> 1) ^ (~(v & 1) + 1);
}

#endif
