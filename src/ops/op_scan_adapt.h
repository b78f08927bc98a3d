/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A data file's columns as the table schema reads them, by Iceberg field id at every
 * depth (spec "Schema Evolution": fields are found by id, never by name or position):
 * struct fields in structs, list elements and map keys and values. A field the file
 * lacks (added to the table later) reads as null; a narrower type widens as the spec's
 * promotions allow (int -> long, float -> double, decimal precision up; the Arrow-level
 * conversions are op_reconcile's). Subtrees that already match are moved, not copied.
 */
#ifndef ICE_OPS_OP_SCAN_ADAPT_H
#define ICE_OPS_OP_SCAN_ADAPT_H

#include <stdint.h>

#include "ice/ice_arrow.h"
#include "util/error.h"

enum op_adapt_kind {
  OP_ADAPT_MOVE,    /* the file's array is the table's */
  OP_ADAPT_CONVERT, /* a primitive widened (op_reconcile_column_convert) */
  OP_ADAPT_NULL,    /* the file lacks the field: all null */
  OP_ADAPT_STRUCT,  /* children matched by field id */
  OP_ADAPT_LIST     /* list or map: offsets kept, the child adapted */
};

struct op_adapt {
  enum op_adapt_kind kind;
  const struct ArrowSchema *file;  /* borrowed; NULL for OP_ADAPT_NULL */
  const struct ArrowSchema *table; /* borrowed */
  int64_t *src;                    /* OP_ADAPT_STRUCT: file child per table child, -1 */
  struct op_adapt *children;       /* per table child (struct) or the one child (list) */
  int64_t n_children;
};

/* Plans reading `file` (a field of the file's Arrow schema, PARQUET:field_id metadata
 * at every depth) as `table` (the table's field; both borrowed and kept alive by the
 * caller). `where` names the file in messages. ICE_EUNSUPPORTED when a type cannot be
 * read as the table's (not a promotion), naming the file and the field. */
int op_adapt_plan(const struct ArrowSchema *file, const struct ArrowSchema *table,
                  const char *where, struct op_adapt *out,
                  struct ice_error *err) ICE_NODISCARD;
void op_adapt_reset(struct op_adapt *a);

/* Turns `in` (laid out as the plan's file field) into `out` (the table field). `in` is
 * consumed: moved into out or released, on every path. */
int op_adapt_array(const struct op_adapt *a, struct ArrowArray *in,
                   struct ArrowArray *out, const char *where,
                   struct ice_error *err) ICE_NODISCARD;

#endif
