/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The table a read command (scan, describe, snapshots) works on: TABLE through the
 * catalog, or `--metadata FILE` read alone, without a catalog (a table copied from
 * elsewhere, as DuckDB's iceberg_scan reads one). A relative FILE is taken from the
 * current directory; locations inside the table go through the location map as always.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd_common.h"
#include "ice/ice_table.h"

/* FILE as the library takes it: URIs and absolute paths as given, relative paths
 * joined to the current directory. */
static int absolute_location(const char *file, char *buf, size_t cap) {
  if (file[0] == '/' || strstr(file, ":/") != NULL) {
    if (strlen(file) >= cap) return -1;
    memcpy(buf, file, strlen(file) + 1);
    return 0;
  }
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) == NULL) return -1;
  int n = snprintf(buf, cap, "%s/%s", cwd, file);
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int cmd_open_table(const char *cmd, const struct cmd_catalog_opts *o, const char *table,
                   const char *metadata, ice_catalog **cat, ice_table **tbl) {
  *cat = NULL;
  *tbl = NULL;
  if (table != NULL && metadata != NULL)
    return cmd_usage(cmd, "give TABLE or --metadata FILE, not both");
  if (table == NULL && metadata == NULL) return cmd_usage(cmd, "missing TABLE");
  struct ice_error err;
  ice_error_clear(&err);
  if (metadata != NULL) {
    char loc[PATH_MAX + 1024];
    if (absolute_location(metadata, loc, sizeof loc) != 0)
      return cli_report(CLI_EXIT_FAIL, "%s %s: path too long", cmd, metadata);
    const char *props[4 * CMD_MAX_ALLOW + 1];
    int n = 0;
    for (int i = 0; i < o->n_maps; i++) {
      props[n++] = "location-map";
      props[n++] = o->maps[i];
    }
    for (int i = 0; i < o->n_cprops; i++) props[n++] = o->cprops[i];
    props[n] = NULL;
    int rc = ice_table_load_metadata(loc, props, tbl, &err);
    /* A malformed --location-map is a mistyped command line, as for a catalog. */
    if (rc == ICE_EINVAL && strncmp(err.message, "location-map entry", 18) == 0)
      return cli_report(CLI_EXIT_USAGE, "%s", err.message);
    if (rc != ICE_OK)
      return cli_report(CLI_EXIT_FAIL, "%s %s: %s", cmd, metadata, err.message);
    return CLI_EXIT_OK;
  }
  int status = cmd_open_catalog(o, cat);
  if (status != CLI_EXIT_OK) return status;
  if (ice_table_load(*cat, table, tbl, &err) != ICE_OK) {
    ice_catalog_close(*cat);
    *cat = NULL;
    return cli_report(CLI_EXIT_FAIL, "%s %s: %s", cmd, table, err.message);
  }
  return CLI_EXIT_OK;
}
