/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Round trips through our own reader: every Iceberg type (and the small/unsigned
 * integers the reader emits) with nulls, empty strings, NaN/+-0/+-Infinity,
 * decimal(38,10) extremes, timestamps before 1970, nested lists of structs, maps, lists
 * of lists; under every codec, page v1 and v2, dictionary on/off, tiny pages and
 * dictionary limits (so dictionary fallback happens mid-chunk), sliced input (offsets)
 * and several row groups.
 */
#include <math.h>

#include "harness/ice_test.h"
#include "ice/ice_parquet.h"
#include "io/io.h"
#include "parquet/pq_writer.h"
#include "test_parquet_write_arrow.h"
#include "test_parquet_write_compare.h"

#define N 37

static const char *const prim_formats[] = {
    "b",   "c",   "s",    "i",       "l",    "C",       "S",     "I",      "L",
    "f",   "g",   "u",    "z",       "w:3",  "w:16",    "d:9,2", "d:18,4", "d:38,10",
    "tdD", "ttu", "tsu:", "tsu:UTC", "tsn:", "tsn:UTC", "ttn",   "n"};
#define N_PRIM (sizeof prim_formats / sizeof prim_formats[0])

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Deterministic values with edge cases at fixed rows. */
static void fill_prim(struct ArrowArray *a, const char *format, int64_t n) {
  struct arrow_type t;
  struct ice_error err;
  if (arrow_type_parse(format, &t, &err)) abort();
  uint8_t valid[N * 4];
  for (int64_t i = 0; i < n; i++) valid[i] = (i % 5) != 4;
  if (t.id == ARROW_TYPE_NA) { /* null type: no buffers, every slot null */
    if (arrow_array_init(a, 0, 0, &err)) abort();
    a->length = n;
    a->null_count = n;
    return;
  }
  if (t.id == ARROW_TYPE_BOOL) {
    uint8_t v[N * 4];
    for (int64_t i = 0; i < n; i++) v[i] = (uint8_t)(rnd() & 1);
    tw_bool(a, n, v, valid);
    return;
  }
  if (t.id == ARROW_TYPE_STRING || t.id == ARROW_TYPE_BINARY) {
    static const char *const pool[] = {
        "",          "a",        "hello",
        "Ünïcødé ✓", "zzzz",     "\xe2\x82\xac",
        "the same",  "the same", "longer text that is longer"};
    const char *v[N * 4];
    for (int64_t i = 0; i < n; i++) v[i] = valid[i] ? pool[rnd() % 9] : NULL;
    tw_str(a, n, v, NULL);
    return;
  }
  int64_t w = t.id == ARROW_TYPE_FIXED_BINARY ? t.fixed_size : t.byte_width;
  uint8_t *buf = ice_calloc((size_t)(n * w), 1);
  for (int64_t i = 0; i < n; i++) {
    uint8_t *p = buf + i * w;
    uint64_t r = rnd();
    switch (t.id) {
      case ARROW_TYPE_FLOAT: {
        static const float sp[] = {NAN, 0.0f, -0.0f, INFINITY, -INFINITY, 1.5f, -3.25f};
        float f = i < 7 ? sp[i] : (float)(int32_t)(r >> 40) / 7.0f;
        memcpy(p, &f, 4);
        break;
      }
      case ARROW_TYPE_DOUBLE: {
        static const double sp[] = {NAN, 0.0, -0.0, INFINITY, -INFINITY, 1e300, -1e-300};
        double d = i < 7 ? sp[i] : (double)(int64_t)r / 3.0;
        memcpy(p, &d, 8);
        break;
      }
      case ARROW_TYPE_DECIMAL128: {
        /* unscaled values within precision: extremes at rows 0/1 */
        __extension__ __int128 lim = 1;
        for (int k = 0; k < t.precision; k++) lim *= 10;
        __extension__ __int128 v = (__int128)(int64_t)r % lim;
        if (i == 0) v = lim - 1;
        if (i == 1) v = -(lim - 1);
        if (i == 2) v = 0;
        memcpy(p, &v, 16);
        break;
      }
      case ARROW_TYPE_DATE32: {
        int32_t d = (int32_t)(r % 200000) - 100000; /* before and after 1970 */
        memcpy(p, &d, 4);
        break;
      }
      case ARROW_TYPE_TIME64: {
        int64_t us =
            (int64_t)(r % 86400000000ull) * (t.unit == ARROW_UNIT_NANO ? 1000 : 1);
        memcpy(p, &us, 8);
        break;
      }
      case ARROW_TYPE_TIMESTAMP: {
        int64_t v = (int64_t)(r % 4000000000000000ull) -
                    2000000000000000ll; /* +-63 years of us */
        if (i == 0) v = -1;             /* just before the epoch */
        memcpy(p, &v, 8);
        break;
      }
      default:
        memcpy(p, &r, (size_t)(w < 8 ? w : 8));
        for (int64_t k = 8; k < w; k++) p[k] = (uint8_t)rnd();
        if (i < 3 && w <= 8) memset(p, i == 0 ? 0x00 : i == 1 ? 0xFF : 0x80, (size_t)w);
        break;
    }
  }
  tw_prim(a, n, buf, (size_t)w, valid);
  ice_free(buf);
}

