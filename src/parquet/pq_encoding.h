/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parquet value and level encodings as pure functions over byte buffers: the
 * RLE/bit-packing hybrid (levels, dictionary indices, RLE booleans), PLAIN,
 * dictionary index streams and gathers, DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT, both directions.
 * Nothing here knows about pages, files or Arrow: callers hand in the byte range of
 * one page section and the number of values it holds.
 *
 * Conventions shared by every decoder:
 * - Input bytes are untrusted. Decoders never read outside [data, data+len) and fail
 *   with ICE_ECORRUPT (truncated or malformed stream) or ICE_ELIMIT (a cap hit).
 * - `next` functions decode EXACTLY n values into caller memory or fail; asking for
 *   more values than the stream declares/holds is ICE_ECORRUPT. Decoders are
 *   resumable, so a page can be consumed in several batches.
 * - Byte-array output is Arrow-style: `offsets` has room for n+1 int32 entries;
 *   offsets[0] is set to values->len on entry and offsets[i+1] to the end of value i;
 *   bytes are appended to `values` (its `max` bounds growth). When the data would
 *   pass INT32_MAX bytes the call fails with ICE_ELIMIT ("use a smaller batch").
 *   Callers that append a second batch pass `offsets + already_decoded`. On failure
 *   values->len is unchanged (bytes past it may have been written). A decoder that
 *   failed is not resumable: start the page again or give up.
 * Encoders append to a struct ice_buf; after a failure the bytes appended so far
 * are unspecified (truncate the buffer back or discard it).
 */
#ifndef ICE_PARQUET_PQ_ENCODING_H
#define ICE_PARQUET_PQ_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

/* Bits needed to store max_value (0 for 0): the level/index bit width rule. */
uint32_t pq_bit_width(uint64_t max_value);

/* A borrowed byte string (encoder input for BYTE_ARRAY / FLBA values). Writers build
 * an array of these over non-null values without copying the bytes. (Named apart
 * from pq_meta.h's struct pq_bytes so both headers can be included together.) */
struct pq_enc_bytes {
  const uint8_t *ptr;
  uint32_t len;
};

/* ======================================================================= */
/* RLE / bit-packing hybrid (spec 7.2)                                      */
/* ======================================================================= */

/* Streaming decoder over one hybrid stream. Caller-allocated; holds no heap memory
 * (no reset needed). Fields are private. */
struct pq_rle_decoder {
  const uint8_t *p;       /* next run header (or current bit-packed payload) */
  const uint8_t *end;     /* end of the stream */
  uint64_t remaining;     /* values the caller may still read */
  uint64_t limit;         /* values must be < limit (dictionary size); UINT64_MAX = off */
  uint32_t bit_width;     /* 0..32 */
  uint32_t value_bytes;   /* ceil(bit_width / 8): RLE run value size */
  /* current run */
  uint64_t run_left;      /* values left in the current run (0 = read a header) */
  int run_is_rle;
  uint32_t rle_value;
  const uint8_t *bp_data; /* bit-packed run payload start */
  uint64_t bp_index;      /* next value index within the bit-packed run */
};

/* Raw stream (v2 levels): `len` bytes hold runs for num_values values. An RLE run
 * longer than the values left is ICE_ECORRUPT; a bit-packed run may extend past them
 * (DuckDB pads level runs), so callers can pass the exact count. */
int pq_rle_decoder_init(struct pq_rle_decoder *d, const uint8_t *data, size_t len,
                        uint32_t bit_width, uint64_t num_values,
                        struct ice_error *err) ICE_NODISCARD;
/* 4-byte LE length prefix + runs (v1 levels, RLE booleans). *consumed receives
 * 4 + prefix length: where the next page section begins. */
int pq_rle_decoder_init_prefixed(struct pq_rle_decoder *d, const uint8_t *data,
                                 size_t len, uint32_t bit_width, uint64_t num_values,
                                 size_t *consumed, struct ice_error *err) ICE_NODISCARD;
/* Dictionary-index stream of a data page: 1 byte bit width (0..32, larger is
 * ICE_ECORRUPT) + runs to the end of `len`. Every decoded index is checked to be
 * < dict_size (ICE_ECORRUPT otherwise). */
int pq_rle_decoder_init_dict(struct pq_rle_decoder *d, const uint8_t *data, size_t len,
                             uint64_t num_values, uint32_t dict_size,
                             struct ice_error *err) ICE_NODISCARD;

/* Decodes exactly n values. */
int pq_rle_decoder_next_batch(struct pq_rle_decoder *d, uint32_t *out, size_t n,
                              struct ice_error *err) ICE_NODISCARD;
