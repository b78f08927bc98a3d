/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streamed page bodies: a large PLAIN data page is read (and, for snappy, decompressed
 * by pq_page_read_snappy.c) a segment of about PQ_STREAM_SEG bytes at a time instead
 * of whole, so memory per column stays small whatever the page size (DuckDB writes
 * one page per column chunk, tens of MiB). When a segment cannot be produced on its
 * own the whole body is decompressed at once, keeping the consumer's position.
 */
#include <string.h>

#include "parquet/pq_page_read.h"
#include "util/limits.h"

void pq_page_stream_reset(struct pq_page_stream *s) {
  ice_buf_reset(&s->cin);
  ice_buf_reset(&s->out);
  pq_page_stream_zstd_free(s);
}

int pq_page_stream_start(struct pq_page_stream *s, struct ice_input *in,
                         struct codec_ctx *ctx, enum codec_id codec, int64_t off,
                         size_t stored, size_t total, struct ice_error *err) {
  /* A fallen-back previous page may have left a whole body here: give it back. */
  if (s->out.cap > 4 * PQ_STREAM_SEG) ice_buf_reset(&s->out);
  /* First use: set the growth caps, keeping a budget set before (nothing held yet). */
  if (s->out.max == 0) s->out.max = (size_t)ICE_LIMIT_PAGE_BYTES + 16;
  if (s->cin.max == 0) s->cin.max = (size_t)ICE_LIMIT_PAGE_BYTES + 16;
  s->in = in;
  s->codec_ctx = ctx;
  s->codec = codec;
  s->whole = false;
  s->src_start = s->src_next = off;
  s->src_end = off + (int64_t)stored;
  s->cin.len = 0;
  s->cpos = 0;
  s->out.len = 0;
  s->pos = 0;
  s->base = 0;
  s->produced = 0;
  s->total = total;
  if (codec != CODEC_SNAPPY) return ICE_OK;
  /* The stored body starts with the length preamble of the whole body. */
  if (s->cin.cap > 4 * PQ_STREAM_IN_WINDOW) ice_buf_reset(&s->cin);
  ICE_TRY(ice_buf_reserve(&s->cin, PQ_STREAM_IN_WINDOW, err));
  size_t want = stored < PQ_STREAM_IN_WINDOW ? stored : PQ_STREAM_IN_WINDOW;
  ICE_TRY(ice_input_read_at(in, off, s->cin.data + s->cin.len, want, err));
  s->cin.len += want;
  s->src_next += (int64_t)want;
  uint64_t v = 0;
  size_t i = 0;
  for (;; i++) {
    ICE_CHECK_DATA(i < 5 && s->cpos + i < s->cin.len, err, "snappy: bad length preamble");
    uint8_t b = s->cin.data[s->cpos + i];
    v |= (uint64_t)(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) break;
  }
  ICE_CHECK_DATA(v == total, err,
                 "snappy: length preamble %llu differs from the page's %zu bytes",
                 (unsigned long long)v, total);
  s->cpos += i + 1;
  return ICE_OK;
}

/* Drops consumed body bytes from the front of `out`. */
static void compact_out(struct pq_page_stream *s) {
  if (s->pos == 0) return;
  size_t keep = s->out.len - s->pos;
  if (keep > 0) memmove(s->out.data, s->out.data + s->pos, keep);
  s->base += s->pos;
  s->out.len = keep;
  s->pos = 0;
}

int pq_page_stream_whole(struct pq_page_stream *s, struct ice_error *err) {
  uint64_t consumed = s->base + s->pos;
  size_t stored = (size_t)(s->src_end - s->src_start);
  s->cin.len = 0;
  s->out.len = 0;
  s->pos = 0;
  ICE_TRY(ice_buf_reserve(&s->cin, stored, err));
  ICE_TRY(ice_input_read_at(s->in, s->src_start, s->cin.data, stored, err));
  ICE_TRY(ice_buf_reserve(&s->out, (size_t)s->total, err));
  ICE_TRY(codec_decompress(s->codec_ctx, s->codec, s->cin.data, stored, s->out.data,
                           (size_t)s->total, err));
  ice_buf_reset(&s->cin);
  s->cpos = 0;
  s->src_next = s->src_end;
  s->out.len = (size_t)s->total;
  s->base = 0;
  s->pos = (size_t)consumed;
  s->produced = s->total;
  s->whole = true;
  return ICE_OK;
}

static int next_raw_segment(struct pq_page_stream *s, size_t want, struct ice_error *err) {
  compact_out(s);
  size_t n = want > PQ_STREAM_SEG ? want : PQ_STREAM_SEG;
  if ((int64_t)n > s->src_end - s->src_next) n = (size_t)(s->src_end - s->src_next);
  ICE_TRY(ice_buf_reserve(&s->out, n, err));
  ICE_TRY(ice_input_read_at(s->in, s->src_next, s->out.data + s->out.len, n, err));
  s->out.len += n;
  s->src_next += (int64_t)n;
  s->produced += n;
  return ICE_OK;
}

int pq_page_stream_ensure(struct pq_page_stream *s, size_t need, struct ice_error *err) {
  while (s->out.len - s->pos < need && s->produced < s->total) {
    size_t want = need - (s->out.len - s->pos);
    if (s->codec == CODEC_SNAPPY) {
      ICE_TRY(pq_page_stream_snappy_step(s, want, err));
    } else if (s->codec == CODEC_ZSTD) {
      ICE_TRY(pq_page_stream_zstd_step(s, want, err));
    } else {
      ICE_TRY(next_raw_segment(s, want, err));
    }
  }
  return ICE_OK;
}

int pq_page_stream_materialize(struct pq_page_reader *r, struct pq_page *page,
                               struct ice_error *err) {
  struct pq_page_stream *s = &r->stream;
  uint64_t left = pq_page_stream_left(s);
  ICE_TRY(pq_page_stream_ensure(s, (size_t)left, err));
  page->body = s->out.data + s->pos;
  page->body_len = (size_t)left;
  page->streamed = false;
  return ICE_OK;
}
