/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Public Parquet writer API: Arrow C Data batches (or a whole ArrowArrayStream) into a
 * new Parquet file. The Arrow -> Parquet mapping is Iceberg's (docs/internals/ARROW.md):
 * field ids from PARQUET:field_id metadata, 3-level lists and maps, decimals by
 * precision, timestamps in micros or nanos, UUIDs on FLBA(16). Options are Iceberg
 * table-property strings, e.g. {"write.parquet.compression-codec", "zstd", NULL}:
 *   write.parquet.compression-codec   zstd (default) | snappy | gzip | lz4 | brotli |
 * uncompressed write.parquet.compression-level   codec level (default: the codec's)
 *   write.parquet.row-group-size-bytes  128 MiB;  write.parquet.page-size-bytes  1 MiB
 *   write.parquet.page-row-limit      20000;   write.parquet.dict-size-bytes  2 MiB
 *   write.parquet.page-version        1 (default) | 2        (icestream extension)
 *   write.parquet.dictionary-enabled  true (default) | false (icestream extension)
 *   write.parquet.page-index          true (default) | false: ColumnIndex/OffsetIndex
 *   write.parquet.memory-budget-bytes flush row groups early past this (icestream
 * extension) write.parquet.row-group-limit     rows per row group at most (pyiceberg's
 * key) write.parquet.bloom-filter-*, write.parquet.row-group-check-*: accepted, no effect
 * One key says how the write runs, not how the file looks:
 *   icestream.threads  threads that encode and compress: 1 (default), 0 = one per
 *                      online CPU, up to 256; the file's bytes are the same for any
 * Unknown keys are ICE_EINVAL. A failed write leaves no file behind.
 */
#ifndef ICE_PARQUET_WRITE_H
#define ICE_PARQUET_WRITE_H

#include <stdint.h>

#include "ice/ice_arrow.h"
#include "ice/ice_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a finished write produced. */
struct ice_parquet_write_info {
  int64_t rows;
  int64_t file_bytes;
  int32_t row_groups;
};

/** An open Parquet writer. Opaque; not thread-safe. */
typedef struct ice_parquet_writer ice_parquet_writer;

/** Creates `path` (which must not exist: ICE_EEXISTS) for rows of `schema` (a struct
 *  "+s" of columns; borrowed, copied). Errors: ICE_EINVAL (options), ICE_EUNSUPPORTED
 *  (an Arrow type with no Parquet mapping), ICE_EIO. */
ICE_API int ice_parquet_writer_open(const char *path, const struct ArrowSchema *schema,
                                    const char *const *props, ice_parquet_writer **out,
                                    struct ice_error *err);

/** Appends the rows of `batch` (a struct array of the schema; borrowed, not released).
 *  A value the column cannot hold (null in a non-nullable field, decimal beyond its
 *  precision, invalid UTF-8 in a string column) is ICE_EINVAL naming column and row;
 *  the writer is then unusable and ice_parquet_writer_free removes the file. */
ICE_API int ice_parquet_writer_write(ice_parquet_writer *w,
                                     const struct ArrowArray *batch,
                                     struct ice_error *err);

/** Writes the footer and makes the file complete; `info` may be NULL. */
ICE_API int ice_parquet_writer_close(ice_parquet_writer *w,
                                     struct ice_parquet_write_info *info,
                                     struct ice_error *err);

/** Frees the writer; a file not successfully closed is removed. NULL is fine. */
ICE_API void ice_parquet_writer_free(ice_parquet_writer *w);

/** Writes every batch of `stream` into a new file at `path`. Consumes the stream: it is
 *  released on return, success or not. Stream errors are ICE_EIO with the stream's
 *  message. Above one thread (icestream.threads) the stream's next batch is read on a
 *  thread of its own while the current one is written, so get_next is called from
 *  that thread (one call at a time, in order). */
ICE_API int ice_parquet_write_stream(const char *path, struct ArrowArrayStream *stream,
                                     const char *const *props,
                                     struct ice_parquet_write_info *info,
                                     struct ice_error *err);

#ifdef __cplusplus
}
#endif
#endif /* ICE_PARQUET_WRITE_H */