/* Same for levels (bit_width <= 16, else ICE_EINVAL). */
int pq_rle_decoder_next_batch_u16(struct pq_rle_decoder *d, uint16_t *out, size_t n,
                                  struct ice_error *err) ICE_NODISCARD;
/* Same for booleans / small values (bit_width <= 8, else ICE_EINVAL); RLE BOOLEAN
 * values come out as 0/1 bytes. */
int pq_rle_decoder_next_batch_u8(struct pq_rle_decoder *d, uint8_t *out, size_t n,
                                 struct ice_error *err) ICE_NODISCARD;

/* One run as seen by the fast path. */
struct pq_rle_run {
  uint32_t count;  /* values in this piece (1..max) */
  int is_rle;      /* 1: all `count` values equal `value`; 0: they are in scratch */
  uint32_t value;
};
/* Consumes the next piece of at most `max` values (max >= 1) of the current run, so a
 * caller can fill validity/nulls in bulk: for an RLE run nothing is written; for a
 * bit-packed run the values go to scratch[0..count). scratch needs `max` entries.
 * Fails with ICE_ECORRUPT when no values remain. */
int pq_rle_decoder_next_run(struct pq_rle_decoder *d, size_t max, uint32_t *scratch,
                            struct pq_rle_run *run, struct ice_error *err) ICE_NODISCARD;
/* Skips n values (still validating structure and dictionary bounds of RLE runs). */
int pq_rle_decoder_skip(struct pq_rle_decoder *d, size_t n,
                        struct ice_error *err) ICE_NODISCARD;
static inline uint64_t pq_rle_decoder_remaining(const struct pq_rle_decoder *d) {
  return d->remaining;
}

/* Deprecated BIT_PACKED (4) levels: ceil(n*bw/8) bytes, MSB-first, no header.
 * *consumed receives the byte count. */
int pq_bitpacked_legacy_decode(const uint8_t *data, size_t len, uint32_t bit_width,
                               size_t n, uint16_t *out, size_t *consumed,
                               struct ice_error *err) ICE_NODISCARD;

/* Encoder: RLE runs for repeats of >= 8, bit-packed groups otherwise; a final
 * bit-packed group is zero-padded. Bit width 0 still emits a run header. */
enum pq_rle_form {
  PQ_RLE_RAW = 0,             /* v2 levels; dictionary indices (caller writes width byte) */
  PQ_RLE_LENGTH_PREFIXED = 1  /* 4-byte LE byte count first: v1 levels, RLE booleans */
};
/* Values must fit bit_width (0..32); a value that does not is ICE_EINVAL. */
int pq_rle_encode(const uint32_t *values, size_t n, uint32_t bit_width,
                  enum pq_rle_form form, struct ice_buf *out,
                  struct ice_error *err) ICE_NODISCARD;
int pq_rle_encode_u16(const uint16_t *values, size_t n, uint32_t bit_width,
                      enum pq_rle_form form, struct ice_buf *out,
                      struct ice_error *err) ICE_NODISCARD;
int pq_rle_encode_u8(const uint8_t *values, size_t n, uint32_t bit_width,
                     enum pq_rle_form form, struct ice_buf *out,
                     struct ice_error *err) ICE_NODISCARD;
/* Dictionary-index data page body: 1 byte width = pq_bit_width(dict_size - 1), then
 * raw runs. */
int pq_dict_indices_encode(const uint32_t *indices, size_t n, uint32_t dict_size,
                           struct ice_buf *out, struct ice_error *err) ICE_NODISCARD;

/* ======================================================================= */
/* PLAIN (spec 7.3)                                                         */
/* ======================================================================= */

/* Fixed width values (INT32 4, INT64 8, INT96 12, FLOAT 4, DOUBLE 8, FLBA n):
 * copies n*width bytes from data+*pos to out and advances *pos. */
int pq_plain_decode_fixed(const uint8_t *data, size_t len, size_t *pos, size_t width,
                          size_t n, void *out, struct ice_error *err) ICE_NODISCARD;
/* BOOLEAN: bits LSB-first; *bit_pos is the stream position in bits. Output is one
 * 0/1 byte per value. */
int pq_plain_decode_bool(const uint8_t *data, size_t len, uint64_t *bit_pos, size_t n,
                         uint8_t *out, struct ice_error *err) ICE_NODISCARD;
/* BOOLEAN into an Arrow-style bitmap at bit offset out_bit (bits outside the range
 * are preserved; out_bits must hold out_bit + n bits). */
int pq_plain_decode_bool_bits(const uint8_t *data, size_t len, uint64_t *bit_pos,
                              size_t n, uint8_t *out_bits, uint64_t out_bit,
                              struct ice_error *err) ICE_NODISCARD;
