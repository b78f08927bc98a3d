#!/usr/bin/env bash
# Independent readers check tables `icestream load` wrote (tests/interop/check_table.mjs:
# avsc reads the manifest list and manifests, DuckDB the data files by field id, icebird
# the whole table; all must agree with each other and with `icestream scan`). Needs node
# and `npm ci` in tests/interop; without them the script says so and skips.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
INTEROP=${ICE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/interop
if ! command -v node >/dev/null || [ ! -d "$INTEROP/node_modules/@duckdb/node-api" ] ||
   [ ! -d "$INTEROP/node_modules/icebird" ]; then
  echo "SKIP: node or tests/interop/node_modules missing (cd tests/interop && npm ci)"
  exit 0
fi

# check TABLE ROWS: the three readers agree with scan and with the row count
check() {
  local meta
  meta=$(metadata_of "$1")
  "$ICESTREAM" scan --warehouse "$WH" "$1" >"$TMP/scan.jsonl" 2>"$TMP/scan.err" ||
    fail "scan $1: $(cat "$TMP/scan.err")"
  node "$INTEROP/check_table.mjs" "$meta" --expect-rows "$2" --expect-jsonl "$TMP/scan.jsonl" \
    >"$TMP/check.out" 2>&1 || fail "check_table $1: $(cat "$TMP/check.out")"
  echo "$1: $(tail -1 "$TMP/check.out")"
}

# Many-typed input from DuckDB: ints, decimals, timestamps (tz and not), dates, strings,
# nulls, a list; two files with different row counts.
node --input-type=module - "$TMP" "$INTEROP" <<'JS' || fail "generating input with DuckDB"
import { createRequire } from 'node:module';
const [dir, interop] = process.argv.slice(2);
const req = createRequire(interop + '/package.json');
const { DuckDBInstance } = await import(req.resolve('@duckdb/node-api'));
const db = await (await DuckDBInstance.create(':memory:')).connect();
for (const [name, n] of [['one', 3000], ['two', 1234]]) {
  await db.run(`COPY (SELECT i::BIGINT AS id, (i % 100)::INTEGER AS small,
      (i * 1.25)::DOUBLE AS x, (i % 7)::FLOAT AS f,
      CASE WHEN i % 5 = 0 THEN NULL ELSE 'name ' || i END AS name,
      (i % 10000 / 100.0)::DECIMAL(9,2) AS amount,
      TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_microseconds(i * 1234567) AS tstz,
      TIMESTAMP '2020-02-29 12:00:00' + to_seconds(i) AS ts,
      DATE '2000-01-01' + (i % 9000)::INTEGER AS d,
      i % 2 = 0 AS flag,
      [i % 3, i % 4, i] AS l
    FROM range(${n}) t(i)) TO '${dir}/${name}.parquet' (FORMAT parquet)`);
}
JS

run load --warehouse "$WH" db.mixed "$TMP/one.parquet"
expect_ok "load one"
check db.mixed 3000
run load --warehouse "$WH" db.mixed "$TMP/two.parquet" "$TMP/one.parquet"
expect_ok "append two + one"
check db.mixed 7234
run load --mode replace --warehouse "$WH" db.mixed "$TMP/two.parquet"
expect_ok "replace with two"
check db.mixed 1234

# parquet-testing files with INT96 timestamps and binary columns
run load --warehouse "$WH" db.alltypes "$P/alltypes_plain.parquet" "$P/alltypes_dictionary.parquet"
expect_ok "load alltypes"
check db.alltypes 10
finish
