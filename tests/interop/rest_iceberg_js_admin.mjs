// SPDX-License-Identifier: Apache-2.0
// rest_iceberg_js_admin.mjs - iceberg-js (a REST client we did not write) drives the
// namespace, rename and purge endpoints of a REST catalog (icestream serve, usually
// through rest_proxy.mjs):
//
//   node rest_iceberg_js_admin.mjs BASE_URL PURGE_TABLE REFUSED_TABLE
//
// namespace "adm" created with properties -> properties updated and removed (updated /
// removed / missing checked) -> tables created and renamed (exists checks, 404 and 409
// refusals) -> a non-empty namespace refuses its drop (409) -> PURGE_TABLE ("ns.name")
// dropped with purgeRequested=true -> REFUSED_TABLE's purge must fail with 403 and keep
// the table -> the tables and the namespace dropped. Prints "ok"; exit 1 on the first
// failed check.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));
const { IcebergRestCatalog, IcebergError } = await import(require.resolve('iceberg-js'));

const [baseUrl, purgeTable, refusedTable] = process.argv.slice(2);
if (!refusedTable) {
  console.error('usage: node rest_iceberg_js_admin.mjs BASE_URL PURGE_TABLE REFUSED_TABLE');
  process.exit(2);
}
const fail = (m) => {
  console.error(`FAIL: ${m}`);
  process.exit(1);
};
const idOf = (full) => {
  const parts = full.split('.');
  return { namespace: parts.slice(0, -1), name: parts[parts.length - 1] };
};
const expectStatus = async (what, status, fn) => {
  try {
    await fn();
  } catch (e) {
    if (e instanceof IcebergError && e.status === status) return;
    fail(`${what}: ${e}`);
  }
  fail(`${what}: succeeded, expected ${status}`);
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const cat = new IcebergRestCatalog({ baseUrl, auth: { type: 'none' } });

const ns = { namespace: ['adm'] };
await cat.createNamespace(ns, { properties: { owner: 'js', tier: '1' } });
let meta = await cat.loadNamespaceMetadata(ns);
if (!same(meta.properties, { owner: 'js', tier: '1' })) fail(`created properties ${JSON.stringify(meta)}`);
const upd = await cat.updateNamespaceProperties(ns, {
  removals: ['tier', 'nothere'],
  updates: { owner: 'ops', added: 'x' },
});
if (!same([...upd.updated].sort(), ['added', 'owner']) || !same(upd.removed, ['tier']) ||
    !same(upd.missing, ['nothere']))
  fail(`update answer ${JSON.stringify(upd)}`);
meta = await cat.loadNamespaceMetadata(ns);
if (!same(meta.properties, { added: 'x', owner: 'ops' })) fail(`updated properties ${JSON.stringify(meta)}`);

const schema = { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', type: 'long', required: false }] };
const t = { namespace: ['adm'], name: 't' };
const t2 = { namespace: ['adm'], name: 't2' };
const t3 = { namespace: ['adm'], name: 't3' };
const made = await cat.createTable(ns, { name: 't', schema });
await cat.renameTable({ source: t, destination: t2 });
if (await cat.tableExists(t)) fail('adm.t exists after its rename');
if (!(await cat.tableExists(t2))) fail('adm.t2 does not exist after the rename');
if ((await cat.loadTable(t2))['table-uuid'] !== made['table-uuid']) fail('adm.t2 is another table');
await cat.createTable(ns, { name: 't3', schema });
await expectStatus('rename onto an existing table', 409, () => cat.renameTable({ source: t3, destination: t2 }));
await expectStatus('rename of a missing table', 404, () => cat.renameTable({ source: t, destination: t3 }));
await expectStatus('rename into a missing namespace', 404,
  () => cat.renameTable({ source: t3, destination: { namespace: ['nope'], name: 'x' } }));
await expectStatus('drop of a non-empty namespace', 409, () => cat.dropNamespace(ns));

await cat.dropTable(idOf(purgeTable), { purge: true });
if (await cat.tableExists(idOf(purgeTable))) fail(`${purgeTable} exists after its purge`);
await expectStatus('a refused purge', 403, () => cat.dropTable(idOf(refusedTable), { purge: true }));
if (!(await cat.tableExists(idOf(refusedTable)))) fail(`${refusedTable} was dropped by a refused purge`);

await cat.dropTable(t2);
await cat.dropTable(t3);
await cat.dropNamespace(ns);
if (await cat.namespaceExists(ns)) fail('adm exists after its drop');
console.log('ok');
