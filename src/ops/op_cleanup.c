/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tracking and deleting the files of a failed load (reference/iceberg.md §8.1 step 5).
 * Deletion is best effort: a file left behind is an orphan for maintenance, never a
 * correctness problem, while deleting a referenced file would be.
 */
#include "ops/op_cleanup.h"

#include <stdio.h>

#include "util/alloc.h"

void op_written_init(struct op_written *w) {
  w->paths = NULL;
  w->n = 0;
  w->cap = 0;
}

int op_written_add(struct op_written *w, const char *local_path, struct ice_error *err) {
  if (w->n == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 32;
    char **p = ice_realloc(w->paths, cap * sizeof *p);
    if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory tracking written files");
    w->paths = p;
    w->cap = cap;
  }
  char *copy = ice_strdup(local_path);
  if (copy == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory tracking written files");
  w->paths[w->n++] = copy;
  return ICE_OK;
}

void op_written_delete_all(struct op_written *w) {
  for (size_t i = 0; i < w->n; i++) (void)remove(w->paths[i]);
  op_written_reset(w);
}

void op_written_reset(struct op_written *w) {
  for (size_t i = 0; i < w->n; i++) ice_free(w->paths[i]);
  ice_free(w->paths);
  op_written_init(w);
}