/* Columns: every primitive (nullable, ids 1..), plus required int, then nested:
 *   l: list<int32>, ls: list<struct<a:int64, b:string>>, m: map<string,int64>,
 *   st: struct<x:double, inner:struct<y:string>>, ll: list<list<int32>> */
static void make_batch(struct ArrowSchema *s, struct ArrowArray *a, int64_t n) {
  int64_t nc = (int64_t)N_PRIM + 1 + 5;
  tw_field(s, "+s", "", 0, -1, nc);
  tw_struct(a, n, nc, NULL);
  int id = 1;
  char name[32];
  for (size_t c = 0; c < N_PRIM; c++) {
    snprintf(name, sizeof name, "c%zu", c);
    const char *f = prim_formats[c];
    if (strcmp(f, "w:16") == 0) {
      tw_field_ext(s->children[c], f, name, 1, id++, "arrow.uuid");
    } else {
      tw_field(s->children[c], f, name, 1, id++, 0);
    }
    fill_prim(a->children[c], f, n);
  }
  int64_t k = (int64_t)N_PRIM;
  /* required int32 */
  tw_field(s->children[k], "i", "req", 0, id++, 0);
  {
    int32_t v[N * 4];
    for (int64_t i = 0; i < n; i++) v[i] = (int32_t)(rnd() % 5);
    tw_prim(a->children[k], n, v, 4, NULL);
  }
  k++;
  /* l: list<int32>: rows cycle through null, [], [null], [1,2,3] */
  int32_t off[N * 4 + 1];
  uint8_t lvalid[N * 4];
  int32_t total = 0;
  for (int64_t i = 0; i < n; i++) {
    off[i] = total;
    lvalid[i] = i % 4 != 0;
    total += i % 4 == 0 ? 0 : i % 4 == 1 ? 0 : i % 4 == 2 ? 1 : 3;
  }
  off[n] = total;
  tw_field(s->children[k], "+l", "l", 1, id++, 1);
  tw_field(s->children[k]->children[0], "i", "element", 1, id++, 0);
  tw_list(a->children[k], n, off, lvalid);
  {
    int32_t v[N * 4 * 3];
    uint8_t ev[N * 4 * 3];
    for (int32_t i = 0; i < total; i++) {
      v[i] = (int32_t)rnd();
      ev[i] = (i % 3) != 0 || (i % 2);
    }
    tw_prim(a->children[k]->children[0], total, v, 4, ev);
  }
  k++;
  /* ls: list<struct<a:int64 required, b:string>> (non-null list, 0..2 elements) */
  tw_field(s->children[k], "+l", "ls", 0, id++, 1);
  tw_field(s->children[k]->children[0], "+s", "element", 1, id++, 2);
  tw_field(s->children[k]->children[0]->children[0], "l", "a", 0, id++, 0);
  tw_field(s->children[k]->children[0]->children[1], "u", "b", 1, id++, 0);
  total = 0;
  for (int64_t i = 0; i < n; i++) {
    off[i] = total;
    total += (int32_t)(i % 3);
  }
  off[n] = total;
  tw_list(a->children[k], n, off, NULL);
  {
    struct ArrowArray *st = a->children[k]->children[0];
    uint8_t sv[N * 4 * 2];
    for (int32_t i = 0; i < total; i++) sv[i] = i % 4 != 1;
    tw_struct(st, total, 2, sv);
    int64_t v[N * 4 * 2];
    for (int32_t i = 0; i < total; i++) v[i] = (int64_t)rnd();
    tw_prim(st->children[0], total, v, 8, NULL);
    const char *sv2[N * 4 * 2];
    for (int32_t i = 0; i < total; i++) sv2[i] = i % 3 == 0 ? NULL : (i % 2 ? "x" : "");
    tw_str(st->children[1], total, sv2, NULL);
  }
  k++;
  /* m: map<string, int64>: null map every 6th row, empty every 6th+1 */
  tw_field(s->children[k], "+m", "m", 1, id++, 1);
  tw_field(s->children[k]->children[0], "+s", "entries", 0, -1, 2);
  tw_field(s->children[k]->children[0]->children[0], "u", "key", 0, id++, 0);
  tw_field(s->children[k]->children[0]->children[1], "l", "value", 1, id++, 0);
  total = 0;
  for (int64_t i = 0; i < n; i++) {
    off[i] = total;
    lvalid[i] = i % 6 != 0;
    total += (i % 6 == 0 || i % 6 == 1) ? 0 : 2;
  }
  off[n] = total;
  tw_list(a->children[k], n, off, lvalid);
  {
    struct ArrowArray *en = a->children[k]->children[0];
    tw_struct(en, total, 2, NULL);
    const char *keys[N * 4 * 2];
    for (int32_t i = 0; i < total; i++) keys[i] = i % 2 ? "k1" : "k0";
    tw_str(en->children[0], total, keys, NULL);
    int64_t v[N * 4 * 2];
    uint8_t vv[N * 4 * 2];
    for (int32_t i = 0; i < total; i++) {
      v[i] = (int64_t)rnd();
      vv[i] = i % 5 != 2;
    }
    tw_prim(en->children[1], total, v, 8, vv);
  }
  k++;
  /* st: struct<x:double, inner:struct<y:string>> */
  tw_field(s->children[k], "+s", "st", 1, id++, 2);
  tw_field(s->children[k]->children[0], "g", "x", 1, id++, 0);
  tw_field(s->children[k]->children[1], "+s", "inner", 1, id++, 1);
  tw_field(s->children[k]->children[1]->children[0], "u", "y", 1, id++, 0);
  {
    uint8_t sv[N * 4], iv[N * 4];
    for (int64_t i = 0; i < n; i++) {
      sv[i] = i % 7 != 3;
      iv[i] = i % 3 != 1;
    }
    tw_struct(a->children[k], n, 2, sv);
    fill_prim(a->children[k]->children[0], "g", n);
    tw_struct(a->children[k]->children[1], n, 1, iv);
    fill_prim(a->children[k]->children[1]->children[0], "u", n);
  }
  k++;
  /* ll: list<list<int32>> */
  tw_field(s->children[k], "+l", "ll", 1, id++, 1);
  tw_field(s->children[k]->children[0], "+l", "element", 1, id++, 1);
  tw_field(s->children[k]->children[0]->children[0], "i", "element", 0, id++, 0);
  total = 0;
  for (int64_t i = 0; i < n; i++) {
    off[i] = total;
    total += (int32_t)(i % 3);
  }
  off[n] = total;
  tw_list(a->children[k], n, off, NULL);
  {
    int32_t off2[N * 4 * 2 + 1];
    uint8_t iv[N * 4 * 2];
    int32_t t2 = 0;
    for (int32_t i = 0; i < total; i++) {
      off2[i] = t2;
      iv[i] = i % 4 != 3;
      t2 += iv[i] ? i % 3 : 0;
    }
    off2[total] = t2;
    tw_list(a->children[k]->children[0], total, off2, iv);
    int32_t v[N * 4 * 4];
    for (int32_t i = 0; i < t2; i++) v[i] = (int32_t)i * 7;
    tw_prim(a->children[k]->children[0]->children[0], t2, v, 4, NULL);
  }
}

