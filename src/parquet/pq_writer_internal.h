/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the writer's files: the column tree built from the Arrow schema
 * (pq_writer_schema.c), the per-leaf level/value shredding of Arrow arrays
 * (pq_column_writer_shred.c), value conversion and validation
 * (pq_column_writer_values.c), and the per-leaf page/chunk state
 * (pq_column_writer.c). Not for use outside src/parquet/pq_writer*.c and
 * pq_column_writer*.c.
 */
#ifndef ICE_PARQUET_PQ_WRITER_INTERNAL_H
#define ICE_PARQUET_PQ_WRITER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arrow/arrow_type.h"
#include "codec/codec.h"
#include "parquet/pq_meta.h"
#include "parquet/pq_writer.h"
#include "util/buf.h"
#include "util/task_queue.h"

enum pqw_node_kind { PQW_LEAF, PQW_STRUCT, PQW_LIST, PQW_MAP };

/* How a leaf's Arrow values become Parquet values. */
enum pqw_value_kind {
  PQW_V_NULL, /* Arrow "n": INT32 UNKNOWN, every slot null */
  PQW_V_BOOL,
  PQW_V_I8,
  PQW_V_I16,
  PQW_V_I32, /* also date32, time32 is converted (see below) */
  PQW_V_U8,
  PQW_V_U16,
  PQW_V_U32,          /* stored as the INT32 bit pattern */
  PQW_V_I64,          /* int64, uint64 bit pattern, time64, timestamps in their unit */
  PQW_V_I64_SCALE,    /* int64 * scale (timestamps s/ms -> us), overflow checked */
  PQW_V_TIME32_SCALE, /* int32 * scale -> INT64 micros (time32 s/ms) */
  PQW_V_DATE64,       /* int64 ms -> INT32 days (floor) */
  PQW_V_F16,          /* 2 bytes -> FLBA(2) */
  PQW_V_F32,
  PQW_V_F64,
  PQW_V_BIN32,   /* int32 offsets */
  PQW_V_BIN64,   /* int64 offsets */
  PQW_V_FIXED,   /* w:n -> FLBA(n) (or INT96 for w:12 icestream.int96) */
  PQW_V_DEC_I32, /* decimal128/256 -> INT32 */
  PQW_V_DEC_I64, /* decimal128/256 -> INT64 */
  PQW_V_DEC_FLBA /* decimal128/256 -> FLBA(min bytes), big-endian */
};

struct pqw_node {
  enum pqw_node_kind kind;
  char *name;    /* owned */
  char *path;    /* owned dotted path */
  bool optional; /* Arrow nullable: OPTIONAL, else REQUIRED */
  bool has_field_id;
  int32_t field_id;
  int16_t max_def;   /* definition level when this node (and, for lists/maps, the
                      * repeated group) is present and non-empty */
  int16_t max_rep;   /* repetition level of elements of this list/map (lists/maps) */
  int32_t parent;    /* node index, -1 for top-level columns */
  int32_t slot;      /* index among the parent's children (or top-level columns) */
  int32_t *children; /* node indices (owned); map: key, value */
  int32_t n_children;
  int32_t leaf; /* leaf index for PQW_LEAF, else -1 */
  /* leaves */
  struct arrow_type at;
  enum pqw_value_kind vk;
  int64_t scale; /* PQW_V_I64_SCALE / PQW_V_TIME32_SCALE factor */
  enum pq_type ptype;
  int32_t type_length; /* FLBA width */
  bool has_logical;
  struct pq_logical_type logical;
  bool has_converted;
  enum pq_converted_type converted;
  enum pq_sort_order order;
  bool is_large_list; /* +L: int64 offsets */
};

struct pqw_schema {
  struct pqw_node *nodes;
  int32_t n_nodes;
  int32_t *top; /* top-level column node indices */
  int32_t n_top;
  int32_t *leaf_nodes; /* node index of each leaf, in schema order */
  int32_t n_leaves;
};

int pqw_schema_build(const struct ArrowSchema *schema, struct pqw_schema *out,
                     struct ice_error *err) ICE_NODISCARD;
void pqw_schema_reset(struct pqw_schema *s);
/* Flattened Parquet schema elements (root first). Strings point into s. */
int pqw_schema_elements(const struct pqw_schema *s, struct pq_schema_element **out,
                        size_t *n, struct ice_error *err) ICE_NODISCARD;

