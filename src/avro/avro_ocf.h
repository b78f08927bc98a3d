/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro object container files (Avro 1.11 specification, "Object Container Files").
 *
 * Reader: reads through a struct ice_input one block at a time (bounded memory: the
 * block's compressed and decompressed bytes, each at most ICE_LIMIT_AVRO_BLOCK_BYTES),
 * exposes the header metadata (avro.schema, avro.codec and any other key) and yields
 * datums either decoded into generic values or as raw blocks for custom decoders.
 * Codecs: null, deflate, snappy (CRC32 verified), zstandard.
 *
 * Writer: header metadata in the order given plus avro.schema and avro.codec, a
 * random 16-byte sync marker, blocks flushed when they reach a size threshold
 * (streaming, O(1) work per record), codecs null, deflate, snappy and zstandard;
 * writes to a struct ice_output strictly in order.
 *
 * Readers and writers are not thread-safe; use one per thread.
 */
#ifndef ICE_AVRO_OCF_H
#define ICE_AVRO_OCF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "avro/avro_schema.h"
#include "avro/avro_value.h"
#include "io/io.h"
#include "util/buf.h"
#include "util/error.h"

#define AVRO_SYNC_BYTES 16

enum avro_codec { AVRO_CODEC_NULL = 0, AVRO_CODEC_DEFLATE, AVRO_CODEC_SNAPPY, AVRO_CODEC_ZSTD };

/* Avro's codec name ("null", "deflate", "snappy", "zstandard"). */
const char *avro_codec_name(enum avro_codec c);
/* Parses a codec name; ICE_EUNSUPPORTED for unknown names. */
int avro_codec_parse(const char *name, size_t len, enum avro_codec *out,
                     struct ice_error *err) ICE_NODISCARD;

/* ================================================================ reader */
struct avro_ocf_reader;

/* Opens an OCF file: reads and validates the magic, the header metadata (at most
 * ICE_LIMIT_AVRO_HEADER_BYTES), the schema and the codec. `in` is borrowed and must
 * outlive the reader. Errors: ICE_ECORRUPT (not Avro, bad header or schema),
 * ICE_EUNSUPPORTED (unknown codec), ICE_ELIMIT, ICE_EIO, ICE_ENOMEM. */
int avro_ocf_reader_open(struct ice_input *in, struct avro_ocf_reader **out,
                         struct ice_error *err) ICE_NODISCARD;
void avro_ocf_reader_free(struct avro_ocf_reader *r); /* NULL is fine */

/* The writer schema from avro.schema (owned by the reader). */
const struct avro_schema *avro_ocf_reader_schema(const struct avro_ocf_reader *r);
enum avro_codec avro_ocf_reader_codec(const struct avro_ocf_reader *r);
/* Header metadata value by key (e.g. "schema", "format-version"); NULL if absent.
 * The value is NUL-terminated (values are bytes: *len gives the real length, may be
 * NULL). Borrowed from the reader. */
const char *avro_ocf_reader_meta(const struct avro_ocf_reader *r, const char *key,
                                 size_t *len);
/* Header metadata by position, in file order (0 <= i < count). */
size_t avro_ocf_reader_meta_count(const struct avro_ocf_reader *r);
void avro_ocf_reader_meta_at(const struct avro_ocf_reader *r, size_t i, const char **key,
                             const char **value, size_t *value_len);

/* Decodes the next datum into arena (the caller resets the arena between records as
 * it likes). Sets *eof = true (and leaves *out untouched) after the last datum. */
int avro_ocf_reader_next(struct avro_ocf_reader *r, struct ice_arena *arena,
                         struct avro_value *out, bool *eof, struct ice_error *err)
    ICE_NODISCARD;

/* Raw block access for custom decoders: loads the next block, verifies its sync
 * marker and decompresses it. *data and *len (decompressed datums) stay valid until the
 * next call. *eof = true after the last block. Do not mix with avro_ocf_reader_next
 * within one block. */
int avro_ocf_reader_next_block(struct avro_ocf_reader *r, int64_t *count,
                               const uint8_t **data, size_t *len, bool *eof,
                               struct ice_error *err) ICE_NODISCARD;

/* ================================================================ writer */
struct avro_ocf_writer;

struct avro_ocf_writer_options {
  enum avro_codec codec;   /* any; Iceberg's Java default for manifests is deflate */
  int level;               /* deflate 1..9, zstd 1..22; 0 = the codec's default */
  size_t block_bytes;      /* flush threshold of uncompressed datums; 0 = 1 MiB */
  const uint8_t *sync;     /* 16 bytes; NULL = random (tests pass a fixed marker) */
};

/* Writes the header to out (borrowed; must outlive the writer). meta is NULL or a
 * NULL-terminated list of key, value string pairs written in order before avro.schema
 * and avro.codec (keys starting with "avro." are rejected with ICE_EINVAL). schema is
 * borrowed and must outlive the writer; opts may be NULL for defaults. */
int avro_ocf_writer_new(struct ice_output *out, const struct avro_schema *schema,
                        const char *const *meta, const struct avro_ocf_writer_options *opts,
                        struct avro_ocf_writer **w, struct ice_error *err) ICE_NODISCARD;
/* Frees the writer without flushing (the output stays the caller's). NULL is fine. */
void avro_ocf_writer_free(struct avro_ocf_writer *w);

/* Fast path: append one datum's bytes to the returned buffer with avro_put_* (in the
 * schema's field order), then call avro_ocf_writer_end_record. The buffer is valid
 * until the next writer call. When end_record, append_value or finish fail while
 * writing a block, the file is incomplete: abort the output. */
struct ice_buf *avro_ocf_writer_record_buf(struct avro_ocf_writer *w);
int avro_ocf_writer_end_record(struct avro_ocf_writer *w, struct ice_error *err)
    ICE_NODISCARD;
/* Drops the bytes appended since the last end_record (after a failed avro_put_*), so
 * the writer stays usable. */
void avro_ocf_writer_discard_record(struct avro_ocf_writer *w);
/* Generic path: encodes a value per the writer's schema and ends the record. */
int avro_ocf_writer_append_value(struct avro_ocf_writer *w, const struct avro_value *v,
                                 struct ice_error *err) ICE_NODISCARD;
/* Writes the pending block. Does not finish the output: the caller then calls
 * ice_output_finish (out->written is the file length). */
int avro_ocf_writer_finish(struct avro_ocf_writer *w, struct ice_error *err) ICE_NODISCARD;
/* Records appended so far. */
int64_t avro_ocf_writer_count(const struct avro_ocf_writer *w);

#endif
