/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Explicit schema changes as a transaction (op_update_schema.h): each attempt applies
 * the edits to the head it starts from, so new field ids continue after that head's
 * last-column-id and the requirements pin what the edit relied on.
 */
#include "ops/op_update_schema.h"

#include <string.h>

#include "iceberg/ib_update.h"
#include "ops/op_table_retry.h"

struct schema_change {
  const struct ib_schema_edit *edits;
  size_t n;
  bool changed;
};

static int attempt(struct op_table *t, void *ctx, struct ice_error *err) {
  struct schema_change *c = ctx;
  const struct ib_schema *cur = ib_table_metadata_current_schema(&t->md);
  if (cur == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no current schema");
  int32_t last = t->md.last_column_id;
  struct ib_schema next;
  ICE_TRY(ib_schema_apply_edits(&t->md, c->edits, c->n, &last, &next, err));
  bool none = ib_type_equal(&next.root, &cur->root);
  struct ib_requirement_list reqs;
  struct ib_update_list ups;
  ib_requirement_list_init(&reqs);
  ib_update_list_init(&ups);
  struct ib_update *u = NULL;
  int rc = ICE_OK;
  if (!none) {
    rc = ib_update_list_add(&ups, IB_UPDATE_ADD_SCHEMA, &u, err);
    if (rc == ICE_OK) {
      ib_schema_reset(&u->schema);
      u->schema = next; /* moved */
      ib_schema_init(&next, 0);
      rc = ib_update_list_add(&ups, IB_UPDATE_SET_CURRENT_SCHEMA, &u, err);
    }
    if (rc == ICE_OK) u->id = IB_LAST_ADDED;
    if (rc == ICE_OK) rc = ib_commit_requirements(&t->md, ups.items, ups.n, &reqs, err);
    if (rc == ICE_OK) rc = op_table_commit(t, &reqs, &ups, err);
  }
  if (rc == ICE_OK) c->changed = !none;
  ib_schema_reset(&next);
  ib_requirement_list_reset(&reqs);
  ib_update_list_reset(&ups);
  return rc;
}

int op_update_schema(struct op_table *t, const struct ib_schema_edit *edits, size_t n,
                     bool *changed, struct ice_error *err) {
  if (t->metadata_location == NULL)
    ICE_FAIL(err, ICE_EINVAL, "table %s.%s is not in the catalog", t->id.ns, t->id.name);
  if (n > 0 && edits == NULL) ICE_FAIL(err, ICE_EINVAL, "schema changes are NULL");
  struct schema_change c = {edits, n, false};
  ICE_TRY(op_table_commit_with_retries(t, attempt, &c, err));
  if (changed != NULL) *changed = c.changed;
  return ICE_OK;
}
