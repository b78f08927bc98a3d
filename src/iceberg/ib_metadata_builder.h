/* SPDX-License-Identifier: Apache-2.0 */
/*
 * State shared by the metadata builder's files (ib_metadata_builder.c: driver, ids,
 * schemas, specs, sort orders, properties; ib_metadata_builder_snapshots.c: snapshots,
 * refs, logs). Not used outside src/iceberg.
 */
#ifndef ICE_ICEBERG_IB_METADATA_BUILDER_H
#define ICE_ICEBERG_IB_METADATA_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

#include "iceberg/ib_id_index.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_update.h"
#include "util/error.h"

struct ib_builder {
  struct ib_table_metadata *md;         /* the private copy being changed */
  const struct ib_table_metadata *base; /* NULL for a create */
  int64_t now_ms;
  bool has_added_ts;
  int64_t max_added_ts; /* newest timestamp-ms among snapshots added by this list */
  bool has_last_schema, has_last_spec, has_last_order;
  int32_t last_schema, last_spec, last_order; /* targets of IB_LAST_ADDED */
  /* md's snapshots by id -> index in md->snapshots (rebuilt after an expiry), and the
   * ids this list added; reset by the driver. */
  struct ib_id_index snapshots, added;
  bool snapshots_indexed;
  /* Allocated lengths of md->snapshots and md->snapshot_log, grown geometrically. */
  size_t snapshots_cap, log_cap;
};

int ib_builder_add_snapshot(struct ib_builder *b, const struct ib_update *u,
                            struct ice_error *err) ICE_NODISCARD;
int ib_builder_set_ref(struct ib_builder *b, const struct ib_update *u,
                       struct ice_error *err) ICE_NODISCARD;
int ib_builder_remove_snapshots(struct ib_builder *b, const struct ib_update *u,
                                struct ice_error *err) ICE_NODISCARD;
int ib_builder_remove_ref(struct ib_builder *b, const struct ib_update *u,
                          struct ice_error *err) ICE_NODISCARD;

#endif
