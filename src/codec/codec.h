/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compression codecs over the Debian libraries (zstd, snappy, zlib, lz4, brotli).
 * The codec module knows no file format: Parquet and Avro map their own codec ids onto
 * enum codec_id. A struct codec_ctx holds reusable library state (zstd contexts, zlib
 * streams, the lz4 state) so the per-page hot path does not allocate. A context is not
 * thread-safe: use one per thread.
 */
#ifndef ICE_CODEC_CODEC_H
#define ICE_CODEC_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

enum codec_id {
  CODEC_NONE = 0,
  CODEC_SNAPPY = 1,      /* raw snappy block (not the framed format) */
  CODEC_GZIP = 2,        /* RFC 1952; decompression accepts concatenated members and
                          * zlib-wrapped (RFC 1950) data as well */
  CODEC_BROTLI = 3,      /* RFC 7932 */
  CODEC_ZSTD = 4,        /* RFC 8878; one or more frames */
  CODEC_LZ4_RAW = 5,     /* one LZ4 block, no framing */
  CODEC_LZ4_HADOOP = 6,  /* Parquet's deprecated LZ4: [u32 BE raw len][u32 BE comp len]
                          * [block]... ; decompression falls back to a raw block when the
                          * framing does not add up. Compression writes one frame per
                          * block (decode-side compatibility only; writers shouldn't use it) */
  CODEC_DEFLATE_RAW = 7, /* RFC 1951, no header (Avro "deflate") */
  CODEC_ZLIB = 8,        /* RFC 1950 */
  CODEC_LZO = 9          /* recognised only to say ICE_EUNSUPPORTED */
};

/* Level 0 means the codec's default everywhere (zstd 3, zlib 6, brotli 11 is slow so
 * our default is 5, lz4/snappy have no levels). */
#define CODEC_LEVEL_DEFAULT 0

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;
struct z_stream_s;

struct codec_ctx {
  struct ZSTD_DCtx_s *zstd_d; /* created on first use, kept until reset */
  struct ZSTD_CCtx_s *zstd_c;
  struct z_stream_s *inflate; /* inflate stream; re-targeted by window bits */
  int inflate_wbits;
  struct z_stream_s *deflate; /* deflate stream for one (wbits, level) pair */
  int deflate_wbits;
  int deflate_level;
  void *lz4_state; /* LZ4_sizeofState() bytes for LZ4_compress_fast_extState */
};

/* A zero-initialised struct is equivalent to codec_ctx_init(). */
void codec_ctx_init(struct codec_ctx *c);
/* Frees library state; idempotent; the context can be used again afterwards. */
void codec_ctx_reset(struct codec_ctx *c);

/* "none", "snappy", "gzip", ...; "unknown" for other values. */
const char *codec_name(enum codec_id id);

/* Decompresses src into dst, which must receive exactly dst_len bytes (Parquet knows
 * the uncompressed page size). Output shorter or longer than dst_len, or malformed
 * input, is ICE_ECORRUPT. CODEC_NONE copies (src_len must equal dst_len). CODEC_LZO
 * and unknown ids: ICE_EUNSUPPORTED. */
int codec_decompress(struct codec_ctx *c, enum codec_id id, const uint8_t *src,
                     size_t src_len, uint8_t *dst, size_t dst_len,
                     struct ice_error *err) ICE_NODISCARD;

/* Decompresses src when the output size is unknown (Avro blocks), appending to out.
 * Growth is bounded by out->max: exceeding it is ICE_ELIMIT. */
int codec_decompress_buf(struct codec_ctx *c, enum codec_id id, const uint8_t *src,
                         size_t src_len, struct ice_buf *out,
                         struct ice_error *err) ICE_NODISCARD;

/* Upper bound of the compressed size of src_len bytes (0 if the id is unknown or the
 * bound overflows). */
size_t codec_compress_bound(enum codec_id id, size_t src_len);

/* Compresses src and appends the result to out (out->len grows by the compressed size).
 * level: CODEC_LEVEL_DEFAULT or a codec-specific level (zstd 1..22 and negatives,
 * zlib family 1..9, brotli 0..11; ignored by snappy/lz4). */
int codec_compress(struct codec_ctx *c, enum codec_id id, int level, const uint8_t *src,
                   size_t src_len, struct ice_buf *out, struct ice_error *err) ICE_NODISCARD;

#endif
