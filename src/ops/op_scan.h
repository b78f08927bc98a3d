/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan execution: an ArrowArrayStream of exactly the live rows of a snapshot. The plan
 * (op_scan_plan.h) gives each data file with its delete files; each data file is read
 * in batches, rows at deleted positions and rows whose equality key is deleted are
 * dropped (arrow_array_take), and the columns are matched to the table schema by
 * Iceberg field id (columns a file lacks read as null). Everything the scan buffers
 * (reader pages and batches, delete positions, equality keys) is charged to one memory
 * budget. With threads > 1 the columns of each data file's batches are decoded on a
 * pool of that many threads, owned by the stream: the same rows in the same order,
 * and the same buffers under the same budget.
 */
#ifndef ICE_OPS_OP_SCAN_H
#define ICE_OPS_OP_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "iceberg/ib_table_metadata.h"
#include "io/io_fileio.h"
#include "util/error.h"

struct op_scan_request {
  const struct ib_table_metadata *md; /* borrowed; must outlive the stream */
  const struct io_fileio *io;         /* reads every file; borrowed, outlives it too */
  const struct ib_snapshot *snap;     /* NULL: a table without snapshots (no rows) */
  const struct ib_schema *schema;     /* the schema to read with */
  const char *const *columns;         /* projection by name (NULL = all); a name given
                                         twice is projected once */
  size_t n_columns;
  int64_t batch_rows;   /* <= 0: reader default */
  int64_t memory_limit; /* <= 0: OP_SCAN_DEFAULT_MEMORY_LIMIT */
  int threads;          /* decode threads, the caller's included: 1 = serial, 0 = one
                           per online CPU */
};

#define OP_SCAN_DEFAULT_MEMORY_LIMIT (256ll * 1024 * 1024)

/* Plans the scan and fills *out. Errors while planning are returned here (manifests:
 * ICE_ECORRUPT, ICE_EIO, ICE_ENOTFOUND; ICE_ENOTFOUND for an unknown column); reading
 * errors come from get_next with the message in get_last_error (and the enum ice_code
 * from op_scan_error_code). */
int op_scan_open(const struct op_scan_request *req, struct ArrowArrayStream *out,
                 struct ice_error *err) ICE_NODISCARD;

/* The enum ice_code of the last get_next failure of a stream made by op_scan_open
 * (ICE_ECORRUPT for a corrupt data file, ICE_ELIMIT past the memory limit, ...). */
int op_scan_error_code(const struct ArrowArrayStream *s);

/* Memory the scan held at most so far, in bytes (its budget's peak). */
int64_t op_scan_memory_peak(const struct ArrowArrayStream *s);

#endif
