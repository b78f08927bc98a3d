/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro schema JSON -> struct avro_schema tree (Avro 1.11 "Schema Declaration",
 * "Names"). Named types (record, error, enum, fixed) are registered by full name
 * before their body is parsed, so recursive references resolve to the defining node.
 * Attributes the spec does not define are kept in a props object per type/field
 * (Iceberg's field-id, element-id, ...). Everything lives in one arena per tree.
 */
#include <jansson.h>
#include <string.h>

#include "avro/avro_schema.h"
#include "avro/avro_schema_tree.h"
#include "util/alloc.h"
#include "util/limits.h"

struct parser {
  struct avro_schema_tree *tree;
  struct ice_error *err;
};

static const struct {
  const char *name;
  enum avro_type type;
} primitives[] = {
    {"null", AVRO_NULL},     {"boolean", AVRO_BOOLEAN}, {"int", AVRO_INT},
    {"long", AVRO_LONG},     {"float", AVRO_FLOAT},     {"double", AVRO_DOUBLE},
    {"bytes", AVRO_BYTES},   {"string", AVRO_STRING},
};

static bool primitive_type(const char *name, enum avro_type *out) {
  for (size_t i = 0; i < sizeof primitives / sizeof primitives[0]; i++) {
    if (strcmp(name, primitives[i].name) == 0) {
      *out = primitives[i].type;
      return true;
    }
  }
  return false;
}

/* Avro names: [A-Za-z_][A-Za-z0-9_]* */
static bool valid_simple_name(const char *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    bool alpha = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
    bool digit = ch >= '0' && ch <= '9';
    if (!(alpha || (digit && i > 0))) return false;
  }
  return true;
}

/* A full name is dot-separated valid simple names. */
static bool valid_full_name(const char *s) {
  const char *part = s;
  for (const char *p = s;; p++) {
    if (*p == '.' || *p == '\0') {
      if (!valid_simple_name(part, (size_t)(p - part))) return false;
      if (*p == '\0') return true;
      part = p + 1;
    }
  }
}

static int new_node(struct parser *ps, enum avro_type t, struct avro_schema **out) {
  void *p;
  ICE_TRY(ice_arena_alloc(&ps->tree->arena, sizeof(struct avro_schema), &p, ps->err));
  struct avro_schema *s = p;
  s->type = t;
  *out = s;
  return ICE_OK;
}

/* "ns" + "." + "name" into the arena (or just name when ns is empty). */
static int make_full_name(struct parser *ps, const char *ns, const char *name,
                          const char **out) {
  if (strchr(name, '.') != NULL || ns == NULL || ns[0] == '\0') {
    char *c;
    ICE_TRY(ice_arena_strndup(&ps->tree->arena, name, strlen(name), &c, ps->err));
    *out = c;
    return ICE_OK;
  }
  size_t nl = strlen(ns), ml = strlen(name);
  void *p;
  ICE_TRY(ice_arena_alloc(&ps->tree->arena, nl + ml + 2, &p, ps->err));
  char *c = p;
  memcpy(c, ns, nl);
  c[nl] = '.';
  memcpy(c + nl + 1, name, ml + 1);
  *out = c;
  return ICE_OK;
}

/* The namespace part of a full name ("" when none), arena-allocated. */
static int namespace_of(struct parser *ps, const char *full, const char **out) {
  const char *dot = strrchr(full, '.');
  char *c;
  ICE_TRY(ice_arena_strndup(&ps->tree->arena, full, dot ? (size_t)(dot - full) : 0, &c,
                            ps->err));
  *out = c;
  return ICE_OK;
}

static bool in_list(const char *key, const char *const *list) {
  for (; *list != NULL; list++) {
    if (strcmp(key, *list) == 0) return true;
  }
  return false;
}

/* Copies the attributes of obj not named in `standard` into a new props object (NULL
 * when there are none). The tree keeps the reference. */
static int collect_props(struct parser *ps, json_t *obj, const char *const *standard,
                         const json_t **out) {
  const char *key;
  json_t *val;
  json_t *props = NULL;
  json_object_foreach(obj, key, val) {
    if (in_list(key, standard)) continue;
    if (props == NULL) {
      props = json_object();
      if (props == NULL || json_array_append_new(ps->tree->keep, props) != 0) {
        return ice_error_set(ps->err, ICE_ENOMEM, "avro: out of memory");
      }
    }
    if (json_object_set(props, key, val) != 0) {
      return ice_error_set(ps->err, ICE_ENOMEM, "avro: out of memory");
    }
  }
  *out = props;
  return ICE_OK;
}

