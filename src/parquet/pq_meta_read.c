/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding of Parquet metadata from Thrift compact bytes: FileMetaData (into one
 * arena), PageHeader (no allocation, zero-copy statistics), ColumnIndex and
 * OffsetIndex, plus the file-level footer locator. Unknown fields are skipped by type,
 * required fields are checked, enums and sizes validated; encryption is refused.
 */
#include "parquet/pq_meta.h"

#include <string.h>

#include "thrift/thrift_compact.h"
#include "util/alloc.h"
#include "util/limits.h"

/* One decode: the Thrift cursor plus where copies go (NULL arena = zero-copy). */
struct rd {
  struct thrift_reader r;
  struct ice_arena *arena;
  struct ice_error *err;
};

/* Returned by a field handler for a field id it does not know: the field is skipped. */
#define RD_SKIP 1000

typedef int (*rd_field_fn)(struct rd *d, void *obj, uint8_t type, int16_t id);

/* A struct's field handler plus the wire type expected for each known field id
 * (0 = not checked). A known id arriving with another type comes from a different
 * IDL version (a parquet-mr fork reuses ColumnMetaData 15 for a list) and is skipped
 * like an unknown field, as DuckDB and hyparquet do. */
struct rd_def {
  rd_field_fn fn;
  const uint8_t *types;
  size_t n_types;
};

#define RD_DEF(name, fn, ...)                            \
  static const uint8_t name##_types[] = {__VA_ARGS__};   \
  static const struct rd_def name = {fn, name##_types, sizeof name##_types}

/* Short names for the type tables. */
enum { T_I = THRIFT_I64, T_B = THRIFT_BINARY, T_O = THRIFT_BOOL_TRUE, T_S = THRIFT_STRUCT,
       T_L = THRIFT_LIST };

static bool rd_type_fits(uint8_t got, uint8_t want) {
  switch (want) {
    case 0: return true;
    case THRIFT_I64: return got >= THRIFT_I8 && got <= THRIFT_I64;
    case THRIFT_BOOL_TRUE: return got == THRIFT_BOOL_TRUE || got == THRIFT_BOOL_FALSE;
    case THRIFT_LIST: return got == THRIFT_LIST || got == THRIFT_SET;
    default: return got == want;
  }
}

/* Walks one struct, handing each field to def->fn; fields it declines, and known
 * fields of an unexpected type, are skipped. */
static int rd_struct(struct rd *d, void *obj, const struct rd_def *def) {
  int16_t saved;
  ICE_TRY(thrift_read_struct_begin(&d->r, &saved, d->err));
  for (;;) {
    uint8_t t;
    int16_t id;
    ICE_TRY(thrift_read_field_begin(&d->r, &t, &id, d->err));
    if (t == THRIFT_STOP) break;
    bool fits = id <= 0 || (size_t)id >= def->n_types || rd_type_fits(t, def->types[id]);
    int rc = fits ? def->fn(d, obj, t, id) : RD_SKIP;
    if (rc == RD_SKIP) rc = thrift_skip(&d->r, t, d->err);
    ICE_TRY(rc);
  }
  thrift_read_struct_end(&d->r, saved);
  return ICE_OK;
}

static int rd_type_error(struct rd *d, const char *field, uint8_t got) {
  return ice_error_set(d->err, ICE_ECORRUPT, "%s has thrift type %u at byte %zu", field, got,
                       thrift_reader_offset(&d->r));
}

static int rd_i32(struct rd *d, uint8_t t, int32_t *v, const char *field) {
  int rc = thrift_read_i32(&d->r, t, v, d->err);
  if (rc != ICE_OK) ice_error_prefix(d->err, "%s", field);
  return rc;
}

static int rd_i64(struct rd *d, uint8_t t, int64_t *v, const char *field) {
  int rc = thrift_read_int(&d->r, t, v, d->err);
  if (rc != ICE_OK) ice_error_prefix(d->err, "%s", field);
  return rc;
}

/* Non-negative i32/i64 (sizes, counts, offsets). */
static int rd_size32(struct rd *d, uint8_t t, int32_t *v, const char *field) {
  ICE_TRY(rd_i32(d, t, v, field));
  if (*v < 0) {
    return ice_error_set(d->err, ICE_ECORRUPT, "%s is negative (%d)", field, (int)*v);
  }
  return ICE_OK;
}

static int rd_size64(struct rd *d, uint8_t t, int64_t *v, const char *field) {
  ICE_TRY(rd_i64(d, t, v, field));
  if (*v < 0) {
    return ice_error_set(d->err, ICE_ECORRUPT, "%s is negative (%lld)", field, (long long)*v);
  }
  return ICE_OK;
}

/* An enum that must be in [0, max]. */
static int rd_enum(struct rd *d, uint8_t t, int32_t max, int32_t *v, const char *field) {
  ICE_TRY(rd_i32(d, t, v, field));
  if (*v < 0 || *v > max) {
    return ice_error_set(d->err, ICE_ECORRUPT, "%s has invalid value %d", field, (int)*v);
  }
  return ICE_OK;
}

/* An open enum (encodings, codecs, page types): new values are legal, negatives not. */
static int rd_open_enum(struct rd *d, uint8_t t, int32_t *v, const char *field) {
  ICE_TRY(rd_i32(d, t, v, field));
  if (*v < 0) {
    return ice_error_set(d->err, ICE_ECORRUPT, "%s has invalid value %d", field, (int)*v);
  }
  return ICE_OK;
}

static int rd_bool(struct rd *d, uint8_t t, bool *v, const char *field) {
  if (t != THRIFT_BOOL_TRUE && t != THRIFT_BOOL_FALSE) return rd_type_error(d, field, t);
  *v = thrift_field_bool(&d->r);
  return ICE_OK;
}

/* Binary value (no type check); copied into the arena with a NUL, or borrowed. */
static int rd_bytes_value(struct rd *d, struct pq_bytes *out, const char *field) {
  const uint8_t *p;
  size_t n;
  int rc = thrift_read_binary(&d->r, &p, &n, d->err);
  if (rc != ICE_OK) return ice_error_prefix(d->err, "%s", field);
  if (d->arena != NULL) {
    char *copy;
    ICE_TRY(ice_arena_strndup(d->arena, p, n, &copy, d->err));
    p = (const uint8_t *)copy;
  }
  out->data = p;
  out->len = n;
  return ICE_OK;
}

static int rd_bytes(struct rd *d, uint8_t t, struct pq_bytes *out, const char *field) {
  if (t != THRIFT_BINARY) return rd_type_error(d, field, t);
  return rd_bytes_value(d, out, field);
}

/* Strings always need the arena (NUL termination). */
static int rd_string(struct rd *d, uint8_t t, const char **out, const char *field) {
  struct pq_bytes b;
  ICE_TRY(rd_bytes(d, t, &b, field));
  *out = (const char *)b.data;
  return ICE_OK;
}

static int rd_expect(struct rd *d, uint8_t t, uint8_t want, const char *field) {
  return t == want ? ICE_OK : rd_type_error(d, field, t);
}

/* Opens a list field and allocates `count` zeroed elements of `size` bytes. The list
 * header is checked against the remaining bytes, the allocation against the arena cap. */
static int rd_list(struct rd *d, uint8_t t, uint8_t *elem, uint32_t *count, size_t size,
                   void **items, const char *field) {
  if (t != THRIFT_LIST && t != THRIFT_SET) return rd_type_error(d, field, t);
  int rc = thrift_read_list_begin(&d->r, elem, count, d->err);
  if (rc != ICE_OK) return ice_error_prefix(d->err, "%s", field);
  *items = NULL;
  if (*count > 0 && size > 0) ICE_TRY(ice_arena_calloc(d->arena, *count, size, items, d->err));
  return ICE_OK;
}

static int rd_elem_type(struct rd *d, uint8_t elem, uint8_t want, const char *field) {
  bool is_int = want == THRIFT_I64 || want == THRIFT_I32;
  bool ok = is_int ? (elem == THRIFT_I8 || elem == THRIFT_I16 || elem == THRIFT_I32 ||
                      elem == THRIFT_I64)
                   : elem == want;
  if (!ok) {
    return ice_error_set(d->err, ICE_ECORRUPT, "%s: list elements have thrift type %u", field,
                         elem);
  }
  return ICE_OK;
}

/* list<i64> (lenient about the integer width, as some writers use i16). */
static int rd_i64_list(struct rd *d, uint8_t t, int64_t **out, size_t *n, const char *field) {
  uint8_t elem;
  uint32_t count;
  void *items;
  ICE_TRY(rd_list(d, t, &elem, &count, sizeof(int64_t), &items, field));
  ICE_TRY(rd_elem_type(d, elem, THRIFT_I64, field));
  int64_t *v = items;
  for (uint32_t i = 0; i < count; i++) ICE_TRY(rd_i64(d, elem, &v[i], field));
  thrift_read_container_end(&d->r);
  *out = v;
  *n = count;
  return ICE_OK;
}

/* ------------------------------------------------------------------ small structs */

static int statistics_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct pq_statistics *s = obj;
  switch (id) {
    case 1: s->has_max = true; return rd_bytes(d, t, &s->max, "Statistics.max");
    case 2: s->has_min = true; return rd_bytes(d, t, &s->min, "Statistics.min");
    case 3: s->has_null_count = true; return rd_i64(d, t, &s->null_count, "Statistics.null_count");
    case 4:
      s->has_distinct_count = true;
      return rd_i64(d, t, &s->distinct_count, "Statistics.distinct_count");
    case 5: s->has_max_value = true; return rd_bytes(d, t, &s->max_value, "Statistics.max_value");
    case 6: s->has_min_value = true; return rd_bytes(d, t, &s->min_value, "Statistics.min_value");
    case 7:
      s->has_is_max_value_exact = true;
      return rd_bool(d, t, &s->is_max_value_exact, "Statistics.is_max_value_exact");
    case 8:
      s->has_is_min_value_exact = true;
      return rd_bool(d, t, &s->is_min_value_exact, "Statistics.is_min_value_exact");
    case 9: s->has_nan_count = true; return rd_i64(d, t, &s->nan_count, "Statistics.nan_count");
    default: return RD_SKIP;
  }
}
RD_DEF(statistics_def, statistics_field, 0, T_B, T_B, T_I, T_I, T_B, T_B, T_O, T_O, T_I);

