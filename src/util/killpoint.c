/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ICESTREAM_TEST_KILL_AT=<stage>: SIGKILL at a named stage (see killpoint.h);
 * ICESTREAM_TEST_WAIT_AT=<stage> with ICESTREAM_TEST_WAIT_FILE=<path>: waits at the
 * stage until the path exists, so a test can let another process commit between two
 * steps of this one (at most 60 s); ICESTREAM_TEST_SLEEP_AT=<stage>:<ms>: a pause there.
 * Only a
 * build with ICE_TEST_HOOKS reads the variable; elsewhere the call does nothing, and the
 * variable's name is not even in the binary.
 */
#include "util/killpoint.h"

#ifdef ICE_TEST_HOOKS
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
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
  const char *wait_at = getenv("ICESTREAM_TEST_WAIT_AT");
  const char *file = getenv("ICESTREAM_TEST_WAIT_FILE");
  if (wait_at == NULL || file == NULL || strcmp(wait_at, stage) != 0) return;
  struct timespec step = {0, 20 * 1000000L};
  for (int i = 0; i < 3000 && access(file, F_OK) != 0; i++) (void)nanosleep(&step, NULL);
#else
  (void)stage;
#endif
}
