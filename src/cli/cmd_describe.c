/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream describe TABLE [--json]` and `icestream snapshots TABLE [--json]`: print
 * what ice_table_describe() / ice_table_snapshots() render.
 */
#include <stdio.h>
#include <string.h>

#include "cmd_common.h"
#include "ice/ice_parquet.h"
#include "ice/ice_table.h"

typedef int (*render_fn)(const ice_table *tbl, int json, char **out, struct ice_error *err);

static int run_show(int argc, char **argv, const char *help, render_fn render) {
  struct cmd_catalog_opts copts = {0};
  const char *table = NULL, *metadata = NULL;
  int json = 0, r, status;
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (cmd_is_help(a)) {
      fputs(help, stdout);
      return CLI_EXIT_OK;
    }
    if (strcmp(a, "--json") == 0) {
      json = 1;
      i++;
    } else if ((r = cmd_catalog_opt(argc, argv, &i, &copts)) != 0 ||
               (r = cmd_opt(argc, argv, &i, "--metadata", &metadata)) != 0) {
      if (r < 0) return CLI_EXIT_USAGE;
    } else if (a[0] == '-') {
      return cmd_usage(argv[0], "unknown option %s", a);
    } else if (table == NULL) {
      table = a;
      i++;
    } else {
      return cmd_usage(argv[0], "unexpected argument %s", a);
    }
  }
  ice_catalog *cat = NULL;
  ice_table *tbl = NULL;
  status = cmd_open_table(argv[0], &copts, table, metadata, &cat, &tbl);
  if (status != CLI_EXIT_OK) return status;
  char *text = NULL;
  struct ice_error err;
  ice_error_clear(&err);
  if (render(tbl, json, &text, &err) != ICE_OK) {
    status = cli_report(CLI_EXIT_FAIL, "%s %s: %s", argv[0], table ? table : metadata,
                        err.message);
  } else {
    fputs(text, stdout);
    if (fflush(stdout) != 0) status = cli_report(CLI_EXIT_FAIL, "writing output failed");
  }
  ice_string_free(text);
  ice_table_free(tbl);
  ice_catalog_close(cat);
  return status;
}

static const char describe_help[] =
    "usage: icestream describe [options] TABLE | --metadata FILE\n"
    "Shows a table: location, format version, schema with field ids, partitioning,\n"
    "properties and the current snapshot's summary.\n"
    "options:\n" CMD_CATALOG_HELP CMD_METADATA_HELP
    "  --json                one JSON object\n";

static const char snapshots_help[] =
    "usage: icestream snapshots [options] TABLE | --metadata FILE\n"
    "Lists a table's snapshots, oldest first: id, parent, sequence number, time,\n"
    "operation and summary.\n"
    "options:\n" CMD_CATALOG_HELP CMD_METADATA_HELP
    "  --json                a JSON array\n";

int cmd_describe(int argc, char **argv) {
  return run_show(argc, argv, describe_help, ice_table_describe);
}

int cmd_snapshots(int argc, char **argv) {
  return run_show(argc, argv, snapshots_help, ice_table_snapshots);
}
