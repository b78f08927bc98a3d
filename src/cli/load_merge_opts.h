/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The options of `icestream load --mode merge`: --merge-key, --strategy, --hard-delete,
 * --dedup, parsed into struct ice_merge_options, and the merge's part of the summary.
 */
#ifndef ICE_CLI_LOAD_MERGE_OPTS_H
#define ICE_CLI_LOAD_MERGE_OPTS_H

#include "ice/ice_table.h"

#define LOAD_MERGE_HELP                                                                  \
  "  --mode merge          merge by key instead (options below; see docs/merge.md)\n"    \
  "  --merge-key COL[,COL...]  the key (default: the table's identifier fields; a\n"     \
  "                        table the merge creates gets these as identifier fields)\n"   \
  "  --strategy S          upsert (default): stored rows of an incoming key are\n"       \
  "                        replaced, other rows inserted; insert-only: stored keys "     \
  "are\n"                                                                                \
  "                        left alone; delete-insert: every stored row of an incoming\n" \
  "                        key is removed and every input row inserted\n"                \
  "  --hard-delete COL     boolean column: rows where it is true delete the stored "     \
  "row\n"                                                                                \
  "                        of their key and are not inserted\n"                          \
  "  --dedup error|first|last  a key repeated in the input is an error (default), or\n"  \
  "                        its first / last row in input order is kept\n"

struct load_merge_opts {
  const char *keys, *strategy, *hard_delete, *dedup;
  const char *key_items[64];
};

/* Consumes one merge option at argv[*i]: 1 taken, 0 not a merge option, -1 usage error
 * (reported). */
int load_merge_opt(int argc, char **argv, int *i, struct load_merge_opts *o);
/* Fills m from o (mode merge); CLI_EXIT_OK or a reported usage error. A merge option
 * without --mode merge is a usage error too. */
int load_merge_finish(struct load_merge_opts *o, int merge_mode,
                      struct ice_merge_options *m);
/* The merge's counters: text lines, or JSON members (",\"rows_inserted\":..."). */
void load_merge_print(const struct ice_commit_info *ci, int json);

#endif
