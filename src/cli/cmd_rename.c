/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream rename FROM TO`: gives a table a new identifier (ice_catalog_rename_table).
 */
#include <stdio.h>
#include <string.h>

#include "cli_commands.h"
#include "cmd_common.h"
#include "ice/ice_catalog.h"

static const char rename_help[] =
    "usage: icestream rename [options] FROM TO\n"
    "Renames table FROM to TO (\"ns.table\" each; TO may be in another namespace, which\n"
    "must exist). Only the catalog entry changes: the table's location and files stay.\n"
    "Fails when FROM does not exist or TO does.\n"
    "options:\n" CMD_CATALOG_HELP;

int cmd_rename(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  const char *from = NULL, *to = NULL;
  int r;
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (cmd_is_help(a)) {
      fputs(rename_help, stdout);
      return CLI_EXIT_OK;
    }
    if ((r = cmd_catalog_opt(argc, argv, &i, &copts)) != 0) {
      if (r < 0) return CLI_EXIT_USAGE;
    } else if (a[0] == '-') {
      return cmd_usage("rename", "unknown option %s", a);
    } else if (from == NULL) {
      from = a;
      i++;
    } else if (to == NULL) {
      to = a;
      i++;
    } else {
      return cmd_usage("rename", "unexpected argument %s", a);
    }
  }
  if (to == NULL) return cmd_usage("rename", "expected FROM and TO");
  ice_catalog *cat = NULL;
  int status = cmd_open_catalog(&copts, &cat);
  if (status != CLI_EXIT_OK) return status;
  struct ice_error err;
  ice_error_clear(&err);
  if (ice_catalog_rename_table(cat, from, to, &err) != ICE_OK)
    status = cli_report(CLI_EXIT_FAIL, "rename %s: %s", from, err.message);
  else
    printf("renamed table %s to %s\n", from, to);
  ice_catalog_close(cat);
  return status;
}
