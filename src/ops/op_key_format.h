#include "arrow/arrow_type.h"
#include "util/buf.h"
int op_key_format(const struct arrow_type *const *types, const char *const *names, size_t n,
                  const uint8_t *key, size_t len, struct ice_buf *out, struct ice_error *err);
