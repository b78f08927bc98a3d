/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro object container file writer (Avro 1.11 "Object Container Files"). Datums
 * are encoded straight into the open block buffer; when it reaches the threshold the
 * block is compressed (null, raw deflate, snappy + big-endian CRC32 of the datums, or
 * zstandard) and written as
 * [count][size][bytes][sync]. Memory is one block plus its compressed copy, whatever
 * the number of records. The sync marker is random unless the caller fixes it.
 */
#include <string.h>
#include <sys/random.h>

#include "avro/avro_ocf.h"
#include "codec/codec.h"
#include "util/alloc.h"
#include "util/crc32.h"
#include "util/limits.h"

#define DEFAULT_BLOCK_BYTES (1024u * 1024)

struct avro_ocf_writer {
  struct ice_output *out;
  const struct avro_schema *schema;
  enum avro_codec codec;
  int level;
  size_t block_bytes;
  uint8_t sync[AVRO_SYNC_BYTES];
  struct ice_buf block;  /* encoded datums of the open block */
  struct ice_buf packed; /* the block compressed, and the header while writing it */
  size_t record_start;   /* block.len when the current datum began */
  int64_t block_count;   /* datums in the open block */
  int64_t total;         /* datums written in all */
  struct codec_ctx cctx;
};

static int random_sync(uint8_t *sync, struct ice_error *err) {
  size_t got = 0;
  while (got < AVRO_SYNC_BYTES) {
    ssize_t n = getrandom(sync + got, AVRO_SYNC_BYTES - got, 0);
    if (n <= 0) {
      return ice_error_set(err, ICE_EIO, "avro: cannot get random bytes for the sync marker");
    }
    got += (size_t)n;
  }
  return ICE_OK;
}

static int put_meta(struct ice_buf *b, const char *key, const void *val, size_t len,
                    struct ice_error *err) {
  ICE_TRY(avro_put_cstring(b, key, err));
  return avro_put_bytes(b, val, len, err);
}

static int write_header(struct avro_ocf_writer *w, const char *const *meta,
                        struct ice_error *err) {
  struct ice_buf *b = &w->packed;
  size_t n_user = 0;
  if (meta != NULL) {
    for (; meta[2 * n_user] != NULL; n_user++) {
      if (meta[2 * n_user + 1] == NULL) {
        return ice_error_set(err, ICE_EINVAL, "avro: metadata key '%s' has no value",
                             meta[2 * n_user]);
      }
      if (strncmp(meta[2 * n_user], "avro.", 5) == 0) {
        return ice_error_set(err, ICE_EINVAL, "avro: metadata key '%s' is reserved",
                             meta[2 * n_user]);
      }
    }
  }
  char *schema_json;
  size_t schema_len;
  ICE_TRY(avro_schema_to_json(w->schema, &schema_json, &schema_len, err));
  static const uint8_t magic[4] = {'O', 'b', 'j', 1};
  int rc = ice_buf_append(b, magic, 4, err);
  if (rc == ICE_OK) rc = avro_put_block_count(b, n_user + 2, err);
  for (size_t i = 0; rc == ICE_OK && i < n_user; i++) {
    rc = put_meta(b, meta[2 * i], meta[2 * i + 1], strlen(meta[2 * i + 1]), err);
  }
  if (rc == ICE_OK) rc = put_meta(b, "avro.schema", schema_json, schema_len, err);
  ice_free(schema_json);
  const char *codec = avro_codec_name(w->codec);
  if (rc == ICE_OK) rc = put_meta(b, "avro.codec", codec, strlen(codec), err);
  if (rc == ICE_OK) rc = avro_put_block_count(b, 0, err);
  if (rc == ICE_OK) rc = ice_buf_append(b, w->sync, AVRO_SYNC_BYTES, err);
  if (rc == ICE_OK) rc = ice_output_write(w->out, b->data, b->len, err);
  ice_buf_clear(b);
  return rc;
}

