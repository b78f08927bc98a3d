/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Codec dispatch (see codec.h): context lifetime, names, bounds, and the common
 * rules every codec shares (empty payloads, unsupported ids) before handing the bytes
 * to the file that wraps the library.
 */
#include "codec/codec.h"

#include <string.h>

#include "codec/codec_impl.h"

void codec_ctx_init(struct codec_ctx *c) {
  memset(c, 0, sizeof *c);
}

void codec_ctx_reset(struct codec_ctx *c) {
  codec_zstd_free(c);
  codec_zlib_free(c);
  codec_lz4_free(c);
}

const char *codec_name(enum codec_id id) {
  switch (id) {
    case CODEC_NONE: return "none";
    case CODEC_SNAPPY: return "snappy";
    case CODEC_GZIP: return "gzip";
    case CODEC_BROTLI: return "brotli";
    case CODEC_ZSTD: return "zstd";
    case CODEC_LZ4_RAW: return "lz4_raw";
    case CODEC_LZ4_HADOOP: return "lz4_hadoop";
    case CODEC_DEFLATE_RAW: return "deflate";
    case CODEC_ZLIB: return "zlib";
    case CODEC_LZO: return "lzo";
  }
  return "unknown";
}

static int unsupported(enum codec_id id, struct ice_error *err) {
  if (id == CODEC_LZO) {
    return ice_error_set(err, ICE_EUNSUPPORTED, "codec: lzo compression is not supported");
  }
  return ice_error_set(err, ICE_EUNSUPPORTED, "codec: unknown codec %d", (int)id);
}

int codec_decompress(struct codec_ctx *c, enum codec_id id, const uint8_t *src, size_t src_len,
                     uint8_t *dst, size_t dst_len, struct ice_error *err) {
  /* An empty payload is an empty value section (Spark writes 0 bytes for all-null
   * pages even under SNAPPY); no library would accept it as a stream. */
  if (src_len == 0 && id != CODEC_LZO && (unsigned)id <= CODEC_LZO) {
    if (dst_len == 0) return ICE_OK;
    return ice_error_set(err, ICE_ECORRUPT, "%s: empty input for %zu expected bytes",
                         codec_name(id), dst_len);
  }
  /* Callers with nothing to receive may pass NULL (an empty ice_buf); zlib and brotli
   * refuse a NULL output pointer even for zero bytes. */
  uint8_t dummy;
  if (dst_len == 0) dst = &dummy;
  switch (id) {
    case CODEC_NONE:
      if (src_len != dst_len) {
        return ice_error_set(err, ICE_ECORRUPT, "none: %zu stored bytes, %zu expected", src_len,
                             dst_len);
      }
      memcpy(dst, src, dst_len);
      return ICE_OK;
    case CODEC_SNAPPY: return codec_snappy_decompress(src, src_len, dst, dst_len, err);
    case CODEC_GZIP:
      return codec_zlib_decompress(c, CODEC_WBITS_GZIP_OR_ZLIB, src, src_len, dst, dst_len, err);
    case CODEC_ZLIB:
      return codec_zlib_decompress(c, CODEC_WBITS_ZLIB, src, src_len, dst, dst_len, err);
    case CODEC_DEFLATE_RAW:
      return codec_zlib_decompress(c, CODEC_WBITS_RAW, src, src_len, dst, dst_len, err);
    case CODEC_BROTLI: return codec_brotli_decompress(src, src_len, dst, dst_len, err);
    case CODEC_ZSTD: return codec_zstd_decompress(c, src, src_len, dst, dst_len, err);
    case CODEC_LZ4_RAW: return codec_lz4_raw_decompress(src, src_len, dst, dst_len, err);
    case CODEC_LZ4_HADOOP: return codec_lz4_hadoop_decompress(src, src_len, dst, dst_len, err);
    case CODEC_LZO: break;
  }
  return unsupported(id, err);
}

