/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Encoding a generic struct avro_value tree per a schema (the inverse of
 * avro_value_decode; used to copy entries from files written by others and by tests),
 * and the by-name lookups and typed getters readers use.
 */
#include <string.h>

#include "avro/avro_value.h"
#include "util/limits.h"

static bool is_named(enum avro_type t) {
  return t == AVRO_RECORD || t == AVRO_ENUM || t == AVRO_FIXED;
}

/* Does a value whose schema is vs fit schema s (both non-unions)? */
static bool same_kind(const struct avro_schema *s, const struct avro_schema *vs) {
  if (s->type != vs->type) return false;
  return !is_named(s->type) || strcmp(s->name, vs->name) == 0;
}

static int mismatch(const struct avro_schema *s, const struct avro_value *v,
                    struct ice_error *err) {
  return ice_error_set(err, ICE_EINVAL, "avro: value of type %s does not match schema %s",
                       v->schema ? avro_type_name(v->schema->type) : "(none)",
                       s->name ? s->name : avro_type_name(s->type));
}

static int encode(const struct avro_schema *s, const struct avro_value *v,
                  struct ice_buf *b, int depth, struct ice_error *err) {
  if (depth > ICE_LIMIT_AVRO_DEPTH) {
    return ice_error_set(err, ICE_ELIMIT, "avro: value nests deeper than %d",
                         ICE_LIMIT_AVRO_DEPTH);
  }
  if (v == NULL || v->schema == NULL) return mismatch(s, v, err);
  if (s->type == AVRO_UNION) {
    size_t branch = s->n_branches;
    if (v->branch >= 0 && (size_t)v->branch < s->n_branches &&
        same_kind(s->branches[v->branch], v->schema)) {
      branch = (size_t)v->branch;
    } else {
      for (size_t i = 0; i < s->n_branches && branch == s->n_branches; i++) {
        if (same_kind(s->branches[i], v->schema)) branch = i;
      }
    }
    if (branch == s->n_branches) return mismatch(s, v, err);
    ICE_TRY(avro_put_union(b, (uint32_t)branch, err));
    return encode(s->branches[branch], v, b, depth + 1, err);
  }
  if (!same_kind(s, v->schema)) return mismatch(s, v, err);
  switch (s->type) {
    case AVRO_NULL:
      return ICE_OK;
    case AVRO_BOOLEAN:
      return avro_put_boolean(b, v->u.boolean, err);
    case AVRO_INT:
      return avro_put_int(b, v->u.i32, err);
    case AVRO_LONG:
      return avro_put_long(b, v->u.i64, err);
    case AVRO_FLOAT:
      return avro_put_float(b, v->u.f32, err);
    case AVRO_DOUBLE:
      return avro_put_double(b, v->u.f64, err);
    case AVRO_BYTES:
    case AVRO_STRING:
      return avro_put_bytes(b, v->u.bytes.data, v->u.bytes.len, err);
    case AVRO_FIXED:
      if (v->u.bytes.len != s->fixed_size) return mismatch(s, v, err);
      return avro_put_fixed(b, v->u.bytes.data, v->u.bytes.len, err);
    case AVRO_ENUM:
      if (v->u.enum_index >= s->n_symbols) return mismatch(s, v, err);
      return avro_put_enum(b, v->u.enum_index, err);
    case AVRO_RECORD:
      if (v->schema->n_fields != s->n_fields) return mismatch(s, v, err);
      for (size_t i = 0; i < s->n_fields; i++) {
        int rc = encode(s->fields[i].type, &v->u.record.fields[i], b, depth + 1, err);
        if (rc != ICE_OK) return ice_error_prefix(err, "field '%s'", s->fields[i].name);
      }
      return ICE_OK;
    case AVRO_ARRAY:
      if (v->u.array.n > 0) {
        ICE_TRY(avro_put_block_count(b, v->u.array.n, err));
        for (size_t i = 0; i < v->u.array.n; i++) {
          ICE_TRY(encode(s->items, &v->u.array.items[i], b, depth + 1, err));
        }
      }
      return avro_put_block_count(b, 0, err);
    case AVRO_MAP:
      if (v->u.map.n > 0) {
        ICE_TRY(avro_put_block_count(b, v->u.map.n, err));
        for (size_t i = 0; i < v->u.map.n; i++) {
          const struct avro_map_entry *e = &v->u.map.entries[i];
          ICE_TRY(avro_put_string(b, e->key, e->key_len, err));
          ICE_TRY(encode(s->items, e->value, b, depth + 1, err));
        }
      }
      return avro_put_block_count(b, 0, err);
    case AVRO_UNION:
      break; /* handled above */
  }
  return ice_error_set(err, ICE_EINTERNAL, "avro: unknown schema type %d", (int)s->type);
}

