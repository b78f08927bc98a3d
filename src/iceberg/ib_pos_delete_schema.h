/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The schema of a position delete file (spec "Position Delete Files"; reference/
 * iceberg.md §7.1): two required columns with reserved metadata field ids, file_path
 * (string) and pos (long). The optional deprecated `row` column is never written.
 */
#ifndef ICE_ICEBERG_IB_POS_DELETE_SCHEMA_H
#define ICE_ICEBERG_IB_POS_DELETE_SCHEMA_H

#include "iceberg/ib_types.h"
#include "util/error.h"

/* Reserved ids (Integer.MAX_VALUE - 101 and - 102 in Java's MetadataColumns). */
#define IB_POS_DELETE_FILE_PATH_ID 2147483546
#define IB_POS_DELETE_POS_ID 2147483545

/* Fills `out` (overwritten, not freed; release with ib_schema_reset) with the two-column
 * schema, schema-id 0, names and docs as Java writes them in the footer's
 * "iceberg.schema". ICE_ENOMEM is the only error. */
int ib_pos_delete_schema(struct ib_schema *out, struct ice_error *err) ICE_NODISCARD;

#endif
