/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON Lines output of `icestream cat`: one object per row with the columns as keys in
 * schema order. The value forms are in render_scalar.h; the interop tests compare this
 * output with DuckDB's reading of the same file.
 */
#include "cli.h"
#include "render_rows.h"
#include "render_value.h"

int render_jsonl_rows(struct cli_out *o, const struct cli_schema *s,
                      const struct ArrowArray *batch, int64_t n, struct ice_error *err) {
  const struct cli_field *root = &s->fields[0];
  for (int64_t r = 0; r < n; r++) {
    CLI_TRY(render_struct_object(o, s, root, batch, r, 0, err));
    cli_out_byte(o, '\n');
  }
  return ICE_OK;
}
