/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Generic Avro datums: decode one datum per its writer schema into a tree of
 * struct avro_value allocated in an arena, and encode such a tree back. Readers of
 * files written by others (whose schemas differ by version and writer) look record
 * fields up by name instead of by position. Unions are resolved on decode: the value
 * carries the chosen branch's schema and the branch index. Values live as long as
 * their arena (reset it between records to keep memory bounded) and their schema.
 */
#ifndef ICE_AVRO_VALUE_H
#define ICE_AVRO_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "avro/avro_binary.h"
#include "avro/avro_schema.h"
#include "util/buf.h"
#include "util/error.h"

struct avro_value;

struct avro_map_entry {
  const char *key; /* NUL-terminated (Avro map keys are strings) */
  size_t key_len;
  struct avro_value *value;
};

struct avro_value {
  /* Schema of this value: never a union (see branch). Borrowed from the schema tree,
   * which must outlive the value. */
  const struct avro_schema *schema;
  /* Index of the union branch this value was written as, or -1 if not in a union. */
  int32_t branch;
  union {
    bool boolean;
    int32_t i32;  /* AVRO_INT */
    int64_t i64;  /* AVRO_LONG */
    float f32;
    double f64;
    uint32_t enum_index; /* AVRO_ENUM: index into schema->symbols */
    struct {             /* AVRO_BYTES, AVRO_STRING (NUL-terminated), AVRO_FIXED */
      const uint8_t *data;
      size_t len;
    } bytes;
    struct { /* AVRO_RECORD: one value per schema field, in schema order */
      struct avro_value *fields;
    } record;
    struct { /* AVRO_ARRAY */
      size_t n;
      struct avro_value *items;
    } array;
    struct { /* AVRO_MAP */
      size_t n;
      struct avro_map_entry *entries;
    } map;
  } u;
};

/* Decodes one datum written with schema s from the cursor (advancing it). Everything
 * allocated goes into arena; strings are copied (the input may be freed after).
 * Errors: ICE_ECORRUPT (truncated, bad branch/enum index, overflow), ICE_ELIMIT
 * (nesting deeper than ICE_LIMIT_AVRO_DEPTH, arena cap), ICE_ENOMEM. */
int avro_value_decode(const struct avro_schema *s, struct avro_cursor *c,
                      struct ice_arena *arena, struct avro_value *out,
                      struct ice_error *err) ICE_NODISCARD;
/* Skips one datum without building values (same checks as decode). */
int avro_value_skip(const struct avro_schema *s, struct avro_cursor *c,
                    struct ice_error *err) ICE_NODISCARD;

/* Fewest bytes any datum of s takes (0 only for types that are always 0 bytes:
 * null, fixed(0), records of those). Bounds counts read from untrusted input. */
size_t avro_schema_min_encoded_size(const struct avro_schema *s);

/* Encodes v, which must conform to schema s (s may be a union: v->branch selects the
 * branch, or when -1 the first branch whose type matches v->schema). Fails with
 * ICE_EINVAL when v does not match s. */
int avro_value_encode(const struct avro_schema *s, const struct avro_value *v,
                      struct ice_buf *b, struct ice_error *err) ICE_NODISCARD;

/* ---------------------------------------------------------------- lookups */
/* Field value of a record by name; NULL if v is not a record or has no such field. */
const struct avro_value *avro_value_field(const struct avro_value *v, const char *name);
/* Map value by key; NULL if absent or v is not a map. */
const struct avro_value *avro_value_map_get(const struct avro_value *v, const char *key);
/* True for an AVRO_NULL value (e.g. the null branch of an optional field). NULL-safe. */
bool avro_value_is_null(const struct avro_value *v);
/* Typed reads; false when v is NULL, null or of another type. as_long accepts int and
 * long; as_double accepts float and double; as_bytes accepts bytes, string and fixed. */
bool avro_value_as_bool(const struct avro_value *v, bool *out);
bool avro_value_as_int(const struct avro_value *v, int32_t *out);
bool avro_value_as_long(const struct avro_value *v, int64_t *out);
bool avro_value_as_double(const struct avro_value *v, double *out);
bool avro_value_as_string(const struct avro_value *v, const char **out, size_t *len);
bool avro_value_as_bytes(const struct avro_value *v, const uint8_t **out, size_t *len);

#endif
