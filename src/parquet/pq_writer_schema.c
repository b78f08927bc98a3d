/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arrow schema -> the writer's column tree and the Parquet schema elements. The
 * mapping is Iceberg's (reference/iceberg.md §6.1): 3-level LIST with `element`, MAP
 * with `key_value`/`key`/`value` (keys required), decimals on INT32/INT64/FLBA by
 * precision, timestamps in micros (s/ms inputs are scaled up) or nanos, time in
 * micros, UUID on FLBA(16). Field ids come from PARQUET:field_id metadata.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_schema.h"
#include "parquet/pq_writer_internal.h"
#include "util/alloc.h"
#include "util/limits.h"

static const int32_t decimal_min_bytes[39] = {
    1, 1, 1,  2,  2,  3,  3,  4,  4,  4,  5,  5,  6,  6,  6,  7,  7,  8,  8, 9,
    9, 9, 10, 10, 11, 11, 11, 12, 12, 13, 13, 13, 14, 14, 15, 15, 16, 16, 16};

static bool md_equals(const char *metadata, const char *key, const char *want) {
  const char *v;
  int32_t n;
  if (!arrow_metadata_find(metadata, key, &v, &n)) return false;
  return (size_t)n == strlen(want) && memcmp(v, want, (size_t)n) == 0;
}

static int read_field_id(const struct ArrowSchema *f, const char *path, bool *has,
                         int32_t *id, struct ice_error *err) {
  int rc = arrow_field_id(f, has, id, err);
  return rc == ICE_OK ? rc : ice_error_prefix(err, "column '%s'", path);
}

static int add_node(struct pqw_schema *s, int32_t *cap, int32_t *out,
                    struct ice_error *err) {
  if (s->n_nodes >= ICE_LIMIT_COLUMNS * 4) {
    ICE_FAIL(err, ICE_ELIMIT, "schema has more than %d nodes", ICE_LIMIT_COLUMNS * 4);
  }
  if (s->n_nodes == *cap) {
    int32_t nc = *cap ? *cap * 2 : 16;
    struct pqw_node *p = ice_realloc(s->nodes, (size_t)nc * sizeof *p);
    if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (schema)");
    s->nodes = p;
    *cap = nc;
  }
  struct pqw_node *n = &s->nodes[s->n_nodes];
  memset(n, 0, sizeof *n);
  n->leaf = -1;
  n->parent = -1;
  *out = s->n_nodes++;
  return ICE_OK;
}

static char *join_path(const char *prefix, const char *name) {
  size_t a = prefix ? strlen(prefix) : 0, b = strlen(name);
  char *p = ice_malloc(a + b + 2);
  if (p == NULL) return NULL;
  if (a) {
    memcpy(p, prefix, a);
    p[a++] = '.';
  }
  memcpy(p + a, name, b + 1);
  return p;
}

static void set_logical_int(struct pqw_node *n, int8_t bits, bool is_signed,
                            enum pq_converted_type ct) {
  n->has_logical = true;
  n->logical.kind = PQ_LOGICAL_INTEGER;
  n->logical.int_bit_width = bits;
  n->logical.int_is_signed = is_signed;
  n->has_converted = true;
  n->converted = ct;
}

static void set_time_like(struct pqw_node *n, enum pq_logical_kind kind, bool utc,
                          enum pq_time_unit unit) {
  n->has_logical = true;
  n->logical.kind = kind;
  n->logical.is_adjusted_to_utc = utc;
  n->logical.unit = unit;
  if (unit == PQ_TIME_UNIT_MICROS) {
    n->has_converted = true;
    n->converted = kind == PQ_LOGICAL_TIME ? PQ_CONVERTED_TIME_MICROS
                                           : PQ_CONVERTED_TIMESTAMP_MICROS;
  }
}

