/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Drop and purge (op_drop.h). The checks that make a purge safe run before the row is
 * removed: after it, nothing would tell the table's files from anyone else's.
 */
#include "ops/op_drop.h"

#include <stdbool.h>

#include "iceberg/ib_location.h"
#include "iceberg/ib_table_metadata.h"
#include "io/io_fileio.h"
#include "io/io_path.h"
#include "ops/op_location.h"
#include "ops/op_overlap.h"
#include "util/alloc.h"

/* The warehouse holds the catalog file and every default location: never purged. */
static int check_not_warehouse(const struct cat_catalog *cat, const struct cat_ident *id,
                               const char *location, struct ice_error *err) {
  char *mine = NULL, *wh = NULL;
  int rc = io_fileio_local_path(cat->io, location, &mine, err);
  if (rc == ICE_EUNSUPPORTED) return ICE_OK; /* other storage: cannot hold the warehouse */
  ICE_TRY(rc);
  /* Both in the form containment is judged on (s3a:// and s3:// alike). */
  struct ice_error scratch;
  bool covers = io_fileio_local_path(cat->io, cat->warehouse, &wh, &scratch) == ICE_OK
                    ? io_path_is_under(wh, mine)
                    : io_path_is_under(cat->warehouse, mine);
  ice_free(mine);
  ice_free(wh);
  if (covers)
    ICE_FAIL(err, ICE_EEXISTS,
             "table %s.%s is located at %s, which holds the warehouse %s; not purged",
             id->ns, id->name, location, cat->warehouse);
  return ICE_OK;
}

struct purge {
  const struct io_fileio *io;
  int64_t deleted;
};

static int delete_one(void *user, const struct io_file_entry *e, struct ice_error *err) {
  struct purge *p = user;
  int rc = io_fileio_delete(p->io, e->location, err);
  if (rc != ICE_OK) return ice_error_prefix_path(err, "purge: deleting", e->location);
  p->deleted++;
  return ICE_OK;
}

int op_table_drop(struct cat_catalog *cat, const char *ident, int purge,
                  struct ice_error *err) {
  struct cat_ident id = {0};
  ICE_TRY(cat_ident_parse(ident, &id, err));
  char *meta = NULL, *prefix = NULL;
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  int rc = purge ? cat->vt->load(cat, &id, &meta, &md, err) : ICE_OK;
  if (rc == ICE_OK && purge && md.location == NULL)
    rc = ice_error_set(err, ICE_ECORRUPT, "table %s has no location", ident);
  if (rc == ICE_OK && purge) rc = op_check_location_writable(cat, &id, md.location, err);
  if (rc == ICE_OK && purge) rc = check_not_warehouse(cat, &id, md.location, err);
  if (rc == ICE_OK && purge) rc = op_check_no_overlap(cat, &id, md.location, err);
  /* "<location>/": a sibling "<location>2" is not listed. */
  if (rc == ICE_OK && purge) rc = ib_location_join(md.location, "", &prefix, err);
  if (rc == ICE_OK) rc = cat->vt->drop_table(cat, &id, err);
  if (rc == ICE_OK && purge) {
    struct purge p = {cat->io, 0};
    rc = io_fileio_list(cat->io, prefix, true, delete_one, &p, err);
    /* The row is gone: whatever refused the listing or a delete (a 403 of the store
     * included), this is no longer a refusal that left the table in place. */
    if (rc != ICE_OK) {
      ice_error_prefix(err, "table %s was dropped, but purging its files stopped after "
                            "%lld deleted", ident, (long long)p.deleted);
      if (err != NULL) err->code = ICE_EIO;
      rc = ICE_EIO;
    }
  }
  ice_free(prefix);
  ice_free(meta);
  ib_table_metadata_reset(&md);
  cat_ident_reset(&id);
  return rc;
}
