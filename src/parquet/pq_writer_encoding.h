/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The writer's view of the encoders. pq_meta.h and pq_encoding.h both declare a
 * `struct pq_bytes` (different members), so a file cannot include both as they stand;
 * the writer includes the encoders with their byte view renamed to pq_enc_bytes (same
 * layout, so the linked functions are the same). Remove once one of them is renamed.
 */
#ifndef ICE_PARQUET_PQ_WRITER_ENCODING_H
#define ICE_PARQUET_PQ_WRITER_ENCODING_H

#define pq_bytes pq_enc_bytes
#include "parquet/pq_dict_builder.h"
#include "parquet/pq_encoding.h"
#undef pq_bytes

#endif
