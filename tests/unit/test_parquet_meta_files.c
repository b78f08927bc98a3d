/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Real files: decodes the footer of every Parquet file in tests/data
 * (parquet-testing data/ and bad_data/, generated/), checks row counts stated in
 * MANIFEST.md, walks every page header of every column chunk, decompresses every page
 * with the codec module and verifies page CRCs, decodes every page index, and checks
 * that encode(decode(footer)) is a fixed point. bad_data files must decode or fail
 * with a clean error; encrypted files must be refused as unsupported.
 */
#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>

#include "codec/codec.h"
#include "harness/ice_test.h"
#include "io/io.h"
#include "parquet/pq_meta.h"
#include "util/alloc.h"
#include "util/crc32.h"

struct walk_stats {
  long files, footers_ok, pages, crc_checked, crc_bad, page_indexes, identical_reencodes;
};

static enum codec_id map_codec(int32_t c) {
  switch (c) {
    case PQ_CODEC_UNCOMPRESSED: return CODEC_NONE;
    case PQ_CODEC_SNAPPY: return CODEC_SNAPPY;
    case PQ_CODEC_GZIP: return CODEC_GZIP;
    case PQ_CODEC_BROTLI: return CODEC_BROTLI;
    case PQ_CODEC_LZ4: return CODEC_LZ4_HADOOP;
    case PQ_CODEC_ZSTD: return CODEC_ZSTD;
    case PQ_CODEC_LZ4_RAW: return CODEC_LZ4_RAW;
    default: return CODEC_LZO;
  }
}

