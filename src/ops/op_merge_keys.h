/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which columns are a merge's key: the --merge-key names resolved against the table
 * schema's top-level fields, else the schema's identifier-field-ids; and, for a table a
 * merge creates, the key written into the new schema as its identifier fields. A key
 * column is a top-level primitive that is not float or double (Iceberg's rule for
 * identifier fields, and the key encoding compares values exactly).
 */
#ifndef ICE_OPS_OP_MERGE_KEYS_H
#define ICE_OPS_OP_MERGE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_types.h"
#include "util/error.h"

/* The merge key's field ids, in key order: names[0..n) (--merge-key, n > 0) resolved
 * against s's top-level fields (exact, case-sensitive), else s's identifier-field-ids.
 * ICE_EINVAL, the message naming the column and why: unknown column (with the table's
 * columns when there are few), a column named twice, a nested column ("a.b", or an
 * identifier field inside a struct) or a struct/list/map column, a float or double
 * column, an empty name, or no key at all ("the merge needs a key: pass --merge-key
 * COL[,COL...] or set the table's identifier fields"). s and names are borrowed;
 * *out_ids (ice_malloc'd, free with ice_free) and *n_out are written only on success. */
int op_merge_keys_resolve(const struct ib_schema *s, const char *const *names, size_t n,
                          int32_t **out_ids, size_t *n_out,
                          struct ice_error *err) ICE_NODISCARD;

/* For a table about to be created from an input's Arrow schema (s as
 * ib_schema_from_arrow made it): resolves the key as op_merge_keys_resolve does (same
 * errors) and makes it s's identifier-field-ids, marking those fields required (the
 * spec demands it). s is changed only on success. */
int op_merge_keys_apply_to_new_schema(struct ib_schema *s, const char *const *names,
                                      size_t n, struct ice_error *err) ICE_NODISCARD;

#endif
