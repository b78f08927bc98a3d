// lib_avro_long.mjs - avsc decodes Avro longs as BigInt through this parse hook, so
// snapshot ids and sequence numbers (all 63 bits used) are never rounded to doubles.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const req = createRequire(join(dirname(fileURLToPath(import.meta.url)), 'package.json'));
const avro = req('avsc');

const longType = avro.types.LongType.__with({
  fromBuffer: (b) => b.readBigInt64LE(),
  toBuffer: (n) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b; },
  fromJSON: BigInt, toJSON: Number,
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
});

export const bigLongParseHook = (schema) => avro.Type.forSchema(schema, { registry: { long: longType } });
