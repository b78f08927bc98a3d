/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema-tree tests on hand-built FileMetaData schemas: the LIST/MAP
 * backward-compatibility rules (2-level lists, "array" and "<name>_tuple" element
 * groups, MAP_KEY_VALUE outside MAP, bare repeated fields), def/rep thresholds, type
 * mapping, projection, and rejection of malformed flattened schemas.
 */
#include <string.h>

#include "arrow/arrow_schema.h"
#include "harness/ice_test.h"
#include "parquet/pq_schema.h"

#define MAXEL 80

struct sch {
  struct pq_file_meta meta;
  struct pq_schema_element el[MAXEL];
};

static struct pq_schema_element *add(struct sch *s, const char *name, int rep, int children) {
  struct pq_schema_element *e = &s->el[s->meta.n_schema++];
  memset(e, 0, sizeof *e);
  e->name = name;
  if (rep >= 0) {
    e->has_repetition = true;
    e->repetition = (enum pq_repetition)rep;
  }
  if (children >= 0) {
    e->has_num_children = true;
    e->num_children = children;
  }
  return e;
}

static struct pq_schema_element *leaf(struct sch *s, const char *name, int rep,
                                      enum pq_type t) {
  struct pq_schema_element *e = add(s, name, rep, -1);
  e->has_type = true;
  e->type = t;
  return e;
}

static void init(struct sch *s, int root_children) {
  memset(s, 0, sizeof *s);
  s->meta.schema = s->el;
  add(s, "schema", -1, root_children);
}

enum { REQ = PQ_REPETITION_REQUIRED, OPT = PQ_REPETITION_OPTIONAL, REP = PQ_REPETITION_REPEATED };

static void list_annot(struct pq_schema_element *e) {
  e->has_converted_type = true;
  e->converted_type = PQ_CONVERTED_LIST;
}

/* Renders the Arrow schema as "name:format(children)". */
static void render(const struct ArrowSchema *s, char *out, size_t cap) {
  size_t len = strlen(out);
  snprintf(out + len, cap - len, "%s:%s%s", s->name, s->format,
           (s->flags & ARROW_FLAG_NULLABLE) ? "?" : "");
  if (s->n_children > 0) {
    len = strlen(out);
    snprintf(out + len, cap - len, "(");
    for (int64_t i = 0; i < s->n_children; i++) {
      if (i) strncat(out, ",", cap - strlen(out) - 1);
      render(s->children[i], out, cap);
    }
    strncat(out, ")", cap - strlen(out) - 1);
  }
}

static void check_arrow(struct sch *s, const char *want) {
  struct ice_error err;
  struct pq_schema ps;
  CHECK_OK(pq_schema_build(&s->meta, &ps, &err), &err);
  struct ArrowSchema as;
  CHECK_OK(pq_node_to_arrow(&ps.root, &as, &err), &err);
  char buf[1024] = "";
  render(&as, buf, sizeof buf);
  CHECK_EQ_STR(buf, want);
  as.release(&as);
  pq_schema_reset(&ps);
}

static void test_two_level_and_named_element_groups(void) {
  struct sch s;
  /* optional group a (LIST) { repeated group array { required int32 x; } } */
  init(&s, 3);
  list_annot(add(&s, "a", OPT, 1));
  add(&s, "array", REP, 1);
  leaf(&s, "x", REQ, PQ_TYPE_INT32);
  /* optional group b (LIST) { repeated group b_tuple { required int64 y; } } */
  list_annot(add(&s, "b", OPT, 1));
  add(&s, "b_tuple", REP, 1);
  leaf(&s, "y", REQ, PQ_TYPE_INT64);
  /* optional group c (LIST) { repeated group list { optional int32 element; } } */
  list_annot(add(&s, "c", OPT, 1));
  add(&s, "list", REP, 1);
  leaf(&s, "element", OPT, PQ_TYPE_INT32);
  check_arrow(&s, ":+s(a:+l?(element:+s(x:i)),b:+l?(element:+s(y:l)),"
                  "c:+l?(element:i?))");

  struct ice_error err;
  struct pq_schema ps;
  CHECK_OK(pq_schema_build(&s.meta, &ps, &err), &err);
  CHECK_EQ_INT(ps.n_leaves, 3);
  /* c.list.element: optional list (1) + repeated (2) + optional element (3) */
  CHECK_EQ_INT(ps.leaves[2]->def, 3);
  CHECK_EQ_INT(ps.leaves[2]->parent_def, 2);
  CHECK_EQ_INT(ps.leaves[2]->rep, 1);
  CHECK_EQ_STR(ps.leaves[2]->path, "c.list.element");
  /* a.array.x: optional list (1) + repeated (2), x required */
  CHECK_EQ_INT(ps.leaves[0]->def, 2);
  CHECK_EQ_INT(ps.leaves[0]->rep, 1);
  pq_schema_reset(&ps);
}

