/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whole-file read path: open_memory (footer, schema tree), the Arrow schema, describe,
 * then stream every row with a small batch size (so batches straddle pages and row
 * groups) and validate each batch's structure. Any outcome but a crash, a leak or a
 * structurally invalid batch is acceptable.
 */
#include <stdlib.h>

#include "arrow/arrow_view.h"
#include "fuzz.h"
#include "ice/ice_parquet.h"

/* Bounds the work on inputs that declare huge row counts of empty values. */
#define FUZZ_MAX_BATCHES 2000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct ice_error err;
  ice_parquet_file *f = NULL;
  if (ice_parquet_open_memory(data, size, "fuzz.parquet", &f, &err) != ICE_OK) return 0;
  char *desc = NULL;
  if (ice_parquet_describe(f, &desc, &err) == ICE_OK) ice_string_free(desc);
  struct ice_parquet_read_options o;
  ice_parquet_read_options_init(&o);
  o.batch_rows = 3;
  struct ArrowArrayStream st;
  if (ice_parquet_stream(f, &o, &st, &err) == ICE_OK) {
    struct ArrowSchema s;
    if (st.get_schema(&st, &s) == 0) {
      for (int n = 0; n < FUZZ_MAX_BATCHES; n++) {
        struct ArrowArray a;
        if (st.get_next(&st, &a) != 0) {
          if (st.get_last_error(&st) == NULL) abort(); /* errors must explain themselves */
          break;
        }
        if (a.release == NULL) break;
        if (a.length > o.batch_rows || arrow_array_validate(&s, &a, &err) != ICE_OK) abort();
        a.release(&a);
      }
      s.release(&s);
    }
    st.release(&st);
  }
  ice_parquet_close(f);
  return 0;
}
