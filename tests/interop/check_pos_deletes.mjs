// check_pos_deletes.mjs - position delete files as readers we did not write see them:
//
//   node check_pos_deletes.mjs --files LIST --expect EXPECTED_JSONL
//
// LIST holds one delete file path per line, the file of commit N on line N;
// EXPECTED_JSONL one {"commit":N,"file_path":...,"pos":...} per row, in file order.
// For each file:
//   1. hyparquet's footer: exactly two columns, file_path (BYTE_ARRAY, STRING, REQUIRED,
//      field_id 2147483546) and pos (INT64, REQUIRED, field_id 2147483545), an
//      "iceberg.schema" key holding that two-field schema and "delete-type" position;
//   2. DuckDB's parquet_schema gives the same field ids;
//   3. hyparquet and DuckDB read the rows: exactly the expected ones, in that order
//      (sorted by file_path, then pos, as the spec requires).
// Exit 0 when all hold.
import { readFileSync } from 'node:fs';
const { parquetMetadata, parquetReadObjects } = await import('hyparquet');
const { compressors } = await import('hyparquet-compressors');
const { DuckDBInstance } = await import('@duckdb/node-api');

const args = process.argv.slice(2);
let list = null, expectPath = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--files') list = args[++i];
  else if (args[i] === '--expect') expectPath = args[++i];
}
if (!list || !expectPath) {
  console.error('usage: node check_pos_deletes.mjs --files LIST --expect EXPECTED_JSONL');
  process.exit(2);
}
let failures = 0;
const fail = (m) => { failures++; console.error(`check_pos_deletes: FAIL: ${m}`); };

const files = readFileSync(list, 'utf8').split('\n').filter((l) => l.length > 0);
const expected = readFileSync(expectPath, 'utf8').split('\n').filter((l) => l.length > 0)
  .map((l) => JSON.parse(l));
if (files.length === 0) fail('no delete files listed');
const db = await (await DuckDBInstance.create(':memory:')).connect();
const q = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson();
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
const local = (p) => p.replace(/^file:/, '');
const want = [
  { name: 'file_path', type: 'BYTE_ARRAY', id: 2147483546, json: 'string' },
  { name: 'pos', type: 'INT64', id: 2147483545, json: 'long' },
];

function checkFooter(label, md) {
  const leaves = md.schema.slice(1);
  if (md.schema[0].num_children !== 2 || leaves.length !== 2) {
    fail(`${label}: ${leaves.length} columns, expected 2`);
    return;
  }
  for (const [i, w] of want.entries()) {
    const e = leaves[i];
    if (e.name !== w.name) fail(`${label}: column ${i} is ${e.name}, expected ${w.name}`);
    if (e.type !== w.type) fail(`${label}: ${w.name} has type ${e.type}, expected ${w.type}`);
    if (e.repetition_type !== 'REQUIRED') fail(`${label}: ${w.name} is ${e.repetition_type}, not REQUIRED`);
    if (e.field_id !== w.id) fail(`${label}: ${w.name} has field_id ${e.field_id}, expected ${w.id}`);
  }
  if (leaves[0].converted_type !== 'UTF8' && leaves[0].logical_type?.type !== 'STRING')
    fail(`${label}: file_path is not annotated as a string`);
  const dt = (md.key_value_metadata ?? []).find((k) => k.key === 'delete-type');
  if (dt?.value !== 'position') fail(`${label}: footer delete-type is ${dt?.value}, Java writes position`);
  const kv = (md.key_value_metadata ?? []).find((k) => k.key === 'iceberg.schema');
  if (!kv) { fail(`${label}: no iceberg.schema in the footer`); return; }
  const s = JSON.parse(kv.value); // the ids are below 2^53: exact as numbers
  if (s.type !== 'struct' || !Array.isArray(s.fields) || s.fields.length !== 2) {
    fail(`${label}: iceberg.schema is not a two-field struct: ${kv.value}`);
    return;
  }
  for (const [i, w] of want.entries()) {
    const f = s.fields[i];
    if (f.name !== w.name || f.id !== w.id || f.type !== w.json || f.required !== true)
      fail(`${label}: iceberg.schema field ${i} is ${JSON.stringify(f)}`);
  }
}

const rowText = (path, pos) => `${path}\t${pos}`;
for (const [i, file] of files.entries()) {
  const label = `delete file of commit ${i + 1} (${file})`;
  const rows = expected.filter((r) => r.commit === i + 1).map((r) => rowText(r.file_path, r.pos));
  if (rows.length === 0) fail(`${label}: no expected rows`);
  const buf = readFileSync(local(file));
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  checkFooter(label, parquetMetadata(ab));
  const ids = await q(`SELECT name, field_id::VARCHAR AS id FROM parquet_schema(${lit(local(file))})
                       WHERE field_id IS NOT NULL ORDER BY name`);
  const idText = ids.map((r) => `${r.name}=${r.id}`).join(',');
  if (idText !== 'file_path=2147483546,pos=2147483545') fail(`${label}: DuckDB sees field ids ${idText}`);
  const hy = (await parquetReadObjects({ file: ab, compressors })).map((r) => rowText(r.file_path, r.pos));
  const dk = (await q(`SELECT file_path, pos::VARCHAR AS pos FROM read_parquet(${lit(local(file))})`))
    .map((r) => rowText(r.file_path, r.pos));
  for (const [reader, got] of [['hyparquet', hy], ['DuckDB', dk]]) {
    if (got.length !== rows.length) { fail(`${label}: ${reader} reads ${got.length} rows, expected ${rows.length}`); continue; }
    const k = got.findIndex((r, j) => r !== rows[j]);
    if (k >= 0) fail(`${label}: ${reader} row ${k} is ${got[k]}, expected ${rows[k]}`);
  }
}
if (failures > 0) process.exit(1);
console.log(`check_pos_deletes: ${files.length} delete files agree`);
