/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streamed page bodies (pq_page_read_stream.c, pq_page_read_snappy.c): the incremental
 * snappy decoder against libsnappy's output read in uneven steps, the whole-body
 * fallback for copies beyond the kept history, corrupt bodies, and files with pages
 * of several MiB (snappy, zstd and uncompressed, page v1 and v2, nulls, strings larger than
 * a segment) read back value for value while their pages really stream.
 */
#include <errno.h>

#include "harness/ice_test.h"
#include "ice/ice_parquet.h"
#include "io/io.h"
#include "parquet/pq_page_read.h"
#include "parquet/pq_reader.h"
#include "parquet/pq_writer.h"
#include "test_parquet_write_arrow.h"
#include "test_parquet_write_compare.h"
#include "util/alloc.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Bytes with every kind of snappy element: random stretches (literals), repeats at
 * short and long distances, runs of one byte (overlapping copies). */
static uint8_t *mixed_bytes(size_t n) {
  uint8_t *p = ice_malloc(n);
  size_t i = 0;
  while (i < n) {
    size_t k = 1 + rnd() % 300;
    if (k > n - i) k = n - i;
    switch (rnd() % 4) {
      case 0:
        for (size_t j = 0; j < k; j++) p[i + j] = (uint8_t)rnd();
        break;
      case 1: {
        size_t back = 1 + rnd() % 7;
        for (size_t j = 0; j < k; j++) p[i + j] = i + j >= back ? p[i + j - back] : 7;
        break;
      }
      case 2: {
        size_t back = 1 + rnd() % 60000;
        for (size_t j = 0; j < k; j++) p[i + j] = i + j >= back ? p[i + j - back] : 1;
        break;
      }
      default:
        memset(p + i, (int)(rnd() % 3), k);
    }
    i += k;
  }
  return p;
}

/* Streams `stored` (a snappy body of `total` bytes) reading steps of varying size;
 * returns the code of the first failure and the bytes read so far in *got. */
static int stream_codec(enum codec_id codec, const uint8_t *stored, size_t stored_len,
                        size_t total, uint8_t *got, bool *whole, struct ice_error *err) {
  struct ice_input *in = NULL;
  if (io_memory_open_read(stored, stored_len, "body", &in, err) != ICE_OK) return -1;
  struct codec_ctx ctx;
  codec_ctx_init(&ctx);
  struct pq_page_stream s;
  memset(&s, 0, sizeof s);
  int rc = pq_page_stream_start(&s, in, &ctx, codec, 0, stored_len, total, err);
  size_t at = 0;
  while (rc == ICE_OK && at < total) {
    size_t step = rnd() % 4 == 0 ? 1 + rnd() % 700000 : 1 + rnd() % 5000;
    if (step > total - at) step = total - at;
    rc = pq_page_stream_ensure(&s, step, err);
    if (rc != ICE_OK) break;
    if (pq_page_stream_avail(&s) < step) {
      rc = -2;
      break;
    }
    memcpy(got + at, s.out.data + s.pos, step);
    s.pos += step;
    at += step;
  }
  if (rc == ICE_OK && pq_page_stream_left(&s) != 0) rc = -3;
  *whole = s.whole;
  pq_page_stream_reset(&s);
  codec_ctx_reset(&ctx);
  ice_input_close(in);
  return rc;
}

static int stream_all(const uint8_t *stored, size_t stored_len, size_t total,
                      uint8_t *got, bool *whole, struct ice_error *err) {
  return stream_codec(CODEC_SNAPPY, stored, stored_len, total, got, whole, err);
}

/* zstd bodies stream through libzstd's decoder without falling back; truncations and
 * trailing bytes fail cleanly. */
