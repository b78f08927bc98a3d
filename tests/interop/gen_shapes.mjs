// gen_shapes.mjs - DuckDB writes Parquet inputs of the shapes that test a load's memory
// bound (tests/cli/load_memory_budget.sh, bench/load_memory_limit.sh):
//   node gen_shapes.mjs wide OUT.parquet COLS ROWS [CODEC]  COLS BIGINT columns, few repeats
//   node gen_shapes.mjs big-value OUT.parquet BYTES [CODEC] one row holding one BYTES string
//   node gen_shapes.mjs rows OUT.parquet ROWS [CODEC]       a narrow many-row file
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const req = createRequire(join(here, 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(req.resolve('@duckdb/node-api')).href);
const db = await (await DuckDBInstance.create(':memory:')).connect();
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
const [shape, out, a, b, c] = process.argv.slice(2);

let select, codec;
if (shape === 'wide') {
  const cols = Number(a);
  const exprs = [];
  // Distinct multipliers per column, so values rarely repeat and pages stay PLAIN-sized.
  for (let k = 0; k < cols; k++) exprs.push(`(i * ${2 * k + 1000003} + ${k})::BIGINT AS c${k}`);
  select = `SELECT ${exprs.join(', ')} FROM range(${Number(b)}) t(i)`;
  codec = c || 'snappy';
} else if (shape === 'big-value') {
  select = `SELECT 1::BIGINT AS id, repeat('x', ${Number(a)}) AS big`;
  codec = b || 'snappy';
} else if (shape === 'rows') {
  select = `SELECT i::BIGINT AS id, (i * 7919 % 1000003)::INTEGER AS qty,
                   md5(i::VARCHAR) AS token FROM range(${Number(a)}) t(i)`;
  codec = b || 'snappy';
} else {
  console.error('usage: gen_shapes.mjs wide|big-value|rows OUT ...');
  process.exit(2);
}
await db.run(`COPY (${select}) TO ${lit(out)} (FORMAT parquet, COMPRESSION ${codec})`);