static int rd_statistics(struct rd *d, uint8_t t, struct pq_statistics *s) {
  ICE_TRY(rd_expect(d, t, THRIFT_STRUCT, "statistics"));
  memset(s, 0, sizeof *s);
  ICE_TRY(rd_struct(d, s, &statistics_def));
  /* Negative counts are statistics nobody can trust; drop them rather than the file. */
  if (s->has_null_count && s->null_count < 0) s->has_null_count = false;
  if (s->has_distinct_count && s->distinct_count < 0) s->has_distinct_count = false;
  if (s->has_nan_count && s->nan_count < 0) s->has_nan_count = false;
  return ICE_OK;
}

struct kv_state {
  struct pq_key_value *kv;
  bool has_key;
};

static int key_value_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct kv_state *st = obj;
  switch (id) {
    case 1: st->has_key = true; return rd_string(d, t, &st->kv->key, "KeyValue.key");
    case 2: {
      struct pq_bytes b;
      ICE_TRY(rd_bytes(d, t, &b, "KeyValue.value"));
      st->kv->value = (const char *)b.data;
      st->kv->value_len = b.len;
      return ICE_OK;
    }
    default: return RD_SKIP;
  }
}
RD_DEF(key_value_def, key_value_field, 0, T_B, T_B);

static int rd_key_values(struct rd *d, uint8_t t, struct pq_key_value **out, size_t *n) {
  uint8_t elem;
  uint32_t count;
  void *items;
  ICE_TRY(rd_list(d, t, &elem, &count, sizeof(struct pq_key_value), &items, "key_value_metadata"));
  ICE_TRY(rd_elem_type(d, elem, THRIFT_STRUCT, "key_value_metadata"));
  struct pq_key_value *kvs = items;
  for (uint32_t i = 0; i < count; i++) {
    struct kv_state st = {&kvs[i], false};
    ICE_TRY(rd_struct(d, &st, &key_value_def));
    if (!st.has_key) {
      return ice_error_set(d->err, ICE_ECORRUPT, "key_value_metadata[%u]: KeyValue.key missing", i);
    }
  }
  thrift_read_container_end(&d->r);
  *out = kvs;
  *n = count;
  return ICE_OK;
}

/* ------------------------------------------------------------------ logical types */

static int rd_union_member(struct rd *d, uint8_t t, int16_t id, int32_t *member,
                           const char *what) {
  if (*member != 0) {
    return ice_error_set(d->err, ICE_ECORRUPT, "%s union has more than one member", what);
  }
  if (t != THRIFT_STRUCT) return rd_type_error(d, what, t);
  *member = id;
  return ICE_OK;
}

struct time_unit_state {
  int32_t member;
};

static int time_unit_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct time_unit_state *st = obj;
  ICE_TRY(rd_union_member(d, t, id, &st->member, "TimeUnit"));
  return RD_SKIP; /* MILLIS/MICROS/NANOS are empty structs; skip whatever they hold */
}
RD_DEF(time_unit_def, time_unit_field, 0);

static int rd_time_unit(struct rd *d, uint8_t t, struct pq_logical_type *lt) {
  ICE_TRY(rd_expect(d, t, THRIFT_STRUCT, "TimeUnit"));
  struct time_unit_state st = {0};
  ICE_TRY(rd_struct(d, &st, &time_unit_def));
  if (st.member >= PQ_TIME_UNIT_MILLIS && st.member <= PQ_TIME_UNIT_NANOS) {
    lt->unit = (enum pq_time_unit)st.member;
  } else if (st.member == 0) {
    return ice_error_set(d->err, ICE_ECORRUPT, "TimeUnit union is empty");
  } else {
    lt->unit = PQ_TIME_UNIT_FUTURE;
    lt->unit_future_id = st.member;
  }
  return ICE_OK;
}

