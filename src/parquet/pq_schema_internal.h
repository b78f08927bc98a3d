/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the pq_schema*.c files only. */
#ifndef ICE_PARQUET_PQ_SCHEMA_INTERNAL_H
#define ICE_PARQUET_PQ_SCHEMA_INTERNAL_H

#include "parquet/pq_schema.h"

/* Sets a leaf's Arrow format, extension, conversion and widths from its element's
 * physical, logical and converted types (docs/internals/ARROW.md). */
int pq_schema_map_leaf(const struct pq_schema_element *e, struct pq_node *n,
                       struct ice_error *err) ICE_NODISCARD;

#endif
