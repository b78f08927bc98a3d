/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry point of the `icestream` command: finds the subcommand in the command table
 * (cli_commands.c) and runs it. Exit status 0 on success, 1 when the operation failed,
 * 2 for a wrong command line; every failure prints one `icestream: error: ...` line.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void print_usage(FILE *f) {
  fputs("usage: icestream COMMAND [OPTIONS] [ARGS]\n\ncommands:\n", f);
  for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
    fprintf(f, "  %-10s %s\n", c->name, c->summary);
  }
  fputs(
      "\nRun 'icestream COMMAND --help' for a command's options.\n"
      "Options: --help, --version\n",
      f);
}

/* A closed stdin/stdout/stderr would be handed to the next file opened (a catalog, a
 * data file) and the summary printed into it. Each closed one gets /dev/null opened
 * read-only, so writes to it still fail (and are reported) but nothing else lands there. */
static void keep_std_fds_taken(void) {
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) != -1) continue;
    int nfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nfd >= 0 && nfd != fd) {
      (void)dup2(nfd, fd);
      close(nfd);
    }
  }
}

int main(int argc, char **argv) {
  keep_std_fds_taken();
  if (argc < 2) {
    return cli_report(CLI_EXIT_USAGE, "no command given (try 'icestream --help')");
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
      strcmp(name, "help") == 0) {
    print_usage(stdout);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    puts("icestream " ICE_VERSION_STRING);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
  }
  for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
    if (strcmp(c->name, name) == 0) return c->run(argc - 1, argv + 1);
  }
  return cli_report(CLI_EXIT_USAGE, "unknown command '%s' (try 'icestream --help')",
                    name);
}
