/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Explicit schema edits (ib_schema_edit.h). Paths are resolved segment by segment
 * against the schema being edited, trying each struct field whose name is a prefix of
 * what is left, so names that themselves contain dots resolve too.
 */
#include "iceberg/ib_schema_edit.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/limits.h"

/* Where a path leads: the field and the struct that holds it (NULL for a list
 * element or map key/value, which belong to their list or map). */
struct place {
  struct ib_field *field;
  struct ib_type *parent_struct;
  bool is_key;
};

static bool resolve_in(struct ib_type *t, const char *path, struct place *out, int depth);

/* path continues inside field f (rest after "f."), or is f itself (rest NULL). */
static bool resolve_below(struct ib_field *f, const char *rest, struct place *out,
                          int depth) {
  struct ib_type *t = &f->type;
  if (t->id == IB_TYPE_STRUCT) return resolve_in(t, rest, out, depth + 1);
  const char *names[2] = {"element", NULL};
  if (t->id == IB_TYPE_MAP) {
    names[0] = "key";
    names[1] = "value";
  }
  if (t->id != IB_TYPE_LIST && t->id != IB_TYPE_MAP) return false;
  for (size_t i = 0; i < 2 && names[i] != NULL && i < t->n_fields; i++) {
    size_t n = strlen(names[i]);
    if (strncmp(rest, names[i], n) != 0) continue;
    struct ib_field *c = &t->fields[i];
    if (rest[n] == '\0') {
      *out = (struct place){c, NULL, t->id == IB_TYPE_MAP && i == 0};
      return true;
    }
    if (rest[n] == '.' && resolve_below(c, rest + n + 1, out, depth + 1)) return true;
  }
  return false;
}

static bool resolve_in(struct ib_type *t, const char *path, struct place *out,
                       int depth) {
  if (depth > ICE_LIMIT_NESTING) return false;
  for (size_t i = 0; i < t->n_fields; i++) {
    struct ib_field *f = &t->fields[i];
    size_t n = strlen(f->name);
    if (strncmp(path, f->name, n) != 0) continue;
    if (path[n] == '\0') {
      *out = (struct place){f, t, false};
      return true;
    }
    if (path[n] == '.' && resolve_below(f, path + n + 1, out, depth)) return true;
  }
  return false;
}

static int resolve(struct ib_schema *s, const char *path, struct place *out,
                   struct ice_error *err) {
  if (path == NULL || path[0] == '\0') ICE_FAIL(err, ICE_EINVAL, "empty column name");
  if (!resolve_in(&s->root, path, out, 0))
    ICE_FAIL(err, ICE_EINVAL, "column '%s' is not in the table", path);
  return ICE_OK;
}

static bool has_name(const struct ib_type *st, const char *name) {
  for (size_t i = 0; i < st->n_fields; i++)
    if (strcmp(st->fields[i].name, name) == 0) return true;
  return false;
}

