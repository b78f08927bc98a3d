/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incremental snappy decoding of a streamed page body (raw snappy: literals and copies
 * after a length preamble, reference/parquet.md 4). Each step decodes about
 * PQ_STREAM_SEG more bytes behind the consumer's unread ones and PQ_STREAM_HISTORY
 * bytes of history. libsnappy and its ports compress 64 KiB blocks independently, so
 * copies never reach further back; anything this step cannot decode on its own (a
 * farther copy, a malformed element, a truncated body) is handed to the whole-body
 * path, whose libsnappy call either decodes it or reports the corruption.
 */
#include <string.h>

#include "parquet/pq_page_read.h"

/* Literals and copies may write up to 63 bytes past their end (16-byte steps from
 * elements of up to 64 bytes). */
#define OUT_SLOP 64
/* Stored bytes the fast loop wants ahead: any tag, a short literal, 16-byte reads. */
#define FAST_IN 80

/* Keeps the undecoded stored bytes from `ip` and reads behind them until at least
 * `need` bytes (or all that is left) are held. */
static int refill(struct pq_page_stream *s, size_t ip, size_t need, struct ice_error *err) {
  size_t rem = s->cin.len - ip;
  if (rem > 0 && ip > 0) memmove(s->cin.data, s->cin.data + ip, rem);
  s->cin.len = rem;
  s->cpos = 0;
  size_t goal = need > PQ_STREAM_IN_WINDOW ? need : PQ_STREAM_IN_WINDOW;
  if (rem >= goal) return ICE_OK;
  size_t want = goal - rem;
  if ((int64_t)want > s->src_end - s->src_next) want = (size_t)(s->src_end - s->src_next);
  ICE_TRY(ice_buf_reserve(&s->cin, want, err));
  ICE_TRY(ice_input_read_at(s->in, s->src_next, s->cin.data + s->cin.len, want, err));
  s->cin.len += want;
  s->src_next += (int64_t)want;
  return ICE_OK;
}

/* Drops output that is neither unread nor needed as copy history. */
static void trim_output(struct pq_page_stream *s) {
  size_t from = s->out.len > PQ_STREAM_HISTORY ? s->out.len - PQ_STREAM_HISTORY : 0;
  if (s->pos < from) from = s->pos;
  if (from == 0) return;
  memmove(s->out.data, s->out.data + from, s->out.len - from);
  s->base += from;
  s->pos -= from;
  s->out.len -= from;
}

