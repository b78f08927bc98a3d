// SPDX-License-Identifier: Apache-2.0
// check_evolved.mjs - the rows of a table whose schema evolved (columns added at any
// depth, widened, renamed, dropped), read three ways and compared:
//
//   node check_evolved.mjs METADATA_JSON --expect-jsonl FILE [--skip-icebird]
//
// 1. `icestream scan` (FILE, its JSON lines);
// 2. DuckDB reads every live data file (listed with avsc) as it is, and this script
//    projects each row onto the table's current schema by Iceberg field id at every
//    depth, from the field ids DuckDB's parquet_schema() reports: a field the file
//    lacks reads null, a renamed one is found by its id, a dropped one is not read -
//    the spec's column projection rule, written here, nothing taken from icestream;
// 3. icebird reads the whole table (its own Avro + hyparquet), unless --skip-icebird:
//    icebird 0.3.1 matches fields inside structs by name, not id, so a renamed nested
//    field reads null there.
// Values are canonical text by the current schema's types (integers exact, floats and
// decimals as numbers, maps as sorted key/value pairs), rows order-insensitive. Tables
// with delete files are refused (check_scan.mjs applies deletes). Exit 0 when all agree.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const avro = createRequire(join(here, 'package.json'))('avsc');
const { DuckDBInstance } = await import('@duckdb/node-api');
const { icebergRead } = await import('icebird');
const { parseJson, Num, Obj } = await import('./lib_json.mjs');
const { localResolver, installLocalFetch } = await import('./lib_local_fetch.mjs');
const { bigLongParseHook } = await import('./lib_avro_long.mjs');

const args = process.argv.slice(2);
let metaPath = null, expectJsonl = null, skipBird = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--expect-jsonl') expectJsonl = args[++i];
  else if (args[i] === '--skip-icebird') skipBird = true;
  else metaPath = args[i];
}
if (!metaPath || !expectJsonl) {
  console.error('usage: node check_evolved.mjs METADATA_JSON --expect-jsonl FILE');
  process.exit(2);
}
const fail = (m) => { console.error(`check_evolved: FAIL: ${m}`); process.exit(1); };
const maps = [['file:/', '/']];
const local = localResolver(maps);
installLocalFetch(local, maps);
metaPath = local(metaPath);
const readAvro = (p) => new Promise((resolve, reject) => {
  const out = [];
  avro.createFileDecoder(local(p), { parseHook: bigLongParseHook })
    .on('data', (r) => out.push(r)).on('error', reject).on('end', () => resolve(out));
});

