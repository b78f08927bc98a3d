/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The retry loop of metadata-only changes (properties, partition specs): an attempt
 * builds its requirement and update lists from the table as it is and commits them;
 * a lost race re-reads the table and tries again under the table's commit.retry.*
 * policy (op_retry.h), so every attempt is checked against the head it lands on.
 */
#ifndef ICE_OPS_OP_TABLE_RETRY_H
#define ICE_OPS_OP_TABLE_RETRY_H

#include "ops/op_table.h"
#include "util/error.h"

/* One attempt on t as it now is: ICE_ECONFLICT asks for a retry on the re-read head,
 * anything else ends the loop. */
typedef int (*op_table_attempt_fn)(struct op_table *t, void *ctx, struct ice_error *err);

/* Runs attempt until it returns something other than ICE_ECONFLICT, re-reading t
 * between attempts and waiting with backoff; ICE_ECONFLICT ("commit failed after N
 * attempts") once commit.retry.num-retries or total-timeout-ms is spent. The policy is
 * read from t's properties before the first attempt (ICE_EINVAL for a bad one). */
int op_table_commit_with_retries(struct op_table *t, op_table_attempt_fn attempt,
                                 void *ctx, struct ice_error *err) ICE_NODISCARD;

#endif
