/* SHIM: temporary until the rowhash branch lands. */
#include "ops/op_merge_keys.h"
#include <string.h>
#include "util/alloc.h"
int op_merge_keys_resolve(const struct ib_schema *s, const char *const *names, size_t n,
                          int32_t **out_ids, size_t *n_out, struct ice_error *err) {
  if (n == 0) {
    if (s->n_identifier_field_ids == 0) ICE_FAIL(err, ICE_EINVAL, "the merge needs a key: pass --merge-key COL[,COL...] or set the table's identifier fields");
    *out_ids = ice_calloc(s->n_identifier_field_ids, sizeof **out_ids);
    memcpy(*out_ids, s->identifier_field_ids, s->n_identifier_field_ids * sizeof **out_ids);
    *n_out = s->n_identifier_field_ids;
    return ICE_OK;
  }
  *out_ids = ice_calloc(n, sizeof **out_ids);
  for (size_t i = 0; i < n; i++) {
    const struct ib_field *f = NULL;
    for (size_t j = 0; j < s->root.n_fields; j++) if (strcmp(s->root.fields[j].name, names[i]) == 0) f = &s->root.fields[j];
    if (f == NULL) { ice_free(*out_ids); ICE_FAIL(err, ICE_EINVAL, "--merge-key column '%s' is not in the table", names[i]); }
    if (!ib_type_is_primitive(&f->type) || f->type.id == IB_TYPE_FLOAT || f->type.id == IB_TYPE_DOUBLE) { ice_free(*out_ids); ICE_FAIL(err, ICE_EINVAL, "--merge-key column '%s' cannot be a key", names[i]); }
    (*out_ids)[i] = f->id;
  }
  *n_out = n;
  return ICE_OK;
}
int op_merge_keys_apply_to_new_schema(struct ib_schema *s, const char *const *names, size_t n,
                                      struct ice_error *err) {
  int32_t *ids; size_t k;
  ICE_TRY(op_merge_keys_resolve(s, names, n, &ids, &k, err));
  for (size_t i = 0; i < k; i++) for (size_t j = 0; j < s->root.n_fields; j++) if (s->root.fields[j].id == ids[i]) s->root.fields[j].required = true;
  ice_free(s->identifier_field_ids);
  s->identifier_field_ids = ids; s->n_identifier_field_ids = k;
  return ICE_OK;
}
