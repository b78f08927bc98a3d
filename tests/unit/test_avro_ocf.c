/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for Avro object container files: writer -> reader round trips (null and
 * deflate, many blocks), header metadata order, hand-built snappy/zstd files, every
 * truncation and corrupted sync markers, and reading every Iceberg manifest and
 * manifest list under tests/data (record counts from avsc).
 *
 * When ICE_AVRO_INTEROP_DIR is set, the written files are left there for
 * tests/interop/check_avro.mjs, which decodes them with avsc and checks the same
 * deterministic records (see make_row).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "avro/avro.h"
#include "codec/codec.h"
#include "harness/ice_test.h"
#include "io/io.h"
#include "util/alloc.h"
#include "util/crc32.h"

/* Keep in sync with tests/interop/check_avro.mjs. */
static const char *row_schema =
    "{\"type\":\"record\",\"name\":\"row\",\"namespace\":\"ice.test\",\"fields\":["
    "{\"name\":\"id\",\"type\":\"long\",\"field-id\":1},"
    "{\"name\":\"name\",\"type\":\"string\",\"field-id\":2},"
    "{\"name\":\"flag\",\"type\":\"boolean\",\"field-id\":3},"
    "{\"name\":\"small\",\"type\":\"int\",\"field-id\":4},"
    "{\"name\":\"ratio\",\"type\":[\"null\",\"double\"],\"default\":null,\"field-id\":5},"
    "{\"name\":\"f\",\"type\":\"float\",\"field-id\":6},"
    "{\"name\":\"raw\",\"type\":\"bytes\",\"field-id\":7},"
    "{\"name\":\"suit\",\"type\":{\"type\":\"enum\",\"name\":\"suit\",\"symbols\":[\"S\",\"H\",\"D\"]},\"field-id\":8},"
    "{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"f4\",\"size\":4},\"field-id\":9},"
    "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\",\"element-id\":10},\"field-id\":11},"
    "{\"name\":\"attrs\",\"type\":{\"type\":\"map\",\"values\":\"long\"},\"field-id\":12},"
    "{\"name\":\"nothing\",\"type\":\"null\",\"field-id\":13}"
    "]}";

static int64_t row_id(int64_t i) {
  return i * 1000003 - 500000000000LL;
}

