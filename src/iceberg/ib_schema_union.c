/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table schema grown by an input's schema (ib_schema_union.h). The table schema is
 * copied and edited in place; every check happens on the way down, so a refused input
 * leaves the caller's schema alone. Fresh ids go to a new field first and then to its
 * nested fields level by level, as Java assigns them to an added column.
 */
#include "iceberg/ib_schema_union.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/limits.h"

int ib_schema_evolution_parse(const char *s) {
  if (s == NULL) return -1;
  if (strcmp(s, "add") == 0) return IB_EVOLVE_ADD;
  if (strcmp(s, "relax") == 0) return IB_EVOLVE_RELAX;
  if (strcmp(s, "strict") == 0) return IB_EVOLVE_STRICT;
  return -1;
}

const char *ib_schema_evolution_name(enum ib_schema_evolution m) {
  switch (m) {
    case IB_EVOLVE_ADD:
      return "add";
    case IB_EVOLVE_RELAX:
      return "relax";
    default:
      return "strict";
  }
}

bool ib_compatible_name(const char *name, char *buf, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; name[i] != '\0'; i++) {
    unsigned char ch = (unsigned char)name[i];
    int alpha = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
    int digit = ch >= '0' && ch <= '9';
    int n;
    if (alpha || (digit && i > 0))
      n = snprintf(buf + o, cap - o, "%c", ch);
    else if (digit)
      n = snprintf(buf + o, cap - o, "_%c", ch);
    else
      n = snprintf(buf + o, cap - o, "_x%X", ch);
    if (n < 0 || (size_t)n >= cap - o) return false;
    o += (size_t)n;
  }
  return true;
}

struct union_ctx {
  const struct ib_schema_union_options *o;
  const struct ib_schema *table;
  int32_t *last_id;
  bool changed;
  struct ice_error *err;
};

static const char *prefix(const struct union_ctx *c) {
  return c->o->input_name ? c->o->input_name : "input";
}

static bool is_identifier(const struct union_ctx *c, int32_t id) {
  for (size_t i = 0; i < c->table->n_identifier_field_ids; i++)
    if (c->table->identifier_field_ids[i] == id) return true;
  return false;
}

static void join(char *buf, size_t cap, const char *parent, const char *name) {
  if (parent[0] == '\0')
    snprintf(buf, cap, "%s", name);
  else
    snprintf(buf, cap, "%s.%s", parent, name);
}

/* Gives f and everything below it fresh ids (f's own id first, then each level). */
static int fresh_type_ids(struct union_ctx *c, struct ib_type *t, int depth);

static int next_id(struct union_ctx *c, int32_t *id) {
  if (*c->last_id >= IB_MAX_FIELD_ID)
    ICE_FAIL(c->err, ICE_ELIMIT, "no field ids left above %d", (int)*c->last_id);
  *id = ++*c->last_id;
  return ICE_OK;
}

static int fresh_type_ids(struct union_ctx *c, struct ib_type *t, int depth) {
  if (depth > ICE_LIMIT_NESTING) ICE_FAIL(c->err, ICE_ELIMIT, "schema nests too deep");
  for (size_t i = 0; i < t->n_fields; i++) ICE_TRY(next_id(c, &t->fields[i].id));
  for (size_t i = 0; i < t->n_fields; i++)
    ICE_TRY(fresh_type_ids(c, &t->fields[i].type, depth + 1));
  return ICE_OK;
}

/* Ids kept from the input must not collide with ids the table already has. */
static int check_kept_ids(struct union_ctx *c, const struct ib_field *f, const char *path,
                          int depth) {
  if (depth > ICE_LIMIT_NESTING) ICE_FAIL(c->err, ICE_ELIMIT, "schema nests too deep");
  if (f->id <= *c->last_id)
    ICE_FAIL(c->err, ICE_ECONFLICT,
             "column '%s' was written with field id %d, which the table has given to "
             "another column since",
             path, (int)f->id);
  for (size_t i = 0; i < f->type.n_fields; i++)
    ICE_TRY(check_kept_ids(c, &f->type.fields[i], path, depth + 1));
  return ICE_OK;
}

