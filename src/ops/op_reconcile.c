/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Input batch -> table batch conversion (see op_reconcile.h). The plan is a tree that
 * follows the table schema: a column (at any depth) whose layout already matches is
 * moved as it is; a struct whose fields differ (order, fields the input lacks, fields to
 * widen) becomes a new node over the input's buffers with its children planned in turn,
 * and lists and maps recurse into their element / entries the same way. So a schema
 * that evolved (fields added inside structs, list elements or map values) is written
 * without copying the values that did not change.
 */
#include "ops/op_reconcile.h"

#include <stdio.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_type.h"
#include "arrow/arrow_view.h"
#include "iceberg/ib_schema_union.h"
#include "util/alloc.h"
#include "util/limits.h"

enum action {
  ACT_MOVE,    /* same layout */
  ACT_INT,     /* integer widening (signed or unsigned source) */
  ACT_U64_DEC, /* uint64 -> decimal128(20,0) */
  ACT_HALF,    /* float16 -> float32 or float64 */
  ACT_F32_F64, /* float32 -> float64 */
  ACT_SCALE,   /* int64/int32 value * mul (timestamps, times) */
  ACT_DATE64,  /* int64 ms -> int32 days */
  ACT_INT96,   /* 12-byte INT96 -> int64 microseconds */
  ACT_NULLS,   /* column missing from the input */
  ACT_NESTED   /* struct / list / map rebuilt over the input's buffers, kids planned */
};

struct column_plan {
  enum action act;
  int64_t src; /* input child index (-1 for ACT_NULLS) */
  struct arrow_type from, to;
  int64_t mul;
  const char *name; /* table column name (borrowed from the plan's copy) */
  const struct ArrowSchema *table_field; /* borrowed for ACT_NULLS layout */
  struct column_plan *kids; /* ACT_NESTED: one per child of table_field */
  int64_t n_kids;
};

struct op_reconcile {
  struct column_plan root; /* kids: one per table column, never collapsed */
  char input_name[256];
  const struct ArrowSchema *table; /* borrowed: the caller keeps it alive */
};

static int is_int(enum arrow_type_id id) {
  return id >= ARROW_TYPE_INT8 && id <= ARROW_TYPE_UINT64;
}
static int is_unsigned(enum arrow_type_id id) {
  return id == ARROW_TYPE_UINT8 || id == ARROW_TYPE_UINT16 || id == ARROW_TYPE_UINT32 ||
         id == ARROW_TYPE_UINT64;
}

static int has_extension(const struct ArrowSchema *s, const char *name) {
  const char *m = s->metadata;
  if (m == NULL) return 0;
  /* Metadata is trusted here (made in-process by the reader); a short scan suffices. */
  int32_t n = 0;
  memcpy(&n, m, 4);
  const char *p = m + 4;
  for (int32_t i = 0; i < n; i++) {
    int32_t kl, vl;
    memcpy(&kl, p, 4);
    const char *k = p + 4;
    memcpy(&vl, k + kl, 4);
    const char *v = k + kl + 4;
    if (kl == 20 && memcmp(k, "ARROW:extension:name", 20) == 0 &&
        (size_t)vl == strlen(name) && memcmp(v, name, (size_t)vl) == 0)
      return 1;
    p = v + vl;
  }
  return 0;
}

static int64_t unit_per_second(enum arrow_time_unit u) {
  switch (u) {
    case ARROW_UNIT_SECOND:
      return 1;
    case ARROW_UNIT_MILLI:
      return 1000;
    case ARROW_UNIT_MICRO:
      return 1000000;
    default:
      return 1000000000;
  }
}