/* Chooses the Parquet representation of one primitive Arrow field. */
static int map_leaf(const struct ArrowSchema *f, struct pqw_node *n,
                    struct ice_error *err) {
  const struct arrow_type *t = &n->at;
  n->ptype = PQ_TYPE_INT32;
  switch (t->id) {
    case ARROW_TYPE_NA:
      n->vk = PQW_V_NULL;
      n->has_logical = true;
      n->logical.kind = PQ_LOGICAL_UNKNOWN;
      n->order = PQ_SORT_NONE;
      break;
    case ARROW_TYPE_BOOL:
      n->vk = PQW_V_BOOL;
      n->ptype = PQ_TYPE_BOOLEAN;
      n->order = PQ_SORT_BOOL;
      break;
    case ARROW_TYPE_INT8:
      n->vk = PQW_V_I8;
      set_logical_int(n, 8, true, PQ_CONVERTED_INT_8);
      n->order = PQ_SORT_I32;
      break;
    case ARROW_TYPE_INT16:
      n->vk = PQW_V_I16;
      set_logical_int(n, 16, true, PQ_CONVERTED_INT_16);
      n->order = PQ_SORT_I32;
      break;
    case ARROW_TYPE_UINT8:
      n->vk = PQW_V_U8;
      set_logical_int(n, 8, false, PQ_CONVERTED_UINT_8);
      n->order = PQ_SORT_U32;
      break;
    case ARROW_TYPE_UINT16:
      n->vk = PQW_V_U16;
      set_logical_int(n, 16, false, PQ_CONVERTED_UINT_16);
      n->order = PQ_SORT_U32;
      break;
    case ARROW_TYPE_INT32:
      n->vk = PQW_V_I32;
      n->order = PQ_SORT_I32;
      break;
    case ARROW_TYPE_UINT32:
      n->vk = PQW_V_U32;
      set_logical_int(n, 32, false, PQ_CONVERTED_UINT_32);
      n->order = PQ_SORT_U32;
      break;
    case ARROW_TYPE_INT64:
      n->vk = PQW_V_I64;
      n->ptype = PQ_TYPE_INT64;
      n->order = PQ_SORT_I64;
      break;
    case ARROW_TYPE_UINT64:
      n->vk = PQW_V_I64;
      n->ptype = PQ_TYPE_INT64;
      set_logical_int(n, 64, false, PQ_CONVERTED_UINT_64);
      n->order = PQ_SORT_U64;
      break;
    case ARROW_TYPE_HALF_FLOAT:
      n->vk = PQW_V_F16;
      n->ptype = PQ_TYPE_FIXED_LEN_BYTE_ARRAY;
      n->type_length = 2;
      n->has_logical = true;
      n->logical.kind = PQ_LOGICAL_FLOAT16;
      n->order = PQ_SORT_NONE; /* half-float bounds are not computed */
      break;
    case ARROW_TYPE_FLOAT:
      n->vk = PQW_V_F32;
      n->ptype = PQ_TYPE_FLOAT;
      n->order = PQ_SORT_FLOAT;
      break;
    case ARROW_TYPE_DOUBLE:
      n->vk = PQW_V_F64;
      n->ptype = PQ_TYPE_DOUBLE;
      n->order = PQ_SORT_DOUBLE;
      break;
    case ARROW_TYPE_STRING:
    case ARROW_TYPE_LARGE_STRING:
      n->vk = t->id == ARROW_TYPE_STRING ? PQW_V_BIN32 : PQW_V_BIN64;
      n->ptype = PQ_TYPE_BYTE_ARRAY;
      n->has_logical = true;
      n->has_converted = true;
      if (md_equals(f->metadata, "ARROW:extension:name", "arrow.json")) {
        n->logical.kind = PQ_LOGICAL_JSON;
        n->converted = PQ_CONVERTED_JSON;
      } else {
        n->logical.kind = PQ_LOGICAL_STRING;
        n->converted = PQ_CONVERTED_UTF8;
      }
      n->order = PQ_SORT_BYTES;
      break;
    case ARROW_TYPE_BINARY:
    case ARROW_TYPE_LARGE_BINARY:
      n->vk = t->id == ARROW_TYPE_BINARY ? PQW_V_BIN32 : PQW_V_BIN64;
      n->ptype = PQ_TYPE_BYTE_ARRAY;
      n->order = PQ_SORT_BYTES;
      break;
    case ARROW_TYPE_FIXED_BINARY:
      n->vk = PQW_V_FIXED;
      n->ptype = PQ_TYPE_FIXED_LEN_BYTE_ARRAY;
      n->type_length = t->fixed_size;
      n->order = PQ_SORT_BYTES;
      if (t->fixed_size == 16 &&
          md_equals(f->metadata, "ARROW:extension:name", "arrow.uuid")) {
        n->has_logical = true;
        n->logical.kind = PQ_LOGICAL_UUID;
      } else if (t->fixed_size == 12 &&
                 md_equals(f->metadata, "ARROW:extension:name", "icestream.int96")) {
        n->ptype = PQ_TYPE_INT96;
        n->order = PQ_SORT_NONE; /* INT96 has no defined TYPE_ORDER */
      }
      if (t->fixed_size <= 0) {
        ICE_FAIL(err, ICE_EUNSUPPORTED, "column '%s': fixed-size binary of width %d",
                 n->path, (int)t->fixed_size);
      }
      break;
    case ARROW_TYPE_DECIMAL128:
    case ARROW_TYPE_DECIMAL256:
      if (t->precision < 1 || t->precision > 38 || t->scale < 0 ||
          t->scale > t->precision) {
        ICE_FAIL(err, ICE_EUNSUPPORTED,
                 "column '%s': decimal(%d,%d) is outside Iceberg's decimal range "
                 "(precision 1..38, 0 <= scale <= precision)",
                 n->path, (int)t->precision, (int)t->scale);
      }
      n->has_logical = true;
      n->logical.kind = PQ_LOGICAL_DECIMAL;
      n->logical.decimal_precision = t->precision;
      n->logical.decimal_scale = t->scale;
      n->has_converted = true;
      n->converted = PQ_CONVERTED_DECIMAL;
      if (t->precision <= 9) {
        n->vk = PQW_V_DEC_I32;
        n->order = PQ_SORT_I32;
      } else if (t->precision <= 18) {
        n->vk = PQW_V_DEC_I64;
        n->ptype = PQ_TYPE_INT64;
        n->order = PQ_SORT_I64;
      } else {
        n->vk = PQW_V_DEC_FLBA;
        n->ptype = PQ_TYPE_FIXED_LEN_BYTE_ARRAY;
        n->type_length = decimal_min_bytes[t->precision];
        n->order = PQ_SORT_DECIMAL_BE;
      }
      break;
    case ARROW_TYPE_DATE32:
    case ARROW_TYPE_DATE64:
      n->vk = t->id == ARROW_TYPE_DATE32 ? PQW_V_I32 : PQW_V_DATE64;
      n->has_logical = true;
      n->logical.kind = PQ_LOGICAL_DATE;
      n->has_converted = true;
      n->converted = PQ_CONVERTED_DATE;
      n->order = PQ_SORT_I32;
      break;
    case ARROW_TYPE_TIME32:
      n->vk = PQW_V_TIME32_SCALE;
      n->scale = t->unit == ARROW_UNIT_SECOND ? 1000000 : 1000;
      n->ptype = PQ_TYPE_INT64;
      set_time_like(n, PQ_LOGICAL_TIME, false, PQ_TIME_UNIT_MICROS);
      n->order = PQ_SORT_I64;
      break;
    case ARROW_TYPE_TIME64:
      n->vk = PQW_V_I64;
      n->ptype = PQ_TYPE_INT64;
      set_time_like(
          n, PQ_LOGICAL_TIME, false,
          t->unit == ARROW_UNIT_NANO ? PQ_TIME_UNIT_NANOS : PQ_TIME_UNIT_MICROS);
      n->order = PQ_SORT_I64;
      break;
    case ARROW_TYPE_TIMESTAMP: {
      bool utc = t->timezone != NULL && t->timezone[0] != '\0';
      n->ptype = PQ_TYPE_INT64;
      n->order = PQ_SORT_I64;
      if (t->unit == ARROW_UNIT_SECOND || t->unit == ARROW_UNIT_MILLI) {
        n->vk = PQW_V_I64_SCALE;
        n->scale = t->unit == ARROW_UNIT_SECOND ? 1000000 : 1000;
      } else {
        n->vk = PQW_V_I64;
      }
      set_time_like(
          n, PQ_LOGICAL_TIMESTAMP, utc,
          t->unit == ARROW_UNIT_NANO ? PQ_TIME_UNIT_NANOS : PQ_TIME_UNIT_MICROS);
      break;
    }
    default:
      ICE_FAIL(err, ICE_EUNSUPPORTED,
               "column '%s': Arrow type %s (format '%s') cannot be "
               "written to Parquet",
               n->path, arrow_type_name(t->id), f->format);
  }
  return ICE_OK;
}

