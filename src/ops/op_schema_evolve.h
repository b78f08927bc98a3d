/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema evolution in the same commit as a load's data (docs/schema-evolution.md):
 * before any byte is written, the table's current schema is grown by every input's
 * columns (ib_schema_union.h) into the *write schema*, whose field ids the data files
 * carry. Each commit attempt then states that schema against the head it lands on:
 * nothing when the head's current schema already is it, otherwise add-schema +
 * set-current-schema -1 ahead of add-snapshot (so the snapshot's schema-id is the new
 * schema), guarded by assert-last-assigned-field-id and assert-current-schema-id. On a
 * newer head the write schema is merged again keeping its ids: two loads that added the
 * same column land with one column; ids taken meanwhile by other columns are a
 * conflict that retrying cannot fix.
 */
#ifndef ICE_OPS_OP_SCHEMA_EVOLVE_H
#define ICE_OPS_OP_SCHEMA_EVOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "iceberg/ib_schema_union.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_update.h"
#include "util/error.h"

struct op_schema_target {
  enum ib_schema_evolution mode;
  struct ib_schema schema; /* the write schema (owned) */
  bool changed;            /* it differs from the schema it was planned on */
};

void op_schema_target_init(struct op_schema_target *t, enum ib_schema_evolution mode);
void op_schema_target_reset(struct op_schema_target *t);

/* t->schema = md's current schema grown by the schema of every Parquet file in
 * inputs[0..n) (read from their footers), in order. ICE_ESCHEMA naming the input and
 * the column when one does not fit (nothing is written by then); ICE_ENOTFOUND /
 * ICE_ECORRUPT for an unreadable input. */
int op_schema_target_from_files(struct op_schema_target *t,
                                const struct ib_table_metadata *md,
                                const char *const *inputs, size_t n,
                                struct ice_error *err) ICE_NODISCARD;

/* Grows *schema (a new table's, fresh ids after its highest) by the files
 * inputs[0..n) under mode: a table a load creates from several inputs. */
int op_schema_grow_by_files(struct ib_schema *schema, enum ib_schema_evolution mode,
                            int format_version, const char *const *inputs, size_t n,
                            struct ice_error *err) ICE_NODISCARD;

/* For one commit attempt on md (the head as it is now): appends to ups the schema
 * updates t needs there (none when md's current schema already is the write schema) and
 * sets *added. ICE_ECONFLICT when the files no longer fit the head (a column they carry
 * was given another id, or dropped). */
int op_schema_target_updates(const struct op_schema_target *t,
                             const struct ib_table_metadata *md,
                             struct ib_update_list *ups, bool *added,
                             struct ice_error *err) ICE_NODISCARD;

#endif
