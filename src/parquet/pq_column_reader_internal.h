/* SPDX-License-Identifier: Apache-2.0 */
/* Value-section helpers shared by pq_column_reader*.c only. */
#ifndef ICE_PARQUET_PQ_COLUMN_READER_INTERNAL_H
#define ICE_PARQUET_PQ_COLUMN_READER_INTERNAL_H

#include "parquet/pq_column_reader.h"

/* Decodes a dictionary page into c's dictionary. */
int pq_column_load_dictionary(struct pq_column_reader *c, const struct pq_page *pg,
                              struct ice_error *err) ICE_NODISCARD;
/* Prepares the value decoder for c->vals of the current page. */
int pq_column_start_values(struct pq_column_reader *c, struct ice_error *err) ICE_NODISCARD;
/* Decodes the next n non-null values of the page and appends them to out. */
int pq_column_decode_values(struct pq_column_reader *c, size_t n, struct pq_leaf_batch *out,
                            struct ice_error *err) ICE_NODISCARD;

/* Called once every level entry of the page was consumed: PLAIN sections must then be
 * used up exactly. Leftover bytes mean levels and values disagree, e.g. a REQUIRED
 * column whose pages still carry definition levels (ARROW-GH-47662). */
int pq_column_check_values_end(const struct pq_column_reader *c, struct ice_error *err)
    ICE_NODISCARD;

#endif
