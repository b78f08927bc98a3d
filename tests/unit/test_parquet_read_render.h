/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper: renders rows of the reader's Arrow batches as compact text
 * ({a:1,b:[2,null]}) so tests can compare whole rows, and reads a whole file into
 * one string (one row per line) or an error message.
 */
#ifndef TEST_PARQUET_READ_RENDER_H
#define TEST_PARQUET_READ_RENDER_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arrow/arrow_type.h"
#include "arrow/arrow_view.h"
#include "ice/ice_parquet.h"
#include "util/buf.h"

static void rd_printf(struct ice_buf *b, const char *fmt, ...) ICE_PRINTF(2, 3);
static void rd_printf(struct ice_buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0 && ice_buf_append(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1,
                              NULL) != ICE_OK) {
    abort();
  }
}

/* Renders a decimal given as little-endian two's complement of `w` bytes (values that
 * fit in int64 only; others as hex). */
static void rd_decimal(struct ice_buf *b, const uint8_t *p, int w, int scale) {
  int neg = (p[w - 1] & 0x80) != 0;
  for (int k = 8; k < w; k++) {
    if (p[k] != (neg ? 0xff : 0x00)) {
      rd_printf(b, "dec0x");
      for (int j = w - 1; j >= 0; j--) rd_printf(b, "%02x", p[j]);
      return;
    }
  }
  int64_t v;
  memcpy(&v, p, 8);
  if (scale == 0) {
    rd_printf(b, "%" PRId64, v);
    return;
  }
  uint64_t a = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  uint64_t pow = 1;
  for (int k = 0; k < scale; k++) pow *= 10;
  rd_printf(b, "%s%" PRIu64 ".%0*" PRIu64, neg ? "-" : "", a / pow, scale, a % pow);
}

static void rd_value(struct ice_buf *b, const struct ArrowSchema *s,
                     const struct ArrowArray *a, int64_t i) {
  struct arrow_type t;
  if (arrow_type_parse(s->format, &t, NULL) != ICE_OK) abort();
  if (!arrow_array_valid(a, i)) {
    rd_printf(b, "null");
    return;
  }
  int64_t j = a->offset + i;
  const uint8_t *fixed = t.n_buffers >= 2 ? (const uint8_t *)a->buffers[1] : NULL;
  switch (t.id) {
    case ARROW_TYPE_BOOL: rd_printf(b, "%s", arrow_array_bool(a, i) ? "true" : "false"); break;
    case ARROW_TYPE_INT8: rd_printf(b, "%d", ((const int8_t *)fixed)[j]); break;
    case ARROW_TYPE_UINT8: rd_printf(b, "%u", ((const uint8_t *)fixed)[j]); break;
    case ARROW_TYPE_INT16: rd_printf(b, "%d", ((const int16_t *)(const void *)fixed)[j]); break;
    case ARROW_TYPE_UINT16: rd_printf(b, "%u", ((const uint16_t *)(const void *)fixed)[j]); break;
    case ARROW_TYPE_INT32:
    case ARROW_TYPE_DATE32:
    case ARROW_TYPE_TIME32:
      rd_printf(b, "%" PRId32, ((const int32_t *)(const void *)fixed)[j]);
      break;
    case ARROW_TYPE_UINT32: rd_printf(b, "%" PRIu32, ((const uint32_t *)(const void *)fixed)[j]); break;
    case ARROW_TYPE_INT64:
    case ARROW_TYPE_TIME64:
    case ARROW_TYPE_TIMESTAMP:
      rd_printf(b, "%" PRId64, ((const int64_t *)(const void *)fixed)[j]);
      break;
    case ARROW_TYPE_UINT64: rd_printf(b, "%" PRIu64, ((const uint64_t *)(const void *)fixed)[j]); break;
    case ARROW_TYPE_FLOAT: rd_printf(b, "%g", (double)((const float *)(const void *)fixed)[j]); break;
    case ARROW_TYPE_DOUBLE: rd_printf(b, "%g", ((const double *)(const void *)fixed)[j]); break;
    case ARROW_TYPE_DECIMAL128:
    case ARROW_TYPE_DECIMAL256:
      rd_decimal(b, fixed + j * t.byte_width, t.byte_width, t.scale);
      break;
    case ARROW_TYPE_STRING:
    case ARROW_TYPE_BINARY: {
      const int32_t *o = arrow_array_offsets32(a);
      const uint8_t *d = arrow_array_bytes(a);
      int32_t len = o[i + 1] - o[i];
      if (t.id == ARROW_TYPE_STRING) {
        rd_printf(b, "\"%.*s\"", (int)(len > 400 ? 400 : len), (const char *)d + o[i]);
      } else {
        rd_printf(b, "0x");
        for (int32_t k = 0; k < len && k < 64; k++) rd_printf(b, "%02x", d[o[i] + k]);
      }
      break;
    }
    case ARROW_TYPE_HALF_FLOAT:
    case ARROW_TYPE_FIXED_BINARY: {
      rd_printf(b, "0x");
      for (int32_t k = 0; k < t.byte_width; k++) {
        rd_printf(b, "%02x", fixed[j * t.byte_width + k]);
      }
      break;
    }
    case ARROW_TYPE_STRUCT:
      rd_printf(b, "{");
      for (int64_t c = 0; c < s->n_children; c++) {
        rd_printf(b, "%s%s:", c ? "," : "", s->children[c]->name);
        rd_value(b, s->children[c], a->children[c], j);
      }
      rd_printf(b, "}");
      break;
    case ARROW_TYPE_LIST:
    case ARROW_TYPE_MAP: {
      const int32_t *o = arrow_array_offsets32(a);
      rd_printf(b, t.id == ARROW_TYPE_MAP ? "<" : "[");
      for (int32_t k = o[i]; k < o[i + 1]; k++) {
        if (k > o[i]) rd_printf(b, ",");
        rd_value(b, s->children[0], a->children[0], k);
      }
      rd_printf(b, t.id == ARROW_TYPE_MAP ? ">" : "]");
      break;
    }
    default:
      rd_printf(b, "?");
  }
}

