/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream schema FILE.parquet`: prints the Parquet schema (physical and logical types,
 * repetition, field ids) and the row-group layout, as the library's
 * ice_parquet_describe() writes it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_commands.h"
#include "ice/ice_parquet.h"

static const char schema_usage[] =
    "usage: icestream schema FILE.parquet\n"
    "\n"
    "Prints the Parquet schema (physical and logical types, repetition, field ids) and "
    "the\n"
    "row-group layout (rows, bytes, and per column chunk: codec, encodings, sizes).\n"
    "\n"
    "  --help            show this help\n";

int cmd_schema(int argc, char **argv) {
  struct ice_error err = {0};
  char *pos[1];
  struct cli_parsed parsed;
  if (cli_args_parse(argc, argv, NULL, 0, pos, 1, &parsed, &err) != ICE_OK) {
    return cli_report(CLI_EXIT_USAGE, "%s (try 'icestream schema --help')", err.message);
  }
  if (parsed.help) {
    fputs(schema_usage, stdout);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
  }
  if (parsed.n_pos != 1) {
    return cli_report(
        CLI_EXIT_USAGE,
        "schema: expected one FILE.parquet (try 'icestream schema --help')");
  }
  ice_parquet_file *file = NULL;
  char *text = NULL;
  int rc = ice_parquet_open(pos[0], &file, &err);
  if (rc == ICE_OK) rc = ice_parquet_describe(file, &text, &err);
  if (rc == ICE_OK) {
    size_t n = strlen(text);
    if (fwrite(text, 1, n, stdout) != n ||
        (n > 0 && text[n - 1] != '\n' && putchar('\n') == EOF) || fflush(stdout) != 0) {
      rc = cli_error_set(&err, ICE_EIO, "writing output failed");
    }
  }
  ice_string_free(text);
  ice_parquet_close(file);
  if (rc != ICE_OK) {
    return cli_report(cli_exit_status(rc), "%s",
                      err.message[0] ? err.message : ice_code_name(rc));
  }
  return CLI_EXIT_OK;
}
