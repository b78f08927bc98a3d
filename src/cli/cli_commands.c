/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The command table main() dispatches on, generated from the one-line-per-command list
 * in cli_commands.h (so a new command never touches main).
 */
#include "cli_commands.h"

#include <stddef.h>

#include "cli.h"

#define CLI_TABLE_ENTRY(name, summary) {#name, summary, cmd_##name},
const struct cli_command cli_commands[] = {
    CLI_COMMAND_LIST(CLI_TABLE_ENTRY){NULL, NULL, NULL}};
#undef CLI_TABLE_ENTRY
