/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rebuilds the schema tree from FileMetaData.schema (depth-first, num_children on
 * groups), applies the LIST/MAP backward-compatibility rules (reference/parquet.md
 * 11.2) and computes the definition/repetition thresholds of every node (section 6).
 * Leaf type mapping lives in pq_schema_types.c, projection in pq_schema_project.c.
 */
#include "parquet/pq_schema.h"

#include <stdio.h>
#include <string.h>

#include "parquet/pq_schema_internal.h"
#include "util/alloc.h"
#include "util/limits.h"

struct build_ctx {
  const struct pq_file_meta *meta;
  int32_t *size;  /* elements in each element's subtree (itself included) */
  char **path;    /* dotted Parquet path of each element (root: "") */
  int32_t n_leaves;
};

/* Computes subtree sizes from `pos`, validating counts and depth. */
static int measure(struct build_ctx *c, int32_t pos, const char *parent_path, int depth,
                   struct ice_error *err) {
  const struct pq_schema_element *e = &c->meta->schema[pos];
  if (depth > ICE_LIMIT_NESTING) {
    ICE_FAIL(err, ICE_ECORRUPT, "schema nests deeper than %d levels", ICE_LIMIT_NESTING);
  }
  if (e->name == NULL) ICE_FAIL(err, ICE_ECORRUPT, "schema element %d has no name", pos);
  if (pos == 0) {
    c->path[pos] = ice_strdup("");
  } else {
    size_t pl = strlen(parent_path), nl = strlen(e->name);
    c->path[pos] = ice_malloc(pl + nl + 2);
    if (c->path[pos] != NULL) {
      memcpy(c->path[pos], parent_path, pl);
      c->path[pos][pl] = '.';
      memcpy(c->path[pos] + (pl ? pl + 1 : 0), e->name, nl + 1);
    }
  }
  if (c->path[pos] == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  int32_t size = 1;
  if (e->has_num_children && (pos == 0 || e->num_children > 0 || !e->has_type)) {
    if (e->num_children < 0) ICE_FAIL(err, ICE_ECORRUPT, "negative num_children");
    for (int32_t k = 0; k < e->num_children; k++) {
      int32_t child = pos + size;
      if ((size_t)child >= c->meta->n_schema) {
        ICE_FAIL(err, ICE_ECORRUPT,
                 "schema element '%s' declares %d children but the schema ends",
                 e->name ? e->name : "", e->num_children);
      }
      ICE_TRY(measure(c, child, c->path[pos], depth + 1, err));
      size += c->size[child];
    }
  } else {
    if (!e->has_type) {
      ICE_FAIL(err, ICE_ECORRUPT, "schema element '%s' has neither type nor children",
               e->name ? e->name : "");
    }
    if (++c->n_leaves > ICE_LIMIT_COLUMNS) {
      ICE_FAIL(err, ICE_ELIMIT, "more than %d leaf columns", ICE_LIMIT_COLUMNS);
    }
  }
  c->size[pos] = size;
  return ICE_OK;
}

static bool is_group(const struct build_ctx *c, int32_t el) {
  return c->size[el] > 1 || (c->meta->schema[el].has_num_children &&
                             !c->meta->schema[el].has_type);
}

static int32_t child_at(const struct build_ctx *c, int32_t el, int32_t k) {
  int32_t pos = el + 1;
  for (int32_t i = 0; i < k; i++) pos += c->size[pos];
  return pos;
}

static int32_t n_children_of(const struct build_ctx *c, int32_t el) {
  return is_group(c, el) ? c->meta->schema[el].num_children : 0;
}

static bool annotated(const struct pq_schema_element *e, enum pq_logical_kind lk,
                      enum pq_converted_type ct) {
  if (e->has_logical_type && e->logical_type.kind == lk) return true;
  return e->has_converted_type && e->converted_type == ct;
}

static int set_name(struct pq_node *n, const char *name, const char *path,
                    struct ice_error *err) {
  n->name = ice_strdup(name ? name : "");
  n->path = ice_strdup(path ? path : "");
  if (n->name == NULL || n->path == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  return ICE_OK;
}

static int alloc_children(struct pq_node *n, size_t count, struct ice_error *err) {
  if (count == 0) return ICE_OK;
  n->children = ice_calloc(count, sizeof *n->children);
  if (n->children == NULL) ICE_FAIL(err, ICE_ENOMEM, "out of memory");
  n->n_children = count;
  return ICE_OK;
}

/* Where a node sits: def/rep reached by its parent, and its nesting depth. */
struct place {
  int16_t slot_def; /* def at which the node has a slot (its list element exists) */
  int16_t base_def; /* def at which the parent is non-null */
  int16_t rep;
  int depth;
};

static int convert(struct build_ctx *c, int32_t el, struct place at, bool force_required,
                   const char *name, struct pq_node *out, struct ice_error *err);

/* Fills the common fields; nullable per repetition unless forced required. */
static int init_node(struct build_ctx *c, int32_t el, struct place at, bool nullable,
                     const char *name, struct pq_node *out, struct ice_error *err) {
  const struct pq_schema_element *e = &c->meta->schema[el];
  out->element = el;
  out->nullable = nullable;
  out->parent_def = at.slot_def;
  out->def = (int16_t)(at.base_def + (nullable ? 1 : 0));
  out->rep = at.rep;
  out->has_field_id = e->has_field_id;
  out->field_id = e->field_id;
  out->column = -1;
  out->first_leaf = -1;
  return set_name(out, name ? name : e->name, c->path[el], err);
}

/* Element of a LIST-annotated group `el` (whose only child is repeated `r`). Applies
 * the backward-compatibility rules to decide whether r itself is the element. */
static int convert_list(struct build_ctx *c, int32_t el, struct place at,
                        bool force_required, const char *name, struct pq_node *out,
                        struct ice_error *err) {
  const struct pq_schema_element *e = &c->meta->schema[el];
  bool nullable = !force_required && e->has_repetition &&
                  e->repetition == PQ_REPETITION_OPTIONAL;
  ICE_TRY(init_node(c, el, at, nullable, name, out, err));
  out->kind = PQ_NODE_LIST;
  int32_t r = el + 1;
  if (n_children_of(c, el) != 1 || !c->meta->schema[r].has_repetition ||
      c->meta->schema[r].repetition != PQ_REPETITION_REPEATED) {
    ICE_FAIL(err, ICE_ECORRUPT, "LIST group '%s' must have exactly one repeated child",
             e->name);
  }
  const struct pq_schema_element *re = &c->meta->schema[r];
  ICE_TRY(alloc_children(out, 1, err));
  struct place inner = {(int16_t)(out->def + 1), (int16_t)(out->def + 1),
                        (int16_t)(at.rep + 1), at.depth + 1};
  bool r_is_element;
  if (!is_group(c, r)) {
    r_is_element = true; /* 2-level list of primitives */
  } else if (n_children_of(c, r) != 1) {
    r_is_element = true; /* list of multi-field structs */
  } else {
    int32_t only = r + 1;
    const struct pq_schema_element *oe = &c->meta->schema[only];
    char tuple[512];
    snprintf(tuple, sizeof tuple, "%s_tuple", e->name);
    r_is_element = (oe->has_repetition && oe->repetition == PQ_REPETITION_REPEATED) ||
                   strcmp(re->name, "array") == 0 || strcmp(re->name, tuple) == 0;
  }
  if (r_is_element) {
    return convert(c, r, inner, true, "element", &out->children[0], err);
  }
  /* Standard 3-level: the repeated group is only a wrapper. */
  return convert(c, r + 1, inner, false, "element", &out->children[0], err);
}

static int convert_map(struct build_ctx *c, int32_t el, struct place at,
                       bool force_required, const char *name, struct pq_node *out,
                       struct ice_error *err) {
  const struct pq_schema_element *e = &c->meta->schema[el];
  bool nullable = !force_required && e->has_repetition &&
                  e->repetition == PQ_REPETITION_OPTIONAL;
  ICE_TRY(init_node(c, el, at, nullable, name, out, err));
  out->kind = PQ_NODE_MAP;
  int32_t kv = el + 1;
  if (n_children_of(c, el) != 1 || !is_group(c, kv) ||
      !c->meta->schema[kv].has_repetition ||
      c->meta->schema[kv].repetition != PQ_REPETITION_REPEATED || n_children_of(c, kv) < 1 ||
      n_children_of(c, kv) > 2) {
    ICE_FAIL(err, ICE_ECORRUPT,
             "MAP group '%s' must have one repeated group child with key[, value]",
             e->name);
  }
  ICE_TRY(alloc_children(out, 1, err));
  struct pq_node *entries = &out->children[0];
  struct place inner = {(int16_t)(out->def + 1), (int16_t)(out->def + 1),
                        (int16_t)(at.rep + 1), at.depth + 1};
  ICE_TRY(init_node(c, kv, inner, false, "entries", entries, err));
  entries->kind = PQ_NODE_STRUCT;
  entries->has_field_id = false;
  ICE_TRY(alloc_children(entries, 2, err));
  struct place kvat = {entries->parent_def, entries->def, inner.rep, at.depth + 2};
  ICE_TRY(convert(c, kv + 1, kvat, false, "key", &entries->children[0], err));
  if (n_children_of(c, kv) == 2) {
    return convert(c, child_at(c, kv, 1), kvat, false, "value", &entries->children[1],
                   err);
  }
  /* map_no_value.parquet: a map without values reads as map<key, null>. */
  struct pq_node *v = &entries->children[1];
  v->kind = PQ_NODE_NULL;
  v->nullable = true;
  v->parent_def = entries->parent_def;
  v->def = entries->def;
  v->rep = inner.rep;
  v->element = -1;
  v->column = -1;
  v->first_leaf = -1;
  snprintf(v->format, sizeof v->format, "n");
  return set_name(v, "value", entries->path, err);
}

static int convert_struct(struct build_ctx *c, int32_t el, struct place at, bool nullable,
                          const char *name, struct pq_node *out, struct ice_error *err) {
  ICE_TRY(init_node(c, el, at, nullable, name, out, err));
  out->kind = PQ_NODE_STRUCT;
  int32_t nc = n_children_of(c, el);
  ICE_TRY(alloc_children(out, (size_t)nc, err));
  struct place inner = {at.slot_def, out->def, at.rep, at.depth + 1};
  int32_t pos = el + 1;
  for (int32_t k = 0; k < nc; k++) {
    ICE_TRY(convert(c, pos, inner, false, NULL, &out->children[k], err));
    pos += c->size[pos];
  }
  return ICE_OK;
}

static int convert(struct build_ctx *c, int32_t el, struct place at, bool force_required,
                   const char *name, struct pq_node *out, struct ice_error *err) {
  const struct pq_schema_element *e = &c->meta->schema[el];
  if (at.depth > ICE_LIMIT_NESTING) {
    ICE_FAIL(err, ICE_ECORRUPT, "schema nests deeper than %d levels", ICE_LIMIT_NESTING);
  }
  enum pq_repetition rt = e->has_repetition ? e->repetition : PQ_REPETITION_REQUIRED;
  if (rt == PQ_REPETITION_REPEATED && !force_required) {
    /* A bare repeated field (rule 1): a required list of required elements. */
    ICE_TRY(init_node(c, el, at, false, name, out, err));
    out->kind = PQ_NODE_LIST;
    ICE_TRY(alloc_children(out, 1, err));
    struct place inner = {(int16_t)(at.base_def + 1), (int16_t)(at.base_def + 1),
                          (int16_t)(at.rep + 1), at.depth + 1};
    /* The element is the same Parquet node; its field id stays on the list. */
    ICE_TRY(convert(c, el, inner, true, "element", &out->children[0], err));
    out->children[0].has_field_id = false;
    return ICE_OK;
  }
  bool nullable = !force_required && rt == PQ_REPETITION_OPTIONAL;
  if (!is_group(c, el)) {
    ICE_TRY(init_node(c, el, at, nullable, name, out, err));
    out->kind = PQ_NODE_LEAF;
    return pq_schema_map_leaf(e, out, err);
  }
  if (annotated(e, PQ_LOGICAL_LIST, PQ_CONVERTED_LIST)) {
    return convert_list(c, el, at, force_required, name, out, err);
  }
  if (annotated(e, PQ_LOGICAL_MAP, PQ_CONVERTED_MAP) ||
      (e->has_converted_type && e->converted_type == PQ_CONVERTED_MAP_KEY_VALUE)) {
    return convert_map(c, el, at, force_required, name, out, err);
  }
  return convert_struct(c, el, at, nullable, name, out, err);
}

/* Numbers leaves in depth-first order and records leaf ranges per node. */
static void number_leaves(struct pq_node *n, struct pq_node **leaves, int32_t *next) {
  n->first_leaf = -1;
  n->n_leaves = 0;
  if (n->kind == PQ_NODE_LEAF) {
    n->column = *next;
    n->first_leaf = *next;
    n->n_leaves = 1;
    leaves[(*next)++] = n;
    return;
  }
  for (size_t i = 0; i < n->n_children; i++) {
    number_leaves(&n->children[i], leaves, next);
    if (n->first_leaf < 0) n->first_leaf = n->children[i].first_leaf;
    n->n_leaves += n->children[i].n_leaves;
  }
}

void pq_node_free_tree(struct pq_node *n) {
  if (n == NULL) return;
  for (size_t i = 0; i < n->n_children; i++) pq_node_free_tree(&n->children[i]);
  ice_free(n->children);
  ice_free(n->name);
  ice_free(n->path);
  memset(n, 0, sizeof *n);
}

void pq_schema_reset(struct pq_schema *s) {
  if (s == NULL) return;
  pq_node_free_tree(&s->root);
  ice_free(s->leaves);
  s->leaves = NULL;
  s->n_leaves = 0;
}

int pq_schema_build(const struct pq_file_meta *meta, struct pq_schema *out,
                    struct ice_error *err) {
  struct pq_schema s;
  memset(&s, 0, sizeof s);
  if (meta->n_schema == 0 || meta->schema == NULL) {
    ICE_FAIL(err, ICE_ECORRUPT, "schema: empty");
  }
  if (meta->n_schema > (size_t)INT32_MAX / 2) ICE_FAIL(err, ICE_ELIMIT, "schema: too large");
  const struct pq_schema_element *root = &meta->schema[0];
  if (!root->has_num_children || root->has_type) {
    ICE_FAIL(err, ICE_ECORRUPT, "schema: the root element is not a group");
  }
  struct build_ctx c = {meta, NULL, NULL, 0};
  c.size = ice_calloc(meta->n_schema, sizeof *c.size);
  if (c.size == NULL) ICE_FAIL(err, ICE_ENOMEM, "schema: out of memory");
  c.path = ice_calloc(meta->n_schema, sizeof *c.path);
  int rc = c.path != NULL ? measure(&c, 0, "", 0, err)
                          : ice_error_set(err, ICE_ENOMEM, "schema: out of memory");
  if (rc == ICE_OK && (size_t)c.size[0] != meta->n_schema) {
    rc = ice_error_set(err, ICE_ECORRUPT,
                       "schema: %zu elements but the root's tree covers %d",
                       meta->n_schema, c.size[0]);
  }
  if (rc == ICE_OK) {
    struct place at = {0, 0, 0, 0};
    rc = convert_struct(&c, 0, at, false, "", &s.root, err);
  }
  if (rc == ICE_OK) {
    s.n_leaves = (size_t)c.n_leaves;
    s.leaves = ice_calloc(s.n_leaves ? s.n_leaves : 1, sizeof *s.leaves);
    if (s.leaves == NULL) rc = ice_error_set(err, ICE_ENOMEM, "schema: out of memory");
  }
  if (rc == ICE_OK) {
    int32_t next = 0;
    number_leaves(&s.root, s.leaves, &next);
    if ((size_t)next != s.n_leaves) {
      rc = ice_error_set(err, ICE_EINTERNAL, "schema: leaf count mismatch");
    }
  }
  for (size_t i = 0; c.path != NULL && i < meta->n_schema; i++) ice_free(c.path[i]);
  ice_free(c.path);
  ice_free(c.size);
  if (rc != ICE_OK) {
    pq_schema_reset(&s);
    return ice_error_prefix(err, "schema");
  }
  *out = s;
  return ICE_OK;
}