struct lt_member_state {
  struct pq_logical_type *lt;
  unsigned seen; /* bit per required field id */
};

static int decimal_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct lt_member_state *st = obj;
  switch (id) {
    case 1: st->seen |= 1u; return rd_i32(d, t, &st->lt->decimal_scale, "DecimalType.scale");
    case 2:
      st->seen |= 2u;
      return rd_i32(d, t, &st->lt->decimal_precision, "DecimalType.precision");
    default: return RD_SKIP;
  }
}
RD_DEF(decimal_def, decimal_field, 0, T_I, T_I);

static int time_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct lt_member_state *st = obj;
  switch (id) {
    case 1:
      st->seen |= 1u;
      return rd_bool(d, t, &st->lt->is_adjusted_to_utc, "isAdjustedToUTC");
    case 2: st->seen |= 2u; return rd_time_unit(d, t, st->lt);
    default: return RD_SKIP;
  }
}
RD_DEF(time_def, time_field, 0, T_O, T_S);

static int int_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct lt_member_state *st = obj;
  switch (id) {
    case 1: {
      int32_t w;
      ICE_TRY(rd_i32(d, t, &w, "IntType.bitWidth"));
      if (w != 8 && w != 16 && w != 32 && w != 64) {
        return ice_error_set(d->err, ICE_ECORRUPT, "IntType.bitWidth %d is not 8, 16, 32 or 64",
                             (int)w);
      }
      st->lt->int_bit_width = (int8_t)w;
      st->seen |= 1u;
      return ICE_OK;
    }
    case 2: st->seen |= 2u; return rd_bool(d, t, &st->lt->int_is_signed, "IntType.isSigned");
    default: return RD_SKIP;
  }
}
RD_DEF(int_def, int_field, 0, T_I, T_O);

static int variant_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct lt_member_state *st = obj;
  if (id != 1) return RD_SKIP;
  int32_t v;
  ICE_TRY(rd_i32(d, t, &v, "VariantType.specification_version"));
  if (v < INT8_MIN || v > INT8_MAX) {
    return ice_error_set(d->err, ICE_ECORRUPT, "VariantType.specification_version out of range");
  }
  st->lt->has_variant_spec_version = true;
  st->lt->variant_spec_version = (int8_t)v;
  return ICE_OK;
}
RD_DEF(variant_def, variant_field, 0, T_I);

static int geo_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct lt_member_state *st = obj;
  switch (id) {
    case 1: return rd_string(d, t, &st->lt->crs, "crs");
    case 2:
      if (st->lt->kind != PQ_LOGICAL_GEOGRAPHY) return RD_SKIP;
      st->lt->has_edge_algorithm = true;
      return rd_enum(d, t, 4, &st->lt->edge_algorithm, "GeographyType.algorithm");
    default: return RD_SKIP;
  }
}
RD_DEF(geo_def, geo_field, 0, T_B, T_I);

static int empty_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  (void)d, (void)obj, (void)t, (void)id;
  return RD_SKIP;
}
RD_DEF(empty_def, empty_field, 0);

static int logical_member(struct rd *d, struct pq_logical_type *lt, int16_t id) {
  struct lt_member_state st = {lt, 0};
  unsigned required = 0;
  const struct rd_def *def = &empty_def;
  const char *name = "LogicalType";
  switch (id) {
    case PQ_LOGICAL_DECIMAL: def = &decimal_def; required = 3; name = "DecimalType"; break;
    case PQ_LOGICAL_TIME: def = &time_def; required = 3; name = "TimeType"; break;
    case PQ_LOGICAL_TIMESTAMP: def = &time_def; required = 3; name = "TimestampType"; break;
    case PQ_LOGICAL_INTEGER: def = &int_def; required = 3; name = "IntType"; break;
    case PQ_LOGICAL_VARIANT: def = &variant_def; break;
    case PQ_LOGICAL_GEOMETRY:
    case PQ_LOGICAL_GEOGRAPHY: def = &geo_def; break;
    default: break;
  }
  ICE_TRY(rd_struct(d, &st, def));
  if ((st.seen & required) != required) {
    return ice_error_set(d->err, ICE_ECORRUPT, "%s lacks a required field", name);
  }
  return ICE_OK;
}

static int logical_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct pq_logical_type *lt = obj;
  int32_t member = lt->kind == 0 ? 0 : 1;
  ICE_TRY(rd_union_member(d, t, id, &member, "LogicalType"));
  switch (id) {
    case PQ_LOGICAL_STRING: case PQ_LOGICAL_MAP: case PQ_LOGICAL_LIST: case PQ_LOGICAL_ENUM:
    case PQ_LOGICAL_DECIMAL: case PQ_LOGICAL_DATE: case PQ_LOGICAL_TIME:
    case PQ_LOGICAL_TIMESTAMP: case PQ_LOGICAL_INTEGER: case PQ_LOGICAL_UNKNOWN:
    case PQ_LOGICAL_JSON: case PQ_LOGICAL_BSON: case PQ_LOGICAL_UUID: case PQ_LOGICAL_FLOAT16:
    case PQ_LOGICAL_VARIANT: case PQ_LOGICAL_GEOMETRY: case PQ_LOGICAL_GEOGRAPHY:
    case PQ_LOGICAL_FILE:
      lt->kind = (enum pq_logical_kind)id;
      break;
    default:
      lt->kind = PQ_LOGICAL_FUTURE;
      lt->future_id = id;
      break;
  }
  return logical_member(d, lt, id);
}
RD_DEF(logical_def, logical_field, 0);

/* Returns true in *present unless the union was empty (treated as absent). */
static int rd_logical_type(struct rd *d, uint8_t t, struct pq_logical_type *lt, bool *present) {
  ICE_TRY(rd_expect(d, t, THRIFT_STRUCT, "SchemaElement.logicalType"));
  memset(lt, 0, sizeof *lt);
  ICE_TRY(rd_struct(d, lt, &logical_def));
  *present = lt->kind != 0;
  return ICE_OK;
}

/* ------------------------------------------------------------------ schema */

static int schema_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct pq_schema_element *e = obj;
  int32_t v;
  switch (id) {
    case 1:
      ICE_TRY(rd_enum(d, t, PQ_TYPE_FIXED_LEN_BYTE_ARRAY, &v, "SchemaElement.type"));
      e->has_type = true;
      e->type = (enum pq_type)v;
      return ICE_OK;
    case 2:
      e->has_type_length = true;
      return rd_i32(d, t, &e->type_length, "SchemaElement.type_length");
    case 3:
      ICE_TRY(rd_enum(d, t, PQ_REPETITION_REPEATED, &v, "SchemaElement.repetition_type"));
      e->has_repetition = true;
      e->repetition = (enum pq_repetition)v;
      return ICE_OK;
    case 4: return rd_string(d, t, &e->name, "SchemaElement.name");
    case 5:
      e->has_num_children = true;
      return rd_size32(d, t, &e->num_children, "SchemaElement.num_children");
    case 6:
      ICE_TRY(rd_enum(d, t, PQ_CONVERTED_INTERVAL, &v, "SchemaElement.converted_type"));
      e->has_converted_type = true;
      e->converted_type = (enum pq_converted_type)v;
      return ICE_OK;
    case 7: e->has_scale = true; return rd_i32(d, t, &e->scale, "SchemaElement.scale");
    case 8: e->has_precision = true; return rd_i32(d, t, &e->precision, "SchemaElement.precision");
    case 9: e->has_field_id = true; return rd_i32(d, t, &e->field_id, "SchemaElement.field_id");
    case 10: return rd_logical_type(d, t, &e->logical_type, &e->has_logical_type);
    default: return RD_SKIP;
  }
}
RD_DEF(schema_def, schema_field, 0, T_I, T_I, T_I, T_B, T_I, T_I, T_I, T_I, T_I, T_S);