static void test_zstd_steps_match_libzstd(void) {
  struct ice_error err;
  struct codec_ctx ctx;
  codec_ctx_init(&ctx);
  size_t n = 3u << 20;
  uint8_t *src = mixed_bytes(n);
  struct ice_buf c;
  ice_buf_init(&c, (size_t)1 << 30);
  CHECK_OK(codec_compress(&ctx, CODEC_ZSTD, 0, src, n, &c, &err), &err);
  uint8_t *got = ice_malloc(n);
  bool whole = true;
  CHECK_EQ_INT(stream_codec(CODEC_ZSTD, c.data, c.len, n, got, &whole, &err), ICE_OK);
  CHECK(memcmp(got, src, n) == 0);
  CHECK(!whole);
  for (size_t cut = 0; cut < c.len; cut += 1 + c.len / 23) {
    CHECK_EQ_INT(stream_codec(CODEC_ZSTD, c.data, cut, n, got, &whole, &err), ICE_ECORRUPT);
  }
  CHECK_OK(ice_buf_append(&c, "junk", 4, &err), &err);
  CHECK_EQ_INT(stream_codec(CODEC_ZSTD, c.data, c.len, n, got, &whole, &err), ICE_ECORRUPT);
  ice_free(got);
  ice_free(src);
  ice_buf_reset(&c);
  codec_ctx_reset(&ctx);
}

static void test_snappy_steps_match_libsnappy(void) {
  struct ice_error err;
  struct codec_ctx ctx;
  codec_ctx_init(&ctx);
  size_t sizes[] = {1, 100, 65536, 65537, 300000, 3u << 20};
  for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
    size_t n = sizes[t];
    uint8_t *src = mixed_bytes(n);
    struct ice_buf c;
    ice_buf_init(&c, (size_t)1 << 30);
    CHECK_OK(codec_compress(&ctx, CODEC_SNAPPY, 0, src, n, &c, &err), &err);
    uint8_t *got = ice_malloc(n);
    bool whole = true;
    CHECK_EQ_INT(stream_all(c.data, c.len, n, got, &whole, &err), ICE_OK);
    CHECK(memcmp(got, src, n) == 0);
    CHECK(!whole); /* libsnappy's copies stay within 64 KiB */
    /* Every truncation of the stored bytes fails cleanly (sampled for speed). */
    for (size_t cut = 0; cut < c.len; cut += 1 + c.len / 37) {
      int rc = stream_all(c.data, cut, n, got, &whole, &err);
      CHECK(rc == ICE_ECORRUPT);
    }
    ice_free(got);
    ice_free(src);
    ice_buf_reset(&c);
  }
  codec_ctx_reset(&ctx);
}

/* Appends a snappy literal of n random bytes (3-byte length form) to stored/expect. */
static void put_literal(uint8_t *stored, size_t *k, uint8_t *expect, size_t *e, size_t n) {
  stored[(*k)++] = 62 << 2;
  stored[(*k)++] = (uint8_t)((n - 1) & 0xff);
  stored[(*k)++] = (uint8_t)(((n - 1) >> 8) & 0xff);
  stored[(*k)++] = (uint8_t)((n - 1) >> 16);
  for (size_t i = 0; i < n; i++) expect[(*e)++] = stored[(*k)++] = (uint8_t)rnd();
}

/* Appends a 64-byte copy from `off` bytes back (4-byte offset form). */
static void put_copy(uint8_t *stored, size_t *k, uint8_t *expect, size_t *e, size_t off) {
  stored[(*k)++] = (uint8_t)(((64 - 1) << 2) | 3);
  for (int b = 0; b < 4; b++) stored[(*k)++] = (uint8_t)(off >> (8 * b));
  memcpy(expect + *e, expect + *e - off, 64);
  *e += 64;
}

/* Copies reaching 600000 and 1200064 bytes back, further than any step keeps: the
 * body is decoded whole instead, with the same bytes. */