static void test_bare_repeated_and_map_key_value(void) {
  struct sch s;
  init(&s, 3);
  /* repeated int32 r;  (list of required int32) */
  leaf(&s, "r", REP, PQ_TYPE_INT32)->has_field_id = true;
  /* required group m (MAP_KEY_VALUE) { repeated group map { required binary key (UTF8);
   *   optional int32 value; } } */
  struct pq_schema_element *m = add(&s, "m", REQ, 1);
  m->has_converted_type = true;
  m->converted_type = PQ_CONVERTED_MAP_KEY_VALUE;
  add(&s, "map", REP, 2);
  struct pq_schema_element *k = leaf(&s, "key", REQ, PQ_TYPE_BYTE_ARRAY);
  k->has_converted_type = true;
  k->converted_type = PQ_CONVERTED_UTF8;
  leaf(&s, "value", OPT, PQ_TYPE_INT32);
  /* optional group g { repeated group pair { required int32 p; } } -> struct of list */
  add(&s, "g", OPT, 1);
  add(&s, "pair", REP, 1);
  leaf(&s, "p", REQ, PQ_TYPE_INT32);
  check_arrow(&s, ":+s(r:+l(element:i),m:+m(entries:+s(key:u,value:i?)),"
                  "g:+s?(pair:+l(element:+s(p:i))))");
  struct ice_error err;
  struct pq_schema ps;
  CHECK_OK(pq_schema_build(&s.meta, &ps, &err), &err);
  CHECK_EQ_INT(ps.leaves[0]->def, 1);
  CHECK_EQ_INT(ps.leaves[0]->rep, 1);
  CHECK(!ps.leaves[0]->has_field_id); /* the id stays on the list */
  CHECK(ps.root.children[0].has_field_id);
  CHECK_EQ_INT(ps.leaves[3]->def, 2); /* g optional + pair repeated */
  CHECK_EQ_INT(ps.leaves[3]->parent_def, 2);
  /* projection into the map selects the whole map */
  struct pq_node proj;
  const char *paths[] = {"m.key"};
  CHECK_OK(pq_schema_project(&ps, paths, 1, &proj, &err), &err);
  CHECK_EQ_INT(proj.n_leaves, 2);
  CHECK_EQ_INT(proj.n_children, 1);
  pq_node_free_tree(&proj);
  const char *through[] = {"g.pair.p"}; /* "element" may be left out */
  CHECK_OK(pq_schema_project(&ps, through, 1, &proj, &err), &err);
  CHECK_EQ_INT(proj.n_leaves, 1);
  CHECK_EQ_INT(proj.children[0].first_leaf, 0);
  CHECK_EQ_INT(proj.children[0].children[0].children[0].children[0].column, 3);
  pq_node_free_tree(&proj);
  const char *bad[] = {"g.nope"};
  CHECK_EQ_INT(pq_schema_project(&ps, bad, 1, &proj, &err), ICE_ENOTFOUND);
  pq_schema_reset(&ps);
}

