/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading the top-level columns of one Parquet file of a table by Iceberg field id, for
 * the scan: data files (the projected and key columns) and delete files (file_path and
 * pos, or the equality columns). The file is reached through the FileIO, batches
 * are charged to the scan's memory budget, and read errors keep the reader's code
 * (a corrupt page stays ICE_ECORRUPT).
 */
#ifndef ICE_OPS_OP_SCAN_READ_H
#define ICE_OPS_OP_SCAN_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "ice/ice_parquet.h"
#include "io/io_fileio.h"
#include "util/error.h"
#include "util/mem_budget.h"

struct ice_thread_pool;

struct op_scan_reader {
  ice_parquet_file *pf;
  struct ArrowArrayStream st;
  struct ArrowSchema schema; /* of the batches ("+s" of the columns found) */
  int64_t *col;              /* per wanted id: child index in the batches, -1 = absent */
  size_t n_ids;
  char *path; /* the file's location, for messages (owned) */
};

/* Opens uri and selects the top-level columns whose PARQUET:field_id is ids[i]; a file
 * without field ids (some writers of delete files) is matched by names[i] instead
 * (names may be NULL). batch_rows <= 0 = reader default. `pool` (borrowed, NULL =
 * none) decodes the columns of each batch in parallel (pq_reader_stream_new). On
 * failure r is closed and the error names the file. */
int op_scan_reader_open(const struct io_fileio *io, const char *uri, const int32_t *ids,
                        const char *const *names, size_t n_ids, int64_t batch_rows,
                        struct ice_mem_budget *budget, struct ice_thread_pool *pool,
                        struct op_scan_reader *r, struct ice_error *err) ICE_NODISCARD;
/* Next batch into *out (a "+s" array laid out as r->schema); *eof at the end. */
int op_scan_reader_next(struct op_scan_reader *r, struct ArrowArray *out, bool *eof,
                        struct ice_error *err) ICE_NODISCARD;
/* Closes; safe on a zeroed or closed reader. */
void op_scan_reader_close(struct op_scan_reader *r);

#endif
