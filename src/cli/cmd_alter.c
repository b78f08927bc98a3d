/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream alter TABLE [--set-property K=V]... [--unset-property K]...`: changes a
 * table's properties in one commit (ice_table_update_properties);
 * `icestream alter TABLE --partition-by SPEC`: a new default partition spec in one
 * commit (ice_table_update_partition_spec);
 * `icestream alter TABLE --add-column/--rename-column/--drop-column/--widen ...`:
 * explicit schema changes, all in one commit (ice_table_update_schema).
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
    "       icestream alter [options] TABLE [--add-column NAME:TYPE] [--rename-column\n"
    "                       OLD:NEW] [--drop-column NAME] [--widen NAME:TYPE]...\n"
    "Changes a table's properties, its partition spec, or its schema, in one commit (a\n"
    "new metadata file, no new snapshot). Property values are checked as at creation;\n"
    "format-version cannot be changed. Schema changes (repeatable, applied in order,\n"
    "one commit) keep field ids, so files already written are read by id: a renamed\n"
    "column keeps its values, a dropped one is gone, an added one reads null.\n"
    "options:\n" CMD_CATALOG_HELP CMD_ALLOW_HELP
    "  --set-property K=V    set table property K to V (repeatable)\n"
    "  --unset-property K    remove table property K; a missing K is ignored "
    "(repeatable)\n"
    "  --partition-by SPEC   partition evolution: SPEC (as for create, e.g.\n"
    "                        'day(ts), bucket(16, id)') becomes the default spec;\n"
    "                        files already written keep theirs; '' = unpartitioned\n"
    "  --add-column NAME:TYPE  add optional column NAME (dotted for a field inside a\n"
    "                        struct: 'addr.zip'; 'l.element.x', 'm.value.y' inside\n"
    "                        a list element or map value) of Iceberg type TYPE:\n"
    "                        boolean, int, long, float, double, decimal(P,S), date,\n"
    "                        time, timestamp, timestamptz, string, uuid, fixed[L],\n"
    "                        binary\n"
    "  --rename-column OLD:NEW  rename column OLD (dotted) to NEW within its struct\n"
    "  --drop-column NAME    drop column NAME and what is nested in it; identifier\n"
    "                        fields and partition or sort source columns are refused\n"
    "  --widen NAME:TYPE     widen NAME: int -> long, float -> double,\n"
    "                        decimal(P,S) -> decimal(P',S) with P' > P\n";

/* NAME:TYPE or OLD:NEW into a change; a type never holds ':', so NAME:TYPE splits at
 * the last one (names may contain ':'), OLD:NEW at the first. */
static int schema_change(const char *opt, const char *v, enum ice_schema_change_kind k,
                         char **owned, struct ice_schema_change *out) {
  out->kind = k;
  if (k == ICE_SCHEMA_DROP_COLUMN) {
    out->column = v;
    out->value = NULL;
    return 0;
  }
  const char *colon = k == ICE_SCHEMA_RENAME_COLUMN ? strchr(v, ':') : strrchr(v, ':');
  if (colon == NULL || colon == v || colon[1] == '\0')
    return cmd_usage("alter", "%s takes %s, not '%s'", opt,
                     k == ICE_SCHEMA_RENAME_COLUMN ? "OLD:NEW" : "NAME:TYPE", v);
  char *name = strdup(v);
  if (name == NULL) return cli_report(CLI_EXIT_FAIL, "alter: out of memory");
  name[colon - v] = '\0';
  *owned = name;
  out->column = name;
  out->value = colon + 1;
  return 0;
}

static const struct {
  const char *opt;
  enum ice_schema_change_kind kind;
} schema_opts[] = {{"--add-column", ICE_SCHEMA_ADD_COLUMN},
                   {"--rename-column", ICE_SCHEMA_RENAME_COLUMN},
                   {"--drop-column", ICE_SCHEMA_DROP_COLUMN},
                   {"--widen", ICE_SCHEMA_WIDEN_COLUMN}};

/* One schema option at argv[*i]: 1 when taken (*i advanced), 0 when not one, -1 on a
 * usage error (reported). */
static int schema_opt(int argc, char **argv, int *i, struct ice_schema_change *changes,
                      char **names, size_t *n) {
  for (size_t k = 0; k < sizeof schema_opts / sizeof schema_opts[0]; k++) {
    const char *v = NULL;
    int r = cmd_opt(argc, argv, i, schema_opts[k].opt, &v);
    if (r <= 0) {
      if (r < 0) return -1;
      continue;
    }
    if (schema_change(schema_opts[k].opt, v, schema_opts[k].kind, &names[*n],
                      &changes[*n]) != 0)
      return -1;
    (*n)++;
    return 1;
  }
  return 0;
}

int cmd_alter(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  const char *table = NULL, *v = NULL, *partition_by = NULL;
  const char **set = calloc((size_t)argc * 2 + 1, sizeof *set);
  const char **unset = calloc((size_t)argc + 1, sizeof *unset);
  struct ice_schema_change *changes = calloc((size_t)argc + 1, sizeof *changes);
  char **names = calloc((size_t)argc + 1, sizeof *names);
  size_t n_set = 0, n_unset = 0, n_changes = 0;
  int status = CLI_EXIT_OK, r;
  ice_catalog *cat = NULL;
  ice_table *tbl = NULL;
  struct ice_error err;
  ice_error_clear(&err);
  if (set == NULL || unset == NULL || changes == NULL || names == NULL) {
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
    } else if (a[0] == '-' && a[1] == '-' && (r = schema_opt(argc, argv, &i, changes,
                                                             names, &n_changes)) != 0) {
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
  if (n_set == 0 && n_unset == 0 && partition_by == NULL && n_changes == 0) {
    status = cmd_usage("alter",
                       "nothing to change (--set-property, --unset-property, "
                       "--partition-by, --add-column, --rename-column, --drop-column or "
                       "--widen)");
    goto done;
  }
  if (n_changes > 0 && (n_set > 0 || n_unset > 0 || partition_by != NULL)) {
    status = cmd_usage("alter",
                       "schema changes are their own commit: change properties or the "
                       "partition spec in another alter");
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
      (n_changes > 0 ? ice_table_update_schema(tbl, changes, n_changes, &changed, &err)
       : partition_by != NULL
           ? ice_table_update_partition_spec(tbl, partition_by, &changed, &err)
           : ice_table_update_properties(tbl, n_set ? set : NULL, n_unset ? unset : NULL,
                                         &err)) != ICE_OK) {
    status = cli_report(CLI_EXIT_FAIL, "alter %s: %s", table, err.message);
    goto done;
  }
  if (!changed && n_changes > 0)
    printf("table %s already has this schema; nothing committed\n", table);
  else if (!changed)
    printf("table %s already has this partition spec; nothing committed\n", table);
  else
    printf("altered table %s\n", table);
  printf("  metadata: %s\n", ice_table_metadata_location(tbl));
done:
  ice_table_free(tbl);
  ice_catalog_close(cat);
  free(set);
  free(unset);
  for (size_t k = 0; names != NULL && k < n_changes; k++) free(names[k]);
  free(names);
  free(changes);
  return status;
}
