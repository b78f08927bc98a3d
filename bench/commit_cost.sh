#!/usr/bin/env bash
# Commit-cost benchmark: what one `icestream load` costs beyond writing data, as the
# number of inputs, batches, data files and table history grows. The load's --json
# output carries "seconds" (whole load), "commit_seconds" (measured in the library with
# a monotonic clock, from the last data file closed to the catalog commit done:
# finishing the new manifest, manifest list, metadata JSON, catalog swap) and
# "manifest_add_seconds" (adding each data file's entry to the new manifest, which is
# streamed while data is still written). Metadata cost = the two together.
#
# Cases, all over the same rows (FILES x ROWS_PER_FILE, the bench dataset of
# duckdb_bench.mjs):
#   1 file              one Parquet file, default batches
#   N small files       FILES files of ROWS_PER_FILE rows (one DuckDB COPY ... PARTITION_BY)
#   N files, N data     the same files with write.target-file-size-bytes=1, so every input
#     files             becomes its own data file (one manifest entry each)
#   B batches           the one file read with --batch-rows rows/B (B reader batches)
# then APPENDS successive small appends to one table (each carries the earlier manifests
# by reference): commit time of the 1st, 2nd, 10th, middle and last, and the medians
# of appends 2-10 and of the last ten.
#
# usage: bench/commit_cost.sh [FILES [ROWS_PER_FILE [BATCHES [APPENDS]]]]
#        (defaults 2000 500 10000 50)
# env:   ICESTREAM       binary (default build/icestream; `make build`)
#        ICESTREAM_BASE  a second binary (e.g. a build of main before a change): every
#                        case and append then runs with both, interleaved, and each
#                        row is shown for both ("base" rows), so the two compare on
#                        the same disk at the same time
#        REPEAT          runs per case, the median is shown (default 3)
#        BENCH_DIR       where the inputs and warehouses go (default /tmp; /dev/shm
#                        takes the disk's fsync latency out and leaves the CPU cost)
# Needs `npm ci` in tests/interop (DuckDB from npm generates the inputs).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-2000}
per_file=${2:-500}
batches=${3:-10000}
appends=${4:-50}
repeat=${REPEAT:-3}
rows=$((files * per_file))
ice=${ICESTREAM:-$here/build/icestream}
base=${ICESTREAM_BASE:-}
[ -z "$base" ] || [ -x "$base" ] || { echo "ICESTREAM_BASE $base is not executable" >&2; exit 2; }
[ -x "$ice" ] || (cd "$here" && make build >/dev/null)
[ -d "$here/tests/interop/node_modules/@duckdb" ] || { echo "run 'npm ci' in tests/interop first" >&2; exit 2; }
[ "$batches" -gt 0 ] && [ "$rows" -ge "$batches" ] || { echo "need rows >= batches > 0" >&2; exit 2; }
dir=$(mktemp -d "${BENCH_DIR:-/tmp}/ice-commit-bench-XXXXXX")
trap 'rm -rf "$dir"' EXIT

