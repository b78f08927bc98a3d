/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reader tests over real files (tests/data): values of flat and nested
 * files, every encoding and codec, legacy nesting, batch-size invariance (batches
 * spanning pages and row groups), projection, row-group selection, and clean errors
 * for every bad_data and encrypted file. All run under ASan+UBSan in ctest.
 */
#include <stdlib.h>

#include "arrow/arrow_schema.h"
#include "harness/ice_test.h"
#include "unit/test_parquet_read_render.h"
#include "util/alloc.h"

static char g_path[4096];

static const char *data_file(const char *name) {
  snprintf(g_path, sizeof g_path, "%s/parquet-testing/data/%s",
           ice_test_data_dir(), name);
  return g_path;
}

static const char *fixture_file(const char *rel) {
  snprintf(g_path, sizeof g_path, "%s/%s", ice_test_data_dir(), rel);
  return g_path;
}

/* Whole-file text with the given batch size. */
static char *read_text(const char *path, int64_t batch, int64_t *rows) {
  return rd_read_file(path, NULL, 0, batch, rows);
}

static void check_text(const char *name, const char *expected) {
  int64_t rows = 0;
  char *got = read_text(data_file(name), 2, &rows);
  if (strcmp(got, expected) != 0) {
    fprintf(stderr, "  %s:\n  got:\n%s\n  expected:\n%s\n", name, got, expected);
    ice_test_current_failed = 1;
  }
  ice_free(got);
}

static void test_alltypes_plain_values(void) {
  int64_t rows = 0;
  const char *cols[] = {"id", "bool_col", "string_col", "timestamp_col"};
  char *got = rd_read_file(data_file("alltypes_plain.parquet"), cols, 4, 3, &rows);
  CHECK_EQ_INT(rows, 8);
  CHECK_EQ_STR(got,
               "{id:4,bool_col:true,string_col:0x30,timestamp_col:0x00000000000000006c752500}\n"
               "{id:5,bool_col:false,string_col:0x31,timestamp_col:0x005847f80d0000006c752500}\n"
               "{id:6,bool_col:true,string_col:0x30,timestamp_col:0x00000000000000008b752500}\n"
               "{id:7,bool_col:false,string_col:0x31,timestamp_col:0x005847f80d0000008b752500}\n"
               "{id:2,bool_col:true,string_col:0x30,timestamp_col:0x000000000000000050752500}\n"
               "{id:3,bool_col:false,string_col:0x31,timestamp_col:0x005847f80d00000050752500}\n"
               "{id:0,bool_col:true,string_col:0x30,timestamp_col:0x000000000000000031752500}\n"
               "{id:1,bool_col:false,string_col:0x31,timestamp_col:0x005847f80d00000031752500}\n");
  ice_free(got);
  /* Same values through the dictionary-encoded and snappy variants. */
  got = rd_read_file(data_file("alltypes_dictionary.parquet"), cols, 1, 10, &rows);
  CHECK_EQ_STR(got, "{id:0}\n{id:1}\n");
  ice_free(got);
  got = rd_read_file(data_file("alltypes_plain.snappy.parquet"), cols, 2, 10, &rows);
  CHECK_EQ_STR(got, "{id:6,bool_col:true}\n{id:7,bool_col:false}\n");
  ice_free(got);
}

