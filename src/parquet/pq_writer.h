/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The format-level Parquet writer: Arrow C Data batches in, a Parquet file out through
 * a struct ice_output (bytes strictly in order; nothing seeks back). It knows nothing
 * of Iceberg: the caller's Arrow schema (with PARQUET:field_id metadata) decides the
 * columns, options decide the representation (codec, page sizes, dictionary, page
 * version). Memory is the open row group's compressed pages plus one open page and one
 * dictionary per column. Statistics per leaf stay readable after close, so a caller can
 * derive file metrics without reading the file back.
 */
#ifndef ICE_PARQUET_PQ_WRITER_H
#define ICE_PARQUET_PQ_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "io/io.h"
#include "parquet/pq_meta.h"
#include "parquet/pq_stats.h"
#include "util/error.h"
#include "util/mem_budget.h"

struct codec_ctx;
struct pq_workers;

/* Defaults (Iceberg's Java writer defaults, reference/iceberg.md §6.5). */
#define PQ_WRITER_DEFAULT_ROW_GROUP_BYTES (128 * 1024 * 1024)
#define PQ_WRITER_DEFAULT_PAGE_BYTES (1024 * 1024)
#define PQ_WRITER_DEFAULT_PAGE_ROWS 20000
#define PQ_WRITER_DEFAULT_DICT_BYTES (2 * 1024 * 1024)
/* Bytes of a byte-array min/max kept in the footer statistics (longer values are
 * truncated with is_*_exact = false; the full values remain in pq_writer_leaf_stats). */
#define PQ_WRITER_STATS_TRUNCATE 64

struct pq_writer_options {
  enum pq_codec codec;     /* default ZSTD; LZ4 (5) and LZO are refused */
  int codec_level;         /* 0 = codec default */
  int64_t row_group_bytes; /* flush a row group when its buffered size reaches this */
  int64_t page_bytes;      /* close a page when its encoded size reaches this */
  int64_t page_rows;       /* ... or when it holds this many rows */
  int64_t dict_bytes;      /* dictionary page size limit; beyond it: fallback */
  int64_t memory_budget;   /* 0 = none; else flush the row group early past this */
  int64_t row_group_rows;  /* 0 = none; else rows per row group at most */
  int page_version;        /* 1 (default) or 2 */
  bool dictionary;         /* default true */
  bool write_nan_count;    /* Statistics.nan_count for floats (default true) */
  bool page_index;         /* ColumnIndex + OffsetIndex (default true) */
  const char *created_by;  /* NULL = "icestream version X (build Y)"; borrowed */
  /* NULL = none. Else every buffer of the writer is charged to it (growth past its
   * limit fails with ICE_ELIMIT naming the column), page and dictionary sizes shrink
   * to fit it as columns multiply, and the row group is flushed before its pages hold
   * a quarter of it. Borrowed; must outlive the writer. */
  struct ice_mem_budget *budget;
  /* NULL = the writer's own. Else the compression contexts to use (borrowed; must
   * outlive the writer): a load's many partition writers share one, since a zstd
   * context is around a megabyte each. Only for writers used from one thread. */
  struct codec_ctx *shared_codec;
  /* Encoding threads. 1 (default): pages are encoded and compressed on the calling
   * thread. N > 1: pages are still built on the calling thread, in order, but each
   * closed page is compressed by one of N - 1 worker threads (or by the caller while
   * it waits for room) and collected into its chunk in order; size decisions wait for
   * pages whose size they depend on, so the file is byte for byte the one threads = 1
   * writes. Page buffers waiting for a worker are few (a fixed number per thread) and
   * charged to `budget`, so near its limit (a refused charge, the flush at
   * five-eighths) the outcome depends on what all threads hold at that moment. */
  int threads;
  /* NULL = the writer starts its own workers when threads > 1. Else the workers to
   * use whatever `threads` says (borrowed; must outlive the writer): a load's many
   * partition writers share one set, all driven from one thread. */
  struct pq_workers *shared_workers;
};

