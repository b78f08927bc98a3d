/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Input batch -> table batch conversion (see op_reconcile.h). Only top-level columns are
 * converted; nested columns must already have the table's exact Arrow layout (the
 * reader produces it for every nested type Iceberg can store) and are moved as they are.
 */
#include "ops/op_reconcile.h"

#include <stdio.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_type.h"
#include "arrow/arrow_view.h"
#include "util/alloc.h"

enum action {
  ACT_MOVE,    /* same layout */
  ACT_INT,     /* integer widening (signed or unsigned source) */
  ACT_U64_DEC, /* uint64 -> decimal128(20,0) */
  ACT_HALF,    /* float16 -> float32 or float64 */
  ACT_F32_F64, /* float32 -> float64 */
  ACT_SCALE,   /* int64/int32 value * mul (timestamps, times) */
  ACT_DATE64,  /* int64 ms -> int32 days */
  ACT_INT96,   /* 12-byte INT96 -> int64 microseconds */
  ACT_NULLS    /* column missing from the input */
};

struct column_plan {
  enum action act;
  int64_t src; /* input child index (-1 for ACT_NULLS) */
  struct arrow_type from, to;
  int64_t mul;
  const char *name; /* table column name (borrowed from the plan's copy) */
  const struct ArrowSchema *table_field; /* borrowed for ACT_NULLS layout */
};

struct op_reconcile {
  struct column_plan *cols;
  int64_t n;
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

/* Iceberg's Avro-compatible column name (Java makeCompatibleName, iceberg.md §3.1): how
 * Spark and Java name Parquet columns whose table names have spaces or symbols, e.g.
 * "Breed Name" -> "Breed_x20Name". Returns 0 when it does not fit in buf. */
static int compatible_name(const char *name, char *buf, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; name[i] != '\0'; i++) {
    unsigned char ch = (unsigned char)name[i];
    int alpha = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
    int digit = ch >= '0' && ch <= '9';
    int n;
    if (alpha || (digit && i > 0))
      n = snprintf(buf + o, cap - o, "%c", ch);
    else if (digit)
      n = snprintf(buf + o, cap - o, "_%c", ch);
    else
      n = snprintf(buf + o, cap - o, "_x%X", ch);
    if (n < 0 || (size_t)n >= cap - o) return 0;
    o += (size_t)n;
  }
  return 1;
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
                       struct column_plan *p, const char *input_name,
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
           input_name, tf->name, arrow_type_name(f), in->format, arrow_type_name(t),
           tf->format);
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
  r->n = table->n_children;
  r->cols = ice_calloc(r->n ? (size_t)r->n : 1, sizeof *r->cols);
  int rc = r->cols ? ICE_OK : ice_error_set(err, ICE_ENOMEM, "out of memory");
  for (int64_t i = 0; rc == ICE_OK && i < r->n; i++) {
    const struct ArrowSchema *tf = table->children[i];
    struct column_plan *p = &r->cols[i];
    p->name = tf->name;
    p->table_field = tf;
    p->src = -1;
    for (int64_t k = 0; k < input->n_children; k++)
      if (strcmp(input->children[k]->name, tf->name) == 0) p->src = k;
    char alt[1024];
    if (p->src < 0 && compatible_name(tf->name, alt, sizeof alt) &&
        strcmp(alt, tf->name) != 0)
      for (int64_t k = 0; k < input->n_children; k++)
        if (strcmp(input->children[k]->name, alt) == 0) p->src = k;
    if (p->src < 0) {
      if (!(tf->flags & ARROW_FLAG_NULLABLE))
        rc = ice_error_set(
            err, ICE_ESCHEMA,
            "%s: column '%s' is required by the table but missing from the input",
            input_name, tf->name);
      p->act = ACT_NULLS;
      continue;
    }
    rc = plan_column(input->children[p->src], tf, p, input_name, err);
  }
  for (int64_t k = 0; rc == ICE_OK && k < input->n_children; k++) {
    int found = 0;
    for (int64_t i = 0; i < r->n && !found; i++) found = r->cols[i].src == k;
    if (!found)
      rc = ice_error_set(err, ICE_ESCHEMA,
                         "%s: column '%s' is not in the table; adding columns (schema "
                         "evolution) is not supported yet",
                         input_name, input->children[k]->name);
  }
  if (rc != ICE_OK) {
    op_reconcile_free(r);
    return rc;
  }
  *out = r;
  return ICE_OK;
}

void op_reconcile_free(struct op_reconcile *r) {
  if (r == NULL) return;
  ice_free(r->cols);
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
  ICE_TRY(plan_column(in, tf, &p, input_name, err));
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
  ICE_TRY(plan_column(in, tf, &p, input_name, err));
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

int op_reconcile_batch(struct op_reconcile *r, struct ArrowArray *in,
                       struct ArrowArray *out, struct ice_error *err) {
  struct out_batch *o = ice_calloc(1, sizeof *o);
  size_t n = r->n ? (size_t)r->n : 1;
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
  o->n = r->n;
  struct ArrowArray batch;
  memset(&batch, 0, sizeof batch);
  batch.length = o->input.length;
  batch.n_buffers = 1;
  batch.buffers = o->buffers;
  batch.n_children = r->n;
  batch.children = o->child_ptrs;
  batch.release = release_out_batch;
  batch.private_data = o;
  for (int64_t i = 0; i < r->n; i++) o->child_ptrs[i] = &o->children[i];
  const struct ArrowArray *src = &o->input;
  int rc = ICE_OK;
  if (src->offset != 0 || src->null_count > 0)
    rc = ice_error_set(err, ICE_EUNSUPPORTED, "%s: sliced or null top-level batches",
                       r->input_name);
  for (int64_t i = 0; rc == ICE_OK && i < r->n; i++) {
    const struct column_plan *p = &r->cols[i];
    if (p->act == ACT_NULLS) {
      rc = null_array(p->table_field, src->length, 0, &o->children[i], err);
    } else if (p->src >= src->n_children || src->children[p->src]->length < src->length) {
      rc = ice_error_set(err, ICE_EINTERNAL, "%s: batch does not match its schema",
                         r->input_name);
    } else if (p->act == ACT_MOVE) {
      o->children[i] = *src->children[p->src];
      o->children[i].release = release_view;
      o->children[i].private_data = NULL;
    } else {
      rc = convert_column(r, p, src->children[p->src], &o->children[i], err);
    }
  }
  if (rc != ICE_OK) {
    batch.release(&batch);
    return rc;
  }
  *out = batch;
  return ICE_OK;
}
