/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DELTA_LENGTH_BYTE_ARRAY (spec 7.6) and DELTA_BYTE_ARRAY (spec 7.7) decoders.
 * Lengths come from DELTA_BINARY_PACKED streams, decoded a chunk at a time and
 * validated (no negative lengths, no prefix longer than the previous value, no
 * byte past the section) before any byte is copied, so each chunk is one reserve.
 * DELTA_BYTE_ARRAY keeps a copy of the last value only between calls; within a
 * call the previous value is read back from the output.
 */
#include <string.h>

#include "parquet/pq_encoding.h"
#include "util/alloc.h"
#include "util/limits.h"

enum { PQ_LEN_CHUNK = 512 };

int pq_dlba_decoder_init(struct pq_dlba_decoder *d, const uint8_t *data, size_t len,
                         struct ice_error *err) {
  ICE_TRY(pq_delta_decoder_init(&d->lengths, data, len, 32, err));
  struct pq_delta_decoder walk = d->lengths;
  size_t consumed = 0;
  ICE_TRY(pq_delta_decoder_finish(&walk, &consumed, err));
  d->bytes = data + consumed;
  d->bytes_end = data + len;
  return ICE_OK;
}

static int out_room(const struct ice_buf *values, uint64_t total, struct ice_error *err) {
  if (values->len > INT32_MAX || total > (uint64_t)INT32_MAX - values->len) {
    ICE_FAIL(err, ICE_ELIMIT, "byte array data exceeds 2 GiB; use a smaller batch size");
  }
  return ICE_OK;
}

static int dlba_next(struct pq_dlba_decoder *d, size_t n, int32_t *offsets,
                     struct ice_buf *values, struct ice_error *err) {
  ICE_TRY(out_room(values, 0, err));
  offsets[0] = (int32_t)values->len;
  int32_t lens[PQ_LEN_CHUNK];
  size_t done = 0;
  while (done < n) {
    size_t k = n - done < PQ_LEN_CHUNK ? n - done : PQ_LEN_CHUNK;
    ICE_TRY(pq_delta_decoder_next_i32(&d->lengths, lens, k, err));
    uint64_t total = 0;
    for (size_t i = 0; i < k; i++) {
      ICE_CHECK_DATA(lens[i] >= 0, err, "delta length byte array: negative length %d",
                     lens[i]);
      total += (uint64_t)lens[i];
    }
    size_t left = (size_t)(d->bytes_end - d->bytes);
    ICE_CHECK_DATA(total <= left, err,
                   "delta length byte array: lengths need %llu bytes, %zu left",
                   (unsigned long long)total, left);
    ICE_TRY(out_room(values, total, err));
    ICE_TRY(ice_buf_append(values, d->bytes, (size_t)total, err));
    d->bytes += total;
    int32_t off = offsets[done];
    for (size_t i = 0; i < k; i++) {
      off += lens[i];
      offsets[done + i + 1] = off;
    }
    done += k;
  }
  return ICE_OK;
}

int pq_dlba_decoder_next(struct pq_dlba_decoder *d, size_t n, int32_t *offsets,
                         struct ice_buf *values, struct ice_error *err) {
  size_t len0 = values->len;
  int rc = dlba_next(d, n, offsets, values, err);
  if (rc != ICE_OK) values->len = len0; /* no partial append on failure */
  return rc;
}

int pq_dba_decoder_init(struct pq_dba_decoder *d, const uint8_t *data, size_t len,
                        struct ice_error *err) {
  ice_buf_init(&d->prev, ICE_LIMIT_PAGE_BYTES);
  ICE_TRY(pq_delta_decoder_init(&d->prefixes, data, len, 32, err));
  struct pq_delta_decoder walk = d->prefixes;
  size_t consumed = 0;
  ICE_TRY(pq_delta_decoder_finish(&walk, &consumed, err));
  ICE_TRY(pq_dlba_decoder_init(&d->suffixes, data + consumed, len - consumed, err));
  ICE_CHECK_DATA(d->prefixes.total == d->suffixes.lengths.total, err,
                 "delta byte array: %llu prefix lengths but %llu suffixes",
                 (unsigned long long)d->prefixes.total,
                 (unsigned long long)d->suffixes.lengths.total);
  return ICE_OK;
}

void pq_dba_decoder_reset(struct pq_dba_decoder *d) {
  ice_buf_reset(&d->prev);
}

/* Decodes k prefix/suffix length pairs and checks them against the running
 * previous length; returns the output bytes and the suffix bytes they need. */
