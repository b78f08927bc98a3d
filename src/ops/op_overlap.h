/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table locations must not overlap (docs/locations.md): with the layout
 * <warehouse>/<ns>/<table>, table a.b lives in a/b/ and table a.b.data would live in
 * a/b/data/, inside a.b's data folder, where an orphan-file cleanup of a.b would delete
 * its files. A table is therefore never created inside another table's location, nor
 * around one.
 */
#ifndef ICE_OPS_OP_OVERLAP_H
#define ICE_OPS_OP_OVERLAP_H

#include "catalog/cat_catalog.h"
#include "util/error.h"

/* ICE_EEXISTS naming both tables when `location` (of the table `id` being created)
 * equals, lies inside or contains the location of another table of the catalog. A
 * table whose metadata cannot be read is judged by its metadata file's folder; tables
 * outside local storage cannot overlap a local location and are skipped. */
int op_check_no_overlap(struct cat_catalog *cat, const struct cat_ident *id,
                        const char *location, struct ice_error *err) ICE_NODISCARD;

#endif
