/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading, refreshing and creating tables through the catalog. A new table's metadata is
 * written in full before the catalog row is inserted, so a crash in between leaves only
 * an unreferenced file, never a row pointing at nothing.
 */
#include "ops/op_table.h"

#include <stdio.h>
#include <string.h>

#include "iceberg/ib_location.h"
#include "iceberg/ib_write_paths.h"
#include "io/io.h"
#include "io/io_fileio.h"
#include "ops/op_foreign_metadata.h"
#include "ops/op_location.h"
#include "ops/op_new_location.h"
#include "ops/op_overlap.h"
#include "ops/op_retry.h"
#include "ops/op_table_props.h"
#include "util/alloc.h"

void op_table_init(struct op_table *t) {
  memset(t, 0, sizeof *t);
  ib_table_metadata_init(&t->md);
}

void op_table_reset(struct op_table *t) {
  if (t == NULL) return;
  cat_ident_reset(&t->id);
  ice_free(t->metadata_location);
  t->metadata_location = NULL;
  ib_table_metadata_reset(&t->md);
}

int op_read_metadata(const struct io_fileio *io, const char *location,
                     struct ib_table_metadata *md, struct ice_error *err) {
  struct ice_input *in = NULL;
  int rc = io_fileio_open_input(io, location, &in, err);
  if (rc == ICE_OK) {
    struct ib_table_metadata fresh;
    ib_table_metadata_init(&fresh);
    rc = ib_table_metadata_read(in, &fresh, err);
    if (rc == ICE_OK) {
      ib_table_metadata_reset(md);
      *md = fresh;
    } else {
      ib_table_metadata_reset(&fresh);
    }
  }
  ice_input_close(in); /* every error above already names the file */
  return rc;
}

static int load_into(struct op_table *t, struct ice_error *err) {
  char *loc = NULL;
  ICE_TRY(t->cat->vt->load_table(t->cat, &t->id, &loc, err));
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  int rc = op_read_metadata(t->cat->io, loc, &md, err);
  if (rc != ICE_OK) {
    ice_free(loc);
    ib_table_metadata_reset(&md);
    if (rc != ICE_ENOTFOUND)
      return ice_error_prefix(err, "table %s.%s: its current metadata", t->id.ns,
                              t->id.name);
    /* The table exists (it has a row); a missing file must never read as "no such
     * table", or a load would try to create it again over the row. */
    if (err != NULL) err->code = ICE_EIO;
    return ice_error_prefix(err,
                            "table %s.%s: the catalog's current metadata file is missing "
                            "(restore it, or register the table again)",
                            t->id.ns, t->id.name);
  }
  ice_free(t->metadata_location);
  t->metadata_location = loc;
  ib_table_metadata_reset(&t->md);
  t->md = md;
  return ICE_OK;
}

int op_table_load(struct cat_catalog *cat, const char *ident, struct op_table *out,
                  struct ice_error *err) {
  struct op_table t;
  op_table_init(&t);
  t.cat = cat;
  int rc = cat_ident_parse(ident, &t.id, err);
  if (rc == ICE_OK) rc = load_into(&t, err);
  if (rc != ICE_OK) {
    op_table_reset(&t);
    return rc;
  }
  *out = t;
  return ICE_OK;
}

int op_table_refresh(struct op_table *t, struct ice_error *err) {
  return load_into(t, err);
}

/* Writes md as metadata version `version`; with `marker` non-NULL a creation marker is
 * written first and *marker is its location. */
static int write_metadata(const struct io_fileio *io, const struct ib_table_metadata *md,
                          int version, char **uri, char **marker, struct ice_error *err) {
  char uuid[IB_UUID_STR_LEN];
  ICE_TRY(ib_uuid4(uuid, err));
  char *u = NULL, *m = NULL;
  struct ice_output *out = NULL;
  int rc = ib_write_paths_metadata_file(md, version, uuid, &u, err);
  if (rc == ICE_OK && marker != NULL) rc = op_creation_marker_path(u, &m, err);
  if (rc == ICE_OK && m != NULL) rc = op_creation_marker_write(io, m, err);
  if (rc == ICE_OK) rc = io_fileio_create(io, u, NULL, &out, err);
  if (rc == ICE_OK) {
    rc = ib_table_metadata_write(md, out, err);
    if (rc != ICE_OK) ice_output_abort(out);
    ice_output_close(out);
  }
  if (rc != ICE_OK) {
    /* The metadata file is gone (never made, or aborted); its marker goes too. */
    if (m != NULL) (void)io_fileio_delete(io, m, NULL);
    ice_free(u);
    ice_free(m);
    return ice_error_prefix(err, "writing table metadata");
  }
  *uri = u;
  if (marker != NULL) *marker = m;
  return ICE_OK;
}

