/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Round-trip fuzzing of the Parquet writer: the input picks a schema (primitives,
 * lists, lists of structs, maps, nested structs), options (codec, page version,
 * dictionary, tiny pages and dictionary limits) and seeds the values; the batch is
 * written to memory, read back with our reader and must come back equal, value by value.
 * Any write or read error on valid input, or a difference, aborts (a finding).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/test_parquet_write_arrow.h"
#include "../tests/unit/test_parquet_write_compare.h"
#include "fuzz.h"
#include "ice/ice_parquet.h"
#include "io/io.h"
#include "parquet/pq_writer.h"

/* ---------------------------------------------------------------- memory output */

struct mem_out {
  uint8_t *data;
  size_t len, cap;
  int finished;
};

static int mem_write(struct ice_output *o, const void *buf, size_t n,
                     struct ice_error *err) {
  struct mem_out *m = o->priv;
  if (m->len + n > m->cap) {
    size_t cap = m->cap ? m->cap : 4096;
    while (cap < m->len + n) cap *= 2;
    uint8_t *p = ice_realloc(m->data, cap);
    if (p == NULL) return ice_error_set(err, ICE_ENOMEM, "out of memory");
    m->data = p;
    m->cap = cap;
  }
  memcpy(m->data + m->len, buf, n);
  m->len += n;
  o->written += (int64_t)n;
  return ICE_OK;
}
static int mem_finish(struct ice_output *o, struct ice_error *err) {
  (void)err;
  ((struct mem_out *)o->priv)->finished = 1;
  return ICE_OK;
}
static void mem_abort(struct ice_output *o) {
  ((struct mem_out *)o->priv)->len = 0;
}
static void mem_close(struct ice_output *o) {
  (void)o;
}
static const struct ice_output_vtable mem_vt = {mem_write, mem_finish, mem_abort,
                                                mem_close};

/* ---------------------------------------------------------------- random batches */

struct rnd {
  uint64_t s;
};
static uint64_t next(struct rnd *r) {
  r->s ^= r->s << 13;
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return r->s;
}

static const char *const leaf_formats[] = {
    "b",      "i",      "l",   "f",   "g",    "u",       "z", "w:5", "d:7,2",
    "d:15,3", "d:38,9", "tdD", "ttu", "tsu:", "tsn:UTC", "c", "S"};
#define N_LEAF (sizeof leaf_formats / sizeof leaf_formats[0])

static void build_leaf(struct ArrowArray *a, const char *format, int nullable, int64_t n,
                       struct rnd *r) {
  struct arrow_type t;
  struct ice_error err;
  if (arrow_type_parse(format, &t, &err)) abort();
  uint8_t *valid = ice_malloc((size_t)n + 1);
  for (int64_t i = 0; i < n; i++) valid[i] = !nullable || (next(r) % 4 != 0);
  if (t.id == ARROW_TYPE_BOOL) {
    uint8_t *v = ice_malloc((size_t)n + 1);
    for (int64_t i = 0; i < n; i++) v[i] = (uint8_t)(next(r) & 1);
    tw_bool(a, n, v, nullable ? valid : NULL);
    ice_free(v);
  } else if (t.id == ARROW_TYPE_STRING || t.id == ARROW_TYPE_BINARY) {
    static const char *const pool[] = {
        "", "a", "ab", "abc", "\xc3\xa9t\xc3\xa9", "zz", "0123456789abcdefXYZ"};
    const char **v = ice_malloc(((size_t)n + 1) * sizeof *v);
    for (int64_t i = 0; i < n; i++) v[i] = valid[i] ? pool[next(r) % 7] : NULL;
    tw_str(a, n, v, NULL);
    ice_free(v);
  } else {
    int64_t w = t.id == ARROW_TYPE_FIXED_BINARY ? t.fixed_size : t.byte_width;
    uint8_t *buf = ice_calloc((size_t)(n * w) + 1, 1);
    for (int64_t i = 0; i < n; i++) {
      uint8_t *p = buf + i * w;
      uint64_t x = next(r);
      /* few distinct values sometimes, so dictionaries get used */
      if (x & 1) x = (x >> 1) % 5;
      if (t.id == ARROW_TYPE_DECIMAL128) {
        __extension__ __int128 lim = 1;
        for (int k = 0; k < t.precision; k++) lim *= 10;
        __extension__ __int128 v = (__int128)(int64_t)x % lim;
        memcpy(p, &v, 16);
      } else if (t.id == ARROW_TYPE_TIME64) {
        int64_t us = (int64_t)(x % 86400000000ull);
        memcpy(p, &us, 8);
      } else {
        memcpy(p, &x, (size_t)(w < 8 ? w : 8));
      }
    }
    tw_prim(a, n, buf, (size_t)w, nullable ? valid : NULL);
    ice_free(buf);
  }
  ice_free(valid);
}

