/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Level-driven assembly (reference/parquet.md 6). For a node at list depth `rep` with
 * thresholds parent_def/def, a level entry (d, r) of any leaf below it opens a new slot
 * of the node when r <= rep and d >= parent_def; the slot is non-null when d >= def.
 * A list's elements are the entries with r <= rep + 1 and d >= def + 1. Each node reads
 * the levels of its first leaf: Dremel encoding repeats the ancestors' structure in
 * every leaf, and struct children are checked to agree in length.
 */
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_view.h"
#include "parquet/pq_assemble_internal.h"
#include "util/alloc.h"

struct levels {
  const uint16_t *def; /* NULL: every level is 0 */
  const uint16_t *rep; /* NULL: every level is 0 */
  size_t n;
};

static struct levels levels_of(const struct pq_leaf_batch *b) {
  struct levels l;
  l.def = b->def.len ? (const uint16_t *)(const void *)b->def.data : NULL;
  l.rep = b->rep.len ? (const uint16_t *)(const void *)b->rep.data : NULL;
  l.n = b->n_levels;
  return l;
}

static int node_array(const struct pq_node *n, struct pq_leaf_batch *batches,
                      int64_t expected, struct ArrowArray *out, struct ice_error *err);

/* Allocates a validity bitmap of n bits (all set); NULL on failure. */
static uint8_t *new_bitmap(int64_t n) {
  size_t bytes = (size_t)arrow_bitmap_bytes(n);
  uint8_t *v = ice_malloc(bytes ? bytes : 1);
  if (v != NULL && bytes) memset(v, 0xff, bytes);
  return v;
}

static int oom(struct ice_error *err) {
  ICE_FAIL(err, ICE_ENOMEM, "out of memory assembling a batch");
}

/* Leaf: one slot per entry with d >= parent_def. */
static int leaf_array(const struct pq_node *n, struct pq_leaf_batch *b,
                      struct ArrowArray *out, struct ice_error *err) {
  struct levels l = levels_of(b);
  int64_t n_slots = 0, nulls = 0;
  uint8_t *valid = NULL;
  if (l.def == NULL) {
    n_slots = (int64_t)l.n; /* max_def 0: every entry is a value */
  } else {
    valid = new_bitmap((int64_t)l.n);
    if (valid == NULL) return oom(err);
    if (n->parent_def == 0) {
      n_slots = (int64_t)l.n;
      /* A whole bitmap byte per 8 levels: no branch per value, and n->def read once
       * (stores through the bitmap would otherwise force a reload every time). */
      const uint16_t def = (uint16_t)n->def;
      size_t i = 0;
      for (; i + 8 <= l.n; i += 8) {
        unsigned byte = 0, set = 0;
        for (unsigned k = 0; k < 8; k++) {
          unsigned v = l.def[i + k] >= def;
          byte |= v << k;
          set += v;
        }
        valid[i >> 3] = (uint8_t)byte;
        nulls += 8 - (int64_t)set;
      }
      for (; i < l.n; i++) {
        if (l.def[i] < def) {
          arrow_bit_clear(valid, (int64_t)i);
          nulls++;
        }
      }
    } else {
      for (size_t i = 0; i < l.n; i++) {
        if (l.def[i] < n->parent_def) continue;
        if (l.def[i] < n->def) {
          arrow_bit_clear(valid, n_slots);
          nulls++;
        }
        n_slots++;
      }
    }
    if (nulls == 0) {
      ice_free(valid);
      valid = NULL;
    }
  }
  if (n->conv == PQ_CONV_NONE) {
    ice_free(valid);
    ICE_TRY(arrow_array_init(out, 0, 0, err));
    out->length = n_slots;
    out->null_count = n_slots;
    return ICE_OK;
  }
  if ((int64_t)b->n_values != n_slots - nulls) {
    ice_free(valid);
    ICE_FAIL(err, ICE_EINTERNAL, "column '%s': %zu values for %lld non-null slots", n->path,
             b->n_values, (long long)(n_slots - nulls));
  }
  int rc = arrow_array_init(out, n->conv == PQ_CONV_BINARY ? 3 : 2, 0, err);
  if (rc != ICE_OK) {
    ice_free(valid);
    return rc;
  }
  out->length = n_slots;
  out->null_count = nulls;
  arrow_array_set_buffer(out, 0, valid);
  rc = pq_assemble_leaf_values(n, b, valid, n_slots, out, err);
  if (rc != ICE_OK) arrow_array_release(out);
  return rc;
}

