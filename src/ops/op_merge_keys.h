/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which columns are a merge's key: --merge-key names resolved against the table's
 * top-level columns, else the schema's identifier-field-ids. A key column is a
 * primitive that equality can match: not float or double, not nested.
 */
#ifndef ICE_OPS_OP_MERGE_KEYS_H
#define ICE_OPS_OP_MERGE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_types.h"
#include "util/error.h"

/* The key's field ids (*out_ids ice_malloc'd, *n_out of them): names[0..n) when n > 0,
 * else the identifier fields. ICE_EINVAL naming the column for an unknown, repeated,
 * nested or floating-point column, and for no key at all. */
int op_merge_keys_resolve(const struct ib_schema *s, const char *const *names, size_t n,
                          int32_t **out_ids, size_t *n_out,
                          struct ice_error *err) ICE_NODISCARD;
/* For a table a merge creates: the key columns (checked as above) become the
 * schema's identifier fields and required, as the spec demands of identifier fields. */
int op_merge_keys_apply_to_new_schema(struct ib_schema *s, const char *const *names,
                                      size_t n, struct ice_error *err) ICE_NODISCARD;

#endif
