/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the `icestream cat` renderers on whatever the Parquet reader makes of
 * arbitrary bytes: every batch it returns is checked (cli_array_check) and rendered as
 * JSON lines and as CSV into /dev/null. Catches renderer reads outside the arrays the
 * reader builds, and reader arrays whose offsets or lengths do not hold together. The
 * CLI is a program, not a library module, so its sources are compiled in here.
 */
#include <fcntl.h>
#include <unistd.h>

#include "cli/cli_arrow_view.c"
#include "cli/cli_error.c"
#include "cli/cli_out.c"
#include "cli/render_csv.c"
#include "cli/render_jsonl.c"
#include "cli/render_scalar.c"
#include "cli/render_value.c"
#include "fuzz.h"
#include "ice/ice_parquet.h"

static struct cli_out fuzz_out;
static struct cli_field fuzz_fields[4096];

static void render_stream(struct ArrowArrayStream *st) {
  struct ArrowSchema schema = {0};
  struct ArrowArray batch = {0};
  struct cli_schema s = {fuzz_fields, 0, 4096};
  struct ice_error err = {0};
  if (st->get_schema(st, &schema) != 0) return;
  if (cli_schema_parse(&s, &schema, &err) == ICE_OK && s.fields[0].kind == CLI_STRUCT) {
    render_csv_header(&fuzz_out, &s);
    for (int n = 0; n < 64; n++) {
      if (st->get_next(st, &batch) != 0 || batch.release == NULL) break;
      if (cli_array_check(&s, &s.fields[0], &batch, 0, &err) == ICE_OK) {
        (void)render_jsonl_rows(&fuzz_out, &s, &batch, batch.length, &err);
        (void)render_csv_rows(&fuzz_out, &s, &batch, batch.length, &err);
      }
      batch.release(&batch);
    }
  }
  if (batch.release != NULL) batch.release(&batch);
  schema.release(&schema);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int devnull = -1;
  if (devnull < 0) devnull = open("/dev/null", O_WRONLY);
  cli_out_init(&fuzz_out, devnull);
  ice_parquet_file *file = NULL;
  if (ice_parquet_open_memory(data, size, "fuzz.parquet", &file, NULL) != ICE_OK)
    return 0;
  struct ice_parquet_read_options opts;
  ice_parquet_read_options_init(&opts);
  opts.batch_rows = 100;
  struct ArrowArrayStream st = {0};
  if (ice_parquet_stream(file, &opts, &st, NULL) == ICE_OK) {
    render_stream(&st);
    st.release(&st);
  }
  ice_parquet_close(file);
  cli_out_drain(&fuzz_out);
  return 0;
}
