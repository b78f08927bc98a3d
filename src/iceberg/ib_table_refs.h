/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Branches and tags of table metadata (spec "Snapshot References"). They live in the
 * preserved document (md->raw "refs") so that fields icestream does not model survive a
 * rewrite; main is mirrored by current-snapshot-id. These helpers keep the two in step.
 */
#ifndef ICE_ICEBERG_IB_TABLE_REFS_H
#define ICE_ICEBERG_IB_TABLE_REFS_H

#include <stdbool.h>
#include <stdint.h>

#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_update.h"
#include "util/error.h"

/* The snapshot a branch or tag points at (main: current-snapshot-id, which parsing
 * keeps equal to refs.main and which stands in for it in v1 documents without refs).
 * false when the ref does not exist. */
bool ib_table_metadata_ref(const struct ib_table_metadata *md, const char *name,
                           int64_t *snapshot_id);

/* The ref's type, snapshot and retention fields (absent ones -1; out->name is left
 * alone). false when the ref does not exist. */
bool ib_table_refs_get(const struct ib_table_metadata *md, const char *name,
                       struct ib_snapshot_ref *out);

/* Replaces (or adds) the ref with exactly r's fields; for main also points
 * current-snapshot-id at it. The snapshot must exist (not checked here). */
int ib_table_refs_set(struct ib_table_metadata *md, const struct ib_snapshot_ref *r,
                      struct ice_error *err) ICE_NODISCARD;
/* Removes the ref if present; removing main leaves the table without a current
 * snapshot. */
void ib_table_refs_remove(struct ib_table_metadata *md, const char *name);
/* md's snapshot ids, sorted, for membership tests in O(log n) (*out NULL when there
 * are none; ice_free it). Keeps the builder O(history log history) on long histories. */
int ib_snapshot_ids_sorted(const struct ib_table_metadata *md, int64_t **out,
                           struct ice_error *err) ICE_NODISCARD;
bool ib_snapshot_ids_has(const int64_t *ids, size_t n, int64_t id);
void ib_snapshot_ids_sort(int64_t *ids, size_t n);

/* Removes every ref whose snapshot is not in ids[0..n) (md's snapshots, sorted: as Java
 * does after remove-snapshots), and the statistics / partition-statistics entries of
 * snapshots that are gone. */
void ib_table_refs_drop_dangling(struct ib_table_metadata *md, const int64_t *ids,
                                 size_t n);
/* ICE_EINVAL naming the first ref whose snapshot is not in ids[0..n) (md's, sorted). */
int ib_table_refs_check(const struct ib_table_metadata *md, const int64_t *ids, size_t n,
                        struct ice_error *err) ICE_NODISCARD;

#endif