/* Reads the whole file (all rows, one line per row; NUL-terminated, free with
 * ice_free). On error returns "ERROR <code>: <message>". Each batch is validated. */
static char *rd_read_file(const char *path, const char *const *cols, size_t ncols,
                          int64_t batch_rows, int64_t *rows_out) {
  struct ice_buf b;
  ice_buf_init(&b, (size_t)1 << 32);
  struct ice_error err;
  ice_error_clear(&err);
  ice_parquet_file *f = NULL;
  int64_t rows = 0;
  int rc = ice_parquet_open(path, &f, &err);
  if (rc != ICE_OK) {
    rd_printf(&b, "ERROR %s: %s", ice_code_name(rc), err.message);
  } else {
    struct ice_parquet_read_options o;
    ice_parquet_read_options_init(&o);
    o.columns = cols;
    o.n_columns = ncols;
    o.batch_rows = batch_rows;
    struct ArrowArrayStream st;
    rc = ice_parquet_stream(f, &o, &st, &err);
    if (rc != ICE_OK) {
      rd_printf(&b, "ERROR %s: %s", ice_code_name(rc), err.message);
    } else {
      struct ArrowSchema s;
      if (st.get_schema(&st, &s) != 0) abort();
      for (;;) {
        struct ArrowArray a;
        int e = st.get_next(&st, &a);
        if (e != 0) {
          rd_printf(&b, "ERROR %d: %s", e, st.get_last_error(&st));
          break;
        }
        if (a.release == NULL) break;
        if (a.length > batch_rows) rd_printf(&b, "BATCH TOO LONG\n");
        if (arrow_array_validate(&s, &a, &err) != ICE_OK) {
          rd_printf(&b, "INVALID ARRAY: %s\n", err.message);
        }
        for (int64_t i = 0; i < a.length; i++) {
          rd_value(&b, &s, &a, i);
          rd_printf(&b, "\n");
        }
        rows += a.length;
        a.release(&a);
      }
      s.release(&s);
      st.release(&st);
    }
    ice_parquet_close(f);
  }
  if (ice_buf_append_byte(&b, 0, NULL) != ICE_OK) abort();
  if (rows_out) *rows_out = rows;
  return (char *)ice_buf_take(&b);
}

#endif
