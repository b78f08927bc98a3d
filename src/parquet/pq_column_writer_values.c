/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arrow leaf values -> Parquet physical values for one shred: widening of small
 * integers, unit scaling of times and timestamps (overflow checked), date64 -> days,
 * decimal128/256 -> INT32/INT64/big-endian FLBA with a precision check, and byte
 * strings as borrowed views with UTF-8 validation for string columns. Contiguous
 * fixed-width values that need no conversion are not copied.
 */
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_view.h"
#include "parquet/pq_dict_builder.h"
#include "parquet/pq_encoding.h"
#include "parquet/pq_writer_internal.h"
#include "util/limits.h"

__extension__ typedef __int128 pqw_i128;
__extension__ typedef unsigned __int128 pqw_u128;

void pqw_values_init(struct pqw_values *v) {
  memset(v, 0, sizeof *v);
  ice_buf_init(&v->fixed, ICE_LIMIT_PAGE_BYTES);
  ice_buf_init(&v->bytes, ICE_LIMIT_PAGE_BYTES);
}

void pqw_values_reset(struct pqw_values *v) {
  ice_buf_reset(&v->fixed);
  ice_buf_reset(&v->bytes);
}

size_t pqw_value_width(const struct pqw_node *leaf) {
  switch (leaf->ptype) {
    case PQ_TYPE_BOOLEAN:
      return 1;
    case PQ_TYPE_INT32:
    case PQ_TYPE_FLOAT:
      return 4;
    case PQ_TYPE_INT64:
    case PQ_TYPE_DOUBLE:
      return 8;
    case PQ_TYPE_INT96:
      return 12;
    case PQ_TYPE_FIXED_LEN_BYTE_ARRAY:
      return (size_t)leaf->type_length;
    case PQ_TYPE_BYTE_ARRAY:
      return 0;
  }
  return 0;
}

bool pqw_utf8_valid(const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    /* ASCII runs dominate real data: test 8 bytes at a time. */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    uint8_t c = p[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1Fu, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0Fu, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07u, min = 0x10000;
    } else {
      return false;
    }
    if (len > n - i) return false;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

/* No byte has its high bit set; no early exit so the loop vectorises. */
static bool ascii_only(const uint8_t *p, size_t n) {
  uint64_t acc = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    acc |= w;
  }
  for (; i < n; i++) acc |= p[i];
  return (acc & 0x8080808080808080ull) == 0;
}

/* Message position: exact row for top-level columns; for nested ones the message names
 * the shred's first row and out->bad_slot lets the caller find the exact row. */
static int value_error_at(const struct pqw_node *leaf, const struct pqw_shred *sh,
                          struct pqw_values *out, int64_t slot, const char *what,
                          struct ice_error *err) {
  if (sh->flat) {
    ICE_FAIL(err, ICE_EINVAL, "column '%s': row %lld: %s", leaf->path,
             (long long)(sh->file_row + slot - sh->base), what);
  }
  out->bad_slot = slot;
  snprintf(out->bad_what, sizeof out->bad_what, "%s", what);
  ICE_FAIL(err, ICE_EINVAL, "column '%s': in the rows from %lld: %s", leaf->path,
           (long long)sh->file_row, what);
}
#define value_error(leaf, sh, slot, what, err) \
  value_error_at(leaf, sh, out, slot, what, err)

static inline int64_t slot_at(const struct pqw_shred *sh, size_t k) {
  if (sh->contiguous) return sh->first + (int64_t)k;
  return ((const int64_t *)(const void *)sh->idx.data)[k];
}

static pqw_i128 read_i128(const uint8_t *p) {
  uint64_t lo, hi;
  memcpy(&lo, p, 8);
  memcpy(&hi, p + 8, 8);
  return (pqw_i128)(((pqw_u128)hi << 64) | lo);
}

