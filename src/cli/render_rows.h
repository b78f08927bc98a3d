/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Row renderers for `icestream cat`: a batch (a struct array whose children are the
 * columns) becomes JSON lines (render_jsonl.c) or CSV records (render_csv.c).
 */
#ifndef ICE_CLI_RENDER_ROWS_H
#define ICE_CLI_RENDER_ROWS_H

#include <stdint.h>

#include "cli_arrow_view.h"
#include "cli_out.h"

/* One JSON object per row, keys in schema order, each line ending in '\n'. Renders rows
 * [0, n) of `batch` (n <= batch->length), which must already pass cli_array_check. */
int render_jsonl_rows(struct cli_out *o, const struct cli_schema *s,
                      const struct ArrowArray *batch, int64_t n, struct ice_error *err);

/* The CSV header record: the top-level column names. */
void render_csv_header(struct cli_out *o, const struct cli_schema *s);

/* RFC 4180 records ('\n' line ends, as most tools expect): null is an empty field, an
 * empty string or binary value is "", fields with a comma, quote or line break are
 * quoted, nested values are their JSON text (always quoted). */
int render_csv_rows(struct cli_out *o, const struct cli_schema *s,
                    const struct ArrowArray *batch, int64_t n, struct ice_error *err);

#endif /* ICE_CLI_RENDER_ROWS_H */
