/* SPDX-License-Identifier: Apache-2.0 */
/* Typed member reads over untrusted JSON objects, for the REST commit vocabulary. */
#include "iceberg/ib_json_get.h"

#include <jansson.h>

#include "util/alloc.h"

int ib_json_get(const json_t *o, const char *key, const json_t **out,
                struct ice_error *err) {
  const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
  ICE_CHECK_DATA(v != NULL, err, "missing '%s'", key);
  *out = v;
  return ICE_OK;
}

int ib_json_get_i64(const json_t *o, const char *key, int64_t *out,
                    struct ice_error *err) {
  const json_t *v;
  ICE_TRY(ib_json_get(o, key, &v, err));
  ICE_CHECK_DATA(json_is_integer(v), err, "'%s' is not an integer", key);
  *out = (int64_t)json_integer_value(v);
  return ICE_OK;
}

int ib_json_get_i32(const json_t *o, const char *key, int32_t *out,
                    struct ice_error *err) {
  int64_t v;
  ICE_TRY(ib_json_get_i64(o, key, &v, err));
  ICE_CHECK_DATA(v >= INT32_MIN && v <= INT32_MAX, err, "'%s' is out of int range", key);
  *out = (int32_t)v;
  return ICE_OK;
}

int ib_json_get_str(const json_t *o, const char *key, const char **out,
                    struct ice_error *err) {
  const json_t *v;
  ICE_TRY(ib_json_get(o, key, &v, err));
  ICE_CHECK_DATA(json_is_string(v), err, "'%s' is not a string", key);
  *out = json_string_value(v);
  return ICE_OK;
}

int ib_json_dup_str(const json_t *o, const char *key, char **out, struct ice_error *err) {
  const json_t *v;
  ICE_TRY(ib_json_get(o, key, &v, err));
  ICE_CHECK_DATA(json_is_string(v), err, "'%s' is not a string", key);
  char *s = ice_strndup(json_string_value(v), json_string_length(v));
  if (s == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  *out = s;
  return ICE_OK;
}
