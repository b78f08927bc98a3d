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
#include "io/io_fileio.h"
#include "util/error.h"

struct op_table {
  struct cat_catalog *cat; /* borrowed */
  struct cat_ident id;
  char *metadata_location; /* owned, as stored in the catalog */
  struct ib_table_metadata md;
};

void op_table_init(struct op_table *t);
void op_table_reset(struct op_table *t);

/* Reads the catalog row and the metadata file it names. */
int op_table_load(struct cat_catalog *cat, const char *ident, struct op_table *out,
                  struct ice_error *err) ICE_NODISCARD;
/* Re-reads the catalog and metadata in place (after a lost race). On failure t is kept
 * as it was. */
int op_table_refresh(struct op_table *t, struct ice_error *err) ICE_NODISCARD;
/* Reads a metadata file given as a catalog location, through io. */
int op_read_metadata(const struct io_fileio *io, const char *location,
                     struct ib_table_metadata *md, struct ice_error *err) ICE_NODISCARD;

/* Creates a table: writes metadata 00000-<uuid>.metadata.json under location (a URI or
 * path; NULL = the catalog's default location) and inserts the catalog row; namespaces
 * are created. On ICE_EEXISTS the written metadata file is removed. */
int op_table_create(struct cat_catalog *cat, const char *ident,
                    const struct ib_schema *schema, const struct ib_str_map *props,
                    struct op_table *out, struct ice_error *err) ICE_NODISCARD;

/* A new table that exists only in memory (metadata_location NULL, no file, no catalog
 * row): op_commit creates it together with its first snapshot. */
int op_table_prepare_new(struct cat_catalog *cat, const char *ident,
                         const struct ib_schema *schema, const struct ib_str_map *props,
                         struct op_table *out, struct ice_error *err) ICE_NODISCARD;

/* Writes md through io to a new file named by the next version under the table's
 * metadata folder (which must lie under a write root); *uri is its location (owned).
 * The file is complete when this returns. */
int op_write_metadata_file(const struct io_fileio *io, const struct ib_table_metadata *md,
                           int version, char **uri, struct ice_error *err) ICE_NODISCARD;
/* The first metadata file (version 0) of a table being created, preceded by its
 * creation marker (op_foreign_metadata.h), whose location is *marker (owned). The
 * caller removes the marker once the catalog row is in, or with the file after a
 * definite failure. */
int op_write_new_table_metadata(const struct io_fileio *io,
                                const struct ib_table_metadata *md, char **uri,
                                char **marker, struct ice_error *err) ICE_NODISCARD;

#endif