/* Record i of the test files, encoded field by field. */
static int make_row(struct ice_buf *b, int64_t i, struct ice_error *err) {
  char name[32];
  snprintf(name, sizeof name, "row-%lld", (long long)i);
  ICE_TRY(avro_put_long(b, row_id(i), err));
  ICE_TRY(avro_put_cstring(b, name, err));
  ICE_TRY(avro_put_boolean(b, i % 2 == 0, err));
  ICE_TRY(avro_put_int(b, (int32_t)(i % 1000) - 500, err));
  if (i % 3 == 0) {
    ICE_TRY(avro_put_union(b, 0, err));
  } else {
    ICE_TRY(avro_put_union(b, 1, err));
    ICE_TRY(avro_put_double(b, (double)i * 0.5, err));
  }
  ICE_TRY(avro_put_float(b, (float)i + 0.25f, err));
  uint8_t raw[4];
  memset(raw, (int)(i & 0xff), sizeof raw);
  ICE_TRY(avro_put_bytes(b, raw, (size_t)(i % 5), err));
  ICE_TRY(avro_put_enum(b, (uint32_t)(i % 3), err));
  uint8_t fx[4] = {(uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
  ICE_TRY(avro_put_fixed(b, fx, 4, err));
  size_t ntags = (size_t)(i % 4);
  if (ntags > 0) {
    ICE_TRY(avro_put_block_count(b, ntags, err));
    for (size_t t = 0; t < ntags; t++) {
      char tag[24];
      snprintf(tag, sizeof tag, "t%zu", t);
      ICE_TRY(avro_put_cstring(b, tag, err));
    }
  }
  ICE_TRY(avro_put_block_count(b, 0, err));
  ICE_TRY(avro_put_block_count(b, 1, err));
  ICE_TRY(avro_put_cstring(b, "k", err));
  ICE_TRY(avro_put_long(b, i, err));
  ICE_TRY(avro_put_block_count(b, 0, err));
  return avro_put_null(b, err);
}

static void check_row(const struct avro_value *v, int64_t i) {
  int64_t l = 0;
  int32_t n = 0;
  bool b = false;
  double d = 0;
  const char *s = NULL;
  CHECK(avro_value_as_long(avro_value_field(v, "id"), &l));
  CHECK_EQ_INT(l, row_id(i));
  char name[32];
  snprintf(name, sizeof name, "row-%lld", (long long)i);
  CHECK(avro_value_as_string(avro_value_field(v, "name"), &s, NULL));
  CHECK_EQ_STR(s, name);
  CHECK(avro_value_as_bool(avro_value_field(v, "flag"), &b) && b == (i % 2 == 0));
  CHECK(avro_value_as_int(avro_value_field(v, "small"), &n));
  CHECK_EQ_INT(n, i % 1000 - 500);
  const struct avro_value *ratio = avro_value_field(v, "ratio");
  if (i % 3 == 0) {
    CHECK(avro_value_is_null(ratio));
  } else {
    CHECK(avro_value_as_double(ratio, &d) && d == (double)i * 0.5);
  }
  const struct avro_value *tags = avro_value_field(v, "tags");
  CHECK(tags != NULL && tags->u.array.n == (size_t)(i % 4));
  CHECK(avro_value_as_long(avro_value_map_get(avro_value_field(v, "attrs"), "k"), &l));
  CHECK_EQ_INT(l, i);
  const struct avro_value *suit = avro_value_field(v, "suit");
  CHECK(suit != NULL && suit->u.enum_index == (uint32_t)(i % 3));
}

static char tmpdir[256];

static void make_tmpdir(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ice_avro_ocf_XXXXXX");
  CHECK(mkdtemp(tmpdir) != NULL);
}

/* Writes n rows to path; returns the file size or -1. */
static int64_t write_rows(const char *path, int64_t n, enum avro_codec codec,
                          size_t block_bytes, const uint8_t *sync) {
  struct ice_error err;
  struct avro_schema *schema = NULL;
  struct ice_output *out = NULL;
  struct avro_ocf_writer *w = NULL;
  int64_t size = -1;
  unlink(path);
  CHECK_OK(avro_schema_parse(row_schema, strlen(row_schema), &schema, &err), &err);
  CHECK_OK(io_local_create(path, &out, &err), &err);
  if (schema == NULL || out == NULL) goto done;
  const char *meta[] = {"schema", "{\"type\":\"struct\"}", "format-version", "2",
                        "content", "data", NULL};
  struct avro_ocf_writer_options opts = {codec, 0, block_bytes, sync};
  CHECK_OK(avro_ocf_writer_new(out, schema, meta, &opts, &w, &err), &err);
  if (w == NULL) goto done;
  for (int64_t i = 0; i < n; i++) {
    int rc = make_row(avro_ocf_writer_record_buf(w), i, &err);
    if (rc == ICE_OK) rc = avro_ocf_writer_end_record(w, &err);
    CHECK_OK(rc, &err);
    if (rc != ICE_OK) goto done;
  }
  CHECK_EQ_INT(avro_ocf_writer_count(w), n);
  CHECK_OK(avro_ocf_writer_finish(w, &err), &err);
  CHECK_OK(ice_output_finish(out, &err), &err);
  size = out->written;
done:
  avro_ocf_writer_free(w);
  ice_output_close(out);
  avro_schema_free(schema);
  return size;
}

/* Reads every record of an OCF file in memory; returns the rc, the count and (when
 * check is set) verifies each row. */
static int read_all_mem(const uint8_t *data, size_t len, int64_t *count, bool check,
                        struct ice_error *err) {
  struct ice_input *in = NULL;
  struct avro_ocf_reader *r = NULL;
  struct ice_arena arena;
  ice_arena_init(&arena, 1 << 24);
  *count = 0;
  int rc = io_memory_open_read(data, len, "mem.avro", &in, err);
  if (rc == ICE_OK) rc = avro_ocf_reader_open(in, &r, err);
  while (rc == ICE_OK) {
    struct avro_value v;
    bool eof = false;
    rc = avro_ocf_reader_next(r, &arena, &v, &eof, err);
    if (rc != ICE_OK || eof) break;
    if (check) check_row(&v, *count);
    (*count)++;
    ice_arena_reset(&arena);
  }
  ice_arena_reset(&arena);
  avro_ocf_reader_free(r);
  ice_input_close(in);
  return rc;
}

static uint8_t *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = ice_malloc(n > 0 ? (size_t)n : 1);
  if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    ice_free(buf);
    buf = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static void round_trip(enum avro_codec codec, int64_t n, size_t block_bytes) {
  char path[512];
  snprintf(path, sizeof path, "%s/rt_%s_%lld.avro", tmpdir, avro_codec_name(codec),
           (long long)n);
  int64_t size = write_rows(path, n, codec, block_bytes, NULL);
  CHECK(size > 0);
  size_t len = 0;
  uint8_t *data = slurp(path, &len);
  CHECK(data != NULL && (int64_t)len == size);
  if (data == NULL) return;
  struct ice_error err;
  int64_t count = -1;
  CHECK_OK(read_all_mem(data, len, &count, true, &err), &err);
  CHECK_EQ_INT(count, n);

  /* header metadata in the order given, then avro.schema and avro.codec */
  struct ice_input *in = NULL;
  struct avro_ocf_reader *r = NULL;
  CHECK_OK(io_memory_open_read(data, len, "mem", &in, &err), &err);
  CHECK_OK(avro_ocf_reader_open(in, &r, &err), &err);
  if (r != NULL) {
    CHECK_EQ_INT(avro_ocf_reader_meta_count(r), 5);
    const char *k, *v;
    size_t vlen;
    avro_ocf_reader_meta_at(r, 0, &k, &v, &vlen);
    CHECK_EQ_STR(k, "schema");
    CHECK_EQ_STR(v, "{\"type\":\"struct\"}");
    avro_ocf_reader_meta_at(r, 1, &k, &v, &vlen);
    CHECK_EQ_STR(k, "format-version");
    avro_ocf_reader_meta_at(r, 3, &k, &v, &vlen);
    CHECK_EQ_STR(k, "avro.schema");
    CHECK_EQ_STR(avro_ocf_reader_meta(r, "avro.codec", NULL), avro_codec_name(codec));
    CHECK_EQ_STR(avro_ocf_reader_meta(r, "content", &vlen), "data");
    CHECK_EQ_INT(vlen, 4);
    CHECK(avro_ocf_reader_meta(r, "nope", NULL) == NULL);
    CHECK_EQ_INT(avro_ocf_reader_codec(r), codec);
    const struct avro_schema *s = avro_ocf_reader_schema(r);
    int64_t id = 0;
    CHECK(avro_schema_prop_int(s->fields[10].props, "field-id", &id) && id == 12);
    /* raw blocks add up to the same count; small thresholds give many blocks */
    int64_t total = 0, blocks = 0;
    for (;;) {
      int64_t bc;
      const uint8_t *bd;
      size_t bl;
      bool eof = false;
      int rc = avro_ocf_reader_next_block(r, &bc, &bd, &bl, &eof, &err);
      CHECK_OK(rc, &err);
      if (rc != ICE_OK || eof) break;
      total += bc;
      blocks++;
    }
    CHECK_EQ_INT(total, n);
    if (block_bytes > 0 && n > 100) CHECK(blocks > 1);
  }
  avro_ocf_reader_free(r);
  ice_input_close(in);
  ice_free(data);
}

static void test_round_trip_null_codec(void) {
  round_trip(AVRO_CODEC_NULL, 1000, 700);
  round_trip(AVRO_CODEC_NULL, 0, 0);
  round_trip(AVRO_CODEC_NULL, 1, 0);
}

static void test_round_trip_deflate(void) {
  round_trip(AVRO_CODEC_DEFLATE, 1000, 700);
  round_trip(AVRO_CODEC_DEFLATE, 5000, 0);
}

static void test_round_trip_snappy_zstd(void) {
  round_trip(AVRO_CODEC_SNAPPY, 1000, 700);
  round_trip(AVRO_CODEC_ZSTD, 1000, 700);
}

static void test_fixed_sync_is_deterministic(void) {
  const uint8_t sync[16] = "0123456789abcdef";
  char a[512], b[512];
  snprintf(a, sizeof a, "%s/det_a.avro", tmpdir);
  snprintf(b, sizeof b, "%s/det_b.avro", tmpdir);
  write_rows(a, 50, AVRO_CODEC_DEFLATE, 256, sync);
  write_rows(b, 50, AVRO_CODEC_DEFLATE, 256, sync);
  size_t la = 0, lb = 0;
  uint8_t *da = slurp(a, &la), *db = slurp(b, &lb);
  CHECK(da != NULL && db != NULL && la == lb && memcmp(da, db, la) == 0);
  /* the marker ends the header and every block */
  CHECK(da != NULL && la > 16 && memcmp(da + la - 16, sync, 16) == 0);
  ice_free(da);
  ice_free(db);
}

static void test_every_truncation_and_bad_sync(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/trunc.avro", tmpdir);
  const int64_t n = 60;
  int64_t size = write_rows(path, n, AVRO_CODEC_DEFLATE, 300, NULL);
  size_t len = 0;
  uint8_t *data = slurp(path, &len);
  if (data == NULL || size <= 0) {
    CHECK(0);
    ice_free(data);
    return;
  }
  for (size_t cut = 0; cut < len; cut++) {
    int64_t count = 0;
    struct ice_error err;
    int rc = read_all_mem(data, cut, &count, false, &err);
    /* a cut on a block boundary is a valid shorter file; anything else fails */
    CHECK(rc != ICE_OK || count < n);
    CHECK(rc == ICE_OK || rc == ICE_ECORRUPT);
  }
  /* flip the last byte (part of the final sync marker) */
  data[len - 1] ^= 0x55;
  int64_t count = 0;
  struct ice_error err;
  CHECK_EQ_INT(read_all_mem(data, len, &count, false, &err), ICE_ECORRUPT);
  CHECK(strstr(err.message, "sync") != NULL);
  data[len - 1] ^= 0x55;
  /* flipping any single byte never crashes (ASan/UBSan watch this loop) */
  for (size_t i = 0; i < len; i++) {
    data[i] ^= 0xa5;
    (void)read_all_mem(data, len, &count, false, &err);
    data[i] ^= 0xa5;
  }
  ice_free(data);
}

/* Builds an OCF file by hand with one block of rows [0, n) in the given codec. */
static int build_ocf(struct ice_buf *file, const char *codec_name, enum codec_id cid,
                     int64_t n, bool break_crc, struct ice_error *err) {
  static const uint8_t sync[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  struct ice_buf rows, packed;
  struct codec_ctx cctx;
  ice_buf_init(&rows, 1 << 20);
  ice_buf_init(&packed, 1 << 20);
  codec_ctx_init(&cctx);
  int rc = ice_buf_append(file, "Obj\1", 4, err);
  if (rc == ICE_OK) rc = avro_put_block_count(file, 2, err);
  if (rc == ICE_OK) rc = avro_put_cstring(file, "avro.schema", err);
  if (rc == ICE_OK) rc = avro_put_cstring(file, row_schema, err);
  if (rc == ICE_OK) rc = avro_put_cstring(file, "avro.codec", err);
  if (rc == ICE_OK) rc = avro_put_cstring(file, codec_name, err);
  if (rc == ICE_OK) rc = avro_put_block_count(file, 0, err);
  if (rc == ICE_OK) rc = ice_buf_append(file, sync, 16, err);
  for (int64_t i = 0; rc == ICE_OK && i < n; i++) rc = make_row(&rows, i, err);
  if (rc == ICE_OK) rc = codec_compress(&cctx, cid, 0, rows.data, rows.len, &packed, err);
  if (rc == ICE_OK && cid == CODEC_SNAPPY) {
    uint32_t crc = ice_crc32(0, rows.data, rows.len);
    if (break_crc) crc ^= 1;
    uint8_t be[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8),
                     (uint8_t)crc};
    rc = ice_buf_append(&packed, be, 4, err);
  }
  if (rc == ICE_OK) rc = avro_put_long(file, n, err);
  if (rc == ICE_OK) rc = avro_put_long(file, (int64_t)packed.len, err);
  if (rc == ICE_OK) rc = ice_buf_append(file, packed.data, packed.len, err);
  if (rc == ICE_OK) rc = ice_buf_append(file, sync, 16, err);
  ice_buf_reset(&rows);
  ice_buf_reset(&packed);
  codec_ctx_reset(&cctx);
  return rc;
}

static void test_snappy_and_zstd_blocks(void) {
  struct ice_error err;
  const struct {
    const char *name;
    enum codec_id id;
  } codecs[] = {{"snappy", CODEC_SNAPPY}, {"zstandard", CODEC_ZSTD}, {"deflate", CODEC_DEFLATE_RAW}};
  for (size_t c = 0; c < 3; c++) {
    struct ice_buf file;
    ice_buf_init(&file, 1 << 22);
    CHECK_OK(build_ocf(&file, codecs[c].name, codecs[c].id, 200, false, &err), &err);
    int64_t count = 0;
    CHECK_OK(read_all_mem(file.data, file.len, &count, true, &err), &err);
    CHECK_EQ_INT(count, 200);
    ice_buf_reset(&file);
  }
  /* a wrong CRC32 after a snappy block is corruption */
  struct ice_buf file;
  ice_buf_init(&file, 1 << 22);
  CHECK_OK(build_ocf(&file, "snappy", CODEC_SNAPPY, 20, true, &err), &err);
  int64_t count = 0;
  CHECK_EQ_INT(read_all_mem(file.data, file.len, &count, false, &err), ICE_ECORRUPT);
  CHECK(strstr(err.message, "checksum") != NULL);
  ice_buf_reset(&file);
  /* unknown codecs are unsupported, not corrupt */
  ice_buf_init(&file, 1 << 22);
  CHECK_OK(build_ocf(&file, "bzip2", CODEC_NONE, 1, false, &err), &err);
  CHECK_EQ_INT(read_all_mem(file.data, file.len, &count, false, &err), ICE_EUNSUPPORTED);
  ice_buf_reset(&file);
}

static void test_empty_block_then_rows(void) {
  struct ice_error err;
  struct ice_buf file;
  ice_buf_init(&file, 1 << 22);
  CHECK_OK(build_ocf(&file, "null", CODEC_NONE, 3, false, &err), &err);
  /* insert an empty block (count 0, size 0, sync) right after the header */
  size_t header_len = file.len;
  for (size_t i = 0; i + 16 <= file.len; i++) {
    if (memcmp(file.data + i, "\1\2\3\4\5\6\7\10\11\12\13\14\15\16\17\20", 16) == 0) {
      header_len = i + 16;
      break;
    }
  }
  uint8_t empty[18] = {0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  struct ice_buf with;
  ice_buf_init(&with, 1 << 22);
  CHECK_OK(ice_buf_append(&with, file.data, header_len, &err), &err);
  CHECK_OK(ice_buf_append(&with, empty, sizeof empty, &err), &err);
  CHECK_OK(ice_buf_append(&with, file.data + header_len, file.len - header_len, &err), &err);
  int64_t count = 0;
  CHECK_OK(read_all_mem(with.data, with.len, &count, true, &err), &err);
  CHECK_EQ_INT(count, 3);
  ice_buf_reset(&with);
  ice_buf_reset(&file);
}

#ifdef ICE_TEST_HOOKS
/* Writes 200 rows with each allocation failing in turn: clean ENOMEM, no leaks. */
static void test_alloc_failures_while_writing(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/alloc_fail.avro", tmpdir);
  struct avro_schema *schema = NULL;
  struct ice_error err;
  CHECK_OK(avro_schema_parse(row_schema, strlen(row_schema), &schema, &err), &err);
  if (schema == NULL) return;
  bool finished = false;
  for (long n = 1; n < 2000 && !finished; n++) {
    unlink(path);
    long live = ice_alloc_live();
    struct ice_output *out = NULL;
    struct avro_ocf_writer *w = NULL;
    CHECK_OK(io_local_create(path, &out, &err), &err);
    if (out == NULL) break;
    ice_alloc_fail_after(n);
    struct avro_ocf_writer_options opts = {AVRO_CODEC_DEFLATE, 1, 500, NULL};
    int rc = avro_ocf_writer_new(out, schema, NULL, &opts, &w, &err);
    for (int64_t i = 0; rc == ICE_OK && i < 200; i++) {
      rc = make_row(avro_ocf_writer_record_buf(w), i, &err);
      if (rc == ICE_OK) rc = avro_ocf_writer_end_record(w, &err);
    }
    if (rc == ICE_OK) rc = avro_ocf_writer_finish(w, &err);
    ice_alloc_fail_after(0);
    if (rc == ICE_OK) {
      CHECK_OK(ice_output_finish(out, &err), &err);
      finished = true;
    } else {
      /* the codec module reports deflateInit2's Z_MEM_ERROR as ICE_EINVAL; tolerated
       * here until it maps that to ICE_ENOMEM */
      bool codec_init = rc == ICE_EINVAL && strstr(err.message, "deflate: cannot initialise");
      if (rc != ICE_ENOMEM && !codec_init) {
        fprintf(stderr, "  allocation %ld: %s\n", n, err.message);
        CHECK_EQ_INT(rc, ICE_ENOMEM);
      }
      ice_output_abort(out);
    }
    avro_ocf_writer_free(w);
    ice_output_close(out);
    CHECK_EQ_INT(ice_alloc_live(), live);
  }
  CHECK(finished);
  size_t len = 0;
  uint8_t *data = slurp(path, &len);
  int64_t count = 0;
  if (data != NULL) CHECK_OK(read_all_mem(data, len, &count, true, &err), &err);
  CHECK_EQ_INT(count, 200);
  ice_free(data);
  avro_schema_free(schema);
}
#endif

/* A datum abandoned halfway (e.g. a failed put) is dropped with discard_record. */
static void test_discard_record(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/discard.avro", tmpdir);
  unlink(path);
  struct avro_schema *schema = NULL;
  struct ice_output *out = NULL;
  struct avro_ocf_writer *w = NULL;
  struct ice_error err;
  CHECK_OK(avro_schema_parse(row_schema, strlen(row_schema), &schema, &err), &err);
  CHECK_OK(io_local_create(path, &out, &err), &err);
  if (schema != NULL && out != NULL) {
    CHECK_OK(avro_ocf_writer_new(out, schema, NULL, NULL, &w, &err), &err);
  }
  if (w != NULL) {
    CHECK_OK(make_row(avro_ocf_writer_record_buf(w), 0, &err), &err);
    CHECK_OK(avro_ocf_writer_end_record(w, &err), &err);
    CHECK_OK(avro_put_long(avro_ocf_writer_record_buf(w), 77, &err), &err);
    avro_ocf_writer_discard_record(w);
    CHECK_OK(make_row(avro_ocf_writer_record_buf(w), 1, &err), &err);
    CHECK_OK(avro_ocf_writer_end_record(w, &err), &err);
    CHECK_EQ_INT(avro_ocf_writer_count(w), 2);
    CHECK_OK(avro_ocf_writer_finish(w, &err), &err);
    CHECK_OK(ice_output_finish(out, &err), &err);
  }
  avro_ocf_writer_free(w);
  ice_output_close(out);
  avro_schema_free(schema);
  size_t len = 0;
  uint8_t *data = slurp(path, &len);
  int64_t count = 0;
  if (data != NULL) CHECK_OK(read_all_mem(data, len, &count, true, &err), &err);
  CHECK_EQ_INT(count, 2);
  ice_free(data);
}

static void test_writer_rejects_bad_arguments(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/bad_args.avro", tmpdir);
  struct ice_error err;
  struct avro_schema *schema = NULL;
  struct ice_output *out = NULL;
  struct avro_ocf_writer *w = NULL;
  CHECK_OK(avro_schema_parse("\"long\"", 6, &schema, &err), &err);
  CHECK_OK(io_local_create(path, &out, &err), &err);
  if (schema == NULL || out == NULL) goto done;
  const char *reserved[] = {"avro.codec", "null", NULL};
  CHECK_EQ_INT(avro_ocf_writer_new(out, schema, reserved, NULL, &w, &err), ICE_EINVAL);
  struct avro_ocf_writer_options level = {AVRO_CODEC_DEFLATE, 10, 0, NULL};
  CHECK_EQ_INT(avro_ocf_writer_new(out, schema, NULL, &level, &w, &err), ICE_EINVAL);
  struct avro_ocf_writer_options codec = {(enum avro_codec)9, 0, 0, NULL};
  CHECK_EQ_INT(avro_ocf_writer_new(out, schema, NULL, &codec, &w, &err), ICE_EUNSUPPORTED);
  CHECK(w == NULL);
done:
  ice_output_abort(out);
  ice_output_close(out);
  avro_schema_free(schema);
}

/* ---------------------------------------------------------------- shared fixtures */

static int read_file(const char *rel, int64_t *count, struct ice_arena *arena,
                     struct avro_value *first, struct avro_ocf_reader **keep,
                     struct ice_input **keep_in, struct ice_error *err) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", ice_test_data_dir(), rel);
  struct ice_input *in = NULL;
  struct avro_ocf_reader *r = NULL;
  *count = 0;
  int rc = io_local_open_read(path, &in, err);
  if (rc == ICE_OK) rc = avro_ocf_reader_open(in, &r, err);
  while (rc == ICE_OK) {
    struct avro_value v;
    bool eof = false;
    rc = avro_ocf_reader_next(r, arena, &v, &eof, err);
    if (rc != ICE_OK || eof) break;
    if (*count == 0) *first = v;
    (*count)++;
  }
  if (rc == ICE_OK && keep != NULL) {
    *keep = r;
    *keep_in = in;
    return rc;
  }
  avro_ocf_reader_free(r);
  ice_input_close(in);
  return rc;
}

static void test_reads_every_iceberg_fixture(void) {
  /* record counts as decoded by avsc 5.7.9 */
  static const struct {
    const char *path;
    int64_t count;
    bool manifest; /* else manifest list */
  } files[] = {
      {"iceberg-metadata/manifests_lists/manifest-list-v2-1.avro", 1, false},
      {"iceberg-metadata/manifests_lists/manifest-list-v2-2.avro", 1, false},
      {"iceberg-tables/athena/example/metadata/3d82674b-df1e-49b5-a7a9-05b61567065a-m0.avro", 1, true},
      {"iceberg-tables/athena/example/metadata/snap-6838723292707092922-1-3d82674b-df1e-49b5-a7a9-05b61567065a.avro", 1, false},
      {"iceberg-tables/java/bunnies/metadata/583a45a0-7389-4d71-9305-ac3a8725c38b-m0.avro", 1, true},
      {"iceberg-tables/java/bunnies/metadata/a01399a1-e864-4562-b921-c8cb56e6e4a9-m0.avro", 1, true},
      {"iceberg-tables/java/bunnies/metadata/a01399a1-e864-4562-b921-c8cb56e6e4a9-m1.avro", 1, true},
      {"iceberg-tables/java/bunnies/metadata/e1756967-c907-47e2-8b37-82123c5e5908-m0.avro", 1, true},
      {"iceberg-tables/java/bunnies/metadata/snap-4951213507629824583-1-583a45a0-7389-4d71-9305-ac3a8725c38b.avro", 1, false},
      {"iceberg-tables/java/bunnies/metadata/snap-6458828015811002920-1-e1756967-c907-47e2-8b37-82123c5e5908.avro", 2, false},
      {"iceberg-tables/java/bunnies/metadata/snap-9158179788527662767-1-a01399a1-e864-4562-b921-c8cb56e6e4a9.avro", 4, false},
      {"iceberg-tables/loose/a85973e4-4009-4cba-875e-5278a2c6027d-m0.avro", 1, true},
      {"iceberg-tables/loose/snap-8656952484400131532-1-a85973e4-4009-4cba-875e-5278a2c6027d.avro", 1, false},
      {"iceberg-tables/spark/bunnies/metadata/91d5eea0-314d-4056-8818-59b825cbd38a-m0.avro", 1, true},
      {"iceberg-tables/spark/bunnies/metadata/91d5eea0-314d-4056-8818-59b825cbd38a-m1.avro", 1, true},
      {"iceberg-tables/spark/bunnies/metadata/ac75cc9f-cc0c-4712-8337-fe4b0c473459-m0.avro", 1, true},
      {"iceberg-tables/spark/bunnies/metadata/bbd21bb7-5974-4d4b-bd54-82fb9b0ed6bf-m0.avro", 1, true},
      {"iceberg-tables/spark/bunnies/metadata/snap-2701171901096418979-1-91d5eea0-314d-4056-8818-59b825cbd38a.avro", 3, false},
      {"iceberg-tables/spark/bunnies/metadata/snap-469881615898633426-1-ac75cc9f-cc0c-4712-8337-fe4b0c473459.avro", 2, false},
      {"iceberg-tables/spark/bunnies/metadata/snap-7505300640432048841-1-bbd21bb7-5974-4d4b-bd54-82fb9b0ed6bf.avro", 1, false},
      {"iceberg-tables/spark/rename_column/metadata/abf62b15-903b-40b6-9e6b-26bcdceac9b3-m0.avro", 3, true},
      {"iceberg-tables/spark/rename_column/metadata/snap-5276958600260276572-1-abf62b15-903b-40b6-9e6b-26bcdceac9b3.avro", 1, false},
  };
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    struct ice_error err;
    struct ice_arena arena;
    ice_arena_init(&arena, 1 << 24);
    int64_t count = -1;
    struct avro_value first;
    struct avro_ocf_reader *r = NULL;
    struct ice_input *in = NULL;
    int rc = read_file(files[i].path, &count, &arena, &first, &r, &in, &err);
    CHECK_OK(rc, &err);
    CHECK_EQ_INT(count, files[i].count);
    if (rc == ICE_OK && count > 0) {
      CHECK_EQ_STR(avro_ocf_reader_meta(r, "avro.codec", NULL), "deflate");
      CHECK(avro_ocf_reader_meta(r, "format-version", NULL) != NULL);
      const char *path = NULL;
      if (files[i].manifest) {
        int32_t status = -1;
        CHECK(avro_value_as_int(avro_value_field(&first, "status"), &status));
        CHECK(status >= 0 && status <= 2);
        const struct avro_value *df = avro_value_field(&first, "data_file");
        CHECK(avro_value_as_string(avro_value_field(df, "file_path"), &path, NULL));
        int64_t rows = 0;
        CHECK(avro_value_as_long(avro_value_field(df, "record_count"), &rows) && rows > 0);
        CHECK(avro_ocf_reader_meta(r, "partition-spec", NULL) != NULL);
        CHECK(avro_ocf_reader_meta(r, "schema", NULL) != NULL);
      } else {
        CHECK(avro_value_as_string(avro_value_field(&first, "manifest_path"), &path, NULL));
        int64_t len = 0;
        CHECK(avro_value_as_long(avro_value_field(&first, "manifest_length"), &len) &&
              len > 0);
      }
      CHECK(path != NULL && strlen(path) > 5);
    }
    if (ice_test_current_failed) fprintf(stderr, "  in %s\n", files[i].path);
    avro_ocf_reader_free(r);
    ice_input_close(in);
    ice_arena_reset(&arena);
  }
}

static void test_known_values_in_fixtures(void) {
  struct ice_error err;
  struct ice_arena arena;
  ice_arena_init(&arena, 1 << 24);
  char path[1024];
  snprintf(path, sizeof path, "%s/iceberg-tables/java/bunnies/metadata/"
           "snap-9158179788527662767-1-a01399a1-e864-4562-b921-c8cb56e6e4a9.avro",
           ice_test_data_dir());
  struct ice_input *in = NULL;
  struct avro_ocf_reader *r = NULL;
  CHECK_OK(io_local_open_read(path, &in, &err), &err);
  if (in != NULL) CHECK_OK(avro_ocf_reader_open(in, &r, &err), &err);
  if (r != NULL) {
    CHECK_EQ_STR(avro_ocf_reader_meta(r, "snapshot-id", NULL), "9158179788527662767");
    struct avro_value v;
    bool eof = false;
    /* the second manifest, as avsc decodes it */
    CHECK_OK(avro_ocf_reader_next(r, &arena, &v, &eof, &err), &err);
    CHECK_OK(avro_ocf_reader_next(r, &arena, &v, &eof, &err), &err);
    int64_t l = 0;
    CHECK(avro_value_as_long(avro_value_field(&v, "added_rows_count"), &l));
    CHECK_EQ_INT(l, 21);
    CHECK(avro_value_as_long(avro_value_field(&v, "added_snapshot_id"), &l));
    CHECK_EQ_INT(l, 4951213507629824583LL);
    const struct avro_value *parts = avro_value_field(&v, "partitions");
    CHECK(parts != NULL && parts->schema->type == AVRO_ARRAY && parts->u.array.n == 0);
  }
  avro_ocf_reader_free(r);
  ice_input_close(in);
  ice_arena_reset(&arena);

  /* the spark rename_column manifest: partition {id_bucket: 3, date: null} first */
  snprintf(path, sizeof path, "%s/iceberg-tables/spark/rename_column/metadata/"
           "abf62b15-903b-40b6-9e6b-26bcdceac9b3-m0.avro", ice_test_data_dir());
  in = NULL;
  r = NULL;
  CHECK_OK(io_local_open_read(path, &in, &err), &err);
  if (in != NULL) CHECK_OK(avro_ocf_reader_open(in, &r, &err), &err);
  int64_t total = 0;
  for (int i = 0; r != NULL; i++) {
    struct avro_value v;
    bool eof = false;
    int rc = avro_ocf_reader_next(r, &arena, &v, &eof, &err);
    CHECK_OK(rc, &err);
    if (rc != ICE_OK || eof) break;
    const struct avro_value *df = avro_value_field(&v, "data_file");
    int64_t rows = 0;
    CHECK(avro_value_as_long(avro_value_field(df, "record_count"), &rows));
    total += rows;
    if (i == 0) {
      const struct avro_value *part = avro_value_field(df, "partition");
      int32_t bucket = -1;
      CHECK(avro_value_as_int(avro_value_field(part, "id_bucket"), &bucket));
      CHECK_EQ_INT(bucket, 3);
      CHECK(avro_value_is_null(avro_value_field(part, "date")));
      const struct avro_value *sizes = avro_value_field(df, "column_sizes");
      CHECK(sizes != NULL && sizes->schema->type == AVRO_ARRAY && sizes->u.array.n == 5);
      int64_t first_size = 0;
      if (sizes != NULL && sizes->schema->type == AVRO_ARRAY && sizes->u.array.n == 5) {
        CHECK(avro_value_as_long(avro_value_field(&sizes->u.array.items[0], "value"),
                                 &first_size));
      }
      CHECK_EQ_INT(first_size, 35);
    }
  }
  CHECK_EQ_INT(total, 4);
  avro_ocf_reader_free(r);
  ice_input_close(in);
  ice_arena_reset(&arena);
}

#ifdef ICE_TEST_HOOKS
/* Failing each allocation in turn while reading a manifest: clean ENOMEM, no leaks. */
static void test_alloc_failures_while_reading(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/iceberg-tables/spark/rename_column/metadata/"
           "abf62b15-903b-40b6-9e6b-26bcdceac9b3-m0.avro", ice_test_data_dir());
  size_t len = 0;
  uint8_t *data = slurp(path, &len);
  CHECK(data != NULL);
  if (data == NULL) return;
  bool finished = false;
  for (long n = 1; n < 5000 && !finished; n++) {
    long live = ice_alloc_live();
    int64_t count = 0;
    struct ice_error err;
    ice_alloc_fail_after(n);
    int rc = read_all_mem(data, len, &count, false, &err);
    ice_alloc_fail_after(0);
    if (rc == ICE_OK) {
      CHECK_EQ_INT(count, 3);
      finished = true;
    } else if (rc == ICE_ECORRUPT && strncmp(err.message, "mem.avro: block", 15) == 0 &&
               strstr(err.message, "deflate: corrupt data") != NULL) {
      /* the codec module reports zlib's Z_MEM_ERROR (its window allocation failing)
       * as corrupt data; tolerated here until it maps that to ICE_ENOMEM */
    } else {
      CHECK_EQ_INT(rc, ICE_ENOMEM);
      if (rc != ICE_ENOMEM) fprintf(stderr, "  allocation %ld: %s\n", n, err.message);
    }
    CHECK_EQ_INT(ice_alloc_live(), live);
  }
  CHECK(finished);
  ice_free(data);
}
#endif

