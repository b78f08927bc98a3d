/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building ArrowSchema trees (Arrow C Data interface) that own their strings and
 * children through one private block, so a single release() frees everything. Also
 * the Arrow metadata encoding (int32 count, then int32-length-prefixed key/value
 * pairs, native endianness) used for PARQUET:field_id and extension names.
 */
#ifndef ICE_ARROW_SCHEMA_H
#define ICE_ARROW_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "util/error.h"

/* One metadata entry (borrowed strings). */
struct arrow_kv {
  const char *key;
  const char *value;
};

/* Initialises `s` (whose previous content is ignored) with copies of format and name
 * (name may be NULL) and `n_children` child structs in the released state
 * (release == NULL): fill each with arrow_schema_init(s->children[i], ...). On
 * success s->release is set, and it copes with children that were never filled, so a
 * half-built tree is cleaned by releasing its root. On failure `s` is left released. */
int arrow_schema_init(struct ArrowSchema *s, const char *format, const char *name,
                      int64_t flags, int64_t n_children,
                      struct ice_error *err) ICE_NODISCARD;

/* Replaces the metadata of a schema made by arrow_schema_init (n == 0 clears it). */
int arrow_schema_set_metadata(struct ArrowSchema *s, const struct arrow_kv *kv, size_t n,
                              struct ice_error *err) ICE_NODISCARD;

/* Deep copy of any valid ArrowSchema (children and metadata included; dictionaries
 * are not supported: ICE_EUNSUPPORTED). `dst` is written only on success. */
int arrow_schema_copy(const struct ArrowSchema *src, struct ArrowSchema *dst,
                      struct ice_error *err) ICE_NODISCARD;

/* Calls release if the struct is live; leaves it released. NULL is fine. */
void arrow_schema_release(struct ArrowSchema *s);

/* Encodes metadata into a fresh buffer (free with ice_free); *out_len gets its size. */
int arrow_metadata_encode(const struct arrow_kv *kv, size_t n, char **out,
                          size_t *out_len, struct ice_error *err) ICE_NODISCARD;

/* Byte length of an encoded metadata blob (0 for NULL). */
size_t arrow_metadata_size(const char *metadata);

/* Iterates a metadata blob (trusted: produced by an Arrow producer in this process).
 * arrow_metadata_reader_init then arrow_metadata_next until it returns 0; views are
 * not NUL-terminated. A NULL blob has no entries. */
struct arrow_metadata_reader {
  const char *md;
  int32_t remaining;
  size_t pos;
};
void arrow_metadata_reader_init(struct arrow_metadata_reader *r, const char *metadata);
int arrow_metadata_next(struct arrow_metadata_reader *r, const char **key,
                        int32_t *key_len, const char **value, int32_t *value_len);

/* Finds `key`; returns 1 and a view of its value (not NUL-terminated), else 0. */
int arrow_metadata_find(const char *metadata, const char *key, const char **value,
                        int32_t *value_len);

/* The field's PARQUET:field_id: *has false when it has none; ICE_EINVAL (naming the
 * value) when it is not a decimal in 0..INT32_MAX. */
int arrow_field_id(const struct ArrowSchema *f, bool *has, int32_t *id,
                   struct ice_error *err) ICE_NODISCARD;

#endif
