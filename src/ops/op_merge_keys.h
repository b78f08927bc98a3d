#include "iceberg/ib_types.h"
#include "util/error.h"
int op_merge_keys_resolve(const struct ib_schema *s, const char *const *names, size_t n,
                          int32_t **out_ids, size_t *n_out, struct ice_error *err);
int op_merge_keys_apply_to_new_schema(struct ib_schema *s, const char *const *names, size_t n,
                                      struct ice_error *err);
