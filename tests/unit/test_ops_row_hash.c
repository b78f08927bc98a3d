/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_row_hash_batch: equal rows fingerprint alike whatever the batch layout (offsets at
 * every depth, garbage under nulls, rows copied out by arrow_array_take, other
 * chunking); every "must differ" case differs (null vs 0 / "" / [], null struct vs
 * struct of nulls, list and string boundaries, map entry order, one decimal unit, one
 * timestamp tick, nulls at every depth); NaN equals the same NaN; unsupported types and
 * malformed arrays are errors naming the column.
 */
#include <math.h>
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "arrow/arrow_take.h"
#include "arrow/arrow_type.h"
#include "harness/ice_test.h"
#include "ops/op_row_hash.h"
#include "test_arrow_builders.h"
#include "util/alloc.h"

static void hash_rows(const struct ArrowSchema *s, const struct ArrowArray *a,
                      struct op_row_hash *h) {
  struct ice_error err;
  CHECK_OK(op_row_hash_batch(s, a, h, &err), &err);
}

static void release_both(struct ArrowSchema *s, struct ArrowArray *a) {
  a->release(a);
  s->release(s);
}

#define SAME(h, i, j) op_row_hash_equal((h)[i], (h)[j])

/* ---- must-differ and must-equal cases, two or more rows of one batch */

static void test_null_differs_from_zero_empty_and_empty_list(void) {
  struct ArrowSchema s;
  struct ArrowArray a, c;
  struct op_row_hash h[4];
  const int32_t iv[] = {0, 0, 0};
  prim(&c, iv, 4, 3, "010");
  one_col(&s, &a, "i", 3, &c);
  hash_rows(&s, &a, h);
  CHECK(!SAME(h, 0, 1));
  CHECK(SAME(h, 0, 2));
  release_both(&s, &a);

  const char *sv[] = {NULL, "", NULL};
  strs(&c, sv, 3, 0);
  one_col(&s, &a, "u", 3, &c);
  hash_rows(&s, &a, h);
  CHECK(!SAME(h, 0, 1));
  CHECK(SAME(h, 0, 2));
  release_both(&s, &a);

  /* [null, [], [0]] of int32 */
  struct ArrowArray e;
  prim(&e, iv, 4, 1, NULL);
  const int32_t lo[] = {0, 0, 0, 1};
  list(&c, lo, 3, "011", &e);
  sch(&s, "+s", "", 1);
  sch(s.children[0], "+l", "l", 1);
  sch(s.children[0]->children[0], "i", "element", 0);
  shell(&a, 3, NULL, 1);
  arrow_array_move(&c, a.children[0]);
  hash_rows(&s, &a, h);
  CHECK(!SAME(h, 0, 1));
  CHECK(!SAME(h, 1, 2));
  CHECK(!SAME(h, 0, 2));
  release_both(&s, &a);
}

/* struct{x int32, y string}: null struct, {null, null}, {0, ""}. */
static void test_null_struct_differs_from_struct_of_nulls(void) {
  struct ArrowSchema s;
  struct ArrowArray a, st;
  struct op_row_hash h[3];
  sch(&s, "+s", "", 1);
  sch(s.children[0], "+s", "st", 2);
  sch(s.children[0]->children[0], "i", "x", 0);
  sch(s.children[0]->children[1], "u", "y", 0);
  shell(&st, 3, "011", 2);
  const int32_t xv[] = {0, 0, 0};
  prim(st.children[0], xv, 4, 3, "001");
  const char *yv[] = {NULL, NULL, ""};
  strs(st.children[1], yv, 3, 0);
  shell(&a, 3, NULL, 1);
  arrow_array_move(&st, a.children[0]);
  hash_rows(&s, &a, h);
  CHECK(!SAME(h, 0, 1));
  CHECK(!SAME(h, 1, 2));
  CHECK(!SAME(h, 0, 2));
  release_both(&s, &a);
}

/* Two list columns: ([1,2],[3]) vs ([1],[2,3]); two string columns: ("ab","c") vs
 * ("a","bc"); and a row repeated to show equal rows stay equal. */
