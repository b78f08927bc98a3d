/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Files a load wrote (data files, manifests, manifest lists, metadata JSON), and the
 * folders storage had to make for them. When the load fails for sure they are deleted
 * through the FileIO (folders only when empty); when the commit outcome is unknown they
 * must be kept, because the catalog may already point at them.
 */
#ifndef ICE_OPS_OP_CLEANUP_H
#define ICE_OPS_OP_CLEANUP_H

#include <stddef.h>

#include "io/io.h"
#include "io/io_fileio.h"
#include "util/error.h"
#include "util/mem_budget.h"

struct op_written {
  const struct io_fileio *io; /* borrowed */
  struct io_str_list files;   /* locations */
  struct io_str_list dirs;    /* made for them by storage, outermost first */
  struct ice_mem_budget *budget; /* the job's, or NULL (borrowed) */
  int64_t held;                  /* bytes of both lists held in it */
};

void op_written_init(struct op_written *w, const struct io_fileio *io);
/* Charges the lists, and the write buffers of the outputs op_written_create makes, to
 * `budget` (a load's: one entry per file it writes, thousands when partitioned). Set
 * before the first file. */
void op_written_set_budget(struct op_written *w, struct ice_mem_budget *budget);
/* Remembers a location (copied). */
int op_written_add(struct op_written *w, const char *location,
                   struct ice_error *err) ICE_NODISCARD;
/* Creates location for writing, remembered (with any folder made for it) before it
 * exists, so every failure path can remove it. */
int op_written_create(struct op_written *w, const char *location, struct ice_output **out,
                      struct ice_error *err) ICE_NODISCARD;
/* Deletes every remembered file (best effort; missing files are fine), then the
 * folders made for them that are empty now, and forgets them all. */
void op_written_delete_all(struct op_written *w);
/* Forgets the files without touching them (after a successful or unknown commit). */
void op_written_reset(struct op_written *w);

#endif
