// lib_generate.mjs - DuckDB writes the Parquet files compare_parquet.mjs checks in
// addition to the fixed corpus: every DuckDB type that maps to Parquet (booleans,
// signed and unsigned integers, float/double with NaN/Infinity/-0/extremes, decimals
// on INT32/INT64/FLBA, date, time, timestamps in s/ms/us/ns and with time zone,
// strings with escapes and multi-byte UTF-8, blobs, UUIDs, lists, structs, maps, lists
// of structs, all-null columns), with every codec and both data page versions, one
// file of 100k+ rows, small row groups and field ids; plus 32-bit extremes alone.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// Row i of the table; special values sit at small i so every file has them.
const SELECT = `
SELECT
  i::BIGINT AS row_id,
  CASE WHEN i % 9 = 4 THEN NULL ELSE i % 3 = 0 END AS flag,
  CASE i WHEN 0 THEN -128 WHEN 1 THEN 127 ELSE ((i * 37) % 256) - 128 END::TINYINT AS t8,
  CASE i WHEN 0 THEN -32768 WHEN 1 THEN 32767 ELSE ((i * 7919) % 65536) - 32768 END::SMALLINT AS t16,
  CASE WHEN i % 13 = 5 THEN NULL ELSE ((i * 2654435761) % 2147483648) - 1073741824 END::INTEGER AS t32,
  CASE WHEN i = 0 THEN -9223372036854775808 WHEN i = 1 THEN 9223372036854775807
       ELSE (i * 1000000007 - 5000000000000) END::BIGINT AS t64,
  CASE i WHEN 0 THEN 0 WHEN 1 THEN 255 ELSE i % 256 END::UTINYINT AS u8,
  CASE i WHEN 1 THEN 65535 ELSE (i * 3) % 65536 END::USMALLINT AS u16,
  CASE i WHEN 1 THEN 4294967295 ELSE 4000000000 + (i * 40503) % 294967295 END::UINTEGER AS u32,
  CASE i WHEN 1 THEN 18446744073709551615 ELSE (i::HUGEINT * 11400714819323198485) % 18446744073709551616 END::UBIGINT AS u64,
  CASE i WHEN 0 THEN 'NaN'::FLOAT WHEN 1 THEN 'inf'::FLOAT WHEN 2 THEN '-inf'::FLOAT WHEN 3 THEN '-0.0'::FLOAT
         WHEN 4 THEN 3.4028235e38::FLOAT WHEN 5 THEN 1.4e-45::FLOAT WHEN 6 THEN NULL
         ELSE (i::FLOAT / 7.0::FLOAT) END AS f32,
  CASE i WHEN 0 THEN 'NaN'::DOUBLE WHEN 1 THEN 'inf'::DOUBLE WHEN 2 THEN '-inf'::DOUBLE WHEN 3 THEN '-0.0'::DOUBLE
         WHEN 4 THEN 1.7976931348623157e308 WHEN 5 THEN 5e-324 WHEN 6 THEN 0.1 WHEN 7 THEN NULL
         ELSE i / 3.0 * (CASE WHEN i % 2 = 0 THEN -1 ELSE 1 END) END::DOUBLE AS f64,
  CASE i WHEN 0 THEN 99.99::DECIMAL(4,2) WHEN 1 THEN -99.99::DECIMAL(4,2)
         ELSE (((i % 19999) - 9999)::DECIMAL(18,0) / 100)::DECIMAL(4,2) END AS dec4,
  CASE i WHEN 0 THEN 999999999999999.999::DECIMAL(18,3) WHEN 1 THEN -999999999999999.999::DECIMAL(18,3)
         ELSE ((i * 7777777 - 123456789)::DECIMAL(18,0) / 1000)::DECIMAL(18,3) END AS dec18,
  CASE i WHEN 0 THEN 9999999999999999999999999999.9999999999::DECIMAL(38,10)
         WHEN 1 THEN -9999999999999999999999999999.9999999999::DECIMAL(38,10)
         WHEN 2 THEN 0.0000000001::DECIMAL(38,10)
         ELSE (CASE WHEN i % 2 = 0 THEN '-' ELSE '' END || (i::HUGEINT * 98765432109876)::VARCHAR || '.'
               || lpad((i * 7919 % 10000000000)::VARCHAR, 10, '0'))::DECIMAL(38,10) END AS dec38,
  CASE i WHEN 0 THEN DATE '0001-01-01' WHEN 1 THEN DATE '9999-12-31' WHEN 2 THEN DATE '1969-12-31'
         ELSE DATE '2000-02-29' + (i * 37 % 40000 - 20000)::INTEGER END AS day,
  CASE i WHEN 0 THEN TIME '00:00:00' WHEN 1 THEN TIME '23:59:59.999999'
         ELSE TIME '00:00:00' + to_microseconds(i * 86399999 % 86400000000) END AS tod,
  CASE i WHEN 0 THEN TIMESTAMP '0001-01-01 00:00:00' WHEN 1 THEN TIMESTAMP '9999-12-31 23:59:59.999999'
         WHEN 2 THEN TIMESTAMP '1969-12-31 23:59:59.999999'
         ELSE TIMESTAMP '1970-01-01' + to_microseconds(i * 123456789123 - 4000000000000000) END AS ts_us,
  (TIMESTAMP '2001-02-03 04:05:06' + to_milliseconds(i * 1001))::TIMESTAMP_MS AS ts_ms,
  (TIMESTAMP '1950-06-07 08:09:10' + to_seconds(i * 86401))::TIMESTAMP_S AS ts_s,
  CASE i WHEN 0 THEN TIMESTAMPTZ '1900-01-01 00:00:00+00' ELSE TIMESTAMPTZ '2024-02-29 12:00:00+00' + to_microseconds(i * 999999) END AS ts_tz,
  CASE i WHEN 0 THEN make_timestamp_ns(-9000000000000000000) WHEN 1 THEN make_timestamp_ns(9000000000000000000)
         ELSE make_timestamp_ns(1600000000000000000 + i * 1000003) END AS ts_ns,
  CASE WHEN i % 17 = 3 THEN NULL WHEN i % 17 = 4 THEN ''
       WHEN i = 0 THEN 'quote " backslash \\ slash / tab ' || chr(9) || ' nl ' || chr(10) || ' cr ' || chr(13) || ' ctl ' || chr(1) || chr(31) || ' del ' || chr(127)
       WHEN i = 1 THEN 'ünïcödé 中文 😀 ' || chr(8232) || chr(65279)
       ELSE 'row ' || i || ', kind ' || (i % 10) END AS txt,
  CASE WHEN i % 10 = 7 THEN NULL ELSE 'dict-' || (i % 10) END AS category,
  CASE WHEN i % 11 = 2 THEN NULL WHEN i % 11 = 3 THEN ''::BLOB
       ELSE ('\\x00\\x01\\xFE\\xFF' || i::VARCHAR)::BLOB END AS raw,
  CASE WHEN i = 0 THEN '00000000-0000-0000-0000-000000000000'::UUID WHEN i = 1 THEN 'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID
       WHEN i % 8 = 5 THEN NULL ELSE md5(i::VARCHAR)::UUID END AS id_uuid,
  CASE WHEN i % 6 = 0 THEN NULL WHEN i % 6 = 1 THEN []::BIGINT[] ELSE [i, NULL, -i, i * i]::BIGINT[] END AS nums,
  CASE WHEN i % 5 = 0 THEN NULL ELSE [[i::INTEGER], [], NULL, [1, 2, NULL]] END AS nested_lists,
  CASE WHEN i % 4 = 1 THEN NULL
       ELSE {'name': 'n' || i, 'score': CASE WHEN i % 3 = 0 THEN NULL ELSE i * 0.5 END::DOUBLE,
             'tags': CASE WHEN i % 2 = 0 THEN ['a', 'b'] ELSE NULL END,
             'inner': {'d': DATE '2020-01-01' + (i % 366)::INTEGER, 'ok': i % 2 = 0}} END AS rec,
  CASE WHEN i % 7 = 6 THEN NULL WHEN i % 7 = 5 THEN MAP {}::MAP(VARCHAR, INTEGER)
       ELSE MAP {'k' || i: i::INTEGER, 'zz': NULL::INTEGER} END AS kv,
  CASE WHEN i % 9 = 8 THEN NULL ELSE MAP {i::INTEGER: [{'x': (i % 30000)::SMALLINT}], -1: []} END AS kv_nested,
  CASE WHEN i % 3 = 2 THEN NULL ELSE [{'p': i::INTEGER, 'q': 'v' || i}, NULL, {'p': NULL, 'q': NULL}] END AS list_of_structs,
  NULL::VARCHAR AS always_null
FROM range(%ROWS%) t(i)`;

