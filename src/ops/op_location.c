/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Local paths for table locations, honouring ICESTREAM_LOCATION_MAP, and the write
 * roots (op_location.h). Mapped paths are literal like every location: the rest of the
 * location after PREFIX is appended to DIR as is.
 */
#include "ops/op_location.h"

#include <stdlib.h>
#include <string.h>

#include "iceberg/ib_location.h"
#include "io/io_path.h"
#include "util/alloc.h"
#include "util/limits.h"

/* Maps uri through the entry p[0..len) if its prefix matches; *matched = 0 otherwise. */
static int map_entry(const char *uri, const char *p, size_t len, int *matched, char **out,
                     struct ice_error *err) {
  const char *eq = memchr(p, '=', len);
  size_t plen = eq ? (size_t)(eq - p) : 0;
  /* An empty or relative target would put a table's files at '/' or wherever the
   * process happens to run. */
  if (eq == NULL || plen == 0 || eq + 1 == p + len || eq[1] != '/')
    ICE_FAIL(err, ICE_EINVAL,
             "ICESTREAM_LOCATION_MAP entry '%.*s' is not PREFIX=DIR with an absolute DIR",
             (int)(len > 300 ? 300 : len), p);
  *matched = strncmp(uri, p, plen) == 0;
  if (!*matched) return ICE_OK;
  char *prefix = ice_strndup(p, plen);
  char *repl = ice_strndup(eq + 1, len - plen - 1);
  char *rebased = NULL;
  int rc = prefix && repl ? ib_location_rebase(uri, prefix, repl, &rebased, err)
                          : ice_error_set(err, ICE_ENOMEM, "out of memory");
  ice_free(prefix);
  ice_free(repl);
  if (rc == ICE_OK) rc = ib_location_to_local_path(rebased, out, err);
  ice_free(rebased);
  return rc;
}

int op_local_path(const char *uri, char **out, struct ice_error *err) {
  const char *map = getenv("ICESTREAM_LOCATION_MAP");
  if (map != NULL && strlen(map) >= ICE_LIMIT_LOCATION_BYTES)
    ICE_FAIL(err, ICE_EINVAL, "ICESTREAM_LOCATION_MAP is longer than %d bytes",
             (int)ICE_LIMIT_LOCATION_BYTES);
  for (const char *p = map; p != NULL && *p != '\0';) {
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > 0) {
      int matched = 0;
      ICE_TRY(map_entry(uri, p, len, &matched, out, err));
      if (matched) return ICE_OK;
    }
    p = end ? end + 1 : NULL;
  }
  return ib_location_to_local_path(uri, out, err);
}

int op_write_path(const struct cat_catalog *cat, const char *uri, char **out,
                  struct ice_error *err) {
  char *local = NULL, *norm = NULL;
  ICE_TRY(op_local_path(uri, &local, err));
  int rc = io_path_normalize(local, &norm, err);
  ice_free(local);
  if (rc != ICE_OK) return rc;
  if (!cat_may_write(cat, norm)) {
    rc = ice_error_set(err, ICE_EAUTH,
                       "refusing to write %.400s: outside the warehouse %.300s and every "
                       "allowed root (--allow-location PREFIX allows one)",
                       norm, cat->warehouse);
    ice_free(norm);
    return rc;
  }
  *out = norm;
  return ICE_OK;
}

int op_check_location_writable(const struct cat_catalog *cat,
                               const struct cat_ident *table, const char *location,
                               struct ice_error *err) {
  char *local = NULL, *norm = NULL;
  int rc = op_local_path(location, &local, err);
  if (rc == ICE_OK) rc = io_path_normalize(local, &norm, err);
  ice_free(local);
  if (rc != ICE_OK)
    return ice_error_prefix(err, "table %s.%s: location %.300s", table->ns, table->name,
                            location);
  if (!cat_may_write(cat, norm))
    rc =
        ice_error_set(err, ICE_EAUTH,
                      "table %s.%s: its location %.300s is outside the warehouse %.300s; "
                      "it can be read, but writing to it needs --allow-location %.300s "
                      "(catalog property allow-location)",
                      table->ns, table->name, location, cat->warehouse, norm);
  ice_free(norm);
  return rc;
}
