/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the Parquet value/level encodings. Byte 0 picks a decoder family
 * (or an encode->decode round trip), byte 1 and 2 its parameters (bit width,
 * value width, value count); the rest is the encoded stream. Decoders must fail
 * cleanly on anything; round trips must reproduce their input exactly (abort()
 * otherwise, so the fuzzer reports it).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "parquet/pq_dict_builder.h"
#include "parquet/pq_encoding.h"
#include "util/alloc.h"
#include "util/buf.h"

enum { MAX_VALUES = 4096 };

/* Results that only need to be "no crash" land here (warn_unused_result). */
static int sink;

static void fuzz_rle(const uint8_t *p, size_t n, uint32_t bw, size_t count, int form) {
  struct pq_rle_decoder d;
  uint32_t out[MAX_VALUES];
  uint16_t out16[MAX_VALUES];
  size_t consumed;
  int rc;
  if (form == 0) rc = pq_rle_decoder_init(&d, p, n, bw, count, NULL);
  else if (form == 1) rc = pq_rle_decoder_init_prefixed(&d, p, n, bw, count, &consumed, NULL);
  else rc = pq_rle_decoder_init_dict(&d, p, n, count, bw * 97 + 1, NULL);
  if (rc != ICE_OK) return;
  /* Alternate batch, u16, run and skip calls over the same stream. */
  size_t left = count, step = 0;
  while (left > 0) {
    size_t k = 1 + (step * 7) % 61;
    if (k > left) k = left;
    switch (step++ % 4) {
      case 0: rc = pq_rle_decoder_next_batch(&d, out, k, NULL); break;
      case 1: rc = pq_rle_decoder_next_batch_u16(&d, out16, k, NULL); break;
      case 2: {
        struct pq_rle_run run;
        rc = pq_rle_decoder_next_run(&d, k, out, &run, NULL);
        if (rc == ICE_OK) k = run.count;
        break;
      }
      default: rc = pq_rle_decoder_skip(&d, k, NULL); break;
    }
    if (rc != ICE_OK) return;
    left -= k;
  }
}

static void fuzz_plain(const uint8_t *p, size_t n, uint32_t param, size_t count) {
  uint8_t *out = ice_malloc(MAX_VALUES * 16);
  int32_t *off = ice_malloc((MAX_VALUES + 1) * sizeof *off);
  struct ice_buf vals;
  ice_buf_init(&vals, 1 << 20);
  if (out == NULL || off == NULL) goto done;
  size_t pos = 0;
  uint64_t bit = 0;
  sink |= pq_plain_decode_fixed(p, n, &pos, 1 + param % 16, count, out, NULL);
  sink |= pq_plain_decode_bool(p, n, &bit, count, out, NULL);
  bit = param % 5;
  sink |= pq_plain_decode_bool_bits(p, n, &bit, count, out, param % 7, NULL);
  pos = 0;
  if (pq_plain_decode_byte_array(p, n, &pos, count, off, &vals, NULL) == ICE_OK) {
    /* The dictionary path over the decoded values. */
    uint32_t idx[64];
    for (size_t i = 0; i < 64; i++) idx[i] = count ? (uint32_t)((i * 31) % count) : 0;
    ice_buf_clear(&vals);
    pos = 0;
    sink |= pq_plain_decode_byte_array(p, n, &pos, count, off, &vals, NULL);
    struct ice_buf g;
    ice_buf_init(&g, 1 << 20);
    int32_t goff[65];
    uint8_t *dict = vals.data;
    sink |= pq_dict_gather_byte_array(off, dict, (uint32_t)count, idx, count ? 64 : 0, goff,
                                    &g, NULL);
    ice_buf_reset(&g);
  }
done:
  ice_buf_reset(&vals);
  ice_free(out);
  ice_free(off);
}

