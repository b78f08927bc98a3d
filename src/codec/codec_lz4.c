/* SPDX-License-Identifier: Apache-2.0 */
/*
 * LZ4 blocks: LZ4_RAW (one block, no framing) and Parquet's deprecated LZ4 codec,
 * which Hadoop frames as repeated [u32 BE raw length][u32 BE block length][block].
 * Old parquet-cpp wrote bare blocks under that codec id, so when the framing does not
 * add up exactly we retry the whole payload as one raw block (as Arrow does).
 */
#include <lz4.h>
#include <stdbool.h>

#include "codec/codec_impl.h"
#include "util/alloc.h"

/* lz4 needs about 255 output bytes per input byte at most. */
#define LZ4_MAX_RATIO 255u

static bool lz4_fits(size_t n) {
  return n <= (size_t)LZ4_MAX_INPUT_SIZE;
}

int codec_lz4_raw_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                             struct ice_error *err) {
  if (!lz4_fits(n) || !lz4_fits(dst_len)) {
    return ice_error_set(err, ICE_ELIMIT, "lz4: block of %zu/%zu bytes is too large", n, dst_len);
  }
  int got = LZ4_decompress_safe((const char *)src, (char *)dst, (int)n, (int)dst_len);
  if (got < 0) {
    return ice_error_set(err, ICE_ECORRUPT,
                         "lz4: corrupt block or more than %zu decompressed bytes", dst_len);
  }
  if ((size_t)got != dst_len) {
    return ice_error_set(err, ICE_ECORRUPT, "lz4: data decompresses to %d bytes, %zu expected",
                         got, dst_len);
  }
  return ICE_OK;
}

int codec_lz4_raw_decompress_buf(const uint8_t *src, size_t n, struct ice_buf *out,
                                 struct ice_error *err) {
  if (!lz4_fits(n)) return ice_error_set(err, ICE_ELIMIT, "lz4: block of %zu bytes is too large", n);
  /* A raw block does not state its size: grow the guess until it fits or the block's
   * largest possible expansion (or the buffer's cap) is reached. */
  size_t most = n * LZ4_MAX_RATIO + 16;
  if (most > (size_t)LZ4_MAX_INPUT_SIZE) most = (size_t)LZ4_MAX_INPUT_SIZE;
  size_t guess = n * 4 < 65536 ? 65536 : n * 4;
  for (;;) {
    size_t room = codec_buf_room(out);
    bool capped = false;
    if (guess >= most) guess = most;
    if (guess >= room) {
      guess = room;
      capped = true;
    }
    ICE_TRY(ice_buf_reserve(out, guess, err));
    int got = LZ4_decompress_safe((const char *)src, (char *)(out->data + out->len), (int)n,
                                  (int)guess);
    if (got >= 0) {
      out->len += (size_t)got;
      return ICE_OK;
    }
    if (capped && guess < most) {
      return ice_error_set(err, ICE_ELIMIT,
                           "lz4: block is corrupt or decompresses to more than %zu bytes",
                           out->max);
    }
    if (guess >= most) return ice_error_set(err, ICE_ECORRUPT, "lz4: corrupt block");
    guess *= 2;
  }
}

int codec_lz4_raw_compress(struct codec_ctx *c, const uint8_t *src, size_t n,
                           struct ice_buf *out, struct ice_error *err) {
  if (!lz4_fits(n)) return ice_error_set(err, ICE_ELIMIT, "lz4: input of %zu bytes is too large", n);
  if (c->lz4_state == NULL) {
    c->lz4_state = ice_malloc((size_t)LZ4_sizeofState());
    if (c->lz4_state == NULL) return ice_error_set(err, ICE_ENOMEM, "lz4: out of memory");
  }
  int bound = LZ4_compressBound((int)n);
  ICE_TRY(ice_buf_reserve(out, (size_t)bound, err));
  int got = LZ4_compress_fast_extState(c->lz4_state, (const char *)src,
                                       (char *)(out->data + out->len), (int)n, bound, 1);
  if (got <= 0) return ice_error_set(err, ICE_EINTERNAL, "lz4: compression failed");
  out->len += (size_t)got;
  return ICE_OK;
}

