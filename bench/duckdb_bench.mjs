// DuckDB side of the benchmarks (from npm @duckdb/node-api, installed by tests/interop).
//   node duckdb_bench.mjs gen OUT.parquet ROWS [CODEC]     write a many-typed dataset
//   node duckdb_bench.mjs genids OUT.parquet IDS_SQL [QTY_DELTA]
//                                                          the same columns for the ids that
//                                                          IDS_SQL yields (a column named i),
//                                                          qty raised by QTY_DELTA (an update)
//   node duckdb_bench.mjs minmax IN.parquet                min/max of every column, 1 thread
//   node duckdb_bench.mjs rewrite IN.parquet OUT.parquet   COPY ... (FORMAT parquet, zstd), 1 thread
//   node duckdb_bench.mjs sql STATEMENT...                 run them, 1 thread; prints the last
//                                                          one's rows as JSON lines
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const req = createRequire(join(here, '..', 'tests', 'interop', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(req.resolve('@duckdb/node-api')).href);

const [mode, a, b, c] = process.argv.slice(2);
const db = await (await DuckDBInstance.create(':memory:')).connect();
const q = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson();
const lit = (s) => `'${s.replaceAll("'", "''")}'`;

// Every column is a function of the id i, so any id set can be generated again.
const columns = (qtyDelta) => `
      i::BIGINT AS id,
      (i * 7919 % 1000003 + ${qtyDelta})::INTEGER AS qty,
      CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 100000) / 7.0 END::DOUBLE AS price,
      (i % 1000)::FLOAT AS score,
      'customer-' || (i % 50000)::VARCHAR AS customer,
      md5(i::VARCHAR) AS token,
      TIMESTAMP '2024-01-01' + INTERVAL (i % 31536000) SECOND AS ts,
      DATE '2020-01-01' + (i % 2000)::INTEGER AS day,
      ((i % 1000000) / 100.0)::DECIMAL(12,2) AS amount,
      i % 3 = 0 AS flag`;

if (mode === 'gen') {
  const rows = Number(b);
  const codec = c || 'snappy';
  await q(`COPY (SELECT ${columns(0)}
    FROM range(${rows}) t(i)) TO ${lit(a)} (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 1000000)`);
} else if (mode === 'genids') {
  const delta = Number(c || 0);
  await q(`COPY (SELECT ${columns(delta)}
    FROM (${b})) TO ${lit(a)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)`);
} else if (mode === 'minmax') {
  await q('SET threads = 1');
  const cols = await q(`SELECT name FROM parquet_schema(${lit(a)}) WHERE num_children IS NULL`);
  const exprs = cols.map((r) => `min("${r.name}"), max("${r.name}")`).join(', ');
  const res = await q(`SELECT count(*) AS n, ${exprs} FROM read_parquet(${lit(a)})`);
  console.log(`rows=${res[0].n}`);
} else if (mode === 'rewrite') {
  await q('SET threads = 1');
  await q(`COPY (SELECT * FROM read_parquet(${lit(a)})) TO ${lit(b)} (FORMAT parquet, COMPRESSION zstd)`);
} else if (mode === 'sql') {
  await q('SET threads = 1');
  let rows = [];
  for (const s of process.argv.slice(3)) rows = await q(s);
  for (const r of rows) console.log(JSON.stringify(r));
} else {
  console.error('usage: duckdb_bench.mjs gen|genids|minmax|rewrite|sql ...');
  process.exit(2);
}
