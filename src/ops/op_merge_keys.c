/* SPDX-License-Identifier: Apache-2.0 */
#include "ops/op_merge_keys.h"

#include <string.h>

#include "util/alloc.h"

static const struct ib_field *top_level(const struct ib_schema *s, const char *name) {
  for (size_t i = 0; i < s->root.n_fields; i++)
    if (strcmp(s->root.fields[i].name, name) == 0) return &s->root.fields[i];
  return NULL;
}

static const struct ib_field *top_level_id(const struct ib_schema *s, int32_t id) {
  for (size_t i = 0; i < s->root.n_fields; i++)
    if (s->root.fields[i].id == id) return &s->root.fields[i];
  return NULL;
}

static int check_key_field(const struct ib_field *f, struct ice_error *err) {
  char type[128];
  if (!ib_type_is_primitive(&f->type))
    ICE_FAIL(err, ICE_EINVAL,
             "merge key column '%s' is a %s: a key column must be a primitive value",
             f->name, ib_type_name(&f->type, type, sizeof type));
  if (f->type.id == IB_TYPE_FLOAT || f->type.id == IB_TYPE_DOUBLE)
    ICE_FAIL(err, ICE_EINVAL,
             "merge key column '%s' is a %s: floating-point values cannot be keys",
             f->name, ib_type_name(&f->type, type, sizeof type));
  return ICE_OK;
}

static int from_names(const struct ib_schema *s, const char *const *names, size_t n,
                      int32_t *ids, struct ice_error *err) {
  for (size_t i = 0; i < n; i++) {
    const struct ib_field *f = top_level(s, names[i]);
    if (f == NULL) {
      const char *dot = strchr(names[i], '.');
      ICE_FAIL(err, ICE_EINVAL, "merge key column '%s' is not a %scolumn of the table",
               names[i], dot ? "top-level " : "");
    }
    for (size_t j = 0; j < i; j++)
      if (ids[j] == f->id)
        ICE_FAIL(err, ICE_EINVAL, "merge key column '%s' is named twice", names[i]);
    ICE_TRY(check_key_field(f, err));
    ids[i] = f->id;
  }
  return ICE_OK;
}

static int from_identifiers(const struct ib_schema *s, int32_t *ids,
                            struct ice_error *err) {
  for (size_t i = 0; i < s->n_identifier_field_ids; i++) {
    const struct ib_field *f = top_level_id(s, s->identifier_field_ids[i]);
    if (f == NULL)
      ICE_FAIL(err, ICE_EUNSUPPORTED,
               "identifier field %d is not a top-level column; pass --merge-key",
               (int)s->identifier_field_ids[i]);
    ICE_TRY(check_key_field(f, err));
    ids[i] = f->id;
  }
  return ICE_OK;
}

int op_merge_keys_resolve(const struct ib_schema *s, const char *const *names, size_t n,
                          int32_t **out_ids, size_t *n_out, struct ice_error *err) {
  size_t k = n > 0 ? n : s->n_identifier_field_ids;
  if (k == 0)
    ICE_FAIL(err, ICE_EINVAL,
             "the merge needs a key: pass --merge-key COL[,COL...] or set the table's "
             "identifier fields");
  int32_t *ids = ice_calloc(k, sizeof *ids);
  if (ids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int rc = n > 0 ? from_names(s, names, n, ids, err) : from_identifiers(s, ids, err);
  if (rc != ICE_OK) {
    ice_free(ids);
    return rc;
  }
  *out_ids = ids;
  *n_out = k;
  return ICE_OK;
}

int op_merge_keys_apply_to_new_schema(struct ib_schema *s, const char *const *names,
                                      size_t n, struct ice_error *err) {
  int32_t *ids = NULL;
  size_t k = 0;
  ICE_TRY(op_merge_keys_resolve(s, names, n, &ids, &k, err));
  for (size_t i = 0; i < s->root.n_fields; i++)
    for (size_t j = 0; j < k; j++)
      if (s->root.fields[i].id == ids[j]) s->root.fields[i].required = true;
  ice_free(s->identifier_field_ids);
  s->identifier_field_ids = ids;
  s->n_identifier_field_ids = k;
  return ICE_OK;
}
