/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoder for the RLE / bit-packing hybrid (spec 7.2) used by levels, dictionary
 * indices and RLE booleans, plus the deprecated MSB-first BIT_PACKED levels.
 * Strict: an RLE run longer than the values still expected, a run value wider than
 * the bit width, an index outside the dictionary or bytes missing at the end are all
 * ICE_ECORRUPT. Bit-packed runs may run past the expected values (writers pad them;
 * the surplus is never decoded). Bit-packed runs are unpacked 8 values at a time.
 */
#include <string.h>

#include "parquet/pq_dec_unpack.h"
#include "parquet/pq_encoding.h"

#define PQ_RLE_NO_LIMIT UINT64_MAX

uint32_t pq_bit_width(uint64_t max_value) {
  uint32_t w = 0;
  while (max_value != 0) {
    w++;
    max_value >>= 1;
  }
  return w;
}

static int rle_init(struct pq_rle_decoder *d, const uint8_t *data, size_t len,
                    uint32_t bit_width, uint64_t num_values, uint64_t limit,
                    struct ice_error *err) {
  if (bit_width > 32) {
    ICE_FAIL(err, ICE_ECORRUPT, "rle: bit width %u exceeds 32", bit_width);
  }
  if (data == NULL && len != 0) ICE_FAIL(err, ICE_EINVAL, "rle: no data");
  d->p = data;
  d->end = data ? data + len : data;
  d->remaining = num_values;
  d->limit = limit;
  d->bit_width = bit_width;
  d->value_bytes = (bit_width + 7) / 8;
  d->run_left = 0;
  d->run_is_rle = 0;
  d->rle_value = 0;
  d->bp_data = NULL;
  d->bp_index = 0;
  return ICE_OK;
}

int pq_rle_decoder_init(struct pq_rle_decoder *d, const uint8_t *data, size_t len,
                        uint32_t bit_width, uint64_t num_values, struct ice_error *err) {
  return rle_init(d, data, len, bit_width, num_values, PQ_RLE_NO_LIMIT, err);
}

int pq_rle_decoder_init_prefixed(struct pq_rle_decoder *d, const uint8_t *data,
                                 size_t len, uint32_t bit_width, uint64_t num_values,
                                 size_t *consumed, struct ice_error *err) {
  ICE_CHECK_DATA(len >= 4, err, "rle: %zu bytes cannot hold the 4-byte length prefix",
                 len);
  uint32_t n = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
               (uint32_t)data[3] << 24;
  ICE_CHECK_DATA(n <= len - 4, err, "rle: length prefix %u exceeds the %zu bytes left",
                 n, len - 4);
  ICE_TRY(rle_init(d, data + 4, n, bit_width, num_values, PQ_RLE_NO_LIMIT, err));
  *consumed = (size_t)n + 4;
  return ICE_OK;
}

int pq_rle_decoder_init_dict(struct pq_rle_decoder *d, const uint8_t *data, size_t len,
                             uint64_t num_values, uint32_t dict_size,
                             struct ice_error *err) {
  if (num_values == 0 && len == 0) {
    return rle_init(d, data, 0, 0, 0, dict_size, err);
  }
  ICE_CHECK_DATA(len >= 1, err, "dictionary indices: missing bit width byte");
  ICE_CHECK_DATA(data[0] <= 32, err, "dictionary indices: bit width %u exceeds 32",
                 data[0]);
  return rle_init(d, data + 1, len - 1, data[0], num_values, dict_size, err);
}

