#!/usr/bin/env bash
# make demo: generate sample Parquet files, load them into an Iceberg table under
# ./warehouse (SQLite catalog ./warehouse/catalog.db), then show the table, its
# snapshots and a few rows, and let independent readers check it when npm packages are
# installed (tests/interop). Run from the repository root after `make build`.
set -euo pipefail
cd "$(dirname "$0")/.."
ICESTREAM=${ICESTREAM:-$PWD/build/icestream}
WH=${WAREHOUSE:-$PWD/warehouse}
DATA=$PWD/build/demo-data
rm -rf "$DATA"
mkdir -p "$DATA"

if command -v node >/dev/null && [ -d tests/interop/node_modules/@duckdb/node-api ]; then
  echo "== generating 3 Parquet files with DuckDB"
  node --input-type=module - "$DATA" <<'JS'
import { createRequire } from 'node:module';
const req = createRequire(process.cwd() + '/tests/interop/package.json');
const { DuckDBInstance } = await import(req.resolve('@duckdb/node-api'));
const db = await (await DuckDBInstance.create(':memory:')).connect();
const dir = process.argv[2];
for (let f = 0; f < 3; f++) {
  await db.run(`COPY (
    SELECT (${f} * 100000 + i)::BIGINT AS event_id,
           TIMESTAMPTZ '2026-11-21 00:00:00+00' + to_seconds(i * 7) AS ts,
           'user_' || (i % 997) AS user_name,
           (i % 10000 / 100.0)::DECIMAL(10,2) AS amount,
           CASE WHEN i % 11 = 0 THEN NULL ELSE ['a', 'b', 'c'][1 + i % 3] END AS kind,
           [i % 5, i % 7] AS tags
    FROM range(100000) t(i)) TO '${dir}/events_${f}.parquet' (FORMAT parquet)`);
}
JS
else
  echo "== DuckDB not installed (cd tests/interop && npm ci); using parquet-testing files"
  for f in alltypes_plain alltypes_plain.snappy alltypes_dictionary; do
    cp "tests/data/parquet-testing/data/$f.parquet" "$DATA/events_$f.parquet"
  done
fi

first=$(ls "$DATA"/*.parquet | head -1)
rest=$(ls "$DATA"/*.parquet | tail -n +2)
echo "== icestream load --warehouse $WH demo.events $(basename "$first")"
"$ICESTREAM" load --warehouse "$WH" --load-id demo-1 demo.events "$first"
echo "== icestream load (the other files, one snapshot)"
# shellcheck disable=SC2086
"$ICESTREAM" load --warehouse "$WH" --load-id demo-2 demo.events $rest
echo "== icestream describe demo.events"
"$ICESTREAM" describe --warehouse "$WH" demo.events
echo "== icestream snapshots demo.events"
"$ICESTREAM" snapshots --warehouse "$WH" demo.events
echo "== icestream scan demo.events --limit 5"
"$ICESTREAM" scan --warehouse "$WH" demo.events --limit 5
echo "== icestream tables"
"$ICESTREAM" tables --warehouse "$WH"
if command -v node >/dev/null && [ -d tests/interop/node_modules/icebird ]; then
  meta=$("$ICESTREAM" describe --json --warehouse "$WH" demo.events |
    sed -n 's/.*"metadata-location": "\(.*\)".*/\1/p')
  echo "== independent readers (avsc, DuckDB by field id, icebird)"
  node tests/interop/check_table.mjs "$meta"
fi
