/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dictionary gathers (spec 7.4): turn validated dictionary indices into values,
 * for fixed-width dictionaries (switch on the common widths so the copy is a
 * single load/store) and byte-array dictionaries (offsets + data), plus the fused
 * decode that walks the index stream run by run (RLE runs become fills). Indices
 * are re-checked here, so a caller that skipped pq_rle_decoder_init_dict still
 * cannot read outside the dictionary.
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

enum { PQ_DICT_PIECE = 512 };

/* Repeats one dictionary value `count` times (an RLE run of indices). */
static void fill_fixed(uint8_t *dst, const uint8_t *value, size_t width, size_t count) {
  if (width == 4) {
    uint32_t v;
    memcpy(&v, value, 4);
    for (size_t i = 0; i < count; i++) memcpy(dst + i * 4, &v, 4);
  } else if (width == 8) {
    uint64_t v;
    memcpy(&v, value, 8);
    for (size_t i = 0; i < count; i++) memcpy(dst + i * 8, &v, 8);
  } else {
    for (size_t i = 0; i < count; i++) memcpy(dst + i * width, value, width);
  }
}

int pq_dict_decode_fixed(struct pq_rle_decoder *d, const uint8_t *dict, size_t width,
                         uint32_t dict_n, size_t n, void *out, struct ice_error *err) {
  ICE_CHECK_DATA(n <= pq_rle_decoder_remaining(d), err,
                 "dictionary indices: %zu values requested, %llu remain", n,
                 (unsigned long long)pq_rle_decoder_remaining(d));
  uint32_t scratch[PQ_DICT_PIECE];
  uint8_t *dst = out;
  size_t done = 0;
  while (done < n) {
    size_t want = n - done < PQ_DICT_PIECE ? n - done : PQ_DICT_PIECE;
    struct pq_rle_run run;
    ICE_TRY(pq_rle_decoder_next_run(d, want, scratch, &run, err));
    if (run.is_rle) {
      ICE_CHECK_DATA(run.value < dict_n, err,
                     "dictionary index %u out of range (dictionary has %u entries)",
                     run.value, dict_n);
      fill_fixed(dst + done * width, dict + (size_t)run.value * width, width, run.count);
    } else {
      ICE_TRY(pq_dict_gather_fixed(dict, width, dict_n, scratch, run.count,
                                   dst + done * width, err));
    }
    done += run.count;
  }
  return ICE_OK;
}

static int dict_decode_bytes(struct pq_rle_decoder *d, const int32_t *dict_offsets,
                             const uint8_t *dict_data, uint32_t dict_n, size_t n,
                             int32_t *offsets, struct ice_buf *values,
                             struct ice_error *err) {
  ICE_CHECK_DATA(n <= pq_rle_decoder_remaining(d), err,
                 "dictionary indices: %zu values requested, %llu remain", n,
                 (unsigned long long)pq_rle_decoder_remaining(d));
  if (values->len > INT32_MAX) {
    ICE_FAIL(err, ICE_ELIMIT, "byte array data exceeds 2 GiB; use a smaller batch size");
  }
  uint32_t scratch[PQ_DICT_PIECE];
  offsets[0] = (int32_t)values->len;
  size_t done = 0;
  while (done < n) {
    size_t want = n - done < PQ_DICT_PIECE ? n - done : PQ_DICT_PIECE;
    struct pq_rle_run run;
    ICE_TRY(pq_rle_decoder_next_run(d, want, scratch, &run, err));
    if (!run.is_rle) {
      /* gather appends and writes offsets[done .. done+count] (offsets[done] again). */
      ICE_TRY(pq_dict_gather_byte_array(dict_offsets, dict_data, dict_n, scratch, run.count,
                                        offsets + done, values, err));
      done += run.count;
      continue;
    }
    ICE_CHECK_DATA(run.value < dict_n, err,
                   "dictionary index %u out of range (dictionary has %u entries)", run.value,
                   dict_n);
    int32_t start = dict_offsets[run.value];
    size_t l = (size_t)(dict_offsets[run.value + 1] - start);
    uint64_t total = (uint64_t)l * run.count;
    if (total > (uint64_t)INT32_MAX - values->len) {
      ICE_FAIL(err, ICE_ELIMIT, "byte array data exceeds 2 GiB; use a smaller batch size");
    }
    size_t at = values->len;
    if (total > 0) {
      ICE_TRY(ice_buf_reserve(values, (size_t)total, err));
      for (uint32_t k = 0; k < run.count; k++) {
        memcpy(values->data + at + k * l, dict_data + start, l);
      }
    }
    for (uint32_t k = 0; k < run.count; k++) {
      offsets[done + k + 1] = (int32_t)(at + (size_t)(k + 1) * l);
    }
    values->len = at + (size_t)total;
    done += run.count;
  }
  return ICE_OK;
}

int pq_dict_decode_byte_array(struct pq_rle_decoder *d, const int32_t *dict_offsets,
                              const uint8_t *dict_data, uint32_t dict_n, size_t n,
                              int32_t *offsets, struct ice_buf *values,
                              struct ice_error *err) {
  size_t len0 = values->len;
  int rc = dict_decode_bytes(d, dict_offsets, dict_data, dict_n, n, offsets, values, err);
  if (rc != ICE_OK) values->len = len0; /* no partial append on failure */
  return rc;
}
