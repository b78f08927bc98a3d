// lib_iceberg_bounds.mjs - checks a manifest entry's column metrics against the data.
//
// Decodes lower_bounds / upper_bounds per the Iceberg binary single-value serialization
// (Iceberg spec, Appendix D) by the table schema's field types, asks DuckDB for the
// exact min/max/counts of each top-level primitive column in one data file, and
// compares: bounds must be the true min/max (strings/binary: the truncate(16) rule),
// value/null/NaN counts and record_count must match. Every value stays exact: integers,
// timestamps and decimal unscaled values as BigInt, floats by their bits, strings and
// binary as bytes. selfTest() proves the comparison fails on wrong metrics.

export const TRUNCATE_LENGTH = 16;

const INT_TYPES = new Set(['int', 'long', 'date', 'time', 'timestamp', 'timestamptz', 'timestamp_ns', 'timestamptz_ns']);
const decimalScale = (t) => { const m = /^decimal\(\s*\d+\s*,\s*(\d+)\s*\)$/.exec(t); return m ? Number(m[1]) : null; };
const isFixed = (t) => /^fixed\[\d+\]$/.test(t);

// The comparison family of an Iceberg primitive type; null for nested/unknown types.
export function boundKind(t) {
  if (typeof t !== 'string') return null;
  if (INT_TYPES.has(t)) return 'int';
  if (t === 'float' || t === 'double' || t === 'string' || t === 'binary' || t === 'boolean' || t === 'uuid') return t;
  if (isFixed(t)) return 'binary';
  if (decimalScale(t) !== null) return 'decimal';
  return null;
}

// §4 decoding to an exact JS value: BigInt (integers, dates, times, timestamps, decimal
// unscaled), Number (float/double, exact), Buffer (string/binary), hex text (uuid), boolean.
export function decodeBound(type, buf) {
  const b = Buffer.from(buf);
  const need = (...lens) => {
    if (!lens.includes(b.length)) throw new Error(`${type} bound has ${b.length} bytes, want ${lens.join(' or ')}`);
  };
  switch (boundKind(type)) {
    case 'int':
      if (type === 'int' || type === 'date') { need(4); return BigInt(b.readInt32LE(0)); }
      need(8, 4); // 4 bytes: written before a promotion from int/date (§4)
      return b.length === 4 ? BigInt(b.readInt32LE(0)) : b.readBigInt64LE(0);
    case 'float': need(4); return b.readFloatLE(0);
    case 'double': need(8, 4); return b.length === 4 ? b.readFloatLE(0) : b.readDoubleLE(0);
    case 'boolean': need(1); return b[0] !== 0;
    case 'uuid': need(16); return b.toString('hex');
    case 'string': {
      // fatal: a bound that is not valid UTF-8 is wrong, not something to patch up
      new TextDecoder('utf-8', { fatal: true }).decode(b);
      return b;
    }
    case 'binary': return b;
    case 'decimal': {
      if (b.length === 0) throw new Error(`${type} bound is empty`);
      let v = 0n;
      for (const x of b) v = (v << 8n) | BigInt(x);
      if (b[0] & 0x80) v -= 1n << BigInt(8 * b.length);
      // minimum byte count (§4): a leading 00/ff byte that only repeats the sign is padding
      if (b.length > 1 && ((b[0] === 0 && !(b[1] & 0x80)) || (b[0] === 0xff && (b[1] & 0x80))))
        throw new Error(`${type} bound ${b.toString('hex')} is not in minimum byte count`);
      return v;
    }
    default:
      throw new Error(`no bound decoding for type ${JSON.stringify(type)}`);
  }
}

// Exact unscaled BigInt of a decimal in DuckDB's text ("-12.3400000000").
export function decimalTextToUnscaled(text, scale) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`decimal text ${text}`);
  const frac = (m[3] ?? '');
  if (frac.length > scale) throw new Error(`decimal text ${text} has more than ${scale} digits after the point`);
  const v = BigInt(m[2] + frac.padEnd(scale, '0'));
  return m[1] ? -v : v;
}
export function unscaledToDecimalText(v, scale) {
  const neg = v < 0n;
  let s = (neg ? -v : v).toString().padStart(scale + 1, '0');
  if (scale > 0) s = s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale);
  return (neg ? '-' : '') + s;
}

