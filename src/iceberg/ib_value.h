/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Iceberg single-value binary serialization (spec Appendix D; reference/iceberg.md §4),
 * used for column lower/upper bounds and partition summaries. Also the decimal helpers
 * shared with the writer (minimum byte widths per precision, §6.2).
 */
#ifndef ICE_ICEBERG_IB_VALUE_H
#define ICE_ICEBERG_IB_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_types.h"
#include "util/buf.h"

/* A primitive value. Which member is meaningful depends on type:
 *   boolean                        -> b
 *   int, date                      -> i32
 *   long, time, timestamp*(_ns)    -> i64
 *   float / double                 -> f32 / f64
 *   string (UTF-8), binary, fixed  -> bytes/len
 *   uuid                           -> bytes/len (16 bytes, big-endian text order)
 *   decimal                        -> bytes/len: unscaled value, big-endian two's
 *                                     complement, 1..16 bytes (need not be minimal)
 * bytes is borrowed (never owned by an ib_value). */
struct ib_value {
  enum ib_type_id type;
  union {
    bool b;
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
  } u;
  const uint8_t *bytes;
  size_t len;
};

/* Appends the §4 serialization of v to out (decimals are written with the minimum
 * number of bytes, e.g. 0 -> 00, 128 -> 00 80). ICE_EINVAL for nested types or a
 * uuid that is not 16 bytes. */
int ib_value_serialize(const struct ib_value *v, struct ice_buf *out,
                       struct ice_error *err) ICE_NODISCARD;

/* Decodes a §4 value of column type t from p[0..n). Accepts the promoted forms readers
 * must accept: a 4-byte bound for long (int), double (float) and timestamp* (date,
 * converted to the column's unit). bytes in *out point into p. ICE_ECORRUPT on a
 * wrong length, ICE_EINVAL for nested types. */
int ib_value_deserialize(const struct ib_type *t, const uint8_t *p, size_t n,
                         struct ib_value *out, struct ice_error *err) ICE_NODISCARD;

/* Minimum bytes to hold any unscaled value of the given decimal precision (1..38);
 * 0 for an invalid precision. */
int ib_decimal_bytes_for_precision(int32_t precision);

/* Writes unscaled as big-endian two's complement with the minimum number of bytes into
 * out[0..8); returns the length (1..8). */
size_t ib_decimal_from_int64(int64_t unscaled, uint8_t out[8]);

/* Length of the minimal form of a big-endian two's-complement number (drops redundant
 * leading 0x00/0xFF sign bytes); the minimal bytes are p + n - result. n >= 1. */
size_t ib_decimal_minimal_len(const uint8_t *p, size_t n);

/* Sign-extends a big-endian two's-complement number p[0..n) into out[0..width); fails
 * with ICE_ELIMIT when it does not fit (width < minimal length). */
int ib_decimal_sign_extend(const uint8_t *p, size_t n, uint8_t *out, size_t width,
                           struct ice_error *err) ICE_NODISCARD;

#endif