static int parse_type(struct parser *ps, json_t *j, const char *ns, int depth,
                      struct avro_schema **out);

static int get_string(struct parser *ps, json_t *obj, const char *key, bool required,
                      const char **out) {
  json_t *v = json_object_get(obj, key);
  if (v == NULL || json_is_null(v)) {
    if (required) {
      return ice_error_set(ps->err, ICE_ECORRUPT, "avro: schema: missing \"%s\"", key);
    }
    *out = NULL;
    return ICE_OK;
  }
  ICE_CHECK_DATA(json_is_string(v), ps->err, "avro: schema: \"%s\" must be a string", key);
  *out = json_string_value(v);
  return ICE_OK;
}

/* Names and registers a record/enum/fixed before its body is parsed. */
static int define_named(struct parser *ps, json_t *obj, const char *ns,
                        struct avro_schema *s, const char **child_ns) {
  const char *name, *explicit_ns;
  ICE_TRY(get_string(ps, obj, "name", true, &name));
  ICE_TRY(get_string(ps, obj, "namespace", false, &explicit_ns));
  if (explicit_ns != NULL) ns = explicit_ns;
  ICE_TRY(make_full_name(ps, ns, name, &s->name));
  ICE_CHECK_DATA(valid_full_name(s->name), ps->err, "avro: schema: invalid name '%s'",
                 s->name);
  enum avro_type dummy;
  const char *last = strrchr(s->name, '.');
  ICE_CHECK_DATA(!primitive_type(last ? last + 1 : s->name, &dummy), ps->err,
                 "avro: schema: '%s' redefines a primitive type", s->name);
  ICE_TRY(avro_schema_tree_register(ps->tree, s, ps->err));
  return namespace_of(ps, s->name, child_ns);
}

static int parse_record(struct parser *ps, json_t *obj, const char *ns, int depth,
                        struct avro_schema *s) {
  const char *child_ns;
  ICE_TRY(define_named(ps, obj, ns, s, &child_ns));
  json_t *fields = json_object_get(obj, "fields");
  ICE_CHECK_DATA(json_is_array(fields), ps->err,
                 "avro: schema: record '%s' needs a \"fields\" array", s->name);
  size_t n = json_array_size(fields);
  if (n > 0) {
    void *p;
    ICE_TRY(ice_arena_calloc(&ps->tree->arena, n, sizeof(struct avro_field), &p, ps->err));
    s->fields = p;
  }
  static const char *const std_field[] = {"name", "type", "default", "doc", NULL};
  for (size_t i = 0; i < n; i++) {
    json_t *fj = json_array_get(fields, i);
    struct avro_field *f = &s->fields[i];
    ICE_CHECK_DATA(json_is_object(fj), ps->err,
                   "avro: schema: record '%s': field %zu is not an object", s->name, i);
    ICE_TRY(get_string(ps, fj, "name", true, &f->name));
    ICE_CHECK_DATA(valid_simple_name(f->name, strlen(f->name)), ps->err,
                   "avro: schema: record '%s': invalid field name '%s'", s->name, f->name);
    for (size_t k = 0; k < i; k++) {
      ICE_CHECK_DATA(strcmp(s->fields[k].name, f->name) != 0, ps->err,
                     "avro: schema: record '%s': duplicate field '%s'", s->name, f->name);
    }
    ICE_TRY(get_string(ps, fj, "doc", false, &f->doc));
    json_t *tj = json_object_get(fj, "type");
    ICE_CHECK_DATA(tj != NULL, ps->err, "avro: schema: record '%s': field '%s' has no type",
                   s->name, f->name);
    int rc = parse_type(ps, tj, child_ns, depth + 1, &f->type);
    if (rc != ICE_OK) {
      return ice_error_prefix(ps->err, "field '%s'", f->name);
    }
    f->default_value = json_object_get(fj, "default");
    ICE_TRY(collect_props(ps, fj, std_field, &f->props));
    s->n_fields = i + 1;
  }
  return ICE_OK;
}