/* An input that forwards to another and counts the reads (remote storage pays per
 * request, so the reader should make few). */
struct counting_input {
  struct ice_input base;
  struct ice_input *inner;
  int reads;
};

static int counting_read_at(struct ice_input *in, int64_t off, void *buf, size_t n,
                            struct ice_error *err) {
  struct counting_input *ci = (struct counting_input *)in;
  ci->reads++;
  return ice_input_read_at(ci->inner, off, buf, n, err);
}

static void counting_close(struct ice_input *in) {
  (void)in;
}

static const struct ice_input_vtable counting_vt = {counting_read_at, counting_close,
                                                    false};

static int count_reads(const uint8_t *data, size_t len, int64_t *records) {
  struct ice_error err;
  struct ice_input *mem = NULL;
  struct avro_ocf_reader *r = NULL;
  struct ice_arena arena;
  ice_arena_init(&arena, 1 << 24);
  *records = 0;
  CHECK_OK(io_memory_open_read(data, len, "mem", &mem, &err), &err);
  if (mem == NULL) return -1;
  struct counting_input ci = {{&counting_vt, mem->size, mem->name, NULL}, mem, 0};
  CHECK_OK(avro_ocf_reader_open(&ci.base, &r, &err), &err);
  while (r != NULL) {
    struct avro_value v;
    bool eof = false;
    int rc = avro_ocf_reader_next(r, &arena, &v, &eof, &err);
    CHECK_OK(rc, &err);
    if (rc != ICE_OK || eof) break;
    (*records)++;
    ice_arena_reset(&arena);
  }
  avro_ocf_reader_free(r);
  ice_input_close(mem);
  ice_arena_reset(&arena);
  return ci.reads;
}

