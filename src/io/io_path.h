/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lexical path rules for deciding where a write may go: an absolute path is normalised
 * without touching the file system ('//' and '.' dropped, '..' removes the previous
 * component, never above '/'), and containment is decided per component, so
 * "/wh/../etc" is not under "/wh" and "/wh2" is not under "/wh". Symbolic links are not
 * followed: a link inside an allowed root is the owner's own choice.
 */
#ifndef ICE_IO_IO_PATH_H
#define ICE_IO_IO_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/* Normalised copy of the absolute `path` (owned, ice_free). No trailing '/' except for
 * "/" itself. ICE_EINVAL for a relative or empty path, ICE_ELIMIT when longer than
 * ICE_LIMIT_LOCATION_BYTES. */
int io_path_normalize(const char *path, char **out, struct ice_error *err) ICE_NODISCARD;

/* Whether the normalised path `path` is `root` or lies below it (both normalised). */
bool io_path_is_under(const char *path, const char *root);

/* Whether normalised paths a and b are equal or one lies below the other. */
bool io_path_overlaps(const char *a, const char *b);

/* Length of the "scheme" of "scheme:rest" as RFC 3986 spells it (a letter, then
 * letters, digits, '+', '-', '.'), 0 when s has none (a local path). */
size_t io_path_scheme_len(const char *s);

/* "file:/p", "file:///p", "file://localhost/p" or a plain absolute path -> "/p" (owned),
 * taken literally: percent escapes are NOT decoded (pyiceberg and Hadoop do not decode
 * them either, and decoding let "%2e%2e" climb out of the warehouse). ICE_EUNSUPPORTED
 * for other schemes (s3://...), ICE_EINVAL for "file://host/p" or a relative file: URI,
 * ICE_ELIMIT when longer than ICE_LIMIT_LOCATION_BYTES. */
int io_path_from_location(const char *location, char **out,
                          struct ice_error *err) ICE_NODISCARD;

#endif
