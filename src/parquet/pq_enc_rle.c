/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Encoder for the RLE / bit-packing hybrid (spec 7.2): levels, dictionary indices
 * and RLE booleans. Works over a whole page's values so it can look ahead: a
 * repeat of >= 8 values (or the repeat that ends the stream) becomes an RLE run,
 * anything else is bit-packed in groups of 8 until a long repeat starts on a group
 * boundary. Only the very last bit-packed group is zero-padded, as readers require.
 */
#include <string.h>

#include "parquet/pq_enc_pack.h"
#include "parquet/pq_encoding.h"

#define PQ_RLE_MAX_RUN ((1u << 31) - 1) /* run lengths are 1..2^31-1 */

static int put_rle_run(struct ice_buf *out, uint64_t count, uint32_t value,
                       uint32_t value_bytes, struct ice_error *err) {
  ICE_TRY(pq_put_uleb64(out, count << 1, err));
  uint8_t v[4] = {(uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16),
                  (uint8_t)(value >> 24)};
  return ice_buf_append(out, v, value_bytes, err);
}

/* Writes the bit-packed run header and reserves room for its payload. */
static int begin_bp_run(struct ice_buf *out, size_t groups, uint32_t bw, uint8_t **dst,
                        struct ice_error *err) {
  ICE_TRY(pq_put_uleb64(out, ((uint64_t)groups << 1) | 1, err));
  size_t bytes = groups * bw;
  ICE_TRY(ice_buf_reserve(out, bytes, err));
  *dst = out->data + out->len;
  out->len += bytes;
  return ICE_OK;
}

/* One encoder body per input element type; no per-value indirection. */
#define PQ_DEFINE_RLE_ENCODE(NAME, T)                                                  \
  static size_t NAME##_runlen(const T *v, size_t i, size_t n) {                        \
    size_t j = i + 1;                                                                  \
    while (j < n && v[j] == v[i] && j - i < PQ_RLE_MAX_RUN) j++;                       \
    return j - i;                                                                      \
  }                                                                                    \
  static int NAME(const T *v, size_t n, uint32_t bw, struct ice_buf *out,              \
                  struct ice_error *err) {                                             \
    uint64_t all = 0, diff = 0;                                                        \
    for (size_t i = 0; i < n; i++) {                                                   \
      all |= v[i];                                                                     \
      diff |= (uint64_t)(v[i] ^ v[0]);                                                 \
    }                                                                                  \
    if (bw < 32 && (all >> bw) != 0) {                                                 \
      ICE_FAIL(err, ICE_EINVAL, "rle encode: a value does not fit bit width %u", bw);  \
    }                                                                                  \
    uint32_t value_bytes = (bw + 7) / 8;                                               \
    /* One value throughout (levels of a page without nulls): a single run. */         \
    if (n > 0 && diff == 0 && n <= PQ_RLE_MAX_RUN) {                                   \
      return put_rle_run(out, n, (uint32_t)v[0], value_bytes, err);                    \
    }                                                                                  \
    size_t i = 0;                                                                      \
    while (i < n) {                                                                    \
      size_t r = NAME##_runlen(v, i, n);                                               \
      if (r >= 8 || i + r == n) {                                                      \
        ICE_TRY(put_rle_run(out, r, (uint32_t)v[i], value_bytes, err));                \
        i += r;                                                                        \
        continue;                                                                      \
      }                                                                                \
      size_t j = i + 8;                                                                \
      while (j < n && NAME##_runlen(v, j, n) < 8 && (j - i) / 8 < PQ_RLE_MAX_RUN) {    \
        j += 8;                                                                        \
      }                                                                                \
      size_t end = j < n ? j : n;                                                      \
      size_t groups = (end - i + 7) / 8;                                               \
      uint8_t *dst;                                                                    \
      ICE_TRY(begin_bp_run(out, groups, bw, &dst, err));                               \
      /* Widen up to 64 groups at a time; only the stream's last group pads. */       \
      uint32_t tmp[512];                                                               \
      for (size_t g = 0; g < groups; g += 64) {                                        \
        size_t ng = groups - g < 64 ? groups - g : 64;                                 \
        size_t from = i + g * 8;                                                       \
        size_t have = end - from < ng * 8 ? end - from : ng * 8;                       \
        for (size_t k = 0; k < have; k++) tmp[k] = (uint32_t)v[from + k];              \
        for (size_t k = have; k < ng * 8; k++) tmp[k] = 0;                             \
        pq_pack32(tmp, bw, ng, dst + g * bw);                                          \
      }                                                                                \
      i = end;                                                                         \
    }                                                                                  \
    return ICE_OK;                                                                     \
  }