/* Reads the next run header into the decoder state. */
static int rle_read_header(struct pq_rle_decoder *d, struct ice_error *err) {
  for (;;) {
    uint64_t h = 0;
    size_t hn = pq_read_uleb64(d->p, d->end, &h);
    ICE_CHECK_DATA(hn != 0, err, "rle: truncated run header (%zu values still expected)",
                   (size_t)d->remaining);
    ICE_CHECK_DATA(h <= UINT32_MAX, err, "rle: run header %llu too large",
                   (unsigned long long)h);
    d->p += hn;
    uint64_t count = h >> 1;
    if (h & 1) {
      /* count = groups of 8. A bit-packed run may extend past the values still
       * expected: DuckDB 1.5 pads level runs (a 256-value run for 220 levels), so
       * the surplus is padding; only its bytes must be present. */
      uint64_t bytes = count * d->bit_width;
      ICE_CHECK_DATA(bytes <= (uint64_t)(d->end - d->p), err,
                     "rle: bit-packed run needs %llu bytes, %zu left",
                     (unsigned long long)bytes, (size_t)(d->end - d->p));
      if (count == 0) continue; /* an empty run is harmless; skip it */
      d->run_is_rle = 0;
      d->bp_data = d->p;
      d->bp_index = 0;
      d->run_left = count * 8;
      d->p += bytes;
      return ICE_OK;
    }
    ICE_CHECK_DATA(count <= d->remaining, err,
                   "rle: run of %llu values exceeds the %llu values left",
                   (unsigned long long)count, (unsigned long long)d->remaining);
    ICE_CHECK_DATA(d->value_bytes <= (size_t)(d->end - d->p), err,
                   "rle: truncated run value");
    uint32_t v = 0;
    for (uint32_t i = 0; i < d->value_bytes; i++) v |= (uint32_t)d->p[i] << (8 * i);
    d->p += d->value_bytes;
    ICE_CHECK_DATA(d->bit_width == 32 || v >> d->bit_width == 0, err,
                   "rle: run value %u does not fit bit width %u", v, d->bit_width);
    ICE_CHECK_DATA(v < d->limit, err,
                   "dictionary index %u out of range (dictionary has %llu entries)", v,
                   (unsigned long long)d->limit);
    if (count == 0) continue;
    d->run_is_rle = 1;
    d->rle_value = v;
    d->run_left = count;
    return ICE_OK;
  }
}

static int check_limit(const struct pq_rle_decoder *d, const uint32_t *v, size_t n,
                       struct ice_error *err) {
  if (d->limit == PQ_RLE_NO_LIMIT) return ICE_OK;
  uint32_t mx = 0;
  for (size_t i = 0; i < n; i++) mx = v[i] > mx ? v[i] : mx;
  ICE_CHECK_DATA(n == 0 || mx < d->limit, err,
                 "dictionary index %u out of range (dictionary has %llu entries)", mx,
                 (unsigned long long)d->limit);
  return ICE_OK;
}

/* Readable bytes from the group holding value idx of the bit-packed run. */
static inline size_t bp_avail(const struct pq_rle_decoder *d, uint64_t idx) {
  return (size_t)(d->end - (d->bp_data + (size_t)(idx / 8) * d->bit_width));
}

/* Copies `take` values of the current bit-packed run into out. */
static void bp_take(struct pq_rle_decoder *d, uint32_t *out, size_t take) {
  uint64_t idx = d->bp_index;
  uint32_t bw = d->bit_width;
  size_t done = 0;
  if (idx % 8 != 0 || take < 8) {
    uint32_t tmp[8];
    pq_unpack32(d->bp_data + (size_t)(idx / 8) * bw, bp_avail(d, idx), bw, 1, tmp);
    size_t from = (size_t)(idx % 8);
    size_t k = 8 - from < take ? 8 - from : take;
    memcpy(out, tmp + from, k * sizeof *out);
    done = k;
    idx += k;
  }
  size_t groups = (take - done) / 8;
  if (groups > 0) {
    pq_unpack32(d->bp_data + (size_t)(idx / 8) * bw, bp_avail(d, idx), bw, groups,
                out + done);
    done += groups * 8;
    idx += groups * 8;
  }
  if (done < take) {
    uint32_t tmp[8];
    pq_unpack32(d->bp_data + (size_t)(idx / 8) * bw, bp_avail(d, idx), bw, 1, tmp);
    memcpy(out + done, tmp, (take - done) * sizeof *out);
    idx += take - done;
  }
  d->bp_index = idx;
}

static int want(struct pq_rle_decoder *d, size_t n, struct ice_error *err) {
  ICE_CHECK_DATA(n <= d->remaining, err,
                 "rle: %zu values requested but only %llu remain", n,
                 (unsigned long long)d->remaining);
  return ICE_OK;
}

int pq_rle_decoder_next_batch(struct pq_rle_decoder *d, uint32_t *out, size_t n,
                              struct ice_error *err) {
  ICE_TRY(want(d, n, err));
  while (n > 0) {
    if (d->run_left == 0) ICE_TRY(rle_read_header(d, err));
    size_t take = d->run_left < n ? (size_t)d->run_left : n;
    if (d->run_is_rle) {
      uint32_t v = d->rle_value;
      for (size_t i = 0; i < take; i++) out[i] = v;
    } else {
      bp_take(d, out, take);
      ICE_TRY(check_limit(d, out, take, err));
    }
    d->run_left -= take;
    d->remaining -= take;
    out += take;
    n -= take;
  }
  return ICE_OK;
}

