/* SPDX-License-Identifier: Apache-2.0 */
/*
 * struct avro_schema -> JSON text, plus small schema lookups. Named types are written
 * in full the first time they appear (depth-first, as the parser expects) and by full
 * name afterwards, which also makes recursive schemas finite. Extra attributes are
 * written back, so Iceberg's field-id and friends survive a round trip.
 */
#include <jansson.h>
#include <string.h>

#include "avro/avro_schema.h"
#include "util/alloc.h"
#include "util/limits.h"

const char *avro_type_name(enum avro_type t) {
  switch (t) {
    case AVRO_NULL: return "null";
    case AVRO_BOOLEAN: return "boolean";
    case AVRO_INT: return "int";
    case AVRO_LONG: return "long";
    case AVRO_FLOAT: return "float";
    case AVRO_DOUBLE: return "double";
    case AVRO_BYTES: return "bytes";
    case AVRO_STRING: return "string";
    case AVRO_RECORD: return "record";
    case AVRO_ENUM: return "enum";
    case AVRO_ARRAY: return "array";
    case AVRO_MAP: return "map";
    case AVRO_UNION: return "union";
    case AVRO_FIXED: return "fixed";
  }
  return "unknown";
}

long avro_schema_field_index(const struct avro_schema *s, const char *name) {
  if (s == NULL || s->type != AVRO_RECORD) return -1;
  for (size_t i = 0; i < s->n_fields; i++) {
    if (strcmp(s->fields[i].name, name) == 0) return (long)i;
  }
  return -1;
}

bool avro_schema_prop_int(const struct json_t *props, const char *key, int64_t *out) {
  const json_t *v = props ? json_object_get(props, key) : NULL;
  if (!json_is_integer(v)) return false;
  *out = (int64_t)json_integer_value(v);
  return true;
}

bool avro_schema_prop_string(const struct json_t *props, const char *key,
                             const char **out) {
  const json_t *v = props ? json_object_get(props, key) : NULL;
  if (!json_is_string(v)) return false;
  *out = json_string_value(v);
  return true;
}

bool avro_schema_optional(const struct avro_schema *s, size_t *null_branch,
                          const struct avro_schema **value_type) {
  if (s == NULL || s->type != AVRO_UNION || s->n_branches != 2) return false;
  size_t nb = s->branches[0]->type == AVRO_NULL ? 0 : 1;
  if (s->branches[nb]->type != AVRO_NULL || s->branches[1 - nb]->type == AVRO_NULL) {
    return false;
  }
  *null_branch = nb;
  *value_type = s->branches[1 - nb];
  return true;
}

/* ---------------------------------------------------------------- serialise */

struct emitter {
  const char **emitted; /* full names already written in full */
  size_t n, cap;
  struct ice_error *err;
};

static bool already_emitted(const struct emitter *em, const char *name) {
  for (size_t i = 0; i < em->n; i++) {
    if (strcmp(em->emitted[i], name) == 0) return true;
  }
  return false;
}

static int mark_emitted(struct emitter *em, const char *name) {
  if (em->n == em->cap) {
    size_t cap = em->cap ? em->cap * 2 : 16;
    const char **p = ice_realloc((void *)em->emitted, cap * sizeof *p);
    if (p == NULL) return ice_error_set(em->err, ICE_ENOMEM, "avro: out of memory");
    em->emitted = p;
    em->cap = cap;
  }
  em->emitted[em->n++] = name;
  return ICE_OK;
}

static int oom(struct emitter *em) {
  return ice_error_set(em->err, ICE_ENOMEM, "avro: out of memory");
}

/* obj[key] = value, taking the reference to value. */
static int set_new(struct emitter *em, json_t *obj, const char *key, json_t *value) {
  if (value == NULL || json_object_set_new(obj, key, value) != 0) return oom(em);
  return ICE_OK;
}

static int add_props(struct emitter *em, json_t *obj, const json_t *props) {
  const char *key;
  json_t *val;
  /* json_object_foreach wants a non-const object; it only reads */
  json_t *p = (json_t *)(uintptr_t)props;
  if (p == NULL) return ICE_OK;
  json_object_foreach(p, key, val) {
    if (json_object_set(obj, key, val) != 0) return oom(em);
  }
  return ICE_OK;
}

static int emit(struct emitter *em, const struct avro_schema *s, int depth, json_t **out);

