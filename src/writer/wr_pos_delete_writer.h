/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The position-delete file writer for merge-on-read (spec "Position Delete Files";
 * reference/iceberg.md §7.1): (data file path, row position) pairs in, Parquet delete
 * files out, with exactly the two required columns file_path (field id 2147483546) and
 * pos (2147483545), that schema in the footer's "iceberg.schema" and "delete-type" =
 * "position", as Java writes them. Files roll at the target file size through the
 * data-file writer (wr_data_writer.h), so opening, rolling and metrics work as for data
 * files.
 *
 * Each closed file reaches the done callback as a DataFile with content
 * POSITION_DELETES, full (never truncated) file_path and pos bounds (scan planners use
 * the path range to decide which data files a delete file applies to) and
 * referenced_data_file set when every row names one data file. A delete file must carry
 * the partition of the data files it names, which only the caller knows: one writer per
 * partition, told its tuple with wr_pos_delete_writer_set_partition (none: empty, as
 * for an unpartitioned table).
 *
 * Memory: one batch of at most 64Ki rows and 8 MiB (less under a small budget) plus the
 * data-file writer's row group, all charged to opts->parquet.budget; nothing grows with
 * the number of positions. Not thread-safe; one writer per thread.
 */
#ifndef ICE_WRITER_WR_POS_DELETE_WRITER_H
#define ICE_WRITER_WR_POS_DELETE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "writer/wr_data_writer.h"

struct wr_pos_delete_writer;

/* opts: the table's write options for delete files (compression, target file size,
 * page and row-group sizes, the memory budget in opts->parquet.budget; the ops layer's
 * op_table_props_delete_writer_options gives Java's: write.delete.* over the data
 * settings); only those are used: the metrics mode (full) and the footer are this
 * writer's own. opts is copied (the budget is borrowed and must outlive the writer).
 * open_fn/done_fn/ctx as for wr_data_writer: open_fn is called when the first row of
 * file number `index` is flushed, done_fn as each file closes. Errors: ICE_ENOMEM. */
int wr_pos_delete_writer_new(const struct wr_options *opts, wr_open_fn open_fn,
                             wr_done_fn done_fn, void *ctx,
                             struct wr_pos_delete_writer **out,
                             struct ice_error *err) ICE_NODISCARD;

/* Every file this writer makes gets a copy of partition tuple p (the tuple of the data
 * files whose rows it deletes; the caller keeps them to one spec and partition). Only
 * before the first add: ICE_EINVAL after it. ICE_ENOMEM. */
int wr_pos_delete_writer_set_partition(struct wr_pos_delete_writer *w,
                                       const struct ib_partition_tuple *p,
                                       struct ice_error *err) ICE_NODISCARD;

/* Deletes positions pos[0..n) of data file `path` (borrowed; copied as needed). Calls
 * must come in ascending (path, pos) order: paths compared bytewise as unsigned bytes
 * (Java's order for ASCII paths), positions >= 0 and strictly increasing within a path,
 * also across calls for the same path. A call that breaks the order, a NULL or empty
 * path, a path longer than ICE_LIMIT_LOCATION_BYTES or a NULL pos with n > 0 is
 * ICE_EINVAL naming the path and position, and changes nothing (the writer stays
 * usable). n == 0 only checks the path's order. A path that is not UTF-8 is refused by
 * the Parquet writer when its batch is written (ICE_EINVAL, failing the writer). Buffered
 * rows may be written (and files opened and closed) during the call; an I/O or memory
 * error there (ICE_EIO, ICE_ENOMEM, ICE_ELIMIT) fails the writer: later calls are
 * ICE_EINVAL and only _free is allowed. */
int wr_pos_delete_writer_add(struct wr_pos_delete_writer *w, const char *path,
                             const int64_t *pos, size_t n,
                             struct ice_error *err) ICE_NODISCARD;

/* Writes the buffered rows and closes the last file (none is made when no position was
 * added). After it only _free is allowed. */
int wr_pos_delete_writer_close(struct wr_pos_delete_writer *w,
                               struct ice_error *err) ICE_NODISCARD;

/* Aborts an unfinished file (its output is aborted, not completed) and frees. NULL is
 * fine. */
void wr_pos_delete_writer_free(struct wr_pos_delete_writer *w);

#endif
