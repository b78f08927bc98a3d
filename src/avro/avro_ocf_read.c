/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro object container file reader (Avro 1.11 "Object Container Files"): magic
 * "Obj\x01", a metadata map (string -> bytes), a 16-byte sync marker, then blocks of
 * [long count][long size][size bytes, compressed per avro.codec][sync]. Reads go
 * through struct ice_input; only one block is held in memory at a time. The header
 * is read with a growing prefix (it has no length field), bounded by
 * ICE_LIMIT_AVRO_HEADER_BYTES. Every read fetches up to READ_AHEAD bytes more than
 * asked, so a small file (most manifests) costs one read and a block's header usually
 * arrives with the previous block: remote storage pays per request.
 */
#include <string.h>

#include "avro/avro_ocf.h"
#include "codec/codec.h"
#include "util/alloc.h"
#include "util/crc32.h"
#include "util/limits.h"

static const uint8_t avro_magic[4] = {'O', 'b', 'j', 1};

#define READ_AHEAD (64u * 1024)

struct meta_entry {
  const char *key;
  const char *value; /* NUL-terminated copy of the bytes */
  size_t len;
};

struct avro_ocf_reader {
  struct ice_input *in;
  struct avro_schema *schema;
  enum avro_codec codec;
  uint8_t sync[AVRO_SYNC_BYTES];
  struct ice_arena meta_arena; /* keys and values of the header */
  struct meta_entry *meta;
  size_t n_meta;
  int64_t pos;          /* offset of the next block */
  struct ice_buf window; /* file bytes [window_off, window_off + window.len) */
  int64_t window_off;
  struct ice_buf plain; /* the current block decompressed */
  struct codec_ctx cctx;
  /* iteration state of avro_ocf_reader_next */
  struct avro_cursor cur;
  int64_t left_in_block;
};

const char *avro_codec_name(enum avro_codec c) {
  switch (c) {
    case AVRO_CODEC_NULL: return "null";
    case AVRO_CODEC_DEFLATE: return "deflate";
    case AVRO_CODEC_SNAPPY: return "snappy";
    case AVRO_CODEC_ZSTD: return "zstandard";
  }
  return "unknown";
}

int avro_codec_parse(const char *name, size_t len, enum avro_codec *out,
                     struct ice_error *err) {
  static const enum avro_codec all[] = {AVRO_CODEC_NULL, AVRO_CODEC_DEFLATE,
                                        AVRO_CODEC_SNAPPY, AVRO_CODEC_ZSTD};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    const char *n = avro_codec_name(all[i]);
    if (strlen(n) == len && memcmp(n, name, len) == 0) {
      *out = all[i];
      return ICE_OK;
    }
  }
  return ice_error_set(err, ICE_EUNSUPPORTED, "avro: unsupported codec '%.*s'",
                       len > 64 ? 64 : (int)len, name);
}

/* Parses the header from a prefix of the file. ICE_ECORRUPT may just mean the prefix
 * was too short; the caller retries with more bytes. */
static int parse_header(struct avro_ocf_reader *r, const uint8_t *buf, size_t len,
                        size_t *header_len, struct ice_error *err) {
  struct avro_cursor c;
  avro_cursor_init(&c, buf, len);
  const uint8_t *magic;
  ICE_TRY(avro_get_fixed(&c, 4, &magic, err));
  ICE_CHECK_DATA(memcmp(magic, avro_magic, 4) == 0, err, "not an avro file (bad magic)");
  ice_arena_reset(&r->meta_arena);
  r->meta = NULL;
  r->n_meta = 0;
  size_t cap = 0;
  for (;;) {
    size_t n;
    int64_t byte_size;
    /* each entry takes at least 2 bytes (two lengths) */
    ICE_TRY(avro_get_block_count(&c, avro_cursor_left(&c) / 2, &n, &byte_size, err));
    if (n == 0) break;
    if (n > ICE_LIMIT_AVRO_META_ENTRIES - r->n_meta) {
      return ice_error_set(err, ICE_ELIMIT, "avro: header has more than %d entries",
                           ICE_LIMIT_AVRO_META_ENTRIES);
    }
    if (r->n_meta + n > cap) {
      size_t ncap = r->n_meta + n;
      void *p;
      ICE_TRY(ice_arena_calloc(&r->meta_arena, ncap, sizeof(struct meta_entry), &p, err));
      if (r->n_meta > 0) memcpy(p, r->meta, r->n_meta * sizeof(struct meta_entry));
      r->meta = p;
      cap = ncap;
    }
    for (size_t i = 0; i < n; i++) {
      const uint8_t *k, *v;
      size_t klen, vlen;
      ICE_TRY(avro_get_bytes(&c, &k, &klen, err));
      ICE_TRY(avro_get_bytes(&c, &v, &vlen, err));
      struct meta_entry *e = &r->meta[r->n_meta];
      char *key, *val;
      ICE_TRY(ice_arena_strndup(&r->meta_arena, k, klen, &key, err));
      ICE_TRY(ice_arena_strndup(&r->meta_arena, v, vlen, &val, err));
      ICE_CHECK_DATA(strlen(key) == klen, err, "avro: header key contains a NUL byte");
      ICE_CHECK_DATA(avro_ocf_reader_meta(r, key, NULL) == NULL, err,
                     "avro: header key '%s' appears twice", key);
      e->key = key;
      e->value = val;
      e->len = vlen;
      r->n_meta++;
    }
  }
  const uint8_t *sync;
  ICE_TRY(avro_get_fixed(&c, AVRO_SYNC_BYTES, &sync, err));
  memcpy(r->sync, sync, AVRO_SYNC_BYTES);
  *header_len = len - avro_cursor_left(&c);
  return ICE_OK;
}

