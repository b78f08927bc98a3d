/* SPDX-License-Identifier: Apache-2.0 */
/* ICESTREAM_TEST_KILL_AT=<stage>: SIGKILL at a named stage (see op_killpoint.h). */
#include "ops/op_killpoint.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

void op_killpoint(const char *stage) {
  const char *want = getenv("ICESTREAM_TEST_KILL_AT");
  if (want != NULL && strcmp(want, stage) == 0) raise(SIGKILL);
}