static void test_few_reads(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/iceberg-tables/spark/rename_column/metadata/"
           "abf62b15-903b-40b6-9e6b-26bcdceac9b3-m0.avro", ice_test_data_dir());
  size_t len = 0;
  uint8_t *data = slurp(path, &len);
  int64_t records = 0;
  if (data != NULL) {
    CHECK_EQ_INT(count_reads(data, len, &records), 1); /* a small manifest: one read */
    CHECK_EQ_INT(records, 3);
  }
  ice_free(data);
  /* ~400 KiB in 1 KiB blocks: one read per 64 KiB of look-ahead, not per block */
  snprintf(path, sizeof path, "%s/few_reads.avro", tmpdir);
  write_rows(path, 5000, AVRO_CODEC_NULL, 1024, NULL);
  data = slurp(path, &len);
  if (data != NULL) {
    int reads = count_reads(data, len, &records);
    CHECK_EQ_INT(records, 5000);
    CHECK(reads > 0 && (size_t)reads <= len / (64 * 1024) + 2);
    if ((size_t)reads > len / (64 * 1024) + 2) fprintf(stderr, "  %d reads\n", reads);
  }
  ice_free(data);
}

static void test_encrypted_manifest_list_is_rejected(void) {
  struct ice_error err;
  struct ice_arena arena;
  ice_arena_init(&arena, 1 << 20);
  int64_t count;
  struct avro_value first;
  int rc = read_file("iceberg-metadata/manifests_lists/manifest-list-v3-encrypted.avro",
                     &count, &arena, &first, NULL, NULL, &err);
  CHECK_EQ_INT(rc, ICE_ECORRUPT);
  CHECK(strstr(err.message, "magic") != NULL);
  ice_arena_reset(&arena);
}

