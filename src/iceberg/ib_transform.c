/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition transforms (spec "Partition Transforms" and Appendix B "32-bit Hash
 * Requirements"). Temporal transforms use floor semantics for times before the epoch
 * (-1 us is day -1, hour -1, month -1, year -1), as Java's DateTimeUtil and pyiceberg
 * do; calendar months and years come from the proleptic Gregorian calendar in UTC.
 */
#include "iceberg/ib_transform.h"

#include <stdlib.h>
#include <string.h>

#include "util/civil_date.h"

/* 128-bit arithmetic for truncating decimals of up to 38 digits. */
__extension__ typedef __int128 ib_i128;
__extension__ typedef unsigned __int128 ib_u128;

int ib_transform_parse(const char *s, struct ib_transform *out, struct ice_error *err) {
  static const struct {
    const char *name;
    enum ib_transform_kind kind;
  } simple[] = {{"identity", IB_TRANSFORM_IDENTITY}, {"year", IB_TRANSFORM_YEAR},
                {"month", IB_TRANSFORM_MONTH},       {"day", IB_TRANSFORM_DAY},
                {"hour", IB_TRANSFORM_HOUR},         {"void", IB_TRANSFORM_VOID}};
  for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++) {
    if (strcmp(s, simple[i].name) == 0) {
      out->kind = simple[i].kind;
      out->param = 0;
      return ICE_OK;
    }
  }
  enum ib_transform_kind kind;
  const char *p;
  if (strncmp(s, "bucket[", 7) == 0) {
    kind = IB_TRANSFORM_BUCKET;
    p = s + 7;
  } else if (strncmp(s, "truncate[", 9) == 0) {
    kind = IB_TRANSFORM_TRUNCATE;
    p = s + 9;
  } else {
    ICE_FAIL(err, ICE_EUNSUPPORTED, "unknown partition transform '%.40s'", s);
  }
  int64_t v = 0;
  const char *d = p;
  while (*d >= '0' && *d <= '9' && v <= INT32_MAX) v = v * 10 + (*d++ - '0');
  if (d == p || strcmp(d, "]") != 0 || v < 1 || v > INT32_MAX)
    ICE_FAIL(err, ICE_EUNSUPPORTED, "invalid partition transform '%.40s'", s);
  out->kind = kind;
  out->param = (int32_t)v;
  return ICE_OK;
}

static bool is_timestamp(enum ib_type_id t) {
  return t == IB_TYPE_TIMESTAMP || t == IB_TYPE_TIMESTAMPTZ ||
         t == IB_TYPE_TIMESTAMP_NS || t == IB_TYPE_TIMESTAMPTZ_NS;
}

int ib_transform_result_type(const struct ib_transform *t, const struct ib_type *source,
                             struct ib_type *out, struct ice_error *err) {
  char name[48];
  enum ib_type_id s = source->id;
  if (!ib_type_is_primitive(source))
    ICE_FAIL(err, ICE_EINVAL, "partition transforms need a primitive source column");
  struct ib_type r;
  memset(&r, 0, sizeof(r));
  bool ok;
  switch (t->kind) {
    case IB_TRANSFORM_IDENTITY:
    case IB_TRANSFORM_VOID:
      ok = true;
      r = *source;
      break;
    case IB_TRANSFORM_BUCKET:
      ok = s != IB_TYPE_BOOLEAN && s != IB_TYPE_FLOAT && s != IB_TYPE_DOUBLE;
      r.id = IB_TYPE_INT;
      break;
    case IB_TRANSFORM_TRUNCATE:
      ok = s == IB_TYPE_INT || s == IB_TYPE_LONG || s == IB_TYPE_DECIMAL ||
           s == IB_TYPE_STRING || s == IB_TYPE_BINARY;
      r = *source;
      break;
    case IB_TRANSFORM_YEAR:
    case IB_TRANSFORM_MONTH:
      ok = s == IB_TYPE_DATE || is_timestamp(s);
      r.id = IB_TYPE_INT;
      break;
    case IB_TRANSFORM_DAY:
      ok = s == IB_TYPE_DATE || is_timestamp(s);
      r.id = IB_TYPE_DATE;
      break;
    case IB_TRANSFORM_HOUR:
      ok = is_timestamp(s);
      r.id = IB_TYPE_INT;
      break;
    default:
      ok = false;
  }
  if (!ok)
    ICE_FAIL(err, ICE_EINVAL, "transform cannot be applied to a %s column",
             ib_type_name(source, name, sizeof(name)));
  r.fields = NULL;
  r.n_fields = 0;
  *out = r;
  return ICE_OK;
}

