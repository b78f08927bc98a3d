/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The properties a table is created with: the reserved format-version, and checks that
 * make a typo in a write.*, commit.retry.* or manifest property fail before the table
 * exists instead of at its first load.
 */
#ifndef ICE_OPS_OP_TABLE_PROPS_H
#define ICE_OPS_OP_TABLE_PROPS_H

#include "iceberg/ib_str_map.h"
#include "util/error.h"
#include "writer/wr_data_writer.h"

/* Takes "format-version" out of props (it is reserved: never stored): *version is 2
 * when absent; 3 is ICE_EUNSUPPORTED, anything else ICE_EINVAL. */
int op_take_format_version(struct ib_str_map *props, int *version,
                           struct ice_error *err) ICE_NODISCARD;
/* ICE_EINVAL naming the first property the table could not be written with. */
int op_table_props_validate(const struct ib_str_map *props,
                            struct ice_error *err) ICE_NODISCARD;
/* Applies the write properties the data writer understands (others belong to other
 * parts: commit.*, owner, ...) to o. */
int op_table_props_writer_options(const struct ib_str_map *props, struct wr_options *o,
                                  struct ice_error *err) ICE_NODISCARD;

/* write.partition.max-open-files (our property): partition writers a load keeps open
 * at once; *out 0 when unset. ICE_EINVAL unless a positive integer. */
int op_table_props_max_open_files(const struct ib_str_map *props, int64_t *out,
                                  struct ice_error *err) ICE_NODISCARD;

/* Java's default write.delete.target-file-size-bytes. */
#define OP_DELETE_TARGET_FILE_BYTES (64ll * 1024 * 1024)
/* The options delete files are written with (reference/iceberg.md §9): the data
 * settings of op_table_props_writer_options, then write.delete.target-file-size-bytes
 * (default OP_DELETE_TARGET_FILE_BYTES, whatever the data files' target) and
 * write.delete.parquet.<x> in place of write.parquet.<x>, as Java does. ICE_EINVAL
 * naming the property the writer refuses. */
int op_table_props_delete_writer_options(const struct ib_str_map *props,
                                         struct wr_options *o,
                                         struct ice_error *err) ICE_NODISCARD;

#endif
