/* SPDX-License-Identifier: Apache-2.0 */
/* io_locked_input (io.h): one read at a time through a borrowed input. */
#include <string.h>

#include "io/io.h"

static int locked_read_at(struct ice_input *in, int64_t off, void *buf, size_t n,
                          struct ice_error *err) {
  struct io_locked_input *l = in->priv;
  pthread_mutex_lock(&l->mu);
  int rc = ice_input_read_at(l->inner, off, buf, n, err);
  pthread_mutex_unlock(&l->mu);
  return rc;
}

/* The view owns nothing: the inner input is closed by its owner. */
static void locked_close(struct ice_input *in) {
  (void)in;
}

static const struct ice_input_vtable locked_vt = {locked_read_at, locked_close, true};

int io_locked_input_init(struct io_locked_input *l, struct ice_input *inner,
                         struct ice_error *err) {
  memset(l, 0, sizeof *l);
  if (pthread_mutex_init(&l->mu, NULL) != 0)
    ICE_FAIL(err, ICE_EIO, "%s: cannot create a mutex", inner->name);
  l->live = true;
  l->inner = inner;
  l->base.vt = &locked_vt;
  l->base.size = inner->size;
  l->base.name = inner->name;
  l->base.priv = l;
  return ICE_OK;
}

void io_locked_input_destroy(struct io_locked_input *l) {
  if (l->live) pthread_mutex_destroy(&l->mu);
  memset(l, 0, sizeof *l);
}
