/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tracking and deleting the files of a failed load (reference/iceberg.md §8.1 step 5).
 * Deletion is best effort: a file left behind is an orphan for maintenance, never a
 * correctness problem, while deleting a referenced file would be. Folders are removed
 * only when this load made them and they are empty, so a concurrent load's files are
 * never touched.
 */
#include "ops/op_cleanup.h"

void op_written_init(struct op_written *w, const struct io_fileio *io) {
  w->io = io;
  w->files = (struct io_str_list){0};
  w->dirs = (struct io_str_list){0};
}

int op_written_add(struct op_written *w, const char *location, struct ice_error *err) {
  int rc = io_str_list_push(&w->files, location, err);
  if (rc != ICE_OK) return ice_error_prefix(err, "tracking written files");
  return ICE_OK;
}

int op_written_create(struct op_written *w, const char *location, struct ice_output **out,
                      struct ice_error *err) {
  ICE_TRY(op_written_add(w, location, err));
  return io_fileio_create(w->io, location, &w->dirs, out, err);
}

void op_written_delete_all(struct op_written *w) {
  for (size_t i = 0; i < w->files.n; i++)
    (void)io_fileio_delete(w->io, w->files.items[i], NULL);
  io_fileio_remove_made_dirs(w->io, &w->dirs);
  op_written_reset(w);
}

void op_written_reset(struct op_written *w) {
  io_str_list_reset(&w->files);
  io_str_list_reset(&w->dirs);
}