// truncate(L) bounds of a string (code points) or binary (bytes) value, Java's rule:
// upper = first L units with the last incrementable one incremented and the rest dropped;
// null when no unit can be incremented (then no upper bound may be written).
export function truncatedLower(kind, buf, L = TRUNCATE_LENGTH) {
  if (kind === 'binary') return buf.subarray(0, Math.min(L, buf.length));
  return Buffer.from(Array.from(buf.toString('utf8')).slice(0, L).join(''), 'utf8');
}
export function truncatedUpper(kind, buf, L = TRUNCATE_LENGTH) {
  if (kind === 'binary') {
    if (buf.length <= L) return buf;
    const u = Buffer.from(buf.subarray(0, L));
    for (let i = L - 1; i >= 0; i--) {
      if (u[i] !== 0xff) { u[i]++; return u.subarray(0, i + 1); }
    }
    return null;
  }
  const cps = Array.from(buf.toString('utf8'), (c) => c.codePointAt(0));
  if (cps.length <= L) return buf;
  const u = cps.slice(0, L);
  for (let i = L - 1; i >= 0; i--) {
    if (u[i] === 0x10ffff) continue;
    u[i] = u[i] === 0xd7ff ? 0xe000 : u[i] + 1;
    return Buffer.from(String.fromCodePoint(...u.slice(0, i + 1)), 'utf8');
  }
  return null;
}

// DuckDB type to read an Iceberg primitive as (read_parquet's field-id schema map).
export function duckReadType(t) {
  const simple = {
    boolean: 'BOOLEAN', int: 'INTEGER', long: 'BIGINT', float: 'FLOAT', double: 'DOUBLE', string: 'VARCHAR',
    binary: 'BLOB', date: 'DATE', time: 'TIME', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ', uuid: 'UUID',
  };
  if (simple[t]) return simple[t];
  if (isFixed(t)) return 'BLOB';
  const m = /^decimal\((\d+),\s*(\d+)\)$/.exec(t);
  return m ? `DECIMAL(${m[1]},${m[2]})` : null;
}

// SQL expressions giving a column's extremes as exact text.
function extremeSql(fn, q, type) {
  const kind = boundKind(type);
  switch (kind) {
    case 'int':
      if (type === 'date') return `${fn}(date_diff('day', DATE '1970-01-01', ${q}))::VARCHAR`;
      if (type === 'time') return `${fn}(date_diff('microsecond', TIME '00:00:00', ${q}))::VARCHAR`;
      if (type.startsWith('timestamp')) return `epoch_us(${fn}(${q}))::VARCHAR`;
      return `${fn}(${q})::VARCHAR`;
    case 'float': case 'double':
      return `${fn}(${q}::DOUBLE) FILTER (WHERE NOT isnan(${q}))::VARCHAR`;
    case 'boolean': return `${fn}(${q}::INTEGER)::VARCHAR`;
    case 'string': return `hex(encode(${fn}(${q})))`;
    case 'binary': return `hex(${fn}(${q}))`;
    case 'uuid': return `replace(${fn}(${q})::VARCHAR, '-', '')`;
    case 'decimal': return `${fn}(${q})::VARCHAR`;
    default: return null;
  }
}

// Top-level primitive fields whose metrics we can check against DuckDB.
export function checkedFields(schema) {
  return schema.fields.filter((f) => boundKind(f.type) !== null && duckReadType(f.type) !== null);
}

