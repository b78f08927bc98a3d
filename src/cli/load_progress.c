/* SPDX-License-Identifier: Apache-2.0 */
/* The progress line of `icestream load` (load_progress.h). */
#include "load_progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define MIB (1024.0 * 1024.0)

double load_progress_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void load_progress_init(struct load_progress *lp, int enabled) {
  memset(lp, 0, sizeof *lp);
  lp->enabled = enabled;
  lp->started = load_progress_now();
  lp->last_drawn = -1.0;
}

static void format_eta(char *buf, size_t n, double secs) {
  long s = (long)(secs + 0.5);
  if (s >= 3600) snprintf(buf, n, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60) snprintf(buf, n, "%ldm%02lds", s / 60, s % 60);
  else snprintf(buf, n, "%lds", s);
}

void load_progress_format(char *buf, size_t n, const struct ice_load_progress *p,
                          double elapsed) {
  double read = (double)p->input_bytes_read, total = (double)p->input_bytes_total;
  if (read > total) read = total;
  double pct = total > 0 ? 100.0 * read / total : 0.0;
  double rows_per_s = elapsed > 0 ? (double)p->rows / elapsed : 0.0;
  char eta[32] = "?";
  if (read >= total && total > 0) snprintf(eta, sizeof eta, "0s");
  else if (read > 0 && elapsed >= 0.5) format_eta(eta, sizeof eta, elapsed * (total - read) / read);
  snprintf(buf, n,
           "loading: %.0f%% of %.1f MiB read, %lld rows (%.0f rows/s), ETA %s, "
           "files %d/%d, %.1f MiB written",
           pct, total / MIB, (long long)p->rows, rows_per_s, eta, (int)p->inputs_done,
           (int)p->inputs_total, (double)p->bytes_written / MIB);
}

static void draw(struct load_progress *lp, double now) {
  char line[256];
  load_progress_format(line, sizeof line, &lp->last, now - lp->started);
  /* Trailing spaces wipe what a longer previous line left. */
  fprintf(stderr, "\r%s   ", line);
  fflush(stderr);
  lp->printed = 1;
  lp->last_drawn = now;
}

void load_progress_report(void *user, const struct ice_load_progress *p) {
  struct load_progress *lp = user;
  if (!lp->enabled) return;
  int file_done = p->inputs_done != lp->last.inputs_done;
  lp->last = *p;
  double now = load_progress_now();
  if (file_done || lp->last_drawn < 0 || now - lp->last_drawn >= 0.1) draw(lp, now);
}

void load_progress_end(struct load_progress *lp) {
  if (!lp->enabled || lp->last_drawn < 0) return;
  draw(lp, load_progress_now());
  fputc('\n', stderr);
  lp->printed = 0;
}
