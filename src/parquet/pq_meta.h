/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parquet metadata as plain C structs, and their Thrift compact encode/decode:
 * FileMetaData (footer), PageHeader, and the page index (ColumnIndex, OffsetIndex).
 * Field names follow parquet.thrift. Optional fields carry a has_* flag; optional
 * strings are NULL when absent. Enums whose future values must not be treated as
 * corruption (encoding, codec, page type) are int32_t holding the raw wire value.
 * Decoded footers live in one arena freed by pq_file_meta_reset(); decoded page
 * headers allocate nothing and point into the caller's buffer.
 */
#ifndef ICE_PARQUET_PQ_META_H
#define ICE_PARQUET_PQ_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/io.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

/* ------------------------------------------------------------------ enums (wire values) */

enum pq_type {
  PQ_TYPE_BOOLEAN = 0,
  PQ_TYPE_INT32 = 1,
  PQ_TYPE_INT64 = 2,
  PQ_TYPE_INT96 = 3,
  PQ_TYPE_FLOAT = 4,
  PQ_TYPE_DOUBLE = 5,
  PQ_TYPE_BYTE_ARRAY = 6,
  PQ_TYPE_FIXED_LEN_BYTE_ARRAY = 7
};

enum pq_repetition {
  PQ_REPETITION_REQUIRED = 0,
  PQ_REPETITION_OPTIONAL = 1,
  PQ_REPETITION_REPEATED = 2
};

enum pq_converted_type {
  PQ_CONVERTED_UTF8 = 0,
  PQ_CONVERTED_MAP = 1,
  PQ_CONVERTED_MAP_KEY_VALUE = 2,
  PQ_CONVERTED_LIST = 3,
  PQ_CONVERTED_ENUM = 4,
  PQ_CONVERTED_DECIMAL = 5,
  PQ_CONVERTED_DATE = 6,
  PQ_CONVERTED_TIME_MILLIS = 7,
  PQ_CONVERTED_TIME_MICROS = 8,
  PQ_CONVERTED_TIMESTAMP_MILLIS = 9,
  PQ_CONVERTED_TIMESTAMP_MICROS = 10,
  PQ_CONVERTED_UINT_8 = 11,
  PQ_CONVERTED_UINT_16 = 12,
  PQ_CONVERTED_UINT_32 = 13,
  PQ_CONVERTED_UINT_64 = 14,
  PQ_CONVERTED_INT_8 = 15,
  PQ_CONVERTED_INT_16 = 16,
  PQ_CONVERTED_INT_32 = 17,
  PQ_CONVERTED_INT_64 = 18,
  PQ_CONVERTED_JSON = 19,
  PQ_CONVERTED_BSON = 20,
  PQ_CONVERTED_INTERVAL = 21
};

enum pq_encoding {
  PQ_ENCODING_PLAIN = 0,
  PQ_ENCODING_PLAIN_DICTIONARY = 2,
  PQ_ENCODING_RLE = 3,
  PQ_ENCODING_BIT_PACKED = 4,
  PQ_ENCODING_DELTA_BINARY_PACKED = 5,
  PQ_ENCODING_DELTA_LENGTH_BYTE_ARRAY = 6,
  PQ_ENCODING_DELTA_BYTE_ARRAY = 7,
  PQ_ENCODING_RLE_DICTIONARY = 8,
  PQ_ENCODING_BYTE_STREAM_SPLIT = 9,
  PQ_ENCODING_ALP = 10
};

enum pq_codec {
  PQ_CODEC_UNCOMPRESSED = 0,
  PQ_CODEC_SNAPPY = 1,
  PQ_CODEC_GZIP = 2,
  PQ_CODEC_LZO = 3,
  PQ_CODEC_BROTLI = 4,
  PQ_CODEC_LZ4 = 5, /* deprecated, Hadoop-framed */
  PQ_CODEC_ZSTD = 6,
  PQ_CODEC_LZ4_RAW = 7
};

enum pq_page_type {
  PQ_PAGE_DATA = 0,
  PQ_PAGE_INDEX = 1,
  PQ_PAGE_DICTIONARY = 2,
  PQ_PAGE_DATA_V2 = 3
};

enum pq_boundary_order {
  PQ_BOUNDARY_UNORDERED = 0,
  PQ_BOUNDARY_ASCENDING = 1,
  PQ_BOUNDARY_DESCENDING = 2
};

