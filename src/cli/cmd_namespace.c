/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream namespace create|drop|list|properties`: the catalog's namespaces and their
 * properties (ice_catalog.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli_commands.h"
#include "cmd_common.h"
#include "ice/ice_catalog.h"

#define NS_MAX_PROPS 256

static const char namespace_help[] =
    "usage: icestream namespace create [options] NS [--property K=V]...\n"
    "       icestream namespace drop [options] NS\n"
    "       icestream namespace list [options]\n"
    "       icestream namespace properties [options] NS [--set K=V]... [--remove K]...\n"
    "create makes namespace NS (\"a\" or \"a.b\"; nothing happens if it exists) with the\n"
    "given properties; drop removes an empty namespace (refused while it holds tables or\n"
    "namespaces); list prints every namespace, one per line; properties sets and removes\n"
    "properties in one step, then prints NS's properties as KEY=VALUE lines.\n"
    "options:\n" CMD_CATALOG_HELP;

struct ns_args {
  struct cmd_catalog_opts copts;
  const char *ns;
  const char *sets[2 * NS_MAX_PROPS + 2];
  size_t n_sets; /* entries (twice the pairs) */
  const char *removes[NS_MAX_PROPS + 1];
  size_t n_removes;
};

/* Parses the options after the subcommand; 0 = ok, else the exit status. */
static int parse(const char *sub, int argc, char **argv, struct ns_args *a) {
  int r;
  int props_ok = strcmp(sub, "create") == 0 || strcmp(sub, "properties") == 0;
  const char *set_name = strcmp(sub, "create") == 0 ? "--property" : "--set";
  for (int i = 2; i < argc;) {
    const char *arg = argv[i];
    const char *v = NULL;
    if (a->n_sets >= 2 * NS_MAX_PROPS || a->n_removes >= NS_MAX_PROPS)
      return cmd_usage("namespace", "at most %d properties", NS_MAX_PROPS);
    if ((r = cmd_catalog_opt(argc, argv, &i, &a->copts)) != 0) {
      if (r < 0) return CLI_EXIT_USAGE;
    } else if (props_ok && (r = cmd_key_value_opt("namespace", argc, argv, &i, set_name,
                                                  a->sets, &a->n_sets)) != 0) {
      if (r < 0) return CLI_EXIT_USAGE;
    } else if (strcmp(sub, "properties") == 0 &&
               (r = cmd_opt(argc, argv, &i, "--remove", &v)) != 0) {
      if (r < 0) return CLI_EXIT_USAGE;
      a->removes[a->n_removes++] = v;
    } else if (arg[0] == '-') {
      return cmd_usage("namespace", "unknown option %s for %s", arg, sub);
    } else if (a->ns == NULL && strcmp(sub, "list") != 0) {
      a->ns = arg;
      i++;
    } else {
      return cmd_usage("namespace", "unexpected argument %s", arg);
    }
  }
  if (a->ns == NULL && strcmp(sub, "list") != 0)
    return cmd_usage("namespace", "%s needs a namespace", sub);
  return 0;
}

static int print_properties(ice_catalog *cat, const char *ns) {
  struct ice_string_list kv = {0};
  struct ice_error err;
  ice_error_clear(&err);
  if (ice_catalog_namespace_properties(cat, ns, &kv, &err) != ICE_OK)
    return cli_report(CLI_EXIT_FAIL, "namespace %s: %s", ns, err.message);
  for (size_t i = 0; i + 1 < kv.n; i += 2) printf("%s=%s\n", kv.items[i], kv.items[i + 1]);
  ice_string_list_free(&kv);
  return fflush(stdout) == 0 ? CLI_EXIT_OK
                             : cli_report(CLI_EXIT_FAIL, "writing output failed");
}

static int run(const char *sub, ice_catalog *cat, struct ns_args *a) {
  struct ice_error err;
  ice_error_clear(&err);
  int rc = ICE_OK;
  if (strcmp(sub, "list") == 0) {
    struct ice_string_list l = {0};
    rc = ice_catalog_list_namespaces(cat, &l, &err);
    for (size_t i = 0; rc == ICE_OK && i < l.n; i++) puts(l.items[i]);
    ice_string_list_free(&l);
  } else if (strcmp(sub, "drop") == 0) {
    rc = ice_catalog_drop_namespace(cat, a->ns, &err);
    if (rc == ICE_OK) printf("dropped namespace %s\n", a->ns);
  } else {
    a->sets[a->n_sets] = NULL;
    a->removes[a->n_removes] = NULL;
    bool create = strcmp(sub, "create") == 0;
    if (create) rc = ice_catalog_create_namespace(cat, a->ns, a->sets, &err);
    if (rc == ICE_OK && !create && (a->n_sets > 0 || a->n_removes > 0))
      rc = ice_catalog_update_namespace_properties(cat, a->ns, a->removes, a->sets, NULL,
                                                   NULL, &err);
    if (rc == ICE_OK && strcmp(sub, "create") == 0) printf("namespace %s\n", a->ns);
    if (rc == ICE_OK && strcmp(sub, "properties") == 0) return print_properties(cat, a->ns);
  }
  if (rc != ICE_OK)
    return cli_report(CLI_EXIT_FAIL, "namespace %s%s%s: %s", sub, a->ns ? " " : "",
                      a->ns ? a->ns : "", err.message);
  return fflush(stdout) == 0 ? CLI_EXIT_OK
                             : cli_report(CLI_EXIT_FAIL, "writing output failed");
}

int cmd_namespace(int argc, char **argv) {
  if (argc < 2 || cmd_is_help(argv[1])) {
    fputs(namespace_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
  }
  const char *sub = argv[1];
  if (strcmp(sub, "create") != 0 && strcmp(sub, "drop") != 0 && strcmp(sub, "list") != 0 &&
      strcmp(sub, "properties") != 0)
    return cmd_usage("namespace", "unknown subcommand %s (create, drop, list, properties)",
                     sub);
  for (int i = 2; i < argc; i++)
    if (cmd_is_help(argv[i])) {
      fputs(namespace_help, stdout);
      return CLI_EXIT_OK;
    }
  static struct ns_args a; /* large: off the stack */
  memset(&a, 0, sizeof a);
  int status = parse(sub, argc, argv, &a);
  if (status != 0) return status;
  a.copts.may_create = strcmp(sub, "create") == 0;
  ice_catalog *cat = NULL;
  status = cmd_open_catalog(&a.copts, &cat);
  if (status != CLI_EXIT_OK) return status;
  status = run(sub, cat, &a);
  ice_catalog_close(cat);
  return status;
}
