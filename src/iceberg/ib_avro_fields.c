/* SPDX-License-Identifier: Apache-2.0 */
/* Field-id-first lookups over generic Avro records (see ib_avro_fields.h). */
#include "iceberg/ib_avro_fields.h"

#include <string.h>

const struct avro_value *ib_avro_field(const struct avro_value *rec, int32_t field_id,
                                       const char *name) {
  if (rec == NULL || rec->schema == NULL || rec->schema->type != AVRO_RECORD) return NULL;
  const struct avro_schema *s = rec->schema;
  for (size_t i = 0; i < s->n_fields; i++) {
    int64_t id;
    if (avro_schema_prop_int(s->fields[i].props, "field-id", &id) && id == field_id)
      return &rec->u.record.fields[i];
  }
  return avro_value_field(rec, name);
}

int ib_avro_opt_long(const struct avro_value *rec, int32_t id, const char *name,
                     bool *present, int64_t *out, struct ice_error *err) {
  const struct avro_value *v = ib_avro_field(rec, id, name);
  *present = false;
  if (v == NULL || avro_value_is_null(v)) return ICE_OK;
  ICE_CHECK_DATA(avro_value_as_long(v, out), err, "field '%s' is not a long", name);
  *present = true;
  return ICE_OK;
}

int ib_avro_opt_int(const struct avro_value *rec, int32_t id, const char *name,
                    bool *present, int32_t *out, struct ice_error *err) {
  const struct avro_value *v = ib_avro_field(rec, id, name);
  *present = false;
  if (v == NULL || avro_value_is_null(v)) return ICE_OK;
  int64_t x;
  ICE_CHECK_DATA(avro_value_as_long(v, &x) && x >= INT32_MIN && x <= INT32_MAX, err,
                 "field '%s' is not an int", name);
  *out = (int32_t)x;
  *present = true;
  return ICE_OK;
}

int ib_avro_req_long(const struct avro_value *rec, int32_t id, const char *name,
                     int64_t *out, struct ice_error *err) {
  bool present;
  ICE_TRY(ib_avro_opt_long(rec, id, name, &present, out, err));
  ICE_CHECK_DATA(present, err, "required field '%s' is missing", name);
  return ICE_OK;
}

int ib_avro_req_int(const struct avro_value *rec, int32_t id, const char *name,
                    int32_t *out, struct ice_error *err) {
  bool present;
  ICE_TRY(ib_avro_opt_int(rec, id, name, &present, out, err));
  ICE_CHECK_DATA(present, err, "required field '%s' is missing", name);
  return ICE_OK;
}

int ib_avro_req_string(const struct avro_value *rec, int32_t id, const char *name,
                       const char **out, struct ice_error *err) {
  const struct avro_value *v = ib_avro_field(rec, id, name);
  size_t len;
  ICE_CHECK_DATA(v != NULL && !avro_value_is_null(v), err,
                 "required field '%s' is missing", name);
  ICE_CHECK_DATA(avro_value_as_string(v, out, &len), err, "field '%s' is not a string",
                 name);
  ICE_CHECK_DATA(strlen(*out) == len, err, "field '%s' contains a NUL byte", name);
  return ICE_OK;
}
