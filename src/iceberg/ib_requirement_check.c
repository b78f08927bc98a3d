/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The requirement checker (reference/iceberg.md §8.4, §8.5): does the table as it is
 * now still look like the base the updates were made from? A SQL catalog runs this
 * against the freshly loaded head before applying updates, so a retry after a lost
 * compare-and-swap re-validates exactly what the operation relied on.
 */
#include <inttypes.h>
#include <strings.h>

#include "iceberg/ib_table_refs.h"
#include "iceberg/ib_update.h"

/* Compares one integer-valued requirement with what the table has. */
static int check_id(const char *name, const char *what, int32_t want, int32_t have,
                    struct ice_error *err) {
  if (want == have) return ICE_OK;
  ICE_FAIL(err, ICE_ECONFLICT, "%s: the table's %s is %" PRId32 ", expected %" PRId32,
           name, what, have, want);
}

static int check_ref(const struct ib_requirement *r, const struct ib_table_metadata *md,
                     struct ice_error *err) {
  const char *ref = r->text ? r->text : "";
  int64_t have;
  bool exists = ib_table_metadata_ref(md, ref, &have);
  if (!r->has_snapshot_id) {
    if (!exists) return ICE_OK;
    ICE_FAIL(err, ICE_ECONFLICT,
             "assert-ref-snapshot-id: ref '%.100s' exists (snapshot %" PRId64
             "), expected it not to",
             ref, have);
  }
  if (!exists)
    ICE_FAIL(err, ICE_ECONFLICT,
             "assert-ref-snapshot-id: ref '%.100s' does not exist, expected snapshot "
             "%" PRId64,
             ref, r->snapshot_id);
  if (have != r->snapshot_id)
    ICE_FAIL(err, ICE_ECONFLICT,
             "assert-ref-snapshot-id: ref '%.100s' is at snapshot %" PRId64
             ", expected %" PRId64,
             ref, have, r->snapshot_id);
  return ICE_OK;
}

static int check_one(const struct ib_requirement *r, const struct ib_table_metadata *md,
                     struct ice_error *err) {
  const char *name = ib_requirement_type_name(r->type);
  if (name == NULL)
    ICE_FAIL(err, ICE_EINVAL, "requirement with unknown type %d", (int)r->type);
  if (r->type == IB_REQ_ASSERT_CREATE) {
    if (md == NULL) return ICE_OK;
    ICE_FAIL(err, ICE_ECONFLICT, "assert-create: the table already exists (uuid %s)",
             md->table_uuid ? md->table_uuid : "?");
  }
  if (md == NULL) ICE_FAIL(err, ICE_ECONFLICT, "%s: the table does not exist", name);
  switch (r->type) {
    case IB_REQ_ASSERT_TABLE_UUID: {
      const char *have = md->table_uuid ? md->table_uuid : "";
      const char *want = r->text ? r->text : "";
      /* UUIDs compare case-insensitively; ours and Java's are lower case. */
      if (strcasecmp(have, want) == 0) return ICE_OK;
      ICE_FAIL(err, ICE_ECONFLICT,
               "assert-table-uuid: the table's uuid is %s, expected %s", have, want);
    }
    case IB_REQ_ASSERT_REF_SNAPSHOT_ID:
      return check_ref(r, md, err);
    case IB_REQ_ASSERT_LAST_ASSIGNED_FIELD_ID:
      return check_id(name, "last-column-id", r->id, md->last_column_id, err);
    case IB_REQ_ASSERT_CURRENT_SCHEMA_ID:
      return check_id(name, "current-schema-id", r->id, md->current_schema_id, err);
    case IB_REQ_ASSERT_LAST_ASSIGNED_PARTITION_ID:
      return check_id(name, "last-partition-id", r->id, md->last_partition_id, err);
    case IB_REQ_ASSERT_DEFAULT_SPEC_ID:
      return check_id(name, "default-spec-id", r->id, md->default_spec_id, err);
    case IB_REQ_ASSERT_DEFAULT_SORT_ORDER_ID:
      return check_id(name, "default-sort-order-id", r->id, md->default_sort_order_id,
                      err);
    default:
      break;
  }
  ICE_FAIL(err, ICE_EINTERNAL, "%s: no check", name);
}

int ib_requirements_check(const struct ib_requirement *reqs, size_t n,
                          const struct ib_table_metadata *base, struct ice_error *err) {
  for (size_t i = 0; i < n; i++) ICE_TRY(check_one(&reqs[i], base, err));
  return ICE_OK;
}
