/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Column-parallel decoding (pq_reader_stream_new with a thread pool) against the
 * serial reader: parquet-testing files (nested, every codec and encoding) and
 * generated many-column files with small pages and row groups give, at 2 and 4
 * threads, the same batches buffer for buffer (lengths, null counts, validity,
 * offsets, values); a file with two damaged columns in one row group gives the same
 * good batches, then the same code and message (the lower column's); an input whose
 * reads are not concurrent is never read by two threads at once; the public
 * ice_parquet_read_options.threads reads the same as one thread. Also under TSan
 * (scripts/check.sh).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "arrow/arrow_type.h"
#include "arrow/arrow_view.h"
#include "harness/ice_test.h"
#include "io/io.h"
#include "parquet/pq_reader.h"
#include "parquet/pq_writer.h"
#include "test_parquet_write_arrow.h"
#include "util/thread_pool.h"

#define MAX_BATCHES 4096

/* Everything a stream gave until its end or first error. */
struct reading {
  struct ArrowSchema schema;
  struct ArrowArray *b;
  int n;
  int rc;         /* get_next's errno value, 0 at a clean end */
  int code;       /* pq_reader_stream_error_code after a failure */
  char msg[1024]; /* get_last_error after a failure */
  int64_t rows;
};

/* Reads f with a pool of `threads` made here, or (public = true) through
 * ice_parquet_stream with options.threads = threads (the stream's own pool). */
static void read_with(ice_parquet_file *f, int threads, bool public, int64_t batch_rows,
                      struct ice_mem_budget *budget, struct reading *r) {
  memset(r, 0, sizeof *r);
  r->b = ice_calloc(MAX_BATCHES, sizeof *r->b);
  struct ice_error err;
  struct ice_thread_pool *pool = NULL;
  if (threads > 1 && !public) CHECK_OK(ice_thread_pool_new(threads, &pool, &err), &err);
  struct ice_parquet_read_options o;
  ice_parquet_read_options_init(&o);
  o.batch_rows = batch_rows;
  if (public) o.threads = threads;
  struct ArrowArrayStream st = {0};
  int rc = public ? ice_parquet_stream(f, &o, &st, &err)
                  : pq_reader_stream_new(f, &o, budget, pool, &st, &err);
  CHECK_OK(rc, &err);
  if (rc != ICE_OK) {
    ice_thread_pool_free(pool);
    return;
  }
  CHECK_EQ_INT(st.get_schema(&st, &r->schema), 0);
  while (r->n < MAX_BATCHES) {
    struct ArrowArray a = {0};
    r->rc = st.get_next(&st, &a);
    if (r->rc != 0) {
      r->code = pq_reader_stream_error_code(&st);
      snprintf(r->msg, sizeof r->msg, "%s", st.get_last_error(&st));
      break;
    }
    if (a.release == NULL) break;
    r->rows += a.length;
    r->b[r->n++] = a;
  }
  CHECK(r->n < MAX_BATCHES);
  st.release(&st);
  ice_thread_pool_free(pool);
}

static void read_stream(ice_parquet_file *f, int threads, int64_t batch_rows,
                        struct ice_mem_budget *budget, struct reading *r) {
  read_with(f, threads, false, batch_rows, budget, r);
}

static void release_reading(struct reading *r) {
  for (int i = 0; i < r->n; i++) arrow_array_release(&r->b[i]);
  ice_free(r->b);
  arrow_schema_release(&r->schema);
}

static bool bit_at(const void *bits, int64_t i) {
  return bits == NULL || arrow_bit_get((const uint8_t *)bits, i);
}

/* Bits [off, off + n) of two bitmaps (NULL: all set). */
static bool same_bits(const void *x, const void *y, int64_t off, int64_t n) {
  for (int64_t i = off; i < off + n; i++)
    if (bit_at(x, i) != bit_at(y, i)) return false;
  return true;
}

static bool same_bytes(const void *x, const void *y, size_t n) {
  if (n == 0) return true;
  if (x == NULL || y == NULL) return x == y;
  return memcmp(x, y, n) == 0;
}

/* Buffer-level equality of two arrays of schema s; prints the first difference. */
static bool same_array(const struct ArrowSchema *s, const struct ArrowArray *x,
                       const struct ArrowArray *y, const char *where) {
  struct arrow_type t;
  struct ice_error err;
  if (arrow_type_parse(s->format, &t, &err) != ICE_OK) {
    fprintf(stderr, "  %s: format %s: %s\n", where, s->format, err.message);
    return false;
  }
  const char *what = NULL;
  int64_t n = x->length, off = x->offset;
  if (x->length != y->length || x->offset != y->offset)
    what = "length/offset";
  else if (x->null_count != y->null_count)
    what = "null count";
  else if (x->n_buffers != y->n_buffers || x->n_children != y->n_children)
    what = "shape";
  else if ((x->buffers[0] == NULL) != (y->buffers[0] == NULL) ||
           !same_bits(x->buffers[0], y->buffers[0], off, n))
    what = "validity";
  if (what == NULL) {
    int64_t end = off + n;
    switch (t.id) {
      case ARROW_TYPE_NA:
      case ARROW_TYPE_STRUCT:
        break;
      case ARROW_TYPE_BOOL:
        if (!same_bits(x->buffers[1], y->buffers[1], off, n)) what = "values";
        break;
      case ARROW_TYPE_BINARY:
      case ARROW_TYPE_STRING:
      case ARROW_TYPE_LIST:
      case ARROW_TYPE_MAP: {
        const int32_t *ox = x->buffers[1], *oy = y->buffers[1];
        if (!same_bytes(ox, oy, (size_t)(end + 1) * 4))
          what = "offsets";
        else if ((t.id == ARROW_TYPE_BINARY || t.id == ARROW_TYPE_STRING) &&
                 !same_bytes(x->buffers[2], y->buffers[2], (size_t)ox[end]))
          what = "values";
        break;
      }
      case ARROW_TYPE_LARGE_BINARY:
      case ARROW_TYPE_LARGE_STRING:
      case ARROW_TYPE_LARGE_LIST: {
        const int64_t *ox = x->buffers[1], *oy = y->buffers[1];
        if (!same_bytes(ox, oy, (size_t)(end + 1) * 8))
          what = "offsets";
        else if (t.id != ARROW_TYPE_LARGE_LIST &&
                 !same_bytes(x->buffers[2], y->buffers[2], (size_t)ox[end]))
          what = "values";
        break;
      }
      case ARROW_TYPE_FIXED_LIST:
        break;
      default: {
        size_t w =
            t.id == ARROW_TYPE_FIXED_BINARY ? (size_t)t.fixed_size : (size_t)t.byte_width;
        if (w == 0) {
          fprintf(stderr, "  %s: no comparison for %s\n", where, s->format);
          return false;
        }
        if (!same_bytes(x->buffers[1], y->buffers[1], (size_t)end * w)) what = "values";
      }
    }
  }
  if (what != NULL) {
    fprintf(stderr, "  %s (%s): %s differ\n", where, s->format, what);
    return false;
  }
  for (int64_t c = 0; c < x->n_children; c++) {
    char sub[512];
    snprintf(sub, sizeof sub, "%s.%s", where, s->children[c]->name);
    if (!same_array(s->children[c], x->children[c], y->children[c], sub)) return false;
  }
  return true;
}

static void check_same(const char *name, const struct reading *a,
                       const struct reading *b) {
  CHECK_EQ_INT(a->rc, b->rc);
  CHECK_EQ_INT(a->code, b->code);
  CHECK_EQ_STR(a->msg, b->msg);
  CHECK_EQ_INT(a->n, b->n);
  for (int i = 0; i < a->n && i < b->n; i++) {
    char where[256];
    snprintf(where, sizeof where, "%s batch %d", name, i);
    if (!same_array(&a->schema, &a->b[i], &b->b[i], where)) {
      ice_test_current_failed = 1;
      break;
    }
  }
}

/* Reads `path` serially and at 2 and 4 threads, batch_rows rows at a time, and
 * compares. The serial reading is returned in *serial (released by the caller). */
static void compare_threads(const char *path, int64_t batch_rows,
                            struct reading *serial) {
  struct ice_error err;
  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(path, &f, &err), &err);
  if (f == NULL) return;
  struct ice_mem_budget budget;
  ice_mem_budget_init(&budget, 256 << 20);
  read_stream(f, 1, batch_rows, &budget, serial);
  static const int threads[] = {2, 4};
  for (size_t k = 0; k < sizeof threads / sizeof threads[0]; k++) {
    struct reading par;
    read_stream(f, threads[k], batch_rows, &budget, &par);
    check_same(path, serial, &par);
    release_reading(&par);
  }
  ice_parquet_close(f);
}