PQ_DEFINE_RLE_ENCODE(rle_encode_u32, uint32_t)
PQ_DEFINE_RLE_ENCODE(rle_encode_u16, uint16_t)
PQ_DEFINE_RLE_ENCODE(rle_encode_u8, uint8_t)

/* Reserves the 4-byte prefix when asked; returns its position. */
static int begin_form(struct ice_buf *out, enum pq_rle_form form, uint32_t bw,
                      size_t *prefix_at, struct ice_error *err) {
  if (bw > 32) ICE_FAIL(err, ICE_EINVAL, "rle encode: bit width %u exceeds 32", bw);
  *prefix_at = out->len;
  if (form == PQ_RLE_LENGTH_PREFIXED) {
    static const uint8_t zero[4] = {0, 0, 0, 0};
    ICE_TRY(ice_buf_append(out, zero, 4, err));
  }
  return ICE_OK;
}

static int end_form(struct ice_buf *out, enum pq_rle_form form, size_t prefix_at,
                    struct ice_error *err) {
  if (form != PQ_RLE_LENGTH_PREFIXED) return ICE_OK;
  size_t n = out->len - prefix_at - 4;
  if (n > UINT32_MAX) ICE_FAIL(err, ICE_ELIMIT, "rle encode: stream exceeds 4 GiB");
  uint8_t *p = out->data + prefix_at;
  p[0] = (uint8_t)n;
  p[1] = (uint8_t)(n >> 8);
  p[2] = (uint8_t)(n >> 16);
  p[3] = (uint8_t)(n >> 24);
  return ICE_OK;
}

int pq_rle_encode(const uint32_t *values, size_t n, uint32_t bit_width,
                  enum pq_rle_form form, struct ice_buf *out, struct ice_error *err) {
  size_t at = 0;
  ICE_TRY(begin_form(out, form, bit_width, &at, err));
  ICE_TRY(rle_encode_u32(values, n, bit_width, out, err));
  return end_form(out, form, at, err);
}

int pq_rle_encode_u16(const uint16_t *values, size_t n, uint32_t bit_width,
                      enum pq_rle_form form, struct ice_buf *out, struct ice_error *err) {
  size_t at = 0;
  ICE_TRY(begin_form(out, form, bit_width, &at, err));
  ICE_TRY(rle_encode_u16(values, n, bit_width, out, err));
  return end_form(out, form, at, err);
}

int pq_rle_encode_u8(const uint8_t *values, size_t n, uint32_t bit_width,
                     enum pq_rle_form form, struct ice_buf *out, struct ice_error *err) {
  size_t at = 0;
  ICE_TRY(begin_form(out, form, bit_width, &at, err));
  ICE_TRY(rle_encode_u8(values, n, bit_width, out, err));
  return end_form(out, form, at, err);
}

int pq_dict_indices_encode(const uint32_t *indices, size_t n, uint32_t dict_size,
                           struct ice_buf *out, struct ice_error *err) {
  if (dict_size == 0 && n > 0) {
    ICE_FAIL(err, ICE_EINVAL, "dictionary indices: empty dictionary");
  }
  uint32_t mx = 0;
  for (size_t i = 0; i < n; i++) mx = indices[i] > mx ? indices[i] : mx;
  if (n > 0 && mx >= dict_size) {
    ICE_FAIL(err, ICE_EINVAL, "dictionary indices: index %u >= dictionary size %u", mx,
             dict_size);
  }
  uint32_t bw = dict_size > 0 ? pq_bit_width(dict_size - 1) : 0;
  ICE_TRY(ice_buf_append_byte(out, (uint8_t)bw, err));
  return rle_encode_u32(indices, n, bw, out, err);
}
