/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Leaf type mapping, Parquet -> Arrow, exactly as docs/internals/ARROW.md lists it.
 * The logical type wins when present and known; otherwise the legacy converted type;
 * otherwise the physical type. Annotations that do not fit the physical type (or
 * unknown future logical types) fall back to the physical mapping, as other readers
 * do, rather than failing the whole file.
 */
#include <stdio.h>

#include "parquet/pq_schema_internal.h"

static void set_format(struct pq_node *n, const char *fmt) {
  snprintf(n->format, sizeof n->format, "%s", fmt);
}

static int physical_width(const struct pq_node *n) {
  switch (n->physical) {
    case PQ_TYPE_INT32: return 4;
    case PQ_TYPE_INT64: return 8;
    case PQ_TYPE_INT96: return 12;
    case PQ_TYPE_FLOAT: return 4;
    case PQ_TYPE_DOUBLE: return 8;
    case PQ_TYPE_FIXED_LEN_BYTE_ARRAY: return n->type_length;
    default: return 0;
  }
}

/* The plain physical mapping. */
static void map_physical(struct pq_node *n) {
  n->conv = PQ_CONV_FIXED;
  n->out_width = n->phys_width;
  n->extension = NULL;
  switch (n->physical) {
    case PQ_TYPE_BOOLEAN:
      set_format(n, "b");
      n->conv = PQ_CONV_BOOL;
      break;
    case PQ_TYPE_INT32: set_format(n, "i"); break;
    case PQ_TYPE_INT64: set_format(n, "l"); break;
    case PQ_TYPE_INT96:
      set_format(n, "w:12");
      n->extension = "icestream.int96";
      break;
    case PQ_TYPE_FLOAT: set_format(n, "f"); break;
    case PQ_TYPE_DOUBLE: set_format(n, "g"); break;
    case PQ_TYPE_BYTE_ARRAY:
      set_format(n, "z");
      n->conv = PQ_CONV_BINARY;
      break;
    case PQ_TYPE_FIXED_LEN_BYTE_ARRAY:
      snprintf(n->format, sizeof n->format, "w:%d", (int)n->type_length);
      break;
  }
}

static bool set_int(struct pq_node *n, int bits, bool is_signed) {
  if (n->physical == PQ_TYPE_INT32 && bits <= 32) {
    static const char *const s[] = {"c", "s", "i"}, *const u[] = {"C", "S", "I"};
    int k = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : -1;
    if (k < 0) return false;
    set_format(n, is_signed ? s[k] : u[k]);
    n->conv = k == 0 ? PQ_CONV_I32_TO_I8 : k == 1 ? PQ_CONV_I32_TO_I16 : PQ_CONV_FIXED;
    n->out_width = k == 0 ? 1 : k == 1 ? 2 : 4;
    return true;
  }
  if (n->physical == PQ_TYPE_INT64 && bits == 64) {
    set_format(n, is_signed ? "l" : "L");
    return true;
  }
  return false;
}

static bool set_decimal(struct pq_node *n, int32_t precision, int32_t scale) {
  if (precision < 1 || scale < 0 || scale > precision || precision > 76) return false;
  switch (n->physical) {
    case PQ_TYPE_INT32: n->conv = PQ_CONV_DEC_I32; break;
    case PQ_TYPE_INT64: n->conv = PQ_CONV_DEC_I64; break;
    case PQ_TYPE_FIXED_LEN_BYTE_ARRAY:
      if (n->type_length > 32) return false;
      n->conv = PQ_CONV_DEC_FLBA;
      break;
    case PQ_TYPE_BYTE_ARRAY: n->conv = PQ_CONV_DEC_BINARY; break;
    default: return false;
  }
  if (precision <= 38) {
    snprintf(n->format, sizeof n->format, "d:%d,%d", (int)precision, (int)scale);
    n->out_width = 16;
  } else {
    snprintf(n->format, sizeof n->format, "d:%d,%d,256", (int)precision, (int)scale);
    n->out_width = 32;
  }
  return true;
}

static bool set_time(struct pq_node *n, enum pq_time_unit unit) {
  if (unit == PQ_TIME_UNIT_MILLIS && n->physical == PQ_TYPE_INT32) {
    set_format(n, "ttm");
  } else if (unit == PQ_TIME_UNIT_MICROS && n->physical == PQ_TYPE_INT64) {
    set_format(n, "ttu");
  } else if (unit == PQ_TIME_UNIT_NANOS && n->physical == PQ_TYPE_INT64) {
    set_format(n, "ttn");
  } else {
    return false;
  }
  return true;
}

static bool set_timestamp(struct pq_node *n, enum pq_time_unit unit, bool utc) {
  if (n->physical != PQ_TYPE_INT64) return false;
  char u = unit == PQ_TIME_UNIT_MILLIS   ? 'm'
           : unit == PQ_TIME_UNIT_MICROS ? 'u'
           : unit == PQ_TIME_UNIT_NANOS  ? 'n'
                                         : 0;
  if (u == 0) return false;
  snprintf(n->format, sizeof n->format, "ts%c:%s", u, utc ? "UTC" : "");
  return true;
}

static bool is_text_capable(const struct pq_node *n) {
  return n->physical == PQ_TYPE_BYTE_ARRAY;
}