static void test_parquet_testing_files(void) {
  static const char *const files[] = {
      "alltypes_tiny_pages.parquet",
      "alltypes_dictionary.parquet",
      "nested_lists.snappy.parquet",
      "nested_maps.snappy.parquet",
      "nested_structs.rust.parquet",
      "list_columns.parquet",
      "delta_byte_array.parquet",
      "delta_encoding_optional_column.parquet",
      "byte_stream_split.zstd.parquet",
      "datapage_v2.snappy.parquet",
      "hadoop_lz4_compressed_larger.parquet",
      "nullable.impala.parquet",
      "fixed_length_decimal.parquet",
      "int32_with_null_pages.parquet",
      "null_list.parquet",
      "repeated_no_annotation.parquet",
  };
  static const int64_t batches[] = {7, 1000};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/parquet-testing/data/%s", ice_test_data_dir(),
             files[i]);
    for (size_t k = 0; k < sizeof batches / sizeof batches[0]; k++) {
      struct reading serial;
      compare_threads(path, batches[k], &serial);
      CHECK_EQ_INT(serial.rc, 0);
      CHECK(serial.rows > 0);
      if (serial.rc != 0) fprintf(stderr, "  %s: %s\n", files[i], serial.msg);
      release_reading(&serial);
    }
  }
}

