/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whether a table may be written: its location lies under a write root of the
 * catalog's FileIO (the warehouse or an allowed root; io_fileio.h holds the rule),
 * checked before a load or create writes anything and again on every commit attempt
 * (docs/locations.md).
 */
#ifndef ICE_OPS_OP_LOCATION_H
#define ICE_OPS_OP_LOCATION_H

#include "catalog/cat_catalog.h"
#include "util/error.h"

/* ICE_EAUTH, naming the table, its location and how to allow it, unless files under
 * `location` may be written through cat's FileIO. */
int op_check_location_writable(const struct cat_catalog *cat,
                               const struct cat_ident *table, const char *location,
                               struct ice_error *err) ICE_NODISCARD;

#endif
