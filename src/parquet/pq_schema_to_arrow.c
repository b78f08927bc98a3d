/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ArrowSchema for a reader schema node: formats per docs/internals/ARROW.md, the
 * NULLABLE flag for optional nodes, and metadata PARQUET:field_id (pyarrow's
 * convention) plus ARROW:extension:name for JSON, UUID and INT96 leaves.
 */
#include <stdio.h>

#include "arrow/arrow_schema.h"
#include "parquet/pq_schema.h"

static const char *node_format(const struct pq_node *n) {
  switch (n->kind) {
    case PQ_NODE_STRUCT: return "+s";
    case PQ_NODE_LIST: return "+l";
    case PQ_NODE_MAP: return "+m";
    case PQ_NODE_NULL: return "n";
    default: return n->format;
  }
}

static int fill(const struct pq_node *n, struct ArrowSchema *out, int depth,
                struct ice_error *err) {
  if (depth > 2 * 64 + 8) ICE_FAIL(err, ICE_ELIMIT, "schema: nesting too deep for Arrow");
  int64_t flags = n->nullable ? ARROW_FLAG_NULLABLE : 0;
  ICE_TRY(arrow_schema_init(out, node_format(n), n->name, flags, (int64_t)n->n_children,
                            err));
  struct arrow_kv kv[2];
  size_t nkv = 0;
  char id[16];
  if (n->has_field_id) {
    snprintf(id, sizeof id, "%d", (int)n->field_id);
    kv[nkv++] = (struct arrow_kv){"PARQUET:field_id", id};
  }
  if (n->kind == PQ_NODE_LEAF && n->extension != NULL) {
    kv[nkv++] = (struct arrow_kv){"ARROW:extension:name", n->extension};
  }
  int rc = nkv > 0 ? arrow_schema_set_metadata(out, kv, nkv, err) : ICE_OK;
  for (size_t i = 0; rc == ICE_OK && i < n->n_children; i++) {
    rc = fill(&n->children[i], out->children[i], depth + 1, err);
  }
  if (rc != ICE_OK) arrow_schema_release(out);
  return rc;
}

int pq_node_to_arrow(const struct pq_node *n, struct ArrowSchema *out,
                     struct ice_error *err) {
  struct ArrowSchema tmp;
  ICE_TRY(fill(n, &tmp, 0, err));
  *out = tmp;
  return ICE_OK;
}