/* A generated file: COLS columns of several types (nullable, strings, a list, a
 * struct), small pages and row groups so batches cross both. */
#define GEN_ROWS 2500
#define GEN_BATCHES 6
#define GEN_FLAT 8

static void gen_schema(struct ArrowSchema *s) {
  tw_field(s, "+s", "", 0, -1, GEN_FLAT + 2);
  static const char *const formats[GEN_FLAT] = {"l", "i", "g", "u", "b", "u", "s", "z"};
  for (int c = 0; c < GEN_FLAT; c++) {
    char name[16];
    snprintf(name, sizeof name, "c%d", c);
    tw_field(s->children[c], formats[c], name, c != 0, c + 1, 0);
  }
  tw_field(s->children[GEN_FLAT], "+l", "tags", 1, GEN_FLAT + 1, 1);
  tw_field(s->children[GEN_FLAT]->children[0], "i", "element", 1, GEN_FLAT + 2, 0);
  tw_field(s->children[GEN_FLAT + 1], "+s", "pt", 1, GEN_FLAT + 3, 2);
  tw_field(s->children[GEN_FLAT + 1]->children[0], "l", "x", 1, GEN_FLAT + 4, 0);
  tw_field(s->children[GEN_FLAT + 1]->children[1], "u", "label", 1, GEN_FLAT + 5, 0);
}