static void test_far_copy_falls_back_to_whole_body(void) {
  struct ice_error err;
  size_t lit = 600000, total = 2 * lit + 128;
  uint8_t *stored = ice_malloc(total + 64);
  uint8_t *expect = ice_malloc(total);
  size_t k = 0, e = 0;
  for (uint64_t v = total; ; v >>= 7) { /* length preamble */
    stored[k++] = (uint8_t)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
    if (v < 0x80) break;
  }
  put_literal(stored, &k, expect, &e, lit);
  put_copy(stored, &k, expect, &e, lit);
  put_literal(stored, &k, expect, &e, lit);
  put_copy(stored, &k, expect, &e, 2 * lit + 64);
  CHECK_EQ_INT(e, total);
  uint8_t *got = ice_malloc(total);
  bool whole = false;
  CHECK_EQ_INT(stream_all(stored, k, total, got, &whole, &err), ICE_OK);
  CHECK(whole);
  CHECK(memcmp(got, expect, total) == 0);
  /* offset 0 and an offset before the body are corrupt, as is a wrong preamble */
  memset(stored + k - 4, 0, 4);
  CHECK_EQ_INT(stream_all(stored, k, total, got, &whole, &err), ICE_ECORRUPT);
  stored[k - 2] = 0x7f;
  CHECK_EQ_INT(stream_all(stored, k, total, got, &whole, &err), ICE_ECORRUPT);
  CHECK_EQ_INT(stream_all(stored, k, total + 1, got, &whole, &err), ICE_ECORRUPT);
  ice_free(got);
  ice_free(expect);
  ice_free(stored);
}

/* Trailing stored bytes after the body are corrupt. */
static void test_trailing_bytes_rejected(void) {
  struct ice_error err;
  uint8_t stored[8] = {3, (2 << 2), 'a', 'b', 'c', 0, 0, 0};
  uint8_t got[3];
  bool whole = false;
  CHECK_EQ_INT(stream_all(stored, 5, 3, got, &whole, &err), ICE_OK);
  CHECK(memcmp(got, "abc", 3) == 0);
  CHECK_EQ_INT(stream_all(stored, 7, 3, got, &whole, &err), ICE_ECORRUPT);
}

#define ROWS 300000
#define BIG_EVERY 40000 /* a string larger than a stream segment now and then */

/* l: int64 (every 7th null), u: string (every 5th null, some of 300 KiB), i: int32
 * required, w: fixed 16 bytes, b: bool (never streamed, read alongside), li:
 * list<int64> (0-4 elements, null and empty lists, null elements; repetition levels). */
static void make_batch(struct ArrowSchema *s, struct ArrowArray *a) {
  tw_field(s, "+s", "", 0, -1, 6);
  tw_field(s->children[0], "l", "l", 1, 1, 0);
  tw_field(s->children[1], "u", "u", 1, 2, 0);
  tw_field(s->children[2], "i", "i", 0, 3, 0);
  tw_field(s->children[3], "w:16", "w", 1, 4, 0);
  tw_field(s->children[4], "b", "b", 1, 5, 0);
  tw_field(s->children[5], "+l", "li", 1, 6, 1);
  tw_field(s->children[5]->children[0], "l", "element", 1, 7, 0);
  tw_struct(a, ROWS, 6, NULL);
  int64_t *l = ice_malloc(ROWS * 8);
  int32_t *i32 = ice_malloc(ROWS * 4);
  uint8_t *w = ice_malloc(ROWS * 16);
  uint8_t *b = ice_malloc(ROWS);
  uint8_t *lv = ice_malloc(ROWS), *uv = ice_malloc(ROWS);
  const char **u = ice_malloc(ROWS * sizeof *u);
  size_t *ulen = ice_malloc(ROWS * sizeof *ulen);
  static char big[300 * 1024];
  for (size_t k = 0; k < sizeof big; k++) big[k] = (char)('a' + rnd() % 26);
  static char small[64 * 64];
  for (size_t k = 0; k < sizeof small; k++) small[k] = (char)('0' + rnd() % 10);
  for (int64_t r = 0; r < ROWS; r++) {
    l[r] = (int64_t)(rnd() % 1000) * 1000003 - r;
    lv[r] = r % 7 != 3;
    i32[r] = (int32_t)(r * 31);
    for (int k = 0; k < 16; k++) w[r * 16 + k] = (uint8_t)(r + k);
    b[r] = (uint8_t)(r % 3 == 0);
    uv[r] = r % 5 != 1;
    u[r] = uv[r] ? (r % BIG_EVERY == 17 ? big : small + (r % 64) * 64) : NULL;
    ulen[r] = r % BIG_EVERY == 17 ? sizeof big : (size_t)(r % 41);
  }
  tw_prim(a->children[0], ROWS, l, 8, lv);
  tw_str(a->children[1], ROWS, u, ulen);
  tw_prim(a->children[2], ROWS, i32, 4, NULL);
  tw_prim(a->children[3], ROWS, w, 16, NULL);
  tw_bool(a->children[4], ROWS, b, NULL);
  int32_t *loff = ice_malloc((ROWS + 1) * 4);
  uint8_t *lvalid = ice_malloc(ROWS);
  int32_t total = 0;
  for (int64_t r = 0; r < ROWS; r++) {
    loff[r] = total;
    lvalid[r] = r % 13 != 5;
    if (lvalid[r]) total += (int32_t)(r % 5);
  }
  loff[ROWS] = total;
  tw_list(a->children[5], ROWS, loff, lvalid);
  int64_t *ev = ice_malloc((size_t)total * 8 + 8);
  uint8_t *evalid = ice_malloc((size_t)total + 1);
  for (int32_t k = 0; k < total; k++) {
    ev[k] = (int64_t)rnd();
    evalid[k] = k % 17 != 4;
  }
  tw_prim(a->children[5]->children[0], total, ev, 8, evalid);
  ice_free(loff);
  ice_free(lvalid);
  ice_free(ev);
  ice_free(evalid);
  ice_free(l);
  ice_free(i32);
  ice_free(w);
  ice_free(b);
  ice_free(lv);
  ice_free(uv);
  ice_free(u);
  ice_free(ulen);
}