/* Chooses how input field `in` becomes table field `tf`; ICE_ESCHEMA when it cannot. */
static int plan_column(const struct ArrowSchema *in, const struct ArrowSchema *tf,
                       struct column_plan *p, const char *input_name, const char *path,
                       struct ice_error *err) {
  ICE_TRY(arrow_type_parse(in->format, &p->from, err));
  ICE_TRY(arrow_type_parse(tf->format, &p->to, err));
  enum arrow_type_id f = p->from.id, t = p->to.id;
  p->mul = 1;
  if (strcmp(in->format, tf->format) == 0 && !has_extension(in, "icestream.int96")) {
    p->act = ACT_MOVE;
    return ICE_OK;
  }
  if (is_int(f) && (t == ARROW_TYPE_INT32 || t == ARROW_TYPE_INT64) &&
      p->from.byte_width < p->to.byte_width + (is_unsigned(f) ? 0 : 1)) {
    p->act = ACT_INT;
    return ICE_OK;
  }
  if (f == ARROW_TYPE_UINT64 && t == ARROW_TYPE_DECIMAL128 && p->to.scale == 0 &&
      p->to.precision >= 20) {
    p->act = ACT_U64_DEC;
    return ICE_OK;
  }
  if (f == ARROW_TYPE_HALF_FLOAT && (t == ARROW_TYPE_FLOAT || t == ARROW_TYPE_DOUBLE)) {
    p->act = ACT_HALF;
    return ICE_OK;
  }
  if (f == ARROW_TYPE_FLOAT && t == ARROW_TYPE_DOUBLE) {
    p->act = ACT_F32_F64;
    return ICE_OK;
  }
  if (f == ARROW_TYPE_DECIMAL128 && t == ARROW_TYPE_DECIMAL128 &&
      p->from.scale == p->to.scale && p->from.precision <= p->to.precision) {
    p->act = ACT_MOVE; /* same 16-byte values; only the declared precision grows */
    return ICE_OK;
  }
  if (f == ARROW_TYPE_TIMESTAMP && t == ARROW_TYPE_TIMESTAMP &&
      unit_per_second(p->from.unit) <= unit_per_second(p->to.unit) &&
      (p->from.timezone[0] != '\0') == (p->to.timezone[0] != '\0')) {
    p->mul = unit_per_second(p->to.unit) / unit_per_second(p->from.unit);
    p->act = p->mul == 1 ? ACT_MOVE : ACT_SCALE;
    return ICE_OK;
  }
  if ((f == ARROW_TYPE_TIME32 || f == ARROW_TYPE_TIME64) && t == ARROW_TYPE_TIME64 &&
      unit_per_second(p->from.unit) <= unit_per_second(p->to.unit)) {
    p->mul = unit_per_second(p->to.unit) / unit_per_second(p->from.unit);
    p->act = ACT_SCALE;
    return ICE_OK;
  }
  if (f == ARROW_TYPE_DATE64 && t == ARROW_TYPE_DATE32) {
    p->act = ACT_DATE64;
    return ICE_OK;
  }
  if (f == ARROW_TYPE_FIXED_BINARY && p->from.fixed_size == 12 &&
      has_extension(in, "icestream.int96") && t == ARROW_TYPE_TIMESTAMP &&
      p->to.unit == ARROW_UNIT_MICRO) {
    p->act = ACT_INT96;
    return ICE_OK;
  }
  ICE_FAIL(err, ICE_ESCHEMA,
           "%s: column '%s': input type %s (Arrow '%s') cannot be written to the table's "
           "type %s (Arrow '%s'); only widening conversions are applied",
           input_name, path, arrow_type_name(f), in->format, arrow_type_name(t),
           tf->format);
}

static void plan_free_kids(struct column_plan *p) {
  for (int64_t i = 0; i < p->n_kids; i++) plan_free_kids(&p->kids[i]);
  ice_free(p->kids);
  p->kids = NULL;
  p->n_kids = 0;
}

static int plan_field(const struct ArrowSchema *in, const struct ArrowSchema *tf,
                      struct column_plan *p, const char *input_name, const char *path,
                      int depth, struct ice_error *err);

