/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inputs of `icestream load`: each argument is a Parquet file, a directory (its
 * *.parquet files, sorted, not recursive) or a glob pattern (its matches, sorted;
 * matched directories expand the same way). An argument that yields no Parquet file is
 * an error naming it, so a typo can never turn a replace into an emptied table.
 */
#ifndef ICE_CLI_LOAD_INPUTS_H
#define ICE_CLI_LOAD_INPUTS_H

#include <stddef.h>

struct load_inputs {
  char **items; /* owned paths */
  size_t n, cap;
};

/* Appends what `arg` names. Returns a CLI exit status (the error already printed). */
int load_inputs_expand(struct load_inputs *in, const char *arg);
void load_inputs_free(struct load_inputs *in);

#endif