/* BYTE_ARRAY: u32 LE length + bytes per value, see the output convention above. */
int pq_plain_decode_byte_array(const uint8_t *data, size_t len, size_t *pos, size_t n,
                               int32_t *offsets, struct ice_buf *values,
                               struct ice_error *err) ICE_NODISCARD;

int pq_plain_encode_fixed(const void *values, size_t width, size_t n,
                          struct ice_buf *out, struct ice_error *err) ICE_NODISCARD;
/* values: one 0/1 byte per value (nonzero = true). */
int pq_plain_encode_bool(const uint8_t *values, size_t n, struct ice_buf *out,
                         struct ice_error *err) ICE_NODISCARD;
/* values: Arrow bitmap starting at bit `bit_offset`. */
int pq_plain_encode_bool_bits(const uint8_t *bits, uint64_t bit_offset, size_t n,
                              struct ice_buf *out, struct ice_error *err) ICE_NODISCARD;
int pq_plain_encode_byte_array(const struct pq_enc_bytes *values, size_t n,
                               struct ice_buf *out, struct ice_error *err) ICE_NODISCARD;

/* ======================================================================= */
/* Dictionary gathers (spec 7.4): dictionary page = PLAIN (decode with the above),  */
/* indices = pq_rle_decoder_init_dict. Indices are re-checked against dict_n.   */
/* ======================================================================= */

/* dict holds dict_n values of `width` bytes; out receives n*width bytes. */
int pq_dict_gather_fixed(const uint8_t *dict, size_t width, uint32_t dict_n,
                         const uint32_t *indices, size_t n, void *out,
                         struct ice_error *err) ICE_NODISCARD;
/* dict_offsets has dict_n+1 non-decreasing entries and dict_data holds
 * dict_offsets[dict_n] bytes (as produced by pq_plain_decode_byte_array). */
int pq_dict_gather_byte_array(const int32_t *dict_offsets, const uint8_t *dict_data,
                              uint32_t dict_n, const uint32_t *indices, size_t n,
                              int32_t *offsets, struct ice_buf *values,
                              struct ice_error *err) ICE_NODISCARD;

/* Fused index decode + gather: n values straight from a dictionary-index stream
 * (pq_rle_decoder_init_dict) into the output, filling RLE runs without an index
 * buffer. Faster than next_batch + gather when runs are common. */
int pq_dict_decode_fixed(struct pq_rle_decoder *d, const uint8_t *dict, size_t width,
                         uint32_t dict_n, size_t n, void *out,
                         struct ice_error *err) ICE_NODISCARD;
int pq_dict_decode_byte_array(struct pq_rle_decoder *d, const int32_t *dict_offsets,
                              const uint8_t *dict_data, uint32_t dict_n, size_t n,
                              int32_t *offsets, struct ice_buf *values,
                              struct ice_error *err) ICE_NODISCARD;

/* ======================================================================= */
/* DELTA_BINARY_PACKED (spec 7.5)                                            */
/* ======================================================================= */

/* Streaming decoder; caller-allocated, no heap memory. Fields are private. */
struct pq_delta_decoder {
  const uint8_t *start;      /* beginning of the stream (for consumed bytes) */
  const uint8_t *p;          /* next unread byte (after the current miniblock) */
  const uint8_t *end;
  uint64_t total;            /* values declared in the header */
  uint64_t produced;         /* values handed out or skipped so far */
  uint64_t deltas_unread;    /* deltas not yet assigned to a started miniblock */
  uint64_t last;             /* last value (wrapping arithmetic) */
  uint64_t first;            /* first value from the header */
  uint64_t min_delta;        /* of the current block */
  uint32_t block_size;
  uint32_t miniblocks;       /* per block */
  uint32_t per_mini;         /* values per miniblock */
  uint32_t max_width;        /* 32 for INT32, 64 for INT64 */
  const uint8_t *widths;     /* bit widths of the current block (in the input) */
  uint32_t mini_index;       /* miniblocks of the current block started so far */
  uint32_t mini_width;       /* bit width of the current miniblock */
  uint32_t mini_pos;         /* next value index in the current miniblock */
  uint32_t mini_count;       /* values of the current miniblock that carry deltas */
  const uint8_t *mini_data;  /* current miniblock payload */
};

/* Parses the header. value_bits: 32 (INT32; header values read as 64 bits then
 * truncated, as DuckDB writes UINT_32 first values) or 64. */
int pq_delta_decoder_init(struct pq_delta_decoder *d, const uint8_t *data, size_t len,
                          uint32_t value_bits, struct ice_error *err) ICE_NODISCARD;