/* Writes `batch` rows [first, first+n) in pieces of `piece` rows, reads back, compares.
 */
static void roundtrip(const char *const *props, int64_t first, int64_t piece,
                      const char *label) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  make_batch(&s, &a, N * 4);
  char path[512];
  tw_tmp_path(path, sizeof path, "rt.parquet");
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  CHECK_OK(pq_writer_options_apply(&o, props, &err), &err);
  struct ice_output *out;
  CHECK_OK(io_local_create(path, &out, &err), &err);
  struct pq_writer *w = NULL;
  CHECK_OK(pq_writer_new(&s, &o, out, &w, &err), &err);
  int64_t n = N * 4 - first;
  /* sliced input: a batch whose offset is `first` */
  a.offset += first;
  a.length = n;
  for (int64_t r = 0; r < n && w; r += piece) {
    int64_t m = n - r < piece ? n - r : piece;
    CHECK_OK(pq_writer_check_batch(w, &a, &err), &err);
    CHECK_OK(pq_writer_write_rows(w, &a, r, m, &err), &err);
    if (r == 0) CHECK_OK(pq_writer_flush_row_group(w, &err), &err); /* 2+ row groups */
  }
  CHECK_OK(pq_writer_close(w, &err), &err);
  pq_writer_free(w);

  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(path, &f, &err), &err);
  if (f == NULL) {
    fprintf(stderr, "  (%s)\n", label);
    goto out;
  }
  CHECK_EQ_INT(ice_parquet_num_rows(f), n);
  struct ice_parquet_read_options ro;
  ice_parquet_read_options_init(&ro);
  ro.batch_rows = 13;
  struct ArrowArrayStream st;
  CHECK_OK(ice_parquet_stream(f, &ro, &st, &err), &err);
  struct ArrowSchema rs;
  CHECK_EQ_INT(st.get_schema(&st, &rs), 0);
  for (int64_t c = 0; c < s.n_children; c++) {
    const char *v;
    int32_t vl;
    CHECK(arrow_metadata_find(rs.children[c]->metadata, "PARQUET:field_id", &v, &vl));
  }
  int64_t row = 0;
  int ok = 1;
  for (;;) {
    struct ArrowArray b;
    if (st.get_next(&st, &b) != 0) {
      fprintf(stderr, "  read error: %s\n", st.get_last_error(&st));
      ok = 0;
      break;
    }
    if (b.release == NULL) break;
    for (int64_t i = 0; i < b.length && ok; i++, row++) {
      for (int64_t c = 0; c < s.n_children && ok; c++) {
        ok = tw_slot_equal(s.children[c], a.children[c], a.offset + row, b.children[c],
                           b.offset + i, s.children[c]->name);
        if (!ok)
          fprintf(stderr, "  (%s) row %lld column %s\n", label, (long long)row,
                  s.children[c]->name);
      }
    }
    b.release(&b);
    if (!ok) break;
  }
  CHECK(ok);
  CHECK_EQ_INT(row, n);
  rs.release(&rs);
  st.release(&st);
