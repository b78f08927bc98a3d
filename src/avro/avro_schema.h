/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro schemas (Avro 1.11 specification, "Schema Declaration"): JSON text parsed
 * with jansson into a tree of struct avro_schema nodes, validated and bounded, and
 * serialised back to JSON. Extra attributes (Iceberg's "field-id", "element-id",
 * "logicalType", ...) are preserved on types and record fields and readable through
 * the avro_schema_prop_* getters. Named-type references point at the defining node,
 * so a recursive schema is a graph: walkers must bound their depth. A parsed schema is
 * never modified afterwards, so one may be shared by readers on several threads.
 */
#ifndef ICE_AVRO_SCHEMA_H
#define ICE_AVRO_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct json_t; /* jansson */
struct avro_schema_tree; /* owner of a parsed graph (avro_schema_tree.h) */

enum avro_type {
  AVRO_NULL = 0,
  AVRO_BOOLEAN,
  AVRO_INT,
  AVRO_LONG,
  AVRO_FLOAT,
  AVRO_DOUBLE,
  AVRO_BYTES,
  AVRO_STRING,
  AVRO_RECORD,
  AVRO_ENUM,
  AVRO_ARRAY,
  AVRO_MAP,
  AVRO_UNION,
  AVRO_FIXED
};

struct avro_schema;

struct avro_field {
  const char *name;
  const char *doc;                /* NULL if absent */
  struct avro_schema *type;
  const struct json_t *default_value; /* NULL if the field has no default */
  const struct json_t *props;     /* object of non-standard attributes, or NULL */
};

struct avro_schema {
  enum avro_type type;
  const char *name;         /* full name (namespace.name) of record/enum/fixed, else NULL */
  const char *logical_type; /* "logicalType" attribute, or NULL */
  const struct json_t *props; /* object of non-standard attributes, or NULL */
  /* AVRO_RECORD */
  size_t n_fields;
  struct avro_field *fields;
  /* AVRO_ENUM */
  size_t n_symbols;
  const char **symbols;
  /* AVRO_ARRAY: element type; AVRO_MAP: value type (keys are strings) */
  struct avro_schema *items;
  /* AVRO_UNION */
  size_t n_branches;
  struct avro_schema **branches;
  /* AVRO_FIXED */
  size_t fixed_size;
  /* Set on the root returned by a parse only: what avro_schema_free releases. */
  struct avro_schema_tree *owner;
};

/* Parses schema JSON text (at most ICE_LIMIT_AVRO_SCHEMA_BYTES). On success *out is
 * the root of a tree owned by the caller: free with avro_schema_free. Errors:
 * ICE_ECORRUPT (bad JSON or invalid schema: unknown type, duplicate names/fields,
 * unresolved reference, nested union, ...), ICE_ELIMIT (depth/size caps), ICE_ENOMEM. */
int avro_schema_parse(const char *json, size_t len, struct avro_schema **out,
                      struct ice_error *err) ICE_NODISCARD;
/* Same from an already parsed jansson value (borrowed; the schema keeps a reference). */
int avro_schema_from_json(const struct json_t *json, struct avro_schema **out,
                          struct ice_error *err) ICE_NODISCARD;
/* Frees a tree returned by avro_schema_parse/from_json. NULL is fine. */
void avro_schema_free(struct avro_schema *root);

/* Serialises to compact JSON (named types are written in full on first use and by
 * name afterwards; extra attributes are kept). *out is NUL-terminated, free with
 * ice_free. */
int avro_schema_to_json(const struct avro_schema *s, char **out, size_t *out_len,
                        struct ice_error *err) ICE_NODISCARD;

/* Index of the record field called name, or -1 (also when s is not a record). */
long avro_schema_field_index(const struct avro_schema *s, const char *name);

/* Non-standard attributes of a type or a field. Return false if absent or of
 * another JSON type. */
bool avro_schema_prop_int(const struct json_t *props, const char *key, int64_t *out);
bool avro_schema_prop_string(const struct json_t *props, const char *key,
                             const char **out);

/* For ["null", T] or [T, "null"]: the index of the null branch and T. Returns false
 * for any other schema. */
bool avro_schema_optional(const struct avro_schema *s, size_t *null_branch,
                          const struct avro_schema **value_type);

/* Name of a type ("record", "long", ...); never NULL. */
const char *avro_type_name(enum avro_type t);

#endif
