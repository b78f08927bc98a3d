/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_row_hash_batch (op_row_hash.h). The schema is parsed once per batch into a flat
 * node table (children of a node contiguous), checked against the array tree once, then
 * each row is walked depth-first, streaming its serialization into the hash. Row
 * indexes passed down are logical (before the child's own offset), as arrow_view.h's
 * helpers expect, so offsets at any depth are honoured.
 */
#include "ops/op_row_hash.h"

#include <string.h>

#include "arrow/arrow_type.h"
#include "arrow/arrow_view.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/murmur3_128.h"

#define TAG_NULL 0

struct rh_node {
  struct arrow_type t;
  const char *name; /* borrowed from the schema, for messages */
  size_t first;     /* index of the first child node */
  int64_t n_children;
};

struct rh_plan {
  struct rh_node *nodes;
  size_t n;
};

static const char *name_of(const char *name) {
  return name != NULL && name[0] != '\0' ? name : "(unnamed)";
}

static int64_t children_of(enum arrow_type_id id, int64_t n_schema_children) {
  switch (id) {
    case ARROW_TYPE_STRUCT:
      return n_schema_children;
    case ARROW_TYPE_LIST:
    case ARROW_TYPE_LARGE_LIST:
    case ARROW_TYPE_FIXED_LIST:
    case ARROW_TYPE_MAP:
      return 1;
    default:
      return 0;
  }
}

static int count_nodes(const struct ArrowSchema *s, int depth, size_t *n,
                       struct ice_error *err) {
  if (depth > ICE_LIMIT_NESTING)
    ICE_FAIL(err, ICE_ELIMIT, "row hash: schema nested more than %d levels",
             ICE_LIMIT_NESTING);
  (*n)++;
  for (int64_t k = 0; k < s->n_children; k++)
    ICE_TRY(count_nodes(s->children[k], depth + 1, n, err));
  return ICE_OK;
}

/* Fills node i from s; its children go to the next free slots (*next). */
static int fill_node(struct rh_plan *p, size_t i, const struct ArrowSchema *s,
                     size_t *next, struct ice_error *err) {
  struct rh_node *nd = &p->nodes[i];
  nd->name = s->name;
  if (s->dictionary != NULL)
    ICE_FAIL(err, ICE_EUNSUPPORTED,
             "row hash: column '%s' is dictionary-encoded, which is not supported",
             name_of(s->name));
  if (arrow_type_parse(s->format, &nd->t, err) != ICE_OK)
    return ice_error_prefix(err, "row hash: column '%s'", name_of(s->name));
  nd->n_children = children_of(nd->t.id, s->n_children);
  if (s->n_children != nd->n_children)
    ICE_FAIL(err, ICE_EINVAL,
             "row hash: column '%s' (%s) has %lld children, expected %lld",
             name_of(s->name), arrow_type_name(nd->t.id), (long long)s->n_children,
             (long long)nd->n_children);
  nd->first = *next;
  *next += (size_t)nd->n_children;
  for (int64_t k = 0; k < nd->n_children; k++)
    ICE_TRY(fill_node(p, nd->first + (size_t)k, s->children[k], next, err));
  return ICE_OK;
}

/* Buffer and child counts, and the buffers a value read needs, once per batch. */
static int check_array(const struct rh_plan *p, const struct rh_node *nd,
                       const struct ArrowArray *a, struct ice_error *err) {
  const char *name = name_of(nd->name);
  if (a == NULL || a->release == NULL)
    ICE_FAIL(err, ICE_EINVAL, "row hash: column '%s' has no array", name);
  if (a->n_buffers != nd->t.n_buffers || a->n_children != nd->n_children)
    ICE_FAIL(err, ICE_EINVAL,
             "row hash: column '%s' (%s) has %lld buffers and %lld children, expected "
             "%d and %lld",
             name, arrow_type_name(nd->t.id), (long long)a->n_buffers,
             (long long)a->n_children, nd->t.n_buffers, (long long)nd->n_children);
  if (a->length < 0 || a->offset < 0)
    ICE_FAIL(err, ICE_EINVAL, "row hash: column '%s' has a negative length or offset",
             name);
  for (int b = 1; b < nd->t.n_buffers; b++)
    if (a->buffers[b] == NULL && a->length > 0)
      ICE_FAIL(err, ICE_EINVAL, "row hash: column '%s' lacks buffer %d", name, b);
  for (int64_t k = 0; k < nd->n_children; k++)
    ICE_TRY(check_array(p, &p->nodes[nd->first + (size_t)k], a->children[k], err));
  return ICE_OK;
}

static int hash_value(const struct rh_plan *p, const struct rh_node *nd,
                      const struct ArrowArray *a, int64_t row, struct ice_murmur128 *m,
                      struct ice_error *err);

/* Child rows [start, end) of a list-like value, each hashed in turn. */
static int hash_elements(const struct rh_plan *p, const struct rh_node *nd,
                         const struct ArrowArray *a, int64_t start, int64_t end,
                         struct ice_murmur128 *m, struct ice_error *err) {
  const struct rh_node *child = &p->nodes[nd->first];
  const struct ArrowArray *c = a->children[0];
  if (start < 0 || end < start || end > c->length)
    ICE_FAIL(
        err, ICE_EINVAL,
        "row hash: column '%s' has elements [%lld, %lld) outside its %lld child rows",
        name_of(nd->name), (long long)start, (long long)end, (long long)c->length);
  for (int64_t r = start; r < end; r++) ICE_TRY(hash_value(p, child, c, r, m, err));
  return ICE_OK;
}

static void put_tagged(struct ice_murmur128 *m, uint8_t tag, const void *v, size_t n) {
  uint8_t head[1 + 32];
  head[0] = tag;
  if (n <= 32) {
    memcpy(head + 1, v, n);
    ice_murmur128_update(m, head, 1 + n);
  } else {
    ice_murmur128_update(m, head, 1);
    ice_murmur128_update(m, v, n);
  }
}

static int hash_bytes(const struct rh_node *nd, const struct ArrowArray *a, int64_t row,
                      uint8_t tag, struct ice_murmur128 *m, struct ice_error *err) {
  int64_t start, end;
  arrow_offsets_range(
      a, nd->t.id == ARROW_TYPE_LARGE_STRING || nd->t.id == ARROW_TYPE_LARGE_BINARY, row,
      &start, &end);
  if (start < 0 || end < start)
    ICE_FAIL(err, ICE_EINVAL, "row hash: column '%s' row %lld has bad offsets",
             name_of(nd->name), (long long)row);
  uint64_t len = (uint64_t)(end - start);
  put_tagged(m, tag, &len, sizeof len);
  if (len > 0) ice_murmur128_update(m, arrow_array_bytes(a) + start, (size_t)len);
  return ICE_OK;
}

static int hash_value(const struct rh_plan *p, const struct rh_node *nd,
                      const struct ArrowArray *a, int64_t row, struct ice_murmur128 *m,
                      struct ice_error *err) {
  if (row >= a->length)
    ICE_FAIL(err, ICE_EINVAL, "row hash: column '%s' has %lld rows, row %lld was needed",
             name_of(nd->name), (long long)a->length, (long long)row);
  if (nd->t.id == ARROW_TYPE_NA || !arrow_array_valid(a, row)) {
    const uint8_t tag = TAG_NULL;
    ice_murmur128_update(m, &tag, 1);
    return ICE_OK;
  }
  const uint8_t tag = (uint8_t)(1 + nd->t.id);
  switch (nd->t.id) {
    case ARROW_TYPE_BOOL: {
      const uint8_t b = (uint8_t)arrow_array_bool(a, row);
      put_tagged(m, tag, &b, 1);
      return ICE_OK;
    }
    case ARROW_TYPE_STRING:
    case ARROW_TYPE_BINARY:
    case ARROW_TYPE_LARGE_STRING:
    case ARROW_TYPE_LARGE_BINARY:
      return hash_bytes(nd, a, row, tag, m, err);
    case ARROW_TYPE_STRUCT: {
      ice_murmur128_update(m, &tag, 1);
      const int64_t child_row = arrow_struct_child_row(a, row);
      for (int64_t k = 0; k < nd->n_children; k++)
        ICE_TRY(hash_value(p, &p->nodes[nd->first + (size_t)k], a->children[k], child_row,
                           m, err));
      return ICE_OK;
    }
    case ARROW_TYPE_LIST:
    case ARROW_TYPE_MAP:
    case ARROW_TYPE_LARGE_LIST: {
      int64_t start, end;
      arrow_offsets_range(a, nd->t.id == ARROW_TYPE_LARGE_LIST, row, &start, &end);
      const uint64_t count = end >= start ? (uint64_t)(end - start) : 0;
      put_tagged(m, tag, &count, sizeof count);
      return hash_elements(p, nd, a, start, end, m, err);
    }
    case ARROW_TYPE_FIXED_LIST: {
      ice_murmur128_update(m, &tag, 1);
      const int64_t n = nd->t.fixed_size, start = (a->offset + row) * n;
      return hash_elements(p, nd, a, start, start + n, m, err);
    }
    default:
      if (nd->t.byte_width <= 0)
        ICE_FAIL(err, ICE_EUNSUPPORTED,
                 "row hash: column '%s' of type %s is not supported", name_of(nd->name),
                 arrow_type_name(nd->t.id));
      put_tagged(m, tag, arrow_array_fixed(a, nd->t.byte_width) + row * nd->t.byte_width,
                 (size_t)nd->t.byte_width);
      return ICE_OK;
  }
}

int op_row_hash_batch(const struct ArrowSchema *schema, const struct ArrowArray *a,
                      struct op_row_hash *out, struct ice_error *err) {
  if (schema == NULL || schema->format == NULL || strcmp(schema->format, "+s") != 0)
    ICE_FAIL(err, ICE_EINVAL, "row hash: the batch schema is not a struct (+s)");
  struct rh_plan p = {NULL, 0};
  ICE_TRY(count_nodes(schema, 0, &p.n, err));
  p.nodes = ice_calloc(p.n, sizeof *p.nodes);
  if (p.nodes == NULL) ICE_FAIL(err, ICE_ENOMEM, "row hash: out of memory");
  size_t next = 1;
  int rc = fill_node(&p, 0, schema, &next, err);
  if (rc == ICE_OK) rc = check_array(&p, &p.nodes[0], a, err);
  for (int64_t row = 0; rc == ICE_OK && row < a->length; row++) {
    struct ice_murmur128 m;
    ice_murmur128_init(&m, 0);
    rc = hash_value(&p, &p.nodes[0], a, row, &m, err);
    ice_murmur128_final(&m, &out[row].lo, &out[row].hi);
  }
  ice_free(p.nodes);
  return rc;
}