static int parse_enum(struct parser *ps, json_t *obj, const char *ns,
                      struct avro_schema *s) {
  const char *child_ns;
  ICE_TRY(define_named(ps, obj, ns, s, &child_ns));
  json_t *syms = json_object_get(obj, "symbols");
  ICE_CHECK_DATA(json_is_array(syms), ps->err,
                 "avro: schema: enum '%s' needs a \"symbols\" array", s->name);
  size_t n = json_array_size(syms);
  ICE_CHECK_DATA(n <= UINT32_MAX, ps->err, "avro: schema: enum '%s' too large", s->name);
  if (n > 0) {
    void *p;
    ICE_TRY(ice_arena_calloc(&ps->tree->arena, n, sizeof(char *), &p, ps->err));
    s->symbols = p;
  }
  for (size_t i = 0; i < n; i++) {
    json_t *v = json_array_get(syms, i);
    ICE_CHECK_DATA(json_is_string(v), ps->err, "avro: schema: enum '%s': symbol %zu is not a string",
                   s->name, i);
    const char *sym = json_string_value(v);
    ICE_CHECK_DATA(valid_simple_name(sym, strlen(sym)), ps->err,
                   "avro: schema: enum '%s': invalid symbol '%s'", s->name, sym);
    for (size_t k = 0; k < i; k++) {
      ICE_CHECK_DATA(strcmp(s->symbols[k], sym) != 0, ps->err,
                     "avro: schema: enum '%s': duplicate symbol '%s'", s->name, sym);
    }
    s->symbols[i] = sym;
  }
  s->n_symbols = n;
  return ICE_OK;
}

static int parse_fixed(struct parser *ps, json_t *obj, const char *ns,
                       struct avro_schema *s) {
  const char *child_ns;
  ICE_TRY(define_named(ps, obj, ns, s, &child_ns));
  json_t *size = json_object_get(obj, "size");
  ICE_CHECK_DATA(json_is_integer(size) && json_integer_value(size) >= 0 &&
                     json_integer_value(size) <= (json_int_t)ICE_LIMIT_AVRO_BLOCK_BYTES,
                 ps->err, "avro: schema: fixed '%s' needs a valid \"size\"", s->name);
  s->fixed_size = (size_t)json_integer_value(size);
  return ICE_OK;
}

static bool same_union_kind(const struct avro_schema *a, const struct avro_schema *b) {
  if (a->type != b->type) return false;
  bool named = a->type == AVRO_RECORD || a->type == AVRO_ENUM || a->type == AVRO_FIXED;
  return !named || strcmp(a->name, b->name) == 0;
}

static int parse_union(struct parser *ps, json_t *arr, const char *ns, int depth,
                       struct avro_schema **out) {
  size_t n = json_array_size(arr);
  ICE_CHECK_DATA(n > 0, ps->err, "avro: schema: empty union");
  struct avro_schema *s;
  ICE_TRY(new_node(ps, AVRO_UNION, &s));
  void *p;
  ICE_TRY(ice_arena_calloc(&ps->tree->arena, n, sizeof(struct avro_schema *), &p, ps->err));
  s->branches = p;
  for (size_t i = 0; i < n; i++) {
    struct avro_schema *b;
    ICE_TRY(parse_type(ps, json_array_get(arr, i), ns, depth + 1, &b));
    ICE_CHECK_DATA(b->type != AVRO_UNION, ps->err,
                   "avro: schema: a union may not directly contain a union");
    for (size_t k = 0; k < i; k++) {
      ICE_CHECK_DATA(!same_union_kind(s->branches[k], b), ps->err,
                     "avro: schema: union has two branches of type %s",
                     b->name ? b->name : avro_type_name(b->type));
    }
    s->branches[i] = b;
  }
  s->n_branches = n;
  *out = s;
  return ICE_OK;
}

static int resolve_reference(struct parser *ps, const char *name, const char *ns,
                             struct avro_schema **out) {
  struct avro_schema *found = NULL;
  if (strchr(name, '.') == NULL && ns != NULL && ns[0] != '\0') {
    const char *full;
    ICE_TRY(make_full_name(ps, ns, name, &full));
    found = avro_schema_tree_lookup(ps->tree, full);
  }
  if (found == NULL) found = avro_schema_tree_lookup(ps->tree, name);
  ICE_CHECK_DATA(found != NULL, ps->err, "avro: schema: unknown type '%s'", name);
  *out = found;
  return ICE_OK;
}

