/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One leaf column of one row group, read in row batches (reference/parquet.md 6, 8.1,
 * 8.2). Flat columns (max_rep 0) take exactly `rows` level entries. Repeated columns
 * decode levels into a small window and cut at the first repetition level 0 after the
 * last wanted row, crossing page boundaries because v1 pages may split a row.
 * A chunk whose first repetition level is not 0 is rejected (ARROW-GH-45185): it
 * cannot be assembled without inventing a row, and arrow-rs refuses it too.
 */
#include "parquet/pq_column_reader.h"

#include <string.h>

#include "parquet/pq_column_reader_internal.h"
#include "parquet/pq_meta.h"
#include "util/limits.h"

/* Value count handed to the hybrid decoders as the stream's size: DuckDB 1.5 writes
 * level runs that extend past the page's entries (a 256-value bit-packed run for 220
 * levels, generated/types_zstd_v1.parquet), so the exact count would reject files
 * every peer reads. We still ask for exactly the entries the page declares. */
#define RLE_STREAM_BOUND ((uint64_t)UINT32_MAX)

/* Level entries decoded at a time for repeated columns. */
#define LEVEL_WINDOW 4096
/* Growth cap of per-batch buffers; BYTE_ARRAY data is capped at INT32_MAX by the
 * decoders (offsets are int32). */
#define BATCH_BUF_MAX ((size_t)1 << 40)

void pq_leaf_batch_init(struct pq_leaf_batch *b) {
  memset(b, 0, sizeof *b);
  ice_buf_init(&b->def, BATCH_BUF_MAX);
  ice_buf_init(&b->rep, BATCH_BUF_MAX);
  ice_buf_init(&b->values, BATCH_BUF_MAX);
  ice_buf_init(&b->offsets, BATCH_BUF_MAX);
}

void pq_leaf_batch_clear(struct pq_leaf_batch *b) {
  b->def.len = b->rep.len = b->values.len = b->offsets.len = 0;
  b->n_levels = b->n_values = 0;
}

void pq_leaf_batch_reset(struct pq_leaf_batch *b) {
  ice_buf_reset(&b->def);
  ice_buf_reset(&b->rep);
  ice_buf_reset(&b->values);
  ice_buf_reset(&b->offsets);
  b->n_levels = b->n_values = 0;
}

void pq_column_reader_init(struct pq_column_reader *c, const struct pq_node *leaf,
                           struct ice_input *in, int64_t start, int64_t end,
                           int64_t limit, int32_t pq_codec, struct codec_ctx *ctx) {
  memset(c, 0, sizeof *c);
  c->leaf = leaf;
  c->max_def = leaf->def;
  c->max_rep = leaf->rep;
  pq_page_reader_init(&c->pages, in, start, end, limit, pq_codec, ctx);
  ice_buf_init(&c->dict_values, ICE_LIMIT_PAGE_BYTES);
  ice_buf_init(&c->dict_offsets, (size_t)ICE_LIMIT_DICT_ENTRIES * 4 + 4);
  ice_buf_init(&c->def_src.array, (size_t)ICE_LIMIT_PAGE_BYTES * 16);
  ice_buf_init(&c->rep_src.array, (size_t)ICE_LIMIT_PAGE_BYTES * 16);
  ice_buf_init(&c->def_src.section, (size_t)ICE_LIMIT_PAGE_BYTES + 4);
  ice_buf_init(&c->rep_src.section, (size_t)ICE_LIMIT_PAGE_BYTES + 4);
  /* Only PLAIN values of types decoded byte-wise know how to read a streamed page. */
  c->pages.allow_stream = leaf->conv != PQ_CONV_NONE && leaf->physical != PQ_TYPE_BOOLEAN;
  ice_buf_init(&c->win_def, LEVEL_WINDOW * 2);
  ice_buf_init(&c->win_rep, LEVEL_WINDOW * 2);
  ice_buf_init(&c->scratch, BATCH_BUF_MAX);
}

