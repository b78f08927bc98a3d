/* SPDX-License-Identifier: Apache-2.0 */
/*
 * icestream public umbrella header. Include this; the CLI and users include nothing
 * under src/.
 */
#ifndef ICE_H
#define ICE_H

#define ICE_VERSION_MAJOR 0
#define ICE_VERSION_MINOR 1
#define ICE_VERSION_PATCH 0
#define ICE_VERSION_STRING "0.1.0"

#include "ice/ice_arrow.h"
#include "ice/ice_catalog.h"
#include "ice/ice_error.h"
#include "ice/ice_parquet.h"
#include "ice/ice_parquet_write.h"
#include "ice/ice_serve.h"
#include "ice/ice_table.h"

#endif /* ICE_H */