int codec_decompress_buf(struct codec_ctx *c, enum codec_id id, const uint8_t *src,
                         size_t src_len, struct ice_buf *out, struct ice_error *err) {
  if (src_len == 0 && id != CODEC_LZO && (unsigned)id <= CODEC_LZO) return ICE_OK;
  size_t start = out->len;
  int rc;
  switch (id) {
    case CODEC_NONE: return ice_buf_append(out, src, src_len, err);
    case CODEC_SNAPPY: rc = codec_snappy_decompress_buf(src, src_len, out, err); break;
    case CODEC_GZIP:
      rc = codec_zlib_decompress_buf(c, CODEC_WBITS_GZIP_OR_ZLIB, src, src_len, out, err);
      break;
    case CODEC_ZLIB:
      rc = codec_zlib_decompress_buf(c, CODEC_WBITS_ZLIB, src, src_len, out, err);
      break;
    case CODEC_DEFLATE_RAW:
      rc = codec_zlib_decompress_buf(c, CODEC_WBITS_RAW, src, src_len, out, err);
      break;
    case CODEC_BROTLI: rc = codec_brotli_decompress_buf(src, src_len, out, err); break;
    case CODEC_ZSTD: rc = codec_zstd_decompress_buf(c, src, src_len, out, err); break;
    case CODEC_LZ4_RAW: rc = codec_lz4_raw_decompress_buf(src, src_len, out, err); break;
    case CODEC_LZ4_HADOOP: rc = codec_lz4_hadoop_decompress_buf(src, src_len, out, err); break;
    case CODEC_LZO:
    default: return unsupported(id, err);
  }
  if (rc != ICE_OK) out->len = start;
  return rc;
}

size_t codec_compress_bound(enum codec_id id, size_t src_len) {
  switch (id) {
    case CODEC_NONE: return src_len;
    case CODEC_SNAPPY: return codec_snappy_bound(src_len);
    case CODEC_GZIP:
    case CODEC_ZLIB:
    case CODEC_DEFLATE_RAW: return codec_zlib_bound(src_len);
    case CODEC_BROTLI: return codec_brotli_bound(src_len);
    case CODEC_ZSTD: return codec_zstd_bound(src_len);
    case CODEC_LZ4_RAW: return codec_lz4_bound(src_len);
    case CODEC_LZ4_HADOOP: {
      size_t b = codec_lz4_bound(src_len);
      return b == 0 || b > SIZE_MAX - 8 ? 0 : b + 8;
    }
    case CODEC_LZO: break;
  }
  return 0;
}

int codec_compress(struct codec_ctx *c, enum codec_id id, int level, const uint8_t *src,
                   size_t src_len, struct ice_buf *out, struct ice_error *err) {
  size_t start = out->len;
  int rc;
  switch (id) {
    case CODEC_NONE: return ice_buf_append(out, src, src_len, err);
    case CODEC_SNAPPY: rc = codec_snappy_compress(src, src_len, out, err); break;
    case CODEC_GZIP:
      rc = codec_zlib_compress(c, CODEC_WBITS_GZIP, level, src, src_len, out, err);
      break;
    case CODEC_ZLIB:
      rc = codec_zlib_compress(c, CODEC_WBITS_ZLIB, level, src, src_len, out, err);
      break;
    case CODEC_DEFLATE_RAW:
      rc = codec_zlib_compress(c, CODEC_WBITS_RAW, level, src, src_len, out, err);
      break;
    case CODEC_BROTLI: rc = codec_brotli_compress(level, src, src_len, out, err); break;
    case CODEC_ZSTD: rc = codec_zstd_compress(c, level, src, src_len, out, err); break;
    case CODEC_LZ4_RAW: rc = codec_lz4_raw_compress(c, src, src_len, out, err); break;
    case CODEC_LZ4_HADOOP: rc = codec_lz4_hadoop_compress(c, src, src_len, out, err); break;
    case CODEC_LZO:
    default: return unsupported(id, err);
  }
  if (rc != ICE_OK) out->len = start;
  return rc;
}