out:
  ice_parquet_close(f);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_default_options(void) {
  roundtrip(NULL, 0, 1000, "defaults");
}

static void test_every_codec_v1_v2(void) {
  static const char *const codecs[] = {"zstd", "snappy", "gzip",
                                       "lz4",  "brotli", "uncompressed"};
  for (size_t c = 0; c < 6; c++) {
    for (int v = 1; v <= 2; v++) {
      const char *props[] = {"write.parquet.compression-codec", codecs[c],
                             "write.parquet.page-version", v == 1 ? "1" : "2", NULL};
      char label[64];
      snprintf(label, sizeof label, "%s v%d", codecs[c], v);
      roundtrip(props, 0, 50, label);
    }
  }
}

static void test_tiny_pages_and_dictionary_fallback(void) {
  for (int v = 1; v <= 2; v++) {
    const char *props[] = {"write.parquet.page-row-limit",
                           "7",
                           "write.parquet.dict-size-bytes",
                           "40",
                           "write.parquet.page-version",
                           v == 1 ? "1" : "2",
                           NULL};
    roundtrip(props, 3, 17, v == 1 ? "tiny v1" : "tiny v2");
    const char *bytes[] = {"write.parquet.page-size-bytes", "16",
                           "write.parquet.page-version", v == 1 ? "1" : "2", NULL};
    roundtrip(bytes, 1, 40, v == 1 ? "16-byte pages v1" : "16-byte pages v2");
  }
}

static void test_no_dictionary(void) {
  const char *props[] = {"write.parquet.dictionary-enabled", "false", NULL};
  roundtrip(props, 5, 100, "plain");
  const char *v2[] = {"write.parquet.dictionary-enabled", "false",
                      "write.parquet.page-version", "2", NULL};
  roundtrip(v2, 0, 100, "delta v2");
}

