/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Iceberg schema <-> Arrow C Data schema (docs/internals/ARROW.md). Iceberg -> Arrow
 * attaches PARQUET:field_id metadata to every field. Arrow -> Iceberg assigns fresh
 * field ids the way Java does at table creation (all fields of a struct first, then
 * their nested children, breadth-first). The compatibility check matches an input Arrow
 * schema to an existing table schema by name.
 */
#ifndef ICE_ICEBERG_IB_ARROW_SCHEMA_H
#define ICE_ICEBERG_IB_ARROW_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "iceberg/ib_types.h"
#include "util/error.h"

/* Builds a top-level "+s" ArrowSchema for s (out has a working release; the caller
 * releases it). Mapping: boolean b, int i, long l, float f, double g, decimal d:P,S,
 * date tdD, time ttu, timestamp tsu:, timestamptz tsu:UTC, timestamp_ns tsn:,
 * timestamptz_ns tsn:UTC, string u, uuid w:16 (+arrow.uuid), fixed[L] w:L, binary z,
 * struct +s, list +l (child "element"), map +m (entries{key,value}). Optional fields
 * get ARROW_FLAG_NULLABLE. */
int ib_schema_to_arrow(const struct ib_schema *s, struct ArrowSchema *out,
                       struct ice_error *err) ICE_NODISCARD;

/* Options for Arrow -> Iceberg conversion. */
struct ib_arrow_import_options {
  int format_version; /* 2 (default when 0) or 3: ns timestamps need 3 */
};

/* Builds a new Iceberg schema (schema-id 0) from a "+s" Arrow schema with fresh ids
 * 1..N. Mapping decisions (documented in the .c): int8/16/32 and uint8/16 -> int;
 * uint32, int64 -> long; uint64 -> decimal(20,0) (every uint64 value fits exactly);
 * float16/float32 -> float; float64 -> double; utf8/large utf8 -> string; binary/large
 * binary -> binary; w:16 with arrow.uuid -> uuid; w:12 with icestream.int96 ->
 * timestamp; other w:N -> fixed[N]; d:P,S (P <= 38) -> decimal; date32/date64 -> date;
 * time s/ms/us -> time (ns: ICE_ESCHEMA); timestamp s/ms/us -> timestamp(tz);
 * timestamp ns -> timestamp_ns(tz) for v3, else ICE_ESCHEMA explaining the options;
 * +s/+l/+L/+m -> struct/list/map; null type, dictionary, unions -> ICE_ESCHEMA naming
 * the column. Non-nullable Arrow fields become required. */
int ib_schema_from_arrow(const struct ArrowSchema *arrow,
                         const struct ib_arrow_import_options *opts,
                         struct ib_schema *out, struct ice_error *err) ICE_NODISCARD;

/* Checks that data with the given Arrow schema can be written to a table with schema
 * table, matching top-level and nested fields by name (exact, case-sensitive).
 *   - table column missing from input: fine if optional (written as null); required ->
 *     ICE_ESCHEMA "column 'x' is required by the table but missing from the input";
 *   - input nullable but table required -> ICE_ESCHEMA;
 *   - same type, or widening int->long, float->double, decimal(P,S)->decimal(P',S) with
 *     P' >= P (and the Arrow-side mappings above) -> fine;
 *   - anything else -> ICE_ESCHEMA naming the column and both types;
 *   - input column not in the table -> ICE_ESCHEMA "schema evolution is not supported
 *     yet". */
int ib_schema_check_arrow_compatible(const struct ib_schema *table,
                                     const struct ArrowSchema *arrow,
                                     const struct ib_arrow_import_options *opts,
                                     struct ice_error *err) ICE_NODISCARD;

#endif