static void test_schema_mapping(void) {
  struct ice_error err;
  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(data_file("alltypes_plain.parquet"), &f, &err), &err);
  if (f == NULL) return;
  CHECK_EQ_INT(ice_parquet_num_rows(f), 8);
  CHECK_EQ_INT(ice_parquet_num_row_groups(f), 1);
  struct ArrowSchema s;
  CHECK_OK(ice_parquet_schema(f, &s, &err), &err);
  CHECK_EQ_STR(s.format, "+s");
  CHECK_EQ_INT(s.n_children, 11);
  CHECK_EQ_STR(s.children[0]->name, "id");
  CHECK_EQ_STR(s.children[0]->format, "i");
  CHECK_EQ_INT(s.children[0]->flags, ARROW_FLAG_NULLABLE);
  CHECK_EQ_STR(s.children[1]->format, "b");
  CHECK_EQ_STR(s.children[5]->format, "l");
  CHECK_EQ_STR(s.children[6]->format, "f");
  CHECK_EQ_STR(s.children[7]->format, "g");
  CHECK_EQ_STR(s.children[9]->format, "z");
  CHECK_EQ_STR(s.children[10]->format, "w:12");
  const char *v;
  int32_t vl;
  CHECK(arrow_metadata_find(s.children[10]->metadata, "ARROW:extension:name", &v, &vl));
  CHECK(vl == 15 && memcmp(v, "icestream.int96", 15) == 0);
  s.release(&s);
  ice_parquet_close(f);

  /* field ids, decimals, nested formats */
  CHECK_OK(ice_parquet_open(data_file("byte_array_decimal.parquet"), &f, &err), &err);
  if (f == NULL) return;
  CHECK_OK(ice_parquet_schema(f, &s, &err), &err);
  CHECK_EQ_STR(s.children[0]->format, "d:4,2");
  CHECK(arrow_metadata_find(s.children[0]->metadata, "PARQUET:field_id", &v, &vl));
  CHECK(vl == 1 && v[0] == '6');
  s.release(&s);
  ice_parquet_close(f);

  CHECK_OK(ice_parquet_open(data_file("nested_maps.snappy.parquet"), &f, &err), &err);
  if (f == NULL) return;
  CHECK_OK(ice_parquet_schema(f, &s, &err), &err);
  struct ArrowSchema *a = s.children[0];
  CHECK_EQ_STR(a->format, "+m");
  CHECK_EQ_STR(a->children[0]->name, "entries");
  CHECK_EQ_STR(a->children[0]->format, "+s");
  CHECK_EQ_INT(a->children[0]->flags, 0);
  CHECK_EQ_STR(a->children[0]->children[0]->name, "key");
  CHECK_EQ_STR(a->children[0]->children[0]->format, "u");
  CHECK_EQ_STR(a->children[0]->children[1]->name, "value");
  CHECK_EQ_STR(a->children[0]->children[1]->format, "+m");
  s.release(&s);
  ice_parquet_close(f);

  const char *gen = fixture_file("generated/types_uncompressed.parquet");
  CHECK_OK(ice_parquet_open(gen, &f, &err), &err);
  if (f == NULL) return;
  CHECK_OK(ice_parquet_schema(f, &s, &err), &err);
  static const char *const want[][2] = {
      {"i8", "c"},        {"i16", "s"},      {"u8", "C"},         {"u16", "S"},
      {"u32", "I"},       {"u64", "L"},      {"d9", "d:9,2"},     {"d18", "d:18,3"},
      {"dt", "tdD"},      {"tm", "ttu"},     {"ts", "tsu:"},      {"tstz", "tsu:UTC"},
      {"tsns", "tsn:"}, {"s", "u"},       {"bl", "z"},         {"u", "w:16"},
      {"li", "+l"},       {"st", "+s"},      {"mp", "+m"}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    int found = 0;
    for (int64_t c = 0; c < s.n_children; c++) {
      if (strcmp(s.children[c]->name, want[i][0]) == 0) {
        found = 1;
        CHECK_EQ_STR(s.children[c]->format, want[i][1]);
      }
    }
    CHECK(found);
  }
  s.release(&s);
  ice_parquet_close(f);
}

/* Splits one CSV line into fields (double quotes group, "" escapes). */
static size_t csv_fields(const char *line, char fields[][256], size_t max) {
  size_t n = 0;
  const char *p = line;
  while (n < max) {
    size_t k = 0;
    int quoted = *p == '"';
    if (quoted) p++;
    while (*p && (quoted ? !(*p == '"' && p[1] != '"') : *p != ',')) {
      if (quoted && *p == '"') p++;
      if (k < 255) fields[n][k++] = *p;
      p++;
    }
    if (quoted && *p == '"') p++;
    fields[n][k] = 0;
    n++;
    if (*p != ',') break;
    p++;
  }
  return n;
}