/* Points *p at n file bytes at off (n <= size - off, checked by the caller), valid
 * until the next fetch. Serves from the window when it can, else refills it. */
static int fetch(struct avro_ocf_reader *r, int64_t off, size_t n, const uint8_t **p,
                 struct ice_error *err) {
  if (off >= r->window_off && (uint64_t)(off - r->window_off) <= r->window.len &&
      n <= r->window.len - (size_t)(off - r->window_off)) {
    *p = r->window.data + (off - r->window_off);
    return ICE_OK;
  }
  size_t left = (size_t)(r->in->size - off);
  size_t want = n + (left - n < READ_AHEAD ? left - n : READ_AHEAD);
  r->window.len = 0;
  r->window_off = 0;
  ICE_TRY(ice_buf_resize(&r->window, want, err));
  ICE_TRY(ice_input_read_at(r->in, off, r->window.data, want, err));
  r->window_off = off;
  *p = r->window.data;
  return ICE_OK;
}

static int read_header(struct avro_ocf_reader *r, struct ice_error *err) {
  struct ice_input *in = r->in;
  int64_t cap = in->size < (int64_t)ICE_LIMIT_AVRO_HEADER_BYTES
                    ? in->size
                    : (int64_t)ICE_LIMIT_AVRO_HEADER_BYTES;
  size_t want = cap < READ_AHEAD ? (size_t)cap : READ_AHEAD;
  ICE_CHECK_DATA(in->size >= 4 + 1 + AVRO_SYNC_BYTES, err,
                 "not an avro file (%lld bytes)", (long long)in->size);
  const uint8_t *magic;
  ICE_TRY(fetch(r, 0, want, &magic, err));
  /* checked first so that a large non-Avro file is not read in growing prefixes */
  ICE_CHECK_DATA(memcmp(magic, avro_magic, 4) == 0, err, "not an avro file (bad magic)");
  for (;;) {
    const uint8_t *p;
    ICE_TRY(fetch(r, 0, want, &p, err));
    size_t header_len;
    int rc = parse_header(r, p, want, &header_len, err);
    if (rc == ICE_OK) {
      r->pos = (int64_t)header_len;
      return ICE_OK;
    }
    /* anything but "ran out of bytes" is final, as is having read all we may */
    if (rc != ICE_ECORRUPT || (int64_t)want >= cap) {
      if (rc == ICE_ECORRUPT && (int64_t)want < in->size) {
        return ice_error_set(err, ICE_ELIMIT, "avro: header exceeds %u bytes",
                             (unsigned)ICE_LIMIT_AVRO_HEADER_BYTES);
      }
      return rc;
    }
    want = (int64_t)want * 4 < cap ? want * 4 : (size_t)cap;
  }
}

static int setup_schema_and_codec(struct avro_ocf_reader *r, struct ice_error *err) {
  size_t len;
  const char *schema = avro_ocf_reader_meta(r, "avro.schema", &len);
  ICE_CHECK_DATA(schema != NULL, err, "avro: header has no avro.schema");
  ICE_TRY(avro_schema_parse(schema, len, &r->schema, err));
  const char *codec = avro_ocf_reader_meta(r, "avro.codec", &len);
  r->codec = AVRO_CODEC_NULL;
  if (codec != NULL) ICE_TRY(avro_codec_parse(codec, len, &r->codec, err));
  return ICE_OK;
}