static void test_boundaries_count(void) {
  struct ArrowSchema s;
  struct ArrowArray a;
  struct op_row_hash h[3];
  sch(&s, "+s", "", 4);
  sch(s.children[0], "+l", "l1", 1);
  sch(s.children[0]->children[0], "l", "element", 0);
  sch(s.children[1], "+l", "l2", 1);
  sch(s.children[1]->children[0], "l", "element", 0);
  sch(s.children[2], "u", "s1", 0);
  sch(s.children[3], "u", "s2", 0);
  shell(&a, 3, NULL, 4);
  struct ArrowArray e1, e2;
  const int64_t v1[] = {1, 2, 1, 1, 2}, v2[] = {3, 2, 3, 3};
  prim(&e1, v1, 8, 5, NULL);
  prim(&e2, v2, 8, 4, NULL);
  const int32_t o1[] = {0, 2, 3, 5}, o2[] = {0, 1, 3, 4};
  list(a.children[0], o1, 3, NULL, &e1);
  list(a.children[1], o2, 3, NULL, &e2);
  const char *s1[] = {"ab", "ab", "ab"}, *s2[] = {"c", "c", "c"};
  strs(a.children[2], s1, 3, 0);
  strs(a.children[3], s2, 3, 0);
  hash_rows(&s, &a, h);
  CHECK(!SAME(h, 0, 1)); /* list boundary moved */
  CHECK(SAME(h, 0, 2));
  release_both(&s, &a);

  sch(&s, "+s", "", 2);
  sch(s.children[0], "u", "s1", 0);
  sch(s.children[1], "u", "s2", 0);
  shell(&a, 3, NULL, 2);
  /* Row 2 vs row 1: the bytes of a string tag inside the values, placed so that only
   * the length prefixes tell "x<tag>y","z" from "x","y<tag>z". */
  char tagged1[] = {'x', (char)(1 + ARROW_TYPE_STRING), 'y', 0};
  char tagged2[] = {'y', (char)(1 + ARROW_TYPE_STRING), 'z', 0};
  const char *t1[] = {"ab", tagged1, "x"}, *t2[] = {"c", "z", tagged2};
  strs(a.children[0], t1, 3, 0);
  strs(a.children[1], t2, 3, 0);
  hash_rows(&s, &a, h);
  CHECK(!SAME(h, 0, 1)); /* string boundary moved */
  CHECK(!SAME(h, 1, 2));
  release_both(&s, &a);
}

static void test_floats_bit_for_bit(void) {
  struct ArrowSchema s;
  struct ArrowArray a, c;
  struct op_row_hash h[5];
  const double dv[] = {NAN, NAN, -0.0, 0.0, 1.5};
  prim(&c, dv, 8, 5, NULL);
  one_col(&s, &a, "g", 5, &c);
  hash_rows(&s, &a, h);
  CHECK(SAME(h, 0, 1));
  CHECK(!SAME(h, 2, 3));
  CHECK(!SAME(h, 0, 4));
  release_both(&s, &a);
}

/* map<string, int32>: {a:1, b:2}, {b:2, a:1}, {a:1, b:2}, {a:1, b:null}. */
static void test_map_entries_in_stored_order(void) {
  struct ArrowSchema s;
  struct ArrowArray a, ent, m;
  struct op_row_hash h[4];
  sch(&s, "+s", "", 1);
  sch(s.children[0], "+m", "m", 1);
  sch(s.children[0]->children[0], "+s", "entries", 2);
  sch(s.children[0]->children[0]->children[0], "u", "key", 0);
  sch(s.children[0]->children[0]->children[1], "i", "value", 0);
  shell(&ent, 8, NULL, 2);
  const char *k[] = {"a", "b", "b", "a", "a", "b", "a", "b"};
  const int32_t v[] = {1, 2, 2, 1, 1, 2, 1, 2};
  strs(ent.children[0], k, 8, 0);
  prim(ent.children[1], v, 4, 8, "11111110");
  const int32_t o[] = {0, 2, 4, 6, 8};
  list(&m, o, 4, NULL, &ent);
  shell(&a, 4, NULL, 1);
  arrow_array_move(&m, a.children[0]);
  hash_rows(&s, &a, h);
  CHECK(!SAME(h, 0, 1));
  CHECK(SAME(h, 0, 2));
  CHECK(!SAME(h, 0, 3));
  release_both(&s, &a);
}

