/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pieces shared by the table commands (load, create, describe, snapshots, scan,
 * tables): their entry points, the catalog options every one of them takes
 * (--warehouse, --catalog, --catalog-name), and a tiny "--name VALUE" / "--name=VALUE"
 * option reader.
 */
#ifndef ICE_CLI_CMD_COMMON_H
#define ICE_CLI_CMD_COMMON_H

#include "cli.h"
#include "ice/ice_catalog.h"
#include "ice/ice_table.h"

int cmd_load(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_register(int argc, char **argv);
int cmd_describe(int argc, char **argv);
int cmd_snapshots(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_tables(int argc, char **argv);

#define CMD_MAX_ALLOW 32

struct cmd_catalog_opts {
  const char *warehouse;    /* --warehouse DIR (default ./warehouse) */
  const char *catalog;      /* --catalog URI (default sqlite:<warehouse>/catalog.db) */
  const char *catalog_name; /* --catalog-name NAME (default "default") */
  int may_create;           /* load/create/register: readers never create */
  const char *allow[CMD_MAX_ALLOW]; /* --allow-location DIR (commands that write) */
  int n_allow;
  const char *maps[CMD_MAX_ALLOW]; /* --location-map PREFIX=DIR (every table command) */
  int n_maps;
  const char *cprops[2 * CMD_MAX_ALLOW]; /* --catalog-property K=V: key, value, ... */
  int n_cprops;
};

#define CMD_CATALOG_HELP                                                             \
  "  --warehouse DIR       table storage root (default ./warehouse)\n"               \
  "  --catalog URI         sqlite:PATH (default sqlite:<warehouse>/catalog.db),\n"   \
  "                        postgresql://USER[:PASS]@HOST[:PORT]/DB, postgres://\n"   \
  "                        or ...?host=/socket/dir (see docs/catalog.md)\n"          \
  "  --catalog-name NAME   catalog_name in the catalog tables (default 'default')\n" \
  "  --location-map PREFIX=DIR  read and write locations starting with PREFIX\n"     \
  "                        (e.g. s3a://bucket/t) at absolute DIR + the rest\n"       \
  "                        (repeatable, first match wins; replaces\n"                \
  "                        ICESTREAM_LOCATION_MAP; see docs/locations.md)\n"      \
  "  --catalog-property K=V  catalog and storage property (repeatable), e.g.\n"   \
  "                        s3.endpoint=http://127.0.0.1:9000, s3.region=R,\n"      \
  "                        s3.access-key-id=ID, s3.secret-access-key=KEY,\n"       \
  "                        s3.path-style-access=true (see docs/storage-s3.md)\n"

/* Option reader. If argv[*i] is `--name VALUE` or `--name=VALUE`, sets *val, advances *i
 * past what it used and returns 1; returns 0 when argv[*i] is not that option and -1
 * (after printing a usage error) when the value is missing. */
int cmd_opt(int argc, char **argv, int *i, const char *name, const char **val);

/* Consumes a catalog option at argv[*i] (--warehouse, --catalog, --catalog-name,
 * --location-map): 1 taken, 0 not a catalog option, -1 error (printed). */
int cmd_catalog_opt(int argc, char **argv, int *i, struct cmd_catalog_opts *o);

/* Consumes --allow-location DIR (repeatable), for the commands that write: 1 taken, 0
 * not that option, -1 error (printed). */
int cmd_allow_opt(int argc, char **argv, int *i, struct cmd_catalog_opts *o);
/* Takes `NAME KEY=VALUE` (e.g. --property) at argv[*i] into props (KEY, VALUE pairs,
 * split in place: argv strings are ours to modify; props holds 2 * argc entries):
 * 0 = not this option, 1 = taken, -1 = usage error already reported for `cmd`. */
int cmd_key_value_opt(const char *cmd, int argc, char **argv, int *i, const char *name,
                      const char **props, size_t *n_props);

#define CMD_ALLOW_HELP                                                             \
  "  --allow-location DIR  also write tables located under DIR (repeatable; see\n" \
  "                        docs/locations.md; the warehouse is always allowed)\n"

/* Opens the catalog; prints the error and returns non-zero on failure. */
int cmd_open_catalog(const struct cmd_catalog_opts *o, ice_catalog **out);

/* Opens the table of a read command: TABLE through the catalog of o, or the metadata
 * file alone (exactly one of them; a usage error otherwise). Prints the error and
 * returns non-zero on failure; on success the caller frees *tbl and closes *cat (NULL
 * for --metadata). */
int cmd_open_table(const char *cmd, const struct cmd_catalog_opts *o, const char *table,
                   const char *metadata, ice_catalog **cat, ice_table **tbl);

#define CMD_METADATA_HELP                                                               \
  "  --metadata FILE       read the table from this *.metadata.json alone, without a\n" \
  "                        catalog (instead of TABLE; --location-map maps the\n"        \
  "                        locations inside it, e.g. s3://bucket/t=/local/copy)\n"

/* "256M", "1G", "65536", "512K" -> bytes; -1 when malformed. */
long long cmd_parse_size(const char *s);

/* Prints "icestream: error: <cmd>: <message> (see icestream <cmd> --help)", returns
 * CLI_EXIT_USAGE. */
int cmd_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Is argv[i] -h/--help? */
int cmd_is_help(const char *arg);

/* Prints s as a JSON string on stdout (quotes, backslashes and control characters
 * escaped; other bytes as they are, so UTF-8 passes through). */
void cmd_print_json_string(const char *s);

#endif
