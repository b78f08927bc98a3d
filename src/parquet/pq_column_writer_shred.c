/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shredding (Dremel levels) of one leaf column for a range of rows of an Arrow batch:
 * definition and repetition levels per slot, plus the leaf-array slots that hold real
 * values (reference/parquet.md §6). Top-level primitive columns take a fast path
 * (no recursion, contiguous values when there are no nulls); nested paths walk each
 * row recursively. A null where the field is required is an error naming the row.
 */
#include <string.h>

#include "arrow/arrow_view.h"
#include "parquet/pq_writer_internal.h"
#include "util/limits.h"

void pqw_shred_init(struct pqw_shred *s) {
  memset(s, 0, sizeof *s);
  ice_buf_init(&s->def, ICE_LIMIT_PAGE_BYTES);
  ice_buf_init(&s->rep, ICE_LIMIT_PAGE_BYTES);
  ice_buf_init(&s->idx, ICE_LIMIT_PAGE_BYTES);
}

void pqw_shred_reset(struct pqw_shred *s) {
  ice_buf_reset(&s->def);
  ice_buf_reset(&s->rep);
  ice_buf_reset(&s->idx);
}

struct shred_ctx {
  const struct pqw_schema *s;
  const struct pqw_node *leaf;
  int32_t path[ICE_LIMIT_NESTING + 2];
  const struct ArrowArray *arr[ICE_LIMIT_NESTING + 2];
  int depth;
  struct pqw_shred *out;
  int64_t file_row; /* current row, for messages */
  struct ice_error *err;
};

/* Appends a small value: a store when there is room (the common case, one call per
 * nested slot), else the growing append. */
static inline int put_small(struct ice_buf *b, const void *p, size_t n,
                            struct ice_error *err) {
  if (b->cap - b->len >= n) {
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return ICE_OK;
  }
  return ice_buf_append(b, p, n, err);
}

static int push_level(struct shred_ctx *c, int16_t def, int16_t rep) {
  struct pqw_shred *o = c->out;
  uint16_t d = (uint16_t)def, r = (uint16_t)rep;
  ICE_TRY(put_small(&o->def, &d, sizeof d, c->err));
  if (c->leaf->max_rep > 0) ICE_TRY(put_small(&o->rep, &r, sizeof r, c->err));
  o->n_levels++;
  return ICE_OK;
}

static int null_in_required(struct shred_ctx *c, const struct pqw_node *n) {
  ICE_FAIL(c->err, ICE_EINVAL, "column '%s': row %lld: null in a required field", n->path,
           (long long)c->file_row);
}

static int visit(struct shred_ctx *c, int k, int64_t i, int16_t def, int16_t rep) {
  const struct pqw_node *n = &c->s->nodes[c->path[k]];
  const struct ArrowArray *a = c->arr[k];
  bool valid =
      a->n_buffers == 0 ? false : (a->null_count == 0 || arrow_array_valid(a, i));
  if (!valid) {
    if (!n->optional) return null_in_required(c, n);
    return push_level(c, def, rep);
  }
  if (n->optional) def++;
  switch (n->kind) {
    case PQW_LEAF: {
      ICE_TRY(push_level(c, def, rep));
      ICE_TRY(put_small(&c->out->idx, &i, sizeof i, c->err));
      c->out->n_values++;
      return ICE_OK;
    }
    case PQW_STRUCT:
      return visit(c, k + 1, i + a->offset, def, rep);
    case PQW_LIST:
    case PQW_MAP: {
      int64_t s, e;
      if (n->is_large_list) {
        const int64_t *off = arrow_array_offsets64(a);
        s = off[i];
        e = off[i + 1];
      } else {
        const int32_t *off = arrow_array_offsets32(a);
        s = off[i];
        e = off[i + 1];
      }
      if (e <= s) return push_level(c, def, rep); /* empty list/map */
      int64_t shift = 0;
      if (n->kind == PQW_MAP) shift = a->children[0]->offset;
      for (int64_t j = s; j < e; j++) {
        ICE_TRY(
            visit(c, k + 1, j + shift, (int16_t)(def + 1), j == s ? rep : n->max_rep));
      }
      return ICE_OK;
    }
  }
  return ICE_OK;
}