/* decimal(38,2), timestamp us, date, large string, fixed[3], bool, fixed-size
 * list<int16>[2]: each row differs from row 0 in one column by the smallest step; row 5
 * equals row 0. */
static void test_each_type_counts(void) {
  struct ArrowSchema s;
  struct ArrowArray a;
  enum { N = 9 };
  struct op_row_hash h[N];
  sch(&s, "+s", "", 7);
  sch(s.children[0], "d:38,2", "dec", 0);
  sch(s.children[1], "tsu:UTC", "ts", 0);
  sch(s.children[2], "tdD", "day", 0);
  sch(s.children[3], "U", "big", 0);
  sch(s.children[4], "w:3", "fx", 0);
  sch(s.children[5], "b", "flag", 0);
  sch(s.children[6], "+w:2", "pair", 1);
  sch(s.children[6]->children[0], "s", "element", 0);
  shell(&a, N, NULL, 7);
  /* row:          0  1  2  3  4  5  6  7  8 */
  uint8_t dec[N][16];
  memset(dec, 0, sizeof dec);
  for (int i = 0; i < N; i++) dec[i][0] = 100;
  dec[1][0] = 101;
  dec[8][15] = 0x80; /* a different high word only */
  int64_t ts[N];
  for (int i = 0; i < N; i++) ts[i] = INT64_C(1700000000000000);
  ts[2] += 1;
  int32_t day[N];
  for (int i = 0; i < N; i++) day[i] = 19000;
  day[3] = 19001;
  const char *big[N] = {"xyz", "xyz", "xyz", "xyz", "xyZ", "xyz", "xyz", "xyz", "xyz"};
  char fx[N][3];
  for (int i = 0; i < N; i++) memcpy(fx[i], "abc", 3);
  fx[6][2] = 'd';
  uint8_t flag[2] = {0xff, 0xff};
  flag[0] &= (uint8_t) ~(1u << 7); /* row 7 false */
  int16_t pair[2 * N];
  for (int i = 0; i < 2 * N; i++) pair[i] = (int16_t)(i % 2);
  pair[2 * 8 + 1] = 5; /* row 8 also differs here */
  prim(a.children[0], dec, 16, N, NULL);
  prim(a.children[1], ts, 8, N, NULL);
  prim(a.children[2], day, 4, N, NULL);
  strs(a.children[3], big, N, 1);
  prim(a.children[4], fx, 3, N, NULL);
  struct ice_error err;
  CHECK_OK(arrow_array_init(a.children[5], 2, 0, &err), &err);
  a.children[5]->length = N;
  arrow_array_set_buffer(a.children[5], 1, copy_of(flag, 2));
  shell(a.children[6], N, NULL, 1);
  prim(a.children[6]->children[0], pair, 2, 2 * N, NULL);
  hash_rows(&s, &a, h);
  CHECK(SAME(h, 0, 5));
  for (int i = 1; i < N; i++)
    if (i != 5) CHECK(!SAME(h, 0, i));
  /* ... and all the differing rows differ from one another */
  for (int i = 1; i < N; i++)
    for (int j = i + 1; j < N; j++)
      if (i != 5 && j != 5) CHECK(!SAME(h, i, j));
  release_both(&s, &a);
}

/* list<struct{a int32, b string}>: nulls at each depth give distinct rows:
 *   0 [{1,"x"}]   1 [{1,"y"}]   2 [{1,null}]   3 [null]   4 [{null,"x"}]   5 [{1,"x"}] */
static void test_nested_nulls_at_every_depth(void) {
  struct ArrowSchema s;
  struct ArrowArray a, st, l;
  struct op_row_hash h[6];
  sch(&s, "+s", "", 1);
  sch(s.children[0], "+l", "l", 1);
  sch(s.children[0]->children[0], "+s", "element", 2);
  sch(s.children[0]->children[0]->children[0], "i", "a", 0);
  sch(s.children[0]->children[0]->children[1], "u", "b", 0);
  shell(&st, 6, "111011", 2);
  const int32_t av[] = {1, 1, 1, 1, 1, 1};
  prim(st.children[0], av, 4, 6, "111101");
  const char *bv[] = {"x", "y", NULL, "x", "x", "x"};
  strs(st.children[1], bv, 6, 0);
  const int32_t o[] = {0, 1, 2, 3, 4, 5, 6};
  list(&l, o, 6, NULL, &st);
  shell(&a, 6, NULL, 1);
  arrow_array_move(&l, a.children[0]);
  hash_rows(&s, &a, h);
  for (int i = 0; i < 5; i++)
    for (int j = i + 1; j < 5; j++) CHECK(!SAME(h, i, j));
  CHECK(SAME(h, 0, 5));
  release_both(&s, &a);
}

