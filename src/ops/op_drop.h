/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dropping a table: its catalog row goes; with purge, then every file under the
 * table's location (listed and deleted through the catalog's FileIO) — never a file
 * outside it, so metadata or data written elsewhere (write.metadata.path,
 * write.data.path) stays.
 */
#ifndef ICE_OPS_OP_DROP_H
#define ICE_OPS_OP_DROP_H

#include "catalog/cat_catalog.h"
#include "util/error.h"

/* Drops ident; with purge deletes the files under its location afterwards. A purge is
 * refused before anything changes (ICE_EAUTH) when the location is outside the write
 * roots, and (ICE_EEXISTS) when it is the warehouse itself or holds another table.
 * Errors: ICE_ENOTFOUND (no such table), ICE_EINVAL, ICE_EIO (the row is already
 * gone but a file could not be listed or deleted, named; whatever the storage said,
 * even a refusal, is reported as ICE_EIO: the table no longer exists). */
int op_table_drop(struct cat_catalog *cat, const char *ident, int purge,
                  struct ice_error *err) ICE_NODISCARD;

#endif
