/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition transforms (spec "Partition Transforms", Appendix B; reference/iceberg.md
 * §5): identity, bucket[N] (Murmur3 x86 32-bit over the §5.1 byte forms), truncate[W],
 * year, month, day, hour and void, applied to one non-null primitive value.
 */
#ifndef ICE_ICEBERG_IB_TRANSFORM_H
#define ICE_ICEBERG_IB_TRANSFORM_H

#include <stddef.h>
#include <stdint.h>

#include "iceberg/ib_types.h"
#include "iceberg/ib_value.h"
#include "util/error.h"

enum ib_transform_kind {
  IB_TRANSFORM_IDENTITY,
  IB_TRANSFORM_BUCKET,   /* param = N (number of buckets, >= 1) */
  IB_TRANSFORM_TRUNCATE, /* param = W (width, >= 1) */
  IB_TRANSFORM_YEAR,
  IB_TRANSFORM_MONTH,
  IB_TRANSFORM_DAY,
  IB_TRANSFORM_HOUR,
  IB_TRANSFORM_VOID
};

struct ib_transform {
  enum ib_transform_kind kind;
  int32_t param;
};

/* Parses the JSON name ("identity", "bucket[16]", "truncate[4]", "day", ...).
 * ICE_EUNSUPPORTED for unknown transforms (writers must not commit with them). */
int ib_transform_parse(const char *s, struct ib_transform *out,
                       struct ice_error *err) ICE_NODISCARD;

/* Result type of t applied to source (checks that t accepts source: e.g. hour needs a
 * timestamp, bucket rejects boolean/float/double). ICE_EINVAL otherwise. */
int ib_transform_result_type(const struct ib_transform *t, const struct ib_type *source,
                             struct ib_type *out, struct ice_error *err) ICE_NODISCARD;

/* Applies t to a non-null value of type source. Byte results (identity and truncate of
 * string/binary/fixed/uuid) point into in->bytes; a truncated decimal is written into
 * scratch (16 bytes) and points there. void yields ICE_OK with out->type = 0 meaning
 * null. */
int ib_transform_apply(const struct ib_transform *t, const struct ib_type *source,
                       const struct ib_value *in, uint8_t scratch[16],
                       struct ib_value *out, struct ice_error *err) ICE_NODISCARD;

/* Murmur3 x86 32-bit, seed 0, as a signed int (Iceberg's bucket hash). */
int32_t ib_murmur3_32(const uint8_t *p, size_t n);

/* Bucket hash of a value per §5.1 (ints and longs hash as 8-byte LE longs, decimals by
 * their minimal big-endian unscaled bytes, ns timestamps as floor(ns/1000) micros). */
int ib_bucket_hash(const struct ib_value *v, int32_t *out,
                   struct ice_error *err) ICE_NODISCARD;


#endif
