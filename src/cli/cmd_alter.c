/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream alter TABLE [--set-property K=V]... [--unset-property K]...`: changes a
 * table's properties in one commit (ice_table_update_properties).
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
    "Changes a table's properties in one commit (a new metadata file, no new snapshot).\n"
    "The values are checked as at creation; format-version cannot be changed.\n"
    "options:\n" CMD_CATALOG_HELP CMD_ALLOW_HELP
    "  --set-property K=V    set table property K to V (repeatable)\n"
    "  --unset-property K    remove table property K; a missing K is ignored "
    "(repeatable)\n";

int cmd_alter(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  const char *table = NULL, *v = NULL;
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
            0) {
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
  if (n_set == 0 && n_unset == 0) {
    status = cmd_usage("alter", "nothing to change (--set-property or --unset-property)");
    goto done;
  }
  status = cmd_open_catalog(&copts, &cat);
  if (status != CLI_EXIT_OK) goto done;
  if (ice_table_load(cat, table, &tbl, &err) != ICE_OK ||
      ice_table_update_properties(tbl, n_set ? set : NULL, n_unset ? unset : NULL,
                                  &err) != ICE_OK) {
    status = cli_report(CLI_EXIT_FAIL, "alter %s: %s", table, err.message);
    goto done;
  }
  printf("altered table %s\n  metadata: %s\n", table, ice_table_metadata_location(tbl));
done:
  ice_table_free(tbl);
  ice_catalog_close(cat);
  free(set);
  free(unset);
  return status;
}
