/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public handles behind include/ice/ice_catalog.h and ice_table.h: thin wrappers
 * around the catalog vtable and the ops-layer table state.
 */
#ifndef ICE_API_INTERNAL_H
#define ICE_API_INTERNAL_H

#include "catalog/cat_catalog.h"
#include "ice/ice_catalog.h"
#include "ice/ice_table.h"
#include "ops/op_table.h"

struct ice_catalog {
  struct cat_catalog *cat;
};

struct ice_table {
  ice_catalog *owner; /* borrowed */
  struct op_table t;
};

/* Converts a NULL-terminated key/value array into a map (ICE_EINVAL on an odd count). */
int api_props_to_map(const char *const *props, struct ib_str_map *out, struct ice_error *err)
    ICE_NODISCARD;

/* Arrow struct schema -> new Iceberg schema with fresh ids (ib_schema_from_arrow). */
int api_schema_from_arrow(const struct ArrowSchema *schema, int format_version,
                          struct ib_schema *out, struct ice_error *err) ICE_NODISCARD;

#endif
