// Independent check of one Iceberg table snapshot, with readers nobody on the project wrote:
//   avsc   reads the manifest list and manifests (Avro),
//   DuckDB reads the data and delete files (Parquet),
//   icebird reads the whole table (its own Avro + hyparquet).
// usage: node verify_table.mjs METADATA_JSON [--map PREFIX=LOCALDIR]... [--snapshot ID] [--rows N] [--json]
// Prints a JSON report; exit 0 when no problem was found, 1 otherwise.
import fs from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import { DuckDBInstance } from '@duckdb/node-api';
import { localResolver, installLocalFetch } from './lib_local_fetch.mjs';
import { bigLongParseHook } from './lib_avro_long.mjs';
import { fieldIdSchemaMap } from './lib_duck_type.mjs';

const args = process.argv.slice(2);
const maps = [];
let metaPath = null, snapshotArg = null, showRows = 0;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--map') { const [a, b] = args[++i].split('='); maps.push([a, b]); }
  else if (args[i] === '--snapshot') snapshotArg = args[++i];
  else if (args[i] === '--rows') showRows = Number(args[++i]);
  else metaPath = args[i];
}
if (!metaPath) { console.error('usage: verify_table.mjs METADATA_JSON [--map PREFIX=DIR]'); process.exit(2); }

const problems = [];
const problem = (m) => problems.push(m);
const local = localResolver(maps);
// fetch shim so icebird can read local files (absolute paths and file:// URLs), with Range support
installLocalFetch(local, maps);

// 64-bit longs (snapshot ids, sequence numbers) as BigInt, never rounded
const parseHook = bigLongParseHook;
function readAvro(p) {
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(local(p))) { reject(new Error('file not found')); return; }
    const records = []; let meta = null;
    avro.createFileDecoder(local(p), { parseHook })
      .on('metadata', (type, codec, header) => { meta = { type, codec, header }; })
      .on('data', (r) => records.push(r))
      .on('error', reject)
      .on('end', () => resolve({ records, meta }));
  });
}
const big = (v) => (v == null ? v : Number(v));

const md = JSON.parse(fs.readFileSync(metaPath, 'utf8'));
const report = { metadata: metaPath, format_version: md['format-version'] };
for (const k of ['format-version', 'table-uuid', 'location', 'last-updated-ms', 'last-column-id', 'schemas', 'current-schema-id', 'partition-specs', 'default-spec-id', 'last-partition-id']) {
  if (!(k in md)) problem(`metadata lacks ${k}`);
}
if (md['format-version'] >= 2) for (const k of ['last-sequence-number', 'sort-orders', 'default-sort-order-id']) if (!(k in md)) problem(`v2 metadata lacks ${k}`);
const schema = (md.schemas || []).find((s) => s['schema-id'] === md['current-schema-id']);
if (!schema) problem('current-schema-id names no schema');
const maxId = (fields) => Math.max(0, ...fields.map((f) => Math.max(f.id, typeof f.type === 'object' ? maxId(f.type.fields || (f.type.element ? [{ id: f.type['element-id'], type: f.type.element }] : [])) : 0)));
if (schema && maxId(schema.fields) > md['last-column-id']) problem('a field id exceeds last-column-id');
const snapId = snapshotArg ? BigInt(snapshotArg) : md['current-snapshot-id'];
const snapshots = md.snapshots || [];
report.snapshots = snapshots.length;
report.snapshot_operations = snapshots.map((s) => s.summary && s.summary.operation);
if (md.refs && md.refs.main && md['current-snapshot-id'] != null && String(md.refs.main['snapshot-id']) !== String(md['current-snapshot-id'])) problem('refs.main differs from current-snapshot-id');
const snap = snapshots.find((s) => String(s['snapshot-id']) === String(snapId));
if (snapId != null && snapId !== -1 && !snap) problem('current snapshot not in snapshots');
for (const s of snapshots) {
  if (md['format-version'] >= 2 && s['sequence-number'] > md['last-sequence-number']) problem(`snapshot ${s['snapshot-id']} sequence-number beyond last-sequence-number`);
  if (!s.summary || !s.summary.operation) problem(`snapshot ${s['snapshot-id']} has no summary.operation`);
}