int avro_ocf_reader_open(struct ice_input *in, struct avro_ocf_reader **out,
                         struct ice_error *err) {
  struct avro_ocf_reader *r = ice_calloc(1, sizeof *r);
  if (r == NULL) return ice_error_set(err, ICE_ENOMEM, "avro: out of memory");
  r->in = in;
  ice_arena_init(&r->meta_arena, ICE_LIMIT_AVRO_HEADER_BYTES * 2u);
  ice_buf_init(&r->window, ICE_LIMIT_AVRO_HEADER_BYTES + ICE_LIMIT_AVRO_BLOCK_BYTES +
                               AVRO_SYNC_BYTES + 2 * AVRO_MAX_VARINT_BYTES + READ_AHEAD);
  ice_buf_init(&r->plain, ICE_LIMIT_AVRO_BLOCK_BYTES);
  codec_ctx_init(&r->cctx);
  int rc = read_header(r, err);
  if (rc == ICE_OK) rc = setup_schema_and_codec(r, err);
  if (rc != ICE_OK) {
    ice_error_prefix_path(err, in->name ? NULL : "avro", in->name);
    avro_ocf_reader_free(r);
    return rc;
  }
  *out = r;
  return ICE_OK;
}

void avro_ocf_reader_free(struct avro_ocf_reader *r) {
  if (r == NULL) return;
  avro_schema_free(r->schema);
  ice_arena_reset(&r->meta_arena);
  ice_buf_reset(&r->window);
  ice_buf_reset(&r->plain);
  codec_ctx_reset(&r->cctx);
  ice_free(r);
}

const struct avro_schema *avro_ocf_reader_schema(const struct avro_ocf_reader *r) {
  return r->schema;
}

enum avro_codec avro_ocf_reader_codec(const struct avro_ocf_reader *r) {
  return r->codec;
}

const char *avro_ocf_reader_meta(const struct avro_ocf_reader *r, const char *key,
                                 size_t *len) {
  for (size_t i = 0; i < r->n_meta; i++) {
    if (strcmp(r->meta[i].key, key) == 0) {
      if (len != NULL) *len = r->meta[i].len;
      return r->meta[i].value;
    }
  }
  return NULL;
}

size_t avro_ocf_reader_meta_count(const struct avro_ocf_reader *r) {
  return r->n_meta;
}

void avro_ocf_reader_meta_at(const struct avro_ocf_reader *r, size_t i, const char **key,
                             const char **value, size_t *value_len) {
  *key = r->meta[i].key;
  *value = r->meta[i].value;
  if (value_len != NULL) *value_len = r->meta[i].len;
}

/* Avro's snappy: a raw snappy block followed by the big-endian CRC32 of the
 * uncompressed bytes. */
static int decompress_snappy(struct avro_ocf_reader *r, const uint8_t *src, size_t n,
                             struct ice_error *err) {
  ICE_CHECK_DATA(n >= 4, err, "avro: snappy block shorter than its checksum");
  ICE_TRY(codec_decompress_buf(&r->cctx, CODEC_SNAPPY, src, n - 4, &r->plain, err));
  const uint8_t *c = src + n - 4;
  uint32_t want = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | c[3];
  uint32_t got = ice_crc32(0, r->plain.data, r->plain.len);
  ICE_CHECK_DATA(got == want, err,
                 "avro: snappy block checksum mismatch (crc32 %08x, expected %08x)",
                 (unsigned)got, (unsigned)want);
  return ICE_OK;
}

static int decompress_block(struct avro_ocf_reader *r, const uint8_t *src, size_t n,
                            struct ice_error *err) {
  ice_buf_clear(&r->plain);
  switch (r->codec) {
    case AVRO_CODEC_NULL:
      return ice_buf_append(&r->plain, src, n, err);
    case AVRO_CODEC_DEFLATE:
      return codec_decompress_buf(&r->cctx, CODEC_DEFLATE_RAW, src, n, &r->plain, err);
    case AVRO_CODEC_ZSTD:
      return codec_decompress_buf(&r->cctx, CODEC_ZSTD, src, n, &r->plain, err);
    case AVRO_CODEC_SNAPPY:
      return decompress_snappy(r, src, n, err);
  }
  return ice_error_set(err, ICE_EINTERNAL, "avro: unknown codec %d", (int)r->codec);
}

