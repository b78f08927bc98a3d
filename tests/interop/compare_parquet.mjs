// compare_parquet.mjs - the Parquet read oracle: every Parquet file we have is printed
// with `$ICESTREAM cat FILE --format jsonl` and compared row by row, cell by cell, with
// DuckDB's reading of the same file (arrow-rs via parquet-wasm where DuckDB cannot
// read it). Also: malformed and encrypted files must make `icestream cat` fail with
// exactly one `icestream: error:` line and no crash; and DuckDB writes fresh files with
// every type, every codec and both page versions (one of 100k+ rows) to compare too.
//
// usage: ICESTREAM=build/icestream node compare_parquet.mjs [FILE...]
//   (no FILE: the whole corpus). Env: ICE_TEST_DATA_DIR (default ../data),
//   KEEP_TMP=1 keeps the generated files. Exit status 1 on any mismatch.
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api';
import { Num, Obj, parseJson } from './lib_json.mjs';
import { compareDuck } from './lib_compare_duckdb.mjs';
import { compareArrow, readWithArrowRs } from './lib_compare_arrow.mjs';
import { generateFiles } from './lib_generate.mjs';
import { compareCsvWithJsonl } from './lib_check_csv.mjs';
import { decimalText, floorDiv, parseTimestamp } from './lib_forms.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ICESTREAM = process.env.ICESTREAM;
if (!ICESTREAM || !existsSync(ICESTREAM)) {
  console.error('compare_parquet: set ICESTREAM to the icestream binary');
  process.exit(2);
}
const DATA = resolve(process.env.ICE_TEST_DATA_DIR || join(HERE, '../data'));
const PT = join(DATA, 'parquet-testing');
const MAX_EXAMPLES = 4;

// Files not compared, each with the reason (printed in the summary).
const SKIP = new Map([
  ['data/large_string_map.brotli.parquet',
    'two map rows whose keys are 1 GiB strings (column chunk > 2 GiB decoded): reading needs > 2 GiB of memory and prints > 2 GiB of JSON, too heavy for this check; arrow-rs and hyparquet skip it too'],
]);

// Valid-looking files that a correct reader must refuse, with the reason.
const EXPECT_REJECT = new Map([
  ['data/datapage_v1-corrupt-checksum.parquet', 'page CRC deliberately wrong (MANIFEST: CRC); DuckDB does not check CRCs'],
  ['data/rle-dict-uncompressed-corrupt-checksum.parquet', 'page CRC deliberately wrong (MANIFEST: CRC); DuckDB does not check CRCs'],
]);

// Columns where the other reader is known to be wrong or to use another, equally valid
// shape; the override compares against the documented truth instead (with the reason).
const int96Expected = () => {
  // int96_from_spark.md lists the values as microseconds since the epoch.
  const md = readFileSync(join(PT, 'data/int96_from_spark.md'), 'utf8');
  const line = md.split('\n').find((l) => /^\d+, \d+/.test(l.trim()));
  return line.split(',').map((x) => (x.trim() === 'null' ? null : BigInt(x.trim())));
};
const OVERRIDES = new Map([
  ['data/int96_from_spark.parquet', {
    reason: 'DuckDB overflows on the year-290000 INT96 value; compared with the microseconds listed in int96_from_spark.md',
    columns: {
      a: (ours, theirs, row, cache) => {
        cache.values ??= int96Expected();
        const want = cache.values[row];
        if (want === null) return ours === null ? null : `expected null, ours ${JSON.stringify(ours)}`;
        const t = parseTimestamp(ours);
        if (!t || t.digits !== 9) return `not an INT96 timestamp with 9 digits: ${JSON.stringify(ours)}`;
        return floorDiv(t.nanos, 1000n) === want ? null : `ours ${ours} vs documented ${want} us`;
      },
    },
  }],
  ['data/map_no_value.parquet', {
    reason: 'a MAP without a value field: arrow-rs reads it as a list of keys, icestream as a map whose values are null (both keep the keys)',
    columns: {
      my_map_no_v: (ours, theirs) => {
        const keys = theirs === null ? null : [...theirs].map(String);
        if (keys === null) return ours === null ? null : 'expected null';
        if (!Array.isArray(ours) || ours.length !== keys.length) return `ours ${JSON.stringify(ours)} vs keys ${keys}`;
        for (let i = 0; i < keys.length; i++) {
          const e = ours[i];
          if (!(e instanceof Obj) || e.keys().join(',') !== 'key,value' || String(e.entries[0][1]) !== keys[i] || e.entries[1][1] !== null) {
            return `entry ${i}: expected {"key":${keys[i]},"value":null}`;
          }
        }
        return null;
      },
    },
  }],
]);

