/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-library entry points behind codec.h's dispatch (codec.c). Each codec file wraps
 * exactly one library; these prototypes are internal to the codec module.
 */
#ifndef ICE_CODEC_IMPL_H
#define ICE_CODEC_IMPL_H

#include "codec/codec.h"

/* Window-bits choices for the zlib family. */
#define CODEC_WBITS_GZIP_OR_ZLIB (32 + 15) /* inflate: auto-detect gzip or zlib header */
#define CODEC_WBITS_GZIP (16 + 15)
#define CODEC_WBITS_ZLIB 15
#define CODEC_WBITS_RAW (-15)

int codec_zlib_decompress(struct codec_ctx *c, int wbits, const uint8_t *src, size_t n,
                          uint8_t *dst, size_t dst_len, struct ice_error *err);
int codec_zlib_decompress_buf(struct codec_ctx *c, int wbits, const uint8_t *src, size_t n,
                              struct ice_buf *out, struct ice_error *err);
int codec_zlib_compress(struct codec_ctx *c, int wbits, int level, const uint8_t *src,
                        size_t n, struct ice_buf *out, struct ice_error *err);
size_t codec_zlib_bound(size_t n);
void codec_zlib_free(struct codec_ctx *c);

int codec_zstd_decompress(struct codec_ctx *c, const uint8_t *src, size_t n, uint8_t *dst,
                          size_t dst_len, struct ice_error *err);
int codec_zstd_decompress_buf(struct codec_ctx *c, const uint8_t *src, size_t n,
                              struct ice_buf *out, struct ice_error *err);
int codec_zstd_compress(struct codec_ctx *c, int level, const uint8_t *src, size_t n,
                        struct ice_buf *out, struct ice_error *err);
size_t codec_zstd_bound(size_t n);
void codec_zstd_free(struct codec_ctx *c);

int codec_snappy_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                            struct ice_error *err);
int codec_snappy_decompress_buf(const uint8_t *src, size_t n, struct ice_buf *out,
                                struct ice_error *err);
int codec_snappy_compress(const uint8_t *src, size_t n, struct ice_buf *out,
                          struct ice_error *err);
size_t codec_snappy_bound(size_t n);

int codec_brotli_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                            struct ice_error *err);
int codec_brotli_decompress_buf(const uint8_t *src, size_t n, struct ice_buf *out,
                                struct ice_error *err);
int codec_brotli_compress(int level, const uint8_t *src, size_t n, struct ice_buf *out,
                          struct ice_error *err);
size_t codec_brotli_bound(size_t n);

int codec_lz4_raw_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                             struct ice_error *err);
int codec_lz4_raw_decompress_buf(const uint8_t *src, size_t n, struct ice_buf *out,
                                 struct ice_error *err);
int codec_lz4_raw_compress(struct codec_ctx *c, const uint8_t *src, size_t n,
                           struct ice_buf *out, struct ice_error *err);
size_t codec_lz4_bound(size_t n);
void codec_lz4_free(struct codec_ctx *c);

int codec_lz4_hadoop_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                                struct ice_error *err);
int codec_lz4_hadoop_decompress_buf(const uint8_t *src, size_t n, struct ice_buf *out,
                                    struct ice_error *err);
int codec_lz4_hadoop_compress(struct codec_ctx *c, const uint8_t *src, size_t n,
                              struct ice_buf *out, struct ice_error *err);

/* Room left before out->max. */
static inline size_t codec_buf_room(const struct ice_buf *out) {
  return out->max > out->len ? out->max - out->len : 0;
}

#endif
