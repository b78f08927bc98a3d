/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Generic decoding of one Avro datum per its writer schema into struct avro_value
 * (Avro 1.11 "Binary Encoding"), and skipping a datum without building it. Counts
 * from the input are bounded by the bytes left (each item takes at least its
 * schema's minimum encoded size) and by the arena's cap; nesting by
 * ICE_LIMIT_AVRO_DEPTH (recursive schemas are legal Avro).
 */
#include <string.h>

#include "avro/avro_value.h"
#include "util/limits.h"

/* Fewest bytes any datum of s can take. Types that can only be 0 bytes (null,
 * fixed(0), records of those) return 0: they are also exactly 0 bytes. */
static size_t min_encoded_size(const struct avro_schema *s, int depth) {
  if (depth > ICE_LIMIT_AVRO_DEPTH) return 1; /* an infinitely recursive record */
  switch (s->type) {
    case AVRO_NULL: return 0;
    case AVRO_FLOAT: return 4;
    case AVRO_DOUBLE: return 8;
    case AVRO_FIXED: return s->fixed_size;
    case AVRO_RECORD: {
      size_t total = 0;
      for (size_t i = 0; i < s->n_fields && total == 0; i++) {
        total += min_encoded_size(s->fields[i].type, depth + 1);
      }
      return total;
    }
    default: return 1; /* varint, length prefix, branch index or block count */
  }
}

size_t avro_schema_min_encoded_size(const struct avro_schema *s) {
  return min_encoded_size(s, 0);
}

static size_t max_items(const struct avro_schema *item, const struct avro_cursor *c) {
  size_t min = min_encoded_size(item, 0);
  /* zero-byte items: the arena cap bounds what decode allocates */
  return min > 0 ? avro_cursor_left(c) / min : (size_t)ICE_LIMIT_AVRO_VALUE_BYTES;
}

static int too_deep(struct ice_error *err) {
  return ice_error_set(err, ICE_ELIMIT, "avro: datum nests deeper than %d",
                       ICE_LIMIT_AVRO_DEPTH);
}

static int decode(const struct avro_schema *s, struct avro_cursor *c,
                  struct ice_arena *arena, struct avro_value *out, int depth,
                  struct ice_error *err);

/* Array items or map entries arrive in blocks; each block's items are decoded into
 * one arena run, and runs are joined at the end (usually there is only one). */
struct run {
  void *items;
  size_t n;
  struct run *next;
};

static int decode_blocks(const struct avro_schema *s, struct avro_cursor *c,
                         struct ice_arena *arena, int depth, struct avro_value *out,
                         struct ice_error *err) {
  bool is_map = s->type == AVRO_MAP;
  size_t elem = is_map ? sizeof(struct avro_map_entry) : sizeof(struct avro_value);
  struct run *first = NULL, *last = NULL;
  size_t total = 0;
  for (;;) {
    size_t n;
    int64_t byte_size;
    ICE_TRY(avro_get_block_count(c, max_items(s->items, c), &n, &byte_size, err));
    if (n == 0) break;
    void *p;
    ICE_TRY(ice_arena_alloc(arena, sizeof(struct run), &p, err));
    struct run *r = p;
    ICE_TRY(ice_arena_calloc(arena, n, elem, &r->items, err));
    r->n = n;
    const uint8_t *block_start = c->p;
    for (size_t i = 0; i < n; i++) {
      if (is_map) {
        struct avro_map_entry *e = (struct avro_map_entry *)r->items + i;
        const uint8_t *k;
        size_t klen;
        char *key;
        ICE_TRY(avro_get_bytes(c, &k, &klen, err));
        ICE_TRY(ice_arena_strndup(arena, k, klen, &key, err));
        e->key = key;
        e->key_len = klen;
        ICE_TRY(ice_arena_alloc(arena, sizeof(struct avro_value), &p, err));
        e->value = p;
        ICE_TRY(decode(s->items, c, arena, e->value, depth + 1, err));
      } else {
        ICE_TRY(decode(s->items, c, arena, (struct avro_value *)r->items + i, depth + 1,
                       err));
      }
    }
    ICE_CHECK_DATA(byte_size < 0 || c->p - block_start == byte_size, err,
                   "avro: %s block size %lld does not match its items",
                   avro_type_name(s->type), (long long)byte_size);
    if (last) {
      last->next = r;
    } else {
      first = r;
    }
    last = r;
    total += n;
  }
  void *all = NULL;
  if (first != NULL && first->next == NULL) {
    all = first->items;
  } else if (total > 0) {
    ICE_TRY(ice_arena_calloc(arena, total, elem, &all, err));
    size_t at = 0;
    for (struct run *r = first; r != NULL; r = r->next) {
      memcpy((uint8_t *)all + at * elem, r->items, r->n * elem);
      at += r->n;
    }
  }
  if (is_map) {
    out->u.map.n = total;
    out->u.map.entries = all;
  } else {
    out->u.array.n = total;
    out->u.array.items = all;
  }
  return ICE_OK;
}

static int decode(const struct avro_schema *s, struct avro_cursor *c,
                  struct ice_arena *arena, struct avro_value *out, int depth,
                  struct ice_error *err) {
  if (depth > ICE_LIMIT_AVRO_DEPTH) return too_deep(err);
  out->schema = s;
  out->branch = -1;
  switch (s->type) {
    case AVRO_NULL:
      return ICE_OK;
    case AVRO_BOOLEAN:
      return avro_get_boolean(c, &out->u.boolean, err);
    case AVRO_INT:
      return avro_get_int(c, &out->u.i32, err);
    case AVRO_LONG:
      return avro_get_long(c, &out->u.i64, err);
    case AVRO_FLOAT:
      return avro_get_float(c, &out->u.f32, err);
    case AVRO_DOUBLE:
      return avro_get_double(c, &out->u.f64, err);
    case AVRO_BYTES:
    case AVRO_STRING:
    case AVRO_FIXED: {
      const uint8_t *p;
      size_t n = s->fixed_size;
      if (s->type == AVRO_FIXED) {
        ICE_TRY(avro_get_fixed(c, n, &p, err));
      } else {
        ICE_TRY(avro_get_bytes(c, &p, &n, err));
      }
      char *copy;
      ICE_TRY(ice_arena_strndup(arena, p, n, &copy, err));
      out->u.bytes.data = (const uint8_t *)copy;
      out->u.bytes.len = n;
      return ICE_OK;
    }
    case AVRO_ENUM: {
      size_t idx;
      ICE_TRY(avro_get_union(c, s->n_symbols, &idx, err));
      out->u.enum_index = (uint32_t)idx;
      return ICE_OK;
    }
    case AVRO_UNION: {
      size_t b;
      ICE_TRY(avro_get_union(c, s->n_branches, &b, err));
      ICE_TRY(decode(s->branches[b], c, arena, out, depth + 1, err));
      out->branch = (int32_t)b;
      return ICE_OK;
    }
    case AVRO_RECORD: {
      void *p = NULL;
      if (s->n_fields > 0) {
        ICE_TRY(ice_arena_calloc(arena, s->n_fields, sizeof(struct avro_value), &p, err));
      }
      out->u.record.fields = p;
      for (size_t i = 0; i < s->n_fields; i++) {
        int rc = decode(s->fields[i].type, c, arena, &out->u.record.fields[i], depth + 1,
                        err);
        if (rc != ICE_OK) return ice_error_prefix(err, "field '%s'", s->fields[i].name);
      }
      return ICE_OK;
    }
    case AVRO_ARRAY:
    case AVRO_MAP:
      return decode_blocks(s, c, arena, depth, out, err);
  }
  return ice_error_set(err, ICE_EINTERNAL, "avro: unknown schema type %d", (int)s->type);
}

int avro_value_decode(const struct avro_schema *s, struct avro_cursor *c,
                      struct ice_arena *arena, struct avro_value *out,
                      struct ice_error *err) {
  struct avro_value v;
  ICE_TRY(decode(s, c, arena, &v, 0, err));
  *out = v;
  return ICE_OK;
}

/* ---------------------------------------------------------------- skip */

static int skip(const struct avro_schema *s, struct avro_cursor *c, int depth,
                struct ice_error *err) {
  if (depth > ICE_LIMIT_AVRO_DEPTH) return too_deep(err);
  int64_t l;
  const uint8_t *p;
  size_t n;
  switch (s->type) {
    case AVRO_NULL:
      return ICE_OK;
    case AVRO_BOOLEAN: {
      bool b;
      return avro_get_boolean(c, &b, err);
    }
    case AVRO_INT: {
      int32_t i;
      return avro_get_int(c, &i, err);
    }
    case AVRO_LONG:
      return avro_get_long(c, &l, err);
    case AVRO_FLOAT:
      return avro_get_fixed(c, 4, &p, err);
    case AVRO_DOUBLE:
      return avro_get_fixed(c, 8, &p, err);
    case AVRO_FIXED:
      return avro_get_fixed(c, s->fixed_size, &p, err);
    case AVRO_BYTES:
    case AVRO_STRING:
      return avro_get_bytes(c, &p, &n, err);
    case AVRO_ENUM:
      return avro_get_union(c, s->n_symbols, &n, err);
    case AVRO_UNION:
      ICE_TRY(avro_get_union(c, s->n_branches, &n, err));
      return skip(s->branches[n], c, depth + 1, err);
    case AVRO_RECORD:
      for (size_t i = 0; i < s->n_fields; i++) {
        ICE_TRY(skip(s->fields[i].type, c, depth + 1, err));
      }
      return ICE_OK;
    case AVRO_ARRAY:
    case AVRO_MAP: {
      /* zero-byte items need no work, so hostile counts cost nothing */
      bool empty_items = s->type == AVRO_ARRAY && min_encoded_size(s->items, 0) == 0;
      for (;;) {
        int64_t byte_size;
        ICE_TRY(avro_get_block_count(c, SIZE_MAX, &n, &byte_size, err));
        if (n == 0) return ICE_OK;
        if (byte_size >= 0) {
          c->p += byte_size; /* checked against the bytes left by get_block_count */
          continue;
        }
        if (empty_items) continue;
        ICE_CHECK_DATA(n <= avro_cursor_left(c), err, "avro: block count %zu exceeds data",
                       n);
        for (size_t i = 0; i < n; i++) {
          size_t key_len;
          if (s->type == AVRO_MAP) ICE_TRY(avro_get_bytes(c, &p, &key_len, err));
          ICE_TRY(skip(s->items, c, depth + 1, err));
        }
      }
    }
  }
  return ice_error_set(err, ICE_EINTERNAL, "avro: unknown schema type %d", (int)s->type);
}

int avro_value_skip(const struct avro_schema *s, struct avro_cursor *c,
                    struct ice_error *err) {
  return skip(s, c, 0, err);
}