void pq_leaf_batch_set_budget(struct pq_leaf_batch *b, struct ice_mem_budget *budget) {
  ice_buf_set_budget(&b->def, budget);
  ice_buf_set_budget(&b->rep, budget);
  ice_buf_set_budget(&b->values, budget);
  ice_buf_set_budget(&b->offsets, budget);
}

int64_t pq_leaf_batch_bytes(const struct pq_leaf_batch *b) {
  return (int64_t)(b->def.cap + b->rep.cap + b->values.cap + b->offsets.cap);
}

void pq_column_reader_set_budget(struct pq_column_reader *c,
                                 struct ice_mem_budget *budget, size_t read_ahead) {
  pq_page_reader_set_budget(&c->pages, budget, read_ahead);
  struct ice_buf *all[] = {&c->dict_values,    &c->dict_offsets,    &c->def_src.array,
                           &c->rep_src.array,  &c->def_src.section, &c->rep_src.section,
                           &c->win_def,        &c->win_rep,         &c->scratch};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    ice_buf_set_budget(all[i], budget);
  }
}

void pq_column_reader_reset(struct pq_column_reader *c) {
  pq_page_reader_reset(&c->pages);
  ice_buf_reset(&c->dict_values);
  ice_buf_reset(&c->dict_offsets);
  ice_buf_reset(&c->def_src.array);
  ice_buf_reset(&c->rep_src.array);
  ice_buf_reset(&c->def_src.section);
  ice_buf_reset(&c->rep_src.section);
  ice_buf_reset(&c->win_def);
  ice_buf_reset(&c->win_rep);
  ice_buf_reset(&c->scratch);
  if (c->dba_live) pq_dba_decoder_reset(&c->dba);
  c->dba_live = false;
}

/* Sets up one level stream of a v1 page at body[*pos] (advancing *pos). */
static int start_levels_v1(struct pq_column_reader *c, struct pq_level_source *src,
                           int16_t max_level, int32_t encoding, size_t *pos,
                           const char *what, struct ice_error *err) {
  src->kind = 0;
  src->array_pos = 0;
  if (max_level == 0) return ICE_OK;
  uint32_t bw = pq_bit_width((uint64_t)max_level);
  const uint8_t *p = c->page.body + *pos;
  size_t len = c->page.body_len - *pos;
  size_t n = (size_t)c->page.num_values;
  size_t used = 0;
  if (encoding == PQ_ENCODING_RLE) {
    ICE_TRY(pq_rle_decoder_init_prefixed(&src->rle, p, len, bw, RLE_STREAM_BOUND, &used,
                                         err));
    src->kind = 1;
  } else if (encoding == PQ_ENCODING_BIT_PACKED) {
    ICE_CHECK_DATA(n <= len * 8 / bw, err, "%s levels: %zu BIT_PACKED values need more "
                   "than the %zu bytes left", what, n, len);
    src->array.len = 0;
    ICE_TRY(ice_buf_reserve(&src->array, n * 2, err));
    ICE_TRY(pq_bitpacked_legacy_decode(p, len, bw, n, (uint16_t *)(void *)src->array.data,
                                       &used, err));
    src->array.len = n * 2;
    src->kind = 2;
  } else {
    ICE_FAIL(err, ICE_EUNSUPPORTED, "%s level encoding %s (%d) is not supported", what,
             pq_encoding_name(encoding), (int)encoding);
  }
  *pos += used;
  return ICE_OK;
}

/* v1 level section of a streamed page: the RLE section (4-byte length + runs) is
 * copied out of the stream, which moves on to the values. */
