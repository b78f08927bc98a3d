/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bump allocator: everything a decode produces (a Parquet footer, a page index)
 * lives in one arena and is freed by one reset, so decoders need no per-field free
 * logic and a failed decode cleans up in one call. The total is capped at init, so
 * hostile counts end in ICE_ELIMIT rather than unbounded allocation.
 */
#ifndef ICE_UTIL_ARENA_H
#define ICE_UTIL_ARENA_H

#include <stddef.h>

#include "util/error.h"

struct ice_arena_chunk;

struct ice_arena {
  struct ice_arena_chunk *head; /* newest chunk first; NULL when empty */
  size_t total;                 /* bytes held in chunks */
  size_t max;                   /* cap on total; 0 after zero-init means "no memory yet" */
};

/* A zero-initialised struct ice_arena is valid and empty, with max = 0 meaning the
 * default cap (ICE_LIMIT_ARENA_BYTES). */
void ice_arena_init(struct ice_arena *a, size_t max);
/* Frees every chunk; idempotent. */
void ice_arena_reset(struct ice_arena *a);
/* 8-byte aligned, zero-filled memory valid until reset. */
int ice_arena_alloc(struct ice_arena *a, size_t n, void **out, struct ice_error *err)
    ICE_NODISCARD;
/* count * size with overflow check, zero-filled. */
int ice_arena_calloc(struct ice_arena *a, size_t count, size_t size, void **out,
                     struct ice_error *err) ICE_NODISCARD;
/* Copies n bytes and appends a NUL (so byte strings can also be used as C strings). */
int ice_arena_strndup(struct ice_arena *a, const void *p, size_t n, char **out,
                      struct ice_error *err) ICE_NODISCARD;

#endif