static int gather_decimal(const struct pqw_node *leaf, const struct pqw_shred *sh,
                          struct pqw_values *out, struct ice_error *err) {
  const struct ArrowArray *a = sh->leaf_array;
  size_t n = (size_t)sh->n_values;
  size_t in_w = leaf->at.id == ARROW_TYPE_DECIMAL256 ? 32 : 16;
  size_t out_w = pqw_value_width(leaf);
  pqw_i128 limit = 1;
  for (int32_t k = 0; k < leaf->at.precision; k++) limit *= 10;
  ICE_TRY(pqw_buf_set_len(&out->fixed, n * out_w, err));
  const uint8_t *src = (const uint8_t *)a->buffers[1];
  uint8_t *dst = out->fixed.data;
  for (size_t k = 0; k < n; k++) {
    int64_t slot = slot_at(sh, k);
    const uint8_t *p = src + (size_t)(a->offset + slot) * in_w;
    pqw_i128 v = read_i128(p);
    if (in_w == 32) {
      uint8_t ext = v < 0 ? 0xFF : 0x00;
      for (size_t b = 16; b < 32; b++) {
        if (p[b] != ext) {
          return value_error(leaf, sh, slot, "decimal value exceeds its precision", err);
        }
      }
    }
    if (v >= limit || v <= -limit) {
      char msg[96];
      snprintf(msg, sizeof msg, "decimal value does not fit decimal(%d,%d)",
               (int)leaf->at.precision, (int)leaf->at.scale);
      return value_error(leaf, sh, slot, msg, err);
    }
    if (leaf->vk == PQW_V_DEC_I32) {
      int32_t x = (int32_t)v;
      memcpy(dst + k * 4, &x, 4);
    } else if (leaf->vk == PQW_V_DEC_I64) {
      int64_t x = (int64_t)v;
      memcpy(dst + k * 8, &x, 8);
    } else {
      uint8_t *o = dst + k * out_w;
      pqw_u128 u = (pqw_u128)v;
      for (size_t b = 0; b < out_w; b++) o[out_w - 1 - b] = (uint8_t)(u >> (8 * b));
    }
  }
  out->n = n;
  return ICE_OK;
}

static int gather_bytes(const struct pqw_node *leaf, const struct pqw_shred *sh,
                        struct pqw_values *out, struct ice_error *err) {
  const struct ArrowArray *a = sh->leaf_array;
  size_t n = (size_t)sh->n_values;
  bool check_utf8 = leaf->has_logical && (leaf->logical.kind == PQ_LOGICAL_STRING ||
                                          leaf->logical.kind == PQ_LOGICAL_JSON);
  ICE_TRY(pqw_buf_set_len(&out->bytes, n * sizeof(struct pq_enc_bytes), err));
  struct pq_enc_bytes *v = (struct pq_enc_bytes *)(void *)out->bytes.data;
  const uint8_t *data = (const uint8_t *)a->buffers[2];
  int64_t lo = INT64_MAX, hi = 0;
  uint64_t total = 0;
  for (size_t k = 0; k < n; k++) {
    int64_t slot = slot_at(sh, k);
    int64_t s, e;
    if (leaf->vk == PQW_V_BIN32) {
      const int32_t *off = arrow_array_offsets32(a);
      s = off[slot];
      e = off[slot + 1];
    } else {
      const int64_t *off = arrow_array_offsets64(a);
      s = off[slot];
      e = off[slot + 1];
    }
    if (e - s > (int64_t)ICE_LIMIT_PAGE_BYTES) {
      return value_error(leaf, sh, slot, "value longer than the 1 GiB page limit", err);
    }
    v[k].ptr = data + s;
    v[k].len = (uint32_t)(e - s);
    if (s < lo) lo = s;
    if (e > hi) hi = e;
    total += (uint64_t)(e - s);
  }
  out->n = n;
  if (!check_utf8 || n == 0) return ICE_OK;
  /* All-ASCII bytes spanning the values make every value valid UTF-8: one pass over
   * the span instead of a call per value. The span may cover null slots' bytes, so
   * it is used only when it is not much larger than the values themselves. */
  if (hi > lo && (uint64_t)(hi - lo) <= 2 * total + 4096 &&
      ascii_only(data + lo, (size_t)(hi - lo))) {
    return ICE_OK;
  }
  for (size_t k = 0; k < n; k++) {
    if (!pqw_utf8_valid(v[k].ptr, v[k].len)) {
      return value_error(leaf, sh, slot_at(sh, k), "string is not valid UTF-8", err);
    }
  }
  return ICE_OK;
}

/* Copies (or points at) fixed-width values of width w bytes. */
static int gather_fixed_same(const struct pqw_shred *sh, size_t w, struct pqw_values *out,
                             struct ice_error *err) {
  const struct ArrowArray *a = sh->leaf_array;
  size_t n = (size_t)sh->n_values;
  const uint8_t *src = (const uint8_t *)a->buffers[1];
  if (sh->contiguous) {
    out->direct = src + (size_t)(a->offset + sh->first) * w;
    out->n = n;
    return ICE_OK;
  }
  ICE_TRY(pqw_buf_set_len(&out->fixed, n * w, err));
  const int64_t *ix = (const int64_t *)(const void *)sh->idx.data;
  uint8_t *dst = out->fixed.data;
  if (w == 4) {
    for (size_t k = 0; k < n; k++)
      memcpy(dst + k * 4, src + (size_t)(a->offset + ix[k]) * 4, 4);
  } else if (w == 8) {
    for (size_t k = 0; k < n; k++)
      memcpy(dst + k * 8, src + (size_t)(a->offset + ix[k]) * 8, 8);
  } else {
    for (size_t k = 0; k < n; k++)
      memcpy(dst + k * w, src + (size_t)(a->offset + ix[k]) * w, w);
  }
  out->n = n;
  return ICE_OK;
}