static void test_leaf_type_mapping(void) {
  struct sch s;
  init(&s, 7);
  struct pq_schema_element *e = leaf(&s, "d", OPT, PQ_TYPE_FIXED_LEN_BYTE_ARRAY);
  e->has_type_length = true;
  e->type_length = 20;
  e->has_logical_type = true;
  e->logical_type.kind = PQ_LOGICAL_DECIMAL;
  e->logical_type.decimal_precision = 45;
  e->logical_type.decimal_scale = 3;
  e = leaf(&s, "t", REQ, PQ_TYPE_INT64);
  e->has_converted_type = true;
  e->converted_type = PQ_CONVERTED_TIMESTAMP_MILLIS;
  e = leaf(&s, "u8", REQ, PQ_TYPE_INT32);
  e->has_logical_type = true;
  e->logical_type.kind = PQ_LOGICAL_INTEGER;
  e->logical_type.int_bit_width = 8;
  e->logical_type.int_is_signed = false;
  e = leaf(&s, "f", REQ, PQ_TYPE_BYTE_ARRAY);
  e->has_logical_type = true;
  e->logical_type.kind = PQ_LOGICAL_FUTURE; /* unknown: physical type */
  e->has_converted_type = true;
  e->converted_type = PQ_CONVERTED_UTF8;
  e = leaf(&s, "j", REQ, PQ_TYPE_BYTE_ARRAY);
  e->has_logical_type = true;
  e->logical_type.kind = PQ_LOGICAL_JSON;
  e = leaf(&s, "bad_date", REQ, PQ_TYPE_INT64); /* DATE on INT64: physical */
  e->has_converted_type = true;
  e->converted_type = PQ_CONVERTED_DATE;
  e = leaf(&s, "n", OPT, PQ_TYPE_INT32);
  e->has_logical_type = true;
  e->logical_type.kind = PQ_LOGICAL_UNKNOWN;
  check_arrow(&s, ":+s(d:d:45,3,256?,t:tsm:UTC,u8:C,f:u,j:u,bad_date:l,n:n?)");
}

static void test_malformed_schemas(void) {
  struct ice_error err;
  struct pq_schema ps;
  struct sch s;
  /* root claims 2 children, only 1 present */
  init(&s, 2);
  leaf(&s, "a", REQ, PQ_TYPE_INT32);
  CHECK_EQ_INT(pq_schema_build(&s.meta, &ps, &err), ICE_ECORRUPT);
  /* elements left over after the root's tree */
  init(&s, 1);
  leaf(&s, "a", REQ, PQ_TYPE_INT32);
  leaf(&s, "b", REQ, PQ_TYPE_INT32);
  CHECK_EQ_INT(pq_schema_build(&s.meta, &ps, &err), ICE_ECORRUPT);
  /* FLBA without a width */
  init(&s, 1);
  leaf(&s, "a", REQ, PQ_TYPE_FIXED_LEN_BYTE_ARRAY);
  CHECK_EQ_INT(pq_schema_build(&s.meta, &ps, &err), ICE_ECORRUPT);
  /* LIST whose child is not repeated */
  init(&s, 1);
  list_annot(add(&s, "l", OPT, 1));
  leaf(&s, "x", OPT, PQ_TYPE_INT32);
  CHECK_EQ_INT(pq_schema_build(&s.meta, &ps, &err), ICE_ECORRUPT);
  /* a leaf with no type */
  init(&s, 1);
  add(&s, "a", REQ, -1);
  CHECK_EQ_INT(pq_schema_build(&s.meta, &ps, &err), ICE_ECORRUPT);
  /* 14 nested optional groups are fine (def level 15) */
  init(&s, 1);
  for (int i = 0; i < 14; i++) add(&s, "g", OPT, 1);
  leaf(&s, "x", OPT, PQ_TYPE_INT32);
  CHECK_OK(pq_schema_build(&s.meta, &ps, &err), &err);
  CHECK_EQ_INT(ps.leaves[0]->def, 15);
  pq_schema_reset(&ps);
  /* nesting beyond ICE_LIMIT_NESTING (64) is refused, not recursed into */
  init(&s, 1);
  for (int i = 0; i < MAXEL - 3; i++) add(&s, "g", OPT, 1);
  leaf(&s, "x", OPT, PQ_TYPE_INT32);
  CHECK_EQ_INT(pq_schema_build(&s.meta, &ps, &err), ICE_ECORRUPT);
}

int main(void) {
  ICE_RUN(test_two_level_and_named_element_groups);
  ICE_RUN(test_bare_repeated_and_map_key_value);
  ICE_RUN(test_leaf_type_mapping);
  ICE_RUN(test_malformed_schemas);
  ICE_TEST_EXIT();
}
