/* SPDX-License-Identifier: Apache-2.0 */
/* In-memory input over a borrowed buffer, for fuzzing and tests. */
#include <string.h>

#include "io/io.h"
#include "util/alloc.h"

static int mem_read_at(struct ice_input *in, int64_t off, void *buf, size_t n,
                       struct ice_error *err) {
  if (off < 0 || (int64_t)n > in->size || off > in->size - (int64_t)n) {
    return ice_error_set(err, ICE_ECORRUPT,
                         "%s: read of %zu bytes at offset %lld is beyond the end (%lld bytes)",
                         in->name, n, (long long)off, (long long)in->size);
  }
  if (n > 0) memcpy(buf, (const uint8_t *)in->priv + off, n);
  return ICE_OK;
}

static void mem_close(struct ice_input *in) {
  ice_free(in->name);
  ice_free(in);
}

static const struct ice_input_vtable mem_vt = {mem_read_at, mem_close, true};

int io_memory_open_read(const void *data, size_t len, const char *name,
                        struct ice_input **out, struct ice_error *err) {
  struct ice_input *in = ice_calloc(1, sizeof *in);
  char *nm = ice_strdup(name ? name : "<memory>");
  if (in == NULL || nm == NULL) {
    ice_free(in);
    ice_free(nm);
    return ice_error_set(err, ICE_ENOMEM, "out of memory");
  }
  in->vt = &mem_vt;
  in->size = (int64_t)len;
  in->name = nm;
  in->priv = (void *)(uintptr_t)data;
  *out = in;
  return ICE_OK;
}
