/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Property changes as a transaction (op_properties.h): the lists are rebuilt and the
 * result re-checked against the head of every attempt, so a retry never commits
 * properties that were checked against an older table.
 */
#include "ops/op_properties.h"

#include <string.h>

#include "iceberg/ib_update.h"
#include "ops/op_table_props.h"
#include "ops/op_table_retry.h"
#include "util/alloc.h"

/* The table's properties after the change must still be writable with. */
static int check_result(const struct ib_table_metadata *md, const struct ib_str_map *set,
                        const char *const *removals, size_t n_removals,
                        struct ice_error *err) {
  struct ib_str_map after;
  ib_str_map_init(&after);
  int rc = ib_str_map_copy(&after, &md->properties, err);
  for (size_t i = 0; rc == ICE_OK && i < n_removals; i++)
    (void)ib_str_map_remove(&after, removals[i]);
  for (size_t i = 0; rc == ICE_OK && set != NULL && i < set->n; i++)
    rc = ib_str_map_set(&after, set->keys[i], set->values[i], err);
  if (rc == ICE_OK) rc = op_table_props_validate(&after, err);
  ib_str_map_reset(&after);
  return rc;
}

static int lists_for(const struct ib_table_metadata *md, const struct ib_str_map *set,
                     const char *const *removals, size_t n_removals,
                     struct ib_requirement_list *reqs, struct ib_update_list *ups,
                     struct ice_error *err) {
  struct ib_update *u;
  if (set != NULL && set->n > 0) {
    ICE_TRY(ib_update_list_add(ups, IB_UPDATE_SET_PROPERTIES, &u, err));
    ICE_TRY(ib_str_map_copy(&u->properties, set, err));
  }
  if (n_removals > 0) {
    ICE_TRY(ib_update_list_add(ups, IB_UPDATE_REMOVE_PROPERTIES, &u, err));
    u->removals = ice_calloc(n_removals, sizeof *u->removals);
    if (u->removals == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n_removals; i++) {
      u->removals[i] = ice_strdup(removals[i]);
      if (u->removals[i] == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
      u->n_removals = i + 1;
    }
  }
  /* Derived from the updates: property changes need only the table's uuid. */
  return ib_commit_requirements(md, ups->items, ups->n, reqs, err);
}

struct change {
  const struct ib_str_map *set;
  const char *const *removals;
  size_t n_removals;
};

static int attempt(struct op_table *t, void *ctx, struct ice_error *err) {
  const struct change *c = ctx;
  struct ib_requirement_list reqs;
  struct ib_update_list ups;
  ib_requirement_list_init(&reqs);
  ib_update_list_init(&ups);
  int rc = check_result(&t->md, c->set, c->removals, c->n_removals, err);
  if (rc == ICE_OK)
    rc = lists_for(&t->md, c->set, c->removals, c->n_removals, &reqs, &ups, err);
  if (rc == ICE_OK) rc = op_table_commit(t, &reqs, &ups, err);
  ib_requirement_list_reset(&reqs);
  ib_update_list_reset(&ups);
  return rc;
}

int op_properties_update(struct op_table *t, const struct ib_str_map *set,
                         const char *const *removals, size_t n_removals,
                         struct ice_error *err) {
  if (t->metadata_location == NULL)
    ICE_FAIL(err, ICE_EINVAL, "table %s.%s is not in the catalog", t->id.ns, t->id.name);
  if (set != NULL && ib_str_map_get(set, "format-version") != NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "format-version is reserved: it is chosen when the table is created");
  for (size_t i = 0; i < n_removals; i++)
    if (strcmp(removals[i], "format-version") == 0)
      ICE_FAIL(err, ICE_EINVAL, "format-version is reserved and cannot be removed");
  struct change c = {set, removals, n_removals};
  return op_table_commit_with_retries(t, attempt, &c, err);
}
