// Independent check of icestream's partition keys of rows (src/iceberg/ib_partition_row.c):
// DuckDB writes random rows of every partitionable type (nulls, pre-1970 dates and
// timestamps, negative integers and decimals, non-ASCII strings, empty binaries) to
// input.parquet; test_writer_partition_spark (from $ICESTREAM's build folder) evaluates
// every row under each spec below and writes its keys; this script recomputes every key
// with lib_partition.mjs (its own Murmur3 and transforms) and compares them value by value.
// usage: ICESTREAM=build/icestream node check_partition_keys.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';
import { applyTransform, fromDuck, resultType, sourceSql } from './lib_partition.mjs';

const SPECS = [
  'bucket(16, i), bucket(7, l), bucket(16, d), bucket(5, ts), bucket(9, tz), bucket(3, t), bucket(11, dec), bucket(16, dec38), bucket(13, s), bucket(6, b), bucket(4, u)',
  'truncate(10, i), truncate(1000, l), truncate(7, dec), truncate(50, dec38), truncate(3, s), truncate(2, b)',
  'year(ts), month(tz), day(d)',
  'day(ts), hour(tz), year(d)',
  'hour(ts), day(tz), month(d)',
  'month(ts), year(tz)',
  'i, l, d, ts, tz, t, dec, dec38, s, b, u, void(i)',
];
// Iceberg type of each column of input.parquet.
const TYPES = { i: 'int', l: 'long', d: 'date', ts: 'timestamp', tz: 'timestamptz', t: 'time', dec: 'decimal(18, 3)', dec38: 'decimal(38, 10)', s: 'string', b: 'binary', u: 'uuid' };
const ROWS = 3000;

const build = path.dirname(process.env.ICESTREAM || 'build/icestream');
const driver = path.join(build, 'test_writer_partition_spark');
if (!fs.existsSync(driver)) { console.error(`check_partition_keys: ${driver} not built`); process.exit(1); }
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ice-partkeys-'));
const db = await (await DuckDBInstance.create(':memory:')).connect();
await db.run(`SET TimeZone = 'UTC'`);
await db.run(`SELECT setseed(0.25)`);
// Roughly one value in ten null; ranges reach far before 1970 and into the future.
const nul = (e) => `CASE WHEN random() < 0.1 THEN NULL ELSE ${e} END`;
const us = '(random() * 8e15 - 4e15)::BIGINT';
await db.run(`COPY (SELECT
    ${nul('(random() * 4e9 - 2e9)::BIGINT::INTEGER')} AS i,
    ${nul('(random() * 1.8e19 - 9e18)::HUGEINT::BIGINT')} AS l,
    ${nul("DATE '1970-01-01' + (random() * 400000 - 200000)::INTEGER")} AS d,
    ${nul(`make_timestamp(${us})`)} AS ts,
    ${nul(`make_timestamp(${us})::TIMESTAMPTZ`)} AS tz,
    ${nul("TIME '00:00:00' + to_microseconds((random() * 86399999999)::BIGINT)")} AS t,
    ${nul('(random() * 2e14 - 1e14)::DECIMAL(18,3)')} AS dec,
    ${nul('((random() * 2 - 1) * 9.99e27)::DECIMAL(38,10)')} AS dec38,
    ${nul("(['', 'é', '日本語', '🙂🙂', 'a b/c', '%=+'])[(random() * 6)::INTEGER % 6 + 1] || md5(random()::VARCHAR)[1:(random() * 8)::INTEGER]")} AS s,
    ${nul("unhex(md5(random()::VARCHAR)[1:((random() * 8)::INTEGER * 2)])")} AS b,
    ${nul('gen_random_uuid()')} AS u
  FROM range(${ROWS})) TO '${dir}/input.parquet' (FORMAT parquet)`);
fs.writeFileSync(path.join(dir, 'specs.txt'), SPECS.join('\n') + '\n');
const dataDir = process.env.ICE_TEST_DATA_DIR || path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'data');
execFileSync(driver, [], { env: { ...process.env, ICE_TEST_DATA_DIR: dataDir, ICE_PARTITION_INTEROP_DIR: dir }, stdio: ['ignore', 'ignore', 'inherit'] });

// The canonical text test_writer_partition_spark writes for one value.
function text(type, v) {
  if (v == null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (type === 'string') { const h = Buffer.from(v, 'utf8').toString('hex'); return h || '-'; }
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) { const h = Buffer.from(v).toString('hex'); return h || '-'; }
  return BigInt(v).toString();
}

const cols = Object.keys(TYPES);
const rows = (await db.runAndReadAll(`SELECT ${cols.map((c) => `${sourceSql(`"${c}"`, TYPES[c])} AS "${c}"`).join(', ')} FROM read_parquet('${dir}/input.parquet')`)).getRowObjects();
const problems = [];
let compared = 0;
SPECS.forEach((spec, n) => {
  // fields: name(col), name(N, col) or col, separated by commas outside parentheses
  const fields = spec.match(/\w+\((?:\d+,\s*)?\w+\)|\w+/g).map((f) => {
    const m = /^(\w+)\((?:(\d+),\s*)?(\w+)\)$/.exec(f);
    const [name, col, param] = m ? [m[1], m[3], m[2]] : ['identity', f, null];
    const transform = param ? `${name}[${param}]` : name;
    return { transform, col, type: TYPES[col] };
  });
  const lines = fs.readFileSync(path.join(dir, `keys_${n}.txt`), 'utf8').split('\n').filter((l) => l !== '');
  if (lines.length !== rows.length) problems.push(`spec ${n}: ${lines.length} keys for ${rows.length} rows`);
  rows.forEach((r, i) => {
    const want = fields.map((f) => {
      const v = fromDuck(f.type, r[f.col]);
      return text(resultType(f.transform, f.type), v == null ? null : applyTransform(f.transform, f.type, v));
    }).join('\t');
    compared++;
    if (lines[i] !== want && problems.length < 20) problems.push(`spec '${spec}' row ${i}: icestream ${JSON.stringify(lines[i])}, expected ${JSON.stringify(want)}`);
  });
});
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ rows: rows.length, specs: SPECS.length, keys_compared: compared, problems }, null, 1));
process.exit(problems.length ? 1 : 0);
