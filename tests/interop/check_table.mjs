// check_table.mjs - independent readers check an Iceberg table that icestream wrote.
//
//   node check_table.mjs METADATA_JSON [--expect-rows N] [--expect-jsonl FILE] [--map PREFIX=DIR]...
//
// --map reads a table whose files live elsewhere (s3://bucket...) from a local copy, as
// lib_local_fetch.mjs resolves locations.
//
// 1. avsc decodes the current snapshot's manifest list and every manifest; the live
//    data files, their record counts and sizes must agree with the files on disk and
//    with the snapshot summary (total-records, total-data-files, total-files-size).
// 2. Column metrics of every live data file (lib_iceberg_bounds.mjs): lower/upper bounds
//    decoded per the Iceberg single-value serialization by the schema's field types must
//    be DuckDB's exact min/max of that column in that file (strings/binary: truncate(16)
//    rule; NaN excluded; -0.0 before +0.0); value, null and NaN counts and record_count
//    must match DuckDB's counts; every metric key must be a schema field id. A self-test
//    (§4 vectors, and every single mutation of the real metrics must be reported) runs
//    each time, so a check that cannot fail fails.
// 3. DuckDB reads every live data file by Iceberg field id
//    (read_parquet(..., schema = MAP {id: {name, type, default_value}})).
// 4. icebird reads the whole table (its own Avro + hyparquet).
// Contents (canonicalised, order-insensitive) must agree between DuckDB and icebird, and
// with --expect-rows / --expect-jsonl (rows as `icestream scan` prints). DuckDB and the
// expected rows are compared exactly (64-bit integers, decimals as unscaled integers,
// timestamps in microseconds); icebird yields decimals as doubles and timestamps as
// milliseconds, so DuckDB's exact value is put through icebird's documented conversion
// (Number(unscaled) * 10 ** -scale; BigInt micros / 1000n) and compared to that exactly.
// Exit 0 when everything agrees; 1 with a message otherwise.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localResolver, withS3Urls } from './lib_local_fetch.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const req = createRequire(join(here, 'package.json'));
const avro = req('avsc');
const { DuckDBInstance } = await import('@duckdb/node-api');
const { icebergRead } = await import('icebird');
const bounds = await import('./lib_iceberg_bounds.mjs');
const { parseJson, Num, Obj } = await import('./lib_json.mjs');

const args = process.argv.slice(2);
if (args.length < 1) {
  console.error('usage: node check_table.mjs METADATA_JSON [--expect-rows N] [--expect-jsonl FILE] [--map PREFIX=DIR]...');
  process.exit(2);
}
let expectRows = null, expectJsonl = null;
const maps = [];
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--expect-rows') expectRows = BigInt(args[++i]);
  else if (args[i] === '--expect-jsonl') expectJsonl = args[++i];
  else if (args[i] === '--map') { const a = args[++i]; const k = a.indexOf('='); maps.push([a.slice(0, k), a.slice(k + 1)]); }
  else { console.error(`unknown argument ${args[i]}`); process.exit(2); }
}
const resolve = localResolver(maps);
const mapped = withS3Urls(maps);
const metaPath = localPath(args[0]);

function fail(msg) {
  console.error(`check_table: FAIL: ${msg}`);
  process.exit(1);
}
// file: URIs and --map prefixes as lib_local_fetch.mjs resolves them (a partition
// folder may keep its %XX escapes on disk).
function localPath(uri) {
  return resolve(uri);
}
// Longs as BigInt: snapshot ids use all 63 bits.
const longType = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(n));
    return b;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
});
async function avroRecords(path) {
  return new Promise((resolve, reject) => {
    const out = [];
    let meta = null;
    avro.createFileDecoder(localPath(path), {
      parseHook: (schema) => avro.Type.forSchema(schema, { registry: { long: longType } }),
    })
      .on('metadata', (type, codec, header) => { meta = header.meta; })
      .on('data', (r) => out.push(r))
      .on('end', () => resolve({ records: out, meta }))
      .on('error', reject);
  });
}

