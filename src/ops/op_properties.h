/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Changing a table's properties: one commit of set-properties and remove-properties
 * (reference/iceberg.md §8.4) with the only requirement Java's UpdateProperties sends,
 * assert-table-uuid, so a concurrent snapshot never conflicts with it; a lost swap is
 * retried on the new head.
 */
#ifndef ICE_OPS_OP_PROPERTIES_H
#define ICE_OPS_OP_PROPERTIES_H

#include <stddef.h>

#include "iceberg/ib_str_map.h"
#include "ops/op_table.h"
#include "util/error.h"

/* Sets `set` and removes removals[0..n_removals) (a key the table lacks is ignored) in
 * one commit on t; t then holds the new metadata. The reserved format-version is
 * ICE_EINVAL; the table's properties as they would become are checked as at creation
 * (op_table_props.h: ICE_EINVAL naming the property), against every head a retry
 * lands on. Errors as op_table_commit; ICE_ECONFLICT once commit.retry.* is spent. */
int op_properties_update(struct op_table *t, const struct ib_str_map *set,
                         const char *const *removals, size_t n_removals,
                         struct ice_error *err) ICE_NODISCARD;

#endif
