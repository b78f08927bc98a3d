// Independent check of a partitioned table's partition values, with code nobody on the
// project wrote for the C side: for every live data file of a snapshot, DuckDB reads the
// file (columns matched by Iceberg field id), this script recomputes each partition field
// from the source values (its own Murmur3 and transforms, from the Iceberg spec) and
// compares every row's tuple with the manifest entry's `partition`; the manifest list's
// partition field summaries must bound every file's values (contains_null when one is
// null). A table may have several specs (partition evolution): each manifest is checked
// against the spec its manifest-list entry names, which its own Avro header
// (partition-spec-id, partition-spec) must agree with, and the report counts live data
// files (files_by_spec) and data manifests (manifests_by_spec) per spec id. --self-test
// proves the check fails on a wrong tuple, a wrong bucket hash and a header that names
// another spec.
// usage: node check_partitions.mjs METADATA_JSON [--map PREFIX=LOCALDIR]... [--snapshot ID]
// Prints a JSON report; exit 0 when no problem was found, 1 otherwise.
import fs from 'node:fs';
import avro from 'avsc';
import { DuckDBInstance } from '@duckdb/node-api';
import { localResolver } from './lib_local_fetch.mjs';
import { bigLongParseHook } from './lib_avro_long.mjs';
import { fieldIdSchemaMap } from './lib_duck_type.mjs';
import { applyTransform, boundCanon, bucketBytes, compareCanon, fromAvro, fromDuck, humanText, keyText, murmur3, resultType, sourceSql, urlEncode } from './lib_partition.mjs';

// What is wrong with a manifest's header for the spec its list entry names; null: nothing.
function headerProblem(header, spec) {
  if (header['partition-spec-id'] !== String(spec['spec-id'])) return `header partition-spec-id ${header['partition-spec-id']}, the manifest list says ${spec['spec-id']}`;
  let fields;
  try { fields = JSON.parse(header['partition-spec'] ?? 'null'); } catch { return 'header partition-spec is not JSON'; }
  if (!Array.isArray(fields)) return 'header has no partition-spec';
  const canon = (fs) => JSON.stringify(fs.map((f) => [f.name, f.transform, f['source-id'], f['field-id']]));
  if (canon(fields) !== canon(spec.fields)) return `header partition-spec ${header['partition-spec']} differs from spec ${spec['spec-id']}`;
  return null;
}

function selfTest() {
  const fails = [];
  const expect = (what, got, want) => { if (String(got) !== String(want)) fails.push(`${what}: ${got} != ${want}`); };
  // Spec vectors (Appendix B) and bucket results.
  expect('murmur3 int 34', murmur3(bucketBytes('int', 34n)), 2017239379);
  expect('murmur3 iceberg', murmur3(bucketBytes('string', 'iceberg')), 1210000089);
  expect('murmur3 decimal 14.20', murmur3(bucketBytes('decimal(9,2)', 1420n)), -500754589);
  expect('murmur3 date', murmur3(bucketBytes('date', 17486n)), -653330422);
  expect('murmur3 bytes', murmur3(Buffer.from([0, 1, 2, 3])), -188683207);
  expect('bucket[100] 34', applyTransform('bucket[100]', 'long', 34n), 79n);
  expect('bucket[16] -1.28', applyTransform('bucket[16]', 'decimal(5,2)', -128n), 13n);
  expect('truncate[10] -1', applyTransform('truncate[10]', 'int', -1n), -10n);
  expect('day -1us', applyTransform('day', 'timestamptz', -1n), -1n);
  expect('month -1us', applyTransform('month', 'timestamptz', -1n), -1n);
  expect('year 2017', applyTransform('year', 'date', 17486n), 47n);
  // A manifest header must name the spec of its list entry, field by field.
  const spec0 = { 'spec-id': 0, fields: [{ name: 'k', transform: 'identity', 'source-id': 2, 'field-id': 1000 }] };
  const spec1 = { 'spec-id': 1, fields: [{ name: 'id_bucket', transform: 'bucket[4]', 'source-id': 1, 'field-id': 1001 }] };
  expect('header of its spec', headerProblem({ 'partition-spec-id': '1', 'partition-spec': JSON.stringify(spec1.fields) }, spec1), null);
  if (headerProblem({ 'partition-spec-id': '0', 'partition-spec': JSON.stringify(spec0.fields) }, spec1) === null) fails.push('a header of another spec id passed');
  if (headerProblem({ 'partition-spec-id': '1', 'partition-spec': JSON.stringify(spec0.fields) }, spec1) === null) fails.push('a header with another spec\'s fields passed');
  // The check must notice a wrong tuple.
  if (keyText('int', applyTransform('bucket[100]', 'long', 34n)) === keyText('int', 78n)) fails.push('a wrong bucket compares equal');
  return fails;
}

const args = process.argv.slice(2);
if (args[0] === '--self-test') {
  const fails = selfTest();
  console.log(JSON.stringify({ self_test: fails.length ? 'failed' : 'ok', fails }, null, 1));
  process.exit(fails.length ? 1 : 0);
}
const maps = [];
let metaPath = null, snapshotArg = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--map') { const [a, b] = args[++i].split('='); maps.push([a, b]); }
  else if (args[i] === '--snapshot') snapshotArg = args[++i];
  else metaPath = args[i];
}
if (!metaPath) { console.error('usage: check_partitions.mjs METADATA_JSON [--map PREFIX=DIR]... [--snapshot ID]'); process.exit(2); }
const local = localResolver(maps);
const problems = [];
const problem = (m) => { if (problems.length < 50) problems.push(m); };
// Records of an Avro file; `header` (if given) gets its metadata as strings.
const readAvro = (p, header) => new Promise((resolve, reject) => {
  const records = [];
  avro.createFileDecoder(local(p), { parseHook: bigLongParseHook })
    .on('metadata', (type, codec, h) => {
      if (header) for (const [k, v] of Object.entries(h.meta)) header[k] = v.toString();
    })
    .on('data', (r) => records.push(r)).on('error', reject).on('end', () => resolve(records));
});