// icebird fetches URLs; serve file: URIs, absolute paths and mapped locations from disk.
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  const u = String(url);
  if (u.startsWith('file:') || u.startsWith('/') || mapped.some(([a]) => u.startsWith(a))) {
    try {
      return new Response(readFileSync(localPath(u)), { status: 200 });
    } catch {
      return new Response('not found', { status: 404 });
    }
  }
  return realFetch(url, init);
};

// 64-bit ids (snapshot ids) would be rounded by JSON.parse: keep long integers as text.
const md = JSON.parse(readFileSync(metaPath, 'utf8')
  .replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
if (md['format-version'] !== 2) fail(`format-version ${md['format-version']}, want 2`);
const schema = md.schemas.find((s) => s['schema-id'] === md['current-schema-id']);
if (!schema) fail('current schema not found');
const cur = md['current-snapshot-id'];
const snap = md.snapshots.find((s) => String(s['snapshot-id']) === String(cur));
if (cur !== undefined && cur !== null && String(cur) !== '-1' && !snap) fail(`current snapshot ${cur} missing`);
if (snap && String(md.refs?.main?.['snapshot-id']) !== String(snap['snapshot-id'])) fail('refs.main does not match current-snapshot-id');

// ---- 1. manifests through avsc
const live = [];
if (snap) {
  const list = await avroRecords(snap['manifest-list']);
  const headerSnap = list.meta['snapshot-id']?.toString();
  if (headerSnap !== String(snap['snapshot-id'])) fail(`manifest list header snapshot-id ${headerSnap}`);
  for (const mf of list.records) {
    const size = statSync(localPath(mf.manifest_path)).size;
    if (BigInt(size) !== BigInt(mf.manifest_length)) fail(`manifest ${mf.manifest_path} length ${mf.manifest_length} != ${size}`);
    const m = await avroRecords(mf.manifest_path);
    let added = 0, existing = 0, deleted = 0;
    for (const e of m.records) {
      if (e.status === 1) added++; else if (e.status === 0) existing++; else deleted++;
      if (e.status === 2) continue;
      if (e.data_file.content !== 0) fail(`live delete file ${e.data_file.file_path} (not checked here)`);
      live.push(e.data_file);
    }
    if (added !== Number(mf.added_files_count) || existing !== Number(mf.existing_files_count) || deleted !== Number(mf.deleted_files_count))
      fail(`manifest ${mf.manifest_path}: counts ${added}/${existing}/${deleted} != list ${mf.added_files_count}/${mf.existing_files_count}/${mf.deleted_files_count}`);
  }
}
let totalRecords = 0n, totalSize = 0n;
for (const f of live) {
  const size = statSync(localPath(f.file_path)).size;
  if (BigInt(size) !== BigInt(f.file_size_in_bytes)) fail(`${f.file_path}: size ${f.file_size_in_bytes} != ${size} on disk`);
  totalRecords += BigInt(f.record_count);
  totalSize += BigInt(f.file_size_in_bytes);
}
if (snap) {
  const s = snap.summary;
  if (BigInt(s['total-records']) !== totalRecords) fail(`summary total-records ${s['total-records']} != manifests ${totalRecords}`);
  if (BigInt(s['total-data-files']) !== BigInt(live.length)) fail(`summary total-data-files ${s['total-data-files']} != ${live.length}`);
  if (BigInt(s['total-files-size']) !== totalSize) fail(`summary total-files-size ${s['total-files-size']} != ${totalSize}`);
}
if (expectRows !== null && totalRecords !== expectRows) fail(`table has ${totalRecords} rows, expected ${expectRows}`);

// ---- 2. column metrics of every live data file against DuckDB's exact truth
const db = await (await DuckDBInstance.create(':memory:')).connect();
const metricFields = bounds.checkedFields(schema);
const metricCases = [];
const metricErrors = [];
// every field id in the schema (nested too): metric keys must name one of them
const schemaIds = new Set();
(function collect(t) {
  if (!t || typeof t !== 'object') return;
  for (const f of t.fields ?? []) { schemaIds.add(Number(f.id)); collect(f.type); }
  if (t['element-id'] !== undefined) { schemaIds.add(Number(t['element-id'])); collect(t.element); }
  if (t['key-id'] !== undefined) { schemaIds.add(Number(t['key-id'])); schemaIds.add(Number(t['value-id'])); collect(t.key); collect(t.value); }
})(schema);
for (const f of live) {
  const where = `${f.file_path}`;
  for (const k of ['column_sizes', 'value_counts', 'null_value_counts', 'nan_value_counts', 'lower_bounds', 'upper_bounds'])
    for (const { key } of f[k] ?? []) if (!schemaIds.has(Number(key))) metricErrors.push(`${where}: ${k} has field id ${key}, not in the schema`);
  const truth = await bounds.fileTruth(db, localPath(f.file_path), metricFields);
  const metrics = bounds.decodeMetrics(f, metricFields);
  metricErrors.push(...bounds.compareMetrics(metrics, truth, metricFields, where));
  metricCases.push({ metrics, truth, fields: metricFields, where });
}
if (metricErrors.length) {
  for (const m of metricErrors.slice(0, 20)) console.error(`check_table: metrics: ${m}`);
  fail(`${metricErrors.length} column metric mismatches (first ${Math.min(20, metricErrors.length)} above)`);
}
const selfProblems = bounds.selfTest(metricCases);
if (selfProblems.length) {
  for (const m of selfProblems.slice(0, 20)) console.error(`check_table: self-test: ${m}`);
  fail(`metrics self-test: ${selfProblems.length} problems: the bounds check itself is broken`);
}
const boundsChecked = metricCases.reduce((n, c) => n + c.metrics.lower.size + c.metrics.upper.size, 0);

// ---- canonical row text: order-insensitive comparison across readers
const scalarTypes = {
  boolean: 'BOOLEAN', int: 'INTEGER', long: 'BIGINT', float: 'FLOAT', double: 'DOUBLE',
  string: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ',
};
// DuckDB type for an Iceberg type we compare (primitives, decimals, lists of those).
function duckType(t) {
  if (typeof t === 'string') {
    if (scalarTypes[t]) return scalarTypes[t];
    const m = /^decimal\((\d+),\s*(\d+)\)$/.exec(t);
    return m ? `DECIMAL(${m[1]},${m[2]})` : null;
  }
  if (t && t.type === 'list') {
    const e = duckType(t.element);
    return e && typeof t.element === 'string' ? `${e}[]` : null;
  }
  return null;
}
const cols = schema.fields.filter((f) => duckType(f.type) !== null);
// Exact microseconds since the epoch of a timestamp text (DuckDB's '1843-03-31 16:53:20.789123',
// '2024-02-29 12:00:00+00'; scan's '...T...000000Z'), as a BigInt.
function tsMicros(text) {
  const m = /^(-?\d{4,})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d(?::?\d\d)?)?$/.exec(text);
  if (!m) fail(`timestamp text ${JSON.stringify(text)}`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3])); // no 19xx mapping of years < 100
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  let us = BigInt(d.getTime()) * 1000n + BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  if (m[8] && m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1n : 1n, hm = m[8].slice(1).replace(':', '');
    us -= sign * (BigInt(hm.slice(0, 2)) * 3600n + BigInt(hm.slice(2) || '0') * 60n) * 1000000n;
  }
  return us;
}
// Canonical text of one value. mode 'exact' (DuckDB, expected rows): 64-bit integers,
// decimals and microsecond timestamps exactly. mode 'bird': an exact value as icebird
// (hyparquet) must represent it: decimals as Number(unscaled) * 10 ** -scale, timestamps
// as BigInt micros / 1000n (its Date). Values that come from icebird itself: mode 'fromBird'.
function canon(v, type, mode) {
  if (v === null || v === undefined) return null;
  if (v instanceof Num) v = v.text;
  if (typeof type === 'object') return Array.from(v, (x) => canon(x, type.element, mode));
  if (type === 'float' || type === 'double') {
    const n = Number(v);
    return Number.isNaN(n) ? 'NaN' : String(type === 'float' ? Math.fround(n) : n);
  }
  if (type === 'date') {
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    return String(v).slice(0, 10);
  }
  if (type === 'timestamp' || type === 'timestamptz') {
    if (mode === 'fromBird') {
      if (!(v instanceof Date)) fail(`icebird returned a non-Date timestamp ${v}`);
      return String(v.getTime());
    }
    const us = tsMicros(String(v));
    return String(mode === 'bird' ? us / 1000n : us);
  }
  if (type.startsWith('decimal')) {
    const scale = Number(/,\s*(\d+)\)/.exec(type)[1]);
    if (mode === 'fromBird') {
      if (typeof v !== 'number') fail(`icebird returned a ${typeof v} decimal ${v}`);
      return String(v);
    }
    const unscaled = bounds.decimalTextToUnscaled(String(v), scale);
    return mode === 'bird' ? String(Number(unscaled) * 10 ** -scale) : bounds.unscaledToDecimalText(unscaled, scale);
  }
  if (type === 'long' && typeof v === 'number') fail(`a long arrived as a JS number (${v}): precision may be lost`);
  return String(v);
}
function rowKey(obj, nameOf, mode) {
  return JSON.stringify(cols.map((c) => canon(obj[nameOf(c)], c.type, mode)));
}