/* Shapes: 0 leaf, 1 list<leaf>, 2 list<struct<leaf, leaf>>, 3 map<string, leaf>,
 * 4 struct<leaf, list<leaf>> */
static void build_column(struct ArrowSchema *s, struct ArrowArray *a, int shape,
                         int nullable, const char *f1, const char *f2, int64_t n, int *id,
                         struct rnd *r, const char *name) {
  if (shape == 0) {
    tw_field(s, f1, name, nullable, (*id)++, 0);
    build_leaf(a, f1, nullable, n, r);
    return;
  }
  uint8_t *valid = ice_malloc((size_t)n + 1);
  for (int64_t i = 0; i < n; i++) valid[i] = !nullable || next(r) % 5 != 0;
  if (shape == 4) {
    tw_field(s, "+s", name, nullable, (*id)++, 2);
    tw_struct(a, n, 2, nullable ? valid : NULL);
    build_column(s->children[0], a->children[0], 0, 1, f1, f2, n, id, r, "a");
    build_column(s->children[1], a->children[1], 1, 1, f2, f1, n, id, r, "b");
    ice_free(valid);
    return;
  }
  int32_t *off = ice_malloc(((size_t)n + 1) * 4);
  int32_t total = 0;
  for (int64_t i = 0; i < n; i++) {
    off[i] = total;
    if (valid[i]) total += (int32_t)(next(r) % 4);
  }
  off[n] = total;
  if (shape == 3) {
    tw_field(s, "+m", name, nullable, (*id)++, 1);
    tw_field(s->children[0], "+s", "entries", 0, -1, 2);
    tw_list(a, n, off, nullable ? valid : NULL);
    tw_struct(a->children[0], total, 2, NULL);
    tw_field(s->children[0]->children[0], "u", "key", 0, (*id)++, 0);
    build_leaf(a->children[0]->children[0], "u", 0, total, r);
    tw_field(s->children[0]->children[1], f1, "value", 1, (*id)++, 0);
    build_leaf(a->children[0]->children[1], f1, 1, total, r);
  } else {
    tw_field(s, "+l", name, nullable, (*id)++, 1);
    tw_list(a, n, off, nullable ? valid : NULL);
    if (shape == 1) {
      tw_field(s->children[0], f1, "element", 1, (*id)++, 0);
      build_leaf(a->children[0], f1, 1, total, r);
    } else {
      uint8_t *sv = ice_malloc((size_t)total + 1);
      for (int32_t i = 0; i < total; i++) sv[i] = next(r) % 6 != 0;
      tw_field(s->children[0], "+s", "element", 1, (*id)++, 2);
      tw_struct(a->children[0], total, 2, sv);
      tw_field(s->children[0]->children[0], f1, "x", 0, (*id)++, 0);
      build_leaf(a->children[0]->children[0], f1, 0, total, r);
      tw_field(s->children[0]->children[1], f2, "y", 1, (*id)++, 0);
      build_leaf(a->children[0]->children[1], f2, 1, total, r);
      ice_free(sv);
    }
  }
  ice_free(off);
  ice_free(valid);
}