static int rd_schema(struct rd *d, uint8_t t, struct pq_file_meta *m) {
  uint8_t elem;
  uint32_t count;
  void *items;
  ICE_TRY(rd_list(d, t, &elem, &count, sizeof(struct pq_schema_element), &items,
                  "FileMetaData.schema"));
  ICE_TRY(rd_elem_type(d, elem, THRIFT_STRUCT, "FileMetaData.schema"));
  struct pq_schema_element *s = items;
  for (uint32_t i = 0; i < count; i++) {
    int rc = rd_struct(d, &s[i], &schema_def);
    if (rc == ICE_OK && s[i].name == NULL) {
      rc = ice_error_set(d->err, ICE_ECORRUPT, "name missing");
    }
    if (rc != ICE_OK) return ice_error_prefix(d->err, "schema element %u", i);
  }
  thrift_read_container_end(&d->r);
  m->schema = s;
  m->n_schema = count;
  return ICE_OK;
}

/* ------------------------------------------------------------------ column chunks */

static int encoding_stats_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct pq_page_encoding_stats *s = obj;
  switch (id) {
    case 1: return rd_open_enum(d, t, &s->page_type, "PageEncodingStats.page_type");
    case 2: return rd_open_enum(d, t, &s->encoding, "PageEncodingStats.encoding");
    case 3: return rd_size32(d, t, &s->count, "PageEncodingStats.count");
    default: return RD_SKIP;
  }
}
RD_DEF(encoding_stats_def, encoding_stats_field, 0, T_I, T_I, T_I);

static int size_statistics_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct pq_size_statistics *s = obj;
  switch (id) {
    case 1:
      s->has_unencoded_byte_array_data_bytes = true;
      return rd_i64(d, t, &s->unencoded_byte_array_data_bytes, "SizeStatistics.unencoded");
    case 2:
      s->has_repetition_level_histogram = true;
      return rd_i64_list(d, t, &s->repetition_level_histogram, &s->n_repetition_level_histogram,
                         "SizeStatistics.repetition_level_histogram");
    case 3:
      s->has_definition_level_histogram = true;
      return rd_i64_list(d, t, &s->definition_level_histogram, &s->n_definition_level_histogram,
                         "SizeStatistics.definition_level_histogram");
    default: return RD_SKIP;
  }
}
RD_DEF(size_statistics_def, size_statistics_field, 0, T_I, T_L, T_L);

struct column_meta_state {
  struct pq_column_meta *m;
  unsigned seen;
};

static int column_meta_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct column_meta_state *st = obj;
  struct pq_column_meta *m = st->m;
  if (id >= 1 && id <= 9) st->seen |= 1u << id;
  switch (id) {
    case 1: {
      int32_t v;
      ICE_TRY(rd_enum(d, t, PQ_TYPE_FIXED_LEN_BYTE_ARRAY, &v, "ColumnMetaData.type"));
      m->type = (enum pq_type)v;
      return ICE_OK;
    }
    case 2: {
      uint8_t elem;
      uint32_t count;
      void *items;
      ICE_TRY(rd_list(d, t, &elem, &count, sizeof(int32_t), &items, "ColumnMetaData.encodings"));
      ICE_TRY(rd_elem_type(d, elem, THRIFT_I32, "ColumnMetaData.encodings"));
      int32_t *enc = items;
      for (uint32_t i = 0; i < count; i++) {
        ICE_TRY(rd_open_enum(d, elem, &enc[i], "ColumnMetaData.encodings"));
      }
      thrift_read_container_end(&d->r);
      m->encodings = enc;
      m->n_encodings = count;
      return ICE_OK;
    }
    case 3: {
      uint8_t elem;
      uint32_t count;
      void *items;
      ICE_TRY(rd_list(d, t, &elem, &count, sizeof(char *), &items,
                      "ColumnMetaData.path_in_schema"));
      ICE_TRY(rd_elem_type(d, elem, THRIFT_BINARY, "ColumnMetaData.path_in_schema"));
      const char **path = items;
      for (uint32_t i = 0; i < count; i++) {
        struct pq_bytes b;
        ICE_TRY(rd_bytes_value(d, &b, "ColumnMetaData.path_in_schema"));
        path[i] = (const char *)b.data;
      }
      thrift_read_container_end(&d->r);
      m->path_in_schema = path;
      m->n_path_in_schema = count;
      return ICE_OK;
    }
    case 4: return rd_open_enum(d, t, &m->codec, "ColumnMetaData.codec");
    case 5: return rd_size64(d, t, &m->num_values, "ColumnMetaData.num_values");
    case 6:
      return rd_size64(d, t, &m->total_uncompressed_size, "ColumnMetaData.total_uncompressed_size");
    case 7:
      return rd_size64(d, t, &m->total_compressed_size, "ColumnMetaData.total_compressed_size");
    case 8:
      m->has_key_value_metadata = true;
      return rd_key_values(d, t, &m->key_value_metadata, &m->n_key_value_metadata);
    case 9: return rd_size64(d, t, &m->data_page_offset, "ColumnMetaData.data_page_offset");
    case 10:
      m->has_index_page_offset = true;
      return rd_i64(d, t, &m->index_page_offset, "ColumnMetaData.index_page_offset");
    case 11:
      m->has_dictionary_page_offset = true;
      return rd_size64(d, t, &m->dictionary_page_offset, "ColumnMetaData.dictionary_page_offset");
    case 12: m->has_statistics = true; return rd_statistics(d, t, &m->statistics);
    case 13: {
      uint8_t elem;
      uint32_t count;
      void *items;
      ICE_TRY(rd_list(d, t, &elem, &count, sizeof(struct pq_page_encoding_stats), &items,
                      "ColumnMetaData.encoding_stats"));
      ICE_TRY(rd_elem_type(d, elem, THRIFT_STRUCT, "ColumnMetaData.encoding_stats"));
      struct pq_page_encoding_stats *es = items;
      for (uint32_t i = 0; i < count; i++) ICE_TRY(rd_struct(d, &es[i], &encoding_stats_def));
      thrift_read_container_end(&d->r);
      m->has_encoding_stats = true;
      m->encoding_stats = es;
      m->n_encoding_stats = count;
      return ICE_OK;
    }
    case 14:
      m->has_bloom_filter_offset = true;
      return rd_size64(d, t, &m->bloom_filter_offset, "ColumnMetaData.bloom_filter_offset");
    case 15:
      m->has_bloom_filter_length = true;
      return rd_size32(d, t, &m->bloom_filter_length, "ColumnMetaData.bloom_filter_length");
    case 16:
      ICE_TRY(rd_expect(d, t, THRIFT_STRUCT, "ColumnMetaData.size_statistics"));
      m->has_size_statistics = true;
      return rd_struct(d, &m->size_statistics, &size_statistics_def);
    default: return RD_SKIP;
  }
}
RD_DEF(column_meta_def, column_meta_field, 0, T_I, T_L, T_L, T_I, T_I, T_I, T_I, T_L, T_I, T_I, T_I, T_S, T_L, T_I, T_I, T_S);