/* A set of compression workers: threads - 1 threads (the caller's making `threads`),
 * each with its own compression context, and their page buffers, charged to `budget`
 * (may be NULL). Writers sharing a set may be driven from any threads. */
int pq_workers_new(int threads, struct ice_mem_budget *budget, struct pq_workers **out,
                   struct ice_error *err) ICE_NODISCARD;
int pq_workers_threads(const struct pq_workers *ws);
/* Joins the threads and frees the scratch. NULL is fine. */
void pq_workers_free(struct pq_workers *ws);

void pq_writer_options_init(struct pq_writer_options *o);
/* Applies one Iceberg property (write.parquet.compression-codec, ...-level,
 * row-group-size-bytes, page-size-bytes, page-row-limit, dict-size-bytes; icestream
 * extensions write.parquet.page-version (1|2), write.parquet.dictionary-enabled
 * (true|false), write.parquet.page-index (true|false), write.parquet.memory-budget-bytes;
 * pyiceberg's write.parquet.row-group-limit; Java's row-group-check-* and bloom-filter-*
 * keys are accepted without effect (no bloom filters are written)). ICE_ENOTFOUND when
 * `key` is not a Parquet writer property (so a caller can try its own keys); ICE_EINVAL
 * for a bad value. */
int pq_writer_options_set(struct pq_writer_options *o, const char *key, const char *value,
                          struct ice_error *err) ICE_NODISCARD;
/* Applies a NULL-terminated key, value, key, value, ... array; unknown keys are
 * ICE_EINVAL. NULL props is fine. */
int pq_writer_options_apply(struct pq_writer_options *o, const char *const *props,
                            struct ice_error *err) ICE_NODISCARD;
/* The default created_by string (parquet-java parseable). */
const char *pq_writer_created_by(void);

/* One key/value pair for the footer (borrowed by pq_writer_set_metadata: copied). */
struct pq_writer_kv {
  const char *key;
  const char *value;
};

struct pq_writer;

/* Creates a writer for `schema` (a struct "+s" whose children are the columns). Takes
 * ownership of `out` on success AND on failure: closed (finished or aborted) by the
 * writer. Writes "PAR1" at once. Errors: ICE_EUNSUPPORTED (an Arrow type with no
 * Parquet mapping), ICE_EINVAL (options, field ids), ICE_EIO. */
int pq_writer_new(const struct ArrowSchema *schema, const struct pq_writer_options *opts,
                  struct ice_output *out, struct pq_writer **w,
                  struct ice_error *err) ICE_NODISCARD;
/* Adds footer key/value metadata (copied); call before pq_writer_close. */
int pq_writer_add_metadata(struct pq_writer *w, const char *key, const char *value,
                           struct ice_error *err) ICE_NODISCARD;
/* Appends the rows of `batch` (a struct array of the schema; borrowed, not released).
 * Rows [offset, offset+length) only. A value the column cannot hold (null in a
 * required field, decimal beyond its precision, non-UTF-8 in a string, timestamp
 * overflow) is ICE_EINVAL naming the column and file row; the writer is then failed
 * (only pq_writer_free is allowed, which aborts the output). */
int pq_writer_write(struct pq_writer *w, const struct ArrowArray *batch,
                    struct ice_error *err) ICE_NODISCARD;
/* Checks that `batch` is a structurally valid array of the writer's schema (buffers,
 * offsets in bounds): ICE_EINVAL otherwise. pq_writer_write does it itself. */
int pq_writer_check_batch(const struct pq_writer *w, const struct ArrowArray *batch,
                          struct ice_error *err) ICE_NODISCARD;
/* Rows [first, first + n) of a batch ALREADY checked with pq_writer_check_batch (lets a
 * caller split one batch between files without re-validating it). */
int pq_writer_write_rows(struct pq_writer *w, const struct ArrowArray *batch,
                         int64_t first, int64_t n, struct ice_error *err) ICE_NODISCARD;
/* Writes the open row group now (no-op when empty). */
int pq_writer_flush_row_group(struct pq_writer *w, struct ice_error *err) ICE_NODISCARD;
/* Flushes, writes the footer and finishes the output. On failure the output is aborted.
 * Statistics stay readable until pq_writer_free. */
