/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream scan TABLE [--snapshot ID] [--columns a,b] [--limit N] [--format jsonl|csv]
 * [--memory-limit SIZE] [--threads N]`:
 * reads a table back through ice_table_scan() and prints its rows with the same
 * renderers as `icestream cat`.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_args.h"
#include "cli_out.h"
#include "cmd_common.h"
#include "ice/ice_table.h"
#include "render_rows.h"

static const char scan_help[] =
    "usage: icestream scan [options] TABLE | --metadata FILE\n"
    "Prints the live rows of a table as JSON lines (default) or CSV: every live data\n"
    "file of a snapshot with its position and equality delete files applied, columns\n"
    "matched by field id.\n"
    "options:\n" CMD_CATALOG_HELP CMD_METADATA_HELP
    "  --snapshot ID         read this snapshot instead of the current one\n"
    "  --columns a,b         only these columns\n"
    "  --limit N             at most N rows\n"
    "  --format jsonl|csv    output format (default jsonl)\n"
    "  --memory-limit SIZE   bound on what the scan buffers (read pages and batches,\n"
    "                        deleted positions, equality delete keys), e.g. 256M, 1G\n"
    "                        (default 256M, at least 1M)\n"
    "  --threads N           threads that decode each data file's columns (default:\n"
    "                        one per online CPU; 1 = none beyond the main one); the\n"
    "                        same rows in the same order either way, within the\n"
    "                        same --memory-limit\n"
    "environment:\n"
    "  ICESTREAM_LOCATION_MAP=PREFIX=DIR[;...]  the --location-map entries when none\n"
    "                        is given (e.g. s3a://bucket/t=/data/t)\n";

/* Kept static: the field table is large and the command runs once per process. */
static struct cli_out scan_out;
static struct cli_field scan_fields[CLI_MAX_FIELDS];
static const char *scan_columns[CLI_MAX_PROJECTED];

static int render_stream(struct ArrowArrayStream *st, int64_t limit, bool csv,
                         struct ice_error *err) {
  struct ArrowSchema schema = {0};
  struct ArrowArray batch = {0};
  struct cli_schema s = {scan_fields, 0, CLI_MAX_FIELDS};
  struct cli_out *o = &scan_out;
  cli_out_init(o, STDOUT_FILENO);
  int rc = ICE_OK;
  int e = st->get_schema(st, &schema);
  if (e != 0) {
    const char *m = st->get_last_error(st);
    rc = cli_error_set(err, ICE_EIO, "%s", m ? m : "reading the schema failed");
    goto done;
  }
  rc = cli_schema_parse(&s, &schema, err);
  if (rc != ICE_OK) goto done;
  if (csv) render_csv_header(o, &s);
  int64_t left = limit;
  while (left != 0) {
    e = st->get_next(st, &batch);
    if (e != 0) {
      const char *m = st->get_last_error(st);
      rc = cli_error_set(err, ICE_EIO, "%s", m ? m : "reading rows failed");
      goto done;
    }
    if (batch.release == NULL) break;
    rc = cli_array_check(&s, &s.fields[0], &batch, 0, err);
    if (rc != ICE_OK) goto done;
    int64_t n = batch.length;
    if (left >= 0 && n > left) n = left;
    rc = csv ? render_csv_rows(o, &s, &batch, n, err) : render_jsonl_rows(o, &s, &batch, n, err);
    if (rc != ICE_OK) goto done;
    if (left > 0) left -= n;
    batch.release(&batch);
    if (o->write_errno != 0) break;
  }
  rc = cli_out_flush(o, err);
done:
  if (rc != ICE_OK) cli_out_drain(o);
  if (batch.release != NULL) batch.release(&batch);
  if (schema.release != NULL) schema.release(&schema);
  return rc;
}

int cmd_scan(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  const char *table = NULL, *metadata = NULL, *snap = NULL, *columns = NULL;
  const char *limit_s = NULL, *mem = NULL, *threads = NULL;
  const char *format = "jsonl";
  int r;
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (cmd_is_help(a)) {
      fputs(scan_help, stdout);
      return CLI_EXIT_OK;
    }
    if ((r = cmd_catalog_opt(argc, argv, &i, &copts)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--metadata", &metadata)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--snapshot", &snap)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--columns", &columns)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--limit", &limit_s)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--memory-limit", &mem)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--threads", &threads)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--format", &format)) != 0) {
      if (r < 0) return CLI_EXIT_USAGE;
    } else if (a[0] == '-') {
      return cmd_usage("scan", "unknown option %s", a);
    } else if (table == NULL) {
      table = a;
      i++;
    } else {
      return cmd_usage("scan", "unexpected argument %s", a);
    }
  }
  struct ice_error err;
  ice_error_clear(&err);
  struct ice_scan_options so;
  ice_scan_options_init(&so);
  int64_t limit = -1;
  if (snap != NULL && cli_parse_int64(snap, 0, INT64_MAX, "--snapshot", &so.snapshot_id,
                                      &err) != ICE_OK)
    return cmd_usage("scan", "%s", err.message);
  if (limit_s != NULL &&
      cli_parse_int64(limit_s, 0, INT64_MAX, "--limit", &limit, &err) != ICE_OK)
    return cmd_usage("scan", "%s", err.message);
  if (mem != NULL && (so.memory_limit = cmd_parse_size(mem)) < 0)
    return cmd_usage("scan", "--memory-limit '%s' is not a size like 256M", mem);
  if (mem != NULL && so.memory_limit < 1024 * 1024)
    return cmd_usage("scan", "--memory-limit %s is below the minimum of 1M", mem);
  so.threads = 0; /* one per online CPU unless --threads says otherwise */
  int64_t t = 0;
  if (threads != NULL) {
    if (cli_parse_int64(threads, 1, ICE_SCAN_MAX_THREADS, "--threads", &t, &err) !=
        ICE_OK)
      return cmd_usage("scan", "%s", err.message);
    so.threads = (int)t;
  }
  bool csv = false;
  if (strcmp(format, "csv") == 0) csv = true;
  else if (strcmp(format, "jsonl") != 0)
    return cmd_usage("scan", "--format must be jsonl or csv");
  if (columns != NULL) {
    if (cli_split_list((char *)(uintptr_t)columns, ',', scan_columns, CLI_MAX_PROJECTED,
                       &so.n_columns, "--columns", &err) != ICE_OK)
      return cmd_usage("scan", "%s", err.message);
    so.columns = scan_columns;
  }
  ice_catalog *cat = NULL;
  ice_table *tbl = NULL;
  int status = cmd_open_table("scan", &copts, table, metadata, &cat, &tbl);
  if (status != CLI_EXIT_OK) return status;
  struct ArrowArrayStream st = {0};
  if (ice_table_scan(tbl, &so, &st, &err) != ICE_OK ||
      render_stream(&st, limit, csv, &err) != ICE_OK)
    status =
        cli_report(CLI_EXIT_FAIL, "scan %s: %s", table ? table : metadata, err.message);
  if (st.release != NULL) st.release(&st);
  ice_table_free(tbl);
  ice_catalog_close(cat);
  return status;
}
