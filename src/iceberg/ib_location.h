/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File naming under a table location (reference/iceberg.md §3.9): metadata JSON
 * "<loc>/metadata/NNNNN-<uuid>.metadata.json", manifests "<loc>/metadata/<uuid>-mN.avro",
 * manifest lists "<loc>/metadata/snap-<id>-<attempt>-<uuid>.avro", data files
 * "<loc>/data/<name>.parquet"; plus file: URI <-> local path and random UUIDv4 text.
 * Every returned char * is owned by the caller (ice_free).
 */
#ifndef ICE_ICEBERG_IB_LOCATION_H
#define ICE_ICEBERG_IB_LOCATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* 36 characters + NUL. Random UUIDv4 from /dev/urandom (ICE_EIO if unavailable). */
#define IB_UUID_STR_LEN 37
int ib_uuid4(char out[IB_UUID_STR_LEN], struct ice_error *err) ICE_NODISCARD;
/* 16 random bytes with the v4 version/variant bits set. */
int ib_uuid4_bytes(uint8_t out[16], struct ice_error *err) ICE_NODISCARD;
void ib_uuid_format(const uint8_t b[16], char out[IB_UUID_STR_LEN]);
/* Parses 8-4-4-4-12 hex text; ICE_ECORRUPT otherwise. */
int ib_uuid_parse(const char *s, uint8_t out[16], struct ice_error *err) ICE_NODISCARD;

/* "<location>/metadata/<version %05d>-<uuid>.metadata.json" (version >= 0). A trailing
 * '/' on location is ignored. */
int ib_location_metadata_file(const char *location, int version, const char *uuid,
                              char **out, struct ice_error *err) ICE_NODISCARD;
/* Version number parsed from a metadata file name ("00012-....metadata.json" -> 12,
 * "v3.metadata.json" -> 3); -1 when it does not follow either convention. */
int ib_location_metadata_version(const char *metadata_file);
/* "<location>/metadata/<commit_uuid>-m<n>.avro" */
int ib_location_manifest(const char *location, const char *commit_uuid, int n, char **out,
                         struct ice_error *err) ICE_NODISCARD;
/* "<location>/metadata/snap-<snapshot_id>-<attempt>-<commit_uuid>.avro" */
int ib_location_manifest_list(const char *location, int64_t snapshot_id, int attempt,
                              const char *commit_uuid, char **out,
                              struct ice_error *err) ICE_NODISCARD;
/* "<location>/data/<file_name>" (file_name may contain '/' for partition dirs). Honours
 * no write.data.path yet. */
int ib_location_data_file(const char *location, const char *file_name, char **out,
                          struct ice_error *err) ICE_NODISCARD;
/* Joins base and rel with exactly one '/'. */
int ib_location_join(const char *base, const char *rel, char **out,
                     struct ice_error *err) ICE_NODISCARD;

/* ICE_EINVAL (naming `what` and the path) when path holds a character a file: URI
 * cannot carry literally: '#' or '?' (urlparse-based readers such as pyiceberg cut the
 * path there) or a control character (they drop tabs and newlines). */
int ib_location_check_path_chars(const char *what, const char *path,
                                 struct ice_error *err) ICE_NODISCARD;
/* Local path -> "file:/abs/path" (the form Java writes; relative paths are made
 * absolute against the current directory). Refuses what ib_location_check_path_chars
 * refuses; '%' is kept literally. */
int ib_location_from_local_path(const char *path, char **out,
                                struct ice_error *err) ICE_NODISCARD;
/* "file:/p", "file:///p" or a plain absolute path -> "/p", taken literally: percent
 * escapes are NOT decoded (pyiceberg and Hadoop do not decode them either, and decoding
 * let "%2e%2e" climb out of the warehouse). ICE_EUNSUPPORTED for other schemes
 * (s3://...), ICE_EINVAL for "file://host/p". */
int ib_location_to_local_path(const char *uri, char **out,
                              struct ice_error *err) ICE_NODISCARD;
/* ib_location_to_local_path, then lexically normalised (io_path_normalize): the path a
 * write to uri really reaches. */
int ib_location_to_normalized_path(const char *uri, char **out,
                                   struct ice_error *err) ICE_NODISCARD;
/* If uri starts with prefix, returns replacement + rest (tests map s3a://bucket/...
 * onto a local folder); otherwise a copy of uri. */
int ib_location_rebase(const char *uri, const char *prefix, const char *replacement,
                       char **out, struct ice_error *err) ICE_NODISCARD;

#endif
