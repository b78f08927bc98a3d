/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DELTA_BINARY_PACKED decoder (spec 7.5) for INT32 and INT64. Arithmetic wraps in
 * uint64 (INT32 output keeps the low 32 bits, which equals 32-bit wrapping), so
 * min-delta overflow and DuckDB's 64-bit first value for UINT_32 both decode. Only
 * miniblocks that carry values are validated: the bit widths of unused trailing
 * miniblocks may be garbage and their bytes are absent. Miniblocks are unpacked a
 * run of groups at a time into a stack buffer and prefix-summed.
 */
#include <string.h>

#include "parquet/pq_dec_unpack.h"
#include "parquet/pq_encoding.h"
#include "util/limits.h"

static int read_uleb(struct pq_delta_decoder *d, uint64_t *v, const char *what,
                     struct ice_error *err) {
  size_t n = pq_read_uleb64(d->p, d->end, v);
  ICE_CHECK_DATA(n != 0, err, "delta: truncated or invalid %s", what);
  d->p += n;
  return ICE_OK;
}

int pq_delta_decoder_init(struct pq_delta_decoder *d, const uint8_t *data, size_t len,
                          uint32_t value_bits, struct ice_error *err) {
  if (value_bits != 32 && value_bits != 64) {
    ICE_FAIL(err, ICE_EINVAL, "delta: value width %u is not 32 or 64", value_bits);
  }
  if (data == NULL && len != 0) ICE_FAIL(err, ICE_EINVAL, "delta: no data");
  memset(d, 0, sizeof *d);
  d->start = data;
  d->p = data;
  d->end = data ? data + len : data;
  d->max_width = value_bits;
  uint64_t block_size = 0, miniblocks = 0, total = 0, first = 0;
  ICE_TRY(read_uleb(d, &block_size, "block size", err));
  ICE_TRY(read_uleb(d, &miniblocks, "miniblock count", err));
  ICE_TRY(read_uleb(d, &total, "value count", err));
  ICE_TRY(read_uleb(d, &first, "first value", err));
  ICE_CHECK_DATA(block_size > 0 && block_size <= ICE_LIMIT_DELTA_BLOCK_VALUES, err,
                 "delta: block size %llu out of range", (unsigned long long)block_size);
  ICE_CHECK_DATA(miniblocks > 0 && miniblocks <= ICE_LIMIT_DELTA_MINIBLOCKS &&
                     block_size % miniblocks == 0,
                 err, "delta: %llu miniblocks do not divide block size %llu",
                 (unsigned long long)miniblocks, (unsigned long long)block_size);
  /* The spec wants multiples of 32; arrow C++ and parquet-java accept 8. */
  ICE_CHECK_DATA((block_size / miniblocks) % 8 == 0, err,
                 "delta: %llu values per miniblock is not a multiple of 8",
                 (unsigned long long)(block_size / miniblocks));
  d->block_size = (uint32_t)block_size;
  d->miniblocks = (uint32_t)miniblocks;
  d->per_mini = (uint32_t)(block_size / miniblocks);
  d->total = total;
  d->first = pq_zigzag_decode(first);
  d->last = d->first;
  d->deltas_unread = total > 0 ? total - 1 : 0;
  d->mini_index = d->miniblocks; /* forces a block header before the first miniblock */
  return ICE_OK;
}

/* Starts the next miniblock that carries deltas (reading a block header first when
 * the current block is used up). */
static int start_miniblock(struct pq_delta_decoder *d, struct ice_error *err) {
  if (d->mini_index == d->miniblocks) {
    uint64_t md = 0;
    ICE_TRY(read_uleb(d, &md, "block min delta", err));
    d->min_delta = pq_zigzag_decode(md);
    ICE_CHECK_DATA(d->miniblocks <= (size_t)(d->end - d->p), err,
                   "delta: truncated miniblock bit widths");
    d->widths = d->p;
    d->p += d->miniblocks;
    d->mini_index = 0;
  }
  uint32_t w = d->widths[d->mini_index];
  ICE_CHECK_DATA(w <= d->max_width, err, "delta: miniblock bit width %u exceeds %u", w,
                 d->max_width);
  size_t bytes = (size_t)d->per_mini / 8 * w;
  ICE_CHECK_DATA(bytes <= (size_t)(d->end - d->p), err,
                 "delta: miniblock needs %zu bytes, %zu left", bytes,
                 (size_t)(d->end - d->p));
  d->mini_data = d->p;
  d->p += bytes;
  d->mini_width = w;
  d->mini_pos = 0;
  d->mini_count = d->deltas_unread < d->per_mini ? (uint32_t)d->deltas_unread : d->per_mini;
  d->deltas_unread -= d->mini_count;
  d->mini_index++;
  return ICE_OK;
}