// ---- 3. DuckDB by field id
const sq = (s) => `'${s.replaceAll("'", "''")}'`;
const mapSql = 'MAP {' + cols.map((c) =>
  `${c.id}: {name: ${sq(c.name)}, type: ${sq(duckType(c.type))}, default_value: NULL}`).join(', ') + '}';
const duckRows = [], duckAsBird = [];
for (const f of live) {
  const sql = cols.length
    ? `SELECT * FROM read_parquet(${sq(localPath(f.file_path))}, schema = ${mapSql})`
    : `SELECT count(*) AS n FROM read_parquet(${sq(localPath(f.file_path))})`;
  const rows = (await db.runAndReadAll(sql)).getRowObjectsJson();
  if (cols.length) {
    if (BigInt(rows.length) !== BigInt(f.record_count)) fail(`DuckDB read ${rows.length} rows from ${f.file_path}, manifest says ${f.record_count}`);
    for (const r of rows) {
      duckRows.push(rowKey(r, (c) => c.name, 'exact'));
      duckAsBird.push(rowKey(r, (c) => c.name, 'bird'));
    }
  }
}

// ---- 4. icebird, whole table
let birdRows = [];
if (live.length > 0) {
  const data = await icebergRead({ tableUrl: md.location, metadata: md });
  if (BigInt(data.length) !== totalRecords) fail(`icebird read ${data.length} rows, manifests say ${totalRecords}`);
  birdRows = data.map((r) => rowKey(r, (c) => c.name, 'fromBird'));
}

