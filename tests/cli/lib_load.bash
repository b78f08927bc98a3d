# Helpers for the tests/cli/load_*.sh scripts (sourced after lib_cli.bash): a fresh
# warehouse per script and small JSON probes (python3 reads the JSON so 64-bit ids and
# summary strings are compared exactly).
WH=$TMP/wh
P=$PQ

# jget JSONFILE EXPR: prints a Python expression evaluated over the parsed JSON `d`.
jget() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# summary TABLE KEY: KEY of the current snapshot's summary ("-" when absent).
summary() {
  "$ICESTREAM" snapshots --json --warehouse "$WH" "$1" >"$TMP/snaps.json" 2>"$TMP/snaps.err" ||
    { echo "snapshots failed: $(cat "$TMP/snaps.err")"; return; }
  jget "$TMP/snaps.json" "d[-1]['summary'].get('$2', '-') if d else '-'"
}

# snapcount TABLE: number of snapshots.
snapcount() {
  "$ICESTREAM" snapshots --json --warehouse "$WH" "$1" >"$TMP/snaps.json" 2>/dev/null || { echo x; return; }
  jget "$TMP/snaps.json" "len(d)"
}

# expect_eq DESCRIPTION GOT WANT
expect_eq() {
  [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# rowcount TABLE: rows `icestream scan` returns.
rowcount() {
  "$ICESTREAM" scan --warehouse "$WH" "$1" 2>"$TMP/scan.err" | wc -l | tr -d ' '
}

# metadata_of TABLE: the current metadata location.
metadata_of() {
  "$ICESTREAM" describe --json --warehouse "$WH" "$1" >"$TMP/desc.json" 2>/dev/null || { echo none; return; }
  jget "$TMP/desc.json" "d['metadata-location']"
}

# datafiles TABLE_DIR: number of Parquet files under the table's data folder.
datafiles() {
  find "$1/data" -name '*.parquet' 2>/dev/null | wc -l | tr -d ' '
}

# empty_parquet SRC OUT: writes OUT, a Parquet file with SRC's schema and no rows (DuckDB
# from tests/interop/node_modules). Fails when DuckDB is not installed there.
empty_parquet() {
  local interop
  interop=$(cd "$(dirname "${BASH_SOURCE[0]}")/../interop" && pwd)
  [ -d "$interop/node_modules/@duckdb/node-api" ] || return 1
  node --input-type=module - "$1" "$2" "$interop" <<'JS'
import { createRequire } from 'node:module';
const [src, out, interop] = process.argv.slice(2);
const req = createRequire(interop + '/package.json');
const { DuckDBInstance } = await import(req.resolve('@duckdb/node-api'));
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run(`COPY (SELECT * FROM read_parquet('${src}') LIMIT 0) TO '${out}' (FORMAT parquet)`);
JS
}
