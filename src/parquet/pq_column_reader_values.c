/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Value sections of data pages and dictionary pages (reference/parquet.md 7): PLAIN,
 * dictionary indices (PLAIN_DICTIONARY / RLE_DICTIONARY, chosen per page so a chunk
 * may fall back mid-way to any encoding), RLE booleans, DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT. Values are
 * appended in physical form; Arrow conversions happen in assembly.
 */
#include <string.h>

#include "parquet/pq_column_reader_internal.h"
#include "parquet/pq_meta.h"
#include "util/limits.h"

static int unsupported(const struct pq_column_reader *c, struct ice_error *err) {
  ICE_FAIL(err, ICE_EUNSUPPORTED, "encoding %s (%d) is not supported for %s values",
           pq_encoding_name(c->page.encoding), (int)c->page.encoding,
           pq_type_name(c->leaf->physical));
}

int pq_column_load_dictionary(struct pq_column_reader *c, const struct pq_page *pg,
                              struct ice_error *err) {
  const struct pq_node *leaf = c->leaf;
  c->has_dict = false;
  if (leaf->conv == PQ_CONV_NONE) return ICE_OK; /* values are never read */
  if (pg->encoding != PQ_ENCODING_PLAIN && pg->encoding != PQ_ENCODING_PLAIN_DICTIONARY) {
    ICE_FAIL(err, ICE_EUNSUPPORTED, "dictionary page encoding %s (%d) is not supported",
             pq_encoding_name(pg->encoding), (int)pg->encoding);
  }
  size_t n = (size_t)pg->num_values;
  if (n > ICE_LIMIT_DICT_ENTRIES) {
    ICE_FAIL(err, ICE_ELIMIT, "dictionary of %zu entries exceeds the limit", n);
  }
  c->dict_values.len = 0;
  c->dict_offsets.len = 0;
  size_t pos = 0;
  if (leaf->physical == PQ_TYPE_BOOLEAN) {
    ICE_CHECK_DATA(n <= pg->body_len * 8, err, "dictionary page too short");
    ICE_TRY(ice_buf_reserve(&c->dict_values, n, err));
    uint64_t bit = 0;
    ICE_TRY(pq_plain_decode_bool(pg->body, pg->body_len, &bit, n, c->dict_values.data, err));
    c->dict_values.len = n;
  } else if (leaf->physical == PQ_TYPE_BYTE_ARRAY) {
    ICE_CHECK_DATA(n <= pg->body_len / 4, err,
                   "dictionary page: %zu entries cannot fit in %zu bytes", n, pg->body_len);
    ICE_TRY(ice_buf_reserve(&c->dict_offsets, (n + 1) * 4, err));
    ICE_TRY(ice_buf_reserve(&c->dict_values, pg->body_len - n * 4, err));
    ICE_TRY(pq_plain_decode_byte_array(pg->body, pg->body_len, &pos, n,
                                       (int32_t *)(void *)c->dict_offsets.data,
                                       &c->dict_values, err));
    c->dict_offsets.len = (n + 1) * 4;
  } else {
    size_t w = (size_t)leaf->phys_width;
    ICE_CHECK_DATA(n <= pg->body_len / w, err,
                   "dictionary page: %zu entries of %zu bytes exceed %zu bytes", n, w,
                   pg->body_len);
    ICE_TRY(ice_buf_reserve(&c->dict_values, n * w, err));
    ICE_TRY(pq_plain_decode_fixed(pg->body, pg->body_len, &pos, w, n, c->dict_values.data,
                                  err));
    c->dict_values.len = n * w;
  }
  c->dict_n = (uint32_t)n;
  c->has_dict = true;
  return ICE_OK;
}

