/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A table as the load operations see it: catalog (borrowed), identifier, the metadata
 * location the catalog pointed at when it was read, and the parsed metadata. Commits
 * compare-and-swap against exactly that location.
 */
#ifndef ICE_OPS_OP_TABLE_H
#define ICE_OPS_OP_TABLE_H

#include "catalog/cat_catalog.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_update.h"
#include "io/io_fileio.h"
#include "util/error.h"

struct op_table {
  struct cat_catalog *cat; /* borrowed */
  struct cat_ident id;
  char *metadata_location; /* owned, as stored in the catalog */
  struct ib_table_metadata md;
  /* A table not in the catalog yet (metadata_location NULL): the commit lists that
   * create it (assert-create + the create updates); md is what they build. */
  struct ib_requirement_list create_reqs;
  struct ib_update_list create_ups;
};

void op_table_init(struct op_table *t);
void op_table_reset(struct op_table *t);

/* Reads the catalog row and the metadata file it names. */
int op_table_load(struct cat_catalog *cat, const char *ident, struct op_table *out,
                  struct ice_error *err) ICE_NODISCARD;
/* Re-reads the catalog and metadata in place (after a lost race). On failure t is kept
 * as it was. */
int op_table_refresh(struct op_table *t, struct ice_error *err) ICE_NODISCARD;
/* One catalog commit of reqs + ups on t, offering t as it was read as the base. On
 * success t holds the committed location and metadata and its create lists are
 * dropped; on failure t is unchanged. Errors as the catalog's commit
 * (cat_catalog.h). */
int op_table_commit(struct op_table *t, const struct ib_requirement_list *reqs,
                    const struct ib_update_list *ups,
                    struct ice_error *err) ICE_NODISCARD;

/* Creates a table at the catalog's location for it (op_new_location.h): one catalog
 * commit of assert-create + the create updates; namespaces are created. partition_by
 * (NULL or blank: unpartitioned) is a spec as text, bound to schema before anything
 * is created (ib_partition_spec_parse: ICE_EINVAL naming the field at fault).
 * ICE_EEXISTS when the table exists. */
int op_table_create(struct cat_catalog *cat, const char *ident,
                    const struct ib_schema *schema, const char *partition_by,
                    const struct ib_str_map *props, struct op_table *out,
                    struct ice_error *err) ICE_NODISCARD;

/* A new table that exists only in memory (metadata_location NULL, no file, no catalog
 * row; its create lists in create_reqs/create_ups): op_commit creates it together with
 * its first snapshot. partition_by as op_table_create takes it. */
int op_table_prepare_new(struct cat_catalog *cat, const char *ident,
                         const struct ib_schema *schema, const char *partition_by,
                         const struct ib_str_map *props, struct op_table *out,
                         struct ice_error *err) ICE_NODISCARD;

/* Whether a new table id may live at location (props: its properties, for
 * write.metadata.path): neither its metadata folder holds another table's metadata nor
 * does the location overlap another table's (reads the storage and the catalog).
 * ICE_EEXISTS naming the other table otherwise. */
int op_check_new_table_location(struct cat_catalog *cat, const struct cat_ident *id,
                                const char *location, const struct ib_str_map *props,
                                struct ice_error *err) ICE_NODISCARD;

#endif
