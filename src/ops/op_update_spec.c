/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition evolution as a transaction (op_update_spec.h): each attempt binds the text
 * to the head it starts from, so field ids continue after that head's
 * last-partition-id and the requirements pin what the binding relied on.
 */
#include "ops/op_update_spec.h"

#include <string.h>

#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_json.h"
#include "iceberg/ib_update.h"
#include "ops/op_table_retry.h"

struct spec_change {
  const char *text;
  bool changed;
};

static const struct ib_partition_spec *existing_spec(const struct ib_table_metadata *md,
                                                     const struct ib_partition_spec *s) {
  for (size_t i = 0; i < md->n_specs; i++)
    if (ib_partition_spec_same_fields(&md->specs[i], s)) return &md->specs[i];
  return NULL;
}

/* The updates: set-default-spec to an equal existing spec, or add-spec +
 * set-default-spec -1. Sets *none when the default already is that spec. */
static int updates_for(const struct ib_table_metadata *md, struct ib_partition_spec *s,
                       struct ib_update_list *ups, bool *none, struct ice_error *err) {
  struct ib_update *u;
  const struct ib_partition_spec *old = existing_spec(md, s);
  *none = old != NULL && old->spec_id == md->default_spec_id;
  if (*none) return ICE_OK;
  if (old == NULL) {
    ICE_TRY(ib_update_list_add(ups, IB_UPDATE_ADD_SPEC, &u, err));
    u->spec = *s; /* moved */
    memset(s, 0, sizeof(*s));
  }
  ICE_TRY(ib_update_list_add(ups, IB_UPDATE_SET_DEFAULT_SPEC, &u, err));
  u->id = old != NULL ? old->spec_id : IB_LAST_ADDED;
  return ICE_OK;
}

static int attempt(struct op_table *t, void *ctx, struct ice_error *err) {
  struct spec_change *c = ctx;
  const struct ib_schema *schema = ib_table_metadata_current_schema(&t->md);
  if (schema == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no current schema");
  struct ib_partition_spec spec;
  memset(&spec, 0, sizeof(spec));
  struct ib_requirement_list reqs;
  struct ib_update_list ups;
  ib_requirement_list_init(&reqs);
  ib_update_list_init(&ups);
  bool none = false;
  int rc = ib_partition_spec_parse(c->text, schema, &t->md, &spec, err);
  if (rc == ICE_OK) rc = updates_for(&t->md, &spec, &ups, &none, err);
  if (rc == ICE_OK && !none)
    rc = ib_commit_requirements(&t->md, ups.items, ups.n, &reqs, err);
  if (rc == ICE_OK && !none) rc = op_table_commit(t, &reqs, &ups, err);
  if (rc == ICE_OK) c->changed = !none;
  ib_partition_spec_reset(&spec);
  ib_requirement_list_reset(&reqs);
  ib_update_list_reset(&ups);
  return rc;
}

int op_update_spec(struct op_table *t, const char *partition_by, bool *changed,
                   struct ice_error *err) {
  if (t->metadata_location == NULL)
    ICE_FAIL(err, ICE_EINVAL, "table %s.%s is not in the catalog", t->id.ns, t->id.name);
  if (partition_by == NULL) ICE_FAIL(err, ICE_EINVAL, "partition spec is NULL");
  struct spec_change c = {partition_by, false};
  ICE_TRY(op_table_commit_with_retries(t, attempt, &c, err));
  if (changed != NULL) *changed = c.changed;
  return ICE_OK;
}