int pq_column_start_values(struct pq_column_reader *c, struct ice_error *err) {
  const struct pq_node *leaf = c->leaf;
  c->vals_pos = 0;
  c->bit_pos = 0;
  if (c->dba_live) {
    pq_dba_decoder_reset(&c->dba);
    c->dba_live = false;
  }
  if (leaf->conv == PQ_CONV_NONE) return ICE_OK;
  enum pq_type t = leaf->physical;
  /* The stream bound is generous for the reason given in pq_column_reader.c (writers
   * pad runs past the values); exactly the non-null count is ever requested. */
  uint64_t upper = c->vals_len > 0 ? (uint64_t)UINT32_MAX : 0;
  switch (c->page.encoding) {
    case PQ_ENCODING_PLAIN:
      return ICE_OK;
    case PQ_ENCODING_PLAIN_DICTIONARY:
    case PQ_ENCODING_RLE_DICTIONARY:
      ICE_CHECK_DATA(c->has_dict, err, "dictionary-encoded page without a dictionary");
      return pq_rle_decoder_init_dict(&c->idx, c->vals, c->vals_len, upper, c->dict_n, err);
    case PQ_ENCODING_RLE: {
      if (t != PQ_TYPE_BOOLEAN) return unsupported(c, err);
      size_t used = 0;
      return pq_rle_decoder_init_prefixed(&c->idx, c->vals, c->vals_len, 1, upper, &used,
                                          err);
    }
    case PQ_ENCODING_DELTA_BINARY_PACKED:
      if (t != PQ_TYPE_INT32 && t != PQ_TYPE_INT64) return unsupported(c, err);
      if (c->vals_len == 0) return ICE_OK; /* all-null page: nothing to decode */
      /* INT32 is decoded with 64-bit arithmetic and truncated: identical results
       * modulo 2^32, and it accepts the 33-bit miniblocks DuckDB writes for full-range
       * int32 columns (deltas computed in 64 bits), which DuckDB reads back. */
      return pq_delta_decoder_init(&c->delta, c->vals, c->vals_len, 64, err);
    case PQ_ENCODING_DELTA_LENGTH_BYTE_ARRAY:
      if (t != PQ_TYPE_BYTE_ARRAY) return unsupported(c, err);
      if (c->vals_len == 0) return ICE_OK;
      return pq_dlba_decoder_init(&c->dlba, c->vals, c->vals_len, err);
    case PQ_ENCODING_DELTA_BYTE_ARRAY:
      if (t != PQ_TYPE_BYTE_ARRAY && t != PQ_TYPE_FIXED_LEN_BYTE_ARRAY) {
        return unsupported(c, err);
      }
      if (c->vals_len == 0) return ICE_OK;
      c->dba_live = true; /* reset is safe after a failed init */
      return pq_dba_decoder_init(&c->dba, c->vals, c->vals_len, err);
    case PQ_ENCODING_BYTE_STREAM_SPLIT:
      if (t == PQ_TYPE_BOOLEAN || t == PQ_TYPE_BYTE_ARRAY || t == PQ_TYPE_INT96) {
        return unsupported(c, err);
      }
      ICE_CHECK_DATA(c->vals_len % (size_t)leaf->phys_width == 0, err,
                     "BYTE_STREAM_SPLIT section of %zu bytes is not a multiple of %d",
                     c->vals_len, (int)leaf->phys_width);
      return ICE_OK;
    default:
      return unsupported(c, err);
  }
}

/* Sets bits [at, at+n) of dst from 0/1 bytes. */
static void pack_bits(uint8_t *dst, size_t at, const uint8_t *src, size_t n) {
  for (size_t i = 0; i < n; i++) {
    size_t b = at + i;
    uint8_t mask = (uint8_t)(1u << (b & 7));
    dst[b >> 3] = src[i] ? (uint8_t)(dst[b >> 3] | mask) : (uint8_t)(dst[b >> 3] & ~mask);
  }
}

static int decode_bool(struct pq_column_reader *c, size_t n, struct pq_leaf_batch *out,
                       struct ice_error *err) {
  size_t bits_end = out->n_values + n;
  size_t need = (bits_end + 7) / 8;
  if (need > out->values.len) {
    ICE_TRY(ice_buf_reserve(&out->values, need - out->values.len, err));
    memset(out->values.data + out->values.len, 0, need - out->values.len);
    out->values.len = need;
  }
  if (c->page.encoding == PQ_ENCODING_PLAIN) {
    return pq_plain_decode_bool_bits(c->vals, c->vals_len, &c->bit_pos, n, out->values.data,
                                     out->n_values, err);
  }
  c->scratch.len = 0;
  ICE_TRY(ice_buf_reserve(&c->scratch, n * 5 + 4, err));
  uint8_t *bytes = c->scratch.data;
  if (c->page.encoding == PQ_ENCODING_RLE) {
    ICE_TRY(pq_rle_decoder_next_batch_u8(&c->idx, bytes, n, err));
  } else {
    uint32_t *idx = (uint32_t *)(void *)(c->scratch.data + ((n + 3) & ~(size_t)3));
    ICE_TRY(pq_rle_decoder_next_batch(&c->idx, idx, n, err));
    ICE_TRY(pq_dict_gather_fixed(c->dict_values.data, 1, c->dict_n, idx, n, bytes, err));
  }
  pack_bits(out->values.data, out->n_values, bytes, n);
  return ICE_OK;
}

