/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition evolution: a new default partition spec in one commit (reference/iceberg.md
 * §1.3, §8.4). Files written under older specs keep them; the next writes use the new
 * default. As Java's UpdatePartitionSpec commits it: add-spec + set-default-spec with
 * the requirements assert-last-assigned-partition-id and assert-default-spec-id (plus
 * assert-table-uuid), so a concurrent spec change conflicts while a concurrent
 * snapshot does not.
 */
#ifndef ICE_OPS_OP_UPDATE_SPEC_H
#define ICE_OPS_OP_UPDATE_SPEC_H

#include <stdbool.h>

#include "ops/op_table.h"
#include "util/error.h"

/* Makes partition_by (a spec as text, ib_partition_spec_parse; blank = unpartitioned)
 * the default spec of t, bound to t's current schema. New fields get ids after
 * last-partition-id; fields equal to a field of an older spec keep its id. A spec equal
 * to an existing one is not added again: only set-default-spec to it is committed
 * (as Java does); when it already is the default nothing is committed and *changed is
 * false. A lost race is retried on the new head (commit.retry.*), re-binding the text
 * to it. On success t holds the table as committed. Errors: ICE_EINVAL (a spec that
 * does not fit, naming the field; a table not in the catalog), those of
 * op_table_commit, ICE_ECONFLICT once the retries are spent. */
int op_update_spec(struct op_table *t, const char *partition_by, bool *changed,
                   struct ice_error *err) ICE_NODISCARD;

#endif
