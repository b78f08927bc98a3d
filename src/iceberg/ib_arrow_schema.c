/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Iceberg schema <-> Arrow C Data schema (docs/internals/ARROW.md; reference/iceberg.md
 * §1.3 for fresh ids, §6.1 for the type mapping).
 *
 * Mapping decisions for Arrow types Iceberg lacks (documented in ib_arrow_schema.h):
 *   - uint8/uint16 -> int and uint32 -> long (every value fits);
 *   - uint64 -> decimal(20,0): long would overflow above 2^63-1 and an error would make
 *     common files unloadable; decimal(20,0) holds every uint64 exactly;
 *   - INT96 (w:12 + icestream.int96) -> timestamptz, as Java's Parquet import does
 *     (Spark writes INT96 as UTC instants);
 *   - nanosecond timestamps need format v3 (timestamp_ns); for v2 the error says how
 *     to proceed instead of silently dropping precision.
 */
#include "iceberg/ib_arrow_schema.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_schema.h"
#include "arrow/arrow_type.h"
#include "util/alloc.h"
#include "util/limits.h"

/* ---------------------------------------------------------------- Iceberg -> Arrow */

static int field_to_arrow(const struct ib_field *f, struct ArrowSchema *out, int depth,
                          struct ice_error *err);

static int fill_children(const struct ib_type *t, struct ArrowSchema *out, int depth,
                         struct ice_error *err) {
  for (size_t i = 0; i < t->n_fields; i++)
    ICE_TRY(field_to_arrow(&t->fields[i], out->children[i], depth + 1, err));
  return ICE_OK;
}

static int field_to_arrow(const struct ib_field *f, struct ArrowSchema *out, int depth,
                          struct ice_error *err) {
  if (depth > ICE_LIMIT_NESTING) ICE_FAIL(err, ICE_ELIMIT, "schema nested too deeply");
  char fmt[48];
  const char *ext = NULL;
  const struct ib_type *t = &f->type;
  int64_t n_children = 0;
  switch (t->id) {
    case IB_TYPE_BOOLEAN:
      snprintf(fmt, sizeof(fmt), "b");
      break;
    case IB_TYPE_INT:
      snprintf(fmt, sizeof(fmt), "i");
      break;
    case IB_TYPE_LONG:
      snprintf(fmt, sizeof(fmt), "l");
      break;
    case IB_TYPE_FLOAT:
      snprintf(fmt, sizeof(fmt), "f");
      break;
    case IB_TYPE_DOUBLE:
      snprintf(fmt, sizeof(fmt), "g");
      break;
    case IB_TYPE_DECIMAL:
      snprintf(fmt, sizeof(fmt), "d:%d,%d", (int)t->precision, (int)t->scale);
      break;
    case IB_TYPE_DATE:
      snprintf(fmt, sizeof(fmt), "tdD");
      break;
    case IB_TYPE_TIME:
      snprintf(fmt, sizeof(fmt), "ttu");
      break;
    case IB_TYPE_TIMESTAMP:
      snprintf(fmt, sizeof(fmt), "tsu:");
      break;
    case IB_TYPE_TIMESTAMPTZ:
      snprintf(fmt, sizeof(fmt), "tsu:UTC");
      break;
    case IB_TYPE_TIMESTAMP_NS:
      snprintf(fmt, sizeof(fmt), "tsn:");
      break;
    case IB_TYPE_TIMESTAMPTZ_NS:
      snprintf(fmt, sizeof(fmt), "tsn:UTC");
      break;
    case IB_TYPE_STRING:
      snprintf(fmt, sizeof(fmt), "u");
      break;
    case IB_TYPE_UUID:
      snprintf(fmt, sizeof(fmt), "w:16");
      ext = "arrow.uuid";
      break;
    case IB_TYPE_FIXED:
      snprintf(fmt, sizeof(fmt), "w:%d", (int)t->length);
      break;
    case IB_TYPE_BINARY:
      snprintf(fmt, sizeof(fmt), "z");
      break;
    case IB_TYPE_STRUCT:
      snprintf(fmt, sizeof(fmt), "+s");
      n_children = (int64_t)t->n_fields;
      break;
    case IB_TYPE_LIST:
      snprintf(fmt, sizeof(fmt), "+l");
      n_children = 1;
      break;
    case IB_TYPE_MAP:
      snprintf(fmt, sizeof(fmt), "+m");
      n_children = 1;
      break;
  }
  ICE_TRY(arrow_schema_init(out, fmt, f->name, f->required ? 0 : ARROW_FLAG_NULLABLE,
                            n_children, err));
  char id[16];
  snprintf(id, sizeof(id), "%" PRId32, f->id);
  struct arrow_kv kv[2] = {{"PARQUET:field_id", id}, {"ARROW:extension:name", ext}};
  ICE_TRY(arrow_schema_set_metadata(out, kv, ext ? 2 : 1, err));
  if (t->id == IB_TYPE_MAP) {
    /* Arrow's map child is a non-null "entries" struct of key and value (no field id). */
    struct ArrowSchema *entries = out->children[0];
    ICE_TRY(arrow_schema_init(entries, "+s", "entries", 0, 2, err));
    return fill_children(t, entries, depth, err);
  }
  return fill_children(t, out, depth, err);
}

