/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One leaf column's page and chunk state. Levels and values accumulate in the open
 * page (dictionary indices while the dictionary is on, PLAIN values otherwise); a page
 * closes at a row boundary when it reaches the row limit or its byte target, is
 * compressed and appended to the chunk buffer. The chunk (dictionary page first, then
 * data pages) goes to the output when the row group is flushed. The dictionary is
 * dropped for the chunk when its first page shows it does not pay, and frozen (pages
 * fall back to PLAIN, or DELTA_* with page v2) once it outgrows dict-size-bytes.
 */
#include <string.h>

#include "parquet/pq_dict_builder.h"
#include "parquet/pq_encoding.h"
#include "parquet/pq_writer_internal.h"
#include "util/alloc.h"
#include "util/limits.h"

#define PQW_CHUNK_MAX ((size_t)1 << 40)

/* One closed data page, for the page index. */
struct pqw_page_rec {
  int64_t pos;       /* header offset within the chunk's data pages */
  int32_t size;      /* header + payload */
  int64_t first_row; /* within the row group */
  int64_t values;    /* non-null values */
  int64_t nulls;
  bool has_minmax;
  uint8_t *min, *max; /* owned, truncated like the chunk statistics */
  size_t min_len, max_len;
};

struct pqw_column {
  const struct pqw_node *leaf;
  const struct pq_writer_options *opts;
  enum codec_id codec;
  size_t width; /* fixed value width; 0 = BYTE_ARRAY; 1 = BOOLEAN bytes */
  bool dict_allowed;
  int32_t fallback_encoding;
  /* open page */
  struct ice_buf def, rep; /* uint16 levels */
  struct ice_buf vals;     /* PLAIN values (BOOLEAN: 0/1 bytes) */
  struct ice_buf idx;      /* uint32 dictionary indices */
  int64_t page_levels, page_values, page_rows;
  int64_t page_plain_bytes;
  /* dictionary for the chunk */
  struct pq_dict_builder *dict;
  bool dict_on;      /* new values go through the dictionary */
  bool dict_checked; /* the "does it pay" check ran for this chunk */
  bool dict_used;    /* some page of the chunk is dictionary-encoded */
  /* chunk */
  struct ice_buf pages; /* encoded data pages: header + payload each */
  bool pages_lent;      /* `pages` is a flushed chunk's, being written (pqw_chunk_bytes) */
  int64_t chunk_values, chunk_uncompressed;
  int32_t n_data_pages, n_plain_pages, n_dict_data_pages, n_delta_pages;
  struct pq_stats stats;     /* chunk: pages' statistics merged as they close */
  struct pq_stats pstats;    /* open page */
  struct pqw_page_rec *recs; /* closed data pages of the chunk (page index) */
  size_t n_recs, cap_recs;
  int64_t recs_charged; /* recs' capacity and bounds, charged to the budget */
  int64_t chunk_rows;   /* rows in the closed pages of the chunk */
  /* bytes before/after compression of every collected page: predicts the open page */
  int64_t raw_seen, comp_seen;
  struct pqw_page_scratch *scr; /* shared by the writer's columns (borrowed) */
  /* Closed pages not collected into `pages` yet, oldest first (the chunk's dictionary
   * page last when the chunk is closing); with workers some may still be compressing.
   * pending_raw / pending_bound: their encoded bytes and the most they can become. */
  struct pq_workers *ws;    /* NULL: pages compress at once */
  struct codec_ctx *helper; /* the writing thread's codec, to help while waiting */
  struct pqw_page_job *head, *tail;
  int64_t pending_raw, pending_bound;
  int64_t closed_raw; /* encoded bytes of the chunk's closed pages */
  struct pqw_page_job
      *dict_job; /* collected dictionary page, until the chunk is written */
};

enum codec_id pqw_codec_id(enum pq_codec c) {
  switch (c) {
    case PQ_CODEC_SNAPPY:
      return CODEC_SNAPPY;
    case PQ_CODEC_GZIP:
      return CODEC_GZIP;
    case PQ_CODEC_BROTLI:
      return CODEC_BROTLI;
    case PQ_CODEC_ZSTD:
      return CODEC_ZSTD;
    case PQ_CODEC_LZ4_RAW:
      return CODEC_LZ4_RAW;
    default:
      return CODEC_NONE;
  }
}

void pqw_page_scratch_init(struct pqw_page_scratch *s, struct ice_mem_budget *budget) {
  struct ice_buf *all[] = {&s->payload, &s->comp, &s->header, &s->tmp};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    ice_buf_init(all[i], ICE_LIMIT_PAGE_BYTES);
    ice_buf_set_budget(all[i], budget);
  }
}

void pqw_page_scratch_reset(struct pqw_page_scratch *s) {
  ice_buf_reset(&s->payload);
  ice_buf_reset(&s->comp);
  ice_buf_reset(&s->header);
  ice_buf_reset(&s->tmp);
}

int pqw_column_new(const struct pqw_node *leaf, const struct pq_writer_options *opts,
                   struct pqw_page_scratch *scr, struct pq_workers *ws,
                   struct codec_ctx *helper, struct pqw_column **out,
                   struct ice_error *err) {
  struct pqw_column *c = ice_calloc(1, sizeof *c);
  if (c == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (column writer)");
  c->ws = ws;
  c->helper = helper;
  c->leaf = leaf;
  c->opts = opts;
  c->codec = pqw_codec_id(opts->codec);
  c->width = pqw_value_width(leaf);
  ice_buf_init(&c->def, ICE_LIMIT_PAGE_BYTES);
  ice_buf_init(&c->rep, ICE_LIMIT_PAGE_BYTES);
  ice_buf_init(&c->vals, ICE_LIMIT_PAGE_BYTES);
  ice_buf_init(&c->idx, ICE_LIMIT_PAGE_BYTES);
  ice_buf_init(&c->pages, PQW_CHUNK_MAX);
  c->scr = scr;
  struct ice_buf *own[] = {&c->def, &c->rep, &c->vals, &c->idx, &c->pages};
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
    ice_buf_set_budget(own[i], opts->budget);
  }
  pq_stats_init(&c->stats, leaf->order);
  pq_stats_init(&c->pstats, leaf->order);
  c->dict_allowed =
      opts->dictionary && leaf->ptype != PQ_TYPE_BOOLEAN && leaf->vk != PQW_V_NULL;
  c->fallback_encoding = PQ_ENCODING_PLAIN;
  if (opts->page_version == 2) {
    if (leaf->ptype == PQ_TYPE_INT32 || leaf->ptype == PQ_TYPE_INT64) {
      c->fallback_encoding = PQ_ENCODING_DELTA_BINARY_PACKED;
    } else if (leaf->ptype == PQ_TYPE_BYTE_ARRAY) {
      c->fallback_encoding = PQ_ENCODING_DELTA_BYTE_ARRAY;
    }
  }
  if (c->dict_allowed) {
    int rc = pq_dict_builder_new(c->width == 0 ? 0 : c->width, &c->dict, err);
    if (rc == ICE_OK) rc = pq_dict_builder_set_budget(c->dict, opts->budget, err);
    if (rc != ICE_OK) {
      pqw_column_free(c);
      return rc;
    }
  }
  c->dict_on = c->dict_allowed;
  *out = c;
  return ICE_OK;
}

