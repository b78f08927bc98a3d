/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads the pages of one column chunk in order through positioned reads: a page
 * header (through a small read-ahead window that grows when a header is larger), then
 * exactly its payload, CRC-checked when the header carries one, decompressed into a
 * reused buffer. Memory is one page (plus the window), whatever the chunk size.
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
};

struct pq_page_reader {
  struct ice_input *in;
  int64_t pos;  /* next page header */
  int64_t end;  /* declared end of the chunk: no page starts at or after it */
  int64_t limit; /* hard end: pages may not extend past it (the footer) */
  int32_t pq_codec;
  enum codec_id codec;
  struct codec_ctx *codec_ctx; /* borrowed, shared by the stream's columns */
  struct ice_buf window;       /* read-ahead bytes [window_off, window_off + len) */
  int64_t window_off;
  struct ice_buf inflated;     /* decompressed payload, reused page after page */
  int64_t page_no;             /* pages returned or skipped so far */
  int64_t current;             /* index of the page being read (messages) */
  bool verify_crc;
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

/* Next data or dictionary page (INDEX_PAGE and unknown page types are skipped). At the
 * end of the chunk *eof is set and `page` is untouched. Errors: ICE_ECORRUPT (bad
 * header, sizes past the chunk, CRC mismatch, decompression failure), ICE_ELIMIT,
 * ICE_EUNSUPPORTED (codec), ICE_EIO. */
int pq_page_reader_next(struct pq_page_reader *r, struct pq_page *page, bool *eof,
                        struct ice_error *err) ICE_NODISCARD;

#endif
