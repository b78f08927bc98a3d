/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Iceberg side of a SQL catalog (reference/iceberg.md §8.1, §8.2): load = the row's
 * metadata_location and the file it names; commit = read the base, check the
 * requirements against it, apply the updates with the one metadata builder, write the
 * new metadata file, then INSERT (create) or compare-and-swap the row. The row
 * operations (c->rows) are the only part a SQL dialect provides, so SQLite and
 * PostgreSQL share everything here.
 */
#include <string.h>
#include <time.h>

#include "catalog/cat_catalog.h"
#include "catalog/cat_metadata_file.h"
#include "iceberg/ib_update.h"
#include "io/io_fileio.h"
#include "util/alloc.h"
#include "util/killpoint.h"

static int64_t wall_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return 0;
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cat_sql_load(struct cat_catalog *c, const struct cat_ident *id, char **location,
                 struct ib_table_metadata *md, struct ice_error *err) {
  char *loc = NULL;
  ICE_TRY(c->rows->location(c, id, &loc, err));
  int rc = md != NULL ? cat_metadata_read(c->io, loc, md, err) : ICE_OK;
  if (rc == ICE_ENOTFOUND) {
    /* The table exists (it has a row); a missing file must never read as "no such
     * table", or a load would try to create it again over the row. */
    if (err != NULL) err->code = ICE_EIO;
    rc = ice_error_prefix(err,
                          "table %s.%s: the catalog's current metadata file is missing "
                          "(restore it, or register the table again)",
                          id->ns, id->name);
    rc = ICE_EIO;
  } else if (rc != ICE_OK) {
    rc = ice_error_prefix(err, "table %s.%s: its current metadata", id->ns, id->name);
  }
  if (rc != ICE_OK) {
    ice_free(loc);
    return rc;
  }
  *location = loc;
  return ICE_OK;
}

static int asserts_create(const struct cat_commit *cc) {
  for (size_t i = 0; i < cc->n_reqs; i++)
    if (cc->reqs[i].type == IB_REQ_ASSERT_CREATE) return 1;
  return 0;
}

/* The table as it is now: none for a create (whose row must not exist), else the row's
 * location and its metadata (the caller's copy while the row still points at it). */
static int read_base(struct cat_catalog *c, const struct cat_ident *id,
                     const struct cat_commit *cc, int create, char **base_location,
                     struct ib_table_metadata *scratch,
                     const struct ib_table_metadata **base, struct ice_error *err) {
  *base = NULL;
  *base_location = NULL;
  char *loc = NULL;
  struct ice_error lerr;
  int rc = c->rows->location(c, id, &loc, create ? &lerr : err);
  if (create) {
    ice_free(loc);
    if (rc == ICE_OK)
      ICE_FAIL(err, ICE_EEXISTS, "table %s.%s already exists", id->ns, id->name);
    if (rc == ICE_ENOTFOUND) return ICE_OK;
    if (err != NULL) *err = lerr;
    return rc;
  }
  ICE_TRY(rc);
  if (cc->base != NULL && cc->base_location != NULL &&
      strcmp(cc->base_location, loc) == 0) {
    *base = cc->base;
  } else {
    rc = cat_metadata_read(c->io, loc, scratch, err);
    if (rc != ICE_OK) {
      ice_free(loc);
      return ice_error_prefix(err, "table %s.%s: its current metadata", id->ns, id->name);
    }
    *base = scratch;
  }
  *base_location = loc;
  return ICE_OK;
}

/* Changes the outcome of an error already described in err (callers decide on
 * err->code as well as on the returned code). */
static int with_code(struct ice_error *err, int code) {
  if (err != NULL) err->code = code;
  return code;
}

/* After an unknown outcome, reads the row back: our file means it landed, the base (or
 * no row, for a create) means it did not; anything else stays unknown. */