/* Levels and value positions of one leaf for a range of top-level rows. */
struct pqw_shred {
  struct ice_buf def; /* uint16 per level entry */
  struct ice_buf rep; /* uint16 per level entry (only when max_rep > 0) */
  struct ice_buf idx; /* int64 leaf-array slot per value (when !contiguous) */
  int64_t n_levels;
  int64_t n_values; /* entries with def == max_def */
  int64_t n_rows;
  bool contiguous; /* values are slots [first, first + n_values) */
  int64_t first;
  int64_t base;     /* flat columns: leaf slot of the shred's first row */
  int64_t file_row; /* file row of the shred's first row (messages) */
  bool flat;        /* top-level primitive: row = file_row + slot - base */
  const struct ArrowArray *leaf_array; /* the leaf's array in this batch */
};

void pqw_shred_init(struct pqw_shred *s);
void pqw_shred_reset(struct pqw_shred *s);
/* Shreds rows [row0, row0 + n) of `batch` (the top struct array) for leaf `leaf`.
 * `file_row0` is the file row of batch row 0 (for messages). */
int pqw_shred_leaf(const struct pqw_schema *sch, int32_t leaf,
                   const struct ArrowArray *batch, int64_t row0, int64_t n,
                   int64_t file_row0, struct pqw_shred *out,
                   struct ice_error *err) ICE_NODISCARD;

/* Values of one shred converted to their Parquet physical form. */
struct pqw_values {
  struct ice_buf fixed;  /* n * width bytes (INT32/INT64/FLOAT/DOUBLE/FLBA/INT96) or
                          * n bytes 0/1 (BOOLEAN) */
  struct ice_buf bytes;  /* struct pq_bytes per value (BYTE_ARRAY) */
  const uint8_t *direct; /* when set, the fixed values live here (no copy) */
  size_t n;
  int64_t bad_slot;  /* nested leaves: leaf slot of a rejected value, else -1 */
  char bad_what[96]; /* ... and why */
};
void pqw_values_init(struct pqw_values *v);
void pqw_values_reset(struct pqw_values *v);
/* Converts and validates (UTF-8, decimal precision, overflow). */
int pqw_values_gather(const struct pqw_node *leaf, const struct pqw_shred *sh,
                      struct pqw_values *out, struct ice_error *err) ICE_NODISCARD;
/* Byte width of a fixed physical value (0 for BYTE_ARRAY, 1 for BOOLEAN bytes). */
size_t pqw_value_width(const struct pqw_node *leaf);
/* True when bytes [p, p+n) are valid UTF-8. */
bool pqw_utf8_valid(const uint8_t *p, size_t n);

/* ice_buf_resize without zeroing the new bytes: only for regions the caller writes in
 * full before anything reads them (scratch arrays filled in the same function). */
static inline int pqw_buf_set_len(struct ice_buf *b, size_t len, struct ice_error *err) {
  if (len > b->len) {
    int rc = ice_buf_reserve(b, len - b->len, err);
    if (rc != ICE_OK) return rc;
  }
  b->len = len;
  return ICE_OK;
}

/* Heap bytes an allocation of n bytes at p occupies (glibc: an 8-byte header, 16-byte
 * steps, 32 at least), so that many small allocations are charged what they hold. */
static inline int64_t pqw_alloc_bytes(const void *p, size_t n) {
  if (p == NULL) return 0;
  size_t c = (n + 8 + 15) & ~(size_t)15;
  return c < 32 ? 32 : (int64_t)c;
}

/* One closed column chunk's footer facts. */
struct pqw_chunk_meta {
  int64_t offset; /* chunk start */
  int64_t data_page_offset;
  bool has_dict;
  int64_t num_values;
  int64_t uncompressed;
  int64_t compressed;
  uint32_t encodings; /* bit per enum pq_encoding */
  int32_t n_dict_pages, n_data_pages, n_plain_pages, n_dict_data_pages, n_delta_pages;
  int32_t delta_encoding; /* the DELTA_* used by delta pages */
  int64_t null_count;
  bool has_nan_count;
  int64_t nan_count;
  bool has_min, has_max, min_exact, max_exact, signed_legacy;
  uint8_t *min; /* owned */
  size_t min_len;
  uint8_t *max; /* owned */
  size_t max_len;
  /* page index blobs (Thrift), written after the last row group; owned */
  uint8_t *column_index;
  size_t column_index_len;
  uint8_t *offset_index;
  size_t offset_index_len;
  int64_t column_index_offset, offset_index_offset; /* set when written */
};

/* Page encoding scratch: one set per writer, shared by its columns (a page is built
 * and copied into its chunk before the next column's), so wide schemas do not hold a
 * set of page-sized buffers per column. */
struct pqw_page_scratch {
  struct ice_buf payload, comp, header, tmp;
};
void pqw_page_scratch_init(struct pqw_page_scratch *s, struct ice_mem_budget *budget);
void pqw_page_scratch_reset(struct pqw_page_scratch *s);

struct pqw_column;
/* scr: the writer's scratch; ws: compression workers (NULL: none); helper: the
 * writing thread's codec, used to compress here while waiting for workers. */