static int rd_column_meta(struct rd *d, uint8_t t, struct pq_column_meta *m) {
  ICE_TRY(rd_expect(d, t, THRIFT_STRUCT, "ColumnChunk.meta_data"));
  struct column_meta_state st = {m, 0};
  ICE_TRY(rd_struct(d, &st, &column_meta_def));
  /* type, encodings, path_in_schema, codec, num_values, both sizes, data_page_offset */
  static const unsigned required = (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) |
                                   (1u << 6) | (1u << 7) | (1u << 9);
  if ((st.seen & required) != required) {
    static const char *const names[] = {"", "type", "encodings", "path_in_schema", "codec",
                                        "num_values", "total_uncompressed_size",
                                        "total_compressed_size", "", "data_page_offset"};
    for (unsigned i = 1; i <= 9; i++) {
      if ((required >> i & 1u) && !(st.seen >> i & 1u)) {
        return ice_error_set(d->err, ICE_ECORRUPT, "ColumnMetaData.%s missing", names[i]);
      }
    }
  }
  return ICE_OK;
}

static int encrypted(struct rd *d, const char *why) {
  return ice_error_set(d->err, ICE_EUNSUPPORTED,
                       "encrypted parquet files are not supported (%s)", why);
}

static int column_chunk_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct pq_column_chunk *c = obj;
  switch (id) {
    case 1: return rd_string(d, t, &c->file_path, "ColumnChunk.file_path");
    case 2: return rd_i64(d, t, &c->file_offset, "ColumnChunk.file_offset");
    case 3: c->has_meta_data = true; return rd_column_meta(d, t, &c->meta_data);
    case 4:
      c->has_offset_index_offset = true;
      return rd_size64(d, t, &c->offset_index_offset, "ColumnChunk.offset_index_offset");
    case 5:
      c->has_offset_index_length = true;
      return rd_size32(d, t, &c->offset_index_length, "ColumnChunk.offset_index_length");
    case 6:
      c->has_column_index_offset = true;
      return rd_size64(d, t, &c->column_index_offset, "ColumnChunk.column_index_offset");
    case 7:
      c->has_column_index_length = true;
      return rd_size32(d, t, &c->column_index_length, "ColumnChunk.column_index_length");
    case 8: c->has_crypto_metadata = true; return encrypted(d, "column crypto_metadata");
    case 9:
      c->has_encrypted_column_metadata = true;
      return encrypted(d, "encrypted_column_metadata");
    default: return RD_SKIP;
  }
}
RD_DEF(column_chunk_def, column_chunk_field, 0, T_B, T_I, T_S, T_I, T_I, T_I, T_I);

static int sorting_column_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct pq_sorting_column *s = obj;
  switch (id) {
    case 1: return rd_size32(d, t, &s->column_idx, "SortingColumn.column_idx");
    case 2: return rd_bool(d, t, &s->descending, "SortingColumn.descending");
    case 3: return rd_bool(d, t, &s->nulls_first, "SortingColumn.nulls_first");
    default: return RD_SKIP;
  }
}
RD_DEF(sorting_column_def, sorting_column_field, 0, T_I, T_O, T_O);

struct row_group_state {
  struct pq_row_group *g;
  unsigned seen;
};

static int row_group_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct row_group_state *st = obj;
  struct pq_row_group *g = st->g;
  if (id >= 1 && id <= 3) st->seen |= 1u << id;
  switch (id) {
    case 1: {
      uint8_t elem;
      uint32_t count;
      void *items;
      ICE_TRY(rd_list(d, t, &elem, &count, sizeof(struct pq_column_chunk), &items,
                      "RowGroup.columns"));
      ICE_TRY(rd_elem_type(d, elem, THRIFT_STRUCT, "RowGroup.columns"));
      struct pq_column_chunk *cols = items;
      for (uint32_t i = 0; i < count; i++) {
        int rc = rd_struct(d, &cols[i], &column_chunk_def);
        if (rc != ICE_OK) return ice_error_prefix(d->err, "column %u", i);
      }
      thrift_read_container_end(&d->r);
      g->columns = cols;
      g->n_columns = count;
      return ICE_OK;
    }
    case 2: return rd_size64(d, t, &g->total_byte_size, "RowGroup.total_byte_size");
    case 3: return rd_size64(d, t, &g->num_rows, "RowGroup.num_rows");
    case 4: {
      uint8_t elem;
      uint32_t count;
      void *items;
      ICE_TRY(rd_list(d, t, &elem, &count, sizeof(struct pq_sorting_column), &items,
                      "RowGroup.sorting_columns"));
      ICE_TRY(rd_elem_type(d, elem, THRIFT_STRUCT, "RowGroup.sorting_columns"));
      struct pq_sorting_column *sc = items;
      for (uint32_t i = 0; i < count; i++) ICE_TRY(rd_struct(d, &sc[i], &sorting_column_def));
      thrift_read_container_end(&d->r);
      g->has_sorting_columns = true;
      g->sorting_columns = sc;
      g->n_sorting_columns = count;
      return ICE_OK;
    }
    case 5:
      g->has_file_offset = true;
      return rd_size64(d, t, &g->file_offset, "RowGroup.file_offset");
    case 6:
      g->has_total_compressed_size = true;
      return rd_size64(d, t, &g->total_compressed_size, "RowGroup.total_compressed_size");
    case 7: {
      int32_t v;
      ICE_TRY(rd_i32(d, t, &v, "RowGroup.ordinal"));
      if (v < INT16_MIN || v > INT16_MAX) {
        return ice_error_set(d->err, ICE_ECORRUPT, "RowGroup.ordinal out of range");
      }
      g->has_ordinal = true;
      g->ordinal = (int16_t)v;
      return ICE_OK;
    }
    default: return RD_SKIP;
  }
}
RD_DEF(row_group_def, row_group_field, 0, T_L, T_I, T_I, T_L, T_I, T_I, T_I);

