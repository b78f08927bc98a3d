/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writer basics checked through the footer decoder: schema elements with field ids and
 * Iceberg annotations, row counts, created_by, column orders, chunk statistics (signed
 * vs unsigned order, NaN excluded, zeros widened, string truncation), options parsing
 * and the refusals (unknown property, LZ4, required null, bad UTF-8, decimal overflow).
 */
#include <math.h>

#include "harness/ice_test.h"
#include "io/io.h"
#include "parquet/pq_meta.h"
#include "parquet/pq_writer.h"
#include "test_parquet_write_arrow.h"

static int write_file(const char *path, struct ArrowSchema *schema,
                      struct ArrowArray *batch, const char *const *props,
                      struct ice_error *err) {
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  int rc = pq_writer_options_apply(&o, props, err);
  if (rc) return rc;
  struct ice_output *out;
  rc = io_local_create(path, &out, err);
  if (rc) return rc;
  struct pq_writer *w;
  rc = pq_writer_new(schema, &o, out, &w, err);
  if (rc) return rc;
  rc = pq_writer_write(w, batch, err);
  if (rc == ICE_OK) rc = pq_writer_close(w, err);
  pq_writer_free(w);
  return rc;
}

static int read_meta(const char *path, struct pq_file_meta *m, struct ice_error *err) {
  struct ice_input *in;
  int rc = io_local_open_read(path, &in, err);
  if (rc) return rc;
  rc = pq_meta_read_footer(in, m, NULL, err);
  ice_input_close(in);
  return rc;
}

/* id int32 required (1), name string (2), score double (3). */
static void make_simple(struct ArrowSchema *s, struct ArrowArray *a) {
  tw_field(s, "+s", "", 0, -1, 3);
  tw_field(s->children[0], "i", "id", 0, 1, 0);
  tw_field(s->children[1], "u", "name", 1, 2, 0);
  tw_field(s->children[2], "g", "score", 1, 3, 0);
  int32_t ids[5] = {5, -3, 7, 0, 2};
  const char *names[5] = {"bob", NULL, "", "alice", "zed"};
  double scores[5] = {1.5, NAN, -0.0, 0.0, -2.25};
  uint8_t sv[5] = {1, 1, 1, 1, 0};
  tw_struct(a, 5, 3, NULL);
  tw_prim(a->children[0], 5, ids, 4, NULL);
  tw_str(a->children[1], 5, names, NULL);
  tw_prim(a->children[2], 5, scores, 8, sv);
}

static int32_t le32(const uint8_t *p) {
  return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                   (uint32_t)p[3] << 24);
}

