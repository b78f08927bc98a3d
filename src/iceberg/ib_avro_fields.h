/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading Iceberg records out of generic Avro values: fields are resolved by their
 * "field-id" attribute first (how Iceberg defines columns) and by name second (files
 * whose writer left ids out), so extra or reordered fields never matter.
 */
#ifndef ICE_ICEBERG_IB_AVRO_FIELDS_H
#define ICE_ICEBERG_IB_AVRO_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "avro/avro.h"
#include "util/error.h"

/* The field of record rec with the given id or name; NULL when absent. A present but
 * null optional field is returned as a value for which avro_value_is_null is true. */
const struct avro_value *ib_avro_field(const struct avro_value *rec, int32_t field_id,
                                       const char *name);

/* Typed reads of a field. Required ones fail with ICE_ECORRUPT naming the field;
 * optional ones set *present = false when absent or null. */
int ib_avro_req_long(const struct avro_value *rec, int32_t id, const char *name,
                     int64_t *out, struct ice_error *err) ICE_NODISCARD;
int ib_avro_req_int(const struct avro_value *rec, int32_t id, const char *name,
                    int32_t *out, struct ice_error *err) ICE_NODISCARD;
int ib_avro_req_string(const struct avro_value *rec, int32_t id, const char *name,
                       const char **out, struct ice_error *err) ICE_NODISCARD;
int ib_avro_opt_long(const struct avro_value *rec, int32_t id, const char *name,
                     bool *present, int64_t *out, struct ice_error *err) ICE_NODISCARD;
int ib_avro_opt_int(const struct avro_value *rec, int32_t id, const char *name,
                    bool *present, int32_t *out, struct ice_error *err) ICE_NODISCARD;

#endif