const md = JSON.parse(fs.readFileSync(metaPath, 'utf8'));
const schema = md.schemas.find((s) => s['schema-id'] === md['current-schema-id']);
// field id -> {path: quoted DuckDB column path, type}
const byId = new Map();
const walk = (fields, pre) => {
  for (const f of fields) {
    const path = `${pre}"${f.name.replaceAll('"', '""')}"`;
    if (typeof f.type === 'object') { if (f.type.type === 'struct') walk(f.type.fields, path + '.'); }
    else byId.set(f.id, { path, type: f.type });
  }
};
walk(schema.fields, '');
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
const schemaMap = fieldIdSchemaMap(schema);

const snapId = snapshotArg ?? md['current-snapshot-id'];
const snap = (md.snapshots || []).find((s) => String(s['snapshot-id']) === String(snapId));
const report = { metadata: metaPath, manifest_list: snap ? snap['manifest-list'] : null, files: 0, rows: 0, partitioned_files: 0, paths_checked: 0, files_by_spec: {}, manifests_by_spec: {} };
const db = await (await DuckDBInstance.create(':memory:')).connect();
if (!snap) problem('no such snapshot');
for (const m of snap ? await readAvro(snap['manifest-list']) : []) {
  if ((m.content ?? 0) !== 0) continue; // delete manifests: their tuples are checked with their data
  const spec = md['partition-specs'].find((s) => s['spec-id'] === m.partition_spec_id);
  if (!spec) { problem(`manifest ${m.manifest_path}: spec ${m.partition_spec_id} not in the metadata`); continue; }
  const fields = spec.fields.map((f) => {
    const src = byId.get(f['source-id']);
    if (!src) problem(`spec ${spec['spec-id']} field ${f.name}: source ${f['source-id']} not a primitive of the current schema`);
    return { ...f, src, result: src ? resultType(f.transform, src.type) : null };
  });
  const summaries = m.partitions || [];
  if (summaries.length !== fields.length) problem(`manifest list entry ${m.manifest_path}: ${summaries.length} partition summaries for ${fields.length} fields`);
  report.manifests_by_spec[spec['spec-id']] = (report.manifests_by_spec[spec['spec-id']] ?? 0) + 1;
  const header = {};
  const entries = await readAvro(m.manifest_path, header);
  const hp = headerProblem(header, spec);
  if (hp) problem(`manifest ${m.manifest_path}: ${hp}`);
  for (const e of entries) {
    if (e.status === 2) continue;
    const df = e.data_file;
    report.files++;
    report.files_by_spec[spec['spec-id']] = (report.files_by_spec[spec['spec-id']] ?? 0) + 1;
    if (fields.length) report.partitioned_files++;
    const tuple = fields.map((f) => fromAvro(f.result, df.partition ? df.partition[f.name] : undefined));
    // the manifest list summaries bound this file's values
    fields.forEach((f, i) => {
      const s = summaries[i];
      if (!s || !f.src) return;
      if (tuple[i] == null) { if (!s.contains_null) problem(`${df.file_path}: ${f.name} is null but contains_null is false`); return; }
      if (s.lower_bound != null && compareCanon(f.result, boundCanon(f.result, s.lower_bound), tuple[i]) > 0) problem(`${df.file_path}: ${f.name}=${keyText(f.result, tuple[i])} below the manifest's lower bound`);
      if (s.upper_bound != null && compareCanon(f.result, boundCanon(f.result, s.upper_bound), tuple[i]) < 0) problem(`${df.file_path}: ${f.name}=${keyText(f.result, tuple[i])} above the manifest's upper bound`);
      if (s.lower_bound == null || s.upper_bound == null) problem(`${df.file_path}: ${f.name} has a value but the summary has no bounds`);
    });
    if (!fields.length || fields.some((f) => !f.src)) continue;
    // The file lies in the Hive-style folder of its tuple (name=value per field, as Java
    // and Spark write them), when every value has a human form checked here.
    const human = fields.map((f, i) => humanText(f.transform, f.result, tuple[i]));
    if (human.every((h) => h !== undefined)) {
      const folder = '/' + fields.map((f, i) => `${urlEncode(f.name)}=${urlEncode(human[i])}`).join('/') + '/';
      const dir = df.file_path.slice(0, df.file_path.lastIndexOf('/') + 1);
      if (!dir.endsWith(folder)) problem(`${df.file_path}: not in the folder of its partition ${folder}`);
      report.paths_checked++;
    }
    const want = tuple.map((v, i) => keyText(fields[i].result, v)).join('/');
    const sel = fields.map((f, i) => `${sourceSql(f.src.path, f.src.type)} AS s${i}`).join(', ');
    let rows;
    try {
      rows = (await db.runAndReadAll(`SELECT ${sel} FROM read_parquet(${lit(local(df.file_path))}, schema = ${schemaMap})`)).getRowObjects();
    } catch (err) { problem(`${df.file_path}: DuckDB: ${err.message}`); continue; }
    rows.forEach((r, n) => {
      report.rows++;
      const got = fields.map((f, i) => {
        const v = fromDuck(f.src.type, r[`s${i}`]);
        return keyText(f.result, v == null ? null : applyTransform(f.transform, f.src.type, v));
      }).join('/');
      if (got !== want) problem(`${df.file_path} row ${n}: partition ${got}, manifest says ${want}`);
    });
  }
}
report.problems = problems;
console.log(JSON.stringify(report, null, 1));
process.exit(problems.length ? 1 : 0);
