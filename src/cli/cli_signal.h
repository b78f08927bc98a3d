/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SIGINT/SIGTERM during a write command: the first one sets a flag the library polls
 * (ice_load_request.cancel), so the load stops, deletes what it wrote and fails; a
 * second one ends the process at once (the table is safe either way: nothing is
 * visible before the commit). SIGPIPE is ignored so that a closed stdout after a
 * commit is a write error to report, not a death that hides the committed snapshot.
 */
#ifndef ICE_CLI_SIGNAL_H
#define ICE_CLI_SIGNAL_H

#include <signal.h>

/* Installs the handlers; returns the flag (the signal number once one arrived). */
const volatile sig_atomic_t *cli_signal_watch(void);

#endif
