/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Page-by-page reading of a column chunk (reference/parquet.md 3.6, 8.1-8.5). v2 pages
 * keep their level sections outside the compressed part and may be stored
 * uncompressed (is_compressed=false) or with an empty value section that must not be
 * handed to a decompressor; codec 5 is Hadoop-framed LZ4 with raw-block fallback
 * (done by the codec module).
 */
#include "parquet/pq_page_read.h"

#include <string.h>
#include <zlib.h>

#include "parquet/pq_meta.h"
#include "util/limits.h"

/* Enough for almost every header and several small pages in one read. */
#define PAGE_READ_AHEAD (64 * 1024)
#define PAGE_HEADER_FIRST_TRY 1024
/* Data pages at least this large are streamed when the reader allows it. */
#define STREAM_MIN_BYTES ((size_t)1 << 20)

void pq_page_reader_init(struct pq_page_reader *r, struct ice_input *in, int64_t start,
                         int64_t end, int64_t limit, int32_t pq_codec,
                         struct codec_ctx *ctx) {
  memset(r, 0, sizeof *r);
  r->in = in;
  r->pos = start;
  r->end = end;
  r->limit = limit < end ? end : limit;
  r->pq_codec = pq_codec;
  r->codec_ctx = ctx;
  r->verify_crc = true;
  r->window_off = -1;
  ice_buf_init(&r->window, (size_t)ICE_LIMIT_PAGE_BYTES + ICE_LIMIT_PAGE_HEADER_BYTES);
  ice_buf_init(&r->inflated, ICE_LIMIT_PAGE_BYTES);
  r->read_ahead = PAGE_READ_AHEAD;
  r->keep_window = true;
}

void pq_page_reader_set_budget(struct pq_page_reader *r, struct ice_mem_budget *budget,
                               size_t read_ahead) {
  ice_buf_set_budget(&r->window, budget);
  ice_buf_set_budget(&r->inflated, budget);
  ice_buf_set_budget(&r->stream.cin, budget);
  ice_buf_set_budget(&r->stream.out, budget);
  if (budget == NULL) return;
  r->read_ahead = read_ahead < PAGE_READ_AHEAD ? read_ahead : PAGE_READ_AHEAD;
  if (r->read_ahead < PAGE_HEADER_FIRST_TRY) r->read_ahead = PAGE_HEADER_FIRST_TRY;
  r->keep_window = false;
}

void pq_page_reader_reset(struct pq_page_reader *r) {
  ice_buf_reset(&r->window);
  ice_buf_reset(&r->inflated);
  pq_page_stream_reset(&r->stream);
}

/* Points *out at bytes [pos, pos + n) of the chunk, reading ahead when they are not in
 * the window. The caller guarantees pos + n <= end. */
static int fetch(struct pq_page_reader *r, int64_t pos, size_t n, const uint8_t **out,
                 struct ice_error *err) {
  if (r->window_off >= 0 && pos >= r->window_off &&
      (uint64_t)(pos - r->window_off) + n <= r->window.len) {
    *out = r->window.data + (pos - r->window_off);
    return ICE_OK;
  }
  size_t want = n < r->read_ahead ? r->read_ahead : n;
  if ((int64_t)want > r->limit - pos) want = (size_t)(r->limit - pos);
  r->window.len = 0;
  r->window_off = -1;
  ICE_TRY(ice_buf_reserve(&r->window, want, err));
  ICE_TRY(ice_input_read_at(r->in, pos, r->window.data, want, err));
  r->window.len = want;
  r->window_off = pos;
  *out = r->window.data;
  return ICE_OK;
}

static int map_codec(int32_t pq_codec, enum codec_id *out, struct ice_error *err) {
  switch (pq_codec) {
    case PQ_CODEC_UNCOMPRESSED: *out = CODEC_NONE; return ICE_OK;
    case PQ_CODEC_SNAPPY: *out = CODEC_SNAPPY; return ICE_OK;
    case PQ_CODEC_GZIP: *out = CODEC_GZIP; return ICE_OK;
    case PQ_CODEC_BROTLI: *out = CODEC_BROTLI; return ICE_OK;
    case PQ_CODEC_LZ4: *out = CODEC_LZ4_HADOOP; return ICE_OK;
    case PQ_CODEC_ZSTD: *out = CODEC_ZSTD; return ICE_OK;
    case PQ_CODEC_LZ4_RAW: *out = CODEC_LZ4_RAW; return ICE_OK;
    default:
      ICE_FAIL(err, ICE_EUNSUPPORTED, "compression codec %s (%d) is not supported",
               pq_codec_name(pq_codec), (int)pq_codec);
  }
}

