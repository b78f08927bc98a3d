/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Option reading and catalog opening shared by the table commands. Options may come
 * before or after positional arguments, as users type them; "--" ends options.
 */
#include "cmd_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
  const char *v = NULL;
  if ((r = cmd_opt(argc, argv, i, "--catalog-property", &v)) != 0) {
    if (r < 0) return r;
    char *eq = strchr(v, '=');
    if (eq == NULL || eq == v) {
      cmd_usage(argv[0], "--catalog-property expects KEY=VALUE");
      return -1;
    }
    if (o->n_cprops == 2 * CMD_MAX_ALLOW) {
      cmd_usage(argv[0], "at most %d --catalog-property options", CMD_MAX_ALLOW);
      return -1;
    }
    *eq = '\0'; /* argv strings are ours to split */
    o->cprops[o->n_cprops++] = v;
    o->cprops[o->n_cprops++] = eq + 1;
    return 1;
  }
  if ((r = cmd_opt(argc, argv, i, "--location-map", &v)) <= 0) return r;
  if (o->n_maps == CMD_MAX_ALLOW) {
    cmd_usage(argv[0], "at most %d --location-map options", CMD_MAX_ALLOW);
    return -1;
  }
  o->maps[o->n_maps++] = v;
  return 1;
}

int cmd_allow_opt(int argc, char **argv, int *i, struct cmd_catalog_opts *o) {
  const char *v = NULL;
  int r = cmd_opt(argc, argv, i, "--allow-location", &v);
  if (r <= 0) return r;
  if (o->n_allow == CMD_MAX_ALLOW) {
    cmd_usage(argv[0], "at most %d --allow-location options", CMD_MAX_ALLOW);
    return -1;
  }
  o->allow[o->n_allow++] = v;
  return 1;
}

int cmd_key_value_opt(const char *cmd, int argc, char **argv, int *i, const char *name,
                      const char **props, size_t *n_props) {
  const char *v = NULL;
  int r = cmd_opt(argc, argv, i, name, &v);
  if (r <= 0) return r;
  const char *eq = strchr(v, '=');
  if (eq == NULL || eq == v) {
    cmd_usage(cmd, "%s expects KEY=VALUE, got '%s'", name, v);
    return -1;
  }
  *(char *)(uintptr_t)eq = '\0';
  props[(*n_props)++] = v;
  props[(*n_props)++] = eq + 1;
  return 1;
}

static int names_option(const char *message, const char *value) {
  return value != NULL && *value != '\0' && strstr(message, value) != NULL;
}

int cmd_open_catalog(const struct cmd_catalog_opts *o, ice_catalog **out) {
  const char *props[9 + 6 * CMD_MAX_ALLOW];
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
  if (!o->may_create) {
    props[n++] = "create";
    props[n++] = "false";
  }
  for (int i = 0; i < o->n_allow; i++) {
    props[n++] = "allow-location";
    props[n++] = o->allow[i];
  }
  for (int i = 0; i < o->n_maps; i++) {
    props[n++] = "location-map";
    props[n++] = o->maps[i];
  }
  for (int i = 0; i < o->n_cprops; i++) props[n++] = o->cprops[i];
  props[n] = NULL;
  struct ice_error err;
  ice_error_clear(&err);
  int rc = ice_catalog_open(props, out, &err);
  /* A --catalog URI, --warehouse or --location-map that cannot name a catalog or a
   * folder is a mistyped command line. */
  if (rc == ICE_EINVAL &&
      (names_option(err.message, o->catalog) || names_option(err.message, o->warehouse) ||
       strncmp(err.message, "location-map entry", 18) == 0))
    return cli_report(CLI_EXIT_USAGE, "%s", err.message);
  if (rc != ICE_OK) return cli_report(CLI_EXIT_FAIL, "%s", err.message);
  return CLI_EXIT_OK;
}

/* "256M", "1G", "65536", "512K" -> bytes; -1 when malformed. */
long long cmd_parse_size(const char *s) {
  char *end = NULL;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (end == s || errno != 0 || v <= 0) return -1;
  long long mul = 1;
  if (*end == 'K' || *end == 'k')
    mul = 1024LL, end++;
  else if (*end == 'M' || *end == 'm')
    mul = 1024LL * 1024, end++;
  else if (*end == 'G' || *end == 'g')
    mul = 1024LL * 1024 * 1024, end++;
  if (*end == 'i' || *end == 'B') end++;
  if (*end == 'B') end++;
  if (*end != '\0' || v > (1LL << 50) / mul) return -1;
  return v * mul;
}

void cmd_print_json_string(const char *s) {
  putchar('"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      printf("\\%c", *p);
    else if (*p < 0x20)
      printf("\\u%04x", *p);
    else
      putchar(*p);
  }
  putchar('"');
}
