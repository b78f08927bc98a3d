/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The metadata builder's snapshot updates (reference/iceberg.md §1.3): add-snapshot
 * (sequence numbers above last-sequence-number, parent and schema exist),
 * set-snapshot-ref (the snapshot exists; moving main appends to snapshot-log),
 * remove-snapshots (refs, log entries and statistics of removed snapshots go too, as
 * Java's TableMetadata.Builder does) and remove-snapshot-ref.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "iceberg/ib_metadata_builder.h"
#include "iceberg/ib_table_refs.h"
#include "util/alloc.h"
#include "util/limits.h"

/* Room for one more element in *items (n used, *cap allocated): doubling, so a list
 * adding many snapshots does not copy the history once per snapshot. */
static int reserve(void **items, size_t n, size_t *cap, size_t sz,
                   struct ice_error *err) {
  if (n < *cap) return ICE_OK;
  size_t nc = *cap < 8 ? 8 : *cap * 2;
  void *p = ice_realloc(*items, nc * sz);
  if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *items = p;
  *cap = nc;
  return ICE_OK;
}

/* The snapshot of md with that id, or NULL (through the builder's index). */
static int find(struct ib_builder *b, int64_t id, const struct ib_snapshot **out,
                struct ice_error *err) {
  if (!b->snapshots_indexed) {
    ib_id_index_reset(&b->snapshots);
    for (size_t i = 0; i < b->md->n_snapshots; i++)
      ICE_TRY(ib_id_index_put(&b->snapshots, b->md->snapshots[i].snapshot_id, i, err));
    b->snapshots_indexed = true;
  }
  size_t at;
  *out = ib_id_index_get(&b->snapshots, id, &at) ? &b->md->snapshots[at] : NULL;
  return ICE_OK;
}

int ib_builder_add_snapshot(struct ib_builder *b, const struct ib_update *u,
                            struct ice_error *err) {
  struct ib_table_metadata *md = b->md;
  const struct ib_snapshot *s = &u->snapshot, *same, *parent = NULL;
  if (s->snapshot_id <= 0)
    ICE_FAIL(err, ICE_EINVAL, "snapshot-id %" PRId64 " is not positive", s->snapshot_id);
  ICE_TRY(find(b, s->snapshot_id, &same, err));
  if (s->has_parent) ICE_TRY(find(b, s->parent_snapshot_id, &parent, err));
  if (same != NULL)
    ICE_FAIL(err, ICE_EINVAL, "snapshot %" PRId64 " already exists", s->snapshot_id);
  if (s->sequence_number <= md->last_sequence_number)
    ICE_FAIL(err, ICE_EINVAL,
             "snapshot %" PRId64 ": sequence-number %" PRId64
             " is not above last-sequence-number %" PRId64,
             s->snapshot_id, s->sequence_number, md->last_sequence_number);
  if (s->has_parent && parent == NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "snapshot %" PRId64 ": parent snapshot %" PRId64 " does not exist",
             s->snapshot_id, s->parent_snapshot_id);
  if (s->has_schema_id && ib_table_metadata_schema_by_id(md, s->schema_id) == NULL)
    ICE_FAIL(err, ICE_EINVAL, "snapshot %" PRId64 ": schema %" PRId32 " does not exist",
             s->snapshot_id, s->schema_id);
  if (s->manifest_list == NULL || s->manifest_list[0] == '\0')
    ICE_FAIL(err, ICE_EINVAL, "snapshot %" PRId64 " has no manifest-list",
             s->snapshot_id);
  const char *op = ib_str_map_get(&s->summary, "operation");
  if (op == NULL)
    ICE_FAIL(err, ICE_EINVAL, "snapshot %" PRId64 ": summary has no 'operation'",
             s->snapshot_id);
  if (strcmp(op, "append") != 0 && strcmp(op, "replace") != 0 &&
      strcmp(op, "overwrite") != 0 && strcmp(op, "delete") != 0)
    ICE_FAIL(err, ICE_EINVAL,
             "snapshot %" PRId64
             ": operation '%.32s' is not append, replace, overwrite "
             "or delete",
             s->snapshot_id, op);
  if (s->timestamp_ms < 0)
    ICE_FAIL(err, ICE_EINVAL, "snapshot %" PRId64 ": negative timestamp-ms",
             s->snapshot_id);
  if (md->n_snapshots >= ICE_LIMIT_METADATA_LIST)
    ICE_FAIL(err, ICE_ELIMIT, "too many snapshots");
  ICE_TRY(reserve((void **)&md->snapshots, md->n_snapshots, &b->snapshots_cap,
                  sizeof(*md->snapshots), err));
  ICE_TRY(ib_snapshot_copy(&md->snapshots[md->n_snapshots], s, err));
  md->n_snapshots++;
  ICE_TRY(ib_id_index_put(&b->snapshots, s->snapshot_id, md->n_snapshots - 1, err));
  ICE_TRY(ib_id_index_put(&b->added, s->snapshot_id, 0, err));
  md->last_sequence_number = s->sequence_number;
  if (!b->has_added_ts || s->timestamp_ms > b->max_added_ts)
    b->max_added_ts = s->timestamp_ms;
  b->has_added_ts = true;
  return ICE_OK;
}

static int append_snapshot_log(struct ib_builder *b, int64_t ts, int64_t id,
                               struct ice_error *err) {
  struct ib_table_metadata *md = b->md;
  if (md->n_snapshot_log >= ICE_LIMIT_METADATA_LIST)
    ICE_FAIL(err, ICE_ELIMIT, "snapshot-log too long");
  ICE_TRY(reserve((void **)&md->snapshot_log, md->n_snapshot_log, &b->log_cap,
                  sizeof(*md->snapshot_log), err));
  md->snapshot_log[md->n_snapshot_log].timestamp_ms = ts;
  md->snapshot_log[md->n_snapshot_log].snapshot_id = id;
  md->n_snapshot_log++;
  return ICE_OK;
}

int ib_builder_set_ref(struct ib_builder *b, const struct ib_update *u,
                       struct ice_error *err) {
  struct ib_table_metadata *md = b->md;
  const struct ib_snapshot_ref *r = &u->ref;
  if (r->name == NULL || r->name[0] == '\0') ICE_FAIL(err, ICE_EINVAL, "empty ref-name");
  const struct ib_snapshot *s;
  ICE_TRY(find(b, r->snapshot_id, &s, err));
  if (s == NULL)
    ICE_FAIL(err, ICE_EINVAL, "ref '%.100s': snapshot %" PRId64 " does not exist",
             r->name, r->snapshot_id);
  bool is_main = strcmp(r->name, "main") == 0;
  if (is_main && r->is_tag) ICE_FAIL(err, ICE_EINVAL, "ref 'main' must be a branch");
  if (r->is_tag && (r->min_snapshots_to_keep >= 0 || r->max_snapshot_age_ms >= 0))
    ICE_FAIL(err, ICE_EINVAL,
             "tag '%.100s': min-snapshots-to-keep and max-snapshot-age-ms apply to "
             "branches only",
             r->name);
  if (r->min_snapshots_to_keep == 0 || r->max_snapshot_age_ms == 0 ||
      r->max_ref_age_ms == 0)
    ICE_FAIL(err, ICE_EINVAL, "ref '%.100s': retention values must be greater than 0",
             r->name);
  bool moves =
      is_main && (!md->has_current_snapshot || md->current_snapshot_id != r->snapshot_id);
  ICE_TRY(ib_table_refs_set(md, r, err));
  if (!moves) return ICE_OK;
  /* Java: a snapshot added by this commit is logged at its own time, an older one
   * (a rollback) at the commit's time. */
  size_t unused;
  bool added_here = ib_id_index_get(&b->added, r->snapshot_id, &unused);
  return append_snapshot_log(b, added_here ? s->timestamp_ms : b->now_ms, r->snapshot_id,
                             err);
}

/* Keeps only the snapshot-log entries after the last one whose snapshot is gone: the
 * history before a removed snapshot is no longer a valid chain (Java, spec §1.3). */
static void trim_snapshot_log(struct ib_table_metadata *md, const int64_t *ids,
                              size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < md->n_snapshot_log; i++) {
    if (!ib_snapshot_ids_has(ids, n, md->snapshot_log[i].snapshot_id)) start = i + 1;
  }
  if (start == 0) return;
  memmove(md->snapshot_log, md->snapshot_log + start,
          (md->n_snapshot_log - start) * sizeof(*md->snapshot_log));
  md->n_snapshot_log -= start;
}

