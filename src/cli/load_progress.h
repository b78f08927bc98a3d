/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The progress line of `icestream load` on stderr: what a user waits on is the input,
 * so it shows input bytes read of the total with a percentage, rows and rows/s, an ETA
 * and the files done; bytes written follow. Redrawn at most ten times a second.
 */
#ifndef ICE_CLI_LOAD_PROGRESS_H
#define ICE_CLI_LOAD_PROGRESS_H

#include <stddef.h>

#include "ice/ice_table.h"

struct load_progress {
  int enabled;
  double started;     /* monotonic seconds */
  double last_drawn;  /* monotonic seconds of the last redraw */
  int printed;        /* a line is on the terminal and needs its newline */
  struct ice_load_progress last;
};

void load_progress_init(struct load_progress *lp, int enabled);
/* ice_progress_fn for ice_load_request.progress (user = struct load_progress *). */
void load_progress_report(void *user, const struct ice_load_progress *p);
/* Draws the last state once more (so the final line is complete) and ends the line. */
void load_progress_end(struct load_progress *lp);
/* Formats one progress line (no carriage return, no newline) for `elapsed` seconds. */
void load_progress_format(char *buf, size_t n, const struct ice_load_progress *p,
                          double elapsed);
double load_progress_now(void);

#endif
