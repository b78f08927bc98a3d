/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hash-partitioned spill files for work that does not fit the memory budget (a
 * merge's key index): records of (key, fixed-size payload) are appended to one of
 * n_parts files by the key's hash, then read back one part at a time. The files live
 * in a private folder under the local temporary directory ($TMPDIR, else /tmp), reached
 * through a FileIO of their own that may write only there; they are removed on close,
 * and folders left by a killed process are removed by the next one that spills.
 * Write buffers, the outputs' own included, are charged to the budget.
 */
#ifndef ICE_OPS_OP_SPILL_H
#define ICE_OPS_OP_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "io/io.h"
#include "io/io_fileio.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem_budget.h"

struct op_spill {
  struct io_fileio *io;
  char *dir; /* the private folder (owned) */
  size_t n_parts;
  size_t payload_size;
  struct ice_output **out; /* per part; NULL once finished */
  struct ice_buf *bufs;    /* per part */
  size_t buf_size;
  char **paths;
  struct io_str_list extra; /* files made by op_spill_create_file */
  struct ice_mem_budget *budget; /* charged with buffers and the outputs' (borrowed) */
  struct ice_mem_budget no_room; /* limit 0: the parts' outputs write through, as their
                                  * records are buffered in `bufs` already */
  int64_t records, bytes;
};

/* The part a key belongs to (bits of its hash the key maps do not use for slots). */
size_t op_spill_part_of(const uint8_t *key, size_t len, size_t n_parts);

/* Creates the folder and n_parts (a power of two, or 0 for a folder that only holds
 * op_spill_create_file's files) empty files. */
int op_spill_open(struct op_spill *s, size_t n_parts, size_t payload_size,
                  struct ice_mem_budget *budget, struct ice_error *err) ICE_NODISCARD;
int op_spill_put(struct op_spill *s, const uint8_t *key, size_t len, const void *payload,
                 struct ice_error *err) ICE_NODISCARD;
/* Flushes and closes every part (after the last put). */
int op_spill_finish(struct op_spill *s, struct ice_error *err) ICE_NODISCARD;

typedef int (*op_spill_record_fn)(void *ctx, const uint8_t *key, size_t len,
                                  const uint8_t *payload, struct ice_error *err);
/* Calls fn for every record of part `part`, in the order they were put. A truncated or
 * malformed file is ICE_ECORRUPT. */
int op_spill_read(const struct op_spill *s, size_t part, op_spill_record_fn fn, void *ctx,
                  struct ice_error *err) ICE_NODISCARD;
/* Creates file `name` in the spill folder (removed with it) for sequential writing;
 * *path (owned) is its local path, for reading it back. */
int op_spill_create_file(struct op_spill *s, const char *name, struct ice_output **out,
                         char **path, struct ice_error *err) ICE_NODISCARD;
/* Calls fn for each whole record at the start of p[0..n); *used is how many bytes they
 * took (a record cut off at the end is left for the next chunk). */
int op_spill_parse(size_t payload_size, const uint8_t *p, size_t n, size_t *used,
                   op_spill_record_fn fn, void *ctx, struct ice_error *err) ICE_NODISCARD;
/* Deletes the files and the folder; safe on a zeroed spill. */
void op_spill_close(struct op_spill *s);

#endif