static int emit_record_fields(struct emitter *em, const struct avro_schema *s, int depth,
                              json_t *obj) {
  json_t *fields = json_array();
  if (fields == NULL) return oom(em);
  ICE_TRY(set_new(em, obj, "fields", fields));
  for (size_t i = 0; i < s->n_fields; i++) {
    const struct avro_field *f = &s->fields[i];
    json_t *fj = json_object();
    if (fj == NULL || json_array_append_new(fields, fj) != 0) return oom(em);
    ICE_TRY(set_new(em, fj, "name", json_string(f->name)));
    json_t *tj;
    ICE_TRY(emit(em, f->type, depth + 1, &tj));
    ICE_TRY(set_new(em, fj, "type", tj));
    if (f->doc != NULL) ICE_TRY(set_new(em, fj, "doc", json_string(f->doc)));
    if (f->default_value != NULL) {
      ICE_TRY(set_new(em, fj, "default", json_deep_copy(f->default_value)));
    }
    ICE_TRY(add_props(em, fj, f->props));
  }
  return ICE_OK;
}

static int emit_body(struct emitter *em, const struct avro_schema *s, int depth,
                     json_t *obj) {
  switch (s->type) {
    case AVRO_RECORD:
      return emit_record_fields(em, s, depth, obj);
    case AVRO_ENUM: {
      json_t *syms = json_array();
      if (syms == NULL) return oom(em);
      ICE_TRY(set_new(em, obj, "symbols", syms));
      for (size_t i = 0; i < s->n_symbols; i++) {
        if (json_array_append_new(syms, json_string(s->symbols[i])) != 0) return oom(em);
      }
      return ICE_OK;
    }
    case AVRO_FIXED:
      return set_new(em, obj, "size", json_integer((json_int_t)s->fixed_size));
    case AVRO_ARRAY:
    case AVRO_MAP: {
      json_t *ij;
      ICE_TRY(emit(em, s->items, depth + 1, &ij));
      return set_new(em, obj, s->type == AVRO_ARRAY ? "items" : "values", ij);
    }
    default:
      return ICE_OK;
  }
}

static int emit(struct emitter *em, const struct avro_schema *s, int depth, json_t **out) {
  if (depth > ICE_LIMIT_AVRO_DEPTH) {
    return ice_error_set(em->err, ICE_ELIMIT, "avro: schema nests deeper than %d",
                         ICE_LIMIT_AVRO_DEPTH);
  }
  bool named = s->type == AVRO_RECORD || s->type == AVRO_ENUM || s->type == AVRO_FIXED;
  if (named && already_emitted(em, s->name)) {
    *out = json_string(s->name);
    return *out ? ICE_OK : oom(em);
  }
  if (s->type == AVRO_UNION) {
    json_t *arr = json_array();
    if (arr == NULL) return oom(em);
    for (size_t i = 0; i < s->n_branches; i++) {
      json_t *bj;
      int rc = emit(em, s->branches[i], depth + 1, &bj);
      if (rc == ICE_OK && json_array_append_new(arr, bj) != 0) rc = oom(em);
      if (rc != ICE_OK) {
        json_decref(arr);
        return rc;
      }
    }
    *out = arr;
    return ICE_OK;
  }
  bool primitive = s->type <= AVRO_STRING;
  if (primitive && s->logical_type == NULL && s->props == NULL) {
    *out = json_string(avro_type_name(s->type));
    return *out ? ICE_OK : oom(em);
  }
  json_t *obj = json_object();
  if (obj == NULL) return oom(em);
  int rc = set_new(em, obj, "type", json_string(avro_type_name(s->type)));
  if (rc == ICE_OK && named) {
    rc = set_new(em, obj, "name", json_string(s->name));
    /* registered before the body so recursive references are written by name */
    if (rc == ICE_OK) rc = mark_emitted(em, s->name);
  }
  if (rc == ICE_OK) rc = emit_body(em, s, depth, obj);
  if (rc == ICE_OK && s->logical_type != NULL) {
    rc = set_new(em, obj, "logicalType", json_string(s->logical_type));
  }
  if (rc == ICE_OK) rc = add_props(em, obj, s->props);
  if (rc != ICE_OK) {
    json_decref(obj);
    return rc;
  }
  *out = obj;
  return ICE_OK;
}

int avro_schema_to_json(const struct avro_schema *s, char **out, size_t *out_len,
                        struct ice_error *err) {
  struct emitter em = {NULL, 0, 0, err};
  json_t *j = NULL;
  int rc = emit(&em, s, 0, &j);
  ice_free((void *)em.emitted);
  if (rc != ICE_OK) return rc;
  size_t flags = JSON_COMPACT | JSON_ENCODE_ANY;
  size_t n = json_dumpb(j, NULL, 0, flags);
  char *text = n > 0 ? ice_malloc(n + 1) : NULL;
  if (text == NULL || json_dumpb(j, text, n, flags) != n) {
    ice_free(text);
    json_decref(j);
    return ice_error_set(err, n > 0 ? ICE_ENOMEM : ICE_EINTERNAL,
                         "avro: cannot serialise schema");
  }
  json_decref(j);
  text[n] = '\0';
  *out = text;
  if (out_len != NULL) *out_len = n;
  return ICE_OK;
}
