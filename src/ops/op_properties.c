/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Property changes as a transaction (op_properties.h): the lists are rebuilt and the
 * result re-checked against the head of every attempt, so a retry never commits
 * properties that were checked against an older table.
 */
#include "ops/op_properties.h"

#include <string.h>

#include "iceberg/ib_update.h"
#include "ops/op_retry.h"
#include "ops/op_table_props.h"
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

static int attempt(struct op_table *t, const struct ib_str_map *set,
                   const char *const *removals, size_t n_removals,
                   struct ice_error *err) {
  struct ib_requirement_list reqs;
  struct ib_update_list ups;
  ib_requirement_list_init(&reqs);
  ib_update_list_init(&ups);
  int rc = check_result(&t->md, set, removals, n_removals, err);
  if (rc == ICE_OK) rc = lists_for(&t->md, set, removals, n_removals, &reqs, &ups, err);
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
  struct op_retry_policy policy;
  ICE_TRY(op_retry_policy_from_props(&t->md.properties, &policy, err));
  uint64_t rng = op_retry_seed();
  int64_t started = op_now_ms();
  for (int number = 1;; number++) {
    int rc = attempt(t, set, removals, n_removals, err);
    if (rc != ICE_ECONFLICT) return rc;
    struct ice_error rerr;
    if (op_table_refresh(t, &rerr) != ICE_OK) {
      if (err != NULL) *err = rerr;
      return ice_error_prefix(err, "re-reading table after a conflicting commit");
    }
    if (number > policy.num_retries || op_now_ms() - started >= policy.total_timeout_ms)
      return ice_error_prefix(err, "commit failed after %d attempts", number);
    op_sleep_ms(op_retry_backoff_ms(&policy, number, &rng));
  }
}
