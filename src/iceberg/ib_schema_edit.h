/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Explicit schema changes (`icestream alter --add-column/--rename-column/--drop-column/
 * --widen`; Java's UpdateSchema): edits applied to a copy of a table's current schema.
 * Field ids never change, so data files written before read by id: a renamed column
 * keeps its values, a dropped one is no longer read, an added one reads null. Pure: no
 * I/O.
 */
#ifndef ICE_ICEBERG_IB_SCHEMA_EDIT_H
#define ICE_ICEBERG_IB_SCHEMA_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_types.h"
#include "util/error.h"

enum ib_schema_edit_kind {
  IB_EDIT_ADD_COLUMN = 1, /* path = new column (dotted: inside a struct), arg = type */
  IB_EDIT_RENAME_COLUMN,  /* path = column, arg = its new name (same struct) */
  IB_EDIT_DROP_COLUMN,    /* path = column (with everything nested in it) */
  IB_EDIT_WIDEN_COLUMN    /* path = column, arg = the wider type */
};

struct ib_schema_edit {
  enum ib_schema_edit_kind kind;
  const char *path; /* Java's dotted full name: "a.b", "l.element.x", "m.value.y" */
  const char *arg;  /* a primitive type name ("long", "decimal(12,2)") or a name */
};

/* *out = md's current schema with edits[0..n) applied in order (each sees the ones
 * before it). An added column is optional, gets the id after *last_column_id (which
 * grows) and goes at the end of its struct (a dotted path's parent is a struct, or a
 * list whose element / a map whose value is one). Errors, ICE_EINVAL naming the column
 * (nothing changes): a path that names no column, or an added / renamed name its struct
 * already has; a type that is not a primitive type name; a widening that is not int ->
 * long, float -> double or decimal precision up at the same scale (both types named);
 * a map key, list element or map value renamed, dropped or (key) widened; dropping an
 * identifier field, the source column of a field of any partition spec, or of the
 * default sort order. out is initialized by the call. */
int ib_schema_apply_edits(const struct ib_table_metadata *md,
                          const struct ib_schema_edit *edits, size_t n,
                          int32_t *last_column_id, struct ib_schema *out,
                          struct ice_error *err) ICE_NODISCARD;

#endif
