/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An encoded key (op_key_set.h's encoding) as text for messages: "id=5, name='x'".
 */
#ifndef ICE_OPS_OP_KEY_FORMAT_H
#define ICE_OPS_OP_KEY_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "arrow/arrow_type.h"
#include "util/buf.h"
#include "util/error.h"

/* Appends "name=value, ..." for a key of n columns of these types and names, then a
 * NUL. Malformed bytes are ICE_ECORRUPT. */
int op_key_format(const struct arrow_type *const *types, const char *const *names,
                  size_t n, const uint8_t *key, size_t len, struct ice_buf *out,
                  struct ice_error *err) ICE_NODISCARD;

#endif