/* PLAIN fixed-width values of a streamed page, a segment at a time. */
static int stream_fixed(struct pq_column_reader *c, size_t n, size_t w, uint8_t *dst,
                        struct ice_error *err) {
  struct pq_page_stream *s = &c->pages.stream;
  while (n > 0) {
    ICE_TRY(pq_page_stream_ensure(s, w, err));
    size_t k = pq_page_stream_avail(s) / w;
    ICE_CHECK_DATA(k > 0, err, "plain: %zu values of %zu bytes run past the page", n, w);
    if (k > n) k = n;
    memcpy(dst, s->out.data + s->pos, k * w);
    s->pos += k * w;
    dst += k * w;
    n -= k;
  }
  return ICE_OK;
}

/* PLAIN byte arrays of a streamed page: each round decodes the values lying wholly in
 * the available bytes, then asks for at least the next one. */
static int stream_byte_array(struct pq_column_reader *c, size_t n, int32_t *off,
                             struct pq_leaf_batch *out, struct ice_error *err) {
  struct pq_page_stream *s = &c->pages.stream;
  size_t need = 4;
  while (n > 0) {
    ICE_TRY(pq_page_stream_ensure(s, need, err));
    const uint8_t *p = s->out.data + s->pos;
    size_t avail = pq_page_stream_avail(s), at = 0, k = 0;
    while (k < n && avail - at >= 4) {
      uint32_t l = (uint32_t)p[at] | (uint32_t)p[at + 1] << 8 | (uint32_t)p[at + 2] << 16 |
                   (uint32_t)p[at + 3] << 24;
      if (l > avail - at - 4) {
        /* not wholly here: ask for it next round (or fail where the page ends) */
        ICE_CHECK_DATA((uint64_t)l + 4 <= pq_page_stream_left(s) - at, err,
                       "plain: byte array length %u exceeds the page", l);
        if (k == 0) need = (size_t)l + 4;
        break;
      }
      at += 4 + (size_t)l;
      k++;
    }
    if (k == 0) {
      ICE_CHECK_DATA(avail < need, err, "plain: byte arrays run past the page");
      ICE_CHECK_DATA(pq_page_stream_left(s) >= need, err,
                     "plain: byte arrays run past the page");
      continue;
    }
    size_t used = 0;
    ICE_TRY(pq_plain_decode_byte_array(p, at, &used, k, off, &out->values, err));
    s->pos += used;
    off += k;
    n -= k;
    need = 4;
  }
  return ICE_OK;
}

static int decode_binary(struct pq_column_reader *c, size_t n, struct pq_leaf_batch *out,
                         struct ice_error *err) {
  size_t need = (out->n_values + n + 1) * 4;
  if (need > out->offsets.len) {
    ICE_TRY(ice_buf_reserve(&out->offsets, need - out->offsets.len, err));
  }
  int32_t *off = (int32_t *)(void *)out->offsets.data + out->n_values;
  switch (c->page.encoding) {
    case PQ_ENCODING_PLAIN:
      if (c->page.streamed) {
        ICE_TRY(stream_byte_array(c, n, off, out, err));
        break;
      }
      ICE_TRY(pq_plain_decode_byte_array(c->vals, c->vals_len, &c->vals_pos, n, off,
                                         &out->values, err));
      break;
    case PQ_ENCODING_PLAIN_DICTIONARY:
    case PQ_ENCODING_RLE_DICTIONARY: {
      c->scratch.len = 0;
      ICE_TRY(ice_buf_reserve(&c->scratch, n * 4, err));
      uint32_t *idx = (uint32_t *)(void *)c->scratch.data;
      ICE_TRY(pq_rle_decoder_next_batch(&c->idx, idx, n, err));
      ICE_TRY(pq_dict_gather_byte_array((const int32_t *)(const void *)c->dict_offsets.data,
                                        c->dict_values.data, c->dict_n, idx, n, off,
                                        &out->values, err));
      break;
    }
    case PQ_ENCODING_DELTA_LENGTH_BYTE_ARRAY:
      ICE_CHECK_DATA(c->vals_len > 0, err, "DELTA_LENGTH_BYTE_ARRAY: empty value section");
      ICE_TRY(pq_dlba_decoder_next(&c->dlba, n, off, &out->values, err));
      break;
    case PQ_ENCODING_DELTA_BYTE_ARRAY:
      ICE_CHECK_DATA(c->dba_live, err, "DELTA_BYTE_ARRAY: empty value section");
      ICE_TRY(pq_dba_decoder_next(&c->dba, n, off, &out->values, err));
      break;
    default:
      return unsupported(c, err);
  }
  out->offsets.len = need;
  return ICE_OK;
}