/* Decodes the header at r->pos, growing the window for large headers. */
static int read_header(struct pq_page_reader *r, struct pq_page_header *h,
                       size_t *hdr_len, struct ice_error *err) {
  int64_t left = r->limit - r->pos;
  size_t try_len = PAGE_HEADER_FIRST_TRY;
  for (;;) {
    if ((int64_t)try_len > left) try_len = (size_t)left;
    const uint8_t *p;
    ICE_TRY(fetch(r, r->pos, try_len, &p, err));
    /* The window usually holds more than asked for: let the decoder see it all. */
    size_t avail = (size_t)(r->window.len - (size_t)(r->pos - r->window_off));
    int rc = pq_meta_read_page_header(p, avail, h, hdr_len, err);
    if (rc == ICE_OK) return ICE_OK;
    if (rc != ICE_ECORRUPT || (int64_t)avail >= left ||
        avail >= ICE_LIMIT_PAGE_HEADER_BYTES) {
      return rc;
    }
    try_len = avail * 4;
    if (try_len > ICE_LIMIT_PAGE_HEADER_BYTES) try_len = ICE_LIMIT_PAGE_HEADER_BYTES;
  }
}

static int inflate_into(struct pq_page_reader *r, const uint8_t *src, size_t src_len,
                        size_t dst_len, const uint8_t **out, struct ice_error *err) {
  r->inflated.len = 0;
  ICE_TRY(ice_buf_reserve(&r->inflated, dst_len, err));
  ICE_TRY(codec_decompress(r->codec_ctx, r->codec, src, src_len, r->inflated.data, dst_len,
                           err));
  r->inflated.len = dst_len;
  *out = r->inflated.data;
  return ICE_OK;
}

static int decode_v1(struct pq_page_reader *r, const struct pq_page_header *h,
                     const uint8_t *payload, struct pq_page *pg, struct ice_error *err) {
  size_t csize = (size_t)h->compressed_page_size, usize = (size_t)h->uncompressed_page_size;
  if (r->codec == CODEC_NONE) {
    ICE_CHECK_DATA(csize == usize, err,
                   "uncompressed page: stored size %zu differs from declared size %zu",
                   csize, usize);
    pg->body = payload;
  } else {
    ICE_TRY(inflate_into(r, payload, csize, usize, &pg->body, err));
  }
  pg->body_len = usize;
  return ICE_OK;
}

static int decode_v2(struct pq_page_reader *r, const struct pq_page_header *h,
                     const uint8_t *payload, struct pq_page *pg, struct ice_error *err) {
  const struct pq_data_page_header_v2 *v = &h->data_page_header_v2;
  size_t csize = (size_t)h->compressed_page_size, usize = (size_t)h->uncompressed_page_size;
  size_t rl = (size_t)v->repetition_levels_byte_length;
  size_t dl = (size_t)v->definition_levels_byte_length;
  ICE_CHECK_DATA(v->repetition_levels_byte_length >= 0 &&
                     v->definition_levels_byte_length >= 0 && rl + dl <= csize &&
                     rl + dl <= usize,
                 err, "v2 page: level lengths (%zu + %zu) exceed the page", rl, dl);
  ICE_CHECK_DATA(v->num_nulls >= 0 && v->num_nulls <= v->num_values && v->num_rows >= 0,
                 err, "v2 page: bad num_nulls/num_rows");
  pg->rep = payload;
  pg->rep_len = rl;
  pg->def = payload + rl;
  pg->def_len = dl;
  pg->is_v2 = true;
  pg->v2_num_nulls = v->num_nulls;
  pg->v2_num_rows = v->num_rows;
  const uint8_t *values = payload + rl + dl;
  size_t vc = csize - rl - dl, vu = usize - rl - dl;
  if (!v->is_compressed || r->codec == CODEC_NONE) {
    ICE_CHECK_DATA(vc == vu, err,
                   "v2 page: uncompressed values hold %zu bytes but %zu are declared", vc,
                   vu);
    pg->body = values;
  } else if (vc == 0) {
    /* Spark/parquet-java wrote all-null pages with no bytes under a codec. */
    ICE_CHECK_DATA(vu == 0, err, "v2 page: empty compressed values must inflate to 0 bytes");
    pg->body = values;
  } else {
    ICE_TRY(inflate_into(r, values, vc, vu, &pg->body, err));
  }
  pg->body_len = vu;
  return ICE_OK;
}

