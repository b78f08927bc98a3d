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
#include "io/io_fileio.h"
#include "ops/op_table.h"

struct ice_catalog {
  struct cat_catalog *cat;
};

struct ice_table {
  ice_catalog *owner; /* borrowed; NULL for a table read from its metadata file */
  struct op_table t;
  struct io_fileio *own_io; /* owned FileIO of a table without a catalog, else NULL */
};

/* The FileIO the table's files are read through (its catalog's, or its own). */
static inline const struct io_fileio *api_table_io(const ice_table *tbl) {
  return tbl->own_io != NULL ? tbl->own_io : tbl->t.cat->io;
}

/* Sets the write roots (allow-location) and location map (location-map) of io from
 * props[0..n) (key/value pairs); the ICESTREAM_LOCATION_MAP variable only when no
 * location-map property is given. The one place a FileIO gets its map. */
int api_configure_fileio(struct io_fileio *io, const char *const *props, size_t n,
                         struct ice_error *err) ICE_NODISCARD;

/* Converts a NULL-terminated key/value array into a map (ICE_EINVAL on an odd count). */
int api_props_to_map(const char *const *props, struct ib_str_map *out, struct ice_error *err)
    ICE_NODISCARD;

/* Arrow struct schema -> new Iceberg schema with fresh ids (ib_schema_from_arrow). */
int api_schema_from_arrow(const struct ArrowSchema *schema, int format_version,
                          struct ib_schema *out, struct ice_error *err) ICE_NODISCARD;

#endif