/* ---- layouts: the same rows at offsets, with garbage under nulls, copied compactly by
 * arrow_array_take, and split into other batches, fingerprint alike. */

/* 5 rows (parent offset 1; every child offset or padded):
 *   i:  20    null  40      50    60
 *   s:  "bb"  ""    "dddd"  null  "ff"
 *   l:  [2,3] []    [4]     null  [5,6,7]
 *   st: {d=1.25, t=7}  null  {null, 9}  {2.5, null}  {1.25, 7}           */
static void build_sliced(struct ArrowSchema *s, struct ArrowArray *a) {
  sch(s, "+s", "", 4);
  sch(s->children[0], "i", "i", 0);
  sch(s->children[1], "u", "s", 0);
  sch(s->children[2], "+l", "l", 1);
  sch(s->children[2]->children[0], "l", "element", 0);
  sch(s->children[3], "+s", "st", 2);
  sch(s->children[3]->children[0], "d:9,2", "d", 0);
  sch(s->children[3]->children[1], "tsu:", "t", 0);
  shell(a, 5, NULL, 4);
  a->offset = 1;
  const int32_t iv[] = {10, 20, 30, 40, 50, 60};
  prim(a->children[0], iv, 4, 6, "110111");
  const char *sv[] = {"a", "bb", "", "dddd", NULL, "ff"};
  strs(a->children[1], sv, 6, 0);
  struct ArrowArray e;
  const int64_t ev[] = {99, 2, 3, 4, 8, 8, 5, 6, 7};
  prim(&e, ev, 8, 9, NULL);
  e.offset = 1; /* values seen: 2 3 4 8 8 5 6 7 */
  /* child rows: row 3's null list spans garbage [3,5) */
  const int32_t lo[] = {0, 0, 2, 2, 3, 5, 8};
  list(a->children[2], lo, 6, "111101", &e);
  struct ArrowArray *st = a->children[3];
  shell(st, 7, "1101111", 2);
  st->offset = 0;
  /* struct child rows 1..5 are parent rows 0..4; offset the decimal child by 1 */
  uint8_t dec[8][16];
  memset(dec, 0, sizeof dec);
  const int dvals[] = {0, 0, 125, 77, 0, 250, 125, 0};
  for (int i = 0; i < 8; i++) dec[i][0] = (uint8_t)dvals[i];
  prim(st->children[0], dec, 16, 8, "11111111");
  st->children[0]->offset = 1; /* child rows seen: 125 77 0 250 125 0 */
  /* the decimal under the null struct (77) is garbage; row 2's decimal is null */
  uint8_t *dbits = (uint8_t *)(uintptr_t)st->children[0]->buffers[0];
  dbits[0] = (uint8_t)(dbits[0] & ~(1u << 4)); /* slot 4 = offset 1 + child row 3 */
  st->children[0]->null_count = 1;
  const int64_t tv[] = {0, 7, 123, 9, 0, 7, 0};
  prim(st->children[1], tv, 8, 7, "1111011");
}