/* Frees the pages' bounds; the array keeps its capacity (still charged). */
static void clear_recs(struct pqw_column *c) {
  int64_t held = 0;
  for (size_t i = 0; i < c->n_recs; i++) {
    held += pqw_alloc_bytes(c->recs[i].min, c->recs[i].min_len) +
            pqw_alloc_bytes(c->recs[i].max, c->recs[i].max_len);
    ice_free(c->recs[i].min);
    ice_free(c->recs[i].max);
  }
  ice_mem_release(c->opts->budget, held);
  c->recs_charged -= held;
  c->n_recs = 0;
}

static void free_recs(struct pqw_column *c) {
  clear_recs(c);
  ice_mem_release(c->opts->budget, c->recs_charged);
  c->recs_charged = 0;
  ice_free(c->recs);
  c->recs = NULL;
  c->cap_recs = 0;
}

/* Waits for and drops every page not collected (the writer failed or is freed). */
static void drop_jobs(struct pqw_column *c) {
  while (c->head != NULL) {
    struct pqw_page_job *j = c->head;
    c->head = j->next;
    pqw_page_job_free(j, c->helper);
  }
  c->tail = NULL;
  c->pending_raw = c->pending_bound = 0;
  pqw_page_job_free(c->dict_job, c->helper);
  c->dict_job = NULL;
}

void pqw_column_free(struct pqw_column *c) {
  if (c == NULL) return;
  drop_jobs(c);
  ice_buf_reset(&c->def);
  ice_buf_reset(&c->rep);
  ice_buf_reset(&c->vals);
  ice_buf_reset(&c->idx);
  ice_buf_reset(&c->pages);
  pq_stats_reset(&c->stats);
  pq_stats_reset(&c->pstats);
  free_recs(c);
  pq_dict_builder_free(c->dict);
  ice_free(c);
}

void pqw_column_restart(struct pqw_column *c) {
  /* The compression ratio seen so far predicts page sizes; a new file starts from none
   * so it is cut exactly as a fresh writer would cut it. Buffers keep their capacity. */
  c->raw_seen = c->comp_seen = 0;
}

void pqw_column_release_pages(struct pqw_column *c) {
  if (c->pages_lent) return;
  if (c->pages.len == 0) ice_buf_reset(&c->pages);
  if (c->n_recs == 0) free_recs(c);
}

int64_t pqw_column_page_index_held(const struct pqw_column *c) {
  return c->recs_charged;
}

void pqw_chunk_meta_reset(struct pqw_chunk_meta *m) {
  ice_free(m->min);
  ice_free(m->max);
  ice_free(m->column_index);
  ice_free(m->offset_index);
  memset(m, 0, sizeof *m);
}

static int64_t page_value_bytes(const struct pqw_column *c) {
  if (c->dict_on) {
    uint32_t bw = pq_dict_builder_index_bit_width(c->dict);
    return (c->page_values * (int64_t)bw + 7) / 8;
  }
  return (int64_t)c->vals.len;
}

/* The open page and the dictionary, encoded but not compressed. */
static int64_t open_bytes(const struct pqw_column *c) {
  int64_t levels = c->page_levels / 4; /* RLE levels are small; a rough estimate */
  int64_t dict =
      c->dict_used || c->dict_on ? (int64_t)pq_dict_builder_encoded_size(c->dict) : 0;
  return page_value_bytes(c) + levels + dict;
}

int64_t pqw_column_raw_bytes(const struct pqw_column *c) {
  return c->closed_raw + open_bytes(c);
}

void pqw_column_buffered(const struct pqw_column *c, int64_t *lo, int64_t *hi) {
  int64_t open = open_bytes(c);
  int64_t raw = c->raw_seen + c->pending_raw;
  /* Open pages are not compressed yet: scale them by what compression did so far.
   * Pages still compressing are somewhere between nothing and their bound, and so is
   * the ratio they will make; with none, both ends are the one exact figure. */
  double scale_lo = 1.0, scale_hi = 1.0;
  if (raw > 0) {
    scale_lo = (double)c->comp_seen / (double)raw;
    scale_hi = (double)(c->comp_seen + c->pending_bound) / (double)raw;
  }
  int64_t base = c->pages_lent ? 0 : (int64_t)c->pages.len;
  *lo = base + (int64_t)((double)open * scale_lo);
  *hi = base + c->pending_bound + (int64_t)((double)open * scale_hi);
}

/* ---------------------------------------------------------------- statistics */

static int update_stats(struct pqw_column *c, const struct pqw_values *v, size_t from,
                        size_t to, struct ice_error *err) {
  struct pq_stats *s = &c->pstats;
  size_t n = to - from;
  if (n == 0 || s->order == PQ_SORT_NONE) return ICE_OK;
  const uint8_t *fx = v->direct != NULL ? v->direct : v->fixed.data;
  if (fx != NULL) fx += from * c->width;
  switch (c->leaf->ptype) {
    case PQ_TYPE_BOOLEAN:
      for (size_t k = 0; k < n; k++) pq_stats_update_bool(s, fx[k] != 0);
      return ICE_OK;
    case PQ_TYPE_INT32:
      pq_stats_update_i32(s, (const int32_t *)(const void *)fx, n);
      return ICE_OK;
    case PQ_TYPE_INT64:
      pq_stats_update_i64(s, (const int64_t *)(const void *)fx, n);
      return ICE_OK;
    case PQ_TYPE_FLOAT:
      pq_stats_update_float(s, (const float *)(const void *)fx, n);
      return ICE_OK;
    case PQ_TYPE_DOUBLE:
      pq_stats_update_double(s, (const double *)(const void *)fx, n);
      return ICE_OK;
    case PQ_TYPE_BYTE_ARRAY: {
      const struct pq_enc_bytes *b =
          (const struct pq_enc_bytes *)(const void *)v->bytes.data + from;
      return pq_stats_update_byte_array(s, b, n, err);
    }
    default:
      return pq_stats_update_fixed_bytes(s, fx, c->width, n, err);
  }
}