int pqw_column_new(const struct pqw_node *leaf, const struct pq_writer_options *opts,
                   struct pqw_page_scratch *scr, struct pq_workers *ws,
                   struct codec_ctx *helper, struct pqw_column **out,
                   struct ice_error *err) ICE_NODISCARD;
void pqw_column_free(struct pqw_column *c);
/* Readies a flushed column for a new file: per-file predictions are forgotten, every
 * buffer (pages, open page, dictionary, scratch) keeps its memory. */
void pqw_column_restart(struct pqw_column *c);
/* Frees the (flushed, empty) chunk buffer's memory. */
void pqw_column_release_pages(struct pqw_column *c);
/* Closes the open page and queues the chunk's dictionary page: the first step of
 * pqw_column_flush, which a writer takes for all columns before writing any, so with
 * workers their last pages compress side by side. */
int pqw_column_close_chunk(struct pqw_column *c, struct codec_ctx *codec,
                           struct ice_error *err) ICE_NODISCARD;
/* Collects the pages compressed so far, without waiting: their buffers go back to the
 * workers' pool instead of waiting for the column's next page (with many columns, one
 * finished page per column would otherwise be held each). */
int pqw_column_collect(struct pqw_column *c, struct ice_error *err) ICE_NODISCARD;
/* The writing thread's codec from now on (pq_writer_use_codec). */
void pqw_column_set_helper(struct pqw_column *c, struct codec_ctx *helper);
/* Waits for the column's pages still compressing and collects them into the chunk;
 * a failed compression's error. */
int pqw_column_settle(struct pqw_column *c, struct ice_error *err) ICE_NODISCARD;
/* Appends one shred (levels + converted values) to the open page(s). */
int pqw_column_append(struct pqw_column *c, struct codec_ctx *codec,
                      const struct pqw_shred *sh, const struct pqw_values *v,
                      struct ice_error *err) ICE_NODISCARD;
/* Bytes the chunk would occupy if written now: within [*lo, *hi] while pages are
 * compressing, exact (*lo == *hi) once settled. */
void pqw_column_buffered(const struct pqw_column *c, int64_t *lo, int64_t *hi);
/* Bytes of the open chunk before compression (closed pages + open page + dictionary). */
int64_t pqw_column_raw_bytes(const struct pqw_column *c);
/* Memory the open chunk's page-index records hold (charged to the budget). */
int64_t pqw_column_page_index_held(const struct pqw_column *c);
struct pqw_page_job;

/* A closed column chunk's bytes on their way to the output: the dictionary page's
 * header, the dictionary page's job (its bytes), then the data pages, which are the
 * column's buffer, lent until pqw_column_written. Written at once, or by a worker while the writer goes on with
 * the next row group (pq_writer_behind.c). */
struct pqw_chunk_bytes {
  struct ice_buf head;
  struct pqw_page_job *dict;
  const struct ice_buf *pages;
};
void pqw_chunk_bytes_init(struct pqw_chunk_bytes *b, struct ice_mem_budget *budget);
void pqw_chunk_bytes_reset(struct pqw_chunk_bytes *b);
int pqw_chunk_bytes_write(const struct pqw_chunk_bytes *b, struct ice_output *out,
                          struct ice_error *err) ICE_NODISCARD;

/* Closes the chunk, to be written at file offset `offset`: its bytes go to `out`, fills
 * `meta`, merges chunk stats into `file_stats`, and resets for the next chunk, whose
 * finished pages wait in their jobs until the bytes are written. `deferred`: they are
 * written after the next column's flush, which only a compressed column allows (an
 * uncompressed one builds its pages in the writer's scratch). */
int pqw_column_flush(struct pqw_column *c, struct codec_ctx *codec, int64_t offset,
                     bool deferred, struct pqw_chunk_bytes *out,
                     struct pqw_chunk_meta *meta, struct pq_stats *file_stats,
                     struct ice_error *err) ICE_NODISCARD;
/* The chunk's bytes were written (or dropped): the column has its buffer back. */
void pqw_column_written(struct pqw_column *c, struct pqw_chunk_bytes *b);
void pqw_chunk_meta_reset(struct pqw_chunk_meta *m);

enum codec_id pqw_codec_id(enum pq_codec c);

/* What encoding one slice of one leaf needs for itself: the serial path has one (the
 * writer's), each worker of a pq_workers set its own. */
struct pqw_worker {
  struct pqw_shred shred;
  struct pqw_values values;
  struct pqw_page_scratch scratch;
  struct codec_ctx own_codec;
  struct codec_ctx *codec; /* own_codec or a borrowed one */
};
void pqw_worker_init(struct pqw_worker *wk, struct ice_mem_budget *budget,
                     struct codec_ctx *codec);
