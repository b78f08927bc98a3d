/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed reads of one member of an untrusted JSON object (jansson). Each fails with
 * ICE_ECORRUPT and a message naming the member ("missing 'schema-id'", "'uuid' is not a
 * string"); callers prefix what the object is.
 */
#ifndef ICE_ICEBERG_IB_JSON_GET_H
#define ICE_ICEBERG_IB_JSON_GET_H

#include <stdint.h>

#include "util/error.h"

struct json_t;

/* The member, or ICE_ECORRUPT when it is missing (JSON null counts as present). */
int ib_json_get(const struct json_t *o, const char *key, const struct json_t **out,
                struct ice_error *err) ICE_NODISCARD;
int ib_json_get_i64(const struct json_t *o, const char *key, int64_t *out,
                    struct ice_error *err) ICE_NODISCARD;
/* Also refuses values outside int32. */
int ib_json_get_i32(const struct json_t *o, const char *key, int32_t *out,
                    struct ice_error *err) ICE_NODISCARD;
/* *out is borrowed from o. */
int ib_json_get_str(const struct json_t *o, const char *key, const char **out,
                    struct ice_error *err) ICE_NODISCARD;
/* A copy the caller frees with ice_free. */
int ib_json_dup_str(const struct json_t *o, const char *key, char **out,
                    struct ice_error *err) ICE_NODISCARD;

#endif