int ib_builder_remove_snapshots(struct ib_builder *b, const struct ib_update *u,
                                struct ice_error *err) {
  struct ib_table_metadata *md = b->md;
  size_t n = u->n_snapshot_ids;
  if (n == 0) return ICE_OK;
  int64_t *ids = ice_calloc(n, sizeof(int64_t));
  if (ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  memcpy(ids, u->snapshot_ids, n * sizeof(int64_t));
  ib_snapshot_ids_sort(ids, n);
  /* Ids the table does not have are ignored, as Java does: a concurrent expiry may
   * have removed them already. */
  size_t kept = 0;
  for (size_t i = 0; i < md->n_snapshots; i++) {
    if (ib_snapshot_ids_has(ids, n, md->snapshots[i].snapshot_id)) {
      ib_snapshot_reset(&md->snapshots[i]);
    } else {
      md->snapshots[kept++] = md->snapshots[i];
    }
  }
  ice_free(ids);
  md->n_snapshots = kept;
  b->snapshots_indexed = false; /* positions moved */
  int64_t *left;
  ICE_TRY(ib_snapshot_ids_sorted(md, &left, err));
  trim_snapshot_log(md, left, md->n_snapshots);
  ib_table_refs_drop_dangling(md, left, md->n_snapshots);
  ice_free(left);
  return ICE_OK;
}

int ib_builder_remove_ref(struct ib_builder *b, const struct ib_update *u,
                          struct ice_error *err) {
  if (u->text == NULL || u->text[0] == '\0') ICE_FAIL(err, ICE_EINVAL, "empty ref-name");
  ib_table_refs_remove(b->md, u->text);
  return ICE_OK;
}
