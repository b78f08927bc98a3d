/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DELTA_BINARY_PACKED encoder (spec 7.5): blocks of 128 values in 4 miniblocks of
 * 32, as parquet-java writes them. INT32 deltas wrap in 32 bits so their widths
 * stay <= 32; INT64 deltas wrap in 64 bits. Unused miniblocks of the last block
 * get width 0 and no bytes; the last used miniblock is zero-padded.
 */
#include <string.h>

#include "parquet/pq_enc_pack.h"
#include "parquet/pq_encoding.h"

enum { PQ_DELTA_BLOCK = 128, PQ_DELTA_MINIS = 4, PQ_DELTA_PER_MINI = 32 };

/* deltas: count signed deltas (sign-extended for INT32). */
static int put_block(const int64_t *deltas, size_t count, struct ice_buf *out,
                     struct ice_error *err) {
  int64_t mn = deltas[0];
  for (size_t i = 1; i < count; i++) mn = deltas[i] < mn ? deltas[i] : mn;
  uint64_t stored[PQ_DELTA_BLOCK];
  memset(stored, 0, sizeof stored);
  for (size_t i = 0; i < count; i++) stored[i] = (uint64_t)deltas[i] - (uint64_t)mn;
  ICE_TRY(pq_put_uleb64(out, pq_zigzag_encode(mn), err));
  size_t used = (count + PQ_DELTA_PER_MINI - 1) / PQ_DELTA_PER_MINI;
  uint8_t widths[PQ_DELTA_MINIS] = {0, 0, 0, 0};
  size_t payload = 0;
  for (size_t m = 0; m < used; m++) {
    uint64_t all = 0;
    for (size_t i = 0; i < PQ_DELTA_PER_MINI; i++) all |= stored[m * PQ_DELTA_PER_MINI + i];
    widths[m] = (uint8_t)pq_bit_width(all);
    payload += (size_t)widths[m] * PQ_DELTA_PER_MINI / 8;
  }
  ICE_TRY(ice_buf_append(out, widths, PQ_DELTA_MINIS, err));
  ICE_TRY(ice_buf_reserve(out, payload, err));
  for (size_t m = 0; m < used; m++) {
    pq_pack64(stored + m * PQ_DELTA_PER_MINI, widths[m], PQ_DELTA_PER_MINI / 8,
              out->data + out->len);
    out->len += (size_t)widths[m] * PQ_DELTA_PER_MINI / 8;
  }
  return ICE_OK;
}

static int put_header(size_t n, int64_t first, struct ice_buf *out,
                      struct ice_error *err) {
  ICE_TRY(pq_put_uleb64(out, PQ_DELTA_BLOCK, err));
  ICE_TRY(pq_put_uleb64(out, PQ_DELTA_MINIS, err));
  ICE_TRY(pq_put_uleb64(out, n, err));
  return pq_put_uleb64(out, pq_zigzag_encode(first), err);
}

int pq_delta_encode_i32(const int32_t *values, size_t n, struct ice_buf *out,
                        struct ice_error *err) {
  ICE_TRY(put_header(n, n ? values[0] : 0, out, err));
  int64_t deltas[PQ_DELTA_BLOCK];
  for (size_t i = 1; i < n; i += PQ_DELTA_BLOCK) {
    size_t count = n - i < PQ_DELTA_BLOCK ? n - i : PQ_DELTA_BLOCK;
    for (size_t k = 0; k < count; k++) {
      uint32_t dv = (uint32_t)values[i + k] - (uint32_t)values[i + k - 1];
      deltas[k] = (int64_t)(int32_t)dv;
    }
    ICE_TRY(put_block(deltas, count, out, err));
  }
  return ICE_OK;
}

int pq_delta_encode_i64(const int64_t *values, size_t n, struct ice_buf *out,
                        struct ice_error *err) {
  ICE_TRY(put_header(n, n ? values[0] : 0, out, err));
  int64_t deltas[PQ_DELTA_BLOCK];
  for (size_t i = 1; i < n; i += PQ_DELTA_BLOCK) {
    size_t count = n - i < PQ_DELTA_BLOCK ? n - i : PQ_DELTA_BLOCK;
    for (size_t k = 0; k < count; k++) {
      uint64_t dv = (uint64_t)values[i + k] - (uint64_t)values[i + k - 1];
      deltas[k] = (int64_t)dv;
    }
    ICE_TRY(put_block(deltas, count, out, err));
  }
  return ICE_OK;
}
