/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream drop TABLE [--purge]`: removes a table from the catalog; with --purge also
 * deletes the files under its location (ice_catalog_purge_table).
 */
#include <stdio.h>
#include <string.h>

#include "cli_commands.h"
#include "cmd_common.h"
#include "ice/ice_catalog.h"

static const char drop_help[] =
    "usage: icestream drop [options] TABLE [--purge]\n"
    "Removes TABLE from the catalog. Its files stay where they are (register adopts "
    "them\n"
    "again) unless --purge is given.\n"
    "options:\n" CMD_CATALOG_HELP CMD_ALLOW_HELP
    "  --purge               also delete every file under the table's location (never\n"
    "                        a file outside it); refused for a location outside the\n"
    "                        warehouse and the allowed locations\n";

int cmd_drop(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  const char *table = NULL;
  int purge = 0, r;
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (cmd_is_help(a)) {
      fputs(drop_help, stdout);
      return CLI_EXIT_OK;
    }
    if ((r = cmd_catalog_opt(argc, argv, &i, &copts)) != 0 ||
        (r = cmd_allow_opt(argc, argv, &i, &copts)) != 0) {
      if (r < 0) return CLI_EXIT_USAGE;
    } else if (strcmp(a, "--purge") == 0) {
      purge = 1;
      i++;
    } else if (a[0] == '-') {
      return cmd_usage("drop", "unknown option %s", a);
    } else if (table == NULL) {
      table = a;
      i++;
    } else {
      return cmd_usage("drop", "unexpected argument %s", a);
    }
  }
  if (table == NULL) return cmd_usage("drop", "missing TABLE");
  ice_catalog *cat = NULL;
  int status = cmd_open_catalog(&copts, &cat);
  if (status != CLI_EXIT_OK) return status;
  struct ice_error err;
  ice_error_clear(&err);
  int rc = purge ? ice_catalog_purge_table(cat, table, &err)
                 : ice_catalog_drop_table(cat, table, &err);
  if (rc != ICE_OK)
    status = cli_report(CLI_EXIT_FAIL, "drop %s: %s", table, err.message);
  else
    printf("dropped table %s%s\n", table, purge ? " and deleted its files" : "");
  ice_catalog_close(cat);
  return status;
}