static int copy_bytes(const uint8_t *p, size_t n, uint8_t **out, struct ice_error *err) {
  *out = ice_malloc(n ? n : 1);
  if (*out == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (statistics)");
  if (n) memcpy(*out, p, n);
  return ICE_OK;
}

/* Footer/page-index bounds from statistics: byte bounds longer than
 * PQ_WRITER_STATS_TRUNCATE are truncated (exact flags cleared). */
struct pqw_bounds {
  bool has_min, has_max, min_exact, max_exact;
  uint8_t *min, *max; /* owned */
  size_t min_len, max_len;
};

static int stats_bounds(const struct pqw_column *c, const struct pq_stats *s,
                        struct pqw_bounds *b, struct ice_error *err) {
  memset(b, 0, sizeof *b);
  uint8_t scratch[8];
  const uint8_t *p;
  size_t n;
  bool truncatable = s->order == PQ_SORT_BYTES;
  bool utf8 = c->leaf->has_logical && (c->leaf->logical.kind == PQ_LOGICAL_STRING ||
                                       c->leaf->logical.kind == PQ_LOGICAL_JSON);
  b->min_exact = b->max_exact = true;
  if (pq_stats_min_view(s, scratch, &p, &n)) {
    size_t keep = n;
    if (truncatable && n > PQ_WRITER_STATS_TRUNCATE) {
      pq_bound_truncate_lower(p, n, PQ_WRITER_STATS_TRUNCATE, utf8, &keep);
      b->min_exact = keep == n;
    }
    ICE_TRY(copy_bytes(p, keep, &b->min, err));
    b->min_len = keep;
    b->has_min = true;
  }
  if (pq_stats_max_view(s, scratch, &p, &n)) {
    uint8_t *buf = NULL;
    int rc = copy_bytes(p, n, &buf, err);
    if (rc != ICE_OK) {
      ice_free(b->min);
      b->min = NULL;
      return rc;
    }
    size_t keep = n;
    if (truncatable && n > PQ_WRITER_STATS_TRUNCATE &&
        pq_bound_truncate_upper(p, n, PQ_WRITER_STATS_TRUNCATE, utf8, buf, &keep)) {
      b->max_exact = false;
    }
    b->max = buf;
    b->max_len = keep;
    b->has_max = true;
  }
  return ICE_OK;
}

static int chunk_stats(const struct pqw_column *c, struct pqw_chunk_meta *m,
                       struct ice_error *err) {
  const struct pq_stats *s = &c->stats;
  m->null_count = s->null_count;
  if (c->leaf->ptype == PQ_TYPE_FLOAT || c->leaf->ptype == PQ_TYPE_DOUBLE) {
    m->has_nan_count = c->opts->write_nan_count;
    m->nan_count = s->nan_count;
  }
  struct pqw_bounds b;
  ICE_TRY(stats_bounds(c, s, &b, err));
  m->has_min = b.has_min;
  m->has_max = b.has_max;
  m->min_exact = b.min_exact;
  m->max_exact = b.max_exact;
  m->min = b.min;
  m->min_len = b.min_len;
  m->max = b.max;
  m->max_len = b.max_len;
  m->signed_legacy = pq_sort_order_is_signed(s->order);
  return ICE_OK;
}

/* Remembers a closed page for the page index (its place and size are filled in when
 * it is collected), and folds its statistics into the chunk's. */
static int record_page(struct pqw_column *c, struct pqw_page_job *j,
                       struct ice_error *err) {
  if (c->opts->page_index) {
    struct ice_mem_budget *budget = c->opts->budget;
    if (c->n_recs == c->cap_recs) {
      size_t nc = c->cap_recs ? c->cap_recs * 2 : 16;
      int64_t more = (int64_t)((nc - c->cap_recs) * sizeof *c->recs);
      ICE_TRY(ice_mem_charge(budget, more, err));
      struct pqw_page_rec *p = ice_realloc(c->recs, nc * sizeof *p);
      if (p == NULL) {
        ice_mem_release(budget, more);
        ICE_FAIL(err, ICE_ENOMEM, "out of memory (page index)");
      }
      c->recs = p;
      c->cap_recs = nc;
      c->recs_charged += more;
    }
    struct pqw_page_rec *r = &c->recs[c->n_recs];
    memset(r, 0, sizeof *r);
    j->rec = (int64_t)c->n_recs;
    r->first_row = c->chunk_rows;
    r->values = c->page_values;
    r->nulls = c->pstats.null_count;
    struct pqw_bounds b;
    ICE_TRY(stats_bounds(c, &c->pstats, &b, err));
    int64_t held = pqw_alloc_bytes(b.min, b.min_len) + pqw_alloc_bytes(b.max, b.max_len);
    int rc = ice_mem_charge(budget, held, err);
    if (rc != ICE_OK) {
      ice_free(b.min);
      ice_free(b.max);
      return ice_error_prefix(err, "page index of %zu pages", c->n_recs + 1);
    }
    c->recs_charged += held;
    r->has_minmax = b.has_min && b.has_max;
    r->min = b.min;
    r->min_len = b.min_len;
    r->max = b.max;
    r->max_len = b.max_len;
    c->n_recs++;
  }
  c->chunk_rows += c->page_rows;
  ICE_TRY(pq_stats_merge(&c->stats, &c->pstats, err));
  pq_stats_clear(&c->pstats);
  return ICE_OK;
}

/* ---------------------------------------------------------------- pages */

/* Encodes the open page's values section into `out`; *encoding gets its encoding. */
static int encode_values(struct pqw_column *c, struct ice_buf *out, int32_t *encoding,
                         struct ice_error *err) {
  size_t n = (size_t)c->page_values;
  if (c->dict_on) {
    *encoding = PQ_ENCODING_RLE_DICTIONARY;
    uint32_t count = pq_dict_builder_count(c->dict);
    return pq_dict_indices_encode((const uint32_t *)(const void *)c->idx.data, n,
                                  count ? count : 1, out, err);
  }
  *encoding = c->fallback_encoding;
  if (c->leaf->ptype == PQ_TYPE_BOOLEAN) {
    *encoding = PQ_ENCODING_PLAIN;
    return pq_plain_encode_bool(c->vals.data, n, out, err);
  }
  switch (c->fallback_encoding) {
    case PQ_ENCODING_DELTA_BINARY_PACKED:
      if (c->leaf->ptype == PQ_TYPE_INT32) {
        return pq_delta_encode_i32((const int32_t *)(const void *)c->vals.data, n, out,
                                   err);
      }
      return pq_delta_encode_i64((const int64_t *)(const void *)c->vals.data, n, out,
                                 err);
    case PQ_ENCODING_DELTA_BYTE_ARRAY: {
      /* vals holds PLAIN (u32 length + bytes): view it as byte strings. */
      ice_buf_clear(&c->scr->tmp);
      ICE_TRY(pqw_buf_set_len(&c->scr->tmp, n * sizeof(struct pq_enc_bytes), err));
      struct pq_enc_bytes *b = (struct pq_enc_bytes *)(void *)c->scr->tmp.data;
      size_t pos = 0;
      for (size_t k = 0; k < n; k++) {
        uint32_t len;
        memcpy(&len, c->vals.data + pos, 4);
        b[k].ptr = c->vals.data + pos + 4;
        b[k].len = len;
        pos += 4 + (size_t)len;
      }
      return pq_dba_encode(b, n, out, err);
    }
    default:
      return ice_buf_append(out, c->vals.data, c->vals.len, err);
  }
}

static void count_page(struct pqw_column *c, int32_t encoding) {
  c->n_data_pages++;
  if (encoding == PQ_ENCODING_RLE_DICTIONARY) {
    c->n_dict_data_pages++;
    c->dict_used = true;
  } else if (encoding == PQ_ENCODING_PLAIN) {
    c->n_plain_pages++;
  } else {
    c->n_delta_pages++;
  }
}

/* Collects the finished jobs at the head of the list: each data page's header (now that
 * its compressed size is known) and bytes go to the chunk buffer, in page order; the
 * dictionary page is kept aside for the chunk's write. A failed compression is the
 * column's error from here on. */
static int collect(struct pqw_column *c, struct ice_error *err) {
  /* While the last chunk's pages are being written, finished pages wait in their jobs. */
  if (c->pages_lent) return ICE_OK;
  while (c->head != NULL && pqw_page_job_done(c->head)) {
    struct pqw_page_job *j = c->head;
    if (j->rc != ICE_OK) {
      *err = j->err;
      return j->rc;
    }
    j->h.uncompressed_page_size = (int32_t)j->payload_len;
    j->h.compressed_page_size = (int32_t)j->comp->len;
    c->head = j->next;
    if (c->head == NULL) c->tail = NULL;
    c->pending_raw -= (int64_t)j->payload_len;
    c->pending_bound -= (int64_t)pqw_page_job_bound(j);
    j->next = NULL;
    if (j->dictionary) {
      c->dict_job = j;
      continue;
    }
    int64_t pos = (int64_t)c->pages.len;
    ice_buf_clear(&c->scr->header);
    int rc = pq_meta_write_page_header(&j->h, &c->scr->header, err);
    if (rc == ICE_OK)
      rc = ice_buf_append(&c->pages, c->scr->header.data, c->scr->header.len, err);
    if (rc == ICE_OK) rc = ice_buf_append(&c->pages, j->comp->data, j->comp->len, err);
    if (rc == ICE_OK) {
      c->chunk_uncompressed += (int64_t)c->scr->header.len + (int64_t)j->payload_len;
      c->raw_seen += (int64_t)j->payload_len;
      c->comp_seen += (int64_t)j->comp->len;
      if (j->rec >= 0) {
        c->recs[j->rec].pos = pos;
        c->recs[j->rec].size = (int32_t)((int64_t)c->pages.len - pos);
      }
    }
    pqw_page_job_free(j, c->helper);
    ICE_TRY(rc);
  }
  return ICE_OK;
}

/* Uncompressed columns (spill runs) copy their pages at once: a worker would only
 * copy them too, with the page held twice meanwhile. */
static struct pq_workers *job_workers(const struct pqw_column *c) {
  return c->codec == CODEC_NONE ? NULL : c->ws;
}

static int start_job(struct pqw_column *c, struct pqw_page_job *j,
                     struct codec_ctx *codec, struct ice_error *err) {
  j->codec = c->codec;
  j->level = c->opts->codec_level;
  int rc = pqw_page_job_start(j, codec, err);
  if (rc != ICE_OK) {
    pqw_page_job_free(j, c->helper);
    return rc;
  }
  if (c->tail == NULL) {
    c->head = j;
  } else {
    c->tail->next = j;
  }
  c->tail = j;
  c->pending_raw += (int64_t)j->payload_len;
  if (!j->dictionary) c->closed_raw += (int64_t)j->payload_len;
  c->pending_bound += (int64_t)pqw_page_job_bound(j);
  return collect(c, err);
}

int pqw_column_collect(struct pqw_column *c, struct ice_error *err) {
  return collect(c, err);
}

void pqw_column_set_helper(struct pqw_column *c, struct codec_ctx *helper) {
  c->helper = helper;
}

int pqw_column_settle(struct pqw_column *c, struct ice_error *err) {
  if (c->pages_lent)
    ICE_FAIL(err, ICE_EINVAL, "column settled while its last chunk is being written");
  while (c->head != NULL) {
    pqw_page_job_wait(c->head, c->helper);
    ICE_TRY(collect(c, err));
  }
  return ICE_OK;
}

static int check_page_size(size_t n, struct ice_error *err) {
  if (n > (size_t)INT32_MAX)
    ICE_FAIL(err, ICE_ELIMIT, "page of %zu bytes exceeds 2 GiB", n);
  return ICE_OK;
}

/* Dictionary entries -> PLAIN values: the first page showed the dictionary does not pay.
 */
static int undo_dictionary(struct pqw_column *c, struct ice_error *err) {
  const uint32_t *ix = (const uint32_t *)(const void *)c->idx.data;
  ice_buf_clear(&c->vals);
  for (int64_t k = 0; k < c->page_values; k++) {
    struct pq_enc_bytes e = pq_dict_builder_entry(c->dict, ix[k]);
    if (c->width == 0) {
      uint32_t len = e.len;
      ICE_TRY(ice_buf_append(&c->vals, &len, 4, err));
    }
    ICE_TRY(ice_buf_append(&c->vals, e.ptr, e.len, err));
  }
  ice_buf_clear(&c->idx);
  pq_dict_builder_clear(c->dict);
  c->dict_on = false;
  return ICE_OK;
}

/* Under a budget, a page far above the target (a huge value) must not keep its
 * buffers' memory charged for every later page: give it back. */
static void shrink_after_lump(struct pqw_column *c) {
  size_t keep = (size_t)c->opts->page_bytes * 4;
  struct ice_buf *bufs[] = {&c->vals, &c->idx, &c->scr->payload, &c->scr->comp};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
    if (bufs[i]->cap > keep) ice_buf_reset(bufs[i]);
  }
}