/* Top-level list of a primitive (the common nested shape): the same levels as visit()
 * for a two-node path, in one loop without recursion. */
static int shred_list_of_leaf(struct shred_ctx *c, int64_t first, int64_t n,
                              int64_t file_row0) {
  const struct pqw_node *ln = &c->s->nodes[c->path[0]];
  const struct pqw_node *leaf = &c->s->nodes[c->path[1]];
  const struct ArrowArray *la = c->arr[0], *va = c->arr[1];
  struct pqw_shred *o = c->out;
  int16_t list_def = (int16_t)(ln->optional ? 1 : 0);
  int16_t elem_def = (int16_t)(list_def + 1 + (leaf->optional ? 1 : 0));
  for (int64_t r = 0; r < n; r++) {
    int64_t i = first + r;
    bool valid =
        la->n_buffers == 0 ? false : (la->null_count == 0 || arrow_array_valid(la, i));
    if (!valid) {
      c->file_row = file_row0 + r;
      if (!ln->optional) return null_in_required(c, ln);
      ICE_TRY(push_level(c, 0, 0));
      continue;
    }
    int64_t s, e;
    if (ln->is_large_list) {
      s = arrow_array_offsets64(la)[i];
      e = arrow_array_offsets64(la)[i + 1];
    } else {
      s = arrow_array_offsets32(la)[i];
      e = arrow_array_offsets32(la)[i + 1];
    }
    if (e <= s) {
      ICE_TRY(push_level(c, list_def, 0)); /* empty list */
      continue;
    }
    for (int64_t j = s; j < e; j++) {
      int16_t rep = j == s ? 0 : ln->max_rep;
      bool ev =
          va->n_buffers == 0 ? false : (va->null_count == 0 || arrow_array_valid(va, j));
      if (!ev) {
        c->file_row = file_row0 + r;
        if (!leaf->optional) return null_in_required(c, leaf);
        ICE_TRY(push_level(c, (int16_t)(list_def + 1), rep));
        continue;
      }
      ICE_TRY(push_level(c, elem_def, rep));
      ICE_TRY(put_small(&o->idx, &j, sizeof j, c->err));
      o->n_values++;
    }
  }
  return ICE_OK;
}

/* Top-level primitive: levels straight from the validity bitmap. */
static int shred_flat(struct shred_ctx *c, const struct ArrowArray *a, int64_t first,
                      int64_t n) {
  const struct pqw_node *leaf = c->leaf;
  struct pqw_shred *o = c->out;
  bool all_valid = a->n_buffers > 0 && (a->null_count == 0 || a->buffers[0] == NULL);
  if (all_valid) {
    o->contiguous = true;
    o->first = first;
    o->n_values = n;
    o->n_levels = n;
    if (leaf->max_def > 0) {
      ICE_TRY(pqw_buf_set_len(&o->def, (size_t)n * 2, c->err));
      uint16_t *d = (uint16_t *)(void *)o->def.data;
      for (int64_t r = 0; r < n; r++) d[r] = 1;
    }
    return ICE_OK;
  }
  if (!leaf->optional) {
    for (int64_t r = 0; r < n; r++) {
      if (a->n_buffers == 0 || !arrow_array_valid(a, first + r)) {
        c->file_row += r;
        return null_in_required(c, leaf);
      }
    }
  }
  ICE_TRY(pqw_buf_set_len(&o->def, (size_t)n * 2, c->err));
  ICE_TRY(pqw_buf_set_len(&o->idx, (size_t)n * 8, c->err));
  uint16_t *d = (uint16_t *)(void *)o->def.data;
  int64_t *ix = (int64_t *)(void *)o->idx.data;
  int64_t nv = 0;
  if (a->n_buffers == 0) {
    memset(d, 0, (size_t)n * 2);
  } else {
    const uint8_t *bits = (const uint8_t *)a->buffers[0];
    for (int64_t r = 0; r < n; r++) {
      int64_t i = first + r;
      int v = arrow_bit_get(bits, a->offset + i);
      d[r] = (uint16_t)v;
      ix[nv] = i;
      nv += v;
    }
  }
  o->idx.len = (size_t)nv * 8;
  o->n_values = nv;
  o->n_levels = n;
  return ICE_OK;
}

