/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Refusing to create a table over someone else's. A writer without our catalog (dlt with
 * pyiceberg's in-memory catalog, a copied folder, a dropped row) leaves a table's
 * *.metadata.json files in the location a new table would get; creating there would
 * start a second history in the same folder, and later commits would fork it.
 *
 * Our own creations are told apart by a marker (catalog/cat_metadata_file.h): before a
 * new table's first metadata file "<dir>/F" is written, an empty "<dir>/.F.creating"
 * is, and it is removed once the catalog row is in. A creation that was killed before its
 * insert, or is running now in another process, leaves a marked file, which never blocks
 * a new creation.
 */
#ifndef ICE_OPS_OP_FOREIGN_METADATA_H
#define ICE_OPS_OP_FOREIGN_METADATA_H

#include "catalog/cat_catalog.h"
#include "io/io_fileio.h"
#include "util/error.h"

/* ICE_OK when metadata_dir (a location, listed through cat's FileIO) holds no unmarked
 * *.metadata.json file, or when the catalog row of id exists by now (a concurrent
 * creator finished first; the creation's insert then reports it). Otherwise ICE_EEXISTS
 * naming the folder and `icestream register`. */
int op_check_no_foreign_metadata(struct cat_catalog *cat, const struct cat_ident *id,
                                 const char *metadata_dir,
                                 struct ice_error *err) ICE_NODISCARD;

#endif
