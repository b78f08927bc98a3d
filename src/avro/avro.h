/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Avro module (general-purpose; knows nothing of Iceberg): schemas, binary
 * encoding, generic values and object container files. Include this umbrella or the
 * individual headers.
 */
#ifndef ICE_AVRO_H
#define ICE_AVRO_H

#include "avro/avro_binary.h"
#include "avro/avro_ocf.h"
#include "avro/avro_schema.h"
#include "avro/avro_value.h"

#endif