int pqw_shred_leaf(const struct pqw_schema *sch, int32_t leaf,
                   const struct ArrowArray *batch, int64_t row0, int64_t n,
                   int64_t file_row0, struct pqw_shred *out, struct ice_error *err) {
  struct shred_ctx c;
  c.s = sch;
  c.leaf = &sch->nodes[sch->leaf_nodes[leaf]];
  c.out = out;
  c.err = err;
  c.file_row = file_row0 + row0;
  ice_buf_clear(&out->def);
  ice_buf_clear(&out->rep);
  ice_buf_clear(&out->idx);
  out->n_levels = out->n_values = 0;
  out->n_rows = n;
  out->contiguous = false;
  out->first = 0;
  out->file_row = file_row0 + row0;
  out->base = row0 + batch->offset;
  out->flat = false;

  /* Path from the top-level column down to the leaf. */
  int depth = 0;
  int32_t rev[ICE_LIMIT_NESTING + 2];
  for (int32_t x = sch->leaf_nodes[leaf]; x >= 0; x = sch->nodes[x].parent) {
    if (depth >= ICE_LIMIT_NESTING + 1)
      ICE_FAIL(err, ICE_ELIMIT, "schema nests too deep");
    rev[depth++] = x;
  }
  for (int k = 0; k < depth; k++) c.path[k] = rev[depth - 1 - k];
  c.depth = depth;
  /* The arrays along the path (validated by the caller). */
  const struct pqw_node *top = &sch->nodes[c.path[0]];
  c.arr[0] = batch->children[top->slot];
  for (int k = 1; k < depth; k++) {
    const struct pqw_node *p = &sch->nodes[c.path[k - 1]];
    const struct pqw_node *me = &sch->nodes[c.path[k]];
    const struct ArrowArray *pa = c.arr[k - 1];
    if (p->kind == PQW_STRUCT) {
      c.arr[k] = pa->children[me->slot];
    } else if (p->kind == PQW_LIST) {
      c.arr[k] = pa->children[0];
    } else {
      c.arr[k] = pa->children[0]->children[me->slot];
    }
  }
  out->leaf_array = c.arr[depth - 1];
  int64_t first = row0 + batch->offset;
  if (depth == 1) {
    out->flat = true;
    return shred_flat(&c, c.arr[0], first, n);
  }
  /* At least one level and at most one value per row; lists grow these as needed. */
  ICE_TRY(ice_buf_reserve(&out->def, (size_t)n * 2, err));
  if (c.leaf->max_rep > 0) ICE_TRY(ice_buf_reserve(&out->rep, (size_t)n * 2, err));
  ICE_TRY(ice_buf_reserve(&out->idx, (size_t)n * 8, err));
  if (depth == 2 && sch->nodes[c.path[0]].kind == PQW_LIST &&
      sch->nodes[c.path[1]].kind == PQW_LEAF) {
    return shred_list_of_leaf(&c, first, n, file_row0 + row0);
  }
  for (int64_t r = 0; r < n; r++) {
    c.file_row = file_row0 + row0 + r;
    ICE_TRY(visit(&c, 0, first + r, 0, 0));
  }
  return ICE_OK;
}
