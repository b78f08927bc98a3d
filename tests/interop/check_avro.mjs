// SPDX-License-Identifier: Apache-2.0
// check_avro.mjs - decodes the Avro object container files that icestream's unit test
// tests/unit/test_avro_ocf.c writes, with avsc (an independent Avro implementation),
// and checks the header metadata and every record against the same deterministic rows.
//
//   mkdir -p /tmp/avro-interop
//   ICE_AVRO_INTEROP_DIR=/tmp/avro-interop build-x/test_avro_ocf
//   node tests/interop/check_avro.mjs /tmp/avro-interop
//
// Exit status 0 when every file matches; 1 otherwise (each problem printed).

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));
const avro = require('avsc');
const fzstd = require('fzstd');
const { snappyUncompress } = await import(pathToFileURL(require.resolve('hyparquet')).href);

// Avro's snappy codec: a raw snappy block, then the big-endian CRC32 of the output.
function avroSnappy(buf, cb) {
  try {
    const body = buf.subarray(0, buf.length - 4);
    let len = 0, shift = 0, pos = 0, b;
    do { // snappy's preamble: the uncompressed length as a varint
      b = body[pos++];
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    const out = new Uint8Array(len);
    snappyUncompress(body, out);
    if (zlib.crc32(out) !== buf.readUInt32BE(buf.length - 4)) throw new Error('snappy crc32 mismatch');
    cb(null, Buffer.from(out));
  } catch (e) {
    cb(e);
  }
}
const avroZstd = (buf, cb) => {
  try {
    cb(null, Buffer.from(fzstd.decompress(buf)));
  } catch (e) {
    cb(e);
  }
};

const dir = process.argv[2] || process.env.ICE_AVRO_INTEROP_DIR;
if (!dir) {
  console.error('usage: node check_avro.mjs DIR (the ICE_AVRO_INTEROP_DIR of test_avro_ocf)');
  process.exit(2);
}

// Longs as BigInt, so 64-bit values are compared exactly.
const longType = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(n));
    return b;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
});

// Files written by test_write_interop_files: name -> [rows, codec].
const expected = {
  'rows_null.avro': [1000, 'null'],
  'rows_deflate.avro': [3000, 'deflate'],
  'rows_one_block.avro': [10, 'deflate'],
  'rows_empty.avro': [0, 'null'],
  'rows_snappy.avro': [1000, 'snappy'],
  'rows_zstd.avro': [1000, 'zstandard'],
};

// Row i, as make_row() in test_avro_ocf.c builds it.
function expectedRow(i) {
  const bi = BigInt(i);
  const raw = Buffer.alloc(i % 5, i & 0xff);
  const fx = Buffer.alloc(4);
  fx.writeUInt32BE(i >>> 0);
  return {
    id: bi * 1000003n - 500000000000n,
    name: `row-${i}`,
    flag: i % 2 === 0,
    small: (i % 1000) - 500,
    ratio: i % 3 === 0 ? null : i * 0.5,
    f: Math.fround(i + 0.25),
    raw,
    suit: ['S', 'H', 'D'][i % 3],
    fx,
    tags: Array.from({ length: i % 4 }, (_, t) => `t${t}`),
    attrs: { k: bi },
    nothing: null,
  };
}

function same(a, b) {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) {
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, k) => same(x, b[k]));
  }
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object') return false;
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => same(a[k], b[k]));
  }
  return a === b;
}

const show = (v) => JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? `${x}n` : x));

let problems = 0;
const fail = (file, msg) => {
  problems++;
  console.error(`FAIL ${file}: ${msg}`);
};

function checkFile(name, [rows, codec]) {
  const path = join(dir, name);
  if (!existsSync(path)) {
    fail(name, 'missing (run test_avro_ocf with ICE_AVRO_INTEROP_DIR set)');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let n = 0;
    const decoder = avro.createFileDecoder(path, {
      parseHook: (schema) => avro.Type.forSchema(schema, { registry: { long: longType } }),
      codecs: {
        deflate: zlib.inflateRaw,
        null: (buf, cb) => cb(null, buf),
        snappy: avroSnappy,
        zstandard: avroZstd,
      },
    });
    decoder.on('metadata', (type, fileCodec, header) => {
      const meta = header.meta;
      const text = (k) => (meta[k] ? meta[k].toString('utf8') : undefined);
      if (fileCodec !== codec) fail(name, `codec ${fileCodec}, expected ${codec}`);
      if (text('schema') !== '{"type":"struct"}') fail(name, `schema meta ${text('schema')}`);
      if (text('format-version') !== '2') fail(name, `format-version ${text('format-version')}`);
      if (text('content') !== 'data') fail(name, `content ${text('content')}`);
      // user keys come first, in the order given, then avro.schema and avro.codec
      const keys = Object.keys(meta).join(',');
      if (keys !== 'schema,format-version,content,avro.schema,avro.codec') {
        fail(name, `header key order ${keys}`);
      }
      const schema = JSON.parse(text('avro.schema'));
      if (schema.name !== 'row' && schema.name !== 'ice.test.row') fail(name, `record name ${schema.name}`);
      const ids = schema.fields.map((f) => f['field-id']).join(',');
      // element-id 10 sits on the array type, not on a field
      if (ids !== '1,2,3,4,5,6,7,8,9,11,12,13') fail(name, `field ids ${ids}`);
      const tags = schema.fields.find((f) => f.name === 'tags');
      if (!tags || tags.type['element-id'] !== 10) fail(name, 'element-id of tags lost');
    });
    decoder.on('data', (rec) => {
      const want = expectedRow(n);
      for (const key of Object.keys(want)) {
        if (!same(rec[key], want[key])) {
          fail(name, `row ${n} field ${key}: got ${show(rec[key])}, expected ${show(want[key])}`);
          break;
        }
      }
      n++;
    });
    decoder.on('error', (e) => {
      fail(name, `avsc: ${e.message}`);
      resolve();
    });
    decoder.on('end', () => {
      if (n !== rows) fail(name, `${n} rows, expected ${rows}`);
      else console.log(`ok ${name}: ${n} rows, codec ${codec}`);
      resolve();
    });
  });
}

for (const [name, spec] of Object.entries(expected)) {
  await checkFile(name, spec);
}
process.exit(problems ? 1 : 0);