/* Levels then values of the open page into `payload`; the header's fields but sizes. */
static int encode_page(struct pqw_column *c, struct pqw_page_job *j,
                       struct ice_error *err) {
  const struct pqw_node *leaf = c->leaf;
  struct ice_buf *payload = j->payload;
  size_t n_levels = (size_t)c->page_levels;
  uint32_t rep_bw = pq_bit_width((uint64_t)leaf->max_rep);
  uint32_t def_bw = pq_bit_width((uint64_t)leaf->max_def);
  bool v2 = c->opts->page_version == 2;
  enum pq_rle_form form = v2 ? PQ_RLE_RAW : PQ_RLE_LENGTH_PREFIXED;
  ICE_TRY(ice_buf_reserve(
      payload, (size_t)c->page_values * (c->width ? c->width : 8) / 2 + 64, err));
  size_t rep_len = 0, def_len = 0;
  if (leaf->max_rep > 0) {
    ICE_TRY(pq_rle_encode_u16((const uint16_t *)(const void *)c->rep.data, n_levels,
                              rep_bw, form, payload, err));
    rep_len = payload->len;
  }
  if (leaf->max_def > 0) {
    ICE_TRY(pq_rle_encode_u16((const uint16_t *)(const void *)c->def.data, n_levels,
                              def_bw, form, payload, err));
    def_len = payload->len - rep_len;
  }
  size_t levels_len = payload->len;
  int32_t encoding;
  ICE_TRY(encode_values(c, payload, &encoding, err));
  size_t values_len = payload->len - levels_len;
  ICE_TRY(check_page_size(payload->len, err));
  struct pq_page_header *h = &j->h;
  memset(h, 0, sizeof *h);
  if (!v2) {
    j->compress = true;
    h->type = PQ_PAGE_DATA;
    h->has_data_page_header = true;
    h->data_page_header.num_values = (int32_t)n_levels;
    h->data_page_header.encoding = encoding;
    h->data_page_header.definition_level_encoding = PQ_ENCODING_RLE;
    h->data_page_header.repetition_level_encoding = PQ_ENCODING_RLE;
  } else {
    /* Levels stay uncompressed; an empty values section is stored raw (§15.4). */
    j->raw_prefix = levels_len;
    j->compress = c->codec != CODEC_NONE && values_len > 0;
    h->type = PQ_PAGE_DATA_V2;
    h->has_data_page_header_v2 = true;
    struct pq_data_page_header_v2 *d = &h->data_page_header_v2;
    d->num_values = (int32_t)n_levels;
    d->num_nulls = (int32_t)(c->page_levels - c->page_values);
    d->num_rows = (int32_t)c->page_rows;
    d->encoding = encoding;
    d->definition_levels_byte_length = (int32_t)def_len;
    d->repetition_levels_byte_length = (int32_t)rep_len;
    d->is_compressed = j->compress;
  }
  count_page(c, encoding);
  return ICE_OK;
}

