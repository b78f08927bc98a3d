// lib_compare_duckdb.mjs - compares one value of `icestream cat --format jsonl` (parsed
// by lib_json.mjs) with DuckDB's value of the same cell, given DuckDB's column type.
// DuckDB types map to our text forms: integers exact, floats by value (and shortest
// text), decimals exact strings, dates/times/timestamps by day / nanosecond / instant,
// blobs and geometry as base64, lists, structs (keys in order) and maps recursively.
// Returns null when equal, else a short reason (the caller adds file/row/column).
import { DuckDBTypeId } from '@duckdb/node-api';
import { Num, Obj } from './lib_json.mjs';
import {
  base64, compareFloat, decimalText, floorDiv, parseDate, parseTime, parseTimestamp,
} from './lib_forms.mjs';

const show = (v) => {
  if (v instanceof Num) return v.text;
  if (v instanceof Obj) return '{' + v.entries.map(([k, x]) => JSON.stringify(k) + ':' + show(x)).join(',') + '}';
  if (Array.isArray(v)) return '[' + v.map(show).join(',') + ']';
  return JSON.stringify(v);
};
export const showOurs = (v) => { const s = show(v); return s.length > 160 ? s.slice(0, 160) + '...' : s; };
const showTheirs = (v) => {
  let s;
  try { s = v === null ? 'null' : typeof v === 'bigint' ? v.toString() : String(v); } catch { s = '?'; }
  return s.length > 160 ? s.slice(0, 160) + '...' : s;
};
const diff = (ours, theirs, why) => `${why}: ours ${showOurs(ours)} vs duckdb ${showTheirs(theirs)}`;

