/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Files a load wrote (data files, manifests, manifest lists, metadata JSON). When the
 * load fails for sure they are deleted; when the commit outcome is unknown they must be
 * kept, because the catalog may already point at them.
 */
#ifndef ICE_OPS_OP_CLEANUP_H
#define ICE_OPS_OP_CLEANUP_H

#include <stddef.h>

#include "util/error.h"

struct op_written {
  char **paths; /* owned local paths */
  size_t n, cap;
};

void op_written_init(struct op_written *w);
/* Remembers a local path (copied). */
int op_written_add(struct op_written *w, const char *local_path, struct ice_error *err)
    ICE_NODISCARD;
/* Deletes every remembered file (best effort; missing files are fine) and forgets them. */
void op_written_delete_all(struct op_written *w);
/* Forgets the files without touching them (after a successful or unknown commit). */
void op_written_reset(struct op_written *w);

#endif