static bool map_logical(const struct pq_logical_type *lt, struct pq_node *n) {
  switch (lt->kind) {
    case PQ_LOGICAL_STRING:
    case PQ_LOGICAL_ENUM:
      if (!is_text_capable(n)) return false;
      set_format(n, "u");
      return true;
    case PQ_LOGICAL_JSON:
      if (!is_text_capable(n)) return false;
      set_format(n, "u");
      n->extension = "arrow.json";
      return true;
    case PQ_LOGICAL_BSON: return n->physical == PQ_TYPE_BYTE_ARRAY;
    case PQ_LOGICAL_DECIMAL:
      return set_decimal(n, lt->decimal_precision, lt->decimal_scale);
    case PQ_LOGICAL_DATE:
      if (n->physical != PQ_TYPE_INT32) return false;
      set_format(n, "tdD");
      return true;
    case PQ_LOGICAL_TIME: return set_time(n, lt->unit);
    case PQ_LOGICAL_TIMESTAMP: return set_timestamp(n, lt->unit, lt->is_adjusted_to_utc);
    case PQ_LOGICAL_INTEGER: return set_int(n, lt->int_bit_width, lt->int_is_signed);
    case PQ_LOGICAL_UNKNOWN:
      set_format(n, "n");
      n->conv = PQ_CONV_NONE;
      n->out_width = 0;
      return true;
    case PQ_LOGICAL_UUID:
      if (n->physical != PQ_TYPE_FIXED_LEN_BYTE_ARRAY || n->type_length != 16) return false;
      n->extension = "arrow.uuid";
      return true;
    case PQ_LOGICAL_FLOAT16:
      if (n->physical != PQ_TYPE_FIXED_LEN_BYTE_ARRAY || n->type_length != 2) return false;
      set_format(n, "e");
      return true;
    default:
      /* VARIANT, GEOMETRY, GEOGRAPHY, FILE and future members: physical type. */
      return false;
  }
}

static bool map_converted(const struct pq_schema_element *e, struct pq_node *n) {
  switch (e->converted_type) {
    case PQ_CONVERTED_UTF8:
    case PQ_CONVERTED_ENUM:
      if (!is_text_capable(n)) return false;
      set_format(n, "u");
      return true;
    case PQ_CONVERTED_JSON:
      if (!is_text_capable(n)) return false;
      set_format(n, "u");
      n->extension = "arrow.json";
      return true;
    case PQ_CONVERTED_BSON: return n->physical == PQ_TYPE_BYTE_ARRAY;
    case PQ_CONVERTED_DECIMAL:
      return e->has_precision &&
             set_decimal(n, e->precision, e->has_scale ? e->scale : 0);
    case PQ_CONVERTED_DATE:
      if (n->physical != PQ_TYPE_INT32) return false;
      set_format(n, "tdD");
      return true;
    case PQ_CONVERTED_TIME_MILLIS: return set_time(n, PQ_TIME_UNIT_MILLIS);
    case PQ_CONVERTED_TIME_MICROS: return set_time(n, PQ_TIME_UNIT_MICROS);
    case PQ_CONVERTED_TIMESTAMP_MILLIS: return set_timestamp(n, PQ_TIME_UNIT_MILLIS, true);
    case PQ_CONVERTED_TIMESTAMP_MICROS: return set_timestamp(n, PQ_TIME_UNIT_MICROS, true);
    case PQ_CONVERTED_UINT_8: return set_int(n, 8, false);
    case PQ_CONVERTED_UINT_16: return set_int(n, 16, false);
    case PQ_CONVERTED_UINT_32: return set_int(n, 32, false);
    case PQ_CONVERTED_UINT_64: return set_int(n, 64, false);
    case PQ_CONVERTED_INT_8: return set_int(n, 8, true);
    case PQ_CONVERTED_INT_16: return set_int(n, 16, true);
    case PQ_CONVERTED_INT_32: return set_int(n, 32, true);
    case PQ_CONVERTED_INT_64: return set_int(n, 64, true);
    default: return false; /* INTERVAL and group annotations: physical type */
  }
}

int pq_schema_map_leaf(const struct pq_schema_element *e, struct pq_node *n,
                       struct ice_error *err) {
  if (!e->has_type || e->type < PQ_TYPE_BOOLEAN || e->type > PQ_TYPE_FIXED_LEN_BYTE_ARRAY) {
    ICE_FAIL(err, ICE_ECORRUPT, "column '%s': missing or unknown physical type", n->path);
  }
  n->physical = e->type;
  if (n->physical == PQ_TYPE_FIXED_LEN_BYTE_ARRAY) {
    if (!e->has_type_length || e->type_length <= 0) {
      ICE_FAIL(err, ICE_ECORRUPT, "column '%s': FIXED_LEN_BYTE_ARRAY without a positive "
               "type_length", n->path);
    }
    if (e->type_length > (1 << 24)) {
      ICE_FAIL(err, ICE_ELIMIT, "column '%s': FIXED_LEN_BYTE_ARRAY width %d too large",
               n->path, (int)e->type_length);
    }
    n->type_length = e->type_length;
  }
  n->phys_width = physical_width(n);
  map_physical(n);
  bool mapped = false;
  if (e->has_logical_type && e->logical_type.kind != PQ_LOGICAL_FUTURE) {
    mapped = map_logical(&e->logical_type, n);
    if (!mapped) map_physical(n);
  }
  if (!mapped && e->has_converted_type) mapped = map_converted(e, n);
  if (!mapped) map_physical(n); /* undo a partial mapping */
  return ICE_OK;
}
