/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal error helpers. Fallible functions return an enum ice_code and take
 * `struct ice_error *err` (may be NULL) as their last parameter. Messages chain as
 * "outer context: inner context: cause" via ice_error_prefix().
 */
#ifndef ICE_UTIL_ERROR_H
#define ICE_UTIL_ERROR_H

#include "ice/ice_error.h"

#if defined(__GNUC__)
#define ICE_NODISCARD __attribute__((warn_unused_result))
#define ICE_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ICE_NODISCARD
#define ICE_PRINTF(a, b)
#endif

/* Sets err (if non-NULL) and returns code. */
int ice_error_set(struct ice_error *err, int code, const char *fmt, ...) ICE_PRINTF(3, 4);
/* Prepends "context: " to err->message; returns err->code (or ICE_EINTERNAL if NULL). */
int ice_error_prefix(struct ice_error *err, const char *fmt, ...) ICE_PRINTF(2, 3);
/* Adds "WHAT PATH: " ("PATH: " when WHAT is NULL or empty) so that PATH appears once: a
   message that already starts with "PATH: " only gets "WHAT " in front, and one that
   names PATH further on is left as it is. Returns err->code (ICE_EINTERNAL if NULL). */
int ice_error_prefix_path(struct ice_error *err, const char *what, const char *path);

/* The errno value an Arrow stream's get_next/get_schema returns for an enum ice_code
 * (ENOMEM, EINVAL, ENOTSUP, else EIO): the stream protocol carries errno codes only. */
int ice_error_errno(int code);

/* Propagate a non-OK code. */
#define ICE_TRY(expr)             \
  do {                            \
    int ice_try_rc_ = (expr);     \
    if (ice_try_rc_ != ICE_OK) {  \
      return ice_try_rc_;         \
    }                             \
  } while (0)

/* Set the error and return. */
#define ICE_FAIL(err, code, ...) return ice_error_set((err), (code), __VA_ARGS__)

/* Validate untrusted input: returns ICE_ECORRUPT when cond is false. */
#define ICE_CHECK_DATA(cond, err, ...)                    \
  do {                                                    \
    if (!(cond)) {                                        \
      return ice_error_set((err), ICE_ECORRUPT, __VA_ARGS__); \
    }                                                     \
  } while (0)

#endif
