/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The library's only allocator entry points. Nothing else calls malloc/free, so a
 * test build can fail the Nth allocation (fault injection) and count live blocks.
 */
#ifndef ICE_UTIL_ALLOC_H
#define ICE_UTIL_ALLOC_H

#include <stddef.h>

/* All return NULL on failure (or when fault injection says so). */
void *ice_malloc(size_t n);
void *ice_calloc(size_t count, size_t size); /* overflow-checked */
void *ice_realloc(void *p, size_t n);
void ice_free(void *p); /* NULL is fine */
char *ice_strdup(const char *s);
char *ice_strndup(const char *s, size_t n);

#ifdef ICE_TEST_HOOKS
/* Fault injection for tests: the Nth allocation from now fails (0 = off). Only in
   builds with ICE_TEST_HOOKS, so a release library never fails an allocation on purpose. */
void ice_alloc_fail_after(long n);
#endif
/* Number of live allocations (only counted in test builds; 0 otherwise). */
long ice_alloc_live(void);

#endif
