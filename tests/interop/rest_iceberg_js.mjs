// SPDX-License-Identifier: Apache-2.0
// rest_iceberg_js.mjs - iceberg-js (an Iceberg REST client we did not write) drives a
// REST catalog (icestream serve, usually through rest_proxy.mjs):
//
//   node rest_iceberg_js.mjs BASE_URL SRC_NS SRC_TABLE [TOKEN]
//
// config -> create namespace "js" -> create table js.t (the schema of SRC, a table
// icestream loaded with one append) -> load it -> commit icestream's append (SRC's
// snapshot: add-snapshot + set-snapshot-ref, guarded by assert-table-uuid and
// assert-ref-snapshot-id main = null) -> load again and check the snapshot is current
// -> a commit with an unknown update must fail with 400 and change nothing -> a
// stale commit must fail with 409. It prints one JSON line
// {"metadata_location": ..., "snapshot_id": ...} of js.t before dropping it,
// then "dropped" once tableExists says it is gone (REST_JS_CHECK: see below). Exit 1 on the first failed check.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));
const { IcebergRestCatalog, IcebergError, getCurrentSchema } = await import(require.resolve('iceberg-js'));

const [baseUrl, srcNs, srcName, token] = process.argv.slice(2);
if (!srcName) {
  console.error('usage: node rest_iceberg_js.mjs BASE_URL SRC_NS SRC_TABLE [TOKEN]');
  process.exit(2);
}
const fail = (m) => {
  console.error(`FAIL: ${m}`);
  process.exit(1);
};
const cat = new IcebergRestCatalog({ baseUrl, auth: token ? { type: 'bearer', token } : { type: 'none' } });

const config = await cat.loadConfig();
if (!config || typeof config !== 'object') fail('config: no object');

const ns = { namespace: ['js'] };
await cat.createNamespace(ns);
if (!(await cat.namespaceExists(ns))) fail('namespace js does not exist after create');
const listed = await cat.listNamespaces();
const nsList = (listed.namespaces || listed).map((n) => (n.namespace || n).join('.'));
if (!nsList.includes('js')) fail(`listNamespaces lacks js: ${JSON.stringify(listed)}`);
try {
  await cat.createNamespace(ns);
  fail('creating js twice succeeded');
} catch (e) {
  if (!(e instanceof IcebergError) || e.status !== 409) fail(`second create: ${e}`);
}

const src = await cat.loadTable({ namespace: [srcNs], name: srcName });
const snap = src.snapshots.find((s) => String(s['snapshot-id']) === String(src['current-snapshot-id']));
if (!snap) fail('source table has no current snapshot');
if (src.snapshots.length !== 1) fail('source table must hold exactly one append');
const schema = getCurrentSchema ? getCurrentSchema(src) : src.schemas.find((s) => s['schema-id'] === src['current-schema-id']);

const id = { namespace: ['js'], name: 't' };
const created = await cat.createTable(ns, { name: 't', schema });
if (!created['table-uuid']) fail('createTable returned no table-uuid');
if (!(await cat.tableExists(id))) fail('js.t does not exist after create');
const loaded = await cat.loadTable(id);
if (loaded['table-uuid'] !== created['table-uuid']) fail('loadTable returned another table');
if (loaded['current-snapshot-id'] != null && loaded['current-snapshot-id'] !== -1) fail('new table has a snapshot');

const tables = await cat.listTables(ns);
const tList = (tables.identifiers || tables).map((t) => t.name);
if (!tList.includes('t')) fail(`listTables lacks t: ${JSON.stringify(tables)}`);

// icestream's append, committed by iceberg-js to the table iceberg-js made.
const add = { ...snap, 'sequence-number': 1 };
delete add['parent-snapshot-id'];
const guard = [
  { type: 'assert-table-uuid', uuid: created['table-uuid'] },
  { type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': null },
];
const updates = [
  { action: 'add-snapshot', snapshot: add },
  { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': snap['snapshot-id'] },
];
try {
  await cat.commitTable(id, { requirements: guard, updates: [{ action: 'frobnicate' }] });
  fail('a commit with an unknown update succeeded');
} catch (e) {
  if (!(e instanceof IcebergError) || e.status !== 400) fail(`unknown update: ${e}`);
}
const res = await cat.commitTable(id, { requirements: guard, updates });
if (!res['metadata-location']) fail('commit response has no metadata-location');
try {
  await cat.commitTable(id, { requirements: guard, updates });
  fail('a stale commit succeeded');
} catch (e) {
  if (!(e instanceof IcebergError) || e.status !== 409) fail(`stale commit: ${e}`);
}
const after = await cat.loadTableResult(id);
const md = after.metadata;
if (String(md['current-snapshot-id']) !== String(snap['snapshot-id'])) fail('the committed snapshot is not current');
if (md.snapshots.length !== 1) fail(`js.t has ${md.snapshots.length} snapshots, expected 1`);
console.log(JSON.stringify({ metadata_location: after['metadata-location'], snapshot_id: String(snap['snapshot-id']) }));
// REST_JS_CHECK: a command that must succeed on the table before it is dropped (its
// metadata file location as last argument), e.g. the DuckDB/icebird readers.
if (process.env.REST_JS_CHECK) {
  const r = spawnSync('bash', ['-c', `${process.env.REST_JS_CHECK} "$0"`, after['metadata-location']], { stdio: 'inherit' });
  if (r.status !== 0) fail('REST_JS_CHECK failed on js.t');
}
await cat.dropTable(id);
if (await cat.tableExists(id)) fail('js.t exists after drop');
console.log('dropped');
