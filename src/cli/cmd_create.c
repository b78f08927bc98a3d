/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream create TABLE --schema-from FILE.parquet [--partition-by SPEC]
 * [--property k=v]...`: creates an empty v2 table whose schema comes from a Parquet
 * file's schema, unpartitioned or partitioned by SPEC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "ice/ice_parquet.h"
#include "ice/ice_table.h"

static const char create_help[] =
    "usage: icestream create [options] TABLE --schema-from FILE.parquet\n"
    "Creates an empty Iceberg table (format version 2) with the schema of a Parquet "
    "file.\n"
    "options:\n" CMD_CATALOG_HELP CMD_ALLOW_HELP
    "  --schema-from FILE    Parquet file whose schema the table takes\n"
    "  --partition-by SPEC   partition the table: a comma list of COL, identity(COL),\n"
    "                        bucket(N, COL), truncate(W, COL), year(COL), month(COL),\n"
    "                        day(COL), hour(COL), void(COL), each optionally\n"
    "                        followed by AS NAME (e.g. 'day(ts), bucket(16, id)');\n"
    "                        nested columns as a.b, other names in `backquotes`\n"
    "  --property K=V        table property (repeatable)\n";

int cmd_create(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  copts.may_create = 1;
  const char *table = NULL, *schema_from = NULL, *partition_by = NULL;
  const char **props = calloc((size_t)argc * 2 + 1, sizeof *props);
  size_t n_props = 0;
  int status = CLI_EXIT_OK, r;
  ice_catalog *cat = NULL;
  ice_parquet_file *pf = NULL;
  ice_table *tbl = NULL;
  struct ArrowSchema schema = {0};
  struct ice_error err;
  ice_error_clear(&err);
  if (props == NULL) return cli_report(CLI_EXIT_FAIL, "create: out of memory");
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (cmd_is_help(a)) {
      fputs(create_help, stdout);
      goto done;
    }
    if ((r = cmd_catalog_opt(argc, argv, &i, &copts)) != 0 ||
        (r = cmd_allow_opt(argc, argv, &i, &copts)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--schema-from", &schema_from)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--partition-by", &partition_by)) != 0) {
      if (r < 0) {
        status = CLI_EXIT_USAGE;
        goto done;
      }
    } else if ((r = cmd_key_value_opt("create", argc, argv, &i, "--property", props,
                                      &n_props)) != 0) {
      if (r < 0) {
        status = CLI_EXIT_USAGE;
        goto done;
      }
    } else if (a[0] == '-') {
      status = cmd_usage("create", "unknown option %s", a);
      goto done;
    } else if (table == NULL) {
      table = a;
      i++;
    } else {
      status = cmd_usage("create", "unexpected argument %s", a);
      goto done;
    }
  }
  if (table == NULL) {
    status = cmd_usage("create", "missing TABLE");
    goto done;
  }
  if (schema_from == NULL) {
    status = cmd_usage("create", "missing --schema-from FILE.parquet");
    goto done;
  }
  if (ice_parquet_open(schema_from, &pf, &err) != ICE_OK ||
      ice_parquet_schema(pf, &schema, &err) != ICE_OK) {
    status = cli_report(CLI_EXIT_FAIL, "create %s: %s", table, err.message);
    goto done;
  }
  status = cmd_open_catalog(&copts, &cat);
  if (status != CLI_EXIT_OK) goto done;
  if (ice_table_create_partitioned(cat, table, &schema, partition_by,
                                   n_props ? props : NULL, &tbl, &err) != ICE_OK) {
    status = cli_report(CLI_EXIT_FAIL, "create %s: %s", table, err.message);
    goto done;
  }
  printf("created table %s\n  metadata: %s\n", table, ice_table_metadata_location(tbl));
done:
  if (schema.release != NULL) schema.release(&schema);
  ice_table_free(tbl);
  ice_catalog_close(cat);
  ice_parquet_close(pf);
  free(props);
  return status;
}
