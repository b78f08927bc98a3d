/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Avro schemas of v2 manifests and manifest lists (reference/iceberg.md §3.1, §3.8),
 * with the partition record r102 generated from a partition spec.
 */
#ifndef ICE_ICEBERG_IB_MANIFEST_SCHEMA_H
#define ICE_ICEBERG_IB_MANIFEST_SCHEMA_H

#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_types.h"
#include "util/error.h"

/* The manifest_file record schema of a v2 manifest list (static string). */
const char *ib_manifest_list_avro_schema_v2(void);

/* The manifest_entry schema of a v2 manifest whose data files are partitioned by spec
 * over schema; *out is compact JSON, free with ice_free. */
int ib_manifest_entry_avro_schema(const struct ib_schema *schema,
                                  const struct ib_partition_spec *spec, char **out,
                                  struct ice_error *err) ICE_NODISCARD;

/* Avro-safe field name per Java's AvroSchemaUtil.makeCompatibleName: a leading digit
 * becomes "_d", every other invalid character "_x" + upper-case hex. *out is owned. */
int ib_avro_safe_name(const char *name, char **out, struct ice_error *err) ICE_NODISCARD;

#endif