int pq_page_stream_snappy_step(struct pq_page_stream *s, size_t want,
                               struct ice_error *err) {
  trim_output(s);
  uint64_t left = s->total - s->produced;
  size_t goal = want > PQ_STREAM_SEG ? want : PQ_STREAM_SEG;
  if (goal > left) goal = (size_t)left;
  ICE_TRY(ice_buf_reserve(&s->out, goal + OUT_SLOP, err));
  uint8_t *ob = s->out.data;
  size_t op = s->out.len, op_goal = op + goal;
  size_t room = s->out.cap - OUT_SLOP; /* writes end before this, slop aside */
  /* body bytes that may still be written: the element loop never passes total */
  size_t op_max = (size_t)(s->total - s->base);
  const uint8_t *in = s->cin.data;
  size_t ip = s->cpos, ie = s->cin.len;
  while (op < op_goal) {
    /* Fast loop: short elements with plenty of input ahead and output room guaranteed
     * by the reservation (op < op_goal, elements <= 64 bytes, OUT_SLOP). Anything
     * else leaves it for the careful element code below. */
    while (op < op_goal && ie - ip >= FAST_IN) {
      uint32_t t = in[ip];
      size_t l, o, adv;
      if ((t & 3) == 0) {
        if (t >= (60u << 2)) break;
        l = (size_t)(t >> 2) + 1;
        if (l > op_max - op) break;
        for (size_t k = 0; k < l; k += 16) memcpy(ob + op + k, in + ip + 1 + k, 16);
        op += l;
        ip += l + 1;
        continue;
      }
      if ((t & 3) == 1) {
        l = 4 + ((t >> 2) & 7);
        o = (size_t)(t >> 5) << 8 | in[ip + 1];
        adv = 2;
      } else if ((t & 3) == 2) {
        l = (size_t)(t >> 2) + 1;
        o = (size_t)in[ip + 1] | (size_t)in[ip + 2] << 8;
        adv = 3;
      } else {
        l = (size_t)(t >> 2) + 1;
        o = (size_t)in[ip + 1] | (size_t)in[ip + 2] << 8 | (size_t)in[ip + 3] << 16 |
            (size_t)in[ip + 4] << 24;
        adv = 5;
      }
      if (o == 0 || o > op || l > op_max - op) break;
      uint8_t *d = ob + op;
      const uint8_t *from = d - o;
      if (o >= 16) {
        for (size_t k = 0; k < l; k += 16) memcpy(d + k, from + k, 16);
      } else if (o >= 8) {
        for (size_t k = 0; k < l; k += 8) memcpy(d + k, from + k, 8);
      } else {
        for (size_t k = 0; k < l; k++) d[k] = from[k];
      }
      op += l;
      ip += adv;
    }
    if (op >= op_goal) break;
    if (ie - ip < 5 && s->src_next < s->src_end) {
      ICE_TRY(refill(s, ip, 5, err));
      in = s->cin.data;
      ip = 0;
      ie = s->cin.len;
    }
    if (ip >= ie) break; /* body ends early */
    uint32_t tag = in[ip];
    size_t len;
    if ((tag & 3) == 0) {
      size_t hdr = 1;
      len = (size_t)(tag >> 2) + 1;
      if (len > 60) {
        size_t nb = len - 60;
        if (ie - ip < 1 + nb) break;
        len = 0;
        for (size_t k = 0; k < nb; k++) len |= (size_t)in[ip + 1 + k] << (8 * k);
        len += 1;
        hdr = 1 + nb;
      }
      if (len > op_max - op) break;
      if (ie - ip - hdr < len) {
        if (s->src_next == s->src_end) break;
        ICE_TRY(refill(s, ip, hdr + len, err));
        in = s->cin.data;
        ip = 0;
        ie = s->cin.len;
        continue;
      }
      if (len > room - op) {
        s->out.len = op;
        ICE_TRY(ice_buf_reserve(&s->out, len + OUT_SLOP, err));
        ob = s->out.data;
        room = s->out.cap - OUT_SLOP;
      }
      if (len <= 16 && ie - ip >= hdr + 16) {
        memcpy(ob + op, in + ip + hdr, 16); /* fixed size: no call for short literals */
      } else {
        memcpy(ob + op, in + ip + hdr, len);
      }
      op += len;
      ip += hdr + len;
      continue;
    }
    size_t off, n;
    switch (tag & 3) {
      case 1:
        n = 2;
        len = 4 + ((tag >> 2) & 7);
        off = (size_t)(tag >> 5) << 8 | (ie - ip >= 2 ? in[ip + 1] : 0);
        break;
      case 2:
        n = 3;
        len = (size_t)(tag >> 2) + 1;
        off = ie - ip >= 3 ? (size_t)in[ip + 1] | (size_t)in[ip + 2] << 8 : 0;
        break;
      default:
        n = 5;
        len = (size_t)(tag >> 2) + 1;
        off = ie - ip >= 5 ? (size_t)in[ip + 1] | (size_t)in[ip + 2] << 8 |
                                 (size_t)in[ip + 3] << 16 | (size_t)in[ip + 4] << 24
                           : 0;
        break;
    }
    /* A copy past the history held (or one of a malformed body) goes whole. */
    if (ie - ip < n || off == 0 || off > op || len > op_max - op) break;
    if (len > room - op) {
      s->out.len = op;
      ICE_TRY(ice_buf_reserve(&s->out, len + OUT_SLOP, err));
      ob = s->out.data;
      room = s->out.cap - OUT_SLOP;
    }
    uint8_t *d = ob + op;
    const uint8_t *src = d - off;
    if (off >= 16) {
      for (size_t k = 0; k < len; k += 16) memcpy(d + k, src + k, 16);
    } else if (off >= 8) {
      for (size_t k = 0; k < len; k += 8) memcpy(d + k, src + k, 8);
    } else {
      for (size_t k = 0; k < len; k++) d[k] = src[k];
    }
    op += len;
    ip += n;
  }
  if (op < op_goal) {
    /* Undo nothing: the whole-body path restarts from the stored bytes. */
    s->out.len = op;
    return pq_page_stream_whole(s, err);
  }
  s->out.len = op;
  s->cpos = ip;
  s->produced = s->base + op;
  if (s->produced == s->total) {
    ICE_CHECK_DATA(ip == ie && s->src_next == s->src_end, err,
                   "snappy: stored bytes left after the page's %llu bytes",
                   (unsigned long long)s->total);
  }
  return ICE_OK;
}