// bad_data files that some readers accept (MANIFEST "leniency"): compared with DuckDB
// when icestream reads them; a clean one-line rejection is also accepted. `mustRead`:
// every peer reads it, so icestream must too.
const LENIENT = new Map([
  ['bad_data/ARROW-GH-43605.parquet', { mustRead: true }],
  ['bad_data/ARROW-GH-45185.parquet', { mustRead: false }],
  ['bad_data/ARROW-RS-GH-6229-LEVELS.parquet', { mustRead: false }],
  ['data/nation.dict-malformed.parquet', { mustRead: false }],
]);

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]).sort();

const tmp = mkdtempSync(join(tmpdir(), 'icestream-interop-'));
const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const db = await instance.connect();
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

// `icestream cat` options checked against the equivalent DuckDB query ($FILE is the
// file). A projection keeps file order and the structs around a projected member; a
// null struct stays null.
const VIEWS = [
  { args: ['--columns', 'txt,rec.inner.ok,kv,t64', '--limit', '1234'],
    sql: `SELECT t64, txt, CASE WHEN rec IS NULL THEN NULL
                 ELSE {'inner': CASE WHEN rec.inner IS NULL THEN NULL ELSE {'ok': rec.inner.ok} END} END AS rec,
                 kv FROM $FILE LIMIT 1234` },
  { args: ['--columns', 'list_of_structs,f32,id_uuid'], sql: 'SELECT f32, id_uuid, list_of_structs FROM $FILE' },
  { args: ['--batch-rows', '7'], sql: 'SELECT * FROM $FILE' },
  { args: ['--limit', '0'], sql: 'SELECT * FROM $FILE LIMIT 0' },
];

// ---------------------------------------------------------------- running icestream
function runCat(file, extraArgs = []) {
  const outPath = join(tmp, 'cat.jsonl');
  const fd = openSync(outPath, 'w');
  const r = spawnSync(ICESTREAM, ['cat', file, '--format', 'jsonl', ...extraArgs], {
    stdio: ['ignore', fd, 'pipe'], timeout: 600_000, maxBuffer: 1 << 20,
  });
  closeSync(fd);
  const stderr = (r.stderr || Buffer.alloc(0)).toString();
  return { status: r.status, signal: r.signal, stderr, outPath, error: r.error };
}

// One-line error contract of a failed run; returns null when it holds.
function errorContract(run) {
  if (run.error) return `could not run: ${run.error.message}`;
  if (run.signal) return `killed by ${run.signal}`;
  if (run.status === 0) return 'succeeded, expected an error';
  if (run.status >= 128) return `exit status ${run.status} (crash)`;
  const lines = run.stderr.split('\n').filter((l, i, a) => !(i === a.length - 1 && l === ''));
  if (lines.length !== 1 || !lines[0].startsWith('icestream: error: ')) {
    return `stderr is not one 'icestream: error:' line: ${JSON.stringify(run.stderr.slice(0, 300))}`;
  }
  return null;
}

async function* ourRows(path) {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) yield line;
}

// ---------------------------------------------------------------- the comparison
class Tally {
  constructor() { this.rows = 0; this.bad = 0; this.byColumn = new Map(); this.examples = []; }
  add(row, column, why) {
    this.bad++;
    this.byColumn.set(column, (this.byColumn.get(column) || 0) + 1);
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(`row ${row}, column ${column}: ${why}`);
  }
}

