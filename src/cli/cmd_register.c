/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream register TABLE METADATA_LOCATION [--json]`: adds an existing table (written
 * by dlt, pyiceberg, Spark, or dropped from this catalog) to the catalog, pointing at the
 * metadata file that is current; its history then continues with the next load.
 */
#include <stdio.h>
#include <string.h>

#include "cmd_common.h"
#include "ice/ice_table.h"

static const char register_help[] =
    "usage: icestream register [options] TABLE METADATA_LOCATION\n"
    "Adds an existing Iceberg table to the catalog: TABLE (ns.table) will point at\n"
    "METADATA_LOCATION, the table's current *.metadata.json (a path or file: URI). Use "
    "it\n"
    "for a table whose files are there but whose catalog row is not (e.g. written by "
    "dlt\n"
    "with an in-memory catalog); loads then continue its history.\n"
    "options:\n" CMD_CATALOG_HELP "  --json                print one JSON object\n";

static void print_result(const char *table, const ice_table *tbl, int json) {
  const char *loc = ice_table_metadata_location(tbl);
  long long snap = (long long)ice_table_current_snapshot_id(tbl);
  if (json) {
    printf("{\"table\":");
    cmd_print_json_string(table);
    printf(",\"registered\":true,\"metadata_location\":");
    cmd_print_json_string(loc);
    if (snap >= 0)
      printf(",\"current_snapshot_id\":%lld}\n", snap);
    else
      printf(",\"current_snapshot_id\":null}\n");
    return;
  }
  printf("registered table %s\n  metadata: %s\n", table, loc);
  if (snap >= 0)
    printf("  current snapshot: %lld\n", snap);
  else
    printf("  current snapshot: none\n");
}

int cmd_register(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  copts.may_create = 1; /* registering may start a catalog for existing files */
  const char *pos[2] = {NULL, NULL};
  int json = 0, r, n_pos = 0, only_positional = 0;
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (!only_positional && cmd_is_help(a)) {
      fputs(register_help, stdout);
      return CLI_EXIT_OK;
    }
    if (only_positional || a[0] != '-') {
      if (n_pos == 2) return cmd_usage("register", "unexpected argument %s", a);
      pos[n_pos++] = a;
      i++;
    } else if (strcmp(a, "--") == 0) {
      only_positional = 1;
      i++;
    } else if (strcmp(a, "--json") == 0) {
      json = 1;
      i++;
    } else if ((r = cmd_catalog_opt(argc, argv, &i, &copts)) != 0) {
      if (r < 0) return CLI_EXIT_USAGE;
    } else {
      return cmd_usage("register", "unknown option %s", a);
    }
  }
  if (n_pos == 0) return cmd_usage("register", "missing TABLE");
  if (n_pos == 1) return cmd_usage("register", "missing METADATA_LOCATION");
  ice_catalog *cat = NULL;
  int status = cmd_open_catalog(&copts, &cat);
  if (status != CLI_EXIT_OK) return status;
  ice_table *tbl = NULL;
  struct ice_error err;
  ice_error_clear(&err);
  if (ice_catalog_register_table(cat, pos[0], pos[1], &err) != ICE_OK) {
    status = cli_report(CLI_EXIT_FAIL, "register: %s", err.message);
  } else if (ice_table_load(cat, pos[0], &tbl, &err) != ICE_OK) {
    status =
        cli_report(CLI_EXIT_FAIL, "register %s: registered, but loading it failed: %s",
                   pos[0], err.message);
  } else {
    print_result(pos[0], tbl, json);
    /* The row is in: a caller retrying on failure would only meet "already exists". */
    if (ferror(stdout) || fflush(stdout) != 0)
      fprintf(stderr,
              "icestream: warning: register %s: the table was registered but the summary "
              "could not be written to stdout\n",
              pos[0]);
  }
  ice_table_free(tbl);
  ice_catalog_close(cat);
  return status;
}
