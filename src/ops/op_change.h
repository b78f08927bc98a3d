/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a snapshot does to the files already in the table, beyond the files it adds: the
 * one thing that differs between append, replace and merge. The commit loop
 * (op_commit.h) asks the change which live entries of the base it removes, reads only
 * the base manifests that can hold such entries (the rest are carried by reference),
 * and before an attempt on a head the change was not planned against asks it to
 * re-validate (reference/iceberg.md §8.5). NULL hooks mean "none" (an append).
 */
#ifndef ICE_OPS_OP_CHANGE_H
#define ICE_OPS_OP_CHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "iceberg/ib_manifest.h"
#include "ops/op_table.h"
#include "util/error.h"

struct op_change {
  /* Whether the snapshot removes live entry e of base manifest mf. */
  bool (*removes)(void *ctx, const struct ib_manifest_file *mf,
                  const struct ib_manifest_entry *e);
  /* Whether base manifest mf can hold an entry `removes` accepts; manifests it rules
   * out are carried without being read. NULL: every manifest is read. */
  bool (*may_remove_from)(void *ctx, const struct ib_manifest_file *mf);
  /* Called before every attempt whose head is not `planned_snapshot_id` (someone else
   * committed since the change was planned). ICE_OK: the change still holds (it may
   * update what it removes); ICE_ECONFLICT: it does not, and the commit fails without
   * retrying. NULL: always holds. */
  int (*revalidate)(void *ctx, const struct op_table *t, struct ice_error *err);
  /* Live entries `removes` must find in every attempt; finding fewer means a
   * concurrent commit removed them, a conflict that fails the commit. -1: any number
   * (replace removes whatever is there). */
  int64_t n_removals;
  /* The snapshot operation; NULL: derived from the counters (append when nothing is
   * removed and no delete file added, delete when no data file is added, overwrite
   * otherwise). */
  const char *operation;
  int64_t planned_snapshot_id; /* -1: planned on a table without snapshots */
  void *ctx;
};

/* Replace: removes every live entry; re-plans against whatever head it meets. */
extern const struct op_change op_change_replace_all;

#endif