static int dba_lengths(struct pq_dba_decoder *d, size_t k, int32_t *pre, int32_t *suf,
                       uint64_t *prev_len, uint64_t *out_total, uint64_t *suf_total,
                       struct ice_error *err) {
  ICE_TRY(pq_delta_decoder_next_i32(&d->prefixes, pre, k, err));
  ICE_TRY(pq_delta_decoder_next_i32(&d->suffixes.lengths, suf, k, err));
  uint64_t pl = *prev_len, ot = 0, st = 0;
  for (size_t i = 0; i < k; i++) {
    ICE_CHECK_DATA(pre[i] >= 0 && (uint64_t)pre[i] <= pl, err,
                   "delta byte array: prefix %d longer than the previous value (%llu)",
                   pre[i], (unsigned long long)pl);
    ICE_CHECK_DATA(suf[i] >= 0, err, "delta byte array: negative suffix length %d", suf[i]);
    pl = (uint64_t)pre[i] + (uint64_t)suf[i];
    ot += pl;
    st += (uint64_t)suf[i];
  }
  size_t left = (size_t)(d->suffixes.bytes_end - d->suffixes.bytes);
  ICE_CHECK_DATA(st <= left, err, "delta byte array: suffixes need %llu bytes, %zu left",
                 (unsigned long long)st, left);
  *prev_len = pl;
  *out_total = ot;
  *suf_total = st;
  return ICE_OK;
}

static int dba_next(struct pq_dba_decoder *d, size_t n, int32_t *offsets,
                    struct ice_buf *values, struct ice_error *err) {
  ICE_TRY(out_room(values, 0, err));
  offsets[0] = (int32_t)values->len;
  int32_t pre[PQ_LEN_CHUNK], suf[PQ_LEN_CHUNK];
  uint64_t prev_len = d->prev.len;
  size_t done = 0;
  while (done < n) {
    size_t k = n - done < PQ_LEN_CHUNK ? n - done : PQ_LEN_CHUNK;
    uint64_t out_total, suf_total;
    ICE_TRY(dba_lengths(d, k, pre, suf, &prev_len, &out_total, &suf_total, err));
    ICE_TRY(out_room(values, out_total, err));
    ICE_TRY(ice_buf_reserve(values, (size_t)out_total, err));
    uint8_t *base = values->data;
    size_t at = values->len;
    for (size_t i = 0; i < k; i++) {
      size_t idx = done + i;
      /* Short pieces move as one fixed 16-byte block (inlined) when the output has
       * room; memmove because a short previous value overlaps the copy window. */
      if (pre[i] > 0) {
        const uint8_t *prev = idx == 0 ? d->prev.data : base + offsets[idx - 1];
        if (idx > 0 && pre[i] <= 16 && values->cap - at >= 16) {
          memmove(base + at, prev, 16);
        } else {
          memmove(base + at, prev, (size_t)pre[i]);
        }
      }
      at += (size_t)pre[i];
      if (suf[i] > 0) {
        size_t in_room = (size_t)(d->suffixes.bytes_end - d->suffixes.bytes);
        if (suf[i] <= 16 && values->cap - at >= 16 && in_room >= 16) {
          memcpy(base + at, d->suffixes.bytes, 16);
        } else {
          memcpy(base + at, d->suffixes.bytes, (size_t)suf[i]);
        }
      }
      d->suffixes.bytes += suf[i];
      at += (size_t)suf[i];
      offsets[idx + 1] = (int32_t)at;
    }
    values->len = at;
    done += k;
  }
  if (n > 0) {
    /* Keep the last value for the next call (the caller may reuse `values`). */
    size_t l = (size_t)(offsets[n] - offsets[n - 1]);
    ice_buf_clear(&d->prev);
    if (l > 0) ICE_TRY(ice_buf_append(&d->prev, values->data + offsets[n - 1], l, err));
  }
  return ICE_OK;
}

int pq_dba_decoder_next(struct pq_dba_decoder *d, size_t n, int32_t *offsets,
                        struct ice_buf *values, struct ice_error *err) {
  size_t len0 = values->len;
  int rc = dba_next(d, n, offsets, values, err);
  if (rc != ICE_OK) values->len = len0; /* no partial append on failure */
  return rc;
}

int pq_dba_decoder_next_fixed(struct pq_dba_decoder *d, size_t n, size_t width,
                              uint8_t *out, struct ice_error *err) {
  int32_t pre[PQ_LEN_CHUNK], suf[PQ_LEN_CHUNK];
  uint64_t prev_len = d->prev.len;
  size_t done = 0;
  while (done < n) {
    size_t k = n - done < PQ_LEN_CHUNK ? n - done : PQ_LEN_CHUNK;
    uint64_t out_total, suf_total;
    ICE_TRY(dba_lengths(d, k, pre, suf, &prev_len, &out_total, &suf_total, err));
    for (size_t i = 0; i < k; i++) {
      ICE_CHECK_DATA((uint64_t)pre[i] + (uint64_t)suf[i] == width, err,
                     "delta byte array: value of %lld bytes in a %zu-byte column",
                     (long long)pre[i] + suf[i], width);
    }
    for (size_t i = 0; i < k; i++) {
      size_t idx = done + i;
      uint8_t *dst = out + idx * width;
      if (pre[i] > 0) memcpy(dst, idx == 0 ? d->prev.data : dst - width, (size_t)pre[i]);
      if (suf[i] > 0) memcpy(dst + pre[i], d->suffixes.bytes, (size_t)suf[i]);
      d->suffixes.bytes += suf[i];
    }
    done += k;
  }
  if (n > 0) {
    ice_buf_clear(&d->prev);
    ICE_TRY(ice_buf_append(&d->prev, out + (n - 1) * width, width, err));
  }
  return ICE_OK;
}