static uint8_t byte_at(const uint8_t *d, size_t n, size_t i) {
  return i < n ? d[i] : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct rnd r = {0x9E3779B97F4A7C15ull};
  for (size_t i = 0; i < size; i++) r.s = (r.s ^ data[i]) * 0x100000001B3ull;
  if (r.s == 0) r.s = 1;
  int ncols = 1 + byte_at(data, size, 0) % 4;
  int64_t nrows = byte_at(data, size, 1) % 200;
  uint8_t opt = byte_at(data, size, 2);
  static const char *const codecs[] = {"zstd", "snappy", "gzip",
                                       "lz4",  "brotli", "uncompressed"};
  const char *props[16];
  size_t np = 0;
  props[np++] = "write.parquet.compression-codec";
  props[np++] = codecs[(opt & 7) % 6];
  props[np++] = "write.parquet.page-version";
  props[np++] = (opt & 8) ? "2" : "1";
  props[np++] = "write.parquet.dictionary-enabled";
  props[np++] = (opt & 16) ? "false" : "true";
  if (opt & 32) {
    props[np++] = "write.parquet.page-row-limit";
    props[np++] = "5";
    props[np++] = "write.parquet.dict-size-bytes";
    props[np++] = "30";
  }
  if (opt & 64) {
    props[np++] = "write.parquet.page-size-bytes";
    props[np++] = "20";
  }
  props[np] = NULL;

  struct ArrowSchema s;
  struct ArrowArray a;
  tw_field(&s, "+s", "", 0, -1, ncols);
  tw_struct(&a, nrows, ncols, NULL);
  int id = 1;
  for (int c = 0; c < ncols; c++) {
    uint8_t b = byte_at(data, size, 3 + (size_t)c * 3);
    char name[16];
    snprintf(name, sizeof name, "c%d", c);
    build_column(s.children[c], a.children[c], b % 5, (b >> 3) & 1,
                 leaf_formats[byte_at(data, size, 4 + (size_t)c * 3) % N_LEAF],
                 leaf_formats[byte_at(data, size, 5 + (size_t)c * 3) % N_LEAF], nrows,
                 &id, &r, name);
  }

  struct ice_error err;
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  if (pq_writer_options_apply(&o, props, &err)) abort();
  struct mem_out m = {0};
  struct ice_output out = {&mem_vt, 0, NULL, &m, NULL};
  struct pq_writer *w = NULL;
  if (pq_writer_new(&s, &o, &out, &w, &err) != ICE_OK) {
    fprintf(stderr, "writer: %s\n", err.message);
    abort();
  }
  /* two calls so files get two row groups when there are rows */
  int64_t half = nrows / 2;
  if (pq_writer_check_batch(w, &a, &err) || pq_writer_write_rows(w, &a, 0, half, &err) ||
      pq_writer_flush_row_group(w, &err) ||
      pq_writer_write_rows(w, &a, half, nrows - half, &err) || pq_writer_close(w, &err)) {
    fprintf(stderr, "write: %s\n", err.message);
    abort();
  }
  pq_writer_free(w);

  ice_parquet_file *f = NULL;
  if (ice_parquet_open_memory(m.data, m.len, "fuzz", &f, &err) != ICE_OK) {
    fprintf(stderr, "open: %s\n", err.message);
    abort();
  }
  struct ice_parquet_read_options ro;
  ice_parquet_read_options_init(&ro);
  ro.batch_rows = 1 + byte_at(data, size, 15) % 64;
  struct ArrowArrayStream st;
  if (ice_parquet_stream(f, &ro, &st, &err) != ICE_OK) abort();
  int64_t row = 0;
  for (;;) {
    struct ArrowArray b;
    if (st.get_next(&st, &b) != 0) {
      fprintf(stderr, "read: %s\n", st.get_last_error(&st));
      abort();
    }
    if (b.release == NULL) break;
    for (int64_t i = 0; i < b.length; i++, row++) {
      for (int c = 0; c < ncols; c++) {
        if (!tw_slot_equal(s.children[c], a.children[c], row, b.children[c], b.offset + i,
                           s.children[c]->name)) {
          fprintf(stderr, "row %lld column %d differs\n", (long long)row, c);
          abort();
        }
      }
    }
    b.release(&b);
  }
  if (row != nrows) abort();
  st.release(&st);
  ice_parquet_close(f);
  ice_free(m.data);
  arrow_array_release(&a);
  arrow_schema_release(&s);
  return 0;
}
