/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The load-id check and the change that carries it into the commit loop (op_load_id.h).
 * The guard delegates what a change removes to the change it wraps; only its
 * re-validation adds the ancestry walk, so the commit loop needs no case for it.
 */
#include "ops/op_load_id.h"

#include <string.h>

int64_t op_load_id_find(const struct ib_table_metadata *md, const char *id) {
  const struct ib_snapshot *s = ib_table_metadata_current_snapshot(md);
  /* A parent chain is at most as long as the snapshot list (a cycle must not hang). */
  for (size_t steps = 0; s != NULL && steps <= md->n_snapshots; steps++) {
    const char *v = ib_str_map_get(&s->summary, "icestream.load-id");
    if (v != NULL && strcmp(v, id) == 0) return s->snapshot_id;
    s = s->has_parent ? ib_table_metadata_snapshot_by_id(md, s->parent_snapshot_id)
                      : NULL;
  }
  return -1;
}

static bool guard_removes(void *ctx, const struct ib_manifest_file *mf,
                          const struct ib_manifest_entry *e) {
  const struct op_change *in = ((struct op_load_id_guard *)ctx)->inner;
  return in->removes(in->ctx, mf, e);
}

static bool guard_may_remove_from(void *ctx, const struct ib_manifest_file *mf) {
  const struct op_change *in = ((struct op_load_id_guard *)ctx)->inner;
  return in->may_remove_from(in->ctx, mf);
}

static int guard_revalidate(void *ctx, const struct op_table *t, struct ice_error *err) {
  struct op_load_id_guard *g = ctx;
  g->found = op_load_id_find(&t->md, g->load_id);
  if (g->found >= 0)
    ICE_FAIL(err, ICE_ECONFLICT, "load id %s was already loaded in snapshot %lld",
             g->load_id, (long long)g->found);
  const struct op_change *in = g->inner;
  if (in == NULL || in->revalidate == NULL) return ICE_OK;
  const struct ib_snapshot *head = ib_table_metadata_current_snapshot(&t->md);
  if ((head ? head->snapshot_id : -1) == in->planned_snapshot_id) return ICE_OK;
  return in->revalidate(in->ctx, t, err);
}

const struct op_change *op_load_id_guard_init(struct op_load_id_guard *g,
                                              const struct op_change *inner,
                                              const char *load_id,
                                              int64_t planned_snapshot_id) {
  memset(g, 0, sizeof *g);
  g->inner = inner;
  g->load_id = load_id;
  g->found = -1;
  g->change.removes = inner && inner->removes ? guard_removes : NULL;
  g->change.may_remove_from =
      inner && inner->may_remove_from ? guard_may_remove_from : NULL;
  g->change.revalidate = guard_revalidate;
  g->change.n_removals = inner ? inner->n_removals : -1;
  g->change.operation = inner ? inner->operation : NULL;
  g->change.planned_snapshot_id = planned_snapshot_id;
  g->change.ctx = g;
  return &g->change;
}
