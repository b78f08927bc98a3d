// lib_compare_arrow.mjs - the fallback oracle for files DuckDB cannot read: compares one
// value of `icestream cat --format jsonl` with the value arrow-rs (parquet-wasm) reads,
// as apache-arrow JS gives it (vector.get). Same conventions as lib_compare_duckdb.mjs;
// temporal values from arrow-js are milliseconds, so they compare at that precision.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Num, Obj } from './lib_json.mjs';
import { base64, compareFloat, decimalText, floorDiv, parseDate, parseTime, parseTimestamp } from './lib_forms.mjs';
import { showOurs } from './lib_compare_duckdb.mjs';

const req = createRequire(join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'package.json'));
const arrow = req('apache-arrow');
const pw = req('parquet-wasm/node');
const T = arrow.Type;

const showTheirs = (v) => {
  let s;
  try { s = JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? x.toString() : x)); } catch { s = String(v); }
  return s && s.length > 160 ? s.slice(0, 160) + '...' : s;
};
const diff = (ours, theirs, why) => `${why}: ours ${showOurs(ours)} vs arrow-rs ${showTheirs(theirs)}`;

// Reads a whole file with arrow-rs; returns { names, types, rows: () => iterator of arrays }.
export function readWithArrowRs(path, bytes) {
  const table = arrow.tableFromIPC(pw.readParquet(bytes).intoIPCStream());
  const fields = table.schema.fields;
  const cols = fields.map((f) => table.getChild(f.name));
  return {
    names: fields.map((f) => f.name),
    types: fields.map((f) => f.type),
    numRows: table.numRows,
    row: (i) => cols.map((c) => (c.isValid(i) ? c.get(i) : null)),
  };
}

export function compareArrow(ours, v, type) {
  if (v === null || v === undefined) return ours === null ? null : diff(ours, v, 'expected null');
  if (ours === null) return diff(ours, v, 'unexpected null');
  switch (type.typeId) {
    case T.Bool: return ours === v ? null : diff(ours, v, 'boolean differs');
    case T.Int:
      return ours instanceof Num && ours.text === String(v) ? null : diff(ours, v, 'integer differs');
    case T.Float: {
      const why = compareFloat(ours, v, type.precision !== 2);
      return why ? diff(ours, v, why) : null;
    }
    case T.Decimal: {
      const want = decimalText(BigInt(arrow.util.bigNumToString(v)), type.scale);
      return ours === want ? null : diff(ours, want, 'decimal differs');
    }
    case T.Utf8:
    case T.LargeUtf8: return ours === v ? null : diff(ours, v, 'string differs');
    case T.Binary:
    case T.LargeBinary:
    case T.FixedSizeBinary: {
      const want = base64(v);
      return ours === want ? null : diff(ours, want, 'bytes (base64) differ');
    }
    case T.Date: {
      const days = parseDate(ours);
      const want = Math.floor(Number(v) / 86400000);
      return days === want ? null : diff(ours, v, 'date differs');
    }
    case T.Time: {
      const tm = parseTime(ours);
      return tm && floorDiv(tm.nanos, 1000000n) === BigInt(Math.floor(Number(v))) ? null : diff(ours, v, 'time differs (ms)');
    }
    case T.Timestamp: {
      const ts = parseTimestamp(ours);
      return ts && floorDiv(ts.nanos, 1000000n) === BigInt(Math.floor(Number(v))) ? null : diff(ours, v, 'instant differs (ms)');
    }
    case T.List:
    case T.FixedSizeList: {
      const items = [...v];
      if (!Array.isArray(ours) || ours.length !== items.length) return diff(ours, items, 'list differs');
      for (let i = 0; i < items.length; i++) {
        const why = compareArrow(ours[i], items[i], type.children[0].type);
        if (why) return `[${i}]: ${why}`;
      }
      return null;
    }
    case T.Struct: {
      const names = type.children.map((c) => c.name);
      if (!(ours instanceof Obj) || ours.keys().join('\u0000') !== names.join('\u0000')) return diff(ours, v, 'struct keys differ');
      for (let i = 0; i < names.length; i++) {
        const why = compareArrow(ours.entries[i][1], v[names[i]], type.children[i].type);
        if (why) return `.${names[i]}: ${why}`;
      }
      return null;
    }
    case T.Map: {
      const entries = [...v];
      const [kf, vf] = type.children[0].type.children;
      if (!Array.isArray(ours) || ours.length !== entries.length) return diff(ours, Object.fromEntries(entries), 'map size differs');
      for (let i = 0; i < entries.length; i++) {
        const e = ours[i];
        if (!(e instanceof Obj) || e.keys().join(',') !== 'key,value') return diff(e, entries[i], 'map entry is not {"key","value"}');
        const why = compareArrow(e.entries[0][1], entries[i][0], kf.type) || compareArrow(e.entries[1][1], entries[i][1], vf.type);
        if (why) return `{${i}}: ${why}`;
      }
      return null;
    }
    case T.Null: return diff(ours, v, 'expected null');
    default: return diff(ours, v, `no comparison for arrow type ${type}`);
  }
}
