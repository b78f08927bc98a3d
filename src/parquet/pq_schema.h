/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Parquet schema as the reader sees it: a tree rebuilt from the flattened
 * FileMetaData.schema, with the legacy nesting rules applied (spec
 * LogicalTypes.md "Nested Types" backward-compatibility rules) and every node mapped
 * to an Arrow type as docs/internals/ARROW.md specifies. Each node carries the
 * definition/repetition thresholds record assembly needs.
 */
#ifndef ICE_PARQUET_PQ_SCHEMA_H
#define ICE_PARQUET_PQ_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ice/ice_arrow.h"
#include "parquet/pq_meta.h"
#include "util/error.h"

enum pq_node_kind {
  PQ_NODE_LEAF,   /* a Parquet primitive column */
  PQ_NODE_STRUCT, /* +s */
  PQ_NODE_LIST,   /* +l; one child: the element */
  PQ_NODE_MAP,    /* +m; one child: the non-null "entries" struct (key[, value]) */
  PQ_NODE_NULL    /* n without a column: the value of a map that has none */
};

/* How a leaf's Parquet values become Arrow values. */
enum pq_value_conv {
  PQ_CONV_NONE,       /* 'n': levels only, values are ignored */
  PQ_CONV_BOOL,       /* bit-packed booleans */
  PQ_CONV_FIXED,      /* fixed-width copy: physical width == Arrow width */
  PQ_CONV_I32_TO_I8,  /* INT(8) stored in INT32 */
  PQ_CONV_I32_TO_I16, /* INT(16) stored in INT32 */
  PQ_CONV_DEC_I32,    /* DECIMAL on INT32 -> 16/32-byte little-endian */
  PQ_CONV_DEC_I64,    /* DECIMAL on INT64 */
  PQ_CONV_DEC_FLBA,   /* DECIMAL on big-endian FIXED_LEN_BYTE_ARRAY */
  PQ_CONV_DEC_BINARY, /* DECIMAL on big-endian BYTE_ARRAY */
  PQ_CONV_BINARY      /* BYTE_ARRAY -> int32 offsets + bytes */
};

struct pq_node {
  enum pq_node_kind kind;
  char *name;         /* Arrow field name (owned) */
  bool nullable;
  int16_t parent_def; /* def >= parent_def: the node has a slot at this level entry
                       * (the enclosing list element exists; 0 outside lists) */
  int16_t def;        /* def >= def: the slot is non-null; for a leaf, its max_def */
  int16_t rep;        /* repeated ancestors above the node (list nesting depth) */
  int32_t element;    /* index into FileMetaData.schema; -1 for synthetic nodes */
  bool has_field_id;
  int32_t field_id;
  struct pq_node *children; /* owned array */
  size_t n_children;
  int32_t first_leaf; /* column index of the first leaf below (or itself); -1 if none */
  int32_t n_leaves;
  /* leaves only */
  int32_t column;      /* leaf column index (ColumnChunk position in each row group) */
  enum pq_type physical;
  int32_t type_length; /* FLBA width */
  enum pq_value_conv conv;
  int32_t phys_width;  /* bytes per decoded physical value (0: bits or variable) */
  int32_t out_width;   /* bytes per Arrow value (0: bits or variable) */
  char format[32];     /* Arrow format string */
  const char *extension; /* ARROW:extension:name or NULL (static string) */
  char *path;          /* dotted path of Parquet names (owned), for messages */
};

/* A whole file schema. leaves[i] is the node of column i. */
struct pq_schema {
  struct pq_node root; /* kind STRUCT, not nullable */
  struct pq_node **leaves;
  size_t n_leaves;
};

/* Builds the tree. Errors: ICE_ECORRUPT (bad counts, a group without children where
 * one is required, missing types, FLBA without a width, nesting beyond
 * ICE_LIMIT_NESTING), ICE_ELIMIT (more than ICE_LIMIT_COLUMNS leaves). Leaves whose
 * ColumnChunk and schema disagree are checked later by the reader. */
int pq_schema_build(const struct pq_file_meta *meta, struct pq_schema *out,
                    struct ice_error *err) ICE_NODISCARD;
void pq_schema_reset(struct pq_schema *s);

/* Projection: a copy of the tree keeping only what `paths` select ("a", "a.b"; a
 * struct, list or map selects everything below it; list/map wrapper names may be
 * skipped: "l.x" reaches field x of l's struct elements). Order stays the file's.
 * n == 0 or paths == NULL keeps everything. `out` (a struct root) is freed with
 * pq_node_free_tree. ICE_ENOTFOUND names the first path that matches nothing. */
int pq_schema_project(const struct pq_schema *s, const char *const *paths, size_t n,
                      struct pq_node *out, struct ice_error *err) ICE_NODISCARD;
void pq_node_free_tree(struct pq_node *n);

/* Arrow schema for a node (recursively), with PARQUET:field_id and extension
 * metadata. The root gives the top-level "+s". */
int pq_node_to_arrow(const struct pq_node *n, struct ArrowSchema *out,
                     struct ice_error *err) ICE_NODISCARD;

#endif
