/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema evolution by name (reference/iceberg.md §1.3, §8.5; Java's UnionByNameVisitor):
 * the table schema grown to hold an input's columns. Columns are matched by name at
 * every depth (case-sensitive; Iceberg's Avro-compatible spelling of a table name
 * matches too), so a renamed input column is a new column. Pure: no I/O.
 */
#ifndef ICE_ICEBERG_IB_SCHEMA_UNION_H
#define ICE_ICEBERG_IB_SCHEMA_UNION_H

#include <stdbool.h>
#include <stdint.h>

#include "iceberg/ib_types.h"
#include "util/error.h"

/* How far a load may change the table schema. */
enum ib_schema_evolution {
  /* New input columns are added (optional, fresh ids, nested fields too) and the
   * spec's widenings applied; a required table column the input lacks or declares
   * optional is an error. */
  IB_EVOLVE_ADD = 0,
  /* As ADD, and such required columns become optional (so does a new column the
   * input declares required, which ADD refuses). */
  IB_EVOLVE_RELAX,
  /* No change at all: a new column, a widening or a required column the input lacks
   * or declares optional is an error. Narrower input is still written (widened). */
  IB_EVOLVE_STRICT
};

/* Parses "add" / "relax" / "strict"; -1 for anything else. */
int ib_schema_evolution_parse(const char *s);
const char *ib_schema_evolution_name(enum ib_schema_evolution m);

struct ib_schema_union_options {
  enum ib_schema_evolution mode;
  /* false: fields the table lacks get fresh ids after *last_column_id (which grows).
   * true: they keep the ids `input` gives them, which must be above *last_column_id,
   * and a matched field must have the table's id: a load re-checking the schema its
   * files were written with against a newer head (ICE_ECONFLICT otherwise). */
  bool keep_input_ids;
  const char *input_name; /* prefixes messages ("input a.parquet"); NULL = none */
};

/* *out = table grown by input (a schema made from the input's columns; only names,
 * types and requiredness are read unless keep_input_ids). out keeps table's field
 * order, schema id and identifier fields; new fields follow at the end of their
 * struct. *changed tells whether out differs from table. Identifier fields stay
 * required whatever the input declares (a null in them fails the write, naming the
 * row). Errors (ICE_ESCHEMA naming the column's dotted path and, for a type change,
 * both types; nothing is changed): a narrowing or any change that is not int -> long,
 * float -> double or decimal(P,S) -> decimal(P',S) with P' > P; struct vs list vs map vs
 * primitive; a map key that would change; a new required column (ADD), and what
 * STRICT refuses. out is initialized by the call (reset it on success only). */
int ib_schema_union(const struct ib_schema *table, const struct ib_schema *input,
                    const struct ib_schema_union_options *o, int32_t *last_column_id,
                    struct ib_schema *out, bool *changed,
                    struct ice_error *err) ICE_NODISCARD;

/* Iceberg's Avro-compatible spelling of a column name (Java makeCompatibleName): how
 * Spark and Java name Parquet columns whose table names have spaces or symbols
 * ("Breed Name" -> "Breed_x20Name"). Returns false when it does not fit in buf. */
bool ib_compatible_name(const char *name, char *buf, size_t cap);

#endif
