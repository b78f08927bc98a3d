/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bump allocator (see arena.h): chunks grow geometrically from 4 KiB so a small footer
 * costs one allocation and a large one a logarithmic number; oversized requests get a
 * chunk of their own. The running total is checked against the cap before allocating.
 */
#include "util/arena.h"

#include <stdint.h>
#include <string.h>

#include "util/alloc.h"
#include "util/limits.h"

struct ice_arena_chunk {
  struct ice_arena_chunk *next;
  size_t size; /* usable bytes after the header */
  size_t used;
  /* data follows, 16-byte aligned by the header size below */
};

#define ARENA_HDR ((sizeof(struct ice_arena_chunk) + 15u) & ~(size_t)15u)
#define ARENA_FIRST_CHUNK 4096u
#define ARENA_MAX_CHUNK (8u * 1024 * 1024)

void ice_arena_init(struct ice_arena *a, size_t max) {
  a->head = NULL;
  a->total = 0;
  a->max = max;
}

void ice_arena_reset(struct ice_arena *a) {
  struct ice_arena_chunk *c = a->head;
  while (c != NULL) {
    struct ice_arena_chunk *next = c->next;
    ice_free(c);
    c = next;
  }
  a->head = NULL;
  a->total = 0;
}

int ice_arena_alloc(struct ice_arena *a, size_t n, void **out, struct ice_error *err) {
  size_t max = a->max ? a->max : ICE_LIMIT_ARENA_BYTES;
  if (n == 0) n = 1;
  if (n > max) goto limit;
  size_t need = (n + 7u) & ~(size_t)7u;
  struct ice_arena_chunk *c = a->head;
  if (c == NULL || c->size - c->used < need) {
    size_t size = c ? c->size * 2 : ARENA_FIRST_CHUNK;
    if (size > ARENA_MAX_CHUNK) size = ARENA_MAX_CHUNK;
    if (size < need) size = need;
    if (size > max - a->total) {
      /* Near the cap a smaller chunk may still fit. */
      if (need > max - a->total) goto limit;
      size = max - a->total;
    }
    c = ice_malloc(ARENA_HDR + size);
    if (c == NULL) {
      return ice_error_set(err, ICE_ENOMEM, "out of memory (arena chunk of %zu bytes)", size);
    }
    c->next = a->head;
    c->size = size;
    c->used = 0;
    a->head = c;
    a->total += size;
  }
  uint8_t *p = (uint8_t *)c + ARENA_HDR + c->used;
  c->used += need;
  memset(p, 0, n);
  *out = p;
  return ICE_OK;
limit:
  return ice_error_set(err, ICE_ELIMIT, "decoded metadata exceeds the memory limit of %zu bytes",
                       max);
}

int ice_arena_calloc(struct ice_arena *a, size_t count, size_t size, void **out,
                     struct ice_error *err) {
  if (size != 0 && count > SIZE_MAX / size) {
    return ice_error_set(err, ICE_ELIMIT, "allocation of %zu x %zu bytes overflows", count, size);
  }
  return ice_arena_alloc(a, count * size, out, err);
}

int ice_arena_strndup(struct ice_arena *a, const void *p, size_t n, char **out,
                      struct ice_error *err) {
  if (n == SIZE_MAX) return ice_error_set(err, ICE_ELIMIT, "string too long");
  void *d = NULL;
  ICE_TRY(ice_arena_alloc(a, n + 1, &d, err));
  if (n > 0) memcpy(d, p, n);
  ((char *)d)[n] = '\0';
  *out = d;
  return ICE_OK;
}