static int32_t highest_in(const struct ib_field *f) {
  int32_t m = f->id;
  for (size_t i = 0; i < f->type.n_fields; i++) {
    int32_t k = highest_in(&f->type.fields[i]);
    if (k > m) m = k;
  }
  return m;
}

/* Appends input field g (a column the table lacks) to struct t. */
static int add_field(struct union_ctx *c, struct ib_type *t, const struct ib_field *g,
                     const char *path) {
  if (c->o->mode == IB_EVOLVE_STRICT)
    ICE_FAIL(c->err, ICE_ESCHEMA,
             "%s: column '%s' is not in the table (--schema-evolution strict adds no "
             "columns)",
             prefix(c), path);
  if (g->required && c->o->mode == IB_EVOLVE_ADD)
    ICE_FAIL(c->err, ICE_ESCHEMA,
             "%s: column '%s' is new and declared required; a new column must be "
             "optional (the table's rows have no value for it): make it nullable, or "
             "use --schema-evolution relax to add it as optional",
             prefix(c), path);
  if (t->n_fields >= ICE_LIMIT_COLUMNS)
    ICE_FAIL(c->err, ICE_ELIMIT, "too many fields in struct at '%s'", path);
  struct ib_field *grown = ice_realloc(t->fields, (t->n_fields + 1) * sizeof *grown);
  if (grown == NULL) ICE_FAIL(c->err, ICE_ENOMEM, "out of memory");
  t->fields = grown;
  struct ib_field *f = &t->fields[t->n_fields];
  memset(f, 0, sizeof *f);
  ICE_TRY(ib_field_init(f, g->id, g->name, false, g->doc, c->err));
  t->n_fields++;
  ICE_TRY(ib_type_copy(&f->type, &g->type, c->err));
  if (c->o->keep_input_ids) {
    ICE_TRY(check_kept_ids(c, f, path, 0));
  } else {
    ICE_TRY(next_id(c, &f->id));
    ICE_TRY(fresh_type_ids(c, &f->type, 0));
  }
  c->changed = true;
  return ICE_OK;
}

static int union_field(struct union_ctx *c, struct ib_field *f, const struct ib_field *g,
                       const char *path, bool in_key, int depth);

/* The input lacks required field f, or declares it optional. */
static int required_not_given(struct union_ctx *c, struct ib_field *f, const char *path,
                              const char *how) {
  if (is_identifier(c, f->id)) return ICE_OK;
  if (c->o->mode != IB_EVOLVE_RELAX)
    ICE_FAIL(c->err, ICE_ESCHEMA,
             "%s: column '%s' is required by the table but the input %s "
             "(--schema-evolution relax makes it optional)",
             prefix(c), path, how);
  f->required = false;
  c->changed = true;
  return ICE_OK;
}

static const struct ib_field *match(const struct ib_type *in, const char *name) {
  for (size_t k = 0; k < in->n_fields; k++)
    if (strcmp(in->fields[k].name, name) == 0) return &in->fields[k];
  char alt[1024];
  if (ib_compatible_name(name, alt, sizeof alt) && strcmp(alt, name) != 0)
    for (size_t k = 0; k < in->n_fields; k++)
      if (strcmp(in->fields[k].name, alt) == 0) return &in->fields[k];
  return NULL;
}

static int union_struct(struct union_ctx *c, struct ib_type *t, const struct ib_type *in,
                        const char *path, bool in_key, int depth) {
  if (depth > ICE_LIMIT_NESTING) ICE_FAIL(c->err, ICE_ELIMIT, "schema nests too deep");
  size_t n_table = t->n_fields;
  bool *used = ice_calloc(in->n_fields ? in->n_fields : 1, sizeof *used);
  if (used == NULL) ICE_FAIL(c->err, ICE_ENOMEM, "out of memory");
  int rc = ICE_OK;
  char sub[2048];
  for (size_t i = 0; rc == ICE_OK && i < n_table; i++) {
    struct ib_field *f = &t->fields[i];
    join(sub, sizeof sub, path, f->name);
    const struct ib_field *g = match(in, f->name);
    if (g == NULL) {
      rc = f->required ? required_not_given(c, f, sub, "lacks it") : ICE_OK;
      continue;
    }
    used[g - in->fields] = true;
    rc = union_field(c, &t->fields[i], g, sub, in_key, depth);
  }
  for (size_t k = 0; rc == ICE_OK && k < in->n_fields; k++) {
    if (used[k]) continue;
    join(sub, sizeof sub, path, in->fields[k].name);
    if (in_key)
      rc = ice_error_set(c->err, ICE_ESCHEMA,
                         "%s: column '%s': a map key cannot change (the input adds a "
                         "field to it)",
                         prefix(c), sub);
    else
      rc = add_field(c, t, &in->fields[k], sub);
  }
  ice_free(used);
  return rc;
}

