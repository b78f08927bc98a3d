/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test shorthands over the one metadata builder (iceberg/ib_update.h): a new table as a
 * create commit builds it, and a snapshot added on main as an append commit does.
 */
#ifndef ICE_TEST_METADATA_BUILD_H
#define ICE_TEST_METADATA_BUILD_H

#include "iceberg/ib_location.h"
#include "iceberg/ib_table_metadata.h"
#include "iceberg/ib_update.h"

/* ib_commit_new_table (a fresh uuid) applied to nothing; md replaced on success. */
static inline int tb_new_table(const char *location, const struct ib_schema *schema,
                               const struct ib_str_map *props, int64_t now_ms,
                               struct ib_table_metadata *md, struct ice_error *err) {
  char uuid[IB_UUID_STR_LEN];
  struct ib_requirement_list reqs;
  struct ib_update_list ups;
  ib_requirement_list_init(&reqs);
  ib_update_list_init(&ups);
  int rc = ib_uuid4(uuid, err);
  if (rc == ICE_OK)
    rc = ib_commit_new_table(uuid, location, schema, props, &reqs, &ups, err);
  if (rc == ICE_OK) rc = ib_metadata_build(NULL, NULL, ups.items, ups.n, now_ms, md, err);
  ib_requirement_list_reset(&reqs);
  ib_update_list_reset(&ups);
  return rc;
}

/* add on main of md, read from md_location (goes to metadata-log); md replaced on
 * success. */
static inline int tb_add_snapshot(struct ib_table_metadata *md, const char *md_location,
                                  const struct ib_snapshot_add *add, int64_t now_ms,
                                  struct ice_error *err) {
  struct ib_update_list ups;
  ib_update_list_init(&ups);
  struct ib_table_metadata out;
  ib_table_metadata_init(&out);
  int rc = ib_commit_add_snapshot(md, "main", add, &ups, err);
  if (rc == ICE_OK)
    rc = ib_metadata_build(md, md_location, ups.items, ups.n, now_ms, &out, err);
  if (rc == ICE_OK) {
    ib_table_metadata_reset(md);
    *md = out;
  } else {
    ib_table_metadata_reset(&out);
  }
  ib_update_list_reset(&ups);
  return rc;
}

#endif
