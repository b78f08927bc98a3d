// check_writer.mjs - the Parquet WRITER oracle. DuckDB writes inputs with every Iceberg
// type (plus nested lists of structs, maps, NaN/+-0/+-Infinity, decimal(38,10) extremes,
// timestamps before 1970, empty strings, nulls) and Iceberg-style field ids; each is
// rewritten with `$ICESTREAM rewrite` under several option sets; then:
//   1. DuckDB reads input and output with the same rows (EXCEPT ALL both ways, counts),
//   2. parquet-wasm (arrow-rs) and hyparquet read the output with the values they read
//      from the input,
//   3. DuckDB parquet_schema shows our field ids (equal to the input's, every field),
//   4. DuckDB parquet_metadata min/max/null counts equal the column's min/max/null count
//      computed by DuckDB from the data (NaN excluded, floats compared numerically),
//   5. hyparquet decodes our page index: offsets land on consecutive pages of the chunk,
//      first rows ascend from 0, page null counts add up to the chunk's, page min/max
//      bracket the chunk's.
// usage: ICESTREAM=build/icestream node check_writer.mjs ; KEEP_TMP=1 keeps the files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const HERE = dirname(fileURLToPath(import.meta.url));
const req = createRequire(join(HERE, 'package.json'));
const arrow = req('apache-arrow');
const pw = req('parquet-wasm/node');
const { parquetMetadata, parquetReadObjects, readColumnIndex, readOffsetIndex } = await import('hyparquet');
const { compressors } = await import('hyparquet-compressors');

const ICESTREAM = process.env.ICESTREAM;
if (!ICESTREAM || !existsSync(ICESTREAM)) {
  console.error('check_writer: set ICESTREAM to the icestream binary');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'ice-writer-'));
const db = await (await DuckDBInstance.create(':memory:')).connect();
const q = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson();
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
let failures = 0;
const fail = (what) => { failures++; console.log('  FAIL ' + what); };

// ---------------------------------------------------------------- inputs (DuckDB)
const SELECT = `
  SELECT
    i::BIGINT AS id,
    CASE WHEN i % 7 = 1 THEN NULL ELSE i % 3 = 0 END AS flag,
    CASE WHEN i % 7 = 2 THEN NULL ELSE (i * 7919 % 2000003 - 1000001)::INTEGER END AS n32,
    (i * 1000000007 - 2500000000000)::BIGINT AS n64,
    CASE i % 9 WHEN 1 THEN 'NaN'::FLOAT WHEN 2 THEN '-0.0'::FLOAT WHEN 3 THEN 'Infinity'::FLOAT
      WHEN 4 THEN NULL ELSE (i / 7.0)::FLOAT END AS f32,
    CASE i % 11 WHEN 1 THEN 'NaN'::DOUBLE WHEN 2 THEN '-Infinity'::DOUBLE WHEN 3 THEN '0.0'::DOUBLE
      WHEN 4 THEN '-0.0'::DOUBLE ELSE (i * -1.25e10)::DOUBLE END AS f64,
    ((i - 2500) * 3.17)::DECIMAL(9,2) AS d9,
    ((i - 2500) * 7654321.123)::DECIMAL(18,3) AS d18,
    CASE i WHEN 0 THEN '9999999999999999999999999999.9999999999'::DECIMAL(38,10)
           WHEN 1 THEN '-9999999999999999999999999999.9999999999'::DECIMAL(38,10)
           ELSE ((i - 2500)::DECIMAL(38,10) * 1234567890123.0123456789)::DECIMAL(38,10) END AS d38,
    (DATE '1901-06-15' + (i * 13)::INTEGER) AS dt,
    (TIME '00:00:00' + to_microseconds(i * 17000003)) AS tm,
    (TIMESTAMP '1950-01-01 00:00:00' + to_microseconds(i * 987654321001)) AS ts,
    (TIMESTAMPTZ '1969-12-31 23:59:00+00' + to_microseconds(i * 12345)) AS tstz,
    CASE WHEN i % 7 = 4 THEN NULL WHEN i % 13 = 0 THEN '' ELSE 'value-' || (i % 500) || repeat('é', i % 4) END AS s,
    CASE WHEN i % 7 = 5 THEN NULL ELSE ('\\x00\\xFF' || (i % 97)::VARCHAR)::BLOB END AS bin,
    CASE WHEN i % 7 = 6 THEN NULL ELSE ('a0b1c2d3-4455-6677-8899-' || lpad(printf('%x', i), 12, '0'))::UUID END AS u,
    CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN []::INTEGER[] ELSE [i, NULL, i % 10]::INTEGER[] END AS li,
    CASE WHEN i % 6 = 0 THEN NULL ELSE {'a': i::INTEGER, 'b': CASE WHEN i % 2 = 0 THEN NULL ELSE 'v' || i END} END AS st,
    CASE WHEN i % 4 = 0 THEN NULL ELSE MAP {'k' || (i % 3): i::BIGINT, 'z': NULL::BIGINT} END AS mp,
    CASE WHEN i % 8 = 0 THEN [] ELSE [{'x': i::INTEGER, 'y': 'e' || i}, NULL] END AS ls
  FROM range(6000) t(i)`;