void pqw_worker_reset(struct pqw_worker *wk);

/* The workers' queue, and their pool of page buffers: at most a few per thread exist,
 * so closed pages waiting for compression hold bounded memory. take_buf helps (runs a
 * queued compression on the calling thread with `helper`) until a buffer is free;
 * give_buf may be called from any thread. */
struct ice_task_queue *pqw_workers_queue(struct pq_workers *ws);
int pqw_workers_take_buf(struct pq_workers *ws, struct codec_ctx *helper,
                         struct ice_buf **out, struct ice_error *err) ICE_NODISCARD;
void pqw_workers_give_buf(struct pq_workers *ws, struct ice_buf *b);
/* How many pages may wait for compression at once (the pool's size). */
int32_t pqw_workers_pages_in_flight(const struct pq_workers *ws);
/* A buffer for a compressed page until it is collected (never waits). */
int pqw_workers_take_comp(struct pq_workers *ws, struct ice_buf **out,
                          struct ice_error *err) ICE_NODISCARD;
void pqw_workers_give_comp(struct pq_workers *ws, struct ice_buf *b);

/* A flushed row group's chunks written by a worker while the writer builds the next:
 * the writer waits for it (pqw_behind_wait) before anything else reaches the output
 * or the columns' buffers. */
struct pqw_behind {
  struct ice_task task; /* first: the task is the write */
  struct ice_output *out;
  struct pqw_chunk_bytes *chunks; /* one per leaf, the first n filled */
  int32_t n;
  bool queued;
  int64_t end; /* the output's size once written */
  int rc;
  int32_t failed; /* the chunk whose write failed */
  struct ice_error err;
};
int pqw_behind_init(struct pqw_behind *b, int32_t n_leaves, struct ice_mem_budget *budget,
                    struct ice_error *err) ICE_NODISCARD;
void pqw_behind_reset(struct pqw_behind *b, int32_t n_leaves);
/* Queues the write of chunks[0 .. n) to `out`, which then reaches `end` bytes. */
void pqw_behind_start(struct pqw_behind *b, struct pq_workers *ws, struct ice_output *out,
                      int64_t end);
/* True when a queued write has finished (or none is queued). */
bool pqw_behind_done(const struct pqw_behind *b, struct pq_workers *ws);
/* Waits for a queued write (running queued tasks meanwhile); its result. */
int pqw_behind_wait(struct pqw_behind *b, struct pq_workers *ws, struct codec_ctx *helper,
                    struct ice_error *err) ICE_NODISCARD;

/* Bytes a serialised page header may take (Thrift compact, a few varints). */
#define PQW_PAGE_HEADER_MAX 64

/* A closed page (or a chunk's dictionary page) on its way into its chunk. Built by
 * the writing thread in `payload`, compressed into `comp` at once (ws NULL: the
 * writer's scratch) or by a worker (a pooled buffer, given back once compressed).
 * The fields up to `task` are the writer thread's; rc, err and comp are the
 * compressor's until the job is done. */
struct pqw_page_job {
  struct ice_task task; /* first: the task is the job */
  struct pq_workers *ws;
  enum codec_id codec;
  int level;
  size_t raw_prefix; /* v2 levels: stored as they are in front */
  bool compress;     /* false: the values are stored as they are too */
  bool dictionary;
  bool started, inline_done;
  struct pq_page_header h; /* all but the sizes, filled when the job is collected */
  int64_t rec;             /* page-index record, -1 for none */
  size_t payload_len;
  struct ice_buf *payload;
  struct ice_buf *comp;
  int rc;
  struct ice_error err;
  struct pqw_page_job *next; /* the column's list of jobs not collected yet */
};
/* A job with an empty payload to encode into. */
int pqw_page_job_new(struct pq_workers *ws, struct codec_ctx *helper,
                     struct pqw_page_scratch *scr, struct pqw_page_job **out,
                     struct ice_error *err) ICE_NODISCARD;
/* Compresses the payload now (no workers) or queues it. Errors of the compression are
 * the job's rc/err, seen when it is collected. */
int pqw_page_job_start(struct pqw_page_job *j, struct codec_ctx *codec,
                       struct ice_error *err) ICE_NODISCARD;
bool pqw_page_job_done(struct pqw_page_job *j);
/* Until done, compressing queued pages here meanwhile. */
void pqw_page_job_wait(struct pqw_page_job *j, struct codec_ctx *helper);
/* Most bytes the page can take in its chunk, header included. */
size_t pqw_page_job_bound(const struct pqw_page_job *j);
/* Waits for a started job, then frees it. NULL is fine. */
void pqw_page_job_free(struct pqw_page_job *j, struct codec_ctx *helper);

#endif
