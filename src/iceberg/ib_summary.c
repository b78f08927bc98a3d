/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapshot summaries (spec "Snapshot Summary", reference/iceberg.md §2.3): counters
 * for the files a commit adds and removes, and the six totals carried forward from the
 * previous head as Java's SnapshotProducer.updateTotal does.
 */
#include "iceberg/ib_summary.h"

#include <string.h>

void ib_summary_builder_init(struct ib_summary_builder *b) {
  memset(b, 0, sizeof(*b));
}

static int add_checked(int64_t *acc, int64_t v, struct ice_error *err) {
  if (v < 0) ICE_FAIL(err, ICE_EINVAL, "summary: negative count or size");
  if (*acc > INT64_MAX - v) ICE_FAIL(err, ICE_EINVAL, "summary: counter overflow");
  *acc += v;
  return ICE_OK;
}

/* Shared by add and remove: the counters differ, the classification does not. */
static int count_file(const struct ib_data_file *f, int64_t *files, int64_t *delete_files,
                      int64_t *pos_files, int64_t *eq_files, int64_t *records,
                      int64_t *size, int64_t *pos_rows, int64_t *eq_rows,
                      struct ice_error *err) {
  ICE_TRY(add_checked(size, f->file_size_in_bytes, err));
  switch (f->content) {
    case IB_CONTENT_DATA:
      ICE_TRY(add_checked(files, 1, err));
      return add_checked(records, f->record_count, err);
    case IB_CONTENT_POSITION_DELETES:
      ICE_TRY(add_checked(delete_files, 1, err));
      ICE_TRY(add_checked(pos_files, 1, err));
      return add_checked(pos_rows, f->record_count, err);
    case IB_CONTENT_EQUALITY_DELETES:
      ICE_TRY(add_checked(delete_files, 1, err));
      ICE_TRY(add_checked(eq_files, 1, err));
      return add_checked(eq_rows, f->record_count, err);
  }
  ICE_FAIL(err, ICE_EINVAL, "summary: unknown content %d", (int)f->content);
}

int ib_summary_add_file(struct ib_summary_builder *b, const struct ib_data_file *f,
                        struct ice_error *err) {
  return count_file(f, &b->added_data_files, &b->added_delete_files,
                    &b->added_pos_delete_files, &b->added_eq_delete_files,
                    &b->added_records, &b->added_files_size, &b->added_pos_deletes,
                    &b->added_eq_deletes, err);
}

int ib_summary_remove_file(struct ib_summary_builder *b, const struct ib_data_file *f,
                           struct ice_error *err) {
  return count_file(f, &b->deleted_data_files, &b->removed_delete_files,
                    &b->removed_pos_delete_files, &b->removed_eq_delete_files,
                    &b->deleted_records, &b->removed_files_size, &b->removed_pos_deletes,
                    &b->removed_eq_deletes, err);
}

static int put_nonzero(struct ib_str_map *m, const char *key, int64_t v,
                       struct ice_error *err) {
  if (v == 0) return ICE_OK;
  return ib_str_map_set_i64(m, key, v, err);
}

static int put_total(struct ib_str_map *m, const struct ib_str_map *prev, const char *key,
                     int64_t added, int64_t removed, struct ice_error *err) {
  int64_t base = 0;
  if (prev != NULL && ib_str_map_get_i64(prev, key, &base) != 0) return ICE_OK;
  /* Saturating arithmetic: a total that does not fit or goes negative is omitted. */
  if (added > 0 && base > INT64_MAX - added) return ICE_OK;
  int64_t v = base + added;
  if (v < removed) return ICE_OK;
  return ib_str_map_set_i64(m, key, v - removed, err);
}

int ib_summary_build(const struct ib_summary_builder *b, const char *operation,
                     const struct ib_str_map *previous, struct ib_str_map *out,
                     struct ice_error *err) {
  ICE_TRY(ib_str_map_set(out, "operation", operation, err));
  if (b->replace_partitions) ICE_TRY(ib_str_map_set(out, "replace-partitions", "true", err));
  ICE_TRY(put_nonzero(out, "added-data-files", b->added_data_files, err));
  ICE_TRY(put_nonzero(out, "deleted-data-files", b->deleted_data_files, err));
  ICE_TRY(put_nonzero(out, "added-delete-files", b->added_delete_files, err));
  ICE_TRY(
      put_nonzero(out, "added-position-delete-files", b->added_pos_delete_files, err));
  ICE_TRY(put_nonzero(out, "added-equality-delete-files", b->added_eq_delete_files, err));
  ICE_TRY(put_nonzero(out, "removed-delete-files", b->removed_delete_files, err));
  ICE_TRY(put_nonzero(out, "removed-position-delete-files", b->removed_pos_delete_files,
                      err));
  ICE_TRY(
      put_nonzero(out, "removed-equality-delete-files", b->removed_eq_delete_files, err));
  ICE_TRY(put_nonzero(out, "added-records", b->added_records, err));
  ICE_TRY(put_nonzero(out, "deleted-records", b->deleted_records, err));
  ICE_TRY(put_nonzero(out, "added-files-size", b->added_files_size, err));
  ICE_TRY(put_nonzero(out, "removed-files-size", b->removed_files_size, err));
  ICE_TRY(put_nonzero(out, "added-position-deletes", b->added_pos_deletes, err));
  ICE_TRY(put_nonzero(out, "removed-position-deletes", b->removed_pos_deletes, err));
  ICE_TRY(put_nonzero(out, "added-equality-deletes", b->added_eq_deletes, err));
  ICE_TRY(put_nonzero(out, "removed-equality-deletes", b->removed_eq_deletes, err));
  ICE_TRY(put_nonzero(out, "changed-partition-count", b->changed_partitions, err));
  ICE_TRY(put_total(out, previous, "total-data-files", b->added_data_files,
                    b->deleted_data_files, err));
  ICE_TRY(put_total(out, previous, "total-delete-files", b->added_delete_files,
                    b->removed_delete_files, err));
  ICE_TRY(put_total(out, previous, "total-records", b->added_records, b->deleted_records,
                    err));
  ICE_TRY(put_total(out, previous, "total-files-size", b->added_files_size,
                    b->removed_files_size, err));
  ICE_TRY(put_total(out, previous, "total-position-deletes", b->added_pos_deletes,
                    b->removed_pos_deletes, err));
  ICE_TRY(put_total(out, previous, "total-equality-deletes", b->added_eq_deletes,
                    b->removed_eq_deletes, err));
  return ICE_OK;
}
