// Splits rows by partition, with lib_partition.mjs's own transforms (not icestream's), so
// an overwrite-partitions test can say which stored rows must survive: a row is
// "touched" when its partition tuple is one of the tuples of the rows in NEW.
// usage:
//   node partition_rows.mjs FIELDS NEW.jsonl IN.jsonl kept|touched   lines of IN
//   node partition_rows.mjs FIELDS NEW.jsonl count                    distinct tuples of NEW
//   node partition_rows.mjs pick TRANSFORM TYPE FROM COUNT VALUE...   the first COUNT integers
//                                from FROM whose TRANSFORM(v) is one of VALUE, comma-joined
// FIELDS: TRANSFORM:COLUMN:TYPE[,...], e.g. "bucket[10]:id:long,identity:m:int"
// (Iceberg transform names; top-level columns; rows as JSON lines, `icestream scan` or
// DuckDB output).
import fs from 'node:fs';
import { applyTransform, keyText, resultType } from './lib_partition.mjs';

const args = process.argv.slice(2);
const INT_TYPES = new Set(['int', 'long', 'date', 'time', 'timestamp', 'timestamptz']);
const source = (type, v) => (v == null ? null : INT_TYPES.has(type) ? BigInt(v) : v);

if (args[0] === 'pick') {
  const [, transform, type, from, count, ...values] = args;
  const want = new Set(values);
  const out = [];
  for (let v = BigInt(from); out.length < Number(count); v++) {
    if (want.has(keyText(resultType(transform, type), applyTransform(transform, type, v)))) out.push(v);
  }
  console.log(out.join(','));
  process.exit(0);
}

const fields = args[0].split(',').map((f) => {
  const [transform, column, type] = f.split(':');
  return { transform, column, type, result: resultType(transform, type) };
});
const lines = (p) => fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.trim() !== '');
const key = (line) => {
  const row = JSON.parse(line);
  if (fields.some((f) => !(f.column in row))) throw new Error(`row without a partition source: ${line}`);
  return fields.map((f) => {
    const v = source(f.type, row[f.column]);
    return keyText(f.result, v == null ? null : applyTransform(f.transform, f.type, v));
  }).join('/');
};
const touched = new Set(lines(args[1]).map(key));
if (args[2] === 'count') {
  console.log(touched.size);
} else {
  const keep = args[3] === 'kept';
  for (const l of lines(args[2])) if (touched.has(key(l)) !== keep) console.log(l);
}
