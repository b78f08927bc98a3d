/* SPDX-License-Identifier: Apache-2.0 */
#include "load_merge_opts.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cmd_common.h"

int load_merge_opt(int argc, char **argv, int *i, struct load_merge_opts *o) {
  int r;
  if ((r = cmd_opt(argc, argv, i, "--merge-key", &o->keys)) != 0) return r;
  if ((r = cmd_opt(argc, argv, i, "--strategy", &o->strategy)) != 0) return r;
  if ((r = cmd_opt(argc, argv, i, "--hard-delete", &o->hard_delete)) != 0) return r;
  return cmd_opt(argc, argv, i, "--dedup", &o->dedup);
}

int load_merge_finish(struct load_merge_opts *o, int merge_mode,
                      struct ice_merge_options *m) {
  ice_merge_options_init(m);
  if (!merge_mode) {
    const char *given = o->keys          ? "--merge-key"
                        : o->strategy    ? "--strategy"
                        : o->hard_delete ? "--hard-delete"
                        : o->dedup       ? "--dedup"
                                         : NULL;
    if (given != NULL) return cmd_usage("load", "%s needs --mode merge", given);
    return CLI_EXIT_OK;
  }
  if (o->keys != NULL) {
    struct ice_error err;
    size_t n = 0;
    if (o->keys[0] == '\0' ||
        cli_split_list((char *)(uintptr_t)o->keys, ',', o->key_items,
                       sizeof o->key_items / sizeof o->key_items[0], &n, "--merge-key",
                       &err) != ICE_OK)
      return cmd_usage("load", "--merge-key needs a comma list of columns");
    m->keys = o->key_items;
    m->n_keys = n;
  }
  const char *s = o->strategy ? o->strategy : "upsert";
  if (strcmp(s, "upsert") == 0) {
    m->strategy = ICE_MERGE_UPSERT;
  } else if (strcmp(s, "insert-only") == 0) {
    m->strategy = ICE_MERGE_INSERT_ONLY;
  } else if (strcmp(s, "delete-insert") == 0) {
    m->strategy = ICE_MERGE_DELETE_INSERT;
  } else {
    return cmd_usage(
        "load", "--strategy must be upsert, insert-only or delete-insert, not '%s'", s);
  }
  const char *d = o->dedup ? o->dedup : "error";
  if (strcmp(d, "error") == 0) {
    m->dedup = ICE_DEDUP_ERROR;
  } else if (strcmp(d, "first") == 0) {
    m->dedup = ICE_DEDUP_FIRST;
  } else if (strcmp(d, "last") == 0) {
    m->dedup = ICE_DEDUP_LAST;
  } else {
    return cmd_usage("load", "--dedup must be error, first or last, not '%s'", d);
  }
  m->hard_delete = o->hard_delete;
  return CLI_EXIT_OK;
}

void load_merge_print(const struct ice_commit_info *ci, int json) {
  if (json) {
    printf(
        ",\"rows_inserted\":%lld,\"rows_updated\":%lld,\"rows_deleted\":%lld,"
        "\"rows_unchanged\":%lld,\"files_scanned\":%lld,\"files_rewritten\":%lld,"
        "\"delete_files_added\":%lld",
        (long long)ci->rows_inserted, (long long)ci->rows_updated,
        (long long)ci->rows_deleted, (long long)ci->rows_unchanged,
        (long long)ci->files_scanned, (long long)ci->files_rewritten,
        (long long)ci->delete_files_added);
    return;
  }
  printf("  rows inserted:      %lld\n", (long long)ci->rows_inserted);
  printf("  rows updated:       %lld\n", (long long)ci->rows_updated);
  printf("  rows deleted:       %lld\n", (long long)ci->rows_deleted);
  printf("  rows unchanged:     %lld\n", (long long)ci->rows_unchanged);
  printf("  files scanned:      %lld\n", (long long)ci->files_scanned);
  printf("  files rewritten:    %lld\n", (long long)ci->files_rewritten);
  printf("  delete files added: %lld\n", (long long)ci->delete_files_added);
}