size_t codec_lz4_bound(size_t n) {
  return lz4_fits(n) ? (size_t)LZ4_compressBound((int)n) : 0;
}

void codec_lz4_free(struct codec_ctx *c) {
  ice_free(c->lz4_state);
  c->lz4_state = NULL;
}

/* ------------------------------------------------------------------ Hadoop framing */

static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Decodes Hadoop frames into dst; true only if every frame decodes to its stated size
 * and the frames fill dst and consume src exactly. */
static bool hadoop_frames(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len) {
  size_t in = 0, outp = 0;
  if (n < 8) return false;
  while (in < n) {
    if (n - in < 8) return false;
    uint32_t raw = be32(src + in), comp = be32(src + in + 4);
    in += 8;
    if (comp > n - in || raw > dst_len - outp || !lz4_fits(comp)) return false;
    int got = LZ4_decompress_safe((const char *)(src + in), (char *)(dst + outp), (int)comp,
                                  (int)raw);
    if (got < 0 || (uint32_t)got != raw) return false;
    in += comp;
    outp += raw;
  }
  return outp == dst_len;
}

int codec_lz4_hadoop_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                                struct ice_error *err) {
  if (hadoop_frames(src, n, dst, dst_len)) return ICE_OK;
  int rc = codec_lz4_raw_decompress(src, n, dst, dst_len, err);
  if (rc == ICE_ECORRUPT) {
    return ice_error_set(err, ICE_ECORRUPT,
                         "lz4 (hadoop): neither hadoop frames nor a raw block of %zu bytes",
                         dst_len);
  }
  return rc;
}

/* The frames state their sizes, so the total can be computed before decoding. */
static bool hadoop_total(const uint8_t *src, size_t n, size_t *total) {
  size_t in = 0, sum = 0;
  if (n < 8) return false;
  while (in < n) {
    if (n - in < 8) return false;
    uint32_t raw = be32(src + in), comp = be32(src + in + 4);
    in += 8;
    if (comp > n - in) return false;
    if (raw > SIZE_MAX - sum) return false;
    sum += raw;
    in += comp;
  }
  *total = sum;
  return true;
}

int codec_lz4_hadoop_decompress_buf(const uint8_t *src, size_t n, struct ice_buf *out,
                                    struct ice_error *err) {
  size_t total;
  if (hadoop_total(src, n, &total) && total <= codec_buf_room(out) &&
      total <= (size_t)LZ4_MAX_RATIO * n) {
    ICE_TRY(ice_buf_reserve(out, total, err));
    uint8_t none = 0; /* an empty result allocates nothing: no offset on NULL */
    if (hadoop_frames(src, n, total > 0 ? out->data + out->len : &none, total)) {
      out->len += total;
      return ICE_OK;
    }
  }
  return codec_lz4_raw_decompress_buf(src, n, out, err);
}

int codec_lz4_hadoop_compress(struct codec_ctx *c, const uint8_t *src, size_t n,
                              struct ice_buf *out, struct ice_error *err) {
  if (n > UINT32_MAX) return ice_error_set(err, ICE_ELIMIT, "lz4: input too large");
  size_t start = out->len;
  uint8_t hdr[8] = {0};
  ICE_TRY(ice_buf_append(out, hdr, sizeof hdr, err));
  ICE_TRY(codec_lz4_raw_compress(c, src, n, out, err));
  size_t comp = out->len - start - 8;
  uint8_t *h = out->data + start;
  for (int i = 0; i < 4; i++) {
    h[i] = (uint8_t)(n >> (24 - 8 * i));
    h[4 + i] = (uint8_t)(comp >> (24 - 8 * i));
  }
  return ICE_OK;
}
