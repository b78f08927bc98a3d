/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bit packing and varint output for the Parquet encoders (see pq_enc_pack.h). A
 * 64-bit accumulator collects bits and spills whole bytes; 64-bit values go in as
 * two halves so the accumulator never holds more than 39 bits.
 */
#include "parquet/pq_enc_pack.h"

#include <string.h>

void pq_pack32(const uint32_t *in, uint32_t bw, size_t ngroups, uint8_t *out) {
  if (bw == 0) return;
  if (bw == 8) {
    for (size_t i = 0; i < ngroups * 8; i++) out[i] = (uint8_t)in[i];
    return;
  }
  const uint64_t mask = bw >= 32 ? 0xffffffffu : ((uint64_t)1 << bw) - 1;
  uint64_t acc = 0;
  uint32_t nbits = 0;
  size_t n = ngroups * 8;
  for (size_t i = 0; i < n; i++) {
    acc |= ((uint64_t)in[i] & mask) << nbits;
    nbits += bw;
    while (nbits >= 8) {
      *out++ = (uint8_t)acc;
      acc >>= 8;
      nbits -= 8;
    }
  }
}

void pq_pack64(const uint64_t *in, uint32_t bw, size_t ngroups, uint8_t *out) {
  if (bw == 0) return;
  uint32_t lo_bits = bw < 32 ? bw : 32;
  uint32_t hi_bits = bw - lo_bits;
  const uint64_t lo_mask = ((uint64_t)1 << lo_bits) - 1;
  const uint64_t hi_mask = hi_bits == 32 ? 0xffffffffu : ((uint64_t)1 << hi_bits) - 1;
  uint64_t acc = 0;
  uint32_t nbits = 0;
  size_t n = ngroups * 8;
  for (size_t i = 0; i < n; i++) {
    acc |= (in[i] & lo_mask) << nbits;
    nbits += lo_bits;
    while (nbits >= 8) {
      *out++ = (uint8_t)acc;
      acc >>= 8;
      nbits -= 8;
    }
    if (hi_bits) {
      acc |= ((in[i] >> 32) & hi_mask) << nbits;
      nbits += hi_bits;
      while (nbits >= 8) {
        *out++ = (uint8_t)acc;
        acc >>= 8;
        nbits -= 8;
      }
    }
  }
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