/* Counts data pages of the file's first row group that the page reader streams. */
static int streamed_pages(ice_parquet_file *f) {
  int n = 0;
  struct codec_ctx ctx;
  codec_ctx_init(&ctx);
  const struct pq_row_group *rg = &f->meta.row_groups[0];
  for (size_t c = 0; c < rg->n_columns; c++) {
    const struct pq_column_meta *md = &rg->columns[c].meta_data;
    int64_t start = md->has_dictionary_page_offset && md->dictionary_page_offset > 0
                        ? md->dictionary_page_offset
                        : md->data_page_offset;
    struct pq_page_reader r;
    pq_page_reader_init(&r, f->in, start, start + md->total_compressed_size,
                        f->footer_offset, md->codec, &ctx);
    r.allow_stream = true;
    for (;;) {
      struct pq_page pg;
      bool eof = false;
      struct ice_error err;
      if (pq_page_reader_next(&r, &pg, &eof, &err) != ICE_OK || eof) break;
      n += pg.streamed;
    }
    pq_page_reader_reset(&r);
  }
  codec_ctx_reset(&ctx);
  return n;
}

/* Writes make_batch's rows as one row group without dictionaries or page limits. */
static void write_big_file(const struct ArrowSchema *s, struct ArrowArray *a,
                           const char *codec, const char *version, char *path, size_t n) {
  struct ice_error err;
  tw_tmp_path(path, n, "big.parquet");
  const char *props[] = {"write.parquet.compression-codec", codec,
                         "write.parquet.page-version", version,
                         "write.parquet.dictionary-enabled", "false",
                         "write.parquet.page-size-bytes", "268435456",
                         "write.parquet.page-row-limit", "100000000",
                         NULL};
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  CHECK_OK(pq_writer_options_apply(&o, props, &err), &err);
  struct ice_output *out;
  CHECK_OK(io_local_create(path, &out, &err), &err);
  struct pq_writer *w = NULL;
  CHECK_OK(pq_writer_new(s, &o, out, &w, &err), &err);
  CHECK_OK(pq_writer_write_rows(w, a, 0, ROWS, &err), &err);
  CHECK_OK(pq_writer_close(w, &err), &err);
  pq_writer_free(w);
}

