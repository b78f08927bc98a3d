/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Explicit schema changes as one metadata-only commit (`icestream alter --add-column
 * ...`; reference/iceberg.md §8.5): add-schema + set-current-schema -1, guarded by
 * assert-last-assigned-field-id and assert-current-schema-id (plus assert-table-uuid),
 * so a concurrent schema change makes the attempt re-apply the edits to the new head
 * while a concurrent snapshot does not matter.
 */
#ifndef ICE_OPS_OP_UPDATE_SCHEMA_H
#define ICE_OPS_OP_UPDATE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "iceberg/ib_schema_edit.h"
#include "ops/op_table.h"
#include "util/error.h"

/* Applies edits[0..n) (ib_schema_apply_edits) to t's current schema and commits the
 * result; nothing is committed and *changed is false when it equals the current
 * schema. A schema equal to an older one of the table becomes current again under its
 * id (the builder's rule). A lost race is retried on the new head (commit.retry.*),
 * the edits applied to it afresh. On success t holds the committed table. Errors:
 * ICE_EINVAL (an edit that does not fit, naming the column; a table not in the
 * catalog), those of op_table_commit, ICE_ECONFLICT once the retries are spent. */
int op_update_schema(struct op_table *t, const struct ib_schema_edit *edits, size_t n,
                     bool *changed, struct ice_error *err) ICE_NODISCARD;

#endif
