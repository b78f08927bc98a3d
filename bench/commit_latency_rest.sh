#!/usr/bin/env bash
# Commit latency per catalog: the SQLite catalog directly, and the REST catalog
# (icestream's client -> `icestream serve` over a SQLite catalog, loopback HTTP), for an
# append of 1 data file and of 1,000 data files (1,000 small inputs with
# write.target-file-size-bytes=1, so each becomes its own data file). The table exists
# before each timed append, so only the append's commit is measured: "commit ms" is the
# load's commit_seconds from --json (from the last data file closed to the catalog
# commit done: manifest, manifest list, then for SQLite the metadata file and the CAS,
# for REST the POST with the server's check, build, metadata write and CAS). Median of
# REPEAT runs (default 5), each on a fresh table.
#
# usage: bench/commit_latency_rest.sh          env: ICESTREAM (default build/icestream),
#        REPEAT, BENCH_DIR (default /tmp). Needs `npm ci` in tests/interop (DuckDB).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ice=${ICESTREAM:-$here/build/icestream}
repeat=${REPEAT:-5}
[ -x "$ice" ] || { echo "build first: make build (or set ICESTREAM)" >&2; exit 2; }
dir=$(mktemp -d "${BENCH_DIR:-/tmp}/ice-rest-bench-XXXXXX")
serve_pid=
trap '[ -n "$serve_pid" ] && kill "$serve_pid"; rm -rf "$dir"' EXIT

node --input-type=module - "$here" "$dir" <<'JS'
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [root, dir] = process.argv.slice(2);
const req = createRequire(join(root, 'tests', 'interop', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(req.resolve('@duckdb/node-api')).href);
const db = await (await DuckDBInstance.create(':memory:')).connect();
await db.run(`COPY (SELECT i::BIGINT AS id, md5(i::VARCHAR) AS s FROM range(1000) t(i)) TO '${dir}/one.parquet'`);
await db.run(`COPY (SELECT i AS k, i::BIGINT AS id, md5(i::VARCHAR) AS s FROM range(1000) t(i)) TO '${dir}/many' (FORMAT parquet, PARTITION_BY (k))`);
JS

"$ice" serve --warehouse "$dir/rest_wh" --listen 127.0.0.1:0 >"$dir/serve.out" 2>"$dir/serve.err" &
serve_pid=$!
for _ in $(seq 100); do grep -q '^listening' "$dir/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$dir/serve.out")
[ -n "$url" ] || { cat "$dir/serve.err" >&2; exit 1; }

# measure NAME CATALOG-ARGS -- LOAD-ARGS...: median commit ms over REPEAT appends.
measure() {
  local name=$1
  shift
  local cat=()
  while [ "$1" != -- ]; do cat+=("$1"); shift; done
  shift
  : >"$dir/runs"
  for k in $(seq 1 "$repeat"); do
    local t="db.${name//[^a-z0-9]/_}_$k"
    "$ice" create "${cat[@]}" ${CREATE_PROPS:-} "$t" --schema-from "$dir/one.parquet" >/dev/null
    "$ice" load --json --progress never "${cat[@]}" "$t" "$@" >>"$dir/runs" 2>"$dir/err" ||
      { cat "$dir/err" >&2; exit 1; }
  done
  python3 - "$dir/runs" "$name" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
files = runs[0]["data_files_added"]
ms = sorted(r["commit_seconds"] * 1000 for r in runs)
print(f"| {sys.argv[2]} | {files} | {statistics.median(ms):.1f} | {ms[0]:.1f} | {ms[-1]:.1f} |")
PY
}
echo "| catalog, append | data files | commit ms (median) | min | max |"
echo "|---|---|---|---|---|"
measure "SQLite, 1 file" --warehouse "$dir/sql_wh" -- "$dir/one.parquet"
measure "REST (serve), 1 file" --catalog "$url" -- "$dir/one.parquet"
export CREATE_PROPS="--property write.target-file-size-bytes=1"
measure "SQLite, 1000 files" --warehouse "$dir/sql_wh" -- "$dir"/many/*/*.parquet
measure "REST (serve), 1000 files" --catalog "$url" -- "$dir"/many/*/*.parquet
