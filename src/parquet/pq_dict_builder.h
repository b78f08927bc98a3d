/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dictionary builder for the Parquet writer: an open-addressing hash table over
 * fixed-width values (INT32/INT64/INT96/FLOAT/DOUBLE/FLBA, compared bit-exactly, so
 * -0.0/0.0 and NaN payloads stay distinct) or byte strings. It hands back one index
 * per value, tracks the PLAIN size of the dictionary page so the caller can fall
 * back to another encoding when it grows past a limit, and emits the PLAIN
 * dictionary page body. One builder per column chunk (clear between chunks).
 */
#ifndef ICE_PARQUET_PQ_DICT_BUILDER_H
#define ICE_PARQUET_PQ_DICT_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "parquet/pq_encoding.h"
#include "util/buf.h"
#include "util/mem_budget.h"
#include "util/error.h"

struct pq_dict_builder;

/* value_width: bytes per fixed-width value, or 0 for BYTE_ARRAY. */
int pq_dict_builder_new(size_t value_width, struct pq_dict_builder **out,
                        struct ice_error *err) ICE_NODISCARD;
/* Charges the builder's memory (hash slots, entries, values) to `budget` from now on;
 * ICE_ELIMIT when what it holds does not fit. */
int pq_dict_builder_set_budget(struct pq_dict_builder *b, struct ice_mem_budget *budget,
                               struct ice_error *err) ICE_NODISCARD;
void pq_dict_builder_free(struct pq_dict_builder *b); /* NULL is fine */

/* Looks up / inserts n values; indices[i] receives the dictionary index of value i.
 * Fails with ICE_ELIMIT past ICE_LIMIT_DICT_ENTRIES entries (values inserted before
 * the failure stay in the dictionary). */
int pq_dict_builder_put_fixed(struct pq_dict_builder *b, const void *values, size_t n,
                              uint32_t *indices, struct ice_error *err) ICE_NODISCARD;
int pq_dict_builder_put_bytes(struct pq_dict_builder *b, const struct pq_enc_bytes *values,
                              size_t n, uint32_t *indices,
                              struct ice_error *err) ICE_NODISCARD;

/* Distinct values so far. */
uint32_t pq_dict_builder_count(const struct pq_dict_builder *b);
/* Size in bytes of the PLAIN dictionary page body (what _write_page emits). */
uint64_t pq_dict_builder_encoded_size(const struct pq_dict_builder *b);
/* Bit width of the index stream for the current dictionary. */
uint32_t pq_dict_builder_index_bit_width(const struct pq_dict_builder *b);
/* Appends the PLAIN dictionary page body (entries in index order). */
int pq_dict_builder_write_page(const struct pq_dict_builder *b, struct ice_buf *out,
                               struct ice_error *err) ICE_NODISCARD;
/* Entry i as a borrowed view (valid until the next put/clear/free); for statistics. */
struct pq_enc_bytes pq_dict_builder_entry(const struct pq_dict_builder *b, uint32_t i);
/* Forgets all entries, keeps the memory (next column chunk). */
void pq_dict_builder_clear(struct pq_dict_builder *b);

#endif