int pqw_values_gather(const struct pqw_node *leaf, const struct pqw_shred *sh,
                      struct pqw_values *out, struct ice_error *err) {
  const struct ArrowArray *a = sh->leaf_array;
  size_t n = (size_t)sh->n_values;
  out->direct = NULL;
  out->n = 0;
  out->bad_slot = -1;
  ice_buf_clear(&out->fixed);
  ice_buf_clear(&out->bytes);
  if (n == 0) return ICE_OK;
  switch (leaf->vk) {
    case PQW_V_NULL:
      return ICE_OK;
    case PQW_V_BOOL: {
      ICE_TRY(pqw_buf_set_len(&out->fixed, n, err));
      const uint8_t *bits = (const uint8_t *)a->buffers[1];
      for (size_t k = 0; k < n; k++) {
        int64_t i = a->offset + slot_at(sh, k);
        out->fixed.data[k] = (uint8_t)((bits[i >> 3] >> (i & 7)) & 1);
      }
      out->n = n;
      return ICE_OK;
    }
    case PQW_V_I8:
    case PQW_V_I16:
    case PQW_V_U8:
    case PQW_V_U16: {
      ICE_TRY(pqw_buf_set_len(&out->fixed, n * 4, err));
      int32_t *dst = (int32_t *)(void *)out->fixed.data;
      const void *src = a->buffers[1];
      for (size_t k = 0; k < n; k++) {
        int64_t i = a->offset + slot_at(sh, k);
        switch (leaf->vk) {
          case PQW_V_I8:
            dst[k] = ((const int8_t *)src)[i];
            break;
          case PQW_V_I16:
            dst[k] = ((const int16_t *)src)[i];
            break;
          case PQW_V_U8:
            dst[k] = ((const uint8_t *)src)[i];
            break;
          default:
            dst[k] = ((const uint16_t *)src)[i];
            break;
        }
      }
      out->n = n;
      return ICE_OK;
    }
    case PQW_V_I32:
    case PQW_V_U32:
    case PQW_V_F32:
      return gather_fixed_same(sh, 4, out, err);
    case PQW_V_I64:
    case PQW_V_F64:
      return gather_fixed_same(sh, 8, out, err);
    case PQW_V_F16:
      return gather_fixed_same(sh, 2, out, err);
    case PQW_V_FIXED:
      return gather_fixed_same(sh, (size_t)leaf->type_length, out, err);
    case PQW_V_I64_SCALE:
    case PQW_V_TIME32_SCALE: {
      ICE_TRY(pqw_buf_set_len(&out->fixed, n * 8, err));
      int64_t *dst = (int64_t *)(void *)out->fixed.data;
      for (size_t k = 0; k < n; k++) {
        int64_t slot = slot_at(sh, k);
        int64_t x = leaf->vk == PQW_V_TIME32_SCALE
                        ? ((const int32_t *)a->buffers[1])[a->offset + slot]
                        : ((const int64_t *)a->buffers[1])[a->offset + slot];
        if (__builtin_mul_overflow(x, leaf->scale, &dst[k])) {
          return value_error(leaf, sh, slot, "value overflows 64-bit microseconds", err);
        }
      }
      out->n = n;
      return ICE_OK;
    }
    case PQW_V_DATE64: {
      ICE_TRY(pqw_buf_set_len(&out->fixed, n * 4, err));
      int32_t *dst = (int32_t *)(void *)out->fixed.data;
      for (size_t k = 0; k < n; k++) {
        int64_t slot = slot_at(sh, k);
        int64_t ms = ((const int64_t *)a->buffers[1])[a->offset + slot];
        int64_t days = ms / 86400000;
        if (ms % 86400000 != 0 && ms < 0) days--; /* floor */
        if (days < INT32_MIN || days > INT32_MAX) {
          return value_error(leaf, sh, slot, "date64 value out of the date range", err);
        }
        dst[k] = (int32_t)days;
      }
      out->n = n;
      return ICE_OK;
    }
    case PQW_V_BIN32:
    case PQW_V_BIN64:
      return gather_bytes(leaf, sh, out, err);
    case PQW_V_DEC_I32:
    case PQW_V_DEC_I64:
    case PQW_V_DEC_FLBA:
      return gather_decimal(leaf, sh, out, err);
  }
  ICE_FAIL(err, ICE_EINTERNAL, "column '%s': unhandled value kind", leaf->path);
}