static int start_levels_streamed(struct pq_column_reader *c, struct pq_level_source *src,
                                 int16_t max_level, const char *what,
                                 struct ice_error *err) {
  src->kind = 0;
  src->array_pos = 0;
  if (max_level == 0) return ICE_OK;
  struct pq_page_stream *s = &c->pages.stream;
  ICE_TRY(pq_page_stream_ensure(s, 4, err));
  ICE_CHECK_DATA(pq_page_stream_avail(s) >= 4, err, "%s levels: truncated length", what);
  const uint8_t *p = s->out.data + s->pos;
  uint32_t n = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
               (uint32_t)p[3] << 24;
  ICE_CHECK_DATA(n <= pq_page_stream_left(s) - 4, err,
                 "%s levels: section of %u bytes runs past the page", what, n);
  ICE_TRY(pq_page_stream_ensure(s, (size_t)n + 4, err));
  src->section.len = 0;
  ICE_TRY(ice_buf_append(&src->section, s->out.data + s->pos, (size_t)n + 4, err));
  size_t used = 0;
  ICE_TRY(pq_rle_decoder_init_prefixed(&src->rle, src->section.data, src->section.len,
                                       pq_bit_width((uint64_t)max_level), RLE_STREAM_BOUND,
                                       &used, err));
  s->pos += used;
  src->kind = 1;
  return ICE_OK;
}

static int start_levels_v2(struct pq_level_source *src, int16_t max_level,
                           const uint8_t *p, size_t len, size_t n, struct ice_error *err) {
  src->kind = 0;
  if (max_level == 0) return ICE_OK;
  (void)n;
  ICE_TRY(pq_rle_decoder_init(&src->rle, p, len, pq_bit_width((uint64_t)max_level),
                              RLE_STREAM_BOUND, err));
  src->kind = 1;
  return ICE_OK;
}

static int start_data_page(struct pq_column_reader *c, struct ice_error *err) {
  const struct pq_page *pg = &c->page;
  c->levels_left = (uint64_t)pg->num_values;
  c->page_values = 0;
  if (pg->streamed && !pg->is_v2 &&
      ((c->max_rep > 0 && pg->rep_encoding != PQ_ENCODING_RLE) ||
       (c->max_def > 0 && pg->def_encoding != PQ_ENCODING_RLE))) {
    /* legacy BIT_PACKED levels are decoded from a whole body */
    ICE_TRY(pq_page_stream_materialize(&c->pages, &c->page, err));
  }
  if (pg->streamed && !pg->is_v2) {
    ICE_TRY(start_levels_streamed(c, &c->rep_src, c->max_rep, "repetition", err));
    ICE_TRY(start_levels_streamed(c, &c->def_src, c->max_def, "definition", err));
    c->vals = NULL;
    c->vals_len = 0;
  } else if (pg->is_v2) {
    ICE_TRY(start_levels_v2(&c->rep_src, c->max_rep, pg->rep, pg->rep_len,
                            (size_t)pg->num_values, err));
    ICE_TRY(start_levels_v2(&c->def_src, c->max_def, pg->def, pg->def_len,
                            (size_t)pg->num_values, err));
    c->vals = pg->body;
    c->vals_len = pg->streamed ? 0 : pg->body_len;
  } else {
    size_t pos = 0;
    ICE_TRY(start_levels_v1(c, &c->rep_src, c->max_rep, pg->rep_encoding, &pos,
                            "repetition", err));
    ICE_TRY(start_levels_v1(c, &c->def_src, c->max_def, pg->def_encoding, &pos,
                            "definition", err));
    c->vals = pg->body + pos;
    c->vals_len = pg->body_len - pos;
  }
  return pq_column_start_values(c, err);
}

/* Moves to the next data page, loading a dictionary page on the way. */
static int next_data_page(struct pq_column_reader *c, bool *eof, struct ice_error *err) {
  for (;;) {
    struct pq_page pg;
    ICE_TRY(pq_page_reader_next(&c->pages, &pg, eof, err));
    if (*eof) return ICE_OK;
    if (pg.type == PQ_PAGE_DICTIONARY) {
      ICE_TRY(pq_column_load_dictionary(c, &pg, err));
      continue;
    }
    c->page = pg;
    return start_data_page(c, err);
  }
}

