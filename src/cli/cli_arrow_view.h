/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A read-only view of Arrow C Data for the CLI renderers: an ArrowSchema is parsed once
 * into a flat table of field descriptors (kind, unit, width, scale, children), and small
 * inline helpers read validity bits, offsets and fixed-width values of an ArrowArray
 * slot. Arrays are checked as they are walked (lengths, offsets, buffers), so a bad
 * batch is an error, never an out-of-bounds read.
 */
#ifndef ICE_CLI_ARROW_VIEW_H
#define ICE_CLI_ARROW_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "ice/ice_error.h"

enum cli_kind {
  CLI_NULL,
  CLI_BOOL,
  CLI_INT8,
  CLI_INT16,
  CLI_INT32,
  CLI_INT64,
  CLI_UINT8,
  CLI_UINT16,
  CLI_UINT32,
  CLI_UINT64,
  CLI_FLOAT16,
  CLI_FLOAT32,
  CLI_FLOAT64,
  CLI_DECIMAL,   /* width = 4, 8, 16 or 32 bytes, scale */
  CLI_DATE32,    /* days */
  CLI_DATE64,    /* milliseconds */
  CLI_TIME32,    /* unit s or ms */
  CLI_TIME64,    /* unit us or ns */
  CLI_TIMESTAMP, /* int64 in unit, utc when the format names a time zone */
  CLI_INT96,     /* w:12 with extension icestream.int96 */
  CLI_STRING,    /* u: int32 offsets */
  CLI_LARGE_STRING,
  CLI_BINARY, /* z */
  CLI_LARGE_BINARY,
  CLI_FIXED, /* w:n, width = n */
  CLI_UUID,  /* w:16 with extension arrow.uuid */
  CLI_STRUCT,
  CLI_LIST,       /* +l */
  CLI_LARGE_LIST, /* +L */
  CLI_FIXED_LIST, /* +w:n, width = n */
  CLI_MAP         /* +m: one child `entries` (+s of key, value) */
};

enum cli_unit { CLI_UNIT_S = 0, CLI_UNIT_MS = 1, CLI_UNIT_US = 2, CLI_UNIT_NS = 3 };

struct cli_field {
  const char *name; /* borrowed from the ArrowSchema */
  enum cli_kind kind;
  int32_t width;       /* bytes of fixed-size values, or list size for +w */
  int32_t scale;       /* decimals */
  int8_t unit;         /* enum cli_unit for times and timestamps */
  bool utc;            /* timestamp with a time zone: the value is an instant */
  int32_t first_child; /* index in cli_schema.fields; children are contiguous */
  int32_t n_children;
};

/* The parsed schema: fields[0] is the root; storage is the caller's. */
struct cli_schema {
  struct cli_field *fields;
  int32_t n;
  int32_t cap;
};

static inline bool cli_kind_is_nested(enum cli_kind k) {
  return k == CLI_STRUCT || k == CLI_LIST || k == CLI_LARGE_LIST || k == CLI_FIXED_LIST ||
         k == CLI_MAP;
}

/* Parses `root` into s->fields (capacity s->cap, already set). Fails with
 * ICE_EUNSUPPORTED for Arrow types the renderers do not know, ICE_ELIMIT when the
 * schema has more fields than fit or nests deeper than CLI_MAX_DEPTH. */
int cli_schema_parse(struct cli_schema *s, const struct ArrowSchema *root,
                     struct ice_error *err);

/* Checks that `a` has the buffers and children its field needs (pointers present,
 * counts right); done once per batch, recursively, before rendering. */
int cli_array_check(const struct cli_schema *s, const struct cli_field *f,
                    const struct ArrowArray *a, int depth, struct ice_error *err);

/* Is slot `i` (logical index, the array's own offset NOT yet applied) valid? */
static inline bool cli_array_valid(const struct ArrowArray *a, int64_t i) {
  const uint8_t *bits = (const uint8_t *)a->buffers[0];
  if (a->null_count == 0 || bits == NULL) return true;
  int64_t p = a->offset + i;
  return (bits[p >> 3] >> (p & 7)) & 1;
}

static inline bool cli_bit(const void *buf, int64_t p) {
  return (((const uint8_t *)buf)[p >> 3] >> (p & 7)) & 1;
}

/* Range [*begin, *end) of list or string slot i (array offset not yet applied), checked
 * to be ordered and within `limit` (the child length, or the string data length). */
int cli_offsets32(const struct ArrowArray *a, int64_t i, int64_t limit, int64_t *begin,
                  int64_t *end, struct ice_error *err);
int cli_offsets64(const struct ArrowArray *a, int64_t i, int64_t limit, int64_t *begin,
                  int64_t *end, struct ice_error *err);

#endif /* ICE_CLI_ARROW_VIEW_H */
