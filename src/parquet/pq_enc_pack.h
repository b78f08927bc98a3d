/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal helpers shared by the Parquet encoders: LSB-first bit packing of groups
 * of 8 values (the layout of hybrid bit-packed runs and DELTA_BINARY_PACKED
 * miniblocks) and ULEB128 / zigzag varint output into a struct ice_buf.
 */
#ifndef ICE_PARQUET_PQ_ENC_PACK_H
#define ICE_PARQUET_PQ_ENC_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Packs ngroups*8 values at width bw (0..32) into exactly ngroups*bw bytes. Bits
 * above bw are ignored. */
void pq_pack32(const uint32_t *in, uint32_t bw, size_t ngroups, uint8_t *out);
/* Same at width 0..64. */
void pq_pack64(const uint64_t *in, uint32_t bw, size_t ngroups, uint8_t *out);

/* Appends v as ULEB128 (1..10 bytes). */
int pq_put_uleb64(struct ice_buf *out, uint64_t v, struct ice_error *err) ICE_NODISCARD;

static inline uint64_t pq_zigzag_encode(int64_t v) {
  uint64_t u = (uint64_t)v;
  return (u << 1) ^ (v < 0 ? ~(uint64_t)0 : 0);
}

#endif