static void test_layouts_agree(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  build_sliced(&s, &a);
  struct op_row_hash h[5];
  hash_rows(&s, &a, h);
  CHECK(SAME(h, 0, 0));
  /* rows 0 and 4 differ only in i, l and s; all five are distinct */
  for (int i = 0; i < 5; i++)
    for (int j = i + 1; j < 5; j++) CHECK(!SAME(h, i, j));

  /* compact copies, reordered and split into two batches */
  const int64_t first[] = {4, 1}, second[] = {3, 0, 2};
  struct ArrowArray t1, t2;
  CHECK_OK(arrow_array_take(&s, &a, first, 2, &t1, &err), &err);
  CHECK_OK(arrow_array_take(&s, &a, second, 3, &t2, &err), &err);
  struct op_row_hash g1[2], g2[3];
  hash_rows(&s, &t1, g1);
  hash_rows(&s, &t2, g2);
  CHECK(op_row_hash_equal(g1[0], h[4]));
  CHECK(op_row_hash_equal(g1[1], h[1]));
  CHECK(op_row_hash_equal(g2[0], h[3]));
  CHECK(op_row_hash_equal(g2[1], h[0]));
  CHECK(op_row_hash_equal(g2[2], h[2]));

  /* garbage under nulls does not count: the int under row 1's null, the list range
   * under row 3's null list, the struct fields under row 1's null struct */
  ((int32_t *)(uintptr_t)t1.children[0]->buffers[1])[1] = 12345;
  ((int32_t *)(uintptr_t)t1.children[3]->children[1]->buffers[1])[1] = -1;
  int32_t *lo2 = (int32_t *)(uintptr_t)t2.children[2]->buffers[1];
  CHECK_EQ_INT(lo2[1] - lo2[0], 2); /* take kept the null list's garbage range */
  ((int64_t *)(uintptr_t)t2.children[2]->children[0]->buffers[1])[lo2[0]] = 4242;
  hash_rows(&s, &t1, g1);
  hash_rows(&s, &t2, g2);
  CHECK(op_row_hash_equal(g1[1], h[1]));
  CHECK(op_row_hash_equal(g2[0], h[3]));

  /* ... while a value that counts changes the row: t of row 0 */
  ((int64_t *)(uintptr_t)t2.children[3]->children[1]->buffers[1])[1] = 8;
  hash_rows(&s, &t2, g2);
  CHECK(!op_row_hash_equal(g2[1], h[0]));
  t1.release(&t1);
  t2.release(&t2);
  release_both(&s, &a);
}

/* ---- errors */

static void test_errors_name_the_column(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a, c;
  struct op_row_hash h[2];
  const int32_t v[] = {1, 2};
  /* a union column (the reader never produces one) */
  prim(&c, v, 4, 2, NULL);
  one_col(&s, &a, "+us:0,1", 2, &c);
  CHECK_EQ_INT(op_row_hash_batch(&s, &a, h, &err), ICE_EUNSUPPORTED);
  CHECK(strstr(err.message, "'c'") != NULL);
  release_both(&s, &a);

  /* an array that does not match its schema */
  prim(&c, v, 4, 2, NULL);
  one_col(&s, &a, "u", 2, &c);
  CHECK_EQ_INT(op_row_hash_batch(&s, &a, h, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "'c'") != NULL);
  release_both(&s, &a);

  /* list offsets past the child */
  struct ArrowArray e;
  prim(&e, v, 4, 2, NULL);
  const int32_t lo[] = {0, 1, 3};
  list(&c, lo, 2, NULL, &e);
  sch(&s, "+s", "", 1);
  sch(s.children[0], "+l", "lst", 1);
  sch(s.children[0]->children[0], "i", "element", 0);
  shell(&a, 2, NULL, 1);
  arrow_array_move(&c, a.children[0]);
  CHECK_EQ_INT(op_row_hash_batch(&s, &a, h, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "'lst'") != NULL);
  release_both(&s, &a);

  /* a struct child shorter than the parent */
  prim(&c, v, 4, 1, NULL);
  one_col(&s, &a, "i", 2, &c);
  CHECK_EQ_INT(op_row_hash_batch(&s, &a, h, &err), ICE_EINVAL);
  release_both(&s, &a);

  /* not a struct batch */
  sch(&s, "i", "x", 0);
  prim(&a, v, 4, 2, NULL);
  CHECK_EQ_INT(op_row_hash_batch(&s, &a, h, &err), ICE_EINVAL);
  release_both(&s, &a);
}

int main(void) {
  ICE_RUN(test_null_differs_from_zero_empty_and_empty_list);
  ICE_RUN(test_null_struct_differs_from_struct_of_nulls);
  ICE_RUN(test_boundaries_count);
  ICE_RUN(test_floats_bit_for_bit);
  ICE_RUN(test_map_entries_in_stored_order);
  ICE_RUN(test_each_type_counts);
  ICE_RUN(test_nested_nulls_at_every_depth);
  ICE_RUN(test_layouts_agree);
  ICE_RUN(test_errors_name_the_column);
  ICE_TEST_EXIT();
}