const INTEGER_TYPES = new Set([DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT, DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);

// Our timestamp text vs an instant in `unit` ns-per-unit; DuckDB keeps INT96 and
// TIMESTAMP(ns)-as-us at microsecond precision, so ours is floored to the unit first.
function compareInstant(ours, value, nsPerUnit, wantDigits, needZ) {
  const t = parseTimestamp(ours);
  if (t === null) return diff(ours, value, 'not a timestamp in our form');
  if (wantDigits !== null && t.digits !== wantDigits) return diff(ours, value, `expected ${wantDigits} fraction digits`);
  if (needZ && !t.utc) return diff(ours, value, 'UTC-adjusted timestamp without Z');
  if (floorDiv(t.nanos, nsPerUnit) !== value) return diff(ours, value, 'instant differs');
  return null;
}

export function compareDuck(ours, d, t, path = '') {
  if (d === null || d === undefined) return ours === null ? null : diff(ours, d, 'expected null');
  if (ours === null) return diff(ours, d, 'unexpected null');
  const id = t.typeId;
  if (id === DuckDBTypeId.BOOLEAN) return ours === d ? null : diff(ours, d, 'boolean differs');
  if (INTEGER_TYPES.has(id)) {
    if (!(ours instanceof Num) || !/^-?\d+$/.test(ours.text)) return diff(ours, d, 'expected an integer');
    return ours.text === String(d) ? null : diff(ours, d, 'integer differs');
  }
  if (id === DuckDBTypeId.FLOAT || id === DuckDBTypeId.DOUBLE) {
    // DuckDB reads DECIMAL with precision > 38 as DOUBLE; ours stays exact text.
    if (id === DuckDBTypeId.DOUBLE && typeof ours === 'string' && /^-?\d+(\.\d+)?$/.test(ours)) {
      const v = Number(ours);
      return Math.abs(v - d) <= Math.abs(d) * 1e-15 ? null : diff(ours, d, 'wide decimal differs');
    }
    const why = compareFloat(ours, d, id === DuckDBTypeId.FLOAT);
    return why ? diff(ours, d, why) : null;
  }
  if (id === DuckDBTypeId.DECIMAL) {
    const want = decimalText(d.value, d.scale);
    return ours === want ? null : diff(ours, want, 'decimal differs');
  }
  if (id === DuckDBTypeId.VARCHAR || id === DuckDBTypeId.ENUM) {
    return ours === d ? null : diff(ours, d, 'string differs');
  }
  if (id === DuckDBTypeId.BLOB || id === DuckDBTypeId.GEOMETRY) {
    const want = base64(d.bytes);
    return ours === want ? null : diff(ours, want, 'bytes (base64) differ');
  }
  if (id === DuckDBTypeId.UUID) {
    return ours === d.toString() ? null : diff(ours, d, 'uuid differs');
  }
  if (id === DuckDBTypeId.DATE) {
    if (!d.isFinite) return diff(ours, d, 'infinite date');
    const days = parseDate(ours);
    if (days === null) return diff(ours, d, 'not a date in our form');
    return days === d.days ? null : diff(ours, d, 'date differs');
  }
  if (id === DuckDBTypeId.TIME || id === DuckDBTypeId.TIME_TZ || id === DuckDBTypeId.TIME_NS) {
    const tm = parseTime(ours);
    if (tm === null) return diff(ours, d, 'not a time in our form');
    const want = id === DuckDBTypeId.TIME_NS ? d.nanos : d.micros * 1000n;
    const got = id === DuckDBTypeId.TIME_NS ? tm.nanos : floorDiv(tm.nanos, 1000n) * 1000n;
    return got === want ? null : diff(ours, d, 'time differs');
  }
  if (id === DuckDBTypeId.TIMESTAMP) return compareInstant(ours, d.micros, 1000n, null, false);
  if (id === DuckDBTypeId.TIMESTAMP_TZ) return compareInstant(ours, d.micros, 1000n, null, true);
  if (id === DuckDBTypeId.TIMESTAMP_MS) return compareInstant(ours, d.millis, 1000000n, 6, false);
  if (id === DuckDBTypeId.TIMESTAMP_S) return compareInstant(ours, d.seconds, 1000000000n, 6, false);
  if (id === DuckDBTypeId.TIMESTAMP_NS) return compareInstant(ours, d.nanos, 1n, 9, false);
  if (id === DuckDBTypeId.INTERVAL) {
    // Parquet INTERVAL is FLBA(12) (months, days, millis as little-endian uint32); we print its bytes.
    const b = Buffer.alloc(12);
    b.writeUInt32LE(d.months >>> 0, 0);
    b.writeUInt32LE(d.days >>> 0, 4);
    b.writeUInt32LE(Number(d.micros / 1000n) >>> 0, 8);
    const want = b.toString('base64');
    return ours === want ? null : diff(ours, want, 'interval bytes differ');
  }
  if (id === DuckDBTypeId.LIST || id === DuckDBTypeId.ARRAY) {
    if (!Array.isArray(ours)) return diff(ours, d, 'expected a list');
    if (ours.length !== d.items.length) return diff(ours, d, `list length ${ours.length} vs ${d.items.length}`);
    for (let i = 0; i < ours.length; i++) {
      const why = compareDuck(ours[i], d.items[i], t.valueType, `${path}[${i}]`);
      if (why) return `[${i}]: ${why}`;
    }
    return null;
  }
  if (id === DuckDBTypeId.STRUCT) {
    if (!(ours instanceof Obj)) return diff(ours, d, 'expected an object');
    const names = t.entryNames;
    const keys = ours.keys();
    if (keys.join('\u0000') !== names.join('\u0000')) return diff(ours, d, `keys [${keys}] vs [${names}]`);
    for (let i = 0; i < names.length; i++) {
      const why = compareDuck(ours.entries[i][1], d.entries[names[i]], t.entryTypes[i], `${path}.${names[i]}`);
      if (why) return `.${names[i]}: ${why}`;
    }
    return null;
  }
  if (id === DuckDBTypeId.MAP) {
    if (!Array.isArray(ours)) return diff(ours, d, 'expected a map as a list of entries');
    if (ours.length !== d.entries.length) return diff(ours, d, `map size ${ours.length} vs ${d.entries.length}`);
    for (let i = 0; i < ours.length; i++) {
      const e = ours[i];
      if (!(e instanceof Obj) || e.keys().join(',') !== 'key,value') return diff(e, d, `entry ${i} is not {"key","value"}`);
      const why = compareDuck(e.entries[0][1], d.entries[i].key, t.keyType) ||
                  compareDuck(e.entries[1][1], d.entries[i].value, t.valueType);
      if (why) return `{${i}}: ${why}`;
    }
    return null;
  }
  if (id === DuckDBTypeId.SQLNULL) return diff(ours, d, 'expected null');
  return diff(ours, d, `no comparison for DuckDB type ${t}`);
}
