/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_merge_keys_resolve and op_merge_keys_apply_to_new_schema (op_merge_keys.h). Names
 * are looked up among the top-level fields only; a name that misses there is tried as
 * a dotted path so that "a.b" gets "nested" rather than "unknown" as its reason.
 */
#include "ops/op_merge_keys.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

/* Columns listed in an "unknown column" message at most. */
#define LISTED_COLUMNS 16

static const char *const no_key_message =
    "the merge needs a key: pass --merge-key COL[,COL...] or set the table's identifier "
    "fields";

static struct ib_field *top_level_by_name(const struct ib_schema *s, const char *name) {
  for (size_t i = 0; i < s->root.n_fields; i++)
    if (strcmp(s->root.fields[i].name, name) == 0) return &s->root.fields[i];
  return NULL;
}

static struct ib_field *top_level_by_id(const struct ib_schema *s, int32_t id) {
  for (size_t i = 0; i < s->root.n_fields; i++)
    if (s->root.fields[i].id == id) return &s->root.fields[i];
  return NULL;
}

static int unknown_column(const struct ib_schema *s, const char *name,
                          struct ice_error *err) {
  char cols[400] = "";
  size_t at = 0;
  const size_t shown = s->root.n_fields < LISTED_COLUMNS ? s->root.n_fields : 0;
  for (size_t i = 0; i < shown && at < sizeof cols; i++) {
    const int w = snprintf(cols + at, sizeof cols - at, "%s%s", i ? ", " : "",
                           s->root.fields[i].name);
    at = w < 0 ? sizeof cols : at + (size_t)w;
  }
  if (shown > 0 && at < sizeof cols)
    ICE_FAIL(err, ICE_EINVAL, "merge key: no column '%s' in the table (its columns: %s)",
             name, cols);
  ICE_FAIL(err, ICE_EINVAL, "merge key: no column '%s' in the table (%zu columns)", name,
           s->root.n_fields);
}

/* The rule every key column meets, whichever way it was named. */
static int check_key_field(const struct ib_field *f, struct ice_error *err) {
  if (!ib_type_is_primitive(&f->type))
    ICE_FAIL(err, ICE_EINVAL,
             "merge key: column '%s' is a %s; a key column must be a top-level primitive",
             f->name,
             f->type.id == IB_TYPE_STRUCT ? "struct"
             : f->type.id == IB_TYPE_LIST ? "list"
                                          : "map");
  if (f->type.id == IB_TYPE_FLOAT || f->type.id == IB_TYPE_DOUBLE)
    ICE_FAIL(err, ICE_EINVAL,
             "merge key: column '%s' is a %s; float and double columns cannot be keys",
             f->name, f->type.id == IB_TYPE_FLOAT ? "float" : "double");
  return ICE_OK;
}

static const struct ib_field *field_for_name(const struct ib_schema *s, const char *name,
                                             struct ice_error *err) {
  if (name == NULL || name[0] == '\0') {
    ice_error_set(err, ICE_EINVAL, "merge key: an empty column name");
    return NULL;
  }
  const struct ib_field *f = top_level_by_name(s, name);
  if (f == NULL) {
    if (ib_schema_find_by_name(s, name) != NULL)
      ice_error_set(err, ICE_EINVAL,
                    "merge key: column '%s' is nested; a key column must be a top-level "
                    "primitive",
                    name);
    else
      unknown_column(s, name, err);
  }
  return f;
}

static const struct ib_field *field_for_id(const struct ib_schema *s, int32_t id,
                                           struct ice_error *err) {
  const struct ib_field *f = top_level_by_id(s, id);
  if (f != NULL) return f;
  char path[256];
  if (ib_schema_find_by_id(s, id) != NULL &&
      ib_schema_field_path(s, id, path, sizeof path, NULL) == ICE_OK)
    ice_error_set(err, ICE_EINVAL,
                  "merge key: identifier field '%s' is nested; the merge needs top-level "
                  "key columns (pass --merge-key)",
                  path);
  else
    ice_error_set(err, ICE_EINVAL,
                  "merge key: identifier field id %" PRId32 " is not in the schema", id);
  return NULL;
}

int op_merge_keys_resolve(const struct ib_schema *s, const char *const *names, size_t n,
                          int32_t **out_ids, size_t *n_out, struct ice_error *err) {
  const size_t count = n > 0 ? n : s->n_identifier_field_ids;
  if (count == 0) ICE_FAIL(err, ICE_EINVAL, "%s", no_key_message);
  int32_t *ids = ice_calloc(count, sizeof *ids);
  if (ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "merge key: out of memory");
  int rc = ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < count; i++) {
    const struct ib_field *f = n > 0 ? field_for_name(s, names[i], err)
                                     : field_for_id(s, s->identifier_field_ids[i], err);
    rc = f != NULL ? check_key_field(f, err) : ICE_EINVAL;
    for (size_t k = 0; rc == ICE_OK && k < i; k++)
      if (ids[k] == f->id)
        rc = ice_error_set(err, ICE_EINVAL, "merge key: column '%s' is named twice",
                           f->name);
    if (rc == ICE_OK) ids[i] = f->id;
  }
  if (rc != ICE_OK) {
    ice_free(ids);
    return rc;
  }
  *out_ids = ids;
  *n_out = count;
  return ICE_OK;
}

int op_merge_keys_apply_to_new_schema(struct ib_schema *s, const char *const *names,
                                      size_t n, struct ice_error *err) {
  int32_t *ids = NULL;
  size_t n_ids = 0;
  ICE_TRY(op_merge_keys_resolve(s, names, n, &ids, &n_ids, err));
  for (size_t i = 0; i < n_ids; i++) {
    struct ib_field *f = top_level_by_id(s, ids[i]);
    if (f != NULL) f->required = true; /* resolve found every id at the top level */
  }
  ice_free(s->identifier_field_ids);
  s->identifier_field_ids = ids;
  s->n_identifier_field_ids = n_ids;
  return ICE_OK;
}