// Truth for one data file: { rows, cols: {id: {count, nulls, nans, min, max, negZero, posZero}} }
// with min/max as text straight from DuckDB (parsed by parseTruth).
export async function fileTruth(db, path, fields) {
  const sq = (s) => `'${s.replaceAll("'", "''")}'`;
  const map = 'MAP {' + fields.map((f) =>
    `${f.id}: {name: ${sq('c' + f.id)}, type: ${sq(duckReadType(f.type))}, default_value: NULL}`).join(', ') + '}';
  const parts = ['count(*)::VARCHAR AS "rows"'];
  for (const f of fields) {
    const q = `"c${f.id}"`, k = boundKind(f.type);
    parts.push(`count(${q})::VARCHAR AS "n${f.id}"`);
    parts.push(`${extremeSql('min', q, f.type)} AS "lo${f.id}"`, `${extremeSql('max', q, f.type)} AS "hi${f.id}"`);
    if (k === 'float' || k === 'double') {
      parts.push(`count(*) FILTER (WHERE isnan(${q}))::VARCHAR AS "nan${f.id}"`);
      parts.push(`count(*) FILTER (WHERE ${q} = 0 AND signbit(${q}))::VARCHAR AS "nz${f.id}"`);
      parts.push(`count(*) FILTER (WHERE ${q} = 0 AND NOT signbit(${q}))::VARCHAR AS "pz${f.id}"`);
    }
  }
  const sql = fields.length
    ? `SELECT ${parts.join(', ')} FROM read_parquet(${sq(path)}, schema = ${map})`
    : `SELECT count(*)::VARCHAR AS "rows" FROM read_parquet(${sq(path)})`;
  const [r] = (await db.runAndReadAll(sql)).getRowObjectsJson();
  // Field ids the file really has: a column added to the table after the file was written
  // has no metrics in that file's manifest entry (readers treat it as all null).
  const ids = (await db.runAndReadAll(
    `SELECT field_id::VARCHAR AS id FROM parquet_schema(${sq(path)}) WHERE field_id IS NOT NULL`)).getRowObjectsJson();
  const truth = { rows: BigInt(r.rows), cols: {}, present: new Set(ids.map((x) => Number(x.id))) };
  for (const f of fields) {
    const k = boundKind(f.type), n = BigInt(r[`n${f.id}`]);
    const c = { count: truth.rows, nulls: truth.rows - n, nans: null, min: null, max: null, negZero: false, posZero: false };
    if (k === 'float' || k === 'double') {
      c.nans = BigInt(r[`nan${f.id}`]);
      c.negZero = BigInt(r[`nz${f.id}`]) > 0n;
      c.posZero = BigInt(r[`pz${f.id}`]) > 0n;
    }
    c.min = parseTruth(f.type, r[`lo${f.id}`]);
    c.max = parseTruth(f.type, r[`hi${f.id}`]);
    truth.cols[f.id] = c;
  }
  return truth;
}

function parseTruth(type, text) {
  if (text === null || text === undefined) return null;
  switch (boundKind(type)) {
    case 'int': return BigInt(text);
    case 'float': case 'double': {
      const inf = { inf: Infinity, '-inf': -Infinity, infinity: Infinity, '-infinity': -Infinity }[text.toLowerCase()];
      const v = inf ?? Number(text);
      if (Number.isNaN(v)) throw new Error(`DuckDB float text ${text}`);
      return type === 'float' ? Math.fround(v) : v;
    }
    case 'boolean': return text === '1';
    case 'string': case 'binary': return Buffer.from(text, 'hex');
    case 'uuid': return text.toLowerCase();
    case 'decimal': return decimalTextToUnscaled(text, decimalScale(type));
    default: return null;
  }
}

function show(type, v) {
  if (v === null || v === undefined) return 'none';
  const k = boundKind(type);
  if (k === 'decimal') return unscaledToDecimalText(v, decimalScale(type));
  if (k === 'string') return JSON.stringify(v.toString('utf8'));
  if (k === 'binary') return `0x${v.toString('hex')}`;
  if (Object.is(v, -0)) return '-0';
  return String(v);
}
const same = (a, b) => {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return Object.is(a, b);
};

