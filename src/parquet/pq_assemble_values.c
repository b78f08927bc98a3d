/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Leaf values: from the dense physical values a column reader produced to the Arrow
 * value buffers of a leaf with nulls in place. Same-width types without nulls hand the
 * batch buffer over untouched; with nulls they are spread backwards in place.
 * Narrowing integers and decimals (to 16/32-byte little-endian two's complement, from
 * INT32/INT64 or big-endian FLBA/BYTE_ARRAY) are converted here.
 */
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_view.h"
#include "parquet/pq_assemble_internal.h"
#include "util/alloc.h"

static int oom(struct ice_error *err) {
  ICE_FAIL(err, ICE_ENOMEM, "out of memory assembling a batch");
}

static inline int slot_valid(const uint8_t *valid, int64_t i) {
  return valid == NULL || arrow_bit_get(valid, i);
}

/* Same width: spread dense values to their slots in place (backwards, so nothing is
 * overwritten before it is read). */
static int fixed_values(struct pq_leaf_batch *b, const uint8_t *valid, int64_t n_slots,
                        size_t w, struct ArrowArray *out, struct ice_error *err) {
  size_t total = (size_t)n_slots * w;
  if (valid != NULL) {
    ICE_TRY(ice_buf_reserve(&b->values, total > b->values.len ? total - b->values.len : 0,
                            err));
    uint8_t *p = b->values.data;
    int64_t j = (int64_t)b->n_values;
    /* Typed loops for the common widths: a memmove call per value costs more than
     * the copy itself. */
    if (w == 8) {
      uint64_t *v = (uint64_t *)(void *)p;
      for (int64_t i = n_slots - 1; i >= 0 && j < i + 1; i--) {
        v[i] = arrow_bit_get(valid, i) ? v[--j] : 0;
      }
    } else if (w == 4) {
      uint32_t *v = (uint32_t *)(void *)p;
      for (int64_t i = n_slots - 1; i >= 0 && j < i + 1; i--) {
        v[i] = arrow_bit_get(valid, i) ? v[--j] : 0;
      }
    } else {
      for (int64_t i = n_slots - 1; i >= 0 && j < i + 1; i--) {
        if (arrow_bit_get(valid, i)) {
          j--;
          if (j != i) memmove(p + (size_t)i * w, p + (size_t)j * w, w);
        } else {
          memset(p + (size_t)i * w, 0, w);
        }
      }
    }
    b->values.len = total;
  }
  if (b->values.data == NULL) {
    b->values.data = ice_malloc(1);
    if (b->values.data == NULL) return oom(err);
  }
  arrow_array_set_buffer(out, 1, ice_buf_take(&b->values));
  return ICE_OK;
}

static int bool_values(struct pq_leaf_batch *b, const uint8_t *valid, int64_t n_slots,
                       struct ArrowArray *out, struct ice_error *err) {
  if (valid == NULL) {
    if (b->values.data == NULL) {
      b->values.data = ice_malloc(1);
      if (b->values.data == NULL) return oom(err);
    }
    arrow_array_set_buffer(out, 1, ice_buf_take(&b->values));
    return ICE_OK;
  }
  size_t bytes = (size_t)arrow_bitmap_bytes(n_slots);
  uint8_t *bits = ice_calloc(bytes ? bytes : 1, 1);
  if (bits == NULL) return oom(err);
  const uint8_t *src = b->values.data;
  int64_t j = 0;
  for (int64_t i = 0; i < n_slots; i++) {
    if (arrow_bit_get(valid, i)) {
      if (arrow_bit_get(src, j)) arrow_bit_set(bits, i);
      j++;
    }
  }
  arrow_array_set_buffer(out, 1, bits);
  return ICE_OK;
}

static int binary_values(struct pq_leaf_batch *b, const uint8_t *valid, int64_t n_slots,
                         struct ArrowArray *out, struct ice_error *err) {
  size_t need = ((size_t)n_slots + 1) * 4;
  if (b->n_values == 0) {
    b->offsets.len = 0;
    ICE_TRY(ice_buf_reserve(&b->offsets, need, err));
    memset(b->offsets.data, 0, need);
  } else if (valid != NULL) {
    ICE_TRY(ice_buf_reserve(&b->offsets, need > b->offsets.len ? need - b->offsets.len : 0,
                            err));
    int32_t *o = (int32_t *)(void *)b->offsets.data;
    int64_t j = (int64_t)b->n_values;
    o[n_slots] = o[j];
    for (int64_t i = n_slots - 1; i >= 0; i--) {
      if (arrow_bit_get(valid, i)) j--;
      o[i] = o[j];
    }
  }
  b->offsets.len = need;
  if (b->values.data == NULL) {
    b->values.data = ice_malloc(1);
    if (b->values.data == NULL) return oom(err);
  }
  arrow_array_set_buffer(out, 1, ice_buf_take(&b->offsets));
  arrow_array_set_buffer(out, 2, ice_buf_take(&b->values));
  return ICE_OK;
}

