// SPDX-License-Identifier: Apache-2.0
// rest_proxy.mjs - an HTTP proxy between a REST catalog client and `icestream serve`
// that validates every exchange against the Iceberg REST OpenAPI document
// (tests/data/iceberg-rest/rest-catalog-open-api.yaml) with ajv, an independent
// JSON-Schema validator, and can lose commit responses on purpose.
//
//   node rest_proxy.mjs UPSTREAM_URL PORT_FILE LOG_FILE [--drop-commits N]
//                       [--hide-idempotency]
//
// It listens on a free loopback port (written to PORT_FILE once ready) and appends
// one JSON line per exchange to LOG_FILE: {method, path, op, status, problems, dropped}.
// problems lists what did not match: no operation for the path and method, a request
// body that is not the operation's schema, a status the operation does not document,
// a response body that is not the documented schema. For commits every update and
// requirement is also checked against the schema its discriminator names.
// --drop-commits N: every Nth successful commit (POST .../tables/{table} answered 200)
// is forwarded and applied, but the client's connection is destroyed instead of
// answered: a lost response. --hide-idempotency removes idempotency-key-lifetime from
// GET /v1/config answers, so clients must resolve lost commits by reloading.

import { createRequire } from 'node:module';
import { readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));
const Ajv2020 = require('ajv/dist/2020').default;
const YAML = require('yaml');

const [upstream, portFile, logFile, ...opts] = process.argv.slice(2);
if (!upstream || !portFile || !logFile) {
  console.error('usage: node rest_proxy.mjs UPSTREAM_URL PORT_FILE LOG_FILE [--drop-commits N] [--hide-idempotency]');
  process.exit(2);
}
const dropEvery = opts.includes('--drop-commits') ? Number(opts[opts.indexOf('--drop-commits') + 1]) : 0;
const hideIdem = opts.includes('--hide-idempotency');
const dataDir = process.env.ICE_TEST_DATA_DIR || join(here, '..', 'data');
const spec = YAML.parse(readFileSync(join(dataDir, 'iceberg-rest', 'rest-catalog-open-api.yaml'), 'utf8'));
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'rest.json', components: spec.components });

// "#/components/x/y" -> the object it names.
const deref = (o) => {
  while (o && o.$ref) o = o.$ref.split('/').slice(1).reduce((a, k) => a[k], spec);
  return o;
};
const schemaOf = (content, type = 'application/json') => content?.[type]?.schema;
// Inline schemas refer to '#/components/...': compiled with the components beside
// them, once each.
const inline = new Map();
const validatorFor = (schema) => {
  if (schema.$ref) return ajv.getSchema(`rest.json${schema.$ref}`);
  if (!inline.has(schema))
    inline.set(schema, ajv.compile({ ...schema, $id: `inline${inline.size}.json`, components: spec.components }));
  return inline.get(schema);
};

