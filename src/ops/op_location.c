/* SPDX-License-Identifier: Apache-2.0 */
/* The up-front writability check of a table location (op_location.h). */
#include "ops/op_location.h"

#include <stdbool.h>

#include "io/io_fileio.h"
#include "util/alloc.h"

int op_check_location_writable(const struct cat_catalog *cat,
                               const struct cat_ident *table, const char *location,
                               struct ice_error *err) {
  bool yes = false;
  char *norm = NULL;
  int rc = io_fileio_may_write(cat->io, location, &yes, &norm, err);
  if (rc != ICE_OK)
    return ice_error_prefix(err, "table %s.%s: location %.300s", table->ns, table->name,
                            location);
  if (!yes)
    rc =
        ice_error_set(err, ICE_EAUTH,
                      "table %s.%s: its location %.300s is outside the warehouse %.300s; "
                      "it can be read, but writing to it needs --allow-location %.300s "
                      "(catalog property allow-location)",
                      table->ns, table->name, location, cat->warehouse, norm);
  ice_free(norm);
  return rc;
}
