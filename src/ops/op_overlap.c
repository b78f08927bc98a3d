/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The overlap rule of op_overlap.h. Every table of the catalog is looked at: creating a
 * table is rare, and a location can only be trusted from the table's own metadata
 * (a table may have been registered from anywhere).
 */
#include "ops/op_overlap.h"

#include <string.h>

#include "catalog/cat_metadata_file.h"
#include "iceberg/ib_location.h"
#include "io/io_fileio.h"
#include "io/io_path.h"
#include "ops/op_table.h"
#include "util/alloc.h"

/* Normalised local path of a location; *out NULL when it is not local storage. */
static int local_of(const struct io_fileio *io, const char *location, char **out,
                    struct ice_error *err) {
  *out = NULL;
  int rc = io_fileio_local_path(io, location, out, err);
  return rc == ICE_EUNSUPPORTED ? ICE_OK : rc;
}

/* The other table's location: from its metadata, or else the folder above the
 * "metadata/" folder its metadata file is in (the standard layout). NULL if unknown. */
static int other_location(struct cat_catalog *cat, const struct cat_ident *other,
                          char **out, struct ice_error *err) {
  char *meta = NULL;
  *out = NULL;
  int rc = cat->vt->load(cat, other, &meta, NULL, err);
  if (rc == ICE_ENOTFOUND) return ICE_OK; /* dropped since it was listed */
  if (rc != ICE_OK) return rc;
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  /* A broken table elsewhere in the catalog must not block every creation: what cannot
   * be read or mapped to a local path cannot overlap one. Running out of memory is not
   * a broken table: it fails the creation (taken for one, it would skip the check). */
  struct ice_error scratch;
  rc = cat_metadata_read(cat->io, meta, &md, &scratch);
  if (rc == ICE_OK && md.location != NULL) {
    rc = local_of(cat->io, md.location, out, &scratch);
  } else if (rc != ICE_ENOMEM) {
    rc = ICE_OK;
    char *slash = strrchr(meta, '/');
    if (slash != NULL) *slash = '\0';
    size_t n = strlen(meta);
    if (n > 9 && strcmp(meta + n - 9, "/metadata") == 0) {
      meta[n - 9] = '\0';
      rc = local_of(cat->io, meta, out, &scratch);
    }
  }
  if (rc == ICE_ENOMEM) {
    if (err != NULL) *err = scratch;
  } else if (rc != ICE_OK) {
    ice_free(*out);
    *out = NULL;
    rc = ICE_OK;
  }
  ib_table_metadata_reset(&md);
  ice_free(meta);
  return rc;
}

static int check_one(struct cat_catalog *cat, const struct cat_ident *id,
                     const char *mine, const char *other_ident, struct ice_error *err) {
  struct cat_ident other = {0};
  ICE_TRY(cat_ident_parse(other_ident, &other, err));
  char *theirs = NULL;
  int rc = ICE_OK;
  if (strcmp(other.ns, id->ns) != 0 || strcmp(other.name, id->name) != 0)
    rc = other_location(cat, &other, &theirs, err);
  if (rc == ICE_OK && theirs != NULL && io_path_overlaps(mine, theirs)) {
    const char *how = strcmp(mine, theirs) == 0        ? "is the location of"
                      : io_path_is_under(mine, theirs) ? "lies inside the location of"
                                                       : "contains the location of";
    rc = ice_error_set(
        err, ICE_EEXISTS,
        "its location %.300s %s table %s (%.300s); table locations must not "
        "overlap (docs/locations.md)",
        mine, how, other_ident, theirs);
  }
  ice_free(theirs);
  cat_ident_reset(&other);
  return rc;
}

int op_check_no_overlap(struct cat_catalog *cat, const struct cat_ident *id,
                        const char *location, struct ice_error *err) {
  char *mine = NULL;
  ICE_TRY(local_of(cat->io, location, &mine, err));
  if (mine == NULL) return ICE_OK;
  struct cat_names all = {0};
  int rc = cat->vt->list_tables(cat, NULL, &all, err);
  for (size_t i = 0; rc == ICE_OK && i < all.n; i++)
    rc = check_one(cat, id, mine, all.items[i], err);
  cat_names_reset(&all);
  ice_free(mine);
  return rc;
}
