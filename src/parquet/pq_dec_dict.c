/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dictionary gathers (spec 7.4): turn validated dictionary indices into values,
 * for fixed-width dictionaries (switch on the common widths so the copy is a
 * single load/store) and byte-array dictionaries (offsets + data). Indices are
 * re-checked here, so a caller that skipped pq_rle_decoder_init_dict still cannot
 * read outside the dictionary.
 */
#include <string.h>

#include "parquet/pq_encoding.h"

static int check_indices(const uint32_t *indices, size_t n, uint32_t dict_n,
                         struct ice_error *err) {
  uint32_t mx = 0;
  for (size_t i = 0; i < n; i++) mx = indices[i] > mx ? indices[i] : mx;
  ICE_CHECK_DATA(n == 0 || mx < dict_n, err,
                 "dictionary index %u out of range (dictionary has %u entries)", mx, dict_n);
  return ICE_OK;
}

/* memcpy with a constant size compiles to one load and one store per value. */
#define PQ_GATHER(W)                                                             \
  for (size_t i = 0; i < n; i++) memcpy(dst + i * (W), dict + (size_t)indices[i] * (W), (W))

int pq_dict_gather_fixed(const uint8_t *dict, size_t width, uint32_t dict_n,
                         const uint32_t *indices, size_t n, void *out,
                         struct ice_error *err) {
  ICE_TRY(check_indices(indices, n, dict_n, err));
  uint8_t *dst = out;
  switch (width) {
    case 4: PQ_GATHER(4); break;
    case 8: PQ_GATHER(8); break;
    case 12: PQ_GATHER(12); break;
    case 16: PQ_GATHER(16); break;
    default:
      for (size_t i = 0; i < n; i++) {
        memcpy(dst + i * width, dict + (size_t)indices[i] * width, width);
      }
      break;
  }
  return ICE_OK;
}

int pq_dict_gather_byte_array(const int32_t *dict_offsets, const uint8_t *dict_data,
                              uint32_t dict_n, const uint32_t *indices, size_t n,
                              int32_t *offsets, struct ice_buf *values,
                              struct ice_error *err) {
  ICE_TRY(check_indices(indices, n, dict_n, err));
  if (values->len > INT32_MAX) {
    ICE_FAIL(err, ICE_ELIMIT, "byte array data exceeds 2 GiB; use a smaller batch size");
  }
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t k = indices[i];
    total += (uint64_t)(dict_offsets[k + 1] - dict_offsets[k]);
  }
  if (total > (uint64_t)INT32_MAX - values->len) {
    ICE_FAIL(err, ICE_ELIMIT, "byte array data exceeds 2 GiB; use a smaller batch size");
  }
  ICE_TRY(ice_buf_reserve(values, (size_t)total, err));
  int32_t off = (int32_t)values->len;
  offsets[0] = off;
  const int32_t dict_end = dict_offsets[dict_n];
  for (size_t i = 0; i < n; i++) {
    uint32_t k = indices[i];
    int32_t start = dict_offsets[k];
    int32_t l = dict_offsets[k + 1] - start;
    if (l > 0) {
      /* Short strings: one inlined 16-byte copy when both sides have the room. */
      if (l <= 16 && dict_end - start >= 16 && values->cap - (size_t)off >= 16) {
        memcpy(values->data + off, dict_data + start, 16);
      } else {
        memcpy(values->data + off, dict_data + start, (size_t)l);
      }
    }
    off += l;
    offsets[i + 1] = off;
  }
  values->len += (size_t)total;
  return ICE_OK;
}