static int struct_array(const struct pq_node *n, struct pq_leaf_batch *batches,
                        int64_t expected, struct ArrowArray *out, struct ice_error *err) {
  int64_t len = expected, nulls = 0;
  uint8_t *valid = NULL;
  if (n->n_leaves > 0) {
    struct levels l = levels_of(&batches[n->first_leaf]);
    if (n->nullable) {
      valid = new_bitmap((int64_t)l.n);
      if (valid == NULL) return oom(err);
    }
    len = 0;
    for (size_t i = 0; i < l.n; i++) {
      uint16_t r = l.rep ? l.rep[i] : 0, d = l.def ? l.def[i] : 0;
      if (r > n->rep || d < n->parent_def) continue;
      if (valid != NULL && d < n->def) {
        arrow_bit_clear(valid, len);
        nulls++;
      }
      len++;
    }
    if (nulls == 0) {
      ice_free(valid);
      valid = NULL;
    }
  }
  if (len != expected && expected >= 0) {
    ice_free(valid); /* fuzz finding: this refusal leaked the bitmap */
    ICE_FAIL(err, ICE_ECORRUPT, "'%s': %lld entries where the parent expects %lld", n->path,
             (long long)len, (long long)expected);
  }
  int rc = arrow_array_init(out, 1, (int64_t)n->n_children, err);
  if (rc != ICE_OK) {
    ice_free(valid);
    return rc;
  }
  arrow_array_set_buffer(out, 0, valid);
  out->length = len;
  out->null_count = nulls;
  for (size_t i = 0; rc == ICE_OK && i < n->n_children; i++) {
    rc = node_array(&n->children[i], batches, len, out->children[i], err);
  }
  if (rc != ICE_OK) arrow_array_release(out);
  return rc;
}

static int list_array(const struct pq_node *n, struct pq_leaf_batch *batches,
                      int64_t expected, struct ArrowArray *out, struct ice_error *err) {
  struct levels l = {NULL, NULL, 0};
  if (n->n_leaves > 0) l = levels_of(&batches[n->first_leaf]);
  /* Slots <= entries (or the parent's count when there are no leaves). */
  int64_t cap = n->n_leaves > 0 ? (int64_t)l.n : expected;
  if (cap < 0) cap = 0;
  int32_t *off = ice_malloc(((size_t)cap + 1) * sizeof *off);
  uint8_t *valid = n->nullable ? new_bitmap(cap) : NULL;
  if (off == NULL || (n->nullable && valid == NULL)) {
    ice_free(off);
    ice_free(valid);
    return oom(err);
  }
  int64_t len = 0, nulls = 0, count = 0;
  int16_t elem_def = (int16_t)(n->def + 1), elem_rep = (int16_t)(n->rep + 1);
  for (size_t i = 0; i < l.n; i++) {
    uint16_t r = l.rep ? l.rep[i] : 0, d = l.def ? l.def[i] : 0;
    if (r <= n->rep) {
      if (d < n->parent_def) continue;
      off[len] = (int32_t)count;
      if (d < n->def) {
        if (valid != NULL) arrow_bit_clear(valid, len);
        nulls++;
      }
      len++;
      if (d >= elem_def) count++;
    } else if (r == elem_rep && d >= elem_def) {
      count++;
    }
    if (count > INT32_MAX) {
      ice_free(off);
      ice_free(valid);
      ICE_FAIL(err, ICE_ELIMIT, "'%s': more than 2^31-1 list elements in one batch; use a "
               "smaller batch size", n->path);
    }
  }
  if (n->n_leaves == 0) {
    for (len = 0; len < cap; len++) off[len] = 0;
  }
  off[len] = (int32_t)count;
  if (nulls == 0 || !n->nullable) {
    ice_free(valid);
    valid = NULL;
  }
  if (len != expected && expected >= 0) {
    ice_free(off);
    ice_free(valid);
    ICE_FAIL(err, ICE_ECORRUPT, "'%s': %lld entries where the parent expects %lld", n->path,
             (long long)len, (long long)expected);
  }
  int rc = arrow_array_init(out, 2, 1, err);
  if (rc != ICE_OK) {
    ice_free(off);
    ice_free(valid);
    return rc;
  }
  arrow_array_set_buffer(out, 0, valid);
  arrow_array_set_buffer(out, 1, off);
  out->length = len;
  out->null_count = valid ? nulls : 0;
  rc = node_array(&n->children[0], batches, count, out->children[0], err);
  if (rc != ICE_OK) arrow_array_release(out);
  return rc;
}

static int node_array(const struct pq_node *n, struct pq_leaf_batch *batches,
                      int64_t expected, struct ArrowArray *out, struct ice_error *err) {
  switch (n->kind) {
    case PQ_NODE_LEAF: {
      ICE_TRY(leaf_array(n, &batches[n->first_leaf], out, err));
      if (expected >= 0 && out->length != expected) {
        int64_t got = out->length;
        arrow_array_release(out);
        ICE_FAIL(err, ICE_ECORRUPT, "column '%s': %lld entries where the parent expects "
                 "%lld", n->path, (long long)got, (long long)expected);
      }
      return ICE_OK;
    }
    case PQ_NODE_STRUCT:
      return struct_array(n, batches, expected, out, err);
    case PQ_NODE_LIST:
    case PQ_NODE_MAP:
      return list_array(n, batches, expected, out, err);
    case PQ_NODE_NULL:
    default:
      ICE_TRY(arrow_array_init(out, 0, 0, err));
      out->length = expected < 0 ? 0 : expected;
      out->null_count = out->length;
      return ICE_OK;
  }
}

int pq_assemble_batch(const struct pq_node *root, struct pq_leaf_batch *batches,
                      int64_t rows, struct ArrowArray *out, struct ice_error *err) {
  struct ArrowArray tmp;
  ICE_TRY(struct_array(root, batches, rows, &tmp, err));
  arrow_array_move(&tmp, out);
  return ICE_OK;
}
