/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads one leaf column of one row group, row by row in batches: decodes levels and
 * values of the current page lazily and appends them to a per-batch buffer
 * (struct pq_leaf_batch) that record assembly turns into Arrow arrays. Memory is the
 * current page (a streamed segment for large PLAIN pages), the dictionary, a small
 * level window and the batch.
 */
#ifndef ICE_PARQUET_PQ_COLUMN_READER_H
#define ICE_PARQUET_PQ_COLUMN_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "parquet/pq_page_read.h"
#include "parquet/pq_encoding.h"
#include "parquet/pq_schema.h"

/* What one leaf contributed to the current batch. Values are dense (non-null only)
 * and in physical form: fixed-width bytes, bits (BOOLEAN) or int32 offsets + bytes
 * (BYTE_ARRAY). */
struct pq_leaf_batch {
  struct ice_buf def;     /* uint16 per level entry (absent when max_def == 0) */
  struct ice_buf rep;     /* uint16 per level entry (absent when max_rep == 0) */
  size_t n_levels;
  struct ice_buf values;  /* fixed-width values, bits, or BYTE_ARRAY bytes */
  struct ice_buf offsets; /* BYTE_ARRAY: int32 n_values + 1 */
  size_t n_values;
};

void pq_leaf_batch_init(struct pq_leaf_batch *b);
void pq_leaf_batch_clear(struct pq_leaf_batch *b); /* keeps memory */
void pq_leaf_batch_reset(struct pq_leaf_batch *b); /* frees; idempotent */

/* Where a level stream comes from: an RLE decoder, or an array (legacy BIT_PACKED). */
struct pq_level_source {
  int kind; /* 0 = none (every level 0), 1 = rle, 2 = array */
  struct pq_rle_decoder rle;
  struct ice_buf array;
  size_t array_pos;
  struct ice_buf section; /* a streamed page's level section, copied out of the stream */
};

struct pq_column_reader {
  const struct pq_node *leaf;
  int16_t max_def, max_rep;
  struct pq_page_reader pages;
  int64_t chunk_levels;     /* level entries consumed in this chunk */
  /* dictionary (physical values; BYTE_ARRAY: offsets + bytes) */
  bool has_dict;
  uint32_t dict_n;
  struct ice_buf dict_values;
  struct ice_buf dict_offsets;
  /* current data page */
  struct pq_page page;
  uint64_t levels_left;     /* level entries of the page not yet decoded */
  uint64_t page_values;     /* non-null values decoded from the page so far */
  struct pq_level_source def_src, rep_src;
  const uint8_t *vals;      /* value section */
  size_t vals_len;
  size_t vals_pos;          /* PLAIN byte position */
  uint64_t bit_pos;         /* PLAIN BOOLEAN bit position */
  struct pq_rle_decoder idx;        /* dictionary indices, RLE booleans */
  struct pq_delta_decoder delta;    /* DELTA_BINARY_PACKED */
  struct pq_dlba_decoder dlba;      /* DELTA_LENGTH_BYTE_ARRAY */
  struct pq_dba_decoder dba;        /* DELTA_BYTE_ARRAY (owns a buffer) */
  bool dba_live;
  /* lookahead window of decoded levels (repeated columns) */
  struct ice_buf win_def, win_rep;
  size_t win_pos, win_len;
  struct ice_buf scratch;   /* indices / boolean bytes */
};

/* Starts reading a chunk: pages from [start, end), none past `limit` (see
 * pq_page_reader_init), with the given codec. `leaf` is borrowed. */
void pq_column_reader_init(struct pq_column_reader *c, const struct pq_node *leaf,
                           struct ice_input *in, int64_t start, int64_t end,
                           int64_t limit, int32_t pq_codec, struct codec_ctx *ctx);
void pq_column_reader_reset(struct pq_column_reader *c); /* idempotent */
/* Right after init: charges every buffer of the reader to `budget`, reading ahead at
 * most `read_ahead` bytes at a time. */
void pq_column_reader_set_budget(struct pq_column_reader *c,
                                 struct ice_mem_budget *budget, size_t read_ahead);
/* Charges a batch's buffers to `budget` (before any growth). */
void pq_leaf_batch_set_budget(struct pq_leaf_batch *b, struct ice_mem_budget *budget);
/* Capacity of a batch's buffers. */
int64_t pq_leaf_batch_bytes(const struct pq_leaf_batch *b);

/* Appends exactly `rows` rows of this column to `out`. Fails with ICE_ECORRUPT when the
 * chunk ends first. */
int pq_column_reader_read_rows(struct pq_column_reader *c, int64_t rows,
                               struct pq_leaf_batch *out, struct ice_error *err)
    ICE_NODISCARD;

/* After the row group's rows were read: fails if the chunk still holds level entries
 * (its columns disagree on the row count). */
int pq_column_reader_finish(struct pq_column_reader *c, struct ice_error *err)
    ICE_NODISCARD;

/* Index of the page being read (for messages). */
static inline int64_t pq_column_reader_page_no(const struct pq_column_reader *c) {
  return c->pages.current;
}

#endif
