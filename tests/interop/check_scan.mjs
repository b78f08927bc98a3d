// check_scan.mjs - the live rows of an Iceberg table with delete files, three ways:
//
//   node check_scan.mjs METADATA_JSON --expect-jsonl FILE [--map PREFIX=DIR]... [--skip-icebird]
//
// 1. `icestream scan` (FILE, its JSON lines),
// 2. DuckDB: avsc lists the current snapshot's live entries (status != DELETED; data
//    sequence numbers inherited from the manifest for ADDED entries); the data files
//    are read with read_parquet by field id with file names and row numbers; position
//    delete rows remove (file_path, pos) where seq(data) <= seq(delete), same spec and
//    partition and referenced_data_file null or the data file; equality delete rows
//    remove rows whose key columns are IS NOT DISTINCT FROM theirs where
//    seq(data) < seq(delete) and same partition or an unpartitioned delete spec - the
//    rules of the Iceberg spec, written in SQL here, nothing taken from icestream;
// 3. icebird: the whole table (its own Avro reader and delete handling), unless
//    --skip-icebird: icebird 0.3.1 applies a position delete to its data file whatever
//    their sequence numbers (src/read.js looks deletes up by file path only), so a
//    table whose position deletes must not apply to a later file is not its to judge.
// Rows are compared as canonical text, order-insensitive. Exit 0 when all agree.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const req = createRequire(join(here, 'package.json'));
const avro = req('avsc');
const { DuckDBInstance } = await import('@duckdb/node-api');
const { icebergRead } = await import('icebird');
const { parseJson, Num, Obj } = await import('./lib_json.mjs');
const { localResolver, installLocalFetch } = await import('./lib_local_fetch.mjs');
const { bigLongParseHook } = await import('./lib_avro_long.mjs');

const args = process.argv.slice(2);
const maps = [];
let metaPath = null, expectJsonl = null, skipBird = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--map') { const a = args[++i]; const k = a.indexOf('='); maps.push([a.slice(0, k), a.slice(k + 1)]); }
  else if (args[i] === '--expect-jsonl') expectJsonl = args[++i];
  else if (args[i] === '--skip-icebird') skipBird = true;
  else metaPath = args[i];
}
if (!metaPath || !expectJsonl) {
  console.error('usage: node check_scan.mjs METADATA_JSON --expect-jsonl FILE [--map PREFIX=DIR]...');
  process.exit(2);
}
const fail = (m) => { console.error(`check_scan: FAIL: ${m}`); process.exit(1); };
const local = localResolver(maps);
installLocalFetch(local, maps);

const readAvro = (p) => new Promise((resolve, reject) => {
  const out = [];
  avro.createFileDecoder(local(p), { parseHook: bigLongParseHook })
    .on('data', (r) => out.push(r)).on('error', reject).on('end', () => resolve(out));
});

