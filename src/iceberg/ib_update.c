/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lifecycle of updates and requirements, their growable lists, and the REST names of
 * each action and requirement type (OpenAPI BaseUpdate / TableRequirement
 * discriminator mappings).
 */
#include "iceberg/ib_update.h"

#include <string.h>

#include "iceberg/ib_schema_json.h"
#include "util/alloc.h"
#include "util/limits.h"

void ib_update_init(struct ib_update *u, enum ib_update_action action) {
  memset(u, 0, sizeof(*u));
  u->action = action;
  ib_schema_init(&u->schema, 0);
  ib_str_map_init(&u->snapshot.summary);
  ib_str_map_init(&u->properties);
  u->ref.max_ref_age_ms = -1;
  u->ref.max_snapshot_age_ms = -1;
  u->ref.min_snapshots_to_keep = -1;
}

void ib_update_reset(struct ib_update *u) {
  ice_free(u->text);
  ib_schema_reset(&u->schema);
  ib_partition_spec_reset(&u->spec);
  ib_sort_order_reset(&u->sort_order);
  ib_snapshot_reset(&u->snapshot);
  ice_free(u->ref.name);
  ice_free(u->snapshot_ids);
  ib_str_map_reset(&u->properties);
  for (size_t i = 0; i < u->n_removals; i++) ice_free(u->removals[i]);
  ice_free(u->removals);
  ib_update_init(u, u->action);
}

void ib_requirement_init(struct ib_requirement *r, enum ib_requirement_type type) {
  memset(r, 0, sizeof(*r));
  r->type = type;
}

void ib_requirement_reset(struct ib_requirement *r) {
  ice_free(r->text);
  ib_requirement_init(r, r->type);
}

/* Makes room for one more element of size sz in *items (count n, capacity *cap). */
static int grow(void **items, size_t n, size_t *cap, size_t sz, struct ice_error *err) {
  if (n >= ICE_LIMIT_METADATA_LIST)
    ICE_FAIL(err, ICE_ELIMIT, "more than %u entries in an update list",
             (unsigned)ICE_LIMIT_METADATA_LIST);
  if (n < *cap) return ICE_OK;
  size_t nc = *cap ? *cap * 2 : 8;
  void *p = ice_realloc(*items, nc * sz);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *items = p;
  *cap = nc;
  return ICE_OK;
}

void ib_update_list_init(struct ib_update_list *l) {
  memset(l, 0, sizeof(*l));
}

void ib_update_list_reset(struct ib_update_list *l) {
  for (size_t i = 0; i < l->n; i++) ib_update_reset(&l->items[i]);
  ice_free(l->items);
  ib_update_list_init(l);
}

int ib_update_list_add(struct ib_update_list *l, enum ib_update_action action,
                       struct ib_update **out, struct ice_error *err) {
  ICE_TRY(grow((void **)&l->items, l->n, &l->cap, sizeof(*l->items), err));
  ib_update_init(&l->items[l->n], action);
  *out = &l->items[l->n++];
  return ICE_OK;
}

void ib_requirement_list_init(struct ib_requirement_list *l) {
  memset(l, 0, sizeof(*l));
}

void ib_requirement_list_reset(struct ib_requirement_list *l) {
  for (size_t i = 0; i < l->n; i++) ib_requirement_reset(&l->items[i]);
  ice_free(l->items);
  ib_requirement_list_init(l);
}

int ib_requirement_list_add(struct ib_requirement_list *l, enum ib_requirement_type type,
                            struct ib_requirement **out, struct ice_error *err) {
  ICE_TRY(grow((void **)&l->items, l->n, &l->cap, sizeof(*l->items), err));
  ib_requirement_init(&l->items[l->n], type);
  *out = &l->items[l->n++];
  return ICE_OK;
}

static const char *const k_action_names[] = {
    NULL,
    "assign-uuid",
    "upgrade-format-version",
    "add-schema",
    "set-current-schema",
    "add-spec",
    "set-default-spec",
    "add-sort-order",
    "set-default-sort-order",
    "add-snapshot",
    "set-snapshot-ref",
    "remove-snapshots",
    "remove-snapshot-ref",
    "set-location",
    "set-properties",
    "remove-properties",
};

static const char *const k_requirement_names[] = {
    NULL,
    "assert-create",
    "assert-table-uuid",
    "assert-ref-snapshot-id",
    "assert-last-assigned-field-id",
    "assert-current-schema-id",
    "assert-last-assigned-partition-id",
    "assert-default-spec-id",
    "assert-default-sort-order-id",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *ib_update_action_name(enum ib_update_action a) {
  return (size_t)a < COUNT(k_action_names) ? k_action_names[a] : NULL;
}

const char *ib_requirement_type_name(enum ib_requirement_type t) {
  return (size_t)t < COUNT(k_requirement_names) ? k_requirement_names[t] : NULL;
}

/* Index of name in names[1..n), 0 when unknown. */
static int lookup(const char *const *names, size_t n, const char *name) {
  for (size_t i = 1; i < n; i++) {
    if (strcmp(names[i], name) == 0) return (int)i;
  }
  return 0;
}

enum ib_update_action ib_update_action_from_name(const char *name) {
  return (enum ib_update_action)lookup(k_action_names, COUNT(k_action_names), name);
}

enum ib_requirement_type ib_requirement_type_from_name(const char *name) {
  return (enum ib_requirement_type)lookup(k_requirement_names, COUNT(k_requirement_names),
                                          name);
}