const dataFiles = [], deleteFiles = [];
if (snap) {
  report.snapshot_id = String(snap['snapshot-id']);
  report.summary = snap.summary;
  let ml = { records: [] };
  try { ml = await readAvro(snap['manifest-list']); } catch (e) { problem(`manifest list unreadable: ${snap['manifest-list']}: ${e.message}`); }
  report.manifests = ml.records.length;
  for (const m of ml.records) {
    const mp = local(m.manifest_path);
    if (!fs.existsSync(mp)) { problem(`manifest missing: ${m.manifest_path}`); continue; }
    if (fs.statSync(mp).size !== big(m.manifest_length)) problem(`manifest_length wrong for ${m.manifest_path}`);
    let mf;
    try { mf = await readAvro(m.manifest_path); } catch (e) { problem(`manifest unreadable: ${m.manifest_path}: ${e.message}`); continue; }
    const hdr = mf.meta.header.meta;
    for (const k of ['schema', 'partition-spec', 'partition-spec-id', 'format-version']) if (!hdr[k]) problem(`manifest header lacks ${k}: ${m.manifest_path}`);
    if (md['format-version'] >= 2 && !hdr.content) problem(`v2 manifest header lacks content: ${m.manifest_path}`);
    let added = 0, existing = 0, deleted = 0;
    for (const e of mf.records) {
      if (e.status === 1) added++; else if (e.status === 0) existing++; else if (e.status === 2) deleted++;
      if (e.status === 2) continue;
      const df = e.data_file;
      const content = df.content || 0;
      const seq = e.sequence_number != null ? big(e.sequence_number) : big(m.sequence_number);
      const item = { path: df.file_path, local: local(df.file_path), records: big(df.record_count), size: big(df.file_size_in_bytes), seq, content, eqIds: df.equality_ids || null };
      (content === 0 ? dataFiles : deleteFiles).push(item);
    }
    const want = [big(m.added_files_count ?? m.added_data_files_count), big(m.existing_files_count ?? m.existing_data_files_count), big(m.deleted_files_count ?? m.deleted_data_files_count)];
    if (want[0] != null && (want[0] !== added || want[1] !== existing || want[2] !== deleted)) problem(`manifest counts ${want} but entries ${[added, existing, deleted]} in ${m.manifest_path}`);
  }
}
report.data_files = dataFiles.length;
report.delete_files = deleteFiles.length;