static int decode_fixed(struct pq_column_reader *c, size_t n, struct pq_leaf_batch *out,
                        struct ice_error *err) {
  size_t w = (size_t)c->leaf->phys_width;
  ICE_TRY(ice_buf_reserve(&out->values, n * w, err));
  uint8_t *dst = out->values.data + out->values.len;
  enum pq_type t = c->leaf->physical;
  switch (c->page.encoding) {
    case PQ_ENCODING_PLAIN:
      if (c->page.streamed) {
        ICE_TRY(stream_fixed(c, n, w, dst, err));
        break;
      }
      ICE_TRY(pq_plain_decode_fixed(c->vals, c->vals_len, &c->vals_pos, w, n, dst, err));
      break;
    case PQ_ENCODING_PLAIN_DICTIONARY:
    case PQ_ENCODING_RLE_DICTIONARY: {
      c->scratch.len = 0;
      ICE_TRY(ice_buf_reserve(&c->scratch, n * 4, err));
      uint32_t *idx = (uint32_t *)(void *)c->scratch.data;
      ICE_TRY(pq_rle_decoder_next_batch(&c->idx, idx, n, err));
      ICE_TRY(pq_dict_gather_fixed(c->dict_values.data, w, c->dict_n, idx, n, dst, err));
      break;
    }
    case PQ_ENCODING_DELTA_BINARY_PACKED:
      ICE_CHECK_DATA(c->vals_len > 0, err, "DELTA_BINARY_PACKED: empty value section");
      if (t == PQ_TYPE_INT32) {
        c->scratch.len = 0;
        ICE_TRY(ice_buf_reserve(&c->scratch, n * 8, err));
        int64_t *wide = (int64_t *)(void *)c->scratch.data;
        ICE_TRY(pq_delta_decoder_next_i64(&c->delta, wide, n, err));
        int32_t *narrow = (int32_t *)(void *)dst;
        for (size_t i = 0; i < n; i++) narrow[i] = (int32_t)(uint32_t)(uint64_t)wide[i];
      } else {
        ICE_TRY(pq_delta_decoder_next_i64(&c->delta, (int64_t *)(void *)dst, n, err));
      }
      break;
    case PQ_ENCODING_DELTA_BYTE_ARRAY:
      ICE_CHECK_DATA(c->dba_live, err, "DELTA_BYTE_ARRAY: empty value section");
      ICE_TRY(pq_dba_decoder_next_fixed(&c->dba, n, w, dst, err));
      break;
    case PQ_ENCODING_BYTE_STREAM_SPLIT:
      ICE_TRY(pq_bss_decode(c->vals, c->vals_len, w, c->vals_len / w, (size_t)c->page_values,
                            n, dst, err));
      break;
    default:
      return unsupported(c, err);
  }
  out->values.len += n * w;
  return ICE_OK;
}

int pq_column_decode_values(struct pq_column_reader *c, size_t n, struct pq_leaf_batch *out,
                            struct ice_error *err) {
  if (n == 0 || c->leaf->conv == PQ_CONV_NONE) return ICE_OK;
  switch (c->leaf->physical) {
    case PQ_TYPE_BOOLEAN: ICE_TRY(decode_bool(c, n, out, err)); break;
    case PQ_TYPE_BYTE_ARRAY: ICE_TRY(decode_binary(c, n, out, err)); break;
    default: ICE_TRY(decode_fixed(c, n, out, err)); break;
  }
  out->n_values += n;
  c->page_values += n;
  return ICE_OK;
}

int pq_column_check_values_end(const struct pq_column_reader *c, struct ice_error *err) {
  if (c->leaf->conv == PQ_CONV_NONE || c->page.encoding != PQ_ENCODING_PLAIN ||
      c->leaf->physical == PQ_TYPE_BOOLEAN) {
    return ICE_OK; /* other encodings may legally pad their last run */
  }
  if (c->page.streamed) {
    uint64_t left = pq_page_stream_left(&c->pages.stream);
    ICE_CHECK_DATA(left == 0, err,
                   "%llu bytes of PLAIN values left over after the page's %d level entries",
                   (unsigned long long)left, (int)c->page.num_values);
    return ICE_OK;
  }
  ICE_CHECK_DATA(c->vals_pos == c->vals_len, err,
                 "%zu bytes of PLAIN values left over after the page's %d level entries",
                 c->vals_len - c->vals_pos, (int)c->page.num_values);
  return ICE_OK;
}
