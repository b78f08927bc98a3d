/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Codecs: compress/decompress round trips for every codec and size (empty, tiny,
 * compressible, random), the exact-size contract (too short / too long output is
 * corrupt), unknown-size decompression against a cap, truncated and garbled input,
 * gzip concatenated members, LZ4 Hadoop framing and its raw-block fallback, context
 * reuse across codecs, and CRC-32 check values.
 */
#include <stdint.h>

#include "codec/codec.h"
#include "harness/ice_test.h"
#include "util/alloc.h"
#include "util/crc32.h"

static const enum codec_id all_codecs[] = {CODEC_NONE,        CODEC_SNAPPY, CODEC_GZIP,
                                           CODEC_BROTLI,      CODEC_ZSTD,   CODEC_LZ4_RAW,
                                           CODEC_LZ4_HADOOP, CODEC_DEFLATE_RAW, CODEC_ZLIB};
#define N_CODECS (sizeof all_codecs / sizeof all_codecs[0])

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint8_t next_byte(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint8_t)rng_state;
}

/* kind 0: text-like (compressible), 1: random (incompressible) */
static void fill(uint8_t *p, size_t n, int kind) {
  static const char words[] = "parquet iceberg column page row group ";
  for (size_t i = 0; i < n; i++) {
    p[i] = kind == 0 ? (uint8_t)words[(i * 7 + i / 13) % (sizeof words - 1)] : next_byte();
  }
}

static void round_trip(struct codec_ctx *c, enum codec_id id, const uint8_t *src, size_t n) {
  struct ice_error err;
  struct ice_buf comp, dec;
  ice_buf_init(&comp, (size_t)1 << 28);
  ice_buf_init(&dec, (size_t)1 << 28);
  CHECK_OK(codec_compress(c, id, CODEC_LEVEL_DEFAULT, src, n, &comp, &err), &err);
  CHECK(comp.len <= codec_compress_bound(id, n));
  uint8_t *out = ice_malloc(n + 1);
  CHECK_OK(codec_decompress(c, id, comp.data, comp.len, out, n, &err), &err);
  CHECK(n == 0 || memcmp(out, src, n) == 0);
  CHECK_OK(codec_decompress_buf(c, id, comp.data, comp.len, &dec, &err), &err);
  CHECK_EQ_INT(dec.len, n);
  CHECK(n == 0 || (dec.len == n && memcmp(dec.data, src, n) == 0));
  if (n > 0 && comp.len > 0) {
    /* Claiming one byte more than the data holds must be corrupt, not a short read. */
    int rc = codec_decompress(c, id, comp.data, comp.len, out, n + 1, &err);
    if (rc != ICE_ECORRUPT) {
      fprintf(stderr, "  %s: n+1 gave %d\n", codec_name(id), rc);
    }
    CHECK_EQ_INT(rc, ICE_ECORRUPT);
    /* And one byte less too. */
    rc = codec_decompress(c, id, comp.data, comp.len, out, n - 1, &err);
    if (rc != ICE_ECORRUPT) {
      fprintf(stderr, "  %s: n-1 gave %d\n", codec_name(id), rc);
    }
    CHECK_EQ_INT(rc, ICE_ECORRUPT);
  }
  ice_free(out);
  ice_buf_reset(&comp);
  ice_buf_reset(&dec);
}

static void test_round_trips(void) {
  static const size_t sizes[] = {1, 7, 100, 4096, 100000, 1 << 20};
  struct codec_ctx c;
  codec_ctx_init(&c);
  uint8_t *buf = ice_malloc((size_t)1 << 20);
  for (size_t k = 0; k < N_CODECS; k++) {
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
      for (int kind = 0; kind < 2; kind++) {
        fill(buf, sizes[s], kind);
        round_trip(&c, all_codecs[k], buf, sizes[s]);
      }
    }
  }
  ice_free(buf);
  codec_ctx_reset(&c);
  codec_ctx_reset(&c); /* idempotent */
}

