/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads the pages of one column chunk in order through positioned reads: a page
 * header (through a small read-ahead window that grows when a header is larger), then
 * exactly its payload, CRC-checked when the header carries one, decompressed into a
 * reused buffer. Memory is one page (plus the window), whatever the chunk size; large
 * PLAIN data pages (snappy or uncompressed, no CRC) are instead streamed a few hundred
 * KiB at a time when the caller allows it (pq_page_read_stream.c).
 */
#ifndef ICE_PARQUET_PQ_PAGE_READ_H
#define ICE_PARQUET_PQ_PAGE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/codec.h"
#include "io/io.h"
#include "util/buf.h"
#include "util/error.h"

/* One decoded page, borrowed from the reader until its next call. */
struct pq_page {
  int32_t type;       /* enum pq_page_type: DATA, DATA_V2 or DICTIONARY only */
  int32_t num_values; /* level entries (data pages) or dictionary entries */
  int32_t encoding;   /* value encoding */
  int32_t def_encoding; /* v1: RLE or BIT_PACKED */
  int32_t rep_encoding;
  bool is_v2;
  int32_t v2_num_nulls;
  int32_t v2_num_rows;
  const uint8_t *rep; /* v2 level sections (raw); NULL for v1 */
  size_t rep_len;
  const uint8_t *def;
  size_t def_len;
  const uint8_t *body; /* v1: levels + values; v2: values; dictionary: entries */
  size_t body_len;
  /* Large PLAIN data pages are not held whole: body is NULL and the body_len bytes are
   * read front to back through the reader's `stream` (pq_page_stream_*). */
  bool streamed;
};

/* A page body decompressed (snappy, zstd) or read (uncompressed) a segment at a time, so a
 * column holds a few hundred KiB of its page instead of all of it. Snappy output keeps
 * 64 KiB of history behind the segment (libsnappy and its ports never refer further
 * back); a copy reaching further makes the stream fall back to decompressing the
 * whole body at once (correct for any writer, just larger). */
struct pq_page_stream {
  struct ice_input *in;
  struct codec_ctx *codec_ctx;
  enum codec_id codec; /* CODEC_SNAPPY, CODEC_ZSTD or CODEC_NONE (stored as is) */
  struct ZSTD_DCtx_s *zstd; /* zstd streaming state, created on first use */
  int64_t zstd_held;        /* its size (the frame's window) held in cin's budget */
  bool whole;       /* fell back: `out` holds the whole body */
  int64_t src_start; /* stored bytes in the file: [src_start, src_end) */
  int64_t src_next;  /* next stored byte not yet read */
  int64_t src_end;
  struct ice_buf cin; /* stored compressed bytes; not yet decoded from cpos */
  size_t cpos;
  struct ice_buf out; /* body bytes [pos, out.len) are available */
  size_t pos;
  uint64_t base;     /* body offset of out.data[0] */
  uint64_t produced; /* body bytes made available so far (base + out.len) */
  uint64_t total;    /* body size */
};

struct pq_page_reader {
  struct ice_input *in;
  int64_t pos;  /* next page header */
  int64_t end;  /* declared end of the chunk: no page starts at or after it */
  int64_t limit; /* hard end: pages may not extend past it (the footer) */
  int32_t pq_codec;
  enum codec_id codec;
  struct codec_ctx *codec_ctx; /* borrowed: the stream's, or the decoding thread's */
  struct ice_buf window;       /* read-ahead bytes [window_off, window_off + len) */
  int64_t window_off;
  struct ice_buf inflated;     /* decompressed payload, reused page after page */
  int64_t page_no;             /* pages returned or skipped so far */
  int64_t current;             /* index of the page being read (messages) */
  bool verify_crc;
  bool allow_stream;           /* large PLAIN data pages may be returned streamed */
  size_t read_ahead;           /* bytes read at a time for headers and small pages */
  bool keep_window;            /* false: stored bytes of an inflated page are freed */
  struct pq_page_stream stream; /* body of the current page when it is streamed */
};