/* LogicalType union members; values are the union's Thrift field ids. */
enum pq_logical_kind {
  PQ_LOGICAL_STRING = 1,
  PQ_LOGICAL_MAP = 2,
  PQ_LOGICAL_LIST = 3,
  PQ_LOGICAL_ENUM = 4,
  PQ_LOGICAL_DECIMAL = 5,
  PQ_LOGICAL_DATE = 6,
  PQ_LOGICAL_TIME = 7,
  PQ_LOGICAL_TIMESTAMP = 8,
  PQ_LOGICAL_INTEGER = 10,
  PQ_LOGICAL_UNKNOWN = 11, /* "NullType": always null */
  PQ_LOGICAL_JSON = 12,
  PQ_LOGICAL_BSON = 13,
  PQ_LOGICAL_UUID = 14,
  PQ_LOGICAL_FLOAT16 = 15,
  PQ_LOGICAL_VARIANT = 16,
  PQ_LOGICAL_GEOMETRY = 17,
  PQ_LOGICAL_GEOGRAPHY = 18,
  PQ_LOGICAL_FILE = 19,
  /* A member this code does not know (a newer writer); `future_id` holds its id. Read the
   * column as its physical type. */
  PQ_LOGICAL_FUTURE = 1000
};

/* TimeUnit union members (field ids); FUTURE = a unit we do not know. */
enum pq_time_unit {
  PQ_TIME_UNIT_MILLIS = 1,
  PQ_TIME_UNIT_MICROS = 2,
  PQ_TIME_UNIT_NANOS = 3,
  PQ_TIME_UNIT_FUTURE = 1000
};

/* ColumnOrder union members (field ids); FUTURE = unknown: ignore that column's min/max. */
enum pq_column_order_kind {
  PQ_ORDER_TYPE_DEFINED = 1,
  PQ_ORDER_IEEE_754_TOTAL = 2,
  PQ_ORDER_INT96_TIMESTAMP = 3,
  PQ_ORDER_FUTURE = 1000
};

/* ------------------------------------------------------------------ structs */

/* A byte range. In decoded footers it points into the arena; in decoded page headers
 * into the caller's buffer. data may be NULL when len is 0. */
struct pq_bytes {
  const uint8_t *data;
  size_t len;
};

struct pq_statistics {
  bool has_max, has_min, has_null_count, has_distinct_count;
  bool has_max_value, has_min_value;
  bool has_is_max_value_exact, has_is_min_value_exact;
  bool has_nan_count;
  struct pq_bytes max; /* deprecated signed-order stats (fields 1, 2) */
  struct pq_bytes min;
  int64_t null_count;
  int64_t distinct_count;
  struct pq_bytes max_value;
  struct pq_bytes min_value;
  bool is_max_value_exact;
  bool is_min_value_exact;
  int64_t nan_count;
};

struct pq_key_value {
  const char *key;   /* NUL-terminated */
  const char *value; /* NULL when absent; may contain NULs: use value_len */
  size_t value_len;
};

struct pq_logical_type {
  enum pq_logical_kind kind;
  int32_t future_id;            /* kind == PQ_LOGICAL_FUTURE */
  int32_t decimal_scale;        /* DECIMAL */
  int32_t decimal_precision;    /* DECIMAL */
  bool is_adjusted_to_utc;      /* TIME, TIMESTAMP */
  enum pq_time_unit unit;       /* TIME, TIMESTAMP */
  int32_t unit_future_id;       /* unit == PQ_TIME_UNIT_FUTURE */
  int8_t int_bit_width;         /* INTEGER: 8, 16, 32, 64 */
  bool int_is_signed;           /* INTEGER */
  bool has_variant_spec_version;
  int8_t variant_spec_version;  /* VARIANT */
  const char *crs;              /* GEOMETRY, GEOGRAPHY; NULL when absent */
  bool has_edge_algorithm;
  int32_t edge_algorithm;       /* GEOGRAPHY: SPHERICAL 0 .. KARNEY 4 */
};

struct pq_schema_element {
  bool has_type;
  enum pq_type type;
  bool has_type_length;
  int32_t type_length;
  bool has_repetition;
  enum pq_repetition repetition;
  const char *name; /* required */
  bool has_num_children;
  int32_t num_children; /* >= 0 */
  bool has_converted_type;
  enum pq_converted_type converted_type;
  bool has_scale;
  int32_t scale;
  bool has_precision;
  int32_t precision;
  bool has_field_id;
  int32_t field_id;
  bool has_logical_type;
  struct pq_logical_type logical_type;
};

struct pq_page_encoding_stats {
  int32_t page_type; /* enum pq_page_type (raw) */
  int32_t encoding;  /* enum pq_encoding (raw) */
  int32_t count;
};

struct pq_size_statistics {
  bool has_unencoded_byte_array_data_bytes;
  int64_t unencoded_byte_array_data_bytes;
  bool has_repetition_level_histogram;
  int64_t *repetition_level_histogram;
  size_t n_repetition_level_histogram;
  bool has_definition_level_histogram;
  int64_t *definition_level_histogram;
  size_t n_definition_level_histogram;
};

