/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checks that table metadata can take another commit without producing a broken table:
 * the id and sequence counters a writer advances must really be above everything already
 * assigned. Readers tolerate a low last-column-id (Java does not check it on read and
 * pyiceberg's example metadata has one), but a writer trusting it could hand out a
 * field id that is already used, so writes refuse such a table before writing anything.
 */
#include <inttypes.h>

#include "iceberg/ib_table_metadata.h"

#define PFX "table metadata: "

static int32_t highest_partition_field_id(const struct ib_table_metadata *md) {
  int32_t hi = -1;
  for (size_t i = 0; i < md->n_specs; i++) {
    for (size_t j = 0; j < md->specs[i].n_fields; j++) {
      if (md->specs[i].fields[j].field_id > hi) hi = md->specs[i].fields[j].field_id;
    }
  }
  return hi;
}

static int check_column_ids(const struct ib_table_metadata *md, struct ice_error *err) {
  for (size_t i = 0; i < md->n_schemas; i++) {
    int32_t hi = ib_schema_highest_field_id(&md->schemas[i]);
    ICE_CHECK_DATA(md->last_column_id >= hi, err,
                   PFX "last-column-id %" PRId32 " is below field id %" PRId32
                       " of schema %" PRId32 "; a write could reuse a field id",
                   md->last_column_id, hi, md->schemas[i].schema_id);
  }
  return ICE_OK;
}

int ib_table_metadata_check_writable(const struct ib_table_metadata *md,
                                     struct ice_error *err) {
  ICE_TRY(check_column_ids(md, err));
  int32_t hi = highest_partition_field_id(md);
  ICE_CHECK_DATA(md->last_partition_id >= hi, err,
                 PFX "last-partition-id %" PRId32 " is below partition field id %" PRId32
                     "; a write could reuse a partition field id",
                 md->last_partition_id, hi);
  ICE_CHECK_DATA(md->last_sequence_number < INT64_MAX, err,
                 PFX "last-sequence-number %" PRId64 " cannot be advanced",
                 md->last_sequence_number);
  return ICE_OK;
}