/* Leaves files for tests/interop/check_avro.mjs. */
static void test_write_interop_files(void) {
  const char *dir = getenv("ICE_AVRO_INTEROP_DIR");
  if (dir == NULL || dir[0] == '\0') return;
  char path[1024];
  snprintf(path, sizeof path, "%s/rows_null.avro", dir);
  CHECK(write_rows(path, 1000, AVRO_CODEC_NULL, 4096, NULL) > 0);
  snprintf(path, sizeof path, "%s/rows_deflate.avro", dir);
  CHECK(write_rows(path, 3000, AVRO_CODEC_DEFLATE, 8192, NULL) > 0);
  snprintf(path, sizeof path, "%s/rows_one_block.avro", dir);
  CHECK(write_rows(path, 10, AVRO_CODEC_DEFLATE, 0, NULL) > 0);
  snprintf(path, sizeof path, "%s/rows_empty.avro", dir);
  CHECK(write_rows(path, 0, AVRO_CODEC_NULL, 0, NULL) > 0);
  snprintf(path, sizeof path, "%s/rows_snappy.avro", dir);
  CHECK(write_rows(path, 1000, AVRO_CODEC_SNAPPY, 4096, NULL) > 0);
  snprintf(path, sizeof path, "%s/rows_zstd.avro", dir);
  CHECK(write_rows(path, 1000, AVRO_CODEC_ZSTD, 4096, NULL) > 0);
}

