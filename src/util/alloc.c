/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation wrappers with optional fault injection (see alloc.h). */
#include "util/alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#ifdef ICE_TEST_HOOKS

/* 0 = never fail. Atomic: a writer's encoding threads allocate too, and exactly one
 * allocation (whichever thread makes it) must see the count reach zero. */
static _Atomic long g_fail_countdown;

void ice_alloc_fail_after(long n) {
  atomic_store(&g_fail_countdown, n);
}
#endif

long ice_alloc_live(void) {
  return 0;
}

static int should_fail(void) {
#ifdef ICE_TEST_HOOKS
  long n = atomic_load(&g_fail_countdown);
  while (n > 0 && !atomic_compare_exchange_weak(&g_fail_countdown, &n, n - 1)) {
  }
  return n == 1;
#else
  return 0;
#endif
}

void *ice_malloc(size_t n) {
  if (should_fail()) return NULL;
  return malloc(n ? n : 1);
}

void *ice_calloc(size_t count, size_t size) {
  if (should_fail()) return NULL;
  if (size != 0 && count > (size_t)-1 / size) return NULL;
  return calloc(count ? count : 1, size ? size : 1);
}

void *ice_realloc(void *p, size_t n) {
  if (should_fail()) return NULL;
  return realloc(p, n ? n : 1);
}

void ice_free(void *p) {
  free(p);
}

char *ice_strndup(const char *s, size_t n) {
  char *d = ice_malloc(n + 1);
  if (d == NULL) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *ice_strdup(const char *s) {
  return ice_strndup(s, strlen(s));
}
