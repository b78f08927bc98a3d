/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Location URI -> local path for everything the load operations read or write. Until
 * object stores are supported, ICESTREAM_LOCATION_MAP="PREFIX=DIR[;PREFIX=DIR...]" maps
 * a table copied from an object store (s3a://bucket/t/...) onto a local folder, so its
 * metadata, manifests and data files resolve without rewriting them. Writes go only to
 * the warehouse or a root the user allowed (docs/locations.md).
 */
#ifndef ICE_OPS_OP_LOCATION_H
#define ICE_OPS_OP_LOCATION_H

#include "catalog/cat_catalog.h"
#include "util/error.h"

/* Owned local path for uri (file: URI, absolute path, or a mapped prefix). A map entry
 * that is not PREFIX=DIR with an absolute DIR is ICE_EINVAL. */
int op_local_path(const char *uri, char **out, struct ice_error *err) ICE_NODISCARD;

/* Owned local path for writing uri: op_local_path, lexically normalised, and inside
 * cat's warehouse or an allowed root; ICE_EAUTH naming the path otherwise. */
int op_write_path(const struct cat_catalog *cat, const char *uri, char **out,
                  struct ice_error *err) ICE_NODISCARD;

/* ICE_EAUTH, naming the table, its location and how to allow it, unless files under
 * `location` may be written (checked before a load or create writes anything). */
int op_check_location_writable(const struct cat_catalog *cat,
                               const struct cat_ident *table, const char *location,
                               struct ice_error *err) ICE_NODISCARD;

#endif