static void join_path(char *buf, size_t cap, const char *parent, const char *name) {
  if (parent[0] == '\0')
    snprintf(buf, cap, "%s", name);
  else
    snprintf(buf, cap, "%s.%s", parent, name);
}

static int64_t find_child(const struct ArrowSchema *in, const char *name) {
  for (int64_t k = 0; k < in->n_children; k++)
    if (strcmp(in->children[k]->name, name) == 0) return k;
  char alt[1024];
  if (ib_compatible_name(name, alt, sizeof alt) && strcmp(alt, name) != 0)
    for (int64_t k = 0; k < in->n_children; k++)
      if (strcmp(in->children[k]->name, alt) == 0) return k;
  return -1;
}

/* Plans the children of struct `tf` from struct `in` (matched by name); p becomes
 * ACT_MOVE when every child moves in the same position, ACT_NESTED otherwise. */
static int plan_children(const struct ArrowSchema *in, const struct ArrowSchema *tf,
                         struct column_plan *p, const char *input_name, const char *path,
                         int depth, bool collapse, struct ice_error *err) {
  if (depth > ICE_LIMIT_NESTING) ICE_FAIL(err, ICE_ELIMIT, "schema nests too deep");
  p->kids = ice_calloc(tf->n_children ? (size_t)tf->n_children : 1, sizeof *p->kids);
  if (p->kids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  p->n_kids = tf->n_children;
  bool same = in->n_children == tf->n_children;
  int rc = ICE_OK;
  char sub[2048];
  for (int64_t i = 0; rc == ICE_OK && i < p->n_kids; i++) {
    const struct ArrowSchema *c = tf->children[i];
    struct column_plan *k = &p->kids[i];
    join_path(sub, sizeof sub, path, c->name);
    k->name = c->name;
    k->table_field = c;
    k->src = find_child(in, c->name);
    if (k->src < 0) {
      if (!(c->flags & ARROW_FLAG_NULLABLE))
        rc = ice_error_set(
            err, ICE_ESCHEMA,
            "%s: column '%s' is required by the table but missing from the input",
            input_name, sub);
      k->act = ACT_NULLS;
      same = false;
      continue;
    }
    rc = plan_field(in->children[k->src], c, k, input_name, sub, depth + 1, err);
    if (k->act != ACT_MOVE || k->src != i) same = false;
  }
  for (int64_t j = 0; rc == ICE_OK && j < in->n_children; j++) {
    int found = 0;
    for (int64_t i = 0; i < p->n_kids && !found; i++) found = p->kids[i].src == j;
    if (!found) {
      join_path(sub, sizeof sub, path, in->children[j]->name);
      rc = ice_error_set(err, ICE_ESCHEMA,
                         "%s: column '%s' is not in the table (this write does no "
                         "schema evolution)",
                         input_name, sub);
    }
  }
  if (rc == ICE_OK) p->act = same && collapse ? ACT_MOVE : ACT_NESTED;
  if (rc != ICE_OK || p->act == ACT_MOVE) plan_free_kids(p);
  return rc;
}

/* A map's entries: key and value by position (writers name the pair variously, e.g.
 * key_value / map, key / value). */
static int plan_entries(const struct ArrowSchema *in, const struct ArrowSchema *tf,
                        struct column_plan *p, const char *input_name, const char *path,
                        int depth, struct ice_error *err) {
  p->kids = ice_calloc(2, sizeof *p->kids);
  if (p->kids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  p->n_kids = 2;
  bool same = true;
  int rc = ICE_OK;
  char sub[2048];
  for (int64_t i = 0; rc == ICE_OK && i < 2; i++) {
    struct column_plan *k = &p->kids[i];
    k->name = tf->children[i]->name;
    k->table_field = tf->children[i];
    k->src = i;
    join_path(sub, sizeof sub, path, i == 0 ? "key" : "value");
    rc = plan_field(in->children[i], tf->children[i], k, input_name, sub, depth + 1, err);
    if (k->act != ACT_MOVE) same = false;
  }
  if (rc == ICE_OK) p->act = same ? ACT_MOVE : ACT_NESTED;
  if (rc != ICE_OK || p->act == ACT_MOVE) plan_free_kids(p);
  return rc;
}

static int plan_field(const struct ArrowSchema *in, const struct ArrowSchema *tf,
                      struct column_plan *p, const char *input_name, const char *path,
                      int depth, struct ice_error *err) {
  bool ts = tf->format[0] == '+', is = in->format[0] == '+';
  if (!ts && !is) return plan_column(in, tf, p, input_name, path, err);
  char kind = ts ? tf->format[1] : '\0';
  bool fits = ts && is && strcmp(in->format, tf->format) == 0 &&
              (kind == 's' || kind == 'l' || kind == 'm') &&
              (kind == 's' || (in->n_children == 1 && tf->n_children == 1));
  if (fits && kind == 'm')
    fits = in->children[0]->n_children == 2 && tf->children[0]->n_children == 2;
  if (!fits)
    ICE_FAIL(err, ICE_ESCHEMA,
             "%s: column '%s': input type (Arrow '%s') cannot be written to the table's "
             "type (Arrow '%s')",
             input_name, path, in->format, tf->format);
  if (kind == 's')
    return plan_children(in, tf, p, input_name, path, depth, true, err);
  /* A list's element or a map's entries: one child, planned under its own name. */
  p->kids = ice_calloc(1, sizeof *p->kids);
  if (p->kids == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  p->n_kids = 1;
  struct column_plan *k = &p->kids[0];
  k->name = tf->children[0]->name;
  k->table_field = tf->children[0];
  k->src = 0;
  char sub[2048];
  join_path(sub, sizeof sub, path, tf->format[1] == 'l' ? "element" : "entries");
  int rc = tf->format[1] == 'l'
               ? plan_field(in->children[0], tf->children[0], k, input_name, sub,
                            depth + 1, err)
               : plan_entries(in->children[0], tf->children[0], k, input_name, path,
                              depth + 1, err);
  if (rc == ICE_OK) p->act = k->act == ACT_MOVE ? ACT_MOVE : ACT_NESTED;
  if (rc != ICE_OK || p->act == ACT_MOVE) plan_free_kids(p);
  return rc;
}

int op_reconcile_new(const struct ArrowSchema *input, const struct ArrowSchema *table,
                     const char *input_name, struct op_reconcile **out,
                     struct ice_error *err) {
  if (strcmp(input->format, "+s") != 0 || strcmp(table->format, "+s") != 0)
    ICE_FAIL(err, ICE_EINVAL, "%s: schemas must be structs", input_name);
  struct op_reconcile *r = ice_calloc(1, sizeof *r);
  if (r == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  snprintf(r->input_name, sizeof r->input_name, "%s", input_name);
  r->table = table;
  int rc = plan_children(input, table, &r->root, r->input_name, "", 0, false, err);
  if (rc != ICE_OK) {
    op_reconcile_free(r);
    return rc;
  }
  *out = r;
  return ICE_OK;
}

void op_reconcile_free(struct op_reconcile *r) {
  if (r == NULL) return;
  plan_free_kids(&r->root);
  ice_free(r);
}

/* Validity of `src` rebased to offset 0 (NULL when it has no nulls). */
static int copy_validity(const struct ArrowArray *src, struct ArrowArray *dst,
                         struct ice_error *err) {
  dst->null_count = src->null_count;
  const uint8_t *bits = src->n_buffers > 0 ? src->buffers[0] : NULL;
  if (src->null_count == 0 || bits == NULL) {
    dst->null_count = 0;
    return ICE_OK;
  }
  int64_t nb = arrow_bitmap_bytes(src->length);
  uint8_t *v = ice_calloc((size_t)(nb ? nb : 1), 1);
  if (v == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory converting a column");
  for (int64_t i = 0; i < src->length; i++)
    if (arrow_bit_get(bits, src->offset + i)) arrow_bit_set(v, i);
  arrow_array_set_buffer(dst, 0, v);
  return ICE_OK;
}

static int64_t read_int(const struct ArrowArray *a, enum arrow_type_id id, int64_t i) {
  const uint8_t *p = a->buffers[1];
  int64_t k = a->offset + i;
  switch (id) {
    case ARROW_TYPE_INT8:
      return ((const int8_t *)p)[k];
    case ARROW_TYPE_UINT8:
      return ((const uint8_t *)p)[k];
    case ARROW_TYPE_INT16:
      return ((const int16_t *)(const void *)p)[k];
    case ARROW_TYPE_UINT16:
      return ((const uint16_t *)(const void *)p)[k];
    case ARROW_TYPE_INT32:
      return ((const int32_t *)(const void *)p)[k];
    case ARROW_TYPE_UINT32:
      return ((const uint32_t *)(const void *)p)[k];
    default:
      return ((const int64_t *)(const void *)p)[k];
  }
}

static float half_to_float(uint16_t h) {
  uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, man = h & 0x3ff,
           bits;
  if (exp == 0) {
    if (man == 0) {
      bits = sign;
    } else { /* subnormal: normalise */
      exp = 127 - 15 + 1;
      while (!(man & 0x400)) {
        man <<= 1;
        exp--;
      }
      bits = sign | (exp << 23) | ((man & 0x3ff) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (man << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
  }
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

/* Builds a converted copy of one primitive column. */
static int convert_column(const struct op_reconcile *r, const struct column_plan *p,
                          const struct ArrowArray *src, struct ArrowArray *dst,
                          struct ice_error *err) {
  ICE_TRY(arrow_array_init(dst, 2, 0, err));
  dst->length = src->length;
  int rc = copy_validity(src, dst, err);
  int32_t width = p->to.byte_width;
  uint8_t *out = rc == ICE_OK
                     ? ice_calloc((size_t)(src->length ? src->length : 1), (size_t)width)
                     : NULL;
  if (rc == ICE_OK && out == NULL) rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (int64_t i = 0; rc == ICE_OK && i < src->length; i++) {
    if (!arrow_array_valid(src, i)) continue; /* slot stays zero */
    int64_t k = src->offset + i;
    switch (p->act) {
      case ACT_INT: {
        int64_t v = read_int(src, p->from.id, i);
        if (width == 4) {
          int32_t x = (int32_t)v;
          memcpy(out + i * 4, &x, 4);
        } else {
          memcpy(out + i * 8, &v, 8);
        }
        break;
      }
      case ACT_U64_DEC: { /* little-endian 128-bit: low word, then zero high word */
        uint64_t v = ((const uint64_t *)src->buffers[1])[k];
        memcpy(out + i * 16, &v, 8);
        break;
      }
      case ACT_HALF: {
        float f = half_to_float(((const uint16_t *)src->buffers[1])[k]);
        if (width == 4) {
          memcpy(out + i * 4, &f, 4);
        } else {
          double d = f;
          memcpy(out + i * 8, &d, 8);
        }
        break;
      }
      case ACT_F32_F64: {
        double d = ((const float *)src->buffers[1])[k];
        memcpy(out + i * 8, &d, 8);
        break;
      }
      case ACT_SCALE: {
        int64_t v = p->from.byte_width == 4 ? ((const int32_t *)src->buffers[1])[k]
                                            : ((const int64_t *)src->buffers[1])[k];
        int64_t scaled;
        if (__builtin_mul_overflow(v, p->mul, &scaled))
          rc = ice_error_set(err, ICE_ESCHEMA,
                             "%s: column '%s': value %lld out of range "
                             "after unit conversion",
                             r->input_name, p->name, (long long)v);
        memcpy(out + i * 8, &scaled, 8);
        break;
      }
      case ACT_DATE64: {
        int64_t ms = ((const int64_t *)src->buffers[1])[k];
        int64_t days = ms / 86400000 - (ms % 86400000 < 0 ? 1 : 0);
        if (days < INT32_MIN || days > INT32_MAX)
          rc = ice_error_set(err, ICE_ESCHEMA, "%s: column '%s': date out of range",
                             r->input_name, p->name);
        int32_t d = (int32_t)days;
        memcpy(out + i * 4, &d, 4);
        break;
      }
      case ACT_INT96: {
        const uint8_t *b = (const uint8_t *)src->buffers[1] + k * 12;
        int64_t nanos;
        int32_t julian;
        memcpy(&nanos, b, 8);
        memcpy(&julian, b + 8, 4);
        /* Julian day 2440588 is 1970-01-01. */
        int64_t days = (int64_t)julian - 2440588, us, t;
        if (__builtin_mul_overflow(days, (int64_t)86400000000LL, &t) ||
            __builtin_add_overflow(t, nanos / 1000, &us))
          rc = ice_error_set(err, ICE_ESCHEMA,
                             "%s: column '%s': INT96 timestamp out of the "
                             "microsecond range",
                             r->input_name, p->name);
        memcpy(out + i * 8, &us, 8);
        break;
      }
      default:
        rc = ice_error_set(err, ICE_EINTERNAL, "unexpected conversion");
    }
  }
  if (out != NULL) arrow_array_set_buffer(dst, 1, out);
  if (rc != ICE_OK) arrow_array_release(dst);
  return rc;
}

int op_reconcile_column_plan(const struct ArrowSchema *in, const struct ArrowSchema *tf,
                             const char *input_name, bool *move, struct ice_error *err) {
  struct column_plan p;
  memset(&p, 0, sizeof p);
  ICE_TRY(plan_column(in, tf, &p, input_name, tf->name, err));
  *move = p.act == ACT_MOVE;
  return ICE_OK;
}

int op_reconcile_column_convert(const struct ArrowSchema *in,
                                const struct ArrowSchema *tf, const char *input_name,
                                const struct ArrowArray *src, struct ArrowArray *dst,
                                struct ice_error *err) {
  struct op_reconcile r;
  memset(&r, 0, sizeof r);
  snprintf(r.input_name, sizeof r.input_name, "%s", input_name);
  struct column_plan p;
  memset(&p, 0, sizeof p);
  p.name = tf->name;
  ICE_TRY(plan_column(in, tf, &p, input_name, tf->name, err));
  if (p.act == ACT_MOVE)
    ICE_FAIL(err, ICE_EINTERNAL, "column '%s' needs no conversion", tf->name);
  return convert_column(&r, &p, src, dst, err);
}

/* An all-null array of the table field's layout (nested children get length 0 for
 * lists/maps, `n` for struct children). */
static int null_array(const struct ArrowSchema *f, int64_t n, int depth,
                      struct ArrowArray *dst, struct ice_error *err) {
  if (depth > 64) ICE_FAIL(err, ICE_ELIMIT, "schema nests too deep");
  struct arrow_type t;
  ICE_TRY(arrow_type_parse(f->format, &t, err));
  int64_t nbuf = t.n_buffers;
  ICE_TRY(arrow_array_init(dst, nbuf, f->n_children, err));
  dst->length = n;
  dst->null_count = n;
  int rc = ICE_OK;
  int64_t nb = arrow_bitmap_bytes(n) + 1;
  for (int64_t b = 0; rc == ICE_OK && b < nbuf; b++) {
    size_t bytes = (size_t)nb; /* validity and boolean values */
    if (b == 1 && t.byte_width > 0) bytes = (size_t)(n * t.byte_width + 1);
    if (b == 1 && (t.id == ARROW_TYPE_STRING || t.id == ARROW_TYPE_BINARY ||
                   t.id == ARROW_TYPE_LIST || t.id == ARROW_TYPE_MAP))
      bytes = (size_t)(n + 1) * 4;
    if (b == 1 && (t.id == ARROW_TYPE_LARGE_STRING || t.id == ARROW_TYPE_LARGE_BINARY ||
                   t.id == ARROW_TYPE_LARGE_LIST))
      bytes = (size_t)(n + 1) * 8;
    if (b == 1 && t.id == ARROW_TYPE_FIXED_BINARY) bytes = (size_t)(n * t.fixed_size + 1);
    if (b == 2) bytes = 1; /* empty string data */
    void *mem = ice_calloc(bytes, 1);
    if (mem == NULL)
      rc = ice_error_set(err, ICE_ENOMEM, "out of memory");
    else
      arrow_array_set_buffer(dst, b, mem);
  }
  int64_t child_len = t.id == ARROW_TYPE_STRUCT ? n : 0;
  if (t.id == ARROW_TYPE_FIXED_LIST) child_len = n * t.fixed_size;
  for (int64_t c = 0; rc == ICE_OK && c < f->n_children; c++)
    rc = null_array(f->children[c], child_len, depth + 1, dst->children[c], err);
  if (rc != ICE_OK) arrow_array_release(dst);
  return rc;
}

/* The output batch keeps the input batch alive instead of moving its children out:
 * producers may own child memory through the parent (the Arrow spec lets consumers move
 * children, but not every producer supports it), so unchanged columns are borrowed
 * views and the input is released together with the output. */
struct out_batch {
  struct ArrowArray input;
  struct ArrowArray **child_ptrs;
  struct ArrowArray *children;
  int64_t n;
  const void *buffers[1];
};

static void release_view(struct ArrowArray *a) {
  a->release = NULL; /* memory belongs to the held input batch */
}

static void release_out_batch(struct ArrowArray *a) {
  struct out_batch *o = a->private_data;
  for (int64_t i = 0; i < o->n; i++) arrow_array_release(&o->children[i]);
  arrow_array_release(&o->input);
  ice_free(o->children);
  ice_free(o->child_ptrs);
  ice_free(o);
  a->release = NULL;
}

int op_null_array(const struct ArrowSchema *field, int64_t n, struct ArrowArray *out,
                  struct ice_error *err) {
  return null_array(field, n, 0, out, err);
}

/* A struct, list or map rebuilt over the input's buffers (borrowed: the out_batch holds
 * the input) with children of its own. */
struct nested_node {
  struct ArrowArray *kids;
  struct ArrowArray **kid_ptrs;
  int64_t n;
};

static void release_nested(struct ArrowArray *a) {
  struct nested_node *nn = a->private_data;
  for (int64_t i = 0; i < nn->n; i++) arrow_array_release(&nn->kids[i]);
  ice_free(nn->kids);
  ice_free(nn->kid_ptrs);
  ice_free(nn);
  a->release = NULL;
}

/* One column as the plan says: src is the input's array (NULL for ACT_NULLS, which
 * makes `len` null rows). */
static int build_column(const struct op_reconcile *r, const struct column_plan *p,
                        const struct ArrowArray *src, int64_t len, int depth,
                        struct ArrowArray *dst, struct ice_error *err) {
  if (depth > ICE_LIMIT_NESTING) ICE_FAIL(err, ICE_ELIMIT, "schema nests too deep");
  if (p->act == ACT_NULLS) return null_array(p->table_field, len, 0, dst, err);
  if (p->act == ACT_MOVE) {
    *dst = *src;
    dst->release = release_view;
    dst->private_data = NULL;
    return ICE_OK;
  }
  if (p->act != ACT_NESTED) return convert_column(r, p, src, dst, err);
  struct nested_node *nn = ice_calloc(1, sizeof *nn);
  size_t n = p->n_kids ? (size_t)p->n_kids : 1;
  if (nn != NULL) {
    nn->kids = ice_calloc(n, sizeof *nn->kids);
    nn->kid_ptrs = ice_calloc(n, sizeof *nn->kid_ptrs);
  }
  if (nn == NULL || nn->kids == NULL || nn->kid_ptrs == NULL) {
    if (nn != NULL) {
      ice_free(nn->kids);
      ice_free(nn->kid_ptrs);
    }
    ice_free(nn);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  nn->n = p->n_kids;
  for (int64_t i = 0; i < p->n_kids; i++) nn->kid_ptrs[i] = &nn->kids[i];
  memset(dst, 0, sizeof *dst);
  dst->length = src->length;
  dst->null_count = src->null_count;
  dst->offset = src->offset;
  dst->n_buffers = src->n_buffers;
  dst->buffers = src->buffers;
  dst->n_children = p->n_kids;
  dst->children = nn->kid_ptrs;
  dst->release = release_nested;
  dst->private_data = nn;
  /* A struct's children are indexed with its offset; a list's or map's child is
   * addressed through the offsets buffer, so it is taken whole. */
  bool is_struct = strcmp(p->table_field->format, "+s") == 0;
  int64_t need = is_struct ? src->offset + src->length : 0;
  int rc = ICE_OK;
  for (int64_t i = 0; rc == ICE_OK && i < p->n_kids; i++) {
    const struct column_plan *k = &p->kids[i];
    if (k->act == ACT_NULLS) {
      rc = null_array(k->table_field, need, 0, &nn->kids[i], err);
    } else if (k->src < 0 || k->src >= src->n_children ||
               src->children[k->src]->length < need) {
      rc = ice_error_set(err, ICE_EINVAL, "%s: column '%s': batch does not match its schema",
                         r->input_name, k->name);
    } else {
      rc = build_column(r, k, src->children[k->src], 0, depth + 1, &nn->kids[i], err);
    }
  }
  if (rc != ICE_OK) release_nested(dst);
  return rc;
}

int op_reconcile_batch(struct op_reconcile *r, struct ArrowArray *in,
                       struct ArrowArray *out, struct ice_error *err) {
  struct out_batch *o = ice_calloc(1, sizeof *o);
  int64_t n_cols = r->root.n_kids;
  size_t n = n_cols ? (size_t)n_cols : 1;
  if (o != NULL) {
    o->children = ice_calloc(n, sizeof *o->children);
    o->child_ptrs = ice_calloc(n, sizeof *o->child_ptrs);
  }
  if (o == NULL || o->children == NULL || o->child_ptrs == NULL) {
    if (o != NULL) {
      ice_free(o->children);
      ice_free(o->child_ptrs);
    }
    ice_free(o);
    arrow_array_release(in);
    ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  }
  arrow_array_move(in, &o->input);
  o->n = n_cols;
  struct ArrowArray batch;
  memset(&batch, 0, sizeof batch);
  batch.length = o->input.length;
  batch.n_buffers = 1;
  batch.buffers = o->buffers;
  batch.n_children = n_cols;
  batch.children = o->child_ptrs;
  batch.release = release_out_batch;
  batch.private_data = o;
  for (int64_t i = 0; i < n_cols; i++) o->child_ptrs[i] = &o->children[i];
  const struct ArrowArray *src = &o->input;
  int rc = ICE_OK;
  if (src->offset != 0 || src->null_count > 0)
    rc = ice_error_set(err, ICE_EUNSUPPORTED, "%s: sliced or null top-level batches",
                       r->input_name);
  for (int64_t i = 0; rc == ICE_OK && i < n_cols; i++) {
    const struct column_plan *p = &r->root.kids[i];
    if (p->act != ACT_NULLS &&
        (p->src >= src->n_children || src->children[p->src]->length < src->length))
      rc = ice_error_set(err, ICE_EINTERNAL, "%s: batch does not match its schema",
                         r->input_name);
    else
      rc = build_column(r, p, p->act == ACT_NULLS ? NULL : src->children[p->src],
                        src->length, 0, &o->children[i], err);
  }
  if (rc != ICE_OK) {
    batch.release(&batch);
    return rc;
  }
  *out = batch;
  return ICE_OK;
}
