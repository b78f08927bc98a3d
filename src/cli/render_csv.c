/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSV output of `icestream cat` (RFC 4180 quoting). Scalars use the same text as JSONL
 * without JSON quotes (an empty string or binary value is "", so it differs from null);
 * nested values are written as their JSON text inside a quoted
 * field, so a CSV consumer still sees one field per column.
 */
#include <string.h>

#include "cli.h"
#include "render_rows.h"
#include "render_scalar.h"
#include "render_value.h"

/* Does a string field need quotes? Empty strings are quoted to tell them from null. */
static bool needs_quotes(const uint8_t *p, size_t n) {
  if (n == 0) return true;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r') return true;
  }
  return false;
}

static void write_quoted_name(struct cli_out *o, const char *name) {
  size_t n = strlen(name);
  if (!needs_quotes((const uint8_t *)name, n)) {
    render_utf8_text(o, (const uint8_t *)name, n);
    return;
  }
  cli_out_byte(o, '"');
  o->csv_quote = 1;
  render_utf8_text(o, (const uint8_t *)name, n);
  o->csv_quote = 0;
  cli_out_byte(o, '"');
}

void render_csv_header(struct cli_out *o, const struct cli_schema *s) {
  const struct cli_field *root = &s->fields[0];
  for (int32_t c = 0; c < root->n_children; c++) {
    if (c > 0) cli_out_byte(o, ',');
    write_quoted_name(o, s->fields[root->first_child + c].name);
  }
  cli_out_byte(o, '\n');
}

/* Byte range of a string or binary slot. */
static int bytes_range(const struct cli_field *f, const struct ArrowArray *a,
                       int64_t slot, int64_t *begin, int64_t *end,
                       struct ice_error *err) {
  if (f->kind == CLI_LARGE_STRING || f->kind == CLI_LARGE_BINARY) {
    int64_t total = ((const int64_t *)a->buffers[1])[a->offset + a->length];
    return cli_offsets64(a, slot, total, begin, end, err);
  }
  int64_t total = ((const int32_t *)a->buffers[1])[a->offset + a->length];
  return cli_offsets32(a, slot, total, begin, end, err);
}

static int render_string_cell(struct cli_out *o, const struct cli_field *f,
                              const struct ArrowArray *a, int64_t slot,
                              struct ice_error *err) {
  int64_t begin, end;
  CLI_TRY(bytes_range(f, a, slot, &begin, &end, err));
  const uint8_t *data = (const uint8_t *)a->buffers[2] + begin;
  size_t n = (size_t)(end - begin);
  if (!needs_quotes(data, n)) {
    render_utf8_text(o, data, n);
    return ICE_OK;
  }
  cli_out_byte(o, '"');
  o->csv_quote = 1;
  render_utf8_text(o, data, n);
  o->csv_quote = 0;
  cli_out_byte(o, '"');
  return ICE_OK;
}

int render_csv_rows(struct cli_out *o, const struct cli_schema *s,
                    const struct ArrowArray *batch, int64_t n, struct ice_error *err) {
  const struct cli_field *root = &s->fields[0];
  for (int64_t r = 0; r < n; r++) {
    int64_t p = batch->offset + r;
    for (int32_t c = 0; c < root->n_children; c++) {
      const struct cli_field *f = &s->fields[root->first_child + c];
      const struct ArrowArray *a = batch->children[c];
      if (c > 0) cli_out_byte(o, ',');
      CLI_CHECK_DATA(p < a->length, err, "column '%s': shorter than the batch", f->name);
      if (!cli_array_valid(a, p)) continue; /* null: empty field */
      if (f->kind == CLI_STRING || f->kind == CLI_LARGE_STRING) {
        CLI_TRY(render_string_cell(o, f, a, p, err));
      } else if (f->kind == CLI_BINARY || f->kind == CLI_LARGE_BINARY) {
        /* base64 never needs quotes, but an empty value must not look like null */
        int64_t begin, end;
        CLI_TRY(bytes_range(f, a, p, &begin, &end, err));
        if (begin == end)
          cli_out_str(o, "\"\"");
        else
          CLI_TRY(render_value(o, s, f, a, p, false, 1, err));
      } else if (cli_kind_is_nested(f->kind)) {
        cli_out_byte(o, '"');
        o->csv_quote = 1;
        int rc = render_value(o, s, f, a, p, false, 1, err);
        o->csv_quote = 0;
        CLI_TRY(rc);
        cli_out_byte(o, '"');
      } else {
        CLI_TRY(render_value(o, s, f, a, p, false, 1, err));
      }
    }
    cli_out_byte(o, '\n');
  }
  return ICE_OK;
}
