/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The metadata files a SQL catalog reads and writes (reference/iceberg.md §8.2): the
 * current file of a table, and the next one of a commit,
 * "<metadata folder>/<version %05d>-<uuid>.metadata.json" with the version one above
 * the base file's (0 for a new table) and the folder of write.metadata.path when set.
 *
 * A new table's first file is preceded by a creation marker: an empty
 * "<dir>/.F.creating" next to "<dir>/F", removed once the catalog row is in, so a file
 * of a creation that was killed before its insert (or is running now) is never taken
 * for another table's history (ops/op_foreign_metadata.h).
 */
#ifndef ICE_CAT_METADATA_FILE_H
#define ICE_CAT_METADATA_FILE_H

#include "iceberg/ib_table_metadata.h"
#include "io/io_fileio.h"
#include "util/error.h"

/* Reads the metadata file at location through io into md (initialized; replaced only on
 * success). Errors name the file. */
int cat_metadata_read(const struct io_fileio *io, const char *location,
                      struct ib_table_metadata *md, struct ice_error *err) ICE_NODISCARD;

/* Writes md as the file that follows base_location (NULL: a new table, version 0, with
 * its creation marker written first: *marker, owned; otherwise *marker = NULL). *uri is
 * the new file (owned), complete when this returns. On failure nothing is left. */
int cat_metadata_write_next(const struct io_fileio *io,
                            const struct ib_table_metadata *md, const char *base_location,
                            char **uri, char **marker,
                            struct ice_error *err) ICE_NODISCARD;

/* "<dir>/.<name>.creating": the marker of metadata file <dir>/<name> (owned). */
int cat_creation_marker_of(const char *dir, const char *name, char **out,
                           struct ice_error *err) ICE_NODISCARD;

#endif