static void gen_batch(struct ArrowArray *a, int b) {
  static int64_t l[GEN_ROWS];
  static int32_t i32[GEN_ROWS];
  static double d[GEN_ROWS];
  static int16_t i16[GEN_ROWS];
  static uint8_t valid[GEN_ROWS], bools[GEN_ROWS];
  static char text[GEN_ROWS][32], word[GEN_ROWS][8];
  static const char *strs[GEN_ROWS], *words[GEN_ROWS];
  static int32_t offs[GEN_ROWS + 1], elems[GEN_ROWS * 3];
  int32_t n_elems = 0;
  for (int i = 0; i < GEN_ROWS; i++) {
    int64_t r = (int64_t)b * GEN_ROWS + i;
    l[i] = r;
    i32[i] = (int32_t)(r * 7919 % 100003);
    d[i] = (double)r / 7.0;
    i16[i] = (int16_t)(r % 300);
    valid[i] = (uint8_t)(r % 7 != 3);
    bools[i] = (uint8_t)(r % 3 == 0);
    snprintf(text[i], sizeof text[i], "row-%lld-%lld", (long long)r,
             (long long)(r * 31 % 977));
    strs[i] = r % 5 == 1 ? NULL : text[i];
    snprintf(word[i], sizeof word[i], "w%d", (int)(r % 13)); /* dictionary-friendly */
    words[i] = r % 11 == 4 ? NULL : word[i];
    offs[i] = n_elems;
    for (int k = 0; k < (int)(r % 4); k++) elems[n_elems++] = (int32_t)(r + k);
  }
  offs[GEN_ROWS] = n_elems;
  tw_struct(a, GEN_ROWS, GEN_FLAT + 2, NULL);
  tw_prim(a->children[0], GEN_ROWS, l, 8, NULL);
  tw_prim(a->children[1], GEN_ROWS, i32, 4, valid);
  tw_prim(a->children[2], GEN_ROWS, d, 8, valid);
  tw_str(a->children[3], GEN_ROWS, strs, NULL);
  tw_bool(a->children[4], GEN_ROWS, bools, valid);
  tw_str(a->children[5], GEN_ROWS, words, NULL);
  tw_prim(a->children[6], GEN_ROWS, i16, 2, NULL);
  tw_str(a->children[7], GEN_ROWS, strs, NULL);
  tw_list(a->children[GEN_FLAT], GEN_ROWS, offs, valid);
  tw_prim(a->children[GEN_FLAT]->children[0], n_elems, elems, 4, NULL);
  struct ArrowArray *pt = a->children[GEN_FLAT + 1];
  tw_struct(pt, GEN_ROWS, 2, valid);
  tw_prim(pt->children[0], GEN_ROWS, l, 8, NULL);
  tw_str(pt->children[1], GEN_ROWS, words, NULL);
}

static void gen_file(const char *path, const char *codec, const char *page_version) {
  struct ice_error err;
  struct pq_writer_options o;
  pq_writer_options_init(&o);
  const char *props[] = {"write.parquet.compression-codec",
                         codec,
                         "write.parquet.page-size-bytes",
                         "2048",
                         "write.parquet.row-group-size-bytes",
                         "40000",
                         "write.parquet.page-version",
                         page_version,
                         NULL};
  CHECK_OK(pq_writer_options_apply(&o, props, &err), &err);
  struct ArrowSchema s;
  gen_schema(&s);
  struct ice_output *out = NULL;
  CHECK_OK(io_local_create(path, &out, &err), &err);
  struct pq_writer *w = NULL;
  CHECK_OK(pq_writer_new(&s, &o, out, &w, &err), &err);
  for (int b = 0; w != NULL && b < GEN_BATCHES; b++) {
    struct ArrowArray a;
    gen_batch(&a, b);
    CHECK_OK(pq_writer_write(w, &a, &err), &err);
    arrow_array_release(&a);
  }
  if (w != NULL) CHECK_OK(pq_writer_close(w, &err), &err);
  pq_writer_free(w);
  arrow_schema_release(&s);
}

static int32_t row_groups_of(const char *path) {
  struct ice_error err;
  ice_parquet_file *f = NULL;
  if (ice_parquet_open(path, &f, &err) != ICE_OK) return -1;
  int32_t n = ice_parquet_num_row_groups(f);
  ice_parquet_close(f);
  return n;
}