static bool has_suffix(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Decodes one page's payload; returns ICE_OK or the codec's error. */
static int decompress_page(struct codec_ctx *cc, enum codec_id id, const struct pq_page_header *h,
                           const uint8_t *payload, struct ice_error *err) {
  size_t comp = (size_t)h->compressed_page_size, raw = (size_t)h->uncompressed_page_size;
  uint8_t *out = ice_malloc(raw ? raw : 1);
  if (out == NULL) return ICE_ENOMEM;
  int rc;
  if (h->type == PQ_PAGE_DATA_V2 && h->has_data_page_header_v2) {
    /* v2: levels are stored raw in front of the (maybe compressed) values. */
    const struct pq_data_page_header_v2 *v = &h->data_page_header_v2;
    size_t lv = (size_t)v->definition_levels_byte_length +
                (size_t)v->repetition_levels_byte_length;
    if (lv > comp || lv > raw) {
      rc = ice_error_set(err, ICE_ECORRUPT, "v2 levels exceed the page");
    } else if (!v->is_compressed) {
      rc = comp == raw ? ICE_OK : ice_error_set(err, ICE_ECORRUPT, "uncompressed v2 size mismatch");
    } else {
      rc = codec_decompress(cc, id, payload + lv, comp - lv, out + lv, raw - lv, err);
    }
  } else {
    rc = codec_decompress(cc, id, payload, comp, out, raw, err);
  }
  ice_free(out);
  return rc;
}

/* Walks the pages of one column chunk; strict for good files, tolerant for bad ones. */
static int walk_chunk(struct ice_input *in, const struct pq_column_meta *m, bool expect_crc_ok,
                      struct codec_ctx *cc, struct walk_stats *st, struct ice_error *err) {
  /* Chunks may start with a dictionary page; some writers set its offset to 0 when
   * there is none, others (dictionary-only chunks) leave data_page_offset unusable. */
  int64_t start = m->data_page_offset;
  if (m->has_dictionary_page_offset && m->dictionary_page_offset >= 4 &&
      (m->dictionary_page_offset < start || start < 4)) {
    start = m->dictionary_page_offset;
  }
  int64_t len = m->total_compressed_size;
  if (start < 4 || len < 0 || start > in->size || len > in->size - start) {
    return ice_error_set(err, ICE_ECORRUPT, "chunk range outside the file");
  }
  uint8_t *buf = ice_malloc((size_t)len ? (size_t)len : 1);
  int rc = ice_input_read_at(in, start, buf, (size_t)len, err);
  size_t pos = 0;
  int64_t values = 0;
  while (rc == ICE_OK && pos < (size_t)len) {
    struct pq_page_header h;
    size_t used;
    rc = pq_meta_read_page_header(buf + pos, (size_t)len - pos, &h, &used, err);
    if (rc != ICE_OK) break;
    pos += used;
    if ((size_t)h.compressed_page_size > (size_t)len - pos) {
      rc = ice_error_set(err, ICE_ECORRUPT, "page payload beyond the chunk");
      break;
    }
    st->pages++;
    if (h.has_crc) {
      uint32_t crc = ice_crc32(0, buf + pos, (size_t)h.compressed_page_size);
      st->crc_checked++;
      if (crc != h.crc) {
        st->crc_bad++;
        if (expect_crc_ok) {
          rc = ice_error_set(err, ICE_ECORRUPT, "page crc mismatch");
          break;
        }
      }
    }
    if (h.type == PQ_PAGE_DATA && h.has_data_page_header) values += h.data_page_header.num_values;
    if (h.type == PQ_PAGE_DATA_V2 && h.has_data_page_header_v2) {
      values += h.data_page_header_v2.num_values;
    }
    /* Pages with deliberately wrong CRCs may have damaged payloads too. */
    if (h.type <= PQ_PAGE_DATA_V2 && h.type != PQ_PAGE_INDEX && (!h.has_crc || expect_crc_ok)) {
      rc = decompress_page(cc, map_codec(m->codec), &h, buf + pos, err);
      if (rc != ICE_OK) break;
    }
    pos += (size_t)h.compressed_page_size;
  }
  if (rc == ICE_OK && values != m->num_values) {
    rc = ice_error_set(err, ICE_ECORRUPT, "pages hold %lld values, chunk says %lld",
                       (long long)values, (long long)m->num_values);
  }
  ice_free(buf);
  return rc;
}

static int read_blob(struct ice_input *in, int64_t off, int32_t len, uint8_t **out,
                     struct ice_error *err) {
  if (off < 0 || len < 0 || off > in->size || len > in->size - off) {
    return ice_error_set(err, ICE_ECORRUPT, "page index outside the file");
  }
  *out = ice_malloc((size_t)len ? (size_t)len : 1);
  int rc = ice_input_read_at(in, off, *out, (size_t)len, err);
  if (rc != ICE_OK) ice_free(*out);
  return rc;
}

/* Decodes the page indexes of one chunk and checks they survive re-encoding. */
static int check_page_index(struct ice_input *in, const struct pq_column_chunk *c,
                            struct walk_stats *st, struct ice_error *err) {
  struct ice_arena arena;
  ice_arena_init(&arena, 0);
  int rc = ICE_OK;
  uint8_t *blob = NULL;
  if (c->has_offset_index_offset && c->has_offset_index_length) {
    rc = read_blob(in, c->offset_index_offset, c->offset_index_length, &blob, err);
    struct pq_offset_index oi, oi2;
    if (rc == ICE_OK) {
      rc = pq_meta_read_offset_index(blob, (size_t)c->offset_index_length, &arena, &oi, err);
      ice_free(blob);
    }
    if (rc == ICE_OK) {
      struct ice_buf b;
      ice_buf_init(&b, 1u << 30);
      rc = pq_meta_write_offset_index(&oi, &b, err);
      if (rc == ICE_OK) rc = pq_meta_read_offset_index(b.data, b.len, &arena, &oi2, err);
      if (rc == ICE_OK) {
        CHECK_EQ_INT(oi2.n_page_locations, oi.n_page_locations);
        for (size_t i = 0; i < oi.n_page_locations && i < oi2.n_page_locations; i++) {
          CHECK(oi.page_locations[i].offset == oi2.page_locations[i].offset);
          CHECK(oi.page_locations[i].first_row_index == oi2.page_locations[i].first_row_index);
        }
        st->page_indexes++;
      }
      ice_buf_reset(&b);
    }
  }
  if (rc == ICE_OK && c->has_column_index_offset && c->has_column_index_length) {
    rc = read_blob(in, c->column_index_offset, c->column_index_length, &blob, err);
    struct pq_column_index ci, ci2;
    if (rc == ICE_OK) {
      rc = pq_meta_read_column_index(blob, (size_t)c->column_index_length, &arena, &ci, err);
      ice_free(blob);
    }
    if (rc == ICE_OK) {
      struct ice_buf b;
      ice_buf_init(&b, 1u << 30);
      rc = pq_meta_write_column_index(&ci, &b, err);
      if (rc == ICE_OK) rc = pq_meta_read_column_index(b.data, b.len, &arena, &ci2, err);
      if (rc == ICE_OK) {
        CHECK_EQ_INT(ci2.n_pages, ci.n_pages);
        for (size_t i = 0; i < ci.n_pages && i < ci2.n_pages; i++) {
          CHECK(ci.null_pages[i] == ci2.null_pages[i]);
          CHECK(ci.min_values[i].len == ci2.min_values[i].len);
          CHECK(ci.max_values[i].len == 0 ||
                memcmp(ci.max_values[i].data, ci2.max_values[i].data, ci.max_values[i].len) == 0);
        }
        st->page_indexes++;
      }
      ice_buf_reset(&b);
    }
  }
  ice_arena_reset(&arena);
  return rc;
}

/* encode(decode(x)) must decode to the same thing and re-encode to the same bytes. */
static void check_reencode(struct ice_input *in, const struct pq_file_meta *m, int64_t foff,
                           struct walk_stats *st) {
  struct ice_error err;
  struct ice_buf b1, b2;
  ice_buf_init(&b1, 1u << 30);
  ice_buf_init(&b2, 1u << 30);
  int rc = pq_meta_write_file(m, &b1, &err);
  if (rc == ICE_EINVAL && strstr(err.message, "unknown logical type") != NULL) {
    ice_buf_reset(&b1); /* by design: a union member we cannot name cannot be written */
    ice_buf_reset(&b2);
    return;
  }
  CHECK_OK(rc, &err);
  struct pq_file_meta m2;
  rc = pq_meta_read_file(b1.data, b1.len, &m2, &err);
  CHECK_OK(rc, &err);
  if (rc == ICE_OK) {
    CHECK_OK(pq_meta_write_file(&m2, &b2, &err), &err);
    CHECK(b1.len == b2.len && memcmp(b1.data, b2.data, b1.len) == 0);
    CHECK_EQ_INT(m2.num_rows, m->num_rows);
    CHECK_EQ_INT(m2.n_schema, m->n_schema);
    CHECK_EQ_INT(m2.n_row_groups, m->n_row_groups);
    pq_file_meta_reset(&m2);
  }
  /* Many writers emit exactly what we emit; count those (informational). */
  int64_t flen = in->size - 8 - foff;
  if (flen == (int64_t)b1.len) {
    uint8_t *orig = ice_malloc((size_t)flen);
    if (ice_input_read_at(in, foff, orig, (size_t)flen, &err) == ICE_OK &&
        memcmp(orig, b1.data, b1.len) == 0) {
      st->identical_reencodes++;
    }
    ice_free(orig);
  }
  ice_buf_reset(&b1);
  ice_buf_reset(&b2);
}

static int64_t sum_row_groups(const struct pq_file_meta *m) {
  int64_t n = 0;
  for (size_t i = 0; i < m->n_row_groups; i++) n += m->row_groups[i].num_rows;
  return n;
}

/* Returns the footer result; for good files also walks pages and indexes. */
static int check_file(const char *path, bool bad, struct walk_stats *st) {
  struct ice_error err;
  struct ice_input *in = NULL;
  int rc = io_local_open_read(path, &in, &err);
  CHECK_OK(rc, &err);
  if (rc != ICE_OK) return rc;
  st->files++;
  struct pq_file_meta m;
  int64_t foff = 0;
  rc = pq_meta_read_footer(in, &m, &foff, &err);
  bool encrypted = has_suffix(path, ".encrypted");
  if (encrypted) {
    if (rc != ICE_EUNSUPPORTED) fprintf(stderr, "  %s: expected unsupported, got %d\n", path, rc);
    CHECK_EQ_INT(rc, ICE_EUNSUPPORTED);
    CHECK(strstr(err.message, "encrypted parquet files are not supported") != NULL);
  } else if (!bad) {
    if (rc != ICE_OK) fprintf(stderr, "  %s: %s\n", path, err.message);
    CHECK_OK(rc, &err);
  } else if (rc != ICE_OK) {
    /* A clean failure: a data error with a message naming the file. */
    CHECK(rc == ICE_ECORRUPT || rc == ICE_EUNSUPPORTED || rc == ICE_ELIMIT);
    CHECK(strstr(err.message, "parquet: ") == err.message);
    printf("# %s: %s\n", strrchr(path, '/') + 1, err.message);
  }
  if (rc == ICE_OK) {
    st->footers_ok++;
    struct codec_ctx cc;
    codec_ctx_init(&cc);
    bool crc_ok = strstr(path, "corrupt-checksum") == NULL;
    /* nation.dict-malformed has valid metadata but broken pages (a leniency test for
     * page readers): walk it like bad_data. */
    bool tolerant = bad || strstr(path, "dict-malformed") != NULL;
    for (size_t g = 0; g < m.n_row_groups; g++) {
      for (size_t c = 0; c < m.row_groups[g].n_columns; c++) {
        const struct pq_column_chunk *cc_meta = &m.row_groups[g].columns[c];
        struct ice_error werr;
        int wrc = cc_meta->has_meta_data
                      ? walk_chunk(in, &cc_meta->meta_data, crc_ok, &cc, st, &werr)
                      : ice_error_set(&werr, ICE_ECORRUPT, "no meta_data");
        if (wrc == ICE_OK) wrc = check_page_index(in, cc_meta, st, &werr);
        if (!tolerant && wrc != ICE_OK) {
          fprintf(stderr, "  %s rg %zu col %zu: %s\n", path, g, c, werr.message);
          CHECK_OK(wrc, &werr);
        }
      }
    }
    codec_ctx_reset(&cc);
    check_reencode(in, &m, foff, st);
    pq_file_meta_reset(&m);
    pq_file_meta_reset(&m); /* idempotent */
  }
  ice_input_close(in);
  return rc;
}

static void check_dir(const char *dir, bool bad, struct walk_stats *st) {
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat sb;
    if (stat(path, &sb) != 0) continue;
    if (S_ISDIR(sb.st_mode)) {
      check_dir(path, bad, st);
    } else if (has_suffix(path, ".parquet") || has_suffix(path, ".parquet.encrypted")) {
      check_file(path, bad, st);
    }
  }
  closedir(d);
}

