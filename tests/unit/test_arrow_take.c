/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arrow_array_take: selected rows of a struct of (int32 with nulls, string, bool,
 * list<int64>), read at an offset into the parent and the children (sliced inputs),
 * rows repeated and reordered; indexes outside the array are ICE_EINVAL.
 */
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "arrow/arrow_take.h"
#include "arrow/arrow_view.h"
#include "harness/ice_test.h"
#include "util/alloc.h"

static void *copy_of(const void *p, size_t n) {
  void *q = ice_malloc(n);
  memcpy(q, p, n);
  return q;
}

/* The input: 5 rows in the parent (offset 1 into children of 6 rows):
 *   row: 0       1      2        3      4
 *   i:   20      null   40       50     60
 *   s:   "bb"    ""     "dddd"   "e"    "ff"
 *   b:   1       0      1        1      0
 *   l:   [2,3]   []     [4]      null   [5,6,7]            */
static void build(struct ArrowSchema *s, struct ArrowArray *a) {
  struct ice_error err;
  CHECK_OK(arrow_schema_init(s, "+s", "", 0, 4, &err), &err);
  CHECK_OK(arrow_schema_init(s->children[0], "i", "i", 2, 0, &err), &err);
  CHECK_OK(arrow_schema_init(s->children[1], "u", "s", 2, 0, &err), &err);
  CHECK_OK(arrow_schema_init(s->children[2], "b", "b", 2, 0, &err), &err);
  CHECK_OK(arrow_schema_init(s->children[3], "+l", "l", 2, 1, &err), &err);
  CHECK_OK(arrow_schema_init(s->children[3]->children[0], "l", "element", 2, 0, &err),
           &err);
  CHECK_OK(arrow_array_init(a, 1, 4, &err), &err);
  a->length = 5;
  a->offset = 1;
  const int32_t iv[] = {10, 20, 30, 40, 50, 60};
  const uint8_t ivalid[] = {0x3b}; /* row 2 of the child (parent row 1) is null */
  struct ArrowArray *c = a->children[0];
  CHECK_OK(arrow_array_init(c, 2, 0, &err), &err);
  c->length = 6;
  c->null_count = 1;
  arrow_array_set_buffer(c, 0, copy_of(ivalid, 1));
  arrow_array_set_buffer(c, 1, copy_of(iv, sizeof iv));
  const int32_t so[] = {0, 1, 3, 3, 7, 8, 10};
  c = a->children[1];
  CHECK_OK(arrow_array_init(c, 3, 0, &err), &err);
  c->length = 6;
  arrow_array_set_buffer(c, 1, copy_of(so, sizeof so));
  arrow_array_set_buffer(c, 2, copy_of("abbddddeff", 10));
  const uint8_t bv[] = {0x1a}; /* child rows 1, 3, 4 true */
  c = a->children[2];
  CHECK_OK(arrow_array_init(c, 2, 0, &err), &err);
  c->length = 6;
  arrow_array_set_buffer(c, 1, copy_of(bv, 1));
  /* list child offset 1 too: its values [x, 2, 3, 4, 5, 6, 7] */
  const int32_t lo[] = {0, 0, 2, 2, 3, 3, 6};
  const uint8_t lvalid[] = {0x2f}; /* child row 4 (parent row 3) null */
  const int64_t ev[] = {99, 2, 3, 4, 5, 6, 7};
  c = a->children[3];
  CHECK_OK(arrow_array_init(c, 2, 1, &err), &err);
  c->length = 6;
  c->null_count = 1;
  arrow_array_set_buffer(c, 0, copy_of(lvalid, 1));
  arrow_array_set_buffer(c, 1, copy_of(lo, sizeof lo));
  CHECK_OK(arrow_array_init(c->children[0], 2, 0, &err), &err);
  c->children[0]->length = 6;
  c->children[0]->offset = 1;
  arrow_array_set_buffer(c->children[0], 1, copy_of(ev, sizeof ev));
}

static void test_take_nested(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a, out;
  build(&s, &a);
  const int64_t idx[] = {4, 1, 0, 3, 4};
  CHECK_OK(arrow_array_take(&s, &a, idx, 5, &out, &err), &err);
  CHECK_EQ_INT(out.length, 5);
  const struct ArrowArray *i = out.children[0], *str = out.children[1],
                          *b = out.children[2], *l = out.children[3];
  const int32_t *iv = (const int32_t *)arrow_array_fixed(i, 4);
  CHECK_EQ_INT(i->null_count, 1);
  CHECK(!arrow_array_valid(i, 1));
  CHECK_EQ_INT(iv[0], 60);
  CHECK_EQ_INT(iv[2], 20);
  CHECK_EQ_INT(iv[3], 50);
  const int32_t *so = arrow_array_offsets32(str);
  const char *sd = (const char *)arrow_array_bytes(str);
  CHECK(so[1] - so[0] == 2 && memcmp(sd + so[0], "ff", 2) == 0);
  CHECK_EQ_INT(so[2] - so[1], 0);
  CHECK(so[3] - so[2] == 2 && memcmp(sd + so[2], "bb", 2) == 0);
  CHECK(so[4] - so[3] == 1 && sd[so[3]] == 'e');
  CHECK(arrow_array_bool(b, 2) && arrow_array_bool(b, 3) && !arrow_array_bool(b, 0) &&
        !arrow_array_bool(b, 1) && !arrow_array_bool(b, 4));
  const int32_t *lo = arrow_array_offsets32(l);
  const int64_t *ev = (const int64_t *)arrow_array_fixed(l->children[0], 8);
  CHECK_EQ_INT(l->null_count, 1);
  CHECK(!arrow_array_valid(l, 3));
  CHECK_EQ_INT(lo[1] - lo[0], 3); /* [5,6,7] */
  CHECK_EQ_INT(ev[lo[0]], 5);
  CHECK_EQ_INT(ev[lo[0] + 2], 7);
  CHECK_EQ_INT(lo[2] - lo[1], 0);
  CHECK_EQ_INT(lo[3] - lo[2], 2); /* [2,3] */
  CHECK_EQ_INT(ev[lo[2]], 2);
  CHECK_EQ_INT(lo[5] - lo[4], 3);
  CHECK_EQ_INT(l->children[0]->length, 8);
  out.release(&out);
  const int64_t bad[] = {5};
  CHECK_EQ_INT(arrow_array_take(&s, &a, bad, 1, &out, &err), ICE_EINVAL);
  a.release(&a);
  s.release(&s);
}

int main(void) {
  ICE_RUN(test_take_nested);
  ICE_TEST_EXIT();
}
