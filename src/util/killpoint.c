/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ICESTREAM_TEST_KILL_AT=<stage>: SIGKILL at a named stage (see killpoint.h). Only a
 * build with ICE_TEST_HOOKS reads the variable; elsewhere the call does nothing, and the
 * variable's name is not even in the binary.
 */
#include "util/killpoint.h"

#ifdef ICE_TEST_HOOKS
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#endif

void ice_killpoint(const char *stage) {
#ifdef ICE_TEST_HOOKS
  const char *want = getenv("ICESTREAM_TEST_KILL_AT");
  if (want != NULL && strcmp(want, stage) == 0) raise(SIGKILL);
#else
  (void)stage;
#endif
}