static void test_generated_files(void) {
  static const char *const variants[][2] = {
      {"zstd", "1"}, {"snappy", "2"}, {"uncompressed", "1"}, {"gzip", "2"}};
  for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
    char path[512];
    tw_tmp_path(path, sizeof path, "gen.parquet");
    gen_file(path, variants[v][0], variants[v][1]);
    CHECK(row_groups_of(path) > 3); /* batches do cross row groups */
    static const int64_t batches[] = {999, 4096};
    for (size_t k = 0; k < sizeof batches / sizeof batches[0]; k++) {
      struct reading serial;
      compare_threads(path, batches[k], &serial);
      CHECK_EQ_INT(serial.rc, 0);
      CHECK_EQ_INT(serial.rows, (int64_t)GEN_ROWS * GEN_BATCHES);
      release_reading(&serial);
    }
    unlink(path);
  }
}

/* Overwrites the first data page header of column `col` in row group `rg`. */
static void damage_chunk(const char *path, int32_t rg, int col) {
  struct ice_error err;
  ice_parquet_file *f = NULL;
  CHECK_OK(ice_parquet_open(path, &f, &err), &err);
  if (f == NULL) return;
  int64_t at = f->meta.row_groups[rg].columns[col].meta_data.data_page_offset;
  ice_parquet_close(f);
  FILE *fp = fopen(path, "r+b");
  CHECK(fp != NULL);
  if (fp == NULL) return;
  uint8_t junk[24];
  memset(junk, 0xFF, sizeof junk);
  fseek(fp, (long)at, SEEK_SET);
  CHECK_EQ_INT(fwrite(junk, 1, sizeof junk, fp), sizeof junk);
  fclose(fp);
}

static void test_corrupt_page_same_error(void) {
  char path[512];
  tw_tmp_path(path, sizeof path, "damaged.parquet");
  gen_file(path, "zstd", "1");
  int32_t rgs = row_groups_of(path);
  CHECK(rgs > 3);
  if (rgs <= 3) return;
  /* Two columns of one middle row group: every thread count must name the lower. */
  damage_chunk(path, rgs / 2, 7);
  damage_chunk(path, rgs / 2, 2);
  struct reading serial;
  compare_threads(path, 1000, &serial);
  CHECK(serial.rc != 0);
  CHECK_EQ_INT(serial.code, ICE_ECORRUPT);
  CHECK(serial.n > 0); /* good batches first */
  CHECK(strstr(serial.msg, path) != NULL);
  CHECK(strstr(serial.msg, "column 'c2'") != NULL);
  if (strstr(serial.msg, "column 'c2'") == NULL) fprintf(stderr, "  %s\n", serial.msg);
  release_reading(&serial);
  unlink(path);
}

/* An input over a file whose reads must not overlap (as an S3 object's): counts
 * reads in flight and remembers whether two ever were. */
struct exclusive_in {
  struct ice_input base;
  struct ice_input *inner;
  atomic_int in_flight;
  atomic_bool overlapped;
  atomic_int reads;
  pthread_mutex_t mu; /* guards threads[] */
  pthread_t threads[8];
  int n_threads; /* distinct threads that read (at most 8 counted) */
};

static void note_thread(struct exclusive_in *x) {
  pthread_t me = pthread_self();
  pthread_mutex_lock(&x->mu);
  bool known = false;
  for (int i = 0; i < x->n_threads; i++)
    known = known || pthread_equal(x->threads[i], me);
  if (!known && x->n_threads < 8) x->threads[x->n_threads++] = me;
  pthread_mutex_unlock(&x->mu);
}

static int exclusive_read_at(struct ice_input *in, int64_t off, void *buf, size_t n,
                             struct ice_error *err) {
  struct exclusive_in *x = in->priv;
  if (atomic_fetch_add(&x->in_flight, 1) > 0) atomic_store(&x->overlapped, true);
  atomic_fetch_add(&x->reads, 1);
  note_thread(x);
  usleep(200); /* a window for another thread to come in, were it let */
  int rc = ice_input_read_at(x->inner, off, buf, n, err);
  atomic_fetch_sub(&x->in_flight, 1);
  return rc;
}

static void exclusive_close(struct ice_input *in) {
  struct exclusive_in *x = in->priv;
  ice_input_close(x->inner);
}