static int rd_row_groups(struct rd *d, uint8_t t, struct pq_file_meta *m) {
  uint8_t elem;
  uint32_t count;
  void *items;
  ICE_TRY(rd_list(d, t, &elem, &count, sizeof(struct pq_row_group), &items,
                  "FileMetaData.row_groups"));
  ICE_TRY(rd_elem_type(d, elem, THRIFT_STRUCT, "FileMetaData.row_groups"));
  struct pq_row_group *g = items;
  for (uint32_t i = 0; i < count; i++) {
    struct row_group_state st = {&g[i], 0};
    int rc = rd_struct(d, &st, &row_group_def);
    if (rc == ICE_OK && (st.seen & 0xeu) != 0xeu) {
      rc = ice_error_set(d->err, ICE_ECORRUPT, "columns, total_byte_size or num_rows missing");
    }
    if (rc != ICE_OK) return ice_error_prefix(d->err, "row group %u", i);
  }
  thrift_read_container_end(&d->r);
  m->row_groups = g;
  m->n_row_groups = count;
  return ICE_OK;
}

/* ------------------------------------------------------------------ FileMetaData */

static int column_order_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct pq_column_order *o = obj;
  int32_t member = o->kind == 0 ? 0 : 1;
  ICE_TRY(rd_union_member(d, t, id, &member, "ColumnOrder"));
  if (id >= PQ_ORDER_TYPE_DEFINED && id <= PQ_ORDER_INT96_TIMESTAMP) {
    o->kind = (enum pq_column_order_kind)id;
  } else {
    o->kind = PQ_ORDER_FUTURE;
    o->future_id = id;
  }
  return RD_SKIP; /* every member is an empty struct today */
}
RD_DEF(column_order_def, column_order_field, 0);

struct file_state {
  struct pq_file_meta *m;
  unsigned seen;
};

static int file_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct file_state *st = obj;
  struct pq_file_meta *m = st->m;
  if (id >= 1 && id <= 4) st->seen |= 1u << id;
  switch (id) {
    case 1: return rd_i32(d, t, &m->version, "FileMetaData.version");
    case 2: return rd_schema(d, t, m);
    case 3: return rd_size64(d, t, &m->num_rows, "FileMetaData.num_rows");
    case 4: return rd_row_groups(d, t, m);
    case 5:
      m->has_key_value_metadata = true;
      return rd_key_values(d, t, &m->key_value_metadata, &m->n_key_value_metadata);
    case 6: return rd_string(d, t, &m->created_by, "FileMetaData.created_by");
    case 7: {
      uint8_t elem;
      uint32_t count;
      void *items;
      ICE_TRY(rd_list(d, t, &elem, &count, sizeof(struct pq_column_order), &items,
                      "FileMetaData.column_orders"));
      ICE_TRY(rd_elem_type(d, elem, THRIFT_STRUCT, "FileMetaData.column_orders"));
      struct pq_column_order *co = items;
      for (uint32_t i = 0; i < count; i++) {
        ICE_TRY(rd_struct(d, &co[i], &column_order_def));
        if (co[i].kind == 0) {
          return ice_error_set(d->err, ICE_ECORRUPT, "ColumnOrder union is empty");
        }
      }
      thrift_read_container_end(&d->r);
      m->has_column_orders = true;
      m->column_orders = co;
      m->n_column_orders = count;
      return ICE_OK;
    }
    case 8: return encrypted(d, "footer declares an encryption_algorithm");
    case 9: return encrypted(d, "footer_signing_key_metadata present");
    default: return RD_SKIP;
  }
}
RD_DEF(file_def, file_field, 0, T_I, T_L, T_I, T_L, T_L, T_B, T_L);

void pq_file_meta_reset(struct pq_file_meta *m) {
  ice_arena_reset(&m->arena);
}

int pq_meta_read_file(const uint8_t *buf, size_t len, struct pq_file_meta *out,
                      struct ice_error *err) {
  struct pq_file_meta m;
  memset(&m, 0, sizeof m);
  ice_arena_init(&m.arena, ICE_LIMIT_ARENA_BYTES);
  struct rd d = {.arena = &m.arena, .err = err};
  thrift_reader_init(&d.r, buf, len);
  struct file_state st = {&m, 0};
  int rc = rd_struct(&d, &st, &file_def);
  if (rc == ICE_OK && (st.seen & 0x1eu) != 0x1eu) {
    rc = ice_error_set(err, ICE_ECORRUPT, "version, schema, num_rows or row_groups missing");
  }
  if (rc == ICE_OK && thrift_reader_remaining(&d.r) != 0) {
    rc = ice_error_set(err, ICE_ECORRUPT, "%zu unexpected bytes after the metadata",
                       thrift_reader_remaining(&d.r));
  }
  if (rc == ICE_OK && m.n_schema == 0) {
    rc = ice_error_set(err, ICE_ECORRUPT, "schema is empty");
  }
  if (rc != ICE_OK) {
    ice_arena_reset(&m.arena);
    if (rc == ICE_EUNSUPPORTED) return rc;
    return ice_error_prefix(err, "parquet footer");
  }
  *out = m;
  return ICE_OK;
}

/* ------------------------------------------------------------------ footer locator */

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int pq_meta_read_footer(struct ice_input *in, struct pq_file_meta *out, int64_t *footer_offset,
                        struct ice_error *err) {
  const char *name = in->name ? in->name : "(input)";
  if (in->size < 12) {
    ice_error_set(err, ICE_ECORRUPT, "not a parquet file (%lld bytes)", (long long)in->size);
    return ice_error_prefix_path(err, "parquet:", name);
  }
  uint8_t head[4], tail[8];
  int rc = ice_input_read_at(in, 0, head, 4, err);
  if (rc == ICE_OK) rc = ice_input_read_at(in, in->size - 8, tail, 8, err);
  if (rc != ICE_OK) return ice_error_prefix_path(err, "parquet:", name);
  if (memcmp(tail + 4, "PARE", 4) == 0) {
    ice_error_set(err, ICE_EUNSUPPORTED,
                  "encrypted parquet files are not supported (encrypted footer)");
    return ice_error_prefix_path(err, "parquet:", name);
  }
  if (memcmp(head, "PAR1", 4) != 0 || memcmp(tail + 4, "PAR1", 4) != 0) {
    ice_error_set(err, ICE_ECORRUPT, "not a parquet file (magic bytes missing)");
    return ice_error_prefix_path(err, "parquet:", name);
  }
  uint32_t flen = le32(tail);
  if (flen > ICE_LIMIT_FOOTER_BYTES) {
    ice_error_set(err, ICE_ELIMIT, "footer of %u bytes exceeds the limit", flen);
    return ice_error_prefix_path(err, "parquet:", name);
  }
  if ((int64_t)flen > in->size - 12) {
    ice_error_set(err, ICE_ECORRUPT, "footer length %u exceeds the file size %lld", flen,
                  (long long)in->size);
    return ice_error_prefix_path(err, "parquet:", name);
  }
  int64_t off = in->size - 8 - (int64_t)flen;
  uint8_t *buf = ice_malloc(flen);
  if (buf == NULL) {
    ice_error_set(err, ICE_ENOMEM, "out of memory reading a %u-byte footer", flen);
    return ice_error_prefix_path(err, "parquet:", name);
  }
  rc = ice_input_read_at(in, off, buf, flen, err);
  if (rc == ICE_OK) rc = pq_meta_read_file(buf, flen, out, err);
  ice_free(buf);
  if (rc != ICE_OK) return ice_error_prefix_path(err, "parquet:", name);
  if (footer_offset != NULL) *footer_offset = off;
  return ICE_OK;
}