static void test_empty_payload(void) {
  struct codec_ctx c;
  struct ice_error err;
  codec_ctx_init(&c);
  uint8_t dst[4];
  for (size_t k = 0; k < N_CODECS; k++) {
    /* A 0-byte stored section with 0 expected bytes is fine without a stream... */
    CHECK_OK(codec_decompress(&c, all_codecs[k], NULL, 0, dst, 0, &err), &err);
    /* ...but 0 stored bytes cannot produce 4. */
    CHECK_EQ_INT(codec_decompress(&c, all_codecs[k], NULL, 0, dst, 4, &err), ICE_ECORRUPT);
    /* A compressed empty input still round-trips, also into a NULL destination. */
    round_trip(&c, all_codecs[k], (const uint8_t *)"", 0);
    struct ice_buf comp;
    ice_buf_init(&comp, 1024);
    CHECK_OK(codec_compress(&c, all_codecs[k], 0, (const uint8_t *)"", 0, &comp, &err), &err);
    if (comp.len > 0) {
      CHECK_OK(codec_decompress(&c, all_codecs[k], comp.data, comp.len, NULL, 0, &err), &err);
    }
    /* ...and compressing from a NULL source of 0 bytes works too. */
    ice_buf_clear(&comp);
    CHECK_OK(codec_compress(&c, all_codecs[k], 0, NULL, 0, &comp, &err), &err);
    ice_buf_reset(&comp);
  }
  codec_ctx_reset(&c);
}

/* Truncating or flipping bytes of a valid stream must fail cleanly (or, for codecs
 * without checksums, at worst decode to other bytes of the right size). */
static void test_damaged_input(void) {
  struct codec_ctx c;
  struct ice_error err;
  codec_ctx_init(&c);
  enum { N = 20000 };
  uint8_t *src = ice_malloc(N), *out = ice_malloc(N);
  fill(src, N, 0);
  for (size_t k = 1; k < N_CODECS; k++) {
    enum codec_id id = all_codecs[k];
    struct ice_buf comp;
    ice_buf_init(&comp, (size_t)1 << 24);
    CHECK_OK(codec_compress(&c, id, CODEC_LEVEL_DEFAULT, src, N, &comp, &err), &err);
    for (size_t cut = 0; cut < comp.len; cut += 1 + comp.len / 64) {
      int rc = codec_decompress(&c, id, comp.data, cut, out, N, &err);
      if (rc == ICE_OK) fprintf(stderr, "  %s: prefix %zu decoded\n", codec_name(id), cut);
      CHECK(rc == ICE_ECORRUPT);
      struct ice_buf dec;
      ice_buf_init(&dec, (size_t)1 << 24);
      rc = codec_decompress_buf(&c, id, comp.data, cut, &dec, &err);
      /* Unknown-size decoding of a prefix may legitimately produce fewer bytes for the
       * unframed codecs; it must never produce the full output or crash. */
      CHECK(rc != ICE_OK || dec.len < N);
      ice_buf_reset(&dec);
    }
    for (size_t pos = 0; pos < comp.len; pos += 1 + comp.len / 32) {
      comp.data[pos] ^= 0x5a;
      int rc = codec_decompress(&c, id, comp.data, comp.len, out, N, &err);
      CHECK(rc == ICE_OK || rc == ICE_ECORRUPT);
      comp.data[pos] ^= 0x5a;
    }
    ice_buf_reset(&comp);
  }
  ice_free(src);
  ice_free(out);
  codec_ctx_reset(&c);
}

static void test_unknown_size_cap(void) {
  struct codec_ctx c;
  struct ice_error err;
  codec_ctx_init(&c);
  enum { N = 300000 };
  uint8_t *src = ice_malloc(N);
  memset(src, 'x', N);
  for (size_t k = 1; k < N_CODECS; k++) {
    struct ice_buf comp, dec;
    ice_buf_init(&comp, (size_t)1 << 24);
    ice_buf_init(&dec, 1000); /* far below the 300000 bytes the data expands to */
    CHECK_OK(codec_compress(&c, all_codecs[k], CODEC_LEVEL_DEFAULT, src, N, &comp, &err), &err);
    int rc = codec_decompress_buf(&c, all_codecs[k], comp.data, comp.len, &dec, &err);
    if (rc != ICE_ELIMIT) fprintf(stderr, "  %s: cap gave %d\n", codec_name(all_codecs[k]), rc);
    CHECK_EQ_INT(rc, ICE_ELIMIT);
    CHECK_EQ_INT(dec.len, 0); /* nothing partial left behind */
    ice_buf_reset(&comp);
    ice_buf_reset(&dec);
  }
  ice_free(src);
  codec_ctx_reset(&c);
}

