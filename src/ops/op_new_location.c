/* SPDX-License-Identifier: Apache-2.0 */
/* A new table's location: namespace `location` property or the catalog's layout. */
#include "ops/op_new_location.h"

#include "iceberg/ib_location.h"
#include "iceberg/ib_write_paths.h"
#include "util/alloc.h"

int op_new_table_location(struct cat_catalog *cat, const struct cat_ident *id, char **out,
                          struct ice_error *err) {
  char *ns_location = NULL;
  ICE_TRY(cat->vt->namespace_property(cat, id->ns, "location", &ns_location, err));
  int rc;
  if (ns_location != NULL && ns_location[0] != '\0') {
    char *base = NULL;
    if (ib_uri_has_scheme(ns_location)) {
      rc = ib_location_join(ns_location, id->name, out, err);
    } else if (ns_location[0] == '/') {
      rc = ib_location_from_local_path(ns_location, &base, err);
      if (rc == ICE_OK) rc = ib_location_join(base, id->name, out, err);
    } else {
      /* Relative to whose working directory? Every reader would differ. */
      rc = ice_error_set(
          err, ICE_EINVAL,
          "namespace %s has location '%s': expected an absolute path or a URI", id->ns,
          ns_location);
    }
    ice_free(base);
  } else {
    char *path = NULL;
    rc = cat_default_location(cat, id, &path, err);
    /* An object-store warehouse already gives a URI (s3://bucket/wh/ns/t). */
    if (rc == ICE_OK && ib_uri_has_scheme(path)) {
      *out = path;
      path = NULL;
    } else if (rc == ICE_OK) {
      rc = ib_location_from_local_path(path, out, err);
    }
    ice_free(path);
  }
  ice_free(ns_location);
  return rc;
}