/* ------------------------------------------------------------------ page headers */

struct page_state {
  struct pq_page_header *h;
  unsigned seen;
};

static int data_page_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct page_state *st = obj;
  struct pq_data_page_header *p = &st->h->data_page_header;
  if (id >= 1 && id <= 4) st->seen |= 1u << id;
  switch (id) {
    case 1: return rd_size32(d, t, &p->num_values, "DataPageHeader.num_values");
    case 2: return rd_open_enum(d, t, &p->encoding, "DataPageHeader.encoding");
    case 3:
      return rd_open_enum(d, t, &p->definition_level_encoding,
                          "DataPageHeader.definition_level_encoding");
    case 4:
      return rd_open_enum(d, t, &p->repetition_level_encoding,
                          "DataPageHeader.repetition_level_encoding");
    case 5: p->has_statistics = true; return rd_statistics(d, t, &p->statistics);
    default: return RD_SKIP;
  }
}
RD_DEF(data_page_def, data_page_field, 0, T_I, T_I, T_I, T_I, T_S);

static int dict_page_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct page_state *st = obj;
  struct pq_dictionary_page_header *p = &st->h->dictionary_page_header;
  if (id >= 1 && id <= 2) st->seen |= 1u << id;
  switch (id) {
    case 1: return rd_size32(d, t, &p->num_values, "DictionaryPageHeader.num_values");
    case 2: return rd_open_enum(d, t, &p->encoding, "DictionaryPageHeader.encoding");
    case 3: p->has_is_sorted = true; return rd_bool(d, t, &p->is_sorted, "is_sorted");
    default: return RD_SKIP;
  }
}
RD_DEF(dict_page_def, dict_page_field, 0, T_I, T_I, T_O);

static int data_page_v2_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct page_state *st = obj;
  struct pq_data_page_header_v2 *p = &st->h->data_page_header_v2;
  if (id >= 1 && id <= 6) st->seen |= 1u << id;
  switch (id) {
    case 1: return rd_size32(d, t, &p->num_values, "DataPageHeaderV2.num_values");
    case 2: return rd_size32(d, t, &p->num_nulls, "DataPageHeaderV2.num_nulls");
    case 3: return rd_size32(d, t, &p->num_rows, "DataPageHeaderV2.num_rows");
    case 4: return rd_open_enum(d, t, &p->encoding, "DataPageHeaderV2.encoding");
    case 5:
      return rd_size32(d, t, &p->definition_levels_byte_length,
                       "DataPageHeaderV2.definition_levels_byte_length");
    case 6:
      return rd_size32(d, t, &p->repetition_levels_byte_length,
                       "DataPageHeaderV2.repetition_levels_byte_length");
    case 7: return rd_bool(d, t, &p->is_compressed, "DataPageHeaderV2.is_compressed");
    case 8: p->has_statistics = true; return rd_statistics(d, t, &p->statistics);
    default: return RD_SKIP;
  }
}
RD_DEF(data_page_v2_def, data_page_v2_field, 0, T_I, T_I, T_I, T_I, T_I, T_I, T_O, T_S);

static int rd_sub_header(struct rd *d, uint8_t t, struct pq_page_header *h,
                         const struct rd_def *def,
                         unsigned required, const char *name) {
  ICE_TRY(rd_expect(d, t, THRIFT_STRUCT, name));
  struct page_state st = {h, 0};
  ICE_TRY(rd_struct(d, &st, def));
  if ((st.seen & required) != required) {
    return ice_error_set(d->err, ICE_ECORRUPT, "%s lacks a required field", name);
  }
  return ICE_OK;
}

static int page_header_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct page_state *st = obj;
  struct pq_page_header *h = st->h;
  if (id >= 1 && id <= 3) st->seen |= 1u << id;
  switch (id) {
    case 1: return rd_open_enum(d, t, &h->type, "PageHeader.type");
    case 2:
      return rd_size32(d, t, &h->uncompressed_page_size, "PageHeader.uncompressed_page_size");
    case 3: return rd_size32(d, t, &h->compressed_page_size, "PageHeader.compressed_page_size");
    case 4: {
      int32_t crc;
      ICE_TRY(rd_i32(d, t, &crc, "PageHeader.crc"));
      h->has_crc = true;
      h->crc = (uint32_t)crc;
      return ICE_OK;
    }
    case 5:
      h->has_data_page_header = true;
      return rd_sub_header(d, t, h, &data_page_def, 0x1eu, "DataPageHeader");
    case 6:
      h->has_index_page_header = true;
      return RD_SKIP;
    case 7:
      h->has_dictionary_page_header = true;
      return rd_sub_header(d, t, h, &dict_page_def, 0x6u, "DictionaryPageHeader");
    case 8:
      h->has_data_page_header_v2 = true;
      h->data_page_header_v2.is_compressed = true;
      return rd_sub_header(d, t, h, &data_page_v2_def, 0x7eu, "DataPageHeaderV2");
    default: return RD_SKIP;
  }
}
RD_DEF(page_header_def, page_header_field, 0, T_I, T_I, T_I, T_I, T_S, T_S, T_S, T_S);

int pq_meta_read_page_header(const uint8_t *buf, size_t len, struct pq_page_header *out,
                             size_t *consumed, struct ice_error *err) {
  struct pq_page_header h;
  memset(&h, 0, sizeof h);
  struct rd d = {.arena = NULL, .err = err};
  thrift_reader_init(&d.r, buf, len);
  struct page_state st = {&h, 0};
  int rc = rd_struct(&d, &st, &page_header_def);
  if (rc == ICE_OK && (st.seen & 0xeu) != 0xeu) {
    rc = ice_error_set(err, ICE_ECORRUPT, "type, uncompressed_page_size or compressed_page_size missing");
  }
  if (rc != ICE_OK) return ice_error_prefix(err, "page header");
  *out = h;
  *consumed = thrift_reader_offset(&d.r);
  return ICE_OK;
}

/* ------------------------------------------------------------------ page index */

static int page_location_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct pq_page_location *p = obj;
  switch (id) {
    case 1: return rd_size64(d, t, &p->offset, "PageLocation.offset");
    case 2: return rd_size32(d, t, &p->compressed_page_size, "PageLocation.compressed_page_size");
    case 3: return rd_size64(d, t, &p->first_row_index, "PageLocation.first_row_index");
    default: return RD_SKIP;
  }
}
RD_DEF(page_location_def, page_location_field, 0, T_I, T_I, T_I);

struct offset_index_state {
  struct pq_offset_index *oi;
  bool has_page_locations;
};

