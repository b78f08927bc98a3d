/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The list of `icestream` subcommands, one line each. To add a command: write
 * cmd_NAME.c defining `int cmd_NAME(int argc, char **argv)` (argv[0] is the command
 * name; print your own one-line error through cli_report) and add X(NAME, "summary").
 */
#ifndef ICE_CLI_COMMANDS_H
#define ICE_CLI_COMMANDS_H

#define CLI_COMMAND_LIST(X)                                                     \
  X(cat, "print the rows of a Parquet file (JSON lines or CSV)")               \
  X(schema, "print the Parquet schema (with field ids) and row-group layout")         \
  X(rewrite, "rewrite a Parquet file with icestream's writer (codec, row groups, page v2)") \
  X(load, "load Parquet files into an Iceberg table as one snapshot")                   \
  X(create, "create an empty Iceberg table from a Parquet file's schema")               \
  X(register, "add an existing table (its current metadata file) to the catalog")       \
  X(alter, "set or remove a table's properties (one commit)")                            \
  X(drop, "remove a table from the catalog (--purge: and delete its files)")             \
  X(rename, "give a table a new name (catalog entry only; its files stay)")              \
  X(namespace, "create, drop and list namespaces; set their properties")                 \
  X(describe, "show a table's schema, properties and current snapshot")                 \
  X(snapshots, "list a table's snapshots")                                               \
  X(scan, "print a table's rows (JSON lines or CSV)")                                    \
  X(tables, "list the catalog's tables")                                               \
  X(serve, "serve the catalog over the Iceberg REST protocol")

#define CLI_DECLARE_COMMAND(name, summary) int cmd_##name(int argc, char **argv);
CLI_COMMAND_LIST(CLI_DECLARE_COMMAND)
#undef CLI_DECLARE_COMMAND

#endif /* ICE_CLI_COMMANDS_H */