int ib_schema_to_arrow(const struct ib_schema *s, struct ArrowSchema *out,
                       struct ice_error *err) {
  struct ArrowSchema tmp;
  ICE_TRY(arrow_schema_init(&tmp, "+s", "", 0, (int64_t)s->root.n_fields, err));
  int rc = fill_children(&s->root, &tmp, 0, err);
  if (rc != ICE_OK) {
    arrow_schema_release(&tmp);
    return rc;
  }
  *out = tmp;
  return ICE_OK;
}

/* ---------------------------------------------------------------- Arrow -> Iceberg */

static bool has_extension(const struct ArrowSchema *a, const char *name) {
  const char *v;
  int32_t n;
  if (!arrow_metadata_find(a->metadata, "ARROW:extension:name", &v, &n)) return false;
  return (size_t)n == strlen(name) && memcmp(v, name, (size_t)n) == 0;
}

/* Maps one primitive Arrow field to an Iceberg type, or fails with ICE_ESCHEMA naming
 * the column (path). Nested formats return the container kind with no children. */
static int arrow_node_type(const struct ArrowSchema *a, const char *path,
                           int format_version, struct ib_type *out,
                           struct ice_error *err) {
  memset(out, 0, sizeof(*out));
  if (a->dictionary != NULL)
    ICE_FAIL(err, ICE_ESCHEMA,
             "column '%s': dictionary-encoded input is not supported; decode it first",
             path);
  struct arrow_type t;
  if (arrow_type_parse(a->format, &t, err) != ICE_OK)
    ICE_FAIL(err, ICE_ESCHEMA, "column '%s': unsupported Arrow format '%.32s'", path,
             a->format);
  switch (t.id) {
    case ARROW_TYPE_BOOL:
      out->id = IB_TYPE_BOOLEAN;
      return ICE_OK;
    case ARROW_TYPE_INT8:
    case ARROW_TYPE_INT16:
    case ARROW_TYPE_INT32:
    case ARROW_TYPE_UINT8:
    case ARROW_TYPE_UINT16:
      out->id = IB_TYPE_INT;
      return ICE_OK;
    case ARROW_TYPE_UINT32:
    case ARROW_TYPE_INT64:
      out->id = IB_TYPE_LONG;
      return ICE_OK;
    case ARROW_TYPE_UINT64:
      out->id = IB_TYPE_DECIMAL;
      out->precision = 20;
      out->scale = 0;
      return ICE_OK;
    case ARROW_TYPE_HALF_FLOAT:
    case ARROW_TYPE_FLOAT:
      out->id = IB_TYPE_FLOAT;
      return ICE_OK;
    case ARROW_TYPE_DOUBLE:
      out->id = IB_TYPE_DOUBLE;
      return ICE_OK;
    case ARROW_TYPE_STRING:
    case ARROW_TYPE_LARGE_STRING:
      out->id = IB_TYPE_STRING;
      return ICE_OK;
    case ARROW_TYPE_BINARY:
    case ARROW_TYPE_LARGE_BINARY:
      out->id = IB_TYPE_BINARY;
      return ICE_OK;
    case ARROW_TYPE_FIXED_BINARY:
      if (t.fixed_size == 16 && has_extension(a, "arrow.uuid")) {
        out->id = IB_TYPE_UUID;
      } else if (t.fixed_size == 12 && has_extension(a, "icestream.int96")) {
        out->id = IB_TYPE_TIMESTAMPTZ;
      } else {
        if (t.fixed_size < 1)
          ICE_FAIL(err, ICE_ESCHEMA, "column '%s': fixed size 0", path);
        out->id = IB_TYPE_FIXED;
        out->length = t.fixed_size;
      }
      return ICE_OK;
    case ARROW_TYPE_DECIMAL128:
    case ARROW_TYPE_DECIMAL256:
      if (t.precision < 1 || t.precision > 38 || t.scale < 0 || t.scale > t.precision)
        ICE_FAIL(err, ICE_ESCHEMA,
                 "column '%s': decimal(%d,%d) does not fit Iceberg's decimal (precision "
                 "1..38, "
                 "0 <= scale <= precision)",
                 path, (int)t.precision, (int)t.scale);
      out->id = IB_TYPE_DECIMAL;
      out->precision = t.precision;
      out->scale = t.scale;
      return ICE_OK;
    case ARROW_TYPE_DATE32:
    case ARROW_TYPE_DATE64:
      out->id = IB_TYPE_DATE;
      return ICE_OK;
    case ARROW_TYPE_TIME32:
      out->id = IB_TYPE_TIME;
      return ICE_OK;
    case ARROW_TYPE_TIME64:
      if (t.unit == ARROW_UNIT_NANO)
        ICE_FAIL(err, ICE_ESCHEMA,
                 "column '%s': time with nanoseconds cannot be stored exactly (Iceberg "
                 "time is "
                 "microseconds); cast it to time(us) first",
                 path);
      out->id = IB_TYPE_TIME;
      return ICE_OK;
    case ARROW_TYPE_TIMESTAMP: {
      bool tz = t.timezone != NULL && t.timezone[0] != '\0';
      if (t.unit == ARROW_UNIT_NANO) {
        if (format_version < 3)
          ICE_FAIL(
              err, ICE_ESCHEMA,
              "column '%s': nanosecond timestamps need Iceberg format-version 3 "
              "(timestamp_ns), which icestream does not write yet; cast the column to "
              "microseconds (e.g. DuckDB: CAST(col AS TIMESTAMP)) before loading",
              path);
        out->id = tz ? IB_TYPE_TIMESTAMPTZ_NS : IB_TYPE_TIMESTAMP_NS;
        return ICE_OK;
      }
      out->id = tz ? IB_TYPE_TIMESTAMPTZ : IB_TYPE_TIMESTAMP;
      return ICE_OK;
    }
    case ARROW_TYPE_STRUCT:
      out->id = IB_TYPE_STRUCT;
      return ICE_OK;
    case ARROW_TYPE_LIST:
    case ARROW_TYPE_LARGE_LIST:
      out->id = IB_TYPE_LIST;
      return ICE_OK;
    case ARROW_TYPE_MAP:
      out->id = IB_TYPE_MAP;
      return ICE_OK;
    case ARROW_TYPE_NA:
      ICE_FAIL(err, ICE_ESCHEMA,
               "column '%s' has the Arrow null type (every value null, no type); Iceberg "
               "v2 has "
               "no such column type: cast it to a concrete type first",
               path);
    default:
      ICE_FAIL(err, ICE_ESCHEMA, "column '%s': Arrow type %s has no Iceberg equivalent",
               path, arrow_type_name(t.id));
  }
}

