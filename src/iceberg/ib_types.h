/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Iceberg types and schemas (spec "Schemas and Data Types"; reference/iceberg.md §1.2).
 * A schema is a struct type plus a schema-id and identifier-field-ids. Lists and maps
 * carry their element / key / value as ib_field children so every field id in the
 * schema is reachable through one uniform tree walk.
 */
#ifndef ICE_ICEBERG_IB_TYPES_H
#define ICE_ICEBERG_IB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum ib_type_id {
  IB_TYPE_BOOLEAN = 1,
  IB_TYPE_INT,
  IB_TYPE_LONG,
  IB_TYPE_FLOAT,
  IB_TYPE_DOUBLE,
  IB_TYPE_DECIMAL, /* precision 1..38, scale 0..precision */
  IB_TYPE_DATE,
  IB_TYPE_TIME,           /* microseconds since midnight */
  IB_TYPE_TIMESTAMP,      /* microseconds, no zone */
  IB_TYPE_TIMESTAMPTZ,    /* microseconds, UTC */
  IB_TYPE_TIMESTAMP_NS,   /* v3 */
  IB_TYPE_TIMESTAMPTZ_NS, /* v3 */
  IB_TYPE_STRING,
  IB_TYPE_UUID,
  IB_TYPE_FIXED, /* length >= 1 */
  IB_TYPE_BINARY,
  IB_TYPE_STRUCT,
  IB_TYPE_LIST,
  IB_TYPE_MAP
};

struct ib_field;

/* A type. Nested types own their children:
 *   struct: fields[0..n_fields)
 *   list:   fields[0] = element (id = element-id, name "element", required =
 * element-required) map:    fields[0] = key (name "key", always required), fields[1] =
 * value (name "value") */
struct ib_type {
  enum ib_type_id id;
  int32_t precision; /* decimal */
  int32_t scale;     /* decimal */
  int32_t length;    /* fixed */
  struct ib_field *fields;
  size_t n_fields;
};

struct ib_field {
  int32_t id;
  char *name; /* owned, never NULL */
  bool required;
  char *doc; /* owned, NULL when absent */
  struct ib_type type;
};

struct ib_schema {
  int32_t schema_id;
  struct ib_type root;           /* always IB_TYPE_STRUCT */
  int32_t *identifier_field_ids; /* owned */
  size_t n_identifier_field_ids;
};

/* Highest legal field id: ids above INT32_MAX-200 are reserved for metadata columns. */
#define IB_MAX_FIELD_ID 2147483447

static inline bool ib_type_is_primitive(const struct ib_type *t) {
  return t->id != IB_TYPE_STRUCT && t->id != IB_TYPE_LIST && t->id != IB_TYPE_MAP;
}

/* Parses a primitive type name ("long", "decimal(9, 2)", "fixed[16]", "timestamptz_ns").
 * ICE_ECORRUPT with the offending text for anything else. Writes *out only on success. */
int ib_type_parse_primitive(const char *s, struct ib_type *out,
                            struct ice_error *err) ICE_NODISCARD;
/* Writes the spec name of a primitive type into buf ("decimal(9,2)", "fixed[16]");
 * returns buf. Nested types give "struct"/"list"/"map". cap >= 32 is always enough. */
const char *ib_type_name(const struct ib_type *t, char *buf, size_t cap);

/* Deep copy (dst is overwritten, not freed). */
int ib_type_copy(struct ib_type *dst, const struct ib_type *src,
                 struct ice_error *err) ICE_NODISCARD;
/* Frees a type's children; idempotent. */
void ib_type_reset(struct ib_type *t);
/* Field helpers: init fills name/doc by copying; reset frees. */
int ib_field_init(struct ib_field *f, int32_t id, const char *name, bool required,
                  const char *doc, struct ice_error *err) ICE_NODISCARD;
void ib_field_reset(struct ib_field *f);

/* Allocates n zeroed children for a nested type (struct/list/map). */
int ib_type_alloc_fields(struct ib_type *t, size_t n,
                         struct ice_error *err) ICE_NODISCARD;

/* Schemas. init makes an empty struct schema with schema_id; reset frees everything. */
void ib_schema_init(struct ib_schema *s, int32_t schema_id);
void ib_schema_reset(struct ib_schema *s);
int ib_schema_copy(struct ib_schema *dst, const struct ib_schema *src,
                   struct ice_error *err) ICE_NODISCARD;

/* Lookups return a pointer borrowed from the schema, or NULL. By-name uses Java's
 * dotted full names: "a.b" for struct fields, "l.element", "m.key", "m.value". */
const struct ib_field *ib_schema_find_by_id(const struct ib_schema *s, int32_t id);
const struct ib_field *ib_schema_find_by_name(const struct ib_schema *s,
                                              const char *dotted);
/* Dotted full name of field id into buf (truncated names fail with ICE_ELIMIT). */
int ib_schema_field_path(const struct ib_schema *s, int32_t id, char *buf, size_t cap,
                         struct ice_error *err) ICE_NODISCARD;
/* Highest field id anywhere in the schema (0 for an empty schema). */
int32_t ib_schema_highest_field_id(const struct ib_schema *s);
/* Structural checks: ids positive, <= IB_MAX_FIELD_ID and unique; names non-empty and
 * unique within a struct; decimals/fixed valid; identifier fields exist, are required
 * primitives not inside lists/maps. ICE_ECORRUPT with the offending field. */
int ib_schema_validate(const struct ib_schema *s, struct ice_error *err) ICE_NODISCARD;
/* Sorts names[0..n) in place and returns one name that occurs twice, or NULL. O(n log n)
 * so that structs with tens of thousands of columns validate quickly. */
const char *ib_find_duplicate_name(const char **names, size_t n);

/* True when two types are identical (ids, names, requiredness, nesting). */
bool ib_type_equal(const struct ib_type *a, const struct ib_type *b);
/* The spec's type promotions for primitives (int -> long, float -> double, a decimal's
 * precision growing at the same scale) plus the same type: a value written as `from`
 * reads as `to` (schema evolution, appends of narrower input). */
bool ib_type_promotes_to(const struct ib_type *from, const struct ib_type *to);

/* Calls fn for every field in depth-first pre-order (struct fields, then their
 * children; list element; map key then value). Stops early when fn returns non-zero
 * and returns that value. depth is 0 for top-level fields. */
typedef int (*ib_field_visit_fn)(const struct ib_field *f, int depth, void *ctx);
int ib_schema_visit(const struct ib_schema *s, ib_field_visit_fn fn, void *ctx);

#endif