static void roundtrip_big_pages(const char *codec, const char *version, int64_t batch) {
  struct ice_error err;
  struct ArrowSchema s;
  struct ArrowArray a;
  make_batch(&s, &a);
  char path[512];
  write_big_file(&s, &a, codec, version, path, sizeof path);

  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(path, &f, &err), &err);
  if (f == NULL) goto out;
  /* l, u, i, w and li each hold one PLAIN page of over 1 MiB in v1: all five stream
   * (v2 without a dictionary writes DELTA encodings for l, u, i and li) */
  CHECK_EQ_INT(streamed_pages(f), version[0] == '1' ? 5 : 1);
  struct ice_parquet_read_options ro;
  ice_parquet_read_options_init(&ro);
  ro.batch_rows = batch;
  struct ArrowArrayStream st;
  CHECK_OK(ice_parquet_stream(f, &ro, &st, &err), &err);
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
        ok = tw_slot_equal(s.children[c], a.children[c], row, b.children[c], b.offset + i,
                           s.children[c]->name);
        if (!ok) {
          fprintf(stderr, "  (%s v%s batch %lld) row %lld column %s\n", codec, version,
                  (long long)batch, (long long)row, s.children[c]->name);
        }
      }
    }
    b.release(&b);
    if (!ok) break;
  }
  CHECK(ok);
  CHECK_EQ_INT(row, ROWS);
  st.release(&st);
out:
  ice_parquet_close(f);
  arrow_array_release(&a);
  arrow_schema_release(&s);
}

static void test_big_pages_snappy_v1(void) {
  roundtrip_big_pages("snappy", "1", 16384);
}

static void test_big_pages_snappy_v2(void) {
  roundtrip_big_pages("snappy", "2", 1000);
}

static void test_big_pages_zstd_v1_v2(void) {
  roundtrip_big_pages("zstd", "1", 5000);
  roundtrip_big_pages("zstd", "2", 100000);
}

static void test_big_pages_uncompressed_v1_v2(void) {
  roundtrip_big_pages("uncompressed", "1", 77777);
  roundtrip_big_pages("uncompressed", "2", 333);
}

/* Reads everything in batches of 100000 rows; 0 or the failing code/errno. */
static int read_all(const char *path) {
  struct ice_error err;
  ice_parquet_file *f = NULL;
  int rc = ice_parquet_open(path, &f, &err);
  if (rc != ICE_OK) return rc;
  struct ice_parquet_read_options o;
  ice_parquet_read_options_init(&o);
  o.batch_rows = 100000;
  struct ArrowArrayStream st;
  rc = ice_parquet_stream(f, &o, &st, &err);
  if (rc == ICE_OK) {
    while (rc == 0) {
      struct ArrowArray b;
      rc = st.get_next(&st, &b);
      if (rc != 0 || b.release == NULL) break;
      b.release(&b);
    }
    st.release(&st);
  }
  ice_parquet_close(f);
  return rc;
}

/* Every allocation of reading a streamed file fails in turn: ENOMEM or success,
 * never a crash or a leak (LeakSanitizer checks at exit). */
static void test_big_pages_survive_allocation_failures(void) {
  struct ArrowSchema s;
  struct ArrowArray a;
  make_batch(&s, &a);
  char path[512];
  write_big_file(&s, &a, "snappy", "1", path, sizeof path);
  arrow_array_release(&a);
  arrow_schema_release(&s);
  CHECK_EQ_INT(read_all(path), 0);
  int failures_seen = 0;
  for (long n = 1; n < 5000; n++) {
    ice_alloc_fail_after(n);
    int rc = read_all(path);
    ice_alloc_fail_after(0);
    if (rc == 0) break;
    failures_seen++;
    if (rc != ICE_ENOMEM && rc != ENOMEM) {
      fprintf(stderr, "  allocation %ld failed with %d, not ENOMEM\n", n, rc);
      ice_test_current_failed = 1;
    }
  }
  CHECK(failures_seen > 10);
}

int main(void) {
  ICE_RUN(test_snappy_steps_match_libsnappy);
  ICE_RUN(test_zstd_steps_match_libzstd);
  ICE_RUN(test_far_copy_falls_back_to_whole_body);
  ICE_RUN(test_trailing_bytes_rejected);
  ICE_RUN(test_big_pages_snappy_v1);
  ICE_RUN(test_big_pages_snappy_v2);
  ICE_RUN(test_big_pages_zstd_v1_v2);
  ICE_RUN(test_big_pages_uncompressed_v1_v2);
  ICE_RUN(test_big_pages_survive_allocation_failures);
  ICE_TEST_EXIT();
}