static void test_schema_and_stats(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  make_simple(&s, &a);
  char path[512];
  tw_tmp_path(path, sizeof path, "simple.parquet");
  CHECK_OK(write_file(path, &s, &a, NULL, &err), &err);
  struct pq_file_meta m;
  CHECK_OK(read_meta(path, &m, &err), &err);
  CHECK_EQ_INT(m.num_rows, 5);
  CHECK_EQ_INT(m.n_schema, 4);
  CHECK_EQ_STR(m.created_by, "icestream version 0.1.0 (build 0)");
  CHECK(m.has_column_orders && m.n_column_orders == 3);
  CHECK_EQ_STR(m.schema[1].name, "id");
  CHECK_EQ_INT(m.schema[1].repetition, PQ_REPETITION_REQUIRED);
  CHECK(m.schema[1].has_field_id && m.schema[1].field_id == 1);
  CHECK_EQ_INT(m.schema[2].type, PQ_TYPE_BYTE_ARRAY);
  CHECK(m.schema[2].has_logical_type &&
        m.schema[2].logical_type.kind == PQ_LOGICAL_STRING);
  CHECK_EQ_INT(m.schema[2].field_id, 2);
  CHECK_EQ_INT(m.schema[3].repetition, PQ_REPETITION_OPTIONAL);
  CHECK_EQ_INT(m.n_row_groups, 1);
  const struct pq_column_meta *c0 = &m.row_groups[0].columns[0].meta_data;
  CHECK_EQ_INT(c0->num_values, 5);
  CHECK(c0->statistics.has_min_value && c0->statistics.min_value.len == 4);
  CHECK_EQ_INT(le32(c0->statistics.min_value.data), -3);
  CHECK_EQ_INT(le32(c0->statistics.max_value.data), 7);
  CHECK(c0->statistics.has_min); /* signed order: legacy fields written too */
  const struct pq_column_meta *c1 = &m.row_groups[0].columns[1].meta_data;
  CHECK_EQ_INT(c1->statistics.null_count, 1);
  CHECK(c1->statistics.min_value.len == 0); /* "" is the minimum */
  CHECK(c1->statistics.max_value.len == 3 &&
        memcmp(c1->statistics.max_value.data, "zed", 3) == 0);
  CHECK(!c1->statistics.has_min); /* unsigned byte order: no legacy min/max */
  const struct pq_column_meta *c2 = &m.row_groups[0].columns[2].meta_data;
  CHECK_EQ_INT(c2->statistics.null_count, 1);
  CHECK(c2->statistics.has_nan_count && c2->statistics.nan_count == 1);
  double mn, mx;
  memcpy(&mn, c2->statistics.min_value.data, 8);
  memcpy(&mx, c2->statistics.max_value.data, 8);
  CHECK(mn == 0.0 && signbit(mn)); /* zero min widened to -0.0 */
  CHECK(mx == 1.5);
  pq_file_meta_reset(&m);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_options(void) {
  struct ice_error err;
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  const char *good[] = {"write.parquet.compression-codec",
                        "snappy",
                        "write.parquet.page-row-limit",
                        "100",
                        "write.parquet.page-version",
                        "2",
                        NULL};
  CHECK_OK(pq_writer_options_apply(&o, good, &err), &err);
  CHECK_EQ_INT(o.codec, PQ_CODEC_SNAPPY);
  CHECK_EQ_INT(o.page_rows, 100);
  CHECK_EQ_INT(o.page_version, 2);
  const char *lz4[] = {"write.parquet.compression-codec", "LZ4", NULL};
  CHECK_OK(pq_writer_options_apply(&o, lz4, &err), &err);
  CHECK_EQ_INT(o.codec, PQ_CODEC_LZ4_RAW); /* never the deprecated codec 5 */
  const char *java[] = {"write.parquet.bloom-filter-enabled.column.id",
                        "true",
                        "write.parquet.row-group-check-min-record-count",
                        "100",
                        "write.parquet.row-group-limit",
                        "3",
                        NULL};
  CHECK_OK(pq_writer_options_apply(&o, java, &err), &err);
  CHECK_EQ_INT(o.row_group_rows, 3);
  const char *unknown[] = {"write.parquet.colour", "red", NULL};
  CHECK_EQ_INT(pq_writer_options_apply(&o, unknown, &err), ICE_EINVAL);
  const char *bad[] = {"write.parquet.page-size-bytes", "12x", NULL};
  CHECK_EQ_INT(pq_writer_options_apply(&o, bad, &err), ICE_EINVAL);
  const char *odd[] = {"write.parquet.page-size-bytes", NULL};
  CHECK_EQ_INT(pq_writer_options_apply(&o, odd, &err), ICE_EINVAL);
}

static void test_row_group_row_limit(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  make_simple(&s, &a);
  char path[512];
  tw_tmp_path(path, sizeof path, "rglimit.parquet");
  const char *props[] = {"write.parquet.row-group-limit", "2", NULL};
  CHECK_OK(write_file(path, &s, &a, props, &err), &err);
  struct pq_file_meta m;
  CHECK_OK(read_meta(path, &m, &err), &err);
  CHECK_EQ_INT(m.n_row_groups, 3); /* 5 rows: 2 + 2 + 1 */
  if (m.n_row_groups == 3) CHECK_EQ_INT(m.row_groups[2].num_rows, 1);
  pq_file_meta_reset(&m);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_bad_level_refused_at_open(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  make_simple(&s, &a);
  char path[512];
  tw_tmp_path(path, sizeof path, "level.parquet");
  const char *props[] = {"write.parquet.compression-codec", "gzip",
                         "write.parquet.compression-level", "15", NULL};
  CHECK_EQ_INT(write_file(path, &s, &a, props, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "level 15") != NULL);
  CHECK(access(path, F_OK) != 0);
  const char *ok[] = {"write.parquet.compression-codec", "zstd",
                      "write.parquet.compression-level", "19", NULL};
  CHECK_OK(write_file(path, &s, &a, ok, &err), &err);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_required_null_is_reported(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "l", "n", 0, 1, 0);
  int64_t v[3] = {1, 2, 3};
  uint8_t valid[3] = {1, 1, 0};
  tw_struct(&a, 3, 1, NULL);
  tw_prim(a.children[0], 3, v, 8, valid);
  char path[512];
  tw_tmp_path(path, sizeof path, "reqnull.parquet");
  int rc = write_file(path, &s, &a, NULL, &err);
  CHECK_EQ_INT(rc, ICE_EINVAL);
  CHECK(strstr(err.message, "column 'n'") != NULL);
  CHECK(strstr(err.message, "row 2") != NULL);
  CHECK(access(path, F_OK) != 0); /* aborted: nothing left behind */
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_bad_utf8_is_reported(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "u", "s", 1, 1, 0);
  const char *vals[3] = {"ok", "\xc3\x28", "fine"};
  tw_struct(&a, 3, 1, NULL);
  tw_str(a.children[0], 3, vals, NULL);
  char path[512];
  tw_tmp_path(path, sizeof path, "utf8.parquet");
  CHECK_EQ_INT(write_file(path, &s, &a, NULL, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "row 1") != NULL && strstr(err.message, "UTF-8") != NULL);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

/* A character split across two values: the bytes spanning the batch are valid UTF-8,
 * each value alone is not. Valid non-ASCII values still pass. */
static void test_utf8_checked_per_value(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "u", "s", 1, 1, 0);
  const char *split[4] = {"ok", "a\xc3", "\xa9z", "fine"};
  tw_struct(&a, 4, 1, NULL);
  tw_str(a.children[0], 4, split, NULL);
  char path[512];
  tw_tmp_path(path, sizeof path, "utf8_split.parquet");
  CHECK_EQ_INT(write_file(path, &s, &a, NULL, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "row 1") != NULL && strstr(err.message, "UTF-8") != NULL);
  arrow_array_release(&a);
  const char *good[3] = {"caf\xc3\xa9", "plain", "\xe2\x82\xac"};
  tw_struct(&a, 3, 1, NULL);
  tw_str(a.children[0], 3, good, NULL);
  tw_tmp_path(path, sizeof path, "utf8_good.parquet");
  CHECK_OK(write_file(path, &s, &a, NULL, &err), &err);
  unlink(path);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_decimal_overflow_is_reported(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "d:5,2", "d", 1, 1, 0);
  int64_t v[4] = {99999, 0, 100000, 0}; /* little-endian 128-bit: {lo, hi} pairs */
  tw_struct(&a, 2, 1, NULL);
  tw_prim(a.children[0], 2, v, 16, NULL);
  char path[512];
  tw_tmp_path(path, sizeof path, "dec.parquet");
  CHECK_EQ_INT(write_file(path, &s, &a, NULL, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "row 1") != NULL &&
        strstr(err.message, "decimal(5,2)") != NULL);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

/* list<string>: a bad value in row 2's list is reported with its row. */
static void test_nested_bad_value_names_row(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "+l", "tags", 1, 1, 1);
  tw_field(s.children[0]->children[0], "u", "element", 1, 2, 0);
  int32_t off[5] = {0, 2, 2, 5, 6};
  const char *vals[6] = {"a", "b", "c", "d", "\xe0\x80", "f"};
  tw_struct(&a, 4, 1, NULL);
  tw_list(a.children[0], 4, off, NULL);
  tw_str(a.children[0]->children[0], 6, vals, NULL);
  char path[512];
  tw_tmp_path(path, sizeof path, "nestedbad.parquet");
  CHECK_EQ_INT(write_file(path, &s, &a, NULL, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "column 'tags.element': row 2: string is not valid UTF-8") !=
        NULL);
  if (strstr(err.message, "row 2") == NULL)
    fprintf(stderr, "  message: %s\n", err.message);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

/* list<int32 required>: a null element in row 3's list is refused, naming the row. */
static void test_null_required_list_element_names_row(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "+l", "ids", 1, 1, 1);
  tw_field(s.children[0]->children[0], "i", "element", 0, 2, 0);
  int32_t off[5] = {0, 2, 2, 3, 5};
  int32_t vals[5] = {1, 2, 3, 4, 5};
  uint8_t valid[5] = {1, 1, 1, 1, 0};
  tw_struct(&a, 4, 1, NULL);
  tw_list(a.children[0], 4, off, NULL);
  tw_prim(a.children[0]->children[0], 5, vals, 4, valid);
  char path[512];
  tw_tmp_path(path, sizeof path, "nestedreq.parquet");
  CHECK_EQ_INT(write_file(path, &s, &a, NULL, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "row 3") != NULL &&
        strstr(err.message, "null in a required field") != NULL);
  if (strstr(err.message, "row 3") == NULL)
    fprintf(stderr, "  message: %s\n", err.message);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

/* 100 KB values with 256 KiB pages: pages stay near their target. */
static void test_big_values_keep_pages_small(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  enum { ROWS = 60, LEN = 100000 };
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "z", "blob", 0, 1, 0);
  char *big = ice_malloc(LEN);
  for (int i = 0; i < LEN; i++) big[i] = (char)(i * 7 + i / 13);
  const char *vals[ROWS];
  size_t lens[ROWS];
  for (int i = 0; i < ROWS; i++) {
    vals[i] = big;
    lens[i] = LEN - (size_t)i; /* distinct values */
  }
  tw_struct(&a, ROWS, 1, NULL);
  tw_str(a.children[0], ROWS, vals, lens);
  ice_free(big);
  char path[512];
  tw_tmp_path(path, sizeof path, "bigvalues.parquet");
  const char *props[] = {"write.parquet.page-size-bytes", "262144",
                         "write.parquet.compression-codec", "uncompressed", NULL};
  CHECK_OK(write_file(path, &s, &a, props, &err), &err);
  struct ice_input *in;
  CHECK_OK(io_local_open_read(path, &in, &err), &err);
  struct pq_file_meta m;
  CHECK_OK(pq_meta_read_footer(in, &m, NULL, &err), &err);
  const struct pq_column_chunk *cc = &m.row_groups[0].columns[0];
  uint8_t buf[8192];
  struct ice_arena arena;
  ice_arena_init(&arena, 0);
  struct pq_offset_index oi;
  CHECK(cc->offset_index_length > 0 && cc->offset_index_length < 8192);
  CHECK_OK(ice_input_read_at(in, cc->offset_index_offset, buf,
                             (size_t)cc->offset_index_length, &err),
           &err);
  CHECK_OK(
      pq_meta_read_offset_index(buf, (size_t)cc->offset_index_length, &arena, &oi, &err),
      &err);
  CHECK(oi.n_page_locations >= 15);
  for (size_t i = 0; i < oi.n_page_locations; i++) {
    CHECK(oi.page_locations[i].compressed_page_size < 262144 + 2 * LEN);
  }
  ice_arena_reset(&arena);
  pq_file_meta_reset(&m);
  ice_input_close(in);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_long_string_stats_truncated(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "u", "s", 1, 1, 0);
  char lo[101], hi[101];
  memset(lo, 'a', 100);
  lo[100] = 0;
  memset(hi, 'z', 100);
  hi[100] = 0;
  const char *vals[2] = {hi, lo};
  tw_struct(&a, 2, 1, NULL);
  tw_str(a.children[0], 2, vals, NULL);
  char path[512];
  tw_tmp_path(path, sizeof path, "trunc.parquet");
  CHECK_OK(write_file(path, &s, &a, NULL, &err), &err);
  struct pq_file_meta m;
  CHECK_OK(read_meta(path, &m, &err), &err);
  const struct pq_statistics *st = &m.row_groups[0].columns[0].meta_data.statistics;
  CHECK_EQ_INT(st->min_value.len, PQ_WRITER_STATS_TRUNCATE);
  CHECK(st->has_is_min_value_exact && !st->is_min_value_exact);
  CHECK_EQ_INT(st->max_value.len, PQ_WRITER_STATS_TRUNCATE);
  CHECK(st->max_value.data[PQ_WRITER_STATS_TRUNCATE - 1] == 'z' + 1);
  CHECK(!st->is_max_value_exact);
  pq_file_meta_reset(&m);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_truncate_helpers(void) {
  uint8_t out[32];
  size_t n;
  /* bytes: trailing 0xFF cannot be incremented, the byte before it is */
  const uint8_t b[4] = {0x01, 0xFF, 0xFF, 0x05};
  CHECK(pq_bound_truncate_upper(b, 4, 3, false, out, &n));
  CHECK(n == 1 && out[0] == 0x02);
  const uint8_t ff[3] = {0xFF, 0xFF, 0xFF};
  CHECK(!pq_bound_truncate_upper(ff, 3, 2, false, out, &n));
  /* UTF-8: "ab\u00ff" truncated to 2 code points -> "ac" */
  const char *s =
      "ab\xc3\xbf"
      "cd";
  CHECK(pq_bound_truncate_upper((const uint8_t *)s, strlen(s), 3, true, out, &n));
  CHECK(n == 4 && memcmp(out, "ab\xc4\x80", 4) == 0);
  pq_bound_truncate_lower((const uint8_t *)s, strlen(s), 3, true, &n);
  CHECK_EQ_INT(n, 4);
  /* U+D7FF increments to U+E000, skipping surrogates */
  const char *sur = "\xed\x9f\xbfzz";
  CHECK(pq_bound_truncate_upper((const uint8_t *)sur, strlen(sur), 1, true, out, &n));
  CHECK(n == 3 && memcmp(out, "\xee\x80\x80", 3) == 0);
  /* short values are their own bound */
  CHECK(pq_bound_truncate_upper((const uint8_t *)"abc", 3, 16, true, out, &n));
  CHECK(n == 3);
}

/* Page index: tiny pages, an all-null stretch; offsets point at real page headers. */
static void test_page_index(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "i", "v", 1, 1, 0);
  int32_t v[40];
  uint8_t valid[40];
  for (int i = 0; i < 40; i++) {
    v[i] = 100 - i;
    valid[i] = !(i >= 10 && i < 20); /* page 1 (rows 10..19) all null */
  }
  tw_struct(&a, 40, 1, NULL);
  tw_prim(a.children[0], 40, v, 4, valid);
  char path[512];
  tw_tmp_path(path, sizeof path, "pageindex.parquet");
  const char *props[] = {"write.parquet.page-row-limit", "10", NULL};
  CHECK_OK(write_file(path, &s, &a, props, &err), &err);
  struct ice_input *in;
  CHECK_OK(io_local_open_read(path, &in, &err), &err);
  struct pq_file_meta m;
  CHECK_OK(pq_meta_read_footer(in, &m, NULL, &err), &err);
  const struct pq_column_chunk *cc = &m.row_groups[0].columns[0];
  CHECK(cc->has_offset_index_offset && cc->has_column_index_offset);
  uint8_t buf[4096];
  struct ice_arena arena;
  ice_arena_init(&arena, 0);
  struct pq_offset_index oi;
  CHECK(cc->offset_index_length > 0 && cc->offset_index_length < 4096);
  CHECK_OK(ice_input_read_at(in, cc->offset_index_offset, buf,
                             (size_t)cc->offset_index_length, &err),
           &err);
  CHECK_OK(
      pq_meta_read_offset_index(buf, (size_t)cc->offset_index_length, &arena, &oi, &err),
      &err);
  CHECK_EQ_INT(oi.n_page_locations, 4);
  for (size_t i = 0; i < oi.n_page_locations && i < 4; i++) {
    CHECK_EQ_INT(oi.page_locations[i].first_row_index, (int64_t)i * 10);
    uint8_t hb[4096];
    size_t sz = (size_t)oi.page_locations[i].compressed_page_size;
    CHECK(sz < sizeof hb);
    CHECK_OK(ice_input_read_at(in, oi.page_locations[i].offset, hb, sz, &err), &err);
    struct pq_page_header h;
    size_t used;
    CHECK_OK(pq_meta_read_page_header(hb, sz, &h, &used, &err), &err);
    CHECK_EQ_INT(h.type, PQ_PAGE_DATA);
    CHECK_EQ_INT(used + (size_t)h.compressed_page_size, sz);
  }
  struct pq_column_index ci;
  CHECK_OK(ice_input_read_at(in, cc->column_index_offset, buf,
                             (size_t)cc->column_index_length, &err),
           &err);
  CHECK_OK(
      pq_meta_read_column_index(buf, (size_t)cc->column_index_length, &arena, &ci, &err),
      &err);
  CHECK_EQ_INT(ci.n_pages, 4);
  if (ci.n_pages == 4) {
    CHECK(!ci.null_pages[0] && ci.null_pages[1] && !ci.null_pages[2]);
    CHECK_EQ_INT(le32(ci.min_values[0].data), 91);
    CHECK_EQ_INT(le32(ci.max_values[0].data), 100);
    CHECK_EQ_INT(le32(ci.min_values[3].data), 61);
    CHECK(ci.has_null_counts && ci.null_counts[1] == 10 && ci.null_counts[0] == 0);
    CHECK_EQ_INT(ci.boundary_order, PQ_BOUNDARY_DESCENDING); /* values 100 down to 61 */
  }
  ice_arena_reset(&arena);
  pq_file_meta_reset(&m);
  ice_input_close(in);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

int main(void) {
  ICE_RUN(test_page_index);
  ICE_RUN(test_schema_and_stats);
  ICE_RUN(test_options);
  ICE_RUN(test_bad_level_refused_at_open);
  ICE_RUN(test_row_group_row_limit);
  ICE_RUN(test_required_null_is_reported);
  ICE_RUN(test_bad_utf8_is_reported);
  ICE_RUN(test_utf8_checked_per_value);
  ICE_RUN(test_null_required_list_element_names_row);
  ICE_RUN(test_decimal_overflow_is_reported);
  ICE_RUN(test_nested_bad_value_names_row);
  ICE_RUN(test_big_values_keep_pages_small);
  ICE_RUN(test_long_string_stats_truncated);
  ICE_RUN(test_truncate_helpers);
  ICE_TEST_EXIT();
}