static uint32_t rotl32(uint32_t x, int r) {
  return (x << r) | (x >> (32 - r));
}

int32_t ib_murmur3_32(const uint8_t *p, size_t n) {
  const uint32_t c1 = 0xcc9e2d51u, c2 = 0x1b873593u;
  uint32_t h = 0;
  size_t blocks = n / 4;
  for (size_t i = 0; i < blocks; i++) {
    uint32_t k = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
                 (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    k *= c1;
    k = rotl32(k, 15);
    k *= c2;
    h ^= k;
    h = rotl32(h, 13);
    h = h * 5 + 0xe6546b64u;
  }
  size_t rest = n & 3;
  if (rest > 0) {
    const uint8_t *tail = p + blocks * 4;
    uint32_t k = 0;
    if (rest == 3) k ^= (uint32_t)tail[2] << 16;
    if (rest >= 2) k ^= (uint32_t)tail[1] << 8;
    k ^= tail[0];
    k *= c1;
    k = rotl32(k, 15);
    k *= c2;
    h ^= k;
  }
  h ^= (uint32_t)n;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return (int32_t)h;
}

static int32_t hash_long(int64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; i++) b[i] = (uint8_t)((uint64_t)v >> (8 * i));
  return ib_murmur3_32(b, 8);
}

int ib_bucket_hash(const struct ib_value *v, int32_t *out, struct ice_error *err) {
  switch (v->type) {
    case IB_TYPE_INT:
    case IB_TYPE_DATE:
      *out = hash_long(v->u.i32);
      return ICE_OK;
    case IB_TYPE_LONG:
    case IB_TYPE_TIME:
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
      *out = hash_long(v->u.i64);
      return ICE_OK;
    case IB_TYPE_TIMESTAMP_NS:
    case IB_TYPE_TIMESTAMPTZ_NS:
      *out = hash_long(ice_floor_div(v->u.i64, 1000));
      return ICE_OK;
    case IB_TYPE_DECIMAL: {
      if (v->len == 0) ICE_FAIL(err, ICE_EINVAL, "empty decimal");
      size_t ml = ib_decimal_minimal_len(v->bytes, v->len);
      *out = ib_murmur3_32(v->bytes + v->len - ml, ml);
      return ICE_OK;
    }
    case IB_TYPE_STRING:
    case IB_TYPE_BINARY:
    case IB_TYPE_FIXED:
    case IB_TYPE_UUID:
      *out = ib_murmur3_32(v->bytes, v->len);
      return ICE_OK;
    default:
      ICE_FAIL(err, ICE_EINVAL, "type cannot be bucketed");
  }
}

/* Days since epoch of a date or timestamp value. */
static int64_t days_of(const struct ib_value *v) {
  switch (v->type) {
    case IB_TYPE_DATE:
      return v->u.i32;
    case IB_TYPE_TIMESTAMP:
    case IB_TYPE_TIMESTAMPTZ:
      return ice_floor_div(v->u.i64, INT64_C(86400000000));
    default:
      return ice_floor_div(v->u.i64, INT64_C(86400000000000));
  }
}

