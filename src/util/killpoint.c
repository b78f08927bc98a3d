/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ICESTREAM_TEST_KILL_AT=<stage>: SIGKILL at a named stage, ICESTREAM_TEST_SLEEP_AT=
 * <stage>:<ms>: a pause there (see killpoint.h). Only a
 * build with ICE_TEST_HOOKS reads the variable; elsewhere the call does nothing, and the
 * variable's name is not even in the binary.
 */
#include "util/killpoint.h"

#ifdef ICE_TEST_HOOKS
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#endif

void ice_killpoint(const char *stage) {
#ifdef ICE_TEST_HOOKS
  const char *want = getenv("ICESTREAM_TEST_KILL_AT");
  if (want != NULL && strcmp(want, stage) == 0) raise(SIGKILL);
  const char *nap = getenv("ICESTREAM_TEST_SLEEP_AT");
  size_t n = strlen(stage);
  if (nap != NULL && strncmp(nap, stage, n) == 0 && nap[n] == ':') {
    long ms = strtol(nap + n + 1, NULL, 10);
    if (ms > 0 && ms <= 60000) {
      struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
#else
  (void)stage;
#endif
}