const FIELD_IDS = `{id: 1, flag: 2, n32: 3, n64: 4, f32: 5, f64: 6, d9: 7, d18: 8, d38: 9, dt: 10,
  tm: 11, ts: 12, tstz: 13, s: 14, bin: 15, u: 16, li: {__duckdb_field_id: 17, element: 100},
  st: {__duckdb_field_id: 18, a: 101, b: 102}, mp: {__duckdb_field_id: 19, key: 103, value: 104},
  ls: {__duckdb_field_id: 20, element: {__duckdb_field_id: 105, x: 106, y: 107}}}`;

const inputs = [];
for (const [name, opts] of [['in_zstd.parquet', 'COMPRESSION zstd, ROW_GROUP_SIZE 2000'],
  ['in_snappy_v2.parquet', 'COMPRESSION snappy, PARQUET_VERSION v2']]) {
  const p = join(dir, name);
  await db.run(`COPY (${SELECT}) TO ${lit(p)} (FORMAT parquet, ${opts}, FIELD_IDS ${FIELD_IDS})`);
  inputs.push(p);
}

const CONFIGS = [
  ['default', []],
  ['snappy-v2', ['--codec', 'snappy', '--page-v2']],
  ['gzip-tiny', ['--codec', 'gzip', '--page-rows', '100', '--dict-bytes', '512', '--row-group-bytes', '20000']],
  ['lz4-nodict-v2', ['--codec', 'lz4', '--no-dictionary', '--page-v2']],
  ['brotli', ['--codec', 'brotli', '--page-bytes', '4096']],
  ['uncompressed', ['--codec', 'uncompressed']],
];

// ---------------------------------------------------------------- checks
const plain = (v) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v);
  if (v instanceof Uint8Array) return 'hex:' + Buffer.from(v).toString('hex');
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Map) return [...v].map(([k, x]) => [plain(k), plain(x)]);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && typeof v.toJSON === 'function' && !(v instanceof Date)) return plain(v.toJSON());
  if (typeof v === 'object' && typeof v[Symbol.iterator] === 'function') return Array.from(v, plain);
  if (ArrayBuffer.isView(v)) return plain([...v]);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
};

async function sameRowsDuckDB(a, b, label) {
  const [{ n: na }] = await q(`SELECT count(*) AS n FROM ${lit(a)}`);
  const [{ n: nb }] = await q(`SELECT count(*) AS n FROM ${lit(b)}`);
  if (na !== nb) return fail(`${label}: duckdb row count ${na} vs ${nb}`);
  for (const [x, y] of [[a, b], [b, a]]) {
    const [{ n }] = await q(`SELECT count(*) AS n FROM (SELECT * FROM ${lit(x)} EXCEPT ALL SELECT * FROM ${lit(y)})`);
    if (n !== '0') {
      const ex = await q(`SELECT * FROM ${lit(x)} EXCEPT ALL SELECT * FROM ${lit(y)} LIMIT 1`);
      return fail(`${label}: duckdb: ${n} rows of ${x.endsWith('out.parquet') ? 'output' : 'input'} missing from the other, e.g. ${JSON.stringify(ex[0]).slice(0, 300)}`);
    }
  }
}