static void test_every_good_file(void) {
  char dir[4096];
  struct walk_stats st = {0};
  snprintf(dir, sizeof dir, "%s/parquet-testing/data", ice_test_data_dir());
  check_dir(dir, false, &st);
  snprintf(dir, sizeof dir, "%s/generated", ice_test_data_dir());
  check_dir(dir, false, &st);
  printf("# %ld files, %ld footers, %ld pages, %ld crcs (%ld bad), %ld page indexes, "
         "%ld byte-identical re-encodes\n",
         st.files, st.footers_ok, st.pages, st.crc_checked, st.crc_bad, st.page_indexes,
         st.identical_reencodes);
  CHECK(st.files >= 75);
  CHECK(st.pages > 40000);       /* overflow_i16_page_cnt alone has 40k pages */
  CHECK(st.crc_checked > 0);
  CHECK(st.crc_bad > 0);         /* the *-corrupt-checksum files */
  CHECK(st.page_indexes > 0);
}

static void test_bad_files_fail_cleanly(void) {
  char dir[4096];
  struct walk_stats st = {0};
  snprintf(dir, sizeof dir, "%s/parquet-testing/bad_data", ice_test_data_dir());
  check_dir(dir, true, &st);
  CHECK(st.files >= 8);
}

static void open_meta(const char *rel, struct pq_file_meta *m, int *rc) {
  char path[4096];
  struct ice_error err;
  snprintf(path, sizeof path, "%s/parquet-testing/%s", ice_test_data_dir(), rel);
  struct ice_input *in = NULL;
  *rc = io_local_open_read(path, &in, &err);
  if (*rc == ICE_OK) *rc = pq_meta_read_footer(in, m, NULL, &err);
  if (*rc != ICE_OK) fprintf(stderr, "  %s: %s\n", rel, err.message);
  ice_input_close(in);
}

