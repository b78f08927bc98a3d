/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where a table's new files go, as its properties say (reference/iceberg.md §3.9 and
 * the table-property table; Java's LocationProviders, pyiceberg's table/locations.py):
 * - write.metadata.path: folder of new metadata JSON, manifests and manifest lists
 *   (default <location>/metadata);
 * - write.data.path: folder of new data files (default <location>/data);
 * - write.object-storage.enabled=true: data files get a hash prefix of their name,
 *   "<data>/bbbb/bbbb/bbbb/bbbbbbbb/<name>" (the low 20 bits of murmur3_32(name) in
 *   binary, as 4+4+4+8 digits), spreading object-store key prefixes; with
 *   write.object-storage.partitioned-paths=false the last part is joined to the name
 *   with '-' ("<data>/bbbb/bbbb/bbbb/bbbbbbbb-<name>").
 * A path property that is a URI is used as it is, an absolute path as its file: URI; a
 * relative one is joined to the table location (it may not climb out with ".."); empty
 * means unset.
 * Nothing here does I/O. Returned strings are owned by the caller (ice_free).
 */
#ifndef ICE_ICEBERG_IB_WRITE_PATHS_H
#define ICE_ICEBERG_IB_WRITE_PATHS_H

#include <stdint.h>

#include "iceberg/ib_str_map.h"
#include "iceberg/ib_table_metadata.h"
#include "util/error.h"

/* Folder of new metadata files / data files for a table at location with props (props
 * may be NULL). ICE_EINVAL for a relative value that climbs with "..". */
int ib_write_paths_metadata_dir(const char *location, const struct ib_str_map *props,
                                char **out, struct ice_error *err) ICE_NODISCARD;
int ib_write_paths_data_dir(const char *location, const struct ib_str_map *props,
                            char **out, struct ice_error *err) ICE_NODISCARD;

/* Checks the location properties (paths, true/false flags); ICE_EINVAL naming the
 * property otherwise. */
int ib_write_paths_validate(const char *location, const struct ib_str_map *props,
                            struct ice_error *err) ICE_NODISCARD;

/* New file locations of table md: metadata JSON "<meta>/NNNNN-<uuid>.metadata.json",
 * manifest "<meta>/<commit_uuid>-m<n>.avro", manifest list
 * "<meta>/snap-<id>-<attempt>-<commit_uuid>.avro", data file under the data folder
 * (hash-prefixed when object storage is on). */
int ib_write_paths_metadata_file(const struct ib_table_metadata *md, int version,
                                 const char *uuid, char **out,
                                 struct ice_error *err) ICE_NODISCARD;
int ib_write_paths_manifest(const struct ib_table_metadata *md, const char *commit_uuid,
                            int n, char **out, struct ice_error *err) ICE_NODISCARD;
int ib_write_paths_manifest_list(const struct ib_table_metadata *md, int64_t snapshot_id,
                                 int attempt, const char *commit_uuid, char **out,
                                 struct ice_error *err) ICE_NODISCARD;
int ib_write_paths_data_file(const struct ib_table_metadata *md, const char *file_name,
                             char **out, struct ice_error *err) ICE_NODISCARD;

/* 1 when s starts with "scheme:" as RFC 3986 spells it (file:, s3:, ...); a local path
 * has none. */
int ib_uri_has_scheme(const char *s);

/* The hash folders of object storage for file_name: "bbbb/bbbb/bbbb/bbbbbbbb". */
#define IB_ENTROPY_LEN 24
void ib_write_paths_entropy(const char *file_name, char out[IB_ENTROPY_LEN]);

#endif
