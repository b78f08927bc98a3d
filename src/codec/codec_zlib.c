/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zlib family: gzip (RFC 1952; several concatenated members are one payload, as
 * parquet-testing's concatenated_gzip_members shows), zlib (RFC 1950) and raw deflate
 * (RFC 1951, Avro). The inflate and deflate streams live in the codec_ctx and are
 * reset, not re-created, between pages.
 */
#include <limits.h>
#include <stdbool.h>
#include <zlib.h>

#include "codec/codec_impl.h"
#include "util/alloc.h"

static int zlib_limit(size_t n, struct ice_error *err) {
  if (n > UINT_MAX) {
    return ice_error_set(err, ICE_ELIMIT, "zlib: %zu bytes exceed one stream's limit", n);
  }
  return ICE_OK;
}

static voidpf zalloc(voidpf opaque, uInt items, uInt size) {
  (void)opaque;
  return ice_calloc(items, size);
}

static void zfree(voidpf opaque, voidpf p) {
  (void)opaque;
  ice_free(p);
}

/* Returns a reset inflate stream for `wbits`, creating it on first use. */
static int get_inflate(struct codec_ctx *c, int wbits, z_stream **out, struct ice_error *err) {
  z_stream *z = c->inflate;
  if (z == NULL) {
    z = ice_calloc(1, sizeof *z);
    if (z == NULL) return ice_error_set(err, ICE_ENOMEM, "zlib: out of memory");
    z->zalloc = zalloc;
    z->zfree = zfree;
    if (inflateInit2(z, wbits) != Z_OK) {
      ice_free(z);
      return ice_error_set(err, ICE_ENOMEM, "zlib: cannot initialise inflate");
    }
    c->inflate = z;
    c->inflate_wbits = wbits;
  } else if (c->inflate_wbits != wbits) {
    if (inflateReset2(z, wbits) != Z_OK) {
      return ice_error_set(err, ICE_EINTERNAL, "zlib: cannot reset inflate");
    }
    c->inflate_wbits = wbits;
  } else if (inflateReset(z) != Z_OK) {
    return ice_error_set(err, ICE_EINTERNAL, "zlib: cannot reset inflate");
  }
  *out = z;
  return ICE_OK;
}

static const char *family(int wbits) {
  return wbits < 0 ? "deflate" : wbits > 15 ? "gzip" : "zlib";
}

static int data_error(int wbits, z_stream *z, struct ice_error *err) {
  return ice_error_set(err, ICE_ECORRUPT, "%s: corrupt data (%s)", family(wbits),
                       z->msg ? z->msg : "truncated stream");
}

/* After one member ends, another gzip member may follow (magic 1f 8b). */
static bool next_gzip_member(int wbits, const z_stream *z) {
  return wbits > 15 && z->avail_in >= 2 && z->next_in[0] == 0x1f && z->next_in[1] == 0x8b;
}

int codec_zlib_decompress(struct codec_ctx *c, int wbits, const uint8_t *src, size_t n,
                          uint8_t *dst, size_t dst_len, struct ice_error *err) {
  ICE_TRY(zlib_limit(n, err));
  ICE_TRY(zlib_limit(dst_len, err));
  z_stream *z;
  ICE_TRY(get_inflate(c, wbits, &z, err));
  z->next_in = (Bytef *)(uintptr_t)src; /* zlib's API is not const-correct */
  z->avail_in = (uInt)n;
  z->next_out = dst;
  z->avail_out = (uInt)dst_len;
  for (;;) {
    int zr = inflate(z, Z_FINISH);
    if (zr == Z_STREAM_END) {
      if (!next_gzip_member(wbits, z)) break;
      if (inflateReset(z) != Z_OK) return data_error(wbits, z, err);
      continue;
    }
    if (zr == Z_BUF_ERROR && z->avail_out == 0) {
      return ice_error_set(err, ICE_ECORRUPT, "%s: data decompresses to more than %zu bytes",
                           family(wbits), dst_len);
    }
    if (zr == Z_MEM_ERROR)
      return ice_error_set(err, ICE_ENOMEM, "%s: out of memory", family(wbits));
    if (zr != Z_OK) return data_error(wbits, z, err);
  }
  /* Trailing bytes after the last member are ignored, as gzip(1) and Java do. */
  if (z->avail_out != 0) {
    return ice_error_set(err, ICE_ECORRUPT, "%s: data decompresses to %zu bytes, %zu expected",
                         family(wbits), dst_len - z->avail_out, dst_len);
  }
  return ICE_OK;
}

int codec_zlib_decompress_buf(struct codec_ctx *c, int wbits, const uint8_t *src, size_t n,
                              struct ice_buf *out, struct ice_error *err) {
  ICE_TRY(zlib_limit(n, err));
  z_stream *z;
  ICE_TRY(get_inflate(c, wbits, &z, err));
  z->next_in = (Bytef *)(uintptr_t)src;
  z->avail_in = (uInt)n;
  size_t step = n < 16384 ? 65536 : n * 4;
  for (;;) {
    size_t room = codec_buf_room(out);
    if (room == 0) {
      return ice_error_set(err, ICE_ELIMIT, "%s: data decompresses to more than %zu bytes",
                           family(wbits), out->max);
    }
    size_t want = step < room ? step : room;
    if (want > UINT_MAX) want = UINT_MAX;
    ICE_TRY(ice_buf_reserve(out, want, err));
    z->next_out = out->data + out->len;
    z->avail_out = (uInt)want;
    int zr = inflate(z, Z_NO_FLUSH);
    out->len += want - z->avail_out;
    if (zr == Z_STREAM_END) {
      if (!next_gzip_member(wbits, z)) return ICE_OK;
      if (inflateReset(z) != Z_OK) return data_error(wbits, z, err);
      continue;
    }
    /* inflate allocates its window on first use: that failure is memory, not data. */
    if (zr == Z_MEM_ERROR)
      return ice_error_set(err, ICE_ENOMEM, "%s: out of memory", family(wbits));
    if (zr == Z_BUF_ERROR && z->avail_in == 0) return data_error(wbits, z, err);
    if (zr != Z_OK && zr != Z_BUF_ERROR) return data_error(wbits, z, err);
    if (step < ((size_t)1 << 26)) step *= 2;
  }
}

size_t codec_zlib_bound(size_t n) {
  /* deflateBound's stored-block worst case plus the largest (gzip) wrapper. */
  size_t overhead = (n >> 12) + (n >> 14) + (n >> 25) + 13 + 18;
  return n > SIZE_MAX - overhead ? 0 : n + overhead;
}

void codec_zlib_free(struct codec_ctx *c) {
  if (c->inflate != NULL) {
    inflateEnd(c->inflate);
    ice_free(c->inflate);
    c->inflate = NULL;
  }
  if (c->deflate != NULL) {
    deflateEnd(c->deflate);
    ice_free(c->deflate);
    c->deflate = NULL;
  }
}

static int get_deflate(struct codec_ctx *c, int wbits, int level, z_stream **out,
                       struct ice_error *err) {
  z_stream *z = c->deflate;
  if (z != NULL && (c->deflate_wbits != wbits || c->deflate_level != level)) {
    deflateEnd(z);
    ice_free(z);
    c->deflate = z = NULL;
  }
  if (z == NULL) {
    z = ice_calloc(1, sizeof *z);
    if (z == NULL) return ice_error_set(err, ICE_ENOMEM, "zlib: out of memory");
    z->zalloc = zalloc;
    z->zfree = zfree;
    int zrc = deflateInit2(z, level, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY);
    if (zrc != Z_OK) {
      ice_free(z);
      /* Z_MEM_ERROR is our allocator saying no, not a bad level. */
      return ice_error_set(err, zrc == Z_MEM_ERROR ? ICE_ENOMEM : ICE_EINVAL,
                           "%s: cannot initialise level %d", family(wbits), level);
    }
    c->deflate = z;
    c->deflate_wbits = wbits;
    c->deflate_level = level;
  } else if (deflateReset(z) != Z_OK) {
    return ice_error_set(err, ICE_EINTERNAL, "zlib: cannot reset deflate");
  }
  *out = z;
  return ICE_OK;
}

int codec_zlib_compress(struct codec_ctx *c, int wbits, int level, const uint8_t *src,
                        size_t n, struct ice_buf *out, struct ice_error *err) {
  if (level == CODEC_LEVEL_DEFAULT) level = Z_DEFAULT_COMPRESSION;
  if (level != Z_DEFAULT_COMPRESSION && (level < 1 || level > 9)) {
    return ice_error_set(err, ICE_EINVAL, "%s: level %d is not in 1..9", family(wbits), level);
  }
  ICE_TRY(zlib_limit(n, err));
  z_stream *z;
  ICE_TRY(get_deflate(c, wbits, level, &z, err));
  size_t bound = deflateBound(z, (uLong)n);
  ICE_TRY(zlib_limit(bound, err));
  ICE_TRY(ice_buf_reserve(out, bound, err));
  z->next_in = (Bytef *)(uintptr_t)src;
  z->avail_in = (uInt)n;
  z->next_out = out->data + out->len;
  z->avail_out = (uInt)bound;
  int zr = deflate(z, Z_FINISH);
  if (zr != Z_STREAM_END) {
    return ice_error_set(err, ICE_EINTERNAL, "%s: compression did not finish (%d)",
                         family(wbits), zr);
  }
  out->len += bound - z->avail_out;
  return ICE_OK;
}