/* Values declared in the header. */
static inline uint64_t pq_delta_decoder_total(const struct pq_delta_decoder *d) {
  return d->total;
}
int pq_delta_decoder_next_i32(struct pq_delta_decoder *d, int32_t *out, size_t n,
                              struct ice_error *err) ICE_NODISCARD;
int pq_delta_decoder_next_i64(struct pq_delta_decoder *d, int64_t *out, size_t n,
                              struct ice_error *err) ICE_NODISCARD;
/* Walks the rest of the stream without producing values and reports its total
 * size in bytes (where DELTA_LENGTH_BYTE_ARRAY bytes begin). Leaves the decoder
 * exhausted. */
int pq_delta_decoder_finish(struct pq_delta_decoder *d, size_t *consumed,
                            struct ice_error *err) ICE_NODISCARD;

/* Block size 128, 4 miniblocks of 32 (parquet-java's layout). */
int pq_delta_encode_i32(const int32_t *values, size_t n, struct ice_buf *out,
                        struct ice_error *err) ICE_NODISCARD;
int pq_delta_encode_i64(const int64_t *values, size_t n, struct ice_buf *out,
                        struct ice_error *err) ICE_NODISCARD;

/* ======================================================================= */
/* DELTA_LENGTH_BYTE_ARRAY (spec 7.6)                                        */
/* ======================================================================= */

struct pq_dlba_decoder {
  struct pq_delta_decoder lengths;
  const uint8_t *bytes;      /* next value bytes */
  const uint8_t *bytes_end;  /* end of the section */
};
/* Parses the lengths header and locates the bytes. *consumed is not needed: the
 * section extends to `len` (the page's value section). */
int pq_dlba_decoder_init(struct pq_dlba_decoder *d, const uint8_t *data, size_t len,
                         struct ice_error *err) ICE_NODISCARD;
static inline uint64_t pq_dlba_decoder_total(const struct pq_dlba_decoder *d) {
  return d->lengths.total;
}
int pq_dlba_decoder_next(struct pq_dlba_decoder *d, size_t n, int32_t *offsets,
                         struct ice_buf *values, struct ice_error *err) ICE_NODISCARD;
int pq_dlba_encode(const struct pq_enc_bytes *values, size_t n, struct ice_buf *out,
                   struct ice_error *err) ICE_NODISCARD;

/* ======================================================================= */
/* DELTA_BYTE_ARRAY (spec 7.7)                                               */
/* ======================================================================= */

/* Holds a copy of the previous value: call _reset when done (idempotent, also after
 * a failed init). State never crosses pages: init one per page. */
struct pq_dba_decoder {
  struct pq_delta_decoder prefixes;
  struct pq_dlba_decoder suffixes;
  struct ice_buf prev;       /* previous value */
};
int pq_dba_decoder_init(struct pq_dba_decoder *d, const uint8_t *data, size_t len,
                        struct ice_error *err) ICE_NODISCARD;
void pq_dba_decoder_reset(struct pq_dba_decoder *d);
static inline uint64_t pq_dba_decoder_total(const struct pq_dba_decoder *d) {
  return d->prefixes.total;
}
/* BYTE_ARRAY output. A prefix longer than the previous value is ICE_ECORRUPT. */
int pq_dba_decoder_next(struct pq_dba_decoder *d, size_t n, int32_t *offsets,
                        struct ice_buf *values, struct ice_error *err) ICE_NODISCARD;
/* FLBA output: every value must be exactly `width` bytes; out gets n*width bytes. */
int pq_dba_decoder_next_fixed(struct pq_dba_decoder *d, size_t n, size_t width,
                              uint8_t *out, struct ice_error *err) ICE_NODISCARD;
int pq_dba_encode(const struct pq_enc_bytes *values, size_t n, struct ice_buf *out,
                  struct ice_error *err) ICE_NODISCARD;
/* FLBA input: n values of `width` bytes back to back. */
int pq_dba_encode_fixed(const uint8_t *values, size_t width, size_t n,
                        struct ice_buf *out, struct ice_error *err) ICE_NODISCARD;

/* ======================================================================= */
/* BYTE_STREAM_SPLIT (spec 7.8)                                              */
/* ======================================================================= */

/* The section holds total_n values of `width` bytes (len must equal width*total_n,
 * else ICE_ECORRUPT). Decodes values [first, first+n) into out (n*width bytes). */
int pq_bss_decode(const uint8_t *data, size_t len, size_t width, size_t total_n,
                  size_t first, size_t n, void *out, struct ice_error *err) ICE_NODISCARD;
int pq_bss_encode(const void *values, size_t width, size_t n, struct ice_buf *out,
                  struct ice_error *err) ICE_NODISCARD;

#endif
