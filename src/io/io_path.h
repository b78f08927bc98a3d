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

#include "util/error.h"

/* Normalised copy of the absolute `path` (owned, ice_free). No trailing '/' except for
 * "/" itself. ICE_EINVAL for a relative or empty path, ICE_ELIMIT when longer than
 * ICE_LIMIT_LOCATION_BYTES. */
int io_path_normalize(const char *path, char **out, struct ice_error *err) ICE_NODISCARD;

/* Whether the normalised path `path` is `root` or lies below it (both normalised). */
bool io_path_is_under(const char *path, const char *root);

#endif