// DuckDB: read every live data file, check size/record counts and field ids, apply position deletes
const db = await (await DuckDBInstance.create(':memory:')).connect();
const q = async (sql) => (await db.runAndReadAll(sql)).getRowObjects();
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
let declared = 0;
const fieldIds = new Map();
const walk = (fields, pre) => { for (const f of fields) { fieldIds.set(pre + f.name, f.id); if (typeof f.type === 'object' && f.type.fields) walk(f.type.fields, pre + f.name + '.'); } };
if (schema) walk(schema.fields, '');
for (const f of dataFiles) {
  if (!fs.existsSync(f.local)) { problem(`data file missing: ${f.path}`); continue; }
  if (fs.statSync(f.local).size !== f.size) problem(`file_size_in_bytes wrong for ${f.path}`);
  const [{ n }] = await q(`SELECT count(*)::BIGINT AS n FROM read_parquet(${lit(f.local)})`);
  if (Number(n) !== f.records) problem(`record_count ${f.records} but file has ${n}: ${f.path}`);
  declared += f.records;
  const cols = await q(`SELECT name, field_id FROM parquet_schema(${lit(f.local)}) WHERE num_children IS NULL OR num_children = 0 OR field_id IS NOT NULL`);
  for (const c of cols) if (c.name !== 'schema' && fieldIds.has(c.name) && c.field_id == null) { problem(`no field_id for column ${c.name} in ${f.path}`); break; }
}
report.declared_records = declared;
let liveRows = null, checksum = null;
const present = dataFiles.filter((f) => fs.existsSync(f.local));
if (present.length) {
  const list = `[${present.map((f) => lit(f.local)).join(',')}]`;
  // columns are matched by Iceberg field id, as an Iceberg reader must (names in files may differ)
  const schemaMap = schema ? `, schema = ${fieldIdSchemaMap(schema)}` : ', union_by_name = true';
  await db.run(`CREATE TABLE d AS SELECT * FROM read_parquet(${list}, filename = true, file_row_number = true${schemaMap})`);
  const pos = deleteFiles.filter((f) => f.content === 1 && fs.existsSync(f.local));
  if (pos.length) {
    await db.run(`CREATE TABLE pd AS SELECT * FROM read_parquet([${pos.map((f) => lit(f.local)).join(',')}])`);
    const rewrite = maps.length ? maps.reduce((e, [a, b]) => `replace(${e}, ${lit(a)}, ${lit(b)})`, 'file_path') : `regexp_replace(file_path, '^file://', '')`;
    await db.run(`DELETE FROM d WHERE (filename, file_row_number) IN (SELECT ${rewrite}, pos FROM pd)`);
  }
  // equality deletes apply to data files of a strictly lower data sequence number
  const eqs = deleteFiles.filter((f) => f.content === 2 && fs.existsSync(f.local));
  if (eqs.length) {
    await db.run(`CREATE TABLE fseq (filename VARCHAR, seq BIGINT)`);
    for (const f of present) await db.run(`INSERT INTO fseq VALUES (${lit(f.local)}, ${f.seq})`);
    const byId = new Map(); if (schema) for (const f of schema.fields) byId.set(f.id, f);
    for (const [i, f] of eqs.entries()) {
      const cols = (f.eqIds || []).map((id) => byId.get(id)).filter(Boolean);
      if (!cols.length) { problem(`equality delete without usable equality_ids: ${f.path}`); continue; }
      await db.run(`CREATE TABLE eq${i} AS SELECT * FROM read_parquet(${lit(f.local)}, schema = ${fieldIdSchemaMap({ fields: cols })})`);
      const on = cols.map((c) => `d."${c.name}" IS NOT DISTINCT FROM e."${c.name}"`).join(' AND ');
      await db.run(`DELETE FROM d WHERE d.filename IN (SELECT filename FROM fseq WHERE seq < ${f.seq}) AND EXISTS (SELECT 1 FROM eq${i} e WHERE ${on})`);
    }
  }
  const cols = schema ? schema.fields.map((f) => `"${f.name.replaceAll('"', '""')}"`) : ['*'];
  const [{ n, h }] = await q(`SELECT count(*)::BIGINT AS n, coalesce(bit_xor(hash(${cols.join(', ')})), 0)::VARCHAR AS h FROM d`);
  liveRows = Number(n); checksum = h;
  if (showRows) report.sample = await q(`SELECT ${cols.join(', ')} FROM d LIMIT ${showRows}`);
}
report.duckdb_rows = liveRows ?? 0;
report.duckdb_checksum = checksum;
if (snap && snap.summary && snap.summary['total-records'] != null && deleteFiles.length === 0 && Number(snap.summary['total-records']) !== (liveRows ?? 0)) problem(`summary total-records ${snap.summary['total-records']} but ${liveRows} rows`);

// icebird: the whole table through a third reader
try {
  const { icebergRead } = await import('icebird');
  const tableUrl = md.location;
  const rows = await icebergRead({ tableUrl, metadataFileName: path.basename(metaPath), metadata: md });
  report.icebird_rows = rows.length;
  if (liveRows != null && rows.length !== liveRows) problem(`icebird reads ${rows.length} rows, DuckDB ${liveRows}`);
} catch (e) {
  report.icebird_error = String(e.message || e).slice(0, 300);
  problem(`icebird failed: ${report.icebird_error}`);
}
report.problems = problems;
console.log(JSON.stringify(report, (k, v) => (typeof v === 'bigint' ? v.toString() : v), 1));
process.exit(problems.length ? 1 : 0);
