/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to the avro module: the owner of one parsed schema graph. It holds the
 * arena with every node, the jansson values that props and defaults borrow from, and
 * a hash table of named types (full name -> defining node) used while parsing.
 */
#ifndef ICE_AVRO_SCHEMA_TREE_H
#define ICE_AVRO_SCHEMA_TREE_H

#include <stddef.h>

#include "avro/avro_schema.h"
#include "util/arena.h"
#include "util/error.h"

struct avro_schema_tree {
  struct ice_arena arena;
  struct json_t *json; /* reference to the input JSON (defaults point into it) */
  struct json_t *keep; /* array owning the props objects */
  struct avro_schema **slots; /* open-addressing table of named types */
  size_t n_slots;             /* power of two, or 0 */
  size_t n_named;
};

int avro_schema_tree_new(const struct json_t *json, struct avro_schema_tree **out,
                         struct ice_error *err) ICE_NODISCARD;
void avro_schema_tree_free(struct avro_schema_tree *t);
/* Adds a named type; ICE_ECORRUPT if its full name is already defined. */
int avro_schema_tree_register(struct avro_schema_tree *t, struct avro_schema *s,
                              struct ice_error *err) ICE_NODISCARD;
/* The type defined under full_name, or NULL. */
struct avro_schema *avro_schema_tree_lookup(const struct avro_schema_tree *t,
                                            const char *full_name);

#endif