static int load_block(struct avro_ocf_reader *r, int64_t *count, bool *eof,
                      struct ice_error *err) {
  struct ice_input *in = r->in;
  if (r->pos >= in->size) {
    *eof = true;
    return ICE_OK;
  }
  /* two varints: count and size */
  size_t head_len = in->size - r->pos < 2 * AVRO_MAX_VARINT_BYTES
                        ? (size_t)(in->size - r->pos)
                        : 2 * AVRO_MAX_VARINT_BYTES;
  const uint8_t *head;
  ICE_TRY(fetch(r, r->pos, head_len, &head, err));
  struct avro_cursor c;
  avro_cursor_init(&c, head, head_len);
  int64_t n, size;
  ICE_TRY(avro_get_long(&c, &n, err));
  ICE_TRY(avro_get_long(&c, &size, err));
  ICE_CHECK_DATA(n >= 0, err, "avro: negative block count %lld", (long long)n);
  ICE_CHECK_DATA(size >= 0, err, "avro: negative block size %lld", (long long)size);
  if (size > (int64_t)ICE_LIMIT_AVRO_BLOCK_BYTES) {
    return ice_error_set(err, ICE_ELIMIT, "avro: block of %lld bytes exceeds %u",
                         (long long)size, (unsigned)ICE_LIMIT_AVRO_BLOCK_BYTES);
  }
  int64_t data_at = r->pos + (int64_t)(head_len - avro_cursor_left(&c));
  ICE_CHECK_DATA(size + AVRO_SYNC_BYTES <= in->size - data_at, err,
                 "avro: block of %lld bytes at offset %lld runs past the end of the file",
                 (long long)size, (long long)r->pos);
  const uint8_t *stored;
  ICE_TRY(fetch(r, data_at, (size_t)size + AVRO_SYNC_BYTES, &stored, err));
  ICE_CHECK_DATA(memcmp(stored + size, r->sync, AVRO_SYNC_BYTES) == 0, err,
                 "avro: block at offset %lld: sync marker mismatch", (long long)r->pos);
  ICE_TRY(decompress_block(r, stored, (size_t)size, err));
  size_t min = avro_schema_min_encoded_size(r->schema);
  /* zero-byte datums cost no input, so cap their count separately */
  uint64_t max = min > 0 ? r->plain.len / min : ICE_LIMIT_AVRO_BLOCK_BYTES;
  ICE_CHECK_DATA((uint64_t)n <= max, err,
                 "avro: block at offset %lld claims %lld records in %zu bytes",
                 (long long)r->pos, (long long)n, r->plain.len);
  r->pos = data_at + size + AVRO_SYNC_BYTES;
  *count = n;
  *eof = false;
  return ICE_OK;
}

int avro_ocf_reader_next_block(struct avro_ocf_reader *r, int64_t *count,
                               const uint8_t **data, size_t *len, bool *eof,
                               struct ice_error *err) {
  int64_t n = 0;
  bool end = false;
  int64_t at = r->pos;
  int rc = load_block(r, &n, &end, err);
  if (rc != ICE_OK) return ice_error_prefix(err, "%s: block at offset %lld", r->in->name,
                                            (long long)at);
  r->left_in_block = 0;
  *eof = end;
  if (!end) {
    *count = n;
    *data = r->plain.data;
    *len = r->plain.len;
  }
  return ICE_OK;
}

int avro_ocf_reader_next(struct avro_ocf_reader *r, struct ice_arena *arena,
                         struct avro_value *out, bool *eof, struct ice_error *err) {
  while (r->left_in_block == 0) {
    if (r->cur.p != r->cur.end) {
      return ice_error_set(err, ICE_ECORRUPT,
                           "%s: block before offset %lld has %zu trailing bytes",
                           r->in->name, (long long)r->pos, avro_cursor_left(&r->cur));
    }
    int64_t n;
    const uint8_t *data;
    size_t len;
    bool end;
    ICE_TRY(avro_ocf_reader_next_block(r, &n, &data, &len, &end, err));
    if (end) {
      *eof = true;
      return ICE_OK;
    }
    avro_cursor_init(&r->cur, data, len);
    r->left_in_block = n;
  }
  int rc = avro_value_decode(r->schema, &r->cur, arena, out, err);
  if (rc != ICE_OK) {
    return ice_error_prefix(err, "%s: block ending at offset %lld", r->in->name,
                            (long long)r->pos);
  }
  r->left_in_block--;
  *eof = false;
  return ICE_OK;
}