function readArrowRs(path) {
  const t = arrow.tableFromIPC(pw.readParquet(new Uint8Array(readFileSync(path))).intoIPCStream());
  const out = {};
  for (const f of t.schema.fields) {
    const c = t.getChild(f.name);
    out[f.name] = Array.from({ length: t.numRows }, (_, i) => JSON.stringify(plain(c.isValid(i) ? c.get(i) : null)));
  }
  return out;
}

function sameColumns(a, b, reader, label) {
  const names = Object.keys(a);
  if (JSON.stringify(names) !== JSON.stringify(Object.keys(b))) return fail(`${label}: ${reader}: columns differ`);
  for (const n of names) {
    if (a[n].length !== b[n].length) return fail(`${label}: ${reader}: ${n}: ${a[n].length} vs ${b[n].length} rows`);
    const i = a[n].findIndex((v, k) => v !== b[n][k]);
    if (i >= 0) return fail(`${label}: ${reader}: column ${n} row ${i}: input ${a[n][i]} vs output ${b[n][i]}`);
  }
}

async function readHyparquet(path) {
  const buf = readFileSync(path);
  const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const rows = await parquetReadObjects({ file, compressors });
  const out = {};
  for (const r of rows) for (const [k, v] of Object.entries(r)) (out[k] ??= []).push(JSON.stringify(plain(v)));
  return out;
}

async function fieldIds(path) {
  const rows = await q(`SELECT name, field_id, num_children FROM parquet_schema(${lit(path)})`);
  // path-qualified ids, skipping the root and the synthetic list/key_value groups
  const ids = {};
  const stack = [];
  for (const r of rows.slice(1)) {
    while (stack.length && stack[stack.length - 1].left === 0) stack.pop();
    if (stack.length) stack[stack.length - 1].left--;
    const path = [...stack.map((s) => s.name), r.name].join('.');
    if (!['list', 'key_value'].includes(r.name)) ids[path.replace(/\.(list|key_value)\./g, '.')] = r.field_id;
    if (Number(r.num_children ?? 0) > 0) stack.push({ name: r.name, left: Number(r.num_children) });
  }
  return ids;
}

const FLOAT_COLS = new Set(['f32', 'f64']);
async function statsMatch(path, label) {
  const meta = await q(`SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count
                        FROM parquet_metadata(${lit(path)})`);
  const groups = new Set(meta.map((m) => m.row_group_id));
  if (groups.size !== 1) return; // only single-row-group outputs: their chunk stats are the column's
  const top = ['id', 'flag', 'n32', 'n64', 'f32', 'f64', 'd9', 'd18', 'd38', 'dt', 'tm', 'ts', 's', 'bin', 'u'];
  for (const c of top) {
    const m = meta.find((x) => x.path_in_schema === c);
    if (!m) { fail(`${label}: no metadata for ${c}`); continue; }
    const filt = FLOAT_COLS.has(c) ? `WHERE NOT isnan(${c})` : '';
    const [want] = await q(`SELECT min(${c})::VARCHAR AS lo, max(${c})::VARCHAR AS hi,
                            (SELECT count(*) - count(${c}) FROM ${lit(path)}) AS nulls FROM ${lit(path)} ${filt}`);
    if (String(m.stats_null_count) !== String(want.nulls)) fail(`${label}: ${c}: null count ${m.stats_null_count} vs ${want.nulls}`);
    // DuckDB 1.5.6 prints NULL for an infinite bound, its own files included (observed),
    // so +-inf bounds are accepted as NULL here; the unit tests check the bytes.
    const eq = (got, exp) => FLOAT_COLS.has(c)
      ? (got === null && /inf/.test(exp)) || Number(got) === Number(exp) : got === exp;
    if (!eq(m.stats_min_value, want.lo)) fail(`${label}: ${c}: min ${m.stats_min_value} vs ${want.lo}`);
    if (!eq(m.stats_max_value, want.hi)) fail(`${label}: ${c}: max ${m.stats_max_value} vs ${want.hi}`);
  }
}