/* Row counts and details stated in MANIFEST.md. */
static void test_manifest_facts(void) {
  static const struct {
    const char *file;
    int64_t rows;
  } facts[] = {
      {"data/alltypes_plain.parquet", 8},          {"data/alltypes_tiny_pages.parquet", 7300},
      {"data/overflow_i16_page_cnt.parquet", 40000}, {"data/concatenated_gzip_members.parquet", 513},
      {"data/hadoop_lz4_compressed.parquet", 4},   {"data/non_hadoop_lz4_compressed.parquet", 4},
      {"data/large_string_map.brotli.parquet", 2}, {"bad_data/ARROW-GH-43605.parquet", 21186},
  };
  for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
    struct pq_file_meta m;
    int rc;
    open_meta(facts[i].file, &m, &rc);
    CHECK_EQ_INT(rc, ICE_OK);
    if (rc != ICE_OK) continue;
    CHECK_EQ_INT(m.num_rows, facts[i].rows);
    CHECK_EQ_INT(sum_row_groups(&m), facts[i].rows);
    pq_file_meta_reset(&m);
  }
  /* parquet-rs 0.3 wrote num_rows 0 with a 6-row row group. */
  struct pq_file_meta m;
  int rc;
  open_meta("data/repeated_no_annotation.parquet", &m, &rc);
  CHECK_EQ_INT(rc, ICE_OK);
  if (rc == ICE_OK) {
    CHECK_EQ_INT(m.num_rows, 0);
    CHECK_EQ_INT(sum_row_groups(&m), 6);
    pq_file_meta_reset(&m);
  }
  /* alltypes_plain: Impala, 11 columns under the root, no column orders. */
  open_meta("data/alltypes_plain.parquet", &m, &rc);
  if (rc == ICE_OK) {
    CHECK_EQ_INT(m.n_schema, 12);
    CHECK(m.schema[0].has_num_children && m.schema[0].num_children == 11);
    CHECK_EQ_STR(m.schema[1].name, "id");
    CHECK(m.schema[1].has_type && m.schema[1].type == PQ_TYPE_INT32);
    CHECK(!m.has_column_orders);
    CHECK_EQ_INT(m.row_groups[0].columns[0].meta_data.codec, PQ_CODEC_UNCOMPRESSED);
    pq_file_meta_reset(&m);
  }
  /* unknown-logical-type: a union member we do not know is kept as FUTURE. */
  open_meta("data/unknown-logical-type.parquet", &m, &rc);
  CHECK_EQ_INT(rc, ICE_OK);
  if (rc == ICE_OK) {
    bool found = false;
    for (size_t i = 0; i < m.n_schema; i++) {
      if (m.schema[i].has_logical_type && m.schema[i].logical_type.kind == PQ_LOGICAL_FUTURE) {
        found = true;
        CHECK_EQ_INT(m.schema[i].logical_type.future_id, 2555);
      }
    }
    CHECK(found);
    pq_file_meta_reset(&m);
  }
  /* column_chunk_key_value_metadata: a KeyValue without value. */
  open_meta("data/column_chunk_key_value_metadata.parquet", &m, &rc);
  CHECK_EQ_INT(rc, ICE_OK);
  if (rc == ICE_OK) {
    bool missing_value = false;
    for (size_t c = 0; c < m.row_groups[0].n_columns; c++) {
      const struct pq_column_meta *cm = &m.row_groups[0].columns[c].meta_data;
      for (size_t k = 0; cm->has_key_value_metadata && k < cm->n_key_value_metadata; k++) {
        if (cm->key_value_metadata[k].value == NULL) missing_value = true;
      }
    }
    CHECK(missing_value);
    pq_file_meta_reset(&m);
  }
}

