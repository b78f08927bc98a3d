/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where a catalog's tables may be written: the warehouse, plus roots the user allowed
 * (--allow-location, catalog property allow-location). A table registered or edited to
 * point elsewhere can still be read, but nothing is written outside these roots.
 * Containment is lexical (io_path.h), so "/wh/../etc" is not under "/wh".
 */
#include <string.h>
#include <unistd.h>

#include "catalog/cat_catalog.h"
#include "iceberg/ib_location.h"
#include "io/io_path.h"
#include "util/alloc.h"
#include "util/limits.h"

/* Absolute local form of a prefix as the user wrote it. */
static int prefix_path(const char *prefix, char **out, struct ice_error *err) {
  if (strncmp(prefix, "file:", 5) == 0 || prefix[0] == '/')
    return ib_location_to_normalized_path(prefix, out, err);
  if (strstr(prefix, "://") != NULL)
    ICE_FAIL(err, ICE_EINVAL,
             "only local directories and file: locations can be allowed");
  char cwd[ICE_LIMIT_LOCATION_BYTES];
  if (getcwd(cwd, sizeof cwd) == NULL)
    ICE_FAIL(err, ICE_EIO, "cannot determine the current directory");
  char *joined = NULL;
  ICE_TRY(ib_location_join(cwd, prefix, &joined, err));
  int rc = io_path_normalize(joined, out, err);
  ice_free(joined);
  return rc;
}

int cat_allow_location(struct cat_catalog *c, const char *prefix, struct ice_error *err) {
  if (prefix == NULL || prefix[0] == '\0')
    ICE_FAIL(err, ICE_EINVAL, "allow-location is empty (give a directory)");
  char *path = NULL;
  int rc = prefix_path(prefix, &path, err);
  if (rc == ICE_OK) rc = cat_names_push(&c->allowed, path, err);
  ice_free(path);
  if (rc != ICE_OK) return ice_error_prefix(err, "allow-location '%.300s'", prefix);
  return ICE_OK;
}

bool cat_may_write(const struct cat_catalog *c, const char *path) {
  if (io_path_is_under(path, c->warehouse)) return true;
  for (size_t i = 0; i < c->allowed.n; i++)
    if (io_path_is_under(path, c->allowed.items[i])) return true;
  return false;
}
