/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error reporting for the `icestream` command: filling a struct ice_error from the CLI's
 * own checks, and printing the single `icestream: error: ...` line every failure ends in
 * (scripts parse it, so it never spans lines).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_error_set(struct ice_error *err, int code, const char *fmt, ...) {
  if (err != NULL) {
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    err->detail = 0;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return code;
}

int cli_exit_status(int code) {
  return code == ICE_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int cli_report(int status, const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  for (char *p = line; *p != '\0'; p++) {
    if (*p == '\n' || *p == '\r') *p = ' ';
  }
  fflush(stdout);
  fprintf(stderr, "icestream: error: %s\n", line);
  return status;
}
