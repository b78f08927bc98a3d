/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tracking and deleting the files of a failed load (reference/iceberg.md §8.1 step 5).
 * Deletion is best effort: a file left behind is an orphan for maintenance, never a
 * correctness problem, while deleting a referenced file would be. Directories are
 * removed only when this load made them and they are empty, so a concurrent load's
 * files are never touched.
 */
#include "ops/op_cleanup.h"

#include "util/alloc.h"

static void list_init(struct op_path_list *l) {
  l->items = NULL;
  l->n = 0;
  l->cap = 0;
}

static int list_add(struct op_path_list *l, const char *path, struct ice_error *err) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 32;
    char **p = ice_realloc(l->items, cap * sizeof *p);
    if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory tracking written files");
    l->items = p;
    l->cap = cap;
  }
  char *copy = ice_strdup(path);
  if (copy == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory tracking written files");
  l->items[l->n++] = copy;
  return ICE_OK;
}

static void list_reset(struct op_path_list *l) {
  for (size_t i = 0; i < l->n; i++) ice_free(l->items[i]);
  ice_free(l->items);
  list_init(l);
}

void op_written_init(struct op_written *w) {
  list_init(&w->files);
  list_init(&w->dirs);
}

int op_written_add(struct op_written *w, const char *local_path, struct ice_error *err) {
  return list_add(&w->files, local_path, err);
}

static int note_dir(void *user, const char *dir, struct ice_error *err) {
  return list_add(&((struct op_written *)user)->dirs, dir, err);
}

int op_written_create(struct op_written *w, const char *local_path, struct ice_output **out,
                      struct ice_error *err) {
  ICE_TRY(op_written_add(w, local_path, err));
  return io_local_create_noting(local_path, note_dir, w, out, err);
}

void op_written_delete_all(struct op_written *w) {
  for (size_t i = 0; i < w->files.n; i++) io_local_remove_file(w->files.items[i]);
  for (size_t i = w->dirs.n; i > 0; i--) io_local_remove_empty_dir(w->dirs.items[i - 1]);
  op_written_reset(w);
}

void op_written_reset(struct op_written *w) {
  list_reset(&w->files);
  list_reset(&w->dirs);
}