const sortJoin = (a) => [...a].sort().join('\n');
function firstDiff(a, b) {
  const x = [...a].sort(), y = [...b].sort();
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return `${x[i]} vs ${y[i]}`;
  return '';
}
if (cols.length && live.length > 0 && sortJoin(duckAsBird) !== sortJoin(birdRows))
  fail(`DuckDB (as icebird converts it) and icebird disagree on contents: ${firstDiff(duckAsBird, birdRows)}`);
if (expectJsonl) {
  const lines = readFileSync(expectJsonl, 'utf8').split('\n').filter((l) => l.length);
  // lib_json keeps numbers as text: JSON.parse would round longs and decimals
  const want = lines.map((l) => {
    const o = parseJson(l);
    if (!(o instanceof Obj)) fail(`expected row is not an object: ${l.slice(0, 80)}`);
    return rowKey(Object.fromEntries(o.entries), (c) => c.name, 'exact');
  });
  if (BigInt(want.length) !== totalRecords) fail(`expected file has ${want.length} rows, table ${totalRecords}`);
  if (cols.length && sortJoin(want) !== sortJoin(duckRows))
    fail(`table contents differ from the expected rows: ${firstDiff(want, duckRows)}`);
}
console.log(`check_table: ok: ${live.length} data files, ${totalRecords} rows, ${cols.length} columns compared; `
  + `metrics of ${metricFields.length} columns checked (${boundsChecked} bounds), self-test ok`);