static int levels_next(struct pq_level_source *src, uint16_t *out, size_t n,
                       struct ice_error *err) {
  switch (src->kind) {
    case 0:
      memset(out, 0, n * sizeof *out);
      return ICE_OK;
    case 1:
      return pq_rle_decoder_next_batch_u16(&src->rle, out, n, err);
    default: {
      size_t have = src->array.len / 2 - src->array_pos;
      if (n > have) ICE_FAIL(err, ICE_ECORRUPT, "levels: stream exhausted");
      memcpy(out, src->array.data + src->array_pos * 2, n * 2);
      src->array_pos += n;
      return ICE_OK;
    }
  }
}

/* Counts levels equal to max (entries that carry a value); *bad is set when a level
 * exceeds max, which assembly could not interpret. */
static size_t count_max(const uint16_t *lv, size_t n, uint16_t max, bool *bad) {
  size_t k = 0;
  unsigned over = 0;
  for (size_t i = 0; i < n; i++) {
    k += lv[i] == max;
    over |= lv[i] > max;
  }
  *bad = over != 0;
  return k;
}

/* Reserves the batch buffers a flat column will fill for `rows` rows at once, so they
 * do not grow (and copy) by doubling. Only sizes that are known exactly. */
static int reserve_flat(const struct pq_column_reader *c, int64_t rows,
                        struct pq_leaf_batch *out, struct ice_error *err) {
  /* Row counts come from the footer: reserve at most a million rows up front and let
   * larger batches grow, so a lying num_rows cannot trigger a huge allocation. */
  size_t n = rows < (1 << 20) ? (size_t)rows : (size_t)1 << 20;
  if (c->max_def > 0) ICE_TRY(ice_buf_reserve(&out->def, n * 2, err));
  if (c->leaf->conv == PQ_CONV_NONE) return ICE_OK;
  if (c->leaf->physical == PQ_TYPE_BYTE_ARRAY) {
    return ice_buf_reserve(&out->offsets, (n + 1) * 4, err);
  }
  if (c->leaf->phys_width > 0) {
    /* room for the slots, so nulls can be spread in place later */
    return ice_buf_reserve(&out->values, n * (size_t)c->leaf->phys_width, err);
  }
  return ICE_OK;
}

static int read_flat(struct pq_column_reader *c, int64_t rows, struct pq_leaf_batch *out,
                     struct ice_error *err) {
  uint64_t need = (uint64_t)rows;
  ICE_TRY(reserve_flat(c, rows, out, err));
  while (need > 0) {
    if (c->levels_left == 0) {
      bool eof = false;
      ICE_TRY(next_data_page(c, &eof, err));
      if (eof) {
        ICE_FAIL(err, ICE_ECORRUPT,
                 "column chunk ends after %lld rows, %llu fewer than its row group has",
                 (long long)c->chunk_levels, (unsigned long long)need);
      }
      continue;
    }
    size_t k = (size_t)(need < c->levels_left ? need : c->levels_left);
    size_t nn = k;
    if (c->max_def > 0) {
      ICE_TRY(ice_buf_reserve(&out->def, k * 2, err));
      uint16_t *d = (uint16_t *)(void *)(out->def.data + out->def.len);
      ICE_TRY(levels_next(&c->def_src, d, k, err));
      out->def.len += k * 2;
      bool bad = false;
      nn = count_max(d, k, (uint16_t)c->max_def, &bad);
      ICE_CHECK_DATA(!bad, err, "definition level above the column's maximum %d",
                     (int)c->max_def);
    }
    ICE_TRY(pq_column_decode_values(c, nn, out, err));
    out->n_levels += k;
    c->levels_left -= k;
    c->chunk_levels += (int64_t)k;
    need -= k;
    if (c->levels_left == 0) ICE_TRY(pq_column_check_values_end(c, err));
  }
  return ICE_OK;
}