/* Compares every row of a flat file with its *_expect.csv (empty field = null). */
static void check_csv(const char *parquet, const char *csv) {
  FILE *fp = fopen(data_file(csv), "r");
  CHECK(fp != NULL);
  if (fp == NULL) return;
  struct ice_error err;
  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(data_file(parquet), &f, &err), &err);
  struct ice_parquet_read_options o;
  ice_parquet_read_options_init(&o);
  o.batch_rows = 37; /* not a divisor of page sizes: batches straddle pages */
  struct ArrowArrayStream st;
  struct ArrowSchema s;
  CHECK_OK(ice_parquet_stream(f, &o, &st, &err), &err);
  CHECK_EQ_INT(st.get_schema(&st, &s), 0);
  static char line[1 << 16];
  static char fields[128][256];
  if (fgets(line, sizeof line, fp) == NULL) abort(); /* header */
  int64_t rows = 0, mismatches = 0;
  for (;;) {
    struct ArrowArray a;
    int e = st.get_next(&st, &a);
    CHECK_EQ_INT(e, 0);
    if (e != 0 || a.release == NULL) break;
    for (int64_t i = 0; i < a.length; i++, rows++) {
      if (fgets(line, sizeof line, fp) == NULL) {
        mismatches++;
        break;
      }
      line[strcspn(line, "\r\n")] = 0;
      size_t nf = csv_fields(line, fields, 128);
      CHECK_EQ_INT(nf, s.n_children);
      for (int64_t c = 0; c < s.n_children && (size_t)c < nf; c++) {
        struct ice_buf b;
        ice_buf_init(&b, 1 << 20);
        rd_value(&b, s.children[c], a.children[c], i);
        if (ice_buf_append_byte(&b, 0, NULL) != ICE_OK) abort();
        char *txt = (char *)b.data;
        size_t tl = strlen(txt);
        if (tl >= 2 && txt[0] == '"') {
          txt[tl - 1] = 0;
          txt++;
        } else if (strcmp(txt, "null") == 0) {
          txt[0] = 0;
        }
        if (strcmp(txt, fields[c]) != 0 && mismatches++ < 5) {
          fprintf(stderr, "  %s row %lld col %lld: got '%s' expected '%s'\n", parquet,
                  (long long)rows, (long long)c, txt, fields[c]);
        }
        ice_buf_reset(&b);
      }
    }
    a.release(&a);
  }
  CHECK_EQ_INT(mismatches, 0);
  CHECK(fgets(line, sizeof line, fp) == NULL);
  CHECK(rows > 0);
  s.release(&s);
  st.release(&st);
  ice_parquet_close(f);
  fclose(fp);
}

static void test_delta_encodings_match_csv(void) {
  check_csv("delta_binary_packed.parquet", "delta_binary_packed_expect.csv");
  check_csv("delta_byte_array.parquet", "delta_byte_array_expect.csv");
  check_csv("delta_encoding_optional_column.parquet",
            "delta_encoding_optional_column_expect.csv");
  check_csv("delta_encoding_required_column.parquet",
            "delta_encoding_required_column_expect.csv");
}