/* Closes the open page: encoded here, compressed here or by a worker, collected into
 * the chunk in order. */
static int flush_page(struct pqw_column *c, struct codec_ctx *codec,
                      struct ice_error *err) {
  if (c->page_levels == 0) return ICE_OK;
  if (c->dict_on && !c->dict_checked) {
    c->dict_checked = true;
    uint64_t dict_cost =
        pq_dict_builder_encoded_size(c->dict) + (uint64_t)page_value_bytes(c);
    if (!c->dict_used && dict_cost >= (uint64_t)c->page_plain_bytes) {
      ICE_TRY(undo_dictionary(c, err));
    }
  }
  struct pqw_page_job *j = NULL;
  ICE_TRY(pqw_page_job_new(job_workers(c), codec, c->scr, &j, err));
  int rc = encode_page(c, j, err);
  if (rc == ICE_OK) rc = record_page(c, j, err);
  if (rc != ICE_OK) {
    pqw_page_job_free(j, codec);
    return rc;
  }
  c->chunk_values += c->page_levels;
  ice_buf_clear(&c->def);
  ice_buf_clear(&c->rep);
  ice_buf_clear(&c->vals);
  ice_buf_clear(&c->idx);
  c->page_levels = c->page_values = c->page_rows = 0;
  c->page_plain_bytes = 0;
  ICE_TRY(start_job(c, j, codec, err));
  if (c->opts->budget != NULL) shrink_after_lump(c);
  return ICE_OK;
}

/* The chunk's dictionary page as a job of its own, after its last data page. */
static int start_dictionary(struct pqw_column *c, struct codec_ctx *codec,
                            struct ice_error *err) {
  struct pqw_page_job *j = NULL;
  ICE_TRY(pqw_page_job_new(job_workers(c), codec, c->scr, &j, err));
  int rc = pq_dict_builder_write_page(c->dict, j->payload, err);
  if (rc != ICE_OK) {
    pqw_page_job_free(j, codec);
    return rc;
  }
  j->dictionary = true;
  j->compress = true;
  struct pq_page_header *h = &j->h;
  memset(h, 0, sizeof *h);
  h->type = PQ_PAGE_DICTIONARY;
  h->has_dictionary_page_header = true;
  h->dictionary_page_header.num_values = (int32_t)pq_dict_builder_count(c->dict);
  h->dictionary_page_header.encoding = PQ_ENCODING_PLAIN;
  return start_job(c, j, codec, err);
}

/* The open page, then the dictionary page. Early (before the chunks are written) only
 * when the dictionary goes to a worker: one compressed at once stays in the writer's
 * scratch, which the next column's pages reuse, until its chunk is written. */