/* Large string/binary (int64 offsets) and large lists come back as their 32-bit forms. */
static void test_large_types(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 3);
  tw_field(s.children[0], "U", "ls", 1, 1, 0);
  tw_field(s.children[1], "Z", "lb", 1, 2, 0);
  tw_field(s.children[2], "+L", "ll", 1, 3, 1);
  tw_field(s.children[2]->children[0], "i", "element", 1, 4, 0);
  enum { R = 5 };
  static const char *const strs[R] = {"alpha", "", NULL, "\xce\xbb", "zz"};
  int64_t off[R + 1] = {0};
  char data[64];
  size_t pos = 0;
  uint8_t valid[R];
  for (int i = 0; i < R; i++) {
    valid[i] = strs[i] != NULL;
    if (strs[i]) {
      memcpy(data + pos, strs[i], strlen(strs[i]));
      pos += strlen(strs[i]);
    }
    off[i + 1] = (int64_t)pos;
  }
  tw_struct(&a, R, 3, NULL);
  for (int c = 0; c < 2; c++) {
    if (arrow_array_init(a.children[c], 3, 0, &err)) abort();
    a.children[c]->length = R;
    tw_validity(a.children[c], valid, R);
    arrow_array_set_buffer(a.children[c], 1, tw_dup(off, sizeof off));
    arrow_array_set_buffer(a.children[c], 2, tw_dup(data, pos));
  }
  int64_t loff[R + 1] = {0, 2, 2, 3, 3, 6};
  uint8_t lvalid[R] = {1, 1, 1, 0, 1};
  if (arrow_array_init(a.children[2], 2, 1, &err)) abort();
  a.children[2]->length = R;
  tw_validity(a.children[2], lvalid, R);
  arrow_array_set_buffer(a.children[2], 1, tw_dup(loff, sizeof loff));
  int32_t ev[6] = {1, 2, 3, 4, 5, 6};
  tw_prim(a.children[2]->children[0], 6, ev, 4, NULL);

  char path[512];
  tw_tmp_path(path, sizeof path, "large.parquet");
  struct ice_output *out;
  CHECK_OK(io_local_create(path, &out, &err), &err);
  struct pq_writer *w = NULL;
  CHECK_OK(pq_writer_new(&s, NULL, out, &w, &err), &err);
  CHECK_OK(pq_writer_write(w, &a, &err), &err);
  CHECK_OK(pq_writer_close(w, &err), &err);
  pq_writer_free(w);

  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(path, &f, &err), &err);
  struct ice_parquet_read_options ro;
  ice_parquet_read_options_init(&ro);
  struct ArrowArrayStream st;
  CHECK_OK(ice_parquet_stream(f, &ro, &st, &err), &err);
  struct ArrowArray b;
  CHECK_EQ_INT(st.get_next(&st, &b), 0);
  CHECK_EQ_INT(b.length, R);
  for (int c = 0; c < 2; c++) {
    const struct ArrowArray *x = b.children[c];
    for (int i = 0; i < R; i++) {
      CHECK_EQ_INT(tw_valid(x, i), valid[i]);
      if (!valid[i]) continue;
      const int32_t *o = arrow_array_offsets32(x);
      CHECK_EQ_INT(o[i + 1] - o[i], (int32_t)strlen(strs[i]));
      CHECK(memcmp(arrow_array_bytes(x) + o[i], strs[i], strlen(strs[i])) == 0);
    }
  }
  const struct ArrowArray *l = b.children[2];
  const int32_t *lo = arrow_array_offsets32(l);
  const int32_t *vals =
      (const int32_t *)l->children[0]->buffers[1] + l->children[0]->offset;
  for (int i = 0; i < R; i++) {
    CHECK_EQ_INT(tw_valid(l, i), lvalid[i]);
    if (!lvalid[i]) continue;
    CHECK_EQ_INT(lo[i + 1] - lo[i], loff[i + 1] - loff[i]);
    for (int32_t k = 0; k < lo[i + 1] - lo[i]; k++)
      CHECK_EQ_INT(vals[lo[i] + k], ev[loff[i] + k]);
  }
  b.release(&b);
  st.release(&st);
  ice_parquet_close(f);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

/* Units Iceberg lacks are converted on write: s/ms timestamps and times to micros,
 * date64 to days (floor); an overflowing conversion is an error naming the row. */