const big = (v) => (typeof v === 'bigint' ? v : BigInt(v));
function pageIndexOk(path, label) {
  const buf = readFileSync(path);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const md = parquetMetadata(ab);
  let pages = 0;
  for (const [g, rg] of md.row_groups.entries()) {
    for (const c of rg.columns) {
      const m = c.meta_data;
      const name = m.path_in_schema.join('.');
      if (c.offset_index_offset === undefined) { fail(`${label}: rg ${g} ${name}: no offset index`); continue; }
      const oi = readOffsetIndex({ view: new DataView(ab, Number(c.offset_index_offset), c.offset_index_length), offset: 0 });
      const locs = oi.page_locations;
      pages += locs.length;
      let at = big(m.data_page_offset);
      for (const [i, p] of locs.entries()) {
        if (big(p.offset) !== at) return fail(`${label}: rg ${g} ${name}: page ${i} at ${p.offset}, expected ${at}`);
        at += big(p.compressed_page_size);
        if (i === 0 ? big(p.first_row_index) !== 0n : big(p.first_row_index) <= big(locs[i - 1].first_row_index))
          return fail(`${label}: rg ${g} ${name}: first_row_index not ascending from 0`);
      }
      const start = big(m.dictionary_page_offset ?? m.data_page_offset);
      if (at - start !== big(m.total_compressed_size)) return fail(`${label}: rg ${g} ${name}: pages do not fill the chunk`);
      if (c.column_index_offset === undefined || m.path_in_schema.length > 1) continue;
      const leaf = md.schema.find((e) => e.name === m.path_in_schema[0]);
      const ci = readColumnIndex({ view: new DataView(ab, Number(c.column_index_offset), c.column_index_length), offset: 0 }, leaf);
      if (ci.null_pages.length !== locs.length) return fail(`${label}: rg ${g} ${name}: column index has ${ci.null_pages.length} pages, offset index ${locs.length}`);
      const nulls = ci.null_counts.reduce((a, b) => a + big(b), 0n);
      if (nulls !== big(m.statistics.null_count)) return fail(`${label}: rg ${g} ${name}: page null counts ${nulls} vs chunk ${m.statistics.null_count}`);
      const key = (v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? x.toString() : x)));
      const mins = ci.min_values.filter((_, i) => !ci.null_pages[i]).map(key);
      const maxs = ci.max_values.filter((_, i) => !ci.null_pages[i]).map(key);
      if (m.statistics.min_value !== undefined && typeof m.statistics.min_value !== 'object' && mins.length &&
          !mins.includes(key(m.statistics.min_value))) fail(`${label}: rg ${g} ${name}: chunk min not among page mins`);
      if (m.statistics.max_value !== undefined && typeof m.statistics.max_value !== 'object' && maxs.length &&
          !maxs.includes(key(m.statistics.max_value))) fail(`${label}: rg ${g} ${name}: chunk max not among page maxes`);
    }
  }
  return pages;
}

for (const input of inputs) {
  const inIds = await fieldIds(input);
  const inRs = readArrowRs(input);
  const inHy = await readHyparquet(input);
  for (const [name, args] of CONFIGS) {
    const label = `${input.split('/').pop()} -> ${name}`;
    const out = join(dir, `${name}-out.parquet`);
    rmSync(out, { force: true });
    const r = spawnSync(ICESTREAM, ['rewrite', input, out, '--quiet', ...args], { encoding: 'utf8' });
    if (r.status !== 0) { fail(`${label}: rewrite exited ${r.status}: ${r.stderr.trim()}`); continue; }
    await sameRowsDuckDB(input, out, label);
    sameColumns(inRs, readArrowRs(out), 'parquet-wasm', label);
    sameColumns(inHy, await readHyparquet(out), 'hyparquet', label);
    const outIds = await fieldIds(out);
    for (const [p, id] of Object.entries(inIds)) {
      if (outIds[p] !== id) fail(`${label}: field id of ${p}: ${outIds[p]} vs input ${id}`);
    }
    await statsMatch(out, label);
    const pages = pageIndexOk(out, label);
    const [fm] = await q(`SELECT created_by, num_row_groups FROM parquet_file_metadata(${lit(out)})`);
    console.log(`  ok ${label} (${fm.num_row_groups} row groups, ${pages} pages, ${fm.created_by})`);
  }
}
if (!process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
console.log(failures ? `check_writer: ${failures} failure(s)` : 'check_writer: all readers agree');
process.exit(failures ? 1 : 0);