static void test_nested_shapes(void) {
  check_text("nested_lists.snappy.parquet",
             "{a:[[[\"a\",\"b\"],[\"c\"]],[null,[\"d\"]]],b:1}\n"
             "{a:[[[\"a\",\"b\"],[\"c\",\"d\"]],[null,[\"e\"]]],b:1}\n"
             "{a:[[[\"a\",\"b\"],[\"c\",\"d\"],[\"e\"]],[null,[\"f\"]]],b:1}\n");
  check_text("nested_maps.snappy.parquet",
             "{a:<{key:\"a\",value:<{key:1,value:true},{key:2,value:false}>}>,b:1,c:1}\n"
             "{a:<{key:\"b\",value:<{key:1,value:true}>}>,b:1,c:1}\n"
             "{a:<{key:\"c\",value:null}>,b:1,c:1}\n"
             "{a:<{key:\"d\",value:<>}>,b:1,c:1}\n"
             "{a:<{key:\"e\",value:<{key:1,value:true}>}>,b:1,c:1}\n"
             "{a:<{key:\"f\",value:<{key:3,value:true},{key:4,value:false},"
             "{key:5,value:true}>}>,b:1,c:1}\n");
  check_text("list_columns.parquet",
             "{int64_list:[1,2,3],utf8_list:[\"abc\",\"efg\",\"hij\"]}\n"
             "{int64_list:[null,1],utf8_list:null}\n"
             "{int64_list:[4],utf8_list:[\"efg\",null,\"hij\",\"xyz\"]}\n");
  check_text("null_list.parquet", "{emptylist:[]}\n");
  check_text("nonnullable.impala.parquet",
             "{ID:8,Int_Array:[-1],int_array_array:[[-1,-2],[]],"
             "Int_Map:<{key:\"k1\",value:-1}>,int_map_array:[<>,<{key:\"k1\",value:1}>,<>,<>],"
             "nested_Struct:{a:-1,B:[-1],c:{D:[[{e:-1,f:\"nonnullable\"}]]},G:<>}}\n");
  check_text("nullable.impala.parquet",
             "{id:1,int_array:[1,2,3],int_array_Array:[[1,2],[3,4]],"
             "int_map:<{key:\"k1\",value:1},{key:\"k2\",value:100}>,"
             "int_Map_Array:[<{key:\"k1\",value:1}>],nested_struct:{A:1,b:[1],"
             "C:{d:[[{E:10,F:\"aaa\"},{E:-10,F:\"bbb\"}],[{E:11,F:\"c\"}]]},"
             "g:<{key:\"foo\",value:{H:{i:[1.1]}}}>}}\n"
             "{id:2,int_array:[null,1,2,null,3,null],int_array_Array:[[null,1,2,null],"
             "[3,null,4],[],null],int_map:<{key:\"k1\",value:2},{key:\"k2\",value:null}>,"
             "int_Map_Array:[<{key:\"k3\",value:null},{key:\"k1\",value:1}>,null,<>],"
             "nested_struct:{A:null,b:[null],C:{d:[[{E:null,F:null},{E:10,F:\"aaa\"},"
             "{E:null,F:null},{E:-10,F:\"bbb\"},{E:null,F:null}],[{E:11,F:\"c\"},null],[],"
             "null]},g:<{key:\"g1\",value:{H:{i:[2.2,null]}}},{key:\"g2\",value:{H:{i:[]}}},"
             "{key:\"g3\",value:null},{key:\"g4\",value:{H:{i:null}}},"
             "{key:\"g5\",value:{H:null}}>}}\n"
             "{id:3,int_array:[],int_array_Array:[null],int_map:<>,int_Map_Array:[null,null],"
             "nested_struct:{A:null,b:null,C:{d:[]},g:<>}}\n"
             "{id:4,int_array:null,int_array_Array:[],int_map:<>,int_Map_Array:[],"
             "nested_struct:{A:null,b:null,C:{d:null},g:null}}\n"
             "{id:5,int_array:null,int_array_Array:null,int_map:<>,int_Map_Array:null,"
             "nested_struct:{A:null,b:null,C:null,g:<{key:\"foo\",value:{H:{i:[2.2,3.3]}}}>}}\n"
             "{id:6,int_array:null,int_array_Array:null,int_map:null,int_Map_Array:null,"
             "nested_struct:null}\n"
             "{id:7,int_array:null,int_array_Array:[null,[5,6]],"
             "int_map:<{key:\"k1\",value:null},{key:\"k3\",value:null}>,int_Map_Array:null,"
             "nested_struct:{A:7,b:[2,3,null],C:{d:[[],[null],null]},g:null}}\n");
}