function compareRow(tally, rowIndex, line, names, theirs, cmp) {
  let ours;
  try {
    ours = parseJson(line);
  } catch (e) {
    tally.add(rowIndex, '(line)', `not valid JSON: ${e.message}`);
    return;
  }
  if (!(ours instanceof Obj)) {
    tally.add(rowIndex, '(line)', 'a row is not a JSON object');
    return;
  }
  const keys = ours.keys();
  if (keys.join('\u0000') !== names.join('\u0000')) {
    tally.add(rowIndex, '(keys)', `columns [${keys}] vs [${names}]`);
    return;
  }
  for (let c = 0; c < names.length; c++) {
    const why = cmp(ours.entries[c][1], theirs[c], c, rowIndex);
    if (why) tally.add(rowIndex, names[c], why);
  }
}

// Compares icestream's output with DuckDB. Returns a result or throws when DuckDB
// cannot read the file (the caller falls back to arrow-rs).
// Wraps a per-cell comparator with the file's overrides (see OVERRIDES).
function withOverrides(label, names, cmp) {
  const o = OVERRIDES.get(label);
  if (!o) return cmp;
  const cache = {};
  return (ours, theirs, c, row) => {
    const f = o.columns[names[c]];
    return f ? f(ours, theirs, row, cache) : cmp(ours, theirs, c, row);
  };
}

async function compareWithDuckDB(file, outPath, label, sql = null) {
  const res = await db.stream(sql ? sql.replaceAll('$FILE', `read_parquet(${sqlString(file)})`)
                                  : `SELECT * FROM read_parquet(${sqlString(file)})`);
  const names = res.columnNames();
  const types = res.columnTypes();
  const tally = new Tally();
  const cmp = withOverrides(label, names, (o, d, c) => compareDuck(o, d, types[c]));
  const lines = ourRows(outPath)[Symbol.asyncIterator]();
  let ended = false;
  for (;;) {
    const chunk = await res.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const row of chunk.getRows()) {
      const next = ended ? { done: true } : await lines.next();
      if (next.done) { ended = true; tally.rows++; continue; }
      compareRow(tally, tally.rows, next.value, names, row, cmp);
      tally.rows++;
    }
  }
  let ourCount = tally.rows;
  if (ended) {
    ourCount = -1; // fewer rows than DuckDB; counted below
  } else {
    for (let n = await lines.next(); !n.done; n = await lines.next()) ourCount++;
  }
  return { tally, oracle: 'duckdb', theirRows: tally.rows, ourCount };
}

async function compareWithArrowRs(file, outPath, label) {
  const t = readWithArrowRs(file, new Uint8Array(readFileSync(file)));
  const tally = new Tally();
  const cmp = withOverrides(label, t.names, (o, v, c) => compareArrow(o, v, t.types[c]));
  let i = 0;
  for await (const line of ourRows(outPath)) {
    if (i < t.numRows) {
      compareRow(tally, i, line, t.names, t.row(i), cmp);
    }
    i++;
  }
  tally.rows = t.numRows;
  return { tally, oracle: 'arrow-rs', theirRows: t.numRows, ourCount: i };
}

const countLines = async (path) => { let n = 0; for await (const _ of ourRows(path)) n++; return n; };

