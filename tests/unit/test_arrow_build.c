/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the Arrow C Data builders, metadata encoding, format parser and views. */
#include <string.h>

#include "arrow/arrow_array.h"
#include "arrow/arrow_schema.h"
#include "arrow/arrow_type.h"
#include "arrow/arrow_view.h"
#include "harness/ice_test.h"
#include "util/alloc.h"

static void test_schema_tree_with_metadata(void) {
  struct ice_error err;
  struct ArrowSchema s;
  CHECK_OK(arrow_schema_init(&s, "+s", "root", 0, 2, &err), &err);
  CHECK_OK(arrow_schema_init(s.children[0], "i", "id", ARROW_FLAG_NULLABLE, 0, &err),
           &err);
  struct arrow_kv kv[2] = {{"PARQUET:field_id", "7"}, {"ARROW:extension:name", "x.y"}};
  CHECK_OK(arrow_schema_set_metadata(s.children[0], kv, 2, &err), &err);
  /* child 1 is deliberately left unfilled: release must cope. */
  const char *v = NULL;
  int32_t vl = 0;
  CHECK(arrow_metadata_find(s.children[0]->metadata, "PARQUET:field_id", &v, &vl));
  CHECK_EQ_INT(vl, 1);
  CHECK(v != NULL && v[0] == '7');
  CHECK(arrow_metadata_find(s.children[0]->metadata, "ARROW:extension:name", &v, &vl));
  CHECK(vl == 3 && memcmp(v, "x.y", 3) == 0);
  CHECK(!arrow_metadata_find(s.children[0]->metadata, "nope", &v, &vl));
  /* size = 4 + (4+16+4+1) + (4+20+4+3) */
  CHECK_EQ_INT(arrow_metadata_size(s.children[0]->metadata), 4 + 25 + 31);
  CHECK_EQ_STR(s.children[0]->name, "id");
  CHECK_EQ_INT(s.children[0]->flags, ARROW_FLAG_NULLABLE);
  CHECK(s.children[1]->release == NULL);
  CHECK_OK(arrow_schema_init(s.children[1], "u", "name", 0, 0, &err), &err);

  struct ArrowSchema copy;
  CHECK_OK(arrow_schema_copy(&s, &copy, &err), &err);
  arrow_schema_release(&s);
  CHECK(s.release == NULL);
  CHECK_EQ_STR(copy.format, "+s");
  CHECK_EQ_INT(copy.n_children, 2);
  CHECK_EQ_STR(copy.children[1]->format, "u");
  CHECK(arrow_metadata_find(copy.children[0]->metadata, "ARROW:extension:name", &v, &vl));
  CHECK(vl == 3 && memcmp(v, "x.y", 3) == 0);
  arrow_schema_release(&copy);
  arrow_schema_release(&copy); /* idempotent */
}

static void test_metadata_iteration(void) {
  struct ice_error err;
  struct arrow_kv kv[3] = {{"a", "1"}, {"bb", NULL}, {"ccc", "333"}};
  char *md = NULL;
  size_t len = 0;
  CHECK_OK(arrow_metadata_encode(kv, 3, &md, &len, &err), &err);
  struct arrow_metadata_reader r;
  const char *k, *v;
  int32_t kl, vl;
  int n = 0;
  arrow_metadata_reader_init(&r, md);
  while (arrow_metadata_next(&r, &k, &kl, &v, &vl)) {
    CHECK_EQ_INT(kl, (long long)strlen(kv[n].key));
    CHECK(memcmp(k, kv[n].key, (size_t)kl) == 0);
    n++;
  }
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_INT(r.pos, len);
  ice_free(md);
}