static int parse_object(struct parser *ps, json_t *obj, const char *ns, int depth,
                        struct avro_schema **out) {
  json_t *tj = json_object_get(obj, "type");
  ICE_CHECK_DATA(tj != NULL, ps->err, "avro: schema: object without \"type\"");
  if (!json_is_string(tj)) {
    /* {"type": {...}} or {"type": [...]}: a wrapped schema, as Java accepts */
    return parse_type(ps, tj, ns, depth + 1, out);
  }
  const char *t = json_string_value(tj);
  static const char *const std_prim[] = {"type", "logicalType", NULL};
  static const char *const std_record[] = {"type", "name", "namespace", "fields",
                                           "logicalType", NULL};
  static const char *const std_enum[] = {"type", "name", "namespace", "symbols",
                                         "logicalType", NULL};
  static const char *const std_fixed[] = {"type", "name", "namespace", "size",
                                          "logicalType", NULL};
  static const char *const std_array[] = {"type", "items", "logicalType", NULL};
  static const char *const std_map[] = {"type", "values", "logicalType", NULL};
  const char *const *standard = std_prim;
  struct avro_schema *s;
  enum avro_type prim;
  if (primitive_type(t, &prim)) {
    ICE_TRY(new_node(ps, prim, &s));
  } else if (strcmp(t, "record") == 0 || strcmp(t, "error") == 0) {
    ICE_TRY(new_node(ps, AVRO_RECORD, &s));
    ICE_TRY(parse_record(ps, obj, ns, depth, s));
    standard = std_record;
  } else if (strcmp(t, "enum") == 0) {
    ICE_TRY(new_node(ps, AVRO_ENUM, &s));
    ICE_TRY(parse_enum(ps, obj, ns, s));
    standard = std_enum;
  } else if (strcmp(t, "fixed") == 0) {
    ICE_TRY(new_node(ps, AVRO_FIXED, &s));
    ICE_TRY(parse_fixed(ps, obj, ns, s));
    standard = std_fixed;
  } else if (strcmp(t, "array") == 0 || strcmp(t, "map") == 0) {
    bool is_array = t[0] == 'a';
    ICE_TRY(new_node(ps, is_array ? AVRO_ARRAY : AVRO_MAP, &s));
    json_t *ij = json_object_get(obj, is_array ? "items" : "values");
    ICE_CHECK_DATA(ij != NULL, ps->err, "avro: schema: %s without \"%s\"", t,
                   is_array ? "items" : "values");
    ICE_TRY(parse_type(ps, ij, ns, depth + 1, &s->items));
    standard = is_array ? std_array : std_map;
  } else {
    /* {"type": "SomeName"}: a reference written in object form */
    return resolve_reference(ps, t, ns, out);
  }
  ICE_TRY(get_string(ps, obj, "logicalType", false, &s->logical_type));
  ICE_TRY(collect_props(ps, obj, standard, &s->props));
  *out = s;
  return ICE_OK;
}

static int parse_type(struct parser *ps, json_t *j, const char *ns, int depth,
                      struct avro_schema **out) {
  if (depth > ICE_LIMIT_AVRO_DEPTH) {
    return ice_error_set(ps->err, ICE_ELIMIT, "avro: schema nests deeper than %d",
                         ICE_LIMIT_AVRO_DEPTH);
  }
  if (json_is_string(j)) {
    const char *t = json_string_value(j);
    enum avro_type prim;
    if (primitive_type(t, &prim)) return new_node(ps, prim, out);
    return resolve_reference(ps, t, ns, out);
  }
  if (json_is_array(j)) return parse_union(ps, j, ns, depth, out);
  if (json_is_object(j)) return parse_object(ps, j, ns, depth, out);
  return ice_error_set(ps->err, ICE_ECORRUPT,
                       "avro: schema: expected a string, array or object");
}

int avro_schema_from_json(const struct json_t *json, struct avro_schema **out,
                          struct ice_error *err) {
  struct avro_schema_tree *tree;
  ICE_TRY(avro_schema_tree_new(json, &tree, err));
  struct parser ps = {tree, err};
  struct avro_schema *root;
  /* jansson's getters take non-const pointers; the tree never modifies the input */
  int rc = parse_type(&ps, (json_t *)(uintptr_t)json, NULL, 0, &root);
  if (rc != ICE_OK) {
    avro_schema_tree_free(tree);
    return rc;
  }
  root->owner = tree;
  *out = root;
  return ICE_OK;
}

int avro_schema_parse(const char *json, size_t len, struct avro_schema **out,
                      struct ice_error *err) {
  if (len > ICE_LIMIT_AVRO_SCHEMA_BYTES) {
    return ice_error_set(err, ICE_ELIMIT, "avro: schema JSON of %zu bytes exceeds %u",
                         len, (unsigned)ICE_LIMIT_AVRO_SCHEMA_BYTES);
  }
  json_error_t jerr;
  json_t *j = json_loadb(json, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
  if (j == NULL) {
    return ice_error_set(err, ICE_ECORRUPT, "avro: schema: invalid JSON at line %d: %s",
                         jerr.line, jerr.text);
  }
  int rc = avro_schema_from_json(j, out, err);
  json_decref(j); /* the tree holds its own reference */
  return rc;
}
