/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cross-checks the decoders against real parquet-mr files from parquet-testing:
 * delta_binary_packed (65 INT64 columns of bit widths 0..64 + one INT32),
 * delta_byte_array and delta_encoding_required_column (DBP INT32 + DELTA_BYTE_ARRAY),
 * compared value by value with their *_expect.csv. These files are uncompressed
 * with one v2 data page per column, so a tiny page-header walker (Thrift compact,
 * test-only; the real reader lives elsewhere) finds each value section.
 */
#include <stdint.h>
#include <stdio.h>

#include "harness/ice_test.h"
#include "parquet/pq_encoding.h"
#include "util/alloc.h"
#include "util/buf.h"

static uint8_t *read_file(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/parquet-testing/data/%s", ice_test_data_dir(),
           name);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "  cannot open %s\n", path);
    return NULL;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = ice_malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    ice_free(b);
    b = NULL;
  }
  fclose(f);
  if (b) b[n] = 0;
  *len = (size_t)n;
  return b;
}

/* ---- minimal Thrift compact reader for PageHeader (test-only) ---- */
struct tc {
  const uint8_t *p, *end;
  int bad;
};
static uint64_t tc_varint(struct tc *t) {
  uint64_t v = 0;
  for (int s = 0; s < 64 && t->p < t->end; s += 7) {
    uint8_t c = *t->p++;
    v |= (uint64_t)(c & 0x7f) << s;
    if (!(c & 0x80)) return v;
  }
  t->bad = 1;
  return 0;
}
static int64_t tc_zz(struct tc *t) {
  uint64_t v = tc_varint(t);
  return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}
static void tc_skip(struct tc *t, int type, int depth);
static void tc_skip_struct(struct tc *t, int depth) {
  while (!t->bad && t->p < t->end) {
    uint8_t h = *t->p++;
    if (h == 0) return;
    if ((h >> 4) == 0) (void)tc_zz(t);
    tc_skip(t, h & 15, depth + 1);
  }
}
static void tc_skip(struct tc *t, int type, int depth) {
  if (depth > 16) {
    t->bad = 1;
    return;
  }
  switch (type) {
    case 1: case 2: break;
    case 3: t->p++; break;
    case 4: case 5: case 6: (void)tc_varint(t); break;
    case 7: t->p += 8; break;
    case 8: { uint64_t n = tc_varint(t); t->p += n; break; }
    case 9: case 10: {
      uint8_t h = *t->p++;
      uint64_t n = h >> 4;
      if (n == 15) n = tc_varint(t);
      for (uint64_t i = 0; i < n && !t->bad; i++) tc_skip(t, h & 15, depth + 1);
      break;
    }
    case 12: tc_skip_struct(t, depth); break;
    default: t->bad = 1;
  }
  if (t->p > t->end) t->bad = 1;
}

struct page {
  int64_t compressed;
  int64_t num_values, num_nulls, encoding, def_len, rep_len;
  const uint8_t *body;
};

/* Reads a PageHeader at p; fills the DataPageHeaderV2 fields we need. */
static int read_page(const uint8_t *p, const uint8_t *end, struct page *pg) {
  struct tc t = {p, end, 0};
  int16_t last = 0;
  memset(pg, 0, sizeof *pg);
  while (!t.bad && t.p < t.end) {
    uint8_t h = *t.p++;
    if (h == 0) break;
    int16_t id = (h >> 4) ? (int16_t)(last + (h >> 4)) : (int16_t)tc_zz(&t);
    last = id;
    int type = h & 15;
    if (id == 3 && type == 5) {
      pg->compressed = tc_zz(&t);
    } else if (id == 8 && type == 12) {
      int16_t l2 = 0;
      while (!t.bad && t.p < t.end) {
        uint8_t h2 = *t.p++;
        if (h2 == 0) break;
        int16_t id2 = (h2 >> 4) ? (int16_t)(l2 + (h2 >> 4)) : (int16_t)tc_zz(&t);
        l2 = id2;
        if ((h2 & 15) == 5 && id2 >= 1 && id2 <= 6) {
          int64_t v = tc_zz(&t);
          if (id2 == 1) pg->num_values = v;
          if (id2 == 2) pg->num_nulls = v;
          if (id2 == 4) pg->encoding = v;
          if (id2 == 5) pg->def_len = v;
          if (id2 == 6) pg->rep_len = v;
        } else {
          tc_skip(&t, h2 & 15, 1);
        }
      }
    } else {
      tc_skip(&t, type, 0);
    }
  }
  if (t.bad) return -1;
  pg->body = t.p;
  return 0;
}

