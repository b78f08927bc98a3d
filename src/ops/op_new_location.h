/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where a new table lives. A namespace whose `location` property is set (catalog table
 * iceberg_namespace_properties, as Java and pyiceberg store it) holds its new tables at
 * <namespace location>/<table>, as pyiceberg's SqlCatalog places them; otherwise the
 * catalog's default layout <warehouse>/<ns1>/.../<table> applies.
 */
#ifndef ICE_OPS_OP_NEW_LOCATION_H
#define ICE_OPS_OP_NEW_LOCATION_H

#include "catalog/cat_catalog.h"
#include "util/error.h"

/* The location URI of a new table id (owned). ICE_EINVAL when the namespace location is
 * a relative path. */
int op_new_table_location(struct cat_catalog *cat, const struct cat_ident *id, char **out,
                          struct ice_error *err) ICE_NODISCARD;

#endif