enum { PQ_DELTA_CHUNK = 256 };

/* Produces n values (n <= values left) as uint64 into out32 or out64. */
static int delta_next(struct pq_delta_decoder *d, int32_t *out32, int64_t *out64, size_t n,
                      struct ice_error *err) {
  ICE_CHECK_DATA(n <= d->total - d->produced, err,
                 "delta: %zu values requested but only %llu remain", n,
                 (unsigned long long)(d->total - d->produced));
  size_t o = 0;
  if (n > 0 && d->produced == 0) {
    if (out32) out32[0] = (int32_t)(uint32_t)d->first;
    if (out64) out64[0] = (int64_t)d->first;
    o = 1;
    d->produced = 1;
  }
  uint64_t tmp[PQ_DELTA_CHUNK];
  uint32_t tmp32[PQ_DELTA_CHUNK];
  while (o < n) {
    if (d->mini_pos == d->mini_count) ICE_TRY(start_miniblock(d, err));
    /* Unpack whole groups covering [mini_pos, mini_pos + take). */
    size_t take = d->mini_count - d->mini_pos;
    if (take > n - o) take = n - o;
    uint32_t g0 = d->mini_pos / 8;
    size_t skip = d->mini_pos % 8;
    if (take > PQ_DELTA_CHUNK - skip) take = PQ_DELTA_CHUNK - skip;
    size_t groups = (skip + take + 7) / 8;
    const uint8_t *src = d->mini_data + (size_t)g0 * d->mini_width;
    if (out64 || d->mini_width > 32) {
      pq_unpack64(src, (size_t)(d->end - src), d->mini_width, groups, tmp);
      uint64_t last = d->last;
      const uint64_t md = d->min_delta;
      if (out64) {
        for (size_t i = 0; i < take; i++) {
          last += md + tmp[skip + i];
          out64[o + i] = (int64_t)last;
        }
      } else {
        for (size_t i = 0; i < take; i++) { /* a 64-bit stream read as INT32 */
          last += md + tmp[skip + i];
          out32[o + i] = (int32_t)(uint32_t)last;
        }
      }
      d->last = last;
    } else {
      /* INT32 widths are <= 32 and the low 32 bits of the sums only depend on the
       * low 32 bits of the terms, so the faster 32-bit kernel and arithmetic do. */
      pq_unpack32(src, (size_t)(d->end - src), d->mini_width, groups, tmp32);
      uint32_t last = (uint32_t)d->last;
      const uint32_t md = (uint32_t)d->min_delta;
      for (size_t i = 0; i < take; i++) {
        last += md + tmp32[skip + i];
        out32[o + i] = (int32_t)last;
      }
      d->last = last;
    }
    d->mini_pos += (uint32_t)take;
    d->produced += take;
    o += take;
  }
  return ICE_OK;
}

int pq_delta_decoder_next_i32(struct pq_delta_decoder *d, int32_t *out, size_t n,
                              struct ice_error *err) {
  return delta_next(d, out, NULL, n, err);
}

int pq_delta_decoder_next_i64(struct pq_delta_decoder *d, int64_t *out, size_t n,
                              struct ice_error *err) {
  return delta_next(d, NULL, out, n, err);
}

int pq_delta_decoder_finish(struct pq_delta_decoder *d, size_t *consumed,
                            struct ice_error *err) {
  /* Walk the remaining miniblocks by size only; values are not needed. */
  while (d->deltas_unread > 0) ICE_TRY(start_miniblock(d, err));
  d->mini_pos = d->mini_count;
  d->produced = d->total;
  *consumed = (size_t)(d->p - d->start);
  return ICE_OK;
}
