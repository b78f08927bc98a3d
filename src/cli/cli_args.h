/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command-line parsing for the `icestream` subcommands: long options ("--name value" or
 * "--name=value"), flags, positional arguments, "--" and --help/-h, plus checked
 * conversions of option values. Errors are ICE_EINVAL with a message naming the option.
 */
#ifndef ICE_CLI_ARGS_H
#define ICE_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ice/ice_error.h"

struct cli_opt {
  const char *name; /* without the leading "--" */
  bool takes_value;
  char **value; /* receives the value (borrowed from argv) when takes_value */
  bool *flag;   /* set to true when a flag is present */
};

struct cli_parsed {
  char **pos; /* positional arguments, borrowed from argv */
  int n_pos;
  bool help; /* --help or -h was given */
};

/* Parses argv[1..argc) against `opts`. `pos` has room for max_pos entries. */
int cli_args_parse(int argc, char **argv, const struct cli_opt *opts, size_t n_opts,
                   char **pos, int max_pos, struct cli_parsed *out,
                   struct ice_error *err);

/* Decimal integer in [min, max]; `what` names the option in the message. */
int cli_parse_int64(const char *s, int64_t min, int64_t max, const char *what,
                    int64_t *out, struct ice_error *err);

/* Splits s in place at each `sep`; empty items are an error. */
int cli_split_list(char *s, char sep, const char **items, size_t cap, size_t *n,
                   const char *what, struct ice_error *err);

#endif /* ICE_CLI_ARGS_H */
