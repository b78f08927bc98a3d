/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for tests that drive whole loads: writing a Parquet input with the library's
 * own writer, and telling whether an allocation failure armed with ice_alloc_fail_after
 * was reached.
 */
#ifndef ICE_TEST_INPUTS_H
#define ICE_TEST_INPUTS_H

#include <stdint.h>

#include "harness/ice_test.h"
#include "ice/ice_parquet_write.h"
#include "util/alloc.h"

/* Writes one batch (borrowed) of `schema` to a new Parquet file at path; returns the
 * file's size (0 when a step failed, which is also a failed check). */
static inline int64_t ice_test_write_parquet(const char *path,
                                             const struct ArrowSchema *schema,
                                             const struct ArrowArray *batch) {
  struct ice_error err;
  ice_parquet_writer *w = NULL;
  struct ice_parquet_write_info info = {0};
  CHECK_OK(ice_parquet_writer_open(path, schema, NULL, &w, &err), &err);
  if (w != NULL) CHECK_OK(ice_parquet_writer_write(w, batch, &err), &err);
  if (w != NULL) CHECK_OK(ice_parquet_writer_close(w, &info, &err), &err);
  ice_parquet_writer_free(w);
  return info.file_bytes;
}

/* After a run with the Nth allocation armed to fail: whether the run ended before
 * reaching it (the countdown still pending). Spends up to n + 1 allocations; call it
 * before disarming with ice_alloc_fail_after(0). */
static inline int ice_test_alloc_failure_pending(long n) {
  for (long k = 0; k <= n; k++) {
    void *probe = ice_malloc(1);
    ice_free(probe);
    if (probe == NULL) return 1;
  }
  return 0;
}

#endif
