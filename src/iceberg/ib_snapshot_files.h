/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Walking the live files of a snapshot: its manifest list (or a v1 snapshot's
 * `manifests`), then every manifest, streaming entries with inherited snapshot ids and
 * sequence numbers filled in. Replace operations use it to list what they remove;
 * storage is reached through a caller-supplied opener so any back end fits.
 */
#ifndef ICE_ICEBERG_IB_SNAPSHOT_FILES_H
#define ICE_ICEBERG_IB_SNAPSHOT_FILES_H

#include "iceberg/ib_manifest.h"
#include "iceberg/ib_table_metadata.h"
#include "io/io.h"
#include "util/error.h"

/* Opens uri for reading (*in is closed by the walker). */
typedef int (*ib_open_input_fn)(void *ctx, const char *uri, struct ice_input **in,
                                struct ice_error *err);

/* Called for each live (ADDED or EXISTING) entry; mf is the manifest it came from (for
 * v1 `manifests` snapshots a synthesized record with sequence number 0). Both are
 * borrowed for the call. A non-OK return stops the walk and is returned. */
typedef int (*ib_entry_fn)(void *ctx, const struct ib_manifest_file *mf,
                           const struct ib_manifest_entry *e, struct ice_error *err);

/* Streams every live entry of snap (data and delete files). */
int ib_snapshot_for_each_live_entry(const struct ib_snapshot *snap, ib_open_input_fn open,
                                    void *open_ctx, ib_entry_fn fn, void *fn_ctx,
                                    struct ice_error *err) ICE_NODISCARD;

#endif
