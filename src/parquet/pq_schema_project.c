/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Column projection by dotted path. Paths use the Arrow field names of the reader
 * tree ("a.b"); selecting a group selects every leaf below it, and list/map wrappers
 * ("element", "entries") may be left out of a path; a path into a map selects the
 * whole map (Arrow maps need key and value). The result is a pruned copy of the
 * tree in file order whose leaves are renumbered 0..n-1 (first_leaf) while `column`
 * keeps the file's column index.
 */
#include <string.h>

#include "parquet/pq_schema.h"
#include "util/alloc.h"

/* Finds the child named [name, name+len) of n, looking through list/map wrappers.
 * The first map met on the way (n itself included) is recorded in *map_seen. */
static const struct pq_node *find_child(const struct pq_node *n, const char *name,
                                        size_t len, const struct pq_node **map_seen) {
  for (int hops = 0; n != NULL && hops < 3; hops++) {
    if (n->kind == PQ_NODE_MAP && *map_seen == NULL) *map_seen = n;
    for (size_t i = 0; i < n->n_children; i++) {
      const struct pq_node *c = &n->children[i];
      if (strlen(c->name) == len && memcmp(c->name, name, len) == 0) return c;
    }
    if ((n->kind == PQ_NODE_LIST || n->kind == PQ_NODE_MAP) && n->n_children == 1) {
      n = &n->children[0];
    } else {
      return NULL;
    }
  }
  return NULL;
}

static void mark(const struct pq_node *n, bool *sel) {
  if (n->kind == PQ_NODE_LEAF) sel[n->column] = true;
  for (size_t i = 0; i < n->n_children; i++) mark(&n->children[i], sel);
}

static bool wanted(const struct pq_node *n, const bool *sel) {
  if (n->kind == PQ_NODE_LEAF) return sel[n->column];
  for (size_t i = 0; i < n->n_children; i++) {
    if (wanted(&n->children[i], sel)) return true;
  }
  return false;
}

/* Copies n keeping wanted children; leafless children (a map's null value, empty
 * groups) follow their parent. */
static int copy_pruned(const struct pq_node *n, const bool *sel, int32_t *next,
                       struct pq_node *out, struct ice_error *err) {
  *out = *n;
  out->children = NULL;
  out->n_children = 0;
  out->name = ice_strdup(n->name);
  out->path = ice_strdup(n->path);
  if (out->name == NULL || out->path == NULL) {
    ICE_FAIL(err, ICE_ENOMEM, "projection: out of memory");
  }
  out->first_leaf = -1;
  out->n_leaves = 0;
  if (n->kind == PQ_NODE_LEAF) {
    out->first_leaf = (*next)++;
    out->n_leaves = 1;
    return ICE_OK;
  }
  size_t keep = 0;
  for (size_t i = 0; i < n->n_children; i++) {
    if (n->children[i].n_leaves == 0 || wanted(&n->children[i], sel)) keep++;
  }
  if (keep == 0) return ICE_OK;
  out->children = ice_calloc(keep, sizeof *out->children);
  if (out->children == NULL) ICE_FAIL(err, ICE_ENOMEM, "projection: out of memory");
  for (size_t i = 0; i < n->n_children; i++) {
    const struct pq_node *c = &n->children[i];
    if (c->n_leaves != 0 && !wanted(c, sel)) continue;
    struct pq_node *oc = &out->children[out->n_children++];
    ICE_TRY(copy_pruned(c, sel, next, oc, err));
    if (out->first_leaf < 0) out->first_leaf = oc->first_leaf;
    out->n_leaves += oc->n_leaves;
  }
  return ICE_OK;
}

int pq_schema_project(const struct pq_schema *s, const char *const *paths, size_t n,
                      struct pq_node *out, struct ice_error *err) {
  bool *sel = ice_calloc(s->n_leaves ? s->n_leaves : 1, sizeof *sel);
  if (sel == NULL) ICE_FAIL(err, ICE_ENOMEM, "projection: out of memory");
  int rc = ICE_OK;
  if (paths == NULL || n == 0) {
    for (size_t i = 0; i < s->n_leaves; i++) sel[i] = true;
  }
  for (size_t i = 0; rc == ICE_OK && paths != NULL && i < n; i++) {
    const struct pq_node *node = &s->root, *map = NULL;
    const char *p = paths[i];
    while (node != NULL && p != NULL) {
      const char *dot = strchr(p, '.');
      size_t len = dot ? (size_t)(dot - p) : strlen(p);
      node = find_child(node, p, len, &map);
      p = dot ? dot + 1 : NULL;
    }
    if (node == NULL || paths[i] == NULL || paths[i][0] == '\0') {
      rc = ice_error_set(err, ICE_ENOTFOUND, "projection: no column '%s'",
                         paths[i] != NULL ? paths[i] : "(null)");
    } else {
      /* An Arrow map needs both key and value: a path into a map selects all of it. */
      mark(map != NULL ? map : node, sel);
    }
  }
  struct pq_node tmp;
  memset(&tmp, 0, sizeof tmp);
  int32_t next = 0;
  if (rc == ICE_OK) rc = copy_pruned(&s->root, sel, &next, &tmp, err);
  ice_free(sel);
  if (rc != ICE_OK) {
    pq_node_free_tree(&tmp);
    return rc;
  }
  *out = tmp;
  return ICE_OK;
}