static void test_unit_conversions(void) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, 5);
  tw_field(s.children[0], "tsm:UTC", "ms", 1, 1, 0);
  tw_field(s.children[1], "tss:", "sec", 1, 2, 0);
  tw_field(s.children[2], "tdm", "d64", 1, 3, 0);
  tw_field(s.children[3], "ttm", "t32", 1, 4, 0);
  tw_field(s.children[4], "tts", "t32s", 1, 5, 0);
  int64_t ms[3] = {-1, 0, 1700000000123};
  int64_t sec[3] = {-86401, 0, 1700000000};
  int64_t d64[3] = {-1, 86400000, -86400000 * 2};
  int32_t t32[3] = {0, 1, 86399999};
  int32_t t32s[3] = {0, 59, 86399};
  tw_struct(&a, 3, 5, NULL);
  tw_prim(a.children[0], 3, ms, 8, NULL);
  tw_prim(a.children[1], 3, sec, 8, NULL);
  tw_prim(a.children[2], 3, d64, 8, NULL);
  tw_prim(a.children[3], 3, t32, 4, NULL);
  tw_prim(a.children[4], 3, t32s, 4, NULL);
  char path[512];
  tw_tmp_path(path, sizeof path, "units.parquet");
  struct ice_output *out;
  CHECK_OK(io_local_create(path, &out, &err), &err);
  struct pq_writer *w = NULL;
  CHECK_OK(pq_writer_new(&s, NULL, out, &w, &err), &err);
  CHECK_OK(pq_writer_write(w, &a, &err), &err);
  CHECK_OK(pq_writer_close(w, &err), &err);
  pq_writer_free(w);
  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(path, &f, &err), &err);
  struct ice_parquet_read_options ro;
  ice_parquet_read_options_init(&ro);
  struct ArrowArrayStream st;
  CHECK_OK(ice_parquet_stream(f, &ro, &st, &err), &err);
  struct ArrowSchema rs;
  CHECK_EQ_INT(st.get_schema(&st, &rs), 0);
  CHECK_EQ_STR(rs.children[0]->format, "tsu:UTC");
  CHECK_EQ_STR(rs.children[1]->format, "tsu:");
  CHECK_EQ_STR(rs.children[2]->format, "tdD");
  CHECK_EQ_STR(rs.children[3]->format, "ttu");
  struct ArrowArray b;
  CHECK_EQ_INT(st.get_next(&st, &b), 0);
  const int64_t *o0 = (const int64_t *)b.children[0]->buffers[1] + b.children[0]->offset;
  const int64_t *o1 = (const int64_t *)b.children[1]->buffers[1] + b.children[1]->offset;
  const int32_t *o2 = (const int32_t *)b.children[2]->buffers[1] + b.children[2]->offset;
  const int64_t *o3 = (const int64_t *)b.children[3]->buffers[1] + b.children[3]->offset;
  const int64_t *o4 = (const int64_t *)b.children[4]->buffers[1] + b.children[4]->offset;
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(o0[i], ms[i] * 1000);
    CHECK_EQ_INT(o1[i], sec[i] * 1000000);
    CHECK_EQ_INT(o3[i], (int64_t)t32[i] * 1000);
    CHECK_EQ_INT(o4[i], (int64_t)t32s[i] * 1000000);
  }
  CHECK_EQ_INT(o2[0], -1); /* -1 ms is the day before the epoch */
  CHECK_EQ_INT(o2[1], 1);
  CHECK_EQ_INT(o2[2], -2);
  b.release(&b);
  rs.release(&rs);
  st.release(&st);
  ice_parquet_close(f);
  arrow_array_release(&a);
  arrow_schema_release(&s);

  /* seconds that overflow int64 microseconds */
  tw_field(&s, "+s", "", 0, -1, 1);
  tw_field(s.children[0], "tss:", "sec", 1, 1, 0);
  int64_t huge[2] = {0, INT64_MAX / 1000};
  tw_struct(&a, 2, 1, NULL);
  tw_prim(a.children[0], 2, huge, 8, NULL);
  tw_tmp_path(path, sizeof path, "units_overflow.parquet");
  CHECK_OK(io_local_create(path, &out, &err), &err);
  CHECK_OK(pq_writer_new(&s, NULL, out, &w, &err), &err);
  CHECK_EQ_INT(pq_writer_write(w, &a, &err), ICE_EINVAL);
  CHECK(strstr(err.message, "column 'sec': row 1") != NULL);
  pq_writer_free(w);
  CHECK(access(path, F_OK) != 0);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

int main(void) {
  ICE_RUN(test_unit_conversions);
  ICE_RUN(test_large_types);
  ICE_RUN(test_default_options);
  ICE_RUN(test_every_codec_v1_v2);
  ICE_RUN(test_tiny_pages_and_dictionary_fallback);
  ICE_RUN(test_no_dictionary);
  ICE_TEST_EXIT();
}
