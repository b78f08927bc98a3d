/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Zstandard (RFC 8878). Decompression accepts several frames and frames without a
 * content size (both occur in Parquet pages); the DCtx/CCtx are created once per
 * codec_ctx and reused for every page.
 */
#include <zstd.h>

#include "codec/codec_impl.h"

static int get_dctx(struct codec_ctx *c, ZSTD_DCtx **out, struct ice_error *err) {
  if (c->zstd_d == NULL) {
    c->zstd_d = ZSTD_createDCtx();
    if (c->zstd_d == NULL) return ice_error_set(err, ICE_ENOMEM, "zstd: out of memory");
  }
  *out = c->zstd_d;
  return ICE_OK;
}

int codec_zstd_decompress(struct codec_ctx *c, const uint8_t *src, size_t n, uint8_t *dst,
                          size_t dst_len, struct ice_error *err) {
  ZSTD_DCtx *d;
  ICE_TRY(get_dctx(c, &d, err));
  size_t got = ZSTD_decompressDCtx(d, dst, dst_len, src, n);
  if (ZSTD_isError(got)) {
    return ice_error_set(err, ICE_ECORRUPT, "zstd: %s (expected %zu bytes)",
                         ZSTD_getErrorName(got), dst_len);
  }
  if (got != dst_len) {
    return ice_error_set(err, ICE_ECORRUPT, "zstd: data decompresses to %zu bytes, %zu expected",
                         got, dst_len);
  }
  return ICE_OK;
}

int codec_zstd_decompress_buf(struct codec_ctx *c, const uint8_t *src, size_t n,
                              struct ice_buf *out, struct ice_error *err) {
  ZSTD_DCtx *d;
  ICE_TRY(get_dctx(c, &d, err));
  ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
  ZSTD_inBuffer in = {src, n, 0};
  size_t step = ZSTD_DStreamOutSize();
  for (;;) {
    size_t room = codec_buf_room(out);
    if (room == 0) {
      return ice_error_set(err, ICE_ELIMIT, "zstd: data decompresses to more than %zu bytes",
                           out->max);
    }
    size_t want = step < room ? step : room;
    ICE_TRY(ice_buf_reserve(out, want, err));
    ZSTD_outBuffer ob = {out->data + out->len, want, 0};
    size_t left = ZSTD_decompressStream(d, &ob, &in);
    if (ZSTD_isError(left)) {
      return ice_error_set(err, ICE_ECORRUPT, "zstd: %s", ZSTD_getErrorName(left));
    }
    out->len += ob.pos;
    /* 0 = a frame ended and was flushed; more input means another frame follows. */
    if (left == 0 && in.pos == in.size) return ICE_OK;
    /* Output room left, no input left, frame unfinished: the data is cut short. */
    if (in.pos == in.size && ob.pos < want) {
      return ice_error_set(err, ICE_ECORRUPT, "zstd: truncated frame");
    }
    if (step < ((size_t)1 << 24)) step *= 2;
  }
}

int codec_zstd_compress(struct codec_ctx *c, int level, const uint8_t *src, size_t n,
                        struct ice_buf *out, struct ice_error *err) {
  if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
    return ice_error_set(err, ICE_EINVAL, "zstd: level %d is out of range", level);
  }
  if (c->zstd_c == NULL) {
    c->zstd_c = ZSTD_createCCtx();
    if (c->zstd_c == NULL) return ice_error_set(err, ICE_ENOMEM, "zstd: out of memory");
  }
  size_t bound = ZSTD_compressBound(n);
  if (ZSTD_isError(bound)) return ice_error_set(err, ICE_ELIMIT, "zstd: input too large");
  ICE_TRY(ice_buf_reserve(out, bound, err));
  /* Level 0 is zstd's own "default" (3). */
  size_t got = ZSTD_compressCCtx(c->zstd_c, out->data + out->len, bound, src, n, level);
  if (ZSTD_isError(got)) {
    return ice_error_set(err, ICE_EINTERNAL, "zstd: %s", ZSTD_getErrorName(got));
  }
  out->len += got;
  return ICE_OK;
}

size_t codec_zstd_bound(size_t n) {
  size_t b = ZSTD_compressBound(n);
  return ZSTD_isError(b) ? 0 : b;
}

void codec_zstd_free(struct codec_ctx *c) {
  ZSTD_freeDCtx(c->zstd_d);
  ZSTD_freeCCtx(c->zstd_c);
  c->zstd_d = NULL;
  c->zstd_c = NULL;
}
