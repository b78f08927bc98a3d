/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incremental zstd decoding of a streamed page body: libzstd's streaming decoder keeps
 * the frame's window itself, so each step only needs the consumer's unread bytes plus
 * about PQ_STREAM_SEG new ones. Each column's stream owns its decoder (columns advance
 * in turn, so one shared context cannot hold their states). Anything this path does
 * not finish cleanly (a decoder error, a truncated body, bytes left after the body) is
 * handed to the whole-body path, whose verdict is the codec module's.
 */
#include <string.h>
#include <zstd.h>

#include "parquet/pq_page_read.h"

void pq_page_stream_zstd_free(struct pq_page_stream *s) {
  ZSTD_freeDCtx(s->zstd); /* NULL-safe */
  s->zstd = NULL;
  ice_mem_release(s->cin.budget, s->zstd_held);
  s->zstd_held = 0;
}

/* The decoder allocates its window inside libzstd, sized by the frame (about a page):
 * what it holds now is charged with the stream's buffers, as memory already held. */
static void charge_decoder(struct pq_page_stream *s) {
  int64_t now = (int64_t)ZSTD_sizeof_DCtx(s->zstd);
  if (now > s->zstd_held) ice_mem_hold(s->cin.budget, now - s->zstd_held);
  if (now < s->zstd_held) ice_mem_release(s->cin.budget, s->zstd_held - now);
  s->zstd_held = now;
}

/* Keeps the undecoded stored bytes and reads behind them (up to the input window). */
static int refill(struct pq_page_stream *s, struct ice_error *err) {
  size_t rem = s->cin.len - s->cpos;
  if (rem > 0 && s->cpos > 0) memmove(s->cin.data, s->cin.data + s->cpos, rem);
  s->cin.len = rem;
  s->cpos = 0;
  if (rem >= PQ_STREAM_IN_WINDOW) return ICE_OK;
  size_t want = PQ_STREAM_IN_WINDOW - rem;
  if ((int64_t)want > s->src_end - s->src_next) want = (size_t)(s->src_end - s->src_next);
  ICE_TRY(ice_buf_reserve(&s->cin, want, err));
  ICE_TRY(ice_input_read_at(s->in, s->src_next, s->cin.data + s->cin.len, want, err));
  s->cin.len += want;
  s->src_next += (int64_t)want;
  return ICE_OK;
}

int pq_page_stream_zstd_step(struct pq_page_stream *s, size_t want,
                             struct ice_error *err) {
  if (s->zstd == NULL) {
    s->zstd = ZSTD_createDCtx();
    if (s->zstd == NULL) ICE_FAIL(err, ICE_ENOMEM, "zstd: out of memory");
  } else if (s->produced == 0) {
    ZSTD_DCtx_reset(s->zstd, ZSTD_reset_session_only);
  }
  /* No history to keep: only the consumer's unread bytes move to the front. */
  if (s->pos > 0) {
    size_t keep = s->out.len - s->pos;
    if (keep > 0) memmove(s->out.data, s->out.data + s->pos, keep);
    s->base += s->pos;
    s->out.len = keep;
    s->pos = 0;
  }
  uint64_t left = s->total - s->produced;
  size_t goal = want > PQ_STREAM_SEG ? want : PQ_STREAM_SEG;
  if (goal > left) goal = (size_t)left;
  ICE_TRY(ice_buf_reserve(&s->out, goal, err));
  ZSTD_outBuffer ob = {s->out.data + s->out.len, goal, 0};
  size_t hint = 1;
  while (ob.pos < ob.size) {
    if (s->cpos == s->cin.len) {
      if (s->src_next == s->src_end) break; /* body ends early */
      ICE_TRY(refill(s, err));
    }
    ZSTD_inBuffer ib = {s->cin.data, s->cin.len, s->cpos};
    size_t before_in = ib.pos, before_out = ob.pos;
    hint = ZSTD_decompressStream(s->zstd, &ob, &ib);
    s->cpos = ib.pos;
    if (ZSTD_isError(hint)) break;
    if (ib.pos == before_in && ob.pos == before_out) break; /* no progress */
  }
  charge_decoder(s);
  size_t got = ob.pos;
  bool ok = !ZSTD_isError(hint) && got == goal;
  if (ok && s->produced + got == s->total) {
    /* The body is complete: the frame must end here (checksum included) with no
     * stored bytes left over. */
    while (ok && hint != 0) {
      if (s->cpos == s->cin.len) {
        if (s->src_next == s->src_end) {
          ok = false;
          break;
        }
        ICE_TRY(refill(s, err));
      }
      uint8_t spare;
      ZSTD_outBuffer none = {&spare, 0, 0};
      ZSTD_inBuffer ib = {s->cin.data, s->cin.len, s->cpos};
      size_t before_in = ib.pos;
      hint = ZSTD_decompressStream(s->zstd, &none, &ib);
      s->cpos = ib.pos;
      if (ZSTD_isError(hint) || (hint != 0 && ib.pos == before_in)) ok = false;
    }
    if (ok && (s->cpos != s->cin.len || s->src_next != s->src_end)) ok = false;
  }
  if (!ok) {
    s->out.len += got; /* keeps base + pos meaningful for the restart */
    return pq_page_stream_whole(s, err);
  }
  s->out.len += got;
  s->produced += got;
  return ICE_OK;
}