/* Every "footer N" row count in MANIFEST.md (written from an independent footer
 * walker) matches FileMetaData.num_rows, and the row groups add up to it (or to the
 * "row groups M" figure given where they differ). */
static void test_manifest_all_row_counts(void) {
  char path[4096];
  snprintf(path, sizeof path, "%s/parquet-testing/MANIFEST.md", ice_test_data_dir());
  FILE *f = fopen(path, "r");
  CHECK(f != NULL);
  if (f == NULL) return;
  char line[8192], file[1024] = "";
  int checked = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    const char *h = strstr(line, "### `");
    if (h == line) {
      const char *end = strchr(line + 5, '`');
      size_t n = end ? (size_t)(end - (line + 5)) : 0;
      if (n >= sizeof file) n = 0;
      memcpy(file, line + 5, n);
      file[n] = '\0';
      continue;
    }
    const char *r = strstr(line, "- **rows:**");
    const char *ft = r ? strstr(r, "footer ") : NULL;
    if (ft == NULL || file[0] == '\0') continue;
    long long rows = strtoll(ft + 7, NULL, 10), rg_rows = rows;
    const char *rg = strstr(ft, " / row groups ");
    if (rg != NULL) rg_rows = strtoll(rg + 14, NULL, 10);
    if (has_suffix(file, ".encrypted")) {
      file[0] = '\0';
      continue; /* refused by design */
    }
    struct pq_file_meta m;
    int rc;
    open_meta(file, &m, &rc);
    if (rc == ICE_OK) {
      if (m.num_rows != rows || sum_row_groups(&m) != rg_rows) {
        fprintf(stderr, "  %s: num_rows %lld / %lld, manifest %lld / %lld\n", file,
                (long long)m.num_rows, (long long)sum_row_groups(&m), rows, rg_rows);
      }
      CHECK_EQ_INT(m.num_rows, rows);
      CHECK_EQ_INT(sum_row_groups(&m), rg_rows);
      pq_file_meta_reset(&m);
      checked++;
    } else {
      /* Only the bad_data file with a corrupt schema may fail here. */
      CHECK(strstr(file, "PARQUET-1481") != NULL);
    }
    file[0] = '\0';
  }
  fclose(f);
  printf("# %d manifest row counts checked\n", checked);
  CHECK(checked >= 70);
}

