/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every hard cap in icestream lives here, each with its reason (as SQLite's
 * sqliteLimit.h). Documented in docs/internals/LIMITS.md. Input that would exceed a
 * cap is rejected with ICE_ELIMIT or ICE_ECORRUPT, never allocated.
 */
#ifndef ICE_UTIL_LIMITS_H
#define ICE_UTIL_LIMITS_H

/* Parquet footers of wide, many-row-group files reach tens of MiB; 256 MiB is far
 * beyond anything a writer produces and still bounded. */
#define ICE_LIMIT_FOOTER_BYTES (256u * 1024 * 1024)

/* Thrift structs nest a handful deep in Parquet (FileMetaData > RowGroup > ColumnChunk
 * > ColumnMetaData > Statistics); 64 is generous and stops stack exhaustion. */
#define ICE_LIMIT_THRIFT_DEPTH 64

/* Lists in Parquet metadata (schema elements, row groups, key/value pairs). */
#define ICE_LIMIT_THRIFT_LIST 10000000

/* A single Thrift string/binary (statistics min/max, key/value metadata). */
#define ICE_LIMIT_THRIFT_STRING (64u * 1024 * 1024)

/* One decompressed or compressed page. parquet-mr and arrow cap pages far below this;
 * pages above 1 GiB are treated as corrupt. */
#define ICE_LIMIT_PAGE_BYTES (1024u * 1024 * 1024)

/* Values in one page header (num_values); larger counts are corrupt. */
#define ICE_LIMIT_PAGE_VALUES (1 << 30)

/* Leaf columns in one Parquet schema. */
#define ICE_LIMIT_COLUMNS 100000

/* Nesting depth of a Parquet/Iceberg schema (max repetition/definition level). */
#define ICE_LIMIT_NESTING 64

/* Table metadata JSON (kept in memory while parsing). */
#define ICE_LIMIT_METADATA_JSON_BYTES (512u * 1024 * 1024)

/* One Avro block of an OCF file. */
#define ICE_LIMIT_AVRO_BLOCK_BYTES (256u * 1024 * 1024)

/* Avro schema JSON in an OCF header. */
#define ICE_LIMIT_AVRO_SCHEMA_BYTES (16u * 1024 * 1024)

/* Nesting depth of Avro schemas and datums (records in arrays in records...). Iceberg
 * manifests nest 4 deep; 64 is generous and stops stack exhaustion in the recursive
 * parser and decoder (recursive named types are legal Avro, so datums need it too). */
#define ICE_LIMIT_AVRO_DEPTH 64

/* Whole OCF header (magic + metadata map + sync). Iceberg puts the table schema and
 * partition spec JSON there; 64 MiB leaves room for huge schemas. */
#define ICE_LIMIT_AVRO_HEADER_BYTES (64u * 1024 * 1024)

/* Key/value pairs in an OCF header. Writers put a handful there (Iceberg: about 8). */
#define ICE_LIMIT_AVRO_META_ENTRIES 4096

/* Arena cap of one parsed Avro schema graph; also bounds the count of zero-byte items
 * (arrays of null) in one block, which cost no input bytes. Decoded datums use the
 * caller's arena and its cap. */
#define ICE_LIMIT_AVRO_VALUE_BYTES (256u * 1024 * 1024)

/* A metadata/table location read back from a catalog row or metadata JSON. The JDBC
 * schema declares VARCHAR(1000); object-store URIs stay far below 4 KiB. */
#define ICE_LIMIT_LOCATION_BYTES 4096

/* Memory one decoded Parquet footer (or page index) may take in its arena. Decoded
 * structs are larger than their Thrift bytes (an empty ColumnChunk is 1 byte on the
 * wire and a few hundred in memory), so the footer byte cap alone does not bound this. */
#define ICE_LIMIT_ARENA_BYTES (1024u * 1024 * 1024)

/* Entries in one writer-side Parquet dictionary. Indices are u32 on disk in bit
 * widths up to 32; writers fall back to PLAIN long before this (by byte size), so a
 * dictionary this large means a runaway builder. */
#define ICE_LIMIT_DICT_ENTRIES (1u << 28)

/* Values in one DELTA_BINARY_PACKED block (block_size header field). Writers use 128
 * (parquet-java, arrow) or 2048 (DuckDB); larger blocks are treated as corrupt. */
#define ICE_LIMIT_DELTA_BLOCK_VALUES (1u << 20)

/* Miniblocks per DELTA_BINARY_PACKED block. */
#define ICE_LIMIT_DELTA_MINIBLOCKS 4096u

/* Entries of one list in table metadata (schemas, specs, snapshots, logs). Tables with
 * years of unexpired history hold tens of thousands of snapshots; 10 M is corrupt. */
#define ICE_LIMIT_METADATA_LIST 10000000

/* Manifests in one manifest list (or a v1 snapshot's `manifests`). Large tables hold
 * thousands; a million means a broken or hostile file. */
#define ICE_LIMIT_MANIFESTS_PER_LIST 1000000

/* One Parquet page header (Thrift, with optional page statistics). Headers are read
 * through a growing window; 16 MiB is far above any real header and bounds the read
 * a corrupt header can cause. */
#define ICE_LIMIT_PAGE_HEADER_BYTES (16u * 1024 * 1024)

/* Fields of one partition spec written as text (--partition-by). Each field is one
 * directory level of every data file path; real specs have a handful. */
#define ICE_LIMIT_PARTITION_FIELDS 1000

#endif