async function checkReadable(file, label, lenient, view = null) {
  const run = runCat(file, view ? view.args : []);
  if (run.status !== 0) {
    const contract = errorContract(run);
    const msg = run.stderr.trim().slice(0, 240);
    if (contract) return { file: label, rows: '-', result: 'FAIL', detail: `icestream: ${contract}` };
    if (lenient && !lenient.mustRead) return { file: label, rows: '-', result: 'ok (rejected)', detail: msg };
    return { file: label, rows: '-', result: 'FAIL', detail: `icestream failed: ${msg}` };
  }
  let r;
  let duckError = null;
  try {
    r = await compareWithDuckDB(file, run.outPath, label, view ? view.sql : null);
  } catch (e) {
    duckError = String(e.message || e).split('\n')[0];
    if (view) return { file: label, rows: '-', result: 'FAIL', detail: `duckdb: ${duckError}` };
    try {
      r = await compareWithArrowRs(file, run.outPath, label);
    } catch (e2) {
      const ours = await countLines(run.outPath);
      return { file: label, rows: ours, result: 'UNVERIFIED', detail: `no oracle reads it (duckdb: ${duckError}; arrow-rs: ${String(e2.message || e2).split('\n')[0]})` };
    }
  }
  const { tally } = r;
  const via = r.oracle === 'duckdb' ? '' : ` [vs arrow-rs; duckdb: ${duckError.slice(0, 80)}]`;
  const ourRowsText = r.ourCount < 0 ? 'fewer' : String(r.ourCount);
  if (r.ourCount !== r.theirRows) {
    const detail = `rows: icestream ${ourRowsText}, ${r.oracle} ${r.theirRows}` +
      (tally.examples.length ? `; ${tally.examples.join('; ')}` : '');
    return { file: label, rows: r.theirRows, result: 'FAIL', detail: detail + via };
  }
  if (tally.bad) {
    const cols = [...tally.byColumn].map(([c, n]) => `${c}(${n})`).join(' ');
    return { file: label, rows: r.theirRows, result: 'FAIL', detail: `${tally.bad} cells differ in ${cols}: ${tally.examples.join('; ')}${via}` };
  }
  const note = OVERRIDES.has(label) ? ` [override: ${OVERRIDES.get(label).reason}]` : '';
  return { file: label, rows: r.theirRows, result: r.oracle === 'duckdb' ? 'ok' : 'ok (arrow-rs)', detail: (via + note).trim() };
}

// CSV output read back by DuckDB's CSV reader must agree with the JSONL output.
async function checkCsv(file, label) {
  const jsonl = runCat(file);
  if (jsonl.status !== 0) return { file: label, rows: '-', result: 'FAIL', detail: `jsonl: ${jsonl.stderr.trim()}` };
  const jsonlPath = join(tmp, 'cat-for-csv.jsonl');
  renameSync(jsonl.outPath, jsonlPath);
  const csv = runCat(file, ['--format', 'csv']);
  if (csv.status !== 0) return { file: label, rows: '-', result: 'FAIL', detail: `csv: ${csv.stderr.trim()}` };
  const problems = await compareCsvWithJsonl(db, csv.outPath, jsonlPath);
  const rows = await countLines(jsonlPath);
  return problems ? { file: label, rows, result: 'FAIL', detail: problems.join('; ') } : { file: label, rows, result: 'ok', detail: '' };
}

function checkRejected(file, label) {
  const run = runCat(file);
  const contract = errorContract(run);
  if (contract) return { file: label, rows: '-', result: 'FAIL', detail: contract };
  return { file: label, rows: '-', result: 'ok (rejected)', detail: run.stderr.trim().slice(0, 200) };
}

// ---------------------------------------------------------------- self-test
// The comparators must be able to fail: known-wrong values are checked first.
function selfTest() {
  const must = (cond, what) => { if (!cond) { console.error(`compare_parquet self-test failed: ${what}`); process.exit(2); } };
  const int = { typeId: DuckDBTypeId.BIGINT }, dbl = { typeId: DuckDBTypeId.DOUBLE }, flt = { typeId: DuckDBTypeId.FLOAT };
  must(compareDuck(new Num('9007199254740993'), 9007199254740993n, int) === null, 'exact bigint');
  must(compareDuck(new Num('9007199254740992'), 9007199254740993n, int) !== null, 'bigint off by one');
  must(compareDuck(new Num('0.30000000000000004'), 0.1 + 0.2, dbl) === null, 'shortest double');
  must(compareDuck(new Num('0.100000000000000005551'), 0.1, dbl) !== null, 'non-shortest double');
  must(compareDuck(new Num('1.1'), Math.fround(1.1), flt) === null, 'shortest float');
  must(compareDuck(new Num('1.10000002'), Math.fround(1.1), flt) !== null, 'non-shortest float');
  must(compareDuck('NaN', NaN, dbl) === null && compareDuck(new Num('0'), NaN, dbl) !== null, 'NaN');
  must(compareDuck(null, 1, int) !== null && compareDuck(new Num('1'), null, int) !== null, 'nulls');
  must(parseTimestamp('2024-01-01T00:00:00.000001Z').nanos === 1704067200000001000n, 'timestamp parse');
  must(parseTimestamp('2024-01-01 00:00:00.000001') === null, 'timestamp form');
  must(decimalText(-1230n, 2) === '-12.30' && decimalText(5n, 3) === '0.005', 'decimal text');
  const list = { typeId: DuckDBTypeId.LIST, valueType: int };
  must(compareDuck([new Num('1')], { items: [1n, 2n] }, list) !== null, 'list length');
}
selfTest();