static int close_chunk(struct pqw_column *c, struct codec_ctx *codec, bool early,
                       struct ice_error *err) {
  ICE_TRY(flush_page(c, codec, err));
  if (early && job_workers(c) == NULL) return ICE_OK;
  if (c->dict_used && c->dict_job == NULL && (c->tail == NULL || !c->tail->dictionary)) {
    ICE_TRY(start_dictionary(c, codec, err));
  }
  return ICE_OK;
}

int pqw_column_close_chunk(struct pqw_column *c, struct codec_ctx *codec,
                           struct ice_error *err) {
  return close_chunk(c, codec, true, err);
}

/* ---------------------------------------------------------------- appending */

static int64_t plain_size(const struct pqw_column *c, const struct pqw_values *v,
                          size_t from, size_t to) {
  if (c->width != 0) return (int64_t)((to - from) * c->width);
  const struct pq_enc_bytes *b = (const struct pq_enc_bytes *)(const void *)v->bytes.data;
  int64_t s = 0;
  for (size_t k = from; k < to; k++) s += 4 + (int64_t)b[k].len;
  return s;
}

static int append_values_plain(struct pqw_column *c, const struct pqw_values *v,
                               size_t from, size_t to, struct ice_error *err) {
  if (to == from) return ICE_OK;
  if (c->width != 0) {
    const uint8_t *fx = v->direct != NULL ? v->direct : v->fixed.data;
    return ice_buf_append(&c->vals, fx + from * c->width, (to - from) * c->width, err);
  }
  const struct pq_enc_bytes *b = (const struct pq_enc_bytes *)(const void *)v->bytes.data;
  return pq_plain_encode_byte_array(b + from, to - from, &c->vals, err);
}

static int append_values_dict(struct pqw_column *c, struct codec_ctx *codec,
                              const struct pqw_values *v, size_t from, size_t to,
                              struct ice_error *err) {
  (void)codec;
  size_t n = to - from;
  if (n == 0) return ICE_OK;
  size_t at = c->idx.len;
  ICE_TRY(pqw_buf_set_len(&c->idx, at + n * 4, err));
  uint32_t *ix = (uint32_t *)(void *)(c->idx.data + at);
  if (c->width != 0) {
    const uint8_t *fx = v->direct != NULL ? v->direct : v->fixed.data;
    ICE_TRY(pq_dict_builder_put_fixed(c->dict, fx + from * c->width, n, ix, err));
  } else {
    const struct pq_enc_bytes *b =
        (const struct pq_enc_bytes *)(const void *)v->bytes.data;
    ICE_TRY(pq_dict_builder_put_bytes(c->dict, b + from, n, ix, err));
  }
  return ICE_OK;
}

/* Level index where row `rows` (counted from level `lv`) starts. */
static size_t level_of_row(const struct pqw_column *c, const struct pqw_shred *sh,
                           size_t lv, int64_t rows) {
  if (c->leaf->max_rep == 0) return lv + (size_t)rows;
  const uint16_t *rep = (const uint16_t *)(const void *)sh->rep.data;
  size_t end = (size_t)sh->n_levels;
  int64_t seen = 0;
  for (size_t k = lv; k < end; k++) {
    if (rep[k] == 0) {
      if (seen == rows) return k;
      seen++;
    }
  }
  return end;
}

static size_t values_in(const struct pqw_column *c, const struct pqw_shred *sh,
                        size_t from, size_t to) {
  if (c->leaf->max_def == 0) return to - from;
  const uint16_t *def = (const uint16_t *)(const void *)sh->def.data;
  uint16_t md = (uint16_t)c->leaf->max_def;
  size_t n = 0;
  for (size_t k = from; k < to; k++) n += def[k] == md;
  return n;
}

int pqw_column_append(struct pqw_column *c, struct codec_ctx *codec,
                      const struct pqw_shred *sh, const struct pqw_values *v,
                      struct ice_error *err) {
  size_t lv = 0, vv = 0;
  int64_t rows_done = 0;
  while (rows_done < sh->n_rows) {
    int64_t room = c->opts->page_rows - c->page_rows;
    if (room <= 0) {
      ICE_TRY(flush_page(c, codec, err));
      room = c->opts->page_rows;
    }
    int64_t take = sh->n_rows - rows_done;
    size_t lv_end, vv_end;
    if (take <= room) {
      lv_end = (size_t)sh->n_levels;
      vv_end = (size_t)sh->n_values;
    } else {
      take = room;
      lv_end = level_of_row(c, sh, lv, take);
      vv_end = vv + values_in(c, sh, lv, lv_end);
    }
    /* Byte target too: while pages hold PLAIN values (or the dictionary is not judged
     * yet), take only the rows that fit what is left of the page (at least one row). */
    if (!(c->dict_on && c->dict_checked)) {
      int64_t budget = c->opts->page_bytes - c->page_plain_bytes;
      if (plain_size(c, v, vv, vv_end) > budget && take > 1) {
        size_t li = lv, vi = vv;
        int64_t t = 0, bytes = 0;
        while (t < take) {
          size_t ln = level_of_row(c, sh, li, 1);
          size_t vn = vi + values_in(c, sh, li, ln);
          int64_t b = plain_size(c, v, vi, vn);
          if (t > 0 && bytes + b > budget) break;
          bytes += b;
          t++;
          li = ln;
          vi = vn;
        }
        take = t;
        lv_end = li;
        vv_end = vi;
      }
    }
    if (c->dict_on && (uint64_t)pq_dict_builder_count(c->dict) + (vv_end - vv) >
                          ICE_LIMIT_DICT_ENTRIES) {
      /* The dictionary could overflow: close the page (levels and indices agree) and
       * freeze the dictionary before this part is added. */
      ICE_TRY(flush_page(c, codec, err));
      c->dict_on = false;
    }
    size_t nl = lv_end - lv;
    if (c->leaf->max_def > 0) {
      ICE_TRY(ice_buf_append(&c->def, sh->def.data + lv * 2, nl * 2, err));
    }
    if (c->leaf->max_rep > 0) {
      ICE_TRY(ice_buf_append(&c->rep, sh->rep.data + lv * 2, nl * 2, err));
    }
    c->page_levels += (int64_t)nl;
    c->page_values += (int64_t)(vv_end - vv);
    c->page_rows += take;
    c->page_plain_bytes += plain_size(c, v, vv, vv_end);
    ICE_TRY(update_stats(c, v, vv, vv_end, err));
    pq_stats_add_nulls(&c->pstats, (int64_t)nl - (int64_t)(vv_end - vv));
    if (c->dict_on) {
      ICE_TRY(append_values_dict(c, codec, v, vv, vv_end, err));
    } else {
      ICE_TRY(append_values_plain(c, v, vv, vv_end, err));
    }
    lv = lv_end;
    vv = vv_end;
    rows_done += take;
    bool dict_full = c->dict_on && pq_dict_builder_encoded_size(c->dict) >
                                       (uint64_t)c->opts->dict_bytes;
    /* Until the first dictionary page is judged, a page closes at the size its PLAIN
     * form would have: if the dictionary loses, that page is rewritten as PLAIN. */
    bool unjudged_full =
        c->dict_on && !c->dict_checked && c->page_plain_bytes >= c->opts->page_bytes;
    if (dict_full || unjudged_full || page_value_bytes(c) >= c->opts->page_bytes ||
        c->page_rows >= c->opts->page_rows) {
      ICE_TRY(flush_page(c, codec, err));
      if (dict_full && c->dict_on) c->dict_on = false; /* frozen: later pages fall back */
    }
  }
  return ICE_OK;
}