// Metrics of one manifest entry in decoded form: maps field id -> value.
export function decodeMetrics(dataFile, fields) {
  const byId = new Map(fields.map((f) => [f.id, f]));
  const counts = (arr) => new Map((arr ?? []).map(({ key, value }) => [Number(key), BigInt(value)]));
  const bounds = (arr, which) => {
    const out = new Map();
    for (const { key, value } of arr ?? []) {
      const f = byId.get(Number(key));
      if (!f) continue; // nested leaves and types we do not check
      try {
        out.set(f.id, decodeBound(f.type, value));
      } catch (e) {
        out.set(f.id, { error: `${which} bound of field ${f.id} '${f.name}': ${e.message}` });
      }
    }
    return out;
  };
  return {
    recordCount: BigInt(dataFile.record_count),
    valueCounts: counts(dataFile.value_counts),
    nullCounts: counts(dataFile.null_value_counts),
    nanCounts: dataFile.nan_value_counts === null || dataFile.nan_value_counts === undefined ? null : counts(dataFile.nan_value_counts),
    lower: bounds(dataFile.lower_bounds, 'lower'),
    upper: bounds(dataFile.upper_bounds, 'upper'),
  };
}

// Every disagreement between decoded metrics and the file's truth, as messages.
export function compareMetrics(metrics, truth, fields, where) {
  const errs = [];
  const e = (m) => errs.push(`${where}: ${m}`);
  if (metrics.recordCount !== truth.rows) e(`record_count ${metrics.recordCount} != ${truth.rows} rows in the file`);
  for (const f of fields) {
    const t = truth.cols[f.id], k = boundKind(f.type), name = `field ${f.id} '${f.name}' (${f.type})`;
    const vc = metrics.valueCounts.get(f.id), nc = metrics.nullCounts.get(f.id);
    if (truth.present && !truth.present.has(f.id)) {
      if (vc !== undefined || nc !== undefined || metrics.lower.has(f.id) || metrics.upper.has(f.id))
        e(`${name}: metrics for a column the data file does not have`);
      continue;
    }
    if (vc !== undefined && vc !== t.count) e(`${name}: value_count ${vc} != ${t.count}`);
    if (vc === undefined) e(`${name}: no value_count`);
    if (nc !== undefined && nc !== t.nulls) e(`${name}: null_value_count ${nc} != ${t.nulls}`);
    if (nc === undefined) e(`${name}: no null_value_count`);
    if (k === 'float' || k === 'double') {
      const nn = metrics.nanCounts?.get(f.id);
      if (nn !== undefined && nn !== t.nans) e(`${name}: nan_value_count ${nn} != ${t.nans}`);
    } else if (metrics.nanCounts?.has(f.id)) e(`${name}: nan_value_count on a non-float column`);
    let lo = metrics.lower.get(f.id), hi = metrics.upper.get(f.id);
    for (const b of [lo, hi]) if (b && typeof b === 'object' && b.error) { e(b.error); }
    if (lo && lo.error) lo = undefined;
    if (hi && hi.error) hi = undefined;
    // the expected bounds (null: none may be written)
    let wantLo = t.min, wantHi = t.max;
    if ((k === 'float' || k === 'double') && wantLo !== null) {
      // §4: -0.0 orders before +0.0; a -0.0 occurring forbids a +0.0 lower bound and a +0.0
      // forbids a -0.0 upper bound. Otherwise either zero is right (writers that take
      // Parquet statistics widen a zero min to -0.0 and a zero max to +0.0).
      if (wantLo === 0) wantLo = t.negZero || Object.is(lo, -0) ? -0 : 0;
      if (wantHi === 0) wantHi = t.posZero || Object.is(hi, 0) ? 0 : -0;
    }
    if ((k === 'string' || k === 'binary') && wantLo !== null) {
      wantLo = truncatedLower(k, wantLo);
      wantHi = truncatedUpper(k, wantHi);
    }
    if (t.min === null) {
      if (lo !== undefined) e(`${name}: lower bound ${show(f.type, lo)} but no non-null non-NaN value`);
      if (hi !== undefined) e(`${name}: upper bound ${show(f.type, hi)} but no non-null non-NaN value`);
      continue;
    }
    if (lo === undefined) e(`${name}: no lower bound (true min ${show(f.type, t.min)})`);
    else if (!same(lo, wantLo)) e(`${name}: lower bound ${show(f.type, lo)} != ${show(f.type, wantLo)} (true min ${show(f.type, t.min)})`);
    if (wantHi === null) {
      if (hi !== undefined) e(`${name}: upper bound ${show(f.type, hi)} where the truncated max cannot be incremented (none may be written)`);
    } else if (hi === undefined) e(`${name}: no upper bound (true max ${show(f.type, t.max)})`);
    else if (!same(hi, wantHi)) e(`${name}: upper bound ${show(f.type, hi)} != ${show(f.type, wantHi)} (true max ${show(f.type, t.max)})`);
  }
  return errs;
}