// ---------------------------------------------------------------- main
const results = [];
const only = process.argv.slice(2).map((p) => resolve(p));
const targets = [];
if (only.length) {
  // Corpus files keep their corpus label, so the per-file rules above apply.
  const labelOf = (f) => {
    const rel = relative(PT, f);
    if (!rel.startsWith('..')) return rel;
    const gen = relative(join(DATA, 'generated'), f);
    return gen.startsWith('..') ? relative(process.cwd(), f) : 'generated/' + gen;
  };
  for (const f of only) targets.push({ file: f, label: labelOf(f) });
} else {
  for (const f of walk(join(PT, 'data'))) {
    if (!/\.parquet(\.encrypted)?$/.test(f)) continue;
    targets.push({ file: f, label: relative(PT, f) });
  }
  for (const f of walk(join(PT, 'bad_data'))) if (f.endsWith('.parquet')) targets.push({ file: f, label: relative(PT, f) });
  for (const f of walk(join(DATA, 'generated'))) if (f.endsWith('.parquet')) targets.push({ file: f, label: 'generated/' + basename(f) });
  const genDir = join(tmp, 'gen');
  const generated = await generateFiles(db, genDir);
  for (const f of generated) targets.push({ file: f, label: 'duckdb-written/' + basename(f) });
  // Projections, limits and small batches (slices of nested arrays) on one of them.
  const gz = generated.find((f) => basename(f) === 'all_types_gzip_v1.parquet');
  for (const view of VIEWS) targets.push({ file: gz, label: `duckdb-written/${basename(gz)} ${view.args.join(' ')}`, view });
  // CSV: every type (the generated file) and the nested parquet-testing files.
  targets.push({ file: gz, label: `duckdb-written/${basename(gz)} --format csv`, csv: true });
  for (const name of ['nullable.impala.parquet', 'nested_maps.snappy.parquet', 'alltypes_plain.parquet', 'int96_from_spark.parquet']) {
    targets.push({ file: join(PT, 'data', name), label: `data/${name} --format csv`, csv: true });
  }
}

for (const { file, label, view, csv } of targets) {
  const started = Date.now();
  let r;
  if (SKIP.has(label)) {
    r = { file: label, rows: '-', result: 'SKIPPED', detail: SKIP.get(label) };
  } else if (csv) {
    r = await checkCsv(file, label);
  } else if (view) {
    r = await checkReadable(file, label, null, view);
  } else if (LENIENT.has(label)) {
    r = await checkReadable(file, label, LENIENT.get(label));
  } else if (label.startsWith('bad_data/') || label.endsWith('.encrypted') || EXPECT_REJECT.has(label)) {
    r = checkRejected(file, label);
    if (EXPECT_REJECT.has(label)) r.detail = `${EXPECT_REJECT.get(label)}: ${r.detail}`;
  } else {
    r = await checkReadable(file, label, null);
  }
  r.seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push(r);
  console.log(`${r.result.padEnd(14)} ${label} (${r.rows} rows, ${r.seconds}s)${r.detail ? '\n    ' + r.detail : ''}`);
}

// Summary table.
const w = Math.max(...results.map((r) => r.file.length), 4);
console.log(`\n${'file'.padEnd(w)}  ${'rows'.padStart(7)}  result`);
for (const r of results) console.log(`${r.file.padEnd(w)}  ${String(r.rows).padStart(7)}  ${r.result}`);
const failed = results.filter((r) => r.result === 'FAIL');
const unverified = results.filter((r) => r.result === 'UNVERIFIED');
console.log(`\n${results.length} files: ${results.length - failed.length - unverified.length} ok, ${failed.length} failed, ${unverified.length} unverified, ${results.filter((r) => r.result === 'SKIPPED').length} skipped`);
if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
else console.log(`kept ${tmp}`);
process.exit(failed.length ? 1 : 0);
