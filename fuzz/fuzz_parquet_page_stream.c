/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Differential check of streamed page bodies (pq_page_read_snappy.c, _zstd.c) against
 * the codec module decoding the whole body: the first input byte picks the codec (top
 * bit: zstd) and seeds the sizes of the steps the consumer reads, the rest is the
 * stored body. Both must agree on success and, when they succeed, on every byte;
 * anything else aborts.
 */
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "codec/codec.h"
#include "fuzz.h"
#include "io/io.h"
#include "parquet/pq_page_read.h"
#include "util/alloc.h"

/* Bodies the fuzzer may declare, so a tiny input cannot ask for gigabytes. */
#define FUZZ_MAX_BODY ((size_t)4 << 20)

static int stream_body(enum codec_id codec, const uint8_t *stored, size_t len,
                       size_t total, uint32_t seed, uint8_t *got) {
  struct ice_error err;
  struct ice_input *in = NULL;
  if (io_memory_open_read(stored, len, "body", &in, &err) != ICE_OK) abort();
  struct codec_ctx ctx;
  codec_ctx_init(&ctx);
  struct pq_page_stream s;
  memset(&s, 0, sizeof s);
  int rc = pq_page_stream_start(&s, in, &ctx, codec, 0, len, total, &err);
  size_t at = 0;
  while (rc == ICE_OK && at < total) {
    seed = seed * 1103515245u + 12345u;
    size_t step = (seed >> 8) % 4 == 0 ? 1 + (seed >> 12) % 400000 : 1 + (seed >> 12) % 300;
    if (step > total - at) step = total - at;
    rc = pq_page_stream_ensure(&s, step, &err);
    if (rc != ICE_OK) break;
    if (pq_page_stream_avail(&s) < step) abort(); /* ensure must deliver what is left */
    memcpy(got + at, s.out.data + s.pos, step);
    s.pos += step;
    at += step;
  }
  pq_page_stream_reset(&s);
  codec_ctx_reset(&ctx);
  ice_input_close(in);
  return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  uint32_t seed = data[0] & 0x7f;
  enum codec_id codec = data[0] & 0x80 ? CODEC_ZSTD : CODEC_SNAPPY;
  const uint8_t *stored = data + 1;
  size_t len = size - 1;
  uint64_t total = 0;
  if (codec == CODEC_ZSTD) {
    unsigned long long fcs = ZSTD_getFrameContentSize(stored, len);
    if (fcs == ZSTD_CONTENTSIZE_UNKNOWN || fcs == ZSTD_CONTENTSIZE_ERROR) return 0;
    total = fcs;
  } else {
    size_t i = 0;
    for (; i < 5 && i < len; i++) {
      total |= (uint64_t)(stored[i] & 0x7f) << (7 * i);
      if (!(stored[i] & 0x80)) break;
    }
    if (i == 5 || i == len) return 0;
  }
  if (total == 0 || total > FUZZ_MAX_BODY) return 0;
  uint8_t *want = ice_malloc((size_t)total);
  uint8_t *got = ice_malloc((size_t)total);
  if (want == NULL || got == NULL) abort();
  struct ice_error err;
  struct codec_ctx ctx;
  codec_ctx_init(&ctx);
  int whole = codec_decompress(&ctx, codec, stored, len, want, (size_t)total, &err);
  codec_ctx_reset(&ctx);
  int streamed = stream_body(codec, stored, len, (size_t)total, seed, got);
  if ((whole == ICE_OK) != (streamed == ICE_OK)) abort();
  if (whole == ICE_OK && memcmp(want, got, (size_t)total) != 0) abort();
  ice_free(want);
  ice_free(got);
  return 0;
}
