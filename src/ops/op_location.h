/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Location URI -> local path for everything the load operations read or write. Until
 * object stores are supported, ICESTREAM_LOCATION_MAP="PREFIX=DIR[;PREFIX=DIR...]" maps
 * a table copied from an object store (s3a://bucket/t/...) onto a local folder, so its
 * metadata, manifests and data files resolve without rewriting them.
 */
#ifndef ICE_OPS_OP_LOCATION_H
#define ICE_OPS_OP_LOCATION_H

#include "util/error.h"

/* Owned local path for uri (file: URI, absolute path, or a mapped prefix). */
int op_local_path(const char *uri, char **out, struct ice_error *err) ICE_NODISCARD;

#endif