// Cheap self-test, run on every check: §4 vectors decode right, truncation follows the
// rule, and each kind of wrong metric in a copy of real metrics is reported.
export function selfTest(cases) {
  const problems = [];
  const hex = (s) => Buffer.from(s.replace(/ /g, ''), 'hex');
  const vec = [
    ['int', 'd2 04 00 00', 1234n], ['long', 'd2 04 00 00 00 00 00 00', 1234n], ['double', '8d 97 6e 12 83 c0 f3 3f', 1.2345],
    ['float', '00 00 90 c0', -4.5], ['date', 'e8 03 00 00', 1000n], ['time', '10 27 00 00 00 00 00 00', 10000n],
    ['timestamp', '80 1a 06 00 00 00 00 00', 400000n], ['decimal(5,2)', '30 39', 12345n], ['decimal(7,4)', '12 d6 87', 1234567n],
    ['decimal(7,4)', 'ed 29 79', -1234567n], ['decimal(10,3)', '0b', 11n], ['decimal(3,2)', '01 59', 345n],
    ['decimal(9,0)', '80', -128n], ['decimal(9,0)', '00 80', 128n], ['boolean', '01', true], ['boolean', '00', false],
    ['uuid', 'f7 9c 3e 09 67 7c 4b bd a4 79 3f 34 9c b7 85 e7', 'f79c3e09677c4bbda4793f349cb785e7'],
  ];
  for (const [type, bytes, want] of vec) {
    const got = decodeBound(type, hex(bytes));
    if (!Object.is(got, want)) problems.push(`§4 vector ${type} ${bytes} decoded to ${got}, want ${want}`);
  }
  if (decodeBound('string', hex('41 42 43')).toString() !== 'ABC') problems.push('§4 vector string ABC');
  for (const [type, bytes] of [['int', '01 00 00'], ['decimal(9,0)', '00 01'], ['decimal(9,0)', 'ff 80'], ['string', 'ff'], ['uuid', '00']]) {
    try { decodeBound(type, hex(bytes)); problems.push(`malformed ${type} bound ${bytes} accepted`); } catch { /* wanted */ }
  }
  const s = (x) => Buffer.from(x, 'utf8');
  const up = (x) => { const u = truncatedUpper('string', s(x)); return u === null ? null : u.toString('utf8'); };
  if (up('abcdefghijklmnopq') !== 'abcdefghijklmnoq') problems.push(`string upper of 17 chars: ${up('abcdefghijklmnopq')}`);
  if (up('abcdefghijklmno\u{10ffff}z') !== 'abcdefghijklmnp') problems.push('string upper skipping U+10FFFF');
  if (up('abcdefghijklmno\ud7ffz') !== 'abcdefghijklmno\ue000') problems.push('string upper skipping surrogates');
  if (up('\u{10ffff}'.repeat(17)) !== null) problems.push('string upper of U+10FFFF x17 must be none');
  if (truncatedLower('string', s('ü'.repeat(20))).toString() !== 'ü'.repeat(16)) problems.push('string lower counts code points');
  const bu = truncatedUpper('binary', Buffer.concat([Buffer.alloc(15, 1), Buffer.from([0xff, 7])]));
  if (!bu || bu.toString('hex') !== '01'.repeat(14) + '02') problems.push(`binary upper ${bu && bu.toString('hex')}`);
  if (decimalTextToUnscaled('-0.0000000001', 10) !== -1n || unscaledToDecimalText(-1n, 10) !== '-0.0000000001')
    problems.push('decimal text round trip');

  // -0.0/+0.0 (§4): a -0.0 in the data forbids a +0.0 lower bound, a +0.0 forbids a -0.0 upper.
  const zf = [{ id: 1, name: 'z', type: 'double' }];
  const zm = (lo, hi) => ({ recordCount: 2n, valueCounts: new Map([[1, 2n]]), nullCounts: new Map([[1, 0n]]), nanCounts: new Map([[1, 0n]]),
    lower: new Map([[1, lo]]), upper: new Map([[1, hi]]) });
  const zt = (negZero, posZero) => ({ rows: 2n, cols: { 1: { count: 2n, nulls: 0n, nans: 0n, min: 0, max: 0, negZero, posZero } } });
  for (const [lo, hi, neg, pos, ok] of [[-0, 0, true, true, true], [0, 0, true, true, false], [-0, -0, true, true, false],
    [-0, 0, false, true, true], [0, 0, false, true, true], [-0, -0, true, false, true], [0, -0, true, false, false]]) {
    if ((compareMetrics(zm(lo, hi), zt(neg, pos), zf, 'zeros').length === 0) !== ok)
      problems.push(`zero bounds ${show('double', lo)}..${show('double', hi)} with -0 ${neg} +0 ${pos}: want ${ok ? 'accepted' : 'rejected'}`);
  }

  // Mutations of real metrics: each must produce at least one error.
  for (const { metrics, truth, fields, where } of cases) {
    const base = compareMetrics(metrics, truth, fields, where);
    if (base.length) continue; // reported by the caller already
    const clone = () => ({ ...metrics, valueCounts: new Map(metrics.valueCounts), nullCounts: new Map(metrics.nullCounts),
      nanCounts: metrics.nanCounts && new Map(metrics.nanCounts), lower: new Map(metrics.lower), upper: new Map(metrics.upper) });
    const mutations = [['record_count', (m) => { m.recordCount += 1n; }]];
    for (const f of fields) {
      const k = boundKind(f.type);
      if (metrics.valueCounts.has(f.id)) mutations.push([`value_count ${f.id}`, (m) => m.valueCounts.set(f.id, m.valueCounts.get(f.id) + 1n)]);
      if (metrics.nullCounts.has(f.id)) mutations.push([`null_count ${f.id}`, (m) => m.nullCounts.set(f.id, m.nullCounts.get(f.id) - 1n)]);
      if (metrics.nanCounts?.has(f.id)) mutations.push([`nan_count ${f.id}`, (m) => m.nanCounts.set(f.id, m.nanCounts.get(f.id) + 1n)]);
      for (const side of ['lower', 'upper']) {
        const v = metrics[side].get(f.id);
        if (v === undefined) continue;
        mutations.push([`drop ${side} ${f.id}`, (m) => m[side].delete(f.id)]);
        let w;
        if (typeof v === 'bigint') w = side === 'lower' ? v + 1n : v - 1n; // still a valid bound, not the true one
        else if (typeof v === 'number') w = v === 0 ? (side === 'lower' ? 2 ** -149 : -(2 ** -149)) : v * (1 + 2 ** -20) + 1e-300;
        else if (typeof v === 'boolean') w = !v;
        else if (typeof v === 'string') w = (v[0] === '0' ? '1' : '0') + v.slice(1);
        else if (Buffer.isBuffer(v)) w = Buffer.concat([v, Buffer.from([0])]);
        mutations.push([`${side} ${f.id} ${show(f.type, v)} -> ${show(f.type, w)}`, (m) => m[side].set(f.id, w)]);
      }
    }
    for (const [what, mutate] of mutations) {
      const m = clone();
      mutate(m);
      if (compareMetrics(m, truth, fields, where).length === 0) problems.push(`${where}: mutation not detected: ${what}`);
    }
  }
  return problems;
}