/* ---- CSV (quoted fields, "" escapes; an unquoted empty field is null) ---- */
struct csv_field {
  char text[128];
  int is_null;
};
/* Start of every CSV line (quoted newlines respected); returns the count. */
static int csv_lines(const char *csv, const char **starts, int max) {
  int n = 0;
  const char *p = csv;
  while (*p && n < max) {
    starts[n++] = p;
    int inq = 0;
    while (*p && (inq || *p != '\n')) {
      if (*p == '"') inq = !inq;
      p++;
    }
    if (*p == '\n') p++;
  }
  return n;
}

/* Parses column `col` of the line starting at p. */
static int csv_get(const char *p, int col, struct csv_field *out) {
  for (int c = 0;; c++) {
    size_t n = 0;
    int quoted = 0;
    if (*p == '"') {
      quoted = 1;
      p++;
      while (*p && !(*p == '"' && p[1] != '"')) {
        if (*p == '"') p++;
        if (n < sizeof out->text - 1) out->text[n++] = *p;
        p++;
      }
      if (*p == '"') p++;
    } else {
      while (*p && *p != ',' && *p != '\n' && *p != '\r') {
        if (n < sizeof out->text - 1) out->text[n++] = *p;
        p++;
      }
    }
    out->text[n] = 0;
    out->is_null = !quoted && n == 0;
    if (c == col) return 0;
    if (*p != ',') return -1;
    p++;
  }
}

/* Decodes one column page and compares it with CSV column `col`. kind: 32/64 for
 * DBP ints, 0 for DELTA_BYTE_ARRAY. */
