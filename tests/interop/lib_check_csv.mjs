// lib_check_csv.mjs - checks `icestream cat --format csv` with DuckDB's CSV reader (an
// independent RFC 4180 parser): the header names the columns, and every cell reads back
// as the JSONL rendering of the same value: null -> empty field (NULL), strings as
// themselves ("" stays an empty string), other scalars as their JSON text without
// quotes, nested values as JSON equal to the JSONL value.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Num, Obj, parseJson } from './lib_json.mjs';
import { showOurs } from './lib_compare_duckdb.mjs';

const same = (a, b) => {
  if (a instanceof Num || b instanceof Num) return a instanceof Num && b instanceof Num && a.text === b.text;
  if (a instanceof Obj) {
    return b instanceof Obj && a.entries.length === b.entries.length &&
      a.entries.every(([k, v], i) => k === b.entries[i][0] && same(v, b.entries[i][1]));
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
  return a === b;
};

// Returns null when the CSV agrees with the JSONL, else the first few problems.
export async function compareCsvWithJsonl(db, csvPath, jsonlPath) {
  const sql = `SELECT * FROM read_csv('${csvPath.replaceAll("'", "''")}', header=true, all_varchar=true,
                 quote='"', escape='"', delim=',', strict_mode=true, allow_quoted_nulls=false)`;
  let res;
  try {
    res = await db.stream(sql);
  } catch (e) {
    return [`duckdb cannot read the CSV: ${String(e.message || e).split('\n')[0]}`];
  }
  const names = res.columnNames();
  const problems = [];
  const lines = createInterface({ input: createReadStream(jsonlPath), crlfDelay: Infinity })[Symbol.asyncIterator]();
  let row = 0;
  for (;;) {
    const chunk = await res.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const cells of chunk.getRows()) {
      const next = await lines.next();
      if (next.done) return [...problems, `CSV has more rows than JSONL (${row + 1}+)`];
      const obj = parseJson(next.value);
      if (row === 0 && obj.keys().join('\u0000') !== names.join('\u0000')) {
        return [`CSV header [${names}] vs JSONL keys [${obj.keys()}]`];
      }
      obj.entries.forEach(([name, v], c) => {
        const cell = cells[c];
        let ok;
        if (v === null) ok = cell === null;
        else if (typeof v === 'string') ok = cell === v;
        else if (v instanceof Num) ok = cell === v.text;
        else if (typeof v === 'boolean') ok = cell === String(v);
        else {
          try { ok = cell !== null && same(parseJson(cell), v); } catch { ok = false; }
        }
        if (!ok && problems.length < 4) problems.push(`row ${row}, column ${name}: csv ${JSON.stringify(cell)} vs jsonl ${showOurs(v)}`);
      });
      row++;
    }
  }
  if (!(await lines.next()).done) problems.push(`JSONL has more rows than the CSV (${row})`);
  return problems.length ? problems : null;
}
