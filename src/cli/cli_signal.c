/* SPDX-License-Identifier: Apache-2.0 */
/* Turning SIGINT/SIGTERM into a cancel flag for the library (cli_signal.h). */
#include "cli_signal.h"

#include <string.h>

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig) {
  stop_signal = sig;
}

const volatile sig_atomic_t *cli_signal_watch(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND; /* a second signal takes the default action */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  return &stop_signal;
}