/* ---------------------------------------------------------------- chunk flush */

static uint64_t le_bits(const uint8_t *p, size_t n) {
  uint64_t u = 0;
  for (size_t i = 0; i < n && i < 8; i++) u |= (uint64_t)p[i] << (8 * i);
  return u;
}

/* Compares two bounds in statistics encoding under the column's order. */
static int cmp_encoded(enum pq_sort_order o, const uint8_t *a, size_t an,
                       const uint8_t *b, size_t bn) {
  switch (o) {
    case PQ_SORT_BOOL:
    case PQ_SORT_U32:
    case PQ_SORT_U64: {
      uint64_t x = le_bits(a, an), y = le_bits(b, bn);
      return x < y ? -1 : x > y;
    }
    case PQ_SORT_I32: {
      int32_t x = (int32_t)(uint32_t)le_bits(a, an),
              y = (int32_t)(uint32_t)le_bits(b, bn);
      return x < y ? -1 : x > y;
    }
    case PQ_SORT_I64: {
      int64_t x = (int64_t)le_bits(a, an), y = (int64_t)le_bits(b, bn);
      return x < y ? -1 : x > y;
    }
    case PQ_SORT_FLOAT: {
      uint32_t ux = (uint32_t)le_bits(a, an), uy = (uint32_t)le_bits(b, bn);
      float x, y;
      memcpy(&x, &ux, 4);
      memcpy(&y, &uy, 4);
      return x < y ? -1 : x > y;
    }
    case PQ_SORT_DOUBLE: {
      uint64_t ux = le_bits(a, an), uy = le_bits(b, bn);
      double x, y;
      memcpy(&x, &ux, 8);
      memcpy(&y, &uy, 8);
      return x < y ? -1 : x > y;
    }
    case PQ_SORT_DECIMAL_BE:
      if (an == bn && an > 0 && (a[0] ^ 0x80) != (b[0] ^ 0x80)) {
        return (a[0] ^ 0x80) < (b[0] ^ 0x80) ? -1 : 1;
      }
      /* same sign byte: unsigned compare of the rest */
      __attribute__((fallthrough));
    default: {
      size_t m = an < bn ? an : bn;
      int c = m ? memcmp(a, b, m) : 0;
      if (c != 0) return c;
      return an < bn ? -1 : an > bn;
    }
  }
}

/* ASCENDING / DESCENDING when the non-null pages' bounds say so (lets readers binary
 * search the index), else UNORDERED. */
static int32_t boundary_order(const struct pqw_column *c) {
  bool asc = true, desc = true;
  const struct pqw_page_rec *prev = NULL;
  for (size_t i = 0; i < c->n_recs; i++) {
    const struct pqw_page_rec *r = &c->recs[i];
    if (!r->has_minmax) continue;
    if (prev != NULL) {
      enum pq_sort_order o = c->leaf->order;
      int cmin = cmp_encoded(o, prev->min, prev->min_len, r->min, r->min_len);
      int cmax = cmp_encoded(o, prev->max, prev->max_len, r->max, r->max_len);
      if (cmin > 0 || cmax > 0) asc = false;
      if (cmin < 0 || cmax < 0) desc = false;
    }
    prev = r;
  }
  if (asc) return PQ_BOUNDARY_ASCENDING;
  if (desc) return PQ_BOUNDARY_DESCENDING;
  return PQ_BOUNDARY_UNORDERED;
}

/* The buffer's bytes in an allocation of their own size: page-index blobs are kept
 * until the file closes, so a doubled capacity would be held (and charged) for nothing.
 */
static uint8_t *take_exact(struct ice_buf *b) {
  size_t len = b->len;
  uint8_t *p = ice_buf_take(b);
  uint8_t *q = p != NULL ? ice_realloc(p, len ? len : 1) : NULL;
  return q != NULL ? q : p;
}

/* OffsetIndex always; ColumnIndex when the column has an order and no page is all NaN
 * (a TYPE_ORDER rule, reference/parquet.md §9.3). */
