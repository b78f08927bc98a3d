/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `icestream serve`: an Iceberg REST catalog server over the catalog the usual
 * options name (include/ice/ice_serve.h). Prints the address it listens on, then
 * serves until SIGINT or SIGTERM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_commands.h"
#include "cli_signal.h"
#include "cmd_common.h"
#include "ice/ice_serve.h"

static const char serve_help[] =
    "usage: icestream serve [options]\n"
    "Serves the catalog over the Iceberg REST protocol until interrupted, so DuckDB,\n"
    "Spark, pyiceberg and `--catalog http://HOST:PORT` can share it (see\n"
    "docs/rest-catalog.md). Prints \"listening on http://HOST:PORT\" once ready.\n"
    "options:\n"
    "  --listen HOST:PORT    IPv4 address and port (default 127.0.0.1:8181, loopback;\n"
    "                        port 0 picks a free one)\n"
    "  --token-file F        require \"Authorization: Bearer TOKEN\" with the token in F,\n"
    "                        or a token POST /v1/oauth/tokens issued to a client whose\n"
    "                        client_secret is that token\n"
    "  --token-lifetime S    seconds an issued token stays valid (default 3600; its\n"
    "                        expires_in); a restart revokes every issued token\n"
    "  --max-connections N   connections served at once (default 1024); requests\n"
    "                        beyond them are answered 503\n"
    "The s3.* and client.region --catalog-property values are vended to clients whose\n"
    "request carries X-Iceberg-Access-Delegation: vended-credentials.\n" CMD_CATALOG_HELP;

int cmd_serve(int argc, char **argv) {
  struct cmd_catalog_opts copts = {0};
  struct ice_serve_options so = {0};
  const char *maxc = NULL, *life = NULL;
  int r;
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (cmd_is_help(a)) {
      fputs(serve_help, stdout);
      return CLI_EXIT_OK;
    }
    if ((r = cmd_catalog_opt(argc, argv, &i, &copts)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--listen", &so.listen)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--token-file", &so.token_file)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--max-connections", &maxc)) != 0 ||
        (r = cmd_opt(argc, argv, &i, "--token-lifetime", &life)) != 0) {
      if (r < 0) return CLI_EXIT_USAGE;
    } else {
      return cmd_usage("serve", "unexpected argument %s", a);
    }
  }
  if (maxc != NULL) {
    char *end = NULL;
    unsigned long v = strtoul(maxc, &end, 10);
    if (*maxc == '\0' || *end != '\0' || v == 0 || v > 100000)
      return cmd_usage("serve", "--max-connections expects 1..100000");
    so.max_connections = (unsigned)v;
  }
  if (life != NULL) {
    char *end = NULL;
    unsigned long v = strtoul(life, &end, 10);
    if (*life == '\0' || *end != '\0' || v == 0 || v > 31536000)
      return cmd_usage("serve", "--token-lifetime expects 1..31536000 seconds");
    so.token_lifetime_s = (unsigned)v;
  }
  /* Its storage settings are vended to clients that ask (docs/rest-catalog.md). */
  so.vend_properties = copts.cprops;
  so.n_vend_properties = (size_t)copts.n_cprops / 2;
  copts.may_create = 1; /* clients create namespaces and tables through it */
  const volatile sig_atomic_t *stop = cli_signal_watch();
  ice_catalog *cat = NULL;
  int status = cmd_open_catalog(&copts, &cat);
  if (status != CLI_EXIT_OK) return status;
  struct ice_error err;
  ice_error_clear(&err);
  ice_server *srv = NULL;
  if (ice_server_start(cat, &so, &srv, &err) != ICE_OK) {
    status = cli_report(CLI_EXIT_FAIL, "serve: %s", err.message);
    ice_catalog_close(cat);
    return status;
  }
  const char *listen = so.listen ? so.listen : "127.0.0.1:8181";
  const char *colon = strrchr(listen, ':');
  printf("listening on http://%.*s:%d\n", (int)(colon - listen), listen,
         ice_server_port(srv));
  fflush(stdout);
  while (*stop == 0) {
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  ice_server_stop(srv);
  ice_catalog_close(cat);
  return CLI_EXIT_OK;
}