# The FILES small inputs in one DuckDB process: partition k holds rows
# [k*ROWS_PER_FILE, (k+1)*ROWS_PER_FILE), written as $dir/small/k=K/data_0.parquet.
gen_small() {
  cat >"$dir/gen_small.mjs" <<'EOF'
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [root, out, files, perFile] = process.argv.slice(2);
const req = createRequire(join(root, 'tests', 'interop', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(req.resolve('@duckdb/node-api')).href);
const db = await (await DuckDBInstance.create(':memory:')).connect();
await db.run(`COPY (SELECT i // ${Number(perFile)} AS k,
    i::BIGINT AS id, (i * 7919 % 1000003)::INTEGER AS qty,
    CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 100000) / 7.0 END::DOUBLE AS price,
    'customer-' || (i % 50000)::VARCHAR AS customer, md5(i::VARCHAR) AS token,
    TIMESTAMP '2024-01-01' + INTERVAL (i % 31536000) SECOND AS ts
  FROM range(${Number(files) * Number(perFile)}) t(i))
  TO '${out.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (k))`);
EOF
  node "$dir/gen_small.mjs" "$here" "$dir/small" "$files" "$per_file"
  local n
  n=$(find "$dir/small" -name '*.parquet' | wc -l)
  [ "$n" -eq "$files" ] || { echo "generated $n small files, wanted $files" >&2; exit 1; }
}

# One file with the same columns and rows as the small ones together.
gen_one() {
  cat >"$dir/gen_one.mjs" <<'EOF'
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [root, out, rows] = process.argv.slice(2);
const req = createRequire(join(root, 'tests', 'interop', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(req.resolve('@duckdb/node-api')).href);
const db = await (await DuckDBInstance.create(':memory:')).connect();
await db.run(`COPY (SELECT i::BIGINT AS id, (i * 7919 % 1000003)::INTEGER AS qty,
    CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 100000) / 7.0 END::DOUBLE AS price,
    'customer-' || (i % 50000)::VARCHAR AS customer, md5(i::VARCHAR) AS token,
    TIMESTAMP '2024-01-01' + INTERVAL (i % 31536000) SECOND AS ts
  FROM range(${Number(rows)}) t(i))
  TO '${out.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION snappy)`);
EOF
  node "$dir/gen_one.mjs" "$here" "$1" "$2"
}

# load_with BINARY RUNS TABLE ARGS...: one load; its JSON line is appended to RUNS.
load_with() {
  local bin=$1 runs=$2
  shift 2
  "$bin" load --json --progress never --warehouse "$dir/wh" "$@" >>"$runs" 2>"$dir/last.err" ||
    { cat "$dir/last.err" >&2; exit 1; }
}
load() { load_with "$ice" "$dir/runs.jsonl" "$@"; }

# case_row CASE INPUTS BATCHES: medians over the runs in runs.jsonl (commit time is a
# handful of fsyncs, so one run on a shared disk is noisy).
case_row() { # RUNS CASE INPUTS BATCHES
  python3 - "$1" "$rows" "${@:2}" <<'PY'
import json, statistics, sys
path, rows, name, inputs, batches = sys.argv[1:6]
runs = [json.loads(l) for l in open(path)]
for r in runs:
    if r["rows_written"] != int(rows):
        sys.exit(f"{name}: wrote {r['rows_written']} rows, expected {rows}")
med = lambda k: statistics.median(r[k] for r in runs)
files = runs[0]["data_files_added"]
add, commit = med("manifest_add_seconds") * 1000, med("commit_seconds") * 1000
meta = add + commit
print(f"| {name} | {inputs} | {batches} | {files} | {med('seconds'):.3f} | {add:.2f} | "
      f"{commit:.1f} | {meta:.1f} | {meta / int(inputs):.4f} | {meta / files:.4f} |")
PY
}

run_case() { # CASE INPUTS BATCHES LOAD-ARGS...
  local name=$1 inputs=$2 nb=$3
  shift 3
  : >"$dir/runs.jsonl"
  : >"$dir/runs_base.jsonl"
  # With a base, odd runs start with it and even runs with ours: the one that runs
  # second meets the first one's writes still being flushed.
  for k in $(seq 1 "$repeat"); do
    if [ -n "$base" ] && [ $((k % 2)) -eq 1 ]; then
      rm -rf "$dir/wh"
      load_with "$base" "$dir/runs_base.jsonl" "$@"
    fi
    rm -rf "$dir/wh"
    load "$@"
    if [ -n "$base" ] && [ $((k % 2)) -eq 0 ]; then
      rm -rf "$dir/wh"
      load_with "$base" "$dir/runs_base.jsonl" "$@"
    fi
  done
  [ -z "$base" ] || case_row "$dir/runs_base.jsonl" "$name (base)" "$inputs" "$nb"
  case_row "$dir/runs.jsonl" "$name" "$inputs" "$nb"
}

gen_small
gen_one "$dir/one.parquet" "$rows"
cat "$dir/one.parquet" "$dir"/small/*/*.parquet >/dev/null # warm page cache

echo "rows per case: $rows; median of $repeat runs, each into a new table"
echo
printf '| case | inputs | batches | data files | total s | manifest add ms | commit ms | metadata ms | metadata ms / input | metadata ms / data file |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
run_case "1 file" 1 default b.one "$dir/one.parquet"
run_case "$files small files" "$files" default b.small "$dir/small/*/*.parquet"
run_case "$files small files, 1 data file each" "$files" default \
  --property write.target-file-size-bytes=1 b.many "$dir/small/*/*.parquet"
run_case "1 file, $batches batches" 1 "$batches" --batch-rows $((rows / batches)) b.batches \
  "$dir/one.parquet"

# History: each append is a new process into one table; the k-th carries the k-1
# earlier manifests by reference and its metadata JSON lists k snapshots.
echo
echo "$appends successive appends of one ${per_file}-row file to one table (append 1 creates it):"
echo
smalls=("$dir"/small/*/*.parquet)
rm -rf "$dir/wh"
: >"$dir/runs.jsonl"
: >"$dir/runs_base.jsonl"
for _ in $(seq 1 "$appends"); do
  [ -z "$base" ] || load_with "$base" "$dir/runs_base.jsonl" b.hist_base "${smalls[0]}"
  load b.hist "${smalls[0]}"
done
history() { # RUNS LABEL
python3 - "$1" "$2" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
n = len(runs)
print(f"{sys.argv[2]}\n")
print("| append # | total s | commit ms |\n|---|---|---|")
for i in sorted({1, 2, 10, n // 2, n}):
    if 1 <= i <= n:
        r = runs[i - 1]
        print(f"| {i} | {r['seconds']:.3f} | {r['commit_seconds'] * 1000:.2f} |")
if n >= 20:
    first = statistics.median(r["commit_seconds"] for r in runs[1:10]) * 1000
    last = statistics.median(r["commit_seconds"] for r in runs[n - 10:]) * 1000
    print(f"| median of 2-10 | | {first:.2f} |\n| median of {n - 9}-{n} | | {last:.2f} |")
PY
echo
}
[ -z "$base" ] || history "$dir/runs_base.jsonl" "base ($base):"
history "$dir/runs.jsonl" "$ice:"
