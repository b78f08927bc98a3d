/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The value walker shared by the JSONL and CSV renderers: reads one slot of an Arrow
 * array (validity, fixed-width value, offsets into data or child arrays) and writes its
 * text. Lists become JSON arrays, structs objects, maps arrays of {"key":..,"value":..}
 * (a map may repeat keys or have non-string keys, so it cannot be a JSON object).
 */
#include "render_value.h"

#include <string.h>

#include "cli.h"
#include "render_scalar.h"

/* Fixed-width value i (array offset applied) of the data buffer. */
#define VALUE_AT(type, a, p) (((const type *)(a)->buffers[1])[(p)])

static void quote_if(struct cli_out *o, bool json) {
  if (json) cli_out_byte(o, '"');
}

static int render_list(struct cli_out *o, const struct cli_schema *s,
                       const struct cli_field *f, const struct ArrowArray *a,
                       int64_t p_slot, int depth, struct ice_error *err) {
  const struct cli_field *cf = &s->fields[f->first_child];
  const struct ArrowArray *ca = a->children[0];
  int64_t begin, end;
  if (f->kind == CLI_LIST || f->kind == CLI_MAP) {
    CLI_TRY(cli_offsets32(a, p_slot, ca->length, &begin, &end, err));
  } else if (f->kind == CLI_LARGE_LIST) {
    CLI_TRY(cli_offsets64(a, p_slot, ca->length, &begin, &end, err));
  } else { /* fixed-size list: checked against the child length per batch */
    begin = (a->offset + p_slot) * f->width;
    end = begin + f->width;
  }
  cli_out_byte(o, '[');
  for (int64_t i = begin; i < end; i++) {
    if (i > begin) cli_out_byte(o, ',');
    if (f->kind == CLI_MAP) {
      CLI_TRY(render_struct_object(o, s, cf, ca, i, depth + 1, err));
    } else {
      CLI_TRY(render_value(o, s, cf, ca, i, true, depth + 1, err));
    }
  }
  cli_out_byte(o, ']');
  return ICE_OK;
}

int render_struct_object(struct cli_out *o, const struct cli_schema *s,
                         const struct cli_field *f, const struct ArrowArray *a,
                         int64_t slot, int depth, struct ice_error *err) {
  if (depth > CLI_MAX_DEPTH) {
    return cli_error_set(err, ICE_ELIMIT, "value nests deeper than %d levels",
                         CLI_MAX_DEPTH);
  }
  CLI_CHECK_DATA(slot >= 0 && slot < a->length, err,
                 "column '%s': slot %lld beyond length %lld", f->name, (long long)slot,
                 (long long)a->length);
  if (!cli_array_valid(a, slot)) {
    cli_out_str(o, "null");
    return ICE_OK;
  }
  int64_t p = a->offset + slot;
  cli_out_byte(o, '{');
  for (int32_t c = 0; c < f->n_children; c++) {
    const struct cli_field *cf = &s->fields[f->first_child + c];
    if (c > 0) cli_out_byte(o, ',');
    render_json_string(o, (const uint8_t *)cf->name, strlen(cf->name));
    cli_out_byte(o, ':');
    /* A struct's children are indexed by the struct's offset + slot. */
    CLI_TRY(render_value(o, s, cf, a->children[c], p, true, depth + 1, err));
  }
  cli_out_byte(o, '}');
  return ICE_OK;
}

static int render_bytes(struct cli_out *o, const struct cli_field *f,
                        const struct ArrowArray *a, int64_t slot, bool json,
                        struct ice_error *err) {
  int64_t begin, end, total;
  bool large = f->kind == CLI_LARGE_STRING || f->kind == CLI_LARGE_BINARY;
  if (large) {
    total = ((const int64_t *)a->buffers[1])[a->offset + a->length];
    CLI_TRY(cli_offsets64(a, slot, total, &begin, &end, err));
  } else {
    total = ((const int32_t *)a->buffers[1])[a->offset + a->length];
    CLI_TRY(cli_offsets32(a, slot, total, &begin, &end, err));
  }
  const uint8_t *data = (const uint8_t *)a->buffers[2] + begin;
  size_t n = (size_t)(end - begin);
  if (f->kind == CLI_STRING || f->kind == CLI_LARGE_STRING) {
    if (json)
      render_json_string(o, data, n);
    else
      render_utf8_text(o, data, n);
  } else {
    quote_if(o, json);
    render_base64(o, data, n);
    quote_if(o, json);
  }
  return ICE_OK;
}