/* Prepares to read the pages starting in [start, end) with Parquet codec id
 * `pq_codec`. A page may run past `end` up to `limit`: old parquet-mr left the
 * dictionary page header out of total_compressed_size (nation.dict-malformed), and
 * DuckDB reads such files. An unknown codec is reported on the first page needing it. */
void pq_page_reader_init(struct pq_page_reader *r, struct ice_input *in, int64_t start,
                         int64_t end, int64_t limit, int32_t pq_codec,
                         struct codec_ctx *ctx);
/* Frees buffers; idempotent. */
void pq_page_reader_reset(struct pq_page_reader *r);
/* Points the reader, and the page it may be streaming, at another codec context: a
 * column decoded by whichever thread of a pool runs it uses that thread's context. */
static inline void pq_page_reader_set_codec_ctx(struct pq_page_reader *r,
                                                struct codec_ctx *ctx) {
  r->codec_ctx = ctx;
  r->stream.codec_ctx = ctx;
}
/* Charges the reader's buffers to `budget` and reads ahead at most `read_ahead` bytes
 * (wide schemas hold one reader per column); stored bytes are then not kept once a
 * page is inflated. */
void pq_page_reader_set_budget(struct pq_page_reader *r, struct ice_mem_budget *budget,
                               size_t read_ahead);

/* Next data or dictionary page (INDEX_PAGE and unknown page types are skipped). At the
 * end of the chunk *eof is set and `page` is untouched. Errors: ICE_ECORRUPT (bad
 * header, sizes past the chunk, CRC mismatch, decompression failure), ICE_ELIMIT,
 * ICE_EUNSUPPORTED (codec), ICE_EIO. */
int pq_page_reader_next(struct pq_page_reader *r, struct pq_page *page, bool *eof,
                        struct ice_error *err) ICE_NODISCARD;

/* Makes at least `need` bytes of the streamed body available at
 * s->out.data + s->pos, or all that is left when fewer remain (the caller checks). */
int pq_page_stream_ensure(struct pq_page_stream *s, size_t need,
                          struct ice_error *err) ICE_NODISCARD;
/* Bytes of the streamed body available without another call. */
static inline size_t pq_page_stream_avail(const struct pq_page_stream *s) {
  return s->out.len - s->pos;
}
/* Body bytes not yet consumed (available or not). */
static inline uint64_t pq_page_stream_left(const struct pq_page_stream *s) {
  return s->total - (s->base + s->pos);
}
/* Turns a streamed page into an ordinary one: the rest of the body is made available
 * at once and page->body/body_len point at it (used where a decoder needs the whole
 * section). */
int pq_page_stream_materialize(struct pq_page_reader *r, struct pq_page *page,
                               struct ice_error *err) ICE_NODISCARD;

/* Internal to pq_page_read*.c. */
#define PQ_STREAM_SEG ((size_t)256 * 1024)       /* body bytes produced per step */
#define PQ_STREAM_IN_WINDOW ((size_t)256 * 1024) /* stored bytes read at a time */
#define PQ_STREAM_HISTORY ((size_t)64 * 1024)    /* snappy output kept for copies */
int pq_page_stream_snappy_step(struct pq_page_stream *s, size_t want,
                               struct ice_error *err) ICE_NODISCARD;
int pq_page_stream_zstd_step(struct pq_page_stream *s, size_t want,
                             struct ice_error *err) ICE_NODISCARD;
void pq_page_stream_zstd_free(struct pq_page_stream *s);
int pq_page_stream_whole(struct pq_page_stream *s, struct ice_error *err) ICE_NODISCARD;
int pq_page_stream_start(struct pq_page_stream *s, struct ice_input *in,
                         struct codec_ctx *ctx, enum codec_id codec, int64_t off,
                         size_t stored,
                         size_t total, struct ice_error *err) ICE_NODISCARD;
void pq_page_stream_reset(struct pq_page_stream *s);

#endif