static int offset_index_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct offset_index_state *st = obj;
  struct pq_offset_index *o = st->oi;
  switch (id) {
    case 1: {
      st->has_page_locations = true;
      uint8_t elem;
      uint32_t count;
      void *items;
      ICE_TRY(rd_list(d, t, &elem, &count, sizeof(struct pq_page_location), &items,
                      "OffsetIndex.page_locations"));
      ICE_TRY(rd_elem_type(d, elem, THRIFT_STRUCT, "OffsetIndex.page_locations"));
      struct pq_page_location *pl = items;
      for (uint32_t i = 0; i < count; i++) ICE_TRY(rd_struct(d, &pl[i], &page_location_def));
      thrift_read_container_end(&d->r);
      o->page_locations = pl;
      o->n_page_locations = count;
      return ICE_OK;
    }
    case 2:
      o->has_unencoded_byte_array_data_bytes = true;
      return rd_i64_list(d, t, &o->unencoded_byte_array_data_bytes,
                         &o->n_unencoded_byte_array_data_bytes,
                         "OffsetIndex.unencoded_byte_array_data_bytes");
    default: return RD_SKIP;
  }
}
RD_DEF(offset_index_def, offset_index_field, 0, T_L, T_L);

static int rd_binary_list(struct rd *d, uint8_t t, struct pq_bytes **out, size_t *n,
                          const char *field) {
  uint8_t elem;
  uint32_t count;
  void *items;
  ICE_TRY(rd_list(d, t, &elem, &count, sizeof(struct pq_bytes), &items, field));
  ICE_TRY(rd_elem_type(d, elem, THRIFT_BINARY, field));
  struct pq_bytes *b = items;
  for (uint32_t i = 0; i < count; i++) ICE_TRY(rd_bytes_value(d, &b[i], field));
  thrift_read_container_end(&d->r);
  *out = b;
  *n = count;
  return ICE_OK;
}

struct column_index_state {
  struct pq_column_index *ci;
  size_t n_min, n_max;
  unsigned seen;
};

static int column_index_field(struct rd *d, void *obj, uint8_t t, int16_t id) {
  struct column_index_state *st = obj;
  struct pq_column_index *ci = st->ci;
  if (id >= 1 && id <= 4) st->seen |= 1u << id;
  switch (id) {
    case 1: {
      uint8_t elem;
      uint32_t count;
      void *items;
      ICE_TRY(rd_list(d, t, &elem, &count, sizeof(bool), &items, "ColumnIndex.null_pages"));
      ICE_TRY(rd_elem_type(d, elem, THRIFT_BOOL_TRUE, "ColumnIndex.null_pages"));
      bool *np = items;
      for (uint32_t i = 0; i < count; i++) ICE_TRY(thrift_read_bool_elem(&d->r, &np[i], d->err));
      thrift_read_container_end(&d->r);
      ci->null_pages = np;
      ci->n_pages = count;
      return ICE_OK;
    }
    case 2: return rd_binary_list(d, t, &ci->min_values, &st->n_min, "ColumnIndex.min_values");
    case 3: return rd_binary_list(d, t, &ci->max_values, &st->n_max, "ColumnIndex.max_values");
    case 4: return rd_enum(d, t, PQ_BOUNDARY_DESCENDING, &ci->boundary_order, "boundary_order");
    case 5:
      ci->has_null_counts = true;
      return rd_i64_list(d, t, &ci->null_counts, &ci->n_null_counts, "ColumnIndex.null_counts");
    case 6:
      ci->has_repetition_level_histograms = true;
      return rd_i64_list(d, t, &ci->repetition_level_histograms,
                         &ci->n_repetition_level_histograms, "repetition_level_histograms");
    case 7:
      ci->has_definition_level_histograms = true;
      return rd_i64_list(d, t, &ci->definition_level_histograms,
                         &ci->n_definition_level_histograms, "definition_level_histograms");
    case 8:
      ci->has_nan_counts = true;
      return rd_i64_list(d, t, &ci->nan_counts, &ci->n_nan_counts, "ColumnIndex.nan_counts");
    default: return RD_SKIP;
  }
}
RD_DEF(column_index_def, column_index_field, 0, T_L, T_L, T_L, T_I, T_L, T_L, T_L, T_L);

int pq_meta_read_column_index(const uint8_t *buf, size_t len, struct ice_arena *arena,
                              struct pq_column_index *out, struct ice_error *err) {
  struct pq_column_index ci;
  memset(&ci, 0, sizeof ci);
  struct rd d = {.arena = arena, .err = err};
  thrift_reader_init(&d.r, buf, len);
  struct column_index_state st = {&ci, 0, 0, 0};
  int rc = rd_struct(&d, &st, &column_index_def);
  if (rc == ICE_OK && (st.seen & 0x1eu) != 0x1eu) {
    rc = ice_error_set(err, ICE_ECORRUPT, "a required field is missing");
  }
  if (rc == ICE_OK && (st.n_min != ci.n_pages || st.n_max != ci.n_pages ||
                       (ci.has_null_counts && ci.n_null_counts != ci.n_pages))) {
    rc = ice_error_set(err, ICE_ECORRUPT, "lists disagree on the page count (%zu)", ci.n_pages);
  }
  if (rc != ICE_OK) return ice_error_prefix(err, "column index");
  *out = ci;
  return ICE_OK;
}

int pq_meta_read_offset_index(const uint8_t *buf, size_t len, struct ice_arena *arena,
                              struct pq_offset_index *out, struct ice_error *err) {
  struct pq_offset_index oi;
  memset(&oi, 0, sizeof oi);
  struct rd d = {.arena = arena, .err = err};
  thrift_reader_init(&d.r, buf, len);
  struct offset_index_state st = {&oi, false};
  int rc = rd_struct(&d, &st, &offset_index_def);
  if (rc == ICE_OK && !st.has_page_locations) {
    rc = ice_error_set(err, ICE_ECORRUPT, "page_locations missing");
  }
  if (rc != ICE_OK) return ice_error_prefix(err, "offset index");
  *out = oi;
  return ICE_OK;
}

/* ------------------------------------------------------------------ names */

const char *pq_type_name(int32_t type) {
  static const char *const names[] = {"BOOLEAN", "INT32",      "INT64",     "INT96",
                                      "FLOAT",   "DOUBLE",     "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
  return type >= 0 && type < 8 ? names[type] : "unknown";
}

const char *pq_codec_name(int32_t codec) {
  static const char *const names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                      "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
  return codec >= 0 && codec < 8 ? names[codec] : "unknown";
}

const char *pq_encoding_name(int32_t encoding) {
  static const char *const names[] = {"PLAIN",
                                      "GROUP_VAR_INT",
                                      "PLAIN_DICTIONARY",
                                      "RLE",
                                      "BIT_PACKED",
                                      "DELTA_BINARY_PACKED",
                                      "DELTA_LENGTH_BYTE_ARRAY",
                                      "DELTA_BYTE_ARRAY",
                                      "RLE_DICTIONARY",
                                      "BYTE_STREAM_SPLIT",
                                      "ALP"};
  return encoding >= 0 && encoding < 11 ? names[encoding] : "unknown";
}

const char *pq_page_type_name(int32_t page_type) {
  static const char *const names[] = {"DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE",
                                      "DATA_PAGE_V2"};
  return page_type >= 0 && page_type < 4 ? names[page_type] : "unknown";
}
