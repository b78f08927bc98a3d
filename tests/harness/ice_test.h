/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny test harness (TAP-like output). A test file defines test functions and a
 * main() that runs them with ICE_RUN; any failed check makes the process exit 1.
 */
#ifndef ICE_TEST_H
#define ICE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ice/ice_error.h"

static int ice_test_failures;
static int ice_test_current_failed;

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
      ice_test_current_failed = 1;                                               \
    }                                                                            \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                       \
  do {                                                                           \
    long long ice_a_ = (long long)(a), ice_b_ = (long long)(b);                  \
    if (ice_a_ != ice_b_) {                                                      \
      fprintf(stderr, "  FAIL %s:%d: %s == %s (%lld != %lld)\n", __FILE__,       \
              __LINE__, #a, #b, ice_a_, ice_b_);                                 \
      ice_test_current_failed = 1;                                               \
    }                                                                            \
  } while (0)

#define CHECK_EQ_STR(a, b)                                                       \
  do {                                                                           \
    const char *ice_a_ = (a), *ice_b_ = (b);                                     \
    if (ice_a_ == NULL || ice_b_ == NULL || strcmp(ice_a_, ice_b_) != 0) {       \
      fprintf(stderr, "  FAIL %s:%d: %s == %s (\"%s\" != \"%s\")\n", __FILE__,   \
              __LINE__, #a, #b, ice_a_ ? ice_a_ : "(null)",                      \
              ice_b_ ? ice_b_ : "(null)");                                       \
      ice_test_current_failed = 1;                                               \
    }                                                                            \
  } while (0)

/* Checks an ice_code result; prints the error message on failure. */
#define CHECK_OK(expr, errp)                                                     \
  do {                                                                           \
    int ice_rc_ = (expr);                                                        \
    if (ice_rc_ != 0) {                                                          \
      fprintf(stderr, "  FAIL %s:%d: %s returned %d: %s\n", __FILE__, __LINE__,  \
              #expr, ice_rc_, ice_test_errmsg(errp));                    \
      ice_test_current_failed = 1;                                               \
    }                                                                            \
  } while (0)

static inline const char *ice_test_errmsg(const struct ice_error *e) {
  return e ? e->message : "";
}

#define ICE_RUN(fn)                                                              \
  do {                                                                           \
    ice_test_current_failed = 0;                                                 \
    fn();                                                                        \
    printf("%s - %s\n", ice_test_current_failed ? "not ok" : "ok", #fn);         \
    if (ice_test_current_failed) ice_test_failures++;                            \
  } while (0)

/* A case that needs a test-only hook (fault injection, kill points): run in builds with
   ICE_TEST_HOOKS, listed as skipped elsewhere. Its definition sits in #ifdef ICE_TEST_HOOKS. */
#ifdef ICE_TEST_HOOKS
#define ICE_RUN_WITH_HOOKS(fn) ICE_RUN(fn)
#else
#define ICE_RUN_WITH_HOOKS(fn) printf("ok - %s # SKIP needs ICE_TEST_HOOKS\n", #fn)
#endif

#define ICE_TEST_EXIT() return ice_test_failures ? 1 : 0

/* The fixtures in tests/data (ctest sets ICE_TEST_DATA_DIR); falls back to the path
   relative to the repository root. */
static inline const char *ice_test_data_dir(void) {
  const char *d = getenv("ICE_TEST_DATA_DIR");
  return d ? d : "tests/data";
}
static inline const char *ice_test_source_dir(void) {
  const char *d = getenv("ICE_SOURCE_DIR");
  return d ? d : ".";
}

#endif