static int truncate_value(int32_t w, const struct ib_value *in, uint8_t scratch[16],
                          struct ib_value *out, struct ice_error *err) {
  *out = *in;
  switch (in->type) {
    case IB_TYPE_INT: {
      int64_t v = in->u.i32;
      out->u.i32 = (int32_t)(v - (((v % w) + w) % w));
      return ICE_OK;
    }
    case IB_TYPE_LONG: {
      ib_i128 v = in->u.i64;
      ib_i128 r = v - (((v % w) + w) % w);
      if (r < INT64_MIN) ICE_FAIL(err, ICE_EINVAL, "truncate underflows long");
      out->u.i64 = (int64_t)r;
      return ICE_OK;
    }
    case IB_TYPE_STRING: {
      /* First w code points; never split a UTF-8 sequence. */
      size_t i = 0;
      int32_t cps = 0;
      while (i < in->len && cps < w) {
        i++;
        while (i < in->len && (in->bytes[i] & 0xC0) == 0x80) i++;
        cps++;
      }
      out->len = i;
      return ICE_OK;
    }
    case IB_TYPE_BINARY:
      if (in->len > (size_t)w) out->len = (size_t)w;
      return ICE_OK;
    case IB_TYPE_DECIMAL: {
      if (in->len == 0 || in->len > 16)
        ICE_FAIL(err, ICE_EINVAL, "decimal of %zu bytes", in->len);
      ib_i128 v = (in->bytes[0] & 0x80) ? -1 : 0;
      for (size_t i = 0; i < in->len; i++)
        v = (ib_i128)(((ib_u128)v << 8) | in->bytes[i]);
      /* Values come from data files: one past 38 digits could overflow below. */
      const ib_i128 max38 = (ib_i128)10000000000000000000u * 10000000000000000000u;
      if (v <= -max38 || v >= max38)
        ICE_FAIL(err, ICE_EINVAL, "decimal value has more than 38 digits");
      ib_i128 r = v - (((v % w) + w) % w);
      /* 38 digits stay far from the 128-bit limits, so r fits 16 bytes. */
      for (int i = 15; i >= 0; i--) {
        scratch[i] = (uint8_t)((ib_u128)r & 0xFF);
        r >>= 8;
      }
      size_t ml = ib_decimal_minimal_len(scratch, 16);
      out->bytes = scratch + 16 - ml;
      out->len = ml;
      return ICE_OK;
    }
    default:
      ICE_FAIL(err, ICE_EINVAL, "type cannot be truncated");
  }
}

int ib_transform_apply(const struct ib_transform *t, const struct ib_type *source,
                       const struct ib_value *in, uint8_t scratch[16],
                       struct ib_value *out, struct ice_error *err) {
  struct ib_type rt;
  ICE_TRY(ib_transform_result_type(t, source, &rt, err));
  if (in->type != source->id)
    ICE_FAIL(err, ICE_EINVAL, "value type does not match the column");
  struct ib_value r;
  memset(&r, 0, sizeof(r));
  r.type = rt.id;
  switch (t->kind) {
    case IB_TRANSFORM_IDENTITY:
      r = *in;
      break;
    case IB_TRANSFORM_VOID:
      r.type = (enum ib_type_id)0;
      break;
    case IB_TRANSFORM_BUCKET: {
      int32_t h;
      ICE_TRY(ib_bucket_hash(in, &h, err));
      r.u.i32 = (int32_t)(((uint32_t)h & 0x7FFFFFFFu) % (uint32_t)t->param);
      break;
    }
    case IB_TRANSFORM_TRUNCATE:
      ICE_TRY(truncate_value(t->param, in, scratch, &r, err));
      break;
    case IB_TRANSFORM_DAY: {
      int64_t d = days_of(in);
      if (d < INT32_MIN || d > INT32_MAX) ICE_FAIL(err, ICE_EINVAL, "day out of range");
      r.u.i32 = (int32_t)d;
      break;
    }
    case IB_TRANSFORM_HOUR: {
      int64_t per_hour =
          (in->type == IB_TYPE_TIMESTAMP || in->type == IB_TYPE_TIMESTAMPTZ)
              ? INT64_C(3600000000)
              : INT64_C(3600000000000);
      int64_t h = ice_floor_div(in->u.i64, per_hour);
      if (h < INT32_MIN || h > INT32_MAX) ICE_FAIL(err, ICE_EINVAL, "hour out of range");
      r.u.i32 = (int32_t)h;
      break;
    }
    case IB_TRANSFORM_YEAR:
    case IB_TRANSFORM_MONTH: {
      int64_t y;
      int m, day;
      ice_civil_from_days(days_of(in), &y, &m, &day);
      int64_t v = t->kind == IB_TRANSFORM_YEAR ? y - 1970 : (y - 1970) * 12 + (m - 1);
      if (v < INT32_MIN || v > INT32_MAX)
        ICE_FAIL(err, ICE_EINVAL, "year/month out of range");
      r.u.i32 = (int32_t)v;
      break;
    }
  }
  *out = r;
  return ICE_OK;
}
