/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The option parser of the `icestream` subcommands (see cli_args.h). Unknown options,
 * missing values and extra positionals are errors rather than being ignored, so a
 * mistyped option never silently changes what a command does.
 */
#include "cli_args.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_opt *find_opt(const struct cli_opt *opts, size_t n,
                                      const char *name, size_t len) {
  for (size_t i = 0; i < n; i++) {
    if (strlen(opts[i].name) == len && memcmp(opts[i].name, name, len) == 0)
      return &opts[i];
  }
  return NULL;
}

int cli_args_parse(int argc, char **argv, const struct cli_opt *opts, size_t n_opts,
                   char **pos, int max_pos, struct cli_parsed *out,
                   struct ice_error *err) {
  out->pos = pos;
  out->n_pos = 0;
  out->help = false;
  bool only_pos = false;
  for (int i = 1; i < argc; i++) {
    char *arg = argv[i];
    if (!only_pos && strcmp(arg, "--") == 0) {
      only_pos = true;
      continue;
    }
    if (!only_pos && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
      out->help = true;
      continue;
    }
    if (!only_pos && arg[0] == '-' && arg[1] != '\0') {
      if (arg[1] != '-') {
        return cli_error_set(err, ICE_EINVAL, "%s: unknown option '%s'", argv[0], arg);
      }
      char *name = arg + 2;
      char *eq = strchr(name, '=');
      size_t len = eq ? (size_t)(eq - name) : strlen(name);
      const struct cli_opt *opt = find_opt(opts, n_opts, name, len);
      if (opt == NULL) {
        return cli_error_set(err, ICE_EINVAL, "%s: unknown option '--%.*s'", argv[0],
                             (int)len, name);
      }
      if (!opt->takes_value) {
        if (eq != NULL) {
          return cli_error_set(err, ICE_EINVAL, "%s: option '--%s' takes no value",
                               argv[0], opt->name);
        }
        *opt->flag = true;
        continue;
      }
      if (eq != NULL) {
        *opt->value = eq + 1;
      } else if (i + 1 < argc) {
        *opt->value = argv[++i];
      } else {
        return cli_error_set(err, ICE_EINVAL, "%s: option '--%s' needs a value", argv[0],
                             opt->name);
      }
      continue;
    }
    if (out->n_pos >= max_pos) {
      return cli_error_set(err, ICE_EINVAL, "%s: unexpected argument '%s'", argv[0], arg);
    }
    pos[out->n_pos++] = arg;
  }
  return ICE_OK;
}

int cli_parse_int64(const char *s, int64_t min, int64_t max, const char *what,
                    int64_t *out, struct ice_error *err) {
  char *end = NULL;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (s[0] == '\0' || end == NULL || *end != '\0' || errno != 0 || v < min || v > max) {
    return cli_error_set(err, ICE_EINVAL,
                         "%s: expected an integer from %lld to %lld, got '%s'", what,
                         (long long)min, (long long)max, s);
  }
  *out = (int64_t)v;
  return ICE_OK;
}

int cli_split_list(char *s, char sep, const char **items, size_t cap, size_t *n,
                   const char *what, struct ice_error *err) {
  size_t k = 0;
  char *p = s;
  for (;;) {
    char *next = strchr(p, sep);
    if (next != NULL) *next = '\0';
    if (*p == '\0') {
      return cli_error_set(err, ICE_EINVAL, "%s: empty item in list", what);
    }
    if (k >= cap) {
      return cli_error_set(err, ICE_ELIMIT, "%s: more than %zu items", what, cap);
    }
    items[k++] = p;
    if (next == NULL) break;
    p = next + 1;
  }
  *n = k;
  return ICE_OK;
}