static int check_page(const struct page *pg, int kind, const char *const *lines, int col,
                      int rows) {
  struct ice_error err;
  int ok = 1;
  size_t n = (size_t)pg->num_values;
  uint8_t *valid = ice_malloc(n + 1);
  memset(valid, 1, n + 1);
  if (pg->def_len > 0) {
    struct pq_rle_decoder d;
    CHECK_OK(pq_rle_decoder_init(&d, pg->body + pg->rep_len, (size_t)pg->def_len, 1, n, &err),
             &err);
    CHECK_OK(pq_rle_decoder_next_batch_u8(&d, valid, n, &err), &err);
  }
  const uint8_t *vals = pg->body + pg->rep_len + pg->def_len;
  size_t vlen = (size_t)(pg->compressed - pg->rep_len - pg->def_len);
  size_t nonnull = n - (size_t)pg->num_nulls;
  int64_t *iv = ice_calloc(nonnull + 1, sizeof *iv);
  int32_t *iv32 = ice_calloc(nonnull + 1, sizeof *iv32);
  int32_t *off = ice_calloc(nonnull + 1, sizeof *off);
  struct ice_buf data;
  ice_buf_init(&data, 1 << 24);
  if (kind != 0) {
    struct pq_delta_decoder d;
    CHECK_OK(pq_delta_decoder_init(&d, vals, vlen, (uint32_t)kind, &err), &err);
    CHECK_EQ_INT(pq_delta_decoder_total(&d), nonnull);
    if (kind == 64) {
      CHECK_OK(pq_delta_decoder_next_i64(&d, iv, nonnull, &err), &err);
    } else {
      CHECK_OK(pq_delta_decoder_next_i32(&d, iv32, nonnull, &err), &err);
      for (size_t i = 0; i < nonnull; i++) iv[i] = iv32[i];
    }
    size_t consumed = 0;
    CHECK_OK(pq_delta_decoder_finish(&d, &consumed, &err), &err);
    CHECK_EQ_INT(consumed, vlen); /* the stream ends exactly at the page end */
  } else {
    struct pq_dba_decoder d;
    CHECK_OK(pq_dba_decoder_init(&d, vals, vlen, &err), &err);
    CHECK_EQ_INT(pq_dba_decoder_total(&d), nonnull);
    CHECK_OK(pq_dba_decoder_next(&d, nonnull, off, &data, &err), &err);
    pq_dba_decoder_reset(&d);
  }
  size_t k = 0;
  int seen = 0;
  for (int r = 0; r < rows && r < (int)n && ok; r++, seen++) {
    struct csv_field f;
    if (csv_get(lines[r + 1], col, &f) != 0) {
      ok = 0;
      break;
    }
    if (!valid[r]) {
      if (!f.is_null) ok = 0;
      continue;
    }
    char got[128];
    if (kind != 0) {
      snprintf(got, sizeof got, "%lld", (long long)iv[k]);
    } else {
      size_t l = (size_t)(off[k + 1] - off[k]);
      if (l >= sizeof got) l = sizeof got - 1;
      memcpy(got, data.data + off[k], l);
      got[l] = 0;
    }
    if (strcmp(got, f.text) != 0) {
      fprintf(stderr, "  col %d row %d: got '%s' want '%s'\n", col, r, got, f.text);
      ok = 0;
    }
    k++;
  }
  if (ok && seen != rows) ok = 0; /* every CSV row was compared */
  ice_free(valid);
  ice_free(iv);
  ice_free(iv32);
  ice_free(off);
  ice_buf_reset(&data);
  return ok;
}

/* Walks `npages` pages from offset 4; kinds[i] says how to decode page i. */
static void check_file(const char *file, const char *expect, int npages, const int *kinds,
                       int rows) {
  size_t flen = 0, clen = 0;
  uint8_t *f = read_file(file, &flen);
  char *csv = (char *)read_file(expect, &clen);
  CHECK(f != NULL && csv != NULL);
  if (f == NULL || csv == NULL) goto done;
  const char *lines[1100];
  int nlines = csv_lines(csv, lines, 1100);
  CHECK_EQ_INT(nlines, rows + 1);
  if (nlines != rows + 1) goto done;
  const uint8_t *p = f + 4;
  for (int i = 0; i < npages; i++) {
    struct page pg;
    int rc = read_page(p, f + flen, &pg);
    CHECK_EQ_INT(rc, 0);
    if (rc != 0 || pg.body + pg.compressed > f + flen) break;
    int ok = check_page(&pg, kinds[i], lines, i, rows);
    if (!ok) fprintf(stderr, "  %s: column %d differs\n", file, i);
    CHECK(ok);
    p = pg.body + pg.compressed;
  }
done:
  ice_free(f);
  ice_free(csv);
}

static void test_delta_binary_packed_file(void) {
  int kinds[66];
  for (int i = 0; i < 65; i++) kinds[i] = 64;
  kinds[65] = 32;
  check_file("delta_binary_packed.parquet", "delta_binary_packed_expect.csv", 66, kinds, 200);
}

static void test_delta_byte_array_file(void) {
  int kinds[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  check_file("delta_byte_array.parquet", "delta_byte_array_expect.csv", 9, kinds, 1000);
}

static void test_delta_required_column_file(void) {
  int kinds[17];
  for (int i = 0; i < 17; i++) kinds[i] = i < 9 ? 32 : 0;
  check_file("delta_encoding_required_column.parquet",
             "delta_encoding_required_column_expect.csv", 17, kinds, 100);
}

int main(void) {
  ICE_RUN(test_delta_binary_packed_file);
  ICE_RUN(test_delta_byte_array_file);
  ICE_RUN(test_delta_required_column_file);
  ICE_TEST_EXIT();
}