static int add_column(struct ib_schema *s, const char *path, const char *type_text,
                      int32_t *last, struct ice_error *err) {
  struct ib_type type;
  if (type_text == NULL || ib_type_parse_primitive(type_text, &type, NULL) != ICE_OK)
    ICE_FAIL(err, ICE_EINVAL,
             "add column '%s': '%s' is not an Iceberg primitive type (boolean, int, "
             "long, float, double, decimal(P,S), date, time, timestamp, timestamptz, "
             "string, uuid, fixed[L], binary)",
             path, type_text ? type_text : "");
  /* The parent is everything before the last dot that names a column. */
  struct ib_type *parent = &s->root;
  const char *name = path;
  const char *dot = strrchr(path, '.');
  if (dot != NULL) {
    char buf[2048];
    size_t n = (size_t)(dot - path);
    if (n >= sizeof buf) ICE_FAIL(err, ICE_ELIMIT, "column name too long");
    memcpy(buf, path, n);
    buf[n] = '\0';
    struct place p;
    ICE_TRY(resolve(s, buf, &p, err));
    parent = &p.field->type;
    if (parent->id == IB_TYPE_LIST) parent = &parent->fields[0].type;
    if (parent->id == IB_TYPE_MAP) parent = &parent->fields[1].type;
    if (parent->id != IB_TYPE_STRUCT)
      ICE_FAIL(err, ICE_EINVAL, "add column '%s': '%s' is not a struct", path, buf);
    name = dot + 1;
  }
  if (name[0] == '\0') ICE_FAIL(err, ICE_EINVAL, "add column '%s': empty name", path);
  if (has_name(parent, name))
    ICE_FAIL(err, ICE_EINVAL, "add column '%s': the table already has it", path);
  if (parent->n_fields >= ICE_LIMIT_COLUMNS)
    ICE_FAIL(err, ICE_ELIMIT, "add column '%s': too many fields", path);
  if (*last >= IB_MAX_FIELD_ID) ICE_FAIL(err, ICE_ELIMIT, "no field ids left");
  struct ib_field *grown =
      ice_realloc(parent->fields, (parent->n_fields + 1) * sizeof *grown);
  if (grown == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  parent->fields = grown;
  struct ib_field *f = &parent->fields[parent->n_fields];
  memset(f, 0, sizeof *f);
  ICE_TRY(ib_field_init(f, *last + 1, name, false, NULL, err));
  f->type = type;
  parent->n_fields++;
  (*last)++;
  return ICE_OK;
}

static int rename_column(struct ib_schema *s, const char *path, const char *name,
                         struct ice_error *err) {
  struct place p;
  ICE_TRY(resolve(s, path, &p, err));
  if (p.parent_struct == NULL)
    ICE_FAIL(err, ICE_EINVAL, "rename column '%s': a list element or map key/value has "
             "no name of its own", path);
  if (name == NULL || name[0] == '\0')
    ICE_FAIL(err, ICE_EINVAL, "rename column '%s': empty new name", path);
  if (strcmp(p.field->name, name) == 0) return ICE_OK;
  if (has_name(p.parent_struct, name))
    ICE_FAIL(err, ICE_EINVAL, "rename column '%s' to '%s': the struct already has '%s'",
             path, name, name);
  char *copy = ice_strdup(name);
  if (copy == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  ice_free(p.field->name);
  p.field->name = copy;
  return ICE_OK;
}

/* Why field id `id` must stay: a reason into buf, or false when it may go. */
static bool pinned(const struct ib_table_metadata *md, const struct ib_schema *s,
                   int32_t id, char *buf, size_t cap) {
  for (size_t i = 0; i < s->n_identifier_field_ids; i++)
    if (s->identifier_field_ids[i] == id) {
      snprintf(buf, cap, "it is an identifier field (a merge key)");
      return true;
    }
  for (size_t i = 0; i < md->n_specs; i++)
    for (size_t j = 0; j < md->specs[i].n_fields; j++)
      if (md->specs[i].fields[j].source_id == id) {
        snprintf(buf, cap, "it is the source of partition field '%s' (spec %d)",
                 md->specs[i].fields[j].name, (int)md->specs[i].spec_id);
        return true;
      }
  for (size_t i = 0; i < md->n_sort_orders; i++) {
    if (md->sort_orders[i].order_id != md->default_sort_order_id) continue;
    for (size_t j = 0; j < md->sort_orders[i].n_fields; j++)
      if (md->sort_orders[i].fields[j].source_id == id) {
        snprintf(buf, cap, "the table's sort order uses it");
        return true;
      }
  }
  return false;
}

static bool pinned_below(const struct ib_table_metadata *md, const struct ib_schema *s,
                         const struct ib_field *f, char *buf, size_t cap, int depth) {
  if (depth > ICE_LIMIT_NESTING) return false;
  if (pinned(md, s, f->id, buf, cap)) return true;
  for (size_t i = 0; i < f->type.n_fields; i++)
    if (pinned_below(md, s, &f->type.fields[i], buf, cap, depth + 1)) return true;
  return false;
}

static int drop_column(const struct ib_table_metadata *md, struct ib_schema *s,
                       const char *path, struct ice_error *err) {
  struct place p;
  ICE_TRY(resolve(s, path, &p, err));
  if (p.parent_struct == NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "drop column '%s': a list element or map key/value cannot be dropped (drop "
             "the list or map)",
             path);
  char why[256];
  if (pinned_below(md, s, p.field, why, sizeof why, 0))
    ICE_FAIL(err, ICE_EINVAL, "cannot drop column '%s': %s", path, why);
  struct ib_type *st = p.parent_struct;
  size_t i = (size_t)(p.field - st->fields);
  ib_field_reset(&st->fields[i]);
  memmove(&st->fields[i], &st->fields[i + 1], (st->n_fields - i - 1) * sizeof *st->fields);
  st->n_fields--;
  return ICE_OK;
}

static int widen_column(struct ib_schema *s, const char *path, const char *type_text,
                        struct ice_error *err) {
  struct place p;
  ICE_TRY(resolve(s, path, &p, err));
  struct ib_type to;
  char a[64], b[64];
  if (!ib_type_is_primitive(&p.field->type))
    ICE_FAIL(err, ICE_EINVAL, "widen column '%s': it is a %s, not a primitive", path,
             ib_type_name(&p.field->type, a, sizeof a));
  if (type_text == NULL || ib_type_parse_primitive(type_text, &to, NULL) != ICE_OK)
    ICE_FAIL(err, ICE_EINVAL, "widen column '%s': '%s' is not an Iceberg primitive type",
             path, type_text ? type_text : "");
  if (p.is_key)
    ICE_FAIL(err, ICE_EINVAL, "widen column '%s': a map key cannot change", path);
  if (ib_type_equal(&p.field->type, &to)) return ICE_OK;
  if (!ib_type_promotes_to(&p.field->type, &to))
    ICE_FAIL(err, ICE_EINVAL,
             "widen column '%s' from %s to %s: not a widening Iceberg allows (int -> "
             "long, float -> double, decimal precision up at the same scale)",
             path, ib_type_name(&p.field->type, a, sizeof a), ib_type_name(&to, b, sizeof b));
  p.field->type = to;
  return ICE_OK;
}

int ib_schema_apply_edits(const struct ib_table_metadata *md,
                          const struct ib_schema_edit *edits, size_t n,
                          int32_t *last_column_id, struct ib_schema *out,
                          struct ice_error *err) {
  const struct ib_schema *cur = ib_table_metadata_current_schema(md);
  ib_schema_init(out, 0);
  if (cur == NULL) ICE_FAIL(err, ICE_ECORRUPT, "table has no current schema");
  int32_t last = *last_column_id;
  int32_t highest = ib_schema_highest_field_id(cur);
  if (highest > last) last = highest;
  int rc = ib_schema_copy(out, cur, err);
  for (size_t i = 0; rc == ICE_OK && i < n; i++) {
    const struct ib_schema_edit *e = &edits[i];
    switch (e->kind) {
      case IB_EDIT_ADD_COLUMN:
        rc = add_column(out, e->path, e->arg, &last, err);
        break;
      case IB_EDIT_RENAME_COLUMN:
        rc = rename_column(out, e->path, e->arg, err);
        break;
      case IB_EDIT_DROP_COLUMN:
        rc = drop_column(md, out, e->path, err);
        break;
      case IB_EDIT_WIDEN_COLUMN:
        rc = widen_column(out, e->path, e->arg, err);
        break;
      default:
        rc = ice_error_set(err, ICE_EINVAL, "unknown schema change %d", (int)e->kind);
    }
  }
  if (rc == ICE_OK) rc = ib_schema_validate(out, err);
  if (rc != ICE_OK) {
    ib_schema_reset(out);
    return rc;
  }
  *last_column_id = last;
  return ICE_OK;
}