struct build_ctx {
  struct pqw_schema *s;
  int32_t cap;
  int32_t leaf_cap;
};

static int build_node(struct build_ctx *c, const struct ArrowSchema *f, const char *name,
                      bool force_required, int32_t parent, const char *prefix,
                      int16_t def, int16_t rep, int depth, int32_t *out,
                      struct ice_error *err);

static int add_children(struct build_ctx *c, int32_t idx, int32_t n,
                        struct ice_error *err) {
  int32_t *ch = ice_calloc(n ? (size_t)n : 1, sizeof *ch);
  if (ch == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (schema)");
  c->s->nodes[idx].children = ch;
  c->s->nodes[idx].n_children = n;
  return ICE_OK;
}

static int build_node(struct build_ctx *c, const struct ArrowSchema *f, const char *name,
                      bool force_required, int32_t parent, const char *prefix,
                      int16_t def, int16_t rep, int depth, int32_t *out,
                      struct ice_error *err) {
  if (f == NULL || f->release == NULL || f->format == NULL) {
    ICE_FAIL(err, ICE_EINVAL, "schema: released or malformed field under '%s'",
             prefix ? prefix : "(root)");
  }
  if (depth > ICE_LIMIT_NESTING) {
    ICE_FAIL(err, ICE_ELIMIT, "schema nests deeper than %d levels", ICE_LIMIT_NESTING);
  }
  if (name == NULL) name = f->name != NULL ? f->name : "";
  int32_t idx;
  ICE_TRY(add_node(c->s, &c->cap, &idx, err));
  struct pqw_node *n = &c->s->nodes[idx];
  n->parent = parent;
  n->name = ice_strdup(name);
  n->path = join_path(prefix, name);
  if (n->name == NULL || n->path == NULL)
    ICE_FAIL(err, ICE_ENOMEM, "out of memory (schema)");
  if (f->dictionary != NULL) {
    ICE_FAIL(err, ICE_EUNSUPPORTED,
             "column '%s': dictionary-encoded arrays are not supported", n->path);
  }
  ICE_TRY(arrow_type_parse(f->format, &n->at, err));
  ICE_TRY(read_field_id(f, n->path, &n->has_field_id, &n->field_id, err));
  n->optional = !force_required && (f->flags & ARROW_FLAG_NULLABLE) != 0;
  int16_t d = (int16_t)(def + (n->optional ? 1 : 0));
  char *path = n->path; /* nodes may move while children are added; the string does not */
  switch (n->at.id) {
    case ARROW_TYPE_STRUCT: {
      n->kind = PQW_STRUCT;
      n->max_def = d;
      n->max_rep = rep;
      if (f->n_children < 0 || f->n_children > ICE_LIMIT_COLUMNS) {
        ICE_FAIL(err, ICE_ELIMIT, "column '%s': %lld struct children", path,
                 (long long)f->n_children);
      }
      ICE_TRY(add_children(c, idx, (int32_t)f->n_children, err));
      for (int64_t i = 0; i < f->n_children; i++) {
        int32_t ch;
        ICE_TRY(build_node(c, f->children[i], NULL, false, idx, path, d, rep, depth + 1,
                           &ch, err));
        c->s->nodes[idx].children[i] = ch;
        c->s->nodes[ch].slot = (int32_t)i;
      }
      break;
    }
    case ARROW_TYPE_LIST:
    case ARROW_TYPE_LARGE_LIST: {
      n->kind = PQW_LIST;
      n->is_large_list = n->at.id == ARROW_TYPE_LARGE_LIST;
      n->max_def = (int16_t)(d + 1);
      n->max_rep = (int16_t)(rep + 1);
      if (f->n_children != 1)
        ICE_FAIL(err, ICE_EINVAL, "column '%s': list without one child", path);
      ICE_TRY(add_children(c, idx, 1, err));
      int32_t ch;
      ICE_TRY(build_node(c, f->children[0], "element", false, idx, path, (int16_t)(d + 1),
                         (int16_t)(rep + 1), depth + 1, &ch, err));
      c->s->nodes[idx].children[0] = ch;
      c->s->nodes[ch].slot = 0;
      break;
    }
    case ARROW_TYPE_MAP: {
      n->kind = PQW_MAP;
      n->max_def = (int16_t)(d + 1);
      n->max_rep = (int16_t)(rep + 1);
      const struct ArrowSchema *entries = f->n_children == 1 ? f->children[0] : NULL;
      if (entries == NULL || entries->n_children != 2) {
        ICE_FAIL(err, ICE_EINVAL, "column '%s': map without a key/value entries struct",
                 path);
      }
      ICE_TRY(add_children(c, idx, 2, err));
      int32_t k, v;
      ICE_TRY(build_node(c, entries->children[0], "key", true, idx, path,
                         (int16_t)(d + 1), (int16_t)(rep + 1), depth + 1, &k, err));
      ICE_TRY(build_node(c, entries->children[1], "value", false, idx, path,
                         (int16_t)(d + 1), (int16_t)(rep + 1), depth + 1, &v, err));
      c->s->nodes[idx].children[0] = k;
      c->s->nodes[idx].children[1] = v;
      c->s->nodes[k].slot = 0;
      c->s->nodes[v].slot = 1;
      break;
    }
    default: {
      n->kind = PQW_LEAF;
      n->max_def = d;
      n->max_rep = rep;
      ICE_TRY(map_leaf(f, n, err));
      if (c->s->n_leaves >= ICE_LIMIT_COLUMNS) {
        ICE_FAIL(err, ICE_ELIMIT, "schema has more than %d leaf columns",
                 ICE_LIMIT_COLUMNS);
      }
      if (c->s->n_leaves == c->leaf_cap) {
        int32_t nc = c->leaf_cap ? c->leaf_cap * 2 : 16;
        int32_t *p = ice_realloc(c->s->leaf_nodes, (size_t)nc * sizeof *p);
        if (p == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (schema)");
        c->s->leaf_nodes = p;
        c->leaf_cap = nc;
      }
      n->leaf = c->s->n_leaves;
      c->s->leaf_nodes[c->s->n_leaves++] = idx;
      break;
    }
  }
  *out = idx;
  return ICE_OK;
}

void pqw_schema_reset(struct pqw_schema *s) {
  for (int32_t i = 0; i < s->n_nodes; i++) {
    ice_free(s->nodes[i].name);
    ice_free(s->nodes[i].path);
    ice_free(s->nodes[i].children);
  }
  ice_free(s->nodes);
  ice_free(s->top);
  ice_free(s->leaf_nodes);
  memset(s, 0, sizeof *s);
}

int pqw_schema_build(const struct ArrowSchema *schema, struct pqw_schema *out,
                     struct ice_error *err) {
  memset(out, 0, sizeof *out);
  if (schema == NULL || schema->release == NULL || schema->format == NULL ||
      strcmp(schema->format, "+s") != 0) {
    ICE_FAIL(err, ICE_EINVAL, "writer schema must be a struct (+s) of columns");
  }
  if (schema->n_children < 0 || schema->n_children > ICE_LIMIT_COLUMNS) {
    ICE_FAIL(err, ICE_ELIMIT, "schema has %lld columns", (long long)schema->n_children);
  }
  struct build_ctx c = {out, 0, 0};
  int rc = ICE_OK;
  out->top =
      ice_calloc(schema->n_children ? (size_t)schema->n_children : 1, sizeof(int32_t));
  if (out->top == NULL) {
    rc = ice_error_set(err, ICE_ENOMEM, "out of memory (schema)");
    goto done;
  }
  for (int64_t i = 0; i < schema->n_children; i++) {
    rc = build_node(&c, schema->children[i], NULL, false, -1, NULL, 0, 0, 1, &out->top[i],
                    err);
    if (rc != ICE_OK) goto done;
    out->nodes[out->top[i]].slot = (int32_t)i;
    out->n_top++;
  }
done:
  if (rc != ICE_OK) pqw_schema_reset(out);
  return rc;
}

/* ---------------------------------------------------------------- schema elements */

static void fill_element(const struct pqw_node *n, struct pq_schema_element *e) {
  memset(e, 0, sizeof *e);
  e->name = n->name;
  e->has_repetition = true;
  e->repetition = n->optional ? PQ_REPETITION_OPTIONAL : PQ_REPETITION_REQUIRED;
  e->has_field_id = n->has_field_id;
  e->field_id = n->field_id;
}

static int emit(const struct pqw_schema *s, int32_t idx, struct pq_schema_element *el,
                size_t *k) {
  const struct pqw_node *n = &s->nodes[idx];
  struct pq_schema_element *e = &el[(*k)++];
  fill_element(n, e);
  switch (n->kind) {
    case PQW_LEAF:
      e->has_type = true;
      e->type = n->ptype;
      if (n->ptype == PQ_TYPE_FIXED_LEN_BYTE_ARRAY) {
        e->has_type_length = true;
        e->type_length = n->type_length;
      }
      if (n->has_logical) {
        e->has_logical_type = true;
        e->logical_type = n->logical;
      }
      if (n->has_converted) {
        e->has_converted_type = true;
        e->converted_type = n->converted;
      }
      if (n->has_logical && n->logical.kind == PQ_LOGICAL_DECIMAL) {
        e->has_scale = e->has_precision = true;
        e->scale = n->logical.decimal_scale;
        e->precision = n->logical.decimal_precision;
      }
      return ICE_OK;
    case PQW_STRUCT:
      e->has_num_children = true;
      e->num_children = n->n_children;
      for (int32_t i = 0; i < n->n_children; i++) emit(s, n->children[i], el, k);
      return ICE_OK;
    case PQW_LIST:
    case PQW_MAP: {
      bool is_list = n->kind == PQW_LIST;
      e->has_num_children = true;
      e->num_children = 1;
      e->has_logical_type = true;
      e->logical_type.kind = is_list ? PQ_LOGICAL_LIST : PQ_LOGICAL_MAP;
      e->has_converted_type = true;
      e->converted_type = is_list ? PQ_CONVERTED_LIST : PQ_CONVERTED_MAP;
      struct pq_schema_element *g = &el[(*k)++];
      memset(g, 0, sizeof *g);
      g->name = is_list ? "list" : "key_value";
      g->has_repetition = true;
      g->repetition = PQ_REPETITION_REPEATED;
      g->has_num_children = true;
      g->num_children = n->n_children;
      for (int32_t i = 0; i < n->n_children; i++) emit(s, n->children[i], el, k);
      return ICE_OK;
    }
  }
  return ICE_OK;
}

int pqw_schema_elements(const struct pqw_schema *s, struct pq_schema_element **out,
                        size_t *n, struct ice_error *err) {
  size_t total = 1;
  for (int32_t i = 0; i < s->n_nodes; i++) {
    total += (s->nodes[i].kind == PQW_LIST || s->nodes[i].kind == PQW_MAP) ? 2 : 1;
  }
  struct pq_schema_element *el = ice_calloc(total, sizeof *el);
  if (el == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory (schema elements)");
  el[0].name = "table"; /* what Iceberg Java names the message */
  el[0].has_num_children = true;
  el[0].num_children = s->n_top;
  size_t k = 1;
  for (int32_t i = 0; i < s->n_top; i++) emit(s, s->top[i], el, &k);
  *out = el;
  *n = k;
  return ICE_OK;
}