static int type_error(struct union_ctx *c, const char *path, const struct ib_type *tt,
                      const struct ib_type *it, const char *why) {
  char a[64], b[64];
  ICE_FAIL(c->err, ICE_ESCHEMA, "%s: column '%s': table type %s, input type %s: %s",
           prefix(c), path, ib_type_name(tt, a, sizeof a), ib_type_name(it, b, sizeof b),
           why);
}

static int union_field(struct union_ctx *c, struct ib_field *f, const struct ib_field *g,
                       const char *path, bool in_key, int depth) {
  if (c->o->keep_input_ids && f->id != g->id)
    ICE_FAIL(c->err, ICE_ECONFLICT,
             "column '%s' has field id %d in the table but was written as id %d (it was "
             "added concurrently with other columns)",
             path, (int)f->id, (int)g->id);
  if (f->required && !g->required)
    ICE_TRY(required_not_given(c, f, path, "declares it optional"));
  struct ib_type *tt = &f->type;
  const struct ib_type *it = &g->type;
  bool tp = ib_type_is_primitive(tt), ip = ib_type_is_primitive(it);
  if (tp && ip) {
    if (ib_type_promotes_to(it, tt)) return ICE_OK; /* same, or written widened */
    if (!ib_type_promotes_to(tt, it))
      return type_error(c, path, tt, it,
                        "not a widening Iceberg allows (int -> long, float -> double, "
                        "decimal precision up at the same scale)");
    if (in_key) return type_error(c, path, tt, it, "a map key cannot change");
    if (c->o->mode == IB_EVOLVE_STRICT)
      return type_error(c, path, tt, it,
                        "the table column would be widened (--schema-evolution strict)");
    *tt = *it; /* primitives own no children */
    tt->fields = NULL;
    tt->n_fields = 0;
    c->changed = true;
    return ICE_OK;
  }
  if (tt->id != it->id)
    return type_error(c, path, tt, it, "a column cannot change its kind");
  char sub[2048];
  switch (tt->id) {
    case IB_TYPE_STRUCT:
      return union_struct(c, tt, it, path, in_key, depth + 1);
    case IB_TYPE_LIST:
      join(sub, sizeof sub, path, "element");
      return union_field(c, &tt->fields[0], &it->fields[0], sub, in_key, depth + 1);
    default: /* map */
      join(sub, sizeof sub, path, "key");
      ICE_TRY(union_field(c, &tt->fields[0], &it->fields[0], sub, true, depth + 1));
      join(sub, sizeof sub, path, "value");
      return union_field(c, &tt->fields[1], &it->fields[1], sub, in_key, depth + 1);
  }
}

int ib_schema_union(const struct ib_schema *table, const struct ib_schema *input,
                    const struct ib_schema_union_options *o, int32_t *last_column_id,
                    struct ib_schema *out, bool *changed, struct ice_error *err) {
  ib_schema_init(out, table->schema_id);
  *changed = false;
  int32_t last = *last_column_id;
  int32_t highest = ib_schema_highest_field_id(table);
  if (highest > last) last = highest;
  struct union_ctx c = {o, table, &last, false, err};
  int rc = ib_schema_copy(out, table, err);
  if (rc == ICE_OK) rc = union_struct(&c, &out->root, &input->root, "", false, 0);
  if (rc == ICE_OK && o->keep_input_ids)
    for (size_t i = 0; i < out->root.n_fields; i++) {
      int32_t h = highest_in(&out->root.fields[i]);
      if (h > last) last = h;
    }
  if (rc == ICE_OK) rc = ib_schema_validate(out, err);
  if (rc != ICE_OK) {
    ib_schema_reset(out);
    return rc;
  }
  *last_column_id = last;
  *changed = c.changed;
  return ICE_OK;
}