/* PARQUET:field_id: one parser for every reader of it (writer schema, data writer). */
static void test_field_id(void) {
  struct ice_error err;
  static const struct {
    const char *value; /* NULL: no field id at all */
    int rc;
    int32_t id;
  } cases[] = {
      {"7", ICE_OK, 7},
      {"0", ICE_OK, 0},
      {"2147483647", ICE_OK, INT32_MAX},
      {NULL, ICE_OK, -1},
      {"", ICE_EINVAL, 0},
      {"-1", ICE_EINVAL, 0},
      {"12a", ICE_EINVAL, 0},
      {" 1", ICE_EINVAL, 0},
      {"2147483648", ICE_EINVAL, 0},
      {"99999999999", ICE_EINVAL, 0},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    struct ArrowSchema s;
    CHECK_OK(arrow_schema_init(&s, "i", "x", 0, 0, &err), &err);
    if (cases[k].value != NULL) {
      struct arrow_kv kv[2] = {{"other", "5"}, {"PARQUET:field_id", cases[k].value}};
      CHECK_OK(arrow_schema_set_metadata(&s, kv, 2, &err), &err);
    }
    bool has = true;
    int32_t id = -1;
    CHECK_EQ_INT(arrow_field_id(&s, &has, &id, &err), cases[k].rc);
    if (cases[k].rc == ICE_OK) {
      CHECK(has == (cases[k].value != NULL));
      if (has) CHECK_EQ_INT(id, cases[k].id);
    } else {
      CHECK(strstr(err.message, "PARQUET:field_id") != NULL);
    }
    arrow_schema_release(&s);
  }
}

static void test_array_owns_buffers_and_children(void) {
  struct ice_error err;
  struct ArrowArray a;
  CHECK_OK(arrow_array_init(&a, 1, 1, &err), &err);
  CHECK_OK(arrow_array_init(a.children[0], 2, 0, &err), &err);
  int32_t *vals = ice_malloc(3 * sizeof *vals);
  uint8_t *valid = ice_malloc(1);
  vals[0] = 1, vals[1] = 0, vals[2] = 3;
  valid[0] = 0;
  arrow_bit_set(valid, 0);
  arrow_bit_set(valid, 2);
  arrow_array_set_buffer(a.children[0], 0, valid);
  arrow_array_set_buffer(a.children[0], 1, vals);
  a.children[0]->length = 3;
  a.children[0]->null_count = 1;
  a.length = 3;
  CHECK(arrow_array_valid(a.children[0], 0));
  CHECK(!arrow_array_valid(a.children[0], 1));
  CHECK(arrow_array_valid(a.children[0], 2));
  CHECK_EQ_INT(((const int32_t *)arrow_array_fixed(a.children[0], 4))[2], 3);
  CHECK(arrow_array_child(&a, 0) == a.children[0]);
  a.offset = 1;
  CHECK_EQ_INT(arrow_struct_child_row(&a, 1), 2);
  a.offset = 0;

  struct ArrowSchema s;
  CHECK_OK(arrow_schema_init(&s, "+s", "", 0, 1, &err), &err);
  CHECK_OK(arrow_schema_init(s.children[0], "i", "x", ARROW_FLAG_NULLABLE, 0, &err),
           &err);
  CHECK_OK(arrow_array_validate(&s, &a, &err), &err);
  a.children[0]->length = 2; /* shorter than the struct: invalid */
  CHECK_EQ_INT(arrow_array_validate(&s, &a, &err), ICE_EINVAL);
  a.children[0]->length = 3;

  struct ArrowArray moved;
  arrow_array_move(&a, &moved);
  CHECK(a.release == NULL);
  CHECK_EQ_INT(moved.children[0]->length, 3);
  arrow_array_release(&moved);
  arrow_array_release(&moved);
  arrow_schema_release(&s);
}