static void test_legacy_nesting(void) {
  check_text("old_list_structure.parquet", "{a:[[1,2],[3,4]]}\n");
  check_text("repeated_primitive_no_list.parquet",
             "{Int32_list:[0,1,2,3],String_list:[\"foo\",\"zero\",\"one\",\"two\"],"
             "group_of_lists:{Int32_list_in_group:[0,1,2,3],"
             "String_list_in_group:[\"foo\",\"zero\",\"one\",\"two\"]}}\n"
             "{Int32_list:[],String_list:[\"three\"],group_of_lists:{Int32_list_in_group:[],"
             "String_list_in_group:[\"three\"]}}\n"
             "{Int32_list:[4],String_list:[\"four\"],group_of_lists:{Int32_list_in_group:[4],"
             "String_list_in_group:[\"four\"]}}\n"
             "{Int32_list:[5,6,7,8],String_list:[\"five\",\"six\",\"seven\",\"eight\"],"
             "group_of_lists:{Int32_list_in_group:[5,6,7,8],"
             "String_list_in_group:[\"five\",\"six\",\"seven\",\"eight\"]}}\n");
  check_text("repeated_no_annotation.parquet",
             "{id:1,phoneNumbers:null}\n{id:2,phoneNumbers:null}\n"
             "{id:3,phoneNumbers:{phone:[]}}\n"
             "{id:4,phoneNumbers:{phone:[{number:5555555555,kind:null}]}}\n"
             "{id:5,phoneNumbers:{phone:[{number:1111111111,kind:\"home\"}]}}\n"
             "{id:6,phoneNumbers:{phone:[{number:1111111111,kind:\"home\"},"
             "{number:2222222222,kind:null},{number:3333333333,kind:\"mobile\"}]}}\n");
  check_text("incorrect_map_schema.parquet",
             "{my_map:<{key:\"parent\",value:\"another\"},{key:\"name\",value:\"report\"}>}\n");
  check_text("map_no_value.parquet",
             "{my_map:<{key:1,value:null},{key:2,value:null},{key:3,value:null}>,"
             "my_map_no_v:<{key:1,value:null},{key:2,value:null},{key:3,value:null}>,"
             "my_list:[1,2,3]}\n"
             "{my_map:<{key:4,value:null},{key:5,value:null},{key:6,value:null}>,"
             "my_map_no_v:<{key:4,value:null},{key:5,value:null},{key:6,value:null}>,"
             "my_list:[4,5,6]}\n"
             "{my_map:<{key:7,value:null},{key:8,value:null},{key:9,value:null}>,"
             "my_map_no_v:<{key:7,value:null},{key:8,value:null},{key:9,value:null}>,"
             "my_list:[7,8,9]}\n");
}

static void test_decimals_and_special_types(void) {
  const char *files[] = {"int32_decimal.parquet", "int64_decimal.parquet",
                         "fixed_length_decimal.parquet", "fixed_length_decimal_legacy.parquet",
                         "byte_array_decimal.parquet"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    int64_t rows = 0;
    char *got = read_text(data_file(files[i]), 5, &rows);
    CHECK_EQ_INT(rows, 24);
    /* values 1.00 .. 24.00 */
    char want[64];
    snprintf(want, sizeof want, "{value:1.00}\n{value:2.00}\n");
    CHECK(strncmp(got, want, strlen(want)) == 0);
    CHECK(strstr(got, "{value:24.00}\n") != NULL);
    ice_free(got);
  }
  check_text("int96_from_spark.parquet",
             "{a:0x002a1ed963430000978a2500}\n{a:0x00a0b83046030000978a2500}\n"
             "{a:0x00e02992d20900002cfe5100}\n{a:0x006096604e4b0000038c2500}\n"
             "{a:null}\n{a:0x0060b9c76ee2ffffa8abb0f9}\n"); /* raw bytes, as stored */
  check_text("float16_zeros_and_nans.parquet", "{x:null}\n{x:0x0000}\n{x:0x007e}\n");
  check_text("unknown-logical-type.parquet",
             "{column with known type:\"known string 1\","
             "column with unknown type:0x756e6b6e6f776e20737472696e672031}\n"
             "{column with known type:\"known string 2\","
             "column with unknown type:0x756e6b6e6f776e20737472696e672032}\n"
             "{column with known type:\"known string 3\","
             "column with unknown type:0x756e6b6e6f776e20737472696e672033}\n");
  check_text("datapage_v2.snappy.parquet",
             "{a:\"abc\",b:1,c:2,d:true,e:[1,2,3]}\n{a:\"abc\",b:2,c:3,d:true,e:null}\n"
             "{a:\"abc\",b:3,c:4,d:true,e:null}\n{a:null,b:4,c:5,d:false,e:[1,2,3]}\n"
             "{a:\"abc\",b:5,c:2,d:true,e:[1,2]}\n");
}

/* Every readable file gives identical rows whatever the batch size, so batches that
 * straddle pages and row groups lose and duplicate nothing. */
