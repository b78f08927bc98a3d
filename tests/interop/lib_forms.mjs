// lib_forms.mjs - the text forms of `icestream cat --format jsonl`, read back into
// numbers so they can be compared with other readers by value and instant:
// dates -> day numbers, times -> nanoseconds of day, timestamps -> epoch nanoseconds
// (BigInt), decimals -> exact strings, floats -> "is this the shortest round-trip
// text". Written independently of the C renderer (JS arithmetic, not a port).
import { Num } from './lib_json.mjs';

// Days since 1970-01-01 of a proleptic Gregorian date (astronomical years).
export function daysFromCivil(y, m, d) {
  const leap = (yy) => (yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0;
  const cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
  // whole 400-year cycles (146097 days) keep the numbers small for any year
  const cycles = Math.floor(y / 400);
  const yr = y - cycles * 400; // 0..399
  let days = cycles * 146097;
  // days from year 0 (start) to year yr (start), within one cycle
  days += yr * 365 + Math.floor((yr + 3) / 4) - Math.floor((yr + 99) / 100) + Math.floor((yr + 399) / 400);
  days += cum[m - 1] + (m > 2 && leap(yr) ? 1 : 0) + (d - 1);
  return days - 719528; // days from 0000-01-01 to 1970-01-01
}

const DATE = /^([+-]?)(\d{4,})-(\d\d)-(\d\d)$/;
const TIME = /^(-?)(\d{2,}):(\d\d):(\d\d)\.(\d{6}|\d{9})$/;
const TS = /^([+-]?)(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6}|\d{9})(Z?)$/;

function yearOf(sign, digits) {
  const y = Number(digits);
  if (sign === '+' && y <= 9999) return NaN; // "+" only for years beyond 9999
  if (sign === '' && digits.length > 4) return NaN;
  return sign === '-' ? -y : y;
}

// -> day number, or null when `s` is not our date form
export function parseDate(s) {
  const m = typeof s === 'string' && DATE.exec(s);
  if (!m) return null;
  const y = yearOf(m[1], m[2]);
  const mo = Number(m[3]), d = Number(m[4]);
  if (Number.isNaN(y) || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const days = daysFromCivil(y, mo, d);
  if (!civilCheck(days, y, mo, d)) return null;
  return days;
}

function civilCheck(days, y, mo, d) {
  // rejects 2023-02-30 and the like: the day must not roll into the next month
  const next = mo === 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, mo + 1, 1);
  return days < next && d >= 1;
}

// -> { nanos: BigInt, digits: 6|9 } of a time of day
export function parseTime(s) {
  const m = typeof s === 'string' && TIME.exec(s);
  if (!m) return null;
  const frac = m[5].length === 6 ? BigInt(m[5]) * 1000n : BigInt(m[5]);
  let nanos = ((BigInt(m[2]) * 60n + BigInt(m[3])) * 60n + BigInt(m[4])) * 1000000000n + frac;
  if (m[1] === '-') nanos = -nanos;
  return { nanos, digits: m[5].length };
}

// -> { nanos: BigInt since the epoch, digits: 6|9, utc: bool }
export function parseTimestamp(s) {
  const m = typeof s === 'string' && TS.exec(s);
  if (!m) return null;
  const y = yearOf(m[1], m[2]);
  const mo = Number(m[3]), d = Number(m[4]);
  if (Number.isNaN(y) || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const days = daysFromCivil(y, mo, d);
  if (!civilCheck(days, y, mo, d)) return null;
  const h = BigInt(m[5]), mi = BigInt(m[6]), se = BigInt(m[7]);
  if (h > 23n || mi > 59n || se > 59n) return null;
  const frac = m[8].length === 6 ? BigInt(m[8]) * 1000n : BigInt(m[8]);
  const nanos = BigInt(days) * 86400000000000n + ((h * 60n + mi) * 60n + se) * 1000000000n + frac;
  return { nanos, digits: m[8].length, utc: m[9] === 'Z' };
}

// Floor division for BigInt (BigInt `/` truncates toward zero).
export function floorDiv(a, b) {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

// Exact decimal text of an unscaled integer: exactly `scale` digits after the point.
export function decimalText(unscaled, scale) {
  const neg = unscaled < 0n;
  let digits = (neg ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, -scale) + '.' + digits.slice(-scale);
  } else if (scale < 0 && unscaled !== 0n) {
    digits += '0'.repeat(-scale);
  }
  return (neg ? '-' : '') + digits;
}

export const base64 = (bytes) => Buffer.from(bytes.buffer ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes).toString('base64');

// Significant digits of a JSON number's text ("1.25e-7" -> 3, "100" -> 1, "0" -> 1).
function significantDigits(text) {
  const mant = text.replace(/^-/, '').split(/[eE]/)[0].replace('.', '');
  const trimmed = mant.replace(/^0+/, '').replace(/0+$/, '');
  return Math.max(1, trimmed.length);
}

// Fewest significant digits (1..max) whose correctly rounded text reads back as v
// (`read` maps a number to the precision of the column: identity or Math.fround).
// Up to `dig` digits (15 for doubles, 6 for floats) decimals are spaced wider than a
// rounding interval, so success is monotone there and a binary search finds the same p
// as a linear scan.
function shortestDigits(v, max, read, dig) {
  const ok = (p) => read(Number(v.toPrecision(p))) === v;
  if (!ok(dig)) {
    for (let p = dig + 1; p <= max; p++) if (ok(p)) return p;
    return max;
  }
  let lo = 1, hi = dig;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid; else lo = mid + 1;
  }
  return hi;
}

// Compares our text of a float/double with the other reader's value. Returns null when
// equal, else a reason.
export function compareFloat(ours, theirs, single) {
  const read = single ? Math.fround : (x) => x;
  if (typeof theirs !== 'number') return `expected a number, other reader gave ${typeof theirs}`;
  if (Number.isNaN(theirs)) return ours === 'NaN' ? null : 'expected "NaN"';
  if (theirs === Infinity) return ours === 'Infinity' ? null : 'expected "Infinity"';
  if (theirs === -Infinity) return ours === '-Infinity' ? null : 'expected "-Infinity"';
  if (!(ours instanceof Num)) return 'expected a JSON number';
  const v = read(Number(ours.text));
  if (!(v === theirs || (Number.isNaN(v) && Number.isNaN(theirs)))) return 'value differs';
  if (Object.is(theirs, -0) && !ours.text.startsWith('-')) return 'sign of zero differs';
  const want = shortestDigits(theirs, single ? 9 : 17, read, single ? 6 : 15);
  if (significantDigits(ours.text) > want) return `not the shortest round-trip text (${want} digits suffice)`;
  return null;
}