static void test_string_offsets_validation(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  CHECK_OK(arrow_schema_init(&s, "u", "s", 0, 0, &err), &err);
  CHECK_OK(arrow_array_init(&a, 3, 0, &err), &err);
  int32_t *off = ice_malloc(3 * sizeof *off);
  char *data = ice_malloc(4);
  off[0] = 0, off[1] = 2, off[2] = 1; /* decreasing */
  memcpy(data, "abcd", 4);
  arrow_array_set_buffer(&a, 1, off);
  arrow_array_set_buffer(&a, 2, data);
  a.length = 2;
  CHECK_EQ_INT(arrow_array_validate(&s, &a, &err), ICE_EINVAL);
  off[2] = 4;
  CHECK_OK(arrow_array_validate(&s, &a, &err), &err);
  /* offset into the array */
  a.offset = 1;
  a.length = 1;
  CHECK_EQ_INT(arrow_array_offsets32(&a)[0], 2);
  int64_t st = -1, en = -1;
  arrow_list_range(&a, 0, &st, &en);
  CHECK(st == 2 && en == 4);
  CHECK_OK(arrow_array_validate(&s, &a, &err), &err);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_format_parse(void) {
  struct ice_error err;
  struct arrow_type t;
  CHECK_OK(arrow_type_parse("i", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_INT32 && t.byte_width == 4 && t.n_buffers == 2);
  CHECK_OK(arrow_type_parse("w:16", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_FIXED_BINARY && t.byte_width == 16);
  CHECK_OK(arrow_type_parse("d:38,10", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_DECIMAL128 && t.precision == 38 && t.scale == 10);
  CHECK_OK(arrow_type_parse("d:60,2,256", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_DECIMAL256 && t.byte_width == 32);
  CHECK_OK(arrow_type_parse("tsu:UTC", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_TIMESTAMP && t.unit == ARROW_UNIT_MICRO);
  CHECK_EQ_STR(t.timezone, "UTC");
  CHECK_OK(arrow_type_parse("tsn:", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_TIMESTAMP && t.unit == ARROW_UNIT_NANO && t.timezone[0] == 0);
  CHECK_OK(arrow_type_parse("ttm", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_TIME32 && t.byte_width == 4);
  CHECK_OK(arrow_type_parse("ttn", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_TIME64 && t.byte_width == 8);
  CHECK_OK(arrow_type_parse("tdD", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_DATE32);
  CHECK_OK(arrow_type_parse("+m", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_MAP);
  CHECK_OK(arrow_type_parse("+s", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_STRUCT && t.n_buffers == 1);
  CHECK_OK(arrow_type_parse("u", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_STRING && t.n_buffers == 3);
  CHECK_OK(arrow_type_parse("n", &t, &err), &err);
  CHECK(t.id == ARROW_TYPE_NA && t.n_buffers == 0);
  CHECK_EQ_INT(arrow_type_parse("q", &t, &err), ICE_EUNSUPPORTED);
  CHECK_EQ_INT(arrow_type_parse("w:", &t, &err), ICE_EUNSUPPORTED);
  CHECK_EQ_INT(arrow_type_parse("d:5", &t, &err), ICE_EUNSUPPORTED);
  CHECK_EQ_INT(arrow_type_parse("ts", &t, &err), ICE_EUNSUPPORTED);
  CHECK_EQ_INT(arrow_type_parse("d:5,2,64", &t, &err), ICE_EUNSUPPORTED);
  CHECK_EQ_STR(arrow_type_name(ARROW_TYPE_TIMESTAMP), "timestamp");
}

static void test_alloc_failure_leaves_released(void) {
  struct ice_error err;
  struct ArrowSchema s;
  for (long n = 1; n <= 6; n++) {
    ice_alloc_fail_after(n);
    int rc = arrow_schema_init(&s, "+s", "x", 0, 3, &err);
    ice_alloc_fail_after(0);
    if (rc == ICE_OK) {
      arrow_schema_release(&s);
    } else {
      CHECK_EQ_INT(rc, ICE_ENOMEM);
      CHECK(s.release == NULL);
    }
  }
}

int main(void) {
  ICE_RUN(test_schema_tree_with_metadata);
  ICE_RUN(test_metadata_iteration);
  ICE_RUN(test_field_id);
  ICE_RUN(test_array_owns_buffers_and_children);
  ICE_RUN(test_string_offsets_validation);
  ICE_RUN(test_format_parse);
  ICE_RUN(test_alloc_failure_leaves_released);
  ICE_TEST_EXIT();
}
