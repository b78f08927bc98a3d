/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream tables [NAMESPACE]`: lists the catalog's tables (all of them, or those of
 * one namespace), one identifier per line.
 */
#include <stdio.h>
#include <string.h>

#include "cmd_common.h"

static const char tables_help[] =
    "usage: icestream tables [options] [NAMESPACE]\n"
    "Lists tables as namespace.table, one per line, sorted.\n"
    "options:\n" CMD_CATALOG_HELP;

int cmd_tables(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  const char *ns = NULL;
  int r;
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (cmd_is_help(a)) {
      fputs(tables_help, stdout);
      return CLI_EXIT_OK;
    }
    if ((r = cmd_catalog_opt(argc, argv, &i, &copts)) != 0) {
      if (r < 0) return CLI_EXIT_USAGE;
    } else if (a[0] == '-') {
      return cmd_usage("tables", "unknown option %s", a);
    } else if (ns == NULL) {
      ns = a;
      i++;
    } else {
      return cmd_usage("tables", "unexpected argument %s", a);
    }
  }
  ice_catalog *cat = NULL;
  int status = cmd_open_catalog(&copts, &cat);
  if (status != CLI_EXIT_OK) return status;
  struct ice_string_list list = {0};
  struct ice_error err;
  ice_error_clear(&err);
  if (ice_catalog_list_tables(cat, ns, &list, &err) != ICE_OK) {
    status = cli_report(CLI_EXIT_FAIL, "tables: %s", err.message);
  } else {
    for (size_t i = 0; i < list.n; i++) puts(list.items[i]);
    if (fflush(stdout) != 0) status = cli_report(CLI_EXIT_FAIL, "writing output failed");
  }
  ice_string_list_free(&list);
  ice_catalog_close(cat);
  return status;
}
