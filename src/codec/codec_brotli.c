/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Brotli (RFC 7932) through libbrotlidec/libbrotlienc. Rare in Parquet, so the
 * one-shot calls are used and no state is kept in the codec_ctx.
 */
#include <brotli/decode.h>
#include <brotli/encode.h>

#include "codec/codec_impl.h"

/* Quality 11 is far too slow for data loading; 5 is a common writer choice. */
#define BROTLI_DEFAULT_LEVEL 5

int codec_brotli_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                            struct ice_error *err) {
  size_t got = dst_len;
  BrotliDecoderResult r = BrotliDecoderDecompress(n, src, &got, dst);
  if (r != BROTLI_DECODER_RESULT_SUCCESS) {
    return ice_error_set(err, ICE_ECORRUPT,
                         "brotli: corrupt data or more than %zu decompressed bytes", dst_len);
  }
  if (got != dst_len) {
    return ice_error_set(err, ICE_ECORRUPT, "brotli: data decompresses to %zu bytes, %zu expected",
                         got, dst_len);
  }
  return ICE_OK;
}

int codec_brotli_decompress_buf(const uint8_t *src, size_t n, struct ice_buf *out,
                                struct ice_error *err) {
  BrotliDecoderState *s = BrotliDecoderCreateInstance(NULL, NULL, NULL);
  if (s == NULL) return ice_error_set(err, ICE_ENOMEM, "brotli: out of memory");
  size_t avail_in = n;
  const uint8_t *next_in = src;
  size_t step = n < 16384 ? 65536 : n * 4;
  int rc = ICE_OK;
  for (;;) {
    size_t room = codec_buf_room(out);
    if (room == 0) {
      rc = ice_error_set(err, ICE_ELIMIT, "brotli: data decompresses to more than %zu bytes",
                         out->max);
      break;
    }
    size_t want = step < room ? step : room;
    rc = ice_buf_reserve(out, want, err);
    if (rc != ICE_OK) break;
    size_t avail_out = want;
    uint8_t *next_out = out->data + out->len;
    BrotliDecoderResult r =
        BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, &next_out, NULL);
    out->len += want - avail_out;
    if (r == BROTLI_DECODER_RESULT_SUCCESS) break;
    if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) continue;
    rc = ice_error_set(err, ICE_ECORRUPT, "brotli: %s",
                       r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT ? "truncated stream"
                                                                   : "corrupt data");
    break;
  }
  BrotliDecoderDestroyInstance(s);
  return rc;
}

int codec_brotli_compress(int level, const uint8_t *src, size_t n, struct ice_buf *out,
                          struct ice_error *err) {
  if (level == CODEC_LEVEL_DEFAULT) level = BROTLI_DEFAULT_LEVEL;
  if (level < BROTLI_MIN_QUALITY || level > BROTLI_MAX_QUALITY) {
    return ice_error_set(err, ICE_EINVAL, "brotli: level %d is not in 0..11", level);
  }
  size_t bound = BrotliEncoderMaxCompressedSize(n);
  if (bound == 0) return ice_error_set(err, ICE_ELIMIT, "brotli: input too large");
  ICE_TRY(ice_buf_reserve(out, bound, err));
  size_t got = bound;
  if (!BrotliEncoderCompress(level, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, n, src, &got,
                             out->data + out->len)) {
    return ice_error_set(err, ICE_EINTERNAL, "brotli: compression failed");
  }
  out->len += got;
  return ICE_OK;
}

size_t codec_brotli_bound(size_t n) {
  return BrotliEncoderMaxCompressedSize(n);
}