int pq_writer_close(struct pq_writer *w, struct ice_error *err) ICE_NODISCARD;
/* Starts a new file on a writer that closed successfully (after its statistics were
 * read): same schema and options, per-file state cleared, while column buffers, open
 * page scratch, dictionaries and the codec context keep their memory. A rolling writer
 * thus allocates its large buffers once instead of once per file (which also spares
 * glibc's heap the fragmentation of freeing and re-growing them). The output is
 * written exactly as by a new writer. Takes ownership of `out` on success and failure.
 * ICE_EINVAL when the writer is not closed. */
int pq_writer_restart(struct pq_writer *w, struct ice_output *out,
                      struct ice_error *err) ICE_NODISCARD;
/* Aborts the output unless closed, frees everything. NULL is fine. */
void pq_writer_free(struct pq_writer *w);

/* Bytes accepted by the output so far. */
int64_t pq_writer_bytes_written(const struct pq_writer *w);
/* The file's size if the open row group were flushed now: bytes written + its
 * compressed pages + open pages and dictionaries (scaled by the compression seen).
 * While pages are still being compressed by workers the size is known only within
 * [*lo, *hi]; returns true when the two are equal (the exact size). Decisions that
 * shape the file (where to roll to a new one) must take the exact size whenever the
 * range straddles their threshold, or the file would depend on the threads' timing. */
int pq_writer_size_bounds(const struct pq_writer *w, int64_t *lo, int64_t *hi);
/* The compression context the calling thread uses from now on (NULL: the writer's
 * own): a writer driven from different threads over time (a partition writer taken by
 * whichever thread is free) is handed that thread's before each call. */
void pq_writer_use_codec(struct pq_writer *w, struct codec_ctx *codec);
/* Bytes of the file so far before compression (written row groups, closed pages,
 * open pages and dictionaries): known at once, whatever the workers have done. */
int64_t pq_writer_raw_bytes(const struct pq_writer *w);
/* The exact size, after waiting for (and helping) every page still compressing. */
int pq_writer_size(struct pq_writer *w, int64_t *size,
                   struct ice_error *err) ICE_NODISCARD;
/* Memory held until the file closes (closed chunks' footer facts and page index, the
 * open chunks' page records): a writer that may roll to a new file rolls before this
 * takes a large share of its budget. */
int64_t pq_writer_footer_bytes(const struct pq_writer *w);
int64_t pq_writer_num_rows(const struct pq_writer *w);
/* File size after close (0 before). */
int64_t pq_writer_file_size(const struct pq_writer *w);

/* Per-leaf facts and file-level statistics (for Iceberg metrics). */
struct pq_writer_leaf {
  const char *path; /* dotted names, e.g. "a.element.b" (list element "element",
                     * map "key"/"value") */
  bool has_field_id;
  int32_t field_id;
  bool repeated; /* inside a list or map */
  enum pq_type type;
  int32_t type_length; /* FLBA */
  bool is_string;      /* STRING/JSON: truncation counts UTF-8 code points */
  bool is_decimal;
  int32_t precision, scale;
  bool is_float;            /* FLOAT/DOUBLE: NaN counts are meaningful */
  int64_t num_values;       /* level entries (values + nulls), summed over row groups */
  int64_t compressed_bytes; /* column chunk total_compressed_size, summed */
  struct pq_stats stats;    /* full (untruncated) min/max, null and NaN counts */
};
size_t pq_writer_num_leaves(const struct pq_writer *w);
const struct pq_writer_leaf *pq_writer_leaf_view(const struct pq_writer *w, size_t i);
/* Row-group start offsets (ascending), valid after each flush. */
size_t pq_writer_num_row_groups(const struct pq_writer *w);
/* Threads the writer encodes and compresses on, its caller's included (>= 1). */
int pq_writer_threads(const struct pq_writer *w);
int64_t pq_writer_row_group_offset(const struct pq_writer *w, size_t i);

#endif