static int resolve_unknown(struct cat_catalog *c, const struct cat_ident *id,
                           const char *base_location, const char *ours,
                           struct ice_error *err) {
  char *now = NULL;
  int lrc = c->rows->location(c, id, &now, NULL);
  int rc = ICE_ECOMMIT_UNKNOWN;
  if (lrc == ICE_OK && strcmp(now, ours) == 0)
    rc = ICE_OK;
  else if (lrc == ICE_OK && base_location != NULL && strcmp(now, base_location) == 0)
    rc = with_code(err, ICE_ECONFLICT);
  else if (lrc == ICE_ENOTFOUND && base_location == NULL)
    rc = with_code(err, ICE_ECONFLICT);
  ice_free(now);
  return rc;
}

int cat_sql_commit_prepare(struct cat_catalog *c, const struct cat_ident *id,
                           const struct cat_commit *cc, char **base_location, char **uri,
                           char **marker, struct ice_error *err) {
  int create = asserts_create(cc);
  struct ib_table_metadata scratch, built;
  ib_table_metadata_init(&scratch);
  ib_table_metadata_init(&built);
  const struct ib_table_metadata *base = NULL;
  char *bl = NULL;
  *uri = *marker = NULL;
  int rc = read_base(c, id, cc, create, &bl, &scratch, &base, err);
  if (rc == ICE_OK) rc = ib_requirements_check(cc->reqs, cc->n_reqs, base, err);
  if (rc == ICE_OK)
    rc = ib_metadata_build(base, bl, cc->updates, cc->n_updates, wall_ms(), &built, err);
  if (rc == ICE_OK) rc = cat_metadata_write_next(c->io, &built, bl, uri, marker, err);
  ib_table_metadata_reset(&built);
  ib_table_metadata_reset(&scratch);
  if (rc != ICE_OK) {
    ice_free(bl);
    return ice_error_prefix(err, "table %s.%s", id->ns, id->name);
  }
  *base_location = bl;
  return ICE_OK;
}

int cat_sql_commit(struct cat_catalog *c, const struct cat_ident *id,
                   const struct cat_commit *cc, char **location,
                   struct ib_table_metadata *md, struct ice_error *err) {
  int create = asserts_create(cc);
  struct ib_table_metadata scratch, built;
  ib_table_metadata_init(&scratch);
  ib_table_metadata_init(&built);
  const struct ib_table_metadata *base = NULL;
  char *base_location = NULL, *uri = NULL, *marker = NULL;
  int rc = read_base(c, id, cc, create, &base_location, &scratch, &base, err);
  if (rc == ICE_OK) rc = ib_requirements_check(cc->reqs, cc->n_reqs, base, err);
  if (rc == ICE_OK)
    rc = ib_metadata_build(base, base_location, cc->updates, cc->n_updates, wall_ms(),
                           &built, err);
  if (rc == ICE_OK)
    rc = cat_metadata_write_next(c->io, &built, base_location, &uri, &marker, err);
  if (rc == ICE_OK) {
    ice_killpoint("metadata-written");
    rc = create ? c->rows->insert(c, id, uri, err)
                : c->rows->swap(c, id, base_location, uri, err);
    if (rc == ICE_ECOMMIT_UNKNOWN) rc = resolve_unknown(c, id, base_location, uri, err);
    /* Only a definite "no" makes the file garbage; an unknown outcome may reference it
     * (and its marker keeps it from passing for another table's). */
    if (rc != ICE_OK && rc != ICE_ECOMMIT_UNKNOWN)
      (void)io_fileio_delete(c->io, uri, NULL);
    if (marker != NULL && rc != ICE_ECOMMIT_UNKNOWN)
      (void)io_fileio_delete(c->io, marker, NULL);
  }
  if (rc == ICE_OK) {
    ib_table_metadata_reset(md);
    *md = built;
    ib_table_metadata_init(&built);
    *location = uri;
    uri = NULL;
  }
  ib_table_metadata_reset(&built);
  ib_table_metadata_reset(&scratch);
  ice_free(base_location);
  ice_free(uri);
  ice_free(marker);
  return rc;
}
