/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The position-delete schema (ib_pos_delete_schema.h). The docs are Java's, so a
 * footer "iceberg.schema" reads the same as one Java wrote.
 */
#include "iceberg/ib_pos_delete_schema.h"

static int set_field(struct ib_field *f, int32_t id, const char *name,
                     enum ib_type_id type, const char *doc, struct ice_error *err) {
  ICE_TRY(ib_field_init(f, id, name, true, doc, err));
  f->type.id = type;
  return ICE_OK;
}

int ib_pos_delete_schema(struct ib_schema *out, struct ice_error *err) {
  struct ib_schema s;
  ib_schema_init(&s, 0);
  int rc = ib_type_alloc_fields(&s.root, 2, err);
  if (rc == ICE_OK)
    rc =
        set_field(&s.root.fields[0], IB_POS_DELETE_FILE_PATH_ID, "file_path",
                  IB_TYPE_STRING, "Path of a file in which a deleted row is stored", err);
  if (rc == ICE_OK)
    rc = set_field(&s.root.fields[1], IB_POS_DELETE_POS_ID, "pos", IB_TYPE_LONG,
                   "Ordinal position of a deleted row in the data file", err);
  if (rc != ICE_OK) {
    ib_schema_reset(&s);
    return rc;
  }
  *out = s;
  return ICE_OK;
}
