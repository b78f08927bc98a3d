/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema / partition spec / sort order <-> JSON (spec Appendix C "JSON serialization").
 * Parsing treats the document as untrusted: every member is type-checked, nesting is
 * capped at ICE_LIMIT_NESTING and the result is validated before it is returned.
 */
#include "iceberg/ib_schema_json.h"

#include <jansson.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"

/* ---- typed getters ---- */

static int get_i32(const json_t *o, const char *key, int32_t *out,
                   struct ice_error *err) {
  const json_t *v = json_object_get(o, key);
  ICE_CHECK_DATA(v != NULL, err, "missing '%s'", key);
  ICE_CHECK_DATA(json_is_integer(v), err, "'%s' is not an integer", key);
  json_int_t x = json_integer_value(v);
  ICE_CHECK_DATA(x >= INT32_MIN && x <= INT32_MAX, err, "'%s' out of int range", key);
  *out = (int32_t)x;
  return ICE_OK;
}

static int get_bool(const json_t *o, const char *key, bool *out, struct ice_error *err) {
  const json_t *v = json_object_get(o, key);
  ICE_CHECK_DATA(v != NULL, err, "missing '%s'", key);
  ICE_CHECK_DATA(json_is_boolean(v), err, "'%s' is not a boolean", key);
  *out = json_is_true(v);
  return ICE_OK;
}

static int get_str(const json_t *o, const char *key, const char **out,
                   struct ice_error *err) {
  const json_t *v = json_object_get(o, key);
  ICE_CHECK_DATA(v != NULL, err, "missing '%s'", key);
  ICE_CHECK_DATA(json_is_string(v), err, "'%s' is not a string", key);
  *out = json_string_value(v);
  return ICE_OK;
}

/* ---- types ---- */

static int type_from_json(const json_t *j, struct ib_type *out, int depth,
                          struct ice_error *err);

static int field_from_json(const json_t *j, struct ib_field *f, int depth,
                           struct ice_error *err) {
  ICE_CHECK_DATA(json_is_object(j), err, "field is not an object");
  int32_t id;
  const char *name;
  bool required;
  ICE_TRY(get_i32(j, "id", &id, err));
  ICE_TRY(get_str(j, "name", &name, err));
  ICE_TRY(get_bool(j, "required", &required, err));
  const json_t *doc = json_object_get(j, "doc");
  ICE_CHECK_DATA(doc == NULL || json_is_string(doc) || json_is_null(doc), err,
                 "field '%.100s': 'doc' is not a string", name);
  ICE_TRY(ib_field_init(f, id, name, required,
                        json_is_string(doc) ? json_string_value(doc) : NULL, err));
  const json_t *t = json_object_get(j, "type");
  int rc = t == NULL ? ice_error_set(err, ICE_ECORRUPT, "missing 'type'")
                     : type_from_json(t, &f->type, depth + 1, err);
  if (rc != ICE_OK) {
    ice_error_prefix(err, "field '%.100s'", name);
    ib_field_reset(f);
  }
  return rc;
}

static int child_field(const json_t *j, const char *id_key, const char *type_key,
                       const char *req_key, const char *name, struct ib_field *f,
                       int depth, struct ice_error *err) {
  int32_t id;
  bool required = true;
  ICE_TRY(get_i32(j, id_key, &id, err));
  if (req_key != NULL) ICE_TRY(get_bool(j, req_key, &required, err));
  const json_t *t = json_object_get(j, type_key);
  ICE_CHECK_DATA(t != NULL, err, "missing '%s'", type_key);
  ICE_TRY(ib_field_init(f, id, name, required, NULL, err));
  int rc = type_from_json(t, &f->type, depth + 1, err);
  if (rc != ICE_OK) ib_field_reset(f);
  return rc;
}