const md = JSON.parse(readFileSync(metaPath, 'utf8').replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
const schema = md.schemas.find((s) => s['schema-id'] === md['current-schema-id']);
const snap = md.snapshots.find((s) => String(s['snapshot-id']) === String(md['current-snapshot-id']));
if (!schema || !snap) fail('no current schema or snapshot');
const root = { type: 'struct', fields: schema.fields };

// ---- live data files (avsc)
const files = [];
for (const m of await readAvro(snap['manifest-list']))
  for (const e of await readAvro(m.manifest_path)) {
    if (e.status === 2) continue;
    if ((e.data_file.content ?? 0) !== 0) fail(`delete file ${e.data_file.file_path}: not handled here`);
    files.push(local(e.data_file.file_path));
  }

// ---- canonical values by Iceberg type
function canon(v, t) {
  if (v === null || v === undefined) return null;
  if (v instanceof Num) v = v.text;
  if (typeof t === 'string') {
    if (t === 'int' || t === 'long') {
      if (!/^-?\d+$/.test(String(v))) fail(`integer ${v} is not exact`);
      return String(BigInt(v));
    }
    if (t === 'float' || t === 'double' || t.startsWith('decimal')) return String(Number(v));
    return String(v);
  }
  if (t.type === 'struct') {
    if (typeof v !== 'object') fail(`struct value ${JSON.stringify(v)}`);
    const o = v instanceof Obj ? Object.fromEntries(v.entries) : v;
    return t.fields.map((f) => canon(o[f.name], f.type));
  }
  if (t.type === 'list') {
    const a = v instanceof Obj ? fail('list read as object') : v;
    return a.map((x) => canon(x, t.element));
  }
  // map: an object {k: v} or a list of {key, value}; keys as text, sorted
  let pairs;
  if (Array.isArray(v)) pairs = v.map((kv) => { const o = kv instanceof Obj ? Object.fromEntries(kv.entries) : kv; return [o.key, o.value]; });
  else pairs = v instanceof Obj ? v.entries : Object.entries(v);
  return pairs.map(([k, x]) => [canon(k, t.key), canon(x, t.value)]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}
const rowKey = (o) => JSON.stringify(canon(o, root));

// ---- DuckDB: each file as written, projected by field id
const db = await (await DuckDBInstance.create(':memory:')).connect();
const sq = (s) => `'${String(s).replaceAll("'", "''")}'`;
// The file's schema as a tree (parquet_schema lists it in pre-order).
function fileTree(rows) {
  let i = 0;
  const node = () => {
    const r = rows[i++];
    const n = { name: r.name, id: r.field_id === null ? null : Number(r.field_id), kids: [] };
    for (let k = 0; k < Number(r.num_children ?? 0); k++) n.kids.push(node());
    return n;
  };
  return node();
}
// Value v of file node n (DuckDB's JSON of it) as Iceberg type t.
function project(v, n, t) {
  if (v === null || v === undefined || typeof t === 'string') return v ?? null;
  if (t.type === 'struct') {
    const out = {};
    for (const f of t.fields) {
      const c = n.kids.find((k) => k.id === f.id);
      out[f.name] = c ? project(v[c.name], c, f.type) : null;
    }
    return out;
  }
  if (t.type === 'list') {
    const el = n.kids[0].kids[0];
    if (el.id !== t['element-id']) fail(`list element id ${el.id}, schema says ${t['element-id']}`);
    return v.map((x) => project(x, el, t.element));
  }
  const kv = n.kids[0];
  const [kn, vn] = kv.kids;
  if (kn.id !== t['key-id'] || vn.id !== t['value-id']) fail(`map ids ${kn.id}/${vn.id}, schema says ${t['key-id']}/${t['value-id']}`);
  const pairs = Array.isArray(v) ? v.map((p) => [p.key, p.value]) : Object.entries(v);
  return pairs.map(([k, x]) => ({ key: project(k, kn, t.key), value: project(x, vn, t.value) }));
}
const duck = [];
for (const f of files) {
  const tree = fileTree((await db.runAndReadAll(`SELECT name, field_id, num_children FROM parquet_schema(${sq(f)})`)).getRowObjectsJson());
  for (const r of (await db.runAndReadAll(`SELECT * FROM read_parquet(${sq(f)})`)).getRowObjectsJson())
    duck.push(rowKey(project(r, tree, root)));
}

// ---- icestream and icebird
const ours = readFileSync(expectJsonl, 'utf8').split('\n').filter((l) => l.length).map((l) => {
  const o = parseJson(l);
  if (!(o instanceof Obj)) fail(`scan row is not an object: ${l.slice(0, 80)}`);
  return rowKey(o);
});
const bird = skipBird ? null : (await icebergRead({ tableUrl: md.location, metadataFileName: basename(metaPath), metadata: md }))
  .map((r) => rowKey(JSON.parse(JSON.stringify(r, (k, v) => (typeof v === 'bigint' ? v.toString() : v)))));

const sorted = (a) => [...a].sort();
function same(name, a, b) {
  const x = sorted(a), y = sorted(b);
  if (x.length !== y.length) fail(`${name}: ${x.length} rows vs ${y.length}`);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) fail(`${name}: row ${x[i]} vs ${y[i]}`);
}
same('icestream vs DuckDB', ours, duck);
if (bird) same('icestream vs icebird', ours, bird);
console.log(`check_evolved: ok: ${ours.length} rows, ${files.length} data files, ${schema.fields.length} columns${bird ? '' : ' (icebird skipped)'}`);