static const struct ice_input_vtable exclusive_vt = {exclusive_read_at, exclusive_close,
                                                     false};

/* Opens a generated file at `path` through an exclusive_in (*f owns it). */
static bool open_exclusive(const char *path, struct exclusive_in *x,
                           ice_parquet_file **f) {
  struct ice_error err;
  memset(x, 0, sizeof *x);
  atomic_init(&x->in_flight, 0);
  atomic_init(&x->overlapped, false);
  atomic_init(&x->reads, 0);
  pthread_mutex_init(&x->mu, NULL);
  gen_file(path, "snappy", "1");
  CHECK_OK(io_local_open_read(path, &x->inner, &err), &err);
  if (x->inner == NULL) return false;
  x->base.vt = &exclusive_vt;
  x->base.size = x->inner->size;
  x->base.name = x->inner->name;
  x->base.priv = x;
  *f = NULL;
  CHECK_OK(pq_reader_open_input(&x->base, f, &err), &err);
  return *f != NULL;
}

static void close_exclusive(const char *path, struct exclusive_in *x,
                            ice_parquet_file *f) {
  ice_parquet_close(f);
  pthread_mutex_destroy(&x->mu);
  unlink(path);
}

static void test_serialised_input(void) {
  char path[512];
  tw_tmp_path(path, sizeof path, "exclusive.parquet");
  struct exclusive_in x;
  ice_parquet_file *f = NULL;
  if (!open_exclusive(path, &x, &f)) return;
  struct reading serial, par;
  x.n_threads = 0;
  read_stream(f, 1, 999, NULL, &serial);
  CHECK_EQ_INT(x.n_threads, 1);
  x.n_threads = 0;
  read_stream(f, 4, 999, NULL, &par);
  CHECK(x.n_threads > 1); /* the columns were read on the pool's threads */
  CHECK_EQ_INT(serial.rows, (int64_t)GEN_ROWS * GEN_BATCHES);
  check_same(path, &serial, &par);
  CHECK(atomic_load(&x.reads) > 20);
  CHECK(!atomic_load(&x.overlapped));
  release_reading(&serial);
  release_reading(&par);
  close_exclusive(path, &x, f);
}

/* The public option: the stream's own pool at 3 threads (reading on several threads)
 * and at 0 (one per CPU) reads what one thread reads; counts outside 0..256 are
 * ICE_EINVAL. */
static void test_public_threads_option(void) {
  char path[512];
  tw_tmp_path(path, sizeof path, "public.parquet");
  struct exclusive_in x;
  ice_parquet_file *f = NULL;
  if (!open_exclusive(path, &x, &f)) return;
  struct ice_error err;
  struct reading one, three, per_cpu;
  x.n_threads = 0;
  read_with(f, 1, true, 999, NULL, &one);
  CHECK_EQ_INT(x.n_threads, 1);
  x.n_threads = 0;
  read_with(f, 3, true, 999, NULL, &three);
  CHECK(x.n_threads > 1);
  read_with(f, 0, true, 999, NULL, &per_cpu);
  CHECK_EQ_INT(one.rows, (int64_t)GEN_ROWS * GEN_BATCHES);
  check_same(path, &one, &three);
  check_same(path, &one, &per_cpu);
  release_reading(&one);
  release_reading(&three);
  release_reading(&per_cpu);
  static const int bad[] = {-1, ICE_PARQUET_MAX_THREADS + 1};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct ice_parquet_read_options o;
    ice_parquet_read_options_init(&o);
    o.threads = bad[i];
    struct ArrowArrayStream st = {0};
    CHECK_EQ_INT(ice_parquet_stream(f, &o, &st, &err), ICE_EINVAL);
    CHECK(st.release == NULL);
  }
  close_exclusive(path, &x, f);
}

int main(void) {
  ICE_RUN(test_parquet_testing_files);
  ICE_RUN(test_generated_files);
  ICE_RUN(test_corrupt_page_same_error);
  ICE_RUN(test_serialised_input);
  ICE_RUN(test_public_threads_option);
  ICE_TEST_EXIT();
}