struct pq_column_meta {
  enum pq_type type;
  int32_t *encodings; /* raw enum pq_encoding values */
  size_t n_encodings;
  const char **path_in_schema;
  size_t n_path_in_schema;
  int32_t codec; /* raw enum pq_codec value */
  int64_t num_values;
  int64_t total_uncompressed_size;
  int64_t total_compressed_size;
  bool has_key_value_metadata;
  struct pq_key_value *key_value_metadata;
  size_t n_key_value_metadata;
  int64_t data_page_offset;
  bool has_index_page_offset;
  int64_t index_page_offset;
  bool has_dictionary_page_offset;
  int64_t dictionary_page_offset;
  bool has_statistics;
  struct pq_statistics statistics;
  bool has_encoding_stats;
  struct pq_page_encoding_stats *encoding_stats;
  size_t n_encoding_stats;
  bool has_bloom_filter_offset;
  int64_t bloom_filter_offset;
  bool has_bloom_filter_length;
  int32_t bloom_filter_length;
  bool has_size_statistics;
  struct pq_size_statistics size_statistics;
  /* geospatial_statistics (17) is skipped on read and never written. */
};

struct pq_column_chunk {
  const char *file_path; /* NULL when absent (the normal case) */
  int64_t file_offset;
  bool has_meta_data;
  struct pq_column_meta meta_data;
  bool has_offset_index_offset;
  int64_t offset_index_offset;
  bool has_offset_index_length;
  int32_t offset_index_length;
  bool has_column_index_offset;
  int64_t column_index_offset;
  bool has_column_index_length;
  int32_t column_index_length;
  /* Encryption is refused on read; these flags only exist so tests can say why. */
  bool has_crypto_metadata;
  bool has_encrypted_column_metadata;
};

struct pq_sorting_column {
  int32_t column_idx;
  bool descending;
  bool nulls_first;
};

struct pq_row_group {
  struct pq_column_chunk *columns;
  size_t n_columns;
  int64_t total_byte_size;
  int64_t num_rows;
  bool has_sorting_columns;
  struct pq_sorting_column *sorting_columns;
  size_t n_sorting_columns;
  bool has_file_offset;
  int64_t file_offset;
  bool has_total_compressed_size;
  int64_t total_compressed_size;
  bool has_ordinal;
  int16_t ordinal;
};

struct pq_column_order {
  enum pq_column_order_kind kind;
  int32_t future_id; /* kind == PQ_ORDER_FUTURE */
};

/* FileMetaData. On read everything hangs off `arena`; writers may fill the struct with
 * their own memory and leave the arena untouched (zeroed). */
struct pq_file_meta {
  int32_t version;
  struct pq_schema_element *schema; /* element 0 = root */
  size_t n_schema;
  int64_t num_rows;
  struct pq_row_group *row_groups;
  size_t n_row_groups;
  bool has_key_value_metadata;
  struct pq_key_value *key_value_metadata;
  size_t n_key_value_metadata;
  const char *created_by; /* NULL when absent */
  bool has_column_orders;
  struct pq_column_order *column_orders;
  size_t n_column_orders;
  struct ice_arena arena;
};

/* Page headers: decoded for every page, so no allocation; statistics bytes point into
 * the buffer that was decoded. */
struct pq_data_page_header {
  int32_t num_values; /* >= 0 */
  int32_t encoding;   /* raw enum pq_encoding */
  int32_t definition_level_encoding;
  int32_t repetition_level_encoding;
  bool has_statistics;
  struct pq_statistics statistics;
};

struct pq_dictionary_page_header {
  int32_t num_values; /* >= 0 */
  int32_t encoding;
  bool has_is_sorted;
  bool is_sorted;
};

struct pq_data_page_header_v2 {
  int32_t num_values; /* all >= 0 */
  int32_t num_nulls;
  int32_t num_rows;
  int32_t encoding;
  int32_t definition_levels_byte_length;
  int32_t repetition_levels_byte_length;
  bool is_compressed; /* true when absent, as the spec's default */
  bool has_statistics;
  struct pq_statistics statistics;
};

struct pq_page_header {
  int32_t type; /* raw enum pq_page_type: unknown types are skipped by size */
  int32_t uncompressed_page_size; /* >= 0 */
  int32_t compressed_page_size;   /* >= 0 */
  bool has_crc;
  uint32_t crc; /* CRC-32 of the stored payload (wire: i32) */
  bool has_data_page_header;
  struct pq_data_page_header data_page_header;
  bool has_index_page_header;
  bool has_dictionary_page_header;
  struct pq_dictionary_page_header dictionary_page_header;
  bool has_data_page_header_v2;
  struct pq_data_page_header_v2 data_page_header_v2;
};

/* Page index. */
struct pq_page_location {
  int64_t offset;
  int32_t compressed_page_size; /* header + payload */
  int64_t first_row_index;
};