// A Parquet file for the metrics check (run.sh loads two of them as one table): every
// primitive type icestream loads, with nulls, NaN, -0.0/+0.0, 64-bit and decimal(38,10)
// extremes, strings and binary longer than 16 units (one string ending in U+10FFFF after
// 16 'z', one binary of 15 0xFF bytes, so the truncated upper bound needs a carry), an
// all-null column. `first` shifts the rows so two files have different bounds.
export async function writeMetricsTestFile(db, path, rows, first) {
  await db.run(`COPY (SELECT
  CASE WHEN i % 13 = 5 THEN NULL ELSE ((i * 2654435761) % 2147483648) - 1073741824 END::INTEGER AS c_int,
  CASE WHEN i = 0 THEN -9223372036854775807 WHEN i = 1 THEN 9223372036854775807 WHEN i % 7 = 3 THEN NULL
       ELSE (i * 1000000007 - 5000000000000) END::BIGINT AS c_long,
  CASE i % 1000 WHEN 0 THEN 'NaN'::FLOAT WHEN 3 THEN '-0.0'::FLOAT WHEN 6 THEN NULL WHEN 9 THEN 'NaN'::FLOAT
       ELSE (i::FLOAT / 7.0::FLOAT) END AS c_float,
  CASE i % 1000 WHEN 0 THEN 'NaN'::DOUBLE WHEN 3 THEN '-0.0'::DOUBLE WHEN 4 THEN 0.0::DOUBLE WHEN 7 THEN NULL
       ELSE i / 3.0 * (CASE WHEN i % 2 = 0 THEN -1 ELSE 1 END) END::DOUBLE AS c_double,
  NULLIF('NaN'::DOUBLE, CASE WHEN i % 2 = 0 THEN 'NaN'::DOUBLE ELSE 0 END) AS c_nan_or_null,
  CASE WHEN i % 5 = 1 THEN NULL ELSE (((i % 19999) - 9999)::DECIMAL(18,0) / 100)::DECIMAL(9,2) END AS c_dec9,
  CASE i WHEN 0 THEN 9999999999999999999999999999.9999999999::DECIMAL(38,10)
         WHEN 1 THEN -9999999999999999999999999999.9999999999::DECIMAL(38,10) WHEN 4 THEN NULL
       ELSE (CASE WHEN i % 2 = 0 THEN '-' ELSE '' END || (i::HUGEINT * 98765432109876)::VARCHAR || '.'
             || lpad((i * 7919 % 10000000000)::VARCHAR, 10, '0'))::DECIMAL(38,10) END AS c_dec38,
  CASE WHEN i % 11 = 2 THEN NULL ELSE DATE '2000-02-29' + (i * 37 % 40000 - 20000)::INTEGER END AS c_date,
  CASE WHEN i % 14 = 2 THEN NULL ELSE TIME '00:00:00' + to_microseconds(i * 86399999 % 86400000000) END AS c_time,
  CASE WHEN i % 12 = 2 THEN NULL ELSE TIMESTAMP '1970-01-01' + to_microseconds(i * 123456789123 - 4000000000000000) END AS c_ts,
  CASE WHEN i % 10 = 2 THEN NULL ELSE TIMESTAMPTZ '2024-02-29 12:00:00+00' + to_microseconds(i * 999999) END AS c_tstz,
  CASE WHEN i % 17 = 3 THEN NULL WHEN i % 17 = 4 THEN '' WHEN i = 1 THEN 'ünïcödé 中文 😀 longer than sixteen'
       WHEN i = 2 THEN repeat('z', 16) || chr(1114111) || 'tail' ELSE 'a string longer than 16 chars #' || i END AS c_str,
  CASE WHEN i % 11 = 2 THEN NULL WHEN i % 1000 = 5 THEN ('\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF\\x00\\x01' || i::VARCHAR)::BLOB
       ELSE ('\\x00\\x01\\xFE\\xFF' || i::VARCHAR || 'padding-padding')::BLOB END AS c_bin,
  CASE WHEN i % 9 = 4 THEN NULL ELSE i % 3 = 0 END AS c_bool,
  CASE WHEN i % 8 = 5 THEN NULL ELSE md5(i::VARCHAR)::UUID END AS c_uuid,
  NULL::INTEGER AS c_null
FROM range(${Number(first)}, ${Number(first) + Number(rows)}) t(i)) TO '${path.replaceAll("'", "''")}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
}