static void fuzz_delta(const uint8_t *p, size_t n, uint32_t param, size_t count) {
  struct pq_delta_decoder d;
  int64_t out[MAX_VALUES];
  int32_t out32[MAX_VALUES];
  uint32_t bits = param & 1 ? 64 : 32;
  if (pq_delta_decoder_init(&d, p, n, bits, NULL) != ICE_OK) return;
  if (count > pq_delta_decoder_total(&d)) count = (size_t)pq_delta_decoder_total(&d);
  size_t half = count / 2;
  if (bits == 64) {
    if (pq_delta_decoder_next_i64(&d, out, half, NULL) != ICE_OK) return;
  } else if (pq_delta_decoder_next_i32(&d, out32, half, NULL) != ICE_OK) {
    return;
  }
  size_t consumed;
  sink |= pq_delta_decoder_finish(&d, &consumed, NULL);
}

static void fuzz_delta_bytes(const uint8_t *p, size_t n, uint32_t param, size_t count) {
  int32_t *off = ice_malloc((MAX_VALUES + 1) * sizeof *off);
  uint8_t *fixed = ice_malloc(MAX_VALUES * 16);
  struct ice_buf vals;
  ice_buf_init(&vals, 1 << 20);
  if (off == NULL || fixed == NULL) goto done;
  if (param & 1) {
    struct pq_dlba_decoder d;
    if (pq_dlba_decoder_init(&d, p, n, NULL) == ICE_OK) {
      if (count > pq_dlba_decoder_total(&d)) count = (size_t)pq_dlba_decoder_total(&d);
      sink |= pq_dlba_decoder_next(&d, count, off, &vals, NULL);
    }
  } else {
    struct pq_dba_decoder d;
    if (pq_dba_decoder_init(&d, p, n, NULL) == ICE_OK) {
      if (count > pq_dba_decoder_total(&d)) count = (size_t)pq_dba_decoder_total(&d);
      size_t half = count / 2;
      if (param & 2) {
        if (pq_dba_decoder_next_fixed(&d, half, 1 + (param >> 2) % 16, fixed, NULL) == ICE_OK) {
          sink |= pq_dba_decoder_next_fixed(&d, count - half, 1 + (param >> 2) % 16, fixed, NULL);
        }
      } else if (pq_dba_decoder_next(&d, half, off, &vals, NULL) == ICE_OK) {
        ice_buf_clear(&vals);
        sink |= pq_dba_decoder_next(&d, count - half, off, &vals, NULL);
      }
    }
    pq_dba_decoder_reset(&d);
  }
done:
  ice_buf_reset(&vals);
  ice_free(off);
  ice_free(fixed);
}

static void fuzz_bss(const uint8_t *p, size_t n, uint32_t param) {
  size_t width = 1 + param % 16;
  size_t total = n / width;
  size_t first = total ? (param >> 4) % total : 0;
  uint8_t *out = ice_malloc(n + 1);
  if (out == NULL) return;
  sink |= pq_bss_decode(p, n, width, total, first, total - first, out, NULL);
  sink |= pq_bss_decode(p, n, width, total + 1, 0, 1, out, NULL);
  ice_free(out);
}

static void fuzz_legacy(const uint8_t *p, size_t n, uint32_t bw, size_t count) {
  uint16_t out[MAX_VALUES];
  size_t consumed;
  sink |= pq_bitpacked_legacy_decode(p, n, bw, count, out, &consumed, NULL);
}

/* Round trips: the input bytes become values; decode(encode(v)) must equal v. */
static void roundtrip_rle(const uint8_t *p, size_t n, uint32_t bw) {
  size_t count = n / 2 < MAX_VALUES ? n / 2 : MAX_VALUES;
  uint32_t v[MAX_VALUES], got[MAX_VALUES];
  uint32_t mask = bw >= 32 ? 0xffffffffu : (1u << bw) - 1;
  /* Two bytes per value: a value byte and a "repeat previous" flag make long runs. */
  for (size_t i = 0; i < count; i++) {
    v[i] = (i > 0 && (p[2 * i] & 3) != 0) ? v[i - 1] : (p[2 * i + 1] * 2654435761u) & mask;
  }
  struct ice_buf b;
  ice_buf_init(&b, 1 << 22);
  struct pq_rle_decoder d;
  if (pq_rle_encode(v, count, bw, PQ_RLE_RAW, &b, NULL) != ICE_OK ||
      pq_rle_decoder_init(&d, b.data, b.len, bw, count, NULL) != ICE_OK ||
      pq_rle_decoder_next_batch(&d, got, count, NULL) != ICE_OK ||
      memcmp(v, got, count * sizeof *v) != 0) {
    abort();
  }
  ice_buf_reset(&b);
}

