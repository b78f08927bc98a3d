/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream cat FILE.parquet`: streams the file's rows through the Parquet reader and
 * prints them as JSON lines or CSV. Memory is one batch plus the output buffer: rows are
 * rendered straight from the Arrow arrays, and --limit stops reading early.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_commands.h"
#include "cli_out.h"
#include "ice/ice_parquet.h"
#include "render_rows.h"

static const char cat_usage[] =
    "usage: icestream cat FILE.parquet [--columns a,b.c] [--limit N] [--format "
    "jsonl|csv]\n"
    "\n"
    "Prints the rows of a Parquet file.\n"
    "\n"
    "  --columns LIST    only these columns (comma-separated dotted paths), in file "
    "order\n"
    "  --limit N         stop after N rows\n"
    "  --format FORMAT   jsonl (default): one JSON object per row, keys in schema "
    "order;\n"
    "                    csv: RFC 4180 with a header row, nested values as JSON text\n"
    "  --batch-rows N    rows decoded per batch (default 16384)\n"
    "  --help            show this help\n"
    "\n"
    "Value forms: integers with all digits; floats as the shortest text that reads back\n"
    "exactly (\"NaN\", \"Infinity\", \"-Infinity\" as strings); decimals as strings "
    "with\n"
    "exactly `scale` fraction digits; dates YYYY-MM-DD; times HH:MM:SS.ffffff (9 digits\n"
    "for nanoseconds); timestamps YYYY-MM-DDTHH:MM:SS.ffffff, Z when UTC-adjusted, "
    "INT96\n"
    "with 9 digits, years outside 0..9999 as +YYYYY / -YYYY; binary as base64; UUIDs\n"
    "8-4-4-4-12; invalid UTF-8 replaced by U+FFFD; maps as "
    "[{\"key\":..,\"value\":..}].\n";

struct cat_options {
  const char *path;
  const char *const *columns;
  size_t n_columns;
  int64_t limit; /* -1: all rows */
  int64_t batch_rows;
  bool csv;
};

/* Storage the command needs for any file, kept out of the stack and the heap. */
static struct cli_out cat_out;
static struct cli_field cat_fields[CLI_MAX_FIELDS];
static const char *cat_columns[CLI_MAX_PROJECTED];

static int stream_error(struct ArrowArrayStream *st, int errno_code, const char *what,
                        struct ice_error *err) {
  const char *msg = st->get_last_error ? st->get_last_error(st) : NULL;
  if (msg == NULL || msg[0] == '\0') msg = strerror(errno_code);
  return cli_error_set(err, ICE_EIO, "%s", msg[0] ? msg : what);
}

static int cat_run(const struct cat_options *opt, struct ice_error *err) {
  ice_parquet_file *file = NULL;
  struct ArrowArrayStream stream = {0};
  struct ArrowSchema schema = {0};
  struct ArrowArray batch = {0};
  struct cli_schema s = {cat_fields, 0, CLI_MAX_FIELDS};
  struct cli_out *o = &cat_out;
  int rc;

  cli_out_init(o, STDOUT_FILENO);
  rc = ice_parquet_open(opt->path, &file, err);
  if (rc != ICE_OK) goto done;

  struct ice_parquet_read_options ro;
  ice_parquet_read_options_init(&ro);
  ro.columns = opt->columns;
  ro.n_columns = opt->n_columns;
  ro.batch_rows = opt->batch_rows;
  if (opt->limit >= 0 && opt->limit < ro.batch_rows)
    ro.batch_rows = opt->limit > 0 ? opt->limit : 1;
  rc = ice_parquet_stream(file, &ro, &stream, err);
  if (rc != ICE_OK) goto done;

  int e = stream.get_schema(&stream, &schema);
  if (e != 0) {
    rc = stream_error(&stream, e, "reading the schema", err);
    goto done;
  }
  rc = cli_schema_parse(&s, &schema, err);
  if (rc != ICE_OK) goto done;
  if (s.fields[0].kind != CLI_STRUCT) {
    rc = cli_error_set(err, ICE_ECORRUPT, "stream schema is '%s', not a struct",
                       schema.format);
    goto done;
  }
  if (opt->csv) render_csv_header(o, &s);

  int64_t left = opt->limit;
  while (left != 0) {
    e = stream.get_next(&stream, &batch);
    if (e != 0) {
      rc = stream_error(&stream, e, "reading rows", err);
      goto done;
    }
    if (batch.release == NULL) break; /* end of stream */
    rc = cli_array_check(&s, &s.fields[0], &batch, 0, err);
    if (rc != ICE_OK) goto done;
    int64_t n = batch.length;
    if (left >= 0 && n > left) n = left;
    rc = opt->csv ? render_csv_rows(o, &s, &batch, n, err)
                  : render_jsonl_rows(o, &s, &batch, n, err);
    if (rc != ICE_OK) goto done;
    if (left > 0) left -= n;
    batch.release(&batch);
    if (o->write_errno != 0) break;
  }
  rc = cli_out_flush(o, err);

done:
  if (rc != ICE_OK) cli_out_drain(o); /* rows before the error still reach the reader */
  if (batch.release != NULL) batch.release(&batch);
  if (schema.release != NULL) schema.release(&schema);
  if (stream.release != NULL) stream.release(&stream);
  ice_parquet_close(file);
  return rc;
}

int cmd_cat(int argc, char **argv) {
  struct ice_error err = {0};
  char *columns = NULL, *limit = NULL, *format = NULL, *batch_rows = NULL;
  const struct cli_opt opts[] = {
      {"columns", true, &columns, NULL},
      {"limit", true, &limit, NULL},
      {"format", true, &format, NULL},
      {"batch-rows", true, &batch_rows, NULL},
  };
  char *pos[1];
  struct cli_parsed parsed;
  if (cli_args_parse(argc, argv, opts, sizeof opts / sizeof opts[0], pos, 1, &parsed,
                     &err) != ICE_OK) {
    return cli_report(CLI_EXIT_USAGE, "%s (try 'icestream cat --help')", err.message);
  }
  if (parsed.help) {
    fputs(cat_usage, stdout);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
  }
  if (parsed.n_pos != 1) {
    return cli_report(CLI_EXIT_USAGE,
                      "cat: expected one FILE.parquet (try 'icestream cat --help')");
  }
  struct cat_options opt = {pos[0], NULL, 0, -1, ICE_PARQUET_DEFAULT_BATCH_ROWS, false};
  if (format != NULL) {
    if (strcmp(format, "csv") == 0)
      opt.csv = true;
    else if (strcmp(format, "jsonl") != 0) {
      return cli_report(CLI_EXIT_USAGE, "cat: --format must be jsonl or csv, got '%s'",
                        format);
    }
  }
  if (limit != NULL &&
      cli_parse_int64(limit, 0, INT64_MAX, "cat: --limit", &opt.limit, &err) != ICE_OK) {
    return cli_report(CLI_EXIT_USAGE, "%s", err.message);
  }
  if (batch_rows != NULL && cli_parse_int64(batch_rows, 1, 1 << 24, "cat: --batch-rows",
                                            &opt.batch_rows, &err) != ICE_OK) {
    return cli_report(CLI_EXIT_USAGE, "%s", err.message);
  }
  if (columns != NULL) {
    /* argv strings are writable; split in place rather than copying. */
    if (cli_split_list(columns, ',', cat_columns, CLI_MAX_PROJECTED, &opt.n_columns,
                       "cat: --columns", &err) != ICE_OK) {
      return cli_report(CLI_EXIT_USAGE, "%s", err.message);
    }
    opt.columns = cat_columns;
  }
  int rc = cat_run(&opt, &err);
  if (rc != ICE_OK) {
    return cli_report(cli_exit_status(rc), "%s",
                      err.message[0] ? err.message : ice_code_name(rc));
  }
  return CLI_EXIT_OK;
}