static void test_batch_size_invariance(void) {
  static const char *const names[] = {
      "alltypes_tiny_pages.parquet", "alltypes_tiny_pages_plain.parquet",
      "binary.parquet", "byte_stream_split.zstd.parquet",
      "byte_stream_split_extended.gzip.parquet", "concatenated_gzip_members.parquet",
      "data_index_bloom_encoding_stats.parquet", "datapage_v1-snappy-compressed-checksum.parquet",
      "datapage_v1-uncompressed-checksum.parquet", "datapage_v2_empty_datapage.snappy.parquet",
      "delta_length_byte_array.parquet", "dict-page-offset-zero.parquet",
      "fixed_length_byte_array.parquet", "float16_nonzeros_and_nans.parquet",
      "floating_orders_nan_count.parquet", "hadoop_lz4_compressed.parquet",
      "hadoop_lz4_compressed_larger.parquet", "int32_with_null_pages.parquet",
      "lz4_raw_compressed.parquet", "lz4_raw_compressed_larger.parquet",
      "nan_in_stats.parquet", "non_hadoop_lz4_compressed.parquet", "nulls.snappy.parquet",
      "page_v2_empty_compressed.parquet", "plain-dict-uncompressed-checksum.parquet",
      "rle-dict-snappy-checksum.parquet", "rle_boolean_encoding.parquet",
      "single_nan.parquet", "sort_columns.parquet", "nested_structs.rust.parquet",
      "nation.dict-malformed.parquet", "column_chunk_key_value_metadata.parquet",
      "nullable.impala.parquet", "nested_lists.snappy.parquet"};
  static const int64_t want_rows[] = {7300, 7300, 12, 300, 200, 513, 14, 5120, 5120, 1, 1000,
                                      39, 1000, 8, 50, 4, 10000, 1000, 4, 10000, 2, 4, 8,
                                      10, 1000, 1000, 68, 1, 6, 1, 25, 0, 7, 3};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    int64_t r1 = -1, r2 = -1;
    char *big = read_text(data_file(names[i]), ICE_PARQUET_DEFAULT_BATCH_ROWS, &r1);
    char *small = read_text(data_file(names[i]), 7, &r2);
    if (strncmp(big, "ERROR", 5) == 0 || strstr(big, "INVALID") != NULL) {
      fprintf(stderr, "  %s: %.300s\n", names[i], big);
      ice_test_current_failed = 1;
    }
    if (strcmp(big, small) != 0) {
      fprintf(stderr, "  %s: batch 7 differs from the default batch\n", names[i]);
      ice_test_current_failed = 1;
    }
    CHECK_EQ_INT(r1, want_rows[i]);
    CHECK_EQ_INT(r2, want_rows[i]);
    ice_free(big);
    ice_free(small);
  }
  /* Generated files: dictionary fallback (PLAIN and DELTA_*), every codec, v1/v2. */
  static const char *const gen[] = {
      "generated/fallback_pw_v1.parquet", "generated/fallback_pw_v2.parquet",
      "generated/types_brotli.parquet",   "generated/types_gzip.parquet",
      "generated/types_lz4raw.parquet",   "generated/types_snappy_v2.parquet",
      "generated/types_uncompressed.parquet", "generated/types_zstd_v1.parquet"};
  char *first_types = NULL;
  for (size_t i = 0; i < sizeof gen / sizeof gen[0]; i++) {
    int64_t r1 = -1, r2 = -1;
    char *big = read_text(fixture_file(gen[i]), ICE_PARQUET_DEFAULT_BATCH_ROWS, &r1);
    char *small = read_text(fixture_file(gen[i]), 333, &r2);
    CHECK(strncmp(big, "ERROR", 5) != 0);
    CHECK(strcmp(big, small) == 0);
    CHECK_EQ_INT(r1, i < 2 ? 20000 : 5000);
    /* The types_* files hold the same rows whatever their codec or page version. */
    if (i >= 2) {
      if (first_types == NULL) {
        first_types = big;
        big = NULL;
      } else {
        CHECK(strcmp(first_types, big) == 0);
      }
    }
    ice_free(big);
    ice_free(small);
  }
  ice_free(first_types);
}

