// SPDX-License-Identifier: Apache-2.0
// check_rest_commit.mjs - validates the CommitTableRequest JSON that icestream's unit test
// tests/unit/test_iceberg_updates_rest.c writes (a create, an append, a replace and an
// evolution using every update action and requirement type) against the Iceberg REST
// OpenAPI schemas (tests/data/iceberg-rest/rest-catalog-open-api.yaml) with ajv, an
// independent JSON-Schema validator.
//
//   mkdir -p /tmp/rest-interop
//   ICE_REST_INTEROP_DIR=/tmp/rest-interop build-x/test_iceberg_updates_rest
//   node tests/interop/check_rest_commit.mjs /tmp/rest-interop
//
// Every file must be a valid CommitTableRequest, each update a TableUpdate and each
// requirement a TableRequirement; every action / type of icestream's vocabulary must
// appear. Broken copies (a member dropped, a wrong type) must be rejected, so a
// validator that accepts anything fails the check. Exit status 0 when all hold.

import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));
const Ajv2020 = require('ajv/dist/2020').default;
const YAML = require('yaml');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node check_rest_commit.mjs DIR (from test_iceberg_updates_rest)');
  process.exit(2);
}
const dataDir = process.env.ICE_TEST_DATA_DIR || join(here, '..', 'data');
const spec = YAML.parse(readFileSync(join(dataDir, 'iceberg-rest', 'rest-catalog-open-api.yaml'), 'utf8'));

// OpenAPI 3.1 schemas are JSON Schema 2020-12 plus annotations (discriminator, example,
// readOnly) and the 3.0 `nullable`, which ajv implements; formats such as int64 are
// not checked.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'rest.json', components: spec.components });
const validator = (name) => ajv.getSchema(`rest.json#/components/schemas/${name}`);
const commitRequest = validator('CommitTableRequest');
const tableUpdate = validator('TableUpdate');
// TableRequirement alone only requires "type": its members are chosen through the
// discriminator mapping, which a JSON-Schema validator does not apply without a oneOf.
// So every update and requirement is also checked against the schema its mapping names.
const mapped = (base, key) => (value) => {
  const ref = spec.components.schemas[base].discriminator.mapping[value?.[key]];
  if (!ref) return { ok: false, why: `no ${base} for ${key} ${JSON.stringify(value?.[key])}` };
  const v = ajv.getSchema(`rest.json${ref}`);
  return v(value) ? { ok: true } : { ok: false, why: `${ref}: ${ajv.errorsText(v.errors)}` };
};
const asUpdate = mapped('BaseUpdate', 'action');
const asRequirement = mapped('TableRequirement', 'type');
const problems = [];

// The problems of one request body (empty when valid).
const short = (errors) => ajv.errorsText(errors).slice(0, 300);
function validate(what, body) {
  const out = [];
  if (!commitRequest(body))
    out.push(`${what}: not a valid CommitTableRequest: ${short(commitRequest.errors)}`);
  (body.updates || []).forEach((u, i) => {
    if (!tableUpdate(u))
      out.push(`${what} updates[${i}]: not a TableUpdate: ${short(tableUpdate.errors)}`);
    const m = asUpdate(u);
    if (!m.ok) out.push(`${what} updates[${i}]: ${m.why}`);
  });
  (body.requirements || []).forEach((r, i) => {
    const m = asRequirement(r);
    if (!m.ok) out.push(`${what} requirements[${i}]: ${m.why}`);
  });
  return out;
}

const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const want = ['append.json', 'create.json', 'evolve.json', 'replace.json'];
for (const f of want) if (!files.includes(f)) problems.push(`${f}: missing from ${dir}`);

const actions = new Set();
const types = new Set();
for (const f of files) {
  const body = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  problems.push(...validate(f, body));
  for (const u of body.updates || []) actions.add(u.action);
  for (const r of body.requirements || []) types.add(r.type);
}

const allActions = ['assign-uuid', 'upgrade-format-version', 'add-schema', 'set-current-schema',
  'add-spec', 'set-default-spec', 'add-sort-order', 'set-default-sort-order', 'add-snapshot',
  'set-snapshot-ref', 'remove-snapshots', 'remove-snapshot-ref', 'set-location',
  'set-properties', 'remove-properties'];
const allTypes = ['assert-create', 'assert-table-uuid', 'assert-ref-snapshot-id',
  'assert-last-assigned-field-id', 'assert-current-schema-id',
  'assert-last-assigned-partition-id', 'assert-default-spec-id',
  'assert-default-sort-order-id'];
for (const a of allActions) if (!actions.has(a)) problems.push(`no update with action ${a}`);
for (const t of allTypes) if (!types.has(t)) problems.push(`no requirement of type ${t}`);

// Negative controls: each broken copy must be refused.
if (files.includes('append.json')) {
  const good = JSON.parse(readFileSync(join(dir, 'append.json'), 'utf8'));
  const broken = [
    ['no updates member', (b) => { delete b.updates; }],
    ['add-snapshot without manifest-list', (b) => { delete b.updates[0].snapshot['manifest-list']; }],
    ['snapshot-id as a string', (b) => { b.updates[0].snapshot['snapshot-id'] = 'x'; }],
    ['set-snapshot-ref without type', (b) => { delete b.updates[1].type; }],
    ['unknown update action', (b) => { b.updates[1].action = 'set-snapshot-reff'; }],
    ['assert-table-uuid without uuid', (b) => { delete b.requirements[0].uuid; }],
    ['assert-ref-snapshot-id without snapshot-id', (b) => { delete b.requirements[1]['snapshot-id']; }],
    ['unknown requirement type', (b) => { b.requirements[0].type = 'assert-uuid'; }],
    ['remove-snapshots with a string id', (b) => {
      b.updates.push({ action: 'remove-snapshots', 'snapshot-ids': ['1'] });
    }],
  ];
  for (const [what, mutate] of broken) {
    const b = structuredClone(good);
    mutate(b);
    if (validate(what, b).length === 0) problems.push(`negative control accepted: ${what}`);
  }
}

for (const p of problems) console.error(`check_rest_commit: ${p}`);
if (problems.length) process.exit(1);
console.log(`check_rest_commit: ${files.length} commit requests valid against the REST OpenAPI schemas`);
