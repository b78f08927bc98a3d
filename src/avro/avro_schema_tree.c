/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ownership and the named-type table of a parsed Avro schema graph. The table is a
 * hash (FNV-1a, linear probing) so a schema with many named types parses in linear
 * time; hostile schemas are bounded by ICE_LIMIT_AVRO_SCHEMA_BYTES anyway.
 */
#include "avro/avro_schema_tree.h"

#include <jansson.h>
#include <string.h>

#include "util/alloc.h"
#include "util/hash.h"
#include "util/limits.h"

int avro_schema_tree_new(const struct json_t *json, struct avro_schema_tree **out,
                         struct ice_error *err) {
  struct avro_schema_tree *t = ice_calloc(1, sizeof *t);
  if (t == NULL) return ice_error_set(err, ICE_ENOMEM, "avro: out of memory");
  ice_arena_init(&t->arena, ICE_LIMIT_AVRO_VALUE_BYTES);
  t->keep = json_array();
  if (t->keep == NULL) {
    ice_free(t);
    return ice_error_set(err, ICE_ENOMEM, "avro: out of memory");
  }
  /* json_incref only bumps a counter; the input is never modified */
  t->json = json_incref((json_t *)(uintptr_t)json);
  *out = t;
  return ICE_OK;
}

void avro_schema_tree_free(struct avro_schema_tree *t) {
  if (t == NULL) return;
  ice_arena_reset(&t->arena);
  json_decref(t->keep);
  json_decref(t->json);
  ice_free(t->slots);
  ice_free(t);
}

void avro_schema_free(struct avro_schema *root) {
  if (root != NULL) avro_schema_tree_free(root->owner);
}

static size_t hash_name(const char *s) {
  return (size_t)ice_hash_str(s);
}

struct avro_schema *avro_schema_tree_lookup(const struct avro_schema_tree *t,
                                            const char *full_name) {
  if (t->n_slots == 0) return NULL;
  size_t mask = t->n_slots - 1;
  for (size_t i = hash_name(full_name) & mask;; i = (i + 1) & mask) {
    struct avro_schema *s = t->slots[i];
    if (s == NULL) return NULL;
    if (strcmp(s->name, full_name) == 0) return s;
  }
}

static int grow(struct avro_schema_tree *t, struct ice_error *err) {
  size_t n = t->n_slots ? t->n_slots * 2 : 16;
  struct avro_schema **slots = ice_calloc(n, sizeof *slots);
  if (slots == NULL) return ice_error_set(err, ICE_ENOMEM, "avro: out of memory");
  for (size_t i = 0; i < t->n_slots; i++) {
    struct avro_schema *s = t->slots[i];
    if (s == NULL) continue;
    size_t j = hash_name(s->name) & (n - 1);
    while (slots[j] != NULL) j = (j + 1) & (n - 1);
    slots[j] = s;
  }
  ice_free(t->slots);
  t->slots = slots;
  t->n_slots = n;
  return ICE_OK;
}

int avro_schema_tree_register(struct avro_schema_tree *t, struct avro_schema *s,
                              struct ice_error *err) {
  ICE_CHECK_DATA(avro_schema_tree_lookup(t, s->name) == NULL, err,
                 "avro: schema: type '%s' is defined twice", s->name);
  /* keep the load factor under one half so probes stay short */
  if (2 * (t->n_named + 1) > t->n_slots) ICE_TRY(grow(t, err));
  size_t mask = t->n_slots - 1;
  size_t i = hash_name(s->name) & mask;
  while (t->slots[i] != NULL) i = (i + 1) & mask;
  t->slots[i] = s;
  t->n_named++;
  return ICE_OK;
}
