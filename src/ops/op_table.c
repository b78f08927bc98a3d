/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading, refreshing, committing to and creating tables through the catalog. A create
 * is a commit with assert-create (reference/iceberg.md §8.4): the catalog writes the
 * first metadata file in full before it inserts the row.
 */
#include "ops/op_table.h"

#include <stdio.h>
#include <string.h>

#include "iceberg/ib_location.h"
#include "iceberg/ib_partition.h"
#include "iceberg/ib_schema_json.h"
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
  ib_requirement_list_init(&t->create_reqs);
  ib_update_list_init(&t->create_ups);
}

void op_table_reset(struct op_table *t) {
  if (t == NULL) return;
  cat_ident_reset(&t->id);
  ice_free(t->metadata_location);
  t->metadata_location = NULL;
  ib_table_metadata_reset(&t->md);
  ib_requirement_list_reset(&t->create_reqs);
  ib_update_list_reset(&t->create_ups);
}

/* t becomes the table as the catalog now has it (takes loc and md); a table in the
 * catalog has no create lists. */
static void adopt(struct op_table *t, char *loc, struct ib_table_metadata *md) {
  ice_free(t->metadata_location);
  t->metadata_location = loc;
  ib_table_metadata_reset(&t->md);
  t->md = *md;
  ib_table_metadata_init(md);
  ib_requirement_list_reset(&t->create_reqs);
  ib_update_list_reset(&t->create_ups);
}

