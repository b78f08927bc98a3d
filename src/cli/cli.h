/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Declarations shared by the `icestream` command: the command signature, error helpers
 * and the caps the CLI applies to what it reads. The CLI sits on the public API only
 * (include/ice/ *.h), so it carries its own small versions of the library's error macros.
 */
#ifndef ICE_CLI_H
#define ICE_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "ice/ice.h"

/* Nesting depth the renderers follow before giving up (the library caps Parquet nesting
 * at 64 too); stops runaway recursion on a malformed Arrow schema. */
#define CLI_MAX_DEPTH 64

/* Fields (all levels) the renderers describe; the Parquet reader caps leaf columns at
 * 100000, and groups add at most as many again. */
#define CLI_MAX_FIELDS 262144

/* Column paths accepted by --columns. */
#define CLI_MAX_PROJECTED 4096

/* Exit statuses: 0 success, 1 the operation failed, 2 the command line was wrong. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_FAIL = 1, CLI_EXIT_USAGE = 2 };

/* A subcommand: argv[0] is the command name. Returns an exit status; on failure it has
 * already printed its one-line error. */
typedef int (*cli_command_fn)(int argc, char **argv);

struct cli_command {
  const char *name;
  const char *summary;
  cli_command_fn run;
};

/* The command table (cli_commands.c), terminated by a NULL name. */
extern const struct cli_command cli_commands[];

/* Sets err (if non-NULL) and returns code. */
int cli_error_set(struct ice_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints "icestream: error: MESSAGE" as exactly one line on stderr (newlines in the
 * message become spaces) and returns `status`, the exit status to use. */
int cli_report(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Exit status for an ice_code: usage problems (ICE_EINVAL from argument parsing) are
 * reported by the caller; everything else is a failure. */
int cli_exit_status(int code);

#define CLI_TRY(expr)            \
  do {                           \
    int cli_try_rc_ = (expr);    \
    if (cli_try_rc_ != ICE_OK) { \
      return cli_try_rc_;        \
    }                            \
  } while (0)

#define CLI_CHECK_DATA(cond, err, ...)                        \
  do {                                                        \
    if (!(cond)) {                                            \
      return cli_error_set((err), ICE_ECORRUPT, __VA_ARGS__); \
    }                                                         \
  } while (0)

#endif /* ICE_CLI_H */