static void test_projection_and_row_groups(void) {
  int64_t rows = 0;
  const char *nested[] = {"nested_struct.C", "id"};
  char *got = rd_read_file(data_file("nullable.impala.parquet"), nested, 2, 3, &rows);
  CHECK_EQ_INT(rows, 7);
  CHECK(strncmp(got, "{id:1,nested_struct:{C:{d:[[{E:10,F:\"aaa\"},{E:-10,F:\"bbb\"}],"
                     "[{E:11,F:\"c\"}]]}}}\n", 60) == 0);
  ice_free(got);
  const char *deep[] = {"nested_struct.C.d.E"};
  got = rd_read_file(data_file("nullable.impala.parquet"), deep, 1, 3, &rows);
  CHECK(strncmp(got, "{nested_struct:{C:{d:[[{E:10},{E:-10}],[{E:11}]]}}}\n", 50) == 0);
  ice_free(got);
  /* A path into a map keeps the whole map (key and value). */
  const char *into_map[] = {"nested_struct.g.key"};
  got = rd_read_file(data_file("nullable.impala.parquet"), into_map, 1, 3, &rows);
  CHECK(strncmp(got, "{nested_struct:{g:<{key:\"foo\",value:{H:{i:[1.1]}}}>}}\n", 40) == 0);
  ice_free(got);
  const char *missing[] = {"nope"};
  got = rd_read_file(data_file("nullable.impala.parquet"), missing, 1, 3, &rows);
  CHECK(strncmp(got, "ERROR ICE_ENOTFOUND", 19) == 0);
  ice_free(got);

  struct ice_error err;
  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(data_file("floating_orders_nan_count.parquet"), &f, &err), &err);
  if (f == NULL) return;
  CHECK_EQ_INT(ice_parquet_num_row_groups(f), 5);
  struct ice_parquet_read_options o;
  ice_parquet_read_options_init(&o);
  int32_t rgs[] = {3, 1};
  o.row_groups = rgs;
  o.n_row_groups = 2;
  o.batch_rows = 1000;
  struct ArrowArrayStream st;
  CHECK_OK(ice_parquet_stream(f, &o, &st, &err), &err);
  int64_t total = 0;
  struct ArrowArray a;
  while (st.get_next(&st, &a) == 0 && a.release != NULL) {
    total += a.length;
    a.release(&a);
  }
  CHECK_EQ_INT(total, 20);
  st.release(&st);
  int32_t bad_rg[] = {5};
  o.row_groups = bad_rg;
  o.n_row_groups = 1;
  CHECK_EQ_INT(ice_parquet_stream(f, &o, &st, &err), ICE_EINVAL);
  o.row_groups = NULL;
  o.batch_rows = 0;
  CHECK_EQ_INT(ice_parquet_stream(f, &o, &st, &err), ICE_EINVAL);
  ice_parquet_close(f);
}

static void test_bad_files_fail_cleanly(void) {
  static const char *const bad[] = {
      "bad_data/ARROW-GH-41317.parquet", "bad_data/ARROW-GH-41321.parquet",
      "bad_data/ARROW-GH-45185.parquet", "bad_data/ARROW-GH-47662.parquet",
      "bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet",
      "bad_data/ARROW-RS-GH-6229-LEVELS.parquet", "bad_data/PARQUET-1481.parquet",
      "data/encrypt_columns_plaintext_footer.parquet.encrypted",
      "data/uniform_encryption.parquet.encrypted", "data/datapage_v1-corrupt-checksum.parquet",
      "data/rle-dict-uncompressed-corrupt-checksum.parquet"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char rel[256];
    snprintf(rel, sizeof rel, "parquet-testing/%s", bad[i]);
    int64_t rows = 0;
    char *got = read_text(fixture_file(rel), 3, &rows);
    const char *err = strstr(got, "ERROR");
    if (err == NULL) {
      fprintf(stderr, "  %s: read without error\n", bad[i]);
      ice_test_current_failed = 1;
    } else {
      /* Messages name the file. */
      CHECK(strstr(err, strrchr(bad[i], '/') + 1) != NULL);
    }
    ice_free(got);
  }
  /* Error messages locate the failure. */
  int64_t rows = 0;
  char *got = read_text(data_file("datapage_v1-corrupt-checksum.parquet"), 100, &rows);
  CHECK(strstr(got, "row group 0: column 'a': page 0: page checksum mismatch") != NULL);
  ice_free(got);
  /* ARROW-GH-43605 is "bad" per its README but every peer reads it (width-0 indices). */
  got = read_text(fixture_file("parquet-testing/bad_data/ARROW-GH-43605.parquet"), 4096,
                  &rows);
  CHECK(strncmp(got, "ERROR", 5) != 0);
  CHECK_EQ_INT(rows, 21186);
  ice_free(got);
}