static void test_gzip_concatenated_members(void) {
  struct codec_ctx c;
  struct ice_error err;
  codec_ctx_init(&c);
  struct ice_buf comp, dec;
  ice_buf_init(&comp, 1 << 20);
  ice_buf_init(&dec, 1 << 20);
  CHECK_OK(codec_compress(&c, CODEC_GZIP, 1, (const uint8_t *)"hello ", 6, &comp, &err), &err);
  CHECK_OK(codec_compress(&c, CODEC_GZIP, 9, (const uint8_t *)"world", 5, &comp, &err), &err);
  CHECK(comp.data[0] == 0x1f && comp.data[1] == 0x8b);
  uint8_t out[11];
  CHECK_OK(codec_decompress(&c, CODEC_GZIP, comp.data, comp.len, out, 11, &err), &err);
  CHECK(memcmp(out, "hello world", 11) == 0);
  CHECK_OK(codec_decompress_buf(&c, CODEC_GZIP, comp.data, comp.len, &dec, &err), &err);
  CHECK(dec.len == 11 && memcmp(dec.data, "hello world", 11) == 0);
  /* zlib-wrapped data is accepted under GZIP too (some writers did that). */
  struct ice_buf z;
  ice_buf_init(&z, 1 << 20);
  CHECK_OK(codec_compress(&c, CODEC_ZLIB, 0, (const uint8_t *)"abc", 3, &z, &err), &err);
  CHECK_OK(codec_decompress(&c, CODEC_GZIP, z.data, z.len, out, 3, &err), &err);
  CHECK(memcmp(out, "abc", 3) == 0);
  ice_buf_reset(&z);
  ice_buf_reset(&comp);
  ice_buf_reset(&dec);
  codec_ctx_reset(&c);
}

static void put_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static void test_lz4_hadoop_frames_and_fallback(void) {
  struct codec_ctx c;
  struct ice_error err;
  codec_ctx_init(&c);
  const char *a = "first frame first frame first frame", *b = "second frame!";
  size_t na = strlen(a), nb = strlen(b);
  struct ice_buf ra, rb, framed;
  ice_buf_init(&ra, 4096);
  ice_buf_init(&rb, 4096);
  ice_buf_init(&framed, 4096);
  CHECK_OK(codec_compress(&c, CODEC_LZ4_RAW, 0, (const uint8_t *)a, na, &ra, &err), &err);
  CHECK_OK(codec_compress(&c, CODEC_LZ4_RAW, 0, (const uint8_t *)b, nb, &rb, &err), &err);
  uint8_t hdr[8];
  put_be32(hdr, (uint32_t)na);
  put_be32(hdr + 4, (uint32_t)ra.len);
  CHECK_OK(ice_buf_append(&framed, hdr, 8, &err), &err);
  CHECK_OK(ice_buf_append(&framed, ra.data, ra.len, &err), &err);
  put_be32(hdr, (uint32_t)nb);
  put_be32(hdr + 4, (uint32_t)rb.len);
  CHECK_OK(ice_buf_append(&framed, hdr, 8, &err), &err);
  CHECK_OK(ice_buf_append(&framed, rb.data, rb.len, &err), &err);
  char out[128];
  /* Two Hadoop frames. */
  CHECK_OK(codec_decompress(&c, CODEC_LZ4_HADOOP, framed.data, framed.len, (uint8_t *)out,
                            na + nb, &err),
           &err);
  CHECK(memcmp(out, a, na) == 0 && memcmp(out + na, b, nb) == 0);
  struct ice_buf dec;
  ice_buf_init(&dec, 4096);
  CHECK_OK(codec_decompress_buf(&c, CODEC_LZ4_HADOOP, framed.data, framed.len, &dec, &err), &err);
  CHECK_EQ_INT(dec.len, na + nb);
  /* A bare block under the Hadoop codec (old parquet-cpp) falls back to raw. */
  CHECK_OK(codec_decompress(&c, CODEC_LZ4_HADOOP, ra.data, ra.len, (uint8_t *)out, na, &err),
           &err);
  CHECK(memcmp(out, a, na) == 0);
  /* Garbage is neither. */
  const uint8_t junk[] = {0, 0, 0, 5, 0, 0, 0, 9, 1, 2, 3};
  CHECK_EQ_INT(codec_decompress(&c, CODEC_LZ4_HADOOP, junk, sizeof junk, (uint8_t *)out, 5, &err),
               ICE_ECORRUPT);
  ice_buf_reset(&ra);
  ice_buf_reset(&rb);
  ice_buf_reset(&framed);
  ice_buf_reset(&dec);
  codec_ctx_reset(&c);
}