static int child_path(char *buf, size_t cap, const char *parent, const char *name,
                      struct ice_error *err) {
  int n = parent[0] ? snprintf(buf, cap, "%s.%s", parent, name)
                    : snprintf(buf, cap, "%s", name);
  if (n < 0 || (size_t)n >= cap) ICE_FAIL(err, ICE_ELIMIT, "column path too long");
  return ICE_OK;
}

static int import_field(const struct ArrowSchema *a, const char *name,
                        bool force_required, const char *parent, int format_version,
                        int depth, struct ib_field *f, struct ice_error *err);

/* Every child of a struct has a non-empty name, and no name repeats (sorted check, so
 * very wide inputs stay O(n log n)). */
static int check_child_names(const struct ArrowSchema *a, const char *path,
                             struct ice_error *err) {
  if (a->n_children > ICE_LIMIT_COLUMNS) ICE_FAIL(err, ICE_ELIMIT, "too many columns");
  for (int64_t i = 0; i < a->n_children; i++) {
    const struct ArrowSchema *c = a->children[i];
    if (c == NULL || c->name == NULL || c->name[0] == '\0')
      ICE_FAIL(err, ICE_ESCHEMA, "column '%s': child %" PRId64 " has no name", path, i);
  }
  if (a->n_children < 2) return ICE_OK;
  const char **names = ice_calloc((size_t)a->n_children, sizeof(char *));
  if (names == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  for (int64_t i = 0; i < a->n_children; i++) names[i] = a->children[i]->name;
  const char *dup = ib_find_duplicate_name(names, (size_t)a->n_children);
  int rc =
      dup ? ice_error_set(err, ICE_ESCHEMA, "column '%s': duplicate field name '%.100s'",
                          path[0] ? path : "(top level)", dup)
          : ICE_OK;
  ice_free(names);
  return rc;
}

static int import_children(const struct ArrowSchema *a, const char *path,
                           int format_version, int depth, struct ib_type *t,
                           struct ice_error *err) {
  if (a->n_children < 0 || (a->n_children > 0 && a->children == NULL))
    ICE_FAIL(err, ICE_EINVAL, "column '%s': malformed Arrow schema", path);
  if (t->id == IB_TYPE_STRUCT) {
    if (a->n_children == 0)
      ICE_FAIL(err, ICE_ESCHEMA, "column '%s': empty struct cannot be stored in Parquet",
               path);
    if (a->n_children > ICE_LIMIT_COLUMNS) ICE_FAIL(err, ICE_ELIMIT, "too many columns");
    ICE_TRY(check_child_names(a, path, err));
    ICE_TRY(ib_type_alloc_fields(t, (size_t)a->n_children, err));
    for (int64_t i = 0; i < a->n_children; i++) {
      const struct ArrowSchema *c = a->children[i];
      ICE_TRY(import_field(c, c->name, false, path, format_version, depth, &t->fields[i],
                           err));
    }
    return ICE_OK;
  }
  if (t->id == IB_TYPE_LIST) {
    if (a->n_children != 1 || a->children[0] == NULL)
      ICE_FAIL(err, ICE_EINVAL, "column '%s': list without a child", path);
    ICE_TRY(ib_type_alloc_fields(t, 1, err));
    return import_field(a->children[0], "element", false, path, format_version, depth,
                        &t->fields[0], err);
  }
  /* map: one non-null entries struct with key and value */
  const struct ArrowSchema *e = a->n_children == 1 ? a->children[0] : NULL;
  if (e == NULL || e->n_children != 2 || e->children == NULL || e->children[0] == NULL ||
      e->children[1] == NULL)
    ICE_FAIL(err, ICE_EINVAL, "column '%s': map without key and value", path);
  ICE_TRY(ib_type_alloc_fields(t, 2, err));
  ICE_TRY(import_field(e->children[0], "key", true, path, format_version, depth,
                       &t->fields[0], err));
  return import_field(e->children[1], "value", false, path, format_version, depth,
                      &t->fields[1], err);
}

static int import_field(const struct ArrowSchema *a, const char *name,
                        bool force_required, const char *parent, int format_version,
                        int depth, struct ib_field *f, struct ice_error *err) {
  char path[512];
  ICE_TRY(child_path(path, sizeof(path), parent, name, err));
  if (depth > ICE_LIMIT_NESTING)
    ICE_FAIL(err, ICE_ELIMIT, "column '%s': nested too deeply", path);
  bool required = force_required || (a->flags & ARROW_FLAG_NULLABLE) == 0;
  ICE_TRY(ib_field_init(f, 0, name, required, NULL, err));
  ICE_TRY(arrow_node_type(a, path, format_version, &f->type, err));
  if (ib_type_is_primitive(&f->type)) return ICE_OK;
  return import_children(a, path, format_version, depth + 1, &f->type, err);
}

/* Java's AssignFreshIds: a struct's direct fields first, then each field's subtree. */
static void assign_type(struct ib_type *t, int32_t *next);

static void assign_struct(struct ib_type *t, int32_t *next) {
  for (size_t i = 0; i < t->n_fields; i++) t->fields[i].id = (*next)++;
  for (size_t i = 0; i < t->n_fields; i++) assign_type(&t->fields[i].type, next);
}

static void assign_type(struct ib_type *t, int32_t *next) {
  if (t->id == IB_TYPE_STRUCT) {
    assign_struct(t, next);
  } else if (t->id == IB_TYPE_LIST || t->id == IB_TYPE_MAP) {
    for (size_t i = 0; i < t->n_fields; i++) t->fields[i].id = (*next)++;
    for (size_t i = 0; i < t->n_fields; i++) assign_type(&t->fields[i].type, next);
  }
}

static int format_version_of(const struct ib_arrow_import_options *opts) {
  return opts && opts->format_version ? opts->format_version : 2;
}

int ib_schema_from_arrow(const struct ArrowSchema *arrow,
                         const struct ib_arrow_import_options *opts,
                         struct ib_schema *out, struct ice_error *err) {
  if (arrow == NULL || arrow->release == NULL || arrow->format == NULL)
    ICE_FAIL(err, ICE_EINVAL, "released or empty Arrow schema");
  if (strcmp(arrow->format, "+s") != 0)
    ICE_FAIL(err, ICE_ESCHEMA,
             "input schema must be a struct of columns (format +s), got '%.16s'",
             arrow->format);
  struct ib_schema s;
  ib_schema_init(&s, 0);
  int rc = import_children(arrow, "", format_version_of(opts), 0, &s.root, err);
  if (rc == ICE_OK) {
    int32_t next = 1;
    assign_struct(&s.root, &next);
    rc = ib_schema_validate(&s, err);
  }
  if (rc != ICE_OK) {
    ib_schema_reset(&s);
    return rc;
  }
  *out = s;
  return ICE_OK;
}

/* ---------------------------------------------------------------- compatibility */

static int check_field(const struct ib_field *tf, const struct ArrowSchema *a,
                       const char *path, int fv, int depth, bool map_key,
                       struct ice_error *err);

/* Name -> position index, sorted by name, for O(log n) matching of wide schemas. */
struct name_ix {
  const char *name;
  size_t pos;
};

static int cmp_name_ix(const void *a, const void *b) {
  return strcmp(((const struct name_ix *)a)->name, ((const struct name_ix *)b)->name);
}

static const struct name_ix *ix_find(const struct name_ix *ix, size_t n,
                                     const char *name) {
  struct name_ix key = {name, 0};
  return n ? bsearch(&key, ix, n, sizeof(*ix), cmp_name_ix) : NULL;
}

static int check_struct_indexed(const struct ib_type *table, const struct ArrowSchema *a,
                                const char *path, int fv, int depth,
                                const struct name_ix *tix, const struct name_ix *aix,
                                struct ice_error *err) {
  char cp[512];
  size_t na = (size_t)a->n_children;
  for (size_t i = 0; i < na; i++) {
    if (ix_find(tix, table->n_fields, a->children[i]->name) == NULL) {
      ICE_TRY(child_path(cp, sizeof(cp), path, a->children[i]->name, err));
      ICE_FAIL(err, ICE_ESCHEMA, "input column '%s' is not in the table", cp);
    }
  }
  for (size_t j = 0; j < table->n_fields; j++) {
    const struct ib_field *tf = &table->fields[j];
    const struct name_ix *m = ix_find(aix, na, tf->name);
    ICE_TRY(child_path(cp, sizeof(cp), path, tf->name, err));
    if (m == NULL) {
      if (tf->required)
        ICE_FAIL(err, ICE_ESCHEMA,
                 "column '%s' is required by the table but missing from the input", cp);
      continue; /* optional: written as nulls */
    }
    ICE_TRY(check_field(tf, a->children[m->pos], cp, fv, depth + 1, false, err));
  }
  return ICE_OK;
}

static int check_struct(const struct ib_type *table, const struct ArrowSchema *a,
                        const char *path, int fv, int depth, struct ice_error *err) {
  if (a->n_children < 0 || (a->n_children > 0 && a->children == NULL))
    ICE_FAIL(err, ICE_EINVAL, "malformed Arrow schema");
  ICE_TRY(check_child_names(a, path, err));
  size_t na = (size_t)a->n_children, nt = table->n_fields;
  struct name_ix *tix = ice_calloc(nt ? nt : 1, sizeof(*tix));
  struct name_ix *aix = ice_calloc(na ? na : 1, sizeof(*aix));
  int rc = ICE_OK;
  if (tix == NULL || aix == NULL) {
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  } else {
    for (size_t j = 0; j < nt; j++) tix[j] = (struct name_ix){table->fields[j].name, j};
    for (size_t i = 0; i < na; i++) aix[i] = (struct name_ix){a->children[i]->name, i};
    qsort(tix, nt, sizeof(*tix), cmp_name_ix);
    qsort(aix, na, sizeof(*aix), cmp_name_ix);
    rc = check_struct_indexed(table, a, path, fv, depth, tix, aix, err);
  }
  ice_free(tix);
  ice_free(aix);
  return rc;
}

static int check_field(const struct ib_field *tf, const struct ArrowSchema *a,
                       const char *path, int fv, int depth, bool map_key,
                       struct ice_error *err) {
  if (depth > ICE_LIMIT_NESTING)
    ICE_FAIL(err, ICE_ELIMIT, "column '%s': nested too deeply", path);
  /* Arrow map keys are never null whatever their flag says (as on import). */
  if (tf->required && !map_key && (a->flags & ARROW_FLAG_NULLABLE) != 0)
    ICE_FAIL(err, ICE_ESCHEMA,
             "column '%s' is required in the table but nullable in the input", path);
  struct ib_type in;
  ICE_TRY(arrow_node_type(a, path, fv, &in, err));
  char tn[48], inn[48];
  if (ib_type_is_primitive(&in) || ib_type_is_primitive(&tf->type)) {
    if (!ib_type_promotes_to(&in, &tf->type))
      ICE_FAIL(
          err, ICE_ESCHEMA,
          "column '%s': input type %s (Arrow '%.32s') cannot be written to table type %s",
          path, ib_type_name(&in, inn, sizeof(inn)), a->format,
          ib_type_name(&tf->type, tn, sizeof(tn)));
    return ICE_OK;
  }
  if (in.id != tf->type.id)
    ICE_FAIL(err, ICE_ESCHEMA, "column '%s': input is a %s, the table has a %s", path,
             ib_type_name(&in, inn, sizeof(inn)),
             ib_type_name(&tf->type, tn, sizeof(tn)));
  if (in.id == IB_TYPE_STRUCT) return check_struct(&tf->type, a, path, fv, depth, err);
  char cp[512];
  if (in.id == IB_TYPE_LIST) {
    if (a->n_children != 1 || a->children == NULL || a->children[0] == NULL)
      ICE_FAIL(err, ICE_EINVAL, "column '%s': list without a child", path);
    ICE_TRY(child_path(cp, sizeof(cp), path, "element", err));
    return check_field(&tf->type.fields[0], a->children[0], cp, fv, depth + 1, false,
                       err);
  }
  const struct ArrowSchema *e = a->n_children == 1 && a->children ? a->children[0] : NULL;
  if (e == NULL || e->n_children != 2 || e->children == NULL || e->children[0] == NULL ||
      e->children[1] == NULL)
    ICE_FAIL(err, ICE_EINVAL, "column '%s': map without key and value", path);
  ICE_TRY(child_path(cp, sizeof(cp), path, "key", err));
  ICE_TRY(check_field(&tf->type.fields[0], e->children[0], cp, fv, depth + 1, true, err));
  ICE_TRY(child_path(cp, sizeof(cp), path, "value", err));
  return check_field(&tf->type.fields[1], e->children[1], cp, fv, depth + 1, false, err);
}

int ib_schema_check_arrow_compatible(const struct ib_schema *table,
                                     const struct ArrowSchema *arrow,
                                     const struct ib_arrow_import_options *opts,
                                     struct ice_error *err) {
  if (arrow == NULL || arrow->release == NULL || arrow->format == NULL)
    ICE_FAIL(err, ICE_EINVAL, "released or empty Arrow schema");
  if (strcmp(arrow->format, "+s") != 0)
    ICE_FAIL(err, ICE_ESCHEMA, "input schema must be a struct of columns (format +s)");
  return check_struct(&table->root, arrow, "", format_version_of(opts), 0, err);
}
