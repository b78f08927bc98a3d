/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parsing Arrow C Data format strings ("i", "w:16", "d:38,10", "tsu:UTC", "+l", ...)
 * into a small type descriptor, so consumers (the Parquet writer, CLI renderers, the
 * Iceberg loader) switch on an enum instead of re-parsing strings.
 */
#ifndef ICE_ARROW_TYPE_H
#define ICE_ARROW_TYPE_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum arrow_type_id {
  ARROW_TYPE_NA,
  ARROW_TYPE_BOOL,
  ARROW_TYPE_INT8,
  ARROW_TYPE_UINT8,
  ARROW_TYPE_INT16,
  ARROW_TYPE_UINT16,
  ARROW_TYPE_INT32,
  ARROW_TYPE_UINT32,
  ARROW_TYPE_INT64,
  ARROW_TYPE_UINT64,
  ARROW_TYPE_HALF_FLOAT,
  ARROW_TYPE_FLOAT,
  ARROW_TYPE_DOUBLE,
  ARROW_TYPE_BINARY,       /* z */
  ARROW_TYPE_LARGE_BINARY, /* Z */
  ARROW_TYPE_STRING,       /* u */
  ARROW_TYPE_LARGE_STRING, /* U */
  ARROW_TYPE_FIXED_BINARY, /* w:N */
  ARROW_TYPE_DECIMAL128,   /* d:P,S */
  ARROW_TYPE_DECIMAL256,   /* d:P,S,256 */
  ARROW_TYPE_DATE32,       /* tdD */
  ARROW_TYPE_DATE64,       /* tdm */
  ARROW_TYPE_TIME32,       /* tts / ttm */
  ARROW_TYPE_TIME64,       /* ttu / ttn */
  ARROW_TYPE_TIMESTAMP,    /* ts?:tz */
  ARROW_TYPE_DURATION,     /* tD? */
  ARROW_TYPE_STRUCT,       /* +s */
  ARROW_TYPE_LIST,         /* +l */
  ARROW_TYPE_LARGE_LIST,   /* +L */
  ARROW_TYPE_FIXED_LIST,   /* +w:N */
  ARROW_TYPE_MAP           /* +m */
};

enum arrow_time_unit {
  ARROW_UNIT_SECOND,
  ARROW_UNIT_MILLI,
  ARROW_UNIT_MICRO,
  ARROW_UNIT_NANO
};

struct arrow_type {
  enum arrow_type_id id;
  int32_t byte_width;   /* fixed-width value size in bytes (0 = variable or bits) */
  int32_t precision;    /* decimals */
  int32_t scale;        /* decimals */
  int32_t fixed_size;   /* w:N byte width, +w:N list size */
  enum arrow_time_unit unit;
  const char *timezone; /* view into the format string (timestamps); "" = none */
  int n_buffers;        /* buffers an array of this type has */
};

/* Parses `format`. Unknown or malformed formats give ICE_EUNSUPPORTED. */
int arrow_type_parse(const char *format, struct arrow_type *out, struct ice_error *err)
    ICE_NODISCARD;

/* Short lowercase name of a type id ("int32", "timestamp"), for messages. */
const char *arrow_type_name(enum arrow_type_id id);

#endif