struct pq_offset_index {
  struct pq_page_location *page_locations;
  size_t n_page_locations;
  bool has_unencoded_byte_array_data_bytes;
  int64_t *unencoded_byte_array_data_bytes;
  size_t n_unencoded_byte_array_data_bytes;
};

struct pq_column_index {
  size_t n_pages;          /* length of null_pages, min_values, max_values */
  bool *null_pages;
  struct pq_bytes *min_values;
  struct pq_bytes *max_values;
  int32_t boundary_order;  /* enum pq_boundary_order */
  bool has_null_counts;
  int64_t *null_counts;    /* n_null_counts entries */
  size_t n_null_counts;
  bool has_repetition_level_histograms;
  int64_t *repetition_level_histograms;
  size_t n_repetition_level_histograms;
  bool has_definition_level_histograms;
  int64_t *definition_level_histograms;
  size_t n_definition_level_histograms;
  bool has_nan_counts;
  int64_t *nan_counts;
  size_t n_nan_counts;
};

/* ------------------------------------------------------------------ decoding */

/* Decodes a FileMetaData from exactly `len` bytes (trailing bytes are corrupt). `out`
 * is overwritten; on success free it with pq_file_meta_reset(). On failure nothing needs
 * freeing. Errors: ICE_ECORRUPT, ICE_ELIMIT, ICE_ENOMEM, ICE_EUNSUPPORTED (encrypted
 * columns or an encrypted-footer algorithm). */
int pq_meta_read_file(const uint8_t *buf, size_t len, struct pq_file_meta *out,
                      struct ice_error *err) ICE_NODISCARD;

/* Frees a decoded footer; idempotent. Harmless on a writer-filled struct whose arena
 * was zero-initialised. */
void pq_file_meta_reset(struct pq_file_meta *m);

/* Reads and decodes the footer of a whole Parquet file: checks "PAR1" at both ends
 * (trailing "PARE" = encrypted footer, ICE_EUNSUPPORTED), the footer length against the
 * file size and ICE_LIMIT_FOOTER_BYTES. Messages are prefixed with the input's name.
 * `footer_offset` (may be NULL) receives the offset where FileMetaData starts. */
int pq_meta_read_footer(struct ice_input *in, struct pq_file_meta *out, int64_t *footer_offset,
                        struct ice_error *err) ICE_NODISCARD;

/* Decodes one PageHeader from the front of buf. `consumed` gets the header's byte
 * length (the payload follows it). A header cut off by the end of buf is ICE_ECORRUPT;
 * callers that read headers in chunks may retry with more bytes. Negative sizes/counts
 * are ICE_ECORRUPT. Does not allocate. */
int pq_meta_read_page_header(const uint8_t *buf, size_t len, struct pq_page_header *out,
                             size_t *consumed, struct ice_error *err) ICE_NODISCARD;

/* Page index decoding (arrays allocated from `arena`, which the caller owns). */
int pq_meta_read_column_index(const uint8_t *buf, size_t len, struct ice_arena *arena,
                              struct pq_column_index *out, struct ice_error *err) ICE_NODISCARD;
int pq_meta_read_offset_index(const uint8_t *buf, size_t len, struct ice_arena *arena,
                              struct pq_offset_index *out, struct ice_error *err) ICE_NODISCARD;

/* ------------------------------------------------------------------ encoding */

/* Each appends the Thrift compact encoding to `out` (out->len grows; nothing is
 * cleared). Required fields are always written; optional ones when has_* is set or the
 * pointer is non-NULL. Errors: ICE_ELIMIT (out->max), ICE_ENOMEM, ICE_EINVAL (a value
 * that cannot be encoded, e.g. PQ_LOGICAL_FUTURE or a NULL required string). */
int pq_meta_write_file(const struct pq_file_meta *m, struct ice_buf *out,
                       struct ice_error *err) ICE_NODISCARD;
/* FileMetaData + 4-byte little-endian length + "PAR1": the end of a Parquet file. */
int pq_meta_write_footer(const struct pq_file_meta *m, struct ice_buf *out,
                         struct ice_error *err) ICE_NODISCARD;
int pq_meta_write_page_header(const struct pq_page_header *h, struct ice_buf *out,
                              struct ice_error *err) ICE_NODISCARD;
int pq_meta_write_column_index(const struct pq_column_index *ci, struct ice_buf *out,
                               struct ice_error *err) ICE_NODISCARD;
int pq_meta_write_offset_index(const struct pq_offset_index *oi, struct ice_buf *out,
                               struct ice_error *err) ICE_NODISCARD;

/* ------------------------------------------------------------------ names (messages) */

/* Static names such as "INT32", "ZSTD", "RLE_DICTIONARY"; "unknown" for other values. */
const char *pq_type_name(int32_t type);
const char *pq_codec_name(int32_t codec);
const char *pq_encoding_name(int32_t encoding);
const char *pq_page_type_name(int32_t page_type);

#endif