static int refill_window(struct pq_column_reader *c, struct ice_error *err) {
  size_t m = (size_t)(c->levels_left < LEVEL_WINDOW ? c->levels_left : LEVEL_WINDOW);
  ICE_TRY(ice_buf_resize(&c->win_def, LEVEL_WINDOW * 2, err));
  ICE_TRY(ice_buf_resize(&c->win_rep, LEVEL_WINDOW * 2, err));
  ICE_TRY(levels_next(&c->rep_src, (uint16_t *)(void *)c->win_rep.data, m, err));
  ICE_TRY(levels_next(&c->def_src, (uint16_t *)(void *)c->win_def.data, m, err));
  const uint16_t *r = (const uint16_t *)(const void *)c->win_rep.data;
  const uint16_t *d = (const uint16_t *)(const void *)c->win_def.data;
  for (size_t i = 0; i < m; i++) {
    ICE_CHECK_DATA(r[i] <= c->max_rep && d[i] <= c->max_def, err,
                   "level above the column's maximum");
  }
  c->levels_left -= m;
  c->win_len = m;
  c->win_pos = 0;
  return ICE_OK;
}

static int read_repeated(struct pq_column_reader *c, int64_t rows,
                         struct pq_leaf_batch *out, struct ice_error *err) {
  int64_t started = 0;
  for (;;) {
    if (c->win_pos == c->win_len) {
      if (c->levels_left == 0) {
        bool eof = false;
        ICE_TRY(next_data_page(c, &eof, err));
        if (eof) break;
        continue;
      }
      ICE_TRY(refill_window(c, err));
    }
    const uint16_t *rep = (const uint16_t *)(const void *)c->win_rep.data;
    const uint16_t *def = (const uint16_t *)(const void *)c->win_def.data;
    size_t i = c->win_pos;
    bool stop = false;
    for (; i < c->win_len; i++) {
      if (rep[i] == 0) {
        if (started == rows) {
          stop = true;
          break;
        }
        started++;
      } else if (c->chunk_levels == 0 && i == c->win_pos) {
        ICE_FAIL(err, ICE_ECORRUPT, "first repetition level of the column chunk is %u, "
                 "not 0", rep[i]);
      }
    }
    size_t k = i - c->win_pos;
    if (k > 0) {
      ICE_TRY(ice_buf_append(&out->rep, rep + c->win_pos, k * 2, err));
      ICE_TRY(ice_buf_append(&out->def, def + c->win_pos, k * 2, err));
      bool bad = false; /* refill_window already rejected levels above the maximum */
      size_t nn = count_max(def + c->win_pos, k, (uint16_t)c->max_def, &bad);
      ICE_TRY(pq_column_decode_values(c, nn, out, err));
      out->n_levels += k;
      c->chunk_levels += (int64_t)k;
      c->win_pos = i;
      if (c->win_pos == c->win_len && c->levels_left == 0) {
        ICE_TRY(pq_column_check_values_end(c, err));
      }
    }
    if (stop) break;
  }
  if (started < rows) {
    ICE_FAIL(err, ICE_ECORRUPT, "column chunk ends %lld rows short of its row group",
             (long long)(rows - started));
  }
  return ICE_OK;
}

int pq_column_reader_read_rows(struct pq_column_reader *c, int64_t rows,
                               struct pq_leaf_batch *out, struct ice_error *err) {
  if (rows <= 0) return ICE_OK;
  return c->max_rep == 0 ? read_flat(c, rows, out, err) : read_repeated(c, rows, out, err);
}

int pq_column_reader_finish(struct pq_column_reader *c, struct ice_error *err) {
  for (;;) {
    ICE_CHECK_DATA(c->levels_left == 0 && c->win_pos == c->win_len, err,
                   "column chunk holds more rows than its row group");
    bool eof = false;
    ICE_TRY(next_data_page(c, &eof, err));
    if (eof) return ICE_OK;
  }
}