static int type_from_json(const json_t *j, struct ib_type *out, int depth,
                          struct ice_error *err) {
  if (depth > ICE_LIMIT_NESTING)
    ICE_FAIL(err, ICE_ELIMIT, "schema nested deeper than %d", ICE_LIMIT_NESTING);
  memset(out, 0, sizeof(*out));
  if (json_is_string(j)) return ib_type_parse_primitive(json_string_value(j), out, err);
  ICE_CHECK_DATA(json_is_object(j), err, "type is neither a string nor an object");
  const char *kind;
  ICE_TRY(get_str(j, "type", &kind, err));
  if (strcmp(kind, "struct") == 0) {
    const json_t *fields = json_object_get(j, "fields");
    ICE_CHECK_DATA(json_is_array(fields), err, "struct without 'fields' array");
    size_t n = json_array_size(fields);
    ICE_CHECK_DATA(n <= ICE_LIMIT_COLUMNS, err, "struct with %zu fields", n);
    out->id = IB_TYPE_STRUCT;
    ICE_TRY(ib_type_alloc_fields(out, n, err));
    for (size_t i = 0; i < n; i++) {
      int rc = field_from_json(json_array_get(fields, i), &out->fields[i], depth, err);
      if (rc != ICE_OK) {
        ib_type_reset(out);
        return rc;
      }
    }
    return ICE_OK;
  }
  if (strcmp(kind, "list") == 0) {
    out->id = IB_TYPE_LIST;
    ICE_TRY(ib_type_alloc_fields(out, 1, err));
    int rc = child_field(j, "element-id", "element", "element-required", "element",
                         &out->fields[0], depth, err);
    if (rc != ICE_OK) {
      ice_free(out->fields);
      out->fields = NULL;
      out->n_fields = 0;
      return ice_error_prefix(err, "list");
    }
    return ICE_OK;
  }
  if (strcmp(kind, "map") == 0) {
    out->id = IB_TYPE_MAP;
    ICE_TRY(ib_type_alloc_fields(out, 2, err));
    int rc = child_field(j, "key-id", "key", NULL, "key", &out->fields[0], depth, err);
    if (rc == ICE_OK) {
      rc = child_field(j, "value-id", "value", "value-required", "value", &out->fields[1],
                       depth, err);
      if (rc != ICE_OK) ib_field_reset(&out->fields[0]);
    }
    if (rc != ICE_OK) {
      ice_free(out->fields);
      out->fields = NULL;
      out->n_fields = 0;
      return ice_error_prefix(err, "map");
    }
    return ICE_OK;
  }
  ICE_FAIL(err, ICE_ECORRUPT, "unknown nested type '%.32s'", kind);
}

int ib_schema_from_json(const json_t *j, struct ib_schema *out, struct ice_error *err) {
  ICE_CHECK_DATA(json_is_object(j), err, "schema is not an object");
  const json_t *t = json_object_get(j, "type");
  ICE_CHECK_DATA(t != NULL, err, "schema: missing 'type'");
  ICE_CHECK_DATA(json_is_string(t) && strcmp(json_string_value(t), "struct") == 0, err,
                 "schema: 'type' must be \"struct\"");
  struct ib_schema s;
  ib_schema_init(&s, 0);
  int rc = ICE_OK;
  if (json_object_get(j, "schema-id") != NULL) {
    rc = get_i32(j, "schema-id", &s.schema_id, err);
    if (rc != ICE_OK) return ice_error_prefix(err, "schema");
  }
  rc = type_from_json(j, &s.root, 0, err);
  if (rc != ICE_OK) return ice_error_prefix(err, "schema %d", (int)s.schema_id);
  const json_t *ids = json_object_get(j, "identifier-field-ids");
  if (ids != NULL && !json_is_null(ids)) {
    if (!json_is_array(ids) || json_array_size(ids) > ICE_LIMIT_COLUMNS) {
      rc = ice_error_set(err, ICE_ECORRUPT,
                         "'identifier-field-ids' is not a list of ints");
      goto fail;
    }
    size_t n = json_array_size(ids);
    if (n > 0) {
      s.identifier_field_ids = ice_calloc(n, sizeof(int32_t));
      if (s.identifier_field_ids == NULL) {
        rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
        goto fail;
      }
    }
    for (size_t i = 0; i < n; i++) {
      const json_t *v = json_array_get(ids, i);
      if (!json_is_integer(v) || json_integer_value(v) < 0 ||
          json_integer_value(v) > INT32_MAX) {
        rc = ice_error_set(err, ICE_ECORRUPT, "'identifier-field-ids' holds a non-id");
        goto fail;
      }
      s.identifier_field_ids[i] = (int32_t)json_integer_value(v);
      s.n_identifier_field_ids = i + 1;
    }
  }
  rc = ib_schema_validate(&s, err);
  if (rc != ICE_OK) goto fail;
  *out = s;
  return ICE_OK;
fail:
  ice_error_prefix(err, "schema %d", (int)s.schema_id);
  ib_schema_reset(&s);
  return rc;
}

