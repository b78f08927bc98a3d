/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Format-string parser (Arrow C Data interface, "Data type description -- format
 * strings"). Buffers per layout: null 0, struct 1 (validity), primitives and lists 2,
 * variable binary 3.
 */
#include "arrow/arrow_type.h"

#include <string.h>

/* Parses a non-negative decimal number at *p, advancing it; -1 if none or too big. */
static int32_t parse_int(const char **p) {
  const char *s = *p;
  int64_t v = 0;
  if (*s < '0' || *s > '9') return -1;
  while (*s >= '0' && *s <= '9') {
    v = v * 10 + (*s - '0');
    if (v > INT32_MAX) return -1;
    s++;
  }
  *p = s;
  return (int32_t)v;
}

static int set_fixed(struct arrow_type *t, enum arrow_type_id id, int32_t width) {
  t->id = id;
  t->byte_width = width;
  t->n_buffers = 2;
  return 1;
}

static int parse_time(const char *f, struct arrow_type *t) {
  static const char units[] = "smun";
  if (f[1] == 'd' && (f[2] == 'D' || f[2] == 'm') && f[3] == '\0') {
    return set_fixed(t, f[2] == 'D' ? ARROW_TYPE_DATE32 : ARROW_TYPE_DATE64,
                     f[2] == 'D' ? 4 : 8);
  }
  const char *u = f[2] != '\0' ? strchr(units, f[2]) : NULL;
  if (u == NULL) return 0;
  t->unit = (enum arrow_time_unit)(u - units);
  if (f[1] == 't' && f[3] == '\0') {
    int is32 = t->unit <= ARROW_UNIT_MILLI;
    return set_fixed(t, is32 ? ARROW_TYPE_TIME32 : ARROW_TYPE_TIME64, is32 ? 4 : 8);
  }
  if (f[1] == 'D' && f[3] == '\0') return set_fixed(t, ARROW_TYPE_DURATION, 8);
  if (f[1] == 's' && f[3] == ':') {
    t->timezone = f + 4;
    return set_fixed(t, ARROW_TYPE_TIMESTAMP, 8);
  }
  return 0;
}

static int parse_decimal(const char *f, struct arrow_type *t) {
  const char *p = f + 2;
  int32_t prec = parse_int(&p);
  if (prec <= 0 || *p != ',') return 0;
  p++;
  int neg = *p == '-';
  if (neg) p++;
  int32_t scale = parse_int(&p);
  if (scale < 0) return 0;
  int32_t bits = 128;
  if (*p == ',') {
    p++;
    bits = parse_int(&p);
  }
  if (*p != '\0' || (bits != 128 && bits != 256)) return 0;
  t->precision = prec;
  t->scale = neg ? -scale : scale;
  return set_fixed(t, bits == 128 ? ARROW_TYPE_DECIMAL128 : ARROW_TYPE_DECIMAL256,
                   bits / 8);
}

static int parse_nested(const char *f, struct arrow_type *t) {
  t->n_buffers = 2;
  if (strcmp(f, "+s") == 0) {
    t->id = ARROW_TYPE_STRUCT;
    t->n_buffers = 1;
    return 1;
  }
  if (strcmp(f, "+l") == 0) return (t->id = ARROW_TYPE_LIST), 1;
  if (strcmp(f, "+L") == 0) return (t->id = ARROW_TYPE_LARGE_LIST), 1;
  if (strcmp(f, "+m") == 0) return (t->id = ARROW_TYPE_MAP), 1;
  if (strncmp(f, "+w:", 3) == 0) {
    const char *p = f + 3;
    int32_t n = parse_int(&p);
    if (n < 0 || *p != '\0') return 0;
    t->id = ARROW_TYPE_FIXED_LIST;
    t->fixed_size = n;
    t->n_buffers = 1;
    return 1;
  }
  return 0;
}

static int parse_simple(const char *f, struct arrow_type *t) {
  if (f[0] == '\0' || f[1] != '\0') return 0;
  switch (f[0]) {
    case 'n': t->id = ARROW_TYPE_NA; t->n_buffers = 0; return 1;
    case 'b': t->id = ARROW_TYPE_BOOL; t->n_buffers = 2; return 1;
    case 'c': return set_fixed(t, ARROW_TYPE_INT8, 1);
    case 'C': return set_fixed(t, ARROW_TYPE_UINT8, 1);
    case 's': return set_fixed(t, ARROW_TYPE_INT16, 2);
    case 'S': return set_fixed(t, ARROW_TYPE_UINT16, 2);
    case 'i': return set_fixed(t, ARROW_TYPE_INT32, 4);
    case 'I': return set_fixed(t, ARROW_TYPE_UINT32, 4);
    case 'l': return set_fixed(t, ARROW_TYPE_INT64, 8);
    case 'L': return set_fixed(t, ARROW_TYPE_UINT64, 8);
    case 'e': return set_fixed(t, ARROW_TYPE_HALF_FLOAT, 2);
    case 'f': return set_fixed(t, ARROW_TYPE_FLOAT, 4);
    case 'g': return set_fixed(t, ARROW_TYPE_DOUBLE, 8);
    case 'z': t->id = ARROW_TYPE_BINARY; t->n_buffers = 3; return 1;
    case 'Z': t->id = ARROW_TYPE_LARGE_BINARY; t->n_buffers = 3; return 1;
    case 'u': t->id = ARROW_TYPE_STRING; t->n_buffers = 3; return 1;
    case 'U': t->id = ARROW_TYPE_LARGE_STRING; t->n_buffers = 3; return 1;
    default: return 0;
  }
}

int arrow_type_parse(const char *format, struct arrow_type *out, struct ice_error *err) {
  struct arrow_type t;
  memset(&t, 0, sizeof t);
  t.timezone = "";
  int ok = 0;
  if (format == NULL) {
    ok = 0;
  } else if (format[0] == 'w' && format[1] == ':') {
    const char *p = format + 2;
    int32_t n = parse_int(&p);
    ok = n > 0 && *p == '\0' && set_fixed(&t, ARROW_TYPE_FIXED_BINARY, n);
    t.fixed_size = n;
  } else if (format[0] == 'd' && format[1] == ':') {
    ok = parse_decimal(format, &t);
  } else if (format[0] == 't') {
    ok = parse_time(format, &t);
  } else if (format[0] == '+') {
    ok = parse_nested(format, &t);
  } else {
    ok = parse_simple(format, &t);
  }
  if (!ok) {
    ICE_FAIL(err, ICE_EUNSUPPORTED, "arrow: unsupported format string '%s'",
             format ? format : "(null)");
  }
  *out = t;
  return ICE_OK;
}

const char *arrow_type_name(enum arrow_type_id id) {
  static const char *const names[] = {
      "null",         "bool",       "int8",      "uint8",        "int16",
      "uint16",       "int32",      "uint32",    "int64",        "uint64",
      "half_float",   "float",      "double",    "binary",       "large_binary",
      "string",       "large_string", "fixed_binary", "decimal128", "decimal256",
      "date32",       "date64",     "time32",    "time64",       "timestamp",
      "duration",     "struct",     "list",      "large_list",   "fixed_list",
      "map"};
  if ((size_t)id >= sizeof names / sizeof names[0]) return "unknown";
  return names[id];
}
