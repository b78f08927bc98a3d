/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Option reading and catalog opening shared by the table commands. Options may come
 * before or after positional arguments, as users type them; "--" ends options.
 */
#include "cmd_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cmd_is_help(const char *arg) {
  return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cmd_usage(const char *cmd, const char *fmt, ...) {
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return cli_report(CLI_EXIT_USAGE, "%s: %s (see icestream %s --help)", cmd, msg, cmd);
}

int cmd_opt(int argc, char **argv, int *i, const char *name, const char **val) {
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0) return 0;
  if (a[n] == '=') {
    *val = a + n + 1;
    *i += 1;
    return 1;
  }
  if (a[n] != '\0') return 0;
  if (*i + 1 >= argc) {
    cmd_usage(argv[0], "option %s needs a value", name);
    return -1;
  }
  *val = argv[*i + 1];
  *i += 2;
  return 1;
}

int cmd_catalog_opt(int argc, char **argv, int *i, struct cmd_catalog_opts *o) {
  int r;
  if ((r = cmd_opt(argc, argv, i, "--warehouse", &o->warehouse)) != 0) return r;
  if ((r = cmd_opt(argc, argv, i, "--catalog", &o->catalog)) != 0) return r;
  if ((r = cmd_opt(argc, argv, i, "--catalog-name", &o->catalog_name)) != 0) return r;
  return 0;
}

int cmd_open_catalog(const struct cmd_catalog_opts *o, ice_catalog **out) {
  const char *props[7];
  int n = 0;
  if (o->warehouse != NULL) {
    props[n++] = "warehouse";
    props[n++] = o->warehouse;
  }
  if (o->catalog != NULL) {
    props[n++] = "uri";
    props[n++] = o->catalog;
  }
  if (o->catalog_name != NULL) {
    props[n++] = "name";
    props[n++] = o->catalog_name;
  }
  props[n] = NULL;
  struct ice_error err;
  ice_error_clear(&err);
  int rc = ice_catalog_open(props, out, &err);
  /* Only the command line feeds these properties: a bad one is a usage error. */
  if (rc == ICE_EINVAL) return cli_report(CLI_EXIT_USAGE, "%s", err.message);
  if (rc != ICE_OK) return cli_report(CLI_EXIT_FAIL, "%s", err.message);
  return CLI_EXIT_OK;
}