static void test_unsupported_and_levels(void) {
  struct codec_ctx c;
  struct ice_error err;
  codec_ctx_init(&c);
  uint8_t out[4];
  struct ice_buf b;
  ice_buf_init(&b, 1024);
  CHECK_EQ_INT(codec_decompress(&c, CODEC_LZO, (const uint8_t *)"abcd", 4, out, 4, &err),
               ICE_EUNSUPPORTED);
  CHECK(strstr(err.message, "lzo") != NULL);
  CHECK_EQ_INT(codec_compress(&c, CODEC_LZO, 0, out, 4, &b, &err), ICE_EUNSUPPORTED);
  CHECK_EQ_INT(codec_decompress(&c, (enum codec_id)77, out, 4, out, 4, &err), ICE_EUNSUPPORTED);
  CHECK_EQ_INT(codec_compress(&c, CODEC_GZIP, 12, out, 4, &b, &err), ICE_EINVAL);
  CHECK_EQ_INT(codec_compress(&c, CODEC_BROTLI, 12, out, 4, &b, &err), ICE_EINVAL);
  CHECK_EQ_INT(codec_compress(&c, CODEC_ZSTD, 1000, out, 4, &b, &err), ICE_EINVAL);
  CHECK_EQ_INT(b.len, 0);
  /* Levels change the stream but not the content; zstd's negative levels work. */
  static const int levels[] = {-5, 1, 19};
  uint8_t src[5000];
  fill(src, sizeof src, 0);
  for (size_t i = 0; i < 3; i++) {
    ice_buf_clear(&b);
    b.max = 1 << 20;
    CHECK_OK(codec_compress(&c, CODEC_ZSTD, levels[i], src, sizeof src, &b, &err), &err);
    uint8_t back[5000];
    CHECK_OK(codec_decompress(&c, CODEC_ZSTD, b.data, b.len, back, sizeof back, &err), &err);
    CHECK(memcmp(back, src, sizeof src) == 0);
  }
  CHECK_EQ_STR(codec_name(CODEC_LZ4_HADOOP), "lz4_hadoop");
  ice_buf_reset(&b);
  codec_ctx_reset(&c);
}

/* Compressing appends: two results back to back in one buffer. */
static void test_compress_appends(void) {
  struct codec_ctx c;
  struct ice_error err;
  codec_ctx_init(&c);
  struct ice_buf b;
  ice_buf_init(&b, 1 << 20);
  CHECK_OK(ice_buf_append(&b, "HDR", 3, &err), &err);
  CHECK_OK(codec_compress(&c, CODEC_SNAPPY, 0, (const uint8_t *)"abcabcabc", 9, &b, &err), &err);
  CHECK(memcmp(b.data, "HDR", 3) == 0);
  uint8_t out[9];
  CHECK_OK(codec_decompress(&c, CODEC_SNAPPY, b.data + 3, b.len - 3, out, 9, &err), &err);
  CHECK(memcmp(out, "abcabcabc", 9) == 0);
  ice_buf_reset(&b);
  codec_ctx_reset(&c);
}

static void test_crc32(void) {
  CHECK(ice_crc32(0, "123456789", 9) == 0xCBF43926u);
  CHECK(ice_crc32(0, "", 0) == 0);
  uint32_t part = ice_crc32(0, "1234", 4);
  CHECK(ice_crc32(part, "56789", 5) == 0xCBF43926u);
  CHECK(ice_crc32(0, "The quick brown fox jumps over the lazy dog", 43) == 0x414FA339u);
}

int main(void) {
  ICE_RUN(test_round_trips);
  ICE_RUN(test_empty_payload);
  ICE_RUN(test_damaged_input);
  ICE_RUN(test_unknown_size_cap);
  ICE_RUN(test_gzip_concatenated_members);
  ICE_RUN(test_lz4_hadoop_frames_and_fallback);
  ICE_RUN(test_unsupported_and_levels);
  ICE_RUN(test_compress_appends);
  ICE_RUN(test_crc32);
  ICE_TEST_EXIT();
}