/* Narrow variants decode bit-packed pieces through a small uint32 scratch. */
#define PQ_RLE_NARROW_BODY(T, MAXBW)                                              \
  if (d->bit_width > (MAXBW)) {                                                   \
    ICE_FAIL(err, ICE_EINVAL, "rle: bit width %u too wide for this output",      \
             d->bit_width);                                                       \
  }                                                                               \
  ICE_TRY(want(d, n, err));                                                       \
  uint32_t tmp[256];                                                              \
  while (n > 0) {                                                                 \
    if (d->run_left == 0) ICE_TRY(rle_read_header(d, err));                       \
    size_t take = d->run_left < n ? (size_t)d->run_left : n;                  \
    if (d->run_is_rle) {                                                          \
      T v = (T)d->rle_value;                                                      \
      for (size_t i = 0; i < take; i++) out[i] = v;                             \
    } else {                                                                      \
      take = take < 256 ? take : 256;                                             \
      bp_take(d, tmp, take);                                                      \
      ICE_TRY(check_limit(d, tmp, take, err));                                    \
      for (size_t i = 0; i < take; i++) out[i] = (T)tmp[i];                     \
    }                                                                             \
    d->run_left -= take;                                                          \
    d->remaining -= take;                                                         \
    out += take;                                                                  \
    n -= take;                                                                    \
  }                                                                               \
  return ICE_OK;

int pq_rle_decoder_next_batch_u16(struct pq_rle_decoder *d, uint16_t *out, size_t n,
                                  struct ice_error *err) {
  PQ_RLE_NARROW_BODY(uint16_t, 16)
}

int pq_rle_decoder_next_batch_u8(struct pq_rle_decoder *d, uint8_t *out, size_t n,
                                 struct ice_error *err) {
  PQ_RLE_NARROW_BODY(uint8_t, 8)
}

int pq_rle_decoder_next_run(struct pq_rle_decoder *d, size_t max, uint32_t *scratch,
                            struct pq_rle_run *run, struct ice_error *err) {
  if (max == 0) ICE_FAIL(err, ICE_EINVAL, "rle: next_run needs max >= 1");
  if (max > UINT32_MAX) max = UINT32_MAX;
  ICE_CHECK_DATA(d->remaining > 0, err, "rle: no values left");
  if (d->run_left == 0) ICE_TRY(rle_read_header(d, err));
  uint64_t avail = d->run_left < d->remaining ? d->run_left : d->remaining;
  size_t take = avail < max ? (size_t)avail : max;
  if (d->run_is_rle) {
    run->is_rle = 1;
    run->value = d->rle_value;
  } else {
    bp_take(d, scratch, take);
    ICE_TRY(check_limit(d, scratch, take, err));
    run->is_rle = 0;
    run->value = 0;
  }
  run->count = (uint32_t)take;
  d->run_left -= take;
  d->remaining -= take;
  return ICE_OK;
}

int pq_rle_decoder_skip(struct pq_rle_decoder *d, size_t n, struct ice_error *err) {
  ICE_TRY(want(d, n, err));
  uint32_t tmp[256];
  while (n > 0) {
    if (d->run_left == 0) ICE_TRY(rle_read_header(d, err));
    size_t take = d->run_left < n ? (size_t)d->run_left : n;
    if (!d->run_is_rle) {
      if (d->limit != PQ_RLE_NO_LIMIT) {
        take = take < 256 ? take : 256;
        bp_take(d, tmp, take);
        ICE_TRY(check_limit(d, tmp, take, err));
      } else {
        d->bp_index += take;
      }
    }
    d->run_left -= take;
    d->remaining -= take;
    n -= take;
  }
  return ICE_OK;
}

int pq_bitpacked_legacy_decode(const uint8_t *data, size_t len, uint32_t bit_width,
                               size_t n, uint16_t *out, size_t *consumed,
                               struct ice_error *err) {
  if (bit_width > 16) {
    ICE_FAIL(err, ICE_ECORRUPT, "bit-packed levels: bit width %u exceeds 16", bit_width);
  }
  uint64_t bits = (uint64_t)n * bit_width;
  uint64_t bytes = (bits + 7) / 8;
  ICE_CHECK_DATA(bytes <= len, err, "bit-packed levels: need %llu bytes, %zu present",
                 (unsigned long long)bytes, len);
  uint64_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t v = 0;
    for (uint32_t b = 0; b < bit_width; b++, pos++) {
      v = (v << 1) | ((uint32_t)(data[pos >> 3] >> (7 - (pos & 7))) & 1u);
    }
    out[i] = (uint16_t)v;
  }
  *consumed = (size_t)bytes;
  return ICE_OK;
}
