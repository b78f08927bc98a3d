/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A buffered writer on a file descriptor for the CLI's row output. Rendering millions of
 * values calls it per byte, so the hot paths are inline; the first write error is kept
 * and reported once at the end (or by cli_out_flush) instead of being checked per byte.
 */
#ifndef ICE_CLI_OUT_H
#define ICE_CLI_OUT_H

#include <stddef.h>
#include <string.h>

#include "ice/ice_error.h"

#define CLI_OUT_BUF_BYTES (256u * 1024)

struct cli_out {
  int fd;
  int write_errno; /* errno of the first failed write; 0 if none */
  int csv_quote;   /* inside a quoted CSV field: every '"' is written twice */
  size_t len;
  char buf[CLI_OUT_BUF_BYTES];
};

void cli_out_init(struct cli_out *o, int fd);
/* Writes out what is buffered (best effort after an earlier failure). */
void cli_out_drain(struct cli_out *o);
/* Drains and reports a write failure as ICE_EIO. */
int cli_out_flush(struct cli_out *o, struct ice_error *err);
/* Slow path of cli_out_bytes: drains, then copies (with CSV quote doubling). */
void cli_out_bytes_slow(struct cli_out *o, const void *p, size_t n);

static inline void cli_out_bytes(struct cli_out *o, const void *p, size_t n) {
  if (!o->csv_quote && n <= CLI_OUT_BUF_BYTES - o->len) {
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    return;
  }
  cli_out_bytes_slow(o, p, n);
}

static inline void cli_out_byte(struct cli_out *o, char c) {
  if (!o->csv_quote && o->len < CLI_OUT_BUF_BYTES) {
    o->buf[o->len++] = c;
    return;
  }
  cli_out_bytes_slow(o, &c, 1);
}

static inline void cli_out_str(struct cli_out *o, const char *s) {
  cli_out_bytes(o, s, strlen(s));
}

#endif /* ICE_CLI_OUT_H */
