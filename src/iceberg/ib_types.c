/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Iceberg types and schema trees: primitive type names (spec "Primitive Types"),
 * deep copy/free, lookups by id and by Java-style dotted name, structural validation.
 */
#include "iceberg/ib_types.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/limits.h"

static const struct {
  const char *name;
  enum ib_type_id id;
} k_simple_types[] = {
    {"boolean", IB_TYPE_BOOLEAN},
    {"int", IB_TYPE_INT},
    {"long", IB_TYPE_LONG},
    {"float", IB_TYPE_FLOAT},
    {"double", IB_TYPE_DOUBLE},
    {"date", IB_TYPE_DATE},
    {"time", IB_TYPE_TIME},
    {"timestamp", IB_TYPE_TIMESTAMP},
    {"timestamptz", IB_TYPE_TIMESTAMPTZ},
    {"timestamp_ns", IB_TYPE_TIMESTAMP_NS},
    {"timestamptz_ns", IB_TYPE_TIMESTAMPTZ_NS},
    {"string", IB_TYPE_STRING},
    {"uuid", IB_TYPE_UUID},
    {"binary", IB_TYPE_BINARY},
};

/* Parses a non-negative decimal integer at *p (skipping spaces around it). */
static int parse_small_int(const char **p, int32_t *out) {
  const char *s = *p;
  while (*s == ' ') s++;
  if (*s < '0' || *s > '9') return -1;
  int64_t v = 0;
  while (*s >= '0' && *s <= '9') {
    v = v * 10 + (*s - '0');
    if (v > INT32_MAX) return -1;
    s++;
  }
  while (*s == ' ') s++;
  *p = s;
  *out = (int32_t)v;
  return 0;
}

int ib_type_parse_primitive(const char *s, struct ib_type *out, struct ice_error *err) {
  for (size_t i = 0; i < sizeof(k_simple_types) / sizeof(k_simple_types[0]); i++) {
    if (strcmp(s, k_simple_types[i].name) == 0) {
      memset(out, 0, sizeof(*out));
      out->id = k_simple_types[i].id;
      return ICE_OK;
    }
  }
  if (strncmp(s, "decimal(", 8) == 0) {
    const char *p = s + 8;
    int32_t prec, scale;
    if (parse_small_int(&p, &prec) != 0 || *p != ',') goto bad;
    p++;
    if (parse_small_int(&p, &scale) != 0 || strcmp(p, ")") != 0) goto bad;
    if (prec < 1 || prec > 38 || scale > prec) {
      ICE_FAIL(err, ICE_ECORRUPT,
               "type '%s': decimal precision must be 1..38 and scale <= precision", s);
    }
    memset(out, 0, sizeof(*out));
    out->id = IB_TYPE_DECIMAL;
    out->precision = prec;
    out->scale = scale;
    return ICE_OK;
  }
  if (strncmp(s, "fixed[", 6) == 0) {
    const char *p = s + 6;
    int32_t len;
    if (parse_small_int(&p, &len) != 0 || strcmp(p, "]") != 0) goto bad;
    if (len < 1) ICE_FAIL(err, ICE_ECORRUPT, "type '%s': fixed length must be >= 1", s);
    memset(out, 0, sizeof(*out));
    out->id = IB_TYPE_FIXED;
    out->length = len;
    return ICE_OK;
  }
bad:
  ICE_FAIL(err, ICE_ECORRUPT, "unknown or unsupported type '%.64s'", s);
}

const char *ib_type_name(const struct ib_type *t, char *buf, size_t cap) {
  if (cap == 0) return buf;
  switch (t->id) {
    case IB_TYPE_DECIMAL:
      snprintf(buf, cap, "decimal(%" PRId32 ",%" PRId32 ")", t->precision, t->scale);
      return buf;
    case IB_TYPE_FIXED:
      snprintf(buf, cap, "fixed[%" PRId32 "]", t->length);
      return buf;
    case IB_TYPE_STRUCT:
      snprintf(buf, cap, "struct");
      return buf;
    case IB_TYPE_LIST:
      snprintf(buf, cap, "list");
      return buf;
    case IB_TYPE_MAP:
      snprintf(buf, cap, "map");
      return buf;
    default:
      break;
  }
  for (size_t i = 0; i < sizeof(k_simple_types) / sizeof(k_simple_types[0]); i++) {
    if (k_simple_types[i].id == t->id) {
      snprintf(buf, cap, "%s", k_simple_types[i].name);
      return buf;
    }
  }
  snprintf(buf, cap, "?");
  return buf;
}