// Path templates -> regexes; {prefix} may be absent (icestream serve has none).
const routes = [];
for (const [tmpl, item] of Object.entries(spec.paths)) {
  for (const withPrefix of [false, true]) {
    let t = tmpl;
    if (!withPrefix) t = t.replace('/{prefix}', '');
    else if (!t.includes('{prefix}')) continue;
    const re = new RegExp('^' + t.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    routes.push({ re, tmpl, item, withPrefix });
  }
}
routes.sort((a, b) => Number(a.withPrefix) - Number(b.withPrefix));
const findOp = (method, path) => {
  for (const r of routes) if (r.re.test(path) && r.item[method.toLowerCase()])
    return { tmpl: r.tmpl, op: r.item[method.toLowerCase()] };
  return null;
};

const mapped = (base, key) => (value) => {
  const ref = spec.components.schemas[base].discriminator.mapping[value?.[key]];
  if (!ref) return `no ${base} for ${key} ${JSON.stringify(value?.[key])}`;
  const v = ajv.getSchema(`rest.json${ref}`);
  return v(value) ? null : `${ref}: ${ajv.errorsText(v.errors).slice(0, 300)}`;
};
const asUpdate = mapped('BaseUpdate', 'action');
const asRequirement = mapped('TableRequirement', 'type');

function parseBody(buf, type, problems, what) {
  if (buf.length === 0) return undefined;
  const text = buf.toString('utf8');
  if ((type || '').startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch (e) {
    problems.push(`${what}: not JSON: ${text.slice(0, 100)}`);
    return undefined;
  }
}

function check(method, path, reqBuf, reqType, status, resBuf, resType) {
  const problems = [];
  const found = findOp(method, path);
  if (!found) return { op: null, problems: [`no operation for ${method} ${path}`] };
  const { op } = found;
  const rb = op.requestBody ? deref(op.requestBody) : null;
  const reqBody = parseBody(reqBuf, reqType, problems, 'request');
  if (rb) {
    const type = (reqType || 'application/json').split(';')[0];
    const schema = schemaOf(rb.content, type);
    if (!schema) problems.push(`request content type ${type} not documented`);
    else if (reqBody === undefined) { if (rb.required) problems.push('request body missing'); }
    else {
      const v = validatorFor(schema);
      if (!v(reqBody)) problems.push(`request: ${ajv.errorsText(v.errors).slice(0, 400)}`);
    }
    if (op.operationId === 'updateTable' && reqBody) {
      (reqBody.updates || []).forEach((u, i) => { const w = asUpdate(u); if (w) problems.push(`updates[${i}]: ${w}`); });
      (reqBody.requirements || []).forEach((r, i) => { const w = asRequirement(r); if (w) problems.push(`requirements[${i}]: ${w}`); });
    }
  } else if (reqBody !== undefined) {
    problems.push('request has a body the operation does not take');
  }
  const resp = op.responses[String(status)] ?? op.responses[status] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
  if (!resp) {
    problems.push(`status ${status} not documented for ${op.operationId}`);
  } else {
    const r = deref(resp);
    const schema = schemaOf(r.content);
    const resBody = method === 'HEAD' ? undefined : parseBody(resBuf, resType, problems, 'response');
    if (schema && resBody === undefined && method !== 'HEAD') problems.push(`response ${status}: body missing`);
    if (!schema && resBody !== undefined) problems.push(`response ${status}: unexpected body`);
    if (schema && resBody !== undefined) {
      const v = validatorFor(schema);
      if (!v(resBody)) problems.push(`response ${status}: ${ajv.errorsText(v.errors).slice(0, 400)}`);
    }
  }
  return { op: op.operationId, problems };
}

const up = new URL(upstream);
let commits = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const reqBuf = Buffer.concat(chunks);
    const headers = { ...req.headers, host: up.host };
    delete headers.connection; // one upstream connection per request (agent: false)
    const fwd = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers, agent: false }, (ures) => {
      const rc = [];
      ures.on('data', (c) => rc.push(c));
      ures.on('end', () => {
        let resBuf = Buffer.concat(rc);
        const path = req.url.split('?')[0];
        const v = check(req.method, path, reqBuf, req.headers['content-type'], ures.statusCode, resBuf, ures.headers['content-type']);
        let dropped = false;
        if (v.op === 'updateTable' && ures.statusCode === 200 && dropEvery > 0 && ++commits % dropEvery === 0) dropped = true;
        if (v.op === 'getConfig' && hideIdem && ures.statusCode === 200) {
          const j = JSON.parse(resBuf.toString('utf8'));
          delete j['idempotency-key-lifetime'];
          resBuf = Buffer.from(JSON.stringify(j));
        }
        appendFileSync(logFile, JSON.stringify({ method: req.method, path, op: v.op, status: ures.statusCode, problems: v.problems, dropped }) + '\n');
        if (dropped) { req.socket.destroy(); return; }
        const h = { ...ures.headers };
        delete h['content-length'];
        delete h['transfer-encoding'];
        h['content-length'] = resBuf.length;
        res.writeHead(ures.statusCode, h);
        res.end(resBuf);
      });
    });
    fwd.on('error', (e) => { res.writeHead(502); res.end(); appendFileSync(logFile, JSON.stringify({ method: req.method, path: req.url, op: null, status: 502, problems: [`upstream: ${e.message}`] }) + '\n'); });
    fwd.end(reqBuf);
  });
});
// Idle keep-alive sockets stay open far longer than undici's 4 s reuse window: with a
// 5 s timeout a client on a loaded machine reused a socket the proxy was closing and
// failed with "other side closed". Upstream requests use fresh connections (agent:
// false) so serve's idle timeout cannot race a reuse either.
server.keepAliveTimeout = 120000;
server.headersTimeout = 121000;
server.listen(0, '127.0.0.1', () => writeFileSync(portFile, String(server.address().port)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
