# duck SQL...: runs SQL statements in an in-memory DuckDB (tests/interop/node_modules),
# printing the rows of the last one as JSON lines. Tests write their Parquet inputs with
# it (COPY (SELECT ...) TO 'f.parquet'). have_duckdb tells whether it is installed.
INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../interop" && pwd)

have_duckdb() {
  command -v node >/dev/null && [ -d "$INTEROP_DIR/node_modules/@duckdb/node-api" ]
}

duck() {
  node --input-type=module - "$INTEROP_DIR" "$@" <<'JS'
import { createRequire } from 'node:module';
const [interop, ...stmts] = process.argv.slice(2);
const req = createRequire(interop + '/package.json');
const { DuckDBInstance } = await import(req.resolve('@duckdb/node-api'));
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
let last = null;
for (const s of stmts) last = await c.runAndReadAll(s);
if (last) for (const row of last.getRowObjectsJson()) console.log(JSON.stringify(row));
JS
}