int avro_value_encode(const struct avro_schema *s, const struct avro_value *v,
                      struct ice_buf *b, struct ice_error *err) {
  size_t start = b->len;
  int rc = encode(s, v, b, 0, err);
  if (rc != ICE_OK) b->len = start; /* leave no half-written datum behind */
  return rc;
}

/* ---------------------------------------------------------------- lookups */

const struct avro_value *avro_value_field(const struct avro_value *v, const char *name) {
  if (v == NULL || v->schema == NULL || v->schema->type != AVRO_RECORD) return NULL;
  long i = avro_schema_field_index(v->schema, name);
  return i < 0 ? NULL : &v->u.record.fields[i];
}

const struct avro_value *avro_value_map_get(const struct avro_value *v, const char *key) {
  if (v == NULL || v->schema == NULL || v->schema->type != AVRO_MAP) return NULL;
  size_t klen = strlen(key);
  for (size_t i = 0; i < v->u.map.n; i++) {
    const struct avro_map_entry *e = &v->u.map.entries[i];
    if (e->key_len == klen && memcmp(e->key, key, klen) == 0) return e->value;
  }
  return NULL;
}

bool avro_value_is_null(const struct avro_value *v) {
  return v != NULL && v->schema != NULL && v->schema->type == AVRO_NULL;
}

static bool has_type(const struct avro_value *v, enum avro_type t) {
  return v != NULL && v->schema != NULL && v->schema->type == t;
}

bool avro_value_as_bool(const struct avro_value *v, bool *out) {
  if (!has_type(v, AVRO_BOOLEAN)) return false;
  *out = v->u.boolean;
  return true;
}

bool avro_value_as_int(const struct avro_value *v, int32_t *out) {
  if (!has_type(v, AVRO_INT)) return false;
  *out = v->u.i32;
  return true;
}

bool avro_value_as_long(const struct avro_value *v, int64_t *out) {
  if (has_type(v, AVRO_INT)) {
    *out = v->u.i32;
    return true;
  }
  if (!has_type(v, AVRO_LONG)) return false;
  *out = v->u.i64;
  return true;
}

bool avro_value_as_double(const struct avro_value *v, double *out) {
  if (has_type(v, AVRO_FLOAT)) {
    *out = v->u.f32;
    return true;
  }
  if (!has_type(v, AVRO_DOUBLE)) return false;
  *out = v->u.f64;
  return true;
}

bool avro_value_as_string(const struct avro_value *v, const char **out, size_t *len) {
  if (!has_type(v, AVRO_STRING)) return false;
  *out = (const char *)v->u.bytes.data;
  if (len != NULL) *len = v->u.bytes.len;
  return true;
}

bool avro_value_as_bytes(const struct avro_value *v, const uint8_t **out, size_t *len) {
  if (!has_type(v, AVRO_BYTES) && !has_type(v, AVRO_STRING) && !has_type(v, AVRO_FIXED)) {
    return false;
  }
  *out = v->u.bytes.data;
  *len = v->u.bytes.len;
  return true;
}