int render_value(struct cli_out *o, const struct cli_schema *s, const struct cli_field *f,
                 const struct ArrowArray *a, int64_t slot, bool json, int depth,
                 struct ice_error *err) {
  CLI_CHECK_DATA(slot >= 0 && slot < a->length, err,
                 "column '%s': slot %lld beyond length %lld", f->name, (long long)slot,
                 (long long)a->length);
  if (f->kind == CLI_NULL || !cli_array_valid(a, slot)) {
    if (json) cli_out_str(o, "null");
    return ICE_OK;
  }
  int64_t p = a->offset + slot;
  switch (f->kind) {
    case CLI_NULL:
      break;
    case CLI_BOOL:
      cli_out_str(o, cli_bit(a->buffers[1], p) ? "true" : "false");
      break;
    case CLI_INT8:
      render_i64(o, VALUE_AT(int8_t, a, p));
      break;
    case CLI_INT16:
      render_i64(o, VALUE_AT(int16_t, a, p));
      break;
    case CLI_INT32:
      render_i64(o, VALUE_AT(int32_t, a, p));
      break;
    case CLI_INT64:
      render_i64(o, VALUE_AT(int64_t, a, p));
      break;
    case CLI_UINT8:
      render_u64(o, VALUE_AT(uint8_t, a, p));
      break;
    case CLI_UINT16:
      render_u64(o, VALUE_AT(uint16_t, a, p));
      break;
    case CLI_UINT32:
      render_u64(o, VALUE_AT(uint32_t, a, p));
      break;
    case CLI_UINT64:
      render_u64(o, VALUE_AT(uint64_t, a, p));
      break;
    case CLI_FLOAT16:
      render_f16(o, VALUE_AT(uint16_t, a, p), json);
      break;
    case CLI_FLOAT32:
      render_f32(o, VALUE_AT(float, a, p), json);
      break;
    case CLI_FLOAT64:
      render_f64(o, VALUE_AT(double, a, p), json);
      break;
    case CLI_DECIMAL:
      quote_if(o, json);
      render_decimal(o, (const uint8_t *)a->buffers[1] + p * f->width, f->width,
                     f->scale);
      quote_if(o, json);
      break;
    case CLI_DATE32:
      quote_if(o, json);
      render_date(o, VALUE_AT(int32_t, a, p));
      quote_if(o, json);
      break;
    case CLI_DATE64: {
      /* date64 is milliseconds; the day is what matters (floor toward -infinity). */
      int64_t ms = VALUE_AT(int64_t, a, p);
      int64_t days = ms / 86400000 - (ms % 86400000 < 0 ? 1 : 0);
      quote_if(o, json);
      render_date(o, days);
      quote_if(o, json);
      break;
    }
    case CLI_TIME32:
      quote_if(o, json);
      render_time(o, VALUE_AT(int32_t, a, p), f->unit);
      quote_if(o, json);
      break;
    case CLI_TIME64:
      quote_if(o, json);
      render_time(o, VALUE_AT(int64_t, a, p), f->unit);
      quote_if(o, json);
      break;
    case CLI_TIMESTAMP:
      quote_if(o, json);
      render_timestamp(o, VALUE_AT(int64_t, a, p), f->unit, f->utc);
      quote_if(o, json);
      break;
    case CLI_INT96:
      quote_if(o, json);
      render_int96(o, (const uint8_t *)a->buffers[1] + p * 12);
      quote_if(o, json);
      break;
    case CLI_UUID:
      quote_if(o, json);
      render_uuid(o, (const uint8_t *)a->buffers[1] + p * 16);
      quote_if(o, json);
      break;
    case CLI_FIXED:
      quote_if(o, json);
      render_base64(o, (const uint8_t *)a->buffers[1] + p * f->width, (size_t)f->width);
      quote_if(o, json);
      break;
    case CLI_STRING:
    case CLI_LARGE_STRING:
    case CLI_BINARY:
    case CLI_LARGE_BINARY:
      return render_bytes(o, f, a, slot, json, err);
    case CLI_STRUCT:
      return render_struct_object(o, s, f, a, slot, depth, err);
    case CLI_LIST:
    case CLI_LARGE_LIST:
    case CLI_FIXED_LIST:
    case CLI_MAP:
      if (depth > CLI_MAX_DEPTH) {
        return cli_error_set(err, ICE_ELIMIT, "value nests deeper than %d levels",
                             CLI_MAX_DEPTH);
      }
      return render_list(o, s, f, a, slot, depth, err);
  }
  return ICE_OK;
}