int avro_ocf_writer_new(struct ice_output *out, const struct avro_schema *schema,
                        const char *const *meta, const struct avro_ocf_writer_options *opts,
                        struct avro_ocf_writer **wp, struct ice_error *err) {
  struct avro_ocf_writer_options o = {AVRO_CODEC_NULL, 0, 0, NULL};
  if (opts != NULL) o = *opts;
  if (o.codec > AVRO_CODEC_ZSTD) {
    return ice_error_set(err, ICE_EUNSUPPORTED, "avro: unknown codec %d", (int)o.codec);
  }
  int max_level = o.codec == AVRO_CODEC_ZSTD ? 22 : 9;
  if (o.level < 0 || o.level > max_level) {
    return ice_error_set(err, ICE_EINVAL, "avro: %s level %d is not in 0..%d",
                         avro_codec_name(o.codec), o.level, max_level);
  }
  if (o.block_bytes > ICE_LIMIT_AVRO_BLOCK_BYTES) {
    return ice_error_set(err, ICE_EINVAL, "avro: block size %zu exceeds %u", o.block_bytes,
                         (unsigned)ICE_LIMIT_AVRO_BLOCK_BYTES);
  }
  struct avro_ocf_writer *w = ice_calloc(1, sizeof *w);
  if (w == NULL) return ice_error_set(err, ICE_ENOMEM, "avro: out of memory");
  w->out = out;
  w->schema = schema;
  w->codec = o.codec;
  w->level = o.level;
  w->block_bytes = o.block_bytes ? o.block_bytes : DEFAULT_BLOCK_BYTES;
  ice_buf_init(&w->block, ICE_LIMIT_AVRO_BLOCK_BYTES);
  ice_buf_init(&w->packed, ICE_LIMIT_AVRO_BLOCK_BYTES + ICE_LIMIT_AVRO_HEADER_BYTES);
  codec_ctx_init(&w->cctx);
  int rc = ICE_OK;
  if (o.sync != NULL) {
    memcpy(w->sync, o.sync, AVRO_SYNC_BYTES);
  } else {
    rc = random_sync(w->sync, err);
  }
  if (rc == ICE_OK) rc = write_header(w, meta, err);
  if (rc != ICE_OK) {
    avro_ocf_writer_free(w);
    return ice_error_prefix_path(err, out->name ? NULL : "avro", out->name);
  }
  *wp = w;
  return ICE_OK;
}

void avro_ocf_writer_free(struct avro_ocf_writer *w) {
  if (w == NULL) return;
  ice_buf_reset(&w->block);
  ice_buf_reset(&w->packed);
  codec_ctx_reset(&w->cctx);
  ice_free(w);
}

static int flush_block(struct avro_ocf_writer *w, struct ice_error *err) {
  if (w->block_count == 0) return ICE_OK;
  const uint8_t *data = w->block.data;
  size_t len = w->block.len;
  ice_buf_clear(&w->packed);
  /* room for the two varints in front, so the block goes out in one write */
  ICE_TRY(ice_buf_resize(&w->packed, 2 * AVRO_MAX_VARINT_BYTES, err));
  if (w->codec == AVRO_CODEC_NULL) {
    ICE_TRY(ice_buf_append(&w->packed, data, len, err));
  } else {
    enum codec_id id = w->codec == AVRO_CODEC_DEFLATE  ? CODEC_DEFLATE_RAW
                       : w->codec == AVRO_CODEC_SNAPPY ? CODEC_SNAPPY
                                                       : CODEC_ZSTD;
    ICE_TRY(codec_compress(&w->cctx, id, w->level, data, len, &w->packed, err));
    if (w->codec == AVRO_CODEC_SNAPPY) {
      uint32_t crc = ice_crc32(0, data, len);
      const uint8_t be[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8),
                             (uint8_t)crc};
      ICE_TRY(ice_buf_append(&w->packed, be, 4, err));
    }
  }
  len = w->packed.len - 2 * AVRO_MAX_VARINT_BYTES;
  uint8_t head[2 * AVRO_MAX_VARINT_BYTES];
  size_t head_len = avro_encode_long(head, w->block_count);
  head_len += avro_encode_long(head + head_len, (int64_t)len);
  size_t start = 2 * AVRO_MAX_VARINT_BYTES - head_len;
  memcpy(w->packed.data + start, head, head_len);
  ICE_TRY(ice_buf_append(&w->packed, w->sync, AVRO_SYNC_BYTES, err));
  ICE_TRY(ice_output_write(w->out, w->packed.data + start, w->packed.len - start, err));
  w->total += w->block_count;
  w->block_count = 0;
  ice_buf_clear(&w->block);
  w->record_start = 0;
  return ICE_OK;
}

struct ice_buf *avro_ocf_writer_record_buf(struct avro_ocf_writer *w) {
  return &w->block;
}

int avro_ocf_writer_end_record(struct avro_ocf_writer *w, struct ice_error *err) {
  w->block_count++;
  w->record_start = w->block.len;
  if (w->block.len >= w->block_bytes) return flush_block(w, err);
  return ICE_OK;
}

void avro_ocf_writer_discard_record(struct avro_ocf_writer *w) {
  w->block.len = w->record_start;
}

int avro_ocf_writer_append_value(struct avro_ocf_writer *w, const struct avro_value *v,
                                 struct ice_error *err) {
  /* avro_value_encode leaves nothing behind on failure */
  ICE_TRY(avro_value_encode(w->schema, v, &w->block, err));
  return avro_ocf_writer_end_record(w, err);
}

int avro_ocf_writer_finish(struct avro_ocf_writer *w, struct ice_error *err) {
  return flush_block(w, err);
}

int64_t avro_ocf_writer_count(const struct avro_ocf_writer *w) {
  return w->total + w->block_count;
}