static int build_page_index(struct pqw_column *c, struct pqw_chunk_meta *m,
                            struct ice_error *err) {
  size_t n = c->n_recs;
  if (!c->opts->page_index || n == 0) return ICE_OK;
  struct ice_buf b;
  ice_buf_init(&b, ICE_LIMIT_FOOTER_BYTES);
  struct pq_page_location *locs = ice_calloc(n, sizeof *locs);
  bool *null_pages = ice_calloc(n, sizeof *null_pages);
  struct pq_bytes *mins = ice_calloc(n, sizeof *mins);
  struct pq_bytes *maxs = ice_calloc(n, sizeof *maxs);
  int64_t *nulls = ice_calloc(n, sizeof *nulls);
  int rc = ICE_OK;
  if (locs == NULL || null_pages == NULL || mins == NULL || maxs == NULL ||
      nulls == NULL) {
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory (page index)");
    goto done;
  }
  bool with_ci = c->leaf->order != PQ_SORT_NONE;
  for (size_t i = 0; i < n; i++) {
    const struct pqw_page_rec *r = &c->recs[i];
    locs[i].offset = m->data_page_offset + r->pos;
    locs[i].compressed_page_size = r->size;
    locs[i].first_row_index = r->first_row;
    null_pages[i] = r->values == 0;
    if (r->values > 0 && !r->has_minmax) with_ci = false; /* all NaN */
    if (r->has_minmax) {
      mins[i].data = r->min;
      mins[i].len = r->min_len;
      maxs[i].data = r->max;
      maxs[i].len = r->max_len;
    }
    nulls[i] = r->nulls;
  }
  struct pq_offset_index oi;
  memset(&oi, 0, sizeof oi);
  oi.page_locations = locs;
  oi.n_page_locations = n;
  rc = pq_meta_write_offset_index(&oi, &b, err);
  if (rc != ICE_OK) goto done;
  m->offset_index_len = b.len;
  m->offset_index = take_exact(&b);
  if (with_ci) {
    struct pq_column_index ci;
    memset(&ci, 0, sizeof ci);
    ci.n_pages = n;
    ci.null_pages = null_pages;
    ci.min_values = mins;
    ci.max_values = maxs;
    ci.boundary_order = boundary_order(c);
    ci.has_null_counts = true;
    ci.null_counts = nulls;
    ci.n_null_counts = n;
    rc = pq_meta_write_column_index(&ci, &b, err);
    if (rc != ICE_OK) goto done;
    m->column_index_len = b.len;
    m->column_index = take_exact(&b);
  }
done:
  ice_buf_reset(&b);
  ice_free(locs);
  ice_free(null_pages);
  ice_free(mins);
  ice_free(maxs);
  ice_free(nulls);
  return rc;
}

void pqw_chunk_bytes_init(struct pqw_chunk_bytes *b, struct ice_mem_budget *budget) {
  memset(b, 0, sizeof *b);
  ice_buf_init(&b->head, ICE_LIMIT_PAGE_BYTES);
  ice_buf_set_budget(&b->head, budget);
}

void pqw_chunk_bytes_reset(struct pqw_chunk_bytes *b) {
  ice_buf_reset(&b->head);
}

static int write_out(struct ice_output *out, const void *p, size_t n,
                     struct ice_error *err) {
  if (n == 0) return ICE_OK;
  return ice_output_write(out, p, n, err);
}

int pqw_chunk_bytes_write(const struct pqw_chunk_bytes *b, struct ice_output *out,
                          struct ice_error *err) {
  ICE_TRY(write_out(out, b->head.data, b->head.len, err));
  if (b->dict != NULL) ICE_TRY(write_out(out, b->dict->comp->data, b->dict->comp->len, err));
  if (b->pages != NULL) ICE_TRY(write_out(out, b->pages->data, b->pages->len, err));
  return ICE_OK;
}

void pqw_column_written(struct pqw_column *c, struct pqw_chunk_bytes *b) {
  pqw_page_job_free(b->dict, c->helper);
  b->dict = NULL;
  ice_buf_clear(&b->head);
  if (b->pages == &c->pages) {
    ice_buf_clear(&c->pages);
    c->pages_lent = false;
  }
  b->pages = NULL;
}

int pqw_column_flush(struct pqw_column *c, struct codec_ctx *codec, int64_t offset,
                     bool deferred, struct pqw_chunk_bytes *out, struct pqw_chunk_meta *m,
                     struct pq_stats *file_stats, struct ice_error *err) {
  /* Pages that do not go to workers are built in the writer's scratch and must be
   * collected at once, which a chunk still being written does not allow. */
  if (deferred && job_workers(c) == NULL)
    ICE_FAIL(err, ICE_EINVAL, "uncompressed chunk written behind the writer");
  ICE_TRY(close_chunk(c, codec, false, err));
  ICE_TRY(pqw_column_settle(c, err));
  memset(m, 0, sizeof *m);
  m->offset = offset;
  ice_buf_clear(&out->head);
  int64_t dict_bytes = 0, dict_uncompressed = 0;
  struct pqw_page_job *dj = c->dict_job;
  if (dj != NULL) {
    ICE_TRY(pq_meta_write_page_header(&dj->h, &out->head, err));
    dict_bytes = (int64_t)(out->head.len + dj->comp->len);
    dict_uncompressed = (int64_t)(out->head.len + dj->payload_len);
    m->has_dict = true;
    m->n_dict_pages = 1;
  }
  m->data_page_offset = m->offset + dict_bytes;
  m->num_values = c->chunk_values;
  m->compressed = dict_bytes + (int64_t)c->pages.len;
  m->uncompressed = dict_uncompressed + c->chunk_uncompressed;
  m->n_data_pages = c->n_data_pages;
  m->n_plain_pages = c->n_plain_pages;
  m->n_dict_data_pages = c->n_dict_data_pages;
  m->n_delta_pages = c->n_delta_pages;
  m->delta_encoding = c->fallback_encoding;
  if (c->leaf->max_def > 0 || c->leaf->max_rep > 0) m->encodings |= 1u << PQ_ENCODING_RLE;
  if (m->has_dict || c->n_plain_pages) m->encodings |= 1u << PQ_ENCODING_PLAIN;
  if (c->n_dict_data_pages) m->encodings |= 1u << PQ_ENCODING_RLE_DICTIONARY;
  if (c->n_delta_pages) m->encodings |= 1u << (unsigned)c->fallback_encoding;
  int rc = chunk_stats(c, m, err);
  if (rc == ICE_OK) rc = build_page_index(c, m, err);
  if (rc == ICE_OK) rc = pq_stats_merge(file_stats, &c->stats, err);
  clear_recs(c);
  c->chunk_rows = 0;
  if (rc != ICE_OK) {
    pqw_chunk_meta_reset(m);
    return rc;
  }
  /* The bytes go out with `out`; the dictionary page is its until written. */
  out->dict = dj;
  c->dict_job = NULL;
  out->pages = &c->pages;
  c->pages_lent = true;
  /* Next chunk starts fresh: new dictionary, new statistics. */
  c->chunk_values = c->chunk_uncompressed = 0;
  c->closed_raw = 0;
  c->n_data_pages = c->n_plain_pages = c->n_dict_data_pages = c->n_delta_pages = 0;
  pq_stats_clear(&c->stats);
  if (c->dict != NULL) pq_dict_builder_clear(c->dict);
  c->dict_on = c->dict_allowed;
  c->dict_checked = false;
  c->dict_used = false;
  return ICE_OK;
}
