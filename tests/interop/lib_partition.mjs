// lib_partition.mjs - Iceberg partition transforms written from the spec (reference:
// "Partition Transforms", Appendix B), for checking what icestream computes: Murmur3
// x86 32-bit, the bytes each type hashes as, truncate, year/month/day/hour with floor
// semantics, and conversions between canonical JS values (BigInt for integers, dates,
// times, timestamps and decimal unscaled values; strings; Buffers for bytes) and what
// DuckDB and avsc give.
import { decodeBound, decimalTextToUnscaled } from './lib_iceberg_bounds.mjs';

// ---- Murmur3 x86 32-bit, seed 0 (spec Appendix B) ----
export function murmur3(bytes) {
  const c1 = 0xcc9e2d51, c2 = 0x1b873593;
  let h = 0;
  const n = bytes.length, blocks = n >> 2;
  const mix = (k) => Math.imul(((k = Math.imul(k, c1)) << 15) | (k >>> 17), c2);
  for (let i = 0; i < blocks; i++) {
    const k = bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24);
    h ^= mix(k);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const t = blocks * 4;
  switch (n & 3) {
    case 3: k ^= bytes[t + 2] << 16; // fall through
    case 2: k ^= bytes[t + 1] << 8; // fall through
    case 1: k ^= bytes[t]; h ^= mix(k);
  }
  h ^= n;
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

const INTLIKE = new Set(['int', 'long', 'date', 'time', 'timestamp', 'timestamptz', 'timestamp_ns', 'timestamptz_ns']);
const isDecimal = (t) => /^decimal\(/.test(t);
const decScale = (t) => Number(/^decimal\(\s*\d+\s*,\s*(\d+)\s*\)$/.exec(t)[1]);
const isBytes = (t) => t === 'binary' || /^fixed\[/.test(t) || t === 'uuid';
const floorDiv = (a, b) => { const q = a / b; return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q; };

// Two's-complement big-endian bytes of v, as few as hold it (§5.1 decimals).
function minimalBytes(v) {
  const out = [];
  for (;;) {
    out.unshift(Number(v & 0xffn));
    const rest = v >> 8n;
    const done = (rest === 0n && !(out[0] & 0x80)) || (rest === -1n && (out[0] & 0x80));
    if (done) return Buffer.from(out);
    v = rest;
  }
}

// §5.1: the bytes a bucket hashes, from a canonical source value.
export function bucketBytes(type, v) {
  if (INTLIKE.has(type)) {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(type.endsWith('_ns') ? floorDiv(v, 1000n) : v);
    return b;
  }
  if (isDecimal(type)) return minimalBytes(v);
  if (type === 'string') return Buffer.from(v, 'utf8');
  if (isBytes(type)) return v;
  throw new Error(`type ${type} cannot be bucketed`);
}

function civil(days) { // days since 1970-01-01 -> [year, month 1..12]
  const d = new Date(Number(days) * 86400000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1];
}
const daysOf = (type, v) => (type === 'date' ? v : floorDiv(v, type.endsWith('_ns') ? 86400000000000n : 86400000000n));

// One transform applied to a canonical non-null source value -> canonical result.
export function applyTransform(transform, type, v) {
  let m;
  if (transform === 'identity') return v;
  if (transform === 'void') return null;
  if ((m = /^bucket\[(\d+)\]$/.exec(transform))) return BigInt(((murmur3(bucketBytes(type, v)) & 0x7fffffff) >>> 0) % Number(m[1]));
  if ((m = /^truncate\[(\d+)\]$/.exec(transform))) {
    const w = BigInt(m[1]);
    if (type === 'int' || type === 'long' || isDecimal(type)) return v - (((v % w) + w) % w);
    if (type === 'string') return Array.from(v).slice(0, Number(w)).join('');
    if (type === 'binary') return v.subarray(0, Number(w));
  }
  if (transform === 'day') return daysOf(type, v);
  if (transform === 'hour') return floorDiv(v, type.endsWith('_ns') ? 3600000000000n : 3600000000n);
  if (transform === 'year' || transform === 'month') {
    const [y, mo] = civil(daysOf(type, v));
    return BigInt(transform === 'year' ? y - 1970 : (y - 1970) * 12 + (mo - 1));
  }
  throw new Error(`transform ${transform} on ${type} not known here`);
}

export const resultType = (transform, source) =>
  /^bucket/.test(transform) || ['year', 'month', 'hour'].includes(transform) ? 'int' : transform === 'day' ? 'date' : source;

// A canonical value as text, for comparing and reporting.
export function keyText(type, v) {
  if (v == null) return 'null';
  if (INTLIKE.has(type) || isDecimal(type)) return BigInt(v).toString();
  if (isBytes(type)) return Buffer.from(v).toString('hex');
  if (type === 'float' || type === 'double') return Object.is(v, -0) ? '-0' : String(v);
  return String(v);
}

// A manifest partition value (avsc, no logical types) -> canonical.
export function fromAvro(type, v) {
  if (v == null) return null;
  if (INTLIKE.has(type)) return BigInt(v);
  if (isDecimal(type)) { let x = 0n; for (const b of v) x = (x << 8n) | BigInt(b); if (v[0] & 0x80) x -= 1n << BigInt(8 * v.length); return x; }
  if (isBytes(type)) return Buffer.from(v);
  return v;
}

// DuckDB expression giving a canonical source value, and its conversion.
export function sourceSql(col, type) {
  if (type === 'date') return `CAST(${col} - DATE '1970-01-01' AS BIGINT)`;
  if (type === 'time') return `datediff('microsecond', TIME '00:00:00', ${col})`;
  if (type === 'timestamp' || type === 'timestamptz') return `epoch_us(${col})`;
  if (type === 'timestamp_ns' || type === 'timestamptz_ns') return `epoch_ns(${col})`;
  if (type === 'int' || type === 'long') return `CAST(${col} AS BIGINT)`;
  if (isDecimal(type) || type === 'uuid') return `CAST(${col} AS VARCHAR)`;
  if (type === 'binary' || /^fixed\[/.test(type)) return `hex(${col})`;
  return col;
}
export function fromDuck(type, v) {
  if (v == null) return null;
  if (isDecimal(type)) return decimalTextToUnscaled(v, decScale(type));
  if (type === 'uuid') return Buffer.from(v.replaceAll('-', ''), 'hex');
  if (type === 'binary' || /^fixed\[/.test(type)) return Buffer.from(v, 'hex');
  if (INTLIKE.has(type)) return BigInt(v);
  return v;
}

export function compareCanon(type, a, b) {
  if (INTLIKE.has(type) || isDecimal(type)) return a < b ? -1 : a > b ? 1 : 0;
  if (type === 'string') return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  if (isBytes(type)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}
export function boundCanon(type, buf) {
  const v = decodeBound(type, buf);
  if (type === 'string') return Buffer.from(v).toString('utf8');
  if (type === 'uuid') return Buffer.from(v, 'hex');
  return v;
}


// A partition value as Java's Transform.toHumanString prints it in a Hive-style path
// (year "2017", month "2017-11", day and dates "2017-11-16", hour "2017-11-16-22",
// decimals with their scale, numbers and strings as they are), or undefined for the
// types this check leaves to the manifest comparison (timestamps, floats, bytes).
export function humanText(transform, result, v) {
  if (v == null) return 'null';
  const p2 = (n) => String(n).padStart(2, '0');
  const ymd = (days) => {
    const d = new Date(Number(days) * 86400000);
    return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
  };
  if (transform === 'year') return String(1970n + BigInt(v));
  if (transform === 'month') { const m = BigInt(v); const y = 1970n + floorDiv(m, 12n); return `${y}-${p2(m - floorDiv(m, 12n) * 12n + 1n)}`; }
  if (transform === 'hour') { const h = BigInt(v); return `${ymd(floorDiv(h, 24n))}-${p2(h - floorDiv(h, 24n) * 24n)}`; }
  if (result === 'date') return ymd(BigInt(v));
  if (result === 'int' || result === 'long') return BigInt(v).toString();
  if (isDecimal(result)) {
    const s = decScale(result); const neg = BigInt(v) < 0n; const a = (neg ? -BigInt(v) : BigInt(v)).toString().padStart(s + 1, '0');
    return (neg ? '-' : '') + (s ? `${a.slice(0, a.length - s)}.${a.slice(a.length - s)}` : a);
  }
  if (result === 'string' || result === 'boolean') return String(v);
  return undefined;
}

// Java's URLEncoder.encode(s, UTF-8): [A-Za-z0-9.*_-] kept, space '+', the rest %XX.
export function urlEncode(s) {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9.*_-]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