/* Starts a streamed body for a large PLAIN data page stored as snappy, zstd or as is; sets
 * *done when it did (else the page is read whole). v2 level sections are fetched
 * whole: they are small and decoded alongside the values. */
static int try_stream(struct pq_page_reader *r, const struct pq_page_header *h,
                      int64_t payload_off, struct pq_page *pg, bool *done,
                      struct ice_error *err) {
  *done = false;
  size_t csize = (size_t)h->compressed_page_size, usize = (size_t)h->uncompressed_page_size;
  if (!r->allow_stream || usize < STREAM_MIN_BYTES || (r->verify_crc && h->has_crc) ||
      (r->codec != CODEC_SNAPPY && r->codec != CODEC_ZSTD && r->codec != CODEC_NONE)) {
    return ICE_OK;
  }
  if (h->type == PQ_PAGE_DATA) {
    if (!h->has_data_page_header || h->data_page_header.num_values < 0 ||
        h->data_page_header.encoding != PQ_ENCODING_PLAIN) {
      return ICE_OK; /* the whole-page path reports what is wrong */
    }
    if (r->codec == CODEC_NONE && csize != usize) return ICE_OK;
    pg->num_values = h->data_page_header.num_values;
    pg->encoding = h->data_page_header.encoding;
    pg->def_encoding = h->data_page_header.definition_level_encoding;
    pg->rep_encoding = h->data_page_header.repetition_level_encoding;
    ICE_TRY(pq_page_stream_start(&r->stream, r->in, r->codec_ctx, r->codec, payload_off,
                                 csize, usize, err));
  } else {
    const struct pq_data_page_header_v2 *v = &h->data_page_header_v2;
    if (!h->has_data_page_header_v2 || v->num_values < 0 ||
        v->encoding != PQ_ENCODING_PLAIN || v->repetition_levels_byte_length < 0 ||
        v->definition_levels_byte_length < 0 || v->num_nulls < 0 ||
        v->num_nulls > v->num_values || v->num_rows < 0) {
      return ICE_OK;
    }
    size_t rl = (size_t)v->repetition_levels_byte_length;
    size_t dl = (size_t)v->definition_levels_byte_length;
    if (rl + dl > csize || rl + dl > usize) return ICE_OK;
    size_t vc = csize - rl - dl, vu = usize - rl - dl;
    bool raw = !v->is_compressed || r->codec == CODEC_NONE;
    if (vc == 0 || vu < STREAM_MIN_BYTES || (raw && vc != vu)) return ICE_OK;
    const uint8_t *levels = NULL;
    if (rl + dl > 0) ICE_TRY(fetch(r, payload_off, rl + dl, &levels, err));
    pg->num_values = v->num_values;
    pg->encoding = v->encoding;
    pg->is_v2 = true;
    pg->v2_num_nulls = v->num_nulls;
    pg->v2_num_rows = v->num_rows;
    pg->rep = levels;
    pg->rep_len = rl;
    pg->def = levels ? levels + rl : NULL;
    pg->def_len = dl;
    ICE_TRY(pq_page_stream_start(&r->stream, r->in, r->codec_ctx,
                                 raw ? CODEC_NONE : r->codec,
                                 payload_off + (int64_t)(rl + dl), vc, vu, err));
    usize = vu;
  }
  /* The last whole page's buffer is not needed while pages stream. */
  if (r->inflated.cap > STREAM_MIN_BYTES) ice_buf_reset(&r->inflated);
  pg->body = NULL;
  pg->body_len = usize;
  pg->streamed = true;
  *done = true;
  return ICE_OK;
}

