/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The buffered writer behind `icestream cat`: large writes to the descriptor, retried on
 * EINTR and short writes, and RFC 4180 quote doubling while a CSV field is open.
 */
#include "cli_out.h"

#include <errno.h>
#include <unistd.h>

#include "cli.h"

void cli_out_init(struct cli_out *o, int fd) {
  o->fd = fd;
  o->write_errno = 0;
  o->csv_quote = 0;
  o->len = 0;
}

void cli_out_drain(struct cli_out *o) {
  size_t done = 0;
  while (done < o->len && o->write_errno == 0) {
    ssize_t n = write(o->fd, o->buf + done, o->len - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      o->write_errno = errno;
      break;
    }
    done += (size_t)n;
  }
  /* After a failure the rest is dropped: the command is going to fail anyway. */
  o->len = 0;
}

int cli_out_flush(struct cli_out *o, struct ice_error *err) {
  cli_out_drain(o);
  if (o->write_errno != 0) {
    int rc = cli_error_set(err, ICE_EIO, "writing output: %s", strerror(o->write_errno));
    if (err != NULL) err->detail = o->write_errno;
    return rc;
  }
  return ICE_OK;
}

void cli_out_bytes_slow(struct cli_out *o, const void *p, size_t n) {
  const char *s = p;
  if (o->csv_quote) {
    for (size_t i = 0; i < n; i++) {
      if (o->len + 2 > CLI_OUT_BUF_BYTES) cli_out_drain(o);
      if (s[i] == '"') o->buf[o->len++] = '"';
      o->buf[o->len++] = s[i];
    }
    return;
  }
  while (n > 0) {
    if (o->len >= CLI_OUT_BUF_BYTES) cli_out_drain(o);
    /* drain always empties the buffer; the check keeps gcc's overflow analysis sure */
    if (o->len >= CLI_OUT_BUF_BYTES) return;
    size_t room = CLI_OUT_BUF_BYTES - o->len;
    size_t k = n < room ? n : room;
    memcpy(o->buf + o->len, s, k);
    o->len += k;
    s += k;
    n -= k;
  }
}
