/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Files a load wrote (data files, manifests, manifest lists, metadata JSON), and the
 * directories it had to make for them. When the load fails for sure they are deleted
 * (directories only when empty); when the commit outcome is unknown they must be kept,
 * because the catalog may already point at them.
 */
#ifndef ICE_OPS_OP_CLEANUP_H
#define ICE_OPS_OP_CLEANUP_H

#include <stddef.h>

#include "io/io.h"
#include "util/error.h"

struct op_path_list {
  char **items; /* owned */
  size_t n, cap;
};

struct op_written {
  struct op_path_list files;
  struct op_path_list dirs; /* made by this load, outermost first */
};

void op_written_init(struct op_written *w);
/* Remembers a local path (copied). */
int op_written_add(struct op_written *w, const char *local_path, struct ice_error *err)
    ICE_NODISCARD;
/* Creates a local file for writing, remembered (with any directory made for it) before
 * it exists, so every failure path can remove it. */
int op_written_create(struct op_written *w, const char *local_path, struct ice_output **out,
                      struct ice_error *err) ICE_NODISCARD;
/* Deletes every remembered file (best effort; missing files are fine), then the
 * directories made for them that are empty now, and forgets them all. */
void op_written_delete_all(struct op_written *w);
/* Forgets the files without touching them (after a successful or unknown commit). */
void op_written_reset(struct op_written *w);

#endif
