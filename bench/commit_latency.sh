#!/usr/bin/env bash
# Commit latency per catalog: what one append's commit costs through the SQLite catalog
# and through the PostgreSQL catalog (a private server this script starts, as the tests
# do: initdb in a temporary folder, unix socket, fsync on), for an append of 1 data file
# and of 1,000 data files. "commit ms" is the load's commit_seconds (--json): from the
# last data file closed to the catalog commit done (new manifest finished, manifest
# list, metadata JSON, the catalog's compare-and-swap). Every run appends to the same
# table, so later runs carry more history. Median and max of REPEAT runs.
#
# usage: bench/commit_latency.sh [FILES (default 1000) [ROWS_PER_FILE (default 100)]]
# env:   ICESTREAM  binary (default build/icestream; `make build`)
#        REPEAT     runs per case (default 7)
#        BENCH_DIR  where inputs, warehouse and the server go (default /tmp)
# Needs `npm ci` in tests/interop (DuckDB generates the inputs) and the PostgreSQL
# server package (scripts/install-deps.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-1000}
per_file=${2:-100}
repeat=${REPEAT:-7}
ice=${ICESTREAM:-$here/build/icestream}
[ -x "$ice" ] || (cd "$here" && make build >/dev/null)
[ -d "$here/tests/interop/node_modules/@duckdb" ] || { echo "run 'npm ci' in tests/interop first" >&2; exit 2; }
TMP=$(mktemp -d "${BENCH_DIR:-/tmp}/ice-commit-latency-XXXXXX")
source "$here/tests/cli/lib_pg.bash"
PG_FSYNC=on pg_start # durable commits; its exit trap stops the server, removes $TMP

cat >"$TMP/gen.mjs" <<'JS'
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [root, out, files, perFile] = process.argv.slice(2);
const req = createRequire(join(root, 'tests', 'interop', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(req.resolve('@duckdb/node-api')).href);
const db = await (await DuckDBInstance.create(':memory:')).connect();
await db.run(`COPY (SELECT i // ${Number(perFile)} AS k, i::BIGINT AS id,
    'customer-' || (i % 5000)::VARCHAR AS customer, (i % 1000) / 7.0 AS price
  FROM range(${Number(files) * Number(perFile)}) t(i))
  TO '${out}' (FORMAT parquet, PARTITION_BY (k))`);
JS
node "$TMP/gen.mjs" "$here" "$TMP/in" "$files" "$per_file"
many=("$TMP"/in/*/*.parquet)
one=${many[0]}

# case CATALOG_LABEL TABLE INPUTS...: REPEAT appends (after one that creates the
# table); prints the row.
bench_case() {
  local label=$1 table=$2
  shift 2
  local runs=$TMP/runs.jsonl
  "$ice" load --json --progress never "${CAT[@]}" --property write.target-file-size-bytes=1 \
    "$table" "$one" >/dev/null
  : >"$runs"
  for _ in $(seq 1 "$repeat"); do
    "$ice" load --json --progress never "${CAT[@]}" "$table" "$@" >>"$runs"
  done
  python3 - "$runs" "$label" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
ms = [r["commit_seconds"] * 1000 for r in runs]
n = runs[0]["data_files_added"]
att = max(r["attempts"] for r in runs)
print(f"| {sys.argv[2]} | {n} | {statistics.median(ms):.1f} | {max(ms):.1f} | "
      f"{statistics.median(r['seconds'] for r in runs):.3f} | {att} |")
PY
}

echo "$repeat appends per case into one table, commit_seconds of each (median, max)"
echo
echo "| catalog | data files | commit ms (median) | commit ms (max) | load s (median) | attempts (max) |"
echo "|---|---|---|---|---|---|"
for cat in sqlite postgresql; do
  if [ $cat = sqlite ]; then
    CAT=(--warehouse "$TMP/wh_sqlite")
  else
    CAT=(--warehouse "$TMP/wh_pg" --catalog "$PG_URI")
  fi
  bench_case "$cat" b.one "$one"
  bench_case "$cat" b.many "${many[@]}"
done