static int load_into(struct op_table *t, struct ice_error *err) {
  char *loc = NULL;
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  int rc = t->cat->vt->load(t->cat, &t->id, &loc, &md, err);
  if (rc != ICE_OK) {
    ib_table_metadata_reset(&md);
    return rc;
  }
  adopt(t, loc, &md);
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

int op_table_commit(struct op_table *t, const struct ib_requirement_list *reqs,
                    const struct ib_update_list *ups, struct ice_error *err) {
  int creating = t->metadata_location == NULL;
  struct cat_commit cc = {reqs->items,          reqs->n,
                          ups->items,           ups->n,
                          t->metadata_location, creating ? NULL : &t->md};
  char *loc = NULL;
  struct ib_table_metadata md;
  ib_table_metadata_init(&md);
  int rc = t->cat->vt->commit(t->cat, &t->id, &cc, &loc, &md, err);
  if (rc != ICE_OK) {
    ib_table_metadata_reset(&md);
    return rc;
  }
  adopt(t, loc, &md);
  return ICE_OK;
}

/* The location of a new table with props: its location properties must be valid. */
static int new_table_location(struct cat_catalog *cat, const struct cat_ident *id,
                              const struct ib_str_map *props, char **out,
                              struct ice_error *err) {
  char *location = NULL;
  int rc = op_new_table_location(cat, id, &location, err);
  if (rc == ICE_OK) rc = ib_write_paths_validate(location, props, err);
  if (rc != ICE_OK) {
    ice_free(location);
    return rc;
  }
  *out = location;
  return ICE_OK;
}

int op_check_new_table_location(struct cat_catalog *cat, const struct cat_ident *id,
                                const char *location, const struct ib_str_map *props,
                                struct ice_error *err) {
  char *meta = NULL, *configured = NULL;
  /* Catalog tables first: one that uses the folder is named, not reported unknown. */
  int rc = op_check_no_overlap(cat, id, location, err);
  if (rc == ICE_OK) rc = ib_location_join(location, "metadata", &meta, err);
  if (rc == ICE_OK) rc = op_check_no_foreign_metadata(cat, id, meta, err);
  if (rc == ICE_OK) rc = ib_write_paths_metadata_dir(location, props, &configured, err);
  if (rc == ICE_OK && strcmp(configured, meta) != 0)
    rc = op_check_no_foreign_metadata(cat, id, configured, err);
  ice_free(meta);
  ice_free(configured);
  return rc;
}

/* t (identifier parsed) as a table not in the catalog yet: its location, the create
 * lists and the metadata they build. */
static int prepare_new(struct op_table *t, const struct ib_schema *schema,
                       const struct ib_partition_spec *spec,
                       const struct ib_str_map *props, int stage, struct ice_error *err) {
  char *location = NULL;
  char uuid[IB_UUID_STR_LEN];
  int rc = new_table_location(t->cat, &t->id, props, &location, err);
  if (rc == ICE_OK) rc = ib_uuid4(uuid, err);
  if (rc == ICE_OK)
    rc = ib_commit_new_partitioned_table(uuid, location, schema, spec, props,
                                         &t->create_reqs, &t->create_ups, err);
  if (rc == ICE_OK)
    rc = ib_metadata_build(NULL, NULL, t->create_ups.items, t->create_ups.n, op_now_ms(),
                           &t->md, err);
  /* Data files come before the create's commit: a catalog that vends the new table's
   * storage settings hands them over now, before the storage is first read. */
  if (rc == ICE_OK && stage && t->cat->vt->stage_create != NULL) {
    struct cat_commit cc = {t->create_reqs.items, t->create_reqs.n, t->create_ups.items,
                            t->create_ups.n, NULL, NULL};
    rc = t->cat->vt->stage_create(t->cat, &t->id, &cc, err);
  }
  if (rc == ICE_OK) rc = op_check_new_table_location(t->cat, &t->id, location, props, err);
  ice_free(location);
  return rc;
}

int op_table_create(struct cat_catalog *cat, const char *ident,
                    const struct ib_schema *schema, const char *partition_by,
                    const struct ib_str_map *props, struct op_table *out,
                    struct ice_error *err) {
  struct op_table t;
  op_table_init(&t);
  t.cat = cat;
  struct ib_partition_spec spec;
  memset(&spec, 0, sizeof(spec));
  int rc = cat_ident_parse(ident, &t.id, err);
  if (rc == ICE_OK && props != NULL) rc = op_table_props_validate(props, err);
  if (rc == ICE_OK && partition_by != NULL)
    rc = ib_partition_spec_parse(partition_by, schema, NULL, &spec, err);
  if (rc == ICE_OK) rc = cat->vt->ensure_namespace(cat, t.id.ns, err);
  if (rc == ICE_OK) {
    /* Fail early and cheaply when the table exists (the commit below still decides). */
    char *existing = NULL;
    int lrc = cat->vt->load(cat, &t.id, &existing, NULL, NULL);
    ice_free(existing);
    if (lrc == ICE_OK)
      rc = ice_error_set(err, ICE_EEXISTS, "table %s already exists", ident);
  }
  if (rc == ICE_OK) rc = prepare_new(&t, schema, &spec, props, 0, err);
  if (rc == ICE_OK) rc = op_check_location_writable(cat, &t.id, t.md.location, err);
  if (rc == ICE_OK) rc = op_table_commit(&t, &t.create_reqs, &t.create_ups, err);
  ib_partition_spec_reset(&spec);
  if (rc != ICE_OK) {
    op_table_reset(&t);
    return ice_error_prefix(err, "cannot create the table");
  }
  *out = t;
  return ICE_OK;
}

int op_table_prepare_new(struct cat_catalog *cat, const char *ident,
                         const struct ib_schema *schema, const char *partition_by,
                         const struct ib_str_map *props, struct op_table *out,
                         struct ice_error *err) {
  struct op_table t;
  op_table_init(&t);
  t.cat = cat;
  struct ib_partition_spec spec;
  memset(&spec, 0, sizeof(spec));
  int rc = cat_ident_parse(ident, &t.id, err);
  if (rc == ICE_OK && partition_by != NULL)
    rc = ib_partition_spec_parse(partition_by, schema, NULL, &spec, err);
  if (rc == ICE_OK) rc = prepare_new(&t, schema, &spec, props, 1, err);
  ib_partition_spec_reset(&spec);
  if (rc != ICE_OK) {
    op_table_reset(&t);
    /* Callers name the table (load TABLE: / create TABLE:). */
    return ice_error_prefix(err, "cannot create the table");
  }
  *out = t;
  return ICE_OK;
}