int op_write_metadata_file(const struct io_fileio *io, const struct ib_table_metadata *md,
                           int version, char **uri, struct ice_error *err) {
  return write_metadata(io, md, version, uri, NULL, err);
}

int op_write_new_table_metadata(const struct io_fileio *io,
                                const struct ib_table_metadata *md, char **uri,
                                char **marker, struct ice_error *err) {
  return write_metadata(io, md, 0, uri, marker, err);
}

/* The location of a new table with props, checked: its location properties are valid,
 * and neither its own metadata folder nor write.metadata.path holds another table. */
static int new_table_location(struct cat_catalog *cat, const struct cat_ident *id,
                              const struct ib_str_map *props, char **out,
                              struct ice_error *err) {
  char *location = NULL, *meta = NULL, *configured = NULL;
  int rc = op_new_table_location(cat, id, &location, err);
  if (rc == ICE_OK) rc = ib_write_paths_validate(location, props, err);
  if (rc == ICE_OK) rc = ib_location_join(location, "metadata", &meta, err);
  if (rc == ICE_OK) rc = op_check_no_foreign_metadata(cat, id, meta, err);
  if (rc == ICE_OK) rc = ib_write_paths_metadata_dir(location, props, &configured, err);
  if (rc == ICE_OK && strcmp(configured, meta) != 0)
    rc = op_check_no_foreign_metadata(cat, id, configured, err);
  if (rc == ICE_OK) rc = op_check_no_overlap(cat, id, location, err);
  ice_free(meta);
  ice_free(configured);
  if (rc != ICE_OK) {
    ice_free(location);
    return rc;
  }
  *out = location;
  return ICE_OK;
}

int op_table_create(struct cat_catalog *cat, const char *ident,
                    const struct ib_schema *schema, const struct ib_str_map *props,
                    struct op_table *out, struct ice_error *err) {
  struct op_table t;
  op_table_init(&t);
  t.cat = cat;
  char *location = NULL, *uri = NULL, *marker = NULL;
  int rc = cat_ident_parse(ident, &t.id, err);
  if (rc == ICE_OK && props != NULL) rc = op_table_props_validate(props, err);
  if (rc == ICE_OK) rc = cat->vt->ensure_namespace(cat, t.id.ns, err);
  if (rc == ICE_OK) {
    /* Fail early and cheaply when the table exists (the insert below still decides). */
    char *existing = NULL;
    int lrc = cat->vt->load_table(cat, &t.id, &existing, NULL);
    ice_free(existing);
    if (lrc == ICE_OK)
      rc = ice_error_set(err, ICE_EEXISTS, "table %s already exists", ident);
  }
  if (rc == ICE_OK) rc = new_table_location(cat, &t.id, props, &location, err);
  if (rc == ICE_OK)
    rc = ib_table_metadata_new_table(location, schema, props, op_now_ms(), &t.md, err);
  if (rc == ICE_OK) rc = op_check_location_writable(cat, &t.id, t.md.location, err);
  if (rc == ICE_OK) rc = op_write_new_table_metadata(cat->io, &t.md, &uri, &marker, err);
  if (rc == ICE_OK) {
    rc = cat->vt->create_table(cat, &t.id, uri, err);
    /* Only a definite "no" makes the file garbage; an unknown insert may reference it
     * (and its marker keeps it from passing for another table's). */
    if (rc == ICE_EEXISTS || rc == ICE_ECONFLICT)
      (void)io_fileio_delete(cat->io, uri, NULL);
    if (rc == ICE_OK || rc == ICE_EEXISTS || rc == ICE_ECONFLICT)
      (void)io_fileio_delete(cat->io, marker, NULL);
  }
  if (rc == ICE_OK) {
    t.metadata_location = uri;
    uri = NULL;
  }
  ice_free(location);
  ice_free(uri);
  ice_free(marker);
  if (rc != ICE_OK) {
    op_table_reset(&t);
    return ice_error_prefix(err, "cannot create the table");
  }
  *out = t;
  return ICE_OK;
}

int op_table_prepare_new(struct cat_catalog *cat, const char *ident,
                         const struct ib_schema *schema, const struct ib_str_map *props,
                         struct op_table *out, struct ice_error *err) {
  struct op_table t;
  op_table_init(&t);
  t.cat = cat;
  char *location = NULL;
  int rc = cat_ident_parse(ident, &t.id, err);
  if (rc == ICE_OK) rc = new_table_location(cat, &t.id, props, &location, err);
  if (rc == ICE_OK)
    rc = ib_table_metadata_new_table(location, schema, props, op_now_ms(), &t.md, err);
  ice_free(location);
  if (rc != ICE_OK) {
    op_table_reset(&t);
    /* Callers name the table (load TABLE: / create TABLE:). */
    return ice_error_prefix(err, "cannot create the table");
  }
  *out = t;
  return ICE_OK;
}