/* DuckDB writes 33-bit DELTA_BINARY_PACKED miniblocks for full-range int32 columns
 * (deltas computed in 64 bits); DuckDB reads them back, so must we. Sums checked with
 * DuckDB: i32_full 1165901138, u32_full 6443616845138 over 3000 rows. */
static void test_delta_int32_wide_miniblocks(void) {
  snprintf(g_path, sizeof g_path, "%s/fuzz/corpus/parquet_read/"
           "duckdb_int32_full_range_delta33.parquet", ice_test_source_dir());
  struct ice_error err;
  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(g_path, &f, &err), &err);
  if (f == NULL) return;
  struct ArrowArrayStream st;
  CHECK_OK(ice_parquet_stream(f, NULL, &st, &err), &err);
  int64_t s32 = 0, su32 = 0, rows = 0;
  struct ArrowArray a;
  while (st.get_next(&st, &a) == 0 && a.release != NULL) {
    const int32_t *i32 = (const int32_t *)a.children[0]->buffers[1];
    const uint32_t *u32 = (const uint32_t *)a.children[1]->buffers[1];
    for (int64_t i = 0; i < a.length; i++) {
      s32 += i32[i];
      su32 += u32[i];
    }
    rows += a.length;
    a.release(&a);
  }
  CHECK_EQ_INT(rows, 3000);
  CHECK_EQ_INT(s32, 1165901138);
  CHECK_EQ_INT(su32, 6443616845138LL);
  st.release(&st);
  ice_parquet_close(f);
}

static void test_open_memory_and_describe(void) {
  FILE *fp = fopen(data_file("nested_maps.snappy.parquet"), "rb");
  CHECK(fp != NULL);
  if (fp == NULL) return;
  static uint8_t buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf, fp);
  fclose(fp);
  struct ice_error err;
  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open_memory(buf, n, "mem.parquet", &f, &err), &err);
  if (f == NULL) return;
  char *d = NULL;
  CHECK_OK(ice_parquet_describe(f, &d, &err), &err);
  CHECK(d != NULL && strstr(d, "file: mem.parquet\n") != NULL);
  CHECK(d != NULL && strstr(d, "      key_value: group repeated\n") != NULL);
  CHECK(d != NULL && strstr(d, "a: group optional converted=MAP") != NULL);
  CHECK(d != NULL && strstr(d, "row_group 0: rows=6") != NULL);
  CHECK(d != NULL && strstr(d, "column a.key_value.key: BYTE_ARRAY codec=SNAPPY") != NULL);
  ice_string_free(d);
  /* Truncated files fail at open, never crash. */
  ice_parquet_file *g = NULL;
  CHECK(ice_parquet_open_memory(buf, n / 2, "half.parquet", &g, &err) != ICE_OK);
  CHECK(g == NULL);
  ice_parquet_close(f);
  CHECK_EQ_INT(ice_parquet_open("/nonexistent/x.parquet", &g, &err), ICE_ENOTFOUND);
}

int main(void) {
  ICE_RUN(test_alltypes_plain_values);
  ICE_RUN(test_schema_mapping);
  ICE_RUN(test_delta_encodings_match_csv);
  ICE_RUN(test_nested_shapes);
  ICE_RUN(test_legacy_nesting);
  ICE_RUN(test_decimals_and_special_types);
  ICE_RUN(test_batch_size_invariance);
  ICE_RUN(test_projection_and_row_groups);
  ICE_RUN(test_bad_files_fail_cleanly);
  ICE_RUN(test_delta_int32_wide_miniblocks);
  ICE_RUN(test_open_memory_and_describe);
  ICE_TEST_EXIT();
}