/* Writes a sign-extended little-endian two's complement integer of `width` bytes from
 * a big-endian one of `len` bytes (len <= width). */
static void be_to_le(const uint8_t *src, size_t len, uint8_t *dst, size_t width) {
  if (len == 0) {
    memset(dst, 0, width); /* an empty BYTE_ARRAY decimal reads as 0 */
    return;
  }
  uint8_t fill = (len > 0 && (src[0] & 0x80)) ? 0xff : 0x00;
  for (size_t k = 0; k < len; k++) dst[k] = src[len - 1 - k];
  memset(dst + len, fill, width - len);
}

static void i64_to_le(int64_t v, uint8_t *dst, size_t width) {
  uint64_t u = (uint64_t)v;
  for (size_t k = 0; k < 8; k++) dst[k] = (uint8_t)(u >> (8 * k));
  memset(dst + 8, v < 0 ? 0xff : 0x00, width - 8);
}

static int converted_values(const struct pq_node *leaf, struct pq_leaf_batch *b,
                            const uint8_t *valid, int64_t n_slots, struct ArrowArray *out,
                            struct ice_error *err) {
  size_t w = (size_t)leaf->out_width;
  uint8_t *dst = ice_calloc((size_t)n_slots ? (size_t)n_slots : 1, w);
  if (dst == NULL) return oom(err);
  const uint8_t *src = b->values.data;
  const int32_t *off = (const int32_t *)(const void *)b->offsets.data;
  size_t pw = (size_t)leaf->phys_width;
  size_t j = 0;
  for (int64_t i = 0; i < n_slots; i++) {
    if (!slot_valid(valid, i)) continue;
    uint8_t *d = dst + (size_t)i * w;
    switch (leaf->conv) {
      case PQ_CONV_I32_TO_I8:
      case PQ_CONV_I32_TO_I16: {
        int32_t v;
        memcpy(&v, src + j * 4, 4);
        if (w == 1) {
          int8_t x = (int8_t)v;
          memcpy(d, &x, 1);
        } else {
          int16_t x = (int16_t)v;
          memcpy(d, &x, 2);
        }
        break;
      }
      case PQ_CONV_DEC_I32: {
        int32_t v;
        memcpy(&v, src + j * 4, 4);
        i64_to_le(v, d, w);
        break;
      }
      case PQ_CONV_DEC_I64: {
        int64_t v;
        memcpy(&v, src + j * 8, 8);
        i64_to_le(v, d, w);
        break;
      }
      case PQ_CONV_DEC_FLBA:
        be_to_le(src + j * pw, pw, d, w);
        break;
      case PQ_CONV_DEC_BINARY: {
        size_t len = (size_t)(off[j + 1] - off[j]);
        if (len > w) {
          ice_free(dst);
          ICE_FAIL(err, ICE_ECORRUPT, "column '%s': decimal of %zu bytes exceeds %zu",
                   leaf->path, len, w);
        }
        be_to_le(len ? src + off[j] : NULL, len, d, w);
        break;
      }
      default:
        break;
    }
    j++;
  }
  arrow_array_set_buffer(out, 1, dst);
  b->values.len = 0;
  b->offsets.len = 0;
  return ICE_OK;
}

int pq_assemble_leaf_values(const struct pq_node *leaf, struct pq_leaf_batch *b,
                            const uint8_t *valid, int64_t n_slots, struct ArrowArray *out,
                            struct ice_error *err) {
  switch (leaf->conv) {
    case PQ_CONV_FIXED:
      return fixed_values(b, valid, n_slots, (size_t)leaf->out_width, out, err);
    case PQ_CONV_BOOL:
      return bool_values(b, valid, n_slots, out, err);
    case PQ_CONV_BINARY:
      return binary_values(b, valid, n_slots, out, err);
    default:
      return converted_values(leaf, b, valid, n_slots, out, err);
  }
}