static void roundtrip_delta(const uint8_t *p, size_t n) {
  size_t count = n / 8 < MAX_VALUES ? n / 8 : MAX_VALUES;
  int64_t v[MAX_VALUES], got[MAX_VALUES];
  memcpy(v, p, count * 8);
  struct ice_buf b;
  ice_buf_init(&b, 1 << 22);
  struct pq_delta_decoder d;
  size_t consumed = 0;
  if (pq_delta_encode_i64(v, count, &b, NULL) != ICE_OK ||
      pq_delta_decoder_init(&d, b.data, b.len, 64, NULL) != ICE_OK ||
      pq_delta_decoder_next_i64(&d, got, count, NULL) != ICE_OK ||
      memcmp(v, got, count * 8) != 0 || pq_delta_decoder_finish(&d, &consumed, NULL) != ICE_OK ||
      consumed != b.len) {
    abort();
  }
  ice_buf_reset(&b);
}

static void roundtrip_dba(const uint8_t *p, size_t n) {
  /* Split the input at zero bytes into strings. */
  struct pq_enc_bytes v[MAX_VALUES];
  size_t count = 0, start = 0;
  for (size_t i = 0; i <= n && count < MAX_VALUES; i++) {
    if (i == n || p[i] == 0) {
      v[count].ptr = p + start;
      v[count].len = (uint32_t)(i - start);
      count++;
      start = i + 1;
    }
  }
  int32_t *off = ice_malloc((MAX_VALUES + 1) * sizeof *off);
  struct ice_buf b, vals;
  ice_buf_init(&b, 1 << 22);
  ice_buf_init(&vals, 1 << 22);
  struct pq_dba_decoder d;
  if (off == NULL) abort();
  if (pq_dba_encode(v, count, &b, NULL) != ICE_OK ||
      pq_dba_decoder_init(&d, b.data, b.len, NULL) != ICE_OK ||
      pq_dba_decoder_next(&d, count, off, &vals, NULL) != ICE_OK) {
    abort();
  }
  for (size_t i = 0; i < count; i++) {
    if ((uint32_t)(off[i + 1] - off[i]) != v[i].len ||
        (v[i].len && memcmp(vals.data + off[i], v[i].ptr, v[i].len) != 0)) {
      abort();
    }
  }
  pq_dba_decoder_reset(&d);
  ice_free(off);
  ice_buf_reset(&b);
  ice_buf_reset(&vals);
}

/* Dictionary builder: strings split at zero bytes (or 4-byte words) go in; the
 * PLAIN page decoded and gathered by the returned indices must give them back. */