int pq_page_reader_next(struct pq_page_reader *r, struct pq_page *page, bool *eof,
                        struct ice_error *err) {
  for (;;) {
    if (r->pos >= r->end) {
      *eof = true;
      return ICE_OK;
    }
    struct pq_page_header h;
    size_t hdr_len = 0;
    r->current = r->page_no;
    ICE_TRY(read_header(r, &h, &hdr_len, err));
    int64_t payload_off = r->pos + (int64_t)hdr_len;
    ICE_CHECK_DATA(h.compressed_page_size >= 0 && h.uncompressed_page_size >= 0, err,
                   "negative page size");
    ICE_CHECK_DATA((int64_t)h.compressed_page_size <= r->limit - payload_off, err,
                   "payload of %d bytes runs past the column data",
                   (int)h.compressed_page_size);
    if ((uint32_t)h.uncompressed_page_size > ICE_LIMIT_PAGE_BYTES) {
      ICE_FAIL(err, ICE_ELIMIT, "page of %d bytes exceeds the page limit",
               (int)h.uncompressed_page_size);
    }
    int32_t type = h.type;
    r->pos = payload_off + h.compressed_page_size;
    r->page_no++;
    if (type != PQ_PAGE_DATA && type != PQ_PAGE_DATA_V2 && type != PQ_PAGE_DICTIONARY) {
      continue; /* INDEX_PAGE and future page types carry nothing we read */
    }
    struct pq_page pg;
    memset(&pg, 0, sizeof pg);
    pg.type = type;
    if (type != PQ_PAGE_DICTIONARY) {
      ICE_TRY(map_codec(r->pq_codec, &r->codec, err));
      bool streamed = false;
      ICE_TRY(try_stream(r, &h, payload_off, &pg, &streamed, err));
      if (streamed) {
        *page = pg;
        *eof = false;
        return ICE_OK;
      }
    }
    const uint8_t *payload;
    ICE_TRY(fetch(r, payload_off, (size_t)h.compressed_page_size, &payload, err));
    if (r->verify_crc && h.has_crc) {
      uLong crc = crc32(0L, Z_NULL, 0);
      size_t left = (size_t)h.compressed_page_size;
      const uint8_t *p = payload;
      while (left > 0) {
        uInt piece = left > (1u << 30) ? (1u << 30) : (uInt)left;
        crc = crc32(crc, p, piece);
        p += piece;
        left -= piece;
      }
      ICE_CHECK_DATA((uint32_t)crc == h.crc, err,
                     "page checksum mismatch (stored %08x, computed %08x)", h.crc,
                     (unsigned)crc);
    }
    ICE_TRY(map_codec(r->pq_codec, &r->codec, err));
    if (type == PQ_PAGE_DICTIONARY) {
      ICE_CHECK_DATA(h.has_dictionary_page_header, err,
                     "dictionary page without a dictionary page header");
      ICE_CHECK_DATA(h.dictionary_page_header.num_values >= 0, err,
                     "dictionary page: negative entry count");
      pg.num_values = h.dictionary_page_header.num_values;
      pg.encoding = h.dictionary_page_header.encoding;
      ICE_TRY(decode_v1(r, &h, payload, &pg, err));
    } else if (type == PQ_PAGE_DATA) {
      ICE_CHECK_DATA(h.has_data_page_header, err, "data page without a data page header");
      ICE_CHECK_DATA(h.data_page_header.num_values >= 0, err, "negative num_values");
      pg.num_values = h.data_page_header.num_values;
      pg.encoding = h.data_page_header.encoding;
      pg.def_encoding = h.data_page_header.definition_level_encoding;
      pg.rep_encoding = h.data_page_header.repetition_level_encoding;
      ICE_TRY(decode_v1(r, &h, payload, &pg, err));
    } else {
      ICE_CHECK_DATA(h.has_data_page_header_v2, err,
                     "v2 data page without a v2 data page header");
      ICE_CHECK_DATA(h.data_page_header_v2.num_values >= 0, err, "negative num_values");
      pg.num_values = h.data_page_header_v2.num_values;
      pg.encoding = h.data_page_header_v2.encoding;
      ICE_TRY(decode_v2(r, &h, payload, &pg, err));
    }
    /* A big compressed page no longer needs its stored bytes: give the window back
     * instead of holding both copies until the next page (DuckDB writes one page per
     * chunk, tens of MiB each). v2 levels still point into the window. */
    if (!pg.is_v2 && pg.body != payload &&
        (r->window.cap > 4 * PAGE_READ_AHEAD || !r->keep_window)) {
      ice_buf_reset(&r->window);
      r->window_off = -1;
    }
    *page = pg;
    *eof = false;
    return ICE_OK;
  }
}