static void remove_tmpdir(void) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (strncmp(tmpdir, "/tmp/ice_avro_ocf_", 18) == 0) CHECK(system(cmd) == 0);
}

static void test_no_leaks(void) {
  CHECK_EQ_INT(ice_alloc_live(), 0);
}

int main(void) {
  make_tmpdir();
  ICE_RUN(test_round_trip_null_codec);
  ICE_RUN(test_round_trip_deflate);
  ICE_RUN(test_round_trip_snappy_zstd);
  ICE_RUN(test_fixed_sync_is_deterministic);
  ICE_RUN(test_every_truncation_and_bad_sync);
  ICE_RUN(test_snappy_and_zstd_blocks);
  ICE_RUN(test_empty_block_then_rows);
  ICE_RUN(test_writer_rejects_bad_arguments);
  ICE_RUN_WITH_HOOKS(test_alloc_failures_while_writing);
  ICE_RUN(test_discard_record);
  ICE_RUN(test_reads_every_iceberg_fixture);
  ICE_RUN(test_known_values_in_fixtures);
  ICE_RUN(test_encrypted_manifest_list_is_rejected);
  ICE_RUN(test_few_reads);
  ICE_RUN_WITH_HOOKS(test_alloc_failures_while_reading);
  ICE_RUN(test_write_interop_files);
  remove_tmpdir();
  ICE_RUN(test_no_leaks);
  ICE_TEST_EXIT();
}