static void roundtrip_dict(const uint8_t *p, size_t n, uint32_t param) {
  size_t width = param & 1 ? 4 : 0;
  struct pq_enc_bytes v[MAX_VALUES];
  size_t count = 0, start = 0;
  if (width) {
    count = n / 4 < MAX_VALUES ? n / 4 : MAX_VALUES;
  } else {
    for (size_t i = 0; i <= n && count < MAX_VALUES; i++) {
      if (i == n || p[i] == 0) {
        v[count].ptr = p + start;
        v[count].len = (uint32_t)(i - start);
        count++;
        start = i + 1;
      }
    }
  }
  struct pq_dict_builder *db = NULL;
  uint32_t *idx = ice_malloc((MAX_VALUES + 1) * sizeof *idx);
  int32_t *doff = ice_malloc((MAX_VALUES + 1) * sizeof *doff);
  int32_t *off = ice_malloc((MAX_VALUES + 1) * sizeof *off);
  uint8_t *fixed = ice_malloc(MAX_VALUES * 4 + 1);
  struct ice_buf page, dvals, out;
  ice_buf_init(&page, 1 << 22);
  ice_buf_init(&dvals, 1 << 22);
  ice_buf_init(&out, 1 << 22);
  if (idx == NULL || doff == NULL || off == NULL || fixed == NULL ||
      pq_dict_builder_new(width, &db, NULL) != ICE_OK) {
    abort();
  }
  int rc = width ? pq_dict_builder_put_fixed(db, p, count, idx, NULL)
                 : pq_dict_builder_put_bytes(db, v, count, idx, NULL);
  uint32_t dn = pq_dict_builder_count(db);
  if (rc != ICE_OK || pq_dict_builder_write_page(db, &page, NULL) != ICE_OK ||
      page.len != pq_dict_builder_encoded_size(db)) {
    abort();
  }
  size_t pos = 0;
  if (width) {
    if (pq_dict_gather_fixed(page.data, 4, dn, idx, count, fixed, NULL) != ICE_OK ||
        (count && memcmp(fixed, p, count * 4) != 0)) {
      abort();
    }
  } else {
    if (pq_plain_decode_byte_array(page.data, page.len, &pos, dn, doff, &dvals, NULL) !=
            ICE_OK ||
        pq_dict_gather_byte_array(doff, dvals.data, dn, idx, count, off, &out, NULL) != ICE_OK) {
      abort();
    }
    for (size_t i = 0; i < count; i++) {
      if ((uint32_t)(off[i + 1] - off[i]) != v[i].len ||
          (v[i].len && memcmp(out.data + off[i], v[i].ptr, v[i].len) != 0)) {
        abort();
      }
    }
  }
  pq_dict_builder_free(db);
  ice_free(idx);
  ice_free(doff);
  ice_free(off);
  ice_free(fixed);
  ice_buf_reset(&page);
  ice_buf_reset(&dvals);
  ice_buf_reset(&out);
}

/* Fused dictionary decode over an arbitrary index stream, fixed and byte-array. */
static void fuzz_dict_fused(const uint8_t *p, size_t n, uint32_t param, size_t count) {
  uint32_t dict_n = 1 + param * 3;
  uint8_t *dict = ice_calloc(dict_n, 8);
  int32_t *doff = ice_malloc((dict_n + 1) * sizeof *doff);
  int32_t *off = ice_malloc((MAX_VALUES + 1) * sizeof *off);
  uint8_t *out = ice_malloc(MAX_VALUES * 8);
  struct ice_buf vals;
  ice_buf_init(&vals, 1 << 20);
  if (dict == NULL || doff == NULL || off == NULL || out == NULL) abort();
  for (uint32_t i = 0; i <= dict_n; i++) doff[i] = (int32_t)(i * 8 / 3); /* varied lengths */
  struct pq_rle_decoder d;
  if (pq_rle_decoder_init_dict(&d, p, n, count, dict_n, NULL) == ICE_OK) {
    size_t half = count / 2;
    if (pq_dict_decode_fixed(&d, dict, 8, dict_n, half, out, NULL) == ICE_OK) {
      sink |= pq_dict_decode_byte_array(&d, doff, dict, dict_n, count - half, off, &vals, NULL);
    }
  }
  ice_buf_reset(&vals);
  ice_free(dict);
  ice_free(doff);
  ice_free(off);
  ice_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3) return 0;
  uint32_t mode = data[0] % 13;
  uint32_t param = data[1];
  size_t count = ((size_t)data[2] * 17) % (MAX_VALUES + 1);
  const uint8_t *p = data + 3;
  size_t n = size - 3;
  sink = 0;
  switch (mode) {
    case 0: fuzz_rle(p, n, param % 34, count, 0); break;
    case 1: fuzz_rle(p, n, param % 34, count, 1); break;
    case 2: fuzz_rle(p, n, param % 34, count, 2); break;
    case 3: fuzz_plain(p, n, param, count); break;
    case 4: fuzz_delta(p, n, param, count); break;
    case 5: fuzz_delta_bytes(p, n, param, count); break;
    case 6: fuzz_bss(p, n, param); break;
    case 7: fuzz_legacy(p, n, param % 18, count); break;
    case 8: roundtrip_rle(p, n, param % 33); break;
    case 9: roundtrip_delta(p, n); break;
    case 10: roundtrip_dba(p, n); break;
    case 11: roundtrip_dict(p, n, param); break;
    default: fuzz_dict_fused(p, n, param, count); break;
  }
  return 0;
}
