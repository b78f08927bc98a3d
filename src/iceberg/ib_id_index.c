/* SPDX-License-Identifier: Apache-2.0 */
/* Id -> position hash map for the metadata builder (see ib_id_index.h). */
#include "iceberg/ib_id_index.h"

#include <string.h>

#include "util/alloc.h"

void ib_id_index_init(struct ib_id_index *x) {
  memset(x, 0, sizeof(*x));
}

void ib_id_index_reset(struct ib_id_index *x) {
  ice_free(x->ids);
  ice_free(x->pos);
  ib_id_index_init(x);
}

/* Fibonacci hashing: ids are random 63-bit values or small counters, both spread. */
static size_t slot(int64_t id, size_t cap) {
  return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

static void insert(struct ib_id_index *x, int64_t id, size_t pos) {
  size_t i = slot(id, x->cap);
  while (x->pos[i] != SIZE_MAX && x->ids[i] != id) i = (i + 1) & (x->cap - 1);
  if (x->pos[i] == SIZE_MAX) x->n++;
  x->ids[i] = id;
  x->pos[i] = pos;
}

/* Doubles the table (or makes the first one) and re-inserts everything. */
static int grow(struct ib_id_index *x, struct ice_error *err) {
  size_t cap = x->cap ? x->cap * 2 : 64;
  if (cap > SIZE_MAX / sizeof(size_t)) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  struct ib_id_index t = {ice_calloc(cap, sizeof(int64_t)),
                          ice_calloc(cap, sizeof(size_t)), cap, 0};
  if (t.ids == NULL || t.pos == NULL) {
    ib_id_index_reset(&t);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < cap; i++) t.pos[i] = SIZE_MAX;
  for (size_t i = 0; i < x->cap; i++) {
    if (x->pos[i] != SIZE_MAX) insert(&t, x->ids[i], x->pos[i]);
  }
  ib_id_index_reset(x);
  *x = t;
  return ICE_OK;
}

int ib_id_index_put(struct ib_id_index *x, int64_t id, size_t pos,
                    struct ice_error *err) {
  /* At most half full, so probes stay short. */
  if (2 * (x->n + 1) > x->cap) ICE_TRY(grow(x, err));
  insert(x, id, pos);
  return ICE_OK;
}

bool ib_id_index_get(const struct ib_id_index *x, int64_t id, size_t *pos) {
  if (x->cap == 0) return false;
  for (size_t i = slot(id, x->cap); x->pos[i] != SIZE_MAX; i = (i + 1) & (x->cap - 1)) {
    if (x->ids[i] == id) {
      *pos = x->pos[i];
      return true;
    }
  }
  return false;
}
