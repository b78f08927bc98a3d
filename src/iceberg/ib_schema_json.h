/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema, partition spec and sort order JSON serde (reference/iceberg.md §1.2), over
 * jansson. The string forms are what manifest headers and the Parquet footer key
 * "iceberg.schema" carry.
 */
#ifndef ICE_ICEBERG_IB_SCHEMA_JSON_H
#define ICE_ICEBERG_IB_SCHEMA_JSON_H

#include <stddef.h>

#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_types.h"
#include "util/error.h"

struct json_t;

/* JSON object -> schema (validated). A missing schema-id reads as 0. */
int ib_schema_from_json(const struct json_t *j, struct ib_schema *out,
                        struct ice_error *err) ICE_NODISCARD;
/* Schema -> new JSON object (the caller owns the reference). */
int ib_schema_to_json(const struct ib_schema *s, struct json_t **out,
                      struct ice_error *err) ICE_NODISCARD;
/* String forms: parse caps input at ICE_LIMIT_METADATA_JSON_BYTES; the returned string is
 * compact JSON, free with ice_free. */
int ib_schema_parse(const char *json, size_t len, struct ib_schema *out,
                    struct ice_error *err) ICE_NODISCARD;
int ib_schema_to_string(const struct ib_schema *s, char **out,
                        struct ice_error *err) ICE_NODISCARD;

/* Serializes j into a NUL-terminated ice_malloc'd string (flags as json_dumps; the
 * bytes never pass through jansson's malloc). *len may be NULL. */
int ib_json_dump(const struct json_t *j, size_t flags, char **out, size_t *len,
                 struct ice_error *err) ICE_NODISCARD;

/* A string map as a JSON object of strings (insertion order); NULL when out of memory.
 * The caller owns the reference. */
struct json_t *ib_str_map_to_json(const struct ib_str_map *m);

int ib_partition_spec_from_json(const struct json_t *j, struct ib_partition_spec *out,
                                struct ice_error *err) ICE_NODISCARD;
int ib_partition_spec_to_json(const struct ib_partition_spec *s, struct json_t **out,
                              struct ice_error *err) ICE_NODISCARD;
/* JSON array of the spec's fields only (manifest header "partition-spec"). */
int ib_partition_fields_to_string(const struct ib_partition_spec *s, char **out,
                                  struct ice_error *err) ICE_NODISCARD;
/* v1's bare `partition-spec` field list as spec spec_id (field ids default to 1000+i). */
int ib_partition_spec_from_fields_json(const struct json_t *arr, int32_t spec_id,
                                       struct ib_partition_spec *out,
                                       struct ice_error *err) ICE_NODISCARD;
void ib_partition_spec_reset(struct ib_partition_spec *s);

int ib_sort_order_from_json(const struct json_t *j, struct ib_sort_order *out,
                            struct ice_error *err) ICE_NODISCARD;
int ib_sort_order_to_json(const struct ib_sort_order *o, struct json_t **out,
                          struct ice_error *err) ICE_NODISCARD;
void ib_sort_order_reset(struct ib_sort_order *o);

#endif
