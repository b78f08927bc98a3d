/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Public Parquet API: open a Parquet file and stream its rows as Arrow C Data
 * batches (see docs/internals/ARROW.md for the type mapping); describe its schema and
 * layout. The reader works page by page with positioned reads: memory is one batch of
 * decoded rows plus, per projected column, its dictionary and the current page — large
 * PLAIN pages (snappy, zstd or uncompressed) are decoded as a stream in ~256 KiB pieces,
 * so neither the file, the row group nor such a page is ever held whole.
 */
#ifndef ICE_PARQUET_H
#define ICE_PARQUET_H

#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "ice/ice_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default rows per batch. */
#define ICE_PARQUET_DEFAULT_BATCH_ROWS 16384

/** An open Parquet file (footer parsed). Opaque; not thread-safe. */
typedef struct ice_parquet_file ice_parquet_file;

/** Read options. Initialise with ice_parquet_read_options_init(). All pointers are
 *  borrowed for the duration of ice_parquet_stream(). */
struct ice_parquet_read_options {
  int64_t batch_rows;          /**< rows per batch (> 0); default ICE_PARQUET_DEFAULT_BATCH_ROWS */
  const char *const *columns;  /**< projection: dotted paths of Arrow field names ("a",
                                    "b.c"); a group selects everything below it; list and
                                    map wrappers ("element", "entries") may be left out
                                    ("l.x" = field x of l's struct elements). Columns come
                                    out in file order. NULL = all */
  size_t n_columns;
  const int32_t *row_groups;   /**< row groups to read, in this order; NULL = all */
  size_t n_row_groups;
  int threads;                 /**< threads that decode each batch's columns, the
                                    caller's included: 1 (default) = all on the thread
                                    calling get_next, 0 = one per online CPU, at most
                                    ICE_PARQUET_MAX_THREADS (ICE_EINVAL beyond). The
                                    stream owns them; batches and errors are the same
                                    whatever the number */
};
/** The most ice_parquet_read_options.threads can ask for. */
#define ICE_PARQUET_MAX_THREADS 256

/** Sets the defaults: every column, every row group, default batch size, one thread. */
ICE_API void ice_parquet_read_options_init(struct ice_parquet_read_options *opts);

/** Opens a local Parquet file and parses its footer.
 *  Errors: ICE_ENOTFOUND, ICE_EIO, ICE_ECORRUPT (not Parquet, bad footer),
 *  ICE_EUNSUPPORTED (encrypted footer), ICE_ELIMIT. */
ICE_API int ice_parquet_open(const char *path, ice_parquet_file **out, struct ice_error *err);

/** Opens Parquet bytes held in memory (borrowed: must outlive the file and its streams).
 *  `name` is used in messages. */
ICE_API int ice_parquet_open_memory(const void *data, size_t len, const char *name,
                                    ice_parquet_file **out, struct ice_error *err);

/** Closes the file. Streams made from it must be released first. NULL is fine. */
ICE_API void ice_parquet_close(ice_parquet_file *file);

/** Total rows: the sum of RowGroup.num_rows (FileMetaData.num_rows is wrong in some
 *  old files). */
ICE_API int64_t ice_parquet_num_rows(const ice_parquet_file *file);

/** Size of the file in bytes. */
ICE_API int64_t ice_parquet_file_size(const ice_parquet_file *file);

/** Number of row groups. */
ICE_API int32_t ice_parquet_num_row_groups(const ice_parquet_file *file);

/** Number of file-level key/value metadata entries, and entry i (borrowed strings; value
 *  may be NULL when the writer stored no value). */
ICE_API size_t ice_parquet_num_metadata(const ice_parquet_file *file);
ICE_API int ice_parquet_metadata(const ice_parquet_file *file, size_t i, const char **key,
                                 const char **value);

/** Fills `out` with the Arrow schema of the whole file (a struct of all columns),
 *  including PARQUET:field_id metadata. Caller releases it. */
ICE_API int ice_parquet_schema(ice_parquet_file *file, struct ArrowSchema *out,
                               struct ice_error *err);

/** Starts streaming rows. `out` receives an ArrowArrayStream whose batches are struct
 *  arrays of the projected columns; the caller releases it (before closing the file).
 *  Batches hold batch_rows rows (the last one fewer) and may span pages and row groups;
 *  a row is never split. Memory: per projected column the current page, its dictionary
 *  and one batch of output, whatever the row-group size. Page CRCs are verified when
 *  present. A column chunk whose first repetition level is not 0, columns of one row
 *  group that disagree on the row count, and required columns with nulls are
 *  ICE_ECORRUPT (reported through get_next).
 *  Errors during get_next are reported by its return code (errno-style, as the Arrow
 *  stream protocol requires) and get_last_error() gives the message naming the file,
 *  row group, column and page. Errors here: ICE_EINVAL (bad options), ICE_ENOTFOUND
 *  (unknown column in the projection). */
ICE_API int ice_parquet_stream(ice_parquet_file *file,
                               const struct ice_parquet_read_options *opts,
                               struct ArrowArrayStream *out, struct ice_error *err);

/** Human-readable description of the Parquet schema (physical, logical types,
 *  repetition, field ids) and row-group layout (rows, bytes, per column chunk codec,
 *  encodings, sizes). Returns a string to free with ice_string_free(). */
ICE_API int ice_parquet_describe(ice_parquet_file *file, char **out, struct ice_error *err);

/** Frees strings returned by the library. NULL is fine. */
ICE_API void ice_string_free(char *s);

#ifdef __cplusplus
}
#endif
#endif /* ICE_PARQUET_H */
