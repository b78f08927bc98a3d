/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Iceberg data-file writer: Arrow batches -> a sequence of Parquet data files, each
 * closed when its on-disk size (bytes written + the open row group) reaches
 * write.target-file-size-bytes, with the DataFile (path, counts, bounds, split offsets)
 * handed to the caller as each file closes. The caller chooses every path: a callback
 * opens the next output when the first row for it arrives, so no empty file is made.
 * Memory is one Parquet writer's row group; that writer is restarted for each next
 * file (pq_writer_restart), so its buffers are allocated once, not once per file.
 */
#ifndef ICE_WRITER_WR_DATA_WRITER_H
#define ICE_WRITER_WR_DATA_WRITER_H

#include <stdint.h>

#include "ice/ice_arrow.h"
#include "iceberg/ib_data_file.h"
#include "io/io.h"
#include "parquet/pq_writer.h"
#include "writer/wr_metrics.h"

#define WR_DEFAULT_TARGET_FILE_BYTES (512ll * 1024 * 1024)

struct wr_options {
  int64_t target_file_bytes;        /* write.target-file-size-bytes */
  struct pq_writer_options parquet; /* write.parquet.* */
  struct wr_metrics_config metrics; /* write.metadata.metrics.* */
  char *iceberg_schema_json;        /* footer "iceberg.schema" when set (owned) */
  const char *file_kind;   /* names the files in messages; NULL = "data file" (borrowed,
                            * e.g. a string literal) */
  const char *delete_type; /* footer "delete-type" as Java writes it in delete files
                            * ("position"); NULL = none (borrowed) */
};

void wr_options_init(struct wr_options *o);
void wr_options_reset(struct wr_options *o);
/* Applies a NULL-terminated key/value array of Iceberg write properties; unknown keys
 * are ICE_EINVAL. */
int wr_options_apply(struct wr_options *o, const char *const *props,
                     struct ice_error *err) ICE_NODISCARD;
int wr_options_set_schema_json(struct wr_options *o, const char *json,
                               struct ice_error *err) ICE_NODISCARD;

/* Opens the output for data file number `index` (0, 1, ...). `*location` receives the
 * file's URI for the DataFile (ice_malloc'd; the writer frees it). */
typedef int (*wr_open_fn)(void *ctx, int64_t index, struct ice_output **out,
                          char **location, struct ice_error *err);
/* A data file was completed (durable). `df` is borrowed: copy what you keep. */
typedef int (*wr_done_fn)(void *ctx, const struct ib_data_file *df,
                          struct ice_error *err);

struct wr_data_writer;

/* `schema` (a struct of columns with PARQUET:field_id on every field) is copied. */
int wr_data_writer_new(const struct ArrowSchema *schema, const struct wr_options *opts,
                       wr_open_fn open_fn, wr_done_fn done_fn, void *ctx,
                       struct wr_data_writer **out, struct ice_error *err) ICE_NODISCARD;
/* Appends a batch (borrowed); may close files and open new ones. On error the open
 * file is aborted and the writer refuses further use. */
int wr_data_writer_write(struct wr_data_writer *w, const struct ArrowArray *batch,
                         struct ice_error *err) ICE_NODISCARD;
/* Closes the last file (if it has rows). */
int wr_data_writer_close(struct wr_data_writer *w, struct ice_error *err) ICE_NODISCARD;
/* Aborts an open file; frees. NULL is fine. */
void wr_data_writer_free(struct wr_data_writer *w);

/* Every file the writer closes from now on carries partition tuple t (copied; its
 * DataFile's `partition`): a writer of one partition's files. */
int wr_data_writer_set_partition(struct wr_data_writer *w,
                                 const struct ib_partition_tuple *t,
                                 struct ice_error *err) ICE_NODISCARD;

/* The compression context of the thread that drives the writer from now on (its
 * Parquet writers', present and future): a partition writer is written by whichever
 * thread of a pool takes it, each with a context of its own. */
void wr_data_writer_use_codec(struct wr_data_writer *w, struct codec_ctx *codec);

int64_t wr_data_writer_files(const struct wr_data_writer *w);
int64_t wr_data_writer_rows(const struct wr_data_writer *w);

#endif