void ib_field_reset(struct ib_field *f) {
  ice_free(f->name);
  ice_free(f->doc);
  ib_type_reset(&f->type);
  memset(f, 0, sizeof(*f));
}

void ib_type_reset(struct ib_type *t) {
  for (size_t i = 0; i < t->n_fields; i++) ib_field_reset(&t->fields[i]);
  ice_free(t->fields);
  t->fields = NULL;
  t->n_fields = 0;
}

int ib_field_init(struct ib_field *f, int32_t id, const char *name, bool required,
                  const char *doc, struct ice_error *err) {
  memset(f, 0, sizeof(*f));
  f->id = id;
  f->required = required;
  f->name = ice_strdup(name);
  if (f->name == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  if (doc != NULL) {
    f->doc = ice_strdup(doc);
    if (f->doc == NULL) {
      ib_field_reset(f);
      ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    }
  }
  return ICE_OK;
}

int ib_type_alloc_fields(struct ib_type *t, size_t n, struct ice_error *err) {
  ib_type_reset(t);
  if (n == 0) return ICE_OK;
  t->fields = ice_calloc(n, sizeof(*t->fields));
  if (t->fields == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  t->n_fields = n;
  return ICE_OK;
}

static int copy_type_depth(struct ib_type *dst, const struct ib_type *src, int depth,
                           struct ice_error *err);

static int copy_field(struct ib_field *dst, const struct ib_field *src, int depth,
                      struct ice_error *err) {
  ICE_TRY(ib_field_init(dst, src->id, src->name, src->required, src->doc, err));
  int rc = copy_type_depth(&dst->type, &src->type, depth + 1, err);
  if (rc != ICE_OK) ib_field_reset(dst);
  return rc;
}

static int copy_type_depth(struct ib_type *dst, const struct ib_type *src, int depth,
                           struct ice_error *err) {
  if (depth > ICE_LIMIT_NESTING) ICE_FAIL(err, ICE_ELIMIT, "schema nested too deeply");
  *dst = *src;
  dst->fields = NULL;
  dst->n_fields = 0;
  if (src->n_fields == 0) return ICE_OK;
  ICE_TRY(ib_type_alloc_fields(dst, src->n_fields, err));
  for (size_t i = 0; i < src->n_fields; i++) {
    int rc = copy_field(&dst->fields[i], &src->fields[i], depth, err);
    if (rc != ICE_OK) {
      ib_type_reset(dst);
      return rc;
    }
  }
  return ICE_OK;
}

int ib_type_copy(struct ib_type *dst, const struct ib_type *src, struct ice_error *err) {
  return copy_type_depth(dst, src, 0, err);
}

void ib_schema_init(struct ib_schema *s, int32_t schema_id) {
  memset(s, 0, sizeof(*s));
  s->schema_id = schema_id;
  s->root.id = IB_TYPE_STRUCT;
}

void ib_schema_reset(struct ib_schema *s) {
  ib_type_reset(&s->root);
  ice_free(s->identifier_field_ids);
  ib_schema_init(s, 0);
}

int ib_schema_copy(struct ib_schema *dst, const struct ib_schema *src,
                   struct ice_error *err) {
  struct ib_schema tmp;
  ib_schema_init(&tmp, src->schema_id);
  ICE_TRY(ib_type_copy(&tmp.root, &src->root, err));
  if (src->n_identifier_field_ids > 0) {
    tmp.identifier_field_ids = ice_calloc(src->n_identifier_field_ids, sizeof(int32_t));
    if (tmp.identifier_field_ids == NULL) {
      ib_schema_reset(&tmp);
      ICE_FAIL(err, ICE_ENOMEM, "out of memory");
    }
    memcpy(tmp.identifier_field_ids, src->identifier_field_ids,
           src->n_identifier_field_ids * sizeof(int32_t));
    tmp.n_identifier_field_ids = src->n_identifier_field_ids;
  }
  *dst = tmp;
  return ICE_OK;
}

/* ---- walking ---- */

static int visit_type(const struct ib_type *t, int depth, ib_field_visit_fn fn,
                      void *ctx) {
  if (depth > ICE_LIMIT_NESTING) return 0; /* validated trees never get here */
  for (size_t i = 0; i < t->n_fields; i++) {
    int rc = fn(&t->fields[i], depth, ctx);
    if (rc != 0) return rc;
    rc = visit_type(&t->fields[i].type, depth + 1, fn, ctx);
    if (rc != 0) return rc;
  }
  return 0;
}

int ib_schema_visit(const struct ib_schema *s, ib_field_visit_fn fn, void *ctx) {
  return visit_type(&s->root, 0, fn, ctx);
}

struct find_id_ctx {
  int32_t id;
  const struct ib_field *found;
};

static int find_id_cb(const struct ib_field *f, int depth, void *ctx) {
  (void)depth;
  struct find_id_ctx *c = ctx;
  if (f->id == c->id) {
    c->found = f;
    return 1;
  }
  return 0;
}

const struct ib_field *ib_schema_find_by_id(const struct ib_schema *s, int32_t id) {
  struct find_id_ctx c = {id, NULL};
  ib_schema_visit(s, find_id_cb, &c);
  return c.found;
}

static int max_id_cb(const struct ib_field *f, int depth, void *ctx) {
  (void)depth;
  int32_t *m = ctx;
  if (f->id > *m) *m = f->id;
  return 0;
}

int32_t ib_schema_highest_field_id(const struct ib_schema *s) {
  int32_t m = 0;
  ib_schema_visit(s, max_id_cb, &m);
  return m;
}

/* Dotted-name lookup: try every split of the remaining name against the children so
 * that field names which themselves contain '.' still resolve. */
static const struct ib_field *find_name_in(const struct ib_type *t, const char *name,
                                           int depth) {
  if (depth > ICE_LIMIT_NESTING) return NULL;
  size_t len = strlen(name);
  for (size_t i = 0; i < t->n_fields; i++) {
    const struct ib_field *f = &t->fields[i];
    size_t fl = strlen(f->name);
    if (fl > len || memcmp(f->name, name, fl) != 0) continue;
    if (fl == len) return f;
    if (name[fl] == '.') {
      const struct ib_field *r = find_name_in(&f->type, name + fl + 1, depth + 1);
      if (r != NULL) return r;
    }
  }
  return NULL;
}

const struct ib_field *ib_schema_find_by_name(const struct ib_schema *s,
                                              const char *dotted) {
  return find_name_in(&s->root, dotted, 0);
}

static bool path_to(const struct ib_type *t, int32_t id, char *buf, size_t cap,
                    size_t *pos, int depth) {
  if (depth > ICE_LIMIT_NESTING) return false;
  for (size_t i = 0; i < t->n_fields; i++) {
    const struct ib_field *f = &t->fields[i];
    size_t start = *pos;
    size_t fl = strlen(f->name);
    size_t need = fl + (start > 0 ? 1 : 0);
    if (start + need + 1 <= cap) {
      if (start > 0) buf[(*pos)++] = '.';
      memcpy(buf + *pos, f->name, fl);
      *pos += fl;
      buf[*pos] = '\0';
    } else {
      *pos = cap; /* mark overflow */
    }
    if (f->id == id) return true;
    if (*pos < cap && path_to(&f->type, id, buf, cap, pos, depth + 1)) return true;
    *pos = start;
    if (start < cap) buf[start] = '\0';
  }
  return false;
}

int ib_schema_field_path(const struct ib_schema *s, int32_t id, char *buf, size_t cap,
                         struct ice_error *err) {
  if (cap == 0) ICE_FAIL(err, ICE_EINVAL, "empty buffer");
  size_t pos = 0;
  buf[0] = '\0';
  if (!path_to(&s->root, id, buf, cap, &pos, 0)) {
    ICE_FAIL(err, ICE_ENOTFOUND, "field id %" PRId32 " not in schema", id);
  }
  if (pos >= cap) ICE_FAIL(err, ICE_ELIMIT, "field path too long");
  return ICE_OK;
}

/* ---- validation ---- */

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *ib_find_duplicate_name(const char **names, size_t n) {
  if (n < 2) return NULL;
  qsort(names, n, sizeof(char *), cmp_name);
  for (size_t i = 1; i < n; i++) {
    if (strcmp(names[i], names[i - 1]) == 0) return names[i];
  }
  return NULL;
}

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

struct collect_ctx {
  int32_t *ids;
  size_t n, cap;
  int oom;
};

static int collect_cb(const struct ib_field *f, int depth, void *ctx) {
  (void)depth;
  struct collect_ctx *c = ctx;
  if (c->n == c->cap) {
    size_t nc = c->cap ? c->cap * 2 : 64;
    int32_t *p = ice_realloc(c->ids, nc * sizeof(int32_t));
    if (p == NULL) {
      c->oom = 1;
      return 1;
    }
    c->ids = p;
    c->cap = nc;
  }
  c->ids[c->n++] = f->id;
  return 0;
}

static int validate_type(const struct ib_type *t, int depth, struct ice_error *err) {
  if (depth > ICE_LIMIT_NESTING) ICE_FAIL(err, ICE_ELIMIT, "schema nested too deeply");
  switch (t->id) {
    case IB_TYPE_DECIMAL:
      if (t->precision < 1 || t->precision > 38 || t->scale < 0 ||
          t->scale > t->precision)
        ICE_FAIL(err, ICE_ECORRUPT, "invalid decimal(%" PRId32 ",%" PRId32 ")",
                 t->precision, t->scale);
      return ICE_OK;
    case IB_TYPE_FIXED:
      if (t->length < 1) ICE_FAIL(err, ICE_ECORRUPT, "invalid fixed length");
      return ICE_OK;
    case IB_TYPE_LIST:
      if (t->n_fields != 1) ICE_FAIL(err, ICE_ECORRUPT, "list without element");
      break;
    case IB_TYPE_MAP:
      if (t->n_fields != 2) ICE_FAIL(err, ICE_ECORRUPT, "map without key and value");
      if (!t->fields[0].required)
        ICE_FAIL(err, ICE_ECORRUPT, "map keys must be required");
      break;
    case IB_TYPE_STRUCT: {
      if (t->n_fields < 2) break;
      const char **names = ice_calloc(t->n_fields, sizeof(char *));
      if (names == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
      for (size_t i = 0; i < t->n_fields; i++)
        names[i] = t->fields[i].name ? t->fields[i].name : "";
      const char *dup = ib_find_duplicate_name(names, t->n_fields);
      ice_free(names);
      if (dup != NULL) ICE_FAIL(err, ICE_ECORRUPT, "duplicate field name '%.100s'", dup);
      break;
    }
    default:
      if (t->n_fields != 0) ICE_FAIL(err, ICE_EINTERNAL, "primitive type with children");
      return ICE_OK;
  }
  for (size_t i = 0; i < t->n_fields; i++) {
    const struct ib_field *f = &t->fields[i];
    if (f->name == NULL || f->name[0] == '\0')
      ICE_FAIL(err, ICE_ECORRUPT, "field %" PRId32 " has an empty name", f->id);
    if (f->id < 0 || f->id > IB_MAX_FIELD_ID)
      ICE_FAIL(err, ICE_ECORRUPT, "field '%.100s': id %" PRId32 " out of range", f->name,
               f->id);
    int rc = validate_type(&f->type, depth + 1, err);
    if (rc != ICE_OK) return ice_error_prefix(err, "field '%.100s'", f->name);
  }
  return ICE_OK;
}

/* Fields that may be identifier fields: reachable from the root through required
 * structs only (Java rejects ids inside lists, maps and optional structs). Collected once
 * and sorted so each identifier id is a binary search. */
struct id_field {
  int32_t id;
  const struct ib_field *f;
};

struct id_fields {
  struct id_field *items;
  size_t n, cap;
};

static int collect_identifier_candidates(const struct ib_type *t, int depth,
                                         struct id_fields *out) {
  if (depth > ICE_LIMIT_NESTING) return 0;
  for (size_t i = 0; i < t->n_fields; i++) {
    const struct ib_field *f = &t->fields[i];
    if (out->n == out->cap) {
      size_t nc = out->cap ? out->cap * 2 : 64;
      struct id_field *p = ice_realloc(out->items, nc * sizeof(*p));
      if (p == NULL) return -1;
      out->items = p;
      out->cap = nc;
    }
    out->items[out->n++] = (struct id_field){f->id, f};
    if (f->type.id == IB_TYPE_STRUCT && f->required &&
        collect_identifier_candidates(&f->type, depth + 1, out) != 0)
      return -1;
  }
  return 0;
}

static int cmp_id_field(const void *a, const void *b) {
  int32_t x = ((const struct id_field *)a)->id, y = ((const struct id_field *)b)->id;
  return (x > y) - (x < y);
}

static int validate_identifiers(const struct ib_schema *s, struct ice_error *err) {
  if (s->n_identifier_field_ids == 0) return ICE_OK;
  struct id_fields c = {NULL, 0, 0};
  if (collect_identifier_candidates(&s->root, 0, &c) != 0) {
    ice_free(c.items);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  if (c.n > 1) qsort(c.items, c.n, sizeof(*c.items), cmp_id_field);
  int rc = ICE_OK;
  for (size_t i = 0; i < s->n_identifier_field_ids && rc == ICE_OK; i++) {
    struct id_field key = {s->identifier_field_ids[i], NULL};
    const struct id_field *hit =
        c.n ? bsearch(&key, c.items, c.n, sizeof(*c.items), cmp_id_field) : NULL;
    const struct ib_field *f = hit ? hit->f : NULL;
    if (f == NULL) {
      rc = ice_error_set(err, ICE_ECORRUPT,
                         "identifier field id %" PRId32
                         " is not a field outside lists, maps and optional structs",
                         key.id);
    } else if (!f->required || !ib_type_is_primitive(&f->type) ||
               f->type.id == IB_TYPE_FLOAT || f->type.id == IB_TYPE_DOUBLE) {
      rc = ice_error_set(
          err, ICE_ECORRUPT,
          "identifier field '%.100s' must be a required primitive (not float/double)",
          f->name);
    }
  }
  ice_free(c.items);
  return rc;
}

int ib_schema_validate(const struct ib_schema *s, struct ice_error *err) {
  if (s->root.id != IB_TYPE_STRUCT) ICE_FAIL(err, ICE_ECORRUPT, "schema is not a struct");
  ICE_TRY(validate_type(&s->root, 0, err));
  struct collect_ctx c = {NULL, 0, 0, 0};
  ib_schema_visit(s, collect_cb, &c);
  if (c.oom) {
    ice_free(c.ids);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  if (c.n > 1) qsort(c.ids, c.n, sizeof(int32_t), cmp_i32);
  for (size_t i = 1; i < c.n; i++) {
    if (c.ids[i] == c.ids[i - 1]) {
      int32_t dup = c.ids[i];
      ice_free(c.ids);
      ICE_FAIL(err, ICE_ECORRUPT, "duplicate field id %" PRId32, dup);
    }
  }
  ice_free(c.ids);
  return validate_identifiers(s, err);
}

static bool fields_equal(const struct ib_field *a, const struct ib_field *b);

bool ib_type_promotes_to(const struct ib_type *from, const struct ib_type *to) {
  if (from->id == to->id) {
    if (from->id == IB_TYPE_DECIMAL)
      return from->scale == to->scale && from->precision <= to->precision;
    if (from->id == IB_TYPE_FIXED) return from->length == to->length;
    return true;
  }
  if (from->id == IB_TYPE_INT && to->id == IB_TYPE_LONG) return true;
  if (from->id == IB_TYPE_FLOAT && to->id == IB_TYPE_DOUBLE) return true;
  return false;
}

bool ib_type_equal(const struct ib_type *a, const struct ib_type *b) {
  if (a->id != b->id || a->n_fields != b->n_fields) return false;
  if (a->id == IB_TYPE_DECIMAL && (a->precision != b->precision || a->scale != b->scale))
    return false;
  if (a->id == IB_TYPE_FIXED && a->length != b->length) return false;
  for (size_t i = 0; i < a->n_fields; i++) {
    if (!fields_equal(&a->fields[i], &b->fields[i])) return false;
  }
  return true;
}

static bool fields_equal(const struct ib_field *a, const struct ib_field *b) {
  if (a->id != b->id || a->required != b->required || strcmp(a->name, b->name) != 0)
    return false;
  if ((a->doc == NULL) != (b->doc == NULL)) return false;
  if (a->doc != NULL && strcmp(a->doc, b->doc) != 0) return false;
  return ib_type_equal(&a->type, &b->type);
}
