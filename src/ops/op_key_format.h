/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A key in op_key_append's encoding (op_key_set.h) as text for messages: "id=5,
 * name='x'". The merge names duplicate keys with it, long after the rows are gone (the
 * encoded keys may have been through a spill file), so the bytes are parsed as
 * untrusted: every tag and length is checked against the column's type.
 */
#ifndef ICE_OPS_OP_KEY_FORMAT_H
#define ICE_OPS_OP_KEY_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "arrow/arrow_type.h"
#include "util/buf.h"
#include "util/error.h"

/* Longest string shown (bytes, cut at a character boundary) and longest binary or
 * fixed value shown (bytes, as hex); longer values end in "...". */
#define OP_KEY_FORMAT_MAX_STRING 64
#define OP_KEY_FORMAT_MAX_BINARY 32

/* Appends "name=value, name=value" for the encoded key key[0..len) of n columns with
 * these arrow types and names (all borrowed). Values: strings quoted with ' (control
 * characters, quote, backslash and bytes that are not UTF-8 escaped: \n, \', \\,
 * \xHH), at most OP_KEY_FORMAT_MAX_STRING bytes then "..."; dates YYYY-MM-DD; times
 * HH:MM:SS[.fraction]; timestamps ISO-8601 with the unit's digits ("Z" when the type
 * has a time zone); decimals with exactly their scale's digits; floats shortest
 * round-trip ("%.17g"); binary and fixed as 0x hex, truncated; null as NULL. The text
 * is always valid UTF-8 without control characters. On success out->data[out->len] is
 * '\0' (not counted in len), so the text is a C string and later appends continue it.
 * A key that is short, has trailing bytes, or holds a tag or length that does not fit
 * its column's type is ICE_ECORRUPT naming the column; a type op_key_append never
 * encodes is ICE_EUNSUPPORTED. On failure out is as it was. */
int op_key_format(const struct arrow_type *const *types, const char *const *names,
                  size_t n, const uint8_t *key, size_t len, struct ice_buf *out,
                  struct ice_error *err) ICE_NODISCARD;

#endif
