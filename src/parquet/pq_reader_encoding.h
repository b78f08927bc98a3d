/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reader's view of the decoders. pq_meta.h and pq_encoding.h both declare a
 * `struct pq_bytes` with different members, so the reader includes the decoders with
 * their byte view renamed (the reader calls no function that takes it). Remove once
 * one of the two headers renames its struct.
 */
#ifndef ICE_PARQUET_PQ_READER_ENCODING_H
#define ICE_PARQUET_PQ_READER_ENCODING_H

#define pq_bytes pq_reader_enc_bytes
#include "parquet/pq_encoding.h"
#undef pq_bytes

#endif