const CODECS = ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4'];

export async function generateFiles(db, dir) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  const write = async (name, rows, options) => {
    const path = join(dir, name);
    await db.run(`COPY (${SELECT.replace('%ROWS%', String(rows))}) TO '${path}' (FORMAT parquet, ${options})`);
    files.push(path);
  };
  for (const codec of CODECS) {
    for (const version of ['v1', 'v2']) {
      await write(`all_types_${codec}_${version}.parquet`, 3000,
        `COMPRESSION ${codec}, PARQUET_VERSION ${version}, ROW_GROUP_SIZE 1024`);
    }
  }
  // 100k+ rows: several row groups, many pages, dictionary pages for `category`.
  await write('all_types_zstd_v2_100k.parquet', 100003, `COMPRESSION zstd, PARQUET_VERSION v2, ROW_GROUP_SIZE 40000`);
  await write('all_types_snappy_v1_field_ids.parquet', 2000, `COMPRESSION snappy, FIELD_IDS 'auto'`);
  // 32-bit columns spread over their whole range (too many distinct values for a
  // dictionary): DuckDB's v2 writer computes DELTA_BINARY_PACKED deltas in 64 bits here
  // and writes miniblock bit width 33.
  for (const version of ['v1', 'v2']) {
    const path = join(dir, `int32_full_range_${version}.parquet`);
    await db.run(`COPY (SELECT CASE WHEN i = 0 THEN -2147483648 WHEN i = 1 THEN 2147483647
                                    ELSE ((i * 2654435761) % 4294967296) - 2147483648 END::INTEGER AS i32_full,
                               CASE WHEN i = 0 THEN 0 WHEN i = 1 THEN 4294967295
                                    ELSE (i * 2654435761) % 4294967296 END::UINTEGER AS u32_full
                        FROM range(3000) t(i)) TO '${path}' (FORMAT parquet, PARQUET_VERSION ${version})`);
    files.push(path);
  }
  return files;
}
