/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal state behind the public ice_parquet_file handle, and the Arrow stream
 * that reads it (pq_reader_stream.c).
 */
#ifndef ICE_PARQUET_PQ_READER_H
#define ICE_PARQUET_PQ_READER_H

#include <stdint.h>

#include "ice/ice_parquet.h"
#include "io/io.h"
#include "parquet/pq_meta.h"
#include "parquet/pq_schema.h"
#include "util/mem_budget.h"

struct ice_thread_pool;

struct ice_parquet_file {
  struct ice_input *in;
  struct pq_file_meta meta;
  struct pq_schema schema;
  int64_t footer_offset; /* where FileMetaData starts: column data must end before */
  int64_t num_rows;      /* sum of RowGroup.num_rows (FileMetaData.num_rows may lie) */
};

/* Opens `in` (consumed: closed on failure too). */
int pq_reader_open_input(struct ice_input *in, ice_parquet_file **out,
                         struct ice_error *err) ICE_NODISCARD;

/* Creates the stream of ice_parquet_stream (options already validated). With a budget
 * (borrowed; NULL = none) every buffer of the stream is charged to it, a batch while
 * it is out (until the next get_next or release), batches hold about a sixteenth of the
 * limit at most (fewer rows than asked when rows are wide), and reading fails with
 * ICE_ELIMIT naming the column and page when one page cannot fit.
 * With a pool of more than one worker (borrowed; NULL = decode on the calling thread)
 * each batch's columns are decoded in parallel: the same batches and the same errors,
 * and the same buffers charged (when several columns charge at once under a full
 * budget, the ICE_ELIMIT may name another column than a serial read would). The pool
 * must outlive the stream and have no other caller during get_next. An input whose
 * reads are not concurrent (S3) is then read one request at a time. Without a pool,
 * o->threads other than 1 makes the stream a pool of its own. */
int pq_reader_stream_new(ice_parquet_file *file, const struct ice_parquet_read_options *o,
                         struct ice_mem_budget *budget, struct ice_thread_pool *pool,
                         struct ArrowArrayStream *out,
                         struct ice_error *err) ICE_NODISCARD;

/* The enum ice_code of the failure a stream made by pq_reader_stream_new reported
 * through get_next (ICE_ECORRUPT for a corrupt page, ...), so callers keep it instead
 * of the errno the Arrow protocol carries. ICE_EIO for any other stream. */
int pq_reader_stream_error_code(const struct ArrowArrayStream *s);

#endif