static json_t *type_to_json(const struct ib_type *t, int depth);

static json_t *field_to_json(const struct ib_field *f, int depth) {
  json_t *o = json_object();
  json_t *tj = type_to_json(&f->type, depth + 1);
  if (o == NULL || tj == NULL) goto fail;
  if (json_object_set_new(o, "id", json_integer(f->id)) != 0 ||
      json_object_set_new(o, "name", json_string(f->name)) != 0 ||
      json_object_set_new(o, "required", json_boolean(f->required)) != 0 ||
      json_object_set_new(o, "type", tj) != 0) {
    tj = NULL;
    goto fail;
  }
  if (f->doc != NULL && json_object_set_new(o, "doc", json_string(f->doc)) != 0) {
    json_decref(o);
    return NULL;
  }
  return o;
fail:
  json_decref(o);
  json_decref(tj);
  return NULL;
}

static json_t *type_to_json(const struct ib_type *t, int depth) {
  if (depth > ICE_LIMIT_NESTING) return NULL;
  char buf[48];
  if (ib_type_is_primitive(t)) return json_string(ib_type_name(t, buf, sizeof(buf)));
  json_t *o = json_object();
  if (o == NULL) return NULL;
  bool ok = true;
  if (t->id == IB_TYPE_STRUCT) {
    json_t *arr = json_array();
    ok = arr != NULL && json_object_set_new(o, "type", json_string("struct")) == 0 &&
         json_object_set_new(o, "fields", arr) == 0;
    for (size_t i = 0; ok && i < t->n_fields; i++) {
      ok = json_array_append_new(arr, field_to_json(&t->fields[i], depth)) == 0;
    }
  } else if (t->id == IB_TYPE_LIST && t->n_fields == 1) {
    const struct ib_field *e = &t->fields[0];
    ok = json_object_set_new(o, "type", json_string("list")) == 0 &&
         json_object_set_new(o, "element-id", json_integer(e->id)) == 0 &&
         json_object_set_new(o, "element", type_to_json(&e->type, depth + 1)) == 0 &&
         json_object_set_new(o, "element-required", json_boolean(e->required)) == 0;
  } else if (t->id == IB_TYPE_MAP && t->n_fields == 2) {
    const struct ib_field *k = &t->fields[0], *v = &t->fields[1];
    ok = json_object_set_new(o, "type", json_string("map")) == 0 &&
         json_object_set_new(o, "key-id", json_integer(k->id)) == 0 &&
         json_object_set_new(o, "key", type_to_json(&k->type, depth + 1)) == 0 &&
         json_object_set_new(o, "value-id", json_integer(v->id)) == 0 &&
         json_object_set_new(o, "value", type_to_json(&v->type, depth + 1)) == 0 &&
         json_object_set_new(o, "value-required", json_boolean(v->required)) == 0;
  } else {
    ok = false;
  }
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

int ib_schema_to_json(const struct ib_schema *s, json_t **out, struct ice_error *err) {
  json_t *o = json_object();
  if (o == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  /* Java's order: type, schema-id, identifier-field-ids, fields. */
  bool ok = json_object_set_new(o, "type", json_string("struct")) == 0 &&
            json_object_set_new(o, "schema-id", json_integer(s->schema_id)) == 0;
  if (ok && s->n_identifier_field_ids > 0) {
    json_t *ids = json_array();
    ok = ids != NULL && json_object_set_new(o, "identifier-field-ids", ids) == 0;
    for (size_t i = 0; ok && i < s->n_identifier_field_ids; i++)
      ok = json_array_append_new(ids, json_integer(s->identifier_field_ids[i])) == 0;
  }
  if (ok) {
    json_t *st = type_to_json(&s->root, 0);
    ok = st != NULL && json_object_set(o, "fields", json_object_get(st, "fields")) == 0;
    json_decref(st);
  }
  if (!ok) {
    json_decref(o);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory building schema JSON");
  }
  *out = o;
  return ICE_OK;
}

int ib_schema_parse(const char *json, size_t len, struct ib_schema *out,
                    struct ice_error *err) {
  if (len > ICE_LIMIT_METADATA_JSON_BYTES)
    ICE_FAIL(err, ICE_ELIMIT, "schema JSON too large");
  json_error_t je;
  json_t *j = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (j == NULL)
    ICE_FAIL(err, ICE_ECORRUPT, "schema JSON: %s (line %d)", je.text, je.line);
  int rc = ib_schema_from_json(j, out, err);
  json_decref(j);
  return rc;
}

/* The failure is sticky: jansson ignores the callback's result for object keys, so a
 * failed append must fail the whole dump rather than drop a key. */
struct dump_sink {
  struct ice_buf b;
  int failed;
};

static int dump_cb(const char *buffer, size_t size, void *data) {
  struct dump_sink *s = data;
  if (s->failed || ice_buf_append(&s->b, buffer, size, NULL) != ICE_OK) s->failed = 1;
  return s->failed ? -1 : 0;
}

int ib_json_dump(const json_t *j, size_t flags, char **out, size_t *len,
                 struct ice_error *err) {
  struct dump_sink sink = {{0}, 0};
  ice_buf_init(&sink.b, ICE_LIMIT_METADATA_JSON_BYTES);
  if (json_dump_callback(j, dump_cb, &sink, flags) != 0 || sink.failed ||
      ice_buf_append_byte(&sink.b, 0, NULL) != ICE_OK) {
    ice_buf_reset(&sink.b);
    ICE_FAIL(err, ICE_ENOMEM,
             "out of memory (or over the metadata size cap) writing JSON");
  }
  if (len) *len = sink.b.len - 1;
  *out = (char *)ice_buf_take(&sink.b);
  return ICE_OK;
}

static int dump(json_t *j, char **out, struct ice_error *err) {
  int rc = ib_json_dump(j, JSON_COMPACT | JSON_PRESERVE_ORDER, out, NULL, err);
  json_decref(j);
  return rc;
}

int ib_schema_to_string(const struct ib_schema *s, char **out, struct ice_error *err) {
  json_t *j;
  ICE_TRY(ib_schema_to_json(s, &j, err));
  return dump(j, out, err);
}

/* ---- partition specs ---- */

void ib_partition_spec_reset(struct ib_partition_spec *s) {
  for (size_t i = 0; i < s->n_fields; i++) {
    ice_free(s->fields[i].name);
    ice_free(s->fields[i].transform);
  }
  ice_free(s->fields);
  memset(s, 0, sizeof(*s));
}

/* Fields array -> spec fields. v1 specs may lack field-id: they get 1000, 1001, ... */
static int spec_fields_from_json(const json_t *arr, struct ib_partition_spec *s,
                                 struct ice_error *err) {
  ICE_CHECK_DATA(json_is_array(arr), err, "partition spec 'fields' is not a list");
  size_t n = json_array_size(arr);
  ICE_CHECK_DATA(n <= ICE_LIMIT_COLUMNS, err, "too many partition fields");
  if (n == 0) return ICE_OK;
  s->fields = ice_calloc(n, sizeof(*s->fields));
  if (s->fields == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const json_t *f = json_array_get(arr, i);
    ICE_CHECK_DATA(json_is_object(f), err, "partition field is not an object");
    struct ib_partition_field *pf = &s->fields[i];
    const char *name, *transform;
    ICE_TRY(get_str(f, "name", &name, err));
    ICE_TRY(get_str(f, "transform", &transform, err));
    if (json_object_get(f, "source-id") == NULL &&
        json_is_array(json_object_get(f, "source-ids"))) {
      ICE_FAIL(err, ICE_EUNSUPPORTED,
               "multi-argument partition transforms (v3) are not supported");
    }
    ICE_TRY(get_i32(f, "source-id", &pf->source_id, err));
    if (json_object_get(f, "field-id") != NULL) {
      ICE_TRY(get_i32(f, "field-id", &pf->field_id, err));
    } else {
      pf->field_id = 1000 + (int32_t)i;
    }
    pf->name = ice_strdup(name);
    pf->transform = ice_strdup(transform);
    s->n_fields = i + 1;
    if (pf->name == NULL || pf->transform == NULL)
      ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  return ICE_OK;
}

int ib_partition_spec_from_json(const json_t *j, struct ib_partition_spec *out,
                                struct ice_error *err) {
  ICE_CHECK_DATA(json_is_object(j), err, "partition spec is not an object");
  struct ib_partition_spec s;
  memset(&s, 0, sizeof(s));
  int rc = get_i32(j, "spec-id", &s.spec_id, err);
  if (rc == ICE_OK) rc = spec_fields_from_json(json_object_get(j, "fields"), &s, err);
  if (rc != ICE_OK) {
    ib_partition_spec_reset(&s);
    return ice_error_prefix(err, "partition spec");
  }
  *out = s;
  return ICE_OK;
}

int ib_partition_spec_from_fields_json(const json_t *arr, int32_t spec_id,
                                       struct ib_partition_spec *out,
                                       struct ice_error *err) {
  struct ib_partition_spec s;
  memset(&s, 0, sizeof(s));
  s.spec_id = spec_id;
  int rc = spec_fields_from_json(arr, &s, err);
  if (rc != ICE_OK) {
    ib_partition_spec_reset(&s);
    return ice_error_prefix(err, "partition-spec");
  }
  *out = s;
  return ICE_OK;
}

static json_t *spec_fields_json(const struct ib_partition_spec *s) {
  json_t *arr = json_array();
  if (arr == NULL) return NULL;
  for (size_t i = 0; i < s->n_fields; i++) {
    const struct ib_partition_field *f = &s->fields[i];
    json_t *o = json_object();
    if (o == NULL || json_array_append_new(arr, o) != 0 ||
        json_object_set_new(o, "name", json_string(f->name)) != 0 ||
        json_object_set_new(o, "transform", json_string(f->transform)) != 0 ||
        json_object_set_new(o, "source-id", json_integer(f->source_id)) != 0 ||
        json_object_set_new(o, "field-id", json_integer(f->field_id)) != 0) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

int ib_partition_spec_to_json(const struct ib_partition_spec *s, json_t **out,
                              struct ice_error *err) {
  json_t *o = json_object();
  json_t *arr = spec_fields_json(s);
  if (o == NULL || arr == NULL ||
      json_object_set_new(o, "spec-id", json_integer(s->spec_id)) != 0 ||
      json_object_set_new(o, "fields", arr) != 0) {
    json_decref(o);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  *out = o;
  return ICE_OK;
}

int ib_partition_fields_to_string(const struct ib_partition_spec *s, char **out,
                                  struct ice_error *err) {
  json_t *arr = spec_fields_json(s);
  if (arr == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  return dump(arr, out, err);
}

/* ---- sort orders ---- */

void ib_sort_order_reset(struct ib_sort_order *o) {
  for (size_t i = 0; i < o->n_fields; i++) ice_free(o->fields[i].transform);
  ice_free(o->fields);
  memset(o, 0, sizeof(*o));
}

static int sort_fields_from_json(const json_t *arr, struct ib_sort_order *o,
                                 struct ice_error *err) {
  ICE_CHECK_DATA(json_is_array(arr), err, "sort order 'fields' is not a list");
  size_t n = json_array_size(arr);
  ICE_CHECK_DATA(n <= ICE_LIMIT_COLUMNS, err, "too many sort fields");
  if (n == 0) return ICE_OK;
  o->fields = ice_calloc(n, sizeof(*o->fields));
  if (o->fields == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const json_t *f = json_array_get(arr, i);
    ICE_CHECK_DATA(json_is_object(f), err, "sort field is not an object");
    struct ib_sort_field *sf = &o->fields[i];
    const char *transform, *dir, *nulls;
    ICE_TRY(get_str(f, "transform", &transform, err));
    ICE_TRY(get_i32(f, "source-id", &sf->source_id, err));
    ICE_TRY(get_str(f, "direction", &dir, err));
    ICE_TRY(get_str(f, "null-order", &nulls, err));
    ICE_CHECK_DATA(strcmp(dir, "asc") == 0 || strcmp(dir, "desc") == 0, err,
                   "sort direction '%.16s'", dir);
    ICE_CHECK_DATA(strcmp(nulls, "nulls-first") == 0 || strcmp(nulls, "nulls-last") == 0,
                   err, "sort null-order '%.16s'", nulls);
    sf->descending = strcmp(dir, "desc") == 0;
    sf->nulls_first = strcmp(nulls, "nulls-first") == 0;
    sf->transform = ice_strdup(transform);
    o->n_fields = i + 1;
    if (sf->transform == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  return ICE_OK;
}

int ib_sort_order_from_json(const json_t *j, struct ib_sort_order *out,
                            struct ice_error *err) {
  ICE_CHECK_DATA(json_is_object(j), err, "sort order is not an object");
  struct ib_sort_order o;
  memset(&o, 0, sizeof(o));
  int rc = get_i32(j, "order-id", &o.order_id, err);
  if (rc == ICE_OK) rc = sort_fields_from_json(json_object_get(j, "fields"), &o, err);
  if (rc != ICE_OK) {
    ib_sort_order_reset(&o);
    return ice_error_prefix(err, "sort order");
  }
  *out = o;
  return ICE_OK;
}

int ib_sort_order_to_json(const struct ib_sort_order *o, json_t **out,
                          struct ice_error *err) {
  json_t *obj = json_object();
  json_t *arr = json_array();
  bool ok = obj != NULL && arr != NULL &&
            json_object_set_new(obj, "order-id", json_integer(o->order_id)) == 0 &&
            json_object_set_new(obj, "fields", arr) == 0;
  for (size_t i = 0; ok && i < o->n_fields; i++) {
    const struct ib_sort_field *f = &o->fields[i];
    json_t *fj = json_object();
    ok = fj != NULL && json_array_append_new(arr, fj) == 0 &&
         json_object_set_new(fj, "transform", json_string(f->transform)) == 0 &&
         json_object_set_new(fj, "source-id", json_integer(f->source_id)) == 0 &&
         json_object_set_new(fj, "direction",
                             json_string(f->descending ? "desc" : "asc")) == 0 &&
         json_object_set_new(
             fj, "null-order",
             json_string(f->nulls_first ? "nulls-first" : "nulls-last")) == 0;
  }
  if (!ok) {
    json_decref(obj);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  *out = obj;
  return ICE_OK;
}