// Long ids would be rounded by JSON.parse: keep 16+ digit integers as text.
const md = JSON.parse(readFileSync(metaPath, 'utf8').replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
const schema = md.schemas.find((s) => s['schema-id'] === md['current-schema-id']);
const snap = md.snapshots.find((s) => String(s['snapshot-id']) === String(md['current-snapshot-id']));
if (!schema || !snap) fail('no current schema or snapshot');
const unpartitioned = new Set((md['partition-specs'] || []).filter((s) => s.fields.every((f) => f.transform === 'void')).map((s) => s['spec-id']));

// ---- live entries through avsc
const files = [];
for (const m of await readAvro(snap['manifest-list'])) {
  for (const e of await readAvro(m.manifest_path)) {
    if (e.status === 2) continue;
    const df = e.data_file;
    const seq = e.sequence_number != null ? e.sequence_number : BigInt(m.sequence_number ?? 0);
    files.push({
      path: df.file_path, local: local(df.file_path), content: df.content ?? 0, seq: String(seq),
      spec: m.partition_spec_id ?? 0, part: JSON.stringify(df.partition, (k, v) => (typeof v === 'bigint' ? v.toString() : v)),
      ref: df.referenced_data_file ?? null, eq: df.equality_ids ?? [],
    });
  }
}
const data = files.filter((f) => f.content === 0), posDel = files.filter((f) => f.content === 1), eqDel = files.filter((f) => f.content === 2);

// ---- DuckDB
const db = await (await DuckDBInstance.create(':memory:')).connect();
const sq = (s) => `'${String(s).replaceAll("'", "''")}'`;
const duckType = (t) => {
  const d = /^decimal\((\d+),\s*(\d+)\)$/.exec(t);
  if (d) return `DECIMAL(${d[1]},${d[2]})`;
  return { boolean: 'BOOLEAN', int: 'INTEGER', long: 'BIGINT', float: 'FLOAT', double: 'DOUBLE', date: 'DATE', string: 'VARCHAR', binary: 'BLOB', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ' }[t];
};
const cols = schema.fields;
for (const c of cols) if (typeof c.type !== 'string' || !duckType(c.type)) fail(`column ${c.name}: type ${JSON.stringify(c.type)} not compared here`);
const schemaMap = (cs) => `MAP {${cs.map((c) => `${c.id}: {name: ${sq(c.name)}, type: ${sq(duckType(c.type))}, default_value: NULL}`).join(', ')}}`;
const q = (sql) => db.run(sql);
await q(`CREATE TABLE files (path VARCHAR, local VARCHAR, content INTEGER, seq BIGINT, spec INTEGER, part VARCHAR, ref VARCHAR, global BOOLEAN)`);
for (const f of files)
  await q(`INSERT INTO files VALUES (${sq(f.path)}, ${sq(f.local)}, ${f.content}, ${f.seq}, ${f.spec}, ${sq(f.part)}, ${f.ref === null ? 'NULL' : sq(f.ref)}, ${unpartitioned.has(f.spec)})`);
const quoted = cols.map((c) => `"${c.name.replaceAll('"', '""')}"`);
if (data.length) {
  await q(`CREATE TABLE d AS SELECT * FROM read_parquet([${data.map((f) => sq(f.local)).join(', ')}], filename = true, file_row_number = true, schema = ${schemaMap(cols)})`);
} else {
  await q(`CREATE TABLE d AS SELECT ${cols.map((c, i) => `NULL::${duckType(c.type)} AS ${quoted[i]}`).join(', ')}, NULL::VARCHAR AS filename, NULL::BIGINT AS file_row_number WHERE false`);
}
if (posDel.length) {
  await q(`CREATE TABLE pd AS SELECT file_path, pos, filename AS del FROM read_parquet([${posDel.map((f) => sq(f.local)).join(', ')}], filename = true)`);
  await q(`DELETE FROM d WHERE EXISTS (
    SELECT 1 FROM pd JOIN files p ON p.local = pd.del JOIN files f ON f.local = d.filename
    WHERE pd.file_path = f.path AND pd.pos = d.file_row_number AND f.seq <= p.seq
      AND f.spec = p.spec AND f.part = p.part AND (p.ref IS NULL OR p.ref = f.path))`);
}
for (const [i, e] of eqDel.entries()) {
  const keys = e.eq.map((id) => cols.find((c) => c.id === id));
  if (!keys.length || keys.some((k) => !k)) fail(`equality delete ${e.path}: key ids ${e.eq} not in the schema`);
  await q(`CREATE TABLE eq${i} AS SELECT * FROM read_parquet(${sq(e.local)}, schema = ${schemaMap(keys)})`);
  const on = keys.map((k) => `d."${k.name}" IS NOT DISTINCT FROM x."${k.name}"`).join(' AND ');
  await q(`DELETE FROM d WHERE EXISTS (SELECT 1 FROM files f, files e WHERE f.local = d.filename AND e.local = ${sq(e.local)}
      AND f.seq < e.seq AND (e.global OR (f.spec = e.spec AND f.part = e.part)))
    AND EXISTS (SELECT 1 FROM eq${i} x WHERE ${on})`);
}
const duckRows = (await db.runAndReadAll(`SELECT ${quoted.join(', ')} FROM d`)).getRowObjectsJson();

// ---- canonical rows
// A timestamp as epoch milliseconds: icebird hands out Dates (millisecond precision),
// DuckDB "2024-04-01 00:13:00.123456+00", icestream "2024-04-01T00:13:00.123456Z".
function epochMillis(v) {
  if (v instanceof Date) return String(v.getTime());
  if (typeof v === 'bigint') return String(v / 1000n);
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d(?::?\d\d)?)?$/.exec(String(v));
  if (!m) fail(`timestamp ${v} not understood`);
  let ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000 + 1e-9);
  if (m[8] && m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1, hh = +m[8].slice(1, 3), mm = +(m[8].slice(3).replace(':', '') || 0);
    ms -= sign * (hh * 60 + mm) * 60000;
  }
  return String(ms);
}
function canon(v, type, from) {
  if (v === null || v === undefined) return null;
  if (type === 'timestamp' || type === 'timestamptz') return epochMillis(v);
  if (v instanceof Num) v = v.text;
  if (type === 'date') return v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
  if (type === 'double' || type === 'float' || type.startsWith('decimal')) return String(Number(v));
  if (type === 'int' || type === 'long') {
    if (from === 'icestream' && !/^-?\d+$/.test(String(v))) fail(`integer ${v} not exact`);
    return String(BigInt(v));
  }
  return String(v);
}
const key = (o, from) => JSON.stringify(cols.map((c) => canon(o[c.name], c.type, from)));
const duck = duckRows.map((r) => key(r, 'duckdb'));
const ours = readFileSync(expectJsonl, 'utf8').split('\n').filter((l) => l.length).map((l) => {
  const o = parseJson(l);
  if (!(o instanceof Obj)) fail(`scan row is not an object: ${l.slice(0, 80)}`);
  return key(Object.fromEntries(o.entries), 'icestream');
});
const bird = skipBird ? null : (await icebergRead({ tableUrl: md.location, metadataFileName: basename(metaPath), metadata: md })).map((r) => key(r, 'icebird'));

const sorted = (a) => [...a].sort();
function diff(name, a, b) {
  const x = sorted(a), y = sorted(b);
  if (x.join('\n') === y.join('\n')) return;
  const onlyA = x.filter((r) => !y.includes(r)).slice(0, 3), onlyB = y.filter((r) => !x.includes(r)).slice(0, 3);
  fail(`${name}: ${a.length} vs ${b.length} rows; only in the first: ${onlyA.join(' ')}; only in the second: ${onlyB.join(' ')}`);
}
diff('icestream scan vs DuckDB', ours, duck);
if (bird) diff('icestream scan vs icebird', ours, bird);
console.log(`check_scan: ok: ${ours.length} rows (${data.length} data files, ${posDel.length} position and ${eqDel.length} equality delete files) agree with DuckDB${bird ? ' and icebird' : ''}`);