/* PARQUET-1481: schema type -7 must be a clean ICE_ECORRUPT. ARROW-RS-GH-6229
 * DICTHEADER: the footer is fine but a dictionary page header has a negative
 * num_values, which the page-header decoder must reject. */
static void test_bad_data_specifics(void) {
  struct pq_file_meta m;
  int rc;
  open_meta("bad_data/PARQUET-1481.parquet", &m, &rc);
  CHECK_EQ_INT(rc, ICE_ECORRUPT);
  if (rc == ICE_OK) pq_file_meta_reset(&m);

  char path[4096];
  snprintf(path, sizeof path,
           "%s/parquet-testing/bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet",
           ice_test_data_dir());
  struct ice_error err;
  struct ice_input *in = NULL;
  CHECK_OK(io_local_open_read(path, &in, &err), &err);
  if (in == NULL) return;
  rc = pq_meta_read_footer(in, &m, NULL, &err);
  CHECK_OK(rc, &err);
  if (rc == ICE_OK) {
    struct codec_ctx cc;
    codec_ctx_init(&cc);
    struct walk_stats st = {0};
    int negative = 0;
    for (size_t g = 0; g < m.n_row_groups; g++) {
      for (size_t c = 0; c < m.row_groups[g].n_columns; c++) {
        int wrc = walk_chunk(in, &m.row_groups[g].columns[c].meta_data, true, &cc, &st, &err);
        if (wrc == ICE_ECORRUPT && strstr(err.message, "num_values is negative") != NULL) {
          negative++;
        }
      }
    }
    CHECK(negative > 0);
    codec_ctx_reset(&cc);
    pq_file_meta_reset(&m);
  }
  ice_input_close(in);
}

int main(void) {
  ICE_RUN(test_every_good_file);
  ICE_RUN(test_bad_files_fail_cleanly);
  ICE_RUN(test_manifest_facts);
  ICE_RUN(test_manifest_all_row_counts);
  ICE_RUN(test_bad_data_specifics);
  ICE_TEST_EXIT();
}
