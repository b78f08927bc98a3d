/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tracking and deleting the files of a failed load (reference/iceberg.md §8.1 step 5).
 * Deletion is best effort: a file left behind is an orphan for maintenance, never a
 * correctness problem, while deleting a referenced file would be. Folders are removed
 * only when this load made them and they are empty, so a concurrent load's files are
 * never touched.
 */
#include "ops/op_cleanup.h"

#include <string.h>

void op_written_init(struct op_written *w, const struct io_fileio *io) {
  w->io = io;
  w->files = (struct io_str_list){0};
  w->dirs = (struct io_str_list){0};
  w->budget = NULL;
  w->held = 0;
}

void op_written_set_budget(struct op_written *w, struct ice_mem_budget *budget) {
  ice_mem_release(w->budget, w->held);
  w->budget = budget;
  ice_mem_hold(budget, w->held);
}

/* A list entry's memory: the copy and its slot (the array doubles, so about two). */
static int64_t entry_bytes(const char *s) {
  return (int64_t)(strlen(s) + 1 + 2 * sizeof(char *));
}

/* Held, not charged: a file being written must be tracked whatever the budget says. */
static int push(struct op_written *w, struct io_str_list *l, const char *s,
                struct ice_error *err) {
  ICE_TRY(io_str_list_push(l, s, err));
  ice_mem_hold(w->budget, entry_bytes(s));
  w->held += entry_bytes(s);
  return ICE_OK;
}

int op_written_add(struct op_written *w, const char *location, struct ice_error *err) {
  int rc = push(w, &w->files, location, err);
  if (rc != ICE_OK) return ice_error_prefix(err, "tracking written files");
  return ICE_OK;
}

int op_written_create(struct op_written *w, const char *location, struct ice_output **out,
                      struct ice_error *err) {
  ICE_TRY(op_written_add(w, location, err));
  size_t before = w->dirs.n;
  int rc = io_fileio_create(w->io, location, &w->dirs, w->budget, out, err);
  for (size_t i = before; i < w->dirs.n; i++) {
    ice_mem_hold(w->budget, entry_bytes(w->dirs.items[i]));
    w->held += entry_bytes(w->dirs.items[i]);
  }
  return rc;
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
  ice_mem_release(w->budget, w->held);
  w->held = 0;
}
