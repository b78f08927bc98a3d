/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream alter TABLE [--set-property K=V]... [--unset-property K]...`: changes a
 * table's properties in one commit (ice_table_update_properties);
 * `icestream alter TABLE --partition-by SPEC`: a new default partition spec in one
 * commit (ice_table_update_partition_spec).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_commands.h"
#include "cmd_common.h"
#include "ice/ice_table.h"

static const char alter_help[] =
    "usage: icestream alter [options] TABLE [--set-property K=V]... [--unset-property "
    "K]...\n"
    "       icestream alter [options] TABLE --partition-by SPEC\n"
    "Changes a table's properties, or its partition spec, in one commit (a new\n"
    "metadata file, no new snapshot). Property values are checked as at creation;\n"
    "format-version cannot be changed.\n"
    "options:\n" CMD_CATALOG_HELP CMD_ALLOW_HELP
    "  --set-property K=V    set table property K to V (repeatable)\n"
    "  --unset-property K    remove table property K; a missing K is ignored "
    "(repeatable)\n"
    "  --partition-by SPEC   partition evolution: SPEC (as for create, e.g.\n"
    "                        'day(ts), bucket(16, id)') becomes the default spec;\n"
    "                        files already written keep theirs; '' = unpartitioned\n";

int cmd_alter(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  const char *table = NULL, *v = NULL, *partition_by = NULL;
  const char **set = calloc((size_t)argc * 2 + 1, sizeof *set);
  const char **unset = calloc((size_t)argc + 1, sizeof *unset);
  size_t n_set = 0, n_unset = 0;
  int status = CLI_EXIT_OK, r;
  ice_catalog *cat = NULL;
  ice_table *tbl = NULL;
  struct ice_error err;
  ice_error_clear(&err);
  if (set == NULL || unset == NULL) {
    status = cli_report(CLI_EXIT_FAIL, "alter: out of memory");
    goto done;
  }
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (cmd_is_help(a)) {
      fputs(alter_help, stdout);
      goto done;
    }
    if ((r = cmd_catalog_opt(argc, argv, &i, &copts)) != 0 ||
        (r = cmd_allow_opt(argc, argv, &i, &copts)) != 0 ||
        (r = cmd_key_value_opt("alter", argc, argv, &i, "--set-property", set, &n_set)) !=
            0 ||
        (r = cmd_opt(argc, argv, &i, "--partition-by", &partition_by)) != 0) {
      if (r < 0) {
        status = CLI_EXIT_USAGE;
        goto done;
      }
    } else if ((r = cmd_opt(argc, argv, &i, "--unset-property", &v)) != 0) {
      if (r < 0) {
        status = CLI_EXIT_USAGE;
        goto done;
      }
      unset[n_unset++] = v;
    } else if (a[0] == '-') {
      status = cmd_usage("alter", "unknown option %s", a);
      goto done;
    } else if (table == NULL) {
      table = a;
      i++;
    } else {
      status = cmd_usage("alter", "unexpected argument %s", a);
      goto done;
    }
  }
  if (table == NULL) {
    status = cmd_usage("alter", "missing TABLE");
    goto done;
  }
  if (n_set == 0 && n_unset == 0 && partition_by == NULL) {
    status = cmd_usage("alter",
                       "nothing to change (--set-property, --unset-property or "
                       "--partition-by)");
    goto done;
  }
  if (partition_by != NULL && (n_set > 0 || n_unset > 0)) {
    status = cmd_usage("alter",
                       "--partition-by is its own commit: change properties in "
                       "another alter");
    goto done;
  }
  status = cmd_open_catalog(&copts, &cat);
  if (status != CLI_EXIT_OK) goto done;
  int changed = 1;
  if (ice_table_load(cat, table, &tbl, &err) != ICE_OK ||
      (partition_by != NULL
           ? ice_table_update_partition_spec(tbl, partition_by, &changed, &err)
           : ice_table_update_properties(tbl, n_set ? set : NULL, n_unset ? unset : NULL,
                                         &err)) != ICE_OK) {
    status = cli_report(CLI_EXIT_FAIL, "alter %s: %s", table, err.message);
    goto done;
  }
  if (!changed)
    printf("table %s already has this partition spec; nothing committed\n", table);
  else
    printf("altered table %s\n", table);
  printf("  metadata: %s\n", ice_table_metadata_location(tbl));
done:
  ice_table_free(tbl);
  ice_catalog_close(cat);
  free(set);
  free(unset);
  return status;
}
